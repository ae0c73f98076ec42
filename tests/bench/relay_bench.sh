#!/usr/bin/env bash
# The relay benchmark of issue 10, two agent pairs with TLS + SASL EXTERNAL
# (tests/bench/relay_bench.cc says exactly what it measures):
#   tests/bench/relay_bench.sh BUILD_DIR [RUNS=3] [MESSAGES=200000]
#                              [DRIVER OPTIONS...]
#
# BUILD_DIR is a Release build with -DXMPPFED_BUILD_BENCHMARKS=ON and the
# targets xmppfed-agent, xmppfed and relay_bench built. Prints per run and as
# medians: messages/s both ways, messages per CPU-second of the sending and
# of the receiving agent (target: 300,000 each way), the load generator's
# CPU, inbound STARTTLS + SASL EXTERNAL setups/s and agent CPU per setup
# beside the TLS floor (the same connections without XMPP, served with the
# agent's TLS context by the driver itself), each with 10 and with 100,000
# partners stored, and their ratios (target: within 5%). Further arguments go to the driver, e.g. --stored 10000.
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 BUILD_DIR [RUNS] [MESSAGES] [DRIVER OPTIONS]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
runs=${2:-3}
messages=${3:-200000}
driver="$build/tests/bench/relay_bench"
[[ -x "$driver" ]] || { echo "$driver is missing: build relay_bench" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)"
exec "$driver" --runs "$runs" --messages "$messages" "${@:4}"
