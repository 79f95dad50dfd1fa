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
        };
        let run = || {
            let mut backend = EngineBackend::new(fixed_clock);
            replay::run_one(&mut backend, &scenario, true).expect("scenario runs")
        };
        assert_eq!(run(), run());
    });
}
