#!/usr/bin/env bash
# Pipeline input at scale, against import-partners --update of the same
# change in the same run:
#   tests/bench/pipeline_bench.sh BUILD_DIR [TARGETS=100000] [RUNS=3]
#
# One agent and store, loaded once with TARGETS partners by import-partners.
# Then each run changes every partner's description three ways, in an order
# that rotates from run to run so that machine noise hits all of them:
#   import    import-partners --update of NDJSON records {identity,
#             description}: the baseline;
#   pipeline  xmppfed set-partner - --description D, one identity per line
#             on stdin;
#   objects   the same with the NDJSON objects get-partner -o ndjson prints
#             on stdin (the shape of `get-partner | jq | set-partner -`).
# Every command's results go to /dev/null as NDJSON; wall time and CLI peak
# RSS come from GNU time, the agent's peak RSS from /proc. Each command must
# report TARGETS updated. The medians and the ratios to the baseline are
# printed last (target: pipeline within 1.5x of import). Needs GNU time
# (/usr/bin/time) and python3.
set -euo pipefail

source "$(dirname "$0")/bench_agent.sh"
bench_init pipeline "[TARGETS] [RUNS]" "$@"
targets=${2:-100000}
runs=${3:-3}

python3 - "$targets" "$work" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
with open(f"{work}/partners.ndjson", "w") as partners, \
     open(f"{work}/identities", "w") as identities:
    for i in range(n):
        identity = f"p{i:07d}.example.com"
        partners.write(json.dumps({"identity": identity,
                                   "additionalDomains": [f"p{i:07d}.example.net"],
                                   "partnerType": "Federated"}) + "\n")
        identities.write(identity + "\n")
PY

bench_start_agent "$work/agent"
"$cli" --socket "$socket" import-partners "$work/partners.ndjson" --quiet \
  -o ndjson >/dev/null
"$cli" --socket "$socket" get-partner -o ndjson >"$work/objects.ndjson"
[[ $(wc -l <"$work/objects.ndjson") == "$targets" ]] || {
  echo "the agent does not hold $targets partners" >&2
  exit 1
}

# The agent's CPU time so far, in clock ticks (utime + stime).
agent_ticks() { awk '{print $14 + $15}' "/proc/$agent_pid/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# run_one NAME DESCRIPTION: one command changing every description; prints
# "wall_seconds cli_kb cpu_seconds" (CPU: the CLI's and the agent's).
run_one() {
  local name=$1 description=$2 input command
  case $name in
    import)
      python3 - "$description" "$work/identities" >"$work/records.ndjson" <<'PY'
import json, sys
for line in open(sys.argv[2]):
    print(json.dumps({"identity": line.strip(), "description": sys.argv[1]}))
PY
      input="$work/records.ndjson"
      command=(import-partners --update)
      ;;
    pipeline)
      input="$work/identities"
      command=(set-partner - --description "$description")
      ;;
    objects)
      input="$work/objects.ndjson"
      command=(set-partner - --description "$description")
      ;;
  esac
  local before
  before=$(agent_ticks)
  /usr/bin/time -o "$work/t" -f "%e %M %U %S" "$cli" --socket "$socket" \
    "${command[@]}" -o ndjson <"$input" >"$work/results" 2>"$work/summary" ||
    { echo "$name: exit $?" >&2; cat "$work/summary" >&2; exit 1; }
  local updated
  updated=$(grep -c '"status":"updated"' "$work/results" || true)
  [[ "$updated" == "$targets" ]] || {
    echo "$name updated $updated of $targets" >&2
    cat "$work/summary" >&2
    exit 1
  }
  local wall kb user system
  read -r wall kb user system <"$work/t"
  echo "$wall $kb $(python3 -c "print(round($user + $system + ($(agent_ticks) - $before) / $ticks_per_second, 2))")"
}

names=(import pipeline objects)
: >"$work/figures"
for run in $(seq "$runs"); do
  line=""
  declare -A seconds=() memory=() cpu=()
  for offset in 0 1 2; do
    name=${names[$(((run - 1 + offset) % 3))]}
    run_one "$name" "run $run by $name" >"$work/one"
    read -r seconds[$name] memory[$name] cpu[$name] <"$work/one"
  done
  printf 'run %d: import --update %ss (CPU %ss, CLI %d KB) | set-partner - identities %ss (CPU %ss, CLI %d KB) | set-partner - objects %ss (CPU %ss, CLI %d KB) | agent peak %d KB\n' \
    "$run" "${seconds[import]}" "${cpu[import]}" "${memory[import]}" \
    "${seconds[pipeline]}" "${cpu[pipeline]}" "${memory[pipeline]}" \
    "${seconds[objects]}" "${cpu[objects]}" "${memory[objects]}" "$(agent_peak_kb)"
  echo "${seconds[import]} ${seconds[pipeline]} ${seconds[objects]} ${cpu[import]} ${cpu[pipeline]} ${cpu[objects]} ${memory[import]} ${memory[pipeline]} ${memory[objects]} $(agent_peak_kb)" >>"$work/figures"
done

python3 - "$work/figures" "$targets" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
(imp, pipe, obj, imp_cpu, pipe_cpu, obj_cpu, imp_kb, pipe_kb, obj_kb,
 agent_kb) = [statistics.median(col) for col in zip(*rows)]
n = int(sys.argv[2])
print(f"median of {len(rows)} runs, {n:,} targets, every one updated"
      " (wall; CPU of CLI + agent):")
print(f"  import-partners --update  {imp:6.2f} s ({n / imp:,.0f}/s)"
      f"  CPU {imp_cpu:.2f} s  CLI peak {imp_kb / 1024:.1f} MiB  (baseline)")
print(f"  set-partner - identities  {pipe:6.2f} s ({n / pipe:,.0f}/s)"
      f"  CPU {pipe_cpu:.2f} s  CLI peak {pipe_kb / 1024:.1f} MiB"
      f"  {pipe / imp:.2f}x wall, {pipe_cpu / imp_cpu:.2f}x CPU"
      f" (target: within 1.5x)")
print(f"  set-partner - objects     {obj:6.2f} s ({n / obj:,.0f}/s)"
      f"  CPU {obj_cpu:.2f} s  CLI peak {obj_kb / 1024:.1f} MiB"
      f"  {obj / imp:.2f}x wall, {obj_cpu / imp_cpu:.2f}x CPU")
print(f"  agent peak RSS {agent_kb / 1024:.1f} MiB")
PY
