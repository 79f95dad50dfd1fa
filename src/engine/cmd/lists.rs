//! List commands, after Redis 7.0's `t_list.c`: LPUSH, RPUSH, LPOP, RPOP,
//! LRANGE, LLEN, LINDEX, LSET, LREM, LMOVE, RPOPLPUSH.
//!
//! A list that becomes empty is deleted (and the deletion is signalled).
//! The order of checks (argument parsing before or after the key lookup)
//! follows each Redis command, because it decides which error wins.

use std::collections::VecDeque;

use crate::engine::cmd::args;
use crate::engine::command::flags::{DENYOOM, FAST, READONLY, WRITE};
use crate::engine::command::{keys_to, spec, CommandSpec, Ctx, Handler};
use crate::engine::error::RedisError;
use crate::engine::keyspace::Keyspace;
use crate::engine::reply::Reply;
use crate::engine::value::Value;

/// A list value.
type List = VecDeque<Vec<u8>>;

/// An entry whose keys run from the first argument to `last_key`.
const fn cmd(
    name: &'static str,
    arity: i32,
    flags: u32,
    last_key: i32,
    handler: Handler,
) -> CommandSpec {
    spec(name, arity, flags, keys_to(last_key), handler)
}

/// The list commands; arity, flags and key positions as `COMMAND INFO`
/// reports them on 7.0.15.
pub static COMMANDS: &[CommandSpec] = &[
    cmd("lpush", -3, WRITE | DENYOOM | FAST, 1, lpush),
    cmd("rpush", -3, WRITE | DENYOOM | FAST, 1, rpush),
    cmd("lpop", -2, WRITE | FAST, 1, lpop),
    cmd("rpop", -2, WRITE | FAST, 1, rpop),
    cmd("lrange", 4, READONLY, 1, lrange),
    cmd("llen", 2, READONLY | FAST, 1, llen),
    cmd("lindex", 3, READONLY, 1, lindex),
    cmd("lset", 4, WRITE | DENYOOM, 1, lset),
    cmd("lrem", 4, WRITE, 1, lrem),
    cmd("lmove", 5, WRITE | DENYOOM, 2, lmove),
    cmd("rpoplpush", 3, WRITE | DENYOOM, 2, rpoplpush),
];

/// Which end of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Head,
    Tail,
}

/// The list under `key` for reading: None when missing, WRONGTYPE for another type.
fn read<'a>(db: &'a Keyspace, key: &[u8]) -> Result<Option<&'a List>, RedisError> {
    match db.value(key) {
        None => Ok(None),
        Some(Value::List(list)) => Ok(Some(list)),
        Some(_) => Err(RedisError::WrongType),
    }
}

/// The list under `key` for writing (None when missing).
fn write<'a>(db: &'a mut Keyspace, key: &[u8]) -> Result<Option<&'a mut List>, RedisError> {
    match db.value_mut(key) {
        None => Ok(None),
        Some(Value::List(list)) => Ok(Some(list)),
        Some(_) => Err(RedisError::WrongType),
    }
}

/// Deletes `key` when its list is empty.
fn delete_if_empty(db: &mut Keyspace, key: &[u8]) {
    if matches!(db.value(key), Some(Value::List(list)) if list.is_empty()) {
        db.remove(key);
    }
}

/// `start`/`end` as LRANGE and ZRANGE resolve them against `len`: negative
/// values count from the end, the range is clamped; None when empty.
pub(crate) fn resolve_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let mut start = if start < 0 { len + start } else { start };
    let mut end = if end < 0 { len + end } else { end };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= len {
        return None;
    }
    if end >= len {
        end = len - 1;
    }
    Some((start as usize, end as usize))
}

/// A list index (negative from the end) resolved against `len`.
fn resolve_index(index: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let index = if index < 0 { len + index } else { index };
    (0..len).contains(&index).then_some(index as usize)
}

