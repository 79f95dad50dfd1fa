//! What the cluster map draws, computed from the keyspaces' per-slot
//! counts (never by scanning keys, so 100k keys cost the same as ten):
//! keys per slot, a coarse histogram for the ribbon, keys per shard, and
//! hot-spot / skew warnings.
//!
//! Pure: no web-sys, js-sys or gloo.

use crate::engine::cluster::Cluster;
use crate::engine::slot::{inspect_key, HashRule, SLOT_COUNT};
use crate::engine::topology::{NodeIdx, Topology};
use crate::ui::inspect::show_bytes;

/// Slots per histogram bin on the ribbon.
pub const BIN_SLOTS: usize = 32;
/// Number of bins (16384 / 32).
pub const BINS: usize = SLOT_COUNT as usize / BIN_SLOTS;

/// One slot that holds far more keys than the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotSpot {
    pub slot: u16,
    pub keys: usize,
    /// Index of the owning master.
    pub shard: Option<usize>,
    /// A key in the slot, for the explanation.
    pub example: String,
    /// Its hash tag, if a tag put it there.
    pub tag: Option<String>,
}

/// A shard holding much more than its share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skew {
    pub shard: usize,
    /// Percent of all keys.
    pub percent: usize,
}

/// Everything the map needs about where keys are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapStats {
    /// Keys per slot.
    pub counts: Vec<u32>,
    /// Keys per bin of [`BIN_SLOTS`] slots, with the bin's majority owner.
    pub bins: Vec<(u32, Option<usize>)>,
    /// Largest bin.
    pub max_bin: u32,
    /// Keys per master, in master order.
    pub shard_keys: Vec<usize>,
    /// All keys.
    pub total: usize,
    /// Slots holding at least one key.
    pub used_slots: usize,
    pub hot: Option<HotSpot>,
    pub skew: Option<Skew>,
    /// Contiguous owner runs: (first slot, last slot, master position or
    /// `None` for unassigned slots).
    pub segments: Vec<(u16, u16, Option<usize>)>,
    /// Slots being migrated: (slot, from master position, to port).
    pub migrating: Vec<(u16, Option<usize>, u16)>,
    /// Slots being imported: (slot, into master position, from port).
    pub importing: Vec<(u16, Option<usize>, u16)>,
}

/// The masters drawn as shards, in shard order. A stopped master whose
/// slots a replica took over is not one (its card is the new master's);
/// a promoted replica keeps its shard's place and colour (7003 stays the
/// first shard after it replaces 7000).
pub fn shard_masters(topology: &Topology) -> Vec<NodeIdx> {
    let home = (topology.nodes.len() / 2).max(1);
    let mut masters: Vec<NodeIdx> = topology
        .masters()
        .filter(|&m| topology.nodes[m].health.replaced_by.is_none())
        .collect();
    masters.sort_by_key(|&m| (m % home, m));
    masters
}

/// The shard (position in [`shard_masters`]) a node is drawn in: its
/// master's, or for a replaced master, the one that took its slots.
pub fn shard_of_node(topology: &Topology, node: NodeIdx) -> Option<usize> {
    let masters = shard_masters(topology);
    let mut at = node;
    for _ in 0..topology.nodes.len() {
        let n = topology.nodes.get(at)?;
        match n.health.replaced_by {
            Some(next) if n.is_master() => at = next,
            _ => break,
        }
    }
    let master = topology.master_of(at);
    masters.iter().position(|&m| m == master)
}

/// Fewer keys than this never raise a warning (a handful of keys in one
/// slot is not a hot spot).
pub const WARN_MIN_KEYS: usize = 100;

/// Computes the map's data: O(slots that hold keys).
pub fn compute(cluster: &Cluster) -> MapStats {
    let topology = &cluster.topology;
    let masters: Vec<usize> = shard_masters(topology);
    let mut counts = vec![0u32; usize::from(SLOT_COUNT)];
    let mut shard_keys = vec![0usize; masters.len()];
    let mut total = 0usize;
    let mut used_slots = 0usize;
    let mut top: Option<(u16, usize, usize)> = None; // slot, keys, master position
    for (pos, &master) in masters.iter().enumerate() {
        let keyspace = cluster.keyspace_of(master);
        shard_keys[pos] = keyspace.len();
        total += keyspace.len();
        for (slot, n) in keyspace.slot_counts() {
            if let Some(c) = counts.get_mut(usize::from(slot)) {
                *c = c.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
            }
            used_slots += 1;
            if top.is_none_or(|(_, best, _)| n > best) {
                top = Some((slot, n, pos));
            }
        }
    }
    let mut bins = Vec::with_capacity(BINS);
    let mut max_bin = 0;
    for b in 0..BINS {
        let start = b * BIN_SLOTS;
        let sum: u32 = counts[start..start + BIN_SLOTS].iter().sum();
        max_bin = max_bin.max(sum);
        let owner = topology
            .owner((start + BIN_SLOTS / 2) as u16)
            .and_then(|o| masters.iter().position(|&m| m == o));
        bins.push((sum, owner));
    }

    let hot = top.and_then(|(slot, keys, pos)| {
        let mean = total as f64 / used_slots.max(1) as f64;
        let hot = keys >= WARN_MIN_KEYS && (keys * 5 >= total || keys as f64 >= 50.0 * mean);
        if !hot {
            return None;
        }
        let example = masters
            .get(pos)
            .and_then(|&m| cluster.keyspace_of(m).keys_in_slot(slot).next().cloned())
            .unwrap_or_default();
        let hash = inspect_key(&example);
        let tag = (hash.rule == HashRule::Tag)
            .then(|| show_bytes(example.get(hash.hashed.clone()).unwrap_or_default()));
        Some(HotSpot {
            slot,
            keys,
            shard: Some(pos),
            example: show_bytes(&example),
            tag,
        })
    });
    let skew = if total >= WARN_MIN_KEYS && masters.len() > 1 {
        shard_keys
            .iter()
            .enumerate()
            .max_by_key(|(_, n)| **n)
            .map(|(shard, n)| Skew {
                shard,
                percent: n * 100 / total,
            })
            .filter(|s| s.percent * masters.len() >= 150)
    } else {
        None
    };
    let mut segments: Vec<(u16, u16, Option<usize>)> = Vec::new();
    for slot in 0..SLOT_COUNT {
        let owner = topology
            .owner(slot)
            .and_then(|o| masters.iter().position(|&m| m == o));
        match segments.last_mut() {
            Some((_, end, o)) if *o == owner && *end + 1 == slot => *end = slot,
            _ => segments.push((slot, slot, owner)),
        }
    }
    let mut migrating = Vec::new();
    let mut importing = Vec::new();
    for (i, node) in topology.nodes.iter().enumerate() {
        let shard = masters.iter().position(|&m| m == i);
        for (slot, to) in &node.migrating {
            if let Some(target) = topology.nodes.get(*to) {
                migrating.push((*slot, shard, target.port));
            }
        }
        for (slot, from) in &node.importing {
            if let Some(source) = topology.nodes.get(*from) {
                importing.push((*slot, shard, source.port));
            }
        }
    }
    MapStats {
        segments,
        migrating,
        importing,
        counts,
        bins,
        max_bin,
        shard_keys,
        total,
        used_slots,
        hot,
        skew,
    }
}

/// `100000` → `100,000`, for counts shown to people.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
