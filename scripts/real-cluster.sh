#!/usr/bin/env bash
# A throw-away 6-node Redis Cluster on 127.0.0.1:7000-7005 for recording and
# checking the goldens (tests/goldens/*.jsonl), built from Debian's
# redis-server 7.0.15 (`apt-get install -y redis-server redis-tools`).
# The system redis service is never used or touched.
#
# Usage:
#   scripts/real-cluster.sh start    # (re)start: stops whatever answers on 7000-7005 first
#   scripts/real-cluster.sh status   # exit 0 when all 6 nodes are up and cluster_state:ok
#   scripts/real-cluster.sh stop     # SHUTDOWN NOSAVE on each port, then remove the state
#
# Layout after `start` (the scenario contract's default, docs/SCENARIOS.md):
#   masters 7000 / 7001 / 7002 with slots 0-5460 / 5461-10922 / 10923-16383,
#   replicas 7003 -> 7000, 7004 -> 7001, 7005 -> 7002.
#
# State (config, logs, pid files) lives under $STATE
# (default ${TMPDIR:-/tmp}/slotlab-real-cluster). Only loopback is used.
# Processes are stopped by SHUTDOWN or by the pid files written here, never by name.
set -euo pipefail

STATE="${STATE:-${TMPDIR:-/tmp}/slotlab-real-cluster}"
HOST=127.0.0.1
MASTERS=(7000 7001 7002)
REPLICAS=(7003 7004 7005) # replica i replicates master i
PORTS=("${MASTERS[@]}" "${REPLICAS[@]}")
WANT_VERSION=7.0.15

die() {
  echo "real-cluster: $*" >&2
  exit 1
}

cli() {
  local port=$1
  shift
  redis-cli -h "$HOST" -p "$port" "$@"
}

up() { cli "$1" ping 2>/dev/null | grep -q PONG; }

# Waits (up to $2 tenths of a second) until the command "$3..." succeeds.
wait_for() {
  local what=$1 tries=$2
  shift 2
  for ((i = 0; i < tries; i++)); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  die "timed out waiting for $what"
}

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

state_ok() { cli "$1" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; }

node_id() { cli "$1" cluster myid; }

# Every node's CLUSTER NODES shows 3 replicas, each with the right master.
layout_ok() {
  local p i nodes
  for p in "${PORTS[@]}"; do
    nodes=$(cli "$p" cluster nodes 2>/dev/null) || return 1
    for i in 0 1 2; do
      grep -q "^${IDS[${REPLICAS[$i]}]} .*slave ${IDS[${MASTERS[$i]}]} .* connected" <<<"$nodes" ||
        return 1
    done
  done
}

replicate() { [ "$(cli "$1" cluster replicate "$2" 2>&1)" = OK ]; }

# Every node's CLUSTER SLOTS lists all six nodes: a replica appears there only
# once its replication offset has been gossiped (isReplicaAvailable).
slots_complete() {
  local p q out
  for p in "${PORTS[@]}"; do
    out=$(cli "$p" cluster slots 2>/dev/null) || return 1
    for q in "${PORTS[@]}"; do
      grep -qx "$q" <<<"$out" || return 1
    done
  done
}

link_up() { cli "$1" info replication 2>/dev/null | grep -q 'master_link_status:up'; }

stop() {
  local p f pid
  for p in "${PORTS[@]}"; do
    if up "$p"; then cli "$p" shutdown nosave >/dev/null 2>&1 || true; fi
  done
  # Fall back to the pid files this script wrote (never kill by name).
  for p in "${PORTS[@]}"; do
    f="$STATE/$p/redis.pid"
    if [ -f "$f" ]; then
      pid=$(cat "$f")
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        sleep 0.5
        kill "$pid" 2>/dev/null || true
      fi
    fi
  done
  for p in "${PORTS[@]}"; do
    wait_for "port $p to be free" 100 port_free "$p"
  done
  rm -rf "$STATE"
}

start() {
  command -v redis-server >/dev/null || die "redis-server not found (apt-get install -y redis-server)"
  command -v redis-cli >/dev/null || die "redis-cli not found (apt-get install -y redis-tools)"
  local version
  version=$(redis-server --version | sed -n 's/.* v=\([0-9.]*\) .*/\1/p')
  if [ "$version" != "$WANT_VERSION" ]; then
    echo "real-cluster: warning: redis-server $version, the goldens come from $WANT_VERSION" >&2
  fi

  # Safe to run twice: whatever answers on our ports goes first.
  stop

  local p d
  for p in "${PORTS[@]}"; do
    d="$STATE/$p"
    mkdir -p "$d"
    redis-server \
      --port "$p" \
      --bind "$HOST" \
      --protected-mode yes \
      --cluster-enabled yes \
      --cluster-config-file "nodes-$p.conf" \
      --cluster-node-timeout 5000 \
      --appendonly no \
      --repl-diskless-sync-delay 0 \
      --save '' \
      --daemonize yes \
      --dir "$d" \
      --pidfile "$d/redis.pid" \
      --logfile "$d/redis.log"
  done
  for p in "${PORTS[@]}"; do
    wait_for "node $p to answer PING" 100 up "$p"
  done

  # The three masters first (slots 0-5460 / 5461-10922 / 10923-16383) ...
  local masters=()
  for p in "${MASTERS[@]}"; do masters+=("$HOST:$p"); done
  redis-cli --cluster create "${masters[@]}" --cluster-replicas 0 --cluster-yes >"$STATE/create.log" 2>&1 ||
    { cat "$STATE/create.log" >&2; die "cluster create failed"; }

  # ... then each replica attached to its master explicitly, so the layout is
  # always the contract's default (redis-cli --cluster create picks its own).
  declare -gA IDS
  for p in "${PORTS[@]}"; do IDS[$p]=$(node_id "$p"); done
  for p in "${REPLICAS[@]}"; do
    cli "$p" cluster meet "$HOST" "${MASTERS[0]}" >/dev/null
  done
  local i
  for i in 0 1 2; do
    # Retried: right after MEET the replica may not know its master yet.
    wait_for "${REPLICAS[$i]} to accept CLUSTER REPLICATE" 300 \
      replicate "${REPLICAS[$i]}" "${IDS[${MASTERS[$i]}]}"
  done

  wait_for "every node to see the replicas" 600 layout_ok
  for p in "${PORTS[@]}"; do
    wait_for "cluster_state:ok on $p" 600 state_ok "$p"
  done
  for p in "${REPLICAS[@]}"; do
    wait_for "replication link of $p" 600 link_up "$p"
  done
  wait_for "every node's CLUSTER SLOTS to list the replicas" 600 slots_complete
  echo "real-cluster: up on $HOST:7000-7005 (state in $STATE)"
  cli 7000 cluster nodes | sort -k2
}

status() {
  local p ok=0
  for p in "${PORTS[@]}"; do
    if up "$p" && state_ok "$p"; then
      echo "$p: up, cluster_state:ok"
    else
      echo "$p: down or cluster not ok"
      ok=1
    fi
  done
  if up 7000; then cli 7000 cluster nodes | sort -k2; fi
  return "$ok"
}

case "${1:-}" in
start) start ;;
status) status ;;
stop) stop ;;
*)
  echo "usage: $0 start|status|stop" >&2
  exit 2
  ;;
esac