fn push(ctx: &mut Ctx<'_>, argv: &[Vec<u8>], end: End) -> Result<Reply, RedisError> {
    let key = &argv[1];
    if read(ctx.db, key)?.is_none() {
        ctx.db.insert(key, Value::List(VecDeque::new()), None);
    }
    let Some(list) = write(ctx.db, key)? else {
        return Ok(Reply::Integer(0));
    };
    for element in &argv[2..] {
        match end {
            End::Head => list.push_front(element.clone()),
            End::Tail => list.push_back(element.clone()),
        }
    }
    let len = list.len() as i64;
    ctx.touch(key);
    Ok(Reply::Integer(len))
}

/// Prepends elements (each in turn, so the last one ends up first); returns the new length.
///
/// # Format
/// ```text
/// LPUSH key element [element ...]
/// ```
fn lpush(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    push(ctx, argv, End::Head)
}

/// Appends elements; returns the new length.
///
/// # Format
/// ```text
/// RPUSH key element [element ...]
/// ```
fn rpush(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    push(ctx, argv, End::Tail)
}

/// `popGenericCommand`: without a count a bulk (nil when the key is
/// missing); with a count an array (nil array when the key is missing,
/// empty array for a count of 0).
fn pop(ctx: &mut Ctx<'_>, argv: &[Vec<u8>], end: End) -> Result<Reply, RedisError> {
    if argv.len() > 3 {
        return Err(RedisError::WrongArity {
            name: if end == End::Head { "lpop" } else { "rpop" }.into(),
        });
    }
    let count = match argv.get(2) {
        Some(arg) => Some(positive(arg)?),
        None => None,
    };
    let key = &argv[1];
    let Some(list) = write(ctx.db, key)? else {
        return Ok(if count.is_some() {
            Reply::NilArray
        } else {
            Reply::NilBulk
        });
    };
    let reply = match count {
        Some(0) => return Ok(Reply::Array(Vec::new())),
        None => {
            let popped = match end {
                End::Head => list.pop_front(),
                End::Tail => list.pop_back(),
            };
            Reply::bulk_or_nil(popped)
        }
        Some(n) => {
            let n = n.min(list.len());
            let popped: Vec<Reply> = (0..n)
                .filter_map(|_| match end {
                    End::Head => list.pop_front(),
                    End::Tail => list.pop_back(),
                })
                .map(Reply::Bulk)
                .collect();
            Reply::Array(popped)
        }
    };
    delete_if_empty(ctx.db, key);
    ctx.touch(key);
    Ok(reply)
}

/// `getPositiveLongFromObjectOrReply`: any unparsable or negative value is
/// `ERR value is out of range, must be positive`.
fn positive(arg: &[u8]) -> Result<usize, RedisError> {
    match args::int(arg) {
        Ok(n) if n >= 0 => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
        _ => Err(RedisError::MustBePositive),
    }
}

/// Removes and returns the first element, or `count` of them.
///
/// # Format
/// ```text
/// LPOP key [count]
/// ```
fn lpop(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    pop(ctx, argv, End::Head)
}

/// Removes and returns the last element, or `count` of them.
///
/// # Format
/// ```text
/// RPOP key [count]
/// ```
fn rpop(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    pop(ctx, argv, End::Tail)
}

/// Elements from `start` to `stop` inclusive (negative indexes count from the end).
/// The indexes are parsed before the key is looked up.
///
/// # Format
/// ```text
/// LRANGE key start stop
/// ```
fn lrange(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let start = args::int(&argv[2])?;
    let stop = args::int(&argv[3])?;
    let Some(list) = read(ctx.db, &argv[1])? else {
        return Ok(Reply::Array(Vec::new()));
    };
    Ok(match resolve_range(start, stop, list.len()) {
        Some((from, to)) => Reply::bulks(list.range(from..=to)),
        None => Reply::Array(Vec::new()),
    })
}

/// The length of the list.
///
/// # Format
/// ```text
/// LLEN key
/// ```
fn llen(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let list = read(ctx.db, &argv[1])?;
    Ok(Reply::Integer(list.map_or(0, |l| l.len() as i64)))
}

