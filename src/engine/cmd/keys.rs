//! Generic key commands (`db.c`, `expire.c`, `object.c`): TYPE, EXISTS,
//! DEL/UNLINK, the expiry commands, RENAME/RENAMENX, COPY and OBJECT.
//!
//! Every reply and error was checked against a real redis-server 7.0.15
//! (COPY's DB rules against one started with `--cluster-enabled yes`); the
//! tests at the end quote the transcripts.

use crate::engine::cmd::args::{c_str, int, is};
use crate::engine::command::flags::*;
use crate::engine::command::{not_dispatched, spec, CommandSpec, Ctx, KeySpec, ALL_KEYS, KEY1};
use crate::engine::error::RedisError;
use crate::engine::reply::Reply;

/// Redis' default `databases`: DB indexes 0-15 exist even on a cluster node.
const DATABASES: i64 = 16;

const KEYS_1_2: KeySpec = KeySpec::Range {
    first: 1,
    last: 2,
    step: 1,
};
const KEY_AT_2: KeySpec = KeySpec::Range {
    first: 2,
    last: 2,
    step: 1,
};

/// The generic key commands, with arity, flags and key specs from
/// `COMMAND INFO` on 7.0.15.
pub static COMMANDS: &[CommandSpec] = &[
    spec("type", 2, READONLY | FAST, KEY1, type_),
    spec("exists", -2, READONLY | FAST, ALL_KEYS, exists),
    spec("del", -2, WRITE, ALL_KEYS, del),
    spec("unlink", -2, WRITE | FAST, ALL_KEYS, unlink),
    spec("expire", -3, WRITE | FAST, KEY1, expire),
    spec("pexpire", -3, WRITE | FAST, KEY1, pexpire),
    spec("ttl", 2, READONLY | FAST, KEY1, ttl),
    spec("pttl", 2, READONLY | FAST, KEY1, pttl),
    spec("persist", 2, WRITE | FAST, KEY1, persist),
    spec("rename", 3, WRITE, KEYS_1_2, rename),
    spec("renamenx", 3, WRITE | FAST, KEYS_1_2, renamenx),
    spec("copy", -3, WRITE | DENYOOM, KEYS_1_2, copy),
    spec("object", -2, CONTAINER, KeySpec::None, not_dispatched),
    spec("object|encoding", 3, READONLY, KEY_AT_2, object_encoding),
    spec(
        "object|help",
        2,
        LOADING | STALE,
        KeySpec::None,
        object_help,
    ),
];

fn arg(argv: &[Vec<u8>], i: usize) -> &[u8] {
    argv.get(i).map_or(&[][..], Vec::as_slice)
}

/// Determines the type of value stored at a key (`none` when missing)
///
/// # Format
/// ```text
/// TYPE key
/// ```
pub fn type_(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let name = ctx.db.value(arg(argv, 1)).map_or("none", |v| v.type_name());
    Ok(Reply::Status(name.to_string()))
}

/// Determines whether one or more keys exist; a key named twice counts twice
///
/// # Format
/// ```text
/// EXISTS key [key ...]
/// ```
pub fn exists(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let n = argv.iter().skip(1).filter(|k| ctx.db.contains(k)).count();
    Ok(Reply::Integer(n as i64))
}

