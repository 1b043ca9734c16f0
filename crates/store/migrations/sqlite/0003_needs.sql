-- Requirements and contributions (issue 3): one needs model. Amounts are
-- integers (a quantity of `unit`, or minor units of the currency in `unit`
-- when kind = 'money'); never floats. Places keep coordinates as integer
-- micro-degrees. Every requirement, contribution and kept version has its
-- audience rows; every read filters through them.

-- The item taxonomy (configurable; seeded here).
CREATE TABLE item_categories (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO item_categories (slug, name, position) VALUES
    ('protective-equipment', 'Protective equipment', 1),
    ('night-vision', 'Night vision', 2),
    ('communications', 'Communications', 3),
    ('mine-action', 'Mine action', 4),
    ('vehicles', 'Vehicles', 5),
    ('training-course', 'Training course', 6),
    ('advisers', 'Advisers', 7),
    ('humanitarian-supplies', 'Humanitarian supplies', 8),
    ('water', 'Water', 9),
    ('electricity', 'Electricity', 10),
    ('police', 'Police', 11),
    ('cash', 'Cash', 12);

CREATE TABLE requirements (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL REFERENCES members (code),
    requesting_member TEXT NOT NULL REFERENCES members (code),
    line_of_effort TEXT NOT NULL REFERENCES lines_of_effort (slug),
    category TEXT NOT NULL REFERENCES item_categories (slug),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('quantity', 'money')),
    amount INTEGER NOT NULL CHECK (amount > 0),
    unit TEXT NOT NULL,
    country TEXT NOT NULL,
    admin1_name TEXT,
    admin1_pcode TEXT,
    town TEXT,
    lat_micro INTEGER,
    lon_micro INTEGER,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    version INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK ((admin1_name IS NULL) = (admin1_pcode IS NULL)),
    CHECK ((lat_micro IS NULL) = (lon_micro IS NULL))
);

-- Kept versions: the record as it was (JSON), with its own marking and audience.
CREATE TABLE requirement_versions (
    id TEXT PRIMARY KEY,
    requirement_id TEXT NOT NULL REFERENCES requirements (id),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (requirement_id, version)
);

CREATE TABLE contributions (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL REFERENCES members (code),
    requirement_id TEXT REFERENCES requirements (id),
    line_of_effort TEXT NOT NULL REFERENCES lines_of_effort (slug),
    category TEXT NOT NULL REFERENCES item_categories (slug),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('quantity', 'money')),
    amount INTEGER NOT NULL CHECK (amount > 0),
    unit TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pledged', 'committed', 'delivered', 'cancelled')),
    delivered INTEGER NOT NULL DEFAULT 0 CHECK (delivered >= 0 AND delivered <= amount),
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX contributions_by_requirement ON contributions (requirement_id);

-- The contributing members (several for a joint contribution).
CREATE TABLE contribution_members (
    contribution_id TEXT NOT NULL REFERENCES contributions (id),
    member_code TEXT NOT NULL REFERENCES members (code),
    PRIMARY KEY (contribution_id, member_code)
);

CREATE TABLE contribution_versions (
    id TEXT PRIMARY KEY,
    contribution_id TEXT NOT NULL REFERENCES contributions (id),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (contribution_id, version)
);

-- Partial deliveries. A delivery is read under its contribution's audience.
-- Receipt is confirmed once, by a user of the requirement's requesting member.
CREATE TABLE contribution_deliveries (
    id TEXT PRIMARY KEY,
    contribution_id TEXT NOT NULL REFERENCES contributions (id),
    seq INTEGER NOT NULL,
    delivered_on TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    evidence TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    received_at INTEGER,
    received_by TEXT,
    received_member TEXT REFERENCES members (code),
    UNIQUE (contribution_id, seq)
);
