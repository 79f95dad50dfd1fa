//! What the key inspector shows, computed from the typed line and the
//! cluster: which arguments are keys (from the command table's key specs),
//! which bytes of each key are hashed, the CRC16, the slot and the master
//! that owns it.
//!
//! Pure: no web-sys, js-sys or gloo. Keys may be any bytes (`"\xff"` in
//! double quotes), so everything shown goes through [`show_bytes`].

use crate::engine::cli::split_args;
use crate::engine::cluster::Cluster;
use crate::engine::command::{self, flags, KeySpec};
use crate::engine::slot::{inspect_key, HashRule, SLOT_COUNT};
use crate::i18n::{tr, trf, Lang};

/// Keys drawn in full; the rest of a huge MSET is only counted.
pub const MAX_SHOWN_KEYS: usize = 12;

/// One key, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyReport {
    /// Position of the key in argv (0 = the command name).
    pub position: usize,
    /// The key before the hashed part, escaped for display.
    pub before: String,
    /// The hashed part.
    pub hashed: String,
    /// The key after the hashed part.
    pub after: String,
    /// Whether a hash tag chose the hashed part.
    pub tagged: bool,
    /// The rule that chose the hashed part ([`rule_text`] puts it in words).
    pub rule: HashRule,
    /// CRC16/XMODEM of the hashed bytes.
    pub crc: u16,
    /// `crc % 16384`.
    pub slot: u16,
    /// Port of the master that owns the slot.
    pub owner_port: Option<u16>,
    /// Index of that master among the masters (for the shard colour).
    pub shard: Option<usize>,
}

/// What the inspector shows for the typed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineReport {
    /// Nothing typed yet.
    Empty,
    /// Quotes do not balance: redis-cli would print `Invalid argument(s)`.
    Unbalanced,
    /// The command is not in the playground's table.
    Unknown { name: String },
    /// A container (`OBJECT`, `CLUSTER` ...) still waiting for its subcommand.
    NeedsSubcommand { name: String },
    /// A known command that never takes keys.
    Keyless { name: String },
    /// A command whose keys are not typed yet.
    AwaitingKeys { name: String },
    /// A command with keys.
    Keys {
        name: String,
        /// The first [`MAX_SHOWN_KEYS`] keys.
        keys: Vec<KeyReport>,
        /// How many keys there are in all.
        total: usize,
        /// Number of distinct slots among all keys.
        distinct_slots: usize,
    },
}

/// Reports on the key at `position` of a command, or on a free key.
pub fn report_key(cluster: &Cluster, key: &[u8], position: usize) -> KeyReport {
    let hash = inspect_key(key);
    let range = hash.hashed.clone();
    let owner = cluster.topology.owner(hash.slot);
    let shard = owner.and_then(|node| {
        crate::ui::map::shard_masters(&cluster.topology)
            .iter()
            .position(|&m| m == node)
    });
    KeyReport {
        position,
        before: show_bytes(key.get(..range.start).unwrap_or_default()),
        hashed: show_bytes(key.get(range.clone()).unwrap_or_default()),
        after: show_bytes(key.get(range.end..).unwrap_or_default()),
        tagged: hash.rule == HashRule::Tag,
        rule: hash.rule,
        crc: hash.crc,
        slot: hash.slot,
        owner_port: owner.and_then(|node| cluster.topology.nodes.get(node).map(|n| n.port)),
        shard,
    }
}

