//! Sorted-set commands, after Redis 7.0's `t_zset.c`: ZADD, ZINCRBY,
//! ZRANGE (the 7.0 form with BYSCORE / BYLEX / REV / LIMIT / WITHSCORES),
//! ZREVRANGE, ZSCORE, ZREM, ZCARD, ZRANK, ZCOUNT.
//!
//! Scores are printed with [`args::format_double`] (`%.17g`, as
//! `addReplyDouble` in RESP2). Two encoding details of a real server are
//! reproduced because they are visible in replies:
//! - a small (listpack-encoded) sorted set stores a `-0` score as `0`,
//!   while a skiplist-encoded one keeps `-0` (ZADD INCR / ZINCRBY still
//!   reply with the computed `-0`);
//! - `-0` and `0` compare equal, so members with those scores are ordered by name.
//!
//! BYLEX ranges walk the set in (score, member) order exactly as
//! `zzlFirstInLexRange` & co. do, so sets whose scores differ give Redis'
//! (unspecified but deterministic) answer for small sets.

use crate::engine::cmd::args;
use crate::engine::cmd::lists::resolve_range;
use crate::engine::command::flags::{DENYOOM, FAST, READONLY, WRITE};
use crate::engine::command::{spec, CommandSpec, Ctx, Handler, KEY1};
use crate::engine::error::RedisError;
use crate::engine::keyspace::Keyspace;
use crate::engine::reply::Reply;
use crate::engine::value::{SortedSet, Value};

/// An entry whose only key is the first argument.
const fn cmd(name: &'static str, arity: i32, flags: u32, handler: Handler) -> CommandSpec {
    spec(name, arity, flags, KEY1, handler)
}

/// The sorted-set commands; arity and flags as `COMMAND INFO` reports them on 7.0.15.
pub static COMMANDS: &[CommandSpec] = &[
    cmd("zadd", -4, WRITE | DENYOOM | FAST, zadd),
    cmd("zincrby", 4, WRITE | DENYOOM | FAST, zincrby),
    cmd("zrange", -4, READONLY, zrange),
    cmd("zrevrange", -4, READONLY, zrevrange),
    cmd("zscore", 3, READONLY | FAST, zscore),
    cmd("zrem", -3, WRITE | FAST, zrem),
    cmd("zcard", 2, READONLY | FAST, zcard),
    cmd("zrank", 3, READONLY | FAST, zrank),
    cmd("zcount", 4, READONLY | FAST, zcount),
];

/// `zset-max-listpack-entries` and `zset-max-listpack-value` defaults.
const LISTPACK_MAX_ENTRIES: usize = 128;
const LISTPACK_MAX_VALUE: usize = 64;

/// The sorted set under `key` for reading: None when missing, WRONGTYPE for another type.
fn read<'a>(db: &'a Keyspace, key: &[u8]) -> Result<Option<&'a SortedSet>, RedisError> {
    match db.value(key) {
        None => Ok(None),
        Some(Value::ZSet(z)) => Ok(Some(z.as_ref())),
        Some(_) => Err(RedisError::WrongType),
    }
}

/// The sorted set under `key` for writing (None when missing).
fn write<'a>(db: &'a mut Keyspace, key: &[u8]) -> Result<Option<&'a mut SortedSet>, RedisError> {
    match db.value_mut(key) {
        None => Ok(None),
        Some(Value::ZSet(z)) => Ok(Some(z.as_mut())),
        Some(_) => Err(RedisError::WrongType),
    }
}

/// Members with their scores, ascending by (score, member).
fn ascending(z: &SortedSet) -> Vec<(f64, &[u8])> {
    z.by_score
        .iter()
        .map(|(score, member)| (score.0, member.as_slice()))
        .collect()
}

/// The reply for a list of (score, member), with or without scores.
fn items_reply(items: &[(f64, &[u8])], withscores: bool) -> Reply {
    let mut out = Vec::with_capacity(items.len() * if withscores { 2 } else { 1 });
    for (score, member) in items {
        out.push(Reply::bulk(member));
        if withscores {
            out.push(Reply::bulk(args::format_double(*score)));
        }
    }
    Reply::Array(out)
}

// ---------------------------------------------------------------- ZADD

/// ZADD's option flags (`ZADD_IN_*`).
#[derive(Debug, Clone, Copy, Default)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    incr: bool,
}

/// What `zsetAdd` did with one element (`ZADD_OUT_*`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum AddOutcome {
    /// Nothing (NX on an existing member, XX on a missing one, GT/LT refused).
    Nop,
    /// A new member with this score.
    Added(f64),
    /// An existing member moved to this score.
    Updated(f64),
    /// An existing member whose score stays this one.
    Same(f64),
}

/// Whether the set is (and stays, after adding `member` if it is new)
/// listpack-encoded: no more than 128 members, none longer than 64 bytes.
fn stays_listpack(z: &SortedSet, member: &[u8]) -> bool {
    let after = if z.scores.contains_key(member) {
        z.len()
    } else {
        z.len() + 1
    };
    after <= LISTPACK_MAX_ENTRIES
        && member.len() <= LISTPACK_MAX_VALUE
        && z.scores.keys().all(|m| m.len() <= LISTPACK_MAX_VALUE)
}

/// Stores `score` for `member`; a listpack-encoded set keeps `-0` as `0`.
fn store(z: &mut SortedSet, member: &[u8], score: f64) {
    let score = if score == 0.0 && stays_listpack(z, member) {
        0.0
    } else {
        score
    };
    z.insert(member.to_vec(), score);
}

/// `zsetAdd`: adds or updates one member under the ZADD flags.
fn zset_add(
    z: &mut SortedSet,
    score: f64,
    member: &[u8],
    flags: AddFlags,
) -> Result<AddOutcome, RedisError> {
    if score.is_nan() {
        return Err(RedisError::ScoreNaN);
    }
    match z.scores.get(member).copied() {
        Some(current) => {
            if flags.nx {
                return Ok(AddOutcome::Nop);
            }
            let mut score = score;
            if flags.incr {
                score += current;
                if score.is_nan() {
                    return Err(RedisError::ScoreNaN);
                }
            }
            if (flags.lt && score >= current) || (flags.gt && score <= current) {
                return Ok(AddOutcome::Nop);
            }
            if score != current {
                store(z, member, score);
                Ok(AddOutcome::Updated(score))
            } else {
                Ok(AddOutcome::Same(score))
            }
        }
        None if !flags.xx => {
            store(z, member, score);
            Ok(AddOutcome::Added(score))
        }
        None => Ok(AddOutcome::Nop),
    }
}

/// `zaddGenericCommand`: options from argv\[2\], then score/member pairs.
/// Checks in Redis' order: pair count (syntax error), XX+NX, GT/LT/NX,
/// INCR with several pairs, every score, then the key's type.
fn zadd_generic(ctx: &mut Ctx<'_>, argv: &[Vec<u8>], incr: bool) -> Result<Reply, RedisError> {
    let key = &argv[1];
    let mut flags = AddFlags {
        incr,
        ..AddFlags::default()
    };
    let mut ch = false;
    let mut idx = 2;
    while let Some(opt) = argv.get(idx) {
        if args::is(opt, "nx") {
            flags.nx = true;
        } else if args::is(opt, "xx") {
            flags.xx = true;
        } else if args::is(opt, "ch") {
            ch = true;
        } else if args::is(opt, "incr") {
            flags.incr = true;
        } else if args::is(opt, "gt") {
            flags.gt = true;
        } else if args::is(opt, "lt") {
            flags.lt = true;
        } else {
            break;
        }
        idx += 1;
    }
    let rest = &argv[idx..];
    if rest.is_empty() || rest.len() % 2 == 1 {
        return Err(RedisError::Syntax);
    }
    if flags.nx && flags.xx {
        return Err(RedisError::XxAndNx);
    }
    if (flags.nx && (flags.gt || flags.lt)) || (flags.gt && flags.lt) {
        return Err(RedisError::GtLtNx);
    }
    if flags.incr && rest.len() > 2 {
        return Err(RedisError::IncrSinglePair);
    }
    let mut pairs = Vec::with_capacity(rest.len() / 2);
    for pair in rest.chunks_exact(2) {
        pairs.push((args::double(&pair[0])?, pair[1].as_slice()));
    }

    let exists = read(ctx.db, key)?.is_some();
    let (mut added, mut updated, mut processed) = (0i64, 0i64, 0i64);
    let mut last_score = None;
    let mut failure = None;
    if exists || !flags.xx {
        if !exists {
            ctx.db.insert(key, Value::ZSet(Box::default()), None);
        }
        if let Some(z) = write(ctx.db, key)? {
            for (score, member) in pairs {
                match zset_add(z, score, member, flags) {
                    Ok(AddOutcome::Nop) => {}
                    Ok(AddOutcome::Added(s)) => {
                        added += 1;
                        processed += 1;
                        last_score = Some(s);
                    }
                    Ok(AddOutcome::Updated(s)) => {
                        updated += 1;
                        processed += 1;
                        last_score = Some(s);
                    }
                    Ok(AddOutcome::Same(s)) => {
                        processed += 1;
                        last_score = Some(s);
                    }
                    Err(err) => {
                        failure = Some(err);
                        break;
                    }
                }
            }
        }
        if matches!(ctx.db.value(key), Some(Value::ZSet(z)) if z.is_empty()) {
            ctx.db.remove(key);
        }
    }
    if added > 0 || updated > 0 {
        ctx.touch(key);
    }
    if let Some(err) = failure {
        return Err(err);
    }
    Ok(if flags.incr {
        match last_score {
            Some(score) if processed > 0 => Reply::bulk(args::format_double(score)),
            _ => Reply::NilBulk,
        }
    } else {
        Reply::Integer(if ch { added + updated } else { added })
    })
}

