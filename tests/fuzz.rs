#![cfg(not(target_arch = "wasm32"))]
//! The stable fuzzer: the same targets as the cargo-fuzz ones in `fuzz/`
//! (functions in `tests/support/gen.rs`), without coverage feedback. Every
//! input of the kept corpus (`fuzz/corpus/<target>/`) runs first, then
//! mutations of it (byte flips, inserts, deletes, splices, dictionary
//! words, fresh random bytes).
//!
//! - `SLOTLAB_FUZZ_ITERS`: mutated inputs per target (default 300, enough
//!   for `cargo test`; scripts/test.sh step g runs many more).
//! - `SLOTLAB_FUZZ_SEED`: the mutation seed (default fixed; step g passes
//!   the date, and prints it).
//!
//! Plain `cargo test` replays 200 of each target's kept inputs; with
//! `SLOTLAB_FUZZ_ITERS` ≥ 1000 all of them.
//!
//! A panicking input is written to `target/fuzz-failures/` and printed in
//! hex; an input that runs for more than 30 s aborts the run after printing
//! itself. Reproduce one with `SLOTLAB_FUZZ_INPUT=path cargo test --test
//! fuzz`, or with cargo-fuzz: `cargo +nightly fuzz run engine path`.

#[path = "support/gen.rs"]
mod gen;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gen::SplitMix;

/// A fuzz target: its corpus directory name and its function.
struct Target {
    name: &'static str,
    run: fn(&[u8]),
    /// How many mutated inputs per unit of `SLOTLAB_FUZZ_ITERS`.
    weight: u64,
}

const TARGETS: &[Target] = &[
    Target {
        name: "split_args",
        run: gen::fuzz_split_args,
        weight: 50,
    },
    Target {
        name: "cli_line",
        run: gen::fuzz_cli_line,
        weight: 2,
    },
    Target {
        name: "engine",
        run: gen::fuzz_engine,
        weight: 1,
    },
    Target {
        name: "permalink",
        run: gen::fuzz_permalink_decoder,
        weight: 20,
    },
];

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|f| std::fs::read(f).ok()).collect()
}

/// Words the mutator splices in.
fn dictionary() -> Vec<&'static [u8]> {
    let mut words: Vec<&[u8]> = Vec::new();
    words.extend(gen::KEYS);
    words.extend(gen::NUMBERS);
    words.extend(gen::WORDS);
    words.extend([
        &b"\""[..],
        b"'",
        b"\\x",
        b"\\",
        b" ",
        b"\n",
        b"\x00",
        b"MULTI",
        b"EXEC",
        b"WATCH",
        b"EVAL",
    ]);
    words
}

