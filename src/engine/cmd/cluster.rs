//! cluster commands.

use crate::engine::command::CommandSpec;

/// The cluster commands.
pub static COMMANDS: &[CommandSpec] = &[];
