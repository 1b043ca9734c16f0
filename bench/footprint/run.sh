#!/usr/bin/env bash
# Footprint of a node (issue 20's targets: start in under 200 ms, under
# 200 MB resident with 1,000,000 records, exports with flat RSS).
#
# A node with the demo scenario plus N notes (default 1,000,000, written by
# crates/cli/examples/seed_notes.rs) is started R times (default 5); each
# start is timed from spawn to the first 200 of /readyz (database open,
# schema current) and the median and worst printed. The last node is then
# loaded: an open-loop read mix at 100 requests/s for 20 s (notes lists,
# counts, a note by id, search — crates/cli/examples/open_loop.rs) and the
# whole notes feed paged through; its resident set is printed after start,
# after the load and at its peak (VmHWM), against the 200 MB target. The
# release build of `coalesce` is what is measured.
#
# On SQLite, then on PostgreSQL with --postgres (without a URL: the local
# server .ci/start-postgres starts on loopback; a fresh database
# `coalesce_bench_footprint` beside the URL's own, dropped at the end). The
# resident set is the node's alone: PostgreSQL's own processes are not in
# it (their memory is the server's configuration).
# Usage: bench/footprint/run.sh [NOTES] [STARTS] [--postgres [URL]]
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
NOTES="${ARGS[0]:-1000000}"
STARTS="${ARGS[1]:-5}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
cargo build --release --locked -p coalesce --bin coalesce --example seed_notes --example open_loop
BIN="$CARGO_TARGET_DIR/release/coalesce"
EX="$CARGO_TARGET_DIR/release/examples"
DIR="$(mktemp -d)"
PORT="${PORT:-18191}"
URL="http://127.0.0.1:$PORT"
SERVER=""
PG_DROP=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi
  if [ -n "$PG_DROP" ]; then
    psql -q "$PG_DROP" -c "DROP DATABASE IF EXISTS coalesce_bench_footprint WITH (FORCE)" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT

rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }
peak() { awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$1/status"; }

# One backend: seed, start the node STARTS times, load the last start.
run_on() { # backend name, database URL
  local name="$1" db="$2"
  echo
  echo "######## $name: demo scenario + $NOTES notes"
  "$BIN" demo --no-serve --database "$db" > "$DIR/demo.out"
  local password size
  password="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"
  echo "seeding $NOTES notes"
  local seed_start
  seed_start=$(date +%s.%N)
  "$EX/seed_notes" "$db" "$NOTES" > /dev/null
  if [ "$name" = postgres ]; then
    # As an operator does after a bulk load: else autovacuum does it
    # during the measured part.
    psql -q "$db" -c "VACUUM ANALYZE"
    size="$(psql -tAq "$db" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
  else
    size="$(du -h "$DIR/footprint.db" | cut -f1)"
  fi
  echo "seeded in $(python3 -c "print(round($(date +%s.%N) - $seed_start, 1))") s; database $size"

  # Starts: spawn to the first 200 of /readyz, polled every 2 ms.
  local times=() t0 t1 i
  for i in $(seq "$STARTS"); do
    t0=$(date +%s%N)
    "$BIN" serve --allow-demo-database --database "$db" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
    SERVER=$!
    until curl -sf -o /dev/null "$URL/readyz"; do
      kill -0 "$SERVER" 2>/dev/null || { cat "$DIR/serve.out"; exit 1; }
      sleep 0.002
    done
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
    if [ "$i" -lt "$STARTS" ]; then kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi
  done
  local sorted
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "$name: start to ready over $STARTS starts: median ${sorted[$(( STARTS / 2 ))]} ms, worst ${sorted[-1]} ms (target < 200 ms); all: ${times[*]}"
  echo "RSS after start: $(rss "$SERVER") MB"

  local token auth count note
  token="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"gbr\",\"password\":\"$password\"}" "$URL/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')"
  auth="Authorization: Bearer $token"
  count="$(curl -sf -H "$auth" "$URL/api/v1/notes/count" | python3 -c 'import sys,json; print(json.load(sys.stdin)["count"])')"
  note="$(curl -sf -H "$auth" "$URL/api/v1/notes?limit=1" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["id"])')"
  echo "GBR may read $count notes"
  local paths=("/api/v1/notes?limit=50" "/api/v1/notes/count" "/api/v1/notes/$note" "/api/v1/search?q=coalition")
  local loads=()
  for i in "${!paths[@]}"; do
    "$EX/open_loop" "$URL${paths[$i]}" 25 20 "$auth" > "$DIR/load-$i.out" &
    loads+=($!)
  done
  wait "${loads[@]}"
  for i in "${!paths[@]}"; do echo "== GET ${paths[$i]} at 25/s: $(cat "$DIR/load-$i.out")"; done
  echo "RSS after 20 s of reads at 100 requests/s: $(rss "$SERVER") MB"

  # The whole feed, page by page (what an export or a peer reads).
  local pages=0 cursor="" start q
  start=$(date +%s.%N)
  while :; do
    q="limit=500${cursor:+&cursor=$cursor}"
    cursor="$(curl -sf -H "$auth" "$URL/api/v1/notes?$q" | python3 -c 'import sys,json; n=json.load(sys.stdin).get("next"); print(n or "")')"
    pages=$((pages + 1))
    [ -z "$cursor" ] && break
  done
  echo "paged through every note GBR may read: $pages pages in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
  echo "$name: RSS after: $(rss "$SERVER") MB; peak since start (VmHWM): $(peak "$SERVER") MB (target < 200 MB)"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

run_on sqlite "sqlite://$DIR/footprint.db"
rm -f "$DIR"/footprint.db*
if [ -n "$PG" ]; then
  [ "$PG" = "start" ] && PG="$(bash .ci/start-postgres | tail -1)"
  PG_DROP="$PG"
  psql -q "$PG" -c "DROP DATABASE IF EXISTS coalesce_bench_footprint" -c "CREATE DATABASE coalesce_bench_footprint"
  run_on postgres "${PG%/*}/coalesce_bench_footprint"
fi
