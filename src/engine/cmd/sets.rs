//! Set commands, after Redis 7.0's `t_set.c`: SADD, SREM, SMEMBERS,
//! SISMEMBER, SCARD, SPOP, SUNION, SINTER, SDIFF, their `*STORE` forms and
//! SMOVE.
//!
//! Replies list members with [`set_members_in_order`]: numeric order for an
//! all-integer set (what a 7.0 intset gives), byte order otherwise (Redis'
//! order for string sets depends on its dict's hash seed; the golden tests
//! compare those replies as multisets). SPOP draws from `ctx.random`, so it
//! is deterministic for a given cluster seed.
//!
//! The multi-key commands type-check every key before computing anything,
//! as `sinterGenericCommand` / `sunionDiffGenericCommand` do, so a wrong
//! type anywhere wins over a missing key.

use std::collections::BTreeSet;

use crate::engine::cmd::args;
use crate::engine::command::flags::{DENYOOM, FAST, READONLY, WRITE};
use crate::engine::command::{keys_to, spec, CommandSpec, Ctx, Handler};
use crate::engine::error::RedisError;
use crate::engine::keyspace::Keyspace;
use crate::engine::reply::Reply;
use crate::engine::value::{set_members_in_order, Value};

/// A set value.
type Set = BTreeSet<Vec<u8>>;

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

/// The set commands; arity, flags and key positions as `COMMAND INFO`
/// reports them on 7.0.15 (the `*STORE` forms: destination key 1, sources
/// 2..; SMOVE keys 1 and 2).
pub static COMMANDS: &[CommandSpec] = &[
    cmd("sadd", -3, WRITE | DENYOOM | FAST, 1, sadd),
    cmd("srem", -3, WRITE | FAST, 1, srem),
    cmd("smembers", 2, READONLY, 1, smembers),
    cmd("sismember", 3, READONLY | FAST, 1, sismember),
    cmd("scard", 2, READONLY | FAST, 1, scard),
    cmd("spop", -2, WRITE | FAST, 1, spop),
    cmd("sunion", -2, READONLY, -1, sunion),
    cmd("sinter", -2, READONLY, -1, sinter),
    cmd("sdiff", -2, READONLY, -1, sdiff),
    cmd("sunionstore", -3, WRITE | DENYOOM, -1, sunionstore),
    cmd("sinterstore", -3, WRITE | DENYOOM, -1, sinterstore),
    cmd("sdiffstore", -3, WRITE | DENYOOM, -1, sdiffstore),
    cmd("smove", 4, WRITE | FAST, 2, smove),
];

/// The set under `key` for reading: None when missing, WRONGTYPE for another type.
fn read<'a>(db: &'a Keyspace, key: &[u8]) -> Result<Option<&'a Set>, RedisError> {
    match db.value(key) {
        None => Ok(None),
        Some(Value::Set(set)) => Ok(Some(set)),
        Some(_) => Err(RedisError::WrongType),
    }
}

/// The set under `key` for writing (None when missing).
fn write<'a>(db: &'a mut Keyspace, key: &[u8]) -> Result<Option<&'a mut Set>, RedisError> {
    match db.value_mut(key) {
        None => Ok(None),
        Some(Value::Set(set)) => Ok(Some(set)),
        Some(_) => Err(RedisError::WrongType),
    }
}

/// A set's members as a reply, in [`set_members_in_order`] order.
fn members_reply(set: &Set) -> Reply {
    Reply::bulks(set_members_in_order(set))
}

/// Adds members, returning how many were new.
///
/// # Format
/// ```text
/// SADD key member [member ...]
/// ```
fn sadd(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let key = &argv[1];
    if read(ctx.db, key)?.is_none() {
        ctx.db.insert(key, Value::Set(BTreeSet::new()), None);
    }
    let mut added = 0;
    if let Some(set) = write(ctx.db, key)? {
        for member in &argv[2..] {
            if set.insert(member.clone()) {
                added += 1;
            }
        }
    }
    if added > 0 {
        ctx.touch(key);
    }
    Ok(Reply::Integer(added))
}

