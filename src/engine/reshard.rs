//! A resharding helper like `redis-cli --cluster reshard`, one command at a
//! time so a UI can animate every step.
//!
//! For each slot it sends, as redis-cli 7.0 does (`clusterManagerMoveSlot`):
//! 1. `CLUSTER SETSLOT <slot> IMPORTING <source-id>` to the target;
//! 2. `CLUSTER SETSLOT <slot> MIGRATING <target-id>` to the source;
//! 3. `CLUSTER GETKEYSINSLOT <slot> <pipeline>` to the source, then
//!    `MIGRATE 127.0.0.1 <target> "" 0 <timeout> KEYS ...` with those keys,
//!    until the slot is empty on the source;
//! 4. `CLUSTER SETSLOT <slot> NODE <target-id>` to the target, the source,
//!    then every other master (the order the Redis documentation
//!    recommends, so the target never refuses its own slot).
//!
//! Each call of [`Cluster::reshard_step`] sends exactly one command through
//! an ordinary connection (so the usual events are produced) and reports it
//! as an [`Event::ReshardCommand`]. When a key already exists on the target
//! (`BUSYKEY`), redis-cli compares the values: equal values, or the
//! `replace` option (`--cluster-replace`), retry the batch with `REPLACE`;
//! otherwise the plan stops, as redis-cli does. Any other error reply, or a
//! stopped node, stops the plan with [`Event::ReshardFailed`].

use std::fmt;

use crate::engine::cluster::Cluster;
use crate::engine::event::Event;
use crate::engine::reply::Reply;
use crate::engine::topology::{NodeIdx, HOST};

/// Which slots a plan moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotChoice {
    /// The source's first `n` slots, in ascending order (`--cluster-slots n`).
    Count(usize),
    /// Every slot from `start` to `end`, inclusive.
    Range(u16, u16),
    /// These slots, in this order.
    List(Vec<u16>),
}

/// Why a plan could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReshardError {
    /// No node on that port.
    UnknownNode(u16),
    /// The node on that port is a replica.
    NotMaster(u16),
    /// Source and target are the same node.
    SameNode,
    /// The source does not serve this slot.
    NotServedBy { slot: u16, port: u16 },
    /// The source serves fewer slots than asked.
    NotEnoughSlots {
        port: u16,
        has: usize,
        wanted: usize,
    },
    /// Nothing to move.
    NoSlots,
}

impl fmt::Display for ReshardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReshardError::UnknownNode(port) => write!(f, "no node listens on port {port}"),
            ReshardError::NotMaster(port) => write!(f, "{HOST}:{port} is not a master"),
            ReshardError::SameNode => f.write_str("source and target are the same node"),
            ReshardError::NotServedBy { slot, port } => {
                write!(f, "slot {slot} is not served by {HOST}:{port}")
            }
            ReshardError::NotEnoughSlots { port, has, wanted } => write!(
                f,
                "{HOST}:{port} serves {has} slot(s), {wanted} were asked for"
            ),
            ReshardError::NoSlots => f.write_str("no slot to move"),
        }
    }
}

impl std::error::Error for ReshardError {}

/// Where a plan is in the move of its current slot.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Importing,
    Migrating,
    GetKeys,
    Migrate {
        keys: Vec<Vec<u8>>,
        replace: bool,
    },
    AssignTarget,
    AssignSource,
    /// Index into the other masters (by port) still to tell.
    AssignOthers(usize),
    Done,
    Failed,
}

/// A reshard in progress: which slots move from which master to which, and
/// the next command to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReshardPlan {
    /// Port of the source master.
    pub from: u16,
    /// Port of the target master.
    pub to: u16,
    /// The slots to move, in order.
    pub slots: Vec<u16>,
    /// Keys per GETKEYSINSLOT / MIGRATE (`--cluster-pipeline`, default 10).
    pub pipeline: usize,
    /// MIGRATE's timeout argument (`--cluster-timeout`, default 60000).
    pub timeout_ms: u64,
    /// Always replace keys that already exist on the target (`--cluster-replace`).
    pub replace: bool,
    /// Index in `slots` of the slot being moved.
    pub current: usize,
    /// Slots moved so far.
    pub slots_done: usize,
    /// Keys moved so far.
    pub keys_moved: usize,
    /// Why the plan stopped, if it failed.
    pub error: Option<String>,
    phase: Phase,
}

