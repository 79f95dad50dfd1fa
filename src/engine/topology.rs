//! The cluster layout as data: nodes (address, id, role), the slot → master
//! table, per-node migrating/importing marks, and the cluster-wide
//! settings CONFIG GET/SET exposes.
//!
//! The default is what `redis-cli --cluster create` makes from six nodes on
//! 127.0.0.1:7000-7005 with `--cluster-replicas 1`: masters 7000/7001/7002
//! with 0-5460 / 5461-10922 / 10923-16383. Node ids are deterministic.

use std::collections::BTreeMap;

use crate::engine::failover::Health;
use crate::engine::slot::SLOT_COUNT;

/// Index of a node in [`Topology::nodes`].
pub type NodeIdx = usize;

/// The host every simulated node listens on.
pub const HOST: &str = "127.0.0.1";

/// A node's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Master,
    Replica { of: NodeIdx },
}

/// One node of the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// TCP port (7000-7005 by default).
    pub port: u16,
    /// 40 hex characters, fixed per port.
    pub id: String,
    pub role: Role,
    /// Slots this node is migrating to another node (`SETSLOT MIGRATING`).
    pub migrating: BTreeMap<u16, NodeIdx>,
    /// Slots this node is importing from another node (`SETSLOT IMPORTING`).
    pub importing: BTreeMap<u16, NodeIdx>,
    /// Running or stopped, and the failure flags the cluster gives it
    /// (driven by [`crate::engine::failover`]).
    pub health: Health,
}

impl Node {
    /// `127.0.0.1:7000`.
    pub fn addr(&self) -> String {
        format!("{HOST}:{}", self.port)
    }

    /// True for a master.
    pub fn is_master(&self) -> bool {
        self.role == Role::Master
    }
}

/// How a configuration parameter's value is checked on CONFIG SET.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// `yes` / `no` (case-insensitive; stored lower-case).
    Bool,
    /// An integer in `min..=max`.
    Int { min: i64, max: i64 },
    /// A memory amount (`0`, `10mb` ...).
    Memory,
    /// Free text.
    Text,
    /// One of the listed words.
    Enum(&'static [&'static str]),
}

/// One `cluster-*` configuration parameter of Redis 7.0.15.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    /// For aliases (`cluster-slave-*`): the parameter they stand for.
    pub alias_of: Option<&'static str>,
    pub kind: ParamKind,
    pub mutable: bool,
    /// The default value (`{port}` is replaced by the node's port).
    pub default: &'static str,
}

const fn param(name: &'static str, kind: ParamKind, mutable: bool, default: &'static str) -> Param {
    Param {
        name,
        alias_of: None,
        kind,
        mutable,
        default,
    }
}

const PORT_RANGE: ParamKind = ParamKind::Int { min: 0, max: 65535 };
const INT_MAX_RANGE: ParamKind = ParamKind::Int {
    min: 0,
    max: i32::MAX as i64,
};

/// The `cluster-*` parameters, with the defaults a node started by
/// `scripts/real-cluster.sh` reports (`cluster-node-timeout 5000`).
pub const PARAMS: &[Param] = &[
    param("cluster-replica-no-failover", ParamKind::Bool, true, "no"),
    param(
        "cluster-require-full-coverage",
        ParamKind::Bool,
        true,
        "yes",
    ),
    param("cluster-announce-ip", ParamKind::Text, true, ""),
    param("cluster-enabled", ParamKind::Bool, false, "yes"),
    Param {
        name: "cluster-slave-validity-factor",
        alias_of: Some("cluster-replica-validity-factor"),
        kind: INT_MAX_RANGE,
        mutable: true,
        default: "10",
    },
    param(
        "cluster-preferred-endpoint-type",
        ParamKind::Enum(&["ip", "hostname", "unknown-endpoint"]),
        true,
        "ip",
    ),
    param("cluster-announce-tls-port", PORT_RANGE, true, "0"),
    param("cluster-announce-hostname", ParamKind::Text, true, ""),
    param("cluster-announce-port", PORT_RANGE, true, "0"),
    param("cluster-replica-validity-factor", INT_MAX_RANGE, true, "10"),
    param("cluster-announce-bus-port", PORT_RANGE, true, "0"),
    param("cluster-port", PORT_RANGE, false, "0"),
    param(
        "cluster-config-file",
        ParamKind::Text,
        false,
        "nodes-{port}.conf",
    ),
    param("cluster-link-sendbuf-limit", ParamKind::Memory, true, "0"),
    param("cluster-allow-reads-when-down", ParamKind::Bool, true, "no"),
    param(
        "cluster-node-timeout",
        ParamKind::Int {
            min: 0,
            max: i64::MAX,
        },
        true,
        "5000",
    ),
    param("cluster-migration-barrier", INT_MAX_RANGE, true, "1"),
    Param {
        name: "cluster-slave-no-failover",
        alias_of: Some("cluster-replica-no-failover"),
        kind: ParamKind::Bool,
        mutable: true,
        default: "no",
    },
    param(
        "cluster-allow-replica-migration",
        ParamKind::Bool,
        true,
        "yes",
    ),
    param(
        "cluster-allow-pubsubshard-when-down",
        ParamKind::Bool,
        true,
        "yes",
    ),
];