/// Removes members, returning how many were there; an emptied set is deleted.
///
/// # Format
/// ```text
/// SREM key member [member ...]
/// ```
fn srem(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let key = &argv[1];
    let Some(set) = write(ctx.db, key)? else {
        return Ok(Reply::Integer(0));
    };
    let mut removed = 0;
    for member in &argv[2..] {
        if set.remove(member) {
            removed += 1;
            if set.is_empty() {
                break;
            }
        }
    }
    if set.is_empty() {
        ctx.db.remove(key);
    }
    if removed > 0 {
        ctx.touch(key);
    }
    Ok(Reply::Integer(removed))
}

/// Every member.
///
/// # Format
/// ```text
/// SMEMBERS key
/// ```
fn smembers(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(match read(ctx.db, &argv[1])? {
        Some(set) => members_reply(set),
        None => Reply::Array(Vec::new()),
    })
}

/// 1 when `member` is in the set.
///
/// # Format
/// ```text
/// SISMEMBER key member
/// ```
fn sismember(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let set = read(ctx.db, &argv[1])?;
    Ok(Reply::Integer(i64::from(
        set.is_some_and(|s| s.contains(&argv[2])),
    )))
}

/// The number of members.
///
/// # Format
/// ```text
/// SCARD key
/// ```
fn scard(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let set = read(ctx.db, &argv[1])?;
    Ok(Reply::Integer(set.map_or(0, |s| s.len() as i64)))
}

/// splitmix64 steps from one seed, for picking several members.
struct Picker(u64);

impl Picker {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % bound.max(1) as u64) as usize
    }
}

/// Removes and returns a random member (nil when the key is missing), or
/// `count` distinct random members as an array (empty when the key is
/// missing or `count` is 0; the whole set, in reply order, when `count`
/// covers it). The count is checked before the key: any bad count is
/// `ERR value is out of range, must be positive`; more than one extra
/// argument is a syntax error.
///
/// # Format
/// ```text
/// SPOP key [count]
/// ```
fn spop(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    if argv.len() > 3 {
        return Err(RedisError::Syntax);
    }
    let key = &argv[1];
    let count = match argv.get(2) {
        Some(arg) => match args::int(arg) {
            Ok(n) if n >= 0 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            _ => return Err(RedisError::MustBePositive),
        },
        None => None,
    };
    let random = ctx.random;
    let Some(set) = write(ctx.db, key)? else {
        return Ok(match count {
            Some(_) => Reply::Array(Vec::new()),
            None => Reply::NilBulk,
        });
    };
    let reply = match count {
        Some(0) => return Ok(Reply::Array(Vec::new())),
        Some(n) if n >= set.len() => {
            let reply = members_reply(set);
            set.clear();
            reply
        }
        Some(n) => {
            let mut picker = Picker(random);
            let mut popped = Vec::with_capacity(n);
            for _ in 0..n {
                let candidates = set_members_in_order(set);
                let Some(member) = candidates.get(picker.next(candidates.len())) else {
                    break;
                };
                let member = (*member).clone();
                set.remove(&member);
                popped.push(Reply::Bulk(member));
            }
            Reply::Array(popped)
        }
        None => {
            let candidates = set_members_in_order(set);
            let index = (random % candidates.len().max(1) as u64) as usize;
            match candidates.get(index).map(|m| (*m).clone()) {
                Some(member) => {
                    set.remove(&member);
                    Reply::Bulk(member)
                }
                None => Reply::NilBulk,
            }
        }
    };
    if set.is_empty() {
        ctx.db.remove(key);
    }
    ctx.touch(key);
    Ok(reply)
}

/// The set operation of SUNION, SINTER, SDIFF and their `*STORE` forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

