-- Requirements move onto the record layer (issue 14): their kept versions
-- step aside here and move in Rust after this script
-- (legacy_requirements::move_legacy_requirements), with every version's
-- marking, author and time. The `requirements` table stays as the typed row
-- of each requirement's current version, which the layer's hook keeps from
-- now on (the picture, allocation and lists join on it), with the
-- requesting member's confirmation beside it.
ALTER TABLE requirement_versions RENAME TO legacy_requirement_versions;
