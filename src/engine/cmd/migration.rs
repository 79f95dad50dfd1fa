//! Moving slots and keys between shards, and changing roles:
//! CLUSTER SETSLOT, ADDSLOTS, ADDSLOTSRANGE, DELSLOTS, DELSLOTSRANGE,
//! FAILOVER, and MIGRATE.
//!
//! These change the cluster layout or touch two shards at once, so the
//! executor dispatches them here ([`dispatch`]) with the whole [`Cluster`]
//! instead of running a one-shard handler. Replies and errors are those of
//! Redis 7.0.15 (`clusterCommand`, `migrateCommand`), checked one by one
//! against a real cluster.
//!
//! The slot table is global (one for the whole cluster, see the README's
//! "What is simplified"): SETSLOT NODE, ADDSLOTS and DELSLOTS sent to one
//! node act as if every node had received them, which is what a real
//! cluster converges to through gossip in the common cases. Where a real
//! 7.0 cluster would then delete the keys of a slot its old owner lost
//! (a "dirty slot"), so does the engine.

use crate::engine::cluster::{Cluster, ConnId};
use crate::engine::cmd::args::{int, is};
use crate::engine::command::flags::*;
use crate::engine::command::{not_dispatched, CommandSpec, KeySpec};
use crate::engine::error::RedisError;
use crate::engine::event::Event;
use crate::engine::failover::{FailoverMode, MigrateSocket, MIGRATE_SOCKET_TTL_MS};
use crate::engine::keyspace::Entry;
use crate::engine::reply::Reply;
use crate::engine::router::{self, ClientFlags, RouteContext};
use crate::engine::slot::{key_slot, SLOT_COUNT};
use crate::engine::topology::{NodeIdx, Role};
use crate::engine::value::{parse_strict_i64, StrEncoding, Value};

const fn admin(name: &'static str, arity: i32) -> CommandSpec {
    CommandSpec {
        name,
        arity,
        flags: ADMIN | STALE,
        keys: KeySpec::None,
        handler: not_dispatched,
    }
}

/// The commands of this module (all dispatched by [`dispatch`]).
pub static COMMANDS: &[CommandSpec] = &[
    admin("cluster|setslot", -4),
    admin("cluster|addslots", -3),
    admin("cluster|addslotsrange", -4),
    admin("cluster|delslots", -3),
    admin("cluster|delslotsrange", -4),
    admin("cluster|failover", -2),
    CommandSpec {
        name: "migrate",
        arity: -6,
        flags: WRITE,
        keys: KeySpec::Custom(migrate_keys),
        handler: not_dispatched,
    },
];

/// RESTORE-ASKING as the MIGRATE target routes it (a write of one key, with
/// the ASKING flag): only used to route, never looked up by name.
static RESTORE_ASKING: CommandSpec = CommandSpec {
    name: "restore-asking",
    arity: -4,
    flags: WRITE | DENYOOM,
    keys: KeySpec::Range {
        first: 1,
        last: 1,
        step: 1,
    },
    handler: not_dispatched,
};

/// MIGRATE's keys (`migrateGetKeys`): `key`, or after `KEYS` when `key` is empty.
fn migrate_keys(argv: &[Vec<u8>]) -> Vec<usize> {
    if argv.len() > 6 && argv.get(3).is_some_and(|k| k.is_empty()) {
        if let Some(i) = (6..argv.len()).find(|&i| is(&argv[i], "keys")) {
            return (i + 1..argv.len()).collect();
        }
    }
    vec![3]
}

/// Runs `spec` here if it is one of this module's commands.
pub(crate) fn dispatch(
    cluster: &mut Cluster,
    conn: ConnId,
    me: NodeIdx,
    spec: &CommandSpec,
    argv: &[Vec<u8>],
    now_ms: u64,
    events: &mut Vec<Event>,
) -> Option<Reply> {
    let result = match spec.name {
        "cluster|setslot" => setslot(cluster, me, argv, events),
        "cluster|addslots" => slots_cmd(cluster, me, argv, false, false, events),
        "cluster|delslots" => slots_cmd(cluster, me, argv, true, false, events),
        "cluster|addslotsrange" => slots_cmd(cluster, me, argv, false, true, events),
        "cluster|delslotsrange" => slots_cmd(cluster, me, argv, true, true, events),
        "cluster|failover" => failover(cluster, me, argv, events),
        "migrate" => migrate(cluster, conn, me, argv, now_ms, events),
        _ => return None,
    };
    Some(result.unwrap_or_else(Reply::from))
}

