//! CLUSTER introspection: KEYSLOT, SLOTS, SHARDS, NODES, INFO, MYID,
//! COUNTKEYSINSLOT, GETKEYSINSLOT and HELP, answered from the topology as
//! the node the command is sent to sees it.
//!
//! Values that differ between any two real clusters (epochs, timestamps,
//! message counters, replication offsets) are filled with plausible
//! constants; replay comparisons leave those replies out.

use crate::engine::cmd::args::int;
use crate::engine::command::flags::*;
use crate::engine::command::{not_dispatched, spec, CommandSpec, Ctx, KeySpec};
use crate::engine::error::RedisError;
use crate::engine::reply::Reply;
use crate::engine::slot::{key_slot, SLOT_COUNT};
use crate::engine::topology::{NodeIdx, Role, Topology, HOST};

/// An entry without keys.
const fn sub(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::engine::command::Handler,
) -> CommandSpec {
    spec(name, arity, flags, KeySpec::None, handler)
}

/// CLUSTER and its introspection subcommands.
pub static COMMANDS: &[CommandSpec] = &[
    sub("cluster", -2, CONTAINER, not_dispatched),
    sub("cluster|keyslot", 3, STALE, keyslot),
    sub("cluster|slots", 2, LOADING | STALE, slots),
    sub("cluster|shards", 2, LOADING | STALE, shards),
    sub("cluster|nodes", 2, LOADING | STALE, nodes),
    sub("cluster|info", 2, LOADING | STALE, info),
    sub("cluster|myid", 2, LOADING | STALE, myid),
    sub("cluster|countkeysinslot", 3, STALE, countkeysinslot),
    sub("cluster|getkeysinslot", 4, STALE, getkeysinslot),
    sub("cluster|help", 2, LOADING | STALE, help),
];

/// The configuration epoch shown for a node: its master's position + 1
/// (what `redis-cli --cluster create` assigns to a fresh cluster).
fn config_epoch(topology: &Topology, node: NodeIdx) -> usize {
    topology.master_of(node) + 1
}

/// # Format
/// ```text
/// CLUSTER KEYSLOT key
/// ```
fn keyslot(_: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::Integer(i64::from(key_slot(&argv[2]))))
}

fn node_entry(topology: &Topology, node: NodeIdx) -> Reply {
    let n = &topology.nodes[node];
    Reply::Array(vec![
        Reply::bulk(HOST),
        Reply::Integer(i64::from(n.port)),
        Reply::bulk(&n.id),
        Reply::Array(vec![]),
    ])
}

/// Every contiguous slot range with its master, then its replicas.
///
/// # Format
/// ```text
/// CLUSTER SLOTS
/// ```
fn slots(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let topology = ctx.topology;
    let mut ranges: Vec<(u16, u16, NodeIdx)> = topology
        .masters()
        .flat_map(|m| {
            topology
                .ranges_of(m)
                .into_iter()
                .map(move |(a, b)| (a, b, m))
        })
        .collect();
    ranges.sort_unstable();
    Ok(Reply::Array(
        ranges
            .into_iter()
            .map(|(start, end, master)| {
                let mut entry = vec![
                    Reply::Integer(i64::from(start)),
                    Reply::Integer(i64::from(end)),
                    node_entry(topology, master),
                ];
                entry.extend(
                    topology
                        .replicas_of(master)
                        .filter(|&r| !topology.nodes[r].health.failed())
                        .map(|r| node_entry(topology, r)),
                );
                Reply::Array(entry)
            })
            .collect(),
    ))
}

/// Each shard: its slot ranges and its nodes' details.
///
/// # Format
/// ```text
/// CLUSTER SHARDS
/// ```
fn shards(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let topology = ctx.topology;
    let describe = |node: NodeIdx| {
        let n = &topology.nodes[node];
        Reply::Array(vec![
            Reply::bulk("id"),
            Reply::bulk(&n.id),
            Reply::bulk("port"),
            Reply::Integer(i64::from(n.port)),
            Reply::bulk("ip"),
            Reply::bulk(HOST),
            Reply::bulk("endpoint"),
            Reply::bulk(HOST),
            Reply::bulk("role"),
            Reply::bulk(if n.is_master() { "master" } else { "replica" }),
            Reply::bulk("replication-offset"),
            Reply::Integer(0),
            Reply::bulk("health"),
            Reply::bulk(if n.health.failed() { "fail" } else { "online" }),
        ])
    };
    Ok(Reply::Array(
        topology
            .masters()
            .map(|m| {
                let slots = topology
                    .ranges_of(m)
                    .into_iter()
                    .flat_map(|(a, b)| [Reply::Integer(i64::from(a)), Reply::Integer(i64::from(b))])
                    .collect();
                let members = std::iter::once(m)
                    .chain(topology.replicas_of(m))
                    .map(describe)
                    .collect();
                Reply::Array(vec![
                    Reply::bulk("slots"),
                    Reply::Array(slots),
                    Reply::bulk("nodes"),
                    Reply::Array(members),
                ])
            })
            .collect(),
    ))
}

