-- Meetings, statements and commitments (issue 17) are records of the
-- layer. Kept here: the notices sent about commitments, and the secret
-- tokens of users' calendar feeds.
--
-- One notice per user, commitment, kind and due date: sending is
-- idempotent (a second run at the same time sends nothing), and a changed
-- due date gets its reminders again. A notice names only the commitment;
-- the digest shows it only while the user may read that commitment.
CREATE TABLE commitment_notices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    commitment_id TEXT NOT NULL,
    notice TEXT NOT NULL CHECK (notice IN ('due_in_7_days', 'due_tomorrow', 'overdue')),
    due TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    read_at INTEGER,
    UNIQUE (user_id, commitment_id, notice, due)
);
CREATE INDEX commitment_notices_user ON commitment_notices (user_id, sent_at);

-- A calendar feed's token is a secret in a URL (calendar programs send no
-- other credential): only its SHA-256 is kept, and it reads nothing but
-- the feed. Revoked tokens stay, so a revoked one is told apart from a
-- wrong one in the audit log.
CREATE TABLE calendar_tokens (
    hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX calendar_tokens_user ON calendar_tokens (user_id);

-- What was paid in against a pledge, found without reading the fund's
-- transfers: deposits only (a partial index, kept for them alone).
CREATE INDEX ledger_transfers_deposits ON ledger_transfers (credit) WHERE code = 'deposit';
