#!/usr/bin/env bash
# Ground truth for the scenario files: tests/goldens/X.jsonl holds what a real
# Redis 7.0.15 cluster answered to tests/scenarios/X.jsonl.
#
# Usage:
#   scripts/goldens.sh record   # re-record every tests/goldens/*.jsonl
#   scripts/goldens.sh check    # re-record into a temp dir and fail (with the
#                               # differences) if anything drifted from the goldens
#
# Both build the CLI, start the throw-away cluster (scripts/real-cluster.sh,
# ports 7000-7005), run the redis-cli cross-check of our formatter
# (`slotlab replay --cli-check`), and stop the cluster at the end, also on failure.
# Needs redis-server and redis-cli 7.0.15 (Debian: redis-server redis-tools).
set -euo pipefail

cd "$(dirname "$0")/.."
MODE="${1:-}"
case "$MODE" in
record | check) ;;
*)
  echo "usage: $0 record|check" >&2
  exit 2
  ;;
esac

ADDR=127.0.0.1:7000
OUT="$(mktemp -d "${TMPDIR:-/tmp}/slotlab-goldens.XXXXXX")"

cleanup() {
  bash scripts/real-cluster.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

cargo build --quiet --bin slotlab
slotlab() { cargo run --quiet --bin slotlab -- "$@"; }

bash scripts/real-cluster.sh start >/dev/null

failed=0
for scenarios in tests/scenarios/*.jsonl; do
  name=$(basename "$scenarios")
  golden="tests/goldens/$name"
  rc=0
  if [ "$MODE" = record ]; then
    # Exit code bits: 1 = differs from the existing golden, 4 = redis-cli
    # cross-check mismatch (reported above); 2 = error. A golden that still
    # matches is kept as is, so node ids and hash orders do not churn.
    if [ -f "$golden" ]; then
      slotlab replay --real "$ADDR" --cli-check --check "$golden" --out "$OUT/$name" "$scenarios" >/dev/null || rc=$?
    else
      slotlab replay --real "$ADDR" --cli-check --out "$OUT/$name" "$scenarios" || rc=$?
      rc=$((rc == 0 || rc == 4 ? rc + 1 : rc))
    fi
    if [ "$rc" -ne 2 ] && [ $((rc & 1)) -eq 1 ] && [ -s "$OUT/$name" ]; then
      cp "$OUT/$name" "$golden"
      echo "recorded $golden"
    elif [ "$rc" -ne 2 ]; then
      echo "unchanged $golden"
    fi
    if [ $((rc & 1)) -eq 1 ]; then rc=$((rc & ~1)); fi
  else
    if [ ! -f "$golden" ]; then
      echo "missing golden $golden (run: scripts/goldens.sh record)" >&2
      failed=1
      continue
    fi
    slotlab replay --real "$ADDR" --cli-check --check "$golden" --out "$OUT/$name" "$scenarios" || rc=$?
  fi
  if [ "$rc" -ne 0 ]; then failed=1; fi
done

for golden in tests/goldens/*.jsonl; do
  if [ ! -f "tests/scenarios/$(basename "$golden")" ]; then
    echo "stale golden $golden: no tests/scenarios/$(basename "$golden")" >&2
    failed=1
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "goldens $MODE: FAILED (fresh recordings in $OUT)" >&2
  exit 1
fi
rm -rf "$OUT"
echo "goldens $MODE: OK"