/// Type-checks every key (missing keys are empty sets), then computes the result.
fn compute(db: &Keyspace, keys: &[Vec<u8>], op: SetOp) -> Result<Set, RedisError> {
    let mut sets: Vec<Option<&Set>> = Vec::with_capacity(keys.len());
    for key in keys {
        sets.push(read(db, key)?);
    }
    let empty = Set::new();
    let all: Vec<&Set> = sets.iter().map(|s| s.unwrap_or(&empty)).collect();
    let Some((first, rest)) = all.split_first() else {
        return Ok(Set::new());
    };
    Ok(match op {
        SetOp::Union => all.iter().flat_map(|s| s.iter().cloned()).collect(),
        SetOp::Inter => {
            let smallest = all.iter().min_by_key(|s| s.len()).copied().unwrap_or(first);
            smallest
                .iter()
                .filter(|m| all.iter().all(|s| s.contains(*m)))
                .cloned()
                .collect()
        }
        SetOp::Diff => first
            .iter()
            .filter(|m| !rest.iter().any(|s| s.contains(*m)))
            .cloned()
            .collect(),
    })
}

/// Replies with the result of `op` over `argv[1..]`.
fn op_reply(ctx: &mut Ctx<'_>, argv: &[Vec<u8>], op: SetOp) -> Result<Reply, RedisError> {
    let result = compute(ctx.db, &argv[1..], op)?;
    Ok(members_reply(&result))
}

/// Stores the result of `op` over `argv[2..]` in `argv[1]` (replacing any
/// value and TTL there), returning its size; an empty result deletes the
/// destination instead.
fn op_store(ctx: &mut Ctx<'_>, argv: &[Vec<u8>], op: SetOp) -> Result<Reply, RedisError> {
    let dst = &argv[1];
    let result = compute(ctx.db, &argv[2..], op)?;
    let size = result.len() as i64;
    if result.is_empty() {
        if ctx.db.remove(dst).is_some() {
            ctx.touch(dst);
        }
    } else {
        ctx.db.insert(dst, Value::Set(result), None);
        ctx.touch(dst);
    }
    Ok(Reply::Integer(size))
}

/// The members of the union of the sets.
///
/// # Format
/// ```text
/// SUNION key [key ...]
/// ```
fn sunion(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    op_reply(ctx, argv, SetOp::Union)
}

/// The members common to all the sets (a missing key makes it empty).
///
/// # Format
/// ```text
/// SINTER key [key ...]
/// ```
fn sinter(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    op_reply(ctx, argv, SetOp::Inter)
}

/// The members of the first set that are in none of the others.
///
/// # Format
/// ```text
/// SDIFF key [key ...]
/// ```
fn sdiff(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    op_reply(ctx, argv, SetOp::Diff)
}

/// SUNION stored in `destination`; returns its size.
///
/// # Format
/// ```text
/// SUNIONSTORE destination key [key ...]
/// ```
fn sunionstore(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    op_store(ctx, argv, SetOp::Union)
}

/// SINTER stored in `destination`; returns its size.
///
/// # Format
/// ```text
/// SINTERSTORE destination key [key ...]
/// ```
fn sinterstore(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    op_store(ctx, argv, SetOp::Inter)
}

/// SDIFF stored in `destination`; returns its size.
///
/// # Format
/// ```text
/// SDIFFSTORE destination key [key ...]
/// ```
fn sdiffstore(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    op_store(ctx, argv, SetOp::Diff)
}

/// Moves `member` from `source` to `destination`: 1 when it was in the
/// source. Checks in `smoveCommand` order: a missing source answers 0 before
/// any type check; then WRONGTYPE for the source, then the destination;
/// the same key answers whether the member is there.
///
/// # Format
/// ```text
/// SMOVE source destination member
/// ```
fn smove(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let (src, dst, member) = (&argv[1], &argv[2], &argv[3]);
    if !ctx.db.contains(src) {
        return Ok(Reply::Integer(0));
    }
    let Some(source) = read(ctx.db, src)? else {
        return Ok(Reply::Integer(0));
    };
    let is_member = source.contains(member);
    read(ctx.db, dst)?;
    if src == dst {
        return Ok(Reply::Integer(i64::from(is_member)));
    }
    if !is_member {
        return Ok(Reply::Integer(0));
    }
    if let Some(source) = write(ctx.db, src)? {
        source.remove(member);
        if source.is_empty() {
            ctx.db.remove(src);
        }
    }
    if read(ctx.db, dst)?.is_none() {
        ctx.db.insert(dst, Value::Set(BTreeSet::new()), None);
    }
    ctx.touch(src);
    let added = write(ctx.db, dst)?.is_some_and(|set| set.insert(member.clone()));
    if added {
        ctx.touch(dst);
    }
    Ok(Reply::Integer(1))
}

