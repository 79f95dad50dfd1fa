//! server commands.

use crate::engine::command::CommandSpec;

/// The server commands.
pub static COMMANDS: &[CommandSpec] = &[];
