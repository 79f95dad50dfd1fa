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

/// The check that refused a command a script ran with `redis.call` /
/// `redis.pcall` (`scriptCall` / `scriptVerifyClusterState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ScriptRule {
    /// No such command (or subcommand).
    UnknownCommand,
    /// A real Redis 7.0 command slotlab does not implement: the script got
    /// the unknown-command error, where a real server would have run it.
    NotImplemented,
    /// Wrong number of arguments.
    WrongArity,
    /// An argument was not a string or a number, or there was none.
    BadArguments,
    /// The command is flagged `noscript` (EVAL, MULTI, CONFIG ...).
    NotAllowedFromScript,
    /// A write from EVAL_RO / FCALL_RO / a `no-writes` script.
    WriteInReadOnlyScript,
    /// A write on a replica.
    ReadOnlyReplica,
    /// A key another node owns (or, before Redis 7.4, any routing failure).
    NonLocalKey,
    /// Redis 7.4+: one command's keys span slots.
    CrossSlotCommand,
    /// Redis 7.4+: a migrating slot with keys missing here.
    UnstableSlot,
    /// Redis 7.4+: a slot nobody serves.
    SlotNotServed,
    /// A `#!lua` script or a function touched a second slot (no `allow-cross-slot-keys`).
    CrossSlotAcrossCalls,
    /// The cluster is down.
    ClusterDown,
    /// The script was stopped by the step budget or memory cap.
    Stopped,
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
    /// A script ran a command (`redis.call` / `redis.pcall`) on the node on
    /// `port`: the script's line, the command, its keys with their slots and
    /// owners, whether it was refused and by which rule, and what the script
    /// got back (as redis-cli would print it).
    ScriptCall {
        port: u16,
        /// The script's SHA1, or the function's name.
        script: String,
        /// `redis.pcall` (errors returned to the script) rather than `redis.call`.
        protected: bool,
        /// The script line that made the call (-1 when unknown).
        line: i64,
        argv: Vec<String>,
        keys: Vec<KeySlot>,
        rejected: Option<ScriptRule>,
        reply: String,
    },
    /// A script or function finished on the node on `port`; `reply` is what
    /// the client got (as redis-cli prints it).
    ScriptRun {
        port: u16,
        /// The script's SHA1, or the function's name.
        script: String,
        function: bool,
        reply: String,
    },
    /// redis-cli `-c` followed a redirect from `from` to `to`.
    Redirected {
        from: u16,
        to: u16,
        slot: u16,
        ask: bool,
    },
}
