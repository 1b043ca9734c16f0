#!/usr/bin/env python3
# TAXII 2.1 scenarios against a running coalesce server, over HTTP.
#
# The request scenarios are adapted from the reference server's test suite
# (oasis-open/cti-taxii-server, medallion/test/test_backends.py and
# data/default_data.json): paging, added_after, the X-TAXII-Date-Added-*
# headers, version and spec_version matching, match[id] / match[type],
# manifest, versions, get / delete object, status, and the error codes.
# Instead of medallion's preloaded data the script first POSTs its own copy
# of medallion's objects (indicators, a malware, a relationship, several
# versions of one indicator) under fresh UUIDs, so reruns never collide.
# The collection may hold other objects (the demo's reports, earlier runs),
# so every count is taken over this run's ids (match[id]) only.
#
# Setup (Python 3.11; pinned):
#   python3 -m pip install -q taxii2-client==2.3.0 requests
#
# Use (from the repository root):
#   python3 tests/taxii/scenarios.py --url http://127.0.0.1:PORT/ --password PW
#   python3 tests/taxii/scenarios.py --bin target/debug/coalesce
# The second starts `coalesce demo` on a fresh SQLite file, reads the URL and
# the demo password from its output, and stops it at the end.
# Users usa, gbr and deu (demo members) are used; --token TOKEN (an API
# token of usa) adds the Bearer / token-as-password checks.
#
# Exit status: 0 every scenario passed, 1 a scenario failed (the first
# failure ends the run), 2 set-up problem.
import argparse
import copy
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from urllib.parse import urljoin, urlparse

try:
    import requests
    from taxii2client.exceptions import TAXIIServiceException
    from taxii2client.v21 import ApiRoot, Server, as_pages
except ImportError as exc:  # pragma: no cover - set-up problem
    sys.stderr.write(f"{exc}: python3 -m pip install taxii2-client==2.3.0 requests\n")
    sys.exit(2)

MEDIA_TAXII = "application/taxii+json;version=2.1"
MEDIA_STIX = "application/stix+json;version=2.1"
TIMEOUT = 30  # seconds, every HTTP request
BATCH_GAP = 1.1  # seconds between the dataset's POSTs: distinct date_added even at 1 s precision

TLP = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
REL_TO_EXTENSION = "extension-definition--e1389d75-78b7-4e1d-8ecc-8279e71623a6"
USERS = ("usa", "gbr", "deu")


class Failure(Exception):
    pass


class Skip(Exception):
    pass


# ---------------------------------------------------------------- checks


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def check_eq(actual, expected, what):
    if actual != expected:
        raise Failure(f"{what}: expected {expected!r}, got {actual!r}")


_TS = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z")


def ts(value):
    """A STIX/TAXII timestamp as a comparable tuple (nanosecond precision), so
    that '…59.4Z' and '…59.400000Z' compare equal whatever the server's format."""
    m = _TS.fullmatch(value or "") if isinstance(value, str) else None
    if not m:
        raise Failure(f"not a RFC 3339 UTC timestamp: {value!r}")
    *parts, frac = m.groups()
    return tuple(int(p) for p in parts) + (int((frac or "").ljust(9, "0")),)


def same_ts(a, b):
    return ts(a) == ts(b)


def fmt_key(k):
    """(id, ts tuple) as id@timestamp, for messages."""
    oid, t = k
    return f"{oid}@{t[0]:04}-{t[1]:02}-{t[2]:02}T{t[3]:02}:{t[4]:02}:{t[5]:02}.{t[6]:09}Z"


def check_keys(actual, expected, what):
    """(id, version) sets: name what is missing and what is extra."""
    actual, expected = set(actual), set(expected)
    if actual != expected:
        missing = ", ".join(sorted(fmt_key(k) for k in expected - actual)) or "-"
        extra = ", ".join(sorted(fmt_key(k) for k in actual - expected)) or "-"
        raise Failure(f"{what}: missing {missing}; unexpected {extra}")


def check_no_objects(objs, what):
    if objs:
        raise Failure(f"{what}: expected no objects, got " + ", ".join(
            f"{o.get('id')}@{o.get('modified') or o.get('version') or o.get('created')}" for o in objs))


def version_of(obj):
    return obj.get("modified") or obj["created"]


def key(obj):
    """(id, version) of a STIX object we posted or got back."""
    return (obj["id"], ts(version_of(obj)))


def status_key(entry, what):
    check("id" in entry and "version" in entry, f"{what}: status entry without id/version: {entry!r}")
    return (entry["id"], ts(entry["version"]))


def media_tokens(value):
    return [t.strip().lower() for t in (value or "").split(";") if t.strip()]


def check_taxii_content_type(resp, what):
    got = media_tokens(resp.headers.get("Content-Type"))
    check(got[:1] == ["application/taxii+json"] and "version=2.1" in got,
          f"{what}: Content-Type {resp.headers.get('Content-Type')!r}, expected {MEDIA_TAXII}")


def objects_of(envelope):
    return envelope.get("objects", []) or []


def more_of(envelope):
    return bool(envelope.get("more", False))


def describe(resp):
    return f"{resp.request.method} {resp.url} -> {resp.status_code}; body: {resp.text[:600]}"


def expect(resp, status, what):
    if resp.status_code != status:
        raise Failure(f"{what}: expected HTTP {status}, got {describe(resp)}")
    return resp


def expect_json(resp, status, what):
    expect(resp, status, what)
    check_taxii_content_type(resp, what)
    try:
        return resp.json()
    except ValueError:
        raise Failure(f"{what}: body is not JSON: {resp.text[:300]!r}")


def expect_error(resp, statuses, what):
    """A TAXII error message: the status, a taxii+json body with title and
    http_status (a string in the spec; an integer is tolerated)."""
    statuses = (statuses,) if isinstance(statuses, int) else tuple(statuses)
    if resp.status_code not in statuses:
        want = " or ".join(str(s) for s in statuses)
        raise Failure(f"{what}: expected HTTP {want}, got {describe(resp)}")
    check_taxii_content_type(resp, what)
    try:
        body = resp.json()
    except ValueError:
        raise Failure(f"{what}: error body is not JSON: {resp.text[:300]!r}")
    check(isinstance(body, dict) and body.get("title"), f"{what}: error message without title: {body!r}")
    if "http_status" in body:
        check_eq(str(body["http_status"]), str(resp.status_code), f"{what}: error http_status")
    return body


def check_date_headers(resp, added, what):
    """X-TAXII-Date-Added-First/Last cover the date_added of the records in
    this response (added: their date_added strings)."""
    if not added:
        return
    first = resp.headers.get("X-TAXII-Date-Added-First")
    last = resp.headers.get("X-TAXII-Date-Added-Last")
    check(first and last, f"{what}: X-TAXII-Date-Added-First/Last missing (headers: {dict(resp.headers)})")
    lo = min(added, key=ts)
    hi = max(added, key=ts)
    check(same_ts(first, lo), f"{what}: X-TAXII-Date-Added-First is {first}, the first record was added {lo}")
    check(same_ts(last, hi), f"{what}: X-TAXII-Date-Added-Last is {last}, the last record was added {hi}")


def pages_of(func, per_request, what, **filters):
    """as_pages, bounded: a server that always says more=true fails here."""
    pages = []
    for page in as_pages(func, per_request=per_request, **filters):
        pages.append(page)
        check(len(pages) <= 100, f"{what}: more than 100 pages of {per_request}, paging does not end")
    return pages


def empty_or_404(resp, what):
    """Get an Object with filters that match no version: the spec allows an
    empty envelope (200) or 404."""
    if resp.status_code == 200:
        env = expect_json(resp, 200, what)
        check_no_objects(objects_of(env), what)
        check(not more_of(env), f"{what}: more=true")
    else:
        expect_error(resp, 404, what)


def check_ascending(added, what):
    stamps = [ts(a) for a in added]
    check(stamps == sorted(stamps), f"{what}: not in ascending date_added order: {added}")


# ---------------------------------------------------------------- data


def stix_id(kind):
    return f"{kind}--{uuid.uuid4()}"


def envelope(objs):
    return {"objects": [copy.deepcopy(o) for o in objs]}