/// One node's cluster settings (CONFIG GET/SET act on the node they are sent to,
/// as on real Redis).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    values: BTreeMap<&'static str, String>,
}

impl ClusterConfig {
    /// The defaults for the node on `port`.
    pub fn for_port(port: u16) -> Self {
        let values = PARAMS
            .iter()
            .filter(|p| p.alias_of.is_none())
            .map(|p| (p.name, p.default.replace("{port}", &port.to_string())))
            .collect();
        ClusterConfig { values }
    }

    /// The value of a parameter (aliases resolved).
    pub fn get(&self, param: &Param) -> &str {
        let name = param.alias_of.unwrap_or(param.name);
        self.values.get(name).map_or("", String::as_str)
    }

    /// Stores a value (aliases resolved); the caller has validated it.
    pub fn set(&mut self, param: &Param, value: String) {
        self.values
            .insert(param.alias_of.unwrap_or(param.name), value);
    }

    fn flag(&self, name: &str) -> bool {
        self.values.get(name).is_some_and(|v| v == "yes")
    }

    /// `cluster-require-full-coverage`
    pub fn require_full_coverage(&self) -> bool {
        self.flag("cluster-require-full-coverage")
    }

    /// `cluster-allow-reads-when-down`
    pub fn allow_reads_when_down(&self) -> bool {
        self.flag("cluster-allow-reads-when-down")
    }

    /// `cluster-node-timeout` in milliseconds.
    pub fn node_timeout(&self) -> u64 {
        self.values
            .get("cluster-node-timeout")
            .and_then(|v| v.parse().ok())
            .unwrap_or(5000)
    }

    /// `cluster-replica-no-failover`
    pub fn replica_no_failover(&self) -> bool {
        self.flag("cluster-replica-no-failover")
    }

    /// `cluster-allow-replica-migration`
    pub fn allow_replica_migration(&self) -> bool {
        self.flag("cluster-allow-replica-migration")
    }
}

/// Finds a parameter by name, case-insensitively.
pub fn find_param(name: &[u8]) -> Option<&'static Param> {
    PARAMS
        .iter()
        .find(|p| p.name.as_bytes().eq_ignore_ascii_case(name))
}

/// The layout of the whole cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topology {
    pub nodes: Vec<Node>,
    slot_owner: Vec<Option<NodeIdx>>,
    /// How many slots each node owns (kept in step with `slot_owner`).
    slot_counts: Vec<usize>,
}

/// Default master ports.
pub const MASTER_PORTS: [u16; 3] = [7000, 7001, 7002];
/// Default replica ports.
pub const REPLICA_PORTS: [u16; 3] = [7003, 7004, 7005];

impl Default for Topology {
    fn default() -> Self {
        Topology::with_replicas(&[(7003, 7000), (7004, 7001), (7005, 7002)])
    }
}

