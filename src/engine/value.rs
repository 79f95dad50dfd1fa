//! The typed values a key can hold, with the type names TYPE prints and the
//! encodings OBJECT ENCODING reports on Redis 7.0.
//!
//! Orderings follow what a 7.0 server shows where it is deterministic: a
//! small hash (listpack) iterates in insertion order, an all-integer set
//! (intset) in numeric order. Where Redis' order depends on its dict's hash
//! seed (big hashes, sets of strings) slotlab uses a stable order and the
//! golden tests compare such replies as multisets.

use std::collections::{BTreeSet, HashMap, VecDeque};

use indexmap::IndexMap;

/// A sorted-set score with a total order (Redis never stores NaN).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score(pub f64);

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    /// Numeric order as C compares doubles: `-0` and `0` are equal (members
    /// with those scores are then ordered by name, as in Redis' skiplist).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0
            .partial_cmp(&other.0)
            .unwrap_or_else(|| self.0.total_cmp(&other.0))
    }
}

/// A sorted set: members ordered by (score, member), plus a member → score index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SortedSet {
    pub by_score: BTreeSet<(Score, Vec<u8>)>,
    pub scores: HashMap<Vec<u8>, f64>,
}

impl SortedSet {
    /// Inserts or updates `member`; returns true when it was new.
    pub fn insert(&mut self, member: Vec<u8>, score: f64) -> bool {
        match self.scores.insert(member.clone(), score) {
            Some(old) => {
                self.by_score.remove(&(Score(old), member.clone()));
                self.by_score.insert((Score(score), member));
                false
            }
            None => {
                self.by_score.insert((Score(score), member));
                true
            }
        }
    }

    /// Removes `member`; returns true when it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self.scores.remove(member) {
            Some(old) => {
                self.by_score.remove(&(Score(old), member.to_vec()));
                true
            }
            None => false,
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// True when there are no members.
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// The 0-based rank of `member` in ascending order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        let score = *self.scores.get(member)?;
        Some(
            self.by_score
                .range(..(Score(score), member.to_vec()))
                .count(),
        )
    }
}

/// The value stored under a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string, with how Redis created its object (see [`StrEncoding`]),
    /// which decides what OBJECT ENCODING says.
    Str {
        bytes: Vec<u8>,
        enc: StrEncoding,
    },
    List(VecDeque<Vec<u8>>),
    /// Boxed, as is the sorted set: inline they made every `Value` (and
    /// so every keyspace entry) 56 bytes in wasm32 for the sake of types
    /// most keys never have; boxed, a `Value` is as small as a string's.
    Hash(Box<IndexMap<Vec<u8>, Vec<u8>>>),
    Set(BTreeSet<Vec<u8>>),
    ZSet(Box<SortedSet>),
}

/// How a string value's object was made, which is what OBJECT ENCODING reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StrEncoding {
    /// Passed through `tryObjectEncoding` (SET, MSET, GETSET, APPEND on a
    /// missing key ...): `int` for a strict integer of at most 20 bytes,
    /// `embstr` up to 44 bytes, `raw` above.
    #[default]
    Auto,
    /// Made by `createStringObject` without encoding (INCRBYFLOAT's result):
    /// `embstr` up to 44 bytes even when it looks like an integer, `raw` above.
    Plain,
    /// Modified in place (APPEND, SETRANGE): always `raw`.
    Raw,
}

/// Limits of the compact encodings in a default 7.0 config.
const LISTPACK_MAX_ENTRIES: usize = 128;
const LISTPACK_MAX_VALUE: usize = 64;
const INTSET_MAX_ENTRIES: usize = 512;
const EMBSTR_MAX: usize = 44;

impl Value {
    /// A fresh string value.
    pub fn string(bytes: impl Into<Vec<u8>>) -> Value {
        Value::Str {
            bytes: bytes.into(),
            enc: StrEncoding::Auto,
        }
    }

    /// A string value with an explicit [`StrEncoding`].
    pub fn string_with(bytes: impl Into<Vec<u8>>, enc: StrEncoding) -> Value {
        Value::Str {
            bytes: bytes.into(),
            enc,
        }
    }

