-- Sanctions screening: which list versions the node has loaded, and the
-- review decisions (confirmed / false positive) each member takes on hits.

-- One row per distinct published content of a list (source + SHA-256 of the
-- raw files); loading the same content again only moves last_loaded_at.
CREATE TABLE sanctions_list_versions (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    published TEXT,
    content_hash TEXT NOT NULL,
    entries INTEGER NOT NULL,
    first_loaded_at INTEGER NOT NULL,
    last_loaded_at INTEGER NOT NULL,
    UNIQUE (source, content_hash)
);

-- A member's decision on one hit: party (as entered, and its key: trimmed,
-- lower-cased, whitespace collapsed) against one list entry (`list:reference`)
-- as it was (entry_hash). Decisions are never changed; a newer one for the
-- same member, party key and entry takes precedence.
CREATE TABLE screening_decisions (
    id TEXT PRIMARY KEY,
    member TEXT NOT NULL REFERENCES members (code),
    party TEXT NOT NULL,
    party_key TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'false_positive')),
    reason TEXT NOT NULL,
    decided_at INTEGER NOT NULL,
    decided_by TEXT NOT NULL
);
CREATE INDEX screening_decisions_lookup ON screening_decisions (member, party_key, entity_id);
CREATE INDEX screening_decisions_by_member ON screening_decisions (member, id);

-- The entries of each list version (reference and content hash), so that a
-- new version can be compared with the previous one: added, removed, changed.
CREATE TABLE sanctions_list_entries (
    version_id TEXT NOT NULL REFERENCES sanctions_list_versions (id),
    reference TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    caption TEXT NOT NULL,
    PRIMARY KEY (version_id, reference)
);
