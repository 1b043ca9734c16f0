-- Entities move onto the record layer (issue 14): versioned, withdrawable
-- and replicable like every record. Their rows are moved in Rust after this
-- script (records::legacy, entities::move_legacy_entities: one code for both
-- dialects); here the old tables step aside and the tables that referred
-- to them stop doing so (an entity is a row of `records` now). Ids are kept,
-- and so are the STIX ids they were shared under.

DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
             WHERE contype = 'f' AND confrelid = 'entities'::regclass
               AND conrelid <> 'entity_versions'::regclass
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
    END LOOP;
END $$;

ALTER TABLE entity_versions RENAME TO legacy_entity_versions;
ALTER TABLE entities RENAME TO legacy_entities;

-- Typed columns of the layer's entity rows, for the SQL that filters and
-- joins on them (lists by kind, correlation, search, report links). Read
-- only: entities are written through the layer.
CREATE VIEW entities AS
SELECT r.id, r.origin, r.origin_node,
       (r.body::jsonb ->> 'kind') AS kind,
       (r.body::jsonb ->> 'name') AS name,
       (r.body::jsonb -> 'aliases')::text AS aliases,
       (r.body::jsonb ->> 'birth_date') AS birth_date,
       (r.body::jsonb ->> 'nationality') AS nationality,
       (r.body::jsonb -> 'documents')::text AS documents,
       (r.body::jsonb ->> 'imo') AS imo,
       (r.body::jsonb ->> 'mmsi') AS mmsi,
       (r.body::jsonb ->> 'flag') AS flag,
       r.tlp, r.rel_to, r.version,
       CASE WHEN r.status = 'withdrawn' THEN 1::bigint ELSE 0::bigint END AS withdrawn,
       r.created_at, r.created_by, r.updated_at, r.updated_by
FROM records r WHERE r.kind = 'entity';