/// The element at `index`, or nil. The key is looked up before the index is
/// parsed, so a missing key answers nil even for a bad index.
///
/// # Format
/// ```text
/// LINDEX key index
/// ```
fn lindex(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let Some(list) = read(ctx.db, &argv[1])? else {
        return Ok(Reply::NilBulk);
    };
    let index = args::int(&argv[2])?;
    Ok(Reply::bulk_or_nil(
        resolve_index(index, list.len()).and_then(|i| list.get(i)),
    ))
}

/// Replaces the element at `index`. Checks, in order: the key exists
/// (`ERR no such key`), its type, the index parses, the index is in range.
///
/// # Format
/// ```text
/// LSET key index element
/// ```
fn lset(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let key = &argv[1];
    let Some(list) = write(ctx.db, key)? else {
        return Err(RedisError::NoSuchKey);
    };
    let index = args::int(&argv[2])?;
    let i = resolve_index(index, list.len()).ok_or(RedisError::IndexOutOfRange)?;
    if let Some(slot) = list.get_mut(i) {
        *slot = argv[3].clone();
    }
    ctx.touch(key);
    Ok(Reply::ok())
}

/// Removes elements equal to `element`: the first `count` from the head
/// (count > 0), from the tail (count < 0), or all (0). The count is parsed
/// before the key is looked up.
///
/// # Format
/// ```text
/// LREM key count element
/// ```
fn lrem(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let count = args::int(&argv[2])?;
    let key = &argv[1];
    let Some(list) = write(ctx.db, key)? else {
        return Ok(Reply::Integer(0));
    };
    let element = &argv[3];
    let limit = count.unsigned_abs();
    let mut removed: u64 = 0;
    if count >= 0 {
        let mut i = 0;
        while i < list.len() {
            if list.get(i) == Some(element) {
                list.remove(i);
                removed += 1;
                if limit != 0 && removed == limit {
                    break;
                }
            } else {
                i += 1;
            }
        }
    } else {
        let mut i = list.len();
        while i > 0 {
            i -= 1;
            if list.get(i) == Some(element) {
                list.remove(i);
                removed += 1;
                if removed == limit {
                    break;
                }
            }
        }
    }
    if removed > 0 {
        delete_if_empty(ctx.db, key);
        ctx.touch(key);
    }
    Ok(Reply::Integer(removed as i64))
}

/// `getListPositionFromObjectOrReply`: LEFT or RIGHT, else a syntax error.
fn side(arg: &[u8]) -> Result<End, RedisError> {
    if args::is(arg, "left") {
        Ok(End::Head)
    } else if args::is(arg, "right") {
        Ok(End::Tail)
    } else {
        Err(RedisError::Syntax)
    }
}

/// `lmoveGenericCommand`: nil when the source is missing; WRONGTYPE when the
/// source, then the destination, is not a list; source and destination may
/// be the same key (the list rotates).
fn move_element(
    ctx: &mut Ctx<'_>,
    src: &[u8],
    dst: &[u8],
    from: End,
    to: End,
) -> Result<Reply, RedisError> {
    let Some(source) = read(ctx.db, src)? else {
        return Ok(Reply::NilBulk);
    };
    if source.is_empty() {
        return Ok(Reply::NilBulk);
    }
    read(ctx.db, dst)?;
    let Some(source) = write(ctx.db, src)? else {
        return Ok(Reply::NilBulk);
    };
    let value = match from {
        End::Head => source.pop_front(),
        End::Tail => source.pop_back(),
    };
    let Some(value) = value else {
        return Ok(Reply::NilBulk);
    };
    if read(ctx.db, dst)?.is_none() {
        ctx.db.insert(dst, Value::List(VecDeque::new()), None);
    }
    if let Some(target) = write(ctx.db, dst)? {
        match to {
            End::Head => target.push_front(value.clone()),
            End::Tail => target.push_back(value.clone()),
        }
    }
    ctx.touch(dst);
    delete_if_empty(ctx.db, src);
    ctx.touch(src);
    Ok(Reply::Bulk(value))
}

