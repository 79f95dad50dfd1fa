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
                    Phase::AssignSource => {
                        // A source that gave away its last slot is now a
                        // replica (replica migration): there is nothing to tell it.
                        let source = self.topology.by_port(plan.from);
                        if source.is_some_and(|s| !self.topology.nodes[s].is_master()) {
                            plan.phase = Phase::AssignOthers(0);
                            return self.reshard_step(plan, now_ms);
                        }
                        plan.from
                    }
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::engine::cmd::migration::tests::T;
    use crate::engine::slot::key_slot;

    /// Every key of every master's shard, with the port of the shard.
    fn all_keys(c: &Cluster) -> BTreeMap<Vec<u8>, u16> {
        let mut out = BTreeMap::new();
        for m in c.topology.masters() {
            for k in c.keyspace_of(m).keys() {
                assert!(
                    out.insert(k.clone(), c.topology.nodes[m].port).is_none(),
                    "key {k:?} on two shards"
                );
            }
        }
        out
    }

    #[test]
    fn moves_a_slot_with_its_keys_step_by_step() {
        let mut t = T::new();
        t.ok(7000, "mset {w}a 1 {w}b 2 {w}c 3");
        let mut plan = ReshardPlan::new(&t.c, 7000, 7001, SlotChoice::List(vec![3696])).unwrap();
        plan.pipeline = 2;
        let mut commands = Vec::new();
        while !plan.is_done() {
            for e in t.c.reshard_step(&mut plan, t.now) {
                if let Event::ReshardCommand { port, command, .. } = e {
                    commands.push(format!("{port}> {}", command.join(" ")));
                }
            }
        }
        let id0 = t.ids("$0");
        let id1 = t.ids("$1");
        assert_eq!(
            commands,
            vec![
                format!("7001> CLUSTER SETSLOT 3696 IMPORTING {id0}"),
                format!("7000> CLUSTER SETSLOT 3696 MIGRATING {id1}"),
                "7000> CLUSTER GETKEYSINSLOT 3696 2".to_string(),
                // GETKEYSINSLOT lists the newest key first.
                "7000> MIGRATE 127.0.0.1 7001  0 60000 KEYS {w}c {w}b".to_string(),
                "7000> CLUSTER GETKEYSINSLOT 3696 2".to_string(),
                "7000> MIGRATE 127.0.0.1 7001  0 60000 KEYS {w}a".to_string(),
                "7000> CLUSTER GETKEYSINSLOT 3696 2".to_string(),
                format!("7001> CLUSTER SETSLOT 3696 NODE {id1}"),
                format!("7000> CLUSTER SETSLOT 3696 NODE {id1}"),
                format!("7002> CLUSTER SETSLOT 3696 NODE {id1}"),
            ]
        );
        assert_eq!((plan.slots_done, plan.keys_moved), (1, 3));
        assert_eq!(t.err(7000, "get {w}a"), "MOVED 3696 127.0.0.1:7001");
        assert_eq!(t.on(7001, "get {w}c"), crate::engine::Reply::bulk("3"));
        let Reply::Bulk(nodes) = t.on(7001, "cluster nodes") else {
            panic!()
        };
        assert!(!String::from_utf8(nodes).unwrap().contains('['));
    }

    #[test]
    fn every_state_change_is_an_event() {
        let mut t = T::new();
        t.ok(7000, "set {w}a 1");
        let mut plan = ReshardPlan::new(&t.c, 7000, 7001, SlotChoice::List(vec![3696])).unwrap();
        let events = t.c.reshard_all(&mut plan, t.now, 100);
        let has = |wanted: &Event| events.contains(wanted);
        assert!(has(&Event::SlotImporting {
            port: 7001,
            slot: 3696,
            from: 7000
        }));
        assert!(has(&Event::SlotMigrating {
            port: 7000,
            slot: 3696,
            to: 7001
        }));
        assert!(has(&Event::KeyMigrated {
            from: 7000,
            to: 7001,
            key: "{w}a".into(),
            slot: 3696,
            copy: false
        }));
        assert!(has(&Event::SlotsAssigned {
            ranges: vec![(3696, 3696)],
            to: Some(7001)
        }));
        assert!(has(&Event::SlotStable {
            port: 7001,
            slot: 3696
        }));
        assert!(has(&Event::SlotStable {
            port: 7000,
            slot: 3696
        }));
        assert!(has(&Event::ReshardDone {
            from: 7000,
            to: 7001,
            slots: 1,
            keys: 1
        }));
        let commands = events
            .iter()
            .filter(|e| matches!(e, Event::ReshardCommand { .. }))
            .count();
        assert_eq!(commands, 8);
        assert!(events
            .iter()
            .all(|e| !matches!(e, Event::ClusterState { .. })));
        // Deleting a slot everywhere makes every node report the cluster down.
        let conn = t.c.connect(7002).unwrap();
        let argv: Vec<Vec<u8>> = ["cluster", "delslots", "1"]
            .iter()
            .map(|w| w.as_bytes().to_vec())
            .collect();
        let events = t.c.execute(conn, &argv, t.now).events;
        for port in 7000..=7005 {
            assert!(events.contains(&Event::ClusterState { port, ok: false }));
        }
    }

    #[test]
    fn plan_errors() {
        let c = Cluster::default();
        let err = |from, to, choice| ReshardPlan::new(&c, from, to, choice).unwrap_err();
        assert_eq!(
            err(7000, 7003, SlotChoice::Count(1)),
            ReshardError::NotMaster(7003)
        );
        assert_eq!(
            err(7009, 7001, SlotChoice::Count(1)),
            ReshardError::UnknownNode(7009)
        );
        assert_eq!(
            err(7000, 7000, SlotChoice::Count(1)),
            ReshardError::SameNode
        );
        assert_eq!(
            err(7000, 7001, SlotChoice::Range(5460, 5461)),
            ReshardError::NotServedBy {
                slot: 5461,
                port: 7000
            }
        );
        assert_eq!(
            err(7000, 7001, SlotChoice::Count(6000)),
            ReshardError::NotEnoughSlots {
                port: 7000,
                has: 5461,
                wanted: 6000
            }
        );
        let plan = ReshardPlan::new(&c, 7001, 7002, SlotChoice::Count(3)).unwrap();
        assert_eq!(plan.slots, vec![5461, 5462, 5463]);
    }

    #[test]
    fn busy_keys_stop_the_plan_unless_equal_or_replace() {
        let mut t = T::new();
        t.ok(7000, "set {w}a 1");
        // A stranded copy of {w}a with another value on the target.
        t.ok(7001, "cluster setslot 3696 importing $0");
        t.ok(7001, "asking");
        t.ok(7001, "set {w}a other");
        t.ok(7001, "cluster setslot 3696 stable");
        let mut plan = ReshardPlan::new(&t.c, 7000, 7001, SlotChoice::List(vec![3696])).unwrap();
        let events = t.c.reshard_all(&mut plan, t.now, 100);
        assert_eq!(
            plan.error.as_deref(),
            Some("ERR Target instance replied with error: BUSYKEY Target key name already exists.")
        );
        assert!(matches!(events.last(), Some(Event::ReshardFailed { .. })));
        let mut plan = ReshardPlan::new(&t.c, 7000, 7001, SlotChoice::List(vec![3696])).unwrap();
        plan.replace = true;
        t.c.reshard_all(&mut plan, t.now, 100);
        assert!(plan.error.is_none() && plan.is_done());
        assert_eq!(t.on(7001, "get {w}a"), crate::engine::Reply::bulk("1"));
    }

    #[test]
    fn a_stopped_node_stops_the_plan() {
        let mut t = T::new();
        let mut plan = ReshardPlan::new(&t.c, 7000, 7001, SlotChoice::Count(2)).unwrap();
        t.c.reshard_step(&mut plan, t.now);
        t.c.stop_node(7000, t.now);
        let events = t.c.reshard_step(&mut plan, t.now);
        assert_eq!(
            events,
            vec![Event::ReshardFailed {
                error: "Could not connect to Redis at 127.0.0.1:7000: Connection refused".into()
            }]
        );
        assert!(plan.is_done());
    }

    #[test]
    fn moving_every_slot_turns_the_source_into_a_replica() {
        let mut t = T::new();
        let mut plan = ReshardPlan::new(&t.c, 7002, 7000, SlotChoice::Range(10923, 16383)).unwrap();
        t.c.reshard_all(&mut plan, t.now, 1_000_000);
        assert!(plan.is_done() && plan.error.is_none());
        let t2 = &t.c.topology;
        let (n2, n5, n0) = (
            t2.by_port(7002).unwrap(),
            t2.by_port(7005).unwrap(),
            t2.by_port(7000).unwrap(),
        );
        assert_eq!(t2.master_of(n2), n0);
        assert_eq!(t2.master_of(n5), n0);
        assert_eq!(t.err(7001, "get foo"), "MOVED 12182 127.0.0.1:7000");
    }

    /// A small deterministic generator for the property test.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Property: whatever is moved, every key ends on exactly one shard, the
    /// one of its slot's owner, with its value; nothing is lost or duplicated.
    #[test]
    fn reshard_never_loses_or_duplicates_keys() {
        for seed in 0..12u64 {
            let mut rng = Rng(seed);
            let mut t = T::new();
            // Keys spread over a few hash tags, so slots hold several keys.
            let mut expected = BTreeMap::new();
            for i in 0..150 {
                let tag = rng.below(12);
                let key = format!("{{t{tag}}}k{i}");
                let _ = expected.insert(key.into_bytes(), format!("v{i}"));
            }
            for (key, value) in &expected {
                let slot = key_slot(key);
                let owner = t.c.topology.owner(slot).unwrap();
                let port = t.c.topology.nodes[owner].port;
                t.ok(
                    port,
                    &format!("set {} {value}", String::from_utf8_lossy(key)),
                );
            }
            for round in 0..3 {
                let masters: Vec<u16> =
                    t.c.topology
                        .masters()
                        .filter(|&m| !t.c.topology.ranges_of(m).is_empty())
                        .map(|m| t.c.topology.nodes[m].port)
                        .collect();
                let from = masters[rng.below(masters.len() as u64) as usize];
                let to = *masters.iter().find(|&&p| p != from).unwrap();
                let source = t.c.topology.by_port(from).unwrap();
                // Prefer slots that hold keys, plus a few empty ones.
                let mut slots: Vec<u16> = expected
                    .keys()
                    .map(|k| key_slot(k))
                    .filter(|&s| t.c.topology.owner(s) == Some(source))
                    .collect();
                slots.sort_unstable();
                slots.dedup();
                slots.truncate(1 + rng.below(4) as usize);
                let owned = t.c.topology.ranges_of(source);
                slots.push(owned[0].0);
                slots.sort_unstable();
                slots.dedup();
                let mut plan =
                    ReshardPlan::new(&t.c, from, to, SlotChoice::List(slots.clone())).unwrap();
                plan.pipeline = 1 + rng.below(5) as usize;
                // After every step, every key is on exactly one shard.
                while !plan.is_done() {
                    t.c.reshard_step(&mut plan, t.now);
                    let located = all_keys(&t.c);
                    assert_eq!(located.len(), expected.len(), "seed {seed} round {round}");
                }
                assert!(plan.error.is_none(), "{:?}", plan.error);
                let located = all_keys(&t.c);
                assert_eq!(
                    located.keys().collect::<Vec<_>>(),
                    expected.keys().collect::<Vec<_>>()
                );
                for (key, port) in &located {
                    let owner = t.c.topology.owner(key_slot(key)).unwrap();
                    assert_eq!(*port, t.c.topology.nodes[owner].port, "{key:?}");
                    let value = match t.c.keyspace_of(owner).value(key) {
                        Some(crate::engine::value::Value::Str { bytes, .. }) => bytes.clone(),
                        other => panic!("{other:?}"),
                    };
                    assert_eq!(value, expected[key].as_bytes());
                }
            }
        }
    }
}
