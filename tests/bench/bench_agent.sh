# Sourced by the management benchmarks (bulk_bench.sh, pipeline_bench.sh):
# the command line's BUILD_DIR, the binaries, a temporary directory removed
# on exit, and an agent (SQLite store, no federation edge) started in it.
#
#   bench_init NAME "[MORE ARGS]" "$@"   sets build, cli, agent_bin, work
#   bench_start_agent DIR                a fresh agent on DIR/agent.sock and
#                                        DIR/xmppfed.db (DIR is emptied);
#                                        sets agent_pid and socket
#   bench_stop_agent
#   agent_peak_kb                        the agent's peak RSS so far

bench_init() {
  local name=$1 usage=$2
  shift 2
  if [[ $# -lt 1 || "$1" == -* ]]; then
    echo "usage: $0 BUILD_DIR $usage" >&2
    exit 2
  fi
  build=$(cd "$1" && pwd)
  cli="$build/cli/xmppfed"
  agent_bin="$build/agent/xmppfed-agent"
  work=$(mktemp -d "${TMPDIR:-/tmp}/xmppfed-$name.XXXXXX")
  agent_pid=""
  trap bench_cleanup EXIT INT TERM HUP
}

bench_cleanup() {
  if [[ -n "$agent_pid" ]]; then
    kill "$agent_pid" 2>/dev/null || true
    wait "$agent_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}

bench_start_agent() {
  local dir=$1
  rm -rf "$dir" && mkdir "$dir"
  socket="$dir/agent.sock"
  "$agent_bin" --socket "$socket" --store "sqlite:$dir/xmppfed.db" \
    --s2s-listen off --component-listen off 2>"$dir/log" &
  agent_pid=$!
  for _ in $(seq 100); do
    "$cli" --socket "$socket" get-agent >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "the agent did not start; its log:" >&2
  cat "$dir/log" >&2
  exit 1
}

bench_stop_agent() {
  kill "$agent_pid" && wait "$agent_pid" || true
  agent_pid=""
}

agent_peak_kb() { awk '/VmHWM/ {print $2}' "/proc/$agent_pid/status"; }
