//! Node failures, failovers and the cluster state, on a simulated clock.
//!
//! A node can be stopped and started again ([`Cluster::stop_node`],
//! [`Cluster::start_node`]); time only moves when the caller passes a later
//! `now_ms` (to those, to [`Cluster::tick`] or to any command). The engine
//! never reads a clock.
//!
//! # The timeline of a failure (what a real 7.0.15 cluster does, made deterministic)
//! With `T` = `cluster-node-timeout` (5000 ms by default; the smallest value
//! configured on a running master is used), a node stopped at `t`:
//! - is unreachable at once: connecting to it is refused, open connections
//!   are closed, MIGRATE to it fails, a replica's `CLUSTER FAILOVER` without
//!   `FORCE` is refused;
//! - is flagged `fail?` (PFAIL) at `t + T`. A real node sends its pings at
//!   random moments, so the real delay is `T` plus up to about 2.5 s (seen:
//!   5.8 s and 7.4 s with `T` = 5000);
//! - is flagged `fail` at `t + T + 500 ms` ([`FAIL_REPORT_DELAY_MS`], the
//!   gossip of the failure reports; seen: 0.5 s and 0.9 s) if a majority of
//!   the masters that serve slots is still running to report it. A master
//!   flagged `fail` makes the cluster `fail` when
//!   `cluster-require-full-coverage` is `yes`;
//! - if it was a master with slots, its replica wins the election
//!   [`ELECTION_DELAY_MS`] after the `fail` flag (Redis waits 500 ms plus a
//!   random 0-500 ms, plus 1000 ms per rank; seen: 0.9 s). The replica with
//!   the lowest port goes first, then one more second per rank. Replicas
//!   with `cluster-replica-no-failover yes` do not stand. The election needs
//!   the votes of a majority of the masters that serve slots. The winner
//!   takes the slots, the other replicas follow it, and the cluster is `ok`
//!   again. Without a replica the cluster stays `fail`.
//!
//! Started again at `t2`, a node has lost its data: the real test cluster
//! runs without persistence (`--save ''`, `--appendonly no`). Then:
//! - a master whose slots were taken over rejoins as a replica of the node
//!   that took them, and gets a copy of its data;
//! - a master that still owns its slots comes back empty. It reports
//!   `cluster_state:fail` itself for 2000 ms ([`WRITABLE_DELAY_MS`]), and the
//!   others keep its `fail` flag until `T * 2` after they set it
//!   (`CLUSTER_FAIL_UNDO_TIME_MULT`);
//! - a replica gets a new copy of its master's data, and its flags clear at once.
//!
//! # The cluster state
//! [`cluster_state_ok`] ports `clusterUpdateState`. The state is `fail` when
//! `cluster-require-full-coverage` is `yes` and a slot is unassigned or
//! served by a master flagged `fail`, or when fewer than a majority of the
//! masters with slots are reachable (not `fail?`/`fail`). Each node computes
//! it with its own settings. A [`Event::ClusterState`] is sent whenever a
//! running node's answer changes.
//!
//! # Simplified
//! Every node sees the same flags at the same moment, and a manual failover
//! (`CLUSTER FAILOVER`) happens at once instead of in the following
//! milliseconds.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::cluster::{Cluster, ConnId};
use crate::engine::event::Event;
use crate::engine::slot::SLOT_COUNT;
use crate::engine::topology::{ClusterConfig, NodeIdx, Role, Topology};

/// Delay between the `fail?` flag and the `fail` flag (gossip of failure reports).
pub const FAIL_REPORT_DELAY_MS: u64 = 500;
/// Delay between the `fail` flag and the promotion of the best replica.
pub const ELECTION_DELAY_MS: u64 = 1000;
/// Extra election delay per rank (the second-best replica waits this much longer).
pub const ELECTION_RANK_DELAY_MS: u64 = 1000;
/// A restarted master reports `cluster_state:fail` this long (`CLUSTER_WRITABLE_DELAY`).
pub const WRITABLE_DELAY_MS: u64 = 2000;
/// The `fail` flag of a master that kept its slots clears this many node
/// timeouts after it was set (`CLUSTER_FAIL_UNDO_TIME_MULT`).
pub const FAIL_UNDO_TIME_MULT: u64 = 2;

