//! Keyless server commands: PING, ECHO, DBSIZE, KEYS, SCAN, RANDOMKEY,
//! FLUSHALL and FLUSHDB.
//!
//! None of them has keys, so the router never redirects them: like a real
//! cluster node, each one only sees (and FLUSHALL/FLUSHDB only empty) the
//! keyspace of the node it was sent to.
//!
//! Key order: Redis walks its hash table, whose order depends on a seeded
//! hash; slotlab uses the keyspace's stable order (by slot, then bytes) for
//! KEYS, SCAN and RANDOMKEY, and a SCAN cursor is simply a position in that
//! order. The golden tests compare KEYS/SCAN replies as sets.

use crate::engine::cmd::args::{c_str, is};
use crate::engine::command::flags::*;
use crate::engine::command::{spec as entry, CommandSpec, Ctx, KeySpec};
use crate::engine::error::RedisError;
use crate::engine::glob::glob_match;
use crate::engine::reply::Reply;

/// An entry without keys.
const fn spec(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::engine::command::Handler,
) -> CommandSpec {
    entry(name, arity, flags, KeySpec::None, handler)
}

/// The server commands, with arity and flags from `COMMAND INFO` on 7.0.15.
pub static COMMANDS: &[CommandSpec] = &[
    spec("ping", -1, FAST, ping),
    spec("echo", 2, LOADING | STALE | FAST, echo),
    spec("dbsize", 1, READONLY | FAST, dbsize),
    spec("keys", 2, READONLY, keys),
    spec("scan", -2, READONLY, scan),
    spec("randomkey", 1, READONLY, randomkey),
    spec("flushall", -1, WRITE, flushall),
    spec("flushdb", -1, WRITE, flushdb),
];

/// Returns the server's liveliness response (`PONG`, or the message as a bulk string)
///
/// # Format
/// ```text
/// PING [message]
/// ```
pub fn ping(_: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    match argv {
        [_] => Ok(Reply::Status("PONG".into())),
        [_, message] => Ok(Reply::bulk(message)),
        _ => Err(RedisError::WrongArity {
            name: "ping".into(),
        }),
    }
}

/// Returns the given string
///
/// # Format
/// ```text
/// ECHO message
/// ```
pub fn echo(_: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::bulk(argv.get(1).map_or(&[][..], Vec::as_slice)))
}

/// Returns the number of keys in this node's keyspace
///
/// # Format
/// ```text
/// DBSIZE
/// ```
pub fn dbsize(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::Integer(ctx.db.len() as i64))
}

/// True when `key` matches a KEYS / SCAN MATCH pattern; Redis special-cases
/// a lone `*`, which matches everything including the empty key (that
/// `stringmatchlen` alone would not match).
fn pattern_matches(pattern: &[u8], key: &[u8]) -> bool {
    pattern == b"*" || glob_match(pattern, key, false)
}

/// Returns all key names that match a pattern
///
/// # Format
/// ```text
/// KEYS pattern
/// ```
pub fn keys(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let pattern = argv.get(1).map_or(&[][..], Vec::as_slice);
    Ok(Reply::bulks(
        ctx.db.keys().filter(|k| pattern_matches(pattern, k)),
    ))
}

/// `parseScanCursorOrReply`: `strtoul` in base 10, refusing a leading
/// space, trailing bytes and out-of-range values. Like `strtoul` it accepts
/// `+`, a `-` that wraps around, leading zeros and the empty string (0).
fn parse_cursor(arg: &[u8]) -> Result<u64, RedisError> {
    let text = c_str(arg);
    if text.len() != arg.len() {
        return Err(RedisError::InvalidCursor);
    }
    let (neg, digits) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if text.is_empty() {
        return Ok(0);
    }
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(RedisError::InvalidCursor);
    }
    let mut value: u64 = 0;
    for &d in digits {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
            .ok_or(RedisError::InvalidCursor)?;
    }
    Ok(if neg { value.wrapping_neg() } else { value })
}

