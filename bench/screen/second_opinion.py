#!/usr/bin/env python3
"""A second, independently written set of labelled name pairs.

The evaluation harness in crates/screen/src/eval.rs was written next to the
matcher and shares its view of names. This script builds pairs its own way,
from the raw files (its own XML / CSV reading), with its own variant rules,
and picks the hardest negatives it can find: for each listed name, the most
similar name of a *different* entry of the same list and kind, by
rapidfuzz's token_set_ratio (relatives, branches, namesakes). It then scores
the pairs with `coalesce screen compare` (and with rapidfuzz; with
nomenklatura's logic-v2 too when it is installed) and prints precision,
recall and F1 per category at each matcher's own threshold.

usage: second_opinion.py SANCTIONS_DIR COALESCE_BINARY_OR_COMPARE_EXAMPLE [--out pairs.csv] [--seed N]
"""
import argparse
import csv
import io
import random
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process, utils


def text(el, tag):
    x = el.find(tag)
    return (x.text or "").strip() if x is not None and x.text else ""


def un_entries(path):
    root = ET.parse(path).getroot()
    out = []
    for ind in root.iter("INDIVIDUAL"):
        parts = [text(ind, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        primary = " ".join(p for p in parts if p)
        aliases = []
        for a in ind.findall("INDIVIDUAL_ALIAS"):
            name = text(a, "ALIAS_NAME")
            if name:
                aliases.append((name, text(a, "QUALITY") or "Good"))
        script = text(ind, "NAME_ORIGINAL_SCRIPT")
        out.append(("un", text(ind, "REFERENCE_NUMBER"), "Person", primary, aliases, script))
    for ent in root.iter("ENTITY"):
        primary = text(ent, "FIRST_NAME")
        aliases = [(text(a, "ALIAS_NAME"), text(a, "QUALITY") or "Good") for a in ent.findall("ENTITY_ALIAS") if text(a, "ALIAS_NAME")]
        out.append(("un", text(ent, "REFERENCE_NUMBER"), "Organization", primary, aliases, ""))
    return [e for e in out if e[3]]


def ofac_entries(folder):
    def rows(name):
        with open(folder / name, newline="", encoding="utf-8", errors="replace") as f:
            return [r for r in csv.reader(f) if r and r[0].strip().isdigit()]

    def clean(v):
        v = v.strip()
        return "" if v == "-0-" else v

    alts = defaultdict(list)
    for r in rows("alt.csv"):
        if len(r) >= 4 and clean(r[3]):
            alts[r[0].strip()].append((clean(r[3]), "Good"))
    out = []
    for r in rows("sdn.csv"):
        kind = clean(r[2]).lower()
        schema = {"individual": "Person", "vessel": "Vessel", "aircraft": "Vessel"}.get(kind, "Organization")
        out.append(("ofac", r[0].strip(), schema, clean(r[1]), alts.get(r[0].strip(), []), ""))
    return [e for e in out if e[3]]


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9\u0600-\u06ff]+", " ", s).strip()


def words(s):
    return fold(s).split()


PARTICLES = {"al", "el", "bin", "ibn", "ben", "ul", "ad", "ar", "as", "ash", "at", "az", "abu", "abou", "umm"}


def related(a, b):
    sa = {w[:3] for w in words(a) if len(w) >= 3 and w not in PARTICLES}
    sb = {w[:3] for w in words(b) if len(w) >= 3 and w not in PARTICLES}
    return bool(sa & sb)


# Rewrites a transliterator or clerk might make (applied to lower case).
RULES = [
    ("ou", "u"), ("u", "ou"), ("ee", "i"), ("i", "ee"), ("oo", "u"), ("kh", "h"), ("q", "k"),
    ("dh", "d"), ("th", "t"), ("sh", "ch"), ("j", "dj"), ("ai", "ay"), ("ay", "ai"), ("ei", "ay"),
    ("aa", "a"), ("ss", "s"), ("mm", "m"), ("dd", "d"), ("y", "i"), ("ie", "y"), ("o", "u"),
    ("u", "o"), ("e", "a"), ("a", "e"), ("w", "ou"), ("z", "dh"), ("s", "ss"), ("ah", "a"),
]
NAME_SPELLINGS = [
    ["muhammad", "mohammed", "mohamed", "mohamad", "muhammed", "mohammad"],
    ["ahmad", "ahmed"], ["husayn", "hussein", "hussain", "husein"], ["hasan", "hassan"],
    ["yusuf", "youssef", "yousef", "yusif"], ["umar", "omar"], ["uthman", "othman", "osman"],
    ["abdullah", "abdallah", "abd allah"], ["abdul", "abd al", "abdel", "abd el"],
    ["khalid", "khaled"], ["said", "saeed"], ["salih", "saleh"], ["mustafa", "mostafa", "moustafa"],
    ["ibrahim", "ebrahim"], ["ismail", "ismael"], ["mahmud", "mahmoud"], ["sulayman", "suleiman", "sulaiman"],
    ["abu", "abou"], ["bin", "ben", "ibn"], ["jafar", "jaafar"], ["qasim", "kassem", "qassim"],
]


def respell(name, rng):
    ws = words(name)
    if not ws:
        return None
    idx = [i for i, w in enumerate(ws) if any(w in g for g in NAME_SPELLINGS)]
    if idx and rng.random() < 0.6:
        i = rng.choice(idx)
        g = next(g for g in NAME_SPELLINGS if ws[i] in g)
        ws[i] = rng.choice([x for x in g if x != ws[i]])
        return " ".join(w.capitalize() for w in ws)
    for _ in range(10):
        i = rng.randrange(len(ws))
        a, b = rng.choice(RULES)
        w = ws[i]
        if len(w) >= 4 and a in w[1:]:
            pos = [m.start() for m in re.finditer(re.escape(a), w) if m.start() > 0]
            p = rng.choice(pos)
            ws[i] = w[:p] + b + w[p + len(a):]
            return " ".join(w.capitalize() for w in ws)
    return None


KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def typo(name, rng):
    ws = name.split()
    cand = [i for i, w in enumerate(ws) if len(w) >= 4 and w.isalpha()]
    if not cand:
        return None
    i = rng.choice(cand)
    w = list(ws[i])
    p = rng.randrange(1, len(w))
    op = rng.randrange(5)
    if op == 0:
        del w[p]
    elif op == 1 and p < len(w) - 1:
        w[p], w[p + 1] = w[p + 1], w[p]
    elif op == 2:
        k = KEYBOARD.find(w[p].lower())
        if k < 0:
            return None
        n = KEYBOARD[max(0, k - 1)] if rng.random() < 0.5 else KEYBOARD[min(len(KEYBOARD) - 1, k + 1)]
        w[p] = n.upper() if w[p].isupper() else n
    elif op == 3:
        w.insert(p, w[p])
    else:
        w.insert(p, rng.choice("aeiou"))
    ws[i] = "".join(w)
    return " ".join(ws)


def reorder(name, rng):
    ws = name.split()
    if len(ws) < 2:
        return None
    if rng.random() < 0.5:
        return " ".join(ws[1:] + ws[:1])
    return " ".join(reversed(ws))


def drop_particles(name):
    ws = name.replace("-", " ").split()
    kept = [w for w in ws if fold(w) not in {"al", "el", "bin", "ibn", "ben"}]
    return " ".join(kept) if 1 < len(kept) < len(ws) else None


def glue(name):
    s = re.sub(r"\b(abd|abu|abou)[\s-]+(al|el|ul|ur|ar|as)?[\s-]*", lambda m: m.group(1) + (m.group(2) or ""), name, count=1, flags=re.I)
    if s == name:
        s = re.sub(r"\b(al|el)[\s-]+", r"\1", name, count=1, flags=re.I)
    return s if s != name else None


def initial(name):
    ws = name.split()
    if len(ws) < 3 or not ws[0][:1].isalpha():
        return None
    return ws[0][0] + ". " + " ".join(ws[1:])


def build(entries, rng):
    pairs = []
    by_key = defaultdict(list)
    for e in entries:
        by_key[(e[0], e[2])].append(e)
    for e in entries:
        lst, ref, schema, primary, aliases, script = e
        for a, quality in aliases:
            if fold(a) == fold(primary):
                continue
            cat = "alias_" + ("related" if related(primary, a) else "unrelated") + ("" if quality == "Good" else "_low")
            pairs.append((primary, a, schema, 1, cat))
        if script:
            pairs.append((primary, script, schema, 1, "script"))
        gens = [("typo", typo(primary, rng))]
        if schema == "Person":
            gens += [("respell", respell(primary, rng)), ("reorder", reorder(primary, rng)),
                     ("particles", drop_particles(primary)), ("glue", glue(primary)), ("initial", initial(primary))]
        for cat, v in gens:
            if v and fold(v) != fold(primary):
                pairs.append((primary, v, schema, 1, "syn_" + cat))
    for (lst, schema), group in by_key.items():
        names = [g[3] for g in group]
        procd = [utils.default_process(n) for n in names]
        for i, e in enumerate(group):
            # Random other entry.
            j = rng.randrange(len(group))
            if j != i and fold(names[j]) != fold(names[i]):
                pairs.append((names[i], names[j], schema, 0, "neg_random"))
            # The most similar other entry (the hardest negative there is).
            best = process.extract(procd[i], procd, scorer=fuzz.token_set_ratio, limit=4)
            for _, score, j in best:
                if j != i and fold(names[j]) != fold(names[i]) and score >= 50:
                    pairs.append((names[i], names[j], schema, 0, "neg_nearest"))
                    break
            # Same last word (a relative or a branch).
            last = words(names[i])[-1:] if names[i] else []
            if last:
                sib = [k for k in range(len(group)) if k != i and words(names[k])[-1:] == last and fold(names[k]) != fold(names[i])]
                if sib:
                    pairs.append((names[i], names[rng.choice(sib)], schema, 0, "neg_same_last"))
    return pairs


def prf(rows, pred):
    tp = sum(1 for r, p in zip(rows, pred) if r[3] and p)
    fn = sum(1 for r, p in zip(rows, pred) if r[3] and not p)
    fp = sum(1 for r, p in zip(rows, pred) if not r[3] and p)
    P = tp / (tp + fp) if tp + fp else float("nan")
    R = tp / (tp + fn) if tp + fn else float("nan")
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0, P, R, tp, fn, fp


def report(name, pairs, pred):
    print(f"\n== {name}")
    cats = sorted({p[4] for p in pairs})
    for c in cats + ["HEADLINE", "ALL"]:
        if c == "ALL":
            idx = range(len(pairs))
        elif c == "HEADLINE":
            idx = [i for i, p in enumerate(pairs) if "unrelated" not in p[4]]
        else:
            idx = [i for i, p in enumerate(pairs) if p[4] == c]
        rows = [pairs[i] for i in idx]
        f, P, R, tp, fn, fp = prf(rows, [pred[i] for i in idx])
        n = len(rows)
        if c.startswith("neg"):
            print(f"  {c:<24} n={n:6}  false positives {fp:5} ({fp / max(n, 1):.1%})")
        else:
            print(f"  {c:<24} n={n:6}  P {P:.4f}  R {R:.4f}  F1 {f:.4f}  (tp {tp} fn {fn} fp {fp})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sanctions")
    ap.add_argument("coalesce")
    ap.add_argument("--out")
    ap.add_argument("--seed", type=int, default=20261201)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    d = Path(a.sanctions)
    entries = un_entries(next(d.glob("*.xml"))) + ofac_entries(d / "ofac")
    pairs = build(entries, rng)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["name1", "name2", "schema", "label", "category"])
    w.writerows(pairs)
    if a.out:
        Path(a.out).write_text(buf.getvalue(), encoding="utf-8")
    print(f"{len(pairs)} pairs: {sum(p[3] for p in pairs)} positive, {sum(1 - p[3] for p in pairs)} negative")
    # The coalesce binary (`screen compare`), or the screen crate's `compare`
    # example, which is the same function reading standard input.
    cmd = [a.coalesce] if Path(a.coalesce).name == "compare" else [a.coalesce, "screen", "compare", "--input", "-"]
    out = subprocess.run(cmd, input=buf.getvalue().encode(), capture_output=True, check=True).stdout.decode()
    scored = list(csv.DictReader(io.StringIO(out)))
    report("coalesce screen compare (default threshold)", pairs, [r["match"] == "true" for r in scored])
    procd = [(utils.default_process(p[0]), utils.default_process(p[1])) for p in pairs]
    ts = [fuzz.token_sort_ratio(x, y) / 100 for x, y in procd]
    headline = [i for i, p in enumerate(pairs) if "unrelated" not in p[4]]
    best = max((prf([pairs[i] for i in headline], [ts[i] >= t / 100 for i in headline])[0], t / 100) for t in range(50, 100))
    report(f"rapidfuzz token_sort_ratio (its best threshold here, {best[1]:.2f})", pairs, [s >= best[1] for s in ts])
    try:
        from nomenklatura.matching import LogicV2, ScoringConfig
        from followthemoney.entity import ValueEntity
    except ImportError:
        print("\n(nomenklatura not installed: logic-v2 not run)")
        return
    cfg = ScoringConfig(weights={f.name: f.weight for f in LogicV2.features}, config={k: v.default for k, v in LogicV2.CONFIG.items()})
    pred = []
    for n, p in enumerate(pairs):
        mk = lambda nm, i: ValueEntity.from_dict({"id": f"e{i}", "schema": p[2], "properties": {"name": [nm]}})
        pred.append(LogicV2.compare(mk(p[0], 2 * n), mk(p[1], 2 * n + 1), cfg).score >= 0.7)
    report("nomenklatura logic-v2 (yente's default threshold 0.7)", pairs, pred)


if __name__ == "__main__":
    sys.exit(main())