/// `getSlotOrReply`: a slot number or `ERR Invalid or out of range slot`.
fn slot_arg(arg: &[u8]) -> Result<u16, RedisError> {
    match parse_strict_i64(arg) {
        Some(n) if (0..i64::from(SLOT_COUNT)).contains(&n) => Ok(n as u16),
        _ => Err(RedisError::InvalidSlot),
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn port(cluster: &Cluster, node: NodeIdx) -> u16 {
    cluster.topology.nodes[node].port
}

/// A master known by id, or `not_found`.
fn master_by_id(
    cluster: &Cluster,
    id: &[u8],
    not_found: RedisError,
) -> Result<NodeIdx, RedisError> {
    let node = cluster.topology.by_id(id).ok_or(not_found)?;
    if !cluster.topology.nodes[node].is_master() {
        return Err(RedisError::TargetNotMaster);
    }
    Ok(node)
}

/// Contiguous ranges of a sorted slot list.
fn to_ranges(slots: impl IntoIterator<Item = u16>) -> Vec<(u16, u16)> {
    let mut ranges: Vec<(u16, u16)> = Vec::new();
    for slot in slots {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == slot => *end = slot,
            _ => ranges.push((slot, slot)),
        }
    }
    ranges
}

/// Drops the migrating/importing marks `node` has on `slot`, reporting it.
fn clear_marks(
    cluster: &mut Cluster,
    node: NodeIdx,
    slot: u16,
    migrating: bool,
    importing: bool,
    events: &mut Vec<Event>,
) {
    let n = &mut cluster.topology.nodes[node];
    let mut changed = false;
    if migrating {
        changed |= n.migrating.remove(&slot).is_some();
    }
    if importing {
        changed |= n.importing.remove(&slot).is_some();
    }
    if changed {
        events.push(Event::SlotStable { port: n.port, slot });
    }
}

/// Deletes the keys `owner` still holds in `slot`: what a 7.0 node does when
/// gossip tells it another node now serves a slot it has keys in.
fn drop_dirty_slot(cluster: &mut Cluster, owner: NodeIdx, slot: u16, events: &mut Vec<Event>) {
    let keys: Vec<Vec<u8>> = cluster.shards[owner].keys_in_slot(slot).cloned().collect();
    if keys.is_empty() {
        return;
    }
    for key in &keys {
        cluster.shards[owner].remove(key);
        cluster.signal_modified(None, owner, key, events);
    }
    events.push(Event::KeysDropped {
        port: port(cluster, owner),
        slot,
        count: keys.len(),
    });
}

/// Changes a running node's migration marks or a slot's owner.
///
/// # Format
/// ```text
/// CLUSTER SETSLOT slot <IMPORTING node-id | MIGRATING node-id | NODE node-id | STABLE>
/// ```
fn setslot(
    cluster: &mut Cluster,
    me: NodeIdx,
    argv: &[Vec<u8>],
    events: &mut Vec<Event>,
) -> Result<Reply, RedisError> {
    if !cluster.topology.nodes[me].is_master() {
        return Err(RedisError::SetSlotOnReplica);
    }
    let slot = slot_arg(&argv[2])?;
    let action = argv[3].to_ascii_lowercase();
    let owner = cluster.topology.owner(slot);
    match (action.as_slice(), argv.len()) {
        (b"migrating", 5) => {
            if owner != Some(me) {
                return Err(RedisError::NotSlotOwner { slot });
            }
            let to = master_by_id(
                cluster,
                &argv[4],
                RedisError::DontKnowNode {
                    id: lossy(&argv[4]),
                },
            )?;
            cluster.topology.nodes[me].migrating.insert(slot, to);
            events.push(Event::SlotMigrating {
                port: port(cluster, me),
                slot,
                to: port(cluster, to),
            });
        }
        (b"importing", 5) => {
            if owner == Some(me) {
                return Err(RedisError::AlreadySlotOwner { slot });
            }
            let from = master_by_id(
                cluster,
                &argv[4],
                RedisError::DontKnowNode {
                    id: lossy(&argv[4]),
                },
            )?;
            cluster.topology.nodes[me].importing.insert(slot, from);
            events.push(Event::SlotImporting {
                port: port(cluster, me),
                slot,
                from: port(cluster, from),
            });
        }
        (b"stable", 4) => clear_marks(cluster, me, slot, true, true, events),
        (b"node", 5) => {
            let to = master_by_id(
                cluster,
                &argv[4],
                RedisError::UnknownNode {
                    id: lossy(&argv[4]),
                },
            )?;
            setslot_node(cluster, me, slot, to, events)?;
        }
        _ => return Err(RedisError::SetSlotSyntax),
    }
    Ok(Reply::ok())
}

/// `CLUSTER SETSLOT <slot> NODE <id>` on `me`, made global.
fn setslot_node(
    cluster: &mut Cluster,
    me: NodeIdx,
    slot: u16,
    to: NodeIdx,
    events: &mut Vec<Event>,
) -> Result<(), RedisError> {
    let owner = cluster.topology.owner(slot);
    let my_keys = cluster.shards[me].count_in_slot(slot);
    if owner == Some(me) && to != me && my_keys != 0 {
        return Err(RedisError::SlotStillHasKeys { slot });
    }
    if my_keys == 0 {
        clear_marks(cluster, me, slot, true, false, events);
    }
    // The old owner learns through gossip and drops what it still holds.
    if let Some(old) = owner {
        if old != me && old != to && !cluster.topology.nodes[old].importing.contains_key(&slot) {
            drop_dirty_slot(cluster, old, slot, events);
        }
    }
    if owner != Some(to) {
        cluster.topology.set_owner(slot, Some(to));
        events.push(Event::SlotsAssigned {
            ranges: vec![(slot, slot)],
            to: Some(port(cluster, to)),
        });
    }
    // A master left without slots becomes a replica of the new owner (at
    // once when it is `me`, through gossip otherwise), and its replicas follow.
    if let Some(old) = owner {
        if old != to
            && cluster.topology.nodes[old].is_master()
            && cluster.topology.slot_count(old) == 0
            && cluster.configs[old].allow_replica_migration()
        {
            cluster.become_replica(old, to, events);
        }
    }
    if to == me {
        clear_marks(cluster, me, slot, false, true, events);
    }
    Ok(())
}

/// Assigns slots to the node (ADD) or unassigns them (DEL), everywhere.
/// Sent to a replica, ADDSLOTS only changes that replica's private view in
/// a real cluster, which the global slot table has no place for: it
/// answers OK and changes nothing.
///
/// # Format
/// ```text
/// CLUSTER ADDSLOTS slot [slot ...]
/// CLUSTER DELSLOTS slot [slot ...]
/// CLUSTER ADDSLOTSRANGE start-slot end-slot [start-slot end-slot ...]
/// CLUSTER DELSLOTSRANGE start-slot end-slot [start-slot end-slot ...]
/// ```
fn slots_cmd(
    cluster: &mut Cluster,
    me: NodeIdx,
    argv: &[Vec<u8>],
    del: bool,
    ranges: bool,
    events: &mut Vec<Event>,
) -> Result<Reply, RedisError> {
    let mut chosen = vec![0u8; usize::from(SLOT_COUNT)];
    let topology = &cluster.topology;
    let mut check = |slot: u16| -> Result<(), RedisError> {
        let assigned = topology.owner(slot).is_some();
        if del && !assigned {
            return Err(RedisError::SlotUnassigned { slot });
        }
        if !del && assigned {
            return Err(RedisError::SlotBusy { slot });
        }
        let seen = &mut chosen[usize::from(slot)];
        *seen += 1;
        if *seen == 2 {
            return Err(RedisError::SlotRepeated { slot });
        }
        Ok(())
    };
    if ranges {
        if argv.len() % 2 == 1 {
            return Err(RedisError::WrongArity {
                name: "cluster|".to_string() + &lossy(&argv[1]).to_ascii_lowercase(),
            });
        }
        for pair in argv[2..].chunks(2) {
            let start = slot_arg(&pair[0])?;
            let end = slot_arg(&pair[1])?;
            if start > end {
                return Err(RedisError::SlotRangeReversed { start, end });
            }
            for slot in start..=end {
                check(slot)?;
            }
        }
    } else {
        let slots = argv[2..]
            .iter()
            .map(|a| slot_arg(a))
            .collect::<Result<Vec<u16>, _>>()?;
        for slot in slots {
            check(slot)?;
        }
    }
    let slots: Vec<u16> = (0..SLOT_COUNT)
        .filter(|&s| chosen[usize::from(s)] > 0)
        .collect();
    let is_master = cluster.topology.nodes[me].is_master();
    if !del && !is_master {
        return Ok(Reply::ok());
    }
    for &slot in &slots {
        clear_marks(cluster, me, slot, false, true, events);
        cluster
            .topology
            .set_owner(slot, if del { None } else { Some(me) });
    }
    events.push(Event::SlotsAssigned {
        ranges: to_ranges(slots),
        to: (!del).then(|| port(cluster, me)),
    });
    Ok(Reply::ok())
}

/// Promotes the replica it is sent to: its master's slots move to it, and
/// the old master (if running) and the other replicas replicate it.
///
/// # Format
/// ```text
/// CLUSTER FAILOVER [FORCE|TAKEOVER]
/// ```
fn failover(
    cluster: &mut Cluster,
    me: NodeIdx,
    argv: &[Vec<u8>],
    events: &mut Vec<Event>,
) -> Result<Reply, RedisError> {
    if argv.len() > 3 {
        return Err(RedisError::SubcommandSyntax {
            sub: lossy(&argv[1]),
            container: "CLUSTER".into(),
        });
    }
    let mode = match argv.get(2) {
        None => FailoverMode::Default,
        Some(a) if is(a, "force") => FailoverMode::Force,
        Some(a) if is(a, "takeover") => FailoverMode::Takeover,
        Some(_) => return Err(RedisError::Syntax),
    };
    let Role::Replica { of: master } = cluster.topology.nodes[me].role else {
        return Err(RedisError::FailoverOnMaster);
    };
    let health = cluster.topology.nodes[master].health;
    if mode == FailoverMode::Default && (health.failed() || !health.running()) {
        return Err(RedisError::FailoverMasterDown);
    }
    cluster.manual_failover(me, mode, events);
    Ok(Reply::ok())
}

/// Where MIGRATE's `host port` leads.
enum Target {
    /// A node of the cluster (running or not).
    Node(NodeIdx),
    /// Resolves, but nothing of the cluster listens there.
    Nothing,
    /// Does not resolve (`getaddrinfo` fails).
    Unresolvable,
}

/// C's `atoi`: optional spaces and sign, then digits up to the first non-digit.
fn atoi(arg: &[u8]) -> i64 {
    let text = arg
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .copied()
        .collect::<Vec<u8>>();
    let (sign, digits) = match text.first() {
        Some(b'-') => (-1, &text[1..]),
        Some(b'+') => (1, &text[1..]),
        _ => (1, &text[..]),
    };
    let mut value: i64 = 0;
    for &b in digits.iter().take_while(|b| b.is_ascii_digit()) {
        value = value.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    sign * value
}

fn resolve(cluster: &Cluster, host: &[u8], port_arg: &[u8]) -> Target {
    let host = String::from_utf8_lossy(host);
    let resolvable = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok();
    let port = atoi(port_arg);
    if !resolvable || port < 0 {
        return Target::Unresolvable;
    }
    // The nodes listen on 127.0.0.1 only.
    if host != "localhost" && host != crate::engine::topology::HOST {
        return Target::Nothing;
    }
    match u16::try_from(port)
        .ok()
        .and_then(|p| cluster.topology.by_port(p))
    {
        Some(node) => Target::Node(node),
        None => Target::Nothing,
    }
}

/// The value a RESTORE on the target creates: RESTORE passes strings
/// through `tryObjectEncoding`, so they come back `int`, `embstr` or `raw`
/// as after SET (seen on redis 7.0.15: `12345678901` and `2147483648` stay
/// `int`, an APPENDed 6-byte `raw` string comes back `embstr`).
fn restored(entry: &Entry) -> Value {
    match &entry.value {
        Value::Str { bytes, .. } => Value::Str {
            bytes: bytes.clone(),
            enc: StrEncoding::Auto,
        },
        other => other.clone(),
    }
}

/// Moves (or copies) keys to another node, which stores them with
/// RESTORE-ASKING: the target accepts them when it serves or imports the slot.
///
/// # Format
/// ```text
/// MIGRATE host port <key | ""> destination-db timeout [COPY] [REPLACE]
///     [AUTH password | AUTH2 username password] [KEYS key [key ...]]
/// ```
fn migrate(
    cluster: &mut Cluster,
    conn: ConnId,
    me: NodeIdx,
    argv: &[Vec<u8>],
    now_ms: u64,
    events: &mut Vec<Event>,
) -> Result<Reply, RedisError> {
    let (mut copy, mut replace) = (false, false);
    let mut auth: Option<(Option<&[u8]>, &[u8])> = None;
    let mut keys: Vec<&[u8]> = vec![&argv[3]];
    let mut j = 6;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let arg = &argv[j];
        if is(arg, "copy") {
            copy = true;
        } else if is(arg, "replace") {
            replace = true;
        } else if is(arg, "auth") {
            if more < 1 {
                return Err(RedisError::Syntax);
            }
            j += 1;
            auth = Some((None, &argv[j]));
        } else if is(arg, "auth2") {
            if more < 2 {
                return Err(RedisError::Syntax);
            }
            auth = Some((Some(&argv[j + 1]), &argv[j + 2]));
            j += 2;
        } else if is(arg, "keys") {
            if !argv[3].is_empty() {
                return Err(RedisError::MigrateKeysNeedEmptyKey);
            }
            keys = argv[j + 1..].iter().map(Vec::as_slice).collect();
            break;
        } else {
            return Err(RedisError::Syntax);
        }
        j += 1;
    }
    int(&argv[5])?; // the timeout: only its syntax matters here
    let dbid = int(&argv[4])?;

    let shard = cluster.topology.master_of(me);
    let payloads: Vec<(Vec<u8>, Entry)> = keys
        .iter()
        .filter_map(|k| {
            cluster.shards[shard]
                .get(k)
                .map(|e| (k.to_vec(), e.clone()))
        })
        .collect();
    if payloads.is_empty() {
        return Ok(Reply::Status("NOKEY".into()));
    }

    let mut name = argv[1].clone();
    name.push(b':');
    name.extend_from_slice(&argv[2]);
    let cache_key = (me, name);
    let target = match resolve(cluster, &argv[1], &argv[2]) {
        Target::Unresolvable => return Err(RedisError::MigrateConnect),
        Target::Nothing => {
            cluster.runtime.migrate_sockets.remove(&cache_key);
            return Err(RedisError::MigrateIo { writing: true });
        }
        Target::Node(t) if !cluster.topology.nodes[t].health.running() => {
            cluster.runtime.migrate_sockets.remove(&cache_key);
            return Err(RedisError::MigrateIo { writing: true });
        }
        // The node waits for its own reply: the read times out.
        Target::Node(t) if t == me => return Err(RedisError::MigrateIo { writing: false }),
        Target::Node(t) => t,
    };

    // MIGRATE's socket cache remembers the db it last selected (10 s).
    let last_dbid = match cluster.runtime.migrate_sockets.get(&cache_key) {
        Some(s) if now_ms.saturating_sub(s.last_use_ms) <= MIGRATE_SOCKET_TTL_MS => s.last_dbid,
        _ => -1,
    };
    let auth_error = match auth {
        Some((Some(user), _)) if user == b"default" => None,
        Some((Some(_), _)) => Some(RedisError::WrongPass),
        Some((None, _)) => Some(RedisError::AuthWithoutPassword),
        None => None,
    };
    let select_error = if last_dbid == dbid {
        None
    } else if i32::try_from(dbid).is_err() {
        Some(RedisError::OutOfRangeBetween {
            min: i64::from(i32::MIN),
            max: i64::from(i32::MAX),
        })
    } else if dbid != 0 {
        Some(RedisError::SelectInCluster)
    } else {
        None
    };

    let target_shard = cluster.topology.master_of(target);
    // An AUTH or SELECT error fails every key, but the RESTOREs still run
    // on the target (in db 0): the keys are copied, not moved.
    let mut first_error: Option<String> = auth_error.or(select_error).map(|e| e.to_string());
    let header_failed = first_error.is_some();
    let from_port = port(cluster, me);
    let to_port = port(cluster, target);
    for (key, entry) in payloads {
        let restore_argv = [b"RESTORE-ASKING".to_vec(), key.clone()];
        let verdict = {
            let rctx = RouteContext {
                topology: &cluster.topology,
                config: &cluster.configs[target],
                cluster_ok: cluster.is_ok(target),
                me: target,
                local: cluster.keyspace_of(target),
            };
            router::route(
                &rctx,
                &[(&RESTORE_ASKING, &restore_argv[..])],
                ClientFlags {
                    asking: true,
                    readonly: false,
                },
            )
        };
        let restore_error = match verdict.result {
            Err(rejection) => Some(rejection.to_error(&cluster.topology).to_string()),
            Ok(()) if cluster.shards[target_shard].contains(&key) && !replace => {
                Some(RedisError::BusyKey.to_string())
            }
            Ok(()) => {
                // RESTORE ... REPLACE deletes, then adds: the key becomes the
                // newest of its slot.
                cluster.shards[target_shard].remove(&key);
                cluster.shards[target_shard].insert(&key, restored(&entry), entry.expires_at);
                cluster.signal_modified(Some(conn), target_shard, &key, events);
                None
            }
        };
        let failed = header_failed || restore_error.is_some();
        if restore_error.is_none() {
            events.push(Event::KeyMigrated {
                from: from_port,
                to: to_port,
                key: lossy(&key),
                slot: key_slot(&key),
                copy: copy || failed,
            });
        }
        if failed {
            first_error = first_error.or(restore_error);
        } else if !copy && cluster.shards[shard].remove(&key).is_some() {
            cluster.signal_modified(Some(conn), shard, &key, events);
        }
    }
    let (last_dbid, reply) = match first_error {
        Some(error) => (-1, Err(RedisError::MigrateTargetError { error })),
        None => (dbid, Ok(Reply::ok())),
    };
    cluster.runtime.migrate_sockets.insert(
        cache_key,
        MigrateSocket {
            last_dbid,
            last_use_ms: now_ms,
        },
    );
    reply
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use crate::engine::cli::split_args;
    use crate::engine::cluster::{Cluster, ConnId};
    use crate::engine::reply::Reply;

    /// A cluster with one long-lived connection per port (like one
    /// `redis-cli -p PORT` session each) and a clock.
    pub(crate) struct T {
        pub c: Cluster,
        pub now: u64,
        conns: BTreeMap<u16, ConnId>,
    }

    impl T {
        pub fn new() -> T {
            T {
                c: Cluster::default(),
                now: 1_000_000,
                conns: BTreeMap::new(),
            }
        }

        /// Runs a redis-cli line on the session of `port`; `$0`..`$5` stand
        /// for the ids of 7000..7005.
        pub fn on(&mut self, port: u16, line: &str) -> Reply {
            let line = self.ids(line);
            let conn = match self.conns.get(&port) {
                Some(&c) if self.c.connection(c).is_some() => c,
                _ => {
                    let c = self.c.connect(port).expect("node is running");
                    self.conns.insert(port, c);
                    c
                }
            };
            let argv = split_args(line.as_bytes()).expect("valid line");
            self.c.execute(conn, &argv, self.now).reply
        }

        pub fn ids(&self, line: &str) -> String {
            let mut line = line.to_string();
            for (i, port) in (7000..=7005).enumerate() {
                let id = &self.c.topology.nodes[self.c.topology.by_port(port).unwrap()].id;
                line = line.replace(&format!("${i}"), id);
            }
            line
        }

        pub fn err(&mut self, port: u16, line: &str) -> String {
            match self.on(port, line) {
                Reply::Error(e) => e,
                other => panic!("{port}> {line}: expected an error, got {other:?}"),
            }
        }

        pub fn ok(&mut self, port: u16, line: &str) {
            assert_eq!(self.on(port, line), Reply::ok(), "{port}> {line}");
        }
    }

    fn bulk(s: &str) -> Reply {
        Reply::bulk(s)
    }

    /// Found by tests/properties.rs (reshard property): RESTORE passes
    /// strings through tryObjectEncoding. Seen on two redis 7.0.15 servers:
    /// after MIGRATE, `12345678901` and `2147483648` are still `int`, `v1`
    /// `embstr`, and an APPENDed (raw) `abcdef` comes back `embstr`.
    #[test]
    fn migrated_strings_are_encoded_like_set() {
        let mut t = T::new();
        // {w}… keys are in slot 3696, served by 7000.
        t.ok(7000, "set {w}n 12345678901");
        t.ok(7000, "set {w}m 2147483648");
        t.ok(7000, "set {w}k v1");
        t.ok(7000, "set {w}r abc");
        assert_eq!(t.on(7000, "append {w}r def"), Reply::Integer(6));
        assert_eq!(t.on(7000, "object encoding {w}r"), bulk("raw"));
        t.ok(7001, "cluster setslot 3696 importing $0");
        t.ok(7000, "cluster setslot 3696 migrating $1");
        t.ok(
            7000,
            "migrate 127.0.0.1 7001 \"\" 0 5000 keys {w}n {w}m {w}k {w}r",
        );
        for (key, enc) in [("n", "int"), ("m", "int"), ("k", "embstr"), ("r", "embstr")] {
            t.ok(7001, "asking");
            assert_eq!(
                t.on(7001, &format!("object encoding {{w}}{key}")),
                bulk(enc),
                "{key}"
            );
        }
    }

    // Every text below was answered by a real 7.0.15 cluster (ports 7400-7405).
    #[test]
    fn setslot_errors() {
        let mut t = T::new();
        assert_eq!(
            t.err(7000, "cluster setslot 1"),
            "ERR wrong number of arguments for 'cluster|setslot' command"
        );
        let syntax = "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP";
        for line in [
            "cluster setslot 1 foo",
            "cluster setslot 1 stable extra",
            "cluster setslot 1 migrating",
            "cluster setslot 1 bogus x",
            "cluster setslot 1 node",
            "cluster setslot 1 node $1 extra",
        ] {
            assert_eq!(t.err(7000, line), syntax, "{line}");
        }
        for slot in ["16384", "-1", "abc", "007"] {
            assert_eq!(
                t.err(7000, &format!("cluster setslot {slot} stable")),
                "ERR Invalid or out of range slot"
            );
        }
        t.ok(7000, "cluster setslot 1 STABLE");
        assert_eq!(
            t.err(7000, "cluster setslot 6000 migrating $1"),
            "ERR I'm not the owner of hash slot 6000"
        );
        assert_eq!(
            t.err(7000, "cluster setslot 1 migrating nosuchnode"),
            "ERR I don't know about node nosuchnode"
        );
        assert_eq!(
            t.err(7000, "cluster setslot 1 migrating $3"),
            "ERR Target node is not a master"
        );
        assert_eq!(
            t.err(7000, "cluster setslot 1 importing $1"),
            "ERR I'm already the owner of hash slot 1"
        );
        assert_eq!(
            t.err(7000, "cluster setslot 6000 importing nosuch"),
            "ERR I don't know about node nosuch"
        );
        assert_eq!(
            t.err(7000, "cluster setslot 6000 importing $4"),
            "ERR Target node is not a master"
        );
        assert_eq!(
            t.err(7000, "cluster setslot 1 node nosuch"),
            "ERR Unknown node nosuch"
        );
        assert_eq!(
            t.err(7000, "cluster setslot 1 node $3"),
            "ERR Target node is not a master"
        );
        // Ids are case-sensitive and complete.
        let upper = t.ids("$1").to_ascii_uppercase();
        assert_eq!(
            t.err(7000, &format!("cluster setslot 6000 importing {upper}")),
            format!("ERR I don't know about node {upper}")
        );
        let short = t.ids("$1")[..20].to_string();
        assert_eq!(
            t.err(7000, &format!("cluster setslot 1 node {short}")),
            format!("ERR Unknown node {short}")
        );
        for line in ["cluster setslot 1 stable", "cluster setslot 99999 stable"] {
            assert_eq!(
                t.err(7003, line),
                "ERR Please use SETSLOT only with masters."
            );
        }
        // Importing from / migrating to itself is accepted in 7.0.15.
        t.ok(7000, "cluster setslot 6000 importing $0");
        t.ok(7000, "cluster setslot 6000 stable");
        t.ok(7000, "cluster setslot 3696 migrating $0");
        t.ok(7000, "cluster setslot 3696 stable");
        t.ok(7000, "set {w}a 1");
        assert_eq!(
            t.err(7000, "cluster setslot 3696 node $1"),
            "ERR Can't assign hashslot 3696 to a different node while I still hold keys for this hash slot."
        );
        t.ok(7000, "cluster setslot 3696 node $0");
    }

    #[test]
    fn migration_walkthrough() {
        let mut t = T::new();
        t.ok(7000, "set {w}a 1");
        t.ok(7000, "set {w}b 2");
        t.ok(7001, "cluster setslot 3696 importing $0");
        t.ok(7000, "cluster setslot 3696 migrating $1");
        let Reply::Bulk(nodes) = t.on(7000, "cluster nodes") else {
            panic!()
        };
        let mark = t.ids(" [3696->-$1]\n");
        assert!(String::from_utf8(nodes).unwrap().contains(&mark));
        let Reply::Bulk(nodes) = t.on(7001, "cluster nodes") else {
            panic!()
        };
        let mark = t.ids(" [3696-<-$0]\n");
        assert!(String::from_utf8(nodes).unwrap().contains(&mark));
        assert_eq!(
            t.on(7000, "migrate 127.0.0.1 7001 {w}nokey 0 5000"),
            Reply::Status("NOKEY".into())
        );
        t.ok(7000, "migrate 127.0.0.1 7001 {w}b 0 5000");
        assert_eq!(t.err(7000, "get {w}b"), "ASK 3696 127.0.0.1:7001");
        assert_eq!(t.err(7000, "set {w}new x"), "ASK 3696 127.0.0.1:7001");
        assert_eq!(t.on(7000, "get {w}a"), bulk("1"));
        assert_eq!(
            t.err(7000, "mget {w}a {w}b"),
            "TRYAGAIN Multiple keys request during rehashing of slot"
        );
        assert_eq!(t.err(7000, "mget {w}x {w}b"), "ASK 3696 127.0.0.1:7001");
        assert_eq!(t.err(7001, "get {w}b"), "MOVED 3696 127.0.0.1:7000");
        t.ok(7001, "asking");
        assert_eq!(t.on(7001, "get {w}b"), bulk("2"));
        assert_eq!(t.err(7001, "get {w}b"), "MOVED 3696 127.0.0.1:7000");
        t.ok(7001, "asking");
        assert_eq!(
            t.err(7001, "mget {w}b {w}a"),
            "TRYAGAIN Multiple keys request during rehashing of slot"
        );
        // A key the target already has: BUSYKEY, then REPLACE.
        t.ok(7000, "migrate 127.0.0.1 7001 {w}a 0 5000 COPY");
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 {w}a 0 5000"),
            "ERR Target instance replied with error: BUSYKEY Target key name already exists."
        );
        t.ok(7000, "migrate 127.0.0.1 7001 {w}a 0 5000 REPLACE");
        assert_eq!(
            t.on(7000, "cluster countkeysinslot 3696"),
            Reply::Integer(0)
        );
        assert_eq!(
            t.on(7001, "cluster countkeysinslot 3696"),
            Reply::Integer(2)
        );
        // Finish: the slot now belongs to 7001.
        t.ok(7001, "cluster setslot 3696 node $1");
        t.ok(7000, "cluster setslot 3696 node $1");
        assert_eq!(t.err(7000, "get {w}a"), "MOVED 3696 127.0.0.1:7001");
        assert_eq!(t.on(7001, "get {w}a"), bulk("1"));
        let Reply::Bulk(nodes) = t.on(7000, "cluster nodes") else {
            panic!()
        };
        assert!(!String::from_utf8(nodes).unwrap().contains('['));
    }

    #[test]
    fn stable_strands_migrated_keys() {
        let mut t = T::new();
        t.ok(7000, "set {w}a 1");
        t.ok(7001, "cluster setslot 3696 importing $0");
        t.ok(7000, "cluster setslot 3696 migrating $1");
        t.ok(7000, "migrate 127.0.0.1 7001 {w}a 0 5000");
        t.ok(7000, "cluster setslot 3696 stable");
        t.ok(7001, "cluster setslot 3696 stable");
        assert_eq!(t.on(7000, "get {w}a"), Reply::NilBulk);
        assert_eq!(t.err(7001, "get {w}a"), "MOVED 3696 127.0.0.1:7000");
        t.ok(7001, "asking");
        assert_eq!(t.err(7001, "get {w}a"), "MOVED 3696 127.0.0.1:7000");
        assert_eq!(
            t.on(7001, "cluster countkeysinslot 3696"),
            Reply::Integer(1)
        );
    }

    #[test]
    fn migrate_errors() {
        let mut t = T::new();
        t.ok(7000, "set {w}a 1");
        let syntax = "ERR syntax error";
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 {w}a 0 5000 BADOPT"),
            syntax
        );
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 {w}a 0 5000 AUTH"),
            syntax
        );
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 {w}a 0 5000 AUTH2 u"),
            syntax
        );
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 {w}a 0 5000 KEYS {w}a"),
            "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string"
        );
        let not_int = "ERR value is not an integer or out of range";
        assert_eq!(t.err(7000, "migrate 127.0.0.1 7001 {w}a x 5000"), not_int);
        assert_eq!(t.err(7000, "migrate 127.0.0.1 7001 {w}a 0 x"), not_int);
        assert_eq!(
            t.err(
                7000,
                "migrate 127.0.0.1 7001 {w}a 99999999999999999999 5000"
            ),
            not_int
        );
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 {w}a 0"),
            "ERR wrong number of arguments for 'migrate' command"
        );
        // Nothing to move: NOKEY before connecting anywhere.
        for line in [
            "migrate 127.0.0.1 7001 \"\" 0 5000",
            "migrate 127.0.0.1 7001 \"\" 0 5000 KEYS",
            "migrate 127.0.0.1 7001 \"\" 0 5000 KEYS bar",
            "migrate 127.0.0.1 7409 bar 0 5000",
        ] {
            assert_eq!(t.on(7000, line), Reply::Status("NOKEY".into()), "{line}");
        }
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 \"\" 0 5000 KEYS bar b"),
            "CROSSSLOT Keys in request don't hash to the same slot"
        );
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 \"\" 0 5000 KEYS foo"),
            "MOVED 12182 127.0.0.1:7002"
        );
        let writing = "IOERR error or timeout writing to target instance";
        for target in [
            "127.0.0.1 7409",
            "127.0.0.1 x",
            "127.0.0.1 99999",
            "127.0.0.1 0",
            "::1 7001",
        ] {
            assert_eq!(
                t.err(7000, &format!("migrate {target} {{w}}a 0 5000")),
                writing,
                "{target}"
            );
        }
        let connecting = "IOERR error or timeout connecting to the client";
        for target in ["127.0.0.1 -1", "nosuchhost.invalid 7001", "\"\" 7001"] {
            assert_eq!(
                t.err(7000, &format!("migrate {target} {{w}}a 0 5000")),
                connecting,
                "{target}"
            );
        }
        // To itself: it waits for its own reply.
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7000 {w}a 0 5000 REPLACE"),
            "IOERR error or timeout reading to target instance"
        );
        // The target neither serves nor imports the slot.
        for target in ["7001", "7003", "7002"] {
            assert_eq!(
                t.err(7000, &format!("migrate 127.0.0.1 {target} {{w}}a 0 5000")),
                "ERR Target instance replied with error: MOVED 3696 127.0.0.1:7000"
            );
        }
        assert_eq!(t.on(7000, "get {w}a"), bulk("1"));
    }

    #[test]
    fn migrate_auth_select_and_socket_cache() {
        let mut t = T::new();
        t.ok(7000, "set bar 1");
        t.ok(7001, "cluster setslot 5061 importing $0");
        t.ok(7000, "cluster setslot 5061 migrating $1");
        t.ok(7000, "migrate localhost 7001 bar 0 5000 COPY");
        // AUTH2 default ... is accepted by a server without a password.
        assert_eq!(
            t.err(
                7000,
                "migrate 127.0.0.1 7001 bar 0 5000 COPY AUTH2 default xyz"
            ),
            "ERR Target instance replied with error: BUSYKEY Target key name already exists."
        );
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 bar 0 5000 COPY REPLACE AUTH xyz"),
            "ERR Target instance replied with error: ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
        );
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 bar 0 5000 COPY REPLACE AUTH2 u p"),
            "ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled."
        );
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 bar 4294967296 5000 COPY REPLACE"),
            "ERR Target instance replied with error: ERR value is out of range, value must between -2147483648 and 2147483647"
        );
        t.ok(7000, "migrate 127.0.0.1 7001 bar 0 5000 COPY REPLACE");
        // The cached connection has db 0 selected: -1 now needs a SELECT.
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 bar -1 5000 COPY REPLACE"),
            "ERR Target instance replied with error: ERR SELECT is not allowed in cluster mode"
        );
        // After an error the cache forgets the db: -1 needs no SELECT.
        t.ok(7000, "migrate 127.0.0.1 7001 bar -1 5000 COPY REPLACE");
        // A SELECT error still lets the RESTORE through, and keeps the source key.
        t.ok(7001, "asking");
        assert_eq!(t.on(7001, "del bar"), Reply::Integer(1));
        assert_eq!(
            t.err(7000, "migrate 127.0.0.1 7001 bar 1 5000"),
            "ERR Target instance replied with error: ERR SELECT is not allowed in cluster mode"
        );
        assert_eq!(t.on(7000, "get bar"), bulk("1"));
        t.ok(7001, "asking");
        assert_eq!(t.on(7001, "get bar"), bulk("1"));
    }

    #[test]
    fn migrate_keys_form_keeps_going_after_busykey() {
        let mut t = T::new();
        t.ok(7000, "set {w}a 1 px 100000");
        t.ok(7000, "set {w}b 2");
        assert_eq!(t.on(7000, "rpush {w}l x y"), Reply::Integer(2));
        t.ok(7001, "cluster setslot 3696 importing $0");
        t.ok(7000, "cluster setslot 3696 migrating $1");
        t.ok(7000, "migrate 127.0.0.1 7001 {w}a 0 5000 COPY");
        t.ok(7001, "asking");
        // The expiry travels with the key (real: 99948 ms left after a few ms).
        let Reply::Integer(pttl) = t.on(7001, "pttl {w}a") else {
            panic!()
        };
        assert!(pttl > 99_000 && pttl <= 100_000);
        assert_eq!(
            t.err(
                7000,
                "migrate 127.0.0.1 7001 \"\" 0 5000 KEYS {w}b {w}a {w}l {w}zz"
            ),
            "ERR Target instance replied with error: BUSYKEY Target key name already exists."
        );
        assert_eq!(
            t.err(7000, "exists {w}a {w}b {w}l"),
            "TRYAGAIN Multiple keys request during rehashing of slot"
        );
        t.ok(
            7000,
            "migrate 127.0.0.1 7001 \"\" 0 5000 REPLACE KEYS {w}a {w}b",
        );
        assert_eq!(
            t.err(7000, "exists {w}a {w}b {w}l"),
            "ASK 3696 127.0.0.1:7001"
        );
        t.ok(7001, "asking");
        assert_eq!(t.on(7001, "object encoding {w}l"), bulk("quicklist"));
    }

    #[test]
    fn add_and_del_slots() {
        let mut t = T::new();
        assert_eq!(
            t.err(7001, "cluster addslots 6000"),
            "ERR Slot 6000 is already busy"
        );
        assert_eq!(
            t.err(7001, "cluster addslots 16384"),
            "ERR Invalid or out of range slot"
        );
        assert_eq!(
            t.err(7001, "cluster addslots x"),
            "ERR Invalid or out of range slot"
        );
        assert_eq!(
            t.err(7001, "cluster delslots 6000 6000"),
            "ERR Slot 6000 specified multiple times"
        );
        assert_eq!(
            t.err(7001, "cluster delslots 6000 16384"),
            "ERR Invalid or out of range slot"
        );
        t.ok(7001, "cluster delslots 6000 6001");
        assert_eq!(
            t.err(7001, "cluster delslots 6000"),
            "ERR Slot 6000 is already unassigned"
        );
        assert_eq!(
            t.err(7001, "cluster addslots 6000 6000"),
            "ERR Slot 6000 specified multiple times"
        );
        t.ok(7001, "cluster addslots 6000 6001");
        assert_eq!(
            t.err(7001, "cluster addslots 6001 6000"),
            "ERR Slot 6001 is already busy"
        );
        for line in [
            "cluster delslotsrange 6000",
            "cluster delslotsrange 6000 6001 6002",
        ] {
            assert_eq!(
                t.err(7001, line),
                "ERR wrong number of arguments for 'cluster|delslotsrange' command"
            );
        }
        assert_eq!(
            t.err(7001, "cluster delslotsrange 6005 6002"),
            "ERR start slot number 6005 is greater than end slot number 6002"
        );
        t.ok(7001, "cluster delslotsrange 6000 6001");
        assert_eq!(
            t.err(7001, "cluster delslotsrange 6002 6003 6003 6004"),
            "ERR Slot 6003 specified multiple times"
        );
        for line in [
            "cluster addslotsrange 6000 6004 6003 6005",
            "cluster addslotsrange 6000 6004 x 6005",
            "cluster addslotsrange 6000 6004",
        ] {
            assert_eq!(t.err(7001, line), "ERR Slot 6002 is already busy", "{line}");
        }
        let Reply::Bulk(info) = t.on(7001, "cluster info") else {
            panic!()
        };
        assert!(info.starts_with(b"cluster_state:fail\r\ncluster_slots_assigned:16382\r\n"));
        t.ok(7001, "cluster addslotsrange 6000 6001");
        let Reply::Bulk(info) = t.on(7003, "cluster info") else {
            panic!()
        };
        assert!(info.starts_with(b"cluster_state:ok\r\ncluster_slots_assigned:16384\r\n"));
    }

    #[test]
    fn cluster_down() {
        let mut t = T::new();
        t.ok(7000, "set bar 1");
        t.ok(7002, "set foo 1");
        t.ok(7000, "cluster delslots 3696");
        assert_eq!(t.err(7000, "get bar"), "CLUSTERDOWN The cluster is down");
        assert_eq!(t.err(7000, "get foo"), "CLUSTERDOWN The cluster is down");
        assert_eq!(t.err(7000, "get {w}a"), "CLUSTERDOWN Hash slot not served");
        assert_eq!(t.on(7000, "ping"), Reply::Status("PONG".into()));
        t.ok(7000, "config set cluster-allow-reads-when-down yes");
        assert_eq!(t.on(7000, "get bar"), bulk("1"));
        assert_eq!(t.err(7000, "get foo"), "MOVED 12182 127.0.0.1:7002");
        assert_eq!(
            t.err(7000, "set bar 2"),
            "CLUSTERDOWN The cluster is down and only accepts read commands"
        );
        t.ok(7000, "config set cluster-require-full-coverage no");
        t.ok(7000, "set bar 2");
        assert_eq!(t.err(7000, "get {w}a"), "CLUSTERDOWN Hash slot not served");
    }

    // Seen on 7.0.15: the state is recomputed at once when it is fail (or
    // the layout changes), not when the setting turns it back on.
    #[test]
    fn full_coverage_toggle_is_lazy() {
        let mut t = T::new();
        t.ok(7000, "set bar 1");
        t.ok(7000, "cluster delslots 3696");
        assert_eq!(t.err(7000, "get bar"), "CLUSTERDOWN The cluster is down");
        t.ok(7000, "config set cluster-require-full-coverage no");
        assert_eq!(t.on(7000, "get bar"), bulk("1"));
        t.ok(7000, "config set cluster-require-full-coverage yes");
        assert_eq!(t.on(7000, "get bar"), bulk("1"));
        t.ok(7000, "cluster delslots 3697");
        assert_eq!(t.err(7000, "get bar"), "CLUSTERDOWN The cluster is down");
    }

    #[test]
    fn failover_errors_and_swap() {
        let mut t = T::new();
        t.ok(7000, "set bar 1");
        for line in ["cluster failover", "cluster failover force"] {
            assert_eq!(
                t.err(7000, line),
                "ERR You should send CLUSTER FAILOVER to a replica"
            );
        }
        assert_eq!(t.err(7003, "cluster failover bogus"), "ERR syntax error");
        assert_eq!(
            t.err(7003, "CLUSTER FAILOVER Force Extra"),
            "ERR unknown subcommand or wrong number of arguments for 'FAILOVER'. Try CLUSTER HELP."
        );
        assert_eq!(
            t.err(7003, "cluster Failover force extra"),
            "ERR unknown subcommand or wrong number of arguments for 'Failover'. Try CLUSTER HELP."
        );
        t.ok(7003, "CLUSTER FAILOVER");
        assert_eq!(t.err(7000, "get bar"), "MOVED 5061 127.0.0.1:7003");
        assert_eq!(t.on(7003, "get bar"), bulk("1"));
        let Reply::Bulk(nodes) = t.on(7001, "cluster nodes") else {
            panic!()
        };
        let nodes = String::from_utf8(nodes).unwrap();
        let line = |port: u16| {
            nodes
                .lines()
                .find(|l| l.contains(&format!(":{port}@")))
                .unwrap()
                .to_string()
        };
        assert!(line(7003).contains(" master - ") && line(7003).ends_with(" 0-5460"));
        assert!(line(7000).contains(&t.ids(" slave $3 ")));
        // And back.
        t.ok(7000, "cluster failover");
        assert_eq!(t.err(7003, "get bar"), "MOVED 5061 127.0.0.1:7000");
    }
}