/// Incrementally iterates over this node's key names
///
/// # Format
/// ```text
/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
/// ```
pub fn scan(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let cursor = parse_cursor(argv.get(1).map_or(&[][..], Vec::as_slice))?;
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut type_name: Option<&[u8]> = None;
    let mut i = 2;
    while i < argv.len() {
        let opt = c_str(&argv[i]);
        let value = argv.get(i + 1).ok_or(RedisError::Syntax)?;
        if is(opt, "count") {
            count = crate::engine::cmd::args::int(value)?;
            if count < 1 {
                return Err(RedisError::Syntax);
            }
        } else if is(opt, "match") {
            pattern = Some(value);
        } else if is(opt, "type") {
            type_name = Some(c_str(value));
        } else {
            return Err(RedisError::Syntax);
        }
        i += 2;
    }
    let total = ctx.db.len() as u64;
    let start = cursor.min(total);
    let end = start.saturating_add(count as u64).min(total);
    let next = if end >= total { 0 } else { end };
    let found: Vec<&Vec<u8>> = ctx
        .db
        .keys()
        .skip(start as usize)
        .take((end - start) as usize)
        .filter(|k| pattern.is_none_or(|p| pattern_matches(p, k)))
        .filter(|k| {
            type_name.is_none_or(|t| {
                ctx.db
                    .value(k)
                    .is_some_and(|v| t.eq_ignore_ascii_case(v.type_name().as_bytes()))
            })
        })
        .collect();
    Ok(Reply::Array(vec![
        Reply::bulk(next.to_string()),
        Reply::bulks(found),
    ]))
}

/// Returns a random key name from this node's keyspace (nil when empty)
///
/// # Format
/// ```text
/// RANDOMKEY
/// ```
pub fn randomkey(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let n = ctx.db.len() as u64;
    if n == 0 {
        return Ok(Reply::NilBulk);
    }
    let pick = (ctx.random % n) as usize;
    Ok(Reply::bulk_or_nil(ctx.db.keys().nth(pick)))
}

/// `getFlushCommandFlags`: nothing, `SYNC` or `ASYNC`.
fn check_flush_args(argv: &[Vec<u8>]) -> Result<(), RedisError> {
    match argv {
        [_] => Ok(()),
        [_, mode] if is(c_str(mode), "sync") || is(c_str(mode), "async") => Ok(()),
        _ => Err(RedisError::Syntax),
    }
}

/// Empties this node's keyspace, signalling every key that existed.
fn flush(ctx: &mut Ctx<'_>) {
    let existed: Vec<Vec<u8>> = ctx.db.keys().cloned().collect();
    ctx.db.clear();
    for key in existed {
        ctx.touch(&key);
    }
}

/// Removes all keys from all databases of this node (a cluster node has
/// only its own shard)
///
/// # Format
/// ```text
/// FLUSHALL [ASYNC | SYNC]
/// ```
pub fn flushall(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    check_flush_args(argv)?;
    flush(ctx);
    Ok(Reply::ok())
}

/// Removes all keys from the current database of this node
///
/// # Format
/// ```text
/// FLUSHDB [ASYNC | SYNC]
/// ```
pub fn flushdb(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    check_flush_args(argv)?;
    flush(ctx);
    Ok(Reply::ok())
}

#[cfg(test)]
mod tests {
    use super::parse_cursor;
    use crate::engine::cmd::strings::tests::{err, T};
    use crate::engine::reply::Reply;

    fn bulks(items: &[&str]) -> Reply {
        Reply::bulks(items.iter().copied())
    }

    fn scan_reply(cursor: &str, items: &[&str]) -> Reply {
        Reply::Array(vec![Reply::bulk(cursor), bulks(items)])
    }

    #[test]
    fn ping_and_echo() {
        // ping -> +PONG; ping hi -> "hi" (bulk); ping a b -> ERR wrong number of arguments
        // for 'ping' command; echo -> arity error; echo x -> "x"
        let mut t = T::new();
        assert_eq!(t.run("ping"), Reply::Status("PONG".into()));
        assert_eq!(t.run("ping hi"), Reply::bulk("hi"));
        assert_eq!(
            t.run("ping a b"),
            err("ERR wrong number of arguments for 'ping' command")
        );
        assert_eq!(
            t.run("echo"),
            err("ERR wrong number of arguments for 'echo' command")
        );
        assert_eq!(t.run("echo x"), Reply::bulk("x"));
    }

