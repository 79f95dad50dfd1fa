//! The cluster layout as data: nodes (address, id, role), the slot → master
//! table, per-node migrating/importing marks, and the cluster-wide
//! settings CONFIG GET/SET exposes.
//!
//! The default is what `redis-cli --cluster create` makes from six nodes on
//! 127.0.0.1:7000-7005 with `--cluster-replicas 1`: masters 7000/7001/7002
//! with 0-5460 / 5461-10922 / 10923-16383. Node ids are deterministic.

use std::collections::BTreeMap;

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

/// Cluster-wide settings (the `cluster-*` configs the playground models).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    pub require_full_coverage: bool,
    pub allow_reads_when_down: bool,
    pub allow_replica_migration: bool,
    pub replica_no_failover: bool,
    pub allow_pubsubshard_when_down: bool,
    pub node_timeout_ms: u64,
    pub migration_barrier: i64,
    pub replica_validity_factor: i64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            require_full_coverage: true,
            allow_reads_when_down: false,
            allow_replica_migration: true,
            replica_no_failover: false,
            allow_pubsubshard_when_down: true,
            node_timeout_ms: 5000,
            migration_barrier: 1,
            replica_validity_factor: 10,
        }
    }
}

/// The layout of the whole cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topology {
    pub nodes: Vec<Node>,
    slot_owner: Vec<Option<NodeIdx>>,
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
        Topology { nodes, slot_owner }
    }

    /// The master that owns `slot`, if any.
    pub fn owner(&self, slot: u16) -> Option<NodeIdx> {
        self.slot_owner.get(usize::from(slot)).copied().flatten()
    }

    /// Assigns `slot` to `node` (or unassigns it).
    pub fn set_owner(&mut self, slot: u16, node: Option<NodeIdx>) {
        if let Some(entry) = self.slot_owner.get_mut(usize::from(slot)) {
            *entry = node;
        }
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
        self.slot_owner.iter().filter(|o| o.is_some()).count()
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
