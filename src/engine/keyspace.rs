//! One shard's keyspace: key → value with an optional expiry, a per-slot
//! index (for CLUSTER COUNTKEYSINSLOT / GETKEYSINSLOT and the slot map), and
//! an expiry index.
//!
//! Redis 7.0 keeps each slot's keys in a list with the newest key first;
//! overwriting a key keeps its place. [`Keyspace::keys_in_slot`] gives the
//! same order (GETKEYSINSLOT shows it). Compact encodings that grew into
//! their big form (intset → hashtable ...) never shrink back, as in Redis:
//! [`Keyspace::note_modified`] records that after every write.
//!
//! Time is never read here: every call that can observe expiry takes
//! `now_ms`. [`Keyspace::purge_expired`] plays the part of Redis' active
//! expire cycle and returns the keys it removed so the caller can report
//! them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::slot::key_slot;
use crate::engine::value::Value;

/// A stored value and its absolute expiry time in Unix milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub value: Value,
    pub expires_at: Option<u64>,
    /// Position in its slot's list (higher = newer).
    seq: u64,
    /// The value's encoding has grown into its big form (sticky).
    grown: bool,
}

/// One shard's data.
#[derive(Debug, Clone, Default)]
pub struct Keyspace {
    entries: HashMap<Vec<u8>, Entry>,
    by_slot: BTreeMap<u16, BTreeMap<u64, Vec<u8>>>,
    expiries: BTreeSet<(u64, Vec<u8>)>,
    next_seq: u64,
}

impl Keyspace {
    /// An empty keyspace.
    pub fn new() -> Keyspace {
        Keyspace::default()
    }

    /// Number of live keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every key whose expiry is at or before `now_ms`, returning them.
    pub fn purge_expired(&mut self, now_ms: u64) -> Vec<Vec<u8>> {
        let mut gone = Vec::new();
        while let Some((at, _)) = self.expiries.first() {
            if *at > now_ms {
                break;
            }
            if let Some((_, key)) = self.expiries.pop_first() {
                self.remove_entry(&key);
                gone.push(key);
            }
        }
        gone
    }

    /// The live entry under `key`.
    pub fn get(&self, key: &[u8]) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// The live value under `key`.
    pub fn value(&self, key: &[u8]) -> Option<&Value> {
        self.entries.get(key).map(|e| &e.value)
    }