/// Pops from one end of `source` and pushes to one end of `destination`,
/// returning the element. Both directions are parsed first (`ERR syntax error`).
///
/// # Format
/// ```text
/// LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>
/// ```
fn lmove(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let from = side(&argv[3])?;
    let to = side(&argv[4])?;
    move_element(ctx, &argv[1], &argv[2], from, to)
}

/// `LMOVE source destination RIGHT LEFT`.
///
/// # Format
/// ```text
/// RPOPLPUSH source destination
/// ```
fn rpoplpush(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    move_element(ctx, &argv[1], &argv[2], End::Tail, End::Head)
}

#[cfg(test)]
mod tests {
    //! Transcripts are from a standalone redis-server 7.0.15 (port 6401,
    //! raw RESP); the keys there were `l`, `s`, `nol` ... and are `{b}`-tagged
    //! here so that they live on 7000. `{b}s` holds a hash here (a string there).
    use super::*;
    use crate::engine::cmd::hashes::testutil::*;

    const WT: &[&str] = &["hset", "{b}s", "f", "v"];

    // redis 7.0.15:
    //   lpush l a b c  -> :3        rpush l d e -> :5
    //   lrange l 0 -1  -> *5 c b a d e
    //   lpop l -> $1 c              rpop l -> $1 e
    //   lpop l 0 -> *0              rpop l 0 -> *0
    //   lpop l -1 -> -ERR value is out of range, must be positive
    //   lpop l abc -> -ERR value is out of range, must be positive
    //   lpop nol -> $-1   lpop nol 0 -> *-1   lpop nol 2 -> *-1   rpop nol 0 -> *-1
    //   lpop l 2 -> *2 b a          lpop l 10 -> *1 d   (then the key is gone)
    //   lpop s -> WRONGTYPE   lpop s 0 -> WRONGTYPE   lpop s -1 -> must be positive
    //   lpop nol -1 -> must be positive
    //   lpop l 1 2 -> -ERR wrong number of arguments for 'lpop' command
    //   rpush l 1 2 3 ; rpop l 5 -> *3 3 2 1
    #[test]
    fn push_and_pop_shapes() {
        let r = run(&[
            WT,
            &["lpush", "{b}l", "a", "b", "c"],
            &["rpush", "{b}l", "d", "e"],
            &["lrange", "{b}l", "0", "-1"],
            &["lpop", "{b}l"],
            &["rpop", "{b}l"],
            &["lpop", "{b}l", "0"],
            &["rpop", "{b}l", "0"],
            &["lpop", "{b}l", "-1"],
            &["lpop", "{b}l", "abc"],
            &["lpop", "{b}nol"],
            &["lpop", "{b}nol", "0"],
            &["lpop", "{b}nol", "2"],
            &["rpop", "{b}nol", "0"],
            &["lpop", "{b}l", "2"],
            &["lpop", "{b}l", "10"],
            &["llen", "{b}l"],
            &["lpop", "{b}s"],
            &["lpop", "{b}s", "0"],
            &["lpop", "{b}s", "-1"],
            &["lpop", "{b}nol", "-1"],
            &["lpop", "{b}l", "1", "2"],
            &["rpush", "{b}l", "1", "2", "3"],
            &["rpop", "{b}l", "5"],
            &["rpop", "{b}l", "1", "2"],
        ]);
        let positive = err("ERR value is out of range, must be positive");
        assert_eq!(r[1], int(3));
        assert_eq!(r[2], int(5));
        assert_eq!(r[3], bulks(&["c", "b", "a", "d", "e"]));
        assert_eq!(r[4], bulk("c"));
        assert_eq!(r[5], bulk("e"));
        assert_eq!(r[6], Reply::Array(vec![]));
        assert_eq!(r[7], Reply::Array(vec![]));
        assert_eq!(r[8], positive);
        assert_eq!(r[9], positive);
        assert_eq!(r[10], Reply::NilBulk);
        assert_eq!(r[11], Reply::NilArray);
        assert_eq!(r[12], Reply::NilArray);
        assert_eq!(r[13], Reply::NilArray);
        assert_eq!(r[14], bulks(&["b", "a"]));
        assert_eq!(r[15], bulks(&["d"]));
        assert_eq!(r[16], int(0));
        assert_eq!(r[17], wrongtype());
        assert_eq!(r[18], wrongtype());
        assert_eq!(r[19], positive);
        assert_eq!(r[20], positive);
        assert_eq!(
            r[21],
            err("ERR wrong number of arguments for 'lpop' command")
        );
        assert_eq!(r[22], int(3));
        assert_eq!(r[23], bulks(&["3", "2", "1"]));
        assert_eq!(
            r[24],
            err("ERR wrong number of arguments for 'rpop' command")
        );
    }

