//! Connection-level commands: transactions, WATCH, READONLY/READWRITE and
//! ASKING. Their entries give arity, flags and key specs; the executor
//! ([`crate::engine::cluster::Cluster::execute`]) runs them itself because
//! they change the connection, not a keyspace.

use crate::engine::command::flags::*;
use crate::engine::command::{not_dispatched, CommandSpec, KeySpec};

const fn conn(name: &'static str, arity: i32, extra: u32) -> CommandSpec {
    CommandSpec {
        name,
        arity,
        flags: CONNECTION | extra,
        keys: KeySpec::None,
        handler: not_dispatched,
    }
}

/// MULTI, EXEC, DISCARD, WATCH, UNWATCH, READONLY, READWRITE, ASKING.
pub static COMMANDS: &[CommandSpec] = &[
    conn("multi", 1, NOSCRIPT | LOADING | STALE | FAST),
    conn("exec", 1, NOSCRIPT | LOADING | STALE),
    conn("discard", 1, NOSCRIPT | LOADING | STALE | FAST),
    CommandSpec {
        name: "watch",
        arity: -2,
        flags: CONNECTION | NOSCRIPT | LOADING | STALE | FAST,
        keys: KeySpec::Range {
            first: 1,
            last: -1,
            step: 1,
        },
        handler: not_dispatched,
    },
    conn("unwatch", 1, NOSCRIPT | LOADING | STALE | FAST),
    conn("readonly", 1, LOADING | STALE | FAST),
    conn("readwrite", 1, LOADING | STALE | FAST),
    conn("asking", 1, FAST),
];