/// Reports on the keys of the line being typed.
pub fn report_line(cluster: &Cluster, line: &str) -> LineReport {
    let Some(mut argv) = split_args(line.as_bytes()) else {
        return LineReport::Unbalanced;
    };
    // redis-cli's repeat prefix: `3 INCR x`.
    if argv.len() > 1 && is_repeat_count(&argv[0]) {
        argv.remove(0);
    }
    let Some(first) = argv.first() else {
        return LineReport::Empty;
    };
    let Some(mut spec) = command::find(first) else {
        return LineReport::Unknown {
            name: show_bytes(first),
        };
    };
    if spec.flags & flags::CONTAINER != 0 {
        let Some(sub) = argv.get(1) else {
            return LineReport::NeedsSubcommand {
                name: spec.name.to_ascii_uppercase(),
            };
        };
        let mut full = spec.name.as_bytes().to_vec();
        full.push(b'|');
        full.extend_from_slice(sub);
        match command::find(&full) {
            Some(sub_spec) => spec = sub_spec,
            None => {
                return LineReport::Unknown {
                    name: format!("{} {}", spec.name.to_ascii_uppercase(), show_bytes(sub)),
                }
            }
        }
    }
    let name = spec.name.replace('|', " ").to_ascii_uppercase();
    if spec.keys == KeySpec::None {
        return LineReport::Keyless { name };
    }
    let positions = spec.key_positions(&argv);
    if positions.is_empty() {
        return LineReport::AwaitingKeys { name };
    }
    let mut seen = vec![false; usize::from(SLOT_COUNT)];
    let mut distinct_slots = 0;
    let mut keys = Vec::new();
    for (n, &pos) in positions.iter().enumerate() {
        let Some(key) = argv.get(pos) else { continue };
        if n < MAX_SHOWN_KEYS {
            keys.push(report_key(cluster, key, pos));
        }
        let slot = crate::engine::slot::key_slot(key);
        if let Some(flag) = seen.get_mut(usize::from(slot)) {
            if !*flag {
                *flag = true;
                distinct_slots += 1;
            }
        }
    }
    LineReport::Keys {
        name,
        keys,
        total: positions.len(),
        distinct_slots,
    }
}

/// A word redis-cli would take as a repeat count (digits with an optional sign).
fn is_repeat_count(word: &[u8]) -> bool {
    let digits = match word.first() {
        Some(b'-' | b'+') => &word[1..],
        _ => word,
    };
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

/// Bytes as readable text: valid UTF-8 as is, control characters and
/// invalid bytes as `\xNN` (so nothing is lost and nothing breaks the page).
pub fn show_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                match c {
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    _ => {
                        let mut buf = [0u8; 4];
                        for b in c.encode_utf8(&mut buf).bytes() {
                            out.push_str(&format!("\\x{b:02x}"));
                        }
                    }
                }
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The name the UI gives the `index`-th master's shard ("shard 1" …) in `lang`.
pub fn shard_label(lang: Lang, index: usize) -> String {
    trf(lang, "shard.name", &[("n", &(index + 1).to_string())])
}

/// A hash-tag rule in words, in `lang`.
pub fn rule_text(lang: Lang, rule: HashRule) -> &'static str {
    tr(
        lang,
        match rule {
            HashRule::NoTag => "inspect.rule_no_tag",
            HashRule::Tag => "inspect.rule_tag",
            HashRule::EmptyTag => "inspect.rule_empty_tag",
            HashRule::UnmatchedBrace => "inspect.rule_unmatched",
        },
    )
}

/// The distinct slots of the keys of a typed line (at most
/// [`MAX_SHOWN_KEYS`]), for the map's preview marks.
pub fn line_slots(line: &str) -> Vec<u16> {
    let Some(argv) = split_args(line.as_bytes()) else {
        return Vec::new();
    };
    let argv = match argv.first() {
        Some(first) if argv.len() > 1 && is_repeat_count(first) => &argv[1..],
        _ => &argv[..],
    };
    let Some(mut spec) = argv.first().and_then(|name| command::find(name)) else {
        return Vec::new();
    };
    if spec.flags & flags::CONTAINER != 0 {
        let Some(sub) = argv.get(1) else {
            return Vec::new();
        };
        let mut full = spec.name.as_bytes().to_vec();
        full.push(b'|');
        full.extend_from_slice(sub);
        match command::find(&full) {
            Some(sub_spec) => spec = sub_spec,
            None => return Vec::new(),
        }
    }
    let mut slots: Vec<u16> = Vec::new();
    for pos in spec.key_positions(argv).into_iter().take(MAX_SHOWN_KEYS) {
        let Some(key) = argv.get(pos) else { continue };
        let slot = crate::engine::slot::key_slot(key);
        if !slots.contains(&slot) {
            slots.push(slot);
        }
    }
    slots
}
