#![cfg(not(target_arch = "wasm32"))]
//! One test per branch of `getNodeByQuery` as ported in `engine::router`,
//! driven through `Cluster::execute`. Expected texts are the ones a real
//! Redis 7.0.15 cluster answered (see `tests/goldens/` and the spec's
//! recorded transcripts); slot migrations are set up directly on the
//! topology because SETSLOT arrives with resharding.

use slotlab::engine::event::{Event, RejectKind};
use slotlab::engine::slot::key_slot;
use slotlab::engine::{Cluster, Reply};

fn argv(words: &[&str]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.as_bytes().to_vec()).collect()
}

fn run(cluster: &mut Cluster, conn: u64, words: &[&str]) -> Reply {
    cluster.execute(conn, &argv(words), 1_000).reply
}

fn err(reply: &Reply) -> &str {
    reply.error_text().unwrap_or("<not an error>")
}

/// Keys on another master get MOVED with the slot and owner's address.
#[test]
fn moved_to_owner() {
    let mut c = Cluster::default();
    let conn = c.connect(7000).unwrap();
    assert_eq!(
        err(&run(&mut c, conn, &["GET", "foo"])),
        "MOVED 12182 127.0.0.1:7002"
    );
    assert_eq!(
        err(&run(&mut c, conn, &["TYPE", "c"])),
        "MOVED 7365 127.0.0.1:7001"
    );
}

/// CROSSSLOT is decided before MOVED, even when every slot is local or all
/// keys live on one other node; a repeated key is one slot.
#[test]
fn crossslot_before_moved() {
    let mut c = Cluster::default();
    let conn = c.connect(7000).unwrap();
    let cross = "CROSSSLOT Keys in request don't hash to the same slot";
    assert_eq!(err(&run(&mut c, conn, &["MGET", "bar", "b"])), cross);
    assert_eq!(
        err(&run(&mut c, conn, &["MSET", "a", "1", "foo", "2"])),
        cross
    );
    assert_eq!(err(&run(&mut c, conn, &["MSET", "foo", "1", "a"])), cross);
    assert_eq!(
        err(&run(&mut c, conn, &["MGET", "{foo}a", "{foo}b"])),
        "MOVED 12182 127.0.0.1:7002"
    );
    let out = c.execute(conn, &argv(&["MGET", "bar", "b"]), 0);
    assert!(out.events.iter().any(|e| matches!(
        e,
        Event::Rejected {
            kind: RejectKind::CrossSlot,
            disagreeing: Some(1),
            ..
        }
    )));
}

/// Unknown commands and arity errors come before routing.
#[test]
fn lookup_errors_before_routing() {
    let mut c = Cluster::default();
    let conn = c.connect(7000).unwrap();
    assert_eq!(
        err(&run(&mut c, conn, &["FOOBAR", "foo"])),
        "ERR unknown command 'FOOBAR', with args beginning with: 'foo' "
    );
    assert_eq!(
        err(&run(&mut c, conn, &["GET", "foo", "x"])),
        "ERR wrong number of arguments for 'get' command"
    );
}

/// Keyless commands are served by whichever node receives them.
#[test]
fn keyless_served_locally() {
    let mut c = Cluster::default();
    let conn = c.connect(7002).unwrap();
    assert_eq!(
        run(&mut c, conn, &["CLUSTER", "KEYSLOT", "bar"]),
        Reply::Integer(5061)
    );
}

