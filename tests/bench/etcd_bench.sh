#!/usr/bin/env bash
# The etcd store's benchmarks (etcd_bench.py says what each section
# measures):
#   tests/bench/etcd_bench.sh BUILD_DIR [etcd_bench.py options]
# e.g. --writes 1000 --changes 200 --records 100000 --sections create,import
# Needs etcd and etcdctl (Debian etcd-server, etcd-client) and python3.
# Everything runs in a fresh temporary directory on loopback; the etcd
# members and agents started there are stopped, and the directory removed,
# on exit, failure or interruption.
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 BUILD_DIR [etcd_bench.py options]" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "$1" && pwd)
shift
work=$(mktemp -d "${TMPDIR:-/tmp}/xmppfed-etcd-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$here/etcd_bench.py" "$build" "$work" "$@"