/// Adds members or updates their scores. Returns the number of new members
/// (with CH: new or changed); with INCR, the member's new score or nil when
/// an option prevented the update.
///
/// # Format
/// ```text
/// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
/// ```
fn zadd(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    zadd_generic(ctx, argv, false)
}

/// Adds `increment` to a member's score (a missing member starts at 0) and
/// returns the new score. Runs ZADD's parser with INCR set, so option words
/// in the increment position are options (and leave an odd argument count:
/// `ERR syntax error`).
///
/// # Format
/// ```text
/// ZINCRBY key increment member
/// ```
fn zincrby(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    zadd_generic(ctx, argv, true)
}

// ---------------------------------------------------------------- ranges

/// A score interval (`zrangespec`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct ScoreRange {
    min: f64,
    max: f64,
    minex: bool,
    maxex: bool,
}

impl ScoreRange {
    fn gte_min(&self, score: f64) -> bool {
        if self.minex {
            score > self.min
        } else {
            score >= self.min
        }
    }

    fn lte_max(&self, score: f64) -> bool {
        if self.maxex {
            score < self.max
        } else {
            score <= self.max
        }
    }

    fn always_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.minex || self.maxex))
    }
}

/// One bound of `zslParseRange`: `(` makes it exclusive; the rest is read
/// by `strtod` (leading space, hex, `inf`, even nothing at all = 0) and must
/// end the string; NaN is refused.
fn parse_score_bound(arg: &[u8]) -> Option<(f64, bool)> {
    let (body, exclusive) = match arg.strip_prefix(b"(") {
        Some(body) => (body, true),
        None => (arg, false),
    };
    let parsed = args::strtod(body);
    let ends = parsed.consumed == body.len() || body.get(parsed.consumed) == Some(&0);
    (ends && !parsed.value.is_nan()).then_some((parsed.value, exclusive))
}

/// `zslParseRange`, or `ERR min or max is not a float`.
fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, RedisError> {
    let (Some((min, minex)), Some((max, maxex))) = (parse_score_bound(min), parse_score_bound(max))
    else {
        return Err(RedisError::MinMaxNotFloat);
    };
    Ok(ScoreRange {
        min,
        max,
        minex,
        maxex,
    })
}

/// A lexicographic bound value: `-`, `+` or a string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LexItem {
    Min,
    Max,
    Str(Vec<u8>),
}

/// `sdscmplex`: `-` is below and `+` above every string.
fn cmp_lex(a: &LexItem, b: &LexItem) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a, b) {
        (LexItem::Min, LexItem::Min) | (LexItem::Max, LexItem::Max) => Equal,
        (LexItem::Min, _) | (_, LexItem::Max) => Less,
        (LexItem::Max, _) | (_, LexItem::Min) => Greater,
        (LexItem::Str(x), LexItem::Str(y)) => x.cmp(y),
    }
}

/// A lexicographic interval (`zlexrangespec`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct LexRange {
    min: LexItem,
    max: LexItem,
    minex: bool,
    maxex: bool,
}

impl LexRange {
    fn gte_min(&self, member: &[u8]) -> bool {
        let c = cmp_lex(&LexItem::Str(member.to_vec()), &self.min);
        if self.minex {
            c.is_gt()
        } else {
            c.is_ge()
        }
    }

    fn lte_max(&self, member: &[u8]) -> bool {
        let c = cmp_lex(&LexItem::Str(member.to_vec()), &self.max);
        if self.maxex {
            c.is_lt()
        } else {
            c.is_le()
        }
    }

    fn always_empty(&self) -> bool {
        let c = cmp_lex(&self.min, &self.max);
        c.is_gt() || (c.is_eq() && (self.minex || self.maxex))
    }
}

/// `zslParseLexRangeItem`: `+`, `-` (alone), `(x` exclusive, `[x` inclusive.
fn parse_lex_item(arg: &[u8]) -> Option<(LexItem, bool)> {
    let alone = arg.len() == 1 || arg.get(1) == Some(&0);
    match arg.first() {
        Some(b'+') if alone => Some((LexItem::Max, true)),
        Some(b'-') if alone => Some((LexItem::Min, true)),
        Some(b'(') => Some((LexItem::Str(arg[1..].to_vec()), true)),
        Some(b'[') => Some((LexItem::Str(arg[1..].to_vec()), false)),
        _ => None,
    }
}

/// `zslParseLexRange`, or `ERR min or max not valid string range item`.
fn parse_lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, RedisError> {
    let (Some((min, minex)), Some((max, maxex))) = (parse_lex_item(min), parse_lex_item(max))
    else {
        return Err(RedisError::MinMaxNotValidString);
    };
    Ok(LexRange {
        min,
        max,
        minex,
        maxex,
    })
}

/// The listpack range walk shared by BYSCORE and BYLEX
/// (`genericZrangebyscoreCommand` / `genericZrangebylexCommand`): check
/// the range can match (`zzlIsIn*Range`), find the first element in range
/// from the start (or the last from the end when reversed), skip `offset`
/// elements without checking them (a negative offset runs off the end),
/// then take up to `limit` (negative = all) while the far bound holds.
fn walk<'a>(
    items: &[(f64, &'a [u8])],
    always_empty: bool,
    gte_min: impl Fn(&(f64, &[u8])) -> bool,
    lte_max: impl Fn(&(f64, &[u8])) -> bool,
    reverse: bool,
    offset: i64,
    limit: i64,
) -> Vec<(f64, &'a [u8])> {
    let mut out = Vec::new();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return out;
    };
    if always_empty || !gte_min(last) || !lte_max(first) {
        return out;
    }
    if offset > 0 && offset as u64 >= items.len() as u64 {
        return out;
    }
    if offset < 0 {
        return out;
    }
    let start = if reverse {
        match items.iter().rposition(&lte_max) {
            Some(i) if gte_min(&items[i]) => i,
            _ => return out,
        }
    } else {
        match items.iter().position(&gte_min) {
            Some(i) if lte_max(&items[i]) => i,
            _ => return out,
        }
    };
    let offset = offset as usize;
    let order: Box<dyn Iterator<Item = &(f64, &'a [u8])>> = if reverse {
        Box::new(items[..=start].iter().rev())
    } else {
        Box::new(items[start..].iter())
    };
    // A negative limit means no limit.
    let mut remaining = u64::try_from(limit).ok();
    for item in order.skip(offset) {
        if remaining == Some(0) {
            break;
        }
        let in_range = if reverse {
            gte_min(item)
        } else {
            lte_max(item)
        };
        if !in_range {
            break;
        }
        out.push(*item);
        remaining = remaining.map(|n| n - 1);
    }
    out
}

/// How a ZRANGE-family command selects members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeType {
    Auto,
    Rank,
    Score,
    Lex,
}

