#![cfg(not(target_arch = "wasm32"))]
//! The scripting scenarios (`tests/scenarios/scripting*.jsonl`) replayed on
//! the engine and compared with what a real Redis 7.0.15 cluster on
//! 127.0.0.1:7000-7005 answered (`tests/goldens/scripting*.jsonl`, recorded
//! with `slotlab replay --real`). Node ids are masked, `unordered` replies
//! compared as multisets (`replay::compare_all`).

use std::path::PathBuf;

use slotlab::replay::{self, EngineBackend};

fn read(dir: &str, name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir)
        .join(format!("{name}.jsonl"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn check(name: &str) {
    let scenarios = replay::parse_scenarios(&read("scenarios", name)).expect("scenarios");
    let expected = replay::parse_results(&read("goldens", name)).expect("goldens");
    let mut engine = EngineBackend::new(|| 1_700_000_000_000);
    let actual = replay::run_all(&mut engine, &scenarios).expect("replay");
    let diffs = replay::compare_all(&scenarios, &expected, &actual);
    for diff in &diffs {
        println!("{diff}");
    }
    assert!(diffs.is_empty(), "{name}: {} differences", diffs.len());
}

#[test]
fn scripting() {
    check("scripting");
}

#[test]
fn scripting_replies() {
    check("scripting_replies");
}

#[test]
fn scripting_functions() {
    check("scripting_functions");
}

#[test]
fn scripting_env() {
    check("scripting_env");
}

#[test]
fn scripting_more() {
    check("scripting_more");
}
