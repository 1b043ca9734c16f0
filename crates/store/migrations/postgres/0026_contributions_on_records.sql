-- Contributions move onto the record layer (issue 14), as requirements did
-- in 0025: their kept versions step aside here and move in Rust after this
-- script (legacy_needs::move_legacy_contributions). The `contributions`,
-- `contribution_members` and `contribution_deliveries` tables stay as the
-- typed rows of each contribution's current version, which the layer's hook
-- keeps from now on, with the other members' acts beside them (a
-- co-contributor's confirmation, the requesting member's receipt).
ALTER TABLE contribution_versions RENAME TO legacy_contribution_versions;