/// The selected range, parsed.
enum Parsed {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// `zrangeGenericCommand`: options from argv\[4\] (WITHSCORES, LIMIT
/// offset count, REV and BYSCORE/BYLEX where the command leaves them open,
/// anything else a syntax error), then the LIMIT and WITHSCORES conflicts,
/// then the range, then the key.
fn zrange_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Vec<u8>],
    mut range_type: RangeType,
    mut reverse: Option<bool>,
) -> Result<Reply, RedisError> {
    let key = &argv[1];
    let mut withscores = false;
    let mut offset: i64 = 0;
    let mut limit: i64 = -1;
    let mut j = 4;
    while j < argv.len() {
        let opt = &argv[j];
        let left = argv.len() - j - 1;
        if args::is(opt, "withscores") {
            withscores = true;
        } else if args::is(opt, "limit") && left >= 2 {
            offset = args::int(&argv[j + 1])?;
            limit = args::int(&argv[j + 2])?;
            j += 2;
        } else if reverse.is_none() && args::is(opt, "rev") {
            reverse = Some(true);
        } else if range_type == RangeType::Auto && args::is(opt, "bylex") {
            range_type = RangeType::Lex;
        } else if range_type == RangeType::Auto && args::is(opt, "byscore") {
            range_type = RangeType::Score;
        } else {
            return Err(RedisError::Syntax);
        }
        j += 1;
    }
    let reverse = reverse.unwrap_or(false);
    if range_type == RangeType::Auto {
        range_type = RangeType::Rank;
    }
    if limit != -1 && range_type == RangeType::Rank {
        return Err(RedisError::LimitNeedsByScoreOrLex);
    }
    if withscores && range_type == RangeType::Lex {
        return Err(RedisError::WithScoresByLex);
    }
    let (mut min_arg, mut max_arg) = (&argv[2], &argv[3]);
    if reverse && range_type != RangeType::Rank {
        std::mem::swap(&mut min_arg, &mut max_arg);
    }
    let parsed = match range_type {
        RangeType::Score => Parsed::Score(parse_score_range(min_arg, max_arg)?),
        RangeType::Lex => Parsed::Lex(parse_lex_range(min_arg, max_arg)?),
        RangeType::Rank | RangeType::Auto => Parsed::Rank(args::int(min_arg)?, args::int(max_arg)?),
    };
    let Some(z) = read(ctx.db, key)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let items = ascending(z);
    let selected: Vec<(f64, &[u8])> = match parsed {
        Parsed::Rank(start, end) => {
            let ordered: Vec<(f64, &[u8])> = if reverse {
                items.iter().rev().copied().collect()
            } else {
                items.clone()
            };
            match resolve_range(start, end, ordered.len()) {
                Some((from, to)) => ordered[from..=to].to_vec(),
                None => Vec::new(),
            }
        }
        Parsed::Score(range) => walk(
            &items,
            range.always_empty(),
            |item| range.gte_min(item.0),
            |item| range.lte_max(item.0),
            reverse,
            offset,
            limit,
        ),
        Parsed::Lex(range) => walk(
            &items,
            range.always_empty(),
            |item| range.gte_min(item.1),
            |item| range.lte_max(item.1),
            reverse,
            offset,
            limit,
        ),
    };
    Ok(items_reply(&selected, withscores))
}

/// Members by rank (`start`/`stop`, negative from the end), by score
/// (BYSCORE: `min`/`max` with `(` for exclusive and `-inf`/`+inf`) or by
/// name (BYLEX: `[x`, `(x`, `-`, `+`); REV reverses the order (and takes
/// `max` first for BYSCORE/BYLEX); LIMIT needs BYSCORE or BYLEX; WITHSCORES
/// is refused with BYLEX.
///
/// # Format
/// ```text
/// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
/// ```
fn zrange(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    zrange_generic(ctx, argv, RangeType::Auto, None)
}

/// Members by rank from the highest score down.
///
/// # Format
/// ```text
/// ZREVRANGE key start stop [WITHSCORES]
/// ```
fn zrevrange(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    zrange_generic(ctx, argv, RangeType::Rank, Some(true))
}

// ---------------------------------------------------------------- the rest

/// A member's score, or nil.
///
/// # Format
/// ```text
/// ZSCORE key member
/// ```
fn zscore(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let z = read(ctx.db, &argv[1])?;
    Ok(match z.and_then(|z| z.scores.get(&argv[2])) {
        Some(score) => Reply::bulk(args::format_double(*score)),
        None => Reply::NilBulk,
    })
}

/// Removes members, returning how many were there; an emptied set is deleted.
///
/// # Format
/// ```text
/// ZREM key member [member ...]
/// ```
fn zrem(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let key = &argv[1];
    let Some(z) = write(ctx.db, key)? else {
        return Ok(Reply::Integer(0));
    };
    let mut deleted = 0;
    for member in &argv[2..] {
        if z.remove(member) {
            deleted += 1;
        }
        if z.is_empty() {
            break;
        }
    }
    if z.is_empty() {
        ctx.db.remove(key);
    }
    if deleted > 0 {
        ctx.touch(key);
    }
    Ok(Reply::Integer(deleted))
}

/// The number of members.
///
/// # Format
/// ```text
/// ZCARD key
/// ```
fn zcard(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let z = read(ctx.db, &argv[1])?;
    Ok(Reply::Integer(z.map_or(0, |z| z.len() as i64)))
}

/// A member's 0-based rank by ascending score, or nil.
///
/// # Format
/// ```text
/// ZRANK key member
/// ```
fn zrank(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let z = read(ctx.db, &argv[1])?;
    Ok(match z.and_then(|z| z.rank(&argv[2])) {
        Some(rank) => Reply::Integer(rank as i64),
        None => Reply::NilBulk,
    })
}

