//! Hash commands, after Redis 7.0's `t_hash.c`: HSET, HGET, HMGET, HDEL,
//! HGETALL, HINCRBY, HEXISTS, HLEN, HKEYS, HVALS.
//!
//! A hash is an [`IndexMap`], so replies list fields in insertion order as a
//! small (listpack-encoded) Redis hash does: updating a field keeps its
//! place, HDEL closes the gap. A hash emptied by HDEL is deleted.

use indexmap::IndexMap;

use crate::engine::cmd::args;
use crate::engine::command::flags::{DENYOOM, FAST, READONLY, WRITE};
use crate::engine::command::{spec, CommandSpec, Ctx, Handler, KEY1};
use crate::engine::error::RedisError;
use crate::engine::keyspace::Keyspace;
use crate::engine::reply::Reply;
use crate::engine::value::{parse_strict_i64, Value};

/// A hash value.
type Hash = IndexMap<Vec<u8>, Vec<u8>>;

/// An entry whose only key is the first argument.
const fn cmd(name: &'static str, arity: i32, flags: u32, handler: Handler) -> CommandSpec {
    spec(name, arity, flags, KEY1, handler)
}

/// The hash commands; arity and flags as `COMMAND INFO` reports them on 7.0.15.
pub static COMMANDS: &[CommandSpec] = &[
    cmd("hset", -4, WRITE | DENYOOM | FAST, hset),
    cmd("hget", 3, READONLY | FAST, hget),
    cmd("hmget", -3, READONLY | FAST, hmget),
    cmd("hdel", -3, WRITE | FAST, hdel),
    cmd("hgetall", 2, READONLY, hgetall),
    cmd("hincrby", 4, WRITE | DENYOOM | FAST, hincrby),
    cmd("hexists", 3, READONLY | FAST, hexists),
    cmd("hlen", 2, READONLY | FAST, hlen),
    cmd("hkeys", 2, READONLY, hkeys),
    cmd("hvals", 2, READONLY, hvals),
];

/// The hash under `key` for reading: None when missing, WRONGTYPE for another type.
fn read<'a>(db: &'a Keyspace, key: &[u8]) -> Result<Option<&'a Hash>, RedisError> {
    match db.value(key) {
        None => Ok(None),
        Some(Value::Hash(hash)) => Ok(Some(hash.as_ref())),
        Some(_) => Err(RedisError::WrongType),
    }
}

/// `hashTypeLookupWriteOrCreate`: the hash under `key`, created empty when missing.
fn write_or_create<'a>(db: &'a mut Keyspace, key: &[u8]) -> Result<&'a mut Hash, RedisError> {
    match db.value(key) {
        None => db.insert(key, Value::Hash(Box::default()), None),
        Some(Value::Hash(_)) => {}
        Some(_) => return Err(RedisError::WrongType),
    }
    match db.value_mut(key) {
        Some(Value::Hash(hash)) => Ok(hash.as_mut()),
        _ => Err(RedisError::WrongType),
    }
}

/// Sets fields, returning how many were new. An odd number of field/value
/// arguments is an arity error, as `hsetCommand` reports it.
///
/// # Format
/// ```text
/// HSET key field value [field value ...]
/// ```
fn hset(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    if argv.len() % 2 == 1 {
        return Err(RedisError::WrongArity {
            name: "hset".into(),
        });
    }
    let key = &argv[1];
    let hash = write_or_create(ctx.db, key)?;
    let mut created = 0;
    for pair in argv[2..].chunks_exact(2) {
        if hash.insert(pair[0].clone(), pair[1].clone()).is_none() {
            created += 1;
        }
    }
    ctx.touch(key);
    Ok(Reply::Integer(created))
}

/// The value of a field, or nil.
///
/// # Format
/// ```text
/// HGET key field
/// ```
fn hget(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let hash = read(ctx.db, &argv[1])?;
    Ok(Reply::bulk_or_nil(hash.and_then(|h| h.get(&argv[2]))))
}

/// The values of several fields, nil for each missing one.
///
/// # Format
/// ```text
/// HMGET key field [field ...]
/// ```
fn hmget(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let hash = read(ctx.db, &argv[1])?;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|field| Reply::bulk_or_nil(hash.and_then(|h| h.get(field))))
            .collect(),
    ))
}

