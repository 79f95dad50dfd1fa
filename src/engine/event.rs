//! What happened during a command, as data for the UI to draw (the engine
//! never reaches into the UI, and the UI never re-derives Redis rules).

use serde::Serialize;

use crate::engine::router::KeySlot;

/// Which connection-level check rejected a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RejectKind {
    UnknownCommand,
    WrongArity,
    CrossSlot,
    TryAgain,
    ClusterDown,
    SlotNotServed,
    Moved,
    Ask,
    ReadOnlyReplica,
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Event {
    /// The node on `port` served the command; `keys` are its keys with slots.
    Served { port: u16, keys: Vec<KeySlot> },
    /// The node on `port` refused the command before running it.
    /// For CROSSSLOT, `disagreeing` is the index in `keys` of the first key
    /// whose slot differs from the first key's.
    Rejected {
        port: u16,
        kind: RejectKind,
        error: String,
        keys: Vec<KeySlot>,
        disagreeing: Option<usize>,
        /// For MOVED/ASK: the port the client is sent to.
        redirect_to: Option<u16>,
    },
    /// A command was queued inside MULTI.
    Queued { port: u16, keys: Vec<KeySlot> },
    /// A command inside MULTI was rejected, so EXEC will answer EXECABORT.
    TransactionFlagged { port: u16, error: String },
    /// EXEC ran the queued commands.
    TransactionExecuted { port: u16, commands: usize },
    /// EXEC did not run: `error` is the reply (EXECABORT, CROSSSLOT, MOVED ... or nil for WATCH).
    TransactionDiscarded { port: u16, reason: String },
    /// A key was written or deleted on the shard whose master is on `port`.
    KeyModified { port: u16, key: String, slot: u16 },
    /// A key expired on the shard whose master is on `port`.
    KeyExpired { port: u16, key: String, slot: u16 },
    /// A key watched by connection `watcher` was modified by connection `by`
    /// (`None`: it expired), so the watcher's EXEC will answer nil.
    WatchTouched {
        watcher: u64,
        by: Option<u64>,
        key: String,
    },
    /// redis-cli `-c` followed a redirect from `from` to `to`.
    Redirected {
        from: u16,
        to: u16,
        slot: u16,
        ask: bool,
    },
}
