-- Where a record or a registry entry comes from (issue 22): the documents
-- that state it, quoted, and what was added that no document states. One
-- row per subject: a record's id, or member:/group:/line:/indicator:/
-- transfer: and its key. Read only beside a subject its reader has read.
CREATE TABLE sources (
    subject TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    illustrative INTEGER NOT NULL,
    set_at BIGINT NOT NULL,
    set_by TEXT
);