/// Removes fields, returning how many existed; deletes the key when the hash empties.
///
/// # Format
/// ```text
/// HDEL key field [field ...]
/// ```
fn hdel(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let key = &argv[1];
    if read(ctx.db, key)?.is_none() {
        return Ok(Reply::Integer(0));
    }
    let Some(Value::Hash(hash)) = ctx.db.value_mut(key) else {
        return Ok(Reply::Integer(0));
    };
    let mut deleted = 0;
    for field in &argv[2..] {
        if hash.shift_remove(field).is_some() {
            deleted += 1;
            if hash.is_empty() {
                break;
            }
        }
    }
    let emptied = hash.is_empty();
    if emptied {
        ctx.db.remove(key);
    }
    if deleted > 0 {
        ctx.touch(key);
    }
    Ok(Reply::Integer(deleted))
}

/// Every field and value, flattened.
///
/// # Format
/// ```text
/// HGETALL key
/// ```
fn hgetall(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let hash = read(ctx.db, &argv[1])?;
    Ok(Reply::Array(
        hash.into_iter()
            .flatten()
            .flat_map(|(f, v)| [Reply::bulk(f), Reply::bulk(v)])
            .collect(),
    ))
}

/// Adds an integer to a field (missing fields count as 0). The increment is
/// parsed before the key is looked up.
///
/// # Format
/// ```text
/// HINCRBY key field increment
/// ```
fn hincrby(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let key = &argv[1];
    let incr = args::int(&argv[3])?;
    let hash = write_or_create(ctx.db, key)?;
    let old = match hash.get(&argv[2]) {
        Some(value) => parse_strict_i64(value).ok_or(RedisError::HashValueNotInteger)?,
        None => 0,
    };
    let new = old.checked_add(incr).ok_or(RedisError::Overflow)?;
    hash.insert(argv[2].clone(), new.to_string().into_bytes());
    ctx.touch(key);
    Ok(Reply::Integer(new))
}

/// 1 when the field exists.
///
/// # Format
/// ```text
/// HEXISTS key field
/// ```
fn hexists(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let hash = read(ctx.db, &argv[1])?;
    Ok(Reply::Integer(i64::from(
        hash.is_some_and(|h| h.contains_key(&argv[2])),
    )))
}

/// The number of fields.
///
/// # Format
/// ```text
/// HLEN key
/// ```
fn hlen(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let hash = read(ctx.db, &argv[1])?;
    Ok(Reply::Integer(hash.map_or(0, |h| h.len() as i64)))
}

/// Every field name.
///
/// # Format
/// ```text
/// HKEYS key
/// ```
fn hkeys(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let hash = read(ctx.db, &argv[1])?;
    Ok(Reply::bulks(hash.into_iter().flat_map(|h| h.keys())))
}

/// Every value.
///
/// # Format
/// ```text
/// HVALS key
/// ```
fn hvals(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let hash = read(ctx.db, &argv[1])?;
    Ok(Reply::bulks(hash.into_iter().flat_map(|h| h.values())))
}

/// Test helpers shared by the type-command test modules.
#[cfg(test)]
pub(crate) mod testutil {
    use crate::engine::reply::Reply;
    use crate::engine::Cluster;

    /// Runs `cmds` in order on one connection to 7000 of a fresh cluster
    /// (keys must hash to slots 0-5460, e.g. `{b}`-tagged ones).
    pub fn run(cmds: &[&[&str]]) -> Vec<Reply> {
        run_seeded(None, cmds)
    }

    /// [`run`] on a cluster re-seeded with `seed`.
    pub fn run_seeded(seed: Option<u64>, cmds: &[&[&str]]) -> Vec<Reply> {
        let mut c = Cluster::default();
        if let Some(seed) = seed {
            c.seed(seed);
        }
        let conn = c.connect(7000).expect("7000 exists");
        cmds.iter()
            .map(|words| {
                let argv: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
                c.execute(conn, &argv, 0).reply
            })
            .collect()
    }

