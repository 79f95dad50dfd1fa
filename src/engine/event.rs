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
    // --- resharding, slot assignment and failover (issue #5) ---
    /// `CLUSTER SETSLOT <slot> MIGRATING`: the node on `port` now migrates `slot` to `to`.
    SlotMigrating { port: u16, slot: u16, to: u16 },
    /// `CLUSTER SETSLOT <slot> IMPORTING`: the node on `port` now imports `slot` from `from`.
    SlotImporting { port: u16, slot: u16, from: u16 },
    /// The node on `port` no longer migrates or imports `slot` (SETSLOT STABLE
    /// or NODE, ADDSLOTS/DELSLOTS, or the node became a replica).
    SlotStable { port: u16, slot: u16 },
    /// Slots changed owner: every range now belongs to `to` (`None`: unassigned).
    SlotsAssigned {
        ranges: Vec<(u16, u16)>,
        to: Option<u16>,
    },
    /// MIGRATE moved (or, with COPY, copied) `key` from the shard of `from`
    /// to the shard of `to`.
    KeyMigrated {
        from: u16,
        to: u16,
        key: String,
        slot: u16,
        copy: bool,
    },
    /// The shard of `port` lost `slot` to another node while it still held
    /// keys there: Redis 7.0 deletes them (a "dirty slot").
    KeysDropped { port: u16, slot: u16, count: usize },
    /// The node process on `port` stopped; its client connections are closed.
    NodeStopped { port: u16 },
    /// The node process on `port` started again.
    NodeStarted { port: u16 },
    /// The other nodes flag `port` as `fail?` (PFAIL: no pong within cluster-node-timeout).
    NodeSuspected { port: u16 },
    /// A majority of masters agreed: `port` is flagged `fail`.
    NodeFailed { port: u16 },
    /// The `fail?`/`fail` flag of `port` was cleared: it is reachable again.
    NodeRecovered { port: u16 },
    /// The replica on `port` became a master in place of `replaced` (a
    /// failover: `manual` for CLUSTER FAILOVER, otherwise an election after a failure).
    NodePromoted {
        port: u16,
        replaced: u16,
        manual: bool,
    },
    /// The node on `port` is now a replica of `master` (demoted by a
    /// failover, rejoined after a restart, or followed its slots).
    NodeReplicates { port: u16, master: u16 },
    /// `cluster_state` as the node on `port` sees it changed (`ok` or `fail`).
    ClusterState { port: u16, ok: bool },
    /// One command of a reshard plan, sent to `port`, with its reply as
    /// redis-cli prints it.
    ReshardCommand {
        port: u16,
        command: Vec<String>,
        reply: String,
    },
    /// A reshard plan finished: `slots` slots and `keys` keys moved from `from` to `to`.
    ReshardDone {
        from: u16,
        to: u16,
        slots: usize,
        keys: usize,
    },
    /// A reshard plan stopped on an error.
    ReshardFailed { error: String },
    /// [`crate::engine::bulk`]: `count` SETs were served by the node on
    /// `port` at once (in place of a `Served` and a `KeyModified` each).
    KeysLoaded { port: u16, count: usize },
}

/// Slot ranges for a message: `0-5460 6000 7000-7002` (a lone slot as itself).
pub fn slot_ranges_text(ranges: &[(u16, u16)]) -> String {
    ranges
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Event {
    /// A one-line description of the cluster-level events (slots, failures,
    /// failovers, resharding); `None` for the per-command ones.
    pub fn cluster_change(&self) -> Option<String> {
        Some(match self {
            Event::SlotMigrating { port, slot, to } => {
                format!("{port} marks slot {slot} as migrating to {to}")
            }
            Event::SlotImporting { port, slot, from } => {
                format!("{port} marks slot {slot} as importing from {from}")
            }
            Event::SlotStable { port, slot } => {
                format!("{port} no longer migrates or imports slot {slot}")
            }
            Event::SlotsAssigned { ranges: r, to } => match to {
                Some(to) => format!("slots {} now belong to {to}", slot_ranges_text(r)),
                None => format!("slots {} are now unassigned", slot_ranges_text(r)),
            },
            Event::KeyMigrated {
                from,
                to,
                key,
                slot,
                copy,
            } => format!(
                "key {key} (slot {slot}) {} from {from} to {to}",
                if *copy { "copied" } else { "moved" }
            ),
            Event::KeysDropped { port, slot, count } => format!(
                "{port} deleted its {count} key(s) of slot {slot}, which now belongs to another node"
            ),
            Event::NodeStopped { port } => format!("{port} stopped"),
            Event::NodeStarted { port } => format!("{port} started"),
            Event::NodeSuspected { port } => {
                format!("{port} is flagged fail? (no reply within cluster-node-timeout)")
            }
            Event::NodeFailed { port } => format!("{port} is flagged fail by a majority of masters"),
            Event::NodeRecovered { port } => format!("{port} is reachable again"),
            Event::NodePromoted {
                port,
                replaced,
                manual,
            } => format!(
                "{port} was promoted to master in place of {replaced} ({})",
                if *manual { "manual failover" } else { "failover election" }
            ),
            Event::NodeReplicates { port, master } => {
                format!("{port} is now a replica of {master}")
            }
            Event::ClusterState { port, ok } => format!(
                "{port} sees cluster_state:{}",
                if *ok { "ok" } else { "fail" }
            ),
            Event::ReshardCommand {
                port,
                command,
                reply,
            } => format!("reshard: {port}> {} -> {}", command.join(" "), reply.trim_end()),
            Event::ReshardDone {
                from,
                to,
                slots,
                keys,
            } => format!("reshard done: {slots} slot(s), {keys} key(s) moved from {from} to {to}"),
            Event::ReshardFailed { error } => format!("reshard stopped: {error}"),
            _ => return None,
        })
    }
}
