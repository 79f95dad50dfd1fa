//! strings commands.

use crate::engine::command::CommandSpec;

/// The strings commands.
pub static COMMANDS: &[CommandSpec] = &[];
