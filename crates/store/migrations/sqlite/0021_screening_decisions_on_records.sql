-- Screening decisions move onto the record layer (issue 14): each the
-- reviewing member's record, read by that member alone (TLP:GREEN, no REL
-- TO: the audience is the member), found by the party's key through
-- record_refs. Ids are kept. Bodies are written here as JSON and made
-- canonical by the migration runner (store/src/migrate.rs), which also
-- drops the null fields.

CREATE TEMP TABLE moved_decisions AS
SELECT x.*, json_object('birth_date', x.party_birth_date, 'decision', x.decision, 'entity_id', x.entity_id, 'entry_hash', x.entry_hash, 'nationality', x.party_nationality, 'party', x.party, 'reason', x.reason) AS body FROM screening_decisions x;

INSERT INTO records (id, kind, origin, origin_node, version, status, tlp, rel_to, audience_key, body,
                     created_at, created_by, updated_at, updated_by, seq)
SELECT m.id, 'screening_decision', m.member, (SELECT value FROM settings WHERE key = 'node_id'), 1, 'live',
       'GREEN', '[]', m.member, m.body, m.decided_at, m.decided_by, m.decided_at, m.decided_by, 0
FROM moved_decisions m;

INSERT INTO record_versions (id, record_id, version, status, tlp, rel_to, audience_key, body, author, at, provenance, origin_node, seq)
SELECT m.id || ':1', m.id, 1, 'live', 'GREEN', '[]', m.member, m.body, m.decided_by, m.decided_at, 'local',
       (SELECT value FROM settings WHERE key = 'node_id'),
       (SELECT COALESCE(MAX(seq), 0) FROM record_versions) + ROW_NUMBER() OVER (ORDER BY m.decided_at, m.id)
FROM moved_decisions m;

UPDATE records SET seq = (SELECT v.seq FROM record_versions v WHERE v.record_id = records.id AND v.version = records.version)
WHERE kind = 'screening_decision';

INSERT INTO audience (subject_id, token) SELECT m.id, m.member FROM moved_decisions m;

INSERT INTO audience_sets (set_key, token)
SELECT DISTINCT m.member, m.member FROM moved_decisions m WHERE true
ON CONFLICT (set_key, token) DO NOTHING;

INSERT INTO record_refs (record_id, target, ref_id)
SELECT m.id, 'party', m.party_key FROM moved_decisions m;

DROP TABLE moved_decisions;
DROP TABLE screening_decisions;
