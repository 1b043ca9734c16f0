#!/usr/bin/env python3
"""Batch benchmark, competitor side and scoring (run by bench/screen/batch.sh).

Reads the files `partygen` wrote (parties.csv, truth.csv, listnames.csv) and
coalesce's hits CSV (from the `batch` example, screen_csv_parallel), then:

* coalesce recall on all planted hits, plus the share of non-planted rows
  with any hit (alert rate);
* rapidfuzz brute force on the same rows (all of them by default, or a
  random sample with --sample N): `process.cdist` with
  JaroWinkler.normalized_similarity over normalised names (lower-case,
  ASCII-fold, punctuation stripped) against every UN + OFAC name (primary and
  aliases), workers=2; queries/s, recall and alert rate per threshold;
* the speed ratio.

usage: batch.py DIR COALESCE_HITS COALESCE_QPS [--sample N] [--seed S]
                [--threshold T] [--workers W]
"""
import argparse
import csv
import random
import re
import time
import unicodedata

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

GRID = [0.80, 0.85, 0.88, 0.90, 0.92, 0.95]
NON_ALNUM = re.compile(r"[^a-z0-9]+")


def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = s.encode("ascii", "ignore").decode("ascii").lower()
    return NON_ALNUM.sub(" ", s).strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("hits")
    ap.add_argument("qps", type=float)
    ap.add_argument("--sample", type=int, default=0, help="rows screened by rapidfuzz (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threshold", type=float, default=None,
                    help="rapidfuzz headline threshold (default: the grid value whose alert rate is closest to coalesce's)")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()

    truth = {}
    with open(f"{a.dir}/truth.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            truth[r["id"]] = (f"{r['list']}:{r['reference']}", r["variant"])
    with open(f"{a.dir}/parties.csv", newline="", encoding="utf-8") as f:
        parties = [(r["id"], r["name"]) for r in csv.DictReader(f)]

    found = set()
    flagged = set()
    with open(a.hits, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            flagged.add(r["id"])
            found.add((r["id"], f"{r['list']}:{r['reference']}"))

    def recall(ids):
        ids = [i for i in ids if i in truth]
        hit = sum(1 for i in ids if (i, truth[i][0]) in found)
        return hit, len(ids)

    def alert_rate(ids):
        neg = [i for i in ids if i not in truth]
        return sum(1 for i in neg if i in flagged) / max(1, len(neg))

    all_ids = [p[0] for p in parties]
    h, n = recall(all_ids)
    print(f"coalesce  all {len(parties):,} rows: recall {h}/{n} = {h / n:.4f} on planted hits; "
          f"alert rate on non-planted rows {alert_rate(all_ids):.4f}")
    per_kind = {}
    for i, (key, kind) in truth.items():
        c = per_kind.setdefault(kind, [0, 0])
        c[1] += 1
        c[0] += (i, key) in found
    print("          recall per variant: " + "; ".join(
        f"{k} {c[0] / c[1]:.3f} (n={c[1]})" for k, c in sorted(per_kind.items())))

    rng = random.Random(a.seed)
    sample = parties if a.sample <= 0 else rng.sample(parties, min(a.sample, len(parties)))
    s_ids = [p[0] for p in sample]
    sh, sn = recall(s_ids)
    c_alert = alert_rate(s_ids)
    print(f"coalesce  the {len(sample):,} rows rapidfuzz screens: recall {sh}/{sn} = {sh / max(1, sn):.4f}; alert rate {c_alert:.4f}")

    # Competitor: every listed name, normalised, deduplicated.
    t = time.perf_counter()
    choice_idx = {}
    choice_keys = []
    with open(f"{a.dir}/listnames.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            n_ = norm(r["name"])
            if not n_:
                continue
            key = f"{r['list']}:{r['reference']}"
            j = choice_idx.get(n_)
            if j is None:
                j = choice_idx[n_] = len(choice_keys)
                choice_keys.append(set())
            choice_keys[j].add(key)
    choices = list(choice_idx)
    cols_of = {}
    for j, keys in enumerate(choice_keys):
        for k in keys:
            cols_of.setdefault(k, []).append(j)
    t_index = time.perf_counter() - t
    print(f"rapidfuzz 'index' (normalise + dedupe {len(choices):,} list names): {t_index * 1e3:.0f} ms")

    cutoff = min(GRID + ([a.threshold] if a.threshold else []))
    t = time.perf_counter()
    queries = [norm(p[1]) for p in sample]
    best = np.zeros(len(sample), dtype=np.float32)
    best_true = np.zeros(len(sample), dtype=np.float32)
    step = 1000
    for s in range(0, len(queries), step):
        m = process.cdist(queries[s:s + step], choices, scorer=JaroWinkler.normalized_similarity,
                          score_cutoff=cutoff, dtype=np.float32, workers=a.workers)
        best[s:s + step] = m.max(axis=1)
        for r in range(m.shape[0]):
            i = s_ids[s + r]
            if i in truth:
                cols = cols_of.get(truth[i][0])
                if cols:
                    best_true[s + r] = m[r, cols].max()
    el = time.perf_counter() - t
    rf_qps = len(sample) / el
    print(f"rapidfuzz {len(sample):,} queries x {len(choices):,} names, cdist JaroWinkler workers={a.workers}, "
          f"score_cutoff {cutoff}: {el:.1f} s, {rf_qps:,.0f} queries/s")

    planted = np.array([i in truth for i in s_ids])
    rows = []
    for th in GRID + ([a.threshold] if a.threshold and a.threshold not in GRID else []):
        rec = float((best_true[planted] >= th).mean()) if planted.any() else float("nan")
        alert = float((best[~planted] >= th).mean())
        rows.append((th, rec, alert))
        print(f"rapidfuzz threshold {th:.2f}: recall {int(round(rec * planted.sum()))}/{planted.sum()} = {rec:.4f}; alert rate {alert:.4f}")
    if a.threshold:
        head = next(r for r in rows if r[0] == a.threshold)
        why = "given"
    else:
        head = min(rows, key=lambda r: abs(r[2] - c_alert))
        why = f"alert rate closest to coalesce's {c_alert:.4f}"
    print()
    print(f"SUMMARY coalesce {a.qps:,.0f} queries/s vs rapidfuzz {rf_qps:,.0f} queries/s -> x{a.qps / rf_qps:.1f}")
    print(f"SUMMARY recall on the {planted.sum()} planted hits of the rows both screened: coalesce {sh / max(1, sn):.4f} "
          f"(alert rate {c_alert:.4f}); rapidfuzz at {head[0]:.2f} ({why}) {head[1]:.4f} (alert rate {head[2]:.4f}); "
          f"rapidfuzz best recall {max(r[1] for r in rows):.4f} at {min(GRID):.2f}")
    print(f"SUMMARY coalesce recall on all {n} planted hits: {h / n:.4f}")


if __name__ == "__main__":
    main()
