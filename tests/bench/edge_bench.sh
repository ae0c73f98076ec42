#!/usr/bin/env bash
# The federation edge benchmark (issue 3), against floors measured in the
# same run:
#   tests/bench/edge_bench.sh BUILD_DIR [RUNS=3] [STREAMS=1000]
#
# BUILD_DIR is a Release build with -DXMPPFED_BUILD_BENCHMARKS=ON and the
# targets xmppfed-agent, xmppfed and edge_bench built. Each run is one
# edge_bench process (tests/bench/edge_bench.cc says exactly what it
# measures) starting fresh agent pairs on loopback:
#   streams  STREAMS inbound S2S streams established at the edge (STARTTLS +
#            Server Dialback verified back at the partner agent; then the
#            same in plaintext), per second, against OpenSSL handshakes/s
#            with the same certificates (TCP connects/s for plaintext);
#   memory   the edge agent's RSS with no stream and with the STREAMS
#            streams idle and authenticated, per stream;
#   relay    messages/s relayed partner agent -> S2S TLS -> edge ->
#            component over 1 and 100 streams, and per CPU-second of the
#            edge, against the same bytes over plain TCP and over TLS.
# The medians over the runs are printed last. Needs python3; raises the
# open files limit to its hard limit (4 x STREAMS + 100 are needed).
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 BUILD_DIR [RUNS] [STREAMS]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
runs=${2:-3}
streams=${3:-1000}
driver="$build/tests/bench/edge_bench"
[[ -x "$driver" ]] || { echo "$driver is missing: build edge_bench" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d "${TMPDIR:-/tmp}/xmppfed-edge-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM HUP

for run in $(seq "$runs"); do
  echo "run $run:"
  "$driver" --streams "$streams" | tee "$work/run$run" | grep -v '^FIGURE'
done

python3 - "$work" <<'PY'
import collections, glob, statistics, sys
figures = collections.defaultdict(list)
for path in sorted(glob.glob(sys.argv[1] + "/run*")):
    for line in open(path):
        if line.startswith("FIGURE "):
            _, name, value = line.split()
            figures[name].append(float(value))
m = {name: statistics.median(values) for name, values in figures.items()}
print(f"median of {len(figures['tls_streams_per_s'])} run(s):")
for p, floor in (("tls", "OpenSSL handshakes"), ("plain", "TCP connects")):
    print(f"  streams {p:5} {m[p + '_streams_per_s']:8.0f} streams/s"
          f" (halves {m[p + '_streams_first_half_per_s']:.0f}"
          f" / {m[p + '_streams_second_half_per_s']:.0f})"
          f"  floor {floor} {m[p + '_streams_floor_per_s']:.0f}/s"
          f" -> {m[p + '_streams_ratio']:.3f}x")
    print(f"  memory  {p:5} {m[p + '_kib_per_stream']:8.1f} KiB per idle stream"
          f" (edge RSS {m[p + '_idle_rss_kib'] / 1024:.1f} ->"
          f" {m[p + '_loaded_rss_kib'] / 1024:.1f} MiB; target < 64 KiB)")
for s in sorted({int(n.split("_")[1]) for n in m if n.startswith("relay_")}):
    r = f"relay_{s}_"
    print(f"  relay {s:3} stream(s) {m[r + 'msg_per_s']:8.0f} msg/s wall,"
          f" {m[r + 'msg_per_edge_cpu_s']:.0f} per edge CPU-second"
          f" (target >= 50000); floor TCP {m[r + 'floor_tcp_msg_per_s']:.0f},"
          f" TLS {m[r + 'floor_tls_msg_per_s']:.0f} msg/s ->"
          f" {m[r + 'ratio_tcp']:.3f}x / {m[r + 'ratio_tls']:.3f}x")
PY
