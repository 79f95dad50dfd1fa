//! Rough timings of the scripting engine: `cargo run --release --example eval_bench`
//! (1000 short EVALs, a runaway loop, a table bomb).

use slotlab::engine::Cluster;
fn main() {
    let mut c = Cluster::default();
    let conn = c.connect(7000).unwrap();
    let argv: Vec<Vec<u8>> = ["EVAL", "return redis.call('incr', KEYS[1])", "1", "bar"]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    let t = std::time::Instant::now();
    for _ in 0..1000 {
        c.execute(conn, &argv, 1);
    }
    println!("1000 EVAL: {:?}", t.elapsed());
    let argv: Vec<Vec<u8>> = ["EVAL", "while true do end", "0"]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    let t = std::time::Instant::now();
    let r = c.execute(conn, &argv, 1);
    println!("runaway: {:?} {:?}", t.elapsed(), r.reply);
    let argv: Vec<Vec<u8>> = ["EVAL", "local t = {} for i = 1, 1e9 do t[i] = i end", "0"]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    let t = std::time::Instant::now();
    let r = c.execute(conn, &argv, 1);
    println!("table bomb: {:?} {:?}", t.elapsed(), r.reply);
}
