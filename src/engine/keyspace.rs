//! One shard's keyspace: key → value with an optional expiry, a per-slot
//! index (for CLUSTER COUNTKEYSINSLOT / GETKEYSINSLOT and the slot map), and
//! an expiry index.
//!
//! Redis 7.0 keeps each slot's keys in a list with the newest key first;
//! overwriting a key keeps its place. [`Keyspace::keys_in_slot`] gives the
//! same order (GETKEYSINSLOT shows it). As in Redis, the list runs through
//! the entries themselves: each key is stored once, in an insertion-ordered
//! table whose entries link to their slot neighbours by position, so a new
//! key costs one table slot and no allocation besides its own bytes. Compact encodings that grew into
//! their big form (intset → hashtable ...) never shrink back, as in Redis:
//! [`Keyspace::note_modified`] records that after every write.
//!
//! Time is never read here: every call that can observe expiry takes
//! `now_ms`. [`Keyspace::purge_expired`] plays the part of Redis' active
//! expire cycle and returns the keys it removed so the caller can report
//! them.

use std::collections::BTreeSet;
use std::hash::{BuildHasherDefault, Hasher};

use indexmap::map::Entry as Slot;
use indexmap::IndexMap;

use crate::engine::slot::{key_slot, SLOT_COUNT};
use crate::engine::value::Value;

/// The end of a slot's list (no newer or older key).
const NIL: u32 = u32::MAX;

/// A stored value and its absolute expiry time in Unix milliseconds.
#[derive(Debug, Clone)]
pub struct Entry {
    pub value: Value,
    pub expires_at: Option<u64>,
    /// Positions in the table of the next newer and next older key of the
    /// same slot ([`NIL`] at the ends of the list).
    newer: u32,
    older: u32,
    /// The value's encoding has grown into its big form (sticky).
    grown: bool,
}

impl PartialEq for Entry {
    /// What the entry holds; its place in the slot list is not compared.
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
            && self.expires_at == other.expires_at
            && self.grown == other.grown
    }
}

