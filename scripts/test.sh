#!/usr/bin/env bash
# Installs whatever is missing for testing, then runs every check:
#   a  cargo fmt --check
#   b  cargo clippy -D warnings, native and wasm32
#   c  cargo test (native: engine unit tests, integration tests, goldens on the engine)
#   d  wasm tests in headless Chromium (tests/ui_browser.rs, tests/scripting_wasm.rs)
#   e  goldens re-recorded from a real 6-node Redis cluster (scripts/goldens.sh check)
#   f  trunk build --release, then the Playwright tests in tests/e2e
#   g  a short fuzz run (tests/fuzz.rs: the kept corpus + mutations, seeded
#      by the date) and the property tests with more cases (tests/properties.rs)
# It stops at the first failed step and ends with a "N passed, M failed" line
# (plus ", K skipped" for steps not run after a failure); the exit status is
# non-zero when any step failed.
#
# Environment:
#   SLOTLAB_ONLY=a,b,c     run only these steps (and install only what they need)
#   SLOTLAB_KEEP_GOING=1   run the remaining steps after a failure
set -euo pipefail

# shellcheck source=scripts/install.sh
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"
cd "$SLOTLAB_ROOT"
slotlab_env

ALL_STEPS=(a b c d e f g)
declare -A TITLE=(
    [a]="cargo fmt --check"
    [b]="cargo clippy, native and wasm32"
    [c]="cargo test (native)"
    [d]="wasm UI tests in headless Chromium"
    [e]="goldens against a real Redis cluster"
    [f]="trunk build --release + Playwright e2e"
    [g]="short fuzz + properties"
)

selected=""
if [[ -n "${SLOTLAB_ONLY:-}" ]]; then
    for s in ${SLOTLAB_ONLY//,/ }; do
        if [[ "$s" != [a-g] ]]; then
            echo "SLOTLAB_ONLY: unknown step '$s' (the steps are a to g)" >&2
            exit 2
        fi
    done
    for s in "${ALL_STEPS[@]}"; do
        if [[ ",${SLOTLAB_ONLY// /,}," == *",$s,"* ]]; then
            selected+="$s"
        fi
    done
else
    selected="abcdefg"
fi

fmt_time() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# Prints and runs one command; names it when it fails.
run() {
    printf '+ %s\n' "$*"
    local rc=0
    "$@" || rc=$?
    if ((rc != 0)); then
        printf 'command failed (exit %d): %s\n' "$rc" "$*" >&2
    fi
    return "$rc"
}

# A step whose input is not there fails (it must exist once branches merge).
require() {
    if [[ ! -e "$SLOTLAB_ROOT/$1" ]]; then
        printf '%s is missing (%s)\n' "$1" "$2" >&2
        return 1
    fi
}

step_a() {
    run cargo fmt --check
}

step_b() {
    run cargo clippy --all-targets -- -D warnings
    run cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
}

step_c() {
    run cargo test
}

step_d() {
    require tests/ui_browser.rs "the wasm UI tests"
    # .cargo/config.toml makes wasm-bindgen-test-runner the wasm32 runner. It
    # drives Debian's Chromium through chromedriver; these flags keep Chromium
    # off the network (this machine has none but the package registries).
    local caps="$SLOTLAB_TOOLS/webdriver.json" chromium
    chromium="$(command -v chromium)"
    mkdir -p "$SLOTLAB_TOOLS"
    cat >"$caps" <<JSON
{
  "goog:chromeOptions": {
    "binary": "$chromium",
    "args": ["--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync"]
  }
}
JSON
    CHROMEDRIVER="$(command -v chromedriver)"
    export CHROMEDRIVER
    export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$caps"
    export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-180}"
    echo "CHROMEDRIVER=$CHROMEDRIVER WASM_BINDGEN_TEST_WEBDRIVER_JSON=$caps WASM_BINDGEN_TEST_TIMEOUT=$WASM_BINDGEN_TEST_TIMEOUT"
    TMPDIR="$SLOTLAB_BROWSER_TMP" run cargo test --target wasm32-unknown-unknown --test ui_browser --test scripting_wasm --test panic_browser
}

step_e() {
    require scripts/goldens.sh "records goldens from a real Redis cluster"
    run bash scripts/goldens.sh check
}

