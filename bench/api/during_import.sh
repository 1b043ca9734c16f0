#!/usr/bin/env bash
# Reads while a large import is written (issue 20): a SQLite node with the
# demo scenario, 20 TLP:AMBER notes for GBR (so that each read of the list
# appends an audit entry, which must not wait for the importer's write),
# served by `coalesce serve` with its default read-audit bound (20 ms).
# An open-loop generator (crates/cli/examples/open_loop.rs: latency from
# the moment each request was due) reads GET /api/v1/notes?limit=20 as GBR
# at RATE requests/s: first alone (the baseline), then while IRQ imports a
# CSV of ROWS requirements (checked whole, then written in batches of 1,000)
# while USA also writes a note every 100 ms. Prints both sets of read
# percentiles, the writes' latencies, the import's time and the audit
# entries of the reads.
# Target: p99 of the reads during a 100k-row import under 50 ms.
# Usage: bench/api/during_import.sh [ROWS] [RATE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${1:-100000}"
RATE="${2:-100}"
SECONDS_UNDER_LOAD="${3:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
cargo build --release --locked -p coalesce --bin coalesce --example open_loop
BIN="$CARGO_TARGET_DIR/release/coalesce"
LOAD="$CARGO_TARGET_DIR/release/examples/open_loop"
DIR="$(mktemp -d)"
PORT="${PORT:-18184}"
DB="sqlite://$DIR/bench.db"
"$BIN" demo --no-serve --database "$DB" > "$DIR/demo.out"
PASSWORD="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"
"$BIN" serve --allow-demo-database --database "$DB" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
login() {
  curl -sf -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/auth/login" \
    | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}
GBR="$(login gbr)"
IRQ="$(login irq)"
USA="$(login usa)"
for i in $(seq 20); do
  curl -sf -o /dev/null -H "Authorization: Bearer $GBR" -H 'content-type: application/json' \
    -d "{\"title\":\"Amber note $i\",\"body\":\"for the read load\",\"marking\":{\"tlp\":\"AMBER\",\"rel_to\":[\"GBR\"]}}" \
    "$BASE/api/v1/notes"
done
# The import: the export's header and hashtag rows, then one of IRQ's
# requirements repeated ROWS times.
curl -sf -H "Authorization: Bearer $IRQ" "$BASE/api/v1/export/requirements.csv" > "$DIR/export.csv"
python3 - "$DIR/export.csv" "$DIR/import.csv" "$ROWS" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
header, tags, first = rows[0], rows[1], rows[2]
title = header.index("title") if "title" in header else 0
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    w.writerow(tags)
    for i in range(int(sys.argv[3])):
        row = list(first)
        row[title] = f"Imported requirement {i}"
        w.writerow(row)
PY
echo "import file: $ROWS rows, $(stat -c %s "$DIR/import.csv") bytes"
echo
echo "== reads alone: $RATE/s for 5 s"
"$LOAD" "$BASE/api/v1/notes?limit=20" "$RATE" 5 "Authorization: Bearer $GBR"
echo
echo "== reads while IRQ imports $ROWS requirements: $RATE/s for $SECONDS_UNDER_LOAD s"
(
  START=$(date +%s.%N)
  CODE=$(curl -s -o "$DIR/import.out" -w '%{http_code}' -H "Authorization: Bearer $IRQ" \
    -H 'content-type: text/csv' --data-binary "@$DIR/import.csv" "$BASE/api/v1/import/requirements")
  END=$(date +%s.%N)
  echo "import: HTTP $CODE in $(python3 -c "print(f'{$END - $START:.1f}')") s" > "$DIR/import.time"
) &
IMPORT=$!
sleep 0.5
# A user's writes meanwhile: USA files a note every 100 ms while the import
# runs (each waits for the write lock, which the import takes a batch of
# 1,000 rows at a time); USA's own, so GBR's list reads stay the same.
python3 - "$BASE" "$USA" "$IMPORT" > "$DIR/writes.out" <<'PY' &
import json, os, sys, time, urllib.request
base, token, importer = sys.argv[1], sys.argv[2], int(sys.argv[3])
took = []
def running(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False
while running(importer):
    body = json.dumps({"title": f"Note during the import {len(took)}", "body": "a user's write",
                       "marking": {"tlp": "AMBER", "rel_to": ["USA"]}}).encode()
    req = urllib.request.Request(f"{base}/api/v1/notes", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    t = time.monotonic()
    with urllib.request.urlopen(req, timeout=120) as r:
        r.read()
    took.append((time.monotonic() - t) * 1000)
    time.sleep(0.1)
took.sort()
if took:
    q = lambda f: took[min(len(took) - 1, int(f * len(took)))]
    print(f"writes during the import: {len(took)} notes, p50 {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms, max {took[-1]:.1f} ms")
PY
WRITES=$!
"$LOAD" "$BASE/api/v1/notes?limit=20" "$RATE" "$SECONDS_UNDER_LOAD" "Authorization: Bearer $GBR"
wait $IMPORT
wait $WRITES || true
cat "$DIR/import.time"
cat "$DIR/writes.out"
echo "(the reads overlapped the import only for as long as both ran: compare the two times)"
python3 - "$DIR/bench.db" "$RATE" "$SECONDS_UNDER_LOAD" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
n = db.execute("SELECT count(*) FROM audit_log WHERE actor = 'gbr' AND action = 'note.read'").fetchone()[0]
sent = int(float(sys.argv[2]) * (5 + float(sys.argv[3])))
print(f"audit entries of GBR's list reads: {n} (requests sent: {sent}; each 2xx read of AMBER notes appends one)")
PY
"$BIN" audit verify --database "$DB" 2>&1 | tail -1