fn delete_keys(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Reply {
    let mut n = 0;
    for key in argv.iter().skip(1) {
        if ctx.db.remove(key).is_some() {
            ctx.touch(key);
            n += 1;
        }
    }
    Reply::Integer(n)
}

/// Deletes one or more keys
///
/// # Format
/// ```text
/// DEL key [key ...]
/// ```
pub fn del(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(delete_keys(ctx, argv))
}

/// Asynchronously deletes one or more keys (the same as DEL here)
///
/// # Format
/// ```text
/// UNLINK key [key ...]
/// ```
pub fn unlink(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(delete_keys(ctx, argv))
}

/// EXPIRE's NX / XX / GT / LT.
#[derive(Default)]
struct ExpireFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

/// `parseExtendedExpireArgumentsOrReply`: unknown words first, then the
/// incompatible combinations.
fn parse_expire_flags(argv: &[Vec<u8>]) -> Result<ExpireFlags, RedisError> {
    let mut f = ExpireFlags::default();
    for raw in argv.iter().skip(3) {
        let opt = c_str(raw);
        if is(opt, "nx") {
            f.nx = true;
        } else if is(opt, "xx") {
            f.xx = true;
        } else if is(opt, "gt") {
            f.gt = true;
        } else if is(opt, "lt") {
            f.lt = true;
        } else {
            return Err(RedisError::UnsupportedOption {
                opt: String::from_utf8_lossy(opt).into_owned(),
            });
        }
    }
    if f.nx && (f.xx || f.gt || f.lt) {
        return Err(RedisError::ExpireNxWithOthers);
    }
    if f.gt && f.lt {
        return Err(RedisError::ExpireGtAndLt);
    }
    Ok(f)
}

/// `expireGenericCommand` for a relative time (`seconds` or milliseconds).
fn expire_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Vec<u8>],
    seconds: bool,
    command: &str,
) -> Result<Reply, RedisError> {
    let key = arg(argv, 1);
    let flags = parse_expire_flags(argv)?;
    let mut when = int(arg(argv, 2))?;
    let invalid = || RedisError::InvalidExpireTime {
        command: command.to_string(),
    };
    if seconds {
        when = when.checked_mul(1000).ok_or_else(invalid)?;
    }
    let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
    // Only an overflow past LLONG_MAX is refused: negative times are allowed.
    if when > i64::MAX - now {
        return Err(invalid());
    }
    when += now;
    let Some(entry) = ctx.db.get(key) else {
        return Ok(Reply::Integer(0));
    };
    // -1 = no expiry, as `getExpire` answers.
    let current = entry
        .expires_at
        .map_or(-1, |at| i64::try_from(at).unwrap_or(i64::MAX));
    let refused = (flags.nx && current != -1)
        || (flags.xx && current == -1)
        || (flags.gt && (current == -1 || when <= current))
        || (flags.lt && current != -1 && when >= current);
    if refused {
        return Ok(Reply::Integer(0));
    }
    if when <= now {
        // `checkAlreadyExpired`: the key is deleted right away.
        ctx.db.remove(key);
    } else {
        ctx.db.set_expiry(key, Some(when as u64));
    }
    ctx.touch(key);
    Ok(Reply::Integer(1))
}

/// Sets the expiration time of a key in seconds; a time in the past deletes it
///
/// # Format
/// ```text
/// EXPIRE key seconds [NX | XX | GT | LT]
/// ```
pub fn expire(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    expire_generic(ctx, argv, true, "expire")
}

/// Sets the expiration time of a key in milliseconds; a time in the past deletes it
///
/// # Format
/// ```text
/// PEXPIRE key milliseconds [NX | XX | GT | LT]
/// ```
pub fn pexpire(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    expire_generic(ctx, argv, false, "pexpire")
}

/// Remaining time to live in ms: `None` for a missing key, `Some(-1)` without expiry.
fn remaining_ms(ctx: &Ctx<'_>, key: &[u8]) -> Option<i64> {
    let entry = ctx.db.get(key)?;
    Some(match entry.expires_at {
        None => -1,
        Some(at) => i64::try_from(at.saturating_sub(ctx.now_ms)).unwrap_or(i64::MAX),
    })
}

/// Returns the remaining time to live of a key in seconds (-2 missing, -1
/// no expiry), rounded as Redis does: `(ms + 500) / 1000`
///
/// # Format
/// ```text
/// TTL key
/// ```
pub fn ttl(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::Integer(match remaining_ms(ctx, arg(argv, 1)) {
        None => -2,
        Some(-1) => -1,
        Some(ms) => ms.saturating_add(500) / 1000,
    }))
}

/// Returns the remaining time to live of a key in milliseconds (-2 missing,
/// -1 no expiry)
///
/// # Format
/// ```text
/// PTTL key
/// ```
pub fn pttl(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::Integer(
        remaining_ms(ctx, arg(argv, 1)).unwrap_or(-2),
    ))
}

