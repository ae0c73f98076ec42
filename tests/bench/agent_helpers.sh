# Sourced by the benchmark scripts: a throw-away agent in $work/agent (the
# caller sets `work`, a fresh directory the EXIT trap removes).
#   start_agent AGENT_BINARY CLI_BINARY  starts it, waits until it answers,
#                                        and sets agent_pid and agent_socket
#   stop_agent                           stops it (SIGTERM, waits)
#   bench_cleanup                        for the trap: stops it, removes $work
agent_pid=""
agent_socket=""

start_agent() {
  local agent=$1 cli=$2
  rm -rf "$work/agent" && mkdir "$work/agent"
  agent_socket="$work/agent/agent.sock"
  "$agent" --socket "$agent_socket" --store "sqlite:$work/agent/xmppfed.db" \
    --s2s-listen off --component-listen off 2>"$work/agent/log" &
  agent_pid=$!
  for _ in $(seq 100); do
    "$cli" --socket "$agent_socket" get-agent >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "the agent ($agent) did not start" >&2
  exit 1
}

stop_agent() {
  kill "$agent_pid" && wait "$agent_pid" || true
  agent_pid=""
}

bench_cleanup() {
  if [[ -n "$agent_pid" ]]; then
    kill "$agent_pid" 2>/dev/null || true
    wait "$agent_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
