-- The views of entities and reports give the record's `status` too, so
-- that a list can ask for `status = 'live'` and walk the records index
-- (kind, status, id) in id order; `withdrawn = 0` (a CASE over status) made
-- the planner read every report and sort them (issue 20's open-loop run: a
-- report list took 41 ms with 20,000 reports).

CREATE OR REPLACE VIEW entities AS
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
       r.created_at, r.created_by, r.updated_at, r.updated_by,
       (r.body::jsonb ->> 'retain_until') AS retain_until,
       (r.body::jsonb ->> 'purged_on') AS purged_on,
       r.status
FROM records r WHERE r.kind = 'entity';

CREATE OR REPLACE VIEW reports AS
SELECT r.id, r.origin, r.origin_node,
       (r.body::jsonb ->> 'kind') AS kind,
       (r.body::jsonb ->> 'title') AS title,
       (r.body::jsonb ->> 'body') AS body,
       (r.body::jsonb ->> 'line_of_effort') AS line_of_effort,
       (r.body::jsonb ->> 'occurred_on') AS occurred_on,
       (r.body::jsonb -> 'details')::text AS details,
       r.tlp, r.rel_to, r.version,
       CASE WHEN r.status = 'withdrawn' THEN 1::bigint ELSE 0::bigint END AS withdrawn,
       r.created_at, r.created_by, r.updated_at, r.updated_by,
       (r.body::jsonb ->> 'retain_until') AS retain_until,
       (r.body::jsonb ->> 'purged_on') AS purged_on,
       r.status
FROM records r WHERE r.kind = 'report';
