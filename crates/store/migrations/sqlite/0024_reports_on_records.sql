-- Reports move onto the record layer (issue 14), as entities did in 0023:
-- the old tables step aside, the rows move in Rust after this script
-- (reports::move_legacy_reports over records::legacy), the links stay in
-- report_entities (kept by the layer's hook), no longer tied to the old
-- table. Ids are kept, and so are the STIX ids they were shared under.

CREATE TABLE report_entities_moved (
    report_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (report_id, entity_id, role)
);
INSERT INTO report_entities_moved (report_id, entity_id, role) SELECT report_id, entity_id, role FROM report_entities;
DROP TABLE report_entities;
ALTER TABLE report_entities_moved RENAME TO report_entities;
CREATE INDEX report_entities_by_entity ON report_entities (entity_id);

ALTER TABLE report_versions RENAME TO legacy_report_versions;
ALTER TABLE reports RENAME TO legacy_reports;

-- Typed columns of the layer's report rows, for the SQL that filters and
-- joins on them (lists by kind and entity, search). Read only.
CREATE VIEW reports AS
SELECT r.id, r.origin, r.origin_node,
       json_extract(r.body, '$.kind') AS kind,
       json_extract(r.body, '$.title') AS title,
       json_extract(r.body, '$.body') AS body,
       json_extract(r.body, '$.line_of_effort') AS line_of_effort,
       json_extract(r.body, '$.occurred_on') AS occurred_on,
       json_extract(r.body, '$.details') AS details,
       r.tlp, r.rel_to, r.version,
       CASE WHEN r.status = 'withdrawn' THEN 1 ELSE 0 END AS withdrawn,
       r.created_at, r.created_by, r.updated_at, r.updated_by
FROM records r WHERE r.kind = 'report';
