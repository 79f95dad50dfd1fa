//! Small pure helpers the playground uses to teach, kept out of the engine
//! because they are advice, not Redis behaviour:
//! - [`suggest_hash_tag`] / [`fix_line`]: a hash tag that would put keys
//!   in one slot (every claim is checked with the engine's own
//!   [`key_slot`], so a suggestion is never wrong);
//! - [`complete`]: Tab completion of command names from the command table.
//!
//! No browser code: compiled and unit-tested natively.

use crate::engine::cli::{parse_line, ParsedLine};
use crate::engine::command::{self, flags};
use crate::engine::reply::quote_repr;
use crate::engine::slot::{hashed_part, key_slot, HashRule};

/// A hash tag that puts a set of keys in one slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFix {
    /// The tag, without braces.
    pub tag: String,
    /// Each distinct key and its new name (equal when it can stay).
    pub renames: Vec<(Vec<u8>, Vec<u8>)>,
    /// The slot every new name hashes to.
    pub slot: u16,
}

impl TagFix {
    /// The new name of `key` (the key itself if it is not renamed).
    pub fn renamed<'a>(&'a self, key: &'a [u8]) -> &'a [u8] {
        self.renames
            .iter()
            .find(|(old, _)| old == key)
            .map_or(key, |(_, new)| new.as_slice())
    }
}

/// Separators trimmed off the ends of a shared part (`user:` → `user`).
fn is_separator(b: u8) -> bool {
    matches!(
        b,
        b':' | b'.' | b'_' | b'-' | b'/' | b'|' | b'#' | b' ' | b'='
    )
}