    /// Runs `cmds` and returns the replies paired with the key-modified
    /// events of each command, for touch checks.
    pub fn run_touched(cmds: &[&[&str]]) -> Vec<(Reply, Vec<String>)> {
        let mut c = Cluster::default();
        let conn = c.connect(7000).expect("7000 exists");
        cmds.iter()
            .map(|words| {
                let argv: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
                let out = c.execute(conn, &argv, 0);
                let touched = out
                    .events
                    .iter()
                    .filter_map(|e| match e {
                        crate::engine::Event::KeyModified { key, .. } => Some(key.clone()),
                        _ => None,
                    })
                    .collect();
                (out.reply, touched)
            })
            .collect()
    }

    /// `:n`
    pub fn int(n: i64) -> Reply {
        Reply::Integer(n)
    }

    /// `$len\r\ntext`
    pub fn bulk(text: &str) -> Reply {
        Reply::bulk(text)
    }

    /// An array of bulks.
    pub fn bulks(items: &[&str]) -> Reply {
        Reply::bulks(items)
    }

    /// `-text`
    pub fn err(text: &str) -> Reply {
        Reply::Error(text.into())
    }

    /// `+OK`
    pub fn ok() -> Reply {
        Reply::ok()
    }

    /// The WRONGTYPE error reply.
    pub fn wrongtype() -> Reply {
        err("WRONGTYPE Operation against a key holding the wrong kind of value")
    }
}

#[cfg(test)]
mod tests {
    //! Transcripts are from a standalone redis-server 7.0.15 (port 6401, raw
    //! RESP); the keys there were `h`, `s`, `nokey` ... and are `{b}`-tagged
    //! here so that they live on 7000.
    use super::testutil::*;
    use crate::engine::reply::Reply;

    // redis 7.0.15 transcript (redis-server --port 6401, raw RESP):
    //   set {b}s x                        -> +OK
    //   hset {b}h a 1 b 2 c 3             -> :3
    //   hset {b}h b 20 d 4                -> :1
    //   hgetall {b}h                      -> *8 a 1 b 20 c 3 d 4
    //   hdel {b}h b                       -> :1
    //   hgetall {b}h                      -> *6 a 1 c 3 d 4
    //   hset {b}h b 5                     -> :1
    //   hgetall {b}h                      -> *8 a 1 c 3 d 4 b 5
    //   hdel {b}h a a zz c                -> :2
    //   hdel {b}h nope                    -> :0
    //   hdel {b}nokey a                   -> :0
    //   hkeys {b}h                        -> *2 d b
    //   hvals {b}h                        -> *2 4 5
    //   hdel {b}h d b                     -> :2
    //   exists {b}h                       -> :0  (here: lpush {b}h x -> :1)
    #[test]
    fn insertion_order_and_hdel() {
        let r = run(&[
            &["hset", "{b}h", "a", "1", "b", "2", "c", "3"],
            &["hset", "{b}h", "b", "20", "d", "4"],
            &["hgetall", "{b}h"],
            &["hdel", "{b}h", "b"],
            &["hgetall", "{b}h"],
            &["hset", "{b}h", "b", "5"],
            &["hgetall", "{b}h"],
            &["hdel", "{b}h", "a", "a", "zz", "c"],
            &["hdel", "{b}h", "nope"],
            &["hdel", "{b}nokey", "a"],
            &["hkeys", "{b}h"],
            &["hvals", "{b}h"],
            &["hdel", "{b}h", "d", "b"],
            &["lpush", "{b}h", "x"],
        ]);
        assert_eq!(r[0], int(3));
        assert_eq!(r[1], int(1));
        assert_eq!(r[2], bulks(&["a", "1", "b", "20", "c", "3", "d", "4"]));
        assert_eq!(r[3], int(1));
        assert_eq!(r[4], bulks(&["a", "1", "c", "3", "d", "4"]));
        assert_eq!(r[5], int(1));
        assert_eq!(r[6], bulks(&["a", "1", "c", "3", "d", "4", "b", "5"]));
        assert_eq!(r[7], int(2));
        assert_eq!(r[8], int(0));
        assert_eq!(r[9], int(0));
        assert_eq!(r[10], bulks(&["d", "b"]));
        assert_eq!(r[11], bulks(&["4", "5"]));
        assert_eq!(r[12], int(2));
        // The emptied hash is gone: a list can be pushed under its name.
        assert_eq!(r[13], int(1));
    }

