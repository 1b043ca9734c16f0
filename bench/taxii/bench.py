#!/usr/bin/env python3
"""TAXII 2.1 paging benchmark: coalesce against medallion (issue: TAXII server).

Phase 1 loads the same N STIX 2.1 objects (default 2,000) into medallion 3.0.0
(memory backend, from its data file) and into a coalesce demo node (TAXII POST,
envelopes of 5,000), pages the whole collection of each with taxii2-client
(1,000 objects a page) and prints objects/s and the ratio coalesce/medallion.
medallion's paging is quadratic in the collection size, hence the small N.

Phase 2 (skipped with --small or SMALL=1) grows the coalesce collection to
--big objects (default 1,000,000), pages all of it and prints objects/s
overall and per 100k-object segment, and the page time near the start and
near the end.

Timings are reported, never asserted. The exit status is non-zero only when a
server returns the wrong objects (missing, duplicated or extra) or refuses
objects on load.

Only taxii2-client, requests, medallion and the standard library are used.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import requests
from taxii2client.v21 import Server, as_pages

TLP_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
TLP_AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
REL_TO_EXTENSION = "extension-definition--e1389d75-78b7-4e1d-8ecc-8279e71623a6"
TAXII = "application/taxii+json;version=2.1"
STIX = "application/stix+json;version=2.1"
BASE_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
FAMILIES = ["Emotet", "TrickBot", "QakBot", "IcedID", "Cobalt Strike", "AgentTesla",
            "Remcos", "njRAT", "AsyncRAT", "RedLine", "Raccoon", "SmokeLoader"]
SEGMENT = 100_000


# ---------------------------------------------------------------- the data
#
# Object i of a run is a pure function of (seed, i): the data can be made in
# chunks, never held whole, and an id returned by a server maps back to its
# index (the last 12 hex digits of the UUID are the index; the rest is a hash
# of seed and index, so an id the benchmark did not make is told apart).
#
# Layout: object 0 is the REL TO COALITION marking definition. Then in each
# block of 100 indices: 1 identity (r = 1), 5 malware (r = 2..6), 6
# "indicates" relationships (r = 7..12, indicator r = 13..18 -> malware of
# the block), and 88 indicators of IPv4 addresses. Every object but the
# marking definition carries TLP:GREEN (70%) or TLP:AMBER (30%) plus the
# REL TO COALITION marking, and is created by its block's identity.

def _digest(seed, i):
    return hashlib.blake2b(b"%d:%d" % (seed, i), digest_size=16).digest()


def _uuid(seed, i):
    h = _digest(seed, i).hex()
    return "%s-%s-4%s-%s%s-%012x" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) & 3], h[17:20], i)


def _kind(i):
    if i == 0:
        return "marking-definition"
    r = i % 100
    if r == 1:
        return "identity"
    if 2 <= r <= 6:
        return "malware"
    if 7 <= r <= 12:
        return "relationship"
    return "indicator"


def stix_id(seed, i):
    return "%s--%s" % (_kind(i), _uuid(seed, i))


ID_RE = re.compile(r"^([a-z0-9-]+)--([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-([0-9a-f]{12}))$")


def index_of(seed, object_id):
    """The index of an object this benchmark made, or None."""
    m = ID_RE.match(object_id)
    if not m:
        return None
    i = int(m.group(3), 16)
    return i if stix_id(seed, i) == object_id else None


def _timestamp(i):
    t = BASE_TIME + dt.timedelta(seconds=i, milliseconds=i % 1000)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def make_object(seed, i):
    ts = _timestamp(i)
    oid = stix_id(seed, i)
    rel_to = stix_id(seed, 0)
    if i == 0:
        return {
            "type": "marking-definition", "spec_version": "2.1", "id": oid, "created": ts,
            "name": "REL TO COALITION",
            "extensions": {REL_TO_EXTENSION: {"extension_type": "property-extension", "rel_to": ["COALITION"]}},
        }
    d = _digest(seed, i)
    block = i - i % 100
    r = i % 100
    obj = {"type": _kind(i), "spec_version": "2.1", "id": oid, "created": ts, "modified": ts}
    if r != 1:
        obj["created_by_ref"] = stix_id(seed, block + 1)
    kind = obj["type"]
    if kind == "identity":
        obj.update(name="Coalition partner %d" % (i // 100), identity_class="organization",
                   sectors=["government-national"])
    elif kind == "malware":
        family = FAMILIES[d[8] % len(FAMILIES)]
        obj.update(name="%s %d" % (family, i // 100), is_family=True,
                   malware_types=["trojan" if d[9] % 2 else "remote-access-trojan"])
    elif kind == "relationship":
        k = r - 7
        obj.update(relationship_type="indicates", source_ref=stix_id(seed, block + 13 + k),
                   target_ref=stix_id(seed, block + 2 + k % 5))
    else:
        ip = "%d.%d.%d.%d" % (1 + d[8] % 223, d[9], d[10], 1 + d[11] % 254)
        obj.update(name="Malicious IP %s" % ip, indicator_types=["malicious-activity"],
                   pattern="[ipv4-addr:value = '%s']" % ip, pattern_type="stix",
                   pattern_version="2.1", valid_from=ts, confidence=50 + d[12] % 50)
    obj["object_marking_refs"] = [TLP_GREEN if d[15] < 179 else TLP_AMBER, rel_to]
    return obj


def envelopes(seed, start, stop, size):
    """Serialised TAXII envelopes of objects start..stop-1, `size` a time."""
    for lo in range(start, stop, size):
        hi = min(stop, lo + size)
        body = {"objects": [make_object(seed, i) for i in range(lo, hi)]}
        yield hi - lo, json.dumps(body, separators=(",", ":")).encode()


# ---------------------------------------------------------------- helpers

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def fmt(n):
    return "{:,}".format(int(round(n)))


def progress(line, final=False):
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K" + line + ("\n" if final else ""))
    elif final:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()


def find_collection(url, user, password, title):
    server = Server(url, user=user, password=password)
    for root in server.api_roots:
        for collection in root.collections:
            if collection.title == title:
                return collection
    raise SystemExit("no collection titled %r under %s" % (title, url))


class Paging:
    """One pass over a collection with as_pages; only the time spent inside
    taxii2-client (request, response, JSON parsing) is counted."""

    def __init__(self, seed, expected, label):
        self.seed, self.expected, self.label = seed, expected, label
        self.seen = bytearray(expected)
        self.ours = self.duplicates = self.unexpected = self.others = 0
        self.pages = []  # (objects, seconds)

    def run(self, collection, per_request, show_progress=False):
        pages = as_pages(collection.get_objects, per_request=per_request)
        total = 0
        while True:
            t0 = time.perf_counter()
            try:
                envelope = next(pages)
            except StopIteration:
                break
            dt_ = time.perf_counter() - t0
            objs = envelope.get("objects", [])
            self.pages.append((len(objs), dt_))
            total += len(objs)
            for o in objs:
                i = index_of(self.seed, o.get("id", ""))
                if i is None:
                    self.others += 1
                elif i >= self.expected:
                    self.unexpected += 1
                elif self.seen[i]:
                    self.duplicates += 1
                else:
                    self.seen[i] = 1
                    self.ours += 1
            if show_progress and len(self.pages) % 20 == 0:
                progress("  %s: paged %s objects, %s objects/s" % (self.label, fmt(total), fmt(total / self.seconds)))
        if show_progress:
            progress("", final=False)
        return self

    @property
    def objects(self):
        return sum(n for n, _ in self.pages)

    @property
    def seconds(self):
        return sum(t for _, t in self.pages) or 1e-9

    @property
    def rate(self):
        return self.objects / self.seconds

    def problems(self, others_expected=None):
        out = []
        if self.ours != self.expected:
            out.append("%s of the %s objects returned" % (fmt(self.ours), fmt(self.expected)))
        if self.duplicates:
            out.append("%s duplicates" % fmt(self.duplicates))
        if self.unexpected:
            out.append("%s objects beyond those loaded" % fmt(self.unexpected))
        if others_expected is not None and self.others != others_expected:
            out.append("%s other objects (expected %s)" % (fmt(self.others), fmt(others_expected)))
        return out


# ---------------------------------------------------------------- medallion

def run_medallion(args, tmp):
    root, cid = "coalition", "9bd2d6a5-6f5e-4ef2-8e0b-5f2c1d1a7c01"
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    objects, manifest = [], []
    added = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    for i in range(args.n):
        o = make_object(args.seed, i)
        objects.append(o)
        manifest.append({
            "id": o["id"],
            "date_added": (added + dt.timedelta(milliseconds=i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "version": o.get("modified", o["created"]),
            "media_type": STIX,
        })
    data = {
        "/discovery": {"title": "medallion (benchmark)", "default": base + "/%s/" % root,
                       "api_roots": [base + "/%s/" % root]},
        root: {
            "information": {"title": "Coalition", "versions": [TAXII], "max_content_length": 100 * 1024 * 1024},
            "status": [],
            "collections": [{
                "id": cid, "title": "Coalition", "can_read": True, "can_write": True,
                "media_types": [STIX], "objects": objects, "manifest": manifest,
            }],
        },
    }
    data_path, config_path = os.path.join(tmp, "medallion-data.json"), os.path.join(tmp, "medallion.json")
    with open(data_path, "w") as f:
        json.dump(data, f)
    del objects, manifest, data
    password = "bench-" + _uuid(args.seed, 1)[:8]
    with open(config_path, "w") as f:
        json.dump({
            "backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
                        "filename": data_path, "session_timeout": 24 * 3600},
            "users": {"bench": password},
            "taxii": {"max_page_size": args.page_size},
        }, f)
    log = open(os.path.join(tmp, "medallion.log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "medallion.scripts.run", "--host", "127.0.0.1",
                             "--port", str(port), config_path], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while True:
            if proc.poll() is not None:
                log.flush()
                raise SystemExit("medallion exited at start:\n" + open(log.name).read()[-2000:])
            try:
                r = requests.get(base + "/taxii2/", auth=("bench", password), headers={"Accept": TAXII}, timeout=2)
                if r.status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.time() > deadline:
                raise SystemExit("medallion did not answer within 120 s")
            time.sleep(0.1)
        collection = find_collection(base + "/taxii2/", "bench", password, "Coalition")
        print("medallion %s: %s objects in the collection (memory backend), paging %s a page..."
              % (_medallion_version(), fmt(args.n), fmt(args.page_size)), flush=True)
        return Paging(args.seed, args.n, "medallion").run(collection, args.page_size)
    finally:
        stop(proc)
        log.close()


def _medallion_version():
    try:
        import medallion
        return medallion.__version__
    except Exception:
        return "?"


# ---------------------------------------------------------------- coalesce

class Coalesce:
    def __init__(self, binary, tmp):
        self.tmp = tmp
        self.log_path = os.path.join(tmp, "coalesce.log")
        self.log = open(self.log_path, "w")
        env = dict(os.environ)
        env.pop("COALESCE_SANCTIONS", None)  # no screening: not what is measured
        # The demo reads ../shared/data/sanctions relative to its working
        # directory; run it from the temporary directory so none is found.
        self.proc = subprocess.Popen(
            [binary, "demo", "--listen", "127.0.0.1:0", "--database", "sqlite://" + os.path.join(tmp, "taxii.db")],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=tmp, env=env)
        self.password = self.base = None
        deadline = time.time() + 300
        while self.base is None:
            text = open(self.log_path).read()
            m = re.search(r"^demo password: (\S+)", text, re.M)
            if m:
                self.password = m.group(1)
            m = re.search(r"open (http://[0-9.:\[\]a-z]+)/", text)
            if m and self.password:
                self.base = m.group(1)
                break
            if self.proc.poll() is not None:
                raise SystemExit("coalesce demo exited at start:\n" + text[-2000:])
            if time.time() > deadline:
                self.close()
                raise SystemExit("coalesce demo did not start within 300 s:\n" + text[-2000:])
            time.sleep(0.1)
        self.user = "usa"
        self.collection = find_collection(self.base + "/taxii2/", self.user, self.password, "Coalition")

    def rss_kib(self):
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    def load(self, seed, start, stop_, envelope, label):
        """POST objects start..stop-1; returns (objects, seconds spent in the
        POSTs, making the envelopes excluded). Raises Refused on refusals."""
        done, posting, last_print = 0, 0.0, 0.0
        total = stop_ - start
        for count, body in envelopes(seed, start, stop_, envelope):
            t0 = time.perf_counter()
            status = self.collection.add_objects(body, wait_for_completion=True, poll_interval=0.05, timeout=600)
            if status.status != "complete" or status.success_count != count or status.failure_count:
                failures = [f.get("message", f) if isinstance(f, dict) else f for f in (status.failures or [])[:3]]
                raise Refused("coalesce: POST of %d objects: status %s, %s succeeded, %s failed, %s pending %s"
                              % (count, status.status, status.success_count, status.failure_count,
                                 status.pending_count, failures))
            now = time.perf_counter()
            done += count
            posting += now - t0
            line = ("  %s: loaded %s / %s objects, %s objects/s (last envelope %.0f ms)"
                    % (label, fmt(done), fmt(total), fmt(done / posting), (now - t0) * 1000))
            if sys.stderr.isatty():
                if now - last_print > 0.5 or done == total:
                    last_print = now
                    progress(line, final=done == total)
            elif done == total or done // SEGMENT != (done - count) // SEGMENT:
                progress(line, final=True)
        return done, posting

    def page(self, seed, expected, page_size, label, show_progress=False):
        return Paging(seed, expected, label).run(self.collection, page_size, show_progress)

    def close(self):
        stop(self.proc)
        self.log.close()


class Refused(Exception):
    pass


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", help="the coalesce binary (without it only medallion runs)")
    ap.add_argument("--n", type=int, default=2000, help="objects compared with medallion (default 2000)")
    ap.add_argument("--big", type=int, default=1_000_000, help="objects paged from coalesce alone (default 1,000,000)")
    ap.add_argument("--small", action="store_true", default=os.environ.get("SMALL", "") not in ("", "0"),
                    help="skip the big coalesce phase (also SMALL=1)")
    ap.add_argument("--no-medallion", action="store_true", help="skip medallion")
    ap.add_argument("--page-size", type=int, default=1000)
    ap.add_argument("--envelope", type=int, default=5000, help="objects per POST (default 5000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, databases)")
    args = ap.parse_args()
    if args.n < 1 or args.big < args.n:
        ap.error("need 1 <= --n <= --big")

    tmp = tempfile.mkdtemp(prefix="taxii-bench-")
    errors = []
    med = coal = big = None
    big_load = None
    coalesce = None
    try:
        if not args.no_medallion:
            print("== medallion (reference, memory backend), %s objects" % fmt(args.n), flush=True)
            med = run_medallion(args, tmp)
            errors += ["medallion: " + p for p in med.problems(others_expected=0)]
            print("  %s objects in %d pages, %.2f s, %s objects/s"
                  % (fmt(med.objects), len(med.pages), med.seconds, fmt(med.rate)), flush=True)

        if args.bin:
            print("\n== coalesce (demo node, SQLite), %s objects" % fmt(args.n), flush=True)
            coalesce = Coalesce(args.bin, tmp)
            print("  node at %s, TAXII collection %r (%s), user %s"
                  % (coalesce.base, coalesce.collection.title, coalesce.collection.url, coalesce.user), flush=True)
            before = coalesce.page(args.seed, args.n, args.page_size, "coalesce")
            baseline = before.others
            if before.ours:
                errors.append("coalesce: %d of the benchmark's objects before loading them" % before.ours)
            print("  before loading: %s objects (the demo's own) in the collection" % fmt(baseline), flush=True)
            try:
                n_loaded, t_load = coalesce.load(args.seed, 0, args.n, args.envelope, "coalesce")
            except Refused as e:
                errors.append(str(e))
                raise
            print("  loaded %s objects in %.2f s (%s objects/s)"
                  % (fmt(n_loaded), t_load, fmt(n_loaded / t_load)), flush=True)
            coal = coalesce.page(args.seed, args.n, args.page_size, "coalesce")
            errors += ["coalesce: " + p for p in coal.problems(others_expected=baseline)]
            print("  %s objects (%s loaded + %s the demo's) in %d pages, %.3f s, %s objects/s"
                  % (fmt(coal.objects), fmt(coal.ours), fmt(coal.others), len(coal.pages), coal.seconds,
                     fmt(coal.rate)), flush=True)

            if not args.small and args.big > args.n:
                print("\n== coalesce alone: growing the collection to %s objects" % fmt(args.big), flush=True)
                try:
                    n_more, t_more = coalesce.load(args.seed, args.n, args.big, args.envelope, "coalesce")
                except Refused as e:
                    errors.append(str(e))
                    raise
                big_load = (n_more, t_more)
                print("  loaded %s more objects in %.1f s (%s objects/s); node RSS %s KiB"
                      % (fmt(n_more), t_more, fmt(n_more / t_more), fmt(coalesce.rss_kib() or 0)), flush=True)
                print("  paging %s objects, %s a page..." % (fmt(args.big + baseline), fmt(args.page_size)), flush=True)
                big = coalesce.page(args.seed, args.big, args.page_size, "coalesce", show_progress=True)
                errors += ["coalesce (big): " + p for p in big.problems(others_expected=baseline)]
                print("  %s objects in %d pages, %.1f s, %s objects/s; node RSS %s KiB"
                      % (fmt(big.objects), len(big.pages), big.seconds, fmt(big.rate),
                         fmt(coalesce.rss_kib() or 0)), flush=True)
    except Refused:
        pass
    finally:
        if coalesce:
            coalesce.close()
        if args.keep:
            print("\nkept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    summary(args, med, coal, big, big_load)
    if errors:
        print("\nWRONG RESULTS:")
        for e in errors:
            print("  " + e)
        sys.exit(1)


def summary(args, med, coal, big, big_load):
    print("\n== summary (taxii2-client as_pages, %s objects a page; time inside the client: request, response, JSON)"
          % fmt(args.page_size))
    print("%-36s %12s %7s %10s %12s" % ("", "objects", "pages", "seconds", "objects/s"))
    for label, p in (("medallion 3.0.0 (memory)", med), ("coalesce (SQLite)", coal), ("coalesce, big collection", big)):
        if p is not None:
            print("%-36s %12s %7d %10.3f %12s" % (label, fmt(p.objects), len(p.pages), p.seconds, fmt(p.rate)))
    if med and coal:
        print("ratio coalesce / medallion at %s objects: %.1fx" % (fmt(args.n), coal.rate / med.rate))
    if big_load:
        print("coalesce TAXII POST load: %s objects in %.1f s, %s objects/s (envelopes of %s)"
              % (fmt(big_load[0]), big_load[1], fmt(big_load[0] / big_load[1]), fmt(args.envelope)))
    if big:
        print("\ncoalesce, objects/s per %s-object segment of the collection:" % fmt(SEGMENT))
        segs, cum = {}, 0
        for n, t in big.pages:
            s = segs.setdefault(cum // SEGMENT, [0, 0.0])
            s[0] += n
            s[1] += t
            cum += n
        for k in sorted(segs):
            n, t = segs[k]
            print("  %9s - %-9s %12s objects/s" % (fmt(k * SEGMENT), fmt(k * SEGMENT + n), fmt(n / (t or 1e-9))))
        rates = [segs[k][0] / (segs[k][1] or 1e-9) for k in sorted(segs) if segs[k][0] >= SEGMENT // 2]
        if len(rates) >= 2:
            print("  last / first segment: %.2f" % (rates[-1] / rates[0]))
        full = [t for n, t in big.pages if n == args.page_size]
        if len(full) >= 22:
            head, tail = full[1:11], full[-10:]
            print("  page time near the start (pages 2-11): %.1f ms; near the end (last 10 full pages): %.1f ms"
                  % (1000 * sum(head) / len(head), 1000 * sum(tail) / len(tail)))
        print("  first page: %.1f ms" % (1000 * big.pages[0][1]))


if __name__ == "__main__":
    main()
