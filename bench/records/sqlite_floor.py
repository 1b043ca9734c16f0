#!/usr/bin/env python3
"""The storage floor of a record-layer write: the same rows a batch of notes
writes (record, kept version, audience rows of both, audit entry), with the
same keys and indexes, inserted with Python's sqlite3 `executemany` in
transactions of 1,000 (only the inserts timed, not making the rows) — no checks, no JSON, no async. What the layer adds on
top of this is the price of doing it right.

Usage: sqlite_floor.py N  → prints "floor: N rows in S s: R records/s".
"""
import os, random, sqlite3, sys, tempfile, time, uuid

SCHEMA = """
CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT NOT NULL, origin TEXT NOT NULL, origin_node TEXT NOT NULL,
  version INTEGER NOT NULL, status TEXT NOT NULL, tlp TEXT NOT NULL, rel_to TEXT NOT NULL, audience_key TEXT NOT NULL,
  body TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL, updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX records_by_kind ON records (kind, status, id);
CREATE TABLE record_versions (id TEXT PRIMARY KEY, record_id TEXT NOT NULL REFERENCES records (id), version INTEGER NOT NULL,
  status TEXT NOT NULL, tlp TEXT NOT NULL, rel_to TEXT NOT NULL, body TEXT NOT NULL, author TEXT NOT NULL, at INTEGER NOT NULL,
  provenance TEXT NOT NULL, origin_node TEXT NOT NULL, seq INTEGER NOT NULL UNIQUE, UNIQUE (record_id, version));
CREATE TABLE audience (subject_id TEXT NOT NULL, token TEXT NOT NULL, PRIMARY KEY (subject_id, token));
CREATE INDEX audience_by_token ON audience (token, subject_id);
CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, actor TEXT NOT NULL, member TEXT NOT NULL,
  action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
"""

def main():
    n = int(sys.argv[1])
    rng = random.Random(7)
    codes = ["USA", "GBR", "FRA", "DEU", "ITA", "CAN", "AUS", "IRQ", "JOR", "TUR"]
    with tempfile.TemporaryDirectory() as tmp:
        run(n, rng, codes, os.path.join(tmp, "floor.db"))


def run(n, rng, codes, path):
    """Writes the rows into a database at `path` (removed with its directory afterwards: it holds ~1.6 GB at a million)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;" + SCHEMA)
    spent = 0.0
    seq = 0
    for batch in range(0, n, 1000):
        recs, vers, aud, audit = [], [], [], []
        for i in range(batch, min(n, batch + 1000)):
            seq += 1
            rid, vid = str(uuid.uuid4()), str(uuid.uuid4())
            tokens = sorted({rng.choice(codes) for _ in range(rng.randrange(1, 4))} | {"GBR"})
            key = ",".join(tokens)
            body = '{"body":"Synthetic note for the load test.","title":"Load note %d"}' % i
            recs.append((rid, "note", "GBR", "node", 1, "live", "AMBER", "[]", key, body, i, "gbr", i, "gbr", seq))
            vers.append((vid, rid, 1, "live", "AMBER", "[]", body, "gbr", i, "local", "node", seq))
            for t in tokens:
                aud.append((rid, t))
                aud.append((vid, t))
            audit.append((seq, i, "gbr", "GBR", "note.create", rid, '{"version":1}', "0" * 64, "1" * 64))
        t0 = time.perf_counter()
        db.execute("BEGIN")
        db.executemany("INSERT INTO records VALUES (" + ",".join("?" * 15) + ")", recs)
        db.executemany("INSERT INTO record_versions VALUES (" + ",".join("?" * 12) + ")", vers)
        db.executemany("INSERT INTO audience VALUES (?, ?)", aud)
        db.executemany("INSERT INTO audit_log VALUES (" + ",".join("?" * 9) + ")", audit)
        db.execute("COMMIT")
        spent += time.perf_counter() - t0
    db.close()
    secs = spent
    print(f"floor: {n} records in {secs:.1f}s: {n / secs:.0f} records/s (Python sqlite3 executemany, same rows and indexes)")

if __name__ == "__main__":
    main()
