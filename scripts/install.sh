#!/usr/bin/env bash
# Shared set-up for slotlab: PATH, exact-version checks and installers.
#
# Sourced by scripts/serve.sh and scripts/test.sh. Run directly, it installs
# what those need and starts nothing:
#   bash scripts/install.sh          # everything scripts/test.sh needs
#   bash scripts/install.sh serve    # only what scripts/serve.sh needs
#
# Every installer checks the exact version first and does nothing when it is
# already there, so a second run installs nothing. Nothing here downloads from
# GitHub: tools come from rustup, crates.io, npm and Debian's apt.

# Pinned versions. wasm-bindgen has no pin here: it is read from Cargo.lock.
SLOTLAB_TRUNK_VERSION="0.21.14"
SLOTLAB_BINARYEN_VERSION="132.0.0"
SLOTLAB_WASM_TARGET="wasm32-unknown-unknown"

# The repository root, from this file's own path (works from any directory).
SLOTLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Gitignored folder for the npm-installed tools (binaryen's wasm-opt).
SLOTLAB_TOOLS="$SLOTLAB_ROOT/.tools"

slotlab_log() { printf '[setup] %s\n' "$*"; }
slotlab_err() { printf '[setup] ERROR: %s\n' "$*" >&2; }

# PATH and environment for every script: cargo's bin first (cargo-installed
# trunk and wasm-bindgen win over anything else), then the npm-installed
# wasm-opt ahead of any system one (Debian's binaryen is too old).
slotlab_env() {
    local cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
    case ":$PATH:" in
        *":$SLOTLAB_TOOLS/node_modules/.bin:"*) ;;
        *) PATH="$SLOTLAB_TOOLS/node_modules/.bin:$PATH" ;;
    esac
    case ":$PATH:" in
        "$cargo_bin:"*) ;;
        *) PATH="$cargo_bin:$PATH" ;;
    esac
    export PATH
    # Trunk must never reach the network for itself: no update check, and no
    # tool downloads (a missing or wrong tool is an error, not a download).
    export TRUNK_SKIP_VERSION_CHECK=true
    export TRUNK_OFFLINE=true
    # Playwright must use Debian's Chromium, never download a browser.
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    # A CI run builds once from a clean clone: incremental caches are only
    # gigabytes of disk there.
    if [[ -n "${CI:-}" ]]; then
        export CARGO_INCREMENTAL=0
    fi
    hash -r
}

# First line of `CMD --version`, or "none" when CMD is missing or fails.
slotlab_version_of() {
    local out
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "none"
        return 0
    fi
    out="$("$1" --version 2>/dev/null | head -n 1)" || true
    echo "${out:-none}"
}