/// One line per node: id, address, flags, master, ping/pong times, epoch,
/// link state, slots (with `[slot->-id]` / `[slot-<-id]` migration marks on
/// the node's own line).
///
/// # Format
/// ```text
/// CLUSTER NODES
/// ```
fn nodes(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let topology = ctx.topology;
    let pong_ms = ctx.now_ms / 1000 * 1000;
    let mut out = String::new();
    for (i, n) in topology.nodes.iter().enumerate() {
        let role = if n.is_master() { "master" } else { "slave" };
        let mut flags = if i == ctx.node {
            format!("myself,{role}")
        } else {
            role.to_string()
        };
        if let Some(flag) = n.health.flag() {
            flags.push(',');
            flags.push_str(flag);
        }
        let link = if n.health.running() {
            "connected"
        } else {
            "disconnected"
        };
        let master = match n.role {
            Role::Master => "-".to_string(),
            Role::Replica { of } => topology.nodes[of].id.clone(),
        };
        out.push_str(&format!(
            "{} {HOST}:{}@{} {flags} {master} 0 {pong_ms} {} {link}",
            n.id,
            n.port,
            u32::from(n.port) + 10000,
            config_epoch(topology, i)
        ));
        for (a, b) in topology.ranges_of(i) {
            if a == b {
                out.push_str(&format!(" {a}"));
            } else {
                out.push_str(&format!(" {a}-{b}"));
            }
        }
        if i == ctx.node {
            // In slot order; a slot both migrating and importing shows as migrating.
            let mut marks: Vec<(u16, String)> = n
                .migrating
                .iter()
                .map(|(slot, to)| (*slot, format!(" [{slot}->-{}]", topology.nodes[*to].id)))
                .collect();
            marks.extend(
                n.importing
                    .iter()
                    .filter(|(slot, _)| !n.migrating.contains_key(slot))
                    .map(|(slot, from)| {
                        (*slot, format!(" [{slot}-<-{}]", topology.nodes[*from].id))
                    }),
            );
            marks.sort();
            for (_, mark) in marks {
                out.push_str(&mark);
            }
        }
        out.push('\n');
    }
    Ok(Reply::Bulk(out.into_bytes()))
}

/// The cluster state as this node sees it.
///
/// # Format
/// ```text
/// CLUSTER INFO
/// ```
fn info(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let topology = ctx.topology;
    let ok = crate::engine::cluster::cluster_ok(topology, ctx.config, ctx.node);
    let assigned = topology.assigned_slots();
    let size = topology
        .masters()
        .filter(|&m| topology.slot_count(m) > 0)
        .count();
    let (mut pfail, mut fail) = (0, 0);
    for slot in 0..SLOT_COUNT {
        if let Some(owner) = topology.owner(slot) {
            let h = &topology.nodes[owner].health;
            if h.failed() {
                fail += 1;
            } else if h.pfail() {
                pfail += 1;
            }
        }
    }
    let lines = [
        format!("cluster_state:{}", if ok { "ok" } else { "fail" }),
        format!("cluster_slots_assigned:{assigned}"),
        format!("cluster_slots_ok:{}", assigned - pfail - fail),
        format!("cluster_slots_pfail:{pfail}"),
        format!("cluster_slots_fail:{fail}"),
        format!("cluster_known_nodes:{}", topology.nodes.len()),
        format!("cluster_size:{size}"),
        format!("cluster_current_epoch:{}", topology.nodes.len()),
        format!("cluster_my_epoch:{}", config_epoch(topology, ctx.node)),
        "cluster_stats_messages_ping_sent:0".into(),
        "cluster_stats_messages_pong_sent:0".into(),
        "cluster_stats_messages_sent:0".into(),
        "cluster_stats_messages_ping_received:0".into(),
        "cluster_stats_messages_pong_received:0".into(),
        "cluster_stats_messages_received:0".into(),
        "total_cluster_links_buffer_limit_exceeded:0".into(),
    ];
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    Ok(Reply::Bulk(text.into_bytes()))
}

/// # Format
/// ```text
/// CLUSTER MYID
/// ```
fn myid(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::bulk(&ctx.topology.nodes[ctx.node].id))
}

fn slot_arg(arg: &[u8]) -> Result<i64, RedisError> {
    int(arg)
}

