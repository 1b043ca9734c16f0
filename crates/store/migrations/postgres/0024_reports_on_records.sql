-- Reports move onto the record layer (issue 14), as entities did in 0023:
-- the old tables step aside, the rows move in Rust after this script
-- (reports::move_legacy_reports over records::legacy), the links stay in
-- report_entities (kept by the layer's hook), no longer tied to the old
-- table. Ids are kept, and so are the STIX ids they were shared under.

DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
             WHERE contype = 'f' AND confrelid = 'reports'::regclass
               AND conrelid <> 'report_versions'::regclass
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
    END LOOP;
END $$;

ALTER TABLE report_versions RENAME TO legacy_report_versions;
ALTER TABLE reports RENAME TO legacy_reports;

-- Typed columns of the layer's report rows, for the SQL that filters and
-- joins on them (lists by kind and entity, search). Read only.
CREATE VIEW reports AS
SELECT r.id, r.origin, r.origin_node,
       (r.body::jsonb ->> 'kind') AS kind,
       (r.body::jsonb ->> 'title') AS title,
       (r.body::jsonb ->> 'body') AS body,
       (r.body::jsonb ->> 'line_of_effort') AS line_of_effort,
       (r.body::jsonb ->> 'occurred_on') AS occurred_on,
       (r.body::jsonb -> 'details')::text AS details,
       r.tlp, r.rel_to, r.version,
       CASE WHEN r.status = 'withdrawn' THEN 1::bigint ELSE 0::bigint END AS withdrawn,
       r.created_at, r.created_by, r.updated_at, r.updated_by
FROM records r WHERE r.kind = 'report';
