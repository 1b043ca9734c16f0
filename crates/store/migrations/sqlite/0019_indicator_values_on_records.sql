-- Indicator values move onto the record layer (issue 14): versioned like
-- every record, withdrawn by a version whose status is withdrawn. A value
-- withdrawn before this migration gets that version, dated by its
-- `indicator.withdraw` audit entry. Bodies are written here as JSON and
-- made canonical by the migration runner (store/src/migrate.rs).

-- What a record refers to outside itself (an indicator of the catalogue,
-- …), as its current version says: lists filter by it.
CREATE TABLE record_refs (
    record_id TEXT NOT NULL REFERENCES records (id),
    target TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    PRIMARY KEY (target, ref_id, record_id)
);
CREATE INDEX record_refs_by_record ON record_refs (record_id);

CREATE TEMP TABLE moved_values AS
SELECT v.*,
       (SELECT group_concat(token, ',') FROM (SELECT a.token FROM audience a WHERE a.subject_id = v.id ORDER BY a.token)) AS audience_key,
       json_object('indicator', v.indicator, 'note', v.note, 'observed_on', v.observed_on, 'value', v.value) AS body,
       (SELECT MAX(l.at_ms) FROM audit_log l WHERE l.action = 'indicator.withdraw' AND l.subject = v.id) AS withdrawn_at,
       (SELECT l.actor FROM audit_log l WHERE l.action = 'indicator.withdraw' AND l.subject = v.id ORDER BY l.seq DESC LIMIT 1) AS withdrawn_by
FROM indicator_values v;

INSERT INTO records (id, kind, origin, origin_node, version, status, tlp, rel_to, audience_key, body,
                     created_at, created_by, updated_at, updated_by, seq)
SELECT m.id, 'indicator_value', m.origin, (SELECT value FROM settings WHERE key = 'node_id'),
       CASE WHEN m.withdrawn = 0 THEN 1 ELSE 2 END,
       CASE WHEN m.withdrawn = 0 THEN 'live' ELSE 'withdrawn' END,
       m.tlp, m.rel_to, m.audience_key, m.body, m.recorded_at, m.recorded_by,
       CASE WHEN m.withdrawn = 0 THEN m.recorded_at ELSE COALESCE(m.withdrawn_at, m.recorded_at) END,
       CASE WHEN m.withdrawn = 0 THEN m.recorded_by ELSE COALESCE(m.withdrawn_by, m.recorded_by) END,
       0
FROM moved_values m;

INSERT INTO record_versions (id, record_id, version, status, tlp, rel_to, audience_key, body, author, at, provenance, origin_node, seq)
SELECT m.id || ':1', m.id, 1, 'live', m.tlp, m.rel_to, m.audience_key, m.body, m.recorded_by, m.recorded_at, 'local',
       (SELECT value FROM settings WHERE key = 'node_id'),
       (SELECT COALESCE(MAX(seq), 0) FROM record_versions) + ROW_NUMBER() OVER (ORDER BY m.recorded_at, m.id)
FROM moved_values m;

INSERT INTO record_versions (id, record_id, version, status, tlp, rel_to, audience_key, body, author, at, provenance, origin_node, seq)
SELECT m.id || ':2', m.id, 2, 'withdrawn', m.tlp, m.rel_to, m.audience_key, m.body,
       COALESCE(m.withdrawn_by, m.recorded_by), COALESCE(m.withdrawn_at, m.recorded_at), 'local',
       (SELECT value FROM settings WHERE key = 'node_id'),
       (SELECT COALESCE(MAX(seq), 0) FROM record_versions) + ROW_NUMBER() OVER (ORDER BY COALESCE(m.withdrawn_at, m.recorded_at), m.id)
FROM moved_values m WHERE m.withdrawn <> 0;

UPDATE records SET seq = (SELECT v.seq FROM record_versions v WHERE v.record_id = records.id AND v.version = records.version)
WHERE kind = 'indicator_value';

INSERT INTO audience_sets (set_key, token)
SELECT DISTINCT m.audience_key, a.token FROM moved_values m JOIN audience a ON a.subject_id = m.id
ON CONFLICT (set_key, token) DO NOTHING;

INSERT INTO record_refs (record_id, target, ref_id)
SELECT m.id, 'indicator', m.indicator FROM moved_values m;

DROP TABLE moved_values;
DROP TABLE indicator_values;