    // redis 7.0.15:
    //   rpush l a b c d e f -> :6
    //   lrange l -2 -1 -> e f       lrange l -100 100 -> all six
    //   lrange l 3 1 -> *0          lrange l 10 20 -> *0     lrange l -1 -100 -> *0
    //   lrange l x 1 / lrange nol x 1 / lrange s x 1 -> -ERR value is not an integer or out of range
    //   lrange l 0 9223372036854775807 -> all six
    //   lrange l -9223372036854775808 1 -> a b
    //   lrange s 0 1 -> WRONGTYPE   lrange nol 0 1 -> *0   llen nol -> :0   llen s -> WRONGTYPE
    //   lindex l 0 -> a   lindex l -1 -> f   lindex l 6 -> $-1   lindex l -7 -> $-1
    //   lindex l x -> not an integer   lindex nol 0 -> $-1   lindex nol x -> $-1
    //   lindex s 0 -> WRONGTYPE   lindex s x -> WRONGTYPE
    #[test]
    fn ranges_and_indexes() {
        let r = run(&[
            WT,
            &["rpush", "{b}l", "a", "b", "c", "d", "e", "f"],
            &["lrange", "{b}l", "-2", "-1"],
            &["lrange", "{b}l", "-100", "100"],
            &["lrange", "{b}l", "3", "1"],
            &["lrange", "{b}l", "10", "20"],
            &["lrange", "{b}l", "-1", "-100"],
            &["lrange", "{b}l", "x", "1"],
            &["lrange", "{b}nol", "x", "1"],
            &["lrange", "{b}s", "x", "1"],
            &["lrange", "{b}l", "0", "9223372036854775807"],
            &["lrange", "{b}l", "-9223372036854775808", "1"],
            &["lrange", "{b}s", "0", "1"],
            &["lrange", "{b}nol", "0", "1"],
            &["llen", "{b}nol"],
            &["llen", "{b}s"],
            &["llen", "{b}l"],
            &["lindex", "{b}l", "0"],
            &["lindex", "{b}l", "-1"],
            &["lindex", "{b}l", "6"],
            &["lindex", "{b}l", "-7"],
            &["lindex", "{b}l", "x"],
            &["lindex", "{b}nol", "0"],
            &["lindex", "{b}nol", "x"],
            &["lindex", "{b}s", "0"],
            &["lindex", "{b}s", "x"],
        ]);
        let all = bulks(&["a", "b", "c", "d", "e", "f"]);
        let not_int = err("ERR value is not an integer or out of range");
        assert_eq!(r[2], bulks(&["e", "f"]));
        assert_eq!(r[3], all);
        assert_eq!(r[4], Reply::Array(vec![]));
        assert_eq!(r[5], Reply::Array(vec![]));
        assert_eq!(r[6], Reply::Array(vec![]));
        assert_eq!(r[7], not_int);
        assert_eq!(r[8], not_int);
        assert_eq!(r[9], not_int);
        assert_eq!(r[10], all);
        assert_eq!(r[11], bulks(&["a", "b"]));
        assert_eq!(r[12], wrongtype());
        assert_eq!(r[13], Reply::Array(vec![]));
        assert_eq!(r[14], int(0));
        assert_eq!(r[15], wrongtype());
        assert_eq!(r[16], int(6));
        assert_eq!(r[17], bulk("a"));
        assert_eq!(r[18], bulk("f"));
        assert_eq!(r[19], Reply::NilBulk);
        assert_eq!(r[20], Reply::NilBulk);
        assert_eq!(r[21], not_int);
        assert_eq!(r[22], Reply::NilBulk);
        assert_eq!(r[23], Reply::NilBulk);
        assert_eq!(r[24], wrongtype());
        assert_eq!(r[25], wrongtype());
    }

