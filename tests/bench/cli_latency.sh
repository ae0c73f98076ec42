#!/usr/bin/env bash
# Section 1 of the management benchmarks alone: whole-process latency of
# `xmppfed get-partner ID -o json` against an agent holding 10,000 partners,
# next to the gRPC floors (grpc_floor, dynamic; grpc_floor_static) and
# `prosodyctl shell "s2s:show()"`.
#   tests/bench/cli_latency.sh BUILD_DIR [management_bench.py options]
set -euo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [management_bench.py options]" >&2
  exit 2
fi
exec "$(dirname "${BASH_SOURCE[0]}")/run_management_bench.sh" "$1" \
  --sections latency "${@:2}"
