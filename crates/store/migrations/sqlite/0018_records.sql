-- The record layer (issue 14): one table of records of every kind, one of
-- their kept versions, the audience sets they have. See
-- store/src/records.rs. Notes move onto it here.

-- The node's own id: the origin node of what is written here.
INSERT INTO settings (key, value)
SELECT 'node_id', lower(hex(randomblob(16)))
WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = 'node_id');

-- The key of the ids of REL TO marking definitions the node derives (see
-- exchange::stix::rel_to_marking_id): 32 random bytes, hex.
INSERT INTO settings (key, value)
SELECT 'secret:stix_marking', lower(hex(randomblob(32)))
WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = 'secret:stix_marking');

CREATE TABLE records (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    origin TEXT NOT NULL REFERENCES members (code),
    origin_node TEXT NOT NULL,
    version INTEGER NOT NULL,
    -- live | withdrawn
    status TEXT NOT NULL,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    -- The sorted audience tokens (REL TO plus origin), joined by ','.
    audience_key TEXT NOT NULL,
    -- The record's own fields: canonical JSON (sorted keys).
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE INDEX records_by_kind ON records (kind, status, id);

-- Immutable: a change, a withdrawal, a narrowing is a new row. A version is
-- read through the audience set it was written with (audience_key).
CREATE TABLE record_versions (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES records (id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    audience_key TEXT NOT NULL,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    at INTEGER NOT NULL,
    -- local | peer (then origin_node names the peer it was written on)
    provenance TEXT NOT NULL,
    origin_node TEXT NOT NULL,
    -- Node-wide, strictly increasing in the order versions were written here.
    seq INTEGER NOT NULL UNIQUE,
    UNIQUE (record_id, version)
);

-- The audience sets records have (keyed by their sorted tokens): what a
-- write adjusts the per-reader counts (reader_counts) with, one statement
-- per batch, with groups expanded when the count is adjusted.
CREATE TABLE audience_sets (
    set_key TEXT NOT NULL,
    token TEXT NOT NULL,
    PRIMARY KEY (set_key, token)
);

INSERT INTO records (id, kind, origin, origin_node, version, status, tlp, rel_to, audience_key, body,
                     created_at, created_by, updated_at, updated_by, seq)
SELECT n.id, 'note', n.origin, (SELECT value FROM settings WHERE key = 'node_id'), n.version,
       CASE WHEN n.revoked = 0 THEN 'live' ELSE 'withdrawn' END, n.tlp, n.rel_to,
       (SELECT group_concat(token, ',') FROM (SELECT a.token FROM audience a WHERE a.subject_id = n.id ORDER BY a.token)),
       '{"body":' || json_quote(n.body)
         || CASE WHEN n.group_slug IS NULL THEN '' ELSE ',"group":' || json_quote(n.group_slug) END
         || ',"title":' || json_quote(n.title) || '}',
       n.created_at, n.created_by, n.updated_at, n.updated_by, 0
FROM notes n;

INSERT INTO record_versions (id, record_id, version, status, tlp, rel_to, audience_key, body, author, at, provenance, origin_node, seq)
SELECT v.id, v.note_id, v.version, CASE WHEN v.revoked = 0 THEN 'live' ELSE 'withdrawn' END, v.tlp, v.rel_to,
       (SELECT group_concat(token, ',') FROM (SELECT a.token FROM audience a WHERE a.subject_id = v.id ORDER BY a.token)),
       '{"body":' || json_quote(v.body)
         || CASE WHEN v.group_slug IS NULL THEN '' ELSE ',"group":' || json_quote(v.group_slug) END
         || ',"title":' || json_quote(v.title) || '}',
       v.updated_by, v.updated_at, 'local', (SELECT value FROM settings WHERE key = 'node_id'),
       ROW_NUMBER() OVER (ORDER BY v.updated_at, v.id)
FROM note_versions v;

UPDATE records SET seq = COALESCE((SELECT v.seq FROM record_versions v WHERE v.record_id = records.id AND v.version = records.version), 0);

INSERT INTO audience_sets (set_key, token)
SELECT DISTINCT r.audience_key, a.token FROM records r JOIN audience a ON a.subject_id = r.id;
INSERT INTO audience_sets (set_key, token)
SELECT DISTINCT v.audience_key, a.token FROM record_versions v JOIN audience a ON a.subject_id = v.id
ON CONFLICT (set_key, token) DO NOTHING;
-- Versions are read through their set from now on.
DELETE FROM audience WHERE subject_id IN (SELECT id FROM record_versions);

-- reader_counts rows of kind 'note' stay as they are: the same notes.
DROP TABLE note_versions;
DROP TABLE notes;
