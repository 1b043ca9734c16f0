#!/usr/bin/env python3
"""Cross-check coalesce's min-cost flow against HiGHS on random instances.

Generates N small random DIMACS min-cost flow instances (lower bounds,
negative costs, self-loops, parallel arcs, isolated nodes; some unbalanced or
otherwise infeasible), solves each with coalesce and with HiGHS (highspy, as
an LP) and compares: both must find the same optimal cost, or both must find
the instance infeasible. coalesce's printed flow is also checked (bounds,
conservation, cost). Prints 'N passed, 0 failed'; exits non-zero on any
disagreement.

Which coalesce runs:
  COALESCE_BIN=/path/to/coalesce  ->  coalesce allocate --dimacs FILE
  otherwise --bin PATH (default: the allocate_bench example in the cargo
  target dir)  ->  allocate_bench solve FILE

Usage: check_lp.py [--n N] [--seed S] [--bin PATH] [--keep DIR]
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import highs_solve  # noqa: E402
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "highspy"], check=True)
    import highs_solve  # noqa: E402


def random_instance(rng):
    n = rng.randint(1, 12)
    m = rng.randint(0, 4 * n + 4)
    supply = [0] * n
    for _ in range(rng.randint(0, n)):
        a, b, q = rng.randrange(n), rng.randrange(n), rng.randint(0, 9)
        supply[a] += q
        supply[b] -= q
    kind = rng.random()
    if kind < 0.08:
        supply[rng.randrange(n)] += rng.choice([-3, -1, 1, 2])  # unbalanced
    arcs = []
    if n > 1 and rng.random() < 0.7:
        # A ring of roomy arcs: strongly connected, so mostly feasible.
        for i in range(n):
            arcs.append((i, (i + 1) % n, 0, rng.randint(10, 40), rng.randint(0, 30)))
    for _ in range(m):
        a, b = rng.randrange(n), rng.randrange(n)
        low = rng.randint(0, 2) if rng.random() < 0.1 else 0
        cap = low + rng.randint(0, 12)
        cost = rng.randint(-5, 30)
        arcs.append((a, b, low, cap, cost))
    lines = [f"c random instance, kind {kind:.2f}", f"p min {n} {len(arcs)}"]
    lines += [f"n {i + 1} {s}" for i, s in enumerate(supply) if s != 0]
    lines += [f"a {a + 1} {b + 1} {lo} {c} {w}" for a, b, lo, c, w in arcs]
    return "\n".join(lines) + "\n", supply, arcs


def default_bin():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(root, "target")
    return os.path.join(target, "release", "examples", "allocate_bench")


def run_coalesce(path, bin_path):
    cbin = os.environ.get("COALESCE_BIN")
    cmd = [cbin, "allocate", "--dimacs", path] if cbin else [bin_path, "solve", path]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        msg = (p.stderr.strip().splitlines() or ["(no message)"])[-1]
        return None, msg, []
    s = None
    flows = []
    for line in p.stdout.splitlines():
        t = line.split()
        if not t or t[0] == "c":
            continue
        if t[0] == "s":
            s = int(t[1])
        elif t[0] == "f":
            flows.append((int(t[1]) - 1, int(t[2]) - 1, int(t[3])))
        else:
            raise RuntimeError(f"unexpected output line {line!r}")
    if s is None:
        raise RuntimeError("no 's' line in output")
    return s, None, flows


def check_flow(supply, arcs, flows, cost):
    """coalesce prints one f line per arc with non-zero flow, in input order."""
    bal = list(supply)
    total = 0
    fi = 0
    for a, b, lo, cap, w in arcs:
        f = 0
        if fi < len(flows) and flows[fi][:2] == (a, b):
            f = flows[fi][2]
            fi += 1
        if not (lo <= f <= cap):
            return f"flow {f} on arc {a + 1}->{b + 1} outside [{lo}, {cap}]"
        bal[a] -= f
        bal[b] += f
        total += f * w
    if fi != len(flows):
        return "f lines do not match the arcs"
    if any(bal):
        return f"flow not conserved: {bal}"
    if total != cost:
        return f"flow costs {total}, reported {cost}"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default=default_bin())
    ap.add_argument("--keep", default=None, help="directory to keep failing instances in")
    args = ap.parse_args()
    if not os.environ.get("COALESCE_BIN") and not os.path.exists(args.bin):
        print(f"coalesce binary {args.bin} not found (build the allocate_bench example "
              f"or set COALESCE_BIN)", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    passed = failed = infeasible = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.n):
            text, supply, arcs = random_instance(rng)
            path = os.path.join(tmp, f"inst{i}.dimacs")
            with open(path, "w") as f:
                f.write(text)
            try:
                want, _ = highs_solve.solve(path)
                got, err, flows = run_coalesce(path, args.bin)
                problem = None
                if want is None:
                    infeasible += 1
                    if got is not None:
                        problem = f"HiGHS: infeasible, coalesce: s {got}"
                    elif "infeasible" not in err:
                        problem = f"HiGHS: infeasible, coalesce error without 'infeasible': {err}"
                elif got is None:
                    problem = f"HiGHS: {want}, coalesce error: {err}"
                elif got != want:
                    problem = f"HiGHS: {want}, coalesce: {got}"
                elif len({(a, b) for a, b, *_ in arcs}) == len(arcs):
                    # Parallel arcs cannot be told apart in f lines; check
                    # the flow itself only when there are none.
                    problem = check_flow(supply, arcs, flows, got)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                problem = f"error: {e}"
            if problem:
                failed += 1
                print(f"instance {i}: {problem}")
                if args.keep:
                    os.makedirs(args.keep, exist_ok=True)
                    with open(os.path.join(args.keep, f"inst{i}.dimacs"), "w") as f:
                        f.write(text)
            else:
                passed += 1
    print(f"({infeasible} of the instances were infeasible)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