/// A slot with no owner: `CLUSTERDOWN Hash slot not served`; with full
/// coverage required, every other keyed command gets `The cluster is down`.
#[test]
fn unbound_slot_and_cluster_down() {
    let mut c = Cluster::default();
    c.topology.set_owner(key_slot(b"{w}x"), None);
    let conn = c.connect(7000).unwrap();
    assert_eq!(
        err(&run(&mut c, conn, &["GET", "{w}x"])),
        "CLUSTERDOWN Hash slot not served"
    );
    assert_eq!(
        err(&run(&mut c, conn, &["GET", "foo"])),
        "CLUSTERDOWN The cluster is down"
    );
    run(
        &mut c,
        conn,
        &["CONFIG", "SET", "cluster-allow-reads-when-down", "yes"],
    );
    assert_eq!(
        err(&run(&mut c, conn, &["GET", "foo"])),
        "MOVED 12182 127.0.0.1:7002"
    );
    assert_eq!(
        run(&mut c, conn, &["TYPE", "bar"]),
        Reply::Status("none".into())
    );
    assert_eq!(
        err(&run(&mut c, conn, &["DEL", "bar"])),
        "CLUSTERDOWN The cluster is down and only accepts read commands"
    );
    run(
        &mut c,
        conn,
        &["CONFIG", "SET", "cluster-require-full-coverage", "no"],
    );
    run(
        &mut c,
        conn,
        &["CONFIG", "SET", "cluster-allow-reads-when-down", "no"],
    );
    assert_eq!(
        err(&run(&mut c, conn, &["GET", "foo"])),
        "MOVED 12182 127.0.0.1:7002"
    );
}

/// Migrating source: missing keys → ASK, some missing of several → TRYAGAIN.
/// Importing target: MOVED without ASKING; ASKING is one-shot.
#[test]
fn migration_ask_tryagain_asking() {
    let mut c = Cluster::default();
    let slot = key_slot(b"{w}a");
    assert_eq!(slot, 3696);
    c.topology.nodes[0].migrating.insert(slot, 1);
    c.topology.nodes[1].importing.insert(slot, 0);
    let source = c.connect(7000).unwrap();
    let target = c.connect(7001).unwrap();
    assert_eq!(
        err(&run(&mut c, source, &["GET", "{w}new"])),
        "ASK 3696 127.0.0.1:7001"
    );
    assert_eq!(
        run(&mut c, source, &["SET", "{w}a", "1"]).error_text(),
        Some("ASK 3696 127.0.0.1:7001")
    );
    assert_eq!(
        err(&run(&mut c, target, &["GET", "{w}a"])),
        "MOVED 3696 127.0.0.1:7000"
    );
    assert_eq!(run(&mut c, target, &["ASKING"]), Reply::ok());
    assert_eq!(run(&mut c, target, &["GET", "{w}a"]), Reply::NilBulk);
    assert_eq!(
        err(&run(&mut c, target, &["GET", "{w}a"])),
        "MOVED 3696 127.0.0.1:7000"
    );
    run(&mut c, target, &["ASKING"]);
    assert_eq!(
        err(&run(&mut c, target, &["MGET", "{w}a", "{w}b"])),
        "TRYAGAIN Multiple keys request during rehashing of slot"
    );
}

/// READONLY on a replica serves reads of its master's slots; writes and
/// other slots are MOVED; READWRITE restores MOVED.
#[test]
fn readonly_replica() {
    let mut c = Cluster::default();
    let conn = c.connect(7003).unwrap();
    assert_eq!(
        err(&run(&mut c, conn, &["TYPE", "bar"])),
        "MOVED 5061 127.0.0.1:7000"
    );
    assert_eq!(run(&mut c, conn, &["READONLY"]), Reply::ok());
    assert_eq!(
        run(&mut c, conn, &["TYPE", "bar"]),
        Reply::Status("none".into())
    );
    assert_eq!(
        err(&run(&mut c, conn, &["DEL", "bar"])),
        "MOVED 5061 127.0.0.1:7000"
    );
    assert_eq!(
        err(&run(&mut c, conn, &["TYPE", "foo"])),
        "MOVED 12182 127.0.0.1:7002"
    );
    assert_eq!(run(&mut c, conn, &["READWRITE"]), Reply::ok());
    assert_eq!(
        err(&run(&mut c, conn, &["TYPE", "bar"])),
        "MOVED 5061 127.0.0.1:7000"
    );
}
