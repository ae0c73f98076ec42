#!/usr/bin/env bash
# XEP-0288's saving, 100 partners exchanging messages both ways with one
# local domain (tests/bench/bidi_bench.cc says exactly what it measures):
#   tests/bench/bidi_bench.sh BUILD_DIR [RUNS=3] [PARTNERS=100] [MESSAGES=200]
#
# BUILD_DIR has -DXMPPFED_BUILD_BENCHMARKS=ON and the targets xmppfed-agent,
# xmppfed and bidi_bench built. Prints, per run and as medians, with
# bidirectional streams and without: the TCP connections between the two
# agents, the streams each lists, the time of the first exchange (stream
# setups included) and messages/s both ways; then the ratios.
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 BUILD_DIR [RUNS] [PARTNERS] [MESSAGES]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
driver="$build/tests/bench/bidi_bench"
[[ -x "$driver" ]] || { echo "$driver is missing: build bidi_bench" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)"
exec "$driver" --runs "${2:-3}" --partners "${3:-100}" --messages "${4:-200}"
