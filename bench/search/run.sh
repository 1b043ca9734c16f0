#!/usr/bin/env bash
# Search benchmark (issue 6): a SQLite node with the demo scenario plus N
# reports (default 1,000,000; random kinds, words and markings, written
# through the store's own write path), served by `coalesce serve`; wrk
# (Debian's package) drives GET /api/v1/search as GBR, one run per kind of
# query, and reports latency percentiles:
#   name    a person's two names (each pair in ~1/256 of the reports)
#   rare    a report's unique number (one report)
#   place   one place name (in most reports: the worst case for ranking)
#   phrase  two commodity words
# Each kind runs with one connection (a user at a time: the latency of one
# search) and with four (2 cores saturated: wrk is closed-loop, so its p99
# there bounds the p99 at any lower load).
# Usage: bench/search/run.sh [N] [DURATION]; KEEP_DB=path reuses a seeded database.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
DURATION="${2:-15s}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
command -v wrk >/dev/null || { echo "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -p coalesce --bin coalesce --example seed_reports
BIN="$CARGO_TARGET_DIR/release/coalesce"
DIR="$(mktemp -d)"
PORT="${PORT:-18183}"
if [ -n "${KEEP_DB:-}" ] && [ -f "$KEEP_DB.password" ]; then
  DB="sqlite://$KEEP_DB"
  PASSWORD="$(cat "$KEEP_DB.password")"
  echo "reusing $KEEP_DB"
else
  FILE="${KEEP_DB:-$DIR/bench.db}"
  DB="sqlite://$FILE"
  "$BIN" demo --no-serve --database "$DB" > "$DIR/demo.out"
  PASSWORD="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"
  echo "seeding $N reports (through the store; this takes a while)"
  "$CARGO_TARGET_DIR/release/examples/seed_reports" "$DB" "$N"
  [ -n "${KEEP_DB:-}" ] && echo "$PASSWORD" > "$KEEP_DB.password"
fi
"$BIN" serve --allow-demo-database --database "$DB" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
TOKEN="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"gbr\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')"
H="Authorization: Bearer $TOKEN"
query_script() { # name, then the queries (one per line on stdin)
  cat > "$DIR/$1.txt"
  cat > "$DIR/$1.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
local qs = {}
for line in io.lines("$DIR/$1.txt") do qs[#qs + 1] = line end
request = function()
  return wrk.format("GET", "/api/v1/search?limit=20&q=" .. qs[math.random(#qs)])
end
LUA
}
python3 - "$N" <<'PY' > "$DIR/names.txt"
import random, sys
given = "Abu Muhammad Ahmed Omar Yusuf Khalid Ibrahim Hassan Ali Tariq Bilal Hamza Mustafa Samir Walid Zaid".split()
family = "al-Tunisi al-Shishani al-Britani al-Almani al-Faransi al-Iraqi al-Suri al-Maghribi al-Libi al-Masri al-Turki al-Urduni al-Kuwaiti al-Yemeni al-Sudani al-Somali".split()
for g in given:
    for f in family:
        print(f"{g}%20{f}")
PY
query_script name < "$DIR/names.txt"
python3 -c "import random,sys; n=int(sys.argv[1]); [print(f'synthetic%20report%20{random.randrange(n)}') for _ in range(500)]" "$N" | query_script rare
printf '%s\n' Raqqa Mosul Tikrit Amerli Kobani Akcakale Gaziantep Ramadi | query_script place
printf '%s\n' crude%20oil refined%20products tanker%20trucks cash%20transfer | query_script phrase
echo "one search: $(curl -sf -o /dev/null -w '%{time_total}s' -H "$H" "http://127.0.0.1:$PORT/api/v1/search?q=Omar%20al-Shishani")"
# Warm the word counts (each word's first search reads its posting list).
for kind in name place phrase; do
  while read -r q; do curl -sf -o /dev/null -H "$H" "http://127.0.0.1:$PORT/api/v1/search?limit=20&q=$q"; done < "$DIR/$kind.txt"
done
for kind in name rare place phrase; do
  # Unmeasured warm-up: the pages this kind of query reads come into the
  # caches first, so the runs below measure the steady state.
  wrk -t1 -c2 -d5s -s "$DIR/$kind.lua" "http://127.0.0.1:$PORT" > /dev/null
  for conns in 1 4; do
    echo
    echo "== GET /api/v1/search?q=<$kind> ($DURATION, $conns connection(s))"
    wrk -t1 -c"$conns" -d"$DURATION" --latency --timeout 30s -s "$DIR/$kind.lua" "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|requests in"
  done
done
