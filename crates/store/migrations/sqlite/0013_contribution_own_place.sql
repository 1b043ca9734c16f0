-- A contribution against a requirement no longer copies the requirement's
-- place and window: they are read through the requirement's audience. The
-- copies made before are taken out (where they equal the requirement's),
-- in the contribution and in its kept versions.
UPDATE contributions SET country = NULL, admin1_name = NULL, admin1_pcode = NULL, town = NULL,
    lat_micro = NULL, lon_micro = NULL
WHERE requirement_id IS NOT NULL AND country IS NOT NULL AND EXISTS (
    SELECT 1 FROM requirements r WHERE r.id = contributions.requirement_id
    AND r.country IS contributions.country AND r.admin1_name IS contributions.admin1_name
    AND r.admin1_pcode IS contributions.admin1_pcode AND r.town IS contributions.town
    AND r.lat_micro IS contributions.lat_micro AND r.lon_micro IS contributions.lon_micro);

UPDATE contributions SET window_start = NULL, window_end = NULL
WHERE requirement_id IS NOT NULL AND window_start IS NOT NULL AND EXISTS (
    SELECT 1 FROM requirements r WHERE r.id = contributions.requirement_id
    AND r.window_start = contributions.window_start AND r.window_end = contributions.window_end);

UPDATE contribution_versions SET snapshot = json_set(snapshot, '$.place', json('null'), '$.place_from_requirement', json('true'))
WHERE contribution_id IN (SELECT id FROM contributions WHERE requirement_id IS NOT NULL AND country IS NULL);

UPDATE contribution_versions SET snapshot = json_set(snapshot, '$.window', json('null'), '$.window_from_requirement', json('true'))
WHERE contribution_id IN (SELECT id FROM contributions WHERE requirement_id IS NOT NULL AND window_start IS NULL);