def indicator(oid, created, modified, name, pattern, markings, description=None, types=("url-watchlist",)):
    obj = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": oid,
        "created": created,
        "modified": modified,
        "name": name,
        "indicator_types": list(types),
        "pattern": pattern,
        "pattern_type": "stix",
        "valid_from": created,
        "object_marking_refs": list(markings),
    }
    if description:
        obj["description"] = description
    return obj


def rel_to_marking(tokens, created="2024-03-01T09:00:00.000Z"):
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": stix_id("marking-definition"),
        "created": created,
        "name": "REL TO " + ", ".join(tokens),
        "extensions": {
            REL_TO_EXTENSION: {"extension_type": "property-extension", "rel_to": list(tokens)},
        },
    }


class Dataset:
    """medallion's collection 91a7b528… (default_data.json) under fresh ids:
    a hash indicator, a URL indicator in three versions, a second URL
    indicator (base_test.API_OBJECTS_2), the Poison Ivy malware in two
    versions (both STIX 2.1 here) and the relationship hash indicator ->
    malware. Timestamps are medallion's, made consistent (valid_from =
    created, the relationship created after both its ends). All TLP:GREEN,
    no REL TO: readable by the posting member (usa) only."""

    def __init__(self):
        green = [TLP["GREEN"]]
        self.hash_ind = stix_id("indicator")
        self.url_ind = stix_id("indicator")
        self.url2_ind = stix_id("indicator")
        self.malware = stix_id("malware")
        self.rel = stix_id("relationship")

        hash_v1 = indicator(
            self.hash_ind, "2014-05-08T09:00:00.000Z", "2014-05-08T09:00:00.000Z",
            "File hash for Poison Ivy variant",
            "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']",
            green, types=("file-hash-watchlist",))
        desc = "Accessing this url will infect your machine with malware."
        url_v1 = indicator(
            self.url_ind, "2016-11-03T12:30:59.000Z", "2016-11-03T12:30:59.000Z",
            "Malicious site hosting downloader", "[url:value = 'http://z4z10farb.cn/4712']", green, desc)
        url_v2 = dict(url_v1, modified="2016-12-25T12:30:59.444Z", description=desc + " Updated indicator",
                      pattern="[url:value = 'http://x4z9arb.cn/4712']")
        url_v3 = dict(url_v2, modified="2017-01-27T13:49:53.935Z",
                      description=desc + " This is the last updated indicator")
        url2_v1 = indicator(
            self.url2_ind, "2017-01-27T13:49:53.935Z", "2017-01-27T13:49:53.935Z",
            "Malicious site hosting downloader", "[url:value = 'http://x4z9arb.cn/5000']", green)
        mal_v1 = {
            "type": "malware", "spec_version": "2.1", "id": self.malware,
            "created": "2017-01-27T13:49:53.997Z", "modified": "2017-01-27T13:49:53.997Z",
            "name": "Poison Ivy", "description": "Poison Ivy", "is_family": True,
            "malware_types": ["remote-access-trojan"], "object_marking_refs": green,
        }
        mal_v2 = dict(mal_v1, modified="2018-02-23T18:30:00.000Z", description="Poison Ivy RAT")
        rel_v1 = {
            "type": "relationship", "spec_version": "2.1", "id": self.rel,
            "created": "2017-01-28T09:00:00.000Z", "modified": "2017-01-28T09:00:00.000Z",
            "relationship_type": "indicates", "source_ref": self.hash_ind, "target_ref": self.malware,
            "object_marking_refs": green,
        }
        # Posted in four envelopes, BATCH_GAP apart, so date_added orders them.
        self.batches = [[hash_v1, mal_v1], [url_v1, url2_v1], [rel_v1, url_v2, mal_v2], [url_v3]]
        self.versions = {}  # id -> its versions, oldest first
        for obj in sorted((o for b in self.batches for o in b), key=lambda o: ts(o["modified"])):
            self.versions.setdefault(obj["id"], []).append(obj)
        self.ids = [self.hash_ind, self.url_ind, self.url2_ind, self.malware, self.rel]
        self.indicators = [self.hash_ind, self.url_ind, self.url2_ind]

    def all_keys(self):
        return {key(o) for vs in self.versions.values() for o in vs}

    def first_keys(self):
        return {key(vs[0]) for vs in self.versions.values()}

    def last_keys(self):
        return {key(vs[-1]) for vs in self.versions.values()}

    def v(self, oid, i):
        return self.versions[oid][i]


# ---------------------------------------------------------------- context


