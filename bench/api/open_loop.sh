#!/usr/bin/env bash
# The open-loop mode of bench/api/run.sh (see there): a desk officer's mix
# at a fixed rate against a node with N records, on SQLite and, with
# --postgres, on PostgreSQL.
# Usage: bench/api/open_loop.sh [--records N] [--rate R] [--seconds S] [--postgres [URL]]
set -euo pipefail
cd "$(dirname "$0")/../.."
RECORDS=1000000
REPORTS=20000
RATE=500
SECONDS_MEASURED=30
PG=""
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --seconds) SECONDS_MEASURED="$2"; shift 2 ;;
    --postgres)
      if [ -n "${2:-}" ] && [ "${2#postgres}" != "$2" ]; then PG="$2"; shift 2; else PG="start"; shift; fi ;;
    *) echo "unknown option $1 (see bench/api/run.sh)" >&2; exit 2 ;;
  esac
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
cargo build --release --locked -p coalesce --bin coalesce --example seed_notes --example seed_reports --example open_loop
BIN="$CARGO_TARGET_DIR/release/coalesce"
EX="$CARGO_TARGET_DIR/release/examples"
DIR="$(mktemp -d)"
PORT="${PORT:-18184}"
SERVER=""
PG_DROP=""
cleanup() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    # Stopped on a failure: its log says why.
    if [ -f "$DIR/serve.out" ]; then
      echo "--- the node's log (last 20 lines)"
      tail -20 "$DIR/serve.out" || true
    fi
  fi
  if [ -n "$PG_DROP" ]; then
    psql -q "$PG_DROP" -c "DROP DATABASE IF EXISTS coalesce_bench_api WITH (FORCE)" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT

# One backend: seed, serve, write the mix, warm up, measure.
run_on() { # backend name, database URL
  local name="$1" db="$2"
  echo
  echo "######## $name: demo scenario + $RECORDS notes + $REPORTS reports"
  "$BIN" demo --no-serve --database "$db" > "$DIR/demo.out"
  local password
  password="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"
  "$EX/seed_notes" "$db" "$RECORDS" 2>&1 | tail -1
  "$EX/seed_reports" "$db" "$REPORTS" 2>&1 | tail -1
  # The seeding wrote a lot: flush it, or writeback lands in the latencies.
  # On PostgreSQL, vacuum and analyse what was bulk-loaded, as an operator
  # does after a load: else autovacuum does it during the measured run and
  # the planner meets a million rows with the statistics of none.
  if [ "$name" = postgres ]; then
    psql -q "$db" -c "VACUUM ANALYZE"
  fi
  sync
  local start_ns
  start_ns=$(date +%s%N)
  "$BIN" serve --allow-demo-database --database "$db" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
  SERVER=$!
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.05; done
  echo "serving after $(( ($(date +%s%N) - start_ns) / 1000000 )) ms (to the first /healthz answer, polled every 50 ms)"
  local base="http://127.0.0.1:$PORT/api/v1" token
  token="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"gbr\",\"password\":\"$password\"}" "$base/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')"
  local auth="Authorization: Bearer $token"
  echo "GBR may read $(curl -sf -H "$auth" "$base/notes/count") of the notes"
  # Ten notes to get, and a cursor 20 pages deep.
  local ids cursor=""
  ids="$(curl -sf -H "$auth" "$base/notes?limit=10" | python3 -c 'import sys,json; print(" ".join(i["id"] for i in json.load(sys.stdin)["items"]))')"
  for _ in $(seq 20); do
    cursor="$(curl -sf -H "$auth" "$base/notes?limit=50${cursor:+&cursor=$cursor}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["next"] or "")')"
  done
  {
    echo "# weight method path [JSON body]: a desk officer's mix"
    echo "20 GET /api/v1/notes?limit=50"
    echo "5 GET /api/v1/notes?limit=50&cursor=$cursor"
    echo "5 GET /api/v1/notes/count"
    for id in $ids; do echo "2 GET /api/v1/notes/$id"; done
    echo "10 GET /api/v1/contributions?limit=50"
    echo "5 GET /api/v1/requirements?limit=50"
    echo "5 GET /api/v1/reports?limit=50"
    echo "5 GET /api/v1/search?q=al-Shishani%20Raqqa"
    echo "5 GET /api/v1/search?q=tanker%20crossing"
    echo "5 GET /api/v1/lines-of-effort/military-support/dashboard"
    echo "5 GET /api/v1/picture/totals?by=member"
    echo "5 GET /api/v1/members"
    echo '5 POST /api/v1/notes {"title":"Open-loop note","body":"Written by the API benchmark.","marking":{"tlp":"AMBER","rel_to":["FRA"]}}'
  } > "$DIR/mix.txt"
  echo "RSS of the node before load: $(ps -o rss= -p "$SERVER") KiB"
  echo "== $name: the mix at $RATE requests/s open-loop, 5 s unmeasured, then ${SECONDS_MEASURED} s"
  "$EX/open_loop" --mix "$DIR/mix.txt" "http://127.0.0.1:$PORT" "$RATE" 5 "$auth" > /dev/null
  "$EX/open_loop" --mix "$DIR/mix.txt" "http://127.0.0.1:$PORT" "$RATE" "$SECONDS_MEASURED" "$auth" | tee "$DIR/$name.result"
  echo "RSS of the node after load: $(ps -o rss= -p "$SERVER") KiB"
  kill "$SERVER" || { echo "the node had stopped during the run"; exit 1; }
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
}

run_on sqlite "sqlite://$DIR/bench.db"
rm -f "$DIR"/bench.db*
if [ -n "$PG" ]; then
  [ "$PG" = "start" ] && PG="$(bash .ci/start-postgres | tail -1)"
  PG_DROP="$PG"
  psql -q "$PG" -c "DROP DATABASE IF EXISTS coalesce_bench_api" -c "CREATE DATABASE coalesce_bench_api"
  run_on postgres "${PG%/*}/coalesce_bench_api"
fi
echo
echo "######## summary ($RATE requests/s, $RECORDS notes)"
for f in "$DIR"/*.result; do echo "$(basename "$f" .result): $(head -1 "$f")"; done
