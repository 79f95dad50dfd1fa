#![cfg(not(target_arch = "wasm32"))]
//! Scripting on the engine beyond the recorded goldens: runaway scripts are
//! stopped (and cannot catch the stop), the engine stays usable and keeps
//! what the script wrote before it was stopped; the per-call trace; the
//! emulated-version error texts.

use slotlab::engine::event::{Event, ScriptRule};
use slotlab::engine::script::EmulatedVersion;
use slotlab::engine::{Cluster, Reply};

fn argv(words: &[&str]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.as_bytes().to_vec()).collect()
}

fn run(cluster: &mut Cluster, port: u16, words: &[&str]) -> (Reply, Vec<Event>) {
    let conn = cluster.connect(port).expect("node");
    let out = cluster.execute(conn, &argv(words), 1_000);
    cluster.disconnect(conn);
    (out.reply, out.events)
}

fn error_of(reply: &Reply) -> String {
    match reply {
        Reply::Error(e) => e.clone(),
        other => panic!("expected an error, got {other:?}"),
    }
}

const STOPPED: &str = "ERR slotlab stopped the script";

#[test]
fn runaway_scripts_are_stopped_and_the_engine_stays_usable() {
    let mut c = Cluster::default();
    let cases = [
        ("while true do end", "step budget"),
        (
            "local ok = pcall(function() while true do end end) return 'caught'",
            "step budget",
        ),
        (
            "while true do pcall(function() while true do end end) end",
            "step budget",
        ),
        (
            "local co = coroutine.wrap(function() while true do end end) co()",
            "step budget",
        ),
        ("local t = {} for i = 1, 1e9 do t[i] = i end return #t", ""),
        (
            "local t = {} local s = 'x' for i = 1, 1e9 do t[#t + 1] = s .. i end",
            "",
        ),
        (
            "local function f() return f() end return f()",
            "step budget",
        ),
    ];
    for (body, what) in cases {
        let (reply, events) = run(&mut c, 7000, &["EVAL", body, "0"]);
        let err = error_of(&reply);
        assert!(err.starts_with(STOPPED), "{body}: {err}");
        assert!(err.contains(what), "{body}: {err}");
        assert!(events.iter().any(|e| matches!(e, Event::ScriptRun { .. })));
        // The node still answers.
        assert_eq!(run(&mut c, 7000, &["PING"]).0, Reply::Status("PONG".into()));
    }
}

#[test]
fn huge_strings_and_deep_recursion_fail_cleanly() {
    let mut c = Cluster::default();
    // Over the memory cap: slotlab's own stop, saying so (a real server has
    // no cap; it would try to allocate the gigabyte), even through pcall,
    // and nothing runs after it.
    for body in [
        "return string.rep('x', 1e9)",
        "return ('ab'):rep(1e9)",
        "local ok = pcall(string.rep, 'x', 1e9) return redis.call('SET', 'bar', 'after')",
    ] {
        let (reply, _) = run(&mut c, 7000, &["EVAL", body, "0"]);
        let err = error_of(&reply);
        assert!(err.starts_with(STOPPED), "{body}: {err}");
        assert!(err.contains("memory cap"), "{body}: {err}");
    }
    assert_eq!(run(&mut c, 7000, &["GET", "bar"]).0, Reply::NilBulk);
    // A large string under the cap is fine, and the cap is forgotten after a stop.
    let (reply, _) = run(&mut c, 7000, &["EVAL", "return #string.rep('x', 1e6)", "0"]);
    assert_eq!(reply, Reply::Integer(1_000_000));
    let (reply, _) = run(
        &mut c,
        7000,
        &[
            "EVAL",
            "local function f(n) return 1 + f(n + 1) end return f(1)",
            "0",
        ],
    );
    assert!(
        error_of(&reply).starts_with("ERR user_script:1: stack overflow"),
        "{reply:?}"
    );
}

