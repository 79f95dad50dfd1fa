//! sets commands.

use crate::engine::command::CommandSpec;

/// The sets commands.
pub static COMMANDS: &[CommandSpec] = &[];