/// Keys in a slot on THIS node only (0 for a slot served elsewhere).
///
/// # Format
/// ```text
/// CLUSTER COUNTKEYSINSLOT slot
/// ```
fn countkeysinslot(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let slot = slot_arg(&argv[2])?;
    if !(0..i64::from(SLOT_COUNT)).contains(&slot) {
        return Err(RedisError::InvalidSlotPlain);
    }
    Ok(Reply::Integer(ctx.db.count_in_slot(slot as u16) as i64))
}

/// Up to `count` keys of a slot on THIS node.
///
/// # Format
/// ```text
/// CLUSTER GETKEYSINSLOT slot count
/// ```
fn getkeysinslot(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let slot = slot_arg(&argv[2])?;
    let count = int(&argv[3])?;
    if !(0..i64::from(SLOT_COUNT)).contains(&slot) || count < 0 {
        return Err(RedisError::InvalidSlotOrNumberOfKeys);
    }
    Ok(Reply::bulks(
        ctx.db.keys_in_slot(slot as u16).take(count as usize),
    ))
}

/// The help text of Redis 7.0.15, verbatim (recorded from `CLUSTER HELP`).
const CLUSTER_HELP: &str = include_str!("cluster_help.txt");

/// # Format
/// ```text
/// CLUSTER HELP
/// ```
fn help(_: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::Array(
        CLUSTER_HELP
            .lines()
            .map(|line| Reply::Status(line.to_string()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::engine::{Cluster, Reply};

    fn run(cluster: &mut Cluster, port: u16, words: &[&str]) -> Reply {
        let conn = cluster.connect(port).unwrap();
        let argv: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
        cluster.execute(conn, &argv, 0).reply
    }

    // Expectations answered by a real Redis 7.0.15 cluster.
    #[test]
    fn introspection() {
        let mut c = Cluster::default();
        assert_eq!(
            run(&mut c, 7000, &["CLUSTER", "KEYSLOT", "foo"]),
            Reply::Integer(12182)
        );
        assert_eq!(
            run(&mut c, 7000, &["CLUSTER", "KEYSLOT", ""]),
            Reply::Integer(0)
        );
        assert_eq!(
            run(&mut c, 7000, &["CLUSTER", "COUNTKEYSINSLOT", "16384"]).error_text(),
            Some("ERR Invalid slot")
        );
        assert_eq!(
            run(&mut c, 7000, &["CLUSTER", "COUNTKEYSINSLOT", "007"]).error_text(),
            Some("ERR value is not an integer or out of range")
        );
        assert_eq!(
            run(&mut c, 7000, &["CLUSTER", "GETKEYSINSLOT", "1", "-1"]).error_text(),
            Some("ERR Invalid slot or number of keys")
        );
        assert_eq!(
            run(&mut c, 7000, &["CLUSTER", "KEYSLOT"]).error_text(),
            Some("ERR wrong number of arguments for 'cluster|keyslot' command")
        );
        assert_eq!(
            run(&mut c, 7000, &["CLUSTER", "foo"]).error_text(),
            Some("ERR unknown subcommand 'foo'. Try CLUSTER HELP.")
        );
        assert_eq!(
            run(&mut c, 7000, &["CLUSTER"]).error_text(),
            Some("ERR wrong number of arguments for 'cluster' command")
        );
        let slots = run(&mut c, 7000, &["CLUSTER", "SLOTS"]);
        let text = slots.to_cli(&[b"cluster".to_vec(), b"slots".to_vec()]);
        assert!(text.starts_with("1) 1) (integer) 0\n   2) (integer) 5460\n   3) 1) \"127.0.0.1\"\n      2) (integer) 7000\n"));
        assert!(text
            .contains("      4) (empty array)\n   4) 1) \"127.0.0.1\"\n      2) (integer) 7003\n"));
        let Reply::Bulk(info) = run(&mut c, 7000, &["CLUSTER", "INFO"]) else {
            panic!()
        };
        assert!(info.starts_with(b"cluster_state:ok\r\ncluster_slots_assigned:16384\r\n"));
        assert!(info.ends_with(b"total_cluster_links_buffer_limit_exceeded:0\r\n"));
        let Reply::Bulk(nodes) = run(&mut c, 7003, &["CLUSTER", "NODES"]) else {
            panic!()
        };
        let nodes = String::from_utf8(nodes).unwrap();
        assert!(nodes.contains(" 127.0.0.1:7003@17003 myself,slave "));
        assert!(nodes.contains(" 127.0.0.1:7000@17000 master - 0 "));
        assert!(nodes.ends_with(" connected 10923-16383\n") || nodes.ends_with(" connected\n"));
    }
}
