#!/usr/bin/env bash
# The record layer under load (issue 14): a SQLite node with the demo
# scenario plus N notes (default 1,000,000) written through the layer in
# batches of 1,000, against the named competitor of the write path: the
# same rows inserted by Python's sqlite3 executemany (bench/records/
# sqlite_floor.py), ratio printed. Then single writes (one transaction
# each), and the read paths a reader hits most — count, first page, a deep
# page, the web notes page (which shows the count) — under a 500 requests/s
# OPEN-loop load (crates/cli/examples/open_loop.rs: latency from when each
# request was due, so queueing shows), p50/p90/p99 printed.
# Usage: bench/records/run.sh [N] [SECONDS] [RATE]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
SECONDS_EACH="${2:-20}"
RATE="${3:-500}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
cargo build --release --locked -p coalesce --bin coalesce --example seed_notes --example open_loop
BIN="$CARGO_TARGET_DIR/release/coalesce"
EX="$CARGO_TARGET_DIR/release/examples"
DIR="$(mktemp -d)"
DB="sqlite://$DIR/bench.db"
PORT="${PORT:-18183}"
trap 'kill ${SERVER:-} 2>/dev/null || true; rm -rf "$DIR"' EXIT
"$BIN" demo --no-serve --database "$DB" > "$DIR/demo.out"
PASSWORD="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"

echo "== writes: $N notes through the record layer, batches of 1,000"
LAYER="$("$EX/seed_notes" "$DB" "$N" 2>&1 | tail -1)"
echo "$LAYER"
echo "== the competitor: the same rows by Python sqlite3 executemany"
FLOOR="$(python3 bench/records/sqlite_floor.py "$N")"
echo "$FLOOR"
python3 - "$LAYER" "$FLOOR" <<'PY'
import re, sys
layer = float(re.search(r"([0-9.]+) notes/s", sys.argv[1]).group(1))
floor = float(re.search(r"([0-9.]+) records/s", sys.argv[2]).group(1))
print(f"ratio layer/executemany: {layer / floor:.2f} (above 1: the layer writes faster)")
PY
echo "== single writes: 5,000 notes, one transaction each"
"$EX/seed_notes" "$DB" 5000 --one-by-one 2>&1 | tail -1

# The seeding wrote ~1.5 GB: flush it before measuring reads, or the
# kernel's writeback lands in the first paths' latencies.
sync
"$BIN" serve --allow-demo-database --database "$DB" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
TOKEN="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"gbr\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')"
AUTH="Authorization: Bearer $TOKEN"
echo "GBR may read $(curl -sf -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/notes/count") of the notes"
# A cursor 20 pages deep.
CURSOR=""
for _ in $(seq 20); do
  CURSOR="$(curl -sf -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/notes?limit=50${CURSOR:+&cursor=$CURSOR}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["next"] or "")')"
done
for path in "/api/v1/notes/count" "/api/v1/notes?limit=50" "/api/v1/notes?limit=50&cursor=$CURSOR" "/api/v1/contacts/count" "/notes"; do
  echo
  echo "== GET $path: $RATE requests/s open-loop for ${SECONDS_EACH}s (after 3 s unmeasured)"
  "$EX/open_loop" "http://127.0.0.1:$PORT$path" "$RATE" 3 "$AUTH" "Cookie: coalesce_session=$TOKEN" > /dev/null
  "$EX/open_loop" "http://127.0.0.1:$PORT$path" "$RATE" "$SECONDS_EACH" "$AUTH" "Cookie: coalesce_session=$TOKEN"
done
echo
echo "RSS of the node after load: $(ps -o rss= -p $SERVER) KiB"
