-- Exchange differences of settled commitments (issue 16). Each account
-- keeps its posted debits less posted credits in the fund's base currency
-- (`base_net`, by the balance trigger like the other balances), and a
-- commitment's receivable the exchange difference booked for it
-- (`fx_booked`, by the store when the receivable is settled in its own
-- currency: what converting the commitment at its date's rate and the
-- deposits at theirs leaves).
ALTER TABLE ledger_accounts ADD COLUMN base_net BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_accounts ADD COLUMN fx_booked BIGINT NOT NULL DEFAULT 0;
UPDATE ledger_accounts a SET base_net =
    COALESCE((SELECT SUM(t.base_amount) FROM ledger_transfers t
              WHERE t.debit = a.id AND t.phase IN ('single', 'post')), 0)
  - COALESCE((SELECT SUM(t.base_amount) FROM ledger_transfers t
              WHERE t.credit = a.id AND t.phase IN ('single', 'post')), 0);

CREATE OR REPLACE FUNCTION ledger_transfer_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    released BIGINT := 0;
    posted BIGINT := CASE WHEN NEW.phase IN ('single', 'post') THEN NEW.amount ELSE 0 END;
    reserved BIGINT := CASE WHEN NEW.phase = 'pending' THEN NEW.amount ELSE 0 END;
    posted_base BIGINT := CASE WHEN NEW.phase IN ('single', 'post') THEN NEW.base_amount ELSE 0 END;
BEGIN
    IF NEW.resolves IS NOT NULL THEN
        SELECT p.amount INTO released FROM ledger_transfers p WHERE p.id = NEW.resolves;
    END IF;
    UPDATE ledger_accounts SET debits_posted = debits_posted + posted,
        debits_pending = debits_pending + reserved - released,
        base_net = base_net + posted_base
    WHERE id = NEW.debit;
    UPDATE ledger_accounts SET credits_posted = credits_posted + posted,
        credits_pending = credits_pending + reserved - released,
        base_net = base_net - posted_base
    WHERE id = NEW.credit;
    RETURN NULL;
END $$;
