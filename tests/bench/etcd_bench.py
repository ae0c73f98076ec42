#!/usr/bin/env python3
"""The etcd store's benchmarks (standard library only).

Run through etcd_bench.sh, which gives this script a fresh work directory
and removes it, and every process started here, afterwards.

A three-member etcd cluster on loopback (etcd's default heartbeat and
election timeouts, data in the work directory), two agents sharing one
prefix on it, and an agent on SQLite, all started here.

Sections:
  create       --writes new-partner calls, sequential and from 8 clients at
               once: `xmppfed new-partner` processes on the etcd store and
               on SQLite, next to `etcdctl put` processes of as many keys
               (the floor: one etcd write, process start included); then
               the same from one process (partner_loader against the
               agents, etcd_floor against etcd with the agent's own etcd
               client).
  propagation  --changes set-partner calls on node 1, one at a time: from
               the commit on node 1 to node 2's policy patched (from then
               on node 2 enforces it), p50 and p99, from the two agents'
               log timestamps (millisecond resolution).
  import       import-partners of --records records (one additional domain
               each: three keys) onto a fresh etcd prefix, next to
               `etcdctl txn` loading as many keys of the same sizes in
               transactions of 127 puts (the floor), and to the SQLite
               store.

Figures are ratios against baselines measured in the same run; nothing is
asserted.
"""

import argparse
import concurrent.futures
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time


