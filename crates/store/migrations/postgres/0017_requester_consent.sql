-- A requirement recorded in another member's name waits for that member's
-- confirmation (its own act, audited) before the coalition allocates to it.
-- Existing requirements count as confirmed (confirmed_by '-').
ALTER TABLE requirements ADD COLUMN requester_confirmed_at BIGINT;
ALTER TABLE requirements ADD COLUMN requester_confirmed_by TEXT;
UPDATE requirements SET requester_confirmed_at = created_at, requester_confirmed_by = '-';
