#![cfg(not(target_arch = "wasm32"))]
//! Property tests of the engine's invariants (issue 8), on sessions made by
//! a seeded generator (`tests/support/gen.rs`):
//! - every key lives on the master that owns its slot;
//! - a rejected transaction (EXECABORT, CROSSSLOT/MOVED at EXEC, a touched
//!   WATCH) changes nothing;
//! - replaying a session (same commands, same times, same seed) gives the
//!   same replies and the same events.
//!
//! Each property runs `SLOTLAB_PROP_CASES` cases (default 32); a failure
//! prints the seed, and `SLOTLAB_PROP_SEED=N` re-runs that case alone.

#[path = "support/gen.rs"]
mod gen;

use gen::{Checks, Op, Profile, Run, Source, SplitMix};
use slotlab::engine::reply::Reply;
use slotlab::replay::{self, EngineBackend, Scenario};

/// The seeds to try: `SLOTLAB_PROP_SEED` alone, or `SLOTLAB_PROP_CASES` of them.
fn seeds(salt: u64) -> Vec<u64> {
    if let Some(seed) = std::env::var("SLOTLAB_PROP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return vec![seed];
    }
    let cases = std::env::var("SLOTLAB_PROP_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32u64);
    (0..cases).map(|i| i.wrapping_mul(0x100) ^ salt).collect()
}

/// Runs `case` for every seed, naming the seed of a failing case.
fn for_each_seed<T>(salt: u64, case: impl Fn(u64) -> T) -> Vec<T> {
    seeds(salt)
        .into_iter()
        .map(|seed| {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| case(seed)));
            result.unwrap_or_else(|panic| {
                eprintln!("property failed for seed {seed} (re-run with SLOTLAB_PROP_SEED={seed})");
                std::panic::resume_unwind(panic)
            })
        })
        .collect()
}

/// A session of `ops` steps from `seed`.
fn random_session(seed: u64, profile: Profile, ops: usize) -> Vec<Op> {
    let bytes = SplitMix(seed).bytes(ops * 48);
    gen::session(&mut Source::new(&bytes), profile, ops)
}

fn words(w: &[&str]) -> Vec<Vec<u8>> {
    w.iter().map(|s| s.as_bytes().to_vec()).collect()
}

/// Every key lives on the node that owns its slot, after every step of
/// random data sessions over several clients and nodes.
#[test]
fn every_key_lives_on_its_slot_owner() {
    let most_keys = for_each_seed(0x51_07, |seed| {
        let ops = random_session(seed, Profile::Data, 300);
        let mut run = Run::new(seed, Checks::ALL);
        let mut most = 0;
        for op in &ops {
            run.step(op);
            let keys: usize = (0..3).map(|m| run.cluster.keyspace_of(m).len()).sum();
            most = most.max(keys);
        }
        most
    });
    // Not vacuous: the sessions do fill the shards.
    assert!(most_keys.iter().any(|&n| n >= 5), "{most_keys:?}");
}

/// The ways a transaction is refused, one per case.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    /// A queued command has the wrong arity → EXECABORT.
    Arity,
    /// An unknown command is queued → EXECABORT.
    Unknown,
    /// A queued command's keys hash to different slots → CROSSSLOT (EXECABORT).
    CrossSlot,
    /// A queued command's key lives on another master → MOVED (EXECABORT).
    Moved,
    /// Another client wrote a watched key → EXEC answers nil.
    Watch,
    /// EXEC with an argument → EXECABORT (wrong arity of EXEC itself).
    ExecArity,
}

const REFUSALS: [Refusal; 6] = [
    Refusal::Arity,
    Refusal::Unknown,
    Refusal::CrossSlot,
    Refusal::Moved,
    Refusal::Watch,
    Refusal::ExecArity,
];

