#![cfg(not(target_arch = "wasm32"))]
//! The engine against the ground truth: every `tests/scenarios/X.jsonl` is
//! replayed on the embedded engine and compared with `tests/goldens/X.jsonl`,
//! what a real Redis 7.0.15 cluster answered (recorded by
//! `scripts/goldens.sh record`). Node ids are masked, volatile replies
//! skipped, `unordered` replies compared as multisets (`replay::compare_all`).
//!
//! One test per scenario file; each prints every difference before failing.

use std::path::PathBuf;

use slotlab::replay::{self, EngineBackend};

/// The scenario files, without `.jsonl` (checked against the directory).
const FILES: &[&str] = &[
    "clusterdown",
    "crossslot",
    "failover",
    "hashes",
    "introspection",
    "keys",
    "keyslot",
    "lessons",
    "lists",
    "moved",
    "precedence",
    "readonly",
    "resharding",
    "scripting",
    "scripting_env",
    "scripting_functions",
    "scripting_more",
    "scripting_replies",
    "server",
    "sets",
    "strings",
    "transactions",
    "zsets",
];

fn path(dir: &str, name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir)
        .join(format!("{name}.jsonl"))
}

fn read(path: &PathBuf) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Replays one scenario file on the engine and compares it with its golden.
fn check(name: &str) {
    let scenarios = replay::parse_scenarios(&read(&path("scenarios", name)))
        .unwrap_or_else(|e| panic!("scenarios/{name}.jsonl: {e}"));
    let expected = replay::parse_results(&read(&path("goldens", name)))
        .unwrap_or_else(|e| panic!("goldens/{name}.jsonl: {e}"));
    let mut engine = EngineBackend::new(slotlab::native::wall_clock_ms);
    let actual = replay::run_all(&mut engine, &scenarios)
        .unwrap_or_else(|e| panic!("{name}: replay failed: {e}"));
    let diffs = replay::compare_all(&scenarios, &expected, &actual);
    for diff in &diffs {
        println!("{diff}");
    }
    let commands: usize = scenarios.iter().map(|s| s.commands.len()).sum();
    println!(
        "{name}: {} scenarios, {commands} commands, {} differences",
        scenarios.len(),
        diffs.len()
    );
    assert!(
        diffs.is_empty(),
        "{name}: {} differences from the real cluster (see above)",
        diffs.len()
    );
}

macro_rules! golden_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*

        #[test]
        fn every_scenario_file_has_a_test() {
            let listed = [$(stringify!($name)),*];
            assert_eq!(listed.as_slice(), FILES);
        }
    };
}

golden_tests!(
    clusterdown,
    crossslot,
    failover,
    hashes,
    introspection,
    keys,
    keyslot,
    lessons,
    lists,
    moved,
    precedence,
    readonly,
    resharding,
    scripting,
    scripting_env,
    scripting_functions,
    scripting_more,
    scripting_replies,
    server,
    sets,
    strings,
    transactions,
    zsets,
);

#[test]
fn every_file_has_scenarios_and_a_golden() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            entry
                .file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".jsonl"))
                .map(str::to_string)
        })
        .collect();
    found.sort();
    assert_eq!(found, FILES, "tests/scenarios/*.jsonl vs the FILES list");
    for name in FILES {
        let scenarios = replay::parse_scenarios(&read(&path("scenarios", name)))
            .unwrap_or_else(|e| panic!("scenarios/{name}.jsonl: {e}"));
        let goldens = replay::parse_results(&read(&path("goldens", name)))
            .unwrap_or_else(|e| panic!("goldens/{name}.jsonl: {e}"));
        assert_eq!(
            scenarios.len(),
            goldens.len(),
            "{name}: one golden per scenario"
        );
        for (s, g) in scenarios.iter().zip(&goldens) {
            assert_eq!(s.name, g.name, "{name}: golden order");
            assert_eq!(s.commands.len(), g.replies.len(), "{name}/{}", s.name);
        }
    }
}
