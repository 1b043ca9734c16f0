#!/usr/bin/env bash
# Batch benchmark: 1,000,000 synthetic shipment / transfer parties (persons of
# many origins incl. Arabic transliterations, companies, vessels; ~0.7% planted
# listed names with realistic variation) screened by coalesce's parallel batch
# path (screen_csv_parallel, all cores), against rapidfuzz brute force
# (process.cdist, JaroWinkler, workers=2) on the same rows, in the same run.
#
#   bench/screen/batch.sh [SANCTIONS_DIR] [--rows N] [--sample N] [--threads N] [--threshold T]
#
# Defaults: ../shared/data/sanctions, 1000000 rows, every row screened by
# rapidfuzz too (--sample N screens a random N of them instead, for a quick
# run: rapidfuzz needs minutes for 1M), threads 0 (all cores), rapidfuzz
# threshold: the grid value whose alert rate on non-planted rows is closest
# to coalesce's.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DATA="$ROOT/../shared/data/sanctions"
ROWS=1000000 SAMPLE=0 THREADS=0 THRESHOLD=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS="$2"; shift 2 ;;
    --sample) SAMPLE="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --threshold) THRESHOLD=(--threshold "$2"); shift 2 ;;
    *) DATA="$1"; shift ;;
  esac
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/target-screen}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

cd "$ROOT"
cargo build --release -q -p coalesce-screen --examples
BIN="$CARGO_TARGET_DIR/release/examples"
python3 -c 'import rapidfuzz, numpy' 2>/dev/null || pip install -q rapidfuzz numpy

echo "== generate $ROWS parties"
"$BIN/partygen" "$DATA" "$OUT" "$ROWS"

echo
echo "== coalesce: load + index both lists, screen_csv_parallel over all rows"
"$BIN/batch" "$DATA" "$OUT/parties.csv" "$OUT/hits.csv" "$THREADS" | tee "$OUT/batch.txt"
QPS="$(sed -n 's/^qps=//p' "$OUT/batch.txt")"

echo
echo "== recall, and rapidfuzz on $([ "$SAMPLE" = 0 ] && echo "every row" || echo "a sample of $SAMPLE rows")"
python3 "$ROOT/bench/screen/batch.py" "$OUT" "$OUT/hits.csv" "$QPS" --sample "$SAMPLE" "${THRESHOLD[@]}"