    /// The name TYPE prints.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str { .. } => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
        }
    }

    /// The encoding Redis 7.0 reports for this value if it has never been
    /// converted (`grown == false`), or after a conversion to the big form,
    /// which Redis never undoes for hashes, sets and sorted sets.
    pub fn encoding_after(&self, grown: bool) -> &'static str {
        match self {
            Value::Hash(_) if grown => "hashtable",
            Value::Set(_) if grown => "hashtable",
            Value::ZSet(_) if grown => "skiplist",
            _ => self.encoding(),
        }
    }

    /// True when this value's current contents need the big encoding.
    pub fn has_big_encoding(&self) -> bool {
        matches!(
            (self, self.encoding()),
            (Value::Hash(_), "hashtable")
                | (Value::Set(_), "hashtable")
                | (Value::ZSet(_), "skiplist")
        )
    }

    /// The encoding OBJECT ENCODING reports on Redis 7.0 for these contents.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str { bytes, enc } => match enc {
                StrEncoding::Auto if bytes.len() <= 20 && parse_strict_i64(bytes).is_some() => {
                    "int"
                }
                StrEncoding::Auto | StrEncoding::Plain if bytes.len() <= EMBSTR_MAX => "embstr",
                _ => "raw",
            },
            Value::List(_) => "quicklist",
            Value::Hash(map) => {
                let small = map.len() <= LISTPACK_MAX_ENTRIES
                    && map.iter().all(|(f, v)| {
                        f.len() <= LISTPACK_MAX_VALUE && v.len() <= LISTPACK_MAX_VALUE
                    });
                if small {
                    "listpack"
                } else {
                    "hashtable"
                }
            }
            Value::Set(set) => {
                if set.len() <= INTSET_MAX_ENTRIES && set_is_all_integers(set) {
                    "intset"
                } else {
                    "hashtable"
                }
            }
            Value::ZSet(z) => {
                let small = z.len() <= LISTPACK_MAX_ENTRIES
                    && z.scores.keys().all(|m| m.len() <= LISTPACK_MAX_VALUE);
                if small {
                    "listpack"
                } else {
                    "skiplist"
                }
            }
        }
    }
}

/// Members of a set in the order SMEMBERS prints them: numeric order for an
/// intset (as Redis), byte order otherwise (Redis' order is hash-seeded).
pub fn set_members_in_order(set: &BTreeSet<Vec<u8>>) -> Vec<&Vec<u8>> {
    let mut members: Vec<&Vec<u8>> = set.iter().collect();
    if set.len() <= INTSET_MAX_ENTRIES && set_is_all_integers(set) {
        members.sort_by_key(|m| parse_strict_i64(m).unwrap_or(0));
    }
    members
}

fn set_is_all_integers(set: &BTreeSet<Vec<u8>>) -> bool {
    set.iter().all(|m| parse_strict_i64(m).is_some())
}

/// `string2ll`: a strict base-10 i64 (no spaces, no `+`, no leading zeros,
/// `-0` rejected), exactly as Redis accepts integers.
pub fn parse_strict_i64(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() > 20 {
        return None;
    }
    if bytes == b"0" {
        return Some(0);
    }
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    if digits.is_empty() || digits[0] == b'0' || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    text.parse::<i64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_integers() {
        assert_eq!(parse_strict_i64(b"10"), Some(10));
        assert_eq!(parse_strict_i64(b"-5"), Some(-5));
        assert_eq!(parse_strict_i64(b"0"), Some(0));
        assert_eq!(parse_strict_i64(b"-0"), None);
        assert_eq!(parse_strict_i64(b"007"), None);
        assert_eq!(parse_strict_i64(b" 1"), None);
        assert_eq!(parse_strict_i64(b"+1"), None);
        assert_eq!(parse_strict_i64(b"9223372036854775808"), None);
    }

    #[test]
    fn string_encodings() {
        assert_eq!(Value::string("123").encoding(), "int");
        assert_eq!(Value::string("abc").encoding(), "embstr");
        assert_eq!(Value::string(vec![b'x'; 45]).encoding(), "raw");
        // Seen on 7.0.15: INCRBYFLOAT f 1.5 twice -> "3", OBJECT ENCODING f -> embstr.
        assert_eq!(
            Value::string_with("3", StrEncoding::Plain).encoding(),
            "embstr"
        );
        // SET a 1, APPEND a 2 -> OBJECT ENCODING a -> raw.
        assert_eq!(Value::string_with("12", StrEncoding::Raw).encoding(), "raw");
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    /// Every keyspace entry holds a `Value`: keep it small, the big
    /// variants boxed (a list's four words and the tag: 20 bytes in
    /// wasm32, 40 on 64-bit targets; 56 and 80 with them inline).
    #[test]
    fn a_value_is_five_words_at_most() {
        assert!(std::mem::size_of::<Value>() <= 5 * std::mem::size_of::<usize>());
    }
}
