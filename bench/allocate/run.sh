#!/usr/bin/env bash
# Allocation benchmark: coalesce (network simplex, release build) against
# HiGHS (highspy, the same flow problem as an LP) on identical DIMACS input.
#
#   bench/allocate/run.sh [--quick]
#
# Instances: realistic allocation networks at 1k offers x 1k requirements
# (~100k arcs) and 10k x 10k (~1M arcs), and a NETGEN-style instance
# (20k nodes, 200k arcs, lower bounds). Prints both objective values and the
# time ratio; exits non-zero if any objective differs. --quick skips the
# HiGHS solve at 10k x 10k (about 3 minutes here).
#
# Times: coalesce = parse + solve + print inside the process; HiGHS = its
# run() alone (model already built from the parsed file). allocate() = the
# domain entry point end to end (compatibility, network, solve, explanations).
set -euo pipefail

QUICK=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
  esac
done

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

if ! python3 -c 'import highspy' 2>/dev/null; then
  echo "installing highspy ..." >&2
  python3 -m pip install -q highspy
fi

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --release -q -p coalesce-allocate --example allocate_bench
BIN="$TARGET/release/examples/allocate_bench"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "== instances"
"$BIN" gen-domain 1000 1000 100000 1 "$WORK/domain-1k.dimacs"
"$BIN" gen-domain 10000 10000 1000000 1 "$WORK/domain-10k.dimacs"
"$BIN" gen-netgen 20000 200000 1 "$WORK/netgen-20k.dimacs"

field() { awk -v k="$1" '$1 == k { print $2 }' | tail -n1; }
ctime() { awk '$1 == "c" && $2 == "time" { print $3 }' | tail -n1; }

FAIL=0
printf '\n%-12s %18s %18s %10s %10s %8s\n' instance coalesce-obj highs-obj coalesce-s highs-s ratio
for name in domain-1k domain-10k netgen-20k; do
  f="$WORK/$name.dimacs"
  out="$("$BIN" solve "$f" --quiet 2>/dev/null)"
  cobj="$(field s <<<"$out")"
  csec="$(ctime <<<"$out")"
  if [[ "$QUICK" == 1 && "$name" == domain-10k ]]; then
    printf '%-12s %18s %18s %10.3f %10s %8s\n' "$name" "$cobj" "(skipped)" "$csec" - -
    continue
  fi
  hout="$(python3 "$HERE/highs_solve.py" "$f" 2>/dev/null)"
  hobj="$(field s <<<"$hout")"
  hsec="$(ctime <<<"$hout")"
  ratio="$(python3 -c "print(f'{$hsec / max($csec, 1e-9):.0f}x')")"
  printf '%-12s %18s %18s %10.3f %10.3f %8s\n' "$name" "$cobj" "$hobj" "$csec" "$hsec" "$ratio"
  if [[ "$cobj" != "$hobj" ]]; then
    echo "MISMATCH on $name: coalesce $cobj, HiGHS $hobj" >&2
    FAIL=1
  fi
done

echo
echo "== allocate() end to end (domain API, explanations included)"
"$BIN" domain 1000 1000 100000 1
"$BIN" domain 10000 10000 1000000 1

echo
echo "== random small instances against HiGHS"
python3 "$HERE/check_lp.py" --n 200 --bin "$BIN" | tail -n1 || FAIL=1

if [[ "$FAIL" != 0 ]]; then
  echo "FAILED: objectives differ" >&2
  exit 1
fi
echo "all objectives equal"
