#!/usr/bin/env bash
# Federation benchmark (issue 15): two real `coalesce serve` processes on
# loopback (release build, SQLite each), node A (GBR) holding N records
# released to IRQ, node B (IRQ) starting empty and pulling everything;
# then a no-op pull; then single changes at A, each timed from its commit
# to readable at B (with the poke). Prints time, objects/s and peak RSS of
# both nodes, and the anchor figures reported for MISP's sync.
#
#   bench/federation/run.sh [--n 1000000] [--changes 50] [--keep]
#
# Timings are printed, never asserted; the exit status is non-zero only if
# B does not end up holding exactly A's N records.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
python3 -c 'import requests' 2>/dev/null || pip install -q requests
cargo build --release --locked -p coalesce --bin coalesce
exec python3 bench/federation/bench.py --bin "$CARGO_TARGET_DIR/release/coalesce" "$@"
