"""A client written for yente's API, against a coalesce node's /match/{dataset}.

The client is nomenklatura's YenteEnricher (OpenSanctions' data-integration
library: it matches FollowTheMoney entities against a yente server and loads
the results as entities). It is pointed at the node unchanged, with a demo
user's session token as its yente API key.

    python3 tests/yente/enricher.py --bin target/debug/coalesce [--sanctions DIR]

Starts `coalesce demo` on a fresh SQLite file with the real UN and OFAC
lists (DIR, default $COALESCE_SANCTIONS_DIR or ../shared/data/sanctions;
skipped, saying so, when absent), runs the checks, stops it. Exits non-zero,
saying why, when a check fails.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import requests

# nomenklatura keeps its cache in a database: a throw-away one.
os.environ.setdefault(
    "NOMENKLATURA_DB_URL", f"sqlite:///{tempfile.mkdtemp()}/nomenklatura.db"
)

from followthemoney import Dataset, StatementEntity  # noqa: E402
from nomenklatura.cache import Cache  # noqa: E402
from nomenklatura.db import make_session  # noqa: E402
from nomenklatura.enrich import make_enricher  # noqa: E402


def start_demo(binary: str, sanctions: str, tmp: str):
    """`BIN demo` on loopback; returns the process, the URL and the password."""
    cmd = [binary, "demo", "--listen", "127.0.0.1:0",
           "--database", f"sqlite://{tmp}/yente.db", "--sanctions", sanctions]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, bufsize=1)
    url = password = None
    lines = []
    deadline = time.monotonic() + 120

    def read():
        for line in proc.stdout:
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    while not (url and password):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise SystemExit("the demo did not start:\n" + "".join(lines[-40:]))
        for line in list(lines):
            m = re.search(r"open\s+(https?://\S+)", line)
            url = url or (m and m.group(1))
            m = re.search(r"demo password:\s*(\S+)", line)
            password = password or (m and m.group(1))
        time.sleep(0.2)
    while True:
        try:
            requests.get(url + "healthz", timeout=2)
            break
        except requests.RequestException:
            if time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("the demo does not answer")
            time.sleep(0.2)
    return proc, url, password


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--sanctions", default=os.environ.get(
        "COALESCE_SANCTIONS_DIR",
        os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "sanctions")))
    args = ap.parse_args()
    if not os.path.isdir(args.sanctions):
        print(f"skipped: no sanctions lists at {args.sanctions}")
        return 0
    tmp = tempfile.mkdtemp(prefix="coalesce-yente-")
    proc, url, password = start_demo(args.bin, args.sanctions, tmp)
    try:
        r = requests.post(url + "api/v1/auth/login",
                          json={"username": "usa", "password": password}, timeout=10)
        r.raise_for_status()
        return run_checks(url + "api/v1/", r.json()["token"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def run_checks(base: str, token: str) -> int:
    os.environ["YENTE_API_KEY"] = token
    dataset = Dataset.make({"name": "coalesce_check", "title": "coalesce check"})
    failures = []

    def check(ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    with make_session() as session:
        cache = Cache(session, dataset, create=True)
        for yente_dataset, expect_list in (("default", None), ("un", "un")):
            enricher = make_enricher(
                dataset,
                cache,
                {
                    "type": "nomenklatura.enrich.yente:YenteEnricher",
                    "api": base,
                    "dataset": yente_dataset,
                    "cache_days": 0,
                },
            )
            # A person: the UN list's best-known name of QDi.299 is a weak alias.
            person = StatementEntity.from_data(
                dataset,
                {
                    "id": "q-baghdadi",
                    "schema": "Person",
                    "properties": {"name": ["Abu Bakr al-Baghdadi"]},
                },
            )
            found = list(enricher.match(person))
            ids = [e.id for e in found]
            print(f"{yente_dataset}: Abu Bakr al-Baghdadi -> {ids}")
            check(
                "un:QDi.299" in ids,
                f"/match/{yente_dataset}: the person is found (un:QDi.299)",
            )
            check(
                all(e.schema.name == "Person" for e in found),
                f"/match/{yente_dataset}: results load as FollowTheMoney Person entities",
            )
            if expect_list:
                check(
                    all(e.id.startswith(expect_list + ":") for e in found),
                    f"/match/{yente_dataset}: only that list's entries",
                )
            hit = next((e for e in found if e.id == "un:QDi.299"), None)
            if hit is not None:
                names = hit.get("name") + hit.get("alias") + hit.get("weakAlias")
                check(
                    any("Baghdadi" in n for n in names),
                    f"/match/{yente_dataset}: the entity carries its listed names",
                )
            # An organisation, with properties yente clients send that the
            # node does not compare (ignored, as yente does).
            org = StatementEntity.from_data(
                dataset,
                {
                    "id": "q-isil",
                    "schema": "Organization",
                    "properties": {
                        "name": ["Islamic State of Iraq and the Levant"],
                        "country": ["iq"],
                        "topics": ["sanction"],
                    },
                },
            )
            found = list(enricher.match(org))
            print(f"{yente_dataset}: ISIL -> {[e.id for e in found]}")
            check(len(found) > 0, f"/match/{yente_dataset}: the organisation is found")
            if expect_list == "un":
                # ISIL is one party listed by OFAC and the UN (as QDe.115):
                # asked for the UN list, it is shown by its UN listing.
                check(
                    "un:QDe.115" in [e.id for e in found],
                    "/match/un: a party listed on both lists is shown by its UN listing",
                )
            check(
                all(e.schema.name in ("Organization", "LegalEntity", "Company") for e in found),
                f"/match/{yente_dataset}: results load as organisations",
            )
            enricher.close()
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("the yente client works against the node")
    return 0


if __name__ == "__main__":
    sys.exit(main())