def _with_timeout(session):
    original = session.request

    def request(method, url, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return original(method, url, **kwargs)

    session.request = request


def _log_response(resp, *args, **kwargs):
    print(f"      {resp.request.method} {resp.url} -> {resp.status_code}", file=sys.stderr)


class BearerAuth(requests.auth.AuthBase):
    def __init__(self, token):
        self.token = token

    def __call__(self, r):
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


class Ctx:
    def __init__(self, base, password, token=None, verbose=False):
        self.base = base if base.endswith("/") else base + "/"
        self.discovery_url = urljoin(self.base, "taxii2/")
        self.api_root_url = urljoin(self.base, "taxii2/coalesce/")
        self.password = password
        self.token = token
        self.verbose = verbose
        self._sessions = {}
        self.roots = {}  # user -> taxii2client ApiRoot
        self.cols = {}  # user -> taxii2client Collection "Coalition"
        self.cid = None
        self.data = None  # Dataset, once posted
        self.added = {}  # (id, ts(version)) -> date_added string, for the dataset
        self.batch_status_ids = []
        self.peer = None  # (username, credential) of a peer node, with --bin
        self.records_dump = None  # where to write the records collection's objects

    def instrument(self, session):
        session.trust_env = False  # no ~/.netrc credentials, no proxy for the local server
        _with_timeout(session)
        if self.verbose:
            session.hooks["response"].append(_log_response)

    def session(self, user):
        if user not in self._sessions:
            s = requests.Session()
            if user:
                s.auth = requests.auth.HTTPBasicAuth(user, self.password)
            self.instrument(s)
            self._sessions[user] = s
        return self._sessions[user]

    def root(self, user):
        if user not in self.roots:
            root = ApiRoot(self.api_root_url, user=user, password=self.password)
            self.instrument(root._conn.session)
            self.roots[user] = root
        return self.roots[user]

    def request(self, user, method, path, params=None, headers=None, body=None, auth=None):
        """A raw request as `user` (None: no credentials). `path` is relative
        to the API root unless absolute."""
        url = path if path.startswith("http") else urljoin(self.api_root_url, path)
        h = {"Accept": MEDIA_TAXII}
        data = None
        if body is not None:
            h["Content-Type"] = MEDIA_TAXII
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        h.update(headers or {})
        kwargs = {"params": params, "headers": h, "data": data, "timeout": TIMEOUT}
        if auth is not None:
            kwargs["auth"] = auth
        return self.session(user).request(method, url, **kwargs)

    # paths relative to the API root
    def col_path(self, rest=""):
        return f"collections/{self.cid}/{rest}"

    def obj_path(self, oid, rest=""):
        return self.col_path(f"objects/{oid}/{rest}")

    def date_added(self, obj_or_key, what="date_added"):
        k = obj_or_key if isinstance(obj_or_key, tuple) else key(obj_or_key)
        check(k in self.added, f"{what}: {k[0]} version {k[1]} is not one of this run's posted versions")
        return self.added[k]


def require_data(ctx):
    if ctx.data is None:
        raise Skip("the dataset was not posted")


def check_status(status, what, ok=(), failed=(), exact=True):
    """A taxii2client Status: complete, the given objects among successes /
    failures (exact: nothing else, and the counts add up)."""
    check_eq(status.status, "complete", f"{what}: status")
    check_eq(status.pending_count, 0, f"{what}: pending_count")
    got_ok = [status_key(e, what) for e in status.successes]
    got_failed = [status_key(e, what) for e in status.failures]
    check_eq(len(status.successes), status.success_count, f"{what}: len(successes) vs success_count")
    check_eq(len(status.failures), status.failure_count, f"{what}: len(failures) vs failure_count")
    for obj in ok:
        check(key(obj) in got_ok, f"{what}: {obj['id']} {version_of(obj)} not among successes "
                                  f"(successes {status.successes}, failures {status.failures})")
        check(key(obj) not in got_failed, f"{what}: {obj['id']} among failures too")
    for obj in failed:
        check(key(obj) in got_failed, f"{what}: {obj['id']} {version_of(obj)} not among failures "
                                      f"(successes {status.successes}, failures {status.failures})")
        check(key(obj) not in got_ok, f"{what}: {obj['id']} among successes too")
    if exact:
        check_eq(status.success_count, len(ok), f"{what}: success_count")
        check_eq(status.failure_count, len(failed), f"{what}: failure_count")
        check_eq(status.total_count, len(ok) + len(failed), f"{what}: total_count")


def versions_of(ctx, user, oid, what, **filters):
    env = ctx.cols[user].object_versions(oid, **filters)
    check(not more_of(env), f"{what}: more=true for a handful of versions")
    return [ts(v) for v in env.get("versions", []) or []]


# ---------------------------------------------------------------- scenarios


def s_discovery(ctx):
    server = Server(ctx.discovery_url, user="usa", password=ctx.password)
    ctx.instrument(server._conn.session)
    raw = server._raw
    check(server.title, "discovery: no title")
    check("description" in raw, "discovery: no description")
    roots = raw.get("api_roots") or []
    want_path = urlparse(ctx.api_root_url).path
    matching = [r for r in roots if urlparse(r).scheme in ("http", "https") and urlparse(r).path == want_path]
    check(matching, f"discovery: api_roots {roots} has no absolute URL of {want_path}")
    check_eq(raw.get("default"), matching[0], "discovery: default")
    check(server.default is not None, "discovery: taxii2client did not resolve `default` among api_roots")
    resp = expect(ctx.request("usa", "GET", ctx.discovery_url), 200, "GET /taxii2/")
    check_taxii_content_type(resp, "GET /taxii2/")

    root = ctx.root("usa")
    check(root.title, "API root: no title")
    check_eq(root.versions, [MEDIA_TAXII], "API root: versions")
    check(isinstance(root.max_content_length, int) and root.max_content_length > 0,
          f"API root: max_content_length {root.max_content_length!r}")
    return f"api root {matching[0]}, max_content_length {root.max_content_length}"


def s_collections(ctx):
    for user in USERS:
        found = [c for c in ctx.root(user).collections if c.title == "Coalition"]
        check_eq(len(found), 1, f"{user}: collections titled 'Coalition'")
        col = found[0]
        try:
            check_eq(str(uuid.UUID(col.id)), col.id.lower(), f"{user}: collection id")
        except ValueError:
            raise Failure(f"{user}: collection id {col.id!r} is not a UUID")
        check(col.can_read and col.can_write, f"{user}: can_read {col.can_read}, can_write {col.can_write}")
        check_eq([m.replace(" ", "") for m in col.media_types or []], [MEDIA_STIX], f"{user}: media_types")
        if ctx.cid is None:
            ctx.cid = col.id
        check_eq(col.id, ctx.cid, f"{user}: the Coalition collection id")
        ctx.cols[user] = col
    single = expect_json(ctx.request("usa", "GET", ctx.col_path()), 200, "GET collections/{id}/")
    check_eq((single.get("id"), single.get("title")), (ctx.cid, "Coalition"), "GET collections/{id}/")
    return f"Coalition = {ctx.cid}"


def s_auth(ctx):
    paths = ["collections/", ctx.col_path("objects/"), ctx.col_path("manifest/")]
    for path in paths:
        resp = ctx.request(None, "GET", path)
        expect_error(resp, 401, f"GET {path} without credentials")
        challenge = resp.headers.get("WWW-Authenticate", "")
        check(challenge.lower().startswith("basic") and "realm=" in challenge.lower(),
              f"GET {path} without credentials: WWW-Authenticate {challenge!r}, expected Basic realm=…")
    resp = ctx.request(None, "POST", ctx.col_path("objects/"), body=envelope([]))
    expect_error(resp, 401, "POST objects without credentials")
    bad = [
        ("wrong password", requests.auth.HTTPBasicAuth("usa", ctx.password + "x")),
        ("unknown user", requests.auth.HTTPBasicAuth("nosuchmember", ctx.password)),
        ("bogus bearer token", BearerAuth("not-a-token-" + uuid.uuid4().hex)),
    ]
    for label, auth in bad:
        expect_error(ctx.request(None, "GET", "collections/", auth=auth), 401, f"GET collections/ with {label}")
    if not ctx.token:
        return "Basic; Bearer and API-token checks skipped (no --token)"
    expect_json(ctx.request(None, "GET", "collections/", auth=BearerAuth(ctx.token)), 200,
                "GET collections/ with Authorization: Bearer <token>")
    # taxii2client with a custom auth object: the Bearer header on every call
    root = ApiRoot(ctx.api_root_url, auth=BearerAuth(ctx.token))
    ctx.instrument(root._conn.session)
    check([c for c in root.collections if c.title == "Coalition"], "Bearer: no Coalition collection")
    # the API token as the Basic password
    expect_json(ctx.request(None, "GET", "collections/", auth=requests.auth.HTTPBasicAuth("usa", ctx.token)), 200,
                "GET collections/ with Basic usa:<token>")
    expect_error(ctx.request(None, "GET", "collections/", auth=requests.auth.HTTPBasicAuth("gbr", ctx.token)), 401,
                 "GET collections/ with Basic gbr:<usa's token>")
    return "Basic, Bearer <token>, Basic usa:<token>"


def s_post_dataset(ctx):
    data = Dataset()
    col = ctx.cols["usa"]
    for i, batch in enumerate(data.batches):
        if i:
            time.sleep(BATCH_GAP)
        status = col.add_objects(envelope(batch))
        check_status(status, f"POST batch {i + 1}", ok=batch)
        ctx.batch_status_ids.append(status.id)
    env = col.get_manifest(id=data.ids, version="all")
    records = objects_of(env)
    check(not more_of(env), "manifest of the dataset: more=true")
    check_eq(len(records), len(data.all_keys()), "manifest records of the dataset (match[version]=all)")
    for rec in records:
        ctx.added[(rec["id"], ts(rec["version"]))] = rec["date_added"]
    check_keys(ctx.added, data.all_keys(), "manifest (id, version) pairs of the dataset")
    for i in range(len(data.batches) - 1):
        latest = max((ts(ctx.date_added(o)) for o in data.batches[i]))
        earliest = min((ts(ctx.date_added(o)) for o in data.batches[i + 1]))
        check(latest < earliest, f"date_added of batch {i + 1} not before batch {i + 2}: {ctx.added}")
    ctx.data = data
    return f"{len(data.ids)} objects, {len(data.all_keys())} versions in {len(data.batches)} envelopes"


def s_status(ctx):
    require_data(ctx)
    root = ctx.root("usa")
    first = ctx.data.batches[0]
    status = root.get_status(ctx.batch_status_ids[0])
    check_status(status, "GET status/{id}/ of batch 1", ok=first)
    body = expect_json(ctx.request("usa", "GET", f"status/{status.id}/"), 200, "GET status/{id}/ raw")
    for field in ("id", "status", "total_count", "success_count", "failure_count", "pending_count"):
        check(field in body, f"status resource without {field}: {body}")
    check_eq(body["id"], status.id, "status id")
    expect_error(ctx.request("gbr", "GET", f"status/{status.id}/"), (403, 404),
                 "gbr reading usa's status resource")
    expect_error(ctx.request("usa", "GET", f"status/{uuid.uuid4()}/"), 404, "GET status/<unknown>/")
    expect_error(ctx.request(None, "GET", f"status/{status.id}/"), 401, "GET status/{id}/ without credentials")
    return f"status {status.id}: {status.success_count}/{status.total_count} succeeded"


def s_post_mixed(ctx):
    """One good object and one referencing an unknown marking definition:
    202, success 1, failure 1; the failed one is not stored."""
    good = indicator(stix_id("indicator"), "2023-05-01T10:00:00.000Z", "2023-05-01T10:00:00.000Z",
                     "good", "[domain-name:value = 'good.example']", [TLP["GREEN"]])
    bad = indicator(stix_id("indicator"), "2023-05-01T10:00:00.000Z", "2023-05-01T10:00:00.000Z",
                    "bad", "[domain-name:value = 'bad.example']", [TLP["GREEN"], stix_id("marking-definition")])
    resp = ctx.request("usa", "POST", ctx.col_path("objects/"), body=envelope([good, bad]))
    body = expect_json(resp, 202, "POST good + unknown-marking objects")
    check_eq(body.get("status"), "complete", "status")
    for field, want in (("total_count", 2), ("success_count", 1), ("failure_count", 1), ("pending_count", 0)):
        check_eq(body.get(field), want, f"status {field}")
    check_eq([status_key(e, "successes") for e in body.get("successes", [])], [key(good)], "successes")
    check_eq([status_key(e, "failures") for e in body.get("failures", [])], [key(bad)], "failures")
    again = ctx.root("usa").get_status(body["id"])
    check_status(again, "GET status/{id}/ of the mixed POST", ok=[good], failed=[bad])

    expect_json(ctx.request("usa", "GET", ctx.obj_path(good["id"])), 200, "GET the good object")
    expect_error(ctx.request("usa", "GET", ctx.obj_path(bad["id"])), 404, "GET the refused object")

    # Posting the same version again must not make a second copy (medallion:
    # test_object_already_present); success or failure are both acceptable.
    status = ctx.cols["usa"].add_objects(envelope([good]))
    check_eq(status.total_count, 1, "re-POST: total_count")
    check_eq(versions_of(ctx, "usa", good["id"], "versions after re-POST"), [key(good)[1]],
             "versions after posting the same version twice")
    return f"failure message: {body['failures'][0].get('message', '(none)')!r}"


def s_get_objects_filters(ctx):
    require_data(ctx)
    d, col = ctx.data, ctx.cols["usa"]

    env = col.get_objects(id=d.ids)
    check_keys({key(o) for o in objects_of(env)}, d.last_keys(), "match[id]=<ours> (default: last versions)")
    check_eq(len(objects_of(env)), len(d.ids), "match[id]=<ours>: one object per id")

    env = col.get_objects(id=d.hash_ind)
    check_eq([o["id"] for o in objects_of(env)], [d.hash_ind], "match[id]=<one id>")
    posted = d.v(d.hash_ind, 0)
    got = objects_of(env)[0]
    for field in ("type", "spec_version", "name", "pattern", "pattern_type", "indicator_types"):
        check_eq(got.get(field), posted[field], f"returned object's {field}")
    for field in ("created", "modified", "valid_from"):
        check(same_ts(got.get(field), posted[field]), f"returned object's {field}: {got.get(field)} vs {posted[field]}")

    for types, want in ((["indicator"], d.indicators), (["malware"], [d.malware]),
                        (["relationship"], [d.rel]), (["indicator", "malware"], d.indicators + [d.malware])):
        env = col.get_objects(id=d.ids, type=types)
        objs = objects_of(env)
        check_eq(sorted(o["id"] for o in objs), sorted(want), f"match[type]={','.join(types)}&match[id]=<ours>")
        check(all(o["type"] in types for o in objs), f"match[type]={','.join(types)}: wrong types")

    # match[type] alone, paged through the whole collection
    seen = []
    for page in pages_of(col.get_objects, 1000, "match[type]=indicator", type="indicator"):
        objs = objects_of(page)
        check(all(o["type"] == "indicator" for o in objs),
              f"match[type]=indicator returned {sorted({o['type'] for o in objs})}")
        seen += [o["id"] for o in objs]
    check(set(d.indicators) <= set(seen), "match[type]=indicator: this run's indicators missing")
    check_eq(len(seen), len(set(seen)), "match[type]=indicator: an id returned twice across pages")

    env = col.get_objects(id=stix_id("indicator"))
    check_no_objects(objects_of(env), "match[id]=<unknown id>")
    check(not more_of(env), "match[id]=<unknown id>: more=true")

    # ascending date_added, and the date headers, on a raw request
    resp = ctx.request("usa", "GET", ctx.col_path("objects/"),
                       params={"match[id]": ",".join(d.ids), "match[version]": "all"})
    objs = objects_of(expect_json(resp, 200, "GET objects match[version]=all"))
    added = [ctx.date_added(o) for o in objs]
    check_ascending(added, "objects")
    check_date_headers(resp, added, "GET objects")
    return f"match[id], match[type] x4, {len(seen)} indicators in the collection"


def s_paging(ctx):
    require_data(ctx)
    d, col = ctx.data, ctx.cols["usa"]

    def collect(func, per_request, expect_total, what, **filters):
        pages = pages_of(func, per_request, what, **filters)
        items = [x for p in pages for x in objects_of(p)]
        for i, page in enumerate(pages):
            n = len(objects_of(page))
            if i < len(pages) - 1:
                check(more_of(page) and page.get("next"), f"{what}: page {i + 1} of {len(pages)} without more/next")
                check_eq(n, per_request, f"{what}: size of page {i + 1} (limit {per_request})")
            else:
                check(not more_of(page), f"{what}: last page says more=true")
        check_eq(len(items), expect_total, f"{what}: items over all pages")
        return pages, items

    pages, objs = collect(col.get_objects, 2, len(d.ids), "objects limit=2", id=d.ids)
    check_eq(len(pages), 3, "objects limit=2: pages")
    check_keys({key(o) for o in objs}, d.last_keys(), "objects limit=2: objects over all pages")
    check_ascending([ctx.date_added(o) for o in objs], "objects limit=2 over pages")

    n_all = len(d.all_keys())
    pages, objs = collect(col.get_objects, 3, n_all, "objects limit=3 match[version]=all", id=d.ids, version="all")
    check_keys({key(o) for o in objs}, d.all_keys(), "objects limit=3 match[version]=all: versions")
    check_ascending([ctx.date_added(o) for o in objs], "objects limit=3 match[version]=all over pages")

    # the same filters travel with next: type + id + version, one per page
    want = [k for k in d.all_keys() if k[0] in d.indicators]
    pages, objs = collect(col.get_objects, 1, len(want), "objects limit=1 type=indicator version=all",
                          id=d.ids, type="indicator", version="all")
    check_eq(sorted(key(o) for o in objs), sorted(want), "objects limit=1 type=indicator version=all")

    pages, recs = collect(col.get_manifest, 3, n_all, "manifest limit=3 match[version]=all", id=d.ids, version="all")
    check_keys({(r["id"], ts(r["version"])) for r in recs}, d.all_keys(), "manifest pages")

    # raw: X-TAXII-Date-Added-First/Last on each page, next passed back verbatim
    params = {"match[id]": ",".join(d.ids), "match[version]": "all", "limit": "2"}
    pages_seen = 0
    got = []
    while True:
        resp = ctx.request("usa", "GET", ctx.col_path("objects/"), params=params)
        env = expect_json(resp, 200, f"objects raw page {pages_seen + 1}")
        objs = objects_of(env)
        check(0 < len(objs) <= 2, f"objects raw page {pages_seen + 1}: {len(objs)} objects for limit=2")
        check_date_headers(resp, [ctx.date_added(o) for o in objs], f"objects raw page {pages_seen + 1}")
        got += [key(o) for o in objs]
        pages_seen += 1
        if not more_of(env):
            break
        check(env.get("next"), "more=true without next")
        params = dict(params, next=env["next"])
        check(pages_seen < 20, "objects raw paging does not end")
    check_eq(sorted(got), sorted(d.all_keys()), "objects raw paging: versions")

    # one page when the limit is large; the maximum limit is accepted
    for limit in ("100", "10000"):
        env = expect_json(ctx.request("usa", "GET", ctx.col_path("objects/"),
                                      params={"match[id]": ",".join(d.ids), "limit": limit}), 200, f"limit={limit}")
        check_eq(len(objects_of(env)), len(d.ids), f"limit={limit}: objects")
        check(not more_of(env), f"limit={limit}: more=true")
    return f"objects/manifest pages via as_pages and raw next ({pages_seen} raw pages)"


def s_added_after(ctx):
    require_data(ctx)
    d, col = ctx.data, ctx.cols["usa"]
    batch_end = [max((ctx.date_added(o) for o in b), key=ts) for b in d.batches]
    after = lambda i: {key(o) for b in d.batches[i + 1:] for o in b}  # noqa: E731

    for i, t in enumerate(batch_end):
        env = col.get_objects(id=d.ids, version="all", added_after=t)
        check_keys({key(o) for o in objects_of(env)}, after(i), f"objects added_after=<end of batch {i + 1}> ({t})")
        env = col.get_manifest(id=d.ids, version="all", added_after=t)
        recs = objects_of(env)
        check_keys({(r["id"], ts(r["version"])) for r in recs}, after(i), f"manifest added_after=<batch {i + 1}>")
        check(all(ts(r["date_added"]) > ts(t) for r in recs), f"manifest added_after={t}: older date_added")

    env = col.get_objects(id=d.ids, version="all", added_after="2000-01-01T00:00:00Z")
    check_keys({key(o) for o in objects_of(env)}, d.all_keys(), "added_after=2000-01-01T00:00:00Z")
    env = col.get_objects(id=d.ids, added_after="2999-01-01T00:00:00.000Z")
    check_no_objects(objects_of(env), "added_after=2999-…")
    check(not more_of(env), "added_after=2999-…: more=true")

    # get an object, and its versions, added after the URL indicator's first version
    url = d.url_ind
    t = ctx.date_added(d.v(url, 0))
    later = [key(d.v(url, 1)), key(d.v(url, 2))]
    env = col.get_object(url, version="all", added_after=t)
    check_eq(sorted(key(o) for o in objects_of(env)), later, "get object version=all added_after=<v1>")
    check_eq([(url, v) for v in versions_of(ctx, "usa", url, "versions added_after", added_after=t)], later,
             "versions added_after=<v1>")
    empty_or_404(ctx.request("usa", "GET", ctx.obj_path(url), params={"added_after": ctx.date_added(d.v(url, 2))}),
                 "get object added_after=<its last date_added>")
    return "objects, manifest, get object, versions"


def s_version_match(ctx):
    require_data(ctx)
    d, col = ctx.data, ctx.cols["usa"]
    url, mal = d.url_ind, d.malware
    u1, u2, u3 = (key(d.v(url, i)) for i in range(3))
    m1, m2 = key(d.v(mal, 0)), key(d.v(mal, 1))
    cases = [
        ("first", d.first_keys()),
        ("last", d.last_keys()),
        ("all", d.all_keys()),
        (d.v(url, 1)["modified"], {u2}),
        ("first,last", d.all_keys() - {u2}),
        (f"{d.v(url, 1)['modified']},{d.v(mal, 0)['modified']}", {u2, m1}),
        ("2000-01-01T00:00:00.000Z", set()),
    ]
    for version, want in cases:
        objs = objects_of(col.get_objects(id=d.ids, version=version))
        check_eq(len(objs), len(want), f"objects match[version]={version}: count (duplicates?)")
        check_keys({key(o) for o in objs}, want, f"objects match[version]={version}")
        recs = objects_of(col.get_manifest(id=d.ids, version=version))
        check_eq(len(recs), len(want), f"manifest match[version]={version}: count (duplicates?)")
        check_keys({(r["id"], ts(r["version"])) for r in recs}, want, f"manifest match[version]={version}")

    for version, want in (("first", [u1]), ("last", [u3]), (None, [u3]), ("all", [u1, u2, u3]),
                          (d.v(url, 1)["modified"], [u2]), ("first,last", [u1, u3])):
        filters = {"version": version} if version else {}
        objs = objects_of(col.get_object(url, **filters))
        check_eq([key(o) for o in objs], want, f"get object match[version]={version or '(default)'}")
    objs = objects_of(col.get_object(mal, version="all"))
    check_eq([key(o) for o in objs], [m1, m2], "get malware match[version]=all")
    empty_or_404(ctx.request("usa", "GET", ctx.obj_path(url), params={"match[version]": "2000-01-01T00:00:00.000Z"}),
                 "get object, no such version")

    # spec_version: everything here is 2.1
    for spec, want in (("2.1", d.last_keys()), ("2.0,2.1", d.last_keys()), ("2.0", set())):
        objs = objects_of(col.get_objects(id=d.ids, spec_version=spec))
        check_keys({key(o) for o in objs}, want, f"objects match[spec_version]={spec}")
        recs = objects_of(col.get_manifest(id=d.ids, spec_version=spec))
        check_keys({(r["id"], ts(r["version"])) for r in recs}, want, f"manifest match[spec_version]={spec}")
    check(all(o.get("spec_version") == "2.1" for o in objects_of(col.get_objects(id=d.ids))),
          "objects without spec_version 2.1")
    objs = objects_of(col.get_object(url, spec_version="2.1", version="all"))
    check_eq(len(objs), 3, "get object match[spec_version]=2.1&match[version]=all")
    return "first/last/all/<timestamp>/lists on objects, manifest, get object; spec_version"


def s_manifest(ctx):
    require_data(ctx)
    d, col = ctx.data, ctx.cols["usa"]
    resp = ctx.request("usa", "GET", ctx.col_path("manifest/"), params={"match[id]": ",".join(d.ids)})
    recs = objects_of(expect_json(resp, 200, "GET manifest match[id]=<ours>"))
    check_eq(len(recs), len(d.ids), "manifest: one record per object (default: last version)")
    last = {k[0]: k[1] for k in d.last_keys()}
    for rec in recs:
        for field in ("id", "date_added", "version", "media_type"):
            check(field in rec, f"manifest record without {field}: {rec}")
        check(rec["id"] in last, f"manifest match[id]=<ours> returned {rec['id']}")
        check_eq(ts(rec["version"]), last[rec["id"]], f"manifest version of {rec['id']}")
        check_eq(rec["media_type"].replace(" ", ""), MEDIA_STIX, "manifest media_type")
        check_eq(ts(rec["date_added"]), ts(ctx.date_added((rec["id"], ts(rec["version"])))), "manifest date_added")
    added = [r["date_added"] for r in recs]
    check_ascending(added, "manifest")
    check_date_headers(resp, added, "GET manifest")

    recs = objects_of(col.get_manifest(id=d.ids, type="indicator"))
    check_eq(sorted(r["id"] for r in recs), sorted(d.indicators), "manifest match[type]=indicator")
    check_no_objects(objects_of(col.get_manifest(id=stix_id("indicator"))), "manifest match[id]=<unknown>")
    return f"{len(d.ids)} records, fields, order, headers"


def s_versions(ctx):
    require_data(ctx)
    d = ctx.data
    url = d.url_ind
    want = [ts(o["modified"]) for o in d.versions[url]]
    check_eq(versions_of(ctx, "usa", url, "versions"), want, "versions of the URL indicator (ascending)")
    check_eq(versions_of(ctx, "usa", d.malware, "versions"), [ts(o["modified"]) for o in d.versions[d.malware]],
             "versions of the malware")
    check_eq(versions_of(ctx, "usa", url, "versions", spec_version="2.1"), want, "versions match[spec_version]=2.1")

    # limit=1: one version per page, with its date in the headers
    params = {"limit": "1"}
    got = []
    for i in range(len(want)):
        resp = ctx.request("usa", "GET", ctx.obj_path(url, "versions/"), params=params)
        env = expect_json(resp, 200, f"versions limit=1 page {i + 1}")
        versions = env.get("versions", [])
        check_eq(len(versions), 1, f"versions limit=1 page {i + 1}")
        check_date_headers(resp, [ctx.date_added((url, ts(versions[0])))], f"versions page {i + 1}")
        got.append(ts(versions[0]))
        if i < len(want) - 1:
            check(more_of(env) and env.get("next"), f"versions limit=1 page {i + 1}: no more/next")
            params = {"limit": "1", "next": env["next"]}
        else:
            check(not more_of(env), "versions: last page says more=true")
    check_eq(got, want, "versions over limit=1 pages")

    expect_error(ctx.request("usa", "GET", ctx.obj_path(stix_id("indicator"), "versions/")), 404,
                 "versions of an unknown object")
    return f"{len(want)} versions, paged one by one"


def s_get_object(ctx):
    require_data(ctx)
    d = ctx.data
    resp = ctx.request("usa", "GET", ctx.obj_path(d.malware))
    env = expect_json(resp, 200, "GET object")
    objs = objects_of(env)
    check_eq([key(o) for o in objs], [key(d.v(d.malware, 1))], "GET object (default: last version)")
    check(not more_of(env), "GET object: more=true")
    check_date_headers(resp, [ctx.date_added(objs[0])], "GET object")
    check_eq([key(o) for o in objects_of(ctx.cols["usa"].get_object(d.rel))], [key(d.v(d.rel, 0))],
             "taxii2client get_object(relationship)")
    # limit on get object (medallion test_get_object_limit)
    resp = ctx.request("usa", "GET", ctx.obj_path(d.url_ind), params={"match[version]": "all", "limit": "2"})
    env = expect_json(resp, 200, "GET object match[version]=all limit=2")
    objs = objects_of(env)
    check_eq([key(o) for o in objs], [key(d.v(d.url_ind, i)) for i in (0, 1)], "GET object all, limit=2, page 1")
    check(more_of(env) and env.get("next"), "GET object all, limit=2: no more/next")
    check_date_headers(resp, [ctx.date_added(o) for o in objs], "GET object all, limit=2")
    resp = ctx.request("usa", "GET", ctx.obj_path(d.url_ind),
                       params={"match[version]": "all", "limit": "2", "next": env["next"]})
    env = expect_json(resp, 200, "GET object all, limit=2, page 2")
    check_eq([key(o) for o in objects_of(env)], [key(d.v(d.url_ind, 2))], "GET object all, limit=2, page 2")
    check(not more_of(env), "GET object all, limit=2, page 2: more=true")

    expect_error(ctx.request("usa", "GET", ctx.obj_path(stix_id("malware"))), 404, "GET unknown object")
    return "last version, headers, limit/next"


def s_delete(ctx):
    col = ctx.cols["usa"]
    oid = stix_id("indicator")
    base = indicator(oid, "2019-01-27T13:49:53.935Z", "2019-01-27T13:49:53.935Z", "to delete",
                     "[ipv4-addr:value = '198.51.100.7']", [TLP["GREEN"]])
    vs = [dict(base, modified=m) for m in ("2019-01-27T13:49:53.935Z", "2019-02-27T13:49:53.935Z",
                                           "2019-03-27T13:49:53.935Z", "2019-04-27T13:49:53.935Z")]
    check_status(col.add_objects(envelope(vs)), "POST 4 versions", ok=vs)
    stamps = [ts(v["modified"]) for v in vs]
    check_eq(versions_of(ctx, "usa", oid, "versions"), stamps, "versions before delete")

    col.delete_object(oid, version="first")
    check_eq(versions_of(ctx, "usa", oid, "versions"), stamps[1:], "versions after delete match[version]=first")
    col.delete_object(oid, version=vs[2]["modified"])
    check_eq(versions_of(ctx, "usa", oid, "versions"), [stamps[1], stamps[3]],
             "versions after delete match[version]=<third>")
    col.delete_object(oid, version="last")
    check_eq(versions_of(ctx, "usa", oid, "versions"), [stamps[1]], "versions after delete match[version]=last")

    expect(ctx.request("usa", "DELETE", ctx.obj_path(oid)), 200, "DELETE the remaining version")
    expect_error(ctx.request("usa", "GET", ctx.obj_path(oid)), 404, "GET a deleted object")
    expect_error(ctx.request("usa", "GET", ctx.obj_path(oid, "versions/")), 404, "versions of a deleted object")
    check_no_objects(objects_of(col.get_objects(id=oid, version="all")), "objects match[id]=<deleted>")
    check_no_objects(objects_of(col.get_manifest(id=oid, version="all")), "manifest match[id]=<deleted>")
    expect_error(ctx.request("usa", "DELETE", ctx.obj_path(oid)), 404, "DELETE an already deleted object")
    expect_error(ctx.request("usa", "DELETE", ctx.obj_path(stix_id("indicator"))), 404, "DELETE an unknown object")
    return "first, <timestamp>, last, then the whole object"


def s_releasability(ctx):
    usa, gbr, deu = (ctx.cols[u] for u in USERS)
    rid = stix_id("indicator")
    to_gbr_fra = rel_to_marking(["GBR", "FRA"])
    v1 = indicator(rid, "2024-03-01T10:00:00.000Z", "2024-03-01T10:00:00.000Z", "REL TO GBR, FRA",
                   "[ipv4-addr:value = '203.0.113.9']", [TLP["AMBER"], to_gbr_fra["id"]],
                   types=("malicious-activity",))
    check_status(usa.add_objects(envelope([to_gbr_fra, v1])), "usa POST AMBER REL TO GBR, FRA",
                 ok=[to_gbr_fra, v1])
    only_v1 = [key(v1)[1]]

    # gbr is in the audience
    check_eq([key(o) for o in objects_of(gbr.get_objects(id=rid))], [key(v1)], "gbr: objects match[id]")
    check_eq([key(o) for o in objects_of(gbr.get_object(rid))], [key(v1)], "gbr: get object")
    check_eq([(r["id"], ts(r["version"])) for r in objects_of(gbr.get_manifest(id=rid))], [key(v1)],
             "gbr: manifest match[id]")
    check_eq(versions_of(ctx, "gbr", rid, "gbr versions"), only_v1, "gbr: versions")
    # ... but not of usa's objects that carry no REL TO
    if ctx.data:
        check_no_objects(objects_of(gbr.get_objects(id=ctx.data.ids)), "gbr: usa's objects without REL TO")
        expect_error(ctx.request("gbr", "GET", ctx.obj_path(ctx.data.hash_ind)), 404,
                     "gbr: get usa's object without REL TO")

    # deu is not, and sees it nowhere
    def deu_sees_nothing(when):
        check_no_objects(objects_of(deu.get_objects(id=rid, version="all")), f"deu ({when}): objects match[id]")
        check_no_objects(objects_of(deu.get_manifest(id=rid, version="all")), f"deu ({when}): manifest match[id]")
        expect_error(ctx.request("deu", "GET", ctx.obj_path(rid)), 404, f"deu ({when}): get object")
        expect_error(ctx.request("deu", "GET", ctx.obj_path(rid, "versions/")), 404, f"deu ({when}): versions")
        pages = pages_of(deu.get_objects, 1000, f"deu ({when}): match[type]=indicator", type="indicator")
        seen = [o["id"] for p in pages for o in objects_of(p)]
        check(rid not in seen, f"deu ({when}): listed by match[type]=indicator")

    deu_sees_nothing("first version")

    # a later version may not widen the audience: failure, the old version stays
    wide = rel_to_marking(["GBR", "FRA", "COALITION"])
    v2 = dict(v1, modified="2024-03-02T10:00:00.000Z", object_marking_refs=[TLP["AMBER"], wide["id"]])
    status = usa.add_objects(envelope([wide, v2]))
    check_status(status, "usa POST a version widened to COALITION", failed=[v2], exact=False)
    for user in ("usa", "gbr"):
        check_eq(versions_of(ctx, user, rid, f"{user} versions"), only_v1, f"{user}: versions after the widening")
        check_eq([key(o) for o in objects_of(ctx.cols[user].get_object(rid))], [key(v1)],
                 f"{user}: get object after the widening")
    deu_sees_nothing("after the widening")

    # only the origin member versions its objects: gbr, who reads usa's, is refused
    own = rel_to_marking(["USA", "FRA"])
    other = dict(v1, modified="2024-03-03T10:00:00.000Z", object_marking_refs=[TLP["AMBER"], own["id"]])
    status = ctx.cols["gbr"].add_objects(envelope([own, other]))
    check_status(status, "gbr POST a new version of usa's object", failed=[other], exact=False)
    check_eq(versions_of(ctx, "usa", rid, "usa versions"), only_v1, "usa: versions after gbr's attempt")
    # deu may not read usa's object: the id is as free for it as any other
    # (no answer tells it that something it cannot see exists); it gets its
    # own object, and usa and gbr are still served usa's alone
    own = rel_to_marking(["USA"])
    other = dict(v1, modified="2024-03-04T10:00:00.000Z", object_marking_refs=[TLP["AMBER"], own["id"]])
    status = ctx.cols["deu"].add_objects(envelope([own, other]))
    check_status(status, "deu POST under the id of usa's object", ok=[other], exact=False)
    for user in ("usa", "gbr"):
        check_eq(versions_of(ctx, user, rid, f"{user} versions"), only_v1, f"{user}: versions after deu's object")
    check_eq([key(o) for o in objects_of(ctx.cols["deu"].get_object(rid))], [key(other)],
             "deu: get object serves its own")
    expect(ctx.request("deu", "DELETE", ctx.obj_path(rid)), 200, "deu DELETE its own object")
    deu_sees_nothing("after deu deleted its own")

    # delete: invisible to deu (404), usa's own (200, then gone for everyone)
    expect_error(ctx.request("deu", "DELETE", ctx.obj_path(rid)), 404, "deu DELETE usa's object")
    check_eq(versions_of(ctx, "usa", rid, "usa versions"), only_v1, "usa: versions after deu's DELETE")
    expect(ctx.request("usa", "DELETE", ctx.obj_path(rid)), 200, "usa DELETE its object")
    for user in ("usa", "gbr"):
        expect_error(ctx.request(user, "GET", ctx.obj_path(rid)), 404, f"{user}: get object after DELETE")
        expect_error(ctx.request(user, "GET", ctx.obj_path(rid, "versions/")), 404, f"{user}: versions after DELETE")
        check_no_objects(objects_of(ctx.cols[user].get_objects(id=rid, version="all")), f"{user}: objects after DELETE")
        check_no_objects(objects_of(ctx.cols[user].get_manifest(id=rid, version="all")),
                         f"{user}: manifest after DELETE")
    return "gbr reads, deu 404s, no widening, gbr may not version it, deu's own object apart, delete"


def s_demo_not_deletable(ctx):
    ours = set(ctx.data.ids) if ctx.data else set()
    for kind in ("report", "identity", "location", "infrastructure"):
        objs = [o for o in objects_of(ctx.cols["usa"].get_objects(type=kind, limit=5)) if o["id"] not in ours]
        if objs:
            break
    else:
        raise Skip("usa reads no report/identity/location/infrastructure object")
    target = objs[0]["id"]
    expect_error(ctx.request("usa", "DELETE", ctx.obj_path(target)), 403, f"usa DELETE demo object {target}")
    expect_json(ctx.request("usa", "GET", ctx.obj_path(target)), 200, f"GET demo object {target} after the 403")
    return f"{target}: 403, still there"


def s_errors(ctx):
    bogus = str(uuid.uuid4())
    some = stix_id("indicator")
    for path in (f"collections/{bogus}/", f"collections/{bogus}/objects/", f"collections/{bogus}/manifest/",
                 f"collections/{bogus}/objects/{some}/", f"collections/{bogus}/objects/{some}/versions/",
                 "collections/not-a-collection/objects/"):
        expect_error(ctx.request("usa", "GET", path), 404, f"GET {path}")
    expect_error(ctx.request("usa", "POST", f"collections/{bogus}/objects/", body=envelope([])), 404,
                 "POST objects to an unknown collection")
    expect_error(ctx.request("usa", "DELETE", f"collections/{bogus}/objects/{some}/"), 404,
                 "DELETE in an unknown collection")
    expect_error(ctx.request("usa", "GET", urljoin(ctx.base, "taxii2/nosuchroot/")), 404, "GET unknown API root")

    objects = ctx.col_path("objects/")
    for path in ("collections/", objects, ctx.col_path("manifest/")):
        expect_error(ctx.request("usa", "GET", path, headers={"Accept": "application/xml"}), 406,
                     f"GET {path} Accept: application/xml")
    probe = indicator(stix_id("indicator"), "2023-06-01T00:00:00.000Z", "2023-06-01T00:00:00.000Z", "never stored",
                      "[domain-name:value = 'never.example']", [TLP["GREEN"]])
    expect_error(ctx.request("usa", "POST", objects, body=envelope([probe]), headers={"Accept": "application/xml"}),
                 406, "POST objects Accept: application/xml")
    for ctype in ("application/xml", "text/plain"):
        expect_error(ctx.request("usa", "POST", objects, body=json.dumps(envelope([probe])),
                                 headers={"Content-Type": ctype}), 415, f"POST objects Content-Type: {ctype}")
    expect_error(ctx.request("usa", "POST", objects, body="{not json"), (400, 422), "POST a body that is not JSON")
    expect_error(ctx.request("usa", "GET", ctx.obj_path(probe["id"])), 404, "the refused POSTs stored nothing")

    bad = [("added_after", "notadate"), ("added_after", "2024-13-45T99:00:00Z"), ("limit", "-1"), ("limit", "abc"),
           ("match[version]", "garbage")]
    target = ctx.data.hash_ind if ctx.data else some
    endpoints = [objects, ctx.col_path("manifest/"), ctx.obj_path(target)]
    n = 0
    for path in endpoints:
        for name, value in bad:
            expect_error(ctx.request("usa", "GET", path, params={name: value}), 400, f"GET {path}?{name}={value}")
            n += 1
    for name, value in bad[:4]:  # versions takes added_after and limit, not match[version]
        path = ctx.obj_path(target, "versions/")
        expect_error(ctx.request("usa", "GET", path, params={name: value}), 400, f"GET {path}?{name}={value}")
        n += 1
    return f"404 x9, 406 x4, 415 x2, 400/422 x1, malformed filters 400 x{n}"


RECORDS_COLLECTION = "8d0a3a4e-5c1f-4e51-9b7c-2f4f3c6c0a11"
RECORD_EXTENSION_PREFIX = "extension-definition--"


def s_records_collection(ctx):
    """The collection peer nodes pull (issue 15), read with taxii2-client
    as a peer would: the node's own records released to the peer's member
    (FRA), each with its coalesce record extension signed by the node, in
    the node's sequence; served to peer users only."""
    if not ctx.peer:
        raise Skip("needs --bin (a peer is added to the demo's database with the CLI)")
    user, credential = ctx.peer
    root = ApiRoot(ctx.api_root_url, user=user, password=credential)
    ctx.instrument(root._conn.session)
    found = [c for c in root.collections if c.id == RECORDS_COLLECTION]
    check_eq(len(found), 1, "the records collection among the peer's collections")
    col = found[0]
    check(col.can_read and not col.can_write, f"records: can_read {col.can_read}, can_write {col.can_write}")
    objects, pages = [], 0
    for env in as_pages(col.get_objects, per_request=25):
        objects.extend(objects_of(env))
        pages += 1
    records = []
    for o in objects:
        ext = next((v for k, v in (o.get("extensions") or {}).items()
                    if isinstance(v, dict) and "record_id" in v), None)
        if ext is not None:
            records.append((o, ext))
    check(len(records) >= 20 and pages >= 2, f"records: {len(records)} records over {pages} pages")
    seqs = [ext["seq"] for _, ext in records]
    check(seqs == sorted(seqs) and len(set(seqs)) == len(seqs), "records come once each, in the node's sequence")
    for o, ext in records:
        check(str(ext.get("signature", "")).startswith("ed25519:"), f"{o['id']} is signed")
        check(str(ext.get("signed_by", "")).startswith("ed25519:"), f"{o['id']} names its key")
        check(isinstance(ext.get("body"), dict), f"{o['id']} carries the signed body")
        if ext.get("tlp") == "RED":
            check("FRA" in ext.get("rel_to", []) or ext.get("origin") == "FRA",
                  f"{o['id']}: TLP:RED served to a peer of FRA without FRA named")
    kinds = sorted({ext["kind"] for _, ext in records})
    # People read the coalition collection; the records collection is the peers'.
    r = ctx.request("usa", "GET", f"collections/{RECORDS_COLLECTION}/objects/")
    expect_error(r, (403,), "usa reading the records collection")
    if ctx.records_dump:
        # Each page repeats the identities and definitions its records refer to.
        unique = list({(o["id"], o.get("modified")): o for o in objects}.values())
        with open(ctx.records_dump, "w", encoding="utf-8") as f:
            json.dump({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": unique}, f, indent=1)
    return f"{len(records)} signed records of {len(kinds)} kinds over {pages} pages"


SCENARIOS = [
    ("discovery", s_discovery),
    ("collections", s_collections),
    ("auth", s_auth),
    ("post dataset", s_post_dataset),
    ("status resource", s_status),
    ("post with a failure", s_post_mixed),
    ("get objects: match[id], match[type]", s_get_objects_filters),
    ("paging: limit/next/more", s_paging),
    ("added_after", s_added_after),
    ("match[version], match[spec_version]", s_version_match),
    ("manifest", s_manifest),
    ("versions", s_versions),
    ("get object", s_get_object),
    ("delete object", s_delete),
    ("releasability", s_releasability),
    ("demo objects not deletable", s_demo_not_deletable),
    ("errors", s_errors),
    ("records collection (peers)", s_records_collection),
]
# collections finds the collection every later scenario needs
PREREQUISITES = {"discovery", "collections"}


def run(ctx, only=None):
    passed = skipped = 0
    for name, func in SCENARIOS:
        if only and name not in PREREQUISITES and name != "post dataset" and not any(o in name for o in only):
            continue
        try:
            note = func(ctx)
        except Skip as why:
            print(f"skip  {name}: {why}")
            skipped += 1
            continue
        except Failure as why:
            text = str(why)
            print(f"FAIL  {name}: {text[:2000]}" + (" …" if len(text) > 2000 else ""))
            return 1
        except requests.HTTPError as err:
            r = err.response
            print(f"FAIL  {name}: unexpected HTTP {r.status_code} ({describe(r)})")
            return 1
        except TAXIIServiceException as err:
            print(f"FAIL  {name}: taxii2client: {err}")
            return 1
        except requests.RequestException as err:
            print(f"FAIL  {name}: {type(err).__name__}: {err}")
            return 1
        except Exception:  # a bug in the server's answer shape, or in this script
            print(f"FAIL  {name}: unexpected exception")
            traceback.print_exc(file=sys.stdout)
            return 1
        print(f"ok    {name}" + (f": {note}" if note else ""))
        passed += 1
    print(f"{passed} scenarios passed" + (f", {skipped} skipped" if skipped else ""))
    return 0


# ---------------------------------------------------------------- --bin


class DemoServer:
    """`BIN demo --listen 127.0.0.1:0 --database sqlite://<tmp>`: waits for
    `open http://…/` and `demo password: …` on its output."""

    def __init__(self, binary, start_timeout):
        self.tmpdir = tempfile.mkdtemp(prefix="coalesce-taxii-")
        db = os.path.join(self.tmpdir, "taxii.db")
        self.db = db
        cmd = [binary, "demo", "--listen", "127.0.0.1:0", "--database", f"sqlite://{db}"]
        self.lines = queue.Queue()
        self.tail = []
        try:
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, text=True, bufsize=1)
        except OSError as exc:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            raise SystemExit(f"cannot start {binary}: {exc}")
        threading.Thread(target=self._drain, daemon=True).start()
        self.url = self.password = None
        deadline = time.monotonic() + start_timeout
        while not (self.url and self.password):
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                if self.proc.poll() is not None or time.monotonic() >= deadline:
                    self.stop()
                    raise SystemExit(f"{' '.join(cmd)}: no URL and password "
                                     f"(exit {self.proc.returncode}); output:\n" + "".join(self.tail[-40:]))
                continue
            m = re.search(r"open\s+(https?://\S+)", line)
            if m:
                self.url = m.group(1)
            m = re.search(r"demo password:\s*(\S+)", line)
            if m:
                self.password = m.group(1)
        self._wait_listening(deadline)

    def _drain(self):
        for line in self.proc.stdout:
            self.tail = (self.tail + [line])[-200:]
            self.lines.put(line)
        self.lines.put(None)

    def _wait_listening(self, deadline):
        while True:
            try:
                requests.get(urljoin(self.url, "taxii2/"), timeout=2)
                return
            except requests.RequestException:
                if time.monotonic() >= deadline or self.proc.poll() is not None:
                    self.stop()
                    raise SystemExit(f"the demo server at {self.url} does not answer")
                time.sleep(0.2)

    def add_peer(self, binary):
        """A peer node hosting FRA, added to the demo's database with the CLI
        (a key made by another database's `node show`): its user and the
        credential it pulls with."""
        other = os.path.join(self.tmpdir, "other.db")
        key = os.path.join(self.tmpdir, "other.node-key")
        shown = subprocess.run([binary, "node", "show", "--database", f"sqlite://{other}", "--node-key", key],
                               capture_output=True, text=True, check=True).stdout
        public = next(l.split()[1] for l in shown.splitlines() if l.startswith("key"))
        added = subprocess.run([binary, "peer", "add", "--database", f"sqlite://{self.db}", "fra-node",
                                "http://127.0.0.1:9", "--member", "FRA", "--key", public],
                               capture_output=True, text=True, check=True).stdout
        credential = next(l.split()[-1] for l in added.splitlines() if l.startswith("credential"))
        return ("peer.fra-node", credential)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def login_token(url, password):
    """A token of usa from the JSON API's login, for the Bearer and
    token-as-password scenarios (None if the login is refused)."""
    r = requests.post(urljoin(url, "api/v1/auth/login"), json={"username": "usa", "password": password}, timeout=30)
    return r.json().get("token") if r.status_code == 200 else None


def dump_bundle(url, password, path):
    """Every object usa may read, latest versions, paged 1,000 at a time."""
    objects, nxt = [], None
    coll = urljoin(url, "taxii2/coalesce/collections/")
    auth = requests.auth.HTTPBasicAuth("usa", password)
    headers = {"Accept": "application/taxii+json;version=2.1"}
    cid = next(c["id"] for c in requests.get(coll, auth=auth, headers=headers, timeout=30).json()["collections"]
               if c["title"] == "Coalition")
    while True:
        params = {"limit": 1000, **({"next": nxt} if nxt else {})}
        page = requests.get(f"{coll}{cid}/objects/", params=params, auth=auth, headers=headers, timeout=60).json()
        objects.extend(page.get("objects", []))
        if not page.get("more"):
            break
        nxt = page["next"]
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}, f, indent=1)
    print(f"wrote {len(objects)} objects usa reads through TAXII to {path}")