/// One mutation of `input` (`pool` supplies splices).
fn mutate(rng: &mut SplitMix, input: &[u8], pool: &[Vec<u8>], dict: &[&[u8]]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.next_u64() % 4;
    for _ in 0..rounds {
        let len = out.len();
        let at = if len == 0 {
            0
        } else {
            (rng.next_u64() % len as u64) as usize
        };
        match rng.next_u64() % 8 {
            0 if len > 0 => out[at] ^= 1 << (rng.next_u64() % 8),
            1 if len > 0 => out[at] = rng.next_u64() as u8,
            2 => out.insert(at, rng.next_u64() as u8),
            3 if len > 0 => {
                let n = 1 + (rng.next_u64() % 16) as usize;
                out.drain(at..(at + n).min(len));
            }
            4 if len > 0 => {
                let n = 1 + (rng.next_u64() % 32) as usize;
                let chunk = out[at..(at + n).min(len)].to_vec();
                let to = (rng.next_u64() % (len as u64 + 1)) as usize;
                out.splice(to..to, chunk);
            }
            5 if !pool.is_empty() => {
                let other = &pool[(rng.next_u64() % pool.len() as u64) as usize];
                let from = (rng.next_u64() % (other.len() as u64 + 1)) as usize;
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            6 => {
                let word = dict[(rng.next_u64() % dict.len() as u64) as usize];
                out.splice(at..at, word.iter().copied());
            }
            _ => {
                let n = (rng.next_u64() % 64) as usize;
                out = rng.bytes(n);
            }
        }
    }
    out.truncate(4096);
    out
}

/// Aborts the process when one input runs for more than `limit`.
struct Watchdog {
    epoch: Instant,
    /// When the running input started (ms since `epoch`, plus one), 0 when idle.
    started_ms: Arc<AtomicU64>,
    current: Arc<Mutex<(String, Vec<u8>)>>,
}

impl Watchdog {
    fn start(limit: Duration) -> Watchdog {
        let dog = Watchdog {
            epoch: Instant::now(),
            started_ms: Arc::new(AtomicU64::new(0)),
            current: Arc::new(Mutex::new((String::new(), Vec::new()))),
        };
        let (epoch, started, current) = (dog.epoch, dog.started_ms.clone(), dog.current.clone());
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            let since = started.load(Ordering::SeqCst);
            let now = epoch.elapsed().as_millis() as u64;
            if since != 0 && now.saturating_sub(since) > limit.as_millis() as u64 {
                let (target, input) = current.lock().map(|g| g.clone()).unwrap_or_default();
                eprintln!(
                    "fuzz: {target} input ran for over {limit:?}: {}",
                    hex(&input)
                );
                save_failure(&target, &input);
                std::process::abort();
            }
        });
        dog
    }

    fn enter(&self, target: &str, input: &[u8]) {
        if let Ok(mut g) = self.current.lock() {
            *g = (target.to_string(), input.to_vec());
        }
        let now = self.epoch.elapsed().as_millis() as u64 + 1;
        self.started_ms.store(now, Ordering::SeqCst);
    }

    fn leave(&self) {
        self.started_ms.store(0, Ordering::SeqCst);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn save_failure(target: &str, input: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let mut h = SplitMix(input.len() as u64);
    let id = input
        .iter()
        .fold(h.next_u64(), |acc, &b| acc.rotate_left(5) ^ u64::from(b));
    let path = dir.join(format!("{target}-{id:016x}"));
    let _ = std::fs::write(&path, input);
    path
}

/// Runs one input; returns false (after reporting) when it panicked.
fn run_one(target: &Target, input: &[u8], dog: &Watchdog) -> bool {
    dog.enter(target.name, input);
    let ok = std::panic::catch_unwind(|| (target.run)(input)).is_ok();
    dog.leave();
    if !ok {
        let path = save_failure(target.name, input);
        eprintln!(
            "fuzz: {} panicked on {} (saved as {})",
            target.name,
            hex(input),
            path.display()
        );
    }
    ok
}

#[test]
fn fuzz_targets_never_panic() {
    let dog = Watchdog::start(Duration::from_secs(30));
    if let Ok(path) = std::env::var("SLOTLAB_FUZZ_INPUT") {
        let input = std::fs::read(&path).expect("SLOTLAB_FUZZ_INPUT is readable");
        for target in TARGETS {
            (target.run)(&input);
        }
        return;
    }
    let iters = env_u64("SLOTLAB_FUZZ_ITERS").unwrap_or(300);
    let seed = env_u64("SLOTLAB_FUZZ_SEED").unwrap_or(0x0008_f022);
    let dict = dictionary();
    let mut failures = 0;
    for target in TARGETS {
        let start = Instant::now();
        let pool = corpus(target.name);
        let mut runs = 0u64;
        // A short run (plain `cargo test`) replays an evenly spread 200 of
        // the kept inputs; a longer one replays them all.
        let step = if iters >= 1000 {
            1
        } else {
            pool.len().div_ceil(200).max(1)
        };
        for input in pool.iter().step_by(step) {
            failures += usize::from(!run_one(target, input, &dog));
            runs += 1;
        }
        let mut rng = SplitMix(seed ^ target.weight.wrapping_mul(0x9e37));
        for _ in 0..iters * target.weight {
            let base = if pool.is_empty() {
                Vec::new()
            } else {
                pool[(rng.next_u64() % pool.len() as u64) as usize].clone()
            };
            let input = mutate(&mut rng, &base, &pool, &dict);
            failures += usize::from(!run_one(target, &input, &dog));
            runs += 1;
            if failures > 20 {
                break;
            }
        }
        println!(
            "fuzz: {:<10} {runs:>8} runs ({} kept inputs) in {:.1?}, seed {seed}",
            target.name,
            pool.len(),
            start.elapsed()
        );
    }
    assert_eq!(failures, 0, "inputs panicked; see above");
}
