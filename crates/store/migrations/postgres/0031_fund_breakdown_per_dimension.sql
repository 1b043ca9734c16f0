-- The fund's breakdowns kept per dimension (issue 16): one row per year,
-- donor, window, project or organisation, instead of one per combination
-- of them all, so that a breakdown reads its own rows only (at a million
-- transfers over 3,000 projects the combined table held a quarter of a
-- million rows per fund, and every breakdown grouped all of them).
CREATE TABLE ledger_breakdown_by (
    fund_id TEXT NOT NULL,
    dimension TEXT NOT NULL CHECK (dimension IN ('year', 'donor', 'window', 'project', 'organisation')),
    audience_key TEXT NOT NULL,
    item TEXT NOT NULL,
    currency TEXT NOT NULL,
    line TEXT NOT NULL,
    amount BIGINT NOT NULL,
    base_amount BIGINT NOT NULL,
    PRIMARY KEY (fund_id, dimension, audience_key, item, currency, line)
);
INSERT INTO ledger_breakdown_by (fund_id, dimension, audience_key, item, currency, line, amount, base_amount)
    SELECT fund_id, 'year', audience_key, CAST(year AS TEXT), currency, line, SUM(amount), SUM(base_amount)
    FROM ledger_breakdown GROUP BY fund_id, audience_key, year, currency, line;
INSERT INTO ledger_breakdown_by (fund_id, dimension, audience_key, item, currency, line, amount, base_amount)
    SELECT fund_id, 'donor', audience_key, donor, currency, line, SUM(amount), SUM(base_amount)
    FROM ledger_breakdown WHERE donor <> '' GROUP BY fund_id, audience_key, donor, currency, line;
INSERT INTO ledger_breakdown_by (fund_id, dimension, audience_key, item, currency, line, amount, base_amount)
    SELECT fund_id, 'window', audience_key, window_code, currency, line, SUM(amount), SUM(base_amount)
    FROM ledger_breakdown WHERE window_code <> '' GROUP BY fund_id, audience_key, window_code, currency, line;
INSERT INTO ledger_breakdown_by (fund_id, dimension, audience_key, item, currency, line, amount, base_amount)
    SELECT fund_id, 'project', audience_key, project, currency, line, SUM(amount), SUM(base_amount)
    FROM ledger_breakdown WHERE project <> '' GROUP BY fund_id, audience_key, project, currency, line;
INSERT INTO ledger_breakdown_by (fund_id, dimension, audience_key, item, currency, line, amount, base_amount)
    SELECT fund_id, 'organisation', audience_key, org, currency, line, SUM(amount), SUM(base_amount)
    FROM ledger_breakdown WHERE org <> '' GROUP BY fund_id, audience_key, org, currency, line;
DROP TABLE ledger_breakdown;
