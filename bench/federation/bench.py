#!/usr/bin/env python3
"""Federation benchmark (issue 15); run through bench/federation/run.sh.

Two `coalesce serve` processes on loopback, each with its own SQLite file:
A hosts GBR, B hosts IRQ, peered both ways with the CLI as operators do.

1. A alone receives N contacts (TLP:GREEN REL TO IRQ) through its API, in
   batches of 10,000.
2. B starts empty and pulls them: the time from B's start until its cursor
   reaches A's last sequence number and it holds all N, objects/s, and the
   peak RSS (VmHWM) of both processes.
3. A no-op pull: the feed page B asks for when nothing changed, as B's
   peer user (median of 5), and B's pull loop checked to apply nothing.
4. Single changes at A, each timed from the API's answer (its commit) until
   B's database holds the new version (p50, p99, max).

MISP's reported numbers are printed beside as the anchor (no MISP runs here).
"""
import argparse
import re
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

import requests

PASSWORD = "correct-horse-battery"
TAXII = "application/taxii+json;version=2.1"
RECORDS = "8d0a3a4e-5c1f-4e51-9b7c-2f4f3c6c0a11"


def free_port():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Node:
    def __init__(self, binary, work, name, member):
        self.bin, self.name, self.member = binary, name, member
        self.path = os.path.join(work, f"{name}.db")
        self.db = f"sqlite://{self.path}"
        self.key = os.path.join(work, f"{name}.node-key")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(work, f"{name}.log"), "ab")
        self.proc = None

    def cli(self, *args):
        env = dict(os.environ, COALESCE_PASSWORD=PASSWORD, COALESCE_NODE_KEY=self.key)
        env.pop("COALESCE_DATABASE", None)
        out = subprocess.run([self.bin, *args, "--database", self.db], env=env,
                             capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"{self.name} {args}: {out.stderr}")
        return out.stdout

    def start(self):
        # The pull's per-page timings (fetch, verify, apply) at debug, for
        # the apply rate on its own.
        env = dict(os.environ, COALESCE_NODE_KEY=self.key, COALESCE_LOG="warn,coalesce::pull=debug")
        env.pop("COALESCE_DATABASE", None)
        self.proc = subprocess.Popen(
            [self.bin, "serve", "--database", self.db, "--listen", f"127.0.0.1:{self.port}"],
            env=env, stdout=self.log, stderr=self.log)
        for _ in range(600):
            try:
                requests.get(self.url + "/api/v1/node", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.05)
        sys.exit(f"{self.name} did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=30)

    def peak_rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def sql(self, query, *args):
        c = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        try:
            return c.execute(query, args).fetchall()
        finally:
            c.close()


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def seconds(d):
    """A Rust Duration's Debug form (12.3ms, 1.2s, 45µs, 7ns) in seconds."""
    for unit, scale in (("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9), ("s", 1.0)):
        if d.endswith(unit):
            return float(d[: -len(unit)]) * scale
    return 0.0


def pull_stages(log_path):
    """Sums of the pull's per-page debug lines in a node's log."""
    out = {"pages": 0, "fetch": 0.0, "verify": 0.0, "apply": 0.0, "written": 0}
    page = re.compile(r"fetched in (\S+), read and verified in (\S+), applied in (\S+?)\s*$")
    applied = re.compile(r": (\d+) applied, ")
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = ANSI.sub("", line)
            m = page.search(line)
            if m:
                out["pages"] += 1
                out["fetch"] += seconds(m.group(1))
                out["verify"] += seconds(m.group(2))
                out["apply"] += seconds(m.group(3))
            m = applied.search(line)
            if m:
                out["written"] += int(m.group(1))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--changes", type=int, default=50)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="coalesce-fed-bench-")
    a, b = Node(args.bin, work, "a", "GBR"), Node(args.bin, work, "b", "IRQ")
    try:
        run(args, a, b)
    finally:
        a.stop()
        b.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args, a, b):
    for n in (a, b):
        n.cli("member", "add", "GBR", "United Kingdom")
        n.cli("member", "add", "IRQ", "Iraq")
        n.cli("node", "init", "--member", n.member)
        n.cli("user", "add", "--username", n.member.lower(), "--member", n.member, "--role", "contributor")
    key = {n.name: next(l.split()[1] for l in n.cli("node", "show").splitlines() if l.startswith("key"))
           for n in (a, b)}
    cred = {}
    for server, puller in ((a, b), (b, a)):
        out = server.cli("peer", "add", puller.name, puller.url, "--member", puller.member, "--key", key[puller.name])
        cred[(server.name, puller.name)] = next(l.split()[-1] for l in out.splitlines() if l.startswith("credential"))
    b.cli("peer", "connect", "a", cred[("a", "b")])
    a.cli("peer", "connect", "b", cred[("b", "a")])

    a.start()
    token = requests.post(a.url + "/api/v1/auth/login",
                          json={"username": "gbr", "password": PASSWORD}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    t = time.monotonic()
    written = 0
    while written < args.n:
        k = min(10_000, args.n - written)
        items = [{"name": f"Liaison {written + i}", "role": "Desk officer",
                  "email": f"liaison{written + i}@fco.example.org",
                  "marking": {"tlp": "GREEN", "rel_to": ["IRQ"]}} for i in range(k)]
        r = requests.post(a.url + "/api/v1/contacts/batch", json={"items": items}, headers=auth, timeout=600)
        if r.status_code != 201:
            sys.exit(f"batch refused: {r.status_code} {r.text[:300]}")
        written += k
    write_s = time.monotonic() - t
    (high,) = a.sql("SELECT MAX(seq) FROM records")[0]
    print(f"A: {args.n:,} records written through the API in {write_s:.1f} s ({args.n / write_s:,.0f}/s)")

    # 2. B starts empty and pulls everything.
    t = time.monotonic()
    b.start()
    last_report = t
    while True:
        rows = b.sql("SELECT cursor FROM peers WHERE name = 'a'")
        cursor = rows[0][0] if rows else 0
        if cursor >= high:
            break
        if time.monotonic() - last_report > 10:
            print(f"  B at {cursor:,} of {high:,} after {time.monotonic() - t:.0f} s", flush=True)
            last_report = time.monotonic()
        time.sleep(0.05)
    pull_s = time.monotonic() - t
    (held,) = b.sql("SELECT COUNT(*) FROM records WHERE kind = 'contact'")[0]
    rss_a, rss_b = a.peak_rss_mb(), b.peak_rss_mb()
    print(f"B: pulled {held:,} records in {pull_s:.1f} s ({held / pull_s:,.0f} objects/s, from B's start)")
    print(f"peak RSS: A {rss_a:.0f} MB, B {rss_b:.0f} MB")
    stages = pull_stages(os.path.join(os.path.dirname(b.path), "b.log"))
    if stages["pages"]:
        print(f"B's pull by stage over {stages['pages']:,} pages (fetch and verify of the next page overlap the apply): "
              f"fetch {stages['fetch']:.1f} s, read and verify {stages['verify']:.1f} s, "
              f"apply {stages['apply']:.1f} s = {stages['written']:,} records applied at "
              f"{stages['written'] / max(stages['apply'], 1e-9):,.0f} objects/s (target >= 20,000)")
    if held != args.n:
        sys.exit(f"B holds {held} records, not {args.n}")

    # 3. A no-op pull: the page B asks for when nothing changed.
    peer_auth = {"Authorization": f"Bearer {cred[('a', 'b')]}", "Accept": TAXII}
    url = f"{a.url}/taxii2/coalesce/collections/{RECORDS}/objects/?next={high}&limit=1000"
    noop = []
    for _ in range(5):
        t = time.monotonic()
        r = requests.get(url, headers=peer_auth, timeout=60)
        noop.append(time.monotonic() - t)
        body = r.json()
        if r.status_code != 200 or body.get("objects") or body.get("more"):
            sys.exit(f"a no-op page was not empty: {r.status_code} {r.text[:200]}")
    (applied_before,) = b.sql("SELECT applied FROM peers WHERE name = 'a'")[0]
    time.sleep(1.0)
    (applied_after,) = b.sql("SELECT applied FROM peers WHERE name = 'a'")[0]
    print(f"no-op pull: {statistics.median(noop) * 1000:.1f} ms (median of 5); "
          f"B applied {applied_after - applied_before} in the meantime")

    # 4. One change at a time, from commit at A to readable at B.
    ids = [r[0] for r in a.sql("SELECT id FROM records WHERE kind = 'contact' ORDER BY seq LIMIT ?", args.changes)]
    latencies = []
    for i, rid in enumerate(ids):
        body = {"name": f"Liaison changed {i}", "role": "Desk officer",
                "email": f"changed{i}@fco.example.org", "marking": {"tlp": "GREEN", "rel_to": ["IRQ"]}}
        r = requests.put(f"{a.url}/api/v1/contacts/{rid}", json=body, headers=auth, timeout=60)
        t = time.monotonic()
        if r.status_code != 200:
            sys.exit(f"change refused: {r.status_code} {r.text[:200]}")
        version = r.json()["version"]
        while True:
            rows = b.sql("SELECT version FROM records WHERE id = ?", rid)
            if rows and rows[0][0] >= version:
                break
            if time.monotonic() - t > 60:
                sys.exit("a change did not reach B in 60 s")
            time.sleep(0.005)
        latencies.append(time.monotonic() - t)
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"change visible at B: p50 {p(0.5):.0f} ms, p99 {p(0.99):.0f} ms, max {latencies[-1] * 1000:.0f} ms "
          f"({len(latencies)} changes)")

    print()
    print("| measure | coalesce | target | MISP (reported) |")
    print("|---|---|---|---|")
    print(f"| {args.n:,} records A→B | {pull_s:.1f} s ({held / pull_s:,.0f}/s) | < 120 s for 1M | ~0.5 events/s in one report |")
    print(f"| no-op pull | {statistics.median(noop) * 1000:.1f} ms | < 1 s | 3–4 h for 70k events |")
    print(f"| change visible at peer | p99 {p(0.99):.0f} ms | < 5 s p99 | hours (scheduled pull) |")
    print(f"| peak RSS | A {rss_a:.0f} MB, B {rss_b:.0f} MB | < 256 MB each | — |")


if __name__ == "__main__":
    main()
