#!/usr/bin/env bash
# Exports at scale (issue 20: "exports of 1M rows with flat RSS").
#
# A SQLite node with the demo scenario plus N reports (default 1,000,000,
# crates/cli/examples/seed_reports.rs, in batches of 1,000) and N
# contributions against 1,000 requirements (seed_needs.rs) serves each
# export to GBR once: the STIX bundle (every entity, report and
# relationship GBR may read), the IATI activity file, the contributions
# and requirements CSV. For each, the node's resident set is sampled every
# 20 ms while the export runs, and the script prints the file's size, the
# time, the records written per second and the resident set before and at
# its peak, each export twice: flat means the peak does not grow with the
# file, nor with a second run (the reference
# beside it is the file's own size, what an export built whole in memory
# holds at least once). The release build of `coalesce` is measured.
# With --postgres [URL] the same runs on PostgreSQL instead (without a URL:
# the local server .ci/start-postgres starts on loopback; a fresh database
# `coalesce_bench_exports` beside the URL's own, dropped at the end); the
# resident set is the node's, not the PostgreSQL server's.
# Usage: bench/exports/run.sh [N] [--postgres [URL]]; KEEP_DB=path reuses a
# seeded SQLite database; with --postgres, KEEP_DB=path keeps the seeded
# coalesce_bench_exports database (its demo password in path.pg-password) and
# reuses it on the next run while that database exists (N is then the seeded one).
set -euo pipefail
cd "$(dirname "$0")/../.."
PG=""
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres)
      if [ -n "${2:-}" ] && [ "${2#postgres}" != "$2" ]; then PG="$2"; shift 2; else PG="start"; shift; fi ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
N="${ARGS[0]:-1000000}"
PASSWORD=""
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
cargo build --release --locked -p coalesce --bin coalesce --example seed_reports --example seed_needs
BIN="$CARGO_TARGET_DIR/release/coalesce"
EX="$CARGO_TARGET_DIR/release/examples"
DIR="$(mktemp -d)"
PORT="${PORT:-18193}"
URL="http://127.0.0.1:$PORT"
SERVER=""
PG_DROP=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi
  if [ -n "$PG_DROP" ]; then
    psql -q "$PG_DROP" -c "DROP DATABASE IF EXISTS coalesce_bench_exports WITH (FORCE)" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT
if [ -n "$PG" ]; then
  [ "$PG" = "start" ] && PG="$(bash .ci/start-postgres | tail -1)"
  DB="${PG%/*}/coalesce_bench_exports"
  if [ -n "${KEEP_DB:-}" ] && [ -f "$KEEP_DB.pg-password" ] \
    && [ "$(psql -tAq "$PG" -c "SELECT 1 FROM pg_database WHERE datname = 'coalesce_bench_exports'")" = 1 ]; then
    # A database seeded by an earlier run: kept, not dropped at the end.
    PASSWORD="$(cat "$KEEP_DB.pg-password")"
    echo "reusing $DB"
  else
    [ -z "${KEEP_DB:-}" ] && PG_DROP="$PG"
    psql -q "$PG" -c "DROP DATABASE IF EXISTS coalesce_bench_exports" -c "CREATE DATABASE coalesce_bench_exports"
  fi
elif [ -n "${KEEP_DB:-}" ] && [ -f "$KEEP_DB.password" ]; then
  FILE="$KEEP_DB"
  DB="sqlite://$FILE"
  PASSWORD="$(cat "$KEEP_DB.password")"
  echo "reusing $KEEP_DB"
else
  FILE="${KEEP_DB:-$DIR/exports.db}"
  DB="sqlite://$FILE"
fi
if [ -z "${PASSWORD:-}" ]; then
  "$BIN" demo --no-serve --database "$DB" > "$DIR/demo.out"
  PASSWORD="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"
  T0=$(date +%s)
  echo "seeding $N reports and $N contributions (through the store's write paths; this takes a while)"
  "$EX/seed_reports" "$DB" "$N" > /dev/null
  "$EX/seed_needs" "$DB" 1000 "$N" > /dev/null
  if [ -n "$PG" ]; then
    # As an operator does after a bulk load.
    psql -q "$DB" -c "VACUUM ANALYZE"
    SIZE="$(psql -tAq "$DB" -c "SELECT pg_size_pretty(pg_database_size(current_database()))") on PostgreSQL"
    [ -n "${KEEP_DB:-}" ] && echo "$PASSWORD" > "$KEEP_DB.pg-password"
  else
    SIZE="$(du -h "$FILE" | cut -f1)"
    [ -n "${KEEP_DB:-}" ] && echo "$PASSWORD" > "$KEEP_DB.password"
  fi
  echo "seeded in $(( $(date +%s) - T0 )) s; database $SIZE"
fi

"$BIN" serve --allow-demo-database --database "$DB" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 200); do curl -sf -o /dev/null "$URL/readyz" && break; sleep 0.05; done
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$SERVER/status"; }
TOKEN="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"gbr\",\"password\":\"$PASSWORD\"}" "$URL/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')"
AUTH="Authorization: Bearer $TOKEN"
echo "RSS after start: $(rss) MB"

# One export: its size, time and records, and the node's RSS around it.
export_one() { # name, path, how records are counted in the file (a grep pattern)
  local name="$1" path="$2" pattern="$3"
  local before peak sampler out
  before=$(rss)
  ( p=0; while kill -0 $SERVER 2>/dev/null; do r=$(rss); [ "$r" -gt "$p" ] && p=$r && echo $p > "$DIR/peak"; sleep 0.02; done ) &
  sampler=$!
  echo "$before" > "$DIR/peak"
  out=$(curl -sf -H "$AUTH" -o "$DIR/out" -w '%{http_code} %{size_download} %{time_total}' "$URL$path")
  kill $sampler 2>/dev/null; wait $sampler 2>/dev/null || true
  peak=$(cat "$DIR/peak")
  read -r code bytes secs <<< "$out"
  local records
  records=$(grep -o "$pattern" "$DIR/out" | wc -l)
  python3 - "$name" "$code" "$bytes" "$secs" "$records" "$before" "$peak" <<'PY'
import sys
name, code, size, secs, records, before, peak = sys.argv[1:]
size, secs, records, before, peak = int(size), float(secs), int(records), int(before), int(peak)
mb = size / 1048576
print(f"== {name}: HTTP {code}, {mb:,.0f} MB, {records:,} records in {secs:.1f} s ({records / max(secs, 1e-9):,.0f}/s); "
      f"RSS {before} MB before, peak {peak} MB (+{peak - before} MB; the file is {mb:,.0f} MB: peak growth / file = {(peak - before) / max(mb, 1e-9):.3f})")
PY
  rm -f "$DIR/out"
}
# Each twice: the first run also warms the node (the database's caches,
# prepared statements, the allocator's arenas); flat means the second
# does not grow further, and the peak does not follow the file's size.
for round in first again; do
  export_one "stix.json ($round)" /api/v1/export/stix '"spec_version":"2.1"'
  export_one "iati.xml ($round)" /api/v1/export/iati.xml '<iati-activity '
  export_one "contributions.csv ($round)" /api/v1/export/contributions.csv '^[0-9a-f]\{8\}-'
done
export_one requirements.csv /api/v1/export/requirements.csv '^[0-9a-f]\{8\}-'
echo "RSS at the end: $(rss) MB; peak over the run (VmHWM): $(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER/status") MB (target: flat, under 200 MB)"
