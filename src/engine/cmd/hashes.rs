//! hashes commands.

use crate::engine::command::CommandSpec;

/// The hashes commands.
pub static COMMANDS: &[CommandSpec] = &[];
