-- Exchange differences of settled commitments (issue 16). Each account
-- keeps its posted debits less posted credits in the fund's base currency
-- (`base_net`, by the balance trigger like the other balances), and a
-- commitment's receivable the exchange difference booked for it
-- (`fx_booked`, by the store when the receivable is settled in its own
-- currency: what converting the commitment at its date's rate and the
-- deposits at theirs leaves).
ALTER TABLE ledger_accounts ADD COLUMN base_net INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger_accounts ADD COLUMN fx_booked INTEGER NOT NULL DEFAULT 0;
UPDATE ledger_accounts SET base_net =
    COALESCE((SELECT SUM(t.base_amount) FROM ledger_transfers t
              WHERE t.debit = ledger_accounts.id AND t.phase IN ('single', 'post')), 0)
  - COALESCE((SELECT SUM(t.base_amount) FROM ledger_transfers t
              WHERE t.credit = ledger_accounts.id AND t.phase IN ('single', 'post')), 0);

DROP TRIGGER ledger_transfer_balances;
CREATE TRIGGER ledger_transfer_balances AFTER INSERT ON ledger_transfers
BEGIN
    UPDATE ledger_accounts SET
        debits_posted = debits_posted + CASE WHEN NEW.phase IN ('single', 'post') THEN NEW.amount ELSE 0 END,
        debits_pending = debits_pending + CASE WHEN NEW.phase = 'pending' THEN NEW.amount ELSE 0 END
            - COALESCE((SELECT p.amount FROM ledger_transfers p WHERE p.id = NEW.resolves), 0),
        base_net = base_net + CASE WHEN NEW.phase IN ('single', 'post') THEN NEW.base_amount ELSE 0 END
    WHERE id = NEW.debit;
    UPDATE ledger_accounts SET
        credits_posted = credits_posted + CASE WHEN NEW.phase IN ('single', 'post') THEN NEW.amount ELSE 0 END,
        credits_pending = credits_pending + CASE WHEN NEW.phase = 'pending' THEN NEW.amount ELSE 0 END
            - COALESCE((SELECT p.amount FROM ledger_transfers p WHERE p.id = NEW.resolves), 0),
        base_net = base_net - CASE WHEN NEW.phase IN ('single', 'post') THEN NEW.base_amount ELSE 0 END
    WHERE id = NEW.credit;
END;
