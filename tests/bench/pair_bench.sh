#!/usr/bin/env bash
# The two-agent pair against a Prosody 0.12 pair, same certificates, same
# load, same run (tests/bench/pair_bench.cc says exactly what it measures):
#   tests/bench/pair_bench.sh BUILD_DIR [RUNS=3] [MESSAGES=200000]
#                             [DRIVER OPTIONS...]
#
# BUILD_DIR is a Release build with -DXMPPFED_BUILD_BENCHMARKS=ON and the
# targets xmppfed-agent, xmppfed and pair_bench built; Prosody 0.12 (Debian
# package prosody) must be installed, and the driver must run as root: it
# enters a private network and mount namespace of its own (a loopback
# interface, its own /etc/hosts and resolv.conf, a DNS server of its own),
# so nothing leaves the machine and nothing of the host changes. Prints per
# run messages/s of each pair, each server's messages per CPU-second and the
# load generator's CPU; the medians and the agents/Prosody ratio last
# (target: 5x). Further arguments go to the driver, e.g. --prosody-config
# 'network_settings = { nagle = false }'.
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 BUILD_DIR [RUNS] [MESSAGES] [DRIVER OPTIONS]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
runs=${2:-3}
messages=${3:-200000}
driver="$build/tests/bench/pair_bench"
[[ -x "$driver" ]] || { echo "$driver is missing: build pair_bench" >&2; exit 2; }
command -v prosody >/dev/null || [[ -x /usr/bin/prosody ]] ||
  { echo "prosody is not installed (Debian package prosody)" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "$0: needs root (a private namespace)" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)"
exec "$driver" --runs "$runs" --messages "$messages" "${@:4}"