    // redis 7.0.15:
    //   rpush l a b c a b a -> :6
    //   lset l 0 X -> +OK   lset l -1 Y -> +OK
    //   lset l 6 Z / lset l -7 Z -> -ERR index out of range
    //   lset l x Z -> -ERR value is not an integer or out of range
    //   lset nol 0 Z / lset nol x Z -> -ERR no such key
    //   lset s 0 Z / lset s x Z -> WRONGTYPE
    //   lrange l 0 -1 -> X b c a b Y
    //   lrem l 0 b -> :2  (X c a Y)
    //   rpush l a a c a -> :8 (X c a Y a a c a)
    //   lrem l 2 a -> :2 (X c Y a c a)   lrem l -1 a -> :1 (X c Y a c)
    //   lrem l -10 a -> :1   lrem l 1 zz -> :0
    //   lrem l x a / lrem nol x a / lrem s x a -> not an integer
    //   lrem nol 1 a -> :0   lrem s 1 a -> WRONGTYPE
    //   lrem l 0 X -> :1   lrem l 0 c -> :2   lrem l 0 Y -> :1 (key gone)
    #[test]
    fn lset_and_lrem() {
        let r = run(&[
            WT,
            &["rpush", "{b}l", "a", "b", "c", "a", "b", "a"],
            &["lset", "{b}l", "0", "X"],
            &["lset", "{b}l", "-1", "Y"],
            &["lset", "{b}l", "6", "Z"],
            &["lset", "{b}l", "-7", "Z"],
            &["lset", "{b}l", "x", "Z"],
            &["lset", "{b}nol", "0", "Z"],
            &["lset", "{b}nol", "x", "Z"],
            &["lset", "{b}s", "0", "Z"],
            &["lset", "{b}s", "x", "Z"],
            &["lrange", "{b}l", "0", "-1"],
            &["lrem", "{b}l", "0", "b"],
            &["rpush", "{b}l", "a", "a", "c", "a"],
            &["lrem", "{b}l", "2", "a"],
            &["lrange", "{b}l", "0", "-1"],
            &["lrem", "{b}l", "-1", "a"],
            &["lrange", "{b}l", "0", "-1"],
            &["lrem", "{b}l", "-10", "a"],
            &["lrem", "{b}l", "1", "zz"],
            &["lrem", "{b}l", "x", "a"],
            &["lrem", "{b}nol", "x", "a"],
            &["lrem", "{b}nol", "1", "a"],
            &["lrem", "{b}s", "1", "a"],
            &["lrem", "{b}s", "x", "a"],
            &["lrem", "{b}l", "0", "X"],
            &["lrem", "{b}l", "0", "c"],
            &["llen", "{b}l"],
            &["lrem", "{b}l", "0", "Y"],
            &["llen", "{b}l"],
            &["hset", "{b}l", "f", "v"],
        ]);
        let not_int = err("ERR value is not an integer or out of range");
        let out_of_range = err("ERR index out of range");
        let no_key = err("ERR no such key");
        assert_eq!(r[2], ok());
        assert_eq!(r[3], ok());
        assert_eq!(r[4], out_of_range);
        assert_eq!(r[5], out_of_range);
        assert_eq!(r[6], not_int);
        assert_eq!(r[7], no_key);
        assert_eq!(r[8], no_key);
        assert_eq!(r[9], wrongtype());
        assert_eq!(r[10], wrongtype());
        assert_eq!(r[11], bulks(&["X", "b", "c", "a", "b", "Y"]));
        assert_eq!(r[12], int(2));
        assert_eq!(r[13], int(8));
        assert_eq!(r[14], int(2));
        assert_eq!(r[15], bulks(&["X", "c", "Y", "a", "c", "a"]));
        assert_eq!(r[16], int(1));
        assert_eq!(r[17], bulks(&["X", "c", "Y", "a", "c"]));
        assert_eq!(r[18], int(1));
        assert_eq!(r[19], int(0));
        assert_eq!(r[20], not_int);
        assert_eq!(r[21], not_int);
        assert_eq!(r[22], int(0));
        assert_eq!(r[23], wrongtype());
        assert_eq!(r[24], not_int);
        assert_eq!(r[25], int(1));
        assert_eq!(r[26], int(2));
        assert_eq!(r[27], int(1));
        assert_eq!(r[28], int(1));
        assert_eq!(r[29], int(0));
        assert_eq!(r[30], int(1), "the emptied list was deleted");
    }

