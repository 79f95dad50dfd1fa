//! Key → hash slot: CRC16/XMODEM over the hashed bytes, `& 16383`, with
//! Redis' exact hash-tag rule (`keyHashSlot` in `cluster.h`).
//!
//! Besides the slot, [`inspect_key`] tells *why*: which bytes were hashed
//! and which rule ([`HashRule`]) chose them, for the key inspector to draw.

use std::ops::Range;

/// Number of hash slots in a Redis Cluster.
pub const SLOT_COUNT: u16 = 16384;

/// CRC16/XMODEM (poly 0x1021, init 0, no reflection), as Redis' `crc16.c`.
pub fn crc16(bytes: &[u8]) -> u16 {
    crc16::State::<crc16::XMODEM>::calculate(bytes)
}

/// Which rule chose the hashed bytes (data only: the UI puts it in words,
/// in the learner's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashRule {
    /// No `{` in the key: the whole key is hashed.
    NoTag,
    /// A non-empty `{tag}`: only the bytes between the first `{` and the next `}`.
    Tag,
    /// The first `{` is followed directly by `}`: the whole key is hashed.
    EmptyTag,
    /// A `{` with no `}` after it: the whole key is hashed.
    UnmatchedBrace,
}

/// Everything about how a key maps to its slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHash {
    /// Byte range of the key that is hashed.
    pub hashed: Range<usize>,
    /// The rule that chose `hashed`.
    pub rule: HashRule,
    /// CRC16/XMODEM of the hashed bytes.
    pub crc: u16,
    /// `crc & 16383`.
    pub slot: u16,
}

/// The part of `key` that Redis hashes, and why.
pub fn hashed_part(key: &[u8]) -> (Range<usize>, HashRule) {
    let Some(open) = key.iter().position(|&b| b == b'{') else {
        return (0..key.len(), HashRule::NoTag);
    };
    match key[open + 1..].iter().position(|&b| b == b'}') {
        None => (0..key.len(), HashRule::UnmatchedBrace),
        Some(0) => (0..key.len(), HashRule::EmptyTag),
        Some(len) => (open + 1..open + 1 + len, HashRule::Tag),
    }
}

/// The hash slot of `key`.
pub fn key_slot(key: &[u8]) -> u16 {
    let (range, _) = hashed_part(key);
    crc16(&key[range]) & (SLOT_COUNT - 1)
}

/// The slot of `key` with the reasoning behind it.
pub fn inspect_key(key: &[u8]) -> KeyHash {
    let (hashed, rule) = hashed_part(key);
    let crc = crc16(&key[hashed.clone()]);
    KeyHash {
        hashed,
        rule,
        crc,
        slot: crc & (SLOT_COUNT - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xmodem_check_value() {
        assert_eq!(crc16(b"123456789"), 0x31C3);
    }

    #[test]
    fn tag_rules() {
        assert_eq!(hashed_part(b"foo{bar}{zap}"), (4..7, HashRule::Tag));
        assert_eq!(hashed_part(b"foo{}{bar}").1, HashRule::EmptyTag);
        assert_eq!(hashed_part(b"a{b").1, HashRule::UnmatchedBrace);
        assert_eq!(hashed_part(b"foo{{bar}}"), (4..8, HashRule::Tag));
        assert_eq!(hashed_part(b"plain").1, HashRule::NoTag);
    }

    #[test]
    fn known_slots() {
        assert_eq!(key_slot(b"foo"), 12182);
        assert_eq!(key_slot(b"somekey"), 11058);
        assert_eq!(key_slot(b"foo{hash_tag}"), 2515);
        assert_eq!(key_slot(b"{}foo"), 9500);
    }
}