#[cfg(test)]
mod tests {
    //! Transcripts are from a standalone redis-server 7.0.15 (port 6401, raw
    //! RESP); the keys there were `a`, `b`, `st`, `s`, `nos` ... and are
    //! `{b}`-tagged here so that they live on 7000. `{b}s` holds a hash here
    //! (a string there).
    use super::*;
    use crate::engine::cmd::hashes::testutil::*;
    use crate::engine::command;

    const WT: &[&str] = &["hset", "{b}s", "f", "v"];

    fn sorted(reply: &Reply) -> Vec<Reply> {
        let Reply::Array(items) = reply else {
            return vec![reply.clone()];
        };
        let mut items = items.clone();
        items.sort_by_key(|r| format!("{r:?}"));
        items
    }

    // redis 7.0.15:
    //   sadd st 3 1 2 10 -5 -> :5     sadd st 1 4 -> :1
    //   smembers st -> -5 1 2 3 4 10  (intset: numeric order)
    //   sadd ss b a c 1 -> :4         smembers ss -> a 1 b c (hash order; compared as a multiset)
    //   srem st 1 99 2 -> :2   srem st zz -> :0   srem nos a -> :0
    //   smembers nos -> *0   sismember st 3 -> :1   sismember st 99 -> :0   sismember nos 3 -> :0
    //   scard st -> :4   scard nos -> :0
    //   srem st 3 10 -5 4 -> :4 (key gone)
    //   srem/sadd/smembers/sismember/scard on the string s -> WRONGTYPE
    #[test]
    fn basics() {
        let r = run(&[
            WT,
            &["sadd", "{b}st", "3", "1", "2", "10", "-5"],
            &["sadd", "{b}st", "1", "4"],
            &["smembers", "{b}st"],
            &["sadd", "{b}ss", "b", "a", "c", "1"],
            &["smembers", "{b}ss"],
            &["srem", "{b}st", "1", "99", "2"],
            &["srem", "{b}st", "zz"],
            &["srem", "{b}nos", "a"],
            &["smembers", "{b}nos"],
            &["sismember", "{b}st", "3"],
            &["sismember", "{b}st", "99"],
            &["sismember", "{b}nos", "3"],
            &["scard", "{b}st"],
            &["scard", "{b}nos"],
            &["srem", "{b}st", "3", "10", "-5", "4"],
            &["scard", "{b}st"],
            &["hset", "{b}st", "f", "v"],
            &["srem", "{b}s", "a"],
            &["sadd", "{b}s", "a"],
            &["smembers", "{b}s"],
            &["sismember", "{b}s", "3"],
            &["scard", "{b}s"],
        ]);
        assert_eq!(r[1], int(5));
        assert_eq!(r[2], int(1));
        assert_eq!(r[3], bulks(&["-5", "1", "2", "3", "4", "10"]));
        assert_eq!(r[4], int(4));
        assert_eq!(sorted(&r[5]), sorted(&bulks(&["a", "1", "b", "c"])));
        assert_eq!(r[6], int(2));
        assert_eq!(r[7], int(0));
        assert_eq!(r[8], int(0));
        assert_eq!(r[9], Reply::Array(vec![]));
        assert_eq!(r[10], int(1));
        assert_eq!(r[11], int(0));
        assert_eq!(r[12], int(0));
        assert_eq!(r[13], int(4));
        assert_eq!(r[14], int(0));
        assert_eq!(r[15], int(4));
        assert_eq!(r[16], int(0));
        assert_eq!(r[17], int(1), "the emptied set was deleted");
        for reply in &r[18..] {
            assert_eq!(reply, &wrongtype());
        }
    }