    // redis 7.0.15:
    //   rpush l a b c ; lmove l d LEFT RIGHT -> a ; lrange d -> a
    //   lmove l d right left -> c ; lrange d -> c a ; lrange l -> b
    //   lmove l l left right -> b ; lrange l -> b
    //   rpush l2 1 2 3 ; lmove l2 l2 right left -> 3 ; lrange l2 -> 3 1 2
    //   lmove l2 l2 left left -> 3 ; lrange l2 -> 3 1 2
    //   lmove l d up left / lmove l d left down / lmove nol d up left -> -ERR syntax error
    //   lmove nol d left right -> $-1   lmove nol s left right -> $-1   lmove nol nol left right -> $-1
    //   lmove s d left right / lmove l s left right / lmove s s left right -> WRONGTYPE
    //   lmove l d left right -> b (l is gone) ; lrange d -> c a b
    //   rpoplpush d e -> b ; lrange e -> b
    //   rpoplpush nol e -> $-1   rpoplpush s e -> WRONGTYPE   rpoplpush d s -> WRONGTYPE
    //   rpoplpush nol s -> $-1   rpoplpush e e -> b ; lrange e -> b
    //   lmove l2 s right left -> WRONGTYPE (l2 unchanged: 3 1 2)
    #[test]
    fn lmove_and_rpoplpush() {
        let r = run(&[
            WT,
            &["rpush", "{b}l", "a", "b", "c"],
            &["lmove", "{b}l", "{b}d", "LEFT", "RIGHT"],
            &["lrange", "{b}d", "0", "-1"],
            &["lmove", "{b}l", "{b}d", "right", "left"],
            &["lrange", "{b}d", "0", "-1"],
            &["lrange", "{b}l", "0", "-1"],
            &["lmove", "{b}l", "{b}l", "left", "right"],
            &["lrange", "{b}l", "0", "-1"],
            &["rpush", "{b}l2", "1", "2", "3"],
            &["lmove", "{b}l2", "{b}l2", "right", "left"],
            &["lrange", "{b}l2", "0", "-1"],
            &["lmove", "{b}l2", "{b}l2", "left", "left"],
            &["lrange", "{b}l2", "0", "-1"],
            &["lmove", "{b}l", "{b}d", "up", "left"],
            &["lmove", "{b}l", "{b}d", "left", "down"],
            &["lmove", "{b}nol", "{b}d", "up", "left"],
            &["lmove", "{b}nol", "{b}d", "left", "right"],
            &["lmove", "{b}nol", "{b}s", "left", "right"],
            &["lmove", "{b}s", "{b}d", "left", "right"],
            &["lmove", "{b}l", "{b}s", "left", "right"],
            &["lmove", "{b}s", "{b}s", "left", "right"],
            &["lmove", "{b}nol", "{b}nol", "left", "right"],
            &["lmove", "{b}l", "{b}d", "left", "right"],
            &["llen", "{b}l"],
            &["lrange", "{b}d", "0", "-1"],
            &["rpoplpush", "{b}d", "{b}e"],
            &["lrange", "{b}e", "0", "-1"],
            &["rpoplpush", "{b}nol", "{b}e"],
            &["rpoplpush", "{b}s", "{b}e"],
            &["rpoplpush", "{b}d", "{b}s"],
            &["rpoplpush", "{b}nol", "{b}s"],
            &["rpoplpush", "{b}e", "{b}e"],
            &["lrange", "{b}e", "0", "-1"],
            &["lmove", "{b}l2", "{b}s", "right", "left"],
            &["lrange", "{b}l2", "0", "-1"],
        ]);
        let syntax = err("ERR syntax error");
        assert_eq!(r[2], bulk("a"));
        assert_eq!(r[3], bulks(&["a"]));
        assert_eq!(r[4], bulk("c"));
        assert_eq!(r[5], bulks(&["c", "a"]));
        assert_eq!(r[6], bulks(&["b"]));
        assert_eq!(r[7], bulk("b"));
        assert_eq!(r[8], bulks(&["b"]));
        assert_eq!(r[10], bulk("3"));
        assert_eq!(r[11], bulks(&["3", "1", "2"]));
        assert_eq!(r[12], bulk("3"));
        assert_eq!(r[13], bulks(&["3", "1", "2"]));
        assert_eq!(r[14], syntax);
        assert_eq!(r[15], syntax);
        assert_eq!(r[16], syntax);
        assert_eq!(r[17], Reply::NilBulk);
        assert_eq!(r[18], Reply::NilBulk);
        assert_eq!(r[19], wrongtype());
        assert_eq!(r[20], wrongtype());
        assert_eq!(r[21], wrongtype());
        assert_eq!(r[22], Reply::NilBulk);
        assert_eq!(r[23], bulk("b"));
        assert_eq!(r[24], int(0));
        assert_eq!(r[25], bulks(&["c", "a", "b"]));
        assert_eq!(r[26], bulk("b"));
        assert_eq!(r[27], bulks(&["b"]));
        assert_eq!(r[28], Reply::NilBulk);
        assert_eq!(r[29], wrongtype());
        assert_eq!(r[30], wrongtype());
        assert_eq!(r[31], Reply::NilBulk);
        assert_eq!(r[32], bulk("b"));
        assert_eq!(r[33], bulks(&["b"]));
        assert_eq!(r[34], wrongtype());
        assert_eq!(r[35], bulks(&["3", "1", "2"]));
    }