/// The number of members with a score in `[min, max]` (`(` for exclusive).
/// The range is parsed before the key is looked up.
///
/// # Format
/// ```text
/// ZCOUNT key min max
/// ```
fn zcount(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let range = parse_score_range(&argv[2], &argv[3])?;
    let Some(z) = read(ctx.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let items = ascending(z);
    let found = walk(
        &items,
        range.always_empty(),
        |item| range.gte_min(item.0),
        |item| range.lte_max(item.0),
        false,
        0,
        -1,
    );
    Ok(Reply::Integer(found.len() as i64))
}

#[cfg(test)]
mod tests {
    //! Transcripts are from a standalone redis-server 7.0.15 (port 6401, raw
    //! RESP); the keys there were `z`, `s`, `nos` ... and are `{b}`-tagged
    //! here so that they live on 7000. `{b}s` holds a hash here (a string there).
    use super::*;
    use crate::engine::cmd::hashes::testutil::*;

    const WT: &[&str] = &["hset", "{b}s", "f", "v"];

    fn empty() -> Reply {
        Reply::Array(vec![])
    }

    // redis 7.0.15:
    //   zadd z 1 a 2 b -> :2            zadd z 1 a 3 c -> :1
    //   zadd z ch 5 a 3 c 4 d -> :2     zadd z nx 10 a 1 e -> :1     zadd z xx 10 a 1 f -> :0
    //   zrange z 0 -1 withscores -> e 1 b 2 c 3 d 4 a 10
    //   zadd z nx xx 1 a -> -ERR XX and NX options at the same time are not compatible
    //   zadd z gt lt 1 a / gt nx / lt nx -> -ERR GT, LT, and/or NX options at the same time are not compatible
    //   zadd z xx gt 1 a -> :0   zadd z gt 5 a 20 b -> :0   zadd z gt ch 5 a 20 b -> :0
    //   zadd z lt ch 5 a 20 b -> :1
    //   zadd z incr 2 a -> $1 7     zadd z incr 2 a 3 b -> -ERR INCR option supports a single increment-element pair
    //   zadd z incr nx 2 a -> $-1   zadd z incr xx 2 zz -> $-1
    //   zadd z incr gt 1 a -> 8     zadd z incr gt -1 a -> $-1   zadd z incr lt -1 a -> 7
    //   zadd z incr nx 2 newm -> 2
    //   zadd z 1 -> arity   zadd z 1 a 2 -> -ERR syntax error   zadd z a b -> -ERR value is not a valid float
    //   zadd z nx -> arity  zadd z x a -> not a valid float     zadd z 1 a x -> syntax error
    //   zadd z nan a -> not a valid float
    //   zadd z inf a -inf b -> :0 ; zrange -> b -inf e 1 newm 2 c 3 d 4 a inf
    //   zadd z incr inf a -> inf   zadd z incr -inf a -> -ERR resulting score is not a number (NaN)
    //   zadd s 1 a -> WRONGTYPE   zadd nos xx 1 a -> :0 (no key)   zadd nos incr xx 1 a -> $-1
    //   zadd z ch ch 1 a -> :1    zadd z foo 1 a -> syntax error
    //   zadd s nx xx 1 a -> XX/NX error   zadd s 1 a 2 -> syntax error   zadd s x a -> not a valid float
    //   zadd z incr 1 a 2 b nx xx -> -ERR INCR option supports a single increment-element pair
    #[test]
    fn zadd_options() {
        let r = run(&[
            WT,
            &["zadd", "{b}z", "1", "a", "2", "b"],
            &["zadd", "{b}z", "1", "a", "3", "c"],
            &["zadd", "{b}z", "ch", "5", "a", "3", "c", "4", "d"],
            &["zadd", "{b}z", "nx", "10", "a", "1", "e"],
            &["zadd", "{b}z", "xx", "10", "a", "1", "f"],
            &["zrange", "{b}z", "0", "-1", "withscores"],
            &["zadd", "{b}z", "nx", "xx", "1", "a"],
            &["zadd", "{b}z", "gt", "lt", "1", "a"],
            &["zadd", "{b}z", "gt", "nx", "1", "a"],
            &["zadd", "{b}z", "lt", "nx", "1", "a"],
            &["zadd", "{b}z", "xx", "gt", "1", "a"],
            &["zadd", "{b}z", "gt", "5", "a", "20", "b"],
            &["zadd", "{b}z", "gt", "ch", "5", "a", "20", "b"],
            &["zadd", "{b}z", "lt", "ch", "5", "a", "20", "b"],
            &["zadd", "{b}z", "incr", "2", "a"],
            &["zadd", "{b}z", "incr", "2", "a", "3", "b"],
            &["zadd", "{b}z", "incr", "nx", "2", "a"],
            &["zadd", "{b}z", "incr", "xx", "2", "zz"],
            &["zadd", "{b}z", "incr", "gt", "1", "a"],
            &["zadd", "{b}z", "incr", "gt", "-1", "a"],
            &["zadd", "{b}z", "incr", "lt", "-1", "a"],
            &["zadd", "{b}z", "incr", "nx", "2", "newm"],
            &["zadd", "{b}z", "1"],
            &["zadd", "{b}z", "1", "a", "2"],
            &["zadd", "{b}z", "a", "b"],
            &["zadd", "{b}z", "nx"],
            &["zadd", "{b}z", "x", "a"],
            &["zadd", "{b}z", "1", "a", "x"],
            &["zadd", "{b}z", "nan", "a"],
            &["zadd", "{b}z", "inf", "a", "-inf", "b"],
            &["zrange", "{b}z", "0", "-1", "withscores"],
            &["zadd", "{b}z", "incr", "inf", "a"],
            &["zadd", "{b}z", "incr", "-inf", "a"],
            &["zadd", "{b}s", "1", "a"],
            &["zadd", "{b}nos", "xx", "1", "a"],
            &["zcard", "{b}nos"],
            &["zadd", "{b}nos", "incr", "xx", "1", "a"],
            &["zadd", "{b}z", "ch", "ch", "1", "a"],
            &["zadd", "{b}z", "foo", "1", "a"],
            &["zadd", "{b}s", "nx", "xx", "1", "a"],
            &["zadd", "{b}s", "1", "a", "2"],
            &["zadd", "{b}s", "x", "a"],
            &["zadd", "{b}z", "incr", "1", "a", "2", "b", "nx", "xx"],
        ]);
        let syntax = err("ERR syntax error");
        let xxnx = err("ERR XX and NX options at the same time are not compatible");
        let gtltnx = err("ERR GT, LT, and/or NX options at the same time are not compatible");
        let single = err("ERR INCR option supports a single increment-element pair");
        let not_float = err("ERR value is not a valid float");
        let arity = err("ERR wrong number of arguments for 'zadd' command");
        assert_eq!(r[1], int(2));
        assert_eq!(r[2], int(1));
        assert_eq!(r[3], int(2));
        assert_eq!(r[4], int(1));
        assert_eq!(r[5], int(0));
        assert_eq!(
            r[6],
            bulks(&["e", "1", "b", "2", "c", "3", "d", "4", "a", "10"])
        );
        assert_eq!(r[7], xxnx);
        assert_eq!(r[8], gtltnx);
        assert_eq!(r[9], gtltnx);
        assert_eq!(r[10], gtltnx);
        assert_eq!(r[11], int(0));
        assert_eq!(r[12], int(0));
        assert_eq!(r[13], int(0));
        assert_eq!(r[14], int(1));
        assert_eq!(r[15], bulk("7"));
        assert_eq!(r[16], single);
        assert_eq!(r[17], Reply::NilBulk);
        assert_eq!(r[18], Reply::NilBulk);
        assert_eq!(r[19], bulk("8"));
        assert_eq!(r[20], Reply::NilBulk);
        assert_eq!(r[21], bulk("7"));
        assert_eq!(r[22], bulk("2"));
        assert_eq!(r[23], arity);
        assert_eq!(r[24], syntax);
        assert_eq!(r[25], not_float);
        assert_eq!(r[26], arity);
        assert_eq!(r[27], not_float);
        assert_eq!(r[28], syntax);
        assert_eq!(r[29], not_float);
        assert_eq!(r[30], int(0));
        assert_eq!(
            r[31],
            bulks(&["b", "-inf", "e", "1", "newm", "2", "c", "3", "d", "4", "a", "inf"])
        );
        assert_eq!(r[32], bulk("inf"));
        assert_eq!(r[33], err("ERR resulting score is not a number (NaN)"));
        assert_eq!(r[34], wrongtype());
        assert_eq!(r[35], int(0));
        assert_eq!(r[36], int(0));
        assert_eq!(r[37], Reply::NilBulk);
        assert_eq!(r[38], int(1));
        assert_eq!(r[39], syntax);
        assert_eq!(r[40], xxnx);
        assert_eq!(r[41], syntax);
        assert_eq!(r[42], not_float);
        assert_eq!(r[43], single);
    }

    // redis 7.0.15:
    //   zadd z nx xx -> syntax error     zadd z gt lt -> syntax error    zadd z incr -> arity
    //   zadd z gt 5 new -> :1            zadd z lt xx 1 new -> :0         zadd z lt xx ch 1 new -> :0
    //   zadd z incr ch 1 new -> 2        zadd z ch incr 0 new -> 2
    //   zadd z gt incr 0 new -> $-1      zadd z lt incr 0 new -> $-1
    //   zincrby z nx a / zincrby z incr a -> syntax error
    //   zincrby z 1 new -> 3   zincrby z -inf new -> -inf   zincrby z nan new -> not a valid float
    //   zadd z 1 a 1 a 2 a -> :1 ; zrange z 0 -1 withscores -> new -inf a 2
    //   zadd z ch 2 a 2 a -> :0
    //   zadd z2 1 x 2 y ; zadd z2 incr 1 x -> 2 ; zadd z2 xx incr 1 nosuch -> $-1
    //   zadd z2 xx ch 5 x 6 nosuch -> :1 ; zrange z2 0 -1 withscores -> y 2 x 5
    //   zadd z3 nx 1 a nan b -> not a valid float (z3 not created)
    //   zadd z4 1 a inf b ; zadd z4 incr -inf b -> NaN error ; zadd z4 incr inf a -> inf
    //   zadd z4 gt 1 a -> :0 ; zadd z4 gt -inf b -> :0 ; zadd z4 ch gt -inf b -> :0
    //   zincrby z x a (z missing or not) -> not a valid float ; zincrby s 1 a -> WRONGTYPE
    //   zincrby z 0x10 a -> hex accepted ; zincrby z " 1" a / 1e400 -> not a valid float
    #[test]
    fn zadd_more_and_zincrby() {
        let r = run(&[
            WT,
            &["zadd", "{b}z", "nx", "xx"],
            &["zadd", "{b}z", "gt", "lt"],
            &["zadd", "{b}z", "incr"],
            &["zadd", "{b}z", "gt", "5", "new"],
            &["zadd", "{b}z", "lt", "xx", "1", "new"],
            &["zadd", "{b}z", "lt", "xx", "ch", "1", "new"],
            &["zadd", "{b}z", "incr", "ch", "1", "new"],
            &["zadd", "{b}z", "ch", "incr", "0", "new"],
            &["zadd", "{b}z", "gt", "incr", "0", "new"],
            &["zadd", "{b}z", "lt", "incr", "0", "new"],
            &["zincrby", "{b}z", "nx", "a"],
            &["zincrby", "{b}z", "incr", "a"],
            &["zincrby", "{b}z", "1", "new"],
            &["zincrby", "{b}z", "-inf", "new"],
            &["zincrby", "{b}z", "nan", "new"],
            &["zadd", "{b}z", "1", "a", "1", "a", "2", "a"],
            &["zrange", "{b}z", "0", "-1", "withscores"],
            &["zadd", "{b}z", "ch", "2", "a", "2", "a"],
            &["zadd", "{b}z2", "1", "x", "2", "y"],
            &["zadd", "{b}z2", "incr", "1", "x"],
            &["zadd", "{b}z2", "xx", "incr", "1", "nosuch"],
            &["zadd", "{b}z2", "xx", "ch", "5", "x", "6", "nosuch"],
            &["zrange", "{b}z2", "0", "-1", "withscores"],
            &["zadd", "{b}z3", "nx", "1", "a", "nan", "b"],
            &["zcard", "{b}z3"],
            &["zadd", "{b}z4", "1", "a", "inf", "b"],
            &["zadd", "{b}z4", "incr", "-inf", "b"],
            &["zadd", "{b}z4", "incr", "inf", "a"],
            &["zadd", "{b}z4", "gt", "1", "a"],
            &["zadd", "{b}z4", "gt", "-inf", "b"],
            &["zadd", "{b}z4", "ch", "gt", "-inf", "b"],
            &["zrange", "{b}z4", "0", "-1", "withscores"],
            &["zincrby", "{b}nz", "abc", "a"],
            &["zincrby", "{b}s", "1", "a"],
            &["zincrby", "{b}s", "x", "a"],
            &["zincrby", "{b}z5", "0x10", "a"],
            &["zincrby", "{b}z5", " 1", "a"],
            &["zincrby", "{b}z5", "1e400", "a"],
        ]);
        let syntax = err("ERR syntax error");
        let not_float = err("ERR value is not a valid float");
        assert_eq!(r[1], syntax);
        assert_eq!(r[2], syntax);
        assert_eq!(
            r[3],
            err("ERR wrong number of arguments for 'zadd' command")
        );
        assert_eq!(r[4], int(1));
        assert_eq!(r[5], int(0));
        assert_eq!(r[6], int(0));
        assert_eq!(r[7], bulk("2"));
        assert_eq!(r[8], bulk("2"));
        assert_eq!(r[9], Reply::NilBulk);
        assert_eq!(r[10], Reply::NilBulk);
        assert_eq!(r[11], syntax);
        assert_eq!(r[12], syntax);
        assert_eq!(r[13], bulk("3"));
        assert_eq!(r[14], bulk("-inf"));
        assert_eq!(r[15], not_float);
        assert_eq!(r[16], int(1));
        assert_eq!(r[17], bulks(&["new", "-inf", "a", "2"]));
        assert_eq!(r[18], int(0));
        assert_eq!(r[20], bulk("2"));
        assert_eq!(r[21], Reply::NilBulk);
        assert_eq!(r[22], int(1));
        assert_eq!(r[23], bulks(&["y", "2", "x", "5"]));
        assert_eq!(r[24], not_float);
        assert_eq!(r[25], int(0));
        assert_eq!(r[27], err("ERR resulting score is not a number (NaN)"));
        assert_eq!(r[28], bulk("inf"));
        assert_eq!(r[29], int(0));
        assert_eq!(r[30], int(0));
        assert_eq!(r[31], int(0));
        assert_eq!(r[32], bulks(&["a", "inf", "b", "inf"]));
        assert_eq!(r[33], not_float);
        assert_eq!(r[34], wrongtype());
        assert_eq!(r[35], not_float);
        assert_eq!(r[36], bulk("16"));
        assert_eq!(r[37], not_float);
        assert_eq!(r[38], not_float);
    }

    // redis 7.0.15 (default config, so small sets are listpacks):
    //   zadd z -0 a -> :1 ; zscore z a -> 0 ; zrange z 0 -1 withscores -> a 0
    //   zadd z 0 b -> :1 ; zadd z -0 c -> :1 ; zrange z 0 -1 withscores -> a 0 b 0 c 0
    //   zincrby z -0 a -> 0 ; zincrby z2 -0 a -> -0 ; zscore z2 a -> 0
    //   zadd z3 incr -0 a -> -0
    //   zadd w -0 a 1 <65 x m> -> :2 ; zscore w a -> 0 (stored while still a listpack)
    //   zadd z -0 <65 x m> -> :1 ; zscore -> -0 (created as a skiplist) ; zadd z -0 a ; zscore z a -> -0
    //   zadd x 1 a ; zadd x -0 <65 x m> ; zadd x -0 b ; zscore x b -> -0
    //   zadd x 0 c -0 d -> :2 ; zrange x 0 3 withscores -> b -0 c 0 d -0 <65 x m> -0
    // (zset-max-listpack-entries 0) zadd sk -0 a ; zadd sk 0 b -0 c
    //   zrange sk 0 -1 withscores -> a -0 b 0 c -0  (-0 == 0: ordered by member)
    #[test]
    fn negative_zero_scores() {
        let long = "m".repeat(65);
        let r = run(&[
            &["zadd", "{b}z", "-0", "a"],
            &["zscore", "{b}z", "a"],
            &["zadd", "{b}z", "0", "b"],
            &["zadd", "{b}z", "-0", "c"],
            &["zrange", "{b}z", "0", "-1", "withscores"],
            &["zincrby", "{b}z", "-0", "a"],
            &["zincrby", "{b}z2", "-0", "a"],
            &["zscore", "{b}z2", "a"],
            &["zadd", "{b}z3", "incr", "-0", "a"],
            &["zadd", "{b}w", "-0", "a", "1", &long],
            &["zscore", "{b}w", "a"],
            &["zadd", "{b}k", "-0", &long],
            &["zscore", "{b}k", &long],
            &["zadd", "{b}k", "-0", "a"],
            &["zscore", "{b}k", "a"],
            &["zadd", "{b}x", "1", "a"],
            &["zadd", "{b}x", "-0", &long],
            &["zadd", "{b}x", "-0", "b"],
            &["zscore", "{b}x", "b"],
            &["zadd", "{b}x", "0", "c", "-0", "d"],
            &["zrange", "{b}x", "0", "3", "withscores"],
        ]);
        assert_eq!(r[0], int(1));
        assert_eq!(r[1], bulk("0"));
        assert_eq!(r[4], bulks(&["a", "0", "b", "0", "c", "0"]));
        assert_eq!(r[5], bulk("0"));
        assert_eq!(r[6], bulk("-0"));
        assert_eq!(r[7], bulk("0"));
        assert_eq!(r[8], bulk("-0"));
        assert_eq!(r[9], int(2));
        assert_eq!(r[10], bulk("0"));
        assert_eq!(r[12], bulk("-0"));
        assert_eq!(r[14], bulk("-0"));
        assert_eq!(r[18], bulk("-0"));
        assert_eq!(r[20], bulks(&["b", "-0", "c", "0", "d", "-0", &long, "-0"]));
    }

    // redis 7.0.15:
    //   zadd z 1 a 2 b 3 c 4 d 5 e
    //   zrange z 0 -1 -> a b c d e      zrange z 1 2 withscores -> b 2 c 3    zrange z -2 -1 -> d e
    //   zrange z 3 1 -> *0              zrange z 0 100 -> all
    //   zrange z 0 -1 rev -> e d c b a  zrange z 0 1 rev withscores -> e 5 d 4
    //   zrange z 2 4 byscore -> b c d   zrange z (2 4 byscore -> c d   zrange z 2 (4 byscore -> b c
    //   zrange z (2 (4 byscore withscores -> c 3
    //   zrange z -inf +inf byscore / -inf inf -> all
    //   zrange z 4 2 byscore rev -> d c b    zrange z 2 4 byscore rev -> *0
    //   zrange z +inf -inf byscore rev limit 1 2 -> d c
    //   zrange z -inf +inf byscore limit 1 2 -> b c    limit 1 -1 -> b c d e
    //   limit -1 2 -> *0    limit 10 2 -> *0    limit 0 0 -> *0
    //   zrange z 0 -1 limit 0 1 -> -ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX
    //   zrange z 0 -1 limit 5 -1 -> all five (a count of -1 is "no LIMIT")
    //   zrange z x 1 byscore / 1 x byscore / (x 1 byscore / nan 1 byscore -> -ERR min or max is not a float
    //   zrange z ( 1 byscore -> a    zrange z " 1" 5 byscore -> a..e   zrange z "" 5 byscore -> a..e
    //   zrange z "1 " 5 byscore -> not a float    zrange z 1e400 5 byscore -> *0
    //   zrange z 0 -1 foo -> syntax error   zrange z 0 -1 withscores withscores -> with scores
    //   zrange z x y -> -ERR value is not an integer or out of range
    //   zrange z 0 -1 limit 0 -> syntax error   zrange z 0 -1 byscore limit 0 -> syntax error
    //   zrange z 0 -1 byscore limit x 1 / limit 1 x -> not an integer
    //   zrange z 0 -1 rev rev -> syntax error
    //   zrange z 0 -1 byscore bylex / bylex byscore -> syntax error
    //   zrange z 0 -1 byscore limit 1 1 limit 0 2 -> *0 (min 0 max -1)
    #[test]
    fn zrange_by_rank_and_score() {
        let mut cmds: Vec<Vec<&str>> = vec![vec![
            "zadd", "{b}z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e",
        ]];
        let cases: &[&[&str]] = &[
            &["0", "-1"],
            &["1", "2", "withscores"],
            &["-2", "-1"],
            &["3", "1"],
            &["0", "100"],
            &["0", "-1", "rev"],
            &["0", "1", "rev", "withscores"],
            &["2", "4", "byscore"],
            &["(2", "4", "byscore"],
            &["2", "(4", "byscore"],
            &["(2", "(4", "byscore", "withscores"],
            &["-inf", "+inf", "byscore"],
            &["-inf", "inf", "byscore"],
            &["4", "2", "byscore", "rev"],
            &["2", "4", "byscore", "rev"],
            &["+inf", "-inf", "byscore", "rev", "limit", "1", "2"],
            &["-inf", "+inf", "byscore", "limit", "1", "2"],
            &["-inf", "+inf", "byscore", "limit", "1", "-1"],
            &["-inf", "+inf", "byscore", "limit", "-1", "2"],
            &["-inf", "+inf", "byscore", "limit", "10", "2"],
            &["-inf", "+inf", "byscore", "limit", "0", "0"],
            &["0", "-1", "limit", "0", "1"],
            &["0", "-1", "limit", "5", "-1"],
            &["x", "1", "byscore"],
            &["1", "x", "byscore"],
            &["(x", "1", "byscore"],
            &["nan", "1", "byscore"],
            &["(", "1", "byscore"],
            &[" 1", "5", "byscore"],
            &["", "5", "byscore"],
            &["1 ", "5", "byscore"],
            &["1e400", "5", "byscore"],
            &["0", "-1", "foo"],
            &["0", "-1", "withscores", "withscores"],
            &["x", "y"],
            &["0", "-1", "limit", "0"],
            &["0", "-1", "byscore", "limit", "0"],
            &["0", "-1", "byscore", "limit", "x", "1"],
            &["0", "-1", "byscore", "limit", "1", "x"],
            &["0", "-1", "rev", "rev"],
            &["0", "-1", "byscore", "bylex"],
            &["0", "-1", "bylex", "byscore"],
            &["0", "-1", "byscore", "limit", "1", "1", "limit", "0", "2"],
        ];
        for case in cases {
            let mut words = vec!["zrange", "{b}z"];
            words.extend_from_slice(case);
            cmds.push(words);
        }
        let refs: Vec<&[&str]> = cmds.iter().map(|c| c.as_slice()).collect();
        let r = run(&refs);
        let r = &r[1..];
        let all = bulks(&["a", "b", "c", "d", "e"]);
        let syntax = err("ERR syntax error");
        let not_float = err("ERR min or max is not a float");
        let not_int = err("ERR value is not an integer or out of range");
        let expected = [
            all.clone(),
            bulks(&["b", "2", "c", "3"]),
            bulks(&["d", "e"]),
            empty(),
            all.clone(),
            bulks(&["e", "d", "c", "b", "a"]),
            bulks(&["e", "5", "d", "4"]),
            bulks(&["b", "c", "d"]),
            bulks(&["c", "d"]),
            bulks(&["b", "c"]),
            bulks(&["c", "3"]),
            all.clone(),
            all.clone(),
            bulks(&["d", "c", "b"]),
            empty(),
            bulks(&["d", "c"]),
            bulks(&["b", "c"]),
            bulks(&["b", "c", "d", "e"]),
            empty(),
            empty(),
            empty(),
            err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"),
            all.clone(),
            not_float.clone(),
            not_float.clone(),
            not_float.clone(),
            not_float.clone(),
            bulks(&["a"]),
            all.clone(),
            all.clone(),
            not_float.clone(),
            empty(),
            syntax.clone(),
            bulks(&["a", "1", "b", "2", "c", "3", "d", "4", "e", "5"]),
            not_int.clone(),
            syntax.clone(),
            syntax.clone(),
            not_int.clone(),
            not_int.clone(),
            syntax.clone(),
            syntax.clone(),
            syntax.clone(),
            empty(),
        ];
        assert_eq!(r.len(), expected.len());
        for (i, (got, want)) in r.iter().zip(expected.iter()).enumerate() {
            assert_eq!(got, want, "case {:?}", cases[i]);
        }
    }

    // redis 7.0.15:
    //   zrange z 0 -1 bylex -> -ERR min or max not valid string range item
    //   zrange z - + bylex -> all        zrange z - + bylex withscores -> -ERR syntax error, WITHSCORES not supported in combination with BYLEX
    //   zrange z [a (c bylex -> a b      zrange z a c bylex -> not valid string range item
    //   zrange z (c [a bylex rev -> b a  zrange z + - bylex rev limit 1 2 -> d c
    //   zrange z - + bylex limit 0 -5 -> all   limit -1 2 -> *0   limit 4 10 -> e   limit 5 10 -> *0
    //   zrange z [a [c bylex rev -> *0   zrange z [c [a bylex rev -> c b a
    //   zrange z "" + bylex / "-a" + bylex -> not valid string range item
    //   zrange z + - bylex -> *0   zrange z - (b bylex -> a
    //   zrange z 5 0 byscore rev withscores limit 1 2 -> d 4 c 3
    //   zrange z 0 -1 withscores bylex -> WITHSCORES error
    //   zrange z a b limit 0 1 bylex withscores -> WITHSCORES error
    //   zrange z a b limit 0 1 withscores / zrange z x y limit 0 1 -> LIMIT error
    //   zrange z x y withscores bylex -> WITHSCORES error
    #[test]
    fn zrange_by_lex_and_conflicts() {
        let mut cmds: Vec<Vec<&str>> = vec![vec![
            "zadd", "{b}z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e",
        ]];
        let cases: &[&[&str]] = &[
            &["0", "-1", "bylex"],
            &["-", "+", "bylex"],
            &["-", "+", "bylex", "withscores"],
            &["[a", "(c", "bylex"],
            &["a", "c", "bylex"],
            &["(c", "[a", "bylex", "rev"],
            &["+", "-", "bylex", "rev", "limit", "1", "2"],
            &["-", "+", "bylex", "limit", "0", "-5"],
            &["-", "+", "bylex", "limit", "-1", "2"],
            &["-", "+", "bylex", "limit", "4", "10"],
            &["-", "+", "bylex", "limit", "5", "10"],
            &["[a", "[c", "bylex", "rev"],
            &["[c", "[a", "bylex", "rev"],
            &["", "+", "bylex"],
            &["-a", "+", "bylex"],
            &["+", "-", "bylex"],
            &["-", "(b", "bylex"],
            &["5", "0", "byscore", "rev", "withscores", "limit", "1", "2"],
            &["0", "-1", "withscores", "bylex"],
            &["a", "b", "limit", "0", "1", "bylex", "withscores"],
            &["a", "b", "limit", "0", "1", "withscores"],
            &["x", "y", "limit", "0", "1"],
            &["x", "y", "withscores", "bylex"],
        ];
        for case in cases {
            let mut words = vec!["zrange", "{b}z"];
            words.extend_from_slice(case);
            cmds.push(words);
        }
        let refs: Vec<&[&str]> = cmds.iter().map(|c| c.as_slice()).collect();
        let r = run(&refs);
        let r = &r[1..];
        let all = bulks(&["a", "b", "c", "d", "e"]);
        let bad_lex = err("ERR min or max not valid string range item");
        let ws = err("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        let limit = err(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        );
        let expected = [
            bad_lex.clone(),
            all.clone(),
            ws.clone(),
            bulks(&["a", "b"]),
            bad_lex.clone(),
            bulks(&["b", "a"]),
            bulks(&["d", "c"]),
            all.clone(),
            empty(),
            bulks(&["e"]),
            empty(),
            empty(),
            bulks(&["c", "b", "a"]),
            bad_lex.clone(),
            bad_lex.clone(),
            empty(),
            bulks(&["a"]),
            bulks(&["d", "4", "c", "3"]),
            ws.clone(),
            ws.clone(),
            limit.clone(),
            limit.clone(),
            ws.clone(),
        ];
        assert_eq!(r.len(), expected.len());
        for (i, (got, want)) in r.iter().zip(expected.iter()).enumerate() {
            assert_eq!(got, want, "case {:?}", cases[i]);
        }
    }

    // redis 7.0.15:
    //   zrange nos 0 -1 -> *0   zrange nos x y -> not an integer   zrange nos 0 -1 byscore -> *0
    //   zrange nos - + bylex -> *0   zrange nos a b bylex -> not valid string range item
    //   zrange nos x y byscore -> not a float
    //   zrange s 0 -1 -> WRONGTYPE   zrange s x y -> not an integer   zrange s 0 -1 foo -> syntax error
    //   zrange s a b bylex -> not valid string range item   zrange s x 1 byscore -> not a float
    //   zrevrange z 0 -1 -> e d c b a   zrevrange z 0 1 withscores -> e 5 d 4
    //   zrevrange z 0 -1 rev / byscore -> syntax error
    //   zrevrange z 0 -1 limit 0 1 -> LIMIT error   zrevrange z 0 -1 limit 0 -1 -> e d c b a
    //   zrevrange z x 1 -> not an integer   zrevrange nos 0 -1 -> *0
    //   zrevrange z -2 -1 -> b a   zrevrange z 1 0 -> *0
    //   zrevrange s 0 -1 -> WRONGTYPE   zrevrange s x 1 -> not an integer
    #[test]
    fn missing_and_wrong_type_ranges() {
        let r = run(&[
            WT,
            &[
                "zadd", "{b}z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e",
            ],
            &["zrange", "{b}nos", "0", "-1"],
            &["zrange", "{b}nos", "x", "y"],
            &["zrange", "{b}nos", "0", "-1", "byscore"],
            &["zrange", "{b}nos", "-", "+", "bylex"],
            &["zrange", "{b}nos", "a", "b", "bylex"],
            &["zrange", "{b}nos", "x", "y", "byscore"],
            &["zrange", "{b}s", "0", "-1"],
            &["zrange", "{b}s", "x", "y"],
            &["zrange", "{b}s", "0", "-1", "foo"],
            &["zrange", "{b}s", "a", "b", "bylex"],
            &["zrange", "{b}s", "x", "1", "byscore"],
            &["zrevrange", "{b}z", "0", "-1"],
            &["zrevrange", "{b}z", "0", "1", "withscores"],
            &["zrevrange", "{b}z", "0", "-1", "rev"],
            &["zrevrange", "{b}z", "0", "-1", "byscore"],
            &["zrevrange", "{b}z", "0", "-1", "limit", "0", "1"],
            &["zrevrange", "{b}z", "0", "-1", "limit", "0", "-1"],
            &["zrevrange", "{b}z", "x", "1"],
            &["zrevrange", "{b}nos", "0", "-1"],
            &["zrevrange", "{b}z", "-2", "-1"],
            &["zrevrange", "{b}z", "1", "0"],
            &["zrevrange", "{b}s", "0", "-1"],
            &["zrevrange", "{b}s", "x", "1"],
        ]);
        let not_int = err("ERR value is not an integer or out of range");
        let syntax = err("ERR syntax error");
        assert_eq!(r[2], empty());
        assert_eq!(r[3], not_int);
        assert_eq!(r[4], empty());
        assert_eq!(r[5], empty());
        assert_eq!(r[6], err("ERR min or max not valid string range item"));
        assert_eq!(r[7], err("ERR min or max is not a float"));
        assert_eq!(r[8], wrongtype());
        assert_eq!(r[9], not_int);
        assert_eq!(r[10], syntax);
        assert_eq!(r[11], err("ERR min or max not valid string range item"));
        assert_eq!(r[12], err("ERR min or max is not a float"));
        assert_eq!(r[13], bulks(&["e", "d", "c", "b", "a"]));
        assert_eq!(r[14], bulks(&["e", "5", "d", "4"]));
        assert_eq!(r[15], syntax);
        assert_eq!(r[16], syntax);
        assert_eq!(
            r[17],
            err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
        );
        assert_eq!(r[18], bulks(&["e", "d", "c", "b", "a"]));
        assert_eq!(r[19], not_int);
        assert_eq!(r[20], empty());
        assert_eq!(r[21], bulks(&["b", "a"]));
        assert_eq!(r[22], empty());
        assert_eq!(r[23], wrongtype());
        assert_eq!(r[24], not_int);
    }

    // redis 7.0.15:
    //   zadd z 0x10 a -> :1 (16)   1e400 / -1e400 / 1e-400 / " 1" / "1 " / 1e / 1_0 / "" -> not a valid float
    //   +5 b, .5 c, 5. d, infinity f, -INF g, 0x1p3 h, 1e+2 i, 1E2 j, 2.5e-3 k -> accepted
    //   zrange z 0 -1 withscores -> g -inf k 0.0025000000000000001 c 0.5 b 5 d 5 h 8 a 16 i 100 j 100 f inf
    //   zrange z 0x10 +inf byscore withscores -> a 16 i 100 j 100 f inf
    //   zrange z (infinity +inf byscore -> *0
    //   zrange z "(-inf" "(+inf" byscore -> k c b d h a i j
    //   zrange z "(-1e400" 0 byscore withscores -> *0
    //   zcount z -inf +inf -> :10   zcount z (0.5 5 -> :2   zcount z x 1 -> not a float
    //   zcount s x 1 -> not a float   zcount s 0 1 -> WRONGTYPE   zcount nos x 1 -> not a float   zcount nos 0 1 -> :0
    #[test]
    fn score_parsing_and_zcount() {
        let r = run(&[
            WT,
            &["zadd", "{b}z", "0x10", "a"],
            &["zadd", "{b}z", "1e400", "b"],
            &["zadd", "{b}z", "-1e400", "b"],
            &["zadd", "{b}z", "1e-400", "b"],
            &["zadd", "{b}z", " 1", "b"],
            &["zadd", "{b}z", "1 ", "b"],
            &["zadd", "{b}z", "+5", "b"],
            &["zadd", "{b}z", ".5", "c"],
            &["zadd", "{b}z", "5.", "d"],
            &["zadd", "{b}z", "1e", "e"],
            &["zadd", "{b}z", "infinity", "f"],
            &["zadd", "{b}z", "-INF", "g"],
            &["zadd", "{b}z", "1_0", "h"],
            &["zadd", "{b}z", "", "h"],
            &["zadd", "{b}z", "0x1p3", "h"],
            &["zadd", "{b}z", "1e+2", "i"],
            &["zadd", "{b}z", "1E2", "j"],
            &["zadd", "{b}z", "2.5e-3", "k"],
            &["zrange", "{b}z", "0", "-1", "withscores"],
            &["zrange", "{b}z", "0x10", "+inf", "byscore", "withscores"],
            &["zrange", "{b}z", "(infinity", "+inf", "byscore"],
            &["zrange", "{b}z", "(-inf", "(+inf", "byscore"],
            &["zrange", "{b}z", "(-1e400", "0", "byscore", "withscores"],
            &["zcount", "{b}z", "-inf", "+inf"],
            &["zcount", "{b}z", "(0.5", "5"],
            &["zcount", "{b}z", "x", "1"],
            &["zcount", "{b}s", "x", "1"],
            &["zcount", "{b}s", "0", "1"],
            &["zcount", "{b}nos", "x", "1"],
            &["zcount", "{b}nos", "0", "1"],
        ]);
        let not_float = err("ERR value is not a valid float");
        let one = int(1);
        let expected_adds = [
            &one, &not_float, &not_float, &not_float, &not_float, &not_float, &one, &one, &one,
            &not_float, &one, &one, &not_float, &not_float, &one, &one, &one, &one,
        ];
        for (i, want) in expected_adds.iter().enumerate() {
            assert_eq!(&r[i + 1], *want, "zadd #{i}");
        }
        assert_eq!(
            r[19],
            bulks(&[
                "g",
                "-inf",
                "k",
                "0.0025000000000000001",
                "c",
                "0.5",
                "b",
                "5",
                "d",
                "5",
                "h",
                "8",
                "a",
                "16",
                "i",
                "100",
                "j",
                "100",
                "f",
                "inf"
            ])
        );
        assert_eq!(
            r[20],
            bulks(&["a", "16", "i", "100", "j", "100", "f", "inf"])
        );
        assert_eq!(r[21], empty());
        assert_eq!(r[22], bulks(&["k", "c", "b", "d", "h", "a", "i", "j"]));
        assert_eq!(r[23], empty());
        assert_eq!(r[24], int(10));
        assert_eq!(r[25], int(2));
        let not_min_max = err("ERR min or max is not a float");
        assert_eq!(r[26], not_min_max);
        assert_eq!(r[27], not_min_max);
        assert_eq!(r[28], wrongtype());
        assert_eq!(r[29], not_min_max);
        assert_eq!(r[30], int(0));
    }

    // redis 7.0.15:
    //   zadd z 1 a 2 b 3 c 4 d 5 e
    //   zscore z a -> 1   zscore z zz -> $-1   zscore nos a -> $-1
    //   zrank z a -> :0   zrank z e -> :4   zrank z zz -> $-1   zrank nos a -> $-1
    //   zrank z a withscore -> -ERR wrong number of arguments for 'zrank' command
    //   zcard z -> :5   zcard nos -> :0
    //   zrem z a zz b -> :2   zrem z zz -> :0   zrem nos a -> :0   zcard z -> :3
    //   zrem z c d e -> :3 (key gone)
    //   zscore / zrank / zcard / zrem on the string s -> WRONGTYPE
    #[test]
    fn point_reads_and_zrem() {
        let r = run(&[
            WT,
            &[
                "zadd", "{b}z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e",
            ],
            &["zscore", "{b}z", "a"],
            &["zscore", "{b}z", "zz"],
            &["zscore", "{b}nos", "a"],
            &["zrank", "{b}z", "a"],
            &["zrank", "{b}z", "e"],
            &["zrank", "{b}z", "zz"],
            &["zrank", "{b}nos", "a"],
            &["zrank", "{b}z", "a", "withscore"],
            &["zcard", "{b}z"],
            &["zcard", "{b}nos"],
            &["zrem", "{b}z", "a", "zz", "b"],
            &["zrem", "{b}z", "zz"],
            &["zrem", "{b}nos", "a"],
            &["zcard", "{b}z"],
            &["zrem", "{b}z", "c", "d", "e"],
            &["hset", "{b}z", "f", "v"],
            &["zscore", "{b}s", "a"],
            &["zrank", "{b}s", "a"],
            &["zcard", "{b}s"],
            &["zrem", "{b}s", "a"],
        ]);
        assert_eq!(r[2], bulk("1"));
        assert_eq!(r[3], Reply::NilBulk);
        assert_eq!(r[4], Reply::NilBulk);
        assert_eq!(r[5], int(0));
        assert_eq!(r[6], int(4));
        assert_eq!(r[7], Reply::NilBulk);
        assert_eq!(r[8], Reply::NilBulk);
        assert_eq!(
            r[9],
            err("ERR wrong number of arguments for 'zrank' command")
        );
        assert_eq!(r[10], int(5));
        assert_eq!(r[11], int(0));
        assert_eq!(r[12], int(2));
        assert_eq!(r[13], int(0));
        assert_eq!(r[14], int(0));
        assert_eq!(r[15], int(3));
        assert_eq!(r[16], int(3));
        assert_eq!(r[17], int(1), "the emptied zset was deleted");
        for reply in &r[18..] {
            assert_eq!(reply, &wrongtype());
        }
    }

    #[test]
    fn touches() {
        let r = run_touched(&[
            &["zadd", "{b}z", "1", "a"],
            &["zadd", "{b}z", "1", "a"],
            &["zadd", "{b}z", "nx", "5", "a"],
            &["zadd", "{b}z", "xx", "2", "a"],
            &["zincrby", "{b}z", "0", "a"],
            &["zrem", "{b}z", "zz"],
            &["zadd", "{b}nos", "xx", "1", "a"],
            &["zrem", "{b}z", "a"],
        ]);
        let touched: Vec<usize> = r.iter().map(|(_, t)| t.len()).collect();
        // Signalled only when something was added or updated (or removed).
        assert_eq!(touched, vec![1, 0, 0, 1, 0, 0, 0, 1]);
    }

    // redis 7.0.15 (found by a differential run: the engine overflowed here):
    //   zadd z 1 a 2 b 3 c
    //   zrange z -inf +inf byscore limit 0 -9223372036854775808 -> a b c
    //   zrange z - + bylex limit 1 -9223372036854775808 -> b c
    //   zrange z -inf +inf byscore limit -9223372036854775808 1 -> *0
    //   zrange z -inf +inf byscore limit 9223372036854775807 1 -> *0
    //   zrange z 0 -1 limit 0 9223372036854775808 -> -ERR value is not an integer or out of range
    #[test]
    fn extreme_limits() {
        let r = run(&[
            &["zadd", "{b}z", "1", "a", "2", "b", "3", "c"],
            &[
                "zrange",
                "{b}z",
                "-inf",
                "+inf",
                "byscore",
                "limit",
                "0",
                "-9223372036854775808",
            ],
            &[
                "zrange",
                "{b}z",
                "-",
                "+",
                "bylex",
                "limit",
                "1",
                "-9223372036854775808",
            ],
            &[
                "zrange",
                "{b}z",
                "-inf",
                "+inf",
                "byscore",
                "limit",
                "-9223372036854775808",
                "1",
            ],
            &[
                "zrange",
                "{b}z",
                "-inf",
                "+inf",
                "byscore",
                "limit",
                "9223372036854775807",
                "1",
            ],
            &[
                "zrange",
                "{b}z",
                "0",
                "-1",
                "limit",
                "0",
                "9223372036854775808",
            ],
        ]);
        assert_eq!(r[1], bulks(&["a", "b", "c"]));
        assert_eq!(r[2], bulks(&["b", "c"]));
        assert_eq!(r[3], empty());
        assert_eq!(r[4], empty());
        assert_eq!(r[5], err("ERR value is not an integer or out of range"));
    }

    // redis 7.0.15 (scores and names in different orders: the lex walk
    // follows the score order and stops at the first member out of range):
    //   zadd m 1 c 2 a 3 b -> :3
    //   zrange m [b + bylex -> c a b          zrange m - [a bylex -> *0
    //   zrange m [a [b bylex -> *0            zrange m [b + bylex rev -> *0
    //   zrange m + [b bylex rev -> b          zrange m (a + bylex limit 1 5 -> a b
    //   zrange m [a [c bylex rev -> *0
    //   zrange m 0 -1 limit x 1 -> -ERR value is not an integer or out of range
    //   zrange m 0 -1 limit 0 x withscores bylex -> -ERR value is not an integer or out of range
    //   zcount m 5 1 -> :0   zcount m (1 (1 -> :0   zcount m 1 1 -> :1
    //   zrange m 3 1 byscore -> *0   zrange m 1 1 byscore -> c
    //   zrange m - - bylex / + + bylex / [a [a bylex / (a [a bylex -> *0
    #[test]
    fn lex_walk_follows_score_order() {
        let r = run(&[
            &["zadd", "{b}m", "1", "c", "2", "a", "3", "b"],
            &["zrange", "{b}m", "[b", "+", "bylex"],
            &["zrange", "{b}m", "-", "[a", "bylex"],
            &["zrange", "{b}m", "[a", "[b", "bylex"],
            &["zrange", "{b}m", "[b", "+", "bylex", "rev"],
            &["zrange", "{b}m", "+", "[b", "bylex", "rev"],
            &["zrange", "{b}m", "(a", "+", "bylex", "limit", "1", "5"],
            &["zrange", "{b}m", "[a", "[c", "bylex", "rev"],
            &["zrange", "{b}m", "0", "-1", "limit", "x", "1"],
            &[
                "zrange",
                "{b}m",
                "0",
                "-1",
                "limit",
                "0",
                "x",
                "withscores",
                "bylex",
            ],
            &["zcount", "{b}m", "5", "1"],
            &["zcount", "{b}m", "(1", "(1"],
            &["zcount", "{b}m", "1", "1"],
            &["zrange", "{b}m", "3", "1", "byscore"],
            &["zrange", "{b}m", "1", "1", "byscore"],
            &["zrange", "{b}m", "-", "-", "bylex"],
            &["zrange", "{b}m", "+", "+", "bylex"],
            &["zrange", "{b}m", "[a", "[a", "bylex"],
            &["zrange", "{b}m", "(a", "[a", "bylex"],
        ]);
        let not_int = err("ERR value is not an integer or out of range");
        assert_eq!(r[0], int(3));
        assert_eq!(r[1], bulks(&["c", "a", "b"]));
        assert_eq!(r[2], empty());
        assert_eq!(r[3], empty());
        assert_eq!(r[4], empty());
        assert_eq!(r[5], bulks(&["b"]));
        assert_eq!(r[6], bulks(&["a", "b"]));
        assert_eq!(r[7], empty());
        assert_eq!(r[8], not_int);
        assert_eq!(r[9], not_int);
        assert_eq!(r[10], int(0));
        assert_eq!(r[11], int(0));
        assert_eq!(r[12], int(1));
        assert_eq!(r[13], empty());
        assert_eq!(r[14], bulks(&["c"]));
        for reply in &r[15..] {
            assert_eq!(reply, &empty());
        }
    }
}
