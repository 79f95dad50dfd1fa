//! Engine benchmarks (criterion): routing, command execution and script
//! calls, each through `Cluster::execute` as the console sends them.
//!
//! `cargo bench --bench engine` (the release profile: opt-level "z" + LTO,
//! the code the browser runs, compiled natively). README "Performance"
//! quotes the numbers; scripts/bench.sh runs this and the 100k-INCR script
//! against a real redis-server.

// Native only (criterion does not build for wasm32).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use criterion::{criterion_group, Criterion};
    use slotlab::engine::cli::{CliSession, EngineTransport};
    use slotlab::engine::cluster::ConnId;
    use slotlab::engine::slot::key_slot;
    use slotlab::engine::Cluster;

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    /// A cluster and a connection to 7000.
    fn cluster() -> (Cluster, ConnId) {
        let mut c = Cluster::default();
        let conn = c.connect(7000).expect("7000 exists");
        (c, conn)
    }

    fn routing(c: &mut Criterion) {
        let mut g = c.benchmark_group("routing");
        g.bench_function("key_slot foo", |b| b.iter(|| key_slot(black_box(b"foo"))));
        g.bench_function("key_slot user:{42}:profile", |b| {
            b.iter(|| key_slot(black_box(b"user:{42}:profile")))
        });
        let long = vec![b'k'; 1024];
        g.bench_function("key_slot 1 KiB key", |b| {
            b.iter(|| key_slot(black_box(&long)))
        });

        let (mut cl, conn) = cluster();
        let moved = argv(&["GET", "foo"]);
        g.bench_function("GET answered MOVED", |b| {
            b.iter(|| cl.execute(conn, black_box(&moved), 1))
        });
        let cross = argv(&["MSET", "bar", "1", "b", "2"]);
        g.bench_function("MSET answered CROSSSLOT", |b| {
            b.iter(|| cl.execute(conn, black_box(&cross), 1))
        });
        g.bench_function("redis-cli -c: get foo from 7000 (MOVED, follow)", |b| {
            b.iter(|| {
                let mut t = EngineTransport::new(&mut cl, 1);
                let mut session: CliSession<ConnId> = CliSession::new(7000, true);
                let out = session.run_line(&mut t, black_box("get foo"));
                session.close(&mut t);
                out
            })
        });
        g.finish();
    }

    fn commands(c: &mut Criterion) {
        let mut g = c.benchmark_group("commands");
        let (mut cl, conn) = cluster();
        // bar and {bar}… hash to slot 5061, served by 7000.
        for (name, words) in [
            ("SET", &["SET", "bar", "value"][..]),
            ("GET", &["GET", "bar"][..]),
            ("INCR", &["INCR", "{bar}n"][..]),
            ("HSET", &["HSET", "{bar}h", "field", "1"][..]),
            ("ZADD", &["ZADD", "{bar}z", "1.5", "member"][..]),
            ("SADD", &["SADD", "{bar}s", "member"][..]),
            ("PING", &["PING"][..]),
        ] {
            let a = argv(words);
            g.bench_function(name, |b| b.iter(|| cl.execute(conn, black_box(&a), 1)));
        }
        let push = argv(&["LPUSH", "{bar}l", "x"]);
        let pop = argv(&["RPOP", "{bar}l"]);
        g.bench_function("LPUSH + RPOP", |b| {
            b.iter(|| {
                cl.execute(conn, black_box(&push), 1);
                cl.execute(conn, black_box(&pop), 1)
            })
        });
        let tx = [
            argv(&["MULTI"]),
            argv(&["INCR", "{bar}n"]),
            argv(&["SET", "{bar}t", "x"]),
            argv(&["GET", "{bar}t"]),
            argv(&["EXEC"]),
        ];
        g.bench_function("MULTI, 3 commands, EXEC", |b| {
            b.iter(|| {
                for a in &tx {
                    cl.execute(conn, black_box(a), 1);
                }
            })
        });

        // With 100k keys loaded over the three masters.
        let (mut big, conn) = cluster();
        let ports = [7000u16, 7001, 7002];
        let conns: Vec<ConnId> = ports
            .iter()
            .map(|p| big.connect(*p).expect("port"))
            .collect();
        for i in 0..100_000 {
            let key = format!("key:{i}");
            let slot = key_slot(key.as_bytes());
            let owner = usize::from(slot > 5460) + usize::from(slot > 10922);
            big.execute(conns[owner], &argv(&["SET", &key, "v"]), 1);
        }
        let get = argv(&["GET", "{bar}k"]);
        g.bench_function("GET with 100k keys loaded", |b| {
            b.iter(|| big.execute(conn, black_box(&get), 1))
        });
        let count = argv(&["CLUSTER", "COUNTKEYSINSLOT", "5061"]);
        g.bench_function("CLUSTER COUNTKEYSINSLOT with 100k keys", |b| {
            b.iter(|| big.execute(conn, black_box(&count), 1))
        });
        g.finish();
    }

    fn scripts(c: &mut Criterion) {
        let mut g = c.benchmark_group("scripts");
        let (mut cl, conn) = cluster();
        let ret = argv(&["EVAL", "return 1", "0"]);
        g.bench_function("EVAL return 1", |b| {
            b.iter(|| cl.execute(conn, black_box(&ret), 1))
        });
        let incr = argv(&["EVAL", "return redis.call('INCR', KEYS[1])", "1", "bar"]);
        g.bench_function("EVAL redis.call INCR", |b| {
            b.iter(|| cl.execute(conn, black_box(&incr), 1))
        });
        let load = cl.execute(
            conn,
            &argv(&["SCRIPT", "LOAD", "return redis.call('INCR', KEYS[1])"]),
            1,
        );
        let sha = match load.reply {
            slotlab::engine::Reply::Bulk(sha) => String::from_utf8_lossy(&sha).into_owned(),
            other => panic!("SCRIPT LOAD answered {other:?}"),
        };
        let evalsha = argv(&["EVALSHA", &sha, "1", "bar"]);
        g.bench_function("EVALSHA redis.call INCR", |b| {
            b.iter(|| cl.execute(conn, black_box(&evalsha), 1))
        });
        let lib = "#!lua name=bench\nredis.register_function('incr', function(keys) return redis.call('INCR', keys[1]) end)";
        cl.execute(conn, &argv(&["FUNCTION", "LOAD", lib]), 1);
        let fcall = argv(&["FCALL", "incr", "1", "bar"]);
        g.bench_function("FCALL redis.call INCR", |b| {
            b.iter(|| cl.execute(conn, black_box(&fcall), 1))
        });
        let loop_1k = argv(&[
            "EVAL",
            "for i = 1, 1000 do redis.call('INCR', KEYS[1]) end return 1",
            "1",
            "bar",
        ]);
        g.sample_size(20);
        g.bench_function("EVAL 1000 x redis.call INCR", |b| {
            b.iter(|| cl.execute(conn, black_box(&loop_1k), 1))
        });
        g.finish();
    }

    /// The sample loader's 100k string keys, each on its owner: the bulk
    /// path (`Cluster::load_strings`) and the same SETs through `execute`.
    fn bulk(c: &mut Criterion) {
        const KEYS: usize = 100_000;
        let mut g = c.benchmark_group("bulk");
        g.sample_size(10);
        let setup = || {
            let mut cl = Cluster::default();
            let conns: Vec<ConnId> = [7000u16, 7001, 7002]
                .iter()
                .filter_map(|&p| cl.connect(p).ok())
                .collect();
            (cl, conns)
        };
        let owner = |cl: &Cluster, key: &[u8]| cl.topology.owner(key_slot(key)).unwrap_or(0).min(2);
        g.bench_function("100k keys, load_strings", |b| {
            b.iter_batched(
                setup,
                |(mut cl, conns)| {
                    let items = (0..KEYS).map(|i| {
                        let key = format!("user:{i}").into_bytes();
                        let conn = conns[owner(&cl, &key)];
                        (conn, key, (i * 7 % 1000).to_string().into_bytes())
                    });
                    let items: Vec<_> = items.collect();
                    cl.load_strings(items, 1);
                    cl
                },
                criterion::BatchSize::PerIteration,
            )
        });
        g.bench_function("100k keys, SET through execute", |b| {
            b.iter_batched(
                setup,
                |(mut cl, conns)| {
                    for i in 0..KEYS {
                        let key = format!("user:{i}").into_bytes();
                        let conn = conns[owner(&cl, &key)];
                        let value = (i * 7 % 1000).to_string().into_bytes();
                        cl.execute(conn, &[b"SET".to_vec(), key, value], 1);
                    }
                    cl
                },
                criterion::BatchSize::PerIteration,
            )
        });
        g.finish();
    }

    criterion_group!(benches, routing, commands, scripts, bulk);
}
