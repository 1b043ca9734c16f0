#!/usr/bin/env bash
# TAXII 2.1 benchmark: the same STIX 2.1 bundle (indicators, malware,
# identities, relationships; each TLP:GREEN or TLP:AMBER plus a REL TO
# COALITION marking definition from the data) is loaded into a coalesce demo
# node (TAXII POST, envelopes of 5,000) and into the medallion 3.0.0 reference
# server (memory backend); each collection is paged whole with taxii2-client
# (1,000 objects a page) in the same run, printing objects/s and the ratio.
# medallion's paging is quadratic in the collection size, so the comparison
# is at 2,000 objects; then coalesce alone grows to 1,000,000 objects and is
# paged again (objects/s overall and per 100k-object segment).
#
#   bench/taxii/run.sh [--small] [--n 2000] [--big 1000000] [--keep]
#
# --small (or SMALL=1) skips the 1M phase. Timings are printed, never
# asserted; the exit status is non-zero only if a server returns the wrong
# objects or refuses a load.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
python3 -c 'import medallion, taxii2client, requests' 2>/dev/null \
  || pip install -q 'medallion==3.0.0' 'taxii2-client>=2.3' requests
cargo build --release --locked -p coalesce --bin coalesce
exec python3 bench/taxii/bench.py --bin "$CARGO_TARGET_DIR/release/coalesce" "$@"
