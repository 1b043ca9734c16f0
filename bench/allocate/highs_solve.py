#!/usr/bin/env python3
"""Solve a DIMACS min-cost flow file as an LP with HiGHS (highspy).

Usage: highs_solve.py FILE.dimacs
Prints 's <objective>' (rounded to an integer; the LP of a network with
integer data has an integral optimal basic solution) or 's INFEASIBLE',
then 'c time <seconds>' for the HiGHS run alone (model already built).
Exit status 0 either way; 2 on an unexpected HiGHS status.
"""
import sys
import time

import numpy as np
import highspy


def read_dimacs(path):
    n = m = None
    supply = None
    tails, heads, lows, caps, costs = [], [], [], [], []
    with open(path) as f:
        for line in f:
            if not line or line[0] == "c" or not line.strip():
                continue
            t = line.split()
            if t[0] == "a":
                tails.append(int(t[1]) - 1)
                heads.append(int(t[2]) - 1)
                lows.append(float(t[3]))
                caps.append(float(t[4]))
                costs.append(float(t[5]))
            elif t[0] == "n":
                supply[int(t[1]) - 1] += float(t[2])
            elif t[0] == "p":
                n, m = int(t[2]), int(t[3])
                supply = np.zeros(n)
    return n, supply, np.array(tails, dtype=np.int64), np.array(heads, dtype=np.int64), \
        np.array(lows), np.array(caps), np.array(costs)


def solve(path, quiet=True):
    n, supply, tails, heads, lows, caps, costs = read_dimacs(path)
    m = len(tails)
    if abs(supply.sum()) > 0.5:
        return None, 0.0
    if m == 0:  # HiGHS reports an empty model; decide it here
        return (0 if not np.any(supply) else None), 0.0
    # Column j: +1 in row tail (outflow), -1 in row head (inflow); a self-loop
    # has no coefficients.
    loop = tails == heads
    per_col = np.where(loop, 0, 2)
    start = np.zeros(m + 1, dtype=np.int32)
    start[1:] = np.cumsum(per_col)
    index = np.empty(start[-1], dtype=np.int32)
    value = np.empty(start[-1])
    keep = ~loop
    index[0::2] = tails[keep]
    index[1::2] = heads[keep]
    value[0::2] = 1.0
    value[1::2] = -1.0
    lp = highspy.HighsLp()
    lp.num_col_ = m
    lp.num_row_ = n
    lp.col_cost_ = costs
    lp.col_lower_ = lows
    lp.col_upper_ = caps
    lp.row_lower_ = supply
    lp.row_upper_ = supply
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    h = highspy.Highs()
    if quiet:
        h.setOptionValue("output_flag", False)
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    secs = time.perf_counter() - t
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None, secs
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS status {h.modelStatusToString(status)}")
    # Recompute the objective from the column values, rounded to integers.
    x = np.array(h.getSolution().col_value)
    obj = int(np.rint(x).astype(np.int64) @ costs.astype(np.int64)) if m else 0
    reported = h.getInfo().objective_function_value
    if abs(reported - obj) > max(1.0, 1e-9 * abs(obj)):
        raise RuntimeError(f"HiGHS objective {reported} differs from its rounded solution {obj}")
    return obj, secs


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        obj, secs = solve(sys.argv[1], quiet="--verbose" not in sys.argv)
    except RuntimeError as e:
        print(f"c error {e}")
        return 2
    print("s INFEASIBLE" if obj is None else f"s {obj}")
    print(f"c time {secs:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