impl Entry {
    fn new(value: Value, expires_at: Option<u64>) -> Entry {
        Entry {
            value,
            expires_at,
            newer: NIL,
            older: NIL,
            grown: false,
        }
    }
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

/// One slot's list: its newest key's position in the table, and its length.
#[derive(Debug, Clone, Copy)]
struct SlotList {
    newest: u32,
    len: u32,
}

impl Default for SlotList {
    fn default() -> SlotList {
        SlotList {
            newest: NIL,
            len: 0,
        }
    }
}

/// One shard's data.
#[derive(Debug, Clone, Default)]
pub struct Keyspace {
    /// Every key once, with its entry. The table's own order means nothing
    /// (a removal moves the last entry into the hole); the slot lists,
    /// linked through the entries, give the order.
    entries: IndexMap<Vec<u8>, Entry, BuildHasherDefault<FxHasher>>,
    /// Each slot's list (indexed by slot; empty until the first key
    /// arrives, so replicas' and empty shards' cost nothing).
    slots: Vec<SlotList>,
    /// One bit per slot whose list is not empty, so that walking every key
    /// visits only those slots (16,384 lists cost a debug build dearly).
    occupied: Vec<u64>,
    expiries: BTreeSet<(u64, Vec<u8>)>,
}

/// The table position `i` as a link (tables never reach 4G entries).
fn link(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(NIL)
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
            self.insert_owned_in(key_slot(key), key.to_vec(), value, expires_at);
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
            Slot::Occupied(mut old) => {
                let old_expiry = old.get().expires_at;
                if old_expiry != expires_at {
                    if let Some(at) = old_expiry {
                        self.expiries.remove(&(at, old.key().clone()));
                    }
                    if let Some(at) = expires_at {
                        self.expiries.insert((at, old.key().clone()));
                    }
                }
                let entry = old.get_mut();
                entry.value = value;
                entry.expires_at = expires_at;
                entry.grown = false;
            }
            Slot::Vacant(new) => {
                if let Some(at) = expires_at {
                    self.expiries.insert((at, new.key().clone()));
                }
                let at = new.index();
                new.insert(Entry::new(value, expires_at));
                self.push_newest(slot, at);
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
        entry.value = value;
        entry.expires_at = expires_at;
        entry.grown = false;
        Ok(())
    }

    /// The entry at table position `at`, for relinking.
    fn at_mut(&mut self, at: u32) -> Option<&mut Entry> {
        self.entries.get_index_mut(at as usize).map(|(_, e)| e)
    }

    /// Makes the new entry at table position `at` the newest of `slot`.
    fn push_newest(&mut self, slot: u16, at: usize) {
        if self.slots.is_empty() {
            self.slots
                .resize_with(usize::from(SLOT_COUNT), SlotList::default);
            self.occupied.resize(usize::from(SLOT_COUNT) / 64, 0);
        }
        let at = link(at);
        let Some(list) = self.slots.get_mut(usize::from(slot)) else {
            return;
        };
        let older = list.newest;
        list.newest = at;
        list.len += 1;
        if let Some(word) = self.occupied.get_mut(usize::from(slot) / 64) {
            *word |= 1 << (slot % 64);
        }
        if let Some(entry) = self.at_mut(older) {
            entry.newer = at;
        }
        if let Some(entry) = self.at_mut(at) {
            entry.older = older;
            entry.newer = NIL;
        }
    }

    /// Takes the entry at `at` (of `slot`) out of its slot's list.
    fn unlink(&mut self, slot: u16, at: u32) {
        let Some(&mut Entry { newer, older, .. }) = self.at_mut(at) else {
            return;
        };
        match self.at_mut(newer) {
            Some(entry) => entry.older = older,
            None => {
                if let Some(list) = self.slots.get_mut(usize::from(slot)) {
                    list.newest = older;
                }
            }
        }
        if let Some(entry) = self.at_mut(older) {
            entry.newer = newer;
        }
        if let Some(list) = self.slots.get_mut(usize::from(slot)) {
            list.len -= 1;
            if list.len == 0 {
                if let Some(word) = self.occupied.get_mut(usize::from(slot) / 64) {
                    *word &= !(1 << (slot % 64));
                }
            }
        }
    }

    /// Points the neighbours of the entry now at `at` (moved there from
    /// the table's end by a removal) to its new position.
    fn relink_moved(&mut self, at: u32) {
        let Some((key, &Entry { newer, older, .. })) = self.entries.get_index(at as usize) else {
            return;
        };
        let slot = key_slot(key);
        match self.at_mut(newer) {
            Some(entry) => entry.older = at,
            None => {
                if let Some(list) = self.slots.get_mut(usize::from(slot)) {
                    list.newest = at;
                }
            }
        }
        if let Some(entry) = self.at_mut(older) {
            entry.newer = at;
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
        let at = self.entries.get_index_of(key)?;
        self.unlink(key_slot(key), link(at));
        let (_, entry) = self.entries.swap_remove_index(at)?;
        if at < self.entries.len() {
            self.relink_moved(link(at));
        }
        if let Some(at) = entry.expires_at {
            self.expiries.remove(&(at, key.to_vec()));
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

    /// The keys of the list starting at table position `newest`, in order.
    fn walk(&self, newest: u32) -> impl Iterator<Item = &Vec<u8>> {
        let mut at = newest;
        std::iter::from_fn(move || {
            let (key, entry) = self.entries.get_index(at as usize)?;
            at = entry.older;
            Some(key)
        })
    }

    /// The slots that hold keys, in order.
    fn occupied_slots(&self) -> impl Iterator<Item = usize> + '_ {
        self.occupied.iter().enumerate().flat_map(|(i, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(i * 64 + bit)
            })
        })
    }

    /// All keys: by slot, newest first within a slot.
    pub fn keys(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.occupied_slots()
            .filter_map(|slot| self.slots.get(slot))
            .flat_map(|list| self.walk(list.newest))
    }

    /// The keys in `slot`, newest first (Redis 7.0's slot list order).
    pub fn keys_in_slot(&self, slot: u16) -> impl Iterator<Item = &Vec<u8>> {
        let newest = self
            .slots
            .get(usize::from(slot))
            .map_or(NIL, |list| list.newest);
        self.walk(newest)
    }

    /// How many keys `slot` holds.
    pub fn count_in_slot(&self, slot: u16) -> usize {
        self.slots
            .get(usize::from(slot))
            .map_or(0, |list| list.len as usize)
    }

    /// Slots that hold at least one key, with their key counts.
    pub fn slot_counts(&self) -> impl Iterator<Item = (u16, usize)> + '_ {
        self.occupied_slots().filter_map(|slot| {
            let list = self.slots.get(slot)?;
            Some((u16::try_from(slot).ok()?, list.len as usize))
        })
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

    /// Slot lists against a plain model (newest first, overwrites keep
    /// their place) through many inserts, overwrites, removals and
    /// expiries, which move entries around the table.
    #[test]
    fn slot_lists_match_a_model_through_churn() {
        let mut ks = Keyspace::new();
        let mut model: Vec<Vec<Vec<u8>>> = vec![Vec::new(); usize::from(SLOT_COUNT)];
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        for step in 0..20_000u64 {
            let r = next();
            // Few slots (hash tags) so lists get long, plus untagged keys.
            let key = match r % 3 {
                0 => format!("{{t{}}}:{}", r % 4, (r >> 8) % 50),
                1 => format!("k{}", (r >> 8) % 300),
                _ => format!("{{t{}}}x{}", (r >> 16) % 2, (r >> 8) % 40),
            }
            .into_bytes();
            let slot = usize::from(key_slot(&key));
            match (r >> 32) % 10 {
                0..=5 => {
                    let ttl = ((r >> 40) % 4 == 0).then_some(step + 5);
                    if (r >> 44) % 2 == 0 {
                        ks.insert(&key, Value::string("v"), ttl);
                    } else {
                        ks.insert_owned(key.clone(), Value::string("v"), ttl);
                    }
                    if !model[slot].contains(&key) {
                        model[slot].insert(0, key);
                    }
                }
                6..=8 => {
                    let had = ks.remove(&key).is_some();
                    assert_eq!(had, model[slot].contains(&key));
                    model[slot].retain(|k| *k != key);
                }
                _ => {
                    for gone in ks.purge_expired(step) {
                        let s = usize::from(key_slot(&gone));
                        model[s].retain(|k| *k != gone);
                    }
                }
            }
            if step % 997 == 0 || step == 19_999 {
                let all: Vec<&Vec<u8>> = model.iter().flatten().collect();
                assert_eq!(ks.keys().collect::<Vec<_>>(), all);
                assert_eq!(ks.len(), all.len());
                for (s, keys) in model.iter().enumerate() {
                    let s16 = s as u16;
                    assert_eq!(ks.count_in_slot(s16), keys.len());
                    assert!(ks.keys_in_slot(s16).eq(keys.iter()));
                }
                let counts: Vec<(u16, usize)> = model
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| !k.is_empty())
                    .map(|(s, k)| (s as u16, k.len()))
                    .collect();
                assert_eq!(ks.slot_counts().collect::<Vec<_>>(), counts);
            }
        }
    }
}