    // redis 7.0.15:
    //   spop nos -> $-1   spop nos 0 -> *0   spop nos 3 -> *0
    //   spop nos -1 -> -ERR value is out of range, must be positive
    //   spop s -> WRONGTYPE   spop s 0 -> WRONGTYPE   spop s -1 -> must be positive
    //   spop nos x -> must be positive
    //   sadd sp a b c ; spop sp 0 -> *0   spop sp -1 / spop sp x -> must be positive
    //   spop sp 1 2 -> -ERR syntax error
    //   spop sp 10 -> *3 a b c (key gone)
    //   sadd sp a ; spop sp -> a (key gone)
    //   sadd sp a b ; spop sp 1 -> *1 (one of them)
    #[test]
    fn spop_shapes() {
        let r = run(&[
            WT,
            &["spop", "{b}nos"],
            &["spop", "{b}nos", "0"],
            &["spop", "{b}nos", "3"],
            &["spop", "{b}nos", "-1"],
            &["spop", "{b}s"],
            &["spop", "{b}s", "0"],
            &["spop", "{b}s", "-1"],
            &["spop", "{b}nos", "x"],
            &["sadd", "{b}sp", "a", "b", "c"],
            &["spop", "{b}sp", "0"],
            &["spop", "{b}sp", "-1"],
            &["spop", "{b}sp", "x"],
            &["spop", "{b}sp", "1", "2"],
            &["spop", "{b}sp", "10"],
            &["scard", "{b}sp"],
            &["sadd", "{b}sp", "a"],
            &["spop", "{b}sp"],
            &["scard", "{b}sp"],
            &["sadd", "{b}sp", "a", "b"],
            &["spop", "{b}sp", "1"],
            &["scard", "{b}sp"],
        ]);
        let positive = err("ERR value is out of range, must be positive");
        assert_eq!(r[1], Reply::NilBulk);
        assert_eq!(r[2], Reply::Array(vec![]));
        assert_eq!(r[3], Reply::Array(vec![]));
        assert_eq!(r[4], positive);
        assert_eq!(r[5], wrongtype());
        assert_eq!(r[6], wrongtype());
        assert_eq!(r[7], positive);
        assert_eq!(r[8], positive);
        assert_eq!(r[10], Reply::Array(vec![]));
        assert_eq!(r[11], positive);
        assert_eq!(r[12], positive);
        assert_eq!(r[13], err("ERR syntax error"));
        assert_eq!(sorted(&r[14]), sorted(&bulks(&["a", "b", "c"])));
        assert_eq!(r[15], int(0));
        assert_eq!(r[17], bulk("a"));
        assert_eq!(r[18], int(0));
        let Reply::Array(one) = &r[20] else {
            panic!("spop with count gives an array: {:?}", r[20]);
        };
        assert_eq!(one.len(), 1);
        assert!(one[0] == bulk("a") || one[0] == bulk("b"));
        assert_eq!(r[21], int(1));
    }

    #[test]
    fn spop_is_deterministic_for_a_seed() {
        let cmds: &[&[&str]] = &[
            &[
                "sadd", "{b}p", "1", "2", "3", "4", "5", "6", "7", "8", "9", "x",
            ],
            &["spop", "{b}p"],
            &["spop", "{b}p", "3"],
            &["smembers", "{b}p"],
        ];
        let a = run_seeded(Some(42), cmds);
        let b = run_seeded(Some(42), cmds);
        assert_eq!(a, b);
        let Reply::Array(popped) = &a[2] else {
            panic!("array expected");
        };
        assert_eq!(popped.len(), 3);
        let Reply::Array(left) = &a[3] else {
            panic!("array expected");
        };
        assert_eq!(left.len(), 6);
        // Different seeds eventually pick differently.
        let picks: BTreeSet<String> = (0..20)
            .map(|seed| format!("{:?}", run_seeded(Some(seed), cmds)[1]))
            .collect();
        assert!(picks.len() > 1);
    }