    #[test]
    fn keys_patterns() {
        // With keys "", a, b (and abc): keys * -> every key including ""; keys "" -> [""];
        // keys ** -> not the empty key; keys a* -> a, abc; keys ? -> one-byte keys.
        // Keys here: "" (slot 0), b, hoge, bar — all on 7000.
        let mut t = T::new();
        t.run("set '' e");
        t.run("set b 1");
        t.run("set bar 2");
        t.run("set hoge 3");
        let all = t.run("keys *");
        assert_eq!(all, bulks(&["", "hoge", "b", "bar"]));
        assert_eq!(t.run("keys ''"), bulks(&[""]));
        assert_eq!(t.run("keys **"), bulks(&["hoge", "b", "bar"]));
        assert_eq!(t.run("keys b*"), bulks(&["b", "bar"]));
        assert_eq!(t.run("keys ?"), bulks(&["b"]));
        assert_eq!(t.run("keys *r"), bulks(&["bar"]));
        assert_eq!(t.run("keys [bh]*"), bulks(&["hoge", "b", "bar"]));
        assert_eq!(t.run("dbsize"), Reply::Integer(4));
        // Other nodes' keyspaces are separate: 7001 sees nothing.
        let other = t.c.connect(7001).unwrap();
        let reply =
            t.c.execute(other, &[b"keys".to_vec(), b"*".to_vec()], t.now);
        assert_eq!(reply.reply, Reply::Array(vec![]));
    }

