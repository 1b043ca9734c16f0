-- A receipt says how much arrived (when less than delivered), the day it
-- arrived and a note; the figures count what was received. NULL amount:
-- all of it (every receipt confirmed before this migration).
ALTER TABLE contribution_deliveries ADD COLUMN received_amount BIGINT;
ALTER TABLE contribution_deliveries ADD COLUMN received_on TEXT;
ALTER TABLE contribution_deliveries ADD COLUMN received_note TEXT;
