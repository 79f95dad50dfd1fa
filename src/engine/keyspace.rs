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
use std::hash::{BuildHasherDefault, Hasher};

use crate::engine::slot::{key_slot, SLOT_COUNT};
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

/// FxHash (rustc's): a few multiplications per 8 bytes where the default
/// SipHash costs several rounds. Keys come from the learner, not an
/// attacker, and nothing iterates the table (slot lists give the order).
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (the bucket index) poorly mixed:
        // fold the high half in.
        let h = self.0;
        (h ^ (h >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9) ^ (h >> 32)
    }
}

/// One shard's data.
#[derive(Debug, Clone, Default)]
pub struct Keyspace {
    entries: HashMap<Vec<u8>, Entry, BuildHasherDefault<FxHasher>>,
    /// Each slot's keys by position (indexed by slot; empty until the
    /// first key arrives, so replicas' and empty shards' cost nothing).
    by_slot: Vec<BTreeMap<u64, Vec<u8>>>,
    expiries: BTreeSet<(u64, Vec<u8>)>,
    next_seq: u64,
}

impl Keyspace {
    /// An empty keyspace.
    pub fn new() -> Keyspace {
        Keyspace::default()
    }

    /// Makes room for `additional` more keys (a bulk load knows how many).
    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
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
        if let Err(value) = self.overwrite(key, value, expires_at) {
            self.insert_new(key.to_vec(), value, expires_at);
        }
    }

    /// [`Keyspace::insert`] for a key the caller owns (one hash lookup, and
    /// a new key is stored without copying it again).
    pub fn insert_owned(&mut self, key: Vec<u8>, value: Value, expires_at: Option<u64>) {
        self.insert_owned_in(key_slot(&key), key, value, expires_at);
    }

    /// [`Keyspace::insert_owned`] for a caller that knows the key's slot
    /// (`slot` must be `key_slot(&key)`).
    pub(crate) fn insert_owned_in(
        &mut self,
        slot: u16,
        key: Vec<u8>,
        value: Value,
        expires_at: Option<u64>,
    ) {
        match self.entries.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut old) => {
                let seq = old.get().seq;
                let old_expiry = old.get().expires_at;
                if old_expiry != expires_at {
                    if let Some(at) = old_expiry {
                        self.expiries.remove(&(at, old.key().clone()));
                    }
                    if let Some(at) = expires_at {
                        self.expiries.insert((at, old.key().clone()));
                    }
                }
                old.insert(Entry {
                    value,
                    expires_at,
                    seq,
                    grown: false,
                });
            }
            std::collections::hash_map::Entry::Vacant(new) => {
                self.next_seq += 1;
                let seq = self.next_seq;
                let key = new.key().clone();
                if let Some(at) = expires_at {
                    self.expiries.insert((at, key.clone()));
                }
                new.insert(Entry {
                    value,
                    expires_at,
                    seq,
                    grown: false,
                });
                self.index(slot, key, seq);
            }
        }
    }

    /// Replaces an existing entry in place (same slot-list position, the
    /// new expiry, not grown); gives `value` back when `key` is missing.
    fn overwrite(
        &mut self,
        key: &[u8],
        value: Value,
        expires_at: Option<u64>,
    ) -> Result<(), Value> {
        let Some(entry) = self.entries.get_mut(key) else {
            return Err(value);
        };
        if entry.expires_at != expires_at {
            if let Some(old) = entry.expires_at {
                self.expiries.remove(&(old, key.to_vec()));
            }
            if let Some(at) = expires_at {
                self.expiries.insert((at, key.to_vec()));
            }
        }
        *entry = Entry {
            value,
            expires_at,
            seq: entry.seq,
            grown: false,
        };
        Ok(())
    }

    /// Stores a key that is not present, newest in its slot's list.
    fn insert_new(&mut self, key: Vec<u8>, value: Value, expires_at: Option<u64>) {
        self.next_seq += 1;
        let seq = self.next_seq;
        if let Some(at) = expires_at {
            self.expiries.insert((at, key.clone()));
        }
        self.index(key_slot(&key), key.clone(), seq);
        self.entries.insert(
            key,
            Entry {
                value,
                expires_at,
                seq,
                grown: false,
            },
        );
    }

    /// Puts `key` at position `seq` of its slot's list.
    fn index(&mut self, slot: u16, key: Vec<u8>, seq: u64) {
        if self.by_slot.is_empty() {
            self.by_slot
                .resize_with(usize::from(SLOT_COUNT), BTreeMap::new);
        }
        if let Some(keys) = self.by_slot.get_mut(usize::from(slot)) {
            keys.insert(seq, key);
        }
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
        if let Some(keys) = self.by_slot.get_mut(usize::from(slot)) {
            keys.remove(&entry.seq);
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
        self.by_slot.iter().flat_map(|keys| keys.values().rev())
    }

    /// The keys in `slot`, newest first (Redis 7.0's slot list order).
    pub fn keys_in_slot(&self, slot: u16) -> impl Iterator<Item = &Vec<u8>> {
        self.by_slot
            .get(usize::from(slot))
            .into_iter()
            .flat_map(|keys| keys.values().rev())
    }

    /// How many keys `slot` holds.
    pub fn count_in_slot(&self, slot: u16) -> usize {
        self.by_slot.get(usize::from(slot)).map_or(0, BTreeMap::len)
    }

    /// Slots that hold at least one key, with their key counts.
    pub fn slot_counts(&self) -> impl Iterator<Item = (u16, usize)> + '_ {
        self.by_slot
            .iter()
            .enumerate()
            .filter(|(_, keys)| !keys.is_empty())
            .map(|(slot, keys)| (slot as u16, keys.len()))
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
