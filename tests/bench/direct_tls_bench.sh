#!/usr/bin/env bash
# Inbound S2S stream setup over XEP-0368 direct TLS against STARTTLS, on one
# agent in one run:
#   tests/bench/direct_tls_bench.sh BUILD_DIR [RUNS=5] [STREAMS=300]
#                                   [CONCURRENCY=4]
#
# BUILD_DIR has the targets xmppfed-agent, xmppfed and direct_tls_bench
# built. One direct_tls_bench process (tests/bench/direct_tls_bench.cc says
# exactly what it measures) starts one agent with --s2s-listen and
# --s2s-tls-listen on 127.0.0.1 and plays partner.test (TLS and SASL
# EXTERNAL) against both listeners in turn, the order alternating from run
# to run. It prints per run and the medians: streams/s, the setup latency
# (p50, p99) from TCP connect to the stream established, the agent's CPU
# seconds per 1000 streams, and the ratios direct TLS / STARTTLS.
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 BUILD_DIR [RUNS] [STREAMS] [CONCURRENCY]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
driver="$build/tests/bench/direct_tls_bench"
[[ -x "$driver" ]] || { echo "$driver is missing: build direct_tls_bench" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)"
exec "$driver" --runs "${2:-5}" --streams "${3:-300}" --concurrency "${4:-4}"