impl ReshardPlan {
    /// A plan to move `choice` from the master on `from` to the master on `to`.
    pub fn new(
        cluster: &Cluster,
        from: u16,
        to: u16,
        choice: SlotChoice,
    ) -> Result<ReshardPlan, ReshardError> {
        let t = &cluster.topology;
        let master = |port: u16| -> Result<NodeIdx, ReshardError> {
            let node = t.by_port(port).ok_or(ReshardError::UnknownNode(port))?;
            if !t.nodes[node].is_master() {
                return Err(ReshardError::NotMaster(port));
            }
            Ok(node)
        };
        let source = master(from)?;
        master(to)?;
        if from == to {
            return Err(ReshardError::SameNode);
        }
        let owned: Vec<u16> = t
            .ranges_of(source)
            .into_iter()
            .flat_map(|(a, b)| a..=b)
            .collect();
        let slots: Vec<u16> = match choice {
            SlotChoice::Count(n) => {
                if owned.len() < n {
                    return Err(ReshardError::NotEnoughSlots {
                        port: from,
                        has: owned.len(),
                        wanted: n,
                    });
                }
                owned[..n].to_vec()
            }
            SlotChoice::Range(a, b) => (a..=b).collect(),
            SlotChoice::List(list) => list,
        };
        if slots.is_empty() {
            return Err(ReshardError::NoSlots);
        }
        if let Some(&slot) = slots.iter().find(|&&s| t.owner(s) != Some(source)) {
            return Err(ReshardError::NotServedBy { slot, port: from });
        }
        Ok(ReshardPlan {
            from,
            to,
            slots,
            pipeline: 10,
            timeout_ms: 60_000,
            replace: false,
            current: 0,
            slots_done: 0,
            keys_moved: 0,
            error: None,
            phase: Phase::Importing,
        })
    }

    /// True once every slot moved or the plan failed.
    pub fn is_done(&self) -> bool {
        matches!(self.phase, Phase::Done | Phase::Failed)
    }

    /// The slot being moved.
    pub fn current_slot(&self) -> Option<u16> {
        if self.is_done() {
            None
        } else {
            self.slots.get(self.current).copied()
        }
    }
}

