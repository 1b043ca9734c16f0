#!/usr/bin/env bash
# Screening benchmark (labelled pairs; for the 1M-row batch benchmark see batch.sh): index build time over UN + OFAC, single-core queries/s,
# F1 per category (dev and held-out), and rapidfuzz as a competitor on the
# same labelled pairs.
#
#   bench/screen/run.sh [SANCTIONS_DIR]      (default: ../shared/data/sanctions)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DATA="${1:-$ROOT/../shared/data/sanctions}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/target-screen}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

cd "$ROOT"
cargo build --release -q -p coalesce-screen --examples
BIN="$CARGO_TARGET_DIR/release/examples"

echo "== index build and queries/s (one core)"
taskset -c 0 "$BIN/bench" "$DATA" 4000 2>/dev/null || "$BIN/bench" "$DATA" 4000

echo
echo "== labelled pairs: precision / recall / F1 per category"
"$BIN/evaluate" "$DATA" --write-pairs "$OUT/pairs.csv" | tee "$OUT/eval.txt"
OURS_PPS="$(sed -n 's/.*µs per pair, \([0-9]*\) pairs\/s.*/\1/p' "$OUT/eval.txt")"

echo
echo "== hand-labelled pairs by naming family (crates/screen/data/pairs/families.csv)"
"$BIN/families"
for f in holdout-1 holdout-2 holdout-3 holdout-4 holdout-5 holdout-6 holdout-7; do
  echo
  echo "== held-out pairs, written without sight of the matcher (crates/screen/data/pairs/$f.csv; see its README)"
  "$BIN/families" "crates/screen/data/pairs/$f.csv" | sed -n '1,7p'
done

echo
echo "== compare_csv on the same pairs (what an outside measurement sees)"
"$BIN/compare" < "$OUT/pairs.csv" > "$OUT/scored.csv"

echo
echo "== competitor: rapidfuzz (stand-in for Watchman's Jaro-Winkler), best threshold chosen on dev"
if python3 -c 'import rapidfuzz' 2>/dev/null || pip install -q rapidfuzz 2>/dev/null; then
  python3 "$ROOT/bench/screen/competitor.py" "$OUT/pairs.csv" "$OUT/scored.csv" "$OURS_PPS"
else
  echo "rapidfuzz not available: competitor skipped"
fi

echo
echo "== second opinion: pairs built independently of the matcher (own variant rules; the most similar other entry as the negative), coalesce vs rapidfuzz (and nomenklatura's logic-v2 when installed)"
python3 "$ROOT/bench/screen/second_opinion.py" "$DATA" "$BIN/compare"
