#!/usr/bin/env python3
# A coalesce node pulls from the OASIS TAXII 2.1 reference server, medallion
# (issue 15, interop): objects without coalesce signatures are accepted only
# from a peer configured as an unsigned import, and land in the node's STIX
# object store as imported objects of the member it is configured for.
#
# The script starts medallion (memory backend, one API root, one collection,
# a page size of 100), adds objects to it with taxii2-client as a user of
# that server would (250 objects, so the node pages with `next`), starts a
# `coalesce serve` on a fresh SQLite file with medallion as its peer
# (`peer add … --unsigned-import COLLECTION`, `peer connect … USER:PASSWORD`),
# and checks with taxii2-client, against the node's own TAXII server, that
# every object arrived once; then adds 30 more (the node goes on from its
# cursor, `added_after`) and one the node must refuse (a marking it does not
# know), counted by reason on `peer status`.
#
# Setup (Python 3.11; pinned):
#   python3 -m pip install -q medallion==3.0.0 taxii2-client==2.3.0
# Use (from the repository root):
#   python3 tests/taxii/medallion_import.py --bin target/debug/coalesce
#
# Exit status: 0 passed, 1 failed, 2 set-up problem.
import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

try:
    import requests
    from taxii2client.v21 import Collection
except ImportError as exc:  # pragma: no cover - set-up problem
    sys.stderr.write(f"{exc}: python3 -m pip install medallion==3.0.0 taxii2-client==2.3.0\n")
    sys.exit(2)

PASSWORD = "correct-horse-battery"
MEDALLION_USER, MEDALLION_PASSWORD = "importer", "Imp0rt-pass"
GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
COALESCE_COLLECTION = "365fed99-08fa-fdcd-a1b3-fb247eb41d01"
TIMEOUT = 90  # seconds to wait for the node to catch up


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_http(url, what, auth=None):
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            requests.get(url, auth=auth, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"{what} did not start at {url}")


def indicator(i, marking=GREEN):
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.uuid4()}",
        "created": now,
        "modified": now,
        "name": f"Imported indicator {i}",
        "pattern": f"[ipv4-addr:value = '198.51.100.{i % 250}']",
        "pattern_type": "stix",
        "valid_from": now,
        "object_marking_refs": [marking],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="the coalesce binary")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="coalesce-medallion-")
    procs = []
    try:
        run(args.bin, work, procs)
    finally:
        for p in procs:
            p.kill()
            p.wait()
    print("medallion import: every check passed")