/// Removes the expiration time of a key
///
/// # Format
/// ```text
/// PERSIST key
/// ```
pub fn persist(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let key = arg(argv, 1);
    let has_ttl = ctx.db.get(key).is_some_and(|e| e.expires_at.is_some());
    if !has_ttl {
        return Ok(Reply::Integer(0));
    }
    ctx.db.set_expiry(key, None);
    ctx.touch(key);
    Ok(Reply::Integer(1))
}

/// `renameGenericCommand`: `Ok(false)` when RENAMENX found the destination.
fn rename_generic(ctx: &mut Ctx<'_>, argv: &[Vec<u8>], nx: bool) -> Result<bool, RedisError> {
    let (src, dst) = (arg(argv, 1), arg(argv, 2));
    if !ctx.db.contains(src) {
        return Err(RedisError::NoSuchKey);
    }
    if src == dst {
        // Nothing happens and nothing is signalled: RENAME answers OK, RENAMENX 0.
        return Ok(!nx);
    }
    if nx && ctx.db.contains(dst) {
        return Ok(false);
    }
    let Some(entry) = ctx.db.remove(src) else {
        return Err(RedisError::NoSuchKey);
    };
    ctx.db.insert(dst, entry.value, entry.expires_at);
    ctx.touch(src);
    ctx.touch(dst);
    Ok(true)
}

/// Renames a key and overwrites the destination; the TTL moves with it
///
/// # Format
/// ```text
/// RENAME key newkey
/// ```
pub fn rename(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    rename_generic(ctx, argv, false)?;
    Ok(Reply::ok())
}

/// Renames a key only when the target key name doesn't exist
///
/// # Format
/// ```text
/// RENAMENX key newkey
/// ```
pub fn renamenx(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let done = rename_generic(ctx, argv, true)?;
    Ok(Reply::Integer(i64::from(done)))
}

/// Copies the value of a key to a new key (with its TTL). A cluster node
/// only has database 0 to copy into
///
/// # Format
/// ```text
/// COPY source destination [DB destination-db] [REPLACE]
/// ```
pub fn copy(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let (src, dst) = (arg(argv, 1), arg(argv, 2));
    let mut replace = false;
    let mut db = 0i64;
    let mut j = 3;
    while j < argv.len() {
        let opt = c_str(&argv[j]);
        if is(opt, "replace") {
            replace = true;
        } else if is(opt, "db") && j + 1 < argv.len() {
            let n = int(&argv[j + 1])?;
            if n < i64::from(i32::MIN) || n > i64::from(i32::MAX) {
                return Err(RedisError::OutOfRangeBetween {
                    min: i64::from(i32::MIN),
                    max: i64::from(i32::MAX),
                });
            }
            if !(0..DATABASES).contains(&n) {
                return Err(RedisError::DbIndexOutOfRange);
            }
            db = n;
            j += 1;
        } else {
            return Err(RedisError::Syntax);
        }
        j += 1;
    }
    if db != 0 {
        return Err(RedisError::CopyToOtherDb);
    }
    if src == dst {
        return Err(RedisError::SameObject);
    }
    let Some(entry) = ctx.db.get(src).cloned() else {
        return Ok(Reply::Integer(0));
    };
    if ctx.db.contains(dst) && !replace {
        return Ok(Reply::Integer(0));
    }
    ctx.db.insert(dst, entry.value, entry.expires_at);
    ctx.touch(dst);
    Ok(Reply::Integer(1))
}

/// Returns the internal encoding of a value (nil for a missing key)
///
/// # Format
/// ```text
/// OBJECT ENCODING key
/// ```
pub fn object_encoding(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::bulk_or_nil(ctx.db.encoding(arg(argv, 2))))
}

/// OBJECT HELP's lines, as 7.0.15 prints them.
const OBJECT_HELP: &[&str] = &[
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Prints this help.",
];

