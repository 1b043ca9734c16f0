-- The plenary report (issue 18): each generated report's figures, as
-- computed for its member, kept so that it regenerates byte for byte;
-- `data` also names every record version that went into it.
CREATE TABLE report_snapshots (
    id TEXT PRIMARY KEY,
    member TEXT NOT NULL REFERENCES members (code),
    as_of TEXT NOT NULL,
    meeting TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX report_snapshots_member ON report_snapshots (member, as_of);