#[test]
fn writes_before_the_stop_stay_and_handlers_cannot_write_after_it() {
    let mut c = Cluster::default();
    let body = "redis.call('SET', 'bar', 'before')\n\
                local ok, e = xpcall(function() while true do end end, function(e) redis.call('SET', 'b', 'handler') return e end)\n\
                redis.call('SET', 'hoge', 'after')";
    let (reply, _) = run(&mut c, 7000, &["EVAL", body, "0"]);
    assert!(error_of(&reply).starts_with(STOPPED));
    assert_eq!(run(&mut c, 7000, &["GET", "bar"]).0, Reply::bulk("before"));
    assert_eq!(run(&mut c, 7000, &["GET", "b"]).0, Reply::NilBulk);
    assert_eq!(run(&mut c, 7000, &["GET", "hoge"]).0, Reply::NilBulk);
}

#[test]
fn runaway_functions_are_stopped_and_the_library_survives() {
    let mut c = Cluster::default();
    let lib = "#!lua name=spin\n\
               local calls = 0\n\
               redis.register_function('spin', function() calls = calls + 1 while true do end end)\n\
               redis.register_function('calls', function() return calls end)";
    assert_eq!(
        run(&mut c, 7000, &["FUNCTION", "LOAD", lib]).0,
        Reply::bulk("spin")
    );
    let (reply, _) = run(&mut c, 7000, &["FCALL", "spin", "0"]);
    assert!(error_of(&reply).starts_with(STOPPED));
    assert_eq!(
        run(&mut c, 7000, &["FCALL", "calls", "0"]).0,
        Reply::Integer(1)
    );
    let (reply, _) = run(
        &mut c,
        7000,
        &["FUNCTION", "LOAD", "#!lua name=hang\nwhile true do end"],
    );
    assert_eq!(
        error_of(&reply),
        "ERR Error registering functions: ERR FUNCTION LOAD timeout"
    );
}

#[test]
fn every_redis_call_is_traced_with_slot_node_and_verdict() {
    let mut c = Cluster::default();
    let body = "redis.call('SET', 'bar', '1')\nreturn redis.call('GET', 'foo')";
    let (reply, events) = run(&mut c, 7000, &["EVAL", body, "0"]);
    assert!(error_of(&reply)
        .starts_with("ERR Script attempted to access a non local key in a cluster node script: "));
    let calls: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::ScriptCall {
                port,
                line,
                argv,
                keys,
                rejected,
                reply,
                ..
            } => Some((
                *port,
                *line,
                argv.clone(),
                keys.clone(),
                *rejected,
                reply.clone(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(calls.len(), 2);
    let (port, line, argv0, keys, rejected, reply0) = &calls[0];
    assert_eq!((*port, *line, rejected.is_none()), (7000, 1, true));
    assert_eq!(argv0, &vec!["SET".to_string(), "bar".into(), "1".into()]);
    assert_eq!((keys[0].slot, keys[0].owner), (5061, Some(7000)));
    assert_eq!(reply0, "OK\n");
    let (_, line, _, keys, rejected, _) = &calls[1];
    assert_eq!(*line, 2);
    assert_eq!((keys[0].slot, keys[0].owner), (12182, Some(7002)));
    assert_eq!(*rejected, Some(ScriptRule::NonLocalKey));
    // The write before the rejection is reported as a modification.
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::KeyModified { key, .. } if key == "bar")));
}

