-- The views of entities and reports give the record's `status` too, so
-- that a list can ask for `status = 'live'` and walk the records index
-- (kind, status, id) in id order; `withdrawn = 0` (a CASE over status) made
-- the planner read every report and sort them (issue 20's open-loop run: a
-- report list took 41 ms with 20,000 reports).

DROP VIEW entities;
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
       r.created_at, r.created_by, r.updated_at, r.updated_by,
       json_extract(r.body, '$.retain_until') AS retain_until,
       json_extract(r.body, '$.purged_on') AS purged_on,
       r.status
FROM records r WHERE r.kind = 'entity';

DROP VIEW reports;
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
       r.created_at, r.created_by, r.updated_at, r.updated_by,
       json_extract(r.body, '$.retain_until') AS retain_until,
       json_extract(r.body, '$.purged_on') AS purged_on,
       r.status
FROM records r WHERE r.kind = 'report';