fn common_prefix_len(keys: &[&[u8]]) -> usize {
    let Some(first) = keys.first() else {
        return 0;
    };
    let mut len = first.len();
    for key in keys {
        len = len.min(
            first
                .iter()
                .zip(key.iter())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    len
}

fn common_suffix_len(keys: &[&[u8]]) -> usize {
    let Some(first) = keys.first() else {
        return 0;
    };
    let mut len = first.len();
    for key in keys {
        len = len.min(
            first
                .iter()
                .rev()
                .zip(key.iter().rev())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    len
}

/// A usable tag: non-empty valid UTF-8 without braces or control characters.
fn usable(tag: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(tag).ok()?;
    if text.is_empty() || text.chars().any(|c| c == '{' || c == '}' || c.is_control()) {
        return None;
    }
    Some(text.to_string())
}

/// Checks a candidate: every new name must hash to the tag's slot, and two
/// different keys must not end up with the same name.
fn checked(tag: String, renames: Vec<(Vec<u8>, Vec<u8>)>) -> Option<TagFix> {
    let slot = key_slot(format!("{{{tag}}}").as_bytes());
    let distinct = renames
        .iter()
        .enumerate()
        .all(|(i, (_, a))| renames[..i].iter().all(|(_, b)| a != b));
    (distinct && renames.iter().all(|(_, new)| key_slot(new) == slot)).then_some(TagFix {
        tag,
        renames,
        slot,
    })
}

/// A hash tag that would put all `keys` in one slot, built from a part they
/// share: the longest common prefix (`user123:cart`, `user123:profile` →
/// `{user123}:cart`, `{user123}:profile`), else the longest common suffix,
/// else the first key's own hashed part. `None` when the keys already share
/// a slot or no checked suggestion exists.
pub fn suggest_hash_tag(keys: &[&[u8]]) -> Option<TagFix> {
    let mut distinct: Vec<&[u8]> = Vec::new();
    for key in keys {
        if !distinct.contains(key) {
            distinct.push(key);
        }
    }
    let first = *distinct.first()?;
    if distinct.iter().all(|k| key_slot(k) == key_slot(first)) {
        return None;
    }

    // 1. A shared prefix, cut before any brace and trimmed of separators.
    let mut len = common_prefix_len(&distinct);
    if let Some(brace) = first[..len].iter().position(|&b| b == b'{' || b == b'}') {
        len = brace;
    }
    while len > 0 && is_separator(first[len - 1]) {
        len -= 1;
    }
    if let Some(tag) = usable(&first[..len]) {
        let renames = distinct
            .iter()
            .map(|k| {
                let mut new = format!("{{{tag}}}").into_bytes();
                new.extend_from_slice(&k[len..]);
                (k.to_vec(), new)
            })
            .collect();
        if let Some(fix) = checked(tag, renames) {
            return Some(fix);
        }
    }

    // 2. A shared suffix, when no key has a brace before it.
    let suffix = common_suffix_len(&distinct);
    let mut start = first.len() - suffix;
    while start < first.len() && is_separator(first[start]) {
        start += 1;
    }
    let tail = first.len() - start;
    let braces_before = distinct
        .iter()
        .any(|k| k[..k.len() - tail].iter().any(|&b| b == b'{' || b == b'}'));
    if !braces_before {
        if let Some(tag) = usable(&first[start..]) {
            let renames = distinct
                .iter()
                .map(|k| {
                    let cut = k.len() - tail;
                    let mut new = k[..cut].to_vec();
                    new.extend_from_slice(format!("{{{tag}}}").as_bytes());
                    (k.to_vec(), new)
                })
                .collect();
            if let Some(fix) = checked(tag, renames) {
                return Some(fix);
            }
        }
    }

    // 3. The first key's hashed part; keys already in that slot stay.
    let (range, _) = hashed_part(first);
    let hashed = first.get(range)?;
    let tag = usable(hashed).or_else(|| {
        // Braces or control characters in it: keep only the plain part.
        let plain: Vec<u8> = String::from_utf8_lossy(hashed)
            .chars()
            .filter(|c| !matches!(c, '{' | '}' | '\u{fffd}') && !c.is_control())
            .collect::<String>()
            .into_bytes();
        usable(&plain)
    })?;
    let slot = key_slot(format!("{{{tag}}}").as_bytes());
    let renames = distinct
        .iter()
        .map(|k| {
            if key_slot(k) == slot {
                (k.to_vec(), k.to_vec())
            } else {
                let mut new = format!("{{{tag}}}").into_bytes();
                // Drop the key's own tag so the new one is the first brace pair.
                let (r, own) = hashed_part(k);
                if own == HashRule::Tag {
                    // Only the braces go: `{y}2` → `{x}y2`.
                    new.extend_from_slice(&k[..r.start - 1]);
                    new.extend_from_slice(&k[r.clone()]);
                    new.extend_from_slice(&k[r.end + 1..]);
                } else {
                    new.extend_from_slice(k);
                }
                (k.to_vec(), new)
            }
        })
        .collect();
    checked(tag, renames)
}

/// A typed line rewritten with a hash tag so that its keys share a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFix {
    /// The fixed command line, ready to type.
    pub line: String,
    /// The tag and the renames.
    pub fix: TagFix,
}

/// Rewrites a single command whose keys span slots (`MSET user:1 a user:2 b`
/// → `MSET {user}:1 a {user}:2 b`). `None` when the line is not one command
/// with keys in several slots, or no checked fix exists.
pub fn fix_line(line: &str) -> Option<LineFix> {
    let ParsedLine::Command { repeat, argv } = parse_line(line) else {
        return None;
    };
    let spec = command::lookup(&argv).ok()?;
    let positions = spec.key_positions(&argv);
    let keys: Vec<&[u8]> = positions
        .iter()
        .filter_map(|&i| argv.get(i).map(Vec::as_slice))
        .collect();
    let fix = suggest_hash_tag(&keys)?;
    let mut words: Vec<String> = Vec::with_capacity(argv.len() + 1);
    if repeat > 1 {
        words.push(repeat.to_string());
    }
    for (i, arg) in argv.iter().enumerate() {
        let arg = if positions.contains(&i) {
            fix.renamed(arg)
        } else {
            arg
        };
        words.push(quote_arg(arg));
    }
    Some(LineFix {
        line: words.join(" "),
        fix,
    })
}

/// An argument as it must be typed for redis-cli to read it back unchanged.
pub fn quote_arg(arg: &[u8]) -> String {
    let plain = !arg.is_empty()
        && std::str::from_utf8(arg).is_ok_and(|s| {
            !s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\'')
        });
    if plain {
        String::from_utf8_lossy(arg).into_owned()
    } else {
        quote_repr(arg)
    }
}

/// What Tab does to a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The line after completion.
    pub line: String,
    /// The names that matched, when more than one did.
    pub candidates: Vec<String>,
}

/// Tab completion of command names (and of a container's subcommands:
/// `CLUSTER K` → `CLUSTER KEYSLOT `), from the engine's command table.
/// Names are completed in upper case, as redis-cli does. `None` when
/// nothing matches or the caret is past the command name.
pub fn complete(line: &str) -> Option<Completion> {
    let words: Vec<&str> = line.split_ascii_whitespace().collect();
    let trailing_space = line.ends_with(|c: char| c.is_ascii_whitespace());
    let (prefix, typed, names): (String, &str, Vec<String>) =
        match (words.as_slice(), trailing_space) {
            ([word], false) => (
                String::new(),
                word,
                command::all()
                    .filter(|s| !s.name.contains('|'))
                    .map(|s| s.name.to_ascii_uppercase())
                    .collect(),
            ),
            ([container], true) | ([container, _], false) => {
                let spec = command::find(container.as_bytes())?;
                if spec.flags & flags::CONTAINER == 0 {
                    return None;
                }
                let typed = words.get(1).copied().unwrap_or("");
                let head = format!("{}|", spec.name);
                (
                    format!("{} ", spec.name.to_ascii_uppercase()),
                    typed,
                    command::all()
                        .filter_map(|s| s.name.strip_prefix(&head))
                        .map(str::to_ascii_uppercase)
                        .collect(),
                )
            }
            _ => return None,
        };
    let mut matches: Vec<String> = names
        .into_iter()
        .filter(|n| n.len() >= typed.len() && n[..typed.len()].eq_ignore_ascii_case(typed))
        .collect();
    matches.sort();
    matches.dedup();
    match matches.as_slice() {
        [] => None,
        [only] => Some(Completion {
            line: format!("{prefix}{only} "),
            candidates: Vec::new(),
        }),
        [first, rest @ ..] => {
            let mut len = first.len();
            for m in rest {
                len = len.min(
                    first
                        .bytes()
                        .zip(m.bytes())
                        .take_while(|(a, b)| a == b)
                        .count(),
                );
            }
            let stem = if len > typed.len() {
                first[..len].to_string()
            } else {
                typed.to_string()
            };
            Some(Completion {
                line: format!("{prefix}{stem}"),
                candidates: matches,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<'a>(list: &[&'a str]) -> Vec<&'a [u8]> {
        list.iter().map(|k| k.as_bytes()).collect()
    }

    fn new_names(fix: &TagFix) -> Vec<String> {
        fix.renames
            .iter()
            .map(|(_, n)| String::from_utf8_lossy(n).into_owned())
            .collect()
    }

    #[test]
    fn prefix_becomes_the_tag() {
        let fix = suggest_hash_tag(&keys(&["user:1", "user:2"])).expect("a fix");
        assert_eq!(fix.tag, "user");
        assert_eq!(new_names(&fix), ["{user}:1", "{user}:2"]);
        // CLUSTER KEYSLOT {user}:1 on redis-server 7.0.15 answers 5474.
        assert_eq!(fix.slot, 5474);
        let fix = suggest_hash_tag(&keys(&["user123:cart", "user123:profile"])).expect("a fix");
        assert_eq!(fix.tag, "user123");
        assert_eq!(new_names(&fix), ["{user123}:cart", "{user123}:profile"]);
    }

    #[test]
    fn suffix_then_first_key_fallbacks() {
        let fix = suggest_hash_tag(&keys(&["a:stats", "b:stats"])).expect("a fix");
        assert_eq!(fix.tag, "stats");
        assert_eq!(new_names(&fix), ["a:{stats}", "b:{stats}"]);
        // Nothing shared: the first key's hashed part; "a" already hashes "a".
        let fix = suggest_hash_tag(&keys(&["a", "b"])).expect("a fix");
        assert_eq!(fix.tag, "a");
        assert_eq!(new_names(&fix), ["a", "{a}b"]);
        // Different tags: the first one wins and replaces the other.
        let fix = suggest_hash_tag(&keys(&["{x}1", "{y}2"])).expect("a fix");
        assert_eq!(fix.tag, "x");
        assert_eq!(new_names(&fix), ["{x}1", "{x}y2"]);
        let fix = suggest_hash_tag(&keys(&["{a}x", "{b}x"])).expect("a fix");
        assert_eq!(new_names(&fix), ["{a}x", "{a}bx"]);
    }

    #[test]
    fn every_suggestion_is_checked() {
        for set in [
            vec!["user:1", "user:2", "user:3"],
            vec!["{a}x", "{b}x"],
            vec!["x{", "y{"],
            vec!["k\u{7f}1", "k\u{7f}2"],
            vec!["order:{7}:items", "order:{8}:items"],
        ] {
            let fix = suggest_hash_tag(&keys(&set)).expect("a fix");
            for (_, new) in &fix.renames {
                assert_eq!(key_slot(new), fix.slot, "{set:?} -> {:?}", new_names(&fix));
            }
        }
        assert_eq!(suggest_hash_tag(&keys(&["{u}1", "{u}2"])), None);
        assert_eq!(suggest_hash_tag(&keys(&["same", "same"])), None);
        assert_eq!(suggest_hash_tag(&[]), None);
    }

    #[test]
    fn fixes_a_typed_line() {
        let fix = fix_line("MSET user:1 a user:2 b").expect("a fix");
        assert_eq!(fix.line, "MSET {user}:1 a {user}:2 b");
        let fix = fix_line("mget \"my key:1\" \"my key:2\"").expect("a fix");
        assert_eq!(fix.line, "mget \"{my key}:1\" \"{my key}:2\"");
        assert_eq!(fix_line("SET foo bar"), None);
        assert_eq!(fix_line("MSET {u}1 a {u}2 b"), None);
        assert_eq!(fix_line("NOPE a b"), None);
    }

    #[test]
    fn completes_command_names() {
        assert_eq!(
            complete("incrbyf"),
            Some(Completion {
                line: "INCRBYFLOAT ".into(),
                candidates: vec![]
            })
        );
        let c = complete("getr").expect("matches");
        assert_eq!(c.line, "GETRANGE ");
        let c = complete("ge").expect("matches");
        assert_eq!(c.line, "GET");
        assert!(c.candidates.contains(&"GETDEL".to_string()), "{c:?}");
        assert_eq!(
            complete("cluster k").map(|c| c.line),
            Some("CLUSTER KEYSLOT ".into())
        );
        let c = complete("CLUSTER ").expect("subcommands");
        assert!(c.candidates.contains(&"KEYSLOT".to_string()));
        assert_eq!(complete("get foo"), None);
        assert_eq!(complete("zzz"), None);
        assert_eq!(complete(""), None);
    }
}
