#!/usr/bin/env bash
# API load test, two modes.
#
# Closed loop (the default): a SQLite node with the demo scenario plus N
# notes (default 100k), served by `coalesce serve` on loopback; wrk
# (Debian's package) drives GET /api/v1/members and GET /api/v1/notes
# (first page, 50 items, as GBR) and reports throughput and latency
# percentiles. wrk is closed-loop: it runs as fast as the node answers, so
# the p99 it reports at saturation is an upper bound of the p99 at the 500
# requests/s of the target.
# Usage: bench/api/run.sh [NOTES] [DURATION]
#
# Open loop (issue 20's target: p99 under 20 ms at 500 requests/s with
# 1,000,000 records): bench/api/run.sh --open-loop [--records N]
# [--rate R] [--seconds S] [--postgres [URL]]. The node holds the demo
# scenario, N notes (default 1,000,000) and 20,000 reports, all written
# through the store; crates/cli/examples/open_loop.rs sends a desk
# officer's mix at a FIXED rate (latency counted from when each request
# was due, so queueing shows): note lists, a deep page, counts, single
# notes, contributions and requirements, report lists, full-text search,
# a line of effort's dashboard, the picture's totals, members, and note
# writes (5 %). It prints p50/p90/p99/p99.9 for the whole mix and per
# request. On SQLite, and then on PostgreSQL when --postgres is given
# (without a URL: the local server .ci/start-postgres starts on loopback,
# which runs with fsync=off — SQLite here syncs its WAL at checkpoints —
# so write latencies of the two are not like for like); each backend gets
# a fresh database (on PostgreSQL `coalesce_bench_api`, next to the URL's
# own database, dropped at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = "--open-loop" ]; then
  shift
  exec bash bench/api/open_loop.sh "$@"
fi
NOTES="${1:-100000}"
DURATION="${2:-20s}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
command -v wrk >/dev/null || { echo "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -p coalesce --bin coalesce --example seed_notes
BIN="$CARGO_TARGET_DIR/release/coalesce"
DIR="$(mktemp -d)"
DB="sqlite://$DIR/bench.db"
PORT="${PORT:-18181}"
"$BIN" demo --no-serve --database "$DB" > "$DIR/demo.out"
PASSWORD="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"
echo "seeding $NOTES notes"
"$CARGO_TARGET_DIR/release/examples/seed_notes" "$DB" "$NOTES"
"$BIN" serve --allow-demo-database --database "$DB" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
TOKEN="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"gbr\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')"
COUNT="$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/notes/count")"
echo "GBR may read $COUNT of the notes"
cat > "$DIR/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
echo "RSS of the node before load: $(ps -o rss= -p $SERVER) KiB"
for path in /api/v1/members "/api/v1/notes?limit=50"; do
  echo
  echo "== GET $path ($DURATION, 2 threads, 8 connections)"
  wrk -t2 -c8 -d"$DURATION" --latency -s "$DIR/auth.lua" "http://127.0.0.1:$PORT$path" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|requests in"
done
echo
echo "RSS of the node after load: $(ps -o rss= -p $SERVER) KiB"