/// A refused transaction changes no data: random data first, then MULTI
/// with random queued writes on keys of node 7002 and one reason for
/// refusal; EXEC must answer an error or nil and leave every key (value,
/// TTL, slot order) as it was.
#[test]
fn a_rejected_transaction_changes_nothing() {
    for_each_seed(0x7a_c7, |seed| {
        let mut rng = SplitMix(seed);
        // Random data on every node.
        let mut run = Run::new(seed, Checks::ALL);
        for op in random_session(seed, Profile::Data, 120) {
            run.step(&op);
        }
        // Client 2: a fresh raw connection to 7002.
        run.step(&Op::Reconnect {
            client: 2,
            port: 7002,
        });
        let conn = run.raw[2];
        let refusal = REFUSALS[(rng.next_u64() % REFUSALS.len() as u64) as usize];
        let now = run.now_ms;
        if let Refusal::Watch = refusal {
            // One slot: WATCH foo a would be refused with CROSSSLOT.
            let watch = run
                .cluster
                .execute(conn, &words(&["WATCH", "foo", "x{foo}"]), now);
            assert_eq!(watch.reply, Reply::ok());
        }
        assert_eq!(
            run.cluster.execute(conn, &words(&["MULTI"]), now).reply,
            Reply::ok()
        );
        // Queued writes on keys served by 7002 (foo, a, x{foo}, {a}1, {a}2).
        let bytes = rng.bytes(400);
        let mut src = Source::new(&bytes);
        let queued = 1 + src.below(6);
        let position = src.below(queued + 1);
        for i in 0..=queued {
            if i == position {
                let bad = match refusal {
                    Refusal::Arity => words(&["SET", "foo"]),
                    Refusal::Unknown => words(&["NOSUCHCOMMAND", "foo"]),
                    Refusal::CrossSlot => words(&["MSET", "foo", "1", "a", "2"]),
                    Refusal::Moved => words(&["INCR", "bar"]),
                    Refusal::Watch | Refusal::ExecArity => continue,
                };
                run.step(&Op::Command {
                    client: 2,
                    argv: bad,
                });
                continue;
            }
            let key = *src.pick(&["foo", "a", "x{foo}", "{a}1", "{a}2"]);
            let write = match src.below(6) {
                0 => words(&["SET", key, "v"]),
                1 => words(&["INCR", key]),
                2 => words(&["DEL", key]),
                3 => words(&["RPUSH", key, "x", "y"]),
                4 => words(&["EXPIRE", key, "100"]),
                _ => words(&["ZADD", key, "1", "m"]),
            };
            run.step(&Op::Command {
                client: 2,
                argv: write,
            });
        }
        if let Refusal::Watch = refusal {
            // Another client writes a watched key.
            let other = run.cluster.connect(7002).expect("7002 exists");
            let touched = run
                .cluster
                .execute(other, &words(&["SET", "foo", "touched"]), now);
            assert_eq!(touched.reply, Reply::ok());
            run.cluster.disconnect(other);
        }
        let before = gen::data(&run.cluster, run.now_ms);
        let exec = match refusal {
            Refusal::ExecArity => words(&["EXEC", "now"]),
            _ => words(&["EXEC"]),
        };
        let outcome = run.cluster.execute(conn, &exec, run.now_ms);
        // EXECABORT (or nil for WATCH), unless EXEC's own slot check refuses
        // first: the queued keys of 7002 are in several slots (CROSSSLOT).
        match (&outcome.reply, refusal) {
            (Reply::NilArray, Refusal::Watch) => {}
            (Reply::Error(e), _) if e.starts_with("EXECABORT") || e.starts_with("CROSSSLOT") => {}
            (other, _) => panic!("{refusal:?}: EXEC answered {other:?}"),
        }
        assert_eq!(
            gen::data(&run.cluster, run.now_ms),
            before,
            "{refusal:?} changed data"
        );
        assert!(run
            .cluster
            .connection(conn)
            .is_some_and(|c| c.multi.is_none()));
        run.check();
    });
}

/// Replaying a session is deterministic: the same steps at the same times
/// with the same seed give the same printed replies and the same events,
/// whether run from scratch twice or continued on a clone of the cluster.
#[test]
fn replaying_a_session_is_deterministic() {
    for_each_seed(0xde_7e, |seed| {
        let ops = random_session(seed, Profile::Everything, 200);
        let checks = Checks {
            ownership: false,
            rejected_exec_is_noop: true,
        };
        let first = gen::run_session(seed, &ops, checks);
        let second = gen::run_session(seed, &ops, checks);
        assert_eq!(first, second);

        // Clone half-way: the clone continues exactly like the original.
        let half = ops.len() / 2;
        let mut run = Run::new(seed, checks);
        for op in &ops[..half] {
            run.step(op);
        }
        let mut twin = Run {
            cluster: run.cluster.clone(),
            raw: run.raw.clone(),
            cli: run.cli.clone(),
            now_ms: run.now_ms,
            checks,
        };
        for (i, op) in ops[half..].iter().enumerate() {
            assert_eq!(
                run.step(op),
                twin.step(op),
                "step {} after the clone",
                half + i
            );
        }
    });
}