    /// Mutable access to the value under `key` (its expiry is kept).
    pub fn value_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        self.entries.get_mut(key).map(|e| &mut e.value)
    }

    /// True when `key` exists.
    pub fn contains(&self, key: &[u8]) -> bool {
        self.entries.contains_key(key)
    }

    /// Stores `value` under `key` with `expires_at`, replacing any old entry
    /// (an overwritten key keeps its place in its slot's list).
    pub fn insert(&mut self, key: &[u8], value: Value, expires_at: Option<u64>) {
        let seq = match self.entries.get(key) {
            Some(old) => old.seq,
            None => {
                self.next_seq += 1;
                self.next_seq
            }
        };
        self.remove_entry(key);
        if let Some(at) = expires_at {
            self.expiries.insert((at, key.to_vec()));
        }
        self.by_slot
            .entry(key_slot(key))
            .or_default()
            .insert(seq, key.to_vec());
        self.entries.insert(
            key.to_vec(),
            Entry {
                value,
                expires_at,
                seq,
                grown: false,
            },
        );
    }

    /// Records that `key` was written: an encoding that has grown into its
    /// big form stays big, as in Redis.
    pub fn note_modified(&mut self, key: &[u8]) {
        if let Some(entry) = self.entries.get_mut(key) {
            entry.grown |= entry.value.has_big_encoding();
        }
    }

    /// The encoding OBJECT ENCODING reports for `key`.
    pub fn encoding(&self, key: &[u8]) -> Option<&'static str> {
        self.entries
            .get(key)
            .map(|e| e.value.encoding_after(e.grown))
    }

    /// Stores `value` under `key`, keeping the key's expiry if it exists
    /// (used by commands that modify a value in place or rewrite it).
    pub fn put_keep_ttl(&mut self, key: &[u8], value: Value) {
        let expires_at = self.entries.get(key).and_then(|e| e.expires_at);
        let grown = self.entries.get(key).is_some_and(|e| e.grown);
        self.insert(key, value, expires_at);
        if let Some(entry) = self.entries.get_mut(key) {
            entry.grown = grown;
        }
    }

    /// Removes `key`, returning its entry.
    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        self.remove_entry(key)
    }

    fn remove_entry(&mut self, key: &[u8]) -> Option<Entry> {
        let entry = self.entries.remove(key)?;
        if let Some(at) = entry.expires_at {
            self.expiries.remove(&(at, key.to_vec()));
        }
        let slot = key_slot(key);
        if let Some(keys) = self.by_slot.get_mut(&slot) {
            keys.remove(&entry.seq);
            if keys.is_empty() {
                self.by_slot.remove(&slot);
            }
        }
        Some(entry)
    }

    /// Sets or clears the expiry of an existing key; false if it is missing.
    pub fn set_expiry(&mut self, key: &[u8], expires_at: Option<u64>) -> bool {
        let Some(entry) = self.entries.get_mut(key) else {
            return false;
        };
        if let Some(old) = entry.expires_at {
            self.expiries.remove(&(old, key.to_vec()));
        }
        entry.expires_at = expires_at;
        if let Some(at) = expires_at {
            self.expiries.insert((at, key.to_vec()));
        }
        true
    }

    /// Removes every key, returning how many there were.
    pub fn clear(&mut self) -> usize {
        let n = self.entries.len();
        *self = Keyspace::default();
        n
    }

    /// All keys: by slot, newest first within a slot.
    pub fn keys(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.by_slot.values().flat_map(|keys| keys.values().rev())
    }

    /// The keys in `slot`, newest first (Redis 7.0's slot list order).
    pub fn keys_in_slot(&self, slot: u16) -> impl Iterator<Item = &Vec<u8>> {
        self.by_slot
            .get(&slot)
            .into_iter()
            .flat_map(|keys| keys.values().rev())
    }

    /// How many keys `slot` holds.
    pub fn count_in_slot(&self, slot: u16) -> usize {
        self.by_slot.get(&slot).map_or(0, BTreeMap::len)
    }

    /// Slots that hold at least one key, with their key counts.
    pub fn slot_counts(&self) -> impl Iterator<Item = (u16, usize)> + '_ {
        self.by_slot.iter().map(|(slot, keys)| (*slot, keys.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_purged_at_its_time() {
        let mut ks = Keyspace::new();
        ks.insert(b"a", Value::string("1"), Some(1_000));
        ks.insert(b"b", Value::string("2"), None);
        assert!(ks.purge_expired(999).is_empty());
        assert_eq!(ks.purge_expired(1_000), vec![b"a".to_vec()]);
        assert_eq!(ks.len(), 1);
        assert_eq!(ks.count_in_slot(key_slot(b"a")), 0);
    }

    #[test]
    fn slot_lists_are_newest_first_and_overwrite_keeps_place() {
        let mut ks = Keyspace::new();
        ks.insert(b"bar", Value::string("1"), None);
        ks.insert(b"foo{bar}", Value::string("2"), None);
        ks.insert(b"{bar}z", Value::string("3"), None);
        ks.insert(b"foo{bar}", Value::string("4"), None);
        let order: Vec<&Vec<u8>> = ks.keys_in_slot(5061).collect();
        assert_eq!(
            order,
            [&b"{bar}z".to_vec(), &b"foo{bar}".to_vec(), &b"bar".to_vec()]
        );
    }

    #[test]
    fn overwrite_clears_old_expiry() {
        let mut ks = Keyspace::new();
        ks.insert(b"a", Value::string("1"), Some(10));
        ks.insert(b"a", Value::string("2"), None);
        assert!(ks.purge_expired(100).is_empty());
        assert!(ks.contains(b"a"));
    }
}
