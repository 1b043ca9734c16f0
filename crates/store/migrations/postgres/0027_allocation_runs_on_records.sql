-- Allocation runs move onto the record layer (issue 14): each run becomes
-- a record of its member (TLP:AMBER, no REL TO, as 0014 marked it) with one
-- version, moved in Rust after this script (allocation::move_legacy_runs).
-- `allocation_runs` and `allocation_proposals` stay as the typed rows the
-- layer's hook writes; a proposal's decision (the coordinator's act) and
-- commitment (the offering member's act) stay on its row. A member's
-- newest run is found by this index.
CREATE INDEX allocation_runs_by_member ON allocation_runs (member, id);
