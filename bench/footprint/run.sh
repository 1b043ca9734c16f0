#!/usr/bin/env bash
# Footprint of a node (issue 20's targets: start in under 200 ms, under
# 200 MB resident with 1,000,000 records, exports with flat RSS).
#
# A SQLite node with the demo scenario plus N notes (default 1,000,000,
# written by crates/cli/examples/seed_notes.rs) is started R times (default
# 5); each start is timed from spawn to the first 200 of /readyz (database
# open, schema current) and the median and worst printed. The last node is
# then loaded: an open-loop read mix at 100 requests/s for 20 s (notes
# lists, counts, a note by id, search — crates/cli/examples/open_loop.rs)
# and the whole notes feed paged through; its resident set is printed
# after start, after the load and at its peak (VmHWM), against the 200 MB
# target. The release build of `coalesce` is what is measured.
# Usage: bench/footprint/run.sh [NOTES] [STARTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
NOTES="${1:-1000000}"
STARTS="${2:-5}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
cargo build --release --locked -p coalesce --bin coalesce --example seed_notes --example open_loop
BIN="$CARGO_TARGET_DIR/release/coalesce"
EX="$CARGO_TARGET_DIR/release/examples"
DIR="$(mktemp -d)"
DB="sqlite://$DIR/footprint.db"
PORT="${PORT:-18191}"
URL="http://127.0.0.1:$PORT"
SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
"$BIN" demo --no-serve --database "$DB" > "$DIR/demo.out"
PASSWORD="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"
echo "seeding $NOTES notes"
SEED_START=$(date +%s.%N)
"$EX/seed_notes" "$DB" "$NOTES" > /dev/null
echo "seeded in $(python3 -c "print(round($(date +%s.%N) - $SEED_START, 1))") s; database $(du -h "$DIR/footprint.db" | cut -f1)"

rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }
peak() { awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$1/status"; }

# Starts: spawn to the first 200 of /readyz, polled every 2 ms.
TIMES=()
for i in $(seq "$STARTS"); do
  T0=$(date +%s%N)
  "$BIN" serve --allow-demo-database --database "$DB" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
  SERVER=$!
  until curl -sf -o /dev/null "$URL/readyz"; do
    kill -0 $SERVER 2>/dev/null || { cat "$DIR/serve.out"; exit 1; }
    sleep 0.002
  done
  T1=$(date +%s%N)
  TIMES+=($(( (T1 - T0) / 1000000 )))
  if [ "$i" -lt "$STARTS" ]; then kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=""; fi
done
SORTED=($(printf '%s\n' "${TIMES[@]}" | sort -n))
echo "start to ready over $STARTS starts: median ${SORTED[$(( STARTS / 2 ))]} ms, worst ${SORTED[-1]} ms (target < 200 ms); all: ${TIMES[*]}"
echo "RSS after start: $(rss $SERVER) MB"

TOKEN="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"gbr\",\"password\":\"$PASSWORD\"}" "$URL/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')"
AUTH="Authorization: Bearer $TOKEN"
COUNT="$(curl -sf -H "$AUTH" "$URL/api/v1/notes/count" | python3 -c 'import sys,json; print(json.load(sys.stdin)["count"])')"
NOTE="$(curl -sf -H "$AUTH" "$URL/api/v1/notes?limit=1" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["id"])')"
echo "GBR may read $COUNT notes"
PATHS=("/api/v1/notes?limit=50" "/api/v1/notes/count" "/api/v1/notes/$NOTE" "/api/v1/search?q=coalition")
LOADS=()
for i in "${!PATHS[@]}"; do
  "$EX/open_loop" "$URL${PATHS[$i]}" 25 20 "$AUTH" > "$DIR/load-$i.out" &
  LOADS+=($!)
done
wait "${LOADS[@]}"
for i in "${!PATHS[@]}"; do echo "== GET ${PATHS[$i]} at 25/s: $(cat "$DIR/load-$i.out")"; done
echo "RSS after 20 s of reads at 100 requests/s: $(rss $SERVER) MB"

# The whole feed, page by page (what an export or a peer reads).
PAGES=0
CURSOR=""
START=$(date +%s.%N)
while :; do
  Q="limit=500${CURSOR:+&cursor=$CURSOR}"
  CURSOR="$(curl -sf -H "$AUTH" "$URL/api/v1/notes?$Q" | python3 -c 'import sys,json; n=json.load(sys.stdin).get("next"); print(n or "")')"
  PAGES=$((PAGES + 1))
  [ -z "$CURSOR" ] && break
done
echo "paged through every note GBR may read: $PAGES pages in $(python3 -c "print(round($(date +%s.%N) - $START, 1))") s"
echo "RSS after: $(rss $SERVER) MB; peak since start (VmHWM): $(peak $SERVER) MB (target < 200 MB)"
