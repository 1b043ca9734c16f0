-- The stabilisation fund's ledger (issue 16). Funds and their projects are
-- records of the layer; what moves through a fund is kept here: accounts,
-- immutable transfers, and the status table per audience set.
--
-- Grants: what a user may do beside its role's ladder. `fund_manager`
-- records a fund's operations (for funds of the user's member).
CREATE TABLE user_grants (
    user_id TEXT NOT NULL REFERENCES users (id),
    grant_name TEXT NOT NULL CHECK (grant_name IN ('fund_manager')),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, grant_name)
);

-- Balances are kept by the trigger below and by nothing else: each equals
-- the sum of the account's transfers by construction (`coalesce fund
-- verify` recomputes them all the same). WITHOUT ROWID: the trigger finds
-- an account by its id in one b-tree instead of two.
CREATE TABLE ledger_accounts (
    id TEXT PRIMARY KEY,
    fund_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    lim TEXT NOT NULL CHECK (lim IN ('none', 'debits_within_credits', 'credits_within_debits')),
    debits_posted INTEGER NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_posted INTEGER NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    debits_pending INTEGER NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    credits_pending INTEGER NOT NULL DEFAULT 0 CHECK (credits_pending >= 0)
) WITHOUT ROWID;
CREATE INDEX ledger_accounts_fund ON ledger_accounts (fund_id);

-- One row per transfer, never changed or deleted (triggers). A pending
-- transfer is resolved (posted or voided) once, a transfer reversed once:
-- unique indexes. `donor`, `window_code`, `project`, `org` say whom a
-- transfer is about, for the breakdowns ('' when none).
CREATE TABLE ledger_transfers (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    fund_id TEXT NOT NULL,
    debit TEXT NOT NULL REFERENCES ledger_accounts (id),
    credit TEXT NOT NULL REFERENCES ledger_accounts (id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    phase TEXT NOT NULL CHECK (phase IN ('single', 'pending', 'post', 'void')),
    resolves TEXT REFERENCES ledger_transfers (id),
    reverses TEXT REFERENCES ledger_transfers (id),
    code TEXT NOT NULL,
    value_date TEXT NOT NULL,
    -- In the fund's base currency at the rate in force on the value date
    -- ('' rate: the base currency itself); the parts of one operation are
    -- converted by largest remainder, so they add up to its converted amount.
    base_amount INTEGER NOT NULL,
    rate TEXT NOT NULL,
    rate_date TEXT NOT NULL,
    rate_source TEXT NOT NULL,
    donor TEXT NOT NULL,
    window_code TEXT NOT NULL,
    project TEXT NOT NULL,
    org TEXT NOT NULL,
    origin TEXT NOT NULL REFERENCES members (code),
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    audience_key TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK (debit <> credit),
    CHECK ((phase IN ('post', 'void')) = (resolves IS NOT NULL))
);
CREATE INDEX ledger_transfers_fund ON ledger_transfers (fund_id, seq);
CREATE UNIQUE INDEX ledger_transfers_resolved_once ON ledger_transfers (resolves) WHERE resolves IS NOT NULL;
CREATE UNIQUE INDEX ledger_transfers_reversed_once ON ledger_transfers (reverses) WHERE reverses IS NOT NULL;

CREATE TRIGGER ledger_transfers_never_changed BEFORE UPDATE ON ledger_transfers
BEGIN
    SELECT RAISE(ABORT, 'ledger transfers are never changed: reverse one instead');
END;
CREATE TRIGGER ledger_transfers_never_deleted BEFORE DELETE ON ledger_transfers
BEGIN
    SELECT RAISE(ABORT, 'ledger transfers are never deleted: reverse one instead');
END;

-- A transfer moves its amount on both accounts: posted at once (single,
-- post) or reserved (pending); a post or void releases what its pending
-- transfer reserved.
CREATE TRIGGER ledger_transfer_balances AFTER INSERT ON ledger_transfers
BEGIN
    UPDATE ledger_accounts SET
        debits_posted = debits_posted + CASE WHEN NEW.phase IN ('single', 'post') THEN NEW.amount ELSE 0 END,
        debits_pending = debits_pending + CASE WHEN NEW.phase = 'pending' THEN NEW.amount ELSE 0 END
            - COALESCE((SELECT p.amount FROM ledger_transfers p WHERE p.id = NEW.resolves), 0)
    WHERE id = NEW.debit;
    UPDATE ledger_accounts SET
        credits_posted = credits_posted + CASE WHEN NEW.phase IN ('single', 'post') THEN NEW.amount ELSE 0 END,
        credits_pending = credits_pending + CASE WHEN NEW.phase = 'pending' THEN NEW.amount ELSE 0 END
            - COALESCE((SELECT p.amount FROM ledger_transfers p WHERE p.id = NEW.resolves), 0)
    WHERE id = NEW.credit;
END;

-- The status table kept per audience set: what the transfers of each
-- audience add to each line (`coalesce_ledger::fund::contributions`), in
-- total (`ledger_totals`, what the status table reads) and by year,
-- donor, window, project and organisation (`ledger_breakdown`).
CREATE TABLE ledger_totals (
    fund_id TEXT NOT NULL,
    audience_key TEXT NOT NULL,
    currency TEXT NOT NULL,
    line TEXT NOT NULL,
    amount INTEGER NOT NULL,
    base_amount INTEGER NOT NULL,
    transfers INTEGER NOT NULL,
    PRIMARY KEY (fund_id, audience_key, currency, line)
);
CREATE TABLE ledger_breakdown (
    fund_id TEXT NOT NULL,
    audience_key TEXT NOT NULL,
    currency TEXT NOT NULL,
    line TEXT NOT NULL,
    year INTEGER NOT NULL,
    donor TEXT NOT NULL,
    window_code TEXT NOT NULL,
    project TEXT NOT NULL,
    org TEXT NOT NULL,
    amount INTEGER NOT NULL,
    base_amount INTEGER NOT NULL,
    PRIMARY KEY (fund_id, audience_key, currency, line, year, donor, window_code, project, org)
);

-- Dated exchange rates with their source (node-wide).
CREATE TABLE ledger_rates (
    from_currency TEXT NOT NULL,
    to_currency TEXT NOT NULL,
    effective TEXT NOT NULL,
    rate TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (from_currency, to_currency, effective)
);
