//! Command implementations, grouped by Redis type like Redis' `t_*.c` files.
//! Each file exports a `COMMANDS` table of [`CommandSpec`]s; [`TABLES`]
//! lists them all for [`crate::engine::command::lookup`].

use crate::engine::command::CommandSpec;

pub mod args;
pub mod cluster;
pub mod config;
pub mod connection;
pub mod hashes;
pub mod keys;
pub mod lists;
pub mod long_double;
pub mod migration;
pub mod scripting;
pub mod server;
pub mod sets;
pub mod strings;
pub mod zsets;

/// Every command table.
pub static TABLES: &[&[CommandSpec]] = &[
    connection::COMMANDS,
    server::COMMANDS,
    keys::COMMANDS,
    strings::COMMANDS,
    hashes::COMMANDS,
    lists::COMMANDS,
    sets::COMMANDS,
    zsets::COMMANDS,
    cluster::COMMANDS,
    config::COMMANDS,
    migration::COMMANDS,
    scripting::COMMANDS,
];
