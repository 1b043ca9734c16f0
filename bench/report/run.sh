#!/usr/bin/env bash
# The plenary report (issue 18), measured on the demo (62 members, the
# seed scenario): the wall time of `coalesce report plenary` to PDF for
# three members of different audiences (the whole command: open the
# database, gather every section over what the member may read, keep the
# snapshot, typeset, write), and what the PDF engine adds to a binary
# (the `typeset` example against `bare`, the same program without it).
# Targets: under 2 s per report on 2 cores; under 40 MB of binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
RUNS="${RUNS:-10}"
echo "building (release)…"
cargo build -q --release --locked -p coalesce
cargo build -q --release --locked -p coalesce-report --example typeset --example bare
BIN="$CARGO_TARGET_DIR/release/coalesce"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB="sqlite://$WORK/demo.db"
"$BIN" demo --no-serve --database "$DB" >/dev/null
echo "demo loaded; $RUNS runs per member"
ms() { local ns; ns=$(date +%s%N); echo $((ns / 1000000)); }
for member in GBR ALB USA; do
  times=()
  for _ in $(seq "$RUNS"); do
    s=$(ms)
    "$BIN" report plenary --member "$member" --output "$WORK/r.pdf" --database "$DB" >/dev/null 2>&1
    e=$(ms)
    times+=($((e - s)))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  n=${#sorted[@]}
  pages=$(python3 -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page\b', open(sys.argv[1],'rb').read())))" "$WORK/r.pdf")
  printf '%s: median %d ms, max %d ms over %d runs (%d pages, %d bytes)\n' \
    "$member" "${sorted[$((n / 2))]}" "${sorted[$((n - 1))]}" "$n" "$pages" "$(stat -c %s "$WORK/r.pdf")"
done
# Sizes as shipped: stripped of the debug line tables the release
# profile keeps.
strip -o "$WORK/typeset" "$CARGO_TARGET_DIR/release/examples/typeset"
strip -o "$WORK/bare" "$CARGO_TARGET_DIR/release/examples/bare"
strip -o "$WORK/coalesce" "$BIN"
typeset=$(stat -c %s "$WORK/typeset")
bare=$(stat -c %s "$WORK/bare")
awk -v t="$typeset" -v b="$bare" 'BEGIN { printf "PDF engine: %.1f MB added to a binary, stripped (typeset %.1f MB, bare %.1f MB; target under 40 MB)\n", (t - b) / 1048576, t / 1048576, b / 1048576 }'
awk -v c="$(stat -c %s "$WORK/coalesce")" 'BEGIN { printf "coalesce binary, stripped: %.1f MB\n", c / 1048576 }'
