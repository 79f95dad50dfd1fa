#![cfg(not(target_arch = "wasm32"))]
//! Transactions and WATCH on the engine: the cases a recorded scenario
//! cannot express (time passing, events) — the rest is in the goldens
//! (`tests/scenarios/transactions.jsonl`).

use slotlab::engine::event::Event;
use slotlab::engine::{Cluster, Reply};

fn argv(words: &[&str]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.as_bytes().to_vec()).collect()
}

fn run_at(cluster: &mut Cluster, conn: u64, now_ms: u64, words: &[&str]) -> Reply {
    cluster.execute(conn, &argv(words), now_ms).reply
}

/// A watched key that expires before EXEC makes EXEC return a null array
/// (multi.c: `isWatchedKeyExpired` / expiry touching the key).
#[test]
fn expired_watched_key_aborts_exec() {
    let mut c = Cluster::default();
    let a = c.connect(7000).unwrap();
    assert_eq!(
        run_at(&mut c, a, 1_000, &["SET", "bar", "1", "PX", "100"]),
        Reply::ok()
    );
    assert_eq!(run_at(&mut c, a, 1_010, &["WATCH", "bar"]), Reply::ok());
    assert_eq!(run_at(&mut c, a, 1_020, &["MULTI"]), Reply::ok());
    assert_eq!(
        run_at(&mut c, a, 1_030, &["SET", "bar", "2"]),
        Reply::Status("QUEUED".into())
    );
    assert_eq!(run_at(&mut c, a, 2_000, &["EXEC"]), Reply::NilArray);
    assert_eq!(
        run_at(&mut c, a, 2_001, &["EXISTS", "bar"]),
        Reply::Integer(0)
    );
}

/// The event stream names who touched a watched key and the EXEC verdict.
#[test]
fn events_describe_the_race() {
    let mut c = Cluster::default();
    let a = c.connect(7000).unwrap();
    let b = c.connect(7000).unwrap();
    run_at(&mut c, a, 0, &["WATCH", "bar"]);
    let touched = c.execute(b, &argv(&["SET", "bar", "x"]), 0).events;
    assert!(touched.contains(&Event::WatchTouched {
        watcher: a,
        by: Some(b),
        key: "bar".into()
    }));
    run_at(&mut c, a, 0, &["MULTI"]);
    let queued = c.execute(a, &argv(&["SET", "bar", "y"]), 0).events;
    assert!(matches!(&queued[..], [Event::Queued { port: 7000, keys }] if keys[0].slot == 5061));
    let exec = c.execute(a, &argv(&["EXEC"]), 0);
    assert_eq!(exec.reply, Reply::NilArray);
    assert!(exec
        .events
        .iter()
        .any(|e| matches!(e, Event::TransactionDiscarded { port: 7000, .. })));
}

/// ASKING lasts through MULTI...EXEC on an importing node.
#[test]
fn asking_lasts_through_multi() {
    let mut c = Cluster::default();
    c.topology.nodes[0].migrating.insert(3696, 1);
    c.topology.nodes[1].importing.insert(3696, 0);
    let t = c.connect(7001).unwrap();
    assert_eq!(run_at(&mut c, t, 0, &["ASKING"]), Reply::ok());
    assert_eq!(run_at(&mut c, t, 0, &["MULTI"]), Reply::ok());
    assert_eq!(
        run_at(&mut c, t, 0, &["SET", "{w}a", "1"]),
        Reply::Status("QUEUED".into())
    );
    assert_eq!(
        run_at(&mut c, t, 0, &["GET", "{w}a"]),
        Reply::Status("QUEUED".into())
    );
    assert_eq!(
        run_at(&mut c, t, 0, &["EXEC"]),
        Reply::Array(vec![Reply::ok(), Reply::bulk("1")])
    );
    assert_eq!(
        run_at(&mut c, t, 0, &["GET", "{w}a"]).error_text(),
        Some("MOVED 3696 127.0.0.1:7000")
    );
}

/// Once a transaction is flagged, later commands answer QUEUED but are not
/// stored (`queueMultiCommand`), so EXEC's slot check sees only the earlier
/// ones: a MOVED before the second slot gives EXECABORT, after it CROSSSLOT.
/// Both orders as a real 7.0.15 cluster answered them.
#[test]
fn flagged_transaction_stops_queuing() {
    let mut c = Cluster::default();
    let a = c.connect(7000).unwrap();
    for cmd in [
        &["MULTI"][..],
        &["SET", "bar", "1"],
        &["SET", "foo", "2"],
        &["SET", "b", "3"],
    ] {
        run_at(&mut c, a, 0, cmd);
    }
    assert_eq!(
        run_at(&mut c, a, 0, &["EXEC"]).error_text(),
        Some("EXECABORT Transaction discarded because of previous errors.")
    );
    for cmd in [
        &["MULTI"][..],
        &["SET", "bar", "1"],
        &["SET", "b", "3"],
        &["SET", "foo", "2"],
    ] {
        run_at(&mut c, a, 0, cmd);
    }
    assert_eq!(
        run_at(&mut c, a, 0, &["EXEC"]).error_text(),
        Some("CROSSSLOT Keys in request don't hash to the same slot")
    );
}

/// A rejected EXEC (wrong arity) aborts the transaction with the reason,
/// inside or outside MULTI.
#[test]
fn exec_with_arguments_is_execabort() {
    let mut c = Cluster::default();
    let a = c.connect(7000).unwrap();
    let abort =
        "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command";
    assert_eq!(
        run_at(&mut c, a, 0, &["EXEC", "x"]).error_text(),
        Some(abort)
    );
    run_at(&mut c, a, 0, &["MULTI"]);
    assert_eq!(
        run_at(&mut c, a, 0, &["EXEC", "x"]).error_text(),
        Some(abort)
    );
    assert_eq!(
        run_at(&mut c, a, 0, &["EXEC"]).error_text(),
        Some("ERR EXEC without MULTI")
    );
}
