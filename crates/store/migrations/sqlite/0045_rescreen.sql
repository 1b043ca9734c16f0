-- A list update rescreens the parties of open records (live entities,
-- contributions not cancelled) against the entries it added or changed,
-- and keeps what it found here. A finding holds no content of the record:
-- its id, version and the party's place in it, and the listed entry; it
-- is read through the record's current audience (a narrowed or withdrawn
-- record takes its findings out of sight), and goes with a forgotten record.
CREATE TABLE screening_rescreens (
    id TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES sanctions_list_versions (id),
    entries_compared BIGINT NOT NULL,
    records_screened BIGINT NOT NULL,
    parties_screened BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    UNIQUE (version_id)
);

CREATE TABLE screening_rescreen_findings (
    rescreen_id TEXT NOT NULL REFERENCES screening_rescreens (id),
    record_id TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_version BIGINT NOT NULL,
    party BIGINT NOT NULL,
    role TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    caption TEXT NOT NULL,
    score REAL NOT NULL,
    is_match BIGINT NOT NULL,
    weak_alias_review BIGINT NOT NULL,
    PRIMARY KEY (rescreen_id, record_id, party, entry_id)
);
CREATE INDEX screening_rescreen_findings_by_record ON screening_rescreen_findings (record_id);
