#!/usr/bin/env bash
# Bulk import and export at scale, against the sqlite3 floor:
#   tests/bench/bulk_bench.sh BUILD_DIR [RECORDS=100000] [RUNS=3]
#
# Each run, on a fresh agent and store in a temporary directory:
#   import  xmppfed import-partners of RECORDS NDJSON records (each with a
#           description, one additional domain and a partner type), results
#           as NDJSON to /dev/null: wall time, CLI peak RSS, agent peak RSS;
#   floor   the sqlite3 command-line tool importing the same rows (as CSV)
#           into the same schema (partners + partner_domains with their
#           indexes, WAL, synchronous=FULL) in one transaction;
#   export  xmppfed get-partner -o ndjson of all of them: wall, CLI peak RSS.
# Runs alternate import and floor so that machine noise hits both; the
# medians and their ratio are printed last. Needs GNU time (/usr/bin/time),
# sqlite3 and python3.
set -euo pipefail

source "$(dirname "$0")/bench_agent.sh"
bench_init bulk "[RECORDS] [RUNS]" "$@"
records=${2:-100000}
runs=${3:-3}

python3 - "$records" "$work" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
with open(f"{work}/partners.ndjson", "w") as nd, \
     open(f"{work}/partners.csv", "w") as csv:
    csv.write("identity,description,additionalDomain,partnerType\n")
    for i in range(n):
        identity = f"p{i:07d}.example.com"
        extra = f"p{i:07d}.example.net"
        description = f"Partner number {i}"
        nd.write(json.dumps({"identity": identity, "description": description,
                             "additionalDomains": [extra],
                             "partnerType": "Federated"}) + "\n")
        csv.write(f"{identity},{description},{extra},1\n")
PY

# The agent's schema (agent/store/sqlite_schema.cc), loaded by the same rows.
cat >"$work/floor.sql" <<'SQL'
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE partners (
  identity TEXT NOT NULL PRIMARY KEY, description TEXT NOT NULL,
  partner_type INTEGER NOT NULL, tls_negotiation INTEGER NOT NULL,
  sasl_negotiation INTEGER NOT NULL, support_dialback INTEGER NOT NULL,
  proxy_fqdn TEXT NOT NULL, enable_keep_alive INTEGER NOT NULL,
  connection_limit INTEGER NOT NULL, revision INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL, modified_at_us INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE partner_domains (
  domain TEXT NOT NULL PRIMARY KEY,
  identity TEXT NOT NULL REFERENCES partners (identity) ON DELETE CASCADE,
  is_primary INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
  CHECK (is_primary = 0 OR domain = identity)
) WITHOUT ROWID;
CREATE INDEX partner_domains_by_identity
  ON partner_domains (identity, is_primary, domain);
CREATE UNIQUE INDEX partner_domains_one_primary
  ON partner_domains (identity) WHERE is_primary = 1;
BEGIN;
CREATE TEMP TABLE staging (identity TEXT, description TEXT,
                           additionalDomain TEXT, partnerType INTEGER);
.import --csv --skip 1 partners.csv staging
INSERT INTO partners SELECT identity, description, partnerType, 1, 1, 1, '',
  1, 0, 1, 0, 0 FROM staging;
INSERT INTO partner_domains SELECT identity, identity, 1 FROM staging;
INSERT INTO partner_domains SELECT additionalDomain, identity, 0 FROM staging;
COMMIT;
SQL

timed() {  # timed OUT_FILE COMMAND...: "wall_seconds peak_rss_kb" to OUT_FILE
  local out=$1
  shift
  /usr/bin/time -o "$out" -f "%e %M" "$@"
}

: >"$work/figures"
for run in $(seq "$runs"); do
  bench_start_agent "$work/agent"
  agent_start_kb=$(agent_peak_kb)
  timed "$work/t" "$cli" --socket "$work/agent/agent.sock" import-partners \
    "$work/partners.ndjson" -o ndjson --quiet >/dev/null
  read -r import_s import_kb <"$work/t"
  agent_kb=$(agent_peak_kb)
  count=$("$cli" --socket "$work/agent/agent.sock" get-agent -o json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["partnerCount"])')
  [[ "$count" == "$records" ]] || { echo "imported $count, not $records" >&2; exit 1; }
  timed "$work/t" "$cli" --socket "$work/agent/agent.sock" get-partner \
    -o ndjson >"$work/export.ndjson"
  read -r export_s export_kb <"$work/t"
  lines=$(wc -l <"$work/export.ndjson")
  [[ "$lines" == "$records" ]] || { echo "exported $lines, not $records" >&2; exit 1; }
  bench_stop_agent

  rm -f "$work/floor.db"*
  (cd "$work" && timed "$work/t" sqlite3 floor.db <floor.sql >/dev/null)
  read -r floor_s floor_kb <"$work/t"
  rows=$(sqlite3 "$work/floor.db" "SELECT count(*) FROM partners")
  [[ "$rows" == "$records" ]] || { echo "floor stored $rows" >&2; exit 1; }

  printf 'run %d: import %ss (CLI %d KB, agent peak %d KB from %d KB) | sqlite3 floor %ss (%d KB) | get-partner -o ndjson %ss (CLI %d KB)\n' \
    "$run" "$import_s" "$import_kb" "$agent_kb" "$agent_start_kb" \
    "$floor_s" "$floor_kb" "$export_s" "$export_kb"
  echo "$import_s $floor_s $export_s $import_kb $agent_kb $export_kb" >>"$work/figures"
done

python3 - "$work/figures" "$records" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
med = [statistics.median(col) for col in zip(*rows)]
imp, floor, export, cli_kb, agent_kb, export_kb = med
print(f"median of {len(rows)} runs, {sys.argv[2]} records:")
print(f"  import-partners  {imp:.2f} s  ({int(sys.argv[2]) / imp:,.0f} records/s)"
      f"  CLI peak {cli_kb / 1024:.1f} MiB, agent peak {agent_kb / 1024:.1f} MiB")
print(f"  sqlite3 floor    {floor:.2f} s  -> import is {imp / floor:.2f}x the floor"
      f" (target: within 3x, under 5 s)")
print(f"  get-partner -o ndjson  {export:.2f} s  CLI peak {export_kb / 1024:.1f} MiB"
      f" (target: under 1 s)")
PY
