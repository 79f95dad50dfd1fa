//! String commands (`t_string.c`): GET/SET and their variants, the counters,
//! MGET/MSET, and the byte-range commands.
//!
//! Every reply and error was checked against a real redis-server 7.0.15;
//! the tests at the end quote the transcripts.

use crate::engine::cmd::args::{c_str, int, is};
use crate::engine::cmd::long_double::{self, LongDouble};
use crate::engine::command::flags::*;
use crate::engine::command::{spec, CommandSpec, Ctx, KeySpec, ALL_KEYS, KEY1};
use crate::engine::error::RedisError;
use crate::engine::reply::Reply;
use crate::engine::value::{parse_strict_i64, StrEncoding, Value};

/// Redis' default `proto-max-bulk-len` (512 MB): the largest string SETRANGE
/// and APPEND may build.
const PROTO_MAX_BULK_LEN: i64 = 512 * 1024 * 1024;

const PAIRS: KeySpec = KeySpec::Range {
    first: 1,
    last: -1,
    step: 2,
};

/// The string commands, with arity, flags and key specs from `COMMAND INFO` on 7.0.15.
pub static COMMANDS: &[CommandSpec] = &[
    spec("get", 2, READONLY | FAST, KEY1, get),
    spec("set", -3, WRITE | DENYOOM, KEY1, set),
    spec("setnx", 3, WRITE | DENYOOM | FAST, KEY1, setnx),
    spec("setex", 4, WRITE | DENYOOM, KEY1, setex),
    spec("psetex", 4, WRITE | DENYOOM, KEY1, psetex),
    spec("getset", 3, WRITE | DENYOOM | FAST, KEY1, getset),
    spec("getdel", 2, WRITE | FAST, KEY1, getdel),
    spec("mget", -2, READONLY | FAST, ALL_KEYS, mget),
    spec("mset", -3, WRITE | DENYOOM, PAIRS, mset),
    spec("msetnx", -3, WRITE | DENYOOM, PAIRS, msetnx),
    spec("incr", 2, WRITE | DENYOOM | FAST, KEY1, incr),
    spec("decr", 2, WRITE | DENYOOM | FAST, KEY1, decr),
    spec("incrby", 3, WRITE | DENYOOM | FAST, KEY1, incrby),
    spec("decrby", 3, WRITE | DENYOOM | FAST, KEY1, decrby),
    spec("incrbyfloat", 3, WRITE | DENYOOM | FAST, KEY1, incrbyfloat),
    spec("append", 3, WRITE | DENYOOM | FAST, KEY1, append),
    spec("strlen", 2, READONLY | FAST, KEY1, strlen),
    spec("getrange", 4, READONLY, KEY1, getrange),
    spec("setrange", 4, WRITE | DENYOOM, KEY1, setrange),
];

/// The string stored at `key`: `Ok(None)` when missing, WRONGTYPE for another type.
fn string_at<'a>(ctx: &'a Ctx<'_>, key: &[u8]) -> Result<Option<&'a Vec<u8>>, RedisError> {
    match ctx.db.value(key) {
        None => Ok(None),
        Some(Value::Str { bytes, .. }) => Ok(Some(bytes)),
        Some(_) => Err(RedisError::WrongType),
    }
}

/// Reads a possibly missing argument (the arity only guarantees a minimum).
fn arg(argv: &[Vec<u8>], i: usize) -> &[u8] {
    argv.get(i).map_or(&[][..], Vec::as_slice)
}

/// Returns the value of a key
///
/// # Format
/// ```text
/// GET key
/// ```
pub fn get(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::bulk_or_nil(string_at(ctx, arg(argv, 1))?))
}