/// Shows helpful text about the different subcommands
///
/// # Format
/// ```text
/// OBJECT HELP
/// ```
pub fn object_help(_: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::Array(
        OBJECT_HELP
            .iter()
            .map(|line| Reply::Status((*line).to_string()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::engine::cmd::strings::tests::{err, T};
    use crate::engine::reply::Reply;

    // Keys used (`bar`, `b`, `hoge`, `n`, `{user1000}...`) hash to 7000's slots.

    fn status(s: &str) -> Reply {
        Reply::Status(s.into())
    }

    #[test]
    fn type_exists_del_unlink() {
        // set a 1; rpush l x; sadd s m; hset h f v; zadd z 1 m;
        // type -> string list set hash zset; type nokey -> none;
        // exists a a nokey l -> 3; del a a l nokey -> 2; unlink s h nokey z -> 3
        let mut t = T::new();
        t.run("set {user1000}a 1");
        t.run("set {user1000}s m");
        assert_eq!(t.run("type {user1000}a"), status("string"));
        assert_eq!(t.run("type {user1000}nokey"), status("none"));
        assert_eq!(
            t.int("exists {user1000}a {user1000}a {user1000}nokey {user1000}s"),
            3
        );
        assert_eq!(t.int("del {user1000}a {user1000}a {user1000}nokey"), 1);
        assert_eq!(t.int("del {user1000}nokey"), 0);
        assert_eq!(t.int("unlink {user1000}s {user1000}nokey"), 1);
        assert_eq!(t.int("dbsize"), 0);
        assert_eq!(
            t.run("exists bar b"),
            err("CROSSSLOT Keys in request don't hash to the same slot")
        );
    }

    #[test]
    fn expire_options() {
        // set k v; expire k 100 -> 1; ttl 100; pttl 100000; expire k 100 nx -> 0;
        // 200 xx -> 1; 50 gt -> 0; 500 gt -> 1; 50 lt -> 1; nx xx / nx gt / nx lt ->
        // ERR NX and XX, GT or LT options at the same time are not compatible;
        // gt lt -> ERR GT and LT options at the same time are not compatible;
        // xx gt -> 0 (50 is not greater); foo -> ERR Unsupported option foo;
        // nx nx -> 0; x / 10.5 -> not an integer; expire nokey 10 -> 0; ttl/pttl nokey -> -2
        let mut t = T::new();
        t.run("set n v");
        assert_eq!(t.int("expire n 100"), 1);
        assert_eq!(t.int("ttl n"), 100);
        assert_eq!(t.int("pttl n"), 100_000);
        assert_eq!(t.int("expire n 100 nx"), 0);
        assert_eq!(t.int("expire n 200 xx"), 1);
        assert_eq!(t.int("expire n 50 gt"), 0);
        assert_eq!(t.int("expire n 500 gt"), 1);
        assert_eq!(t.int("expire n 50 lt"), 1);
        let nx_err = err("ERR NX and XX, GT or LT options at the same time are not compatible");
        assert_eq!(t.run("expire n 10 nx xx"), nx_err);
        assert_eq!(t.run("expire n 10 nx gt"), nx_err);
        assert_eq!(t.run("expire n 10 nx lt"), nx_err);
        assert_eq!(
            t.run("expire n 10 gt lt"),
            err("ERR GT and LT options at the same time are not compatible")
        );
        assert_eq!(t.int("expire n 10 xx gt"), 0);
        assert_eq!(t.run("expire n 10 foo"), err("ERR Unsupported option foo"));
        // Unknown words are reported before a bad number and before the combination check.
        assert_eq!(t.run("expire n x foo"), err("ERR Unsupported option foo"));
        assert_eq!(
            t.run("expire n 10 nx xx foo"),
            err("ERR Unsupported option foo")
        );
        assert_eq!(
            t.run("expire n 100 foo\\0x"),
            err("ERR Unsupported option foo")
        );
        assert_eq!(t.int("expire n 10 nx nx"), 0);
        assert_eq!(t.int("expire n 10 NX"), 0);
        let not_int = err("ERR value is not an integer or out of range");
        assert_eq!(t.run("expire n x"), not_int);
        assert_eq!(t.run("expire n 10.5"), not_int);
        assert_eq!(t.int("expire hoge 10"), 0);
        assert_eq!(t.int("ttl hoge"), -2);
        assert_eq!(t.int("pttl hoge"), -2);
        assert_eq!(
            t.run("expire n"),
            err("ERR wrong number of arguments for 'expire' command")
        );
    }

    #[test]
    fn expire_without_ttl_and_persist() {
        // persist k -> 1, again 0; ttl -1; expire k 10 gt -> 0 (no TTL counts as infinite);
        // 10 lt -> 1; persist; 10 xx -> 0; 10 nx -> 1; persist nokey -> 0
        let mut t = T::new();
        t.run("set n v");
        t.run("expire n 100");
        assert_eq!(t.int("persist n"), 1);
        assert_eq!(t.int("persist n"), 0);
        assert_eq!(t.int("ttl n"), -1);
        assert_eq!(t.int("pttl n"), -1);
        assert_eq!(t.int("expire n 10 gt"), 0);
        assert_eq!(t.int("expire n 10 lt"), 1);
        assert_eq!(t.int("ttl n"), 10);
        assert_eq!(t.int("persist n"), 1);
        assert_eq!(t.int("expire n 10 xx"), 0);
        assert_eq!(t.int("expire n 10 nx"), 1);
        assert_eq!(t.int("persist hoge"), 0);
    }

    #[test]
    fn expire_limits_and_deletion() {
        // expire k 9223372036854775807 / 9223372036854774 / 9223372036854775 /
        // -9223372036854775808 -> ERR invalid expire time in 'expire' command;
        // expire k -9223372036854775 -> 1 and the key is gone;
        // pexpire k 9223372036854775807 / 9223372036853775806 -> invalid ('pexpire');
        // pexpire k 9223370000000000000 -> 1; pexpire k -9223372036854775808 -> 1 (deleted)
        let mut t = T::new();
        t.run("set n v");
        let invalid = err("ERR invalid expire time in 'expire' command");
        for secs in [
            "9223372036854775807",
            "9223372036854774",
            "9223372036854775",
            "-9223372036854775808",
        ] {
            assert_eq!(t.run(&format!("expire n {secs}")), invalid, "{secs}");
        }
        assert_eq!(t.int("expire n -9223372036854775"), 1);
        assert_eq!(t.int("exists n"), 0);
        t.run("set n v");
        let pinvalid = err("ERR invalid expire time in 'pexpire' command");
        assert_eq!(t.run("pexpire n 9223372036854775807"), pinvalid);
        assert_eq!(t.run("pexpire n 9223372036853775806"), pinvalid);
        assert_eq!(t.int("pexpire n 9223370000000000000"), 1);
        assert_eq!(t.int("pexpire n -9223372036854775808"), 1);
        assert_eq!(t.int("exists n"), 0);
        assert_eq!(t.int("pexpire n -9223372036854775807"), 0);
        // set k v; expire k 0 -> 1, gone; expire k -1 xx -> 0 (kept); -1 nx -> 1 (gone);
        // with a TTL: -1 nx -> 0; 0 gt -> 0; 0 lt -> 1 (gone); expire nokey 0 -> 0
        t.run("set n v");
        assert_eq!(t.int("expire n 0"), 1);
        assert_eq!(t.int("exists n"), 0);
        t.run("set n v");
        assert_eq!(t.int("expire n -1 xx"), 0);
        assert_eq!(t.int("exists n"), 1);
        assert_eq!(t.int("expire n -1 nx"), 1);
        assert_eq!(t.int("exists n"), 0);
        t.run("set n v");
        t.run("expire n 100");
        assert_eq!(t.int("expire n -1 nx"), 0);
        assert_eq!(t.int("expire n 0 gt"), 0);
        assert_eq!(t.int("exists n"), 1);
        assert_eq!(t.int("expire n 0 lt"), 1);
        assert_eq!(t.int("exists n"), 0);
        assert_eq!(t.int("expire n 0"), 0);
    }

    #[test]
    fn ttl_rounds_and_expires() {
        // TTL = (remaining ms + 500) / 1000: 100 s set, 1499 ms later -> 99 (98501 ms),
        // 1500 ms later -> 99 (98500 -> 99), 1501 -> 98.
        let mut t = T::new();
        t.run("set n v");
        t.run("pexpire n 100000");
        t.now += 1_499;
        assert_eq!(t.int("ttl n"), 99);
        assert_eq!(t.int("pttl n"), 98_501);
        t.now += 1;
        assert_eq!(t.int("ttl n"), 99);
        t.now += 1;
        assert_eq!(t.int("ttl n"), 98);
        t.run("pexpire n 1499");
        assert_eq!(t.int("ttl n"), 1);
        t.run("pexpire n 499");
        assert_eq!(t.int("ttl n"), 0);
        t.now += 499;
        assert_eq!(t.int("ttl n"), -2);
    }

    #[test]
    fn rename_family() {
        // rename a a -> OK; rename nokey nokey / nokey b -> ERR no such key;
        // renamenx nokey b -> ERR no such key; renamenx a a -> 0; set b 2; expire a 100;
        // renamenx a b -> 0; rename a c -> OK, ttl c 100; rename c b -> OK (overwrites), ttl 100;
        // renamenx x y -> 1 (TTL kept); rename l b over a string -> b is a list.
        let mut t = T::new();
        t.run("set {user1000}a 1");
        assert_eq!(t.run("rename {user1000}a {user1000}a"), Reply::ok());
        let nokey = err("ERR no such key");
        assert_eq!(t.run("rename {user1000}no {user1000}no"), nokey);
        assert_eq!(t.run("rename {user1000}no {user1000}b"), nokey);
        assert_eq!(t.run("renamenx {user1000}no {user1000}b"), nokey);
        assert_eq!(t.int("renamenx {user1000}a {user1000}a"), 0);
        t.run("set {user1000}b 2");
        t.run("expire {user1000}a 100");
        assert_eq!(t.int("renamenx {user1000}a {user1000}b"), 0);
        assert_eq!(t.run("rename {user1000}a {user1000}c"), Reply::ok());
        assert_eq!(t.int("ttl {user1000}c"), 100);
        assert_eq!(t.run("rename {user1000}c {user1000}b"), Reply::ok());
        assert_eq!(t.int("ttl {user1000}b"), 100);
        assert_eq!(t.run("get {user1000}b"), Reply::bulk("1"));
        assert_eq!(t.int("exists {user1000}c"), 0);
        t.list("l");
        assert_eq!(t.raw("set b 2"), Reply::ok());
        assert_eq!(t.raw("rename l b"), Reply::ok());
        assert_eq!(t.raw("type b"), status("list"));
        assert_eq!(t.raw("type l"), status("none"));
        assert_eq!(t.raw("renamenx b l"), Reply::Integer(1));
        assert_eq!(
            t.run("rename bar b"),
            err("CROSSSLOT Keys in request don't hash to the same slot")
        );
    }

    #[test]
    fn copy_on_a_cluster_node() {
        // Standalone 7.0.15: copy b b -> ERR source and destination objects are the same;
        // copy nokey b -> 0; copy s1 d1 -> 1 (TTL copied); again -> 0; replace -> 1;
        // db 16 / db -1 -> ERR DB index is out of range; db x -> not an integer;
        // db 9999999999 -> ERR value is out of range, value must between -2147483648 and
        // 2147483647; foo / db (no value) -> syntax error; replace replace -> 1;
        // copy nokey nokey -> same objects error.
        // Cluster-enabled 7.0.15: db 1 (with or without REPLACE, missing source or same
        // key) -> ERR Copying to another database is not allowed in cluster mode; db 0 -> 1.
        let mut t = T::new();
        t.run("set {user1000}s v");
        t.run("expire {user1000}s 100");
        let same = err("ERR source and destination objects are the same");
        assert_eq!(t.run("copy {user1000}s {user1000}s"), same);
        assert_eq!(t.run("copy {user1000}no {user1000}no"), same);
        assert_eq!(t.run("copy {user1000}no {user1000}d"), Reply::Integer(0));
        assert_eq!(t.int("copy {user1000}s {user1000}d"), 1);
        assert_eq!(t.int("ttl {user1000}d"), 100);
        assert_eq!(t.int("copy {user1000}s {user1000}d"), 0);
        assert_eq!(t.int("copy {user1000}s {user1000}d replace"), 1);
        assert_eq!(t.int("copy {user1000}s {user1000}d replace replace"), 1);
        assert_eq!(t.int("copy {user1000}s {user1000}d replace db 0"), 1);
        let other_db = err("ERR Copying to another database is not allowed in cluster mode");
        for cmd in [
            "copy {user1000}s {user1000}d db 1",
            "copy {user1000}s {user1000}d db 1 replace",
            "copy {user1000}s {user1000}s db 1",
            "copy {user1000}no {user1000}d db 1",
        ] {
            assert_eq!(t.run(cmd), other_db, "{cmd}");
        }
        let range = err("ERR DB index is out of range");
        assert_eq!(t.run("copy {user1000}s {user1000}d db 16"), range);
        assert_eq!(t.run("copy {user1000}s {user1000}d db -1"), range);
        assert_eq!(
            t.run("copy {user1000}s {user1000}d db 9999999999"),
            err("ERR value is out of range, value must between -2147483648 and 2147483647")
        );
        assert_eq!(
            t.run("copy {user1000}s {user1000}d db x"),
            err("ERR value is not an integer or out of range")
        );
        let syntax = err("ERR syntax error");
        assert_eq!(t.run("copy {user1000}s {user1000}d foo"), syntax);
        assert_eq!(t.run("copy {user1000}s {user1000}d db"), syntax);
        assert_eq!(t.run("copy {user1000}s {user1000}d db 1 foo"), syntax);
    }

    #[test]
    fn object_subcommands() {
        // object encoding nokey -> (nil); object encoding -> ERR wrong number of arguments
        // for 'object|encoding' command; object -> ... for 'object' command;
        // object foo -> ERR unknown subcommand 'foo'. Try OBJECT HELP.;
        // object help x -> ... for 'object|help' command; OBJECT HELP -> 15 status lines;
        // rpush l a -> quicklist; sadd s 1 2 -> intset; hset h a b -> listpack.
        let mut t = T::new();
        assert_eq!(t.run("object encoding hoge"), Reply::NilBulk);
        assert_eq!(
            t.run("object encoding"),
            err("ERR wrong number of arguments for 'object|encoding' command")
        );
        assert_eq!(
            t.run("object encoding a b"),
            err("ERR wrong number of arguments for 'object|encoding' command")
        );
        assert_eq!(
            t.run("object"),
            err("ERR wrong number of arguments for 'object' command")
        );
        assert_eq!(
            t.run("object foo"),
            err("ERR unknown subcommand 'foo'. Try OBJECT HELP.")
        );
        assert_eq!(
            t.run("object help x"),
            err("ERR wrong number of arguments for 'object|help' command")
        );
        match t.run("OBJECT HELP") {
            Reply::Array(lines) => {
                assert_eq!(lines.len(), 15);
                assert_eq!(lines[14], status("    Prints this help."));
            }
            other => panic!("{other:?}"),
        }
        t.list("bar");
        assert_eq!(t.raw("object encoding bar"), Reply::bulk("quicklist"));
        t.run("set hoge v");
        assert_eq!(t.run("object Encoding hoge"), Reply::bulk("embstr"));
        // The key is argv[2]: a key on another node is redirected.
        assert_eq!(
            t.run("object encoding foo"),
            err("MOVED 12182 127.0.0.1:7002")
        );
    }

    #[test]
    fn writes_signal_watchers() {
        // PERSIST on a key without TTL and RENAME of a key onto itself change nothing:
        // a WATCH on that key survives; DEL of it does not.
        let mut t = T::new();
        let other = t.c.connect(7000).unwrap();
        let send = |t: &mut T, line: &str| {
            let argv: Vec<Vec<u8>> = line.split(' ').map(|a| a.as_bytes().to_vec()).collect();
            t.c.execute(other, &argv, t.now).reply
        };
        t.run("set n v");
        t.run("watch n");
        send(&mut t, "persist n");
        send(&mut t, "rename n n");
        send(&mut t, "expire n 10 xx");
        t.run("multi");
        t.run("get n");
        assert_eq!(t.run("exec"), Reply::Array(vec![Reply::bulk("v")]));
        t.run("watch n");
        send(&mut t, "del n");
        t.run("multi");
        t.run("get n");
        assert_eq!(t.run("exec"), Reply::NilArray);
    }
}
