-- Relationships move onto the record layer (issue 14): versioned and
-- withdrawable like every record, referring to their two entities through
-- record_refs (so a relationship is read only by readers of both ends).
-- Ids are kept, and so are the STIX ids they were shared under
-- (RelationshipKind::stix_id_seed); their TAXII objects stay as projected.
-- Bodies are written here as JSON and made canonical by the migration
-- runner (store/src/migrate.rs).

CREATE TEMP TABLE moved_relationships AS
SELECT x.*,
       (SELECT string_agg(a.token, ',' ORDER BY a.token COLLATE "C") FROM audience a WHERE a.subject_id = x.id) AS audience_key,
       json_build_object('from', x.from_entity, 'note', x.note, 'relationship_type', x.kind, 'to', x.to_entity)::text AS body
FROM relationships x;

INSERT INTO records (id, kind, origin, origin_node, version, status, tlp, rel_to, audience_key, body,
                     created_at, created_by, updated_at, updated_by, seq)
SELECT m.id, 'relationship', m.origin, (SELECT value FROM settings WHERE key = 'node_id'), 1, 'live',
       m.tlp, m.rel_to, m.audience_key, m.body, m.created_at, m.created_by, m.created_at, m.created_by, 0
FROM moved_relationships m;

INSERT INTO record_versions (id, record_id, version, status, tlp, rel_to, audience_key, body, author, at, provenance, origin_node, seq)
SELECT m.id || ':1', m.id, 1, 'live', m.tlp, m.rel_to, m.audience_key, m.body, m.created_by, m.created_at, 'local',
       (SELECT value FROM settings WHERE key = 'node_id'),
       (SELECT COALESCE(MAX(seq), 0) FROM record_versions) + ROW_NUMBER() OVER (ORDER BY m.created_at, m.id)
FROM moved_relationships m;

UPDATE records SET seq = (SELECT v.seq FROM record_versions v WHERE v.record_id = records.id AND v.version = records.version)
WHERE kind = 'relationship';

INSERT INTO audience_sets (set_key, token)
SELECT DISTINCT m.audience_key, a.token FROM moved_relationships m JOIN audience a ON a.subject_id = m.id
ON CONFLICT (set_key, token) DO NOTHING;

INSERT INTO record_refs (record_id, target, ref_id)
SELECT m.id, 'entity', m.from_entity FROM moved_relationships m
UNION
SELECT m.id, 'entity', m.to_entity FROM moved_relationships m;

DROP TABLE moved_relationships;
DROP TABLE relationships;
