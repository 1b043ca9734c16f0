#!/usr/bin/env python3
"""Scores the labelled pairs written by `evaluate --write-pairs` with rapidfuzz
(token_sort_ratio and Jaro-Winkler, stand-ins for Moov Watchman's Jaro-Winkler
matching), picks each method's best threshold on the dev split, and reports
headline F1 on dev and held-out. If a scored CSV from coalesce's compare_csv is
given, its `match` column (at coalesce's DEFAULT_THRESHOLD) is scored the same way.

usage: competitor.py PAIRS_CSV [COALESCE_SCORED_CSV] [COALESCE_PAIRS_PER_S]
"""
import csv
import sys
import time

from rapidfuzz import fuzz, utils
from rapidfuzz.distance import JaroWinkler


def f1(rows, pred):
    tp = fp = fn = 0
    for r, p in zip(rows, pred):
        lab = r["label"] == "1"
        if lab and p:
            tp += 1
        elif lab:
            fn += 1
        elif p:
            fp += 1
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), prec, rec


def headline(r):
    return not r["category"].endswith("_unrelated")


def main():
    pairs = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
    rows = [r for r in pairs if headline(r)]
    dev = [i for i, r in enumerate(rows) if r["split"] == "dev"]
    held = [i for i, r in enumerate(rows) if r["split"] == "heldout"]
    a = [utils.default_process(r["name1"]) for r in rows]
    b = [utils.default_process(r["name2"]) for r in rows]
    methods = {
        "rapidfuzz token_sort_ratio": lambda x, y: fuzz.token_sort_ratio(x, y) / 100.0,
        "rapidfuzz JaroWinkler": JaroWinkler.similarity,
    }
    results = {}
    for name, fn in methods.items():
        t = time.perf_counter()
        scores = [fn(x, y) for x, y in zip(a, b)]
        el = time.perf_counter() - t
        best = max((f1([rows[i] for i in dev], [scores[i] >= th / 100 for i in dev])[0], th / 100) for th in range(30, 100))
        th = best[1]
        d = f1([rows[i] for i in dev], [scores[i] >= th for i in dev])
        h = f1([rows[i] for i in held], [scores[i] >= th for i in held])
        results[name] = (th, d, h, len(rows) / el)
        print(f"{name:<30} best dev threshold {th:.2f}: dev F1 {d[0]:.4f} (P {d[1]:.4f} R {d[2]:.4f}); held-out F1 {h[0]:.4f} (P {h[1]:.4f} R {h[2]:.4f}); {len(rows) / el:,.0f} pairs/s (Python loop over C++ scorer)")
        cats = sorted({r["category"] for r in rows})
        per = []
        for c in cats:
            idx = [i for i, r in enumerate(rows) if r["category"] == c]
            hits = sum(1 for i in idx if scores[i] >= th)
            kind = "FP rate" if c.startswith("neg_") else "recall"
            per.append(f"{c} {kind} {hits / len(idx):.3f}")
        print(f"    per category (both splits): " + "; ".join(per))
    if len(sys.argv) > 2:
        scored = [r for r in csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")) if headline(r)]
        assert len(scored) == len(rows), "scored CSV does not line up with pairs"
        pred = [r["match"] == "true" for r in scored]
        d = f1([scored[i] for i in dev], [pred[i] for i in dev])
        h = f1([scored[i] for i in held], [pred[i] for i in held])
        print(f"{'coalesce-screen compare_csv':<30} DEFAULT_THRESHOLD:      dev F1 {d[0]:.4f} (P {d[1]:.4f} R {d[2]:.4f}); held-out F1 {h[0]:.4f} (P {h[1]:.4f} R {h[2]:.4f})")
        if len(sys.argv) > 3:
            ours = float(sys.argv[3])
            for name, (_, _, _, speed) in results.items():
                print(f"speed: coalesce {ours:,.0f} pairs/s vs {name} {speed:,.0f} pairs/s -> x{ours / speed:.1f}")


if __name__ == "__main__":
    main()
