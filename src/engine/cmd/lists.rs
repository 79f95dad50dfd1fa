//! lists commands.

use crate::engine::command::CommandSpec;

/// The lists commands.
pub static COMMANDS: &[CommandSpec] = &[];