def main():
    parser = argparse.ArgumentParser(
        description="TAXII 2.1 scenarios (after medallion's test suite) against a coalesce server.")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="base URL of a running server, e.g. http://127.0.0.1:8080/")
    where.add_argument("--bin", help="coalesce binary: start `BIN demo` on a temporary SQLite database")
    parser.add_argument("--password", help="the demo password (users usa, gbr, deu); with --url")
    parser.add_argument("--token", help="an API token of user usa, for the Bearer / token-as-password checks")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="run only scenarios whose name contains TEXT (repeatable; the set-up ones always run)")
    parser.add_argument("--start-timeout", type=float, default=180, help="seconds to wait for --bin to start")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every HTTP request to stderr")
    parser.add_argument("--dump-records", metavar="PATH",
                        help="write the objects a peer of FRA pulls from the records collection as a STIX bundle")
    parser.add_argument("--dump-bundle", metavar="PATH",
                        help="before the scenarios, write every object usa reads (the demo's projected reports, "
                             "entities and relationships) as a STIX bundle to PATH, for stix2-validator")
    args = parser.parse_args()

    server = None
    if args.bin:
        server = DemoServer(args.bin, args.start_timeout)
        url, password = server.url, server.password
        print(f"started {args.bin} demo at {url}")
    else:
        if not args.password:
            parser.error("--url needs --password")
        url, password = args.url, args.password
    try:
        if args.dump_bundle:
            dump_bundle(url, password, args.dump_bundle)
        token = args.token or login_token(url, password)
        ctx = Ctx(url, password, token, args.verbose)
        ctx.records_dump = args.dump_records
        if server:
            ctx.peer = server.add_peer(args.bin)
        return run(ctx, args.only)
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