step_f() {
    require index.html "the page Trunk builds"
    require Trunk.toml "Trunk's configuration"
    require tests/e2e/package.json "the Playwright tests"
    require tests/e2e/node_modules/.bin/playwright "installed by npm ci in tests/e2e"
    run trunk build --release
    cd tests/e2e
    TMPDIR="$SLOTLAB_BROWSER_TMP" run npx --no playwright test
}

step_g() {
    # Debug build (step c's): overflow checks on. The address-space cap stops
    # a runaway allocation before it takes the machine's memory.
    ulimit -v 16000000
    local seed
    seed="$(date -u +%Y%m%d)"
    echo "SLOTLAB_FUZZ_SEED=$seed SLOTLAB_FUZZ_ITERS=3000 SLOTLAB_PROP_CASES=256"
    SLOTLAB_FUZZ_SEED="$seed" SLOTLAB_FUZZ_ITERS=3000 SLOTLAB_PROP_CASES=256 \
        run cargo test --test fuzz --test properties -- --nocapture
}

# Runs "$@" in a subshell with errexit on, so that a step stops at its first
# failing command, and leaves its exit status in $SUB_RC. It must not itself be
# called inside `if`, `&&` or `||`: bash ignores set -e in everything run there.
SUB_RC=0
in_subshell() {
    set +e
    (
        set -e
        "$@"
    )
    SUB_RC=$?
    set -e
}

# Chromium (steps d and f) leaves a profile folder of ~70 MB in TMPDIR each
# time a driver kills it; keep them in one folder of this run's, removed at exit.
SLOTLAB_BROWSER_TMP="$(mktemp -d "${TMPDIR:-/tmp}/slotlab-browsers.XXXXXX")"
trap 'rm -rf "$SLOTLAB_BROWSER_TMP"' EXIT

total_start=$SECONDS
# A full disk shows up later as a linker's "Bus error"; say how much is free.
echo "== disk: $(df -h --output=avail "$SLOTLAB_ROOT" | tail -n 1 | tr -d ' ') free where the build goes =="
echo "== set-up: installing what steps $selected need =="
setup_start=$SECONDS
in_subshell slotlab_install_for_steps "$selected"
setup_rc=$SUB_RC
setup_time=$((SECONDS - setup_start))
if ((setup_rc != 0)); then
    echo
    echo "FAILED: set-up (see the [setup] lines above) after $(fmt_time "$setup_time"); no step ran" >&2
    echo "0 passed, 0 failed, ${#selected} skipped"
    exit 1
fi
echo "== set-up done in $(fmt_time "$setup_time") =="

passed=0
failed=0
skipped=0
stopped=""
declare -A RESULT TIME
for s in "${ALL_STEPS[@]}"; do
    [[ "$selected" == *"$s"* ]] || continue
    if [[ -n "$stopped" ]]; then
        RESULT[$s]="not run"
        skipped=$((skipped + 1))
        continue
    fi
    echo
    echo "== step $s: ${TITLE[$s]} =="
    start=$SECONDS
    in_subshell "step_$s"
    rc=$SUB_RC
    TIME[$s]=$(fmt_time $((SECONDS - start)))
    if ((rc == 0)); then
        RESULT[$s]="passed"
        passed=$((passed + 1))
        echo "== step $s passed in ${TIME[$s]} =="
    else
        RESULT[$s]="FAILED"
        failed=$((failed + 1))
        echo "FAILED: step $s (${TITLE[$s]}) after ${TIME[$s]}" >&2
        if [[ -z "${SLOTLAB_KEEP_GOING:-}" ]]; then
            stopped="$s"
        fi
    fi
done

echo
echo "== summary =="
printf '   %-40s %-8s %s\n' "set-up" "done" "$(fmt_time "$setup_time")"
for s in "${ALL_STEPS[@]}"; do
    if [[ "$selected" == *"$s"* ]]; then
        printf '%s  %-40s %-8s %s\n' "$s" "${TITLE[$s]}" "${RESULT[$s]}" "${TIME[$s]:-}"
    fi
done
if [[ "$selected" != "abcdefg" ]]; then
    echo "(SLOTLAB_ONLY=$SLOTLAB_ONLY: only steps $selected were selected)"
fi
if [[ -n "$stopped" ]]; then
    echo "(stopped after step $stopped failed; SLOTLAB_KEEP_GOING=1 runs the rest anyway)"
fi
echo "total $(fmt_time $((SECONDS - total_start)))"
if ((skipped > 0)); then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
((failed == 0))