    #[test]
    fn touches() {
        let r = run_touched(&[
            &["rpush", "{b}l", "a", "b"],
            &["lpop", "{b}l", "0"],
            &["lpop", "{b}nol"],
            &["lrem", "{b}l", "0", "zz"],
            &["lset", "{b}l", "0", "x"],
            &["lmove", "{b}l", "{b}d", "left", "left"],
            &["rpoplpush", "{b}l", "{b}l"],
            &["rpop", "{b}l"],
        ]);
        let touched: Vec<Vec<String>> = r.into_iter().map(|(_, t)| t).collect();
        let k = |keys: &[&str]| keys.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(touched[0], k(&["{b}l"]));
        // LPOP with count 0 answers before popping: nothing is signalled.
        assert_eq!(touched[1], k(&[]));
        assert_eq!(touched[2], k(&[]));
        assert_eq!(touched[3], k(&[]));
        assert_eq!(touched[4], k(&["{b}l"]));
        // lmoveHandlePush signals the destination, then the source is signalled.
        assert_eq!(touched[5], k(&["{b}d", "{b}l"]));
        assert_eq!(touched[6], k(&["{b}l", "{b}l"]));
        assert_eq!(touched[7], k(&["{b}l"]));
    }

    #[test]
    fn range_resolution() {
        assert_eq!(resolve_range(0, -1, 3), Some((0, 2)));
        assert_eq!(resolve_range(-100, 100, 3), Some((0, 2)));
        assert_eq!(resolve_range(2, 1, 3), None);
        assert_eq!(resolve_range(i64::MIN, 1, 3), Some((0, 1)));
        assert_eq!(resolve_range(0, 0, 0), None);
    }
}
