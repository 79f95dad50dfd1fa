//! Times loading string keys into the engine (issue 8, "1M keys < 1 s"):
//! the bulk path (`Cluster::load_strings`, what the sample loader uses)
//! and, for comparison, the same SETs through `Cluster::execute`.
//!
//! `cargo run --release --example load_keys -- [keys] [bulk|set]`

use std::time::Instant;

use slotlab::engine::cluster::ConnId;
use slotlab::engine::slot::key_slot;
use slotlab::engine::Cluster;

/// Nanoseconds this thread has run on a CPU (Linux), so that a loaded
/// machine's waiting is not counted; 0 elsewhere.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let keys: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let how = args.next().unwrap_or_else(|| "bulk".into());
    let mut cl = Cluster::default();
    let conns: Vec<ConnId> = [7000u16, 7001, 7002]
        .iter()
        .filter_map(|&p| cl.connect(p).ok())
        .collect();
    let owner = |cl: &Cluster, key: &[u8]| cl.topology.owner(key_slot(key)).unwrap_or(0).min(2);
    let start = Instant::now();
    let cpu = cpu_ns();
    if how == "set" {
        for i in 0..keys {
            let key = format!("user:{i}").into_bytes();
            let conn = conns[owner(&cl, &key)];
            cl.execute(conn, &[b"SET".to_vec(), key, b"v".to_vec()], 1);
        }
    } else {
        let items: Vec<_> = (0..keys)
            .map(|i| {
                let key = format!("user:{i}").into_bytes();
                (conns[owner(&cl, &key)], key, b"v".to_vec())
            })
            .collect();
        let built = start.elapsed();
        cl.load_strings(items, 1);
        println!("items built in {:.1} ms", built.as_secs_f64() * 1e3);
    }
    let took = start.elapsed().as_secs_f64();
    let on_cpu = (cpu_ns() - cpu) as f64 / 1e9;
    println!(
        "{how}: {keys} keys in {:.1} ms wall, {:.1} ms on the CPU ({:.2} us per key)",
        took * 1e3,
        on_cpu * 1e3,
        on_cpu * 1e6 / keys as f64
    );
}