impl Topology {
    /// Three masters with the default slot split and the given
    /// `(replica port, master port)` pairs. Pairs naming unknown ports are ignored.
    pub fn with_replicas(replicas: &[(u16, u16)]) -> Topology {
        let mut nodes: Vec<Node> = MASTER_PORTS
            .iter()
            .chain(REPLICA_PORTS.iter())
            .map(|&port| Node {
                port,
                id: node_id_for(port),
                role: Role::Master,
                migrating: BTreeMap::new(),
                importing: BTreeMap::new(),
                health: Health::default(),
            })
            .collect();
        for &(replica, master) in replicas {
            let r = nodes.iter().position(|n| n.port == replica);
            let m = MASTER_PORTS.iter().position(|&p| p == master);
            if let (Some(r), Some(m)) = (r, m) {
                if r >= MASTER_PORTS.len() {
                    nodes[r].role = Role::Replica { of: m };
                }
            }
        }
        let mut slot_owner = vec![None; usize::from(SLOT_COUNT)];
        for (slot, owner) in slot_owner.iter_mut().enumerate() {
            *owner = Some(match slot {
                0..=5460 => 0,
                5461..=10922 => 1,
                _ => 2,
            });
        }
        let mut slot_counts = vec![0; nodes.len()];
        for owner in slot_owner.iter().flatten() {
            slot_counts[*owner] += 1;
        }
        Topology {
            nodes,
            slot_owner,
            slot_counts,
        }
    }

    /// The master that owns `slot`, if any.
    pub fn owner(&self, slot: u16) -> Option<NodeIdx> {
        self.slot_owner.get(usize::from(slot)).copied().flatten()
    }

    /// Assigns `slot` to `node` (or unassigns it).
    pub fn set_owner(&mut self, slot: u16, node: Option<NodeIdx>) {
        if let Some(entry) = self.slot_owner.get_mut(usize::from(slot)) {
            if let Some(old) = *entry {
                self.slot_counts[old] -= 1;
            }
            if let Some(new) = node {
                self.slot_counts[new] += 1;
            }
            *entry = node;
        }
    }

    /// How many slots `node` owns.
    pub fn slot_count(&self, node: NodeIdx) -> usize {
        self.slot_counts.get(node).copied().unwrap_or(0)
    }

    /// The node listening on `port`.
    pub fn by_port(&self, port: u16) -> Option<NodeIdx> {
        self.nodes.iter().position(|n| n.port == port)
    }

    /// The node with this id.
    pub fn by_id(&self, id: &[u8]) -> Option<NodeIdx> {
        self.nodes.iter().position(|n| n.id.as_bytes() == id)
    }

    /// The master whose data `node` holds (itself for a master).
    pub fn master_of(&self, node: NodeIdx) -> NodeIdx {
        match self.nodes[node].role {
            Role::Master => node,
            Role::Replica { of } => of,
        }
    }

    /// Replicas of `master`.
    pub fn replicas_of(&self, master: NodeIdx) -> impl Iterator<Item = NodeIdx> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.role == Role::Replica { of: master })
            .map(|(i, _)| i)
    }

    /// Contiguous slot ranges owned by `master`, in order.
    pub fn ranges_of(&self, master: NodeIdx) -> Vec<(u16, u16)> {
        let mut ranges: Vec<(u16, u16)> = Vec::new();
        for slot in 0..SLOT_COUNT {
            if self.owner(slot) != Some(master) {
                continue;
            }
            match ranges.last_mut() {
                Some((_, end)) if *end + 1 == slot => *end = slot,
                _ => ranges.push((slot, slot)),
            }
        }
        ranges
    }

    /// Number of slots with an owner.
    pub fn assigned_slots(&self) -> usize {
        self.slot_counts.iter().sum()
    }

    /// Masters in port order.
    pub fn masters(&self) -> impl Iterator<Item = NodeIdx> + '_ {
        (0..self.nodes.len()).filter(|&i| self.nodes[i].is_master())
    }
}

/// A fixed 40-hex node id per port (splitmix64 stream seeded by the port),
/// so sessions, tests and permalinks are reproducible.
pub fn node_id_for(port: u16) -> String {
    let mut state = 0x5107_1AB0_0000_0000u64 ^ u64::from(port);
    let mut out = String::with_capacity(40);
    while out.len() < 40 {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.push_str(&format!("{z:016x}"));
    }
    out.truncate(40);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_split() {
        let t = Topology::default();
        assert_eq!(t.ranges_of(0), vec![(0, 5460)]);
        assert_eq!(t.ranges_of(1), vec![(5461, 10922)]);
        assert_eq!(t.ranges_of(2), vec![(10923, 16383)]);
        assert_eq!(t.master_of(t.by_port(7003).unwrap()), 0);
    }

    #[test]
    fn ids_are_40_hex_and_distinct() {
        let t = Topology::default();
        for n in &t.nodes {
            assert_eq!(n.id.len(), 40);
            assert!(n.id.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        assert_ne!(t.nodes[0].id, t.nodes[1].id);
    }
}
