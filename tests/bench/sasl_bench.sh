#!/usr/bin/env bash
# Inbound S2S streams per second with STARTTLS + SASL EXTERNAL, the agent
# side by side with Prosody on the same machine, in the same run:
#   tests/bench/sasl_bench.sh BUILD_DIR [RUNS=3] [STREAMS=500] [CONCURRENCY=4]
#                             [DRIVER OPTIONS...]
#
# BUILD_DIR is a Release build with -DXMPPFED_BUILD_BENCHMARKS=ON and the
# targets xmppfed-agent, xmppfed and sasl_bench built; Prosody 0.12 (Debian
# package prosody) must be installed. One sasl_bench process
# (tests/bench/sasl_bench.cc says exactly what it measures) starts one agent
# and one Prosody, both serving example.test on 127.0.0.1, and plays
# partner.test against each in turn: RUNS runs of STREAMS streams per server,
# the order alternating from run to run. It prints per run and the medians:
# streams/s, each server's CPU seconds per 1000 streams, and the ratios
# agent/Prosody. Prosody runs as root here (run_as_root) with everything in a
# temporary directory; it needs no DNS for inbound SASL EXTERNAL. Further
# arguments go to the driver, e.g. --prosody-config
# 'network_settings = { nagle = false }' (Prosody leaves Nagle's algorithm
# on by default, which costs it wall-clock rate on loopback, not CPU).
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 BUILD_DIR [RUNS] [STREAMS] [CONCURRENCY] [DRIVER OPTIONS]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
runs=${2:-3}
streams=${3:-500}
concurrency=${4:-4}
driver="$build/tests/bench/sasl_bench"
[[ -x "$driver" ]] || { echo "$driver is missing: build sasl_bench" >&2; exit 2; }
command -v prosody >/dev/null || [[ -x /usr/bin/prosody ]] ||
  { echo "prosody is not installed (Debian package prosody)" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)"
exec "$driver" --runs "$runs" --streams "$streams" --concurrency "$concurrency" \
  "${@:5}"