/// What SET's options asked for.
#[derive(Default)]
struct SetOptions {
    nx: bool,
    xx: bool,
    get: bool,
    keepttl: bool,
    /// The EX/PX/EXAT/PXAT argument and its kind.
    expire: Option<(ExpireKind, Vec<u8>)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ExpireKind {
    Ex,
    Px,
    ExAt,
    PxAt,
}

/// `parseExtendedStringArgumentsOrReply` for SET: an option conflicting
/// with an earlier one, an unknown word or a missing value is a syntax error.
fn parse_set_options(argv: &[Vec<u8>]) -> Result<SetOptions, RedisError> {
    let mut o = SetOptions::default();
    let mut j = 3;
    while j < argv.len() {
        let opt = c_str(&argv[j]);
        let next = argv.get(j + 1);
        let has_expire = o.expire.is_some();
        if is(opt, "nx") && !o.xx {
            o.nx = true;
        } else if is(opt, "xx") && !o.nx {
            o.xx = true;
        } else if is(opt, "get") {
            o.get = true;
        } else if is(opt, "keepttl") && !has_expire {
            o.keepttl = true;
        } else if let (Some(kind), Some(value)) = (expire_kind(opt), next) {
            // The same kind may repeat (`EX 1 EX 2`); mixing kinds may not.
            if o.keepttl || o.expire.as_ref().is_some_and(|(k, _)| *k != kind) {
                return Err(RedisError::Syntax);
            }
            o.expire = Some((kind, value.clone()));
            j += 1;
        } else {
            return Err(RedisError::Syntax);
        }
        j += 1;
    }
    Ok(o)
}

fn expire_kind(opt: &[u8]) -> Option<ExpireKind> {
    if is(opt, "ex") {
        Some(ExpireKind::Ex)
    } else if is(opt, "px") {
        Some(ExpireKind::Px)
    } else if is(opt, "exat") {
        Some(ExpireKind::ExAt)
    } else if is(opt, "pxat") {
        Some(ExpireKind::PxAt)
    } else {
        None
    }
}

/// `getExpireMillisecondsOrReply`: the absolute expiry in ms, or the
/// `invalid expire time in '<command>' command` error for a non-positive
/// value or an overflow.
fn expire_at(
    ctx: &Ctx<'_>,
    command: &str,
    kind: ExpireKind,
    value: &[u8],
) -> Result<u64, RedisError> {
    let invalid = || RedisError::InvalidExpireTime {
        command: command.to_string(),
    };
    let mut ms = int(value)?;
    let seconds = matches!(kind, ExpireKind::Ex | ExpireKind::ExAt);
    if ms <= 0 || (seconds && ms > i64::MAX / 1000) {
        return Err(invalid());
    }
    if seconds {
        ms *= 1000;
    }
    if matches!(kind, ExpireKind::Ex | ExpireKind::Px) {
        let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
        ms = ms.checked_add(now).ok_or_else(invalid)?;
    }
    u64::try_from(ms).map_err(|_| invalid())
}

/// Stores a string the way `setKey` does, dropping the TTL unless `keep_ttl`.
fn store(ctx: &mut Ctx<'_>, key: &[u8], value: Value, keep_ttl: bool, expires_at: Option<u64>) {
    if keep_ttl {
        ctx.db.put_keep_ttl(key, value);
    } else {
        ctx.db.insert(key, value, expires_at);
    }
    ctx.touch(key);
    // An EXAT/PXAT in the past: the key is already gone for every later read.
    if expires_at.is_some_and(|at| at <= ctx.now_ms) {
        ctx.db.remove(key);
    }
}

/// `setGenericCommand`: the shared body of SET, SETNX, SETEX and PSETEX.
/// Returns `None` when NX/XX stopped the write.
fn set_generic(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    value: &[u8],
    nx: bool,
    xx: bool,
    keep_ttl: bool,
    expires_at: Option<u64>,
) -> bool {
    let found = ctx.db.contains(key);
    if (nx && found) || (xx && !found) {
        return false;
    }
    store(ctx, key, Value::string(value), keep_ttl, expires_at);
    true
}

/// Sets the string value of a key, ignoring its type, with optional
/// conditions, expiry and the old value as the reply
///
/// # Format
/// ```text
/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
///   EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
/// ```
pub fn set(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let opts = parse_set_options(argv)?;
    let expires_at = match &opts.expire {
        Some((kind, value)) => Some(expire_at(ctx, "set", *kind, value)?),
        None => None,
    };
    let (key, value) = (arg(argv, 1), arg(argv, 2));
    let old = if opts.get {
        Some(Reply::bulk_or_nil(string_at(ctx, key)?))
    } else {
        None
    };
    let done = set_generic(ctx, key, value, opts.nx, opts.xx, opts.keepttl, expires_at);
    Ok(match old {
        Some(old) => old,
        None if done => Reply::ok(),
        None => Reply::NilBulk,
    })
}

/// Sets the string value of a key only when the key doesn't exist
///
/// # Format
/// ```text
/// SETNX key value
/// ```
pub fn setnx(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let done = set_generic(ctx, arg(argv, 1), arg(argv, 2), true, false, false, None);
    Ok(Reply::Integer(i64::from(done)))
}

/// Sets the string value and the expiration time (in seconds) of a key
///
/// # Format
/// ```text
/// SETEX key seconds value
/// ```
pub fn setex(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let at = expire_at(ctx, "setex", ExpireKind::Ex, arg(argv, 2))?;
    set_generic(
        ctx,
        arg(argv, 1),
        arg(argv, 3),
        false,
        false,
        false,
        Some(at),
    );
    Ok(Reply::ok())
}

/// Sets the string value and the expiration time (in milliseconds) of a key
///
/// # Format
/// ```text
/// PSETEX key milliseconds value
/// ```
pub fn psetex(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let at = expire_at(ctx, "psetex", ExpireKind::Px, arg(argv, 2))?;
    set_generic(
        ctx,
        arg(argv, 1),
        arg(argv, 3),
        false,
        false,
        false,
        Some(at),
    );
    Ok(Reply::ok())
}

/// Returns the previous string value of a key after setting it to a new
/// value (the TTL is dropped)
///
/// # Format
/// ```text
/// GETSET key value
/// ```
pub fn getset(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let key = arg(argv, 1);
    let old = Reply::bulk_or_nil(string_at(ctx, key)?);
    store(ctx, key, Value::string(arg(argv, 2)), false, None);
    Ok(old)
}

/// Returns the string value of a key after deleting the key
///
/// # Format
/// ```text
/// GETDEL key
/// ```
pub fn getdel(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let key = arg(argv, 1);
    let Some(old) = string_at(ctx, key)?.cloned() else {
        return Ok(Reply::NilBulk);
    };
    ctx.db.remove(key);
    ctx.touch(key);
    Ok(Reply::Bulk(old))
}

/// Atomically returns the string values of one or more keys (nil for
/// missing keys and keys of another type)
///
/// # Format
/// ```text
/// MGET key [key ...]
/// ```
pub fn mget(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let replies = argv
        .iter()
        .skip(1)
        .map(|key| match ctx.db.value(key) {
            Some(Value::Str { bytes, .. }) => Reply::bulk(bytes),
            _ => Reply::NilBulk,
        })
        .collect();
    Ok(Reply::Array(replies))
}

/// `msetGenericCommand`: an even number of arguments after the name is
/// Redis' own arity error.
fn mset_generic(ctx: &mut Ctx<'_>, argv: &[Vec<u8>], nx: bool) -> Result<bool, RedisError> {
    if argv.len().is_multiple_of(2) {
        let name = if nx { "msetnx" } else { "mset" };
        return Err(RedisError::WrongArity {
            name: name.to_string(),
        });
    }
    let pairs = argv.get(1..).unwrap_or_default().chunks_exact(2);
    if nx && pairs.clone().any(|pair| ctx.db.contains(&pair[0])) {
        return Ok(false);
    }
    for pair in pairs {
        store(ctx, &pair[0], Value::string(pair[1].clone()), false, None);
    }
    Ok(true)
}

/// Atomically creates or modifies the string values of one or more keys
///
/// # Format
/// ```text
/// MSET key value [key value ...]
/// ```
pub fn mset(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    mset_generic(ctx, argv, false)?;
    Ok(Reply::ok())
}

/// Atomically sets the string values of one or more keys only when all
/// keys don't exist
///
/// # Format
/// ```text
/// MSETNX key value [key value ...]
/// ```
pub fn msetnx(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let done = mset_generic(ctx, argv, true)?;
    Ok(Reply::Integer(i64::from(done)))
}

/// `incrDecrCommand`: adds `by` to the integer at `key` (0 when missing),
/// keeping the TTL.
fn incr_decr(ctx: &mut Ctx<'_>, key: &[u8], by: i64) -> Result<Reply, RedisError> {
    let current = match string_at(ctx, key)? {
        None => 0,
        Some(bytes) => parse_strict_i64(bytes).ok_or(RedisError::NotInteger)?,
    };
    let value = current.checked_add(by).ok_or(RedisError::Overflow)?;
    ctx.db
        .put_keep_ttl(key, Value::string(value.to_string().into_bytes()));
    ctx.touch(key);
    Ok(Reply::Integer(value))
}

/// Increments the integer value of a key by one
///
/// # Format
/// ```text
/// INCR key
/// ```
pub fn incr(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    incr_decr(ctx, arg(argv, 1), 1)
}

/// Decrements the integer value of a key by one
///
/// # Format
/// ```text
/// DECR key
/// ```
pub fn decr(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    incr_decr(ctx, arg(argv, 1), -1)
}

/// Increments the integer value of a key by a number
///
/// # Format
/// ```text
/// INCRBY key increment
/// ```
pub fn incrby(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let by = int(arg(argv, 2))?;
    incr_decr(ctx, arg(argv, 1), by)
}

/// Decrements the integer value of a key by a number
///
/// # Format
/// ```text
/// DECRBY key decrement
/// ```
pub fn decrby(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let by = int(arg(argv, 2))?;
    // Checked before the key is even looked at.
    let by = by.checked_neg().ok_or(RedisError::DecrementOverflow)?;
    incr_decr(ctx, arg(argv, 1), by)
}

/// Increments the floating point value of a key by a number, in `long
/// double` precision as an x86-64 server does
///
/// # Format
/// ```text
/// INCRBYFLOAT key increment
/// ```
pub fn incrbyfloat(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let key = arg(argv, 1);
    let current = match string_at(ctx, key)? {
        None => LongDouble::ZERO,
        Some(bytes) => long_double::parse(bytes).ok_or(RedisError::NotFloat)?,
    };
    let by = long_double::parse(arg(argv, 2)).ok_or(RedisError::NotFloat)?;
    let sum = current
        .plus(by)
        .filter(|v| !v.is_infinite())
        .ok_or(RedisError::NanOrInfinity)?;
    let text = sum.to_human().into_bytes();
    ctx.db
        .put_keep_ttl(key, Value::string_with(text.clone(), StrEncoding::Plain));
    ctx.touch(key);
    Ok(Reply::Bulk(text))
}

/// Appends a string to the value of a key; creates the key if needed
///
/// # Format
/// ```text
/// APPEND key value
/// ```
pub fn append(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let (key, tail) = (arg(argv, 1), arg(argv, 2));
    let len = match string_at(ctx, key)? {
        None => {
            ctx.db.insert(key, Value::string(tail), None);
            tail.len()
        }
        Some(bytes) => {
            check_string_length(bytes.len() as i64, tail.len() as i64)?;
            let mut bytes = bytes.clone();
            bytes.extend_from_slice(tail);
            let len = bytes.len();
            ctx.db
                .put_keep_ttl(key, Value::string_with(bytes, StrEncoding::Raw));
            len
        }
    };
    ctx.touch(key);
    Ok(Reply::Integer(len as i64))
}

/// `checkStringLength`: the result may not exceed `proto-max-bulk-len`.
fn check_string_length(size: i64, append: i64) -> Result<(), RedisError> {
    match size.checked_add(append) {
        Some(total) if total <= PROTO_MAX_BULK_LEN => Ok(()),
        _ => Err(RedisError::StringTooLong),
    }
}

/// Returns the length of a string value (0 for a missing key)
///
/// # Format
/// ```text
/// STRLEN key
/// ```
pub fn strlen(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let len = string_at(ctx, arg(argv, 1))?.map_or(0, Vec::len);
    Ok(Reply::Integer(len as i64))
}

/// Returns a substring of the string stored at a key (inclusive indices,
/// negative ones count from the end)
///
/// # Format
/// ```text
/// GETRANGE key start end
/// ```
pub fn getrange(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let mut start = int(arg(argv, 2))?;
    let mut end = int(arg(argv, 3))?;
    let Some(bytes) = string_at(ctx, arg(argv, 1))? else {
        return Ok(Reply::bulk(""));
    };
    let len = bytes.len() as i64;
    if start < 0 && end < 0 && start > end {
        return Ok(Reply::bulk(""));
    }
    if start < 0 {
        start += len;
    }
    if end < 0 {
        end += len;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return Ok(Reply::bulk(""));
    }
    let slice = bytes
        .get(start as usize..=end as usize)
        .unwrap_or_default()
        .to_vec();
    Ok(Reply::Bulk(slice))
}

/// Overwrites a part of a string value from an offset, padding with zero
/// bytes; creates the key if needed
///
/// # Format
/// ```text
/// SETRANGE key offset value
/// ```
pub fn setrange(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let (key, value) = (arg(argv, 1), arg(argv, 3));
    let offset = int(arg(argv, 2))?;
    if offset < 0 {
        return Err(RedisError::OffsetOutOfRange);
    }
    let mut bytes = match string_at(ctx, key)? {
        None => {
            if value.is_empty() {
                return Ok(Reply::Integer(0));
            }
            check_string_length(offset, value.len() as i64)?;
            Vec::new()
        }
        Some(bytes) => {
            if value.is_empty() {
                return Ok(Reply::Integer(bytes.len() as i64));
            }
            check_string_length(offset, value.len() as i64)?;
            bytes.clone()
        }
    };
    // Both fit in proto-max-bulk-len, checked above.
    let offset = offset as usize;
    let end = offset + value.len();
    if bytes.len() < end {
        bytes.resize(end, 0);
    }
    bytes[offset..end].copy_from_slice(value);
    let len = bytes.len();
    ctx.db
        .put_keep_ttl(key, Value::string_with(bytes, StrEncoding::Raw));
    ctx.touch(key);
    Ok(Reply::Integer(len as i64))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::VecDeque;

    use crate::engine::command::{self, Ctx};
    use crate::engine::keyspace::Keyspace;
    use crate::engine::reply::Reply;
    use crate::engine::slot::key_slot;
    use crate::engine::topology::{ClusterConfig, Topology};
    use crate::engine::value::Value;
    use crate::engine::Cluster;

    /// Test harness shared by the string, key and server command tests: a
    /// cluster with a connection (7000 by default, slots 0-5460), plus a side
    /// keyspace where values this branch cannot create through commands
    /// (lists) are planted and commands run straight on the handler.
    pub(crate) struct T {
        pub c: Cluster,
        pub conn: u64,
        pub now: u64,
        pub side: Keyspace,
    }

    /// `a b ''` → argv; `''` is an empty argument and `\\0` a NUL byte.
    pub(crate) fn split(line: &str) -> Vec<Vec<u8>> {
        line.split(' ')
            .map(|a| {
                if a == "''" {
                    Vec::new()
                } else {
                    a.replace("\\0", "\0").into_bytes()
                }
            })
            .collect()
    }

    impl T {
        pub fn new() -> T {
            T::on(7000)
        }

        pub fn on(port: u16) -> T {
            let mut c = Cluster::default();
            let conn = c.connect(port).unwrap();
            T {
                c,
                conn,
                now: 1_700_000_000_000,
                side: Keyspace::new(),
            }
        }

        /// Runs a command through the cluster (lookup, routing, execution).
        pub fn run(&mut self, line: &str) -> Reply {
            self.c.execute(self.conn, &split(line), self.now).reply
        }

        pub fn ok(&mut self, line: &str) {
            assert_eq!(self.run(line), Reply::ok(), "{line}");
        }

        pub fn int(&mut self, line: &str) -> i64 {
            match self.run(line) {
                Reply::Integer(n) => n,
                other => panic!("{line}: {other:?}"),
            }
        }

        /// Plants a one-element list under `key` in the side keyspace.
        pub fn list(&mut self, key: &str) {
            let list = VecDeque::from(vec![b"x".to_vec()]);
            self.side.insert(key.as_bytes(), Value::List(list), None);
        }

        /// Runs a command straight on the side keyspace (no routing).
        pub fn raw(&mut self, line: &str) -> Reply {
            let argv = split(line);
            let spec = match command::lookup(&argv) {
                Ok(spec) => spec,
                Err(e) => return e.into(),
            };
            let topology = Topology::default();
            let mut config = ClusterConfig::for_port(7000);
            let mut scripts = crate::engine::script::Scripting::new(1);
            let mut ctx = Ctx {
                db: &mut self.side,
                now_ms: self.now,
                topology: &topology,
                config: &mut config,
                node: 0,
                touched: Vec::new(),
                random: 0,
                client: Default::default(),
                scripting: scripts.ctx_for(0, 0),
                events: Vec::new(),
            };
            (spec.handler)(&mut ctx, &argv).unwrap_or_else(Reply::from)
        }
    }

    pub(crate) fn err(s: &str) -> Reply {
        Reply::Error(s.into())
    }

    pub(crate) const WRONGTYPE: &str =
        "WRONGTYPE Operation against a key holding the wrong kind of value";

    fn bulk(s: &str) -> Reply {
        Reply::bulk(s)
    }

    #[test]
    fn test_keys_live_on_7000() {
        for key in ["bar", "b", "hoge", "{user1000}x", "kk", "n"] {
            assert!(key_slot(key.as_bytes()) <= 5460, "{key}");
        }
    }

    #[test]
    fn set_options() {
        // Transcript (redis-server 7.0.15):
        // set kk v nx -> OK; set kk v nx -> (nil); set kk v xx -> OK; set nk v xx -> (nil)
        // set kk v nx xx / xx nx -> ERR syntax error; set kk v nx nx -> (nil)
        // set kk v ex 10 px 100 -> syntax; ex 10 ex 10 -> OK; ex 10 keepttl -> syntax;
        // keepttl ex 10 -> syntax; keepttl keepttl -> OK; set kk v ex -> syntax
        // ex 0 / ex -1 / px 0 / exat 0 / pxat 0 -> invalid expire time; ex x -> not an integer
        let mut t = T::new();
        t.ok("set kk v nx");
        assert_eq!(t.run("set kk v nx"), Reply::NilBulk);
        t.ok("set kk v xx");
        assert_eq!(t.run("set hoge v xx"), Reply::NilBulk);
        let syntax = err("ERR syntax error");
        for bad in [
            "set kk v nx xx",
            "set kk v xx nx",
            "set kk v ex 10 px 100",
            "set kk v ex 10 keepttl",
            "set kk v keepttl ex 10",
            "set kk v ex",
            "set kk v foo",
            "set kk v EX 10 XX GET KEEPTTL",
            "set kk v PX 10 EXAT 10",
            "set kk v ex 10 foo",
            "set kk v foo ex 0",
            "set kk v ex 0 foo",
        ] {
            assert_eq!(t.run(bad), syntax, "{bad}");
        }
        assert_eq!(t.run("set kk v nx nx"), Reply::NilBulk);
        t.ok("set kk v ex 10 ex 10");
        t.ok("set kk v keepttl keepttl");
        let invalid = err("ERR invalid expire time in 'set' command");
        for bad in [
            "set kk v ex 0",
            "set kk v ex -1",
            "set kk v px 0",
            "set kk v exat 0",
            "set kk v pxat 0",
            "set kk v ex 9223372036854775807",
            "set kk v ex 9223372036854775",
            "set kk v ex 9223372036854774",
            "set kk v px 9223372036854775807",
            "set kk v px 9223372036853775806",
            "set kk v ex 0 nx",
        ] {
            assert_eq!(t.run(bad), invalid, "{bad}");
        }
        let not_int = err("ERR value is not an integer or out of range");
        assert_eq!(t.run("set kk v ex x"), not_int);
        assert_eq!(t.run("set kk v ex 1.5"), not_int);
        assert_eq!(t.run("set kk v nx ex foo"), not_int);
        // exat 9223372036854775 and pxat 9223372036854775807 -> OK (no addition).
        t.ok("set kk v exat 9223372036854775");
        t.ok("set kk v pxat 9223372036854775807");
        // set kk v exat 1 -> OK, get kk -> (nil)
        t.ok("set kk v exat 1");
        assert_eq!(t.run("get kk"), Reply::NilBulk);
    }

    #[test]
    fn set_exat_in_the_past_inside_multi() {
        // multi; set k v exat 1; get k; exists k; exec -> [OK, (nil), 0]
        let mut t = T::new();
        t.ok("multi");
        t.run("set kk v exat 1");
        t.run("get kk");
        t.run("exists kk");
        assert_eq!(
            t.run("exec"),
            Reply::Array(vec![Reply::ok(), Reply::NilBulk, Reply::Integer(0)])
        );
    }

    #[test]
    fn set_option_names_stop_at_nul() {
        // set kk v "nx\x00zz" -> OK (treated as NX); set kk v "EX\x00" 100 -> OK, ttl 100.
        let mut t = T::new();
        t.ok("set kk v nx\\0zz");
        assert_eq!(t.run("set kk v nx\\0zz"), Reply::NilBulk);
        t.ok("set kk v EX\\0 100");
        assert_eq!(t.run("ttl kk"), Reply::Integer(100));
    }

    #[test]
    fn set_get() {
        // set kk v get -> (nil) on a missing key; then 'v'; set kk v get get -> old value;
        // set kk v get nx -> 'v' (and nothing is written); set k2 v get xx -> (nil);
        // rpush l a; set l v get [nx|xx] -> WRONGTYPE; set l v -> OK, type l -> string.
        let mut t = T::new();
        assert_eq!(t.run("set kk v get"), Reply::NilBulk);
        assert_eq!(t.run("set kk v2 get"), bulk("v"));
        assert_eq!(t.run("set kk v get get"), bulk("v2"));
        assert_eq!(t.run("set kk w get nx"), bulk("v"));
        assert_eq!(t.run("get kk"), bulk("v"));
        assert_eq!(t.run("set n v get xx"), Reply::NilBulk);
        assert_eq!(t.run("exists n"), Reply::Integer(0));
        t.list("bar");
        for bad in ["set bar v get", "set bar v get nx", "set bar v xx get"] {
            assert_eq!(t.raw(bad), err(WRONGTYPE), "{bad}");
        }
        assert_eq!(t.raw("set bar v"), Reply::ok());
        assert_eq!(t.raw("type bar"), Reply::Status("string".into()));
    }

    #[test]
    fn set_ttl_handling() {
        // set kk v ex 100; ttl -> 100; set kk w keepttl; ttl -> 100; set kk w; ttl -> -1;
        // set kk v px 100 get -> 'w'; pttl -> 100
        let mut t = T::new();
        t.ok("set kk v ex 100");
        assert_eq!(t.run("ttl kk"), Reply::Integer(100));
        t.ok("set kk w keepttl");
        assert_eq!(t.run("ttl kk"), Reply::Integer(100));
        t.ok("set kk w");
        assert_eq!(t.run("ttl kk"), Reply::Integer(-1));
        assert_eq!(t.run("set kk v px 100 get"), bulk("w"));
        assert_eq!(t.run("pttl kk"), Reply::Integer(100));
        t.now += 100;
        assert_eq!(t.run("get kk"), Reply::NilBulk);
    }

    #[test]
    fn setnx_setex_getset_getdel() {
        // setnx kk v -> 0 when present, 1 when created; setex kk 10 v -> OK, ttl 10;
        // setex kk 0 v / -5 -> invalid expire time in 'setex'; setex kk x v -> not an integer;
        // psetex kk 0 v -> invalid expire time in 'psetex'; getset nokey v -> (nil);
        // getdel kk -> value, then (nil); getset/getdel on a list -> WRONGTYPE.
        let mut t = T::new();
        assert_eq!(t.run("setnx kk v"), Reply::Integer(1));
        assert_eq!(t.run("setnx kk v"), Reply::Integer(0));
        t.ok("setex kk 10 v");
        assert_eq!(t.run("ttl kk"), Reply::Integer(10));
        let setex_invalid = err("ERR invalid expire time in 'setex' command");
        assert_eq!(t.run("setex kk 0 v"), setex_invalid);
        assert_eq!(t.run("setex kk -5 v"), setex_invalid);
        assert_eq!(t.run("setex kk 9223372036854774 v"), setex_invalid);
        assert_eq!(
            t.run("setex kk x v"),
            err("ERR value is not an integer or out of range")
        );
        assert_eq!(
            t.run("psetex kk 0 v"),
            err("ERR invalid expire time in 'psetex' command")
        );
        // getset t z -> old value and the TTL is gone (ttl -1).
        assert_eq!(t.run("getset kk z"), bulk("v"));
        assert_eq!(t.run("ttl kk"), Reply::Integer(-1));
        assert_eq!(t.run("getset hoge v"), Reply::NilBulk);
        assert_eq!(t.run("getdel kk"), bulk("z"));
        assert_eq!(t.run("getdel kk"), Reply::NilBulk);
        t.list("bar");
        assert_eq!(t.raw("getset bar x"), err(WRONGTYPE));
        assert_eq!(t.raw("getdel bar"), err(WRONGTYPE));
        assert_eq!(t.raw("get bar"), err(WRONGTYPE));
    }

    #[test]
    fn mget_mset_msetnx() {
        // Keys in one slot: {user1000}a/b/c. mset with an odd count ->
        // ERR wrong number of arguments for 'mset' command; mget on a list -> nil.
        let mut t = T::new();
        assert_eq!(
            t.run("mset {user1000}a 1 {user1000}b"),
            err("ERR wrong number of arguments for 'mset' command")
        );
        assert_eq!(
            t.run("msetnx {user1000}a 1 {user1000}b"),
            err("ERR wrong number of arguments for 'msetnx' command")
        );
        t.ok("mset {user1000}a 1 {user1000}b 2");
        assert_eq!(
            t.run("mget {user1000}a {user1000}b {user1000}c"),
            Reply::Array(vec![bulk("1"), bulk("2"), Reply::NilBulk])
        );
        t.list("l");
        assert_eq!(t.raw("mset a 1"), Reply::ok());
        assert_eq!(
            t.raw("mget a l c"),
            Reply::Array(vec![bulk("1"), Reply::NilBulk, Reply::NilBulk])
        );
        // msetnx over a list key -> 0; mset over it -> OK and it becomes a string.
        assert_eq!(t.raw("msetnx l 1"), Reply::Integer(0));
        assert_eq!(t.raw("mset l 1"), Reply::ok());
        assert_eq!(t.raw("type l"), Reply::Status("string".into()));
        t.ok("mset {user1000}a 1 {user1000}a 2");
        assert_eq!(t.run("get {user1000}a"), bulk("2"));
        assert_eq!(
            t.run("msetnx {user1000}a 1 {user1000}x 2"),
            Reply::Integer(0)
        );
        assert_eq!(
            t.run("msetnx {user1000}x 1 {user1000}y 2"),
            Reply::Integer(1)
        );
        assert_eq!(
            t.run("msetnx {user1000}z 1 {user1000}z 2"),
            Reply::Integer(1)
        );
        assert_eq!(t.run("get {user1000}z"), bulk("2"));
        // mset drops TTLs: set t 1 ex 100; mset t 2; ttl t -> -1
        t.ok("set kk 1 ex 100");
        t.ok("mset kk 2");
        assert_eq!(t.run("ttl kk"), Reply::Integer(-1));
    }

    #[test]
    fn mset_routing_errors() {
        // On a cluster: MSET bar 1 b (odd, two slots) -> CROSSSLOT;
        // MSET bar 1 {bar}2 (odd, one slot) -> the arity error from the command.
        let mut t = T::new();
        assert_eq!(
            t.run("mset bar 1 b"),
            err("CROSSSLOT Keys in request don't hash to the same slot")
        );
        assert_eq!(
            t.run("mset bar 1 {bar}2"),
            err("ERR wrong number of arguments for 'mset' command")
        );
        assert_eq!(
            t.run("mget"),
            err("ERR wrong number of arguments for 'mget' command")
        );
    }

    #[test]
    fn counters() {
        // incr nokey -> 1, 2; decr -> 1; incrby 10 -> 11; decrby 10 -> 1;
        // incrby x / 1.5 -> not an integer; at LLONG_MAX incr -> overflow;
        // incrby n 0 -> 9223372036854775807; at LLONG_MIN decr -> overflow;
        // decrby n -9223372036854775808 -> ERR decrement would overflow;
        // decrby m 9223372036854775808 -> not an integer;
        // incrby m -9223372036854775808 on 5 -> -9223372036854775803
        let mut t = T::new();
        assert_eq!(t.run("incr kk"), Reply::Integer(1));
        assert_eq!(t.run("incr kk"), Reply::Integer(2));
        assert_eq!(t.run("decr kk"), Reply::Integer(1));
        assert_eq!(t.run("incrby kk 10"), Reply::Integer(11));
        assert_eq!(t.run("decrby kk 10"), Reply::Integer(1));
        let not_int = err("ERR value is not an integer or out of range");
        assert_eq!(t.run("incrby kk x"), not_int);
        assert_eq!(t.run("incrby kk 1.5"), not_int);
        assert_eq!(t.run("incrby kk 00"), not_int);
        assert_eq!(t.run("incrby kk +1"), not_int);
        let overflow = err("ERR increment or decrement would overflow");
        t.ok("set kk 9223372036854775807");
        assert_eq!(t.run("incr kk"), overflow);
        assert_eq!(t.run("incrby kk 0"), Reply::Integer(i64::MAX));
        t.ok("set kk -9223372036854775808");
        assert_eq!(t.run("decr kk"), overflow);
        assert_eq!(
            t.run("decrby kk -9223372036854775808"),
            err("ERR decrement would overflow")
        );
        assert_eq!(t.run("decrby kk 9223372036854775807"), overflow);
        t.ok("set kk 5");
        assert_eq!(t.run("decrby kk 9223372036854775808"), not_int);
        assert_eq!(
            t.run("incrby kk -9223372036854775808"),
            Reply::Integer(-9223372036854775803)
        );
        for bad in ["abc", "1.0", "007", "-0", "12345678901234567890", "''"] {
            t.ok(&format!("set kk {bad}"));
            assert_eq!(t.run("incr kk"), not_int, "{bad}");
        }
        // rpush l x; incr l -> WRONGTYPE; decrby l -9223372036854775808 -> decrement
        // would overflow (checked first); incrby l x -> not an integer.
        t.list("bar");
        assert_eq!(t.raw("incr bar"), err(WRONGTYPE));
        assert_eq!(
            t.raw("decrby bar -9223372036854775808"),
            err("ERR decrement would overflow")
        );
        assert_eq!(t.raw("incrby bar x"), not_int);
        // set t 1 ex 100; incr t -> 2; ttl t -> 100
        t.ok("set kk 1 ex 100");
        assert_eq!(t.run("incr kk"), Reply::Integer(2));
        assert_eq!(t.run("ttl kk"), Reply::Integer(100));
    }

    #[test]
    fn incrbyfloat_replies() {
        // set f 10.5; incrbyfloat f 0.1 -> "10.6"; set f 0.1; + 0.2 -> "0.3";
        // set f 3.0e3; + 0 -> "3000"; set f 5.0e3; + 2.0e2 -> "5200";
        // incrbyfloat nf3 1e20 -> "100000000000000000000"; nan -> not a valid float;
        // inf -> increment would produce NaN or Infinity; set s abc; + 1 -> not a valid float;
        // list -> WRONGTYPE (even with a bad increment).
        let mut t = T::new();
        for (start, by, want) in [
            ("10.5", "0.1", "10.6"),
            ("0.1", "0.2", "0.3"),
            ("3.0e3", "0", "3000"),
            ("5.0e3", "2.0e2", "5200"),
            ("1.5", "1.5", "3"),
            ("1e2", "1", "101"),
            ("0x10", "1", "17"),
        ] {
            t.ok(&format!("set kk {start}"));
            assert_eq!(t.run(&format!("incrbyfloat kk {by}")), bulk(want));
            assert_eq!(t.run("get kk"), bulk(want));
        }
        assert_eq!(
            t.run("incrbyfloat hoge 1e20"),
            bulk("100000000000000000000")
        );
        let not_float = err("ERR value is not a valid float");
        for bad in ["nan", "abc", "1e", "''", "0x", "1e4933"] {
            assert_eq!(t.run(&format!("incrbyfloat n {bad}")), not_float, "{bad}");
        }
        let nan_inf = err("ERR increment would produce NaN or Infinity");
        assert_eq!(t.run("incrbyfloat n inf"), nan_inf);
        assert_eq!(t.run("incrbyfloat n -INF"), nan_inf);
        t.ok("set kk abc");
        assert_eq!(t.run("incrbyfloat kk 1"), not_float);
        t.list("bar");
        assert_eq!(t.raw("incrbyfloat bar 1"), err(WRONGTYPE));
        assert_eq!(t.raw("incrbyfloat bar x"), err(WRONGTYPE));
        // The TTL is kept: set t 1 ex 100; incrbyfloat t 1.5 -> "2.5"... ttl t -> 100
        t.ok("set kk 1 ex 100");
        assert_eq!(t.run("incrbyfloat kk 1.5"), bulk("2.5"));
        assert_eq!(t.run("ttl kk"), Reply::Integer(100));
    }

    #[test]
    fn append_strlen() {
        // append a hello -> 5; append a " world" -> 11; strlen a -> 11; strlen nokey -> 0;
        // strlen/append on a list -> WRONGTYPE; set n 12345; strlen n -> 5;
        // append nk5 "" -> 0 and the key exists (type string); TTL kept by APPEND.
        let mut t = T::new();
        assert_eq!(t.run("append kk hello"), Reply::Integer(5));
        assert_eq!(t.run("append kk _world"), Reply::Integer(11));
        assert_eq!(t.run("get kk"), bulk("hello_world"));
        assert_eq!(t.run("strlen kk"), Reply::Integer(11));
        assert_eq!(t.run("strlen hoge"), Reply::Integer(0));
        t.list("bar");
        assert_eq!(t.raw("strlen bar"), err(WRONGTYPE));
        assert_eq!(t.raw("append bar x"), err(WRONGTYPE));
        t.ok("set kk 12345");
        assert_eq!(t.run("strlen kk"), Reply::Integer(5));
        assert_eq!(t.run("append n ''"), Reply::Integer(0));
        assert_eq!(t.run("type n"), Reply::Status("string".into()));
        t.ok("set kk 1 ex 100");
        assert_eq!(t.run("append kk x"), Reply::Integer(2));
        assert_eq!(t.run("ttl kk"), Reply::Integer(100));
    }

    #[test]
    fn getrange_indices() {
        // On "hello world": 0 4 -> hello; -5 -1 -> world; 0 -1 -> all; 5 2 -> "";
        // -100 100 -> all; 100 200 -> ""; -1 -5 -> ""; 0 0 -> h; -1 -1 -> d;
        // 11 11 -> ""; 10 11 -> d; -12 -12 -> h; 3 -100 -> "";
        // LLONG_MAX twice -> ""; LLONG_MIN twice -> h; nokey -> ""; x -> not an integer.
        let mut t = T::new();
        t.ok("set kk hello_world");
        for (range, want) in [
            ("0 4", "hello"),
            ("-5 -1", "world"),
            ("0 -1", "hello_world"),
            ("5 2", ""),
            ("-100 100", "hello_world"),
            ("100 200", ""),
            ("-1 -5", ""),
            ("0 0", "h"),
            ("-1 -1", "d"),
            ("11 11", ""),
            ("10 11", "d"),
            ("-11 -11", "h"),
            ("-12 -12", "h"),
            ("3 -100", ""),
            ("9223372036854775807 9223372036854775807", ""),
            ("-9223372036854775808 -9223372036854775808", "h"),
            ("0 9223372036854775807", "hello_world"),
        ] {
            assert_eq!(
                t.run(&format!("getrange kk {range}")),
                bulk(want),
                "{range}"
            );
        }
        assert_eq!(t.run("getrange hoge 0 -1"), bulk(""));
        t.ok("set kk ''");
        assert_eq!(t.run("getrange kk 0 -1"), bulk(""));
        assert_eq!(t.run("getrange kk -1 0"), bulk(""));
        t.ok("set kk 12345");
        assert_eq!(t.run("getrange kk 1 2"), bulk("23"));
        let not_int = err("ERR value is not an integer or out of range");
        assert_eq!(t.run("getrange kk x 1"), not_int);
        assert_eq!(t.run("getrange hoge 0 x"), not_int);
        t.list("bar");
        assert_eq!(t.raw("getrange bar 0 -1"), err(WRONGTYPE));
    }

    #[test]
    fn setrange_cases() {
        // setrange s 5 abc -> 8, get -> "\0\0\0\0\0abc"; setrange s -1 x -> offset out of
        // range; setrange nk 0 "" -> 0 and no key; setrange a 0 "" -> current length;
        // setrange a 1 XYZ on "hello world" -> 11; setrange nk4 536870912 x -> string
        // exceeds maximum allowed size (proto-max-bulk-len); 9223372036854775807 x -> same;
        // 9223372036854775808 -> not an integer; list -> WRONGTYPE, but a negative offset
        // on a list is "offset is out of range" (checked first).
        let mut t = T::new();
        assert_eq!(t.run("setrange kk 5 abc"), Reply::Integer(8));
        assert_eq!(t.run("get kk"), Reply::bulk(b"\0\0\0\0\0abc"));
        assert_eq!(t.run("setrange kk -1 x"), err("ERR offset is out of range"));
        assert_eq!(
            t.run("setrange kk x x"),
            err("ERR value is not an integer or out of range")
        );
        assert_eq!(t.run("setrange n 0 ''"), Reply::Integer(0));
        assert_eq!(t.run("setrange n 10 ''"), Reply::Integer(0));
        assert_eq!(t.run("exists n"), Reply::Integer(0));
        t.ok("set kk hello_world");
        assert_eq!(t.run("setrange kk 0 ''"), Reply::Integer(11));
        assert_eq!(t.run("setrange kk 100 ''"), Reply::Integer(11));
        assert_eq!(t.run("setrange kk 1 XYZ"), Reply::Integer(11));
        assert_eq!(t.run("get kk"), bulk("hXYZo_world"));
        assert_eq!(t.run("setrange kk 13 end"), Reply::Integer(16));
        assert_eq!(t.run("get kk"), Reply::bulk(b"hXYZo_world\0\0end"));
        let too_long = err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        assert_eq!(t.run("setrange n 536870912 x"), too_long);
        assert_eq!(t.run("setrange n 9223372036854775807 x"), too_long);
        assert_eq!(t.run("setrange kk 536870912 x"), too_long);
        assert_eq!(t.run("setrange n 536870912 ''"), Reply::Integer(0));
        assert_eq!(
            t.run("setrange n 9223372036854775808 x"),
            err("ERR value is not an integer or out of range")
        );
        t.list("bar");
        assert_eq!(t.raw("setrange bar 0 x"), err(WRONGTYPE));
        assert_eq!(
            t.raw("setrange bar -1 x"),
            err("ERR offset is out of range")
        );
        // TTL kept: set t 1 ex 100; setrange t 0 y; ttl t -> 100
        t.ok("set kk 1 ex 100");
        assert_eq!(t.run("setrange kk 0 y"), Reply::Integer(1));
        assert_eq!(t.run("ttl kk"), Reply::Integer(100));
    }

    #[test]
    fn encodings_after_string_commands() {
        // Transcript: set a 123 -> int; 9223372036854775808 -> embstr; 007 -> embstr;
        // 44 chars -> embstr; 45 chars -> raw; "" -> embstr; set a 1; append a 2 -> raw;
        // incr a -> int; setrange b 0 x on "abc" -> raw; setrange b 0 "" -> unchanged embstr;
        // set e 10; setrange e 0 "" -> int; setrange nk 0 x -> raw; append nk2 5 -> int;
        // append nk3 abc -> embstr; incrbyfloat f 1.5 -> embstr, again ("3") -> embstr;
        // set e abc; append e "" -> raw; mset m1 5 -> int; setex se 100 44 -> int;
        // set k1 10; incrbyfloat k1 1 -> "11"... embstr.
        let mut t = T::new();
        let enc = |t: &mut T, key: &str| t.run(&format!("object encoding {key}"));
        for (value, want) in [
            ("123", "int"),
            ("-9223372036854775808", "int"),
            ("9223372036854775808", "embstr"),
            ("007", "embstr"),
            ("-0", "embstr"),
            ("12345678901234567890123456789012345678901234", "embstr"),
            ("123456789012345678901234567890123456789012345", "raw"),
            ("''", "embstr"),
        ] {
            t.ok(&format!("set kk {value}"));
            assert_eq!(enc(&mut t, "kk"), bulk(want), "{value}");
        }
        t.ok("set kk 1");
        t.run("append kk 2");
        assert_eq!(enc(&mut t, "kk"), bulk("raw"));
        t.run("incr kk");
        assert_eq!(enc(&mut t, "kk"), bulk("int"));
        t.ok("set kk abc");
        t.run("setrange kk 0 ''");
        assert_eq!(enc(&mut t, "kk"), bulk("embstr"));
        t.run("setrange kk 0 x");
        assert_eq!(enc(&mut t, "kk"), bulk("raw"));
        t.ok("set kk 10");
        t.run("setrange kk 0 ''");
        assert_eq!(enc(&mut t, "kk"), bulk("int"));
        t.ok("set kk abc");
        t.run("append kk ''");
        assert_eq!(enc(&mut t, "kk"), bulk("raw"));
        t.run("setrange hoge 0 x");
        assert_eq!(enc(&mut t, "hoge"), bulk("raw"));
        t.run("append b 5");
        assert_eq!(enc(&mut t, "b"), bulk("int"));
        t.run("append bar abc");
        assert_eq!(enc(&mut t, "bar"), bulk("embstr"));
        t.run("incrbyfloat n 1.5");
        assert_eq!(enc(&mut t, "n"), bulk("embstr"));
        assert_eq!(t.run("incrbyfloat n 1.5"), bulk("3"));
        assert_eq!(enc(&mut t, "n"), bulk("embstr"));
        t.ok("setex kk 100 44");
        assert_eq!(enc(&mut t, "kk"), bulk("int"));
        t.ok("mset kk 5");
        assert_eq!(enc(&mut t, "kk"), bulk("int"));
    }

    #[test]
    fn writes_signal_watchers() {
        // A WATCHed key written by another connection makes EXEC return a null array;
        // a SET NX that does not write leaves the transaction alone.
        let mut t = T::new();
        let other = t.c.connect(7000).unwrap();
        t.ok("set kk v");
        t.ok("watch kk");
        t.c.execute(
            other,
            &[
                b"set".to_vec(),
                b"kk".to_vec(),
                b"v".to_vec(),
                b"nx".to_vec(),
            ],
            t.now,
        );
        t.ok("multi");
        t.run("get kk");
        assert_eq!(t.run("exec"), Reply::Array(vec![bulk("v")]));
        t.ok("watch kk");
        t.c.execute(
            other,
            &[b"append".to_vec(), b"kk".to_vec(), b"".to_vec()],
            t.now,
        );
        t.ok("multi");
        t.run("get kk");
        assert_eq!(t.run("exec"), Reply::NilArray);
    }
}