/// A node's liveness and the failure flags the other nodes give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Health {
    /// When the process was stopped; `None` while it runs.
    pub stopped_at: Option<u64>,
    /// Flagged `fail?` (PFAIL) since then.
    pub pfail_since: Option<u64>,
    /// Flagged `fail` since then.
    pub fail_since: Option<u64>,
    /// A restarted master reports `cluster_state:fail` until then.
    pub writable_at: Option<u64>,
    /// A stopped master whose slots a replica took over: it rejoins as that
    /// node's replica when it starts again.
    pub replaced_by: Option<NodeIdx>,
    /// This node's `cluster_state` is `fail` (see [`cluster_state_ok`] for
    /// when it is recomputed).
    pub state_fail: bool,
}

impl Health {
    /// The process is running.
    pub fn running(&self) -> bool {
        self.stopped_at.is_none()
    }

    /// Flagged `fail?`.
    pub fn pfail(&self) -> bool {
        self.pfail_since.is_some()
    }

    /// Flagged `fail`.
    pub fn failed(&self) -> bool {
        self.fail_since.is_some()
    }

    /// The flag CLUSTER NODES adds after the role: `fail` or `fail?`.
    pub fn flag(&self) -> Option<&'static str> {
        if self.failed() {
            Some("fail")
        } else if self.pfail() {
            Some("fail?")
        } else {
            None
        }
    }
}

/// MIGRATE's cached connection from one node to `host:port` (Redis keeps
/// it for 10 s and remembers the db it last SELECTed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MigrateSocket {
    /// The db of the last successful MIGRATE (`-1`: none or after an error).
    pub last_dbid: i64,
    /// When it was last used.
    pub last_use_ms: u64,
}

/// Idle MIGRATE connections are closed after this long (`MIGRATE_SOCKET_CACHE_TTL`).
pub const MIGRATE_SOCKET_TTL_MS: u64 = 10_000;

/// Cluster-wide state that belongs to no single node.
#[derive(Debug, Clone, Default)]
pub struct Runtime {
    /// Connections closed by their node (it was stopped).
    pub closed: BTreeSet<ConnId>,
    /// MIGRATE's socket cache: (source node, `host:port` as typed) → socket.
    pub migrate_sockets: BTreeMap<(NodeIdx, Vec<u8>), MigrateSocket>,
    /// The latest time processed (time never goes back).
    pub clock: u64,
    /// What the cluster states were last computed from (see [`Cluster::refresh_states`]).
    pub layout: Vec<LayoutMark>,
}

/// Per node, what a change of makes every node recompute its cluster state:
/// slot count, role, and failure flags.
pub type LayoutMark = (usize, Option<NodeIdx>, [bool; 4]);

/// `cluster_state:ok` as `node` (with `config`) computes it (`clusterUpdateState`).
///
/// Like Redis, a node recomputes its state only when the slot table, a role
/// or a failure flag changes, and (every 100 ms in Redis, at every command
/// here) while its state is `fail`. So `CONFIG SET
/// cluster-require-full-coverage no` repairs a failed state at once (Redis:
/// within 100 ms), but setting it back to `yes` leaves an `ok` state alone
/// until the next change, as on a real 7.0.15 node.
pub fn cluster_state_ok(topology: &Topology, config: &ClusterConfig, node: NodeIdx) -> bool {
    let me = &topology.nodes[node];
    if me.is_master() && me.health.writable_at.is_some() {
        return false;
    }
    // Every slot is assigned, and none to a master flagged `fail`.
    let covered = topology.assigned_slots() == usize::from(SLOT_COUNT)
        && topology
            .nodes
            .iter()
            .enumerate()
            .all(|(i, n)| !n.health.failed() || topology.slot_count(i) == 0);
    if config.require_full_coverage() && !covered {
        return false;
    }
    let has_slots = slot_holders(topology);
    let (size, reachable) = masters_with_slots(topology, &has_slots);
    reachable > size / 2
}

/// (masters serving slots, those of them not flagged `fail?`/`fail`).
fn masters_with_slots(topology: &Topology, has_slots: &[bool]) -> (usize, usize) {
    let mut size = 0;
    let mut reachable = 0;
    for (i, n) in topology.nodes.iter().enumerate() {
        if n.is_master() && has_slots[i] {
            size += 1;
            if !n.health.pfail() && !n.health.failed() {
                reachable += 1;
            }
        }
    }
    (size, reachable)
}

