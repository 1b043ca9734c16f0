-- How many live records of each counted kind (note, report, entity,
-- requirement) each member may read, kept in the writing transaction
-- (store/src/counts.rs), so that a count is one row, not a scan.
CREATE TABLE reader_counts (
    kind TEXT NOT NULL,
    reader TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (kind, reader)
);