    // redis 7.0.15:
    //   sadd a 1 2 3 ; sadd b 3 4 5 ; sadd c x y 3
    //   sunion a b -> 1 2 3 4 5       sunion a b c -> (7 members, hash order)
    //   sinter a b -> 3   sinter a b c -> 3   sdiff a b -> 1 2   sdiff a b c -> 1 2
    //   sunion a nos -> 1 2 3   sinter a nos -> *0   sinter nos a -> *0
    //   sdiff nos a -> *0   sdiff a nos -> 1 2 3   sunion nos -> *0
    //   sunion/sinter/sdiff with the string s anywhere (a s, s a, nos s, s nos, a nos s) -> WRONGTYPE
    #[test]
    fn set_operations() {
        let r = run(&[
            WT,
            &["sadd", "{b}a", "1", "2", "3"],
            &["sadd", "{b}b", "3", "4", "5"],
            &["sadd", "{b}c", "x", "y", "3"],
            &["sunion", "{b}a", "{b}b"],
            &["sunion", "{b}a", "{b}b", "{b}c"],
            &["sinter", "{b}a", "{b}b"],
            &["sinter", "{b}a", "{b}b", "{b}c"],
            &["sdiff", "{b}a", "{b}b"],
            &["sdiff", "{b}a", "{b}b", "{b}c"],
            &["sunion", "{b}a", "{b}nos"],
            &["sinter", "{b}a", "{b}nos"],
            &["sinter", "{b}nos", "{b}a"],
            &["sdiff", "{b}nos", "{b}a"],
            &["sdiff", "{b}a", "{b}nos"],
            &["sunion", "{b}nos"],
        ]);
        assert_eq!(r[4], bulks(&["1", "2", "3", "4", "5"]));
        assert_eq!(
            sorted(&r[5]),
            sorted(&bulks(&["4", "2", "1", "x", "y", "5", "3"]))
        );
        assert_eq!(r[6], bulks(&["3"]));
        assert_eq!(r[7], bulks(&["3"]));
        assert_eq!(r[8], bulks(&["1", "2"]));
        assert_eq!(r[9], bulks(&["1", "2"]));
        assert_eq!(r[10], bulks(&["1", "2", "3"]));
        assert_eq!(r[11], Reply::Array(vec![]));
        assert_eq!(r[12], Reply::Array(vec![]));
        assert_eq!(r[13], Reply::Array(vec![]));
        assert_eq!(r[14], bulks(&["1", "2", "3"]));
        assert_eq!(r[15], Reply::Array(vec![]));
        for op in ["sunion", "sinter", "sdiff"] {
            for keys in [
                &["{b}a", "{b}s"][..],
                &["{b}s", "{b}a"],
                &["{b}nos", "{b}s"],
                &["{b}s", "{b}nos"],
                &["{b}a", "{b}nos", "{b}s"],
            ] {
                let mut words = vec![op];
                words.extend_from_slice(keys);
                let r = run(&[WT, &["sadd", "{b}a", "1"], &words]);
                assert_eq!(r[2], wrongtype(), "{words:?}");
            }
        }
    }

