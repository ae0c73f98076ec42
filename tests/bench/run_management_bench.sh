#!/usr/bin/env bash
# Runs every management benchmark and prints the figures:
#   tests/bench/run_management_bench.sh BUILD_DIR [management_bench.py options]
# BUILD_DIR must hold a build with XMPPFED_BUILD_BENCHMARKS=ON (xmppfed and
# the xmppfed-rpc it execs, xmppfed-agent, grpc_floor, partner_loader, and
# grpc_floor_static when XMPPFED_STATIC_CLI=ON). Peak RSS needs GNU time
# (/usr/bin/time, Debian package `time`). Everything runs in a fresh
# temporary directory on Unix sockets (Prosody's admin socket included); the
# agent and Prosody started here are stopped, and the directory removed, on
# exit, failure or interruption.
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 BUILD_DIR [management_bench.py options]" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "$1" && pwd)
shift

work=$(mktemp -d "${TMPDIR:-/tmp}/xmppfed-bench.XXXXXX")
bench_pid=""

# Stops a daemon the script started: only pids listed in $work/pids whose
# command line names $work (the agent's socket, Prosody's config), so a
# recycled pid is never hit.
stop_listed() {
  local sig=$1 pid
  [[ -f "$work/pids" ]] || return 0
  while read -r pid; do
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || continue
    if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$work"; then
      kill "-$sig" "$pid" 2>/dev/null || true
    fi
  done <"$work/pids"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [[ -n "$bench_pid" ]] && kill -0 "$bench_pid" 2>/dev/null; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$bench_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$bench_pid" 2>/dev/null || true
  fi
  stop_listed TERM
  for _ in $(seq 1 50); do
    [[ -f "$work/pids" && -s "$work/pids" ]] || break
    local alive=0 pid
    while read -r pid; do
      [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && alive=1
    done <"$work/pids"
    [[ $alive == 1 ]] || break
    sleep 0.1
  done
  stop_listed KILL
  rm -rf -- "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Standard library only; any python3 will do.
python3 "$here/management_bench.py" --build-dir "$build" --workdir "$work" \
  "$@" &
bench_pid=$!
wait "$bench_pid"
