#!/usr/bin/env bash
# Dashboard benchmark (issue 3): a SQLite node with the demo scenario plus
# R requirements and C contributions (default 20,000 and 1,000,000, random
# markings and lifecycles, written through the store's own write path),
# served by `coalesce serve`; wrk (Debian's package) drives, as GBR:
#   GET /api/v1/lines-of-effort/{slug}/dashboard   (a whole line of effort)
#   GET /api/v1/requirements/{id}/summary          (random requirements)
# and reports throughput and latency percentiles. wrk is closed-loop (as
# fast as the node answers), so its p99 at saturation bounds the p99 at
# lower load from above.
# Usage: bench/needs/run.sh [REQUIREMENTS] [CONTRIBUTIONS] [DURATION]
# Set KEEP_DB=path to reuse a seeded database between runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
R="${1:-20000}"
C="${2:-1000000}"
DURATION="${3:-20s}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
command -v wrk >/dev/null || { echo "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -p coalesce --bin coalesce --example seed_needs
BIN="$CARGO_TARGET_DIR/release/coalesce"
DIR="$(mktemp -d)"
PORT="${PORT:-18182}"
if [ -n "${KEEP_DB:-}" ] && [ -f "$KEEP_DB.password" ]; then
  DB="sqlite://$KEEP_DB"
  PASSWORD="$(cat "$KEEP_DB.password")"
  echo "reusing $KEEP_DB"
else
  FILE="${KEEP_DB:-$DIR/bench.db}"
  DB="sqlite://$FILE"
  "$BIN" demo --no-serve --database "$DB" > "$DIR/demo.out"
  PASSWORD="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"
  echo "seeding $R requirements and $C contributions (through the store; this takes a while)"
  "$CARGO_TARGET_DIR/release/examples/seed_needs" "$DB" "$R" "$C"
  [ -n "${KEEP_DB:-}" ] && echo "$PASSWORD" > "$KEEP_DB.password"
fi
"$BIN" serve --allow-demo-database --database "$DB" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
TOKEN="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"gbr\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')"
H="Authorization: Bearer $TOKEN"
echo "GBR may read $(curl -sf -H "$H" "http://127.0.0.1:$PORT/api/v1/contributions/count" | python3 -c 'import sys,json; print(json.load(sys.stdin)["count"])') contributions"
# 200 requirement ids GBR may read, for the summary requests.
curl -sf -H "$H" "http://127.0.0.1:$PORT/api/v1/requirements?limit=200" \
  | python3 -c 'import sys,json; print("\n".join(i["id"] for i in json.load(sys.stdin)["items"]))' > "$DIR/ids.txt"
cat > "$DIR/summary.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
local ids = {}
for line in io.lines("$DIR/ids.txt") do ids[#ids + 1] = line end
request = function()
  return wrk.format("GET", "/api/v1/requirements/" .. ids[math.random(#ids)] .. "/summary")
end
LUA
cat > "$DIR/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
echo "one dashboard: $(curl -sf -o /dev/null -w '%{time_total}s, %{size_download} bytes' -H "$H" "http://127.0.0.1:$PORT/api/v1/lines-of-effort/military-support/dashboard")"
echo "RSS of the node before load: $(ps -o rss= -p $SERVER) KiB"
echo
# One connection: the latency of one user's request. Four: both cores
# saturated (wrk is closed-loop, so its p99 there bounds any lower load).
for C in 1 4; do
  echo "== GET /api/v1/lines-of-effort/military-support/dashboard ($DURATION, $C connection(s))"
  wrk -t1 -c$C -d"$DURATION" --latency -s "$DIR/auth.lua" "http://127.0.0.1:$PORT/api/v1/lines-of-effort/military-support/dashboard" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|requests in"
  echo
done
echo
echo "== GET /api/v1/requirements/{random}/summary ($DURATION, 2 threads, 8 connections)"
wrk -t2 -c8 -d"$DURATION" --latency -s "$DIR/summary.lua" "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|requests in"
echo
# Who may read what changes without a contribution changing: a member joins
# the small group and leaves it again (PRT). Each recomputes that member's kept
# figures over every contribution (store/src/rollup.rs).
USA_TOKEN="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"usa\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')"
SMALL="$(curl -sf -H "Authorization: Bearer $USA_TOKEN" "http://127.0.0.1:$PORT/api/v1/groups/small-group" | python3 -c 'import sys,json; print(json.dumps(json.load(sys.stdin)["members"]))')"
JOINED="$(python3 -c 'import sys,json; m=json.loads(sys.argv[1]); print(json.dumps({"members": m + ["PRT"]}))' "$SMALL")"
put_members() {
  curl -sf -o /dev/null -w '%{time_total}' -X PUT -H "Authorization: Bearer $USA_TOKEN" -H 'content-type: application/json' \
    -d "$1" "http://127.0.0.1:$PORT/api/v1/groups/small-group/members"
}
echo "PRT joins the small group: $(put_members "$JOINED") s; and leaves it: $(put_members "{\"members\": $SMALL}") s"
echo
echo "RSS of the node after load: $(ps -o rss= -p $SERVER) KiB"