/// Fixed clock for scenario replays.
fn fixed_clock() -> u64 {
    1_700_000_000_000
}

/// The scenario replayer (the path goldens and shared sessions take) gives
/// the same results twice for random scenarios over labelled connections.
#[test]
fn replaying_a_scenario_is_deterministic() {
    for_each_seed(0x5c_e7, |seed| {
        let ops = random_session(seed, Profile::Data, 120);
        let mut commands = Vec::new();
        let mut conns = Vec::new();
        let mut ports = Vec::new();
        let mut pause_before = Vec::new();
        for op in ops {
            match op {
                Op::Command { client, argv } => {
                    let Ok(argv) = argv
                        .into_iter()
                        .map(String::from_utf8)
                        .collect::<Result<Vec<_>, _>>()
                    else {
                        continue;
                    };
                    if argv.is_empty() {
                        continue;
                    }
                    commands.push(argv);
                    conns.push(format!("c{client}"));
                    ports.push(gen::PORTS[client % gen::PORTS.len()]);
                }
                Op::Tick(ms) => pause_before.push((commands.len(), ms)),
                _ => {}
            }
        }
        let scenario = Scenario {
            name: format!("random-{seed}"),
            commands,
            connection_port: 7000,
            follow_redirects: seed % 2 == 0,
            conns: Some(conns),
            ports: Some(ports),
            setup: Vec::new(),
            reset_before: true,
            replicas: None,
            unordered: Vec::new(),
            volatile: Vec::new(),
            pause_before,
            settle_after: Vec::new(),
        };
        let run = || {
            let mut backend = EngineBackend::new(fixed_clock);
            replay::run_one(&mut backend, &scenario, true).expect("scenario runs")
        };
        assert_eq!(run(), run());
    });
}

/// A hash tag for every slot: `TAGS[slot]` is a string whose CRC16 puts
/// `{tag}…` keys in that slot.
fn tags() -> &'static Vec<String> {
    static TAGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TAGS.get_or_init(|| {
        let mut tags = vec![String::new(); 16384];
        let mut missing = 16384;
        let mut i = 0u64;
        while missing > 0 {
            let tag = format!("t{i}");
            let slot = usize::from(slotlab::engine::slot::key_slot(tag.as_bytes()));
            if tags[slot].is_empty() {
                tags[slot] = tag;
                missing -= 1;
            }
            i += 1;
        }
        tags
    })
}

/// Value and TTL of every key, by name, with the master it is on; panics
/// when a key is on two masters.
fn where_keys_are(
    cluster: &slotlab::engine::Cluster,
) -> std::collections::BTreeMap<Vec<u8>, (u16, slotlab::engine::value::Value, Option<u64>)> {
    let mut all = std::collections::BTreeMap::new();
    for m in cluster.topology.masters() {
        let port = cluster.topology.nodes[m].port;
        let ks = cluster.keyspace_of(m);
        for key in ks.keys() {
            let entry = ks.get(key).expect("listed key has an entry");
            let old = all.insert(key.clone(), (port, entry.value.clone(), entry.expires_at));
            if let Some((other, ..)) = old {
                panic!(
                    "key {} is on both {other} and {port}",
                    String::from_utf8_lossy(key)
                );
            }
        }
    }
    all
}