    // redis 7.0.15:
    //   hset {b}h a 1 b 2 c 3   -> :3
    //   hset {b}h a             -> -ERR wrong number of arguments for 'hset' command
    //   hset {b}h a 1 b         -> -ERR wrong number of arguments for 'hset' command
    //   hget {b}h a             -> $1 1
    //   hget {b}nokey a         -> $-1
    //   hget {b}h zz            -> $-1
    //   hmget {b}h c zz b       -> *3 3 $-1 2
    //   hmget {b}nokey a b      -> *2 $-1 $-1
    //   hgetall {b}nokey        -> *0
    //   hkeys {b}nokey          -> *0
    //   hlen {b}h / {b}nokey    -> :3 / :0
    //   hexists {b}h c / zz / {b}nokey a -> :1 :0 :0
    #[test]
    fn reads_and_arity() {
        let r = run(&[
            &["hset", "{b}h", "a", "1", "b", "2", "c", "3"],
            &["hset", "{b}h", "a"],
            &["hset", "{b}h", "a", "1", "b"],
            &["hget", "{b}h", "a"],
            &["hget", "{b}nokey", "a"],
            &["hget", "{b}h", "zz"],
            &["hmget", "{b}h", "c", "zz", "b"],
            &["hmget", "{b}nokey", "a", "b"],
            &["hgetall", "{b}nokey"],
            &["hkeys", "{b}nokey"],
            &["hvals", "{b}nokey"],
            &["hlen", "{b}h"],
            &["hlen", "{b}nokey"],
            &["hexists", "{b}h", "c"],
            &["hexists", "{b}h", "zz"],
            &["hexists", "{b}nokey", "a"],
        ]);
        assert_eq!(r[0], int(3));
        let arity = err("ERR wrong number of arguments for 'hset' command");
        assert_eq!(r[1], arity);
        assert_eq!(r[2], arity);
        assert_eq!(r[3], bulk("1"));
        assert_eq!(r[4], Reply::NilBulk);
        assert_eq!(r[5], Reply::NilBulk);
        assert_eq!(
            r[6],
            Reply::Array(vec![bulk("3"), Reply::NilBulk, bulk("2")])
        );
        assert_eq!(r[7], Reply::Array(vec![Reply::NilBulk, Reply::NilBulk]));
        assert_eq!(r[8], Reply::Array(vec![]));
        assert_eq!(r[9], Reply::Array(vec![]));
        assert_eq!(r[10], Reply::Array(vec![]));
        assert_eq!(r[11], int(3));
        assert_eq!(r[12], int(0));
        assert_eq!(r[13], int(1));
        assert_eq!(r[14], int(0));
        assert_eq!(r[15], int(0));
    }

