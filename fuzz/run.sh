#!/usr/bin/env bash
# Runs one cargo-fuzz target for a bounded time (needs a nightly toolchain
# and cargo-fuzz: `rustup toolchain install nightly --profile minimal`,
# `cargo install cargo-fuzz`). New corpus entries go to a scratch directory;
# fold them into the kept corpus (small) with
# `cargo +nightly fuzz cmin -s none TARGET corpus/TARGET`.
#   bash fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]
# Prints libFuzzer's final stats (executions, exec/s). No sanitizer: the
# engine is safe Rust, so the checks are panics, debug assertions and
# overflow checks (-a).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
target="$1"
seconds="$2"
shift 2
scratch="${SLOTLAB_FUZZ_SCRATCH:-/tmp/slotlab-fuzz}/$target"
mkdir -p "$scratch" "artifacts/$target"
cargo +nightly fuzz build -a -O -s none "$target"
exec ./target/x86_64-unknown-linux-gnu/release/"$target" "$scratch" "corpus/$target" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="artifacts/$target/" "$@"
