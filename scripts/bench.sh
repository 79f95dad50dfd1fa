#!/usr/bin/env bash
# The measurements behind README "Performance" (issue 8). Numbers are
# printed, never asserted: they depend on the machine and its load.
#
#   script   one EVAL calling redis.call('INCR', KEYS[1]) 100 000 times:
#            the engine (examples/incr_script.rs, release build) and a
#            throw-away redis-server on port 7600 (its own time, from
#            INFO commandstats), in one run, and their ratio
#   engine   criterion benchmarks: routing, commands, scripts (benches/engine.rs)
#   size     trunk build --release: first load (the page, with its css and js
#            inside, + the first wasm module)
#            after gzip -9, against the 400 KB budget; the second wasm module
#            on its own; the Lua VM's share of the code
#   browser  headless Chromium (Playwright, tests/e2e/perf/measure.mjs):
#            time to interactive against the bare Yew app in
#            benches/bare-yew, keystroke latency with 100k keys loaded,
#            and 1M keys + the slot map (tests/perf_browser.rs)
#
# Usage: bash scripts/bench.sh [script] [engine] [size] [browser]   (default: all)
set -euo pipefail

# shellcheck source=scripts/install.sh
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"
cd "$SLOTLAB_ROOT"
slotlab_env

REDIS_PORT=7600
parts=("$@")
((${#parts[@]})) || parts=(script engine size browser)

echo "== $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load:$(cut -d' ' -f1-3 /proc/loadavg)"

# The script both sides run (the same text as examples/incr_script.rs).
SCRIPT="for i = 1, 100000 do redis.call('INCR', KEYS[1]) end return redis.call('GET', KEYS[1])"

bench_script() {
    echo "== script: 100k redis.call('INCR') in one EVAL"
    slotlab_ensure_apt redis-server=redis-server redis-cli=redis-tools
    cargo build --release --example incr_script
    redis-server --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
        --pidfile "/tmp/slotlab-bench-$REDIS_PORT.pid" >/dev/null
    # shellcheck disable=SC2064
    trap "redis-cli -p $REDIS_PORT shutdown nosave >/dev/null 2>&1 || true" EXIT
    for _ in $(seq 50); do
        redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    redis-cli -p "$REDIS_PORT" CONFIG RESETSTAT >/dev/null
    for run in 1 2 3 4 5; do
        reply=$(redis-cli -p "$REDIS_PORT" EVAL "$SCRIPT" 1 "bench{bar}$run")
        [[ "$reply" == 100000 ]] || { echo "redis-server answered $reply" >&2; return 1; }
    done
    local redis_ms
    redis_ms=$(redis-cli -p "$REDIS_PORT" INFO commandstats | tr -d '\r' |
        sed -n 's/^cmdstat_eval:.*usec_per_call=\([0-9.]*\).*/\1/p' | awk '{printf "%.1f", $1 / 1000}')
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    trap - EXIT
    echo "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'): ${redis_ms} ms per EVAL (mean of 5, INFO commandstats)"
    local engine_out engine_ms
    engine_out=$(target/release/examples/incr_script)
    echo "$engine_out"
    engine_ms=$(sed -n 's/^engine median: \([0-9.]*\) ms/\1/p' <<<"$engine_out")
    awk -v e="$engine_ms" -v r="$redis_ms" \
        'BEGIN { printf "script: engine %.1f ms, redis-server %.1f ms, ratio %.1fx\n", e, r, e / r }'
}

bench_engine() {
    echo "== engine: criterion"
    # criterion prints `name time: [low median high]`, the name alone on
    # its line when it is long: print name and median.
    cargo bench --bench engine -- --noplot --warm-up-time 1 --measurement-time 3 2>&1 |
        awk '/^[a-z]/ { name = $0; sub(/ +time:.*/, "", name) }
             /time:/ { match($0, /\[[^]]*\]/); split(substr($0, RSTART + 1, RLENGTH - 2), t, " ");
                       printf "%-58s %s %s\n", name, t[3], t[4] }'
}

gz() { gzip -9 -c "$1" | wc -c; }

bench_size() {
    echo "== size: trunk build --release, gzip -9"
    trunk build --release >/dev/null
    # First load: the page (its stylesheets and JS loader are inside it,
    # scripts/inline_page.py) and the main wasm; a separate JS or stylesheet,
    # if a build has one, counts too. The second wasm module (*_lazy.wasm,
    # scripts/wasm_split.py: the Lua VM and whatever the start does not run)
    # is fetched once the page has started: reported on its own.
    local f total=0 raw packed
    for f in dist/index.html dist/slotlab-*_bg.wasm dist/slotlab-*.js dist/*.css; do
        [[ -e "$f" ]] || continue
        raw=$(wc -c <"$f")
        packed=$(gz "$f")
        total=$((total + packed))
        printf '%-45s %8d bytes raw %8d gzip -9\n' "${f#dist/}" "$raw" "$packed"
    done
    awk -v t="$total" 'BEGIN { printf "first load (page with its css and js + wasm, gzip -9): %d bytes = %.1f KB (budget 400 KB)\n", t, t / 1024 }'
    # A Chinese or Japanese page waits for its catalog before it starts; the
    # lessons' translations (i18n/lessons-*.json) come after the start.
    local lang catalog
    for lang in zh ja; do
        catalog=$(gz "dist/i18n/$lang.json")
        awk -v t="$total" -v c="$catalog" -v l="$lang" -v s="$(gz "dist/i18n/lessons-$lang.json")" \
            'BEGIN { printf "first load in %s (+ i18n/%s.json, %.1f KB): %.1f KB (budget 400 KB); i18n/lessons-%s.json %.1f KB after the start\n", l, l, c / 1024, (t + c) / 1024, l, s / 1024 }'
    done
    for f in dist/slotlab-*_lazy.wasm; do
        [[ -e "$f" ]] || continue
        printf '%-45s %8d bytes raw %8d gzip -9 (fetched after the start)\n' \
            "${f#dist/}" "$(wc -c <"$f")" "$(gz "$f")"
    done
    # The Lua VM's share: code bytes of functions from the Lua crates in
    # the (pre-wasm-opt) cargo output, which still has its name section.
    python3 scripts/wasm_share.py target/wasm32-unknown-unknown/release/slotlab.wasm
}

bench_browser() {
    echo "== browser: headless Chromium"
    [[ -d dist ]] || trunk build --release >/dev/null
    (cd benches/bare-yew && CARGO_TARGET_DIR="$SLOTLAB_ROOT/target" trunk build --release >/dev/null)
    (cd tests/e2e && node perf/measure.mjs)
    echo "-- 1M keys and the slot map (wasm, release, Chromium)"
    local caps="$SLOTLAB_TOOLS/webdriver.json"
    CHROMEDRIVER="$(command -v chromedriver)" WASM_BINDGEN_TEST_WEBDRIVER_JSON="$caps" \
        WASM_BINDGEN_TEST_TIMEOUT=300 \
        cargo test --release --target wasm32-unknown-unknown --test perf_browser -- --nocapture 2>&1 |
        grep -E '^perf:' || true
}

for part in "${parts[@]}"; do
    case "$part" in
        script | engine | size | browser) "bench_$part" ;;
        *)
            echo "unknown part '$part' (script, engine, size, browser)" >&2
            exit 2
            ;;
    esac
done
