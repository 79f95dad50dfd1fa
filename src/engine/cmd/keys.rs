//! keys commands.

use crate::engine::command::CommandSpec;

/// The keys commands.
pub static COMMANDS: &[CommandSpec] = &[];