/// Resharding neither loses nor duplicates keys: keys of every type (some
/// with a TTL) in the slots a random plan moves (a count, a range or a
/// list of slots, random pipeline size) and around them, while `-c`
/// clients keep sending random data commands (following MOVED and ASK)
/// between the plan's steps. At every step no key is on two masters; at
/// the end the plan succeeded, its slots belong to the target, no slot is
/// left migrating or importing, every key is on its slot's owner, and the
/// keys no client touched have the same values and TTLs as before.
#[test]
fn resharding_neither_loses_nor_duplicates_keys() {
    use slotlab::engine::cli::{CliSession, EngineTransport};
    use slotlab::engine::reshard::{ReshardPlan, SlotChoice};

    let moved = for_each_seed(0x2e_5a, |seed| {
        let mut rng = SplitMix(seed);
        let mut run = Run::new(seed, Checks::ALL);
        let masters = [7000u16, 7001, 7002];
        let from = masters[(rng.next_u64() % 3) as usize];
        let to = masters[((rng.next_u64() % 2) as usize + 1 + (from - 7000) as usize) % 3];
        let owned: Vec<u16> = {
            let t = &run.cluster.topology;
            let node = t.by_port(from).expect("master");
            t.ranges_of(node)
                .into_iter()
                .flat_map(|(a, b)| a..=b)
                .collect()
        };
        let choice = match rng.next_u64() % 3 {
            0 => SlotChoice::Count(1 + (rng.next_u64() % 24) as usize),
            1 => {
                let start = (rng.next_u64() % (owned.len() as u64 - 30)) as usize;
                let width = (rng.next_u64() % 24) as usize;
                SlotChoice::Range(owned[start], owned[start + width])
            }
            _ => SlotChoice::List(
                (0..1 + rng.next_u64() % 12)
                    .map(|_| owned[(rng.next_u64() % owned.len() as u64) as usize])
                    .collect::<std::collections::BTreeSet<u16>>()
                    .into_iter()
                    .collect(),
            ),
        };
        let mut plan = ReshardPlan::new(&run.cluster, from, to, choice.clone())
            .unwrap_or_else(|e| panic!("{choice:?}: {e}"));
        plan.pipeline = 1 + (rng.next_u64() % 12) as usize;

        // Data: in every moved slot and in a few others, keys of each type.
        let mut loader: CliSession<u64> = CliSession::new(7000, true);
        let mut slots = plan.slots.clone();
        for _ in 0..20 {
            slots.push((rng.next_u64() % 16384) as u16);
        }
        for slot in slots {
            let tag = &tags()[usize::from(slot)];
            for j in 0..rng.next_u64() % 7 {
                let key = format!("{{{tag}}}:{j}");
                let line = match rng.next_u64() % 6 {
                    0 => format!("SET {key} v{j}"),
                    1 => format!("RPUSH {key} a b c"),
                    2 => format!("HSET {key} f 1 g 2"),
                    3 => format!("SADD {key} x y"),
                    4 => format!("ZADD {key} 1 m 2.5 n"),
                    _ => format!("SET {key} ttl PX 3600000"),
                };
                let mut t = EngineTransport::new(&mut run.cluster, run.now_ms);
                loader.run_line(&mut t, &line);
            }
        }
        loader.close(&mut EngineTransport::new(&mut run.cluster, run.now_ms));
        let before = where_keys_are(&run.cluster);
        assert!(!before.is_empty());

        // Traffic: data commands on the pool keys (never the data keys),
        // nothing that flushes everything.
        let traffic: Vec<Op> = random_session(seed ^ 0xfeed, Profile::Data, 400)
            .into_iter()
            .filter(|op| match op {
                Op::Command { argv, .. } => !argv.first().is_some_and(|a| {
                    a.eq_ignore_ascii_case(b"flushall") || a.eq_ignore_ascii_case(b"flushdb")
                }),
                Op::Line { line, .. } => !line.to_ascii_lowercase().contains("flush"),
                Op::Tick(_) => false,
                Op::Reconnect { .. } => true,
            })
            .collect();
        let mut traffic = traffic.iter();
        // Ownership is checked only at the end (keys sit on the importing
        // node while a slot migrates).
        run.checks.ownership = false;
        let mut steps = 0;
        while !plan.is_done() {
            run.cluster.reshard_step(&mut plan, run.now_ms);
            steps += 1;
            assert!(steps < 200_000, "the plan does not end");
            if rng.next_u64().is_multiple_of(2) {
                if let Some(op) = traffic.next() {
                    run.step(op);
                }
            }
            where_keys_are(&run.cluster);
        }
        assert_eq!(plan.error, None, "the plan failed");
        let t = &run.cluster.topology;
        let target = t.by_port(to).expect("target");
        for &slot in &plan.slots {
            assert_eq!(t.owner(slot), Some(target), "slot {slot}");
        }
        for node in &t.nodes {
            assert!(
                node.migrating.is_empty() && node.importing.is_empty(),
                "{}",
                node.port
            );
        }
        run.checks.ownership = true;
        run.check();
        let after = where_keys_are(&run.cluster);
        for (key, (port, value, ttl)) in &before {
            if key.starts_with(b"{t") {
                let (now_port, now_value, now_ttl) = after
                    .get(key)
                    .unwrap_or_else(|| panic!("{} was lost", String::from_utf8_lossy(key)));
                assert_eq!((now_value, now_ttl), (value, ttl));
                let moved = plan.slots.contains(&slotlab::engine::slot::key_slot(key));
                assert_eq!(*now_port, if moved { to } else { *port });
            }
        }
        plan.keys_moved
    });
    // Not vacuous: keys did move.
    assert!(moved.iter().sum::<usize>() > moved.len(), "{moved:?}");
}
