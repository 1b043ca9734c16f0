-- Which TAXII status resources are still pending, as a column with its own
-- index: the node's start completes the additions a stop interrupted, and
-- finding them by a LIKE over every status body read them all (a node keeps
-- one status per addition it was ever sent).
ALTER TABLE taxii_statuses ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
UPDATE taxii_statuses SET pending = 1 WHERE body LIKE '%"status":"pending"%';
CREATE INDEX taxii_statuses_pending ON taxii_statuses (id) WHERE pending = 1;
