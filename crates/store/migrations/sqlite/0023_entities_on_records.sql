-- Entities move onto the record layer (issue 14): versioned, withdrawable
-- and replicable like every record. Their rows are moved in Rust after this
-- script (records::legacy, entities::move_legacy_entities: one code for both
-- dialects); here the old tables step aside and the tables that referred
-- to them stop doing so (an entity is a row of `records` now). Ids are kept,
-- and so are the STIX ids they were shared under.

CREATE TABLE entity_keys_moved (
    key TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (key, entity_id)
);
INSERT INTO entity_keys_moved (key, entity_id) SELECT key, entity_id FROM entity_keys;
DROP TABLE entity_keys;
ALTER TABLE entity_keys_moved RENAME TO entity_keys;
CREATE INDEX entity_keys_by_entity ON entity_keys (entity_id);

CREATE TABLE report_entities_moved (
    report_id TEXT NOT NULL REFERENCES reports (id),
    entity_id TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (report_id, entity_id, role)
);
INSERT INTO report_entities_moved (report_id, entity_id, role) SELECT report_id, entity_id, role FROM report_entities;
DROP TABLE report_entities;
ALTER TABLE report_entities_moved RENAME TO report_entities;
CREATE INDEX report_entities_by_entity ON report_entities (entity_id);

ALTER TABLE entity_versions RENAME TO legacy_entity_versions;
ALTER TABLE entities RENAME TO legacy_entities;

-- Typed columns of the layer's entity rows, for the SQL that filters and
-- joins on them (lists by kind, correlation, search, report links). Read
-- only: entities are written through the layer.
CREATE VIEW entities AS
SELECT r.id, r.origin, r.origin_node,
       json_extract(r.body, '$.kind') AS kind,
       json_extract(r.body, '$.name') AS name,
       json_extract(r.body, '$.aliases') AS aliases,
       json_extract(r.body, '$.birth_date') AS birth_date,
       json_extract(r.body, '$.nationality') AS nationality,
       json_extract(r.body, '$.documents') AS documents,
       json_extract(r.body, '$.imo') AS imo,
       json_extract(r.body, '$.mmsi') AS mmsi,
       json_extract(r.body, '$.flag') AS flag,
       r.tlp, r.rel_to, r.version,
       CASE WHEN r.status = 'withdrawn' THEN 1 ELSE 0 END AS withdrawn,
       r.created_at, r.created_by, r.updated_at, r.updated_by
FROM records r WHERE r.kind = 'entity';