    // redis 7.0.15:
    //   sunionstore d a b -> :5 ; smembers d -> 1 2 3 4 5
    //   sunionstore d s a -> WRONGTYPE
    //   sunionstore s a b -> :5 ; type s -> set   (the string destination is replaced)
    //   set s x ; sinterstore d a nos -> :0 ; exists d -> :0
    //   sunionstore d a b -> :5 ; sinterstore d nos s -> WRONGTYPE ; exists d -> :1
    //   sdiffstore d a a -> :0 ; exists d -> :0
    //   sunionstore d a -> :3 ; sunionstore d nos -> :0 ; exists d -> :0
    //   sunionstore d nos s -> WRONGTYPE
    //   sinterstore d a c -> :1 ; smembers d -> 3 ; sdiffstore d a c -> :2 ; smembers d -> 1 2
    //   sunionstore a a b -> :5 ; smembers a -> 1 2 3 4 5
    //   sinterstore d a -> :5
    #[test]
    fn store_forms() {
        let r = run(&[
            WT,
            &["sadd", "{b}a", "1", "2", "3"],
            &["sadd", "{b}b", "3", "4", "5"],
            &["sadd", "{b}c", "x", "y", "3"],
            &["sunionstore", "{b}d", "{b}a", "{b}b"],
            &["smembers", "{b}d"],
            &["sunionstore", "{b}d", "{b}s", "{b}a"],
            &["sunionstore", "{b}s", "{b}a", "{b}b"],
            &["scard", "{b}s"],
            &["sinterstore", "{b}d", "{b}a", "{b}nos"],
            &["scard", "{b}d"],
            &["sunionstore", "{b}d", "{b}a", "{b}b"],
            &["hset", "{b}s2", "f", "v"],
            &["sinterstore", "{b}d", "{b}nos", "{b}s2"],
            &["scard", "{b}d"],
            &["sdiffstore", "{b}d", "{b}a", "{b}a"],
            &["scard", "{b}d"],
            &["sunionstore", "{b}d", "{b}a"],
            &["sunionstore", "{b}d", "{b}nos"],
            &["scard", "{b}d"],
            &["sunionstore", "{b}d", "{b}nos", "{b}s2"],
            &["sinterstore", "{b}d", "{b}a", "{b}c"],
            &["smembers", "{b}d"],
            &["sdiffstore", "{b}d", "{b}a", "{b}c"],
            &["smembers", "{b}d"],
            &["sunionstore", "{b}a", "{b}a", "{b}b"],
            &["smembers", "{b}a"],
            &["sinterstore", "{b}d", "{b}a"],
        ]);
        assert_eq!(r[4], int(5));
        assert_eq!(r[5], bulks(&["1", "2", "3", "4", "5"]));
        assert_eq!(r[6], wrongtype());
        assert_eq!(r[7], int(5));
        assert_eq!(r[8], int(5));
        assert_eq!(r[9], int(0));
        assert_eq!(r[10], int(0));
        assert_eq!(r[11], int(5));
        assert_eq!(r[13], wrongtype());
        assert_eq!(r[14], int(5), "a failed store leaves the destination alone");
        assert_eq!(r[15], int(0));
        assert_eq!(r[16], int(0));
        assert_eq!(r[17], int(3));
        assert_eq!(r[18], int(0));
        assert_eq!(r[19], int(0));
        assert_eq!(r[20], wrongtype());
        assert_eq!(r[21], int(1));
        assert_eq!(r[22], bulks(&["3"]));
        assert_eq!(r[23], int(2));
        assert_eq!(r[24], bulks(&["1", "2"]));
        assert_eq!(r[25], int(5));
        assert_eq!(r[26], bulks(&["1", "2", "3", "4", "5"]));
        assert_eq!(r[27], int(5));
    }

    // redis 7.0.15:
    //   sadd a 1 2 3 ; sadd b 3 4
    //   smove a b 1 -> :1 ; smembers a -> 2 3 ; smembers b -> 1 3 4
    //   smove a b 3 -> :1 ; smembers a -> 2 ; smembers b -> 1 3 4
    //   smove a b 99 -> :0   smove nos b 1 -> :0   smove nos s 1 -> :0
    //   smove s b 1 -> WRONGTYPE   smove a s 1 -> WRONGTYPE   smove a s 99 -> WRONGTYPE
    //   smove s s 1 -> WRONGTYPE   smove a a 2 -> :1   smove a a 99 -> :0   smove nos nos 1 -> :0
    //   smove a b 2 -> :1 (a is gone)
    //   smove b c 4 -> :1 ; smembers c -> 4 ; smove b c 4 -> :0
    #[test]
    fn smove_order_of_checks() {
        let r = run(&[
            WT,
            &["sadd", "{b}a", "1", "2", "3"],
            &["sadd", "{b}b", "3", "4"],
            &["smove", "{b}a", "{b}b", "1"],
            &["smembers", "{b}a"],
            &["smembers", "{b}b"],
            &["smove", "{b}a", "{b}b", "3"],
            &["smembers", "{b}a"],
            &["smembers", "{b}b"],
            &["smove", "{b}a", "{b}b", "99"],
            &["smove", "{b}nos", "{b}b", "1"],
            &["smove", "{b}nos", "{b}s", "1"],
            &["smove", "{b}s", "{b}b", "1"],
            &["smove", "{b}a", "{b}s", "1"],
            &["smove", "{b}a", "{b}s", "99"],
            &["smove", "{b}s", "{b}s", "1"],
            &["smove", "{b}a", "{b}a", "2"],
            &["smove", "{b}a", "{b}a", "99"],
            &["smove", "{b}nos", "{b}nos", "1"],
            &["smove", "{b}a", "{b}b", "2"],
            &["scard", "{b}a"],
            &["smove", "{b}b", "{b}c", "4"],
            &["smembers", "{b}c"],
            &["smove", "{b}b", "{b}c", "4"],
        ]);
        assert_eq!(r[3], int(1));
        assert_eq!(r[4], bulks(&["2", "3"]));
        assert_eq!(r[5], bulks(&["1", "3", "4"]));
        assert_eq!(r[6], int(1));
        assert_eq!(r[7], bulks(&["2"]));
        assert_eq!(r[8], bulks(&["1", "3", "4"]));
        assert_eq!(r[9], int(0));
        assert_eq!(r[10], int(0));
        assert_eq!(r[11], int(0));
        assert_eq!(r[12], wrongtype());
        assert_eq!(r[13], wrongtype());
        assert_eq!(r[14], wrongtype());
        assert_eq!(r[15], wrongtype());
        assert_eq!(r[16], int(1));
        assert_eq!(r[17], int(0));
        assert_eq!(r[18], int(0));
        assert_eq!(r[19], int(1));
        assert_eq!(r[20], int(0));
        assert_eq!(r[21], int(1));
        assert_eq!(r[22], bulks(&["4"]));
        assert_eq!(r[23], int(0));
    }

