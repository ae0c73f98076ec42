#!/usr/bin/env bash
# What auditing costs the management plane: the same workloads against an
# agent built with the audit log (BUILD_DIR) and one built without it
# (BASELINE_DIR, e.g. the commit before it), in the same run:
#   tests/bench/audit_bench.sh BUILD_DIR BASELINE_DIR [RECORDS=100000]
#                              [CALLS=200] [RUNS=3]
#
# Each run, on a fresh agent and store per workload, baseline and audited
# alternately (the order flips every run so machine noise hits both):
#   cli      CALLS sequential `xmppfed new-partner` calls: what a person or a
#            script sees (process start-up included);
#   loader   CALLS sequential NewPartner calls from one process
#            (partner_loader, one thread): the agent's own cost, one
#            durable commit per call, where the audit entry's extra rows show;
#   import   `xmppfed import-partners` of RECORDS NDJSON records (one audit
#            entry for the whole call, rewritten with every batch): wall
#            time, and the agent's CPU time (user + system) for it.
# Prints each run's figures, then the medians and the audited/baseline
# ratios against the target (at most 10% slower). Both builds need
# xmppfed, xmppfed-agent and (XMPPFED_BUILD_BENCHMARKS=ON) partner_loader.
set -euo pipefail

source "$(dirname "$0")/bench_agent.sh"
bench_init audit "BASELINE_DIR [RECORDS] [CALLS] [RUNS]" "$@"
[[ $# -ge 2 ]] || { echo "usage: $0 BUILD_DIR BASELINE_DIR [RECORDS] [CALLS] [RUNS]" >&2; exit 2; }
audited=$build
baseline=$(cd "$2" && pwd)
records=${3:-100000}
calls=${4:-200}
runs=${5:-3}
for build in "$audited" "$baseline"; do
  for program in cli/xmppfed agent/xmppfed-agent tests/bench/partner_loader; do
    [[ -x "$build/$program" ]] || { echo "missing $build/$program" >&2; exit 2; }
  done
done

python3 - "$records" "$work" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
with open(f"{work}/partners.ndjson", "w") as nd:
    for i in range(n):
        identity = f"p{i:07d}.example.com"
        nd.write(json.dumps({"identity": identity,
                             "description": f"Partner number {i}",
                             "additionalDomains": [f"p{i:07d}.example.net"],
                             "partnerType": "Federated"}) + "\n")
PY

now() { date +%s.%N; }

# CPU seconds (user + system) the agent has used so far.
agent_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' \
    "/proc/$agent_pid/stat"
}

# Prints "cli_calls_per_s loader_calls_per_s import_s import_cpu_s
# loader_cpu_us_per_call" for BUILD (the agent's CPU time is steadier than
# the wall time on a shared machine).
measure() {
  local build=$1 sock="$work/agent/agent.sock"
  cli="$build/cli/xmppfed"
  agent_bin="$build/agent/xmppfed-agent"
  bench_start_agent "$work/agent"
  local t0 t1 i
  t0=$(now)
  for ((i = 0; i < calls; i++)); do
    "$cli" --socket "$sock" new-partner "cli$i.example.org" --quiet >/dev/null
  done
  t1=$(now)
  local cli_rate
  cli_rate=$(python3 -c "print($calls / ($t1 - $t0))")
  local loader_rate loader_cpu0 loader_cpu1
  loader_cpu0=$(agent_cpu)
  loader_rate=$("$build/tests/bench/partner_loader" --socket "$sock" \
    --mode create --count "$calls" --threads 1 --prefix loader- |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["callsPerSecond"])')
  loader_cpu1=$(agent_cpu)
  bench_stop_agent

  bench_start_agent "$work/agent"
  local cpu0 cpu1
  cpu0=$(agent_cpu)
  t0=$(now)
  "$cli" --socket "$sock" import-partners "$work/partners.ndjson" \
    -o ndjson --quiet >/dev/null
  t1=$(now)
  cpu1=$(agent_cpu)
  local count
  count=$("$cli" --socket "$sock" get-agent -o json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["partnerCount"])')
  [[ "$count" == "$records" ]] || { echo "imported $count, not $records" >&2; exit 1; }
  bench_stop_agent
  echo "$cli_rate $loader_rate $(python3 -c "print($t1 - $t0, $cpu1 - $cpu0, ($loader_cpu1 - $loader_cpu0) * 1e6 / $calls)")"
}

: >"$work/figures"
for run in $(seq "$runs"); do
  if ((run % 2)); then order=(baseline audited); else order=(audited baseline); fi
  declare -A got=()
  for which in "${order[@]}"; do
    if [[ $which == audited ]]; then build=$audited; else build=$baseline; fi
    got[$which]=$(measure "$build")
  done
  read -r b_cli b_loader b_import b_cpu b_call <<<"${got[baseline]}"
  read -r a_cli a_loader a_import a_cpu a_call <<<"${got[audited]}"
  printf 'run %d: new-partner CLI %.1f vs %.1f calls/s | NewPartner in-process %.1f vs %.1f calls/s, agent CPU %.0f vs %.0f us/call | import %.2f vs %.2f s, agent CPU %.2f vs %.2f s (audited vs baseline)\n' \
    "$run" "$a_cli" "$b_cli" "$a_loader" "$b_loader" "$a_call" "$b_call" \
    "$a_import" "$b_import" "$a_cpu" "$b_cpu"
  echo "$a_cli $b_cli $a_loader $b_loader $a_import $b_import $a_cpu $b_cpu" \
    "$a_call $b_call" >>"$work/figures"
done

python3 - "$work/figures" "$records" "$calls" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
(a_cli, b_cli, a_loader, b_loader, a_imp, b_imp, a_cpu, b_cpu, a_call,
 b_call) = (statistics.median(col) for col in zip(*rows))
records, calls = int(sys.argv[2]), int(sys.argv[3])
def line(name, audited, baseline, unit, higher_is_better):
    slower = baseline / audited if higher_is_better else audited / baseline
    verdict = "ok" if slower <= 1.10 else "OVER the 10% target"
    print(f"  {name:<34} {audited:9.2f} vs {baseline:9.2f} {unit:<8}"
          f" audited takes {slower:.3f}x the time: {verdict}")
print(f"median of {len(rows)} runs ({calls} calls, {records} records):")
line("new-partner (CLI, sequential)", a_cli, b_cli, "calls/s", True)
line("NewPartner (one process, 1 thread)", a_loader, b_loader, "calls/s", True)
line("  the agent's CPU per call", a_call, b_call, "us", False)
line(f"import-partners of {records}", a_imp, b_imp, "s", False)
line("  the agent's CPU for it", a_cpu, b_cpu, "s", False)
PY
