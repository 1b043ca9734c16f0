-- Allocation runs are marked records of their member (TLP:AMBER, no REL TO):
-- their audience rows, so that every read of a run goes through the one
-- audience filter. `WHERE true` keeps SQLite from reading ON CONFLICT as a
-- join's ON.
INSERT INTO audience (subject_id, token)
SELECT id, member FROM allocation_runs WHERE true
ON CONFLICT (subject_id, token) DO NOTHING;