/// Which nodes serve at least one slot.
fn slot_holders(topology: &Topology) -> Vec<bool> {
    (0..topology.nodes.len())
        .map(|i| topology.slot_count(i) > 0)
        .collect()
}

/// A scheduled change of the failure state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transition {
    Suspect(NodeIdx),
    Fail(NodeIdx),
    Elect { replica: NodeIdx },
    ClearFail(NodeIdx),
    Writable(NodeIdx),
}

/// How `CLUSTER FAILOVER` was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailoverMode {
    /// Plain: the master must be reachable.
    Default,
    /// `FORCE`: without the master's agreement, still needs the votes.
    Force,
    /// `TAKEOVER`: without the master and without votes.
    Takeover,
}

impl Cluster {
    /// The node timeout used for failure detection: the smallest
    /// `cluster-node-timeout` among running masters (5000 by default).
    pub fn failure_timeout(&self) -> u64 {
        let t = &self.topology;
        t.masters()
            .filter(|&m| t.nodes[m].health.running())
            .map(|m| self.configs[m].node_timeout())
            .min()
            .unwrap_or(5000)
    }

    /// Stops the node on `port` at `now_ms`: its client connections are
    /// closed, new ones are refused, and after the node timeout the others
    /// flag it `fail?`, then `fail`, then fail over to its replica (see the
    /// module documentation). Unknown or already stopped ports change nothing.
    pub fn stop_node(&mut self, port: u16, now_ms: u64) -> Vec<Event> {
        let mut events = self.tick(now_ms);
        let now = self.runtime.clock;
        let Some(node) = self.topology.by_port(port) else {
            return events;
        };
        if !self.topology.nodes[node].health.running() {
            return events;
        }
        self.topology.nodes[node].health.stopped_at = Some(now);
        let dropped: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, c)| c.node == node)
            .map(|(id, _)| *id)
            .collect();
        for id in dropped {
            self.conns.remove(&id);
            self.runtime.closed.insert(id);
        }
        events.push(Event::NodeStopped { port });
        self.refresh_states(&mut events);
        events
    }

    /// Starts the node on `port` again at `now_ms` (see the module
    /// documentation for what it comes back as). Unknown or running ports
    /// change nothing.
    pub fn start_node(&mut self, port: u16, now_ms: u64) -> Vec<Event> {
        let mut events = self.tick(now_ms);
        let now = self.runtime.clock;
        let Some(node) = self.topology.by_port(port) else {
            return events;
        };
        let health = self.topology.nodes[node].health;
        if health.running() {
            return events;
        }
        self.topology.nodes[node].health.stopped_at = None;
        self.topology.nodes[node].health.pfail_since = None;
        // A node starts with cluster_state:fail and computes it again, and
        // with an empty script cache and no function libraries.
        self.topology.nodes[node].health.state_fail = true;
        if let Some(scripts) = self.scripting.nodes.get_mut(node) {
            *scripts = Default::default();
        }
        events.push(Event::NodeStarted { port });

        let has_slots = self.topology.slot_count(node) > 0;
        match self.topology.nodes[node].role {
            Role::Master if !has_slots => {
                // Its slots were taken over while it was down (or it had none):
                // it rejoins as a replica of the node that serves them now.
                self.topology.nodes[node].health.replaced_by = None;
                if let Some(winner) = health.replaced_by {
                    let master = self.topology.master_of(winner);
                    self.shards[node].clear();
                    self.become_replica(node, master, &mut events);
                }
                self.clear_fail(node, &mut events);
            }
            Role::Master => {
                // Back with its slots but without its data (no persistence).
                self.drop_shard_data(node, &mut events);
                self.topology.nodes[node].health.writable_at = Some(now + WRITABLE_DELAY_MS);
                let undo = self.failure_timeout() * FAIL_UNDO_TIME_MULT;
                if health.fail_since.is_some_and(|at| at + undo <= now) {
                    self.clear_fail(node, &mut events);
                } else if health.pfail() {
                    events.push(Event::NodeRecovered { port });
                }
            }
            Role::Replica { .. } => self.clear_fail(node, &mut events),
        }
        self.refresh_states(&mut events);
        events
    }

    /// Processes every scheduled failure transition up to `now_ms`, in
    /// order, and returns what happened. Commands call it first, so calling
    /// it is only needed to let time pass without commands.
    pub fn tick(&mut self, now_ms: u64) -> Vec<Event> {
        let mut events = Vec::new();
        let now = now_ms.max(self.runtime.clock);
        while let Some((at, transition)) = self.next_transition() {
            if at > now {
                break;
            }
            self.runtime.clock = self.runtime.clock.max(at);
            self.apply(transition, self.runtime.clock, &mut events);
            self.refresh_states(&mut events);
        }
        self.runtime.clock = now;
        events
    }

    /// When the next scheduled failure transition happens (`None`: nothing
    /// is pending), so a UI can advance its clock to it.
    pub fn next_transition_at(&self) -> Option<u64> {
        self.next_transition().map(|(at, _)| at)
    }

    fn next_transition(&self) -> Option<(u64, Transition)> {
        let t = &self.topology;
        let quiet =
            |h: &Health| h.running() && !h.pfail() && !h.failed() && h.writable_at.is_none();
        if t.nodes.iter().all(|n| quiet(&n.health)) {
            return None;
        }
        let timeout = self.failure_timeout();
        let clock = self.runtime.clock;
        let has_slots = slot_holders(t);
        let size = t
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, n)| n.is_master() && has_slots[*i])
            .count();
        let quorum = size / 2 + 1;
        let mut best: Option<(u64, Transition)> = None;
        let mut offer = |at: u64, tr: Transition| {
            let at = at.max(clock);
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, tr));
            }
        };
        for (x, node) in t.nodes.iter().enumerate() {
            let h = &node.health;
            if let Some(stopped) = h.stopped_at {
                if h.pfail_since.is_none() && h.fail_since.is_none() {
                    offer(stopped + timeout, Transition::Suspect(x));
                }
                if let Some(since) = h.pfail_since {
                    let reporters = t
                        .masters()
                        .filter(|&m| m != x && t.nodes[m].health.running())
                        .count();
                    if reporters >= quorum {
                        offer(since + FAIL_REPORT_DELAY_MS, Transition::Fail(x));
                    }
                }
            } else if let Some(since) = h.fail_since {
                let undo = if node.is_master() && has_slots[x] {
                    since + timeout * FAIL_UNDO_TIME_MULT
                } else {
                    clock
                };
                offer(undo, Transition::ClearFail(x));
            }
            if let Some(at) = h.writable_at {
                offer(at, Transition::Writable(x));
            }
            // An election among the replicas of a failed master with slots.
            if let Some(failed_at) = h.fail_since {
                if node.is_master() && has_slots[x] {
                    let votes = t
                        .masters()
                        .filter(|&m| m != x && has_slots[m] && t.nodes[m].health.running())
                        .count();
                    let candidate = t
                        .replicas_of(x)
                        .filter(|&r| {
                            t.nodes[r].health.running() && !self.configs[r].replica_no_failover()
                        })
                        .enumerate()
                        .next();
                    if let (true, Some((rank, replica))) = (votes >= quorum, candidate) {
                        let delay = ELECTION_DELAY_MS + rank as u64 * ELECTION_RANK_DELAY_MS;
                        offer(failed_at + delay, Transition::Elect { replica });
                    }
                }
            }
        }
        best
    }

    fn apply(&mut self, transition: Transition, now: u64, events: &mut Vec<Event>) {
        match transition {
            Transition::Suspect(x) => {
                self.topology.nodes[x].health.pfail_since = Some(now);
                events.push(Event::NodeSuspected {
                    port: self.topology.nodes[x].port,
                });
            }
            Transition::Fail(x) => {
                let h = &mut self.topology.nodes[x].health;
                h.pfail_since = None;
                h.fail_since = Some(now);
                events.push(Event::NodeFailed {
                    port: self.topology.nodes[x].port,
                });
            }
            Transition::Elect { replica } => self.promote(replica, false, events),
            Transition::ClearFail(x) => self.clear_fail(x, events),
            Transition::Writable(x) => self.topology.nodes[x].health.writable_at = None,
        }
    }

    fn clear_fail(&mut self, node: NodeIdx, events: &mut Vec<Event>) {
        let h = &mut self.topology.nodes[node].health;
        if h.fail_since.is_some() || h.pfail_since.is_some() {
            h.fail_since = None;
            h.pfail_since = None;
            events.push(Event::NodeRecovered {
                port: self.topology.nodes[node].port,
            });
        }
    }

    /// Recomputes the `cluster_state` of the running nodes that would (all
    /// of them after a layout change, the failed ones otherwise) and reports
    /// changes.
    pub(crate) fn refresh_states(&mut self, events: &mut Vec<Event>) {
        let t = &self.topology;
        let layout: Vec<LayoutMark> = t
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let of = match n.role {
                    Role::Master => None,
                    Role::Replica { of } => Some(of),
                };
                let h = &n.health;
                let flags = [h.running(), h.pfail(), h.failed(), h.writable_at.is_some()];
                (t.slot_count(i), of, flags)
            })
            .collect();
        let changed = layout != self.runtime.layout;
        self.runtime.layout = layout;
        for node in 0..self.topology.nodes.len() {
            let h = self.topology.nodes[node].health;
            if !h.running() || !(changed || h.state_fail) {
                continue;
            }
            let ok = cluster_state_ok(&self.topology, &self.configs[node], node);
            let h = &mut self.topology.nodes[node].health;
            if h.state_fail == ok {
                h.state_fail = !ok;
                events.push(Event::ClusterState {
                    port: self.topology.nodes[node].port,
                    ok,
                });
            }
        }
    }

    /// `CLUSTER FAILOVER [FORCE|TAKEOVER]` sent to the replica `replica`,
    /// after the argument and role checks: true when the failover happened.
    /// Without TAKEOVER it needs the votes of a majority of the masters that
    /// serve slots (a real replica would retry, then time out silently).
    pub(crate) fn manual_failover(
        &mut self,
        replica: NodeIdx,
        mode: FailoverMode,
        events: &mut Vec<Event>,
    ) -> bool {
        let t = &self.topology;
        let Role::Replica { of: master } = t.nodes[replica].role else {
            return false;
        };
        if mode != FailoverMode::Takeover {
            let has_slots = slot_holders(t);
            let (size, _) = masters_with_slots(t, &has_slots);
            let votes = t
                .masters()
                .filter(|&m| {
                    has_slots[m]
                        && t.nodes[m].health.running()
                        && (m != master || mode == FailoverMode::Default)
                })
                .count();
            if votes < size / 2 + 1 {
                return false;
            }
        }
        self.promote(replica, true, events);
        true
    }

    /// The replica `winner` takes over its master's slots and data; the
    /// master (if running) and the other replicas replicate `winner`.
    pub(crate) fn promote(&mut self, winner: NodeIdx, manual: bool, events: &mut Vec<Event>) {
        let Role::Replica { of: old } = self.topology.nodes[winner].role else {
            return;
        };
        let ranges = self.topology.ranges_of(old);
        for &(a, b) in &ranges {
            for slot in a..=b {
                self.topology.set_owner(slot, Some(winner));
            }
        }
        self.topology.nodes[winner].role = Role::Master;
        let data = std::mem::take(&mut self.shards[old]);
        self.shards[winner] = data;
        // Function libraries are data: the replica has them too.
        if let Some(libs) = self
            .scripting
            .nodes
            .get_mut(old)
            .map(|s| std::mem::take(&mut s.libraries))
        {
            if let Some(scripts) = self.scripting.nodes.get_mut(winner) {
                scripts.libraries = libs;
            }
        }
        self.dirty_watchers(old);
        let port = |c: &Cluster, n: NodeIdx| c.topology.nodes[n].port;
        events.push(Event::NodePromoted {
            port: port(self, winner),
            replaced: port(self, old),
            manual,
        });
        if !ranges.is_empty() {
            events.push(Event::SlotsAssigned {
                ranges,
                to: Some(port(self, winner)),
            });
        }
        let others: Vec<NodeIdx> = self
            .topology
            .replicas_of(old)
            .filter(|&r| r != winner)
            .collect();
        for r in others {
            self.become_replica(r, winner, events);
        }
        if self.topology.nodes[old].health.running() {
            self.become_replica(old, winner, events);
        } else {
            self.topology.nodes[old].health.replaced_by = Some(winner);
        }
    }

    /// `node` turns into a replica of `master`: its migration marks go, its
    /// own data is replaced by a copy of the master's, and its replicas follow.
    pub(crate) fn become_replica(
        &mut self,
        node: NodeIdx,
        master: NodeIdx,
        events: &mut Vec<Event>,
    ) {
        let port = self.topology.nodes[node].port;
        let n = &mut self.topology.nodes[node];
        let marks: BTreeSet<u16> = n
            .migrating
            .keys()
            .chain(n.importing.keys())
            .copied()
            .collect();
        n.migrating.clear();
        n.importing.clear();
        for slot in marks {
            events.push(Event::SlotStable { port, slot });
        }
        let was_master = self.topology.nodes[node].is_master();
        self.topology.nodes[node].role = Role::Replica { of: master };
        if node != master {
            if let Some(scripts) = self.scripting.nodes.get_mut(node) {
                scripts.libraries.flush();
            }
            if !self.shards[node].is_empty() {
                self.shards[node].clear();
                self.dirty_watchers(node);
            }
        }
        events.push(Event::NodeReplicates {
            port,
            master: self.topology.nodes[master].port,
        });
        if was_master {
            let followers: Vec<NodeIdx> = self.topology.replicas_of(node).collect();
            for r in followers {
                self.become_replica(r, master, events);
            }
        }
    }

    /// Deletes a restarted master's data (no persistence), reporting it per slot.
    fn drop_shard_data(&mut self, node: NodeIdx, events: &mut Vec<Event>) {
        let port = self.topology.nodes[node].port;
        let counts: Vec<(u16, usize)> = self.shards[node].slot_counts().collect();
        self.shards[node].clear();
        self.dirty_watchers(node);
        for (slot, count) in counts {
            events.push(Event::KeysDropped { port, slot, count });
        }
    }

    /// Every connection watching a key of `shard` will see its EXEC fail
    /// (the shard's data was flushed or handed to another node).
    pub(crate) fn dirty_watchers(&mut self, shard: NodeIdx) {
        for c in self.conns.values_mut() {
            if c.watched.iter().any(|w| w.shard == shard) {
                c.watch_dirty = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cli::{CliSession, EngineTransport};
    use crate::engine::cmd::migration::tests::T;
    use crate::engine::reply::Reply;

    const T0: u64 = 1_000_000;

    fn node_line(t: &mut T, from: u16, port: u16) -> String {
        let Reply::Bulk(nodes) = t.on(from, "cluster nodes") else {
            panic!()
        };
        String::from_utf8(nodes)
            .unwrap()
            .lines()
            .find(|l| l.contains(&format!(":{port}@")))
            .unwrap()
            .to_string()
    }

    fn state(t: &mut T, port: u16) -> String {
        let Reply::Bulk(info) = t.on(port, "cluster info") else {
            panic!()
        };
        String::from_utf8(info)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    }

    // Timeline seen on a real 7.0.15 cluster (node timeout 5000) when the
    // master 7402 (replica 7405) was shut down: MOVED to it until `fail?`
    // (5.8-7.4 s), CLUSTERDOWN from `fail` (0.5-0.9 s later), then MOVED to
    // the promoted replica (0.9 s later).
    #[test]
    fn master_failure_promotes_its_replica() {
        let mut t = T::new();
        t.now = T0;
        t.ok(7002, "set foo bar");
        let conn = t.c.connect(7002).unwrap();
        let events = t.c.stop_node(7002, T0);
        assert!(events.contains(&Event::NodeStopped { port: 7002 }));
        assert_eq!(
            t.c.connect(7002).unwrap_err().to_string(),
            "Could not connect to Redis at 127.0.0.1:7002: Connection refused"
        );
        let get = [b"get".to_vec(), b"foo".to_vec()];
        assert_eq!(
            t.c.send(conn, &get, T0).unwrap_err().to_string(),
            "Error: Server closed the connection"
        );
        assert_eq!(t.err(7000, "get foo"), "MOVED 12182 127.0.0.1:7002");
        assert!(node_line(&mut t, 7000, 7002).contains(" master - "));
        assert!(node_line(&mut t, 7000, 7002).contains(" disconnected "));

        let timeout = 5000;
        assert_eq!(t.c.next_transition_at(), Some(T0 + timeout));
        let events = t.c.tick(T0 + timeout);
        assert_eq!(events, vec![Event::NodeSuspected { port: 7002 }]);
        t.now = T0 + timeout;
        assert!(node_line(&mut t, 7000, 7002).contains(" master,fail? - "));
        assert_eq!(t.err(7000, "get foo"), "MOVED 12182 127.0.0.1:7002");

        t.now = T0 + timeout + FAIL_REPORT_DELAY_MS;
        assert_eq!(t.err(7000, "get foo"), "CLUSTERDOWN The cluster is down");
        assert!(node_line(&mut t, 7000, 7002).contains(" master,fail - "));
        assert_eq!(state(&mut t, 7001), "cluster_state:fail");

        let promoted = T0 + timeout + FAIL_REPORT_DELAY_MS + ELECTION_DELAY_MS;
        assert_eq!(t.c.next_transition_at(), Some(promoted));
        let events = t.c.tick(promoted);
        assert!(events.contains(&Event::NodePromoted {
            port: 7005,
            replaced: 7002,
            manual: false
        }));
        assert!(events.contains(&Event::ClusterState {
            port: 7000,
            ok: true
        }));
        t.now = promoted;
        assert_eq!(t.err(7000, "get foo"), "MOVED 12182 127.0.0.1:7005");
        assert_eq!(t.on(7005, "get foo"), Reply::bulk("bar"));
        assert_eq!(state(&mut t, 7001), "cluster_state:ok");
        assert!(node_line(&mut t, 7000, 7005).ends_with(" connected 10923-16383"));

        // Restarted, the old master rejoins as a replica of the new one.
        let events = t.c.start_node(7002, promoted + 60_000);
        assert!(events.contains(&Event::NodeReplicates {
            port: 7002,
            master: 7005
        }));
        t.now = promoted + 60_000;
        assert_eq!(t.err(7002, "get foo"), "MOVED 12182 127.0.0.1:7005");
        let line = node_line(&mut t, 7000, 7002);
        assert!(line.contains(&t.ids(" slave $5 ")) && line.ends_with(" connected"));
        t.ok(7002, "readonly");
        assert_eq!(t.on(7002, "get foo"), Reply::bulk("bar"));
    }

    // Seen on the real cluster: with the replica of 7001 down too, the
    // failure of 7001 leaves the cluster down; restarted, 7001 is empty, says
    // cluster_state:ok about 2 s later, and the others clear its `fail` flag
    // once it is reachable and 2 node timeouts have passed.
    #[test]
    fn master_without_replica_takes_the_cluster_down() {
        let mut t = T::new();
        t.ok(7001, "set c 1");
        t.c.stop_node(7004, T0);
        t.c.stop_node(7001, T0 + 1000);
        t.now = T0 + 1000 + 5000 + FAIL_REPORT_DELAY_MS;
        assert_eq!(t.err(7000, "get c"), "CLUSTERDOWN The cluster is down");
        assert_eq!(t.err(7000, "get bar"), "CLUSTERDOWN The cluster is down");
        assert!(node_line(&mut t, 7000, 7004).contains(" slave,fail "));
        t.now += 60_000;
        assert_eq!(t.err(7000, "get bar"), "CLUSTERDOWN The cluster is down");
        assert_eq!(t.c.next_transition_at(), None);

        let restart = t.now;
        t.c.start_node(7001, restart);
        assert_eq!(state(&mut t, 7001), "cluster_state:fail");
        assert_eq!(t.on(7001, "dbsize"), Reply::Integer(0));
        t.now = restart + WRITABLE_DELAY_MS;
        assert_eq!(state(&mut t, 7001), "cluster_state:ok");
        // The `fail` flag was set more than 2 node timeouts ago: cleared.
        assert_eq!(state(&mut t, 7000), "cluster_state:ok");
        assert_eq!(t.on(7001, "get c"), Reply::NilBulk);
    }

    // Seen on the real cluster: two masters of three stopped are only
    // `fail?` (no majority to agree on `fail`), no replica is promoted, and
    // the remaining master reports the cluster down.
    #[test]
    fn minority_cannot_fail_over() {
        let mut t = T::new();
        t.c.stop_node(7001, T0);
        t.c.stop_node(7002, T0);
        t.now = T0 + 60_000;
        assert_eq!(t.err(7000, "get bar"), "CLUSTERDOWN The cluster is down");
        assert!(node_line(&mut t, 7000, 7001).contains(" master,fail? "));
        assert!(node_line(&mut t, 7000, 7002).contains(" master,fail? "));
        assert!(node_line(&mut t, 7004, 7004).contains("myself,slave "));
    }

    #[test]
    fn manual_failover_needs_force_when_the_master_is_down() {
        let mut t = T::new();
        t.ok(7000, "set bar 1");
        t.c.stop_node(7000, T0);
        assert_eq!(
            t.err(7003, "cluster failover"),
            "ERR Master is down or failed, please use CLUSTER FAILOVER FORCE"
        );
        t.ok(7003, "cluster failover force");
        assert_eq!(t.err(7001, "get bar"), "MOVED 5061 127.0.0.1:7003");
        assert_eq!(t.on(7003, "get bar"), Reply::bulk("1"));
        let events = t.c.start_node(7000, T0 + 1000);
        assert!(events.contains(&Event::NodeReplicates {
            port: 7000,
            master: 7003
        }));
    }

    #[test]
    fn functions_follow_the_data_on_failover() {
        let mut c = Cluster::default();
        let run = |c: &mut Cluster, port: u16, words: &[&str]| {
            let conn = c.connect(port).unwrap();
            let argv: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
            c.execute(conn, &argv, T0).reply
        };
        let lib = "#!lua name=mylib\nredis.register_function('answer', function() return 42 end)";
        assert_eq!(
            run(&mut c, 7000, &["FUNCTION", "LOAD", lib]),
            Reply::bulk("mylib")
        );
        assert_eq!(run(&mut c, 7003, &["CLUSTER", "FAILOVER"]), Reply::ok());
        assert_eq!(
            run(&mut c, 7003, &["FCALL", "answer", "0"]),
            Reply::Integer(42)
        );
        // Stopped and started again, a master has lost its libraries.
        c.stop_node(7001, T0);
        c.start_node(7001, T0 + 1);
        assert_eq!(
            run(&mut c, 7001, &["FUNCTION", "LIST"]),
            Reply::Array(vec![])
        );
    }

    #[test]
    fn redis_cli_session_on_a_stopped_node() {
        // Interactive redis-cli 7.0.15 after `shutdown` of its server:
        // "Error: Server closed the connection", prompt "not connected> ",
        // then "Could not connect to Redis at 127.0.0.1:7405: Connection
        // refused" until the server is back.
        let mut cluster = Cluster::default();
        let mut cli: CliSession<ConnId> = CliSession::new(7002, false);
        let ping = [b"PING".to_vec()];
        {
            let mut tr = EngineTransport::new(&mut cluster, T0);
            assert_eq!(cli.send(&mut tr, &ping).unwrap().reply_text(), "PONG\n");
        }
        cluster.stop_node(7002, T0);
        let mut tr = EngineTransport::new(&mut cluster, T0);
        assert_eq!(
            cli.send(&mut tr, &ping).unwrap_err(),
            "Error: Server closed the connection"
        );
        assert_eq!(cli.prompt(), "not connected> ");
        assert_eq!(
            cli.send(&mut tr, &ping).unwrap_err(),
            "Could not connect to Redis at 127.0.0.1:7002: Connection refused"
        );
        assert_eq!(cli.prompt(), "not connected> ");
        tr.cluster.start_node(7002, T0 + 100);
        assert_eq!(cli.send(&mut tr, &ping).unwrap().reply_text(), "PONG\n");
        assert_eq!(cli.prompt(), "127.0.0.1:7002> ");
    }

    #[test]
    fn redis_cli_connects_when_it_starts() {
        // redis-cli 7.0.15 connects at start-up: a server shut down before
        // the first command still gives "Error: Server closed the
        // connection" first (recorded interactively on port 7701).
        let mut cluster = Cluster::default();
        let mut cli: CliSession<ConnId> = CliSession::new(7002, false);
        let ping = [b"PING".to_vec()];
        cli.open(&mut EngineTransport::new(&mut cluster, T0))
            .unwrap();
        cluster.stop_node(7002, T0);
        let mut tr = EngineTransport::new(&mut cluster, T0);
        assert_eq!(
            cli.send(&mut tr, &ping).unwrap_err(),
            "Error: Server closed the connection"
        );
        assert_eq!(
            cli.send(&mut tr, &ping).unwrap_err(),
            "Could not connect to Redis at 127.0.0.1:7002: Connection refused"
        );
        // Started while its node is down: redis-cli prints the refusal and
        // prompts `not connected> `.
        let mut late: CliSession<ConnId> = CliSession::new(7002, false);
        assert_eq!(
            late.open(&mut tr).unwrap_err(),
            "Could not connect to Redis at 127.0.0.1:7002: Connection refused"
        );
        assert_eq!(late.prompt(), "not connected> ");
    }
}