#[test]
fn emulated_redis_74_uses_the_precise_texts() {
    let mut c = Cluster::default();
    c.scripting.version = EmulatedVersion::Redis74;
    let (reply, _) = run(
        &mut c,
        7000,
        &[
            "EVAL",
            "return redis.call('mset', 'bar', '1', 'b', '2')",
            "0",
        ],
    );
    assert!(error_of(&reply).starts_with(
        "ERR Command 'mset' in script attempted to access keys that don't hash to the same slot script: "
    ));
    let (reply, _) = run(
        &mut c,
        7000,
        &["EVAL", "return redis.call('get', 'foo')", "0"],
    );
    assert!(error_of(&reply)
        .starts_with("ERR Script attempted to access a non local key in a cluster node script: "));
    let (reply, _) = run(&mut c, 7000, &["EVAL", "return redis.REDIS_VERSION", "0"]);
    assert_eq!(reply, Reply::bulk("7.4.0"));
    // The spec's version table (Redis commit 282b82e9d, 7.4.0 release notes).
    run(&mut c, 7000, &["SET", "{w}a", "1"]);
    c.topology.nodes[0].migrating.insert(3696, 1);
    let (reply, _) = run(
        &mut c,
        7000,
        &["EVAL", "return redis.call('mget', '{w}a', '{w}b')", "0"],
    );
    assert!(error_of(&reply).starts_with(
        "ERR Unable to execute command 'mget' in script because undeclared keys were accessed during rehashing of the slot script: "
    ));
    c.topology.nodes[0].migrating.clear();
    c.topology.set_owner(3696, None);
    run(
        &mut c,
        7000,
        &["CONFIG", "SET", "cluster-require-full-coverage", "no"],
    );
    let (reply, _) = run(
        &mut c,
        7000,
        &["EVAL", "return redis.call('get', '{w}a')", "0"],
    );
    assert!(
        error_of(&reply).starts_with("ERR Script attempted to access a slot not served script: ")
    );
    // The setting survives a reset of the cluster.
    c.reset(slotlab::engine::topology::Topology::default());
    assert_eq!(c.scripting.version, EmulatedVersion::Redis74);
}

/// The texts asserted here are what a real 7.0.15 cluster answered with
/// slot 3696 ({w}) MIGRATING from 7000 to 7001 (recorded by hand on a
/// throw-away cluster: the scenario replay cannot set up migrations yet).
#[test]
fn scripts_during_a_migration() {
    let mut c = Cluster::default();
    run(&mut c, 7000, &["SET", "{w}a", "1"]);
    c.topology.nodes[0].migrating.insert(3696, 1);
    c.topology.nodes[1].importing.insert(3696, 0);
    let non_local = "ERR Script attempted to access a non local key in a cluster node script: ";
    let on = |c: &mut Cluster, port, w: &[&str]| run(c, port, w).0;
    assert!(error_of(&on(
        &mut c,
        7000,
        &["EVAL", "return redis.call('get','{w}missing')", "0"]
    ))
    .starts_with(non_local));
    assert_eq!(
        on(
            &mut c,
            7000,
            &["EVAL", "return redis.call('get','{w}a')", "0"]
        ),
        Reply::bulk("1")
    );
    assert!(error_of(&on(
        &mut c,
        7000,
        &["EVAL", "return redis.call('mget','{w}a','{w}missing')", "0"]
    ))
    .starts_with(non_local));
    assert_eq!(
        on(&mut c, 7000, &["EVAL", "return 1", "1", "{w}missing"]),
        Reply::Error("ASK 3696 127.0.0.1:7001".into())
    );
    assert_eq!(
        on(
            &mut c,
            7000,
            &["EVAL", "return 1", "2", "{w}a", "{w}missing"]
        ),
        Reply::Error("TRYAGAIN Multiple keys request during rehashing of slot".into())
    );
    // On the importing node: MOVED (so non-local) without ASKING; with
    // ASKING the script's own commands are served too.
    assert!(error_of(&on(
        &mut c,
        7001,
        &["EVAL", "return redis.call('get','{w}a')", "0"]
    ))
    .starts_with(non_local));
    let conn = c.connect(7001).expect("node");
    assert_eq!(c.execute(conn, &argv(&["ASKING"]), 1).reply, Reply::ok());
    let out = c.execute(
        conn,
        &argv(&["EVAL", "return redis.call('get','{w}x')", "0"]),
        1,
    );
    assert_eq!(out.reply, Reply::NilBulk);
    assert!(error_of(
        &c.execute(
            conn,
            &argv(&["EVAL", "return redis.call('get','{w}x')", "0"]),
            1
        )
        .reply
    )
    .starts_with(non_local));
}