def run(binary, work, procs):
    # medallion: one API root, one collection, pages of 100.
    mport = free_port()
    base = f"http://127.0.0.1:{mport}"
    collection_id = str(uuid.uuid4())
    data = {
        "/discovery": {
            "title": "medallion for coalesce's interop test",
            "default": f"{base}/api1/",
            "api_roots": [f"{base}/api1/"],
        },
        "api1": {
            "information": {
                "title": "API root",
                "versions": ["application/taxii+json;version=2.1"],
                "max_content_length": 9765625,
            },
            "status": [],
            "collections": [
                {
                    "id": collection_id,
                    "title": "Shared indicators",
                    "can_read": True,
                    "can_write": True,
                    "media_types": ["application/stix+json;version=2.1"],
                    "objects": [],
                    "manifest": [],
                }
            ],
        },
    }
    with open(os.path.join(work, "data.json"), "w") as f:
        json.dump(data, f)
    config = {
        "backend": {
            "module": "medallion.backends.memory_backend",
            "module_class": "MemoryBackend",
            "filename": os.path.join(work, "data.json"),
        },
        "users": {MEDALLION_USER: MEDALLION_PASSWORD},
        "taxii": {"max_page_size": 100},
    }
    with open(os.path.join(work, "config.json"), "w") as f:
        json.dump(config, f)
    mlog = open(os.path.join(work, "medallion.log"), "wb")
    procs.append(
        subprocess.Popen(
            [sys.executable, "-c", "from medallion.scripts.run import main; main()",
             "--host", "127.0.0.1", "--port", str(mport), os.path.join(work, "config.json")],
            stdout=mlog, stderr=subprocess.STDOUT,
        )
    )
    wait_http(f"{base}/taxii2/", "medallion", (MEDALLION_USER, MEDALLION_PASSWORD))
    source = Collection(
        f"{base}/api1/collections/{collection_id}/",
        user=MEDALLION_USER,
        password=MEDALLION_PASSWORD,
    )

    def add(objects):
        for i in range(0, len(objects), 50):
            status = source.add_objects({"objects": objects[i:i + 50]})
            assert status.status == "complete", status.custom_properties

    first = [indicator(i) for i in range(245)] + [indicator(i, AMBER) for i in range(245, 250)]
    add(first)

    # A coalesce node with medallion as an unsigned-import peer.
    db = f"sqlite://{os.path.join(work, 'node.db')}"
    env = dict(os.environ, COALESCE_PASSWORD=PASSWORD,
               COALESCE_NODE_KEY=os.path.join(work, "node.key"))
    env.pop("COALESCE_DATABASE", None)

    def cli(*a, check=True):
        out = subprocess.run([binary, *a, "--database", db], env=env,
                             capture_output=True, text=True)
        if check and out.returncode != 0:
            raise SystemExit(f"coalesce {' '.join(a)}: {out.stdout}{out.stderr}")
        return out

    cli("member", "add", "GBR", "United Kingdom")
    cli("node", "init", "--member", "GBR")
    cli("user", "add", "--username", "gbr", "--member", "GBR", "--role", "contributor")
    # Without --unsigned-import a peer needs a key: a plain TAXII server is
    # never taken for a coalesce node.
    refused = cli("peer", "add", "medallion", f"{base}/api1", "--member", "GBR", check=False)
    assert refused.returncode == 2, refused
    cli("peer", "add", "medallion", f"{base}/api1", "--member", "GBR",
        "--unsigned-import", collection_id)
    cli("peer", "connect", "medallion", f"{MEDALLION_USER}:{MEDALLION_PASSWORD}")
    cport = free_port()
    nlog = open(os.path.join(work, "node.log"), "wb")
    procs.append(
        subprocess.Popen(
            [binary, "serve", "--database", db, "--listen", f"127.0.0.1:{cport}",
             "--pull-interval", "0.5"],
            env=env, stdout=nlog, stderr=subprocess.STDOUT,
        )
    )
    node = f"http://127.0.0.1:{cport}"
    wait_http(f"{node}/api/v1/node", "coalesce serve")
    mine = Collection(
        f"{node}/taxii2/coalesce/collections/{COALESCE_COLLECTION}/",
        user="gbr",
        password=PASSWORD,
    )

    def held(ids):
        found = set()
        ids = list(ids)
        for i in range(0, len(ids), 50):
            env_ = mine.get_objects(id=",".join(ids[i:i + 50]))
            found |= {o["id"] for o in env_.get("objects", [])}
        return found

    def wait_for(ids, what):
        deadline = time.time() + TIMEOUT
        while True:
            got = held(ids)
            if got == set(ids):
                return
            if time.time() > deadline:
                status = cli("peer", "status", "medallion").stdout
                raise SystemExit(f"{what}: {len(got)} of {len(ids)} arrived\n{status}")
            time.sleep(0.5)

    first_ids = {o["id"] for o in first}
    wait_for(first_ids, "the first 250 objects (pages of 100, `next`)")
    print(f"medallion → coalesce: {len(first_ids)} objects imported (pages with next)")

    # More objects later: the node goes on from its cursor (added_after).
    time.sleep(0.05)
    later = [indicator(1000 + i) for i in range(30)]
    unknown = indicator(2000, "marking-definition--" + str(uuid.uuid4()))
    add(later + [unknown])
    later_ids = {o["id"] for o in later}
    wait_for(later_ids, "30 objects added later (added_after)")
    assert not held({unknown["id"]}), "an object with a marking the node does not know was imported"
    deadline = time.time() + TIMEOUT
    while True:
        status = cli("peer", "status", "medallion").stdout
        if "not_importable 1" in status:
            break
        if time.time() > deadline:
            raise SystemExit(f"the refused object is not counted:\n{status}")
        time.sleep(0.5)
    print("the object with an unknown marking: refused, counted by reason")

    # Each arrived once, as an imported object of GBR, audited as such.
    con = sqlite3.connect(os.path.join(work, "node.db"))
    rows = con.execute(
        "SELECT stix_id, COUNT(*), MIN(source), MIN(origin) FROM stix_objects "
        "WHERE object_type = 'indicator' GROUP BY stix_id"
    ).fetchall()
    by_id = {r[0]: r[1:] for r in rows}
    for i in first_ids | later_ids:
        assert by_id.get(i) == (1, "import", "GBR"), (i, by_id.get(i))
    audited = con.execute(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'stix.add' AND subject = 'import:medallion'"
    ).fetchone()[0]
    assert audited >= 2, audited
    print(f"each imported once, source 'import', origin GBR; {audited} audited imports")


if __name__ == "__main__":
    main()