fn words(argv: &[Vec<u8>]) -> Vec<String> {
    argv.iter()
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

impl Cluster {
    /// Sends the plan's next command at `now_ms` and returns what happened
    /// (an [`Event::ReshardCommand`] first, then the command's own events).
    /// Does nothing once the plan is done.
    pub fn reshard_step(&mut self, plan: &mut ReshardPlan, now_ms: u64) -> Vec<Event> {
        let mut events = Vec::new();
        let Some(slot) = plan.current_slot() else {
            return events;
        };
        let id = |c: &Cluster, port: u16| {
            c.topology
                .by_port(port)
                .map(|n| c.topology.nodes[n].id.clone())
                .unwrap_or_default()
        };
        let slot_s = slot.to_string();
        let (port, argv): (u16, Vec<String>) = match &plan.phase {
            Phase::Importing => (
                plan.to,
                vec![
                    "CLUSTER".into(),
                    "SETSLOT".into(),
                    slot_s,
                    "IMPORTING".into(),
                    id(self, plan.from),
                ],
            ),
            Phase::Migrating => (
                plan.from,
                vec![
                    "CLUSTER".into(),
                    "SETSLOT".into(),
                    slot_s,
                    "MIGRATING".into(),
                    id(self, plan.to),
                ],
            ),
            Phase::GetKeys => (
                plan.from,
                vec![
                    "CLUSTER".into(),
                    "GETKEYSINSLOT".into(),
                    slot_s,
                    plan.pipeline.max(1).to_string(),
                ],
            ),
            Phase::Migrate { keys, replace } => {
                let mut argv = vec![
                    "MIGRATE".to_string(),
                    HOST.into(),
                    plan.to.to_string(),
                    String::new(),
                    "0".into(),
                    plan.timeout_ms.to_string(),
                ];
                if *replace || plan.replace {
                    argv.push("REPLACE".into());
                }
                argv.push("KEYS".into());
                argv.extend(keys.iter().map(|k| String::from_utf8_lossy(k).into_owned()));
                (plan.from, argv)
            }
            Phase::AssignTarget | Phase::AssignSource | Phase::AssignOthers(_) => {
                let port = match plan.phase {
                    Phase::AssignTarget => plan.to,
                    Phase::AssignSource => plan.from,
                    Phase::AssignOthers(i) => match self.other_masters(plan).get(i) {
                        Some(&p) => p,
                        None => {
                            self.next_slot(plan, &mut events);
                            return events;
                        }
                    },
                    _ => plan.from,
                };
                (
                    port,
                    vec![
                        "CLUSTER".into(),
                        "SETSLOT".into(),
                        slot_s,
                        "NODE".into(),
                        id(self, plan.to),
                    ],
                )
            }
            Phase::Done | Phase::Failed => return events,
        };
        // Keys may be binary: MIGRATE is sent with the original bytes.
        let argv_bytes: Vec<Vec<u8>> = match &plan.phase {
            Phase::Migrate { keys, .. } => {
                let fixed = argv.len() - keys.len();
                argv[..fixed]
                    .iter()
                    .map(|w| w.as_bytes().to_vec())
                    .chain(keys.iter().cloned())
                    .collect()
            }
            _ => argv.iter().map(|w| w.as_bytes().to_vec()).collect(),
        };
        let reply = match self.connect(port) {
            Ok(conn) => {
                let outcome = self.execute(conn, &argv_bytes, now_ms);
                self.disconnect(conn);
                events.push(Event::ReshardCommand {
                    port,
                    command: words(&argv_bytes),
                    reply: outcome.reply.to_cli(&argv_bytes),
                });
                events.extend(outcome.events);
                outcome.reply
            }
            Err(e) => {
                self.fail(plan, e.to_string(), &mut events);
                return events;
            }
        };
        if let Reply::Error(text) = &reply {
            if let Phase::Migrate { keys, replace } = &plan.phase {
                if text.contains("BUSYKEY") && !*replace && self.same_values(plan, keys) {
                    plan.phase = Phase::Migrate {
                        keys: keys.clone(),
                        replace: true,
                    };
                    return events;
                }
            }
            self.fail(plan, text.clone(), &mut events);
            return events;
        }
        plan.phase = match std::mem::replace(&mut plan.phase, Phase::Done) {
            Phase::Importing => Phase::Migrating,
            Phase::Migrating => Phase::GetKeys,
            Phase::GetKeys => match reply {
                Reply::Array(items) if !items.is_empty() => Phase::Migrate {
                    keys: items
                        .into_iter()
                        .filter_map(|r| match r {
                            Reply::Bulk(k) => Some(k),
                            _ => None,
                        })
                        .collect(),
                    replace: false,
                },
                _ => Phase::AssignTarget,
            },
            Phase::Migrate { keys, .. } => {
                if reply != Reply::Status("NOKEY".into()) {
                    plan.keys_moved += keys.len();
                }
                Phase::GetKeys
            }
            Phase::AssignTarget => Phase::AssignSource,
            Phase::AssignSource => Phase::AssignOthers(0),
            Phase::AssignOthers(i) => Phase::AssignOthers(i + 1),
            other => other,
        };
        if let Phase::AssignOthers(i) = plan.phase {
            if i >= self.other_masters(plan).len() {
                self.next_slot(plan, &mut events);
            }
        }
        events
    }

    /// Runs the plan to its end (at most `max_steps` commands), returning
    /// every event.
    pub fn reshard_all(
        &mut self,
        plan: &mut ReshardPlan,
        now_ms: u64,
        max_steps: usize,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        for _ in 0..max_steps {
            if plan.is_done() {
                break;
            }
            events.extend(self.reshard_step(plan, now_ms));
        }
        events
    }

    /// The running masters other than the plan's two nodes, by port.
    fn other_masters(&self, plan: &ReshardPlan) -> Vec<u16> {
        let t = &self.topology;
        let mut ports: Vec<u16> = t
            .masters()
            .filter(|&m| t.nodes[m].health.running())
            .map(|m| t.nodes[m].port)
            .filter(|&p| p != plan.from && p != plan.to)
            .collect();
        ports.sort_unstable();
        ports
    }

    fn next_slot(&mut self, plan: &mut ReshardPlan, events: &mut Vec<Event>) {
        plan.slots_done += 1;
        plan.current += 1;
        if plan.current >= plan.slots.len() {
            plan.phase = Phase::Done;
            events.push(Event::ReshardDone {
                from: plan.from,
                to: plan.to,
                slots: plan.slots_done,
                keys: plan.keys_moved,
            });
        } else {
            plan.phase = Phase::Importing;
        }
    }

    fn fail(&mut self, plan: &mut ReshardPlan, error: String, events: &mut Vec<Event>) {
        plan.phase = Phase::Failed;
        plan.error = Some(error.clone());
        events.push(Event::ReshardFailed { error });
    }

    /// redis-cli's check after BUSYKEY: do the keys that exist on both
    /// nodes hold the same values?
    fn same_values(&self, plan: &ReshardPlan, keys: &[Vec<u8>]) -> bool {
        let (Some(from), Some(to)) = (
            self.topology.by_port(plan.from),
            self.topology.by_port(plan.to),
        ) else {
            return false;
        };
        let (source, target) = (self.keyspace_of(from), self.keyspace_of(to));
        keys.iter()
            .all(|k| match (source.value(k), target.value(k)) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            })
    }
}
