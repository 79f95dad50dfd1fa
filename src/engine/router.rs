//! The routing decision, a port of Redis 7.0's `getNodeByQuery`
//! (`cluster.c`), with one code path for a lone command and an EXEC batch.
//!
//! The decision is returned as data ([`RouteVerdict`]); the exact error
//! texts come from [`RedisError`] and nowhere else.

use crate::engine::command::CommandSpec;
use crate::engine::error::RedisError;
use crate::engine::keyspace::Keyspace;
use crate::engine::slot::key_slot;
use crate::engine::topology::{ClusterConfig, NodeIdx, Role, Topology, HOST};

/// A key of the request with its slot, as the UI draws it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeySlot {
    /// The key (lossy UTF-8 for display).
    pub key: String,
    pub slot: u16,
    /// Port of the master that owns the slot, if any.
    pub owner: Option<u16>,
    /// Index of the command in the routed batch (the MULTI queue at EXEC; 0 otherwise).
    pub command: usize,
}

/// Why a request was not served here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Keys in more than one slot; `other` is the index (into the request's
    /// key list) of the first key whose slot differs from the first key's.
    CrossSlot { other: usize },
    /// Migrating/importing slot and only some keys present.
    TryAgain,
    /// The cluster is down.
    Down,
    /// The cluster is down and the request writes.
    DownReadOnly,
    /// A key's slot has no owner.
    Unbound { slot: u16 },
    /// Another node owns the slot.
    Moved { slot: u16, to: NodeIdx },
    /// The slot is migrating and the keys are missing here.
    Ask { slot: u16, to: NodeIdx },
}

impl Rejection {
    /// The error reply (`clusterRedirectClient`).
    pub fn to_error(&self, topology: &Topology) -> RedisError {
        match *self {
            Rejection::CrossSlot { .. } => RedisError::CrossSlot,
            Rejection::TryAgain => RedisError::TryAgain,
            Rejection::Down => RedisError::ClusterDown,
            Rejection::DownReadOnly => RedisError::ClusterDownReadOnly,
            Rejection::Unbound { .. } => RedisError::SlotNotServed,
            Rejection::Moved { slot, to } => RedisError::Moved {
                slot,
                addr: topology.nodes[to].addr(),
            },
            Rejection::Ask { slot, to } => RedisError::Ask {
                slot,
                addr: format!("{HOST}:{}", topology.nodes[to].port),
            },
        }
    }
}

/// The outcome of routing a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteVerdict {
    /// Every key of the request, in order.
    pub keys: Vec<KeySlot>,
    /// The request's slot (the first key's), if it has keys.
    pub slot: Option<u16>,
    /// `Ok(())` when this node serves the request.
    pub result: Result<(), Rejection>,
}

/// The state of the asking client that routing depends on.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientFlags {
    pub asking: bool,
    pub readonly: bool,
}

/// Inputs that describe the cluster as seen from node `me`.
pub struct RouteContext<'a> {
    pub topology: &'a Topology,
    pub config: &'a ClusterConfig,
    pub cluster_ok: bool,
    pub me: NodeIdx,
    /// The keyspace `me` serves (its master's data for a replica).
    pub local: &'a Keyspace,
}

/// Routes a batch of commands (one command, or the MULTI queue at EXEC).
pub fn route(
    ctx: &RouteContext<'_>,
    batch: &[(&CommandSpec, &[Vec<u8>])],
    client: ClientFlags,
) -> RouteVerdict {
    let topology = ctx.topology;
    let mut keys: Vec<KeySlot> = Vec::new();
    let mut slot: Option<u16> = None;
    let mut owner: Option<NodeIdx> = None;
    let mut first_key: Option<&[u8]> = None;
    let (mut migrating, mut importing, mut multiple_keys) = (false, false, false);
    let (mut missing, mut existing) = (0usize, 0usize);
    let mut is_write = false;
    // `cmd->proc == migrateCommand`. Simplification: an EXEC whose queue is a
    // lone MIGRATE is treated the same way (Redis checks EXEC's own proc).
    let is_migrate = batch.len() == 1 && batch[0].0.name == "migrate";

    let verdict = |keys: Vec<KeySlot>, slot, result| RouteVerdict { keys, slot, result };

    for (command, (spec, argv)) in batch.iter().enumerate() {
        is_write |= spec.is_write();
        for key in spec.keys(argv) {
            let this_slot = key_slot(key);
            let this_owner = topology.owner(this_slot);
            keys.push(KeySlot {
                key: String::from_utf8_lossy(key).into_owned(),
                slot: this_slot,
                owner: this_owner.map(|n| topology.nodes[n].port),
                command,
            });
            match (first_key, slot) {
                (Some(first), Some(s)) => {
                    if first != key {
                        if s != this_slot {
                            let other = keys.len() - 1;
                            return verdict(keys, slot, Err(Rejection::CrossSlot { other }));
                        }
                        multiple_keys = true;
                    }
                }
                _ => {
                    first_key = Some(key);
                    slot = Some(this_slot);
                    let Some(n) = this_owner else {
                        return verdict(keys, slot, Err(Rejection::Unbound { slot: this_slot }));
                    };
                    owner = Some(n);
                    let me = &topology.nodes[ctx.me];
                    if n == ctx.me && me.migrating.contains_key(&this_slot) {
                        migrating = true;
                    } else if me.importing.contains_key(&this_slot) {
                        importing = true;
                    }
                }
            }
            if (migrating || importing) && !ctx.local.contains(key) {
                missing += 1;
            } else {
                existing += 1;
            }
        }
    }

    let (Some(n), Some(s)) = (owner, slot) else {
        return verdict(keys, None, Ok(()));
    };

    if !ctx.cluster_ok {
        if !ctx.config.allow_reads_when_down() {
            return verdict(keys, slot, Err(Rejection::Down));
        } else if is_write {
            return verdict(keys, slot, Err(Rejection::DownReadOnly));
        }
    }

    // MIGRATE always runs locally while the slot is open (migrating or importing).
    if (migrating || importing) && is_migrate {
        return verdict(keys, slot, Ok(()));
    }

    if migrating && missing > 0 {
        if existing > 0 {
            return verdict(keys, slot, Err(Rejection::TryAgain));
        }
        let to = topology.nodes[ctx.me]
            .migrating
            .get(&s)
            .copied()
            .unwrap_or(n);
        return verdict(keys, slot, Err(Rejection::Ask { slot: s, to }));
    }

    if client.asking && importing {
        if multiple_keys && missing > 0 {
            return verdict(keys, slot, Err(Rejection::TryAgain));
        }
        return verdict(keys, slot, Ok(()));
    }

    if client.readonly && !is_write && topology.nodes[ctx.me].role == (Role::Replica { of: n }) {
        return verdict(keys, slot, Ok(()));
    }

    if n != ctx.me {
        return verdict(keys, slot, Err(Rejection::Moved { slot: s, to: n }));
    }
    verdict(keys, slot, Ok(()))
}
