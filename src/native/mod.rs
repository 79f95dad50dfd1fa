//! The native `slotlab` command line.

/// Entry point; returns the process exit code.
pub fn main(_args: &[String]) -> i32 {
    0
}