    // redis 7.0.15:
    //   hset {b}h n 10 f 1.5 big 9223372036854775807 neg -9223372036854775808 sp " 1" str abc -> :6
    //   hincrby {b}h n 5        -> :15
    //   hincrby {b}h n -20      -> :-5
    //   hincrby {b}h new 7      -> :7
    //   hincrby {b}h f 1        -> -ERR hash value is not an integer
    //   hincrby {b}h str 1      -> -ERR hash value is not an integer
    //   hincrby {b}h sp 1       -> -ERR hash value is not an integer
    //   hincrby {b}h big 1      -> -ERR increment or decrement would overflow
    //   hincrby {b}h big 0      -> :9223372036854775807
    //   hincrby {b}h neg -1     -> -ERR increment or decrement would overflow
    //   hincrby {b}h n abc      -> -ERR value is not an integer or out of range
    //   hincrby {b}h n 1.0      -> -ERR value is not an integer or out of range
    //   hincrby {b}h n 99999999999999999999 -> -ERR value is not an integer or out of range
    //   hincrby {b}h2 x 3       -> :3
    //   hgetall {b}h2           -> *2 x 3
    //   hset {b}h z 007 ; hincrby {b}h z 1 -> -ERR hash value is not an integer
    //   hset {b}h m -0  ; hincrby {b}h m 1 -> -ERR hash value is not an integer
    //   hset {b}h e ""  ; hincrby {b}h e 1 -> -ERR hash value is not an integer
    //   hincrby {b}nokey3 x abc -> -ERR value is not an integer or out of range (key not created)
    #[test]
    fn hincrby_rules() {
        let r = run(&[
            &[
                "hset",
                "{b}h",
                "n",
                "10",
                "f",
                "1.5",
                "big",
                "9223372036854775807",
                "neg",
                "-9223372036854775808",
                "sp",
                " 1",
                "str",
                "abc",
            ],
            &["hincrby", "{b}h", "n", "5"],
            &["hincrby", "{b}h", "n", "-20"],
            &["hincrby", "{b}h", "new", "7"],
            &["hincrby", "{b}h", "f", "1"],
            &["hincrby", "{b}h", "str", "1"],
            &["hincrby", "{b}h", "sp", "1"],
            &["hincrby", "{b}h", "big", "1"],
            &["hincrby", "{b}h", "big", "0"],
            &["hincrby", "{b}h", "neg", "-1"],
            &["hincrby", "{b}h", "n", "abc"],
            &["hincrby", "{b}h", "n", "1.0"],
            &["hincrby", "{b}h", "n", "99999999999999999999"],
            &["hincrby", "{b}h2", "x", "3"],
            &["hgetall", "{b}h2"],
            &["hset", "{b}h", "z", "007", "m", "-0", "e", ""],
            &["hincrby", "{b}h", "z", "1"],
            &["hincrby", "{b}h", "m", "1"],
            &["hincrby", "{b}h", "e", "1"],
            &["hincrby", "{b}nokey3", "x", "abc"],
            &["hlen", "{b}nokey3"],
        ]);
        let not_int = err("ERR hash value is not an integer");
        let overflow = err("ERR increment or decrement would overflow");
        let bad_arg = err("ERR value is not an integer or out of range");
        assert_eq!(r[0], int(6));
        assert_eq!(r[1], int(15));
        assert_eq!(r[2], int(-5));
        assert_eq!(r[3], int(7));
        assert_eq!(r[4], not_int);
        assert_eq!(r[5], not_int);
        assert_eq!(r[6], not_int);
        assert_eq!(r[7], overflow);
        assert_eq!(r[8], int(i64::MAX));
        assert_eq!(r[9], overflow);
        assert_eq!(r[10], bad_arg);
        assert_eq!(r[11], bad_arg);
        assert_eq!(r[12], bad_arg);
        assert_eq!(r[13], int(3));
        assert_eq!(r[14], bulks(&["x", "3"]));
        assert_eq!(r[15], int(3));
        assert_eq!(r[16], not_int);
        assert_eq!(r[17], not_int);
        assert_eq!(r[18], not_int);
        assert_eq!(r[19], bad_arg);
        assert_eq!(r[20], int(0));
    }

    // redis 7.0.15, with a string (or list) at {b}s, every hash command on {b}s ->
    //   -WRONGTYPE Operation against a key holding the wrong kind of value
    // except `hincrby {b}s x abc` -> -ERR value is not an integer or out of range
    // (the increment is parsed before the lookup).
    #[test]
    fn wrong_type_errors() {
        let r = run(&[
            &["lpush", "{b}s", "x"],
            &["hset", "{b}s", "a", "b"],
            &["hdel", "{b}s", "a"],
            &["hget", "{b}s", "a"],
            &["hmget", "{b}s", "a"],
            &["hgetall", "{b}s"],
            &["hkeys", "{b}s"],
            &["hvals", "{b}s"],
            &["hlen", "{b}s"],
            &["hexists", "{b}s", "a"],
            &["hincrby", "{b}s", "x", "1"],
            &["hincrby", "{b}s", "x", "abc"],
        ]);
        assert_eq!(r[0], int(1));
        for reply in &r[1..11] {
            assert_eq!(reply, &wrongtype());
        }
        assert_eq!(r[11], err("ERR value is not an integer or out of range"));
    }

    #[test]
    fn touches() {
        let r = run_touched(&[
            &["hset", "{b}h", "a", "1"],
            &["hset", "{b}h", "a", "1"],
            &["hdel", "{b}h", "zz"],
            &["hincrby", "{b}h", "n", "1"],
            &["hdel", "{b}h", "a", "n"],
            &["hget", "{b}h", "a"],
        ]);
        let touched: Vec<usize> = r.iter().map(|(_, t)| t.len()).collect();
        // HSET always signals (even with no new field); HDEL only when it removed something.
        assert_eq!(touched, vec![1, 1, 0, 1, 1, 0]);
    }

