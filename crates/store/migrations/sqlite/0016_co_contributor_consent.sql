-- A joint contribution names its other members as proposed co-contributors
-- until each confirms with its own act (by one of its users, audited):
-- only confirmed contributors count. Existing rows, recorded before consent
-- was asked, count as confirmed (confirmed_by '-').
ALTER TABLE contribution_members ADD COLUMN confirmed_at INTEGER;
ALTER TABLE contribution_members ADD COLUMN confirmed_by TEXT;
UPDATE contribution_members SET confirmed_at = 0, confirmed_by = '-';