    #[test]
    fn touches() {
        let r = run_touched(&[
            &["sadd", "{b}a", "1", "2"],
            &["sadd", "{b}a", "1"],
            &["srem", "{b}a", "9"],
            &["smove", "{b}a", "{b}b", "1"],
            &["sadd", "{b}c", "2"],
            &["smove", "{b}a", "{b}c", "2"],
            &["sinterstore", "{b}d", "{b}nos"],
            &["sunionstore", "{b}d", "{b}c"],
            &["sdiffstore", "{b}d", "{b}nos"],
            &["spop", "{b}c", "0"],
        ]);
        let touched: Vec<Vec<String>> = r.into_iter().map(|(_, t)| t).collect();
        let k = |keys: &[&str]| keys.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(touched[0], k(&["{b}a"]));
        assert_eq!(touched[1], k(&[]));
        assert_eq!(touched[2], k(&[]));
        assert_eq!(touched[3], k(&["{b}a", "{b}b"]));
        // The member was already in the destination: only the source is signalled.
        assert_eq!(touched[5], k(&["{b}a"]));
        assert_eq!(touched[6], k(&[]));
        assert_eq!(touched[7], k(&["{b}d"]));
        assert_eq!(touched[8], k(&["{b}d"]));
        assert_eq!(touched[9], k(&[]));
    }

    #[test]
    fn key_specs_cover_every_key() {
        let argv = |words: &[&str]| -> Vec<Vec<u8>> {
            words.iter().map(|w| w.as_bytes().to_vec()).collect()
        };
        let keys = |words: &[&str]| -> Vec<usize> {
            let a = argv(words);
            command::lookup(&a)
                .map(|s| s.key_positions(&a))
                .unwrap_or_default()
        };
        assert_eq!(keys(&["sunion", "a", "b", "c"]), vec![1, 2, 3]);
        assert_eq!(keys(&["sdiffstore", "d", "a", "b"]), vec![1, 2, 3]);
        assert_eq!(keys(&["smove", "a", "b", "m"]), vec![1, 2]);
        assert_eq!(keys(&["sadd", "a", "m", "n"]), vec![1]);
    }

    #[test]
    fn crossslot_from_key_specs() {
        // {b}x is on 7000; "a" hashes elsewhere, so the keys disagree.
        let r = run(&[
            &["sunion", "{b}x", "a"],
            &["sunionstore", "{b}x", "{b}y", "a"],
            &["smove", "{b}x", "a", "m"],
        ]);
        let crossslot = err("CROSSSLOT Keys in request don't hash to the same slot");
        assert!(r.iter().all(|reply| reply == &crossslot), "{r:?}");
    }
}
