-- The coordination picture (issue 3): contributions keep where and when they
-- are given (duplicates are found by category, place and window), and
-- campaign indicators with their marked values.

ALTER TABLE contributions ADD COLUMN country TEXT;
ALTER TABLE contributions ADD COLUMN admin1_name TEXT;
ALTER TABLE contributions ADD COLUMN admin1_pcode TEXT;
ALTER TABLE contributions ADD COLUMN town TEXT;
ALTER TABLE contributions ADD COLUMN lat_micro INTEGER;
ALTER TABLE contributions ADD COLUMN lon_micro INTEGER;
ALTER TABLE contributions ADD COLUMN window_start TEXT;
ALTER TABLE contributions ADD COLUMN window_end TEXT;
-- Contributions recorded before this migration take their requirement's.
UPDATE contributions SET
    country = (SELECT r.country FROM requirements r WHERE r.id = contributions.requirement_id),
    admin1_name = (SELECT r.admin1_name FROM requirements r WHERE r.id = contributions.requirement_id),
    admin1_pcode = (SELECT r.admin1_pcode FROM requirements r WHERE r.id = contributions.requirement_id),
    town = (SELECT r.town FROM requirements r WHERE r.id = contributions.requirement_id),
    lat_micro = (SELECT r.lat_micro FROM requirements r WHERE r.id = contributions.requirement_id),
    lon_micro = (SELECT r.lon_micro FROM requirements r WHERE r.id = contributions.requirement_id),
    window_start = (SELECT r.window_start FROM requirements r WHERE r.id = contributions.requirement_id),
    window_end = (SELECT r.window_end FROM requirements r WHERE r.id = contributions.requirement_id)
WHERE requirement_id IS NOT NULL;

-- The who-does-what-where filters and the dashboard read by these.
CREATE INDEX contributions_by_line ON contributions (line_of_effort, id);
CREATE INDEX contributions_by_place ON contributions (country, category);
CREATE INDEX contribution_members_by_member ON contribution_members (member_code, contribution_id);
CREATE INDEX requirements_by_line ON requirements (line_of_effort, priority, id);
CREATE INDEX deliveries_by_date ON contribution_deliveries (delivered_on);

-- Indicator definitions: the coalition's shared catalogue (like lines of
-- effort), kept by coordinators. Targets are a JSON array of {date, value}.
CREATE TABLE indicators (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    unit TEXT NOT NULL,
    line_of_effort TEXT REFERENCES lines_of_effort (slug),
    direction TEXT NOT NULL CHECK (direction IN ('increase', 'decrease')),
    aggregation TEXT NOT NULL CHECK (aggregation IN ('sum', 'last', 'max')),
    baseline REAL NOT NULL,
    baseline_date TEXT,
    targets TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);

-- Reported values: each with its source member and its own marking (and
-- audience rows); withdrawn values are kept but no longer counted.
CREATE TABLE indicator_values (
    id TEXT PRIMARY KEY,
    indicator TEXT NOT NULL REFERENCES indicators (slug),
    origin TEXT NOT NULL REFERENCES members (code),
    observed_on TEXT NOT NULL,
    value REAL NOT NULL,
    note TEXT NOT NULL,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX indicator_values_by_indicator ON indicator_values (indicator, observed_on);
