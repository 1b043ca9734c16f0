#!/usr/bin/env bash
# The stabilisation fund's ledger under load (issue 16), on SQLite (the
# embedded default) holding the demo scenario:
#  1. posting: N transfers (default 1,000,000) through Store::fund_operations
#     in batches of BATCH operations (default 1,000; 7 operations write 9
#     transfers: pledge, commitment, deposit + fee, allocation, approval,
#     disbursement + indirect costs, expenditure), each batch planned and
#     checked by the ledger engine, written all or nothing with the status
#     table per audience set and the audit entries (crates/cli/examples/
#     seed_fund.rs); against the named competitor: the same number of rows
#     inserted by Python's sqlite3 executemany into the same tables and
#     balance trigger without any check (bench/fund/sqlite_floor.py), ratio
#     printed. Target: >= 20,000 transfers/s.
#  2. the status table over those transfers, read in-process by six members
#     in turn (p50/p90/p99), then GET /api/v1/funds/{id}/status over HTTP
#     under an open-loop load (crates/cli/examples/open_loop.rs: latency
#     from when each request was due). Target: p99 under 20 ms. Then, not
#     targeted, the breakdown per project and the fund's web page.
#  3. `coalesce fund verify` over all of it.
# Usage: bench/fund/run.sh [N] [BATCH] [SECONDS] [RATE]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
BATCH="${2:-1000}"
SECONDS_EACH="${3:-20}"
RATE="${4:-200}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
cargo build --release --locked -p coalesce --bin coalesce --example seed_fund --example open_loop
BIN="$CARGO_TARGET_DIR/release/coalesce"
EX="$CARGO_TARGET_DIR/release/examples"
DIR="$(mktemp -d)"
DB="sqlite://$DIR/bench.db"
PORT="${PORT:-18184}"
trap 'kill ${SERVER:-} 2>/dev/null || true; rm -rf "$DIR"' EXIT
"$BIN" demo --no-serve --database "$DB" > "$DIR/demo.out"
PASSWORD="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"

echo "== posting: $N transfers through the ledger, batches of $BATCH operations"
OUT="$("$EX/seed_fund" "$DB" "$N" "$BATCH" 2000)"
echo "$OUT"
echo "== the competitor: as many rows by Python sqlite3 executemany, same tables and trigger, no checks"
FLOOR="$(python3 bench/fund/sqlite_floor.py "$N" "$((BATCH * 9 / 7))")"
echo "$FLOOR"
python3 - "$OUT" "$FLOOR" <<'PY'
import re, sys
ours = float(re.search(r"([0-9.]+) transfers/s", sys.argv[1]).group(1))
floor = float(re.search(r"([0-9.]+) transfers/s", sys.argv[2]).group(1))
print(f"ratio ledger/executemany: {ours / floor:.2f} (1.00 = as fast as bare inserts); target 20000 transfers/s: {'met' if ours >= 20000 else 'NOT met'}")
PY

sync
"$BIN" serve --allow-demo-database --database "$DB" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
FUND="$("$BIN" fund list --database "$DB" | awk -F'\t' '$2 == "Bench fund" {print $1}')"
for who in gbr alb; do
  TOKEN="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"$who\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')"
  echo
  echo "== GET /api/v1/funds/{id}/status as $who: $RATE requests/s open-loop for ${SECONDS_EACH}s (after 3 s unmeasured)"
  curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/funds/$FUND/status" | python3 -c 'import sys,json; s=json.load(sys.stdin); print("partial:", s["partial"], " deposits (USD):", s["base"]["lines"]["deposits"])'
  "$EX/open_loop" "http://127.0.0.1:$PORT/api/v1/funds/$FUND/status" "$RATE" 3 "Authorization: Bearer $TOKEN" > /dev/null
  "$EX/open_loop" "http://127.0.0.1:$PORT/api/v1/funds/$FUND/status" "$RATE" "$SECONDS_EACH" "Authorization: Bearer $TOKEN"
done
# The breakdown per project and the fund's web page (status, three
# charts from breakdowns, projects, latest transfers) as alb.
for path in "/api/v1/funds/$FUND/breakdown?by=project" "/funds/$FUND"; do
  echo
  echo "== GET $path as $who: 20 requests/s open-loop for ${SECONDS_EACH}s (after 3 s unmeasured)"
  "$EX/open_loop" "http://127.0.0.1:$PORT$path" 20 3 "Authorization: Bearer $TOKEN" "Cookie: coalesce_session=$TOKEN" > /dev/null
  "$EX/open_loop" "http://127.0.0.1:$PORT$path" 20 "$SECONDS_EACH" "Authorization: Bearer $TOKEN" "Cookie: coalesce_session=$TOKEN"
done
echo
echo "== coalesce fund verify"
kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=
/usr/bin/time -f "(%e s, %M KiB)" "$BIN" fund verify --database "$DB"