    /// Runs `setup`, WATCHes `watched` on connection A, runs `op` on
    /// connection B, and reports whether A's EXEC was aborted (nil array).
    fn exec_aborted(setup: &[&[&str]], op: &[&str], watched: &str) -> bool {
        let mut c = crate::engine::Cluster::default();
        let a = c.connect(7000).expect("7000");
        let b = c.connect(7000).expect("7000");
        let argv =
            |w: &[&str]| -> Vec<Vec<u8>> { w.iter().map(|x| x.as_bytes().to_vec()).collect() };
        for cmd in setup {
            c.execute(a, &argv(cmd), 0);
        }
        c.execute(a, &argv(&["watch", watched]), 0);
        c.execute(a, &argv(&["multi"]), 0);
        c.execute(b, &argv(op), 0);
        c.execute(a, &argv(&["exec"]), 0).reply == Reply::NilArray
    }

    /// (setup, op, watched key, whether EXEC was aborted).
    type WatchCase<'a> = (&'a [&'a [&'a str]], &'a [&'a str], &'a str, bool);

    // redis 7.0.15, two connections: A: WATCH k, MULTI, PING; B: <op>; A: EXEC
    // (*-1 = the op signalled a modification of the watched key):
    //   hset k a 1 (same value)        -> touched      hdel k zz               -> not touched
    //   sadd k a (existing)            -> not touched  srem k zz               -> not touched
    //   lpop k 0                       -> not touched  lrem k 0 zz             -> not touched
    //   lset k 0 a (same value)        -> touched      hincrby k n 0           -> touched
    //   smove src k a (a already in k) -> k not touched, src touched
    //   smove k k a                    -> not touched  lmove k k left right (1 element) -> touched
    //   zadd k 1 a (same score)        -> not touched  zincrby k 0 a           -> not touched
    //   zrem k zz                      -> not touched  zadd k nx 5 a (existing) -> not touched
    //   zadd k xx 5 a (no key)         -> not touched  sinterstore k nos (k missing) -> not touched
    //   spop k 0                       -> not touched
    #[test]
    fn watch_invalidation_matches_redis() {
        let k = "{b}k";
        let src = "{b}src";
        let cases: &[WatchCase] = &[
            (&[&["hset", k, "a", "1"]], &["hset", k, "a", "1"], k, true),
            (&[&["hset", k, "a", "1"]], &["hdel", k, "zz"], k, false),
            (&[&["sadd", k, "a"]], &["sadd", k, "a"], k, false),
            (&[&["sadd", k, "a"]], &["srem", k, "zz"], k, false),
            (&[&["rpush", k, "a"]], &["lpop", k, "0"], k, false),
            (&[&["rpush", k, "a"]], &["lrem", k, "0", "zz"], k, false),
            (&[&["rpush", k, "a"]], &["lset", k, "0", "a"], k, true),
            (
                &[&["hset", k, "n", "1"]],
                &["hincrby", k, "n", "0"],
                k,
                true,
            ),
            (
                &[&["sadd", k, "a"], &["sadd", src, "a"]],
                &["smove", src, k, "a"],
                k,
                false,
            ),
            (
                &[&["sadd", k, "a"], &["sadd", src, "a"]],
                &["smove", src, k, "a"],
                src,
                true,
            ),
            (&[&["sadd", k, "a"]], &["smove", k, k, "a"], k, false),
            (
                &[&["rpush", k, "a"]],
                &["lmove", k, k, "left", "right"],
                k,
                true,
            ),
            (&[&["zadd", k, "1", "a"]], &["zadd", k, "1", "a"], k, false),
            (
                &[&["zadd", k, "1", "a"]],
                &["zincrby", k, "0", "a"],
                k,
                false,
            ),
            (&[&["zadd", k, "1", "a"]], &["zrem", k, "zz"], k, false),
            (
                &[&["zadd", k, "1", "a"]],
                &["zadd", k, "nx", "5", "a"],
                k,
                false,
            ),
            (&[], &["zadd", k, "xx", "5", "a"], k, false),
            (&[], &["sinterstore", k, "{b}nos"], k, false),
            (&[&["sadd", k, "a"]], &["spop", k, "0"], k, false),
        ];
        for (setup, op, watched, touched) in cases {
            assert_eq!(
                exec_aborted(setup, op, watched),
                *touched,
                "{op:?} watching {watched}"
            );
        }
    }
}
