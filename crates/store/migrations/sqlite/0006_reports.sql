-- Information sharing (issue 6): typed reports about entities (people,
-- organisations, vessels, places) and relationships between entities, each
-- a marked record with audience rows; kept versions; a search index; and
-- the correlation keys of entity names and identifiers.

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL REFERENCES members (code),
    kind TEXT NOT NULL CHECK (kind IN ('person', 'organisation', 'vessel', 'place')),
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    birth_date TEXT,
    nationality TEXT,
    documents TEXT NOT NULL,
    imo TEXT,
    mmsi TEXT,
    flag TEXT,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    version INTEGER NOT NULL,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX entities_by_kind ON entities (kind, id);

CREATE TABLE entity_versions (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (entity_id, version)
);

-- Correlation keys: the consonant skeleton of each name part (the sanctions
-- matcher's retrieval keys) and exact identifiers (doc:, imo:, mmsi:).
-- Entities sharing a key are candidates; the matcher scores them.
CREATE TABLE entity_keys (
    key TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    PRIMARY KEY (key, entity_id)
);
CREATE INDEX entity_keys_by_entity ON entity_keys (entity_id);

CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL REFERENCES members (code),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    line_of_effort TEXT REFERENCES lines_of_effort (slug),
    occurred_on TEXT,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    version INTEGER NOT NULL,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX reports_by_kind ON reports (kind, id);

CREATE TABLE report_versions (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports (id),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (report_id, version)
);

CREATE TABLE report_entities (
    report_id TEXT NOT NULL REFERENCES reports (id),
    entity_id TEXT NOT NULL REFERENCES entities (id),
    role TEXT NOT NULL,
    PRIMARY KEY (report_id, entity_id, role)
);
CREATE INDEX report_entities_by_entity ON report_entities (entity_id);

CREATE TABLE relationships (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL REFERENCES members (code),
    from_entity TEXT NOT NULL REFERENCES entities (id),
    to_entity TEXT NOT NULL REFERENCES entities (id),
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX relationships_by_from ON relationships (from_entity);
CREATE INDEX relationships_by_to ON relationships (to_entity);

-- Full-text search: one document per report or entity (its current version);
-- filters live in search_docs, the text in the FTS5 table (same rowid).
CREATE TABLE search_docs (
    rowid INTEGER PRIMARY KEY,
    subject_id TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL,
    kind TEXT NOT NULL,
    origin TEXT NOT NULL,
    line_of_effort TEXT,
    tlp TEXT NOT NULL,
    occurred_on TEXT,
    created_at INTEGER NOT NULL
);
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
