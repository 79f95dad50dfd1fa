//! zsets commands.

use crate::engine::command::CommandSpec;

/// The zsets commands.
pub static COMMANDS: &[CommandSpec] = &[];
