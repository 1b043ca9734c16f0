"""The competitor of bench/fund/run.sh: the same number of ledger transfers
written straight into SQLite by Python's sqlite3 executemany, into the very
tables and balance trigger of migration 0029 (read from the repository), in
transactions of the same size, with none of the ledger's checks, status
table or audit. What a hand-written insert loop gets from the same schema.

Usage: python3 bench/fund/sqlite_floor.py N [ROWS_PER_TRANSACTION]
Prints: "<N> transfers in <s> s: <rate> transfers/s".
"""

import os
import sqlite3
import sys
import tempfile
import time

n = int(sys.argv[1])
per_tx = int(sys.argv[2]) if len(sys.argv) > 2 else 1285
root = os.path.join(os.path.dirname(__file__), "..", "..")
schema = open(
    os.path.join(root, "crates/store/migrations/sqlite/0029_fund_ledger.sql")
).read()

with tempfile.TemporaryDirectory() as d:
    db = sqlite3.connect(os.path.join(d, "floor.db"), isolation_level=None)
    # The node's pragmas (crates/store/src/lib.rs).
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(schema)
    accounts = [(f"F/cash/{i}/USD", "F", "USD", "none") for i in range(64)]
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO ledger_accounts (id, fund_id, currency, lim) VALUES (?, ?, ?, ?)",
        accounts,
    )
    db.execute("COMMIT")
    start = time.perf_counter()
    written = 0
    while written < n:
        rows = []
        for k in range(written, min(n, written + per_tx)):
            rows.append(
                (
                    f"t{k}", "F", accounts[k % 64][0], accounts[(k + 1) % 64][0],
                    100_000 + k, "USD", "single", None, None, "deposit", "2015-06-15",
                    100_000 + k, "", "", "", "USA", "W1", "P0001", "UNDP", "USA",
                    "GREEN", '["COALITION"]', "COALITION,USA", 1_700_000_000_000, "bench",
                )
            )
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO ledger_transfers (id, fund_id, debit, credit, amount, currency, phase, resolves, reverses, code, value_date, "
            "base_amount, rate, rate_date, rate_source, donor, window_code, project, org, origin, tlp, rel_to, audience_key, recorded_at, recorded_by) "
            "VALUES (" + ", ".join("?" * 25) + ")",
            rows,
        )
        db.execute("COMMIT")
        written += len(rows)
    secs = time.perf_counter() - start
    print(f"{written} transfers in {secs:.1f} s: {written / secs:.0f} transfers/s")