# The wasm-bindgen version pinned in Cargo.lock (exactly one is expected).
slotlab_wasm_bindgen_version() {
    local lock="$SLOTLAB_ROOT/Cargo.lock" versions
    if [[ ! -f "$lock" ]]; then
        slotlab_err "Cargo.lock not found in $SLOTLAB_ROOT"
        return 1
    fi
    versions="$(awk '
        $0 == "name = \"wasm-bindgen\"" { want = 1; next }
        want && $1 == "version" { gsub(/"/, "", $3); print $3 }
        { want = 0 }' "$lock" | sort -u)"
    if [[ -z "$versions" || "$versions" == *$'\n'* ]]; then
        slotlab_err "expected exactly one wasm-bindgen version in Cargo.lock, found: '${versions//$'\n'/ }'"
        return 1
    fi
    echo "$versions"
}

slotlab_need_cargo() {
    if ! command -v cargo >/dev/null 2>&1 || ! command -v rustup >/dev/null 2>&1; then
        slotlab_err "cargo/rustup not found (looked in PATH and ${CARGO_HOME:-$HOME/.cargo}/bin); install the Rust toolchain with rustup first"
        return 1
    fi
}

# rustfmt and clippy (part of rustup's default profile, but not of minimal).
slotlab_ensure_components() {
    slotlab_need_cargo || return 1
    local missing=()
    cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
    cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
    if ((${#missing[@]} == 0)); then
        slotlab_log "rustfmt, clippy: ok"
        return 0
    fi
    slotlab_log "rustup component add ${missing[*]}"
    rustup component add "${missing[@]}" || return 1
}

slotlab_ensure_wasm_target() {
    slotlab_need_cargo || return 1
    if rustup target list --installed | grep -qx "$SLOTLAB_WASM_TARGET"; then
        slotlab_log "rust target $SLOTLAB_WASM_TARGET: ok"
        return 0
    fi
    slotlab_log "rustup target add $SLOTLAB_WASM_TARGET"
    rustup target add "$SLOTLAB_WASM_TARGET" || return 1
}

slotlab_ensure_trunk() {
    slotlab_need_cargo || return 1
    local want="trunk $SLOTLAB_TRUNK_VERSION" have
    have="$(slotlab_version_of trunk)"
    if [[ "$have" == "$want" ]]; then
        slotlab_log "$want: ok ($(command -v trunk))"
        return 0
    fi
    slotlab_log "trunk: found '$have', want '$want'"
    slotlab_log "cargo install --locked --force trunk --version $SLOTLAB_TRUNK_VERSION (about 15 minutes, 2 GB of memory)"
    cargo install --locked --force trunk --version "$SLOTLAB_TRUNK_VERSION" || return 1
    hash -r
    have="$(slotlab_version_of trunk)"
    if [[ "$have" != "$want" ]]; then
        slotlab_err "after installing, 'trunk --version' says '$have' ($(command -v trunk || echo 'not on PATH')), want '$want'"
        return 1
    fi
}

# wasm-bindgen and wasm-bindgen-test-runner (one crate) at Cargo.lock's version.
# Not --locked: wasm-bindgen-cli's own lockfile wants a crate the registry lacks.
slotlab_ensure_wasm_bindgen() {
    slotlab_need_cargo || return 1
    local version have_cli have_runner
    version="$(slotlab_wasm_bindgen_version)" || return 1
    have_cli="$(slotlab_version_of wasm-bindgen)"
    have_runner="$(slotlab_version_of wasm-bindgen-test-runner)"
    if [[ "$have_cli" == "wasm-bindgen $version" && "$have_runner" == "wasm-bindgen-test-runner $version" ]]; then
        slotlab_log "wasm-bindgen $version: ok ($(command -v wasm-bindgen))"
        return 0
    fi
    slotlab_log "wasm-bindgen: found '$have_cli' / '$have_runner', want $version (from Cargo.lock)"
    slotlab_log "cargo install --force wasm-bindgen-cli --version $version (about 5 minutes)"
    cargo install --force wasm-bindgen-cli --version "$version" || return 1
    hash -r
    have_cli="$(slotlab_version_of wasm-bindgen)"
    if [[ "$have_cli" != "wasm-bindgen $version" ]]; then
        slotlab_err "after installing, 'wasm-bindgen --version' says '$have_cli' ($(command -v wasm-bindgen || echo 'not on PATH')), want $version"
        return 1
    fi
}

# Runs apt-get as root (sudo only when not root), non-interactively.
slotlab_apt() {
    if [[ "$(id -u)" == 0 ]]; then
        env DEBIAN_FRONTEND=noninteractive apt-get "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo env DEBIAN_FRONTEND=noninteractive apt-get "$@"
    else
        slotlab_err "not root and no sudo: cannot run apt-get $*"
        return 1
    fi
}

slotlab_as_root() {
    if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages named after each binary that is missing.
# Arguments: BINARY=PACKAGE ...  (e.g. chromedriver=chromium-driver)
slotlab_ensure_apt() {
    local pair bin pkg missing=() policy=/usr/sbin/policy-rc.d made_policy="" rc=0
    for pair in "$@"; do
        bin="${pair%%=*}"
        pkg="${pair#*=}"
        if command -v "$bin" >/dev/null 2>&1; then
            slotlab_log "$bin: ok ($(command -v "$bin"))"
        else
            slotlab_log "$bin: missing, needs Debian package $pkg"
            [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
        fi
    done
    ((${#missing[@]} > 0)) || return 0
    if [[ -z "${SLOTLAB_APT_UPDATED:-}" ]]; then
        slotlab_log "apt-get update"
        slotlab_apt update || return 1
        SLOTLAB_APT_UPDATED=1
    fi
    # Installing redis-server would start Debian's redis-server service: a
    # policy-rc.d that answers 101 stops maintainer scripts starting services.
    # It is only added when there is none, and removed right after.
    if [[ " ${missing[*]} " == *" redis-server "* && ! -e "$policy" ]]; then
        slotlab_log "adding a temporary $policy so the redis-server service is not started"
        printf '#!/bin/sh\nexit 101\n' | slotlab_as_root tee "$policy" >/dev/null || return 1
        slotlab_as_root chmod 755 "$policy" || return 1
        made_policy=1
    fi
    slotlab_log "apt-get install -y ${missing[*]}"
    slotlab_apt install -y "${missing[@]}" || rc=$?
    if [[ -n "$made_policy" ]]; then
        slotlab_as_root rm -f "$policy" || rc=1
    fi
    hash -r
    if ((rc != 0)); then
        return "$rc"
    fi
    for pair in "$@"; do
        bin="${pair%%=*}"
        if ! command -v "$bin" >/dev/null 2>&1; then
            slotlab_err "$bin still missing after apt-get install ${missing[*]}"
            return 1
        fi
    done
}

# A font with Chinese and Japanese glyphs, for the e2e screenshots of the
# page in 简体中文 and 日本語 (Debian's fonts-noto-cjk).
slotlab_ensure_cjk_font() {
    if command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list :lang=zh-cn family)" && -n "$(fc-list :lang=ja family)" ]]; then
        slotlab_log "CJK font: ok"
        return 0
    fi
    if [[ -z "${SLOTLAB_APT_UPDATED:-}" ]]; then
        slotlab_log "apt-get update"
        slotlab_apt update || return 1
        SLOTLAB_APT_UPDATED=1
    fi
    slotlab_log "apt-get install -y fonts-noto-cjk"
    slotlab_apt install -y fonts-noto-cjk
}

# Node.js and npm (already on the machine image; Debian's as a fallback).
slotlab_ensure_node() {
    slotlab_ensure_apt node=nodejs npm=npm || return 1
    slotlab_log "node $(node --version), npm $(npm --version)"
}

# A wasm-opt that can read wasm-bindgen's output: npm's binaryen, installed in
# .tools/ (gitignored). Never Debian's binaryen (version 108 fails on it).
slotlab_ensure_wasm_opt() {
    slotlab_ensure_node || return 1
    local major="${SLOTLAB_BINARYEN_VERSION%%.*}"
    local bin="$SLOTLAB_TOOLS/node_modules/.bin/wasm-opt" have
    have="$(slotlab_version_of "$bin")"
    if [[ "$have" != "wasm-opt version $major "* ]]; then
        slotlab_log "wasm-opt: found '$have' in .tools/, want binaryen $SLOTLAB_BINARYEN_VERSION"
        slotlab_log "npm install binaryen@$SLOTLAB_BINARYEN_VERSION into $SLOTLAB_TOOLS"
        mkdir -p "$SLOTLAB_TOOLS" || return 1
        if [[ ! -f "$SLOTLAB_TOOLS/package.json" ]]; then
            printf '{ "private": true, "description": "slotlab build tools (not committed)" }\n' >"$SLOTLAB_TOOLS/package.json"
        fi
        npm install --prefix "$SLOTLAB_TOOLS" --save-exact --no-audit --no-fund \
            "binaryen@$SLOTLAB_BINARYEN_VERSION" || return 1
        hash -r
        have="$(slotlab_version_of "$bin")"
        if [[ "$have" != "wasm-opt version $major "* ]]; then
            slotlab_err "after installing, '$bin --version' says '$have'"
            return 1
        fi
    fi
    # Trunk runs the first wasm-opt on PATH; it has to be this one.
    if [[ "$(command -v wasm-opt)" != "$bin" ]]; then
        slotlab_err "'wasm-opt' on PATH is $(command -v wasm-opt || echo 'nothing'), not $bin"
        return 1
    fi
    slotlab_log "$have: ok ($bin)"
    slotlab_check_trunk_toml || return 1
}

# Debian's binaryen for wasm-split (release builds split the Lua VM into a
# second module: scripts/wasm_split.py, a Trunk hook). Its wasm-opt is never
# used: .tools/ comes first on PATH.
slotlab_ensure_wasm_split() {
    if [[ -x /usr/bin/wasm-split ]]; then
        slotlab_log "wasm-split: ok (/usr/bin/wasm-split)"
        return 0
    fi
    slotlab_ensure_apt wasm-split=binaryen || return 1
}

# Trunk.toml's [tools] pins, if any, must be the versions installed here:
# Trunk takes a tool from PATH only at exactly the version it wants.
slotlab_check_trunk_toml() {
    local toml="$SLOTLAB_ROOT/Trunk.toml" want have
    [[ -f "$toml" ]] || return 0
    want="version_${SLOTLAB_BINARYEN_VERSION%%.*}"
    have="$(sed -n 's/^[[:space:]]*wasm_opt[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$toml")"
    if [[ -n "$have" && "$have" != "$want" ]]; then
        slotlab_err "Trunk.toml asks for wasm_opt = \"$have\", but the installed wasm-opt is $want (binaryen@$SLOTLAB_BINARYEN_VERSION)"
        return 1
    fi
    want="$(slotlab_wasm_bindgen_version)" || return 1
    have="$(sed -n 's/^[[:space:]]*wasm_bindgen[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$toml")"
    if [[ -n "$have" && "$have" != "$want" ]]; then
        slotlab_err "Trunk.toml asks for wasm_bindgen = \"$have\", but Cargo.lock has wasm-bindgen $want"
        return 1
    fi
}

# Crates for every target, so that Trunk's offline cargo build finds them.
slotlab_fetch_crates() {
    slotlab_need_cargo || return 1
    slotlab_log "cargo fetch"
    (cd "$SLOTLAB_ROOT" && cargo fetch --quiet) || return 1
}

# The npm dependencies of tests/e2e (Playwright, with Debian's Chromium);
# needs node and npm (slotlab_ensure_node).
# `npm ci` runs only when package-lock.json changed since the last install.
slotlab_ensure_e2e_deps() {
    local dir="$SLOTLAB_ROOT/tests/e2e"
    local lock="$dir/package-lock.json" stamp="$dir/node_modules/.slotlab-lock.sha256" sum
    if [[ ! -f "$dir/package.json" || ! -f "$lock" ]]; then
        slotlab_err "tests/e2e/package.json or package-lock.json is missing: cannot install the Playwright tests"
        return 1
    fi
    sum="$(sha256sum "$lock" | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
        slotlab_log "tests/e2e node_modules: ok (matches package-lock.json)"
        return 0
    fi
    slotlab_log "npm ci in tests/e2e"
    (cd "$dir" && npm ci --no-audit --no-fund) || return 1
    echo "$sum" >"$stamp"
}

# Everything scripts/serve.sh needs.
slotlab_install_serve() {
    slotlab_ensure_wasm_target || return 1
    slotlab_ensure_wasm_bindgen || return 1
    slotlab_ensure_wasm_opt || return 1
    slotlab_ensure_wasm_split || return 1
    slotlab_ensure_trunk || return 1
    slotlab_fetch_crates || return 1
}

# What the steps of scripts/test.sh need; $1 holds the step letters (a-f).
slotlab_install_for_steps() {
    local steps="$1" apt=()
    if [[ "$steps" == *[ab]* ]]; then
        slotlab_ensure_components || return 1
    fi
    if [[ "$steps" == *[bdf]* ]]; then
        slotlab_ensure_wasm_target || return 1
    fi
    if [[ "$steps" == *[df]* ]]; then
        slotlab_ensure_wasm_bindgen || return 1
        apt+=(chromium=chromium chromedriver=chromium-driver)
    fi
    if [[ "$steps" == *e* ]]; then
        apt+=(redis-server=redis-server redis-cli=redis-tools)
    fi
    if ((${#apt[@]} > 0)); then
        slotlab_ensure_apt "${apt[@]}" || return 1
    fi
    if [[ "$steps" == *f* ]]; then
        slotlab_ensure_cjk_font || return 1
        # The rest of slotlab_install_serve (target and wasm-bindgen are above).
        slotlab_ensure_wasm_opt || return 1
        slotlab_ensure_wasm_split || return 1
        slotlab_ensure_trunk || return 1
        slotlab_fetch_crates || return 1
        if [[ -f "$SLOTLAB_ROOT/tests/e2e/package.json" ]]; then
            slotlab_ensure_e2e_deps || return 1
        else
            slotlab_log "WARNING: tests/e2e/package.json is missing, so step f will fail"
        fi
    fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    cd "$SLOTLAB_ROOT"
    slotlab_env
    case "${1:-test}" in
        serve) slotlab_install_serve ;;
        test) slotlab_install_for_steps abcdef ;;
        *)
            echo "usage: bash scripts/install.sh [serve|test]" >&2
            exit 2
            ;;
    esac
    slotlab_log "done"
fi
