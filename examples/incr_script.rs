//! The issue-8 script benchmark on the engine: one EVAL that calls
//! `redis.call('INCR', KEYS[1])` 100 000 times, run `RUNS` times on a fresh
//! key; prints the time of each run and the median in milliseconds (the
//! time of `Cluster::execute`, routing and reply included, as Redis'
//! `INFO commandstats` counts a command's own time).
//!
//! `cargo run --release --example incr_script`; scripts/bench.sh runs it
//! next to a real redis-server.

use std::time::Instant;

use slotlab::engine::{Cluster, Reply};

/// The script, shared word for word with scripts/bench.sh.
const SCRIPT: &str =
    "for i = 1, 100000 do redis.call('INCR', KEYS[1]) end return redis.call('GET', KEYS[1])";
const RUNS: usize = 5;

fn main() {
    let mut cluster = Cluster::default();
    let conn = cluster.connect(7000).expect("7000 exists");
    let mut times = Vec::new();
    for run in 0..RUNS {
        let key = format!("bench{{bar}}{run}");
        let argv: Vec<Vec<u8>> = ["EVAL", SCRIPT, "1", &key]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        let start = Instant::now();
        let outcome = cluster.execute(conn, &argv, 1);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(outcome.reply, Reply::bulk("100000"), "the script's reply");
        println!("engine run {}: {ms:.1} ms", run + 1);
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    println!("engine median: {:.1} ms", times[RUNS / 2]);
}