/// As seen on a real 7.0.15 cluster with slot 3696 deleted on every node.
#[test]
fn scripts_while_the_cluster_is_down() {
    let mut c = Cluster::default();
    run(&mut c, 7000, &["SET", "bar", "1"]);
    c.topology.set_owner(3696, None);
    let on = |c: &mut Cluster, w: &[&str]| run(c, 7000, w).0;
    assert!(error_of(&on(
        &mut c,
        &["EVAL", "return redis.call('get','bar')", "0"]
    ))
    .starts_with("ERR Script attempted to execute a command while the cluster is down script: "));
    assert_eq!(
        on(&mut c, &["EVAL", "return redis.call('ping')", "0"]),
        Reply::Status("PONG".into())
    );
    assert!(error_of(&on(
        &mut c,
        &["EVAL", "return redis.call('get','{w}a')", "0"]
    ))
    .starts_with("ERR Script attempted to access a non local key in a cluster node script: "));
    assert_eq!(
        on(&mut c, &["EVAL", "return 1", "1", "bar"]),
        Reply::Error("CLUSTERDOWN The cluster is down".into())
    );
    on(
        &mut c,
        &["CONFIG", "SET", "cluster-allow-reads-when-down", "yes"],
    );
    assert_eq!(
        on(&mut c, &["EVAL", "return redis.call('get','bar')", "0"]),
        Reply::bulk("1")
    );
    assert!(error_of(&on(&mut c, &["EVAL", "return redis.call('set','bar','2')", "0"]))
        .starts_with("ERR Script attempted to execute a write command while the cluster is down and readonly script: "));
    assert!(error_of(&on(
        &mut c,
        &["EVAL", "return redis.call('get','foo')", "0"]
    ))
    .starts_with("ERR Script attempted to access a non local key in a cluster node script: "));
    assert_eq!(
        on(
            &mut c,
            &["EVAL", "return redis.call('get',KEYS[1])", "1", "bar"]
        ),
        Reply::bulk("1")
    );
}

#[test]
fn trace_lines_point_at_the_users_code() {
    let mut c = Cluster::default();
    let body = "local a = 1\nlocal ok, e = pcall(redis.call, 'GET', 'foo')\nreturn redis.pcall('GET', 'bar')";
    let (_, events) = run(&mut c, 7000, &["EVAL", body, "0"]);
    let lines: Vec<(i64, bool)> = events
        .iter()
        .filter_map(|e| match e {
            Event::ScriptCall {
                line, protected, ..
            } => Some((*line, *protected)),
            _ => None,
        })
        .collect();
    assert_eq!(lines, vec![(2, false), (3, true)]);
}

#[test]
fn the_trace_tells_unimplemented_commands_from_unknown_ones() {
    let mut c = Cluster::default();
    let rules = |events: &[Event]| -> Vec<Option<ScriptRule>> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::ScriptCall { rejected, .. } => Some(*rejected),
                _ => None,
            })
            .collect()
    };
    let (_, events) = run(
        &mut c,
        7000,
        &["EVAL", "return redis.pcall('nosuchcmd')", "0"],
    );
    assert_eq!(rules(&events), vec![Some(ScriptRule::UnknownCommand)]);
    if slotlab::engine::command::unimplemented_redis_command(&argv(&["lastsave"])).is_some() {
        let (_, events) = run(
            &mut c,
            7000,
            &["EVAL", "return redis.pcall('lastsave')", "0"],
        );
        assert_eq!(rules(&events), vec![Some(ScriptRule::NotImplemented)]);
    }
}