    #[test]
    fn scan_cursor_parsing() {
        // scan x / " 1" / - / 1.5 / 18446744073709551616 / -18446744073709551616 ->
        // ERR invalid cursor; scan -1, +1, 01, 00, -0, "" are accepted (strtoul).
        for bad in [
            "x",
            " 1",
            "1 ",
            "-",
            "+",
            "1.5",
            "18446744073709551616",
            "-18446744073709551616",
            "1\0",
        ] {
            assert!(parse_cursor(bad.as_bytes()).is_err(), "{bad:?}");
        }
        assert_eq!(parse_cursor(b""), Ok(0));
        assert_eq!(parse_cursor(b"-0"), Ok(0));
        assert_eq!(parse_cursor(b"00"), Ok(0));
        assert_eq!(parse_cursor(b"+1"), Ok(1));
        assert_eq!(parse_cursor(b"01"), Ok(1));
        assert_eq!(parse_cursor(b"-1"), Ok(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_cursor(b"-18446744073709551615"), Ok(1));
    }

    #[test]
    fn scan_options_and_errors() {
        // scan 0 count 0 / -1 -> ERR syntax error; count x -> not an integer;
        // count 9223372036854775808 -> not an integer; scan 0 count / match / type / foo
        // / foo bar -> syntax error; scan x foo -> invalid cursor (cursor first);
        // scan 0 type foo -> empty; type LIST -> case-insensitive.
        let mut t = T::new();
        t.run("set b 1");
        t.run("set bar 2");
        t.run("set hoge x");
        t.list("hoge");
        t.list("bar");
        let syntax = err("ERR syntax error");
        for bad in [
            "scan 0 count 0",
            "scan 0 count -1",
            "scan 0 count",
            "scan 0 match",
            "scan 0 type",
            "scan 0 foo",
            "scan 0 foo bar",
            "scan 0 count 1 match",
        ] {
            assert_eq!(t.run(bad), syntax, "{bad}");
        }
        let not_int = err("ERR value is not an integer or out of range");
        assert_eq!(t.run("scan 0 count x"), not_int);
        assert_eq!(t.run("scan 0 count 9223372036854775808"), not_int);
        assert_eq!(t.run("scan x foo"), err("ERR invalid cursor"));
        assert_eq!(t.run("scan 0 type foo"), scan_reply("0", &[]));
        assert_eq!(t.run("scan 0 type LIST"), scan_reply("0", &[]));
        assert_eq!(
            t.run("scan 0 type string"),
            scan_reply("0", &["hoge", "b", "bar"])
        );
        assert_eq!(
            t.run("scan 0 MATCH * COUNT 1000 TYPE string"),
            scan_reply("0", &["hoge", "b", "bar"])
        );
        // On the side keyspace, hoge and bar are lists.
        assert_eq!(t.raw("scan 0 type list"), scan_reply("0", &["hoge", "bar"]));
        assert_eq!(
            t.run("scan 0 match b* match h*"),
            scan_reply("0", &["hoge"])
        );
        assert_eq!(
            t.run("scan 0 count 9223372036854775807"),
            scan_reply("0", &["hoge", "b", "bar"])
        );
    }

    #[test]
    fn scan_walks_by_position() {
        // The cursor is a position in the stable order; "0" when the walk is done.
        let mut t = T::new();
        for key in ["b", "bar", "hoge", "n", "s"] {
            t.run(&format!("set {key} 1"));
        }
        let order = match t.run("keys *") {
            Reply::Array(items) => items,
            other => panic!("{other:?}"),
        };
        assert_eq!(order.len(), 5);
        let mut seen = Vec::new();
        let mut cursor = "0".to_string();
        loop {
            let reply = t.run(&format!("scan {cursor} count 2"));
            let Reply::Array(parts) = reply else {
                panic!("not an array")
            };
            let Reply::Bulk(next) = &parts[0] else {
                panic!("no cursor")
            };
            let Reply::Array(keys) = &parts[1] else {
                panic!("no keys")
            };
            seen.extend(keys.iter().cloned());
            cursor = String::from_utf8(next.clone()).unwrap();
            if cursor == "0" {
                break;
            }
        }
        assert_eq!(seen, order);
        assert_eq!(t.run("scan 100"), scan_reply("0", &[]));
        assert_eq!(t.run("scan -1"), scan_reply("0", &[]));
    }

    #[test]
    fn randomkey_and_flush() {
        // randomkey on an empty db -> (nil); flushall async / sync -> OK;
        // flushall foo / flushall async sync / flushdb x -> ERR syntax error.
        let mut t = T::new();
        assert_eq!(t.run("randomkey"), Reply::NilBulk);
        t.run("set b 1");
        assert_eq!(t.run("randomkey"), Reply::bulk("b"));
        t.run("set bar 1");
        for _ in 0..10 {
            let key = t.run("randomkey");
            assert!(key == Reply::bulk("b") || key == Reply::bulk("bar"));
        }
        let syntax = err("ERR syntax error");
        assert_eq!(t.run("flushall foo"), syntax);
        assert_eq!(t.run("flushall async sync"), syntax);
        assert_eq!(t.run("flushdb x"), syntax);
        // A key on 7001 survives a FLUSHALL sent to 7000.
        let other = t.c.connect(7001).unwrap();
        let set_c = vec![b"set".to_vec(), b"c".to_vec(), b"1".to_vec()];
        t.c.execute(other, &set_c, t.now);
        assert_eq!(t.run("flushall ASYNC"), Reply::ok());
        assert_eq!(t.run("dbsize"), Reply::Integer(0));
        let dbsize = t.c.execute(other, &[b"dbsize".to_vec()], t.now);
        assert_eq!(dbsize.reply, Reply::Integer(1));
        t.run("set b 1");
        assert_eq!(t.run("flushdb sync"), Reply::ok());
        assert_eq!(t.run("flushdb"), Reply::ok());
        assert_eq!(t.run("randomkey"), Reply::NilBulk);
    }

    #[test]
    fn flush_signals_watchers() {
        // FLUSHALL touches every key that existed: a WATCH on it aborts EXEC.
        let mut t = T::new();
        let other = t.c.connect(7000).unwrap();
        t.run("set b 1");
        t.run("watch b");
        t.c.execute(other, &[b"flushdb".to_vec()], t.now);
        t.run("multi");
        t.run("ping");
        assert_eq!(t.run("exec"), Reply::NilArray);
    }

    #[test]
    fn flush_on_a_replica_is_refused() {
        // 7005 replicates 7000: a keyless write there is refused.
        let mut t = T::on(7005);
        assert_eq!(
            t.run("flushall"),
            err("READONLY You can't write against a read only replica.")
        );
    }
}