def log(msg=""):
    print(msg, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


class Bench:
    def __init__(self, build, work):
        self.build = build
        self.work = work
        self.cli = os.path.join(build, "cli", "xmppfed")
        self.agent_bin = os.path.join(build, "agent", "xmppfed-agent")
        self.loader = os.path.join(build, "tests", "bench", "partner_loader")
        self.floor = os.path.join(build, "tests", "bench", "etcd_floor")
        self.procs = []
        self.endpoints = ""

    # -- processes ---------------------------------------------------------

    def start_etcd(self):
        members = [(f"m{i}", free_port(), free_port()) for i in range(3)]
        cluster = ",".join(f"{name}=http://127.0.0.1:{peer}"
                           for name, _, peer in members)
        for name, client, peer in members:
            out = open(os.path.join(self.work, f"{name}.log"), "w")
            self.procs.append(subprocess.Popen(
                ["etcd", "--name", name,
                 "--data-dir", os.path.join(self.work, name),
                 "--listen-client-urls", f"http://127.0.0.1:{client}",
                 "--advertise-client-urls", f"http://127.0.0.1:{client}",
                 "--listen-peer-urls", f"http://127.0.0.1:{peer}",
                 "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
                 "--initial-cluster", cluster,
                 "--initial-cluster-state", "new",
                 "--log-level", "error"],
                stdout=out, stderr=out))
        self.endpoints = ",".join(f"127.0.0.1:{c}" for _, c, _ in members)
        for _ in range(200):
            if self.etcdctl(["endpoint", "health"], check=False) == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("etcd did not become healthy")

    def etcdctl(self, args, check=True, stdin=None):
        env = dict(os.environ, ETCDCTL_API="3")
        done = subprocess.run(["etcdctl", "--endpoints", self.endpoints] + args,
                              env=env, input=stdin, capture_output=True,
                              text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"etcdctl {args}: {done.stderr}")
        return done.returncode

    def start_agent(self, name, store):
        sock = os.path.join(self.work, f"{name}.sock")
        err = open(os.path.join(self.work, f"{name}.log"), "w")
        self.procs.append(subprocess.Popen(
            [self.agent_bin, "--socket", sock, "--store", store,
             "--s2s-listen", "off", "--component-listen", "off"],
            stdout=subprocess.DEVNULL, stderr=err))
        for _ in range(200):
            if self.xmppfed(sock, ["get-agent"], check=False) == 0:
                return sock
            time.sleep(0.05)
        raise RuntimeError(f"agent {name} did not start")

    def xmppfed(self, sock, args, check=True, stdin=None):
        done = subprocess.run([self.cli, "--socket", sock] + args,
                              input=stdin, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"xmppfed {args}: {done.stderr}")
        return done.returncode

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    # -- timing helpers ----------------------------------------------------

    @staticmethod
    def rate(calls, workers, one):
        """calls/s of `one(i)` run for i in range(calls) on `workers`."""
        start = time.monotonic()
        if workers == 1:
            for i in range(calls):
                one(i)
        else:
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                list(pool.map(one, range(calls)))
        return calls / (time.monotonic() - start)

    def json_line(self, argv):
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{argv[0]}: {done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    # -- sections ----------------------------------------------------------

    def create(self, writes, etcd_sock, sqlite_sock):
        log(f"== create: {writes} writes each ==")
        rows = []
        for workers in (1, 8):
            tag = "sequential" if workers == 1 else "8 clients"
            floor = self.rate(writes, workers, lambda i: self.etcdctl(
                ["put", f"/floor-{workers}/k{i}", "v" * 100]))
            on_etcd = self.rate(writes, workers, lambda i: self.xmppfed(
                etcd_sock, ["new-partner", f"c{workers}-{i}.example",
                            "--quiet"]))
            on_sqlite = self.rate(writes, workers, lambda i: self.xmppfed(
                sqlite_sock, ["new-partner", f"c{workers}-{i}.example",
                              "--quiet"]))
            rows.append((f"processes, {tag}", on_etcd, floor, on_sqlite))
        for workers in (1, 8):
            tag = "sequential" if workers == 1 else "8 clients"
            floor = self.json_line(
                [self.floor, "--endpoints", self.endpoints, "--count",
                 str(writes), "--threads", str(workers), "--prefix",
                 f"/floor-inproc-{workers}/"])["callsPerSecond"]
            on_etcd = self.json_line(
                [self.loader, "--socket", etcd_sock, "--count", str(writes),
                 "--threads", str(workers), "--prefix",
                 f"in{workers}-"])["callsPerSecond"]
            on_sqlite = self.json_line(
                [self.loader, "--socket", sqlite_sock, "--count", str(writes),
                 "--threads", str(workers), "--prefix",
                 f"in{workers}-"])["callsPerSecond"]
            rows.append((f"one process, {tag}", on_etcd, floor, on_sqlite))
        log(f"  {'':28} {'etcd/s':>9} {'floor/s':>9} {'sqlite/s':>9}"
            f" {'etcd/floor':>10} {'etcd/sqlite':>11}")
        for name, on_etcd, floor, on_sqlite in rows:
            log(f"  {name:28} {on_etcd:9.0f} {floor:9.0f} {on_sqlite:9.0f}"
                f" {on_etcd / floor:10.2f} {on_etcd / on_sqlite:11.2f}")

    @staticmethod
    def log_times(path, pattern):
        times = []
        regex = re.compile(pattern)
        with open(path) as lines:
            for line in lines:
                if regex.search(line):
                    stamp = line.split(" ", 1)[0]
                    times.append(time.mktime(time.strptime(
                        stamp[:19], "%Y-%m-%dT%H:%M:%S")) +
                        float("0" + stamp[19:-1]))
        return times

    def propagation(self, changes, node1, node2):
        log(f"== propagation: {changes} changes, node 1 -> node 2 ==")
        self.xmppfed(node1, ["new-partner", "moving.example", "--quiet"])
        node2_log = os.path.join(self.work, "node2.log")
        seen = len(self.log_times(node2_log, r"policy\.patched"))
        for i in range(changes):
            self.xmppfed(node1, ["set-partner", "moving.example",
                                 "--description", f"change {i}", "--quiet"])
            for _ in range(500):
                if len(self.log_times(node2_log, r"policy\.patched")) > seen:
                    break
                time.sleep(0.002)
            seen += 1
        committed = self.log_times(os.path.join(self.work, "node1.log"),
                                   r"partner\.changed identity=moving")
        patched = self.log_times(node2_log, r"policy\.patched")[-changes:]
        delays = [(b - a) * 1000 for a, b in zip(committed, patched)]
        log(f"  commit on node 1 -> policy patched on node 2: "
            f"p50 {pct(delays, 50):.1f} ms, p99 {pct(delays, 99):.1f} ms, "
            f"max {max(delays):.1f} ms ({len(delays)} changes)")

    def import_records(self, records, sqlite_sock):
        log(f"== import: {records} records (3 keys each on etcd) ==")
        path = os.path.join(self.work, "import.ndjson")
        with open(path, "w") as out:
            for i in range(records):
                out.write(json.dumps({
                    "identity": f"p{i:07d}.example.com",
                    "description": f"Partner number {i}",
                    "additionalDomains": [f"p{i:07d}.example.net"],
                    "partnerType": "Federated"}) + "\n")
        sock = self.start_agent("import", "etcd://" + self.endpoints +
                                "/bench-import")
        start = time.monotonic()
        self.xmppfed(sock, ["import-partners", path, "-o", "ndjson",
                            "--quiet"])
        on_etcd = time.monotonic() - start

        # The floor: the same keys, values of the same sizes, 127 a txn.
        value = "v" * 110
        start = time.monotonic()
        batch = []
        for i in range(records):
            identity = f"p{i:07d}.example.com"
            batch += [f'put /bench-floor/partners/{identity} "{value}"',
                      f"put /bench-floor/domains/{identity} {identity}",
                      f"put /bench-floor/domains/p{i:07d}.example.net "
                      f"{identity}"]
            if len(batch) >= 126 or i == records - 1:
                # No compares, the puts, no failure ops.
                self.etcdctl(["txn"],
                             stdin="\n" + "\n".join(batch) + "\n\n\n")
                batch = []
        floor = time.monotonic() - start

        start = time.monotonic()
        self.xmppfed(sqlite_sock, ["import-partners", path, "-o", "ndjson",
                                   "--quiet"])
        on_sqlite = time.monotonic() - start
        log(f"  import-partners onto etcd {on_etcd:7.1f} s "
            f"({records / on_etcd:7.0f} records/s)")
        log(f"  etcdctl txn floor         {floor:7.1f} s "
            f"({records / floor:7.0f} records/s)  etcd/floor "
            f"{on_etcd / floor:.2f}")
        log(f"  import-partners on SQLite {on_sqlite:7.1f} s "
            f"({records / on_sqlite:7.0f} records/s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build")
    parser.add_argument("work")
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--records", type=int, default=100000)
    parser.add_argument("--sections", default="create,propagation,import")
    args = parser.parse_args()
    bench = Bench(os.path.abspath(args.build), args.work)
    sections = args.sections.split(",")
    try:
        bench.start_etcd()
        uri = "etcd://" + bench.endpoints + "/bench"
        node1 = bench.start_agent("node1", uri)
        node2 = bench.start_agent("node2", uri)
        sqlite = bench.start_agent(
            "sqlite", "sqlite:" + os.path.join(args.work, "bench.db"))
        if "create" in sections:
            bench.create(args.writes, node1, sqlite)
        if "propagation" in sections:
            bench.propagation(args.changes, node1, node2)
        if "import" in sections:
            bench.import_records(args.records, sqlite)
    finally:
        bench.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
