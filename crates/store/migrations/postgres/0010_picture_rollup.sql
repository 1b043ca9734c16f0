-- The coordination picture at scale (issue 3): per-reader figures of the
-- contributions, kept in the transactions that write contributions, group
-- memberships and members (store/src/rollup.rs). A row holds what one
-- member may read of one line of effort, one dimension and one group:
--   dim 'line' | 'category' | 'country' | 'member': contributions, amount
--     and delivered per kind, unit and status;
--   dim 'requirement': the same per requirement (group_key its id,
--     line_of_effort ''), with what the requesting member confirmed
--     received;
--   dim 'pledged': contributions recorded per month (group_key YYYY-MM);
--   dim 'delivered': deliveries made per month.
-- Rows are never read without `reader = <the viewer's member>`; which
-- members may read a contribution is decided by the one releasability
-- filter (audience::readable) when the row is written.
CREATE TABLE picture_rollup (
    reader TEXT NOT NULL,
    dim TEXT NOT NULL,
    line_of_effort TEXT NOT NULL,
    group_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    unit TEXT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    delivered BIGINT NOT NULL,
    received BIGINT NOT NULL,
    PRIMARY KEY (reader, dim, line_of_effort, group_key, kind, unit, status)
);

-- The dashboard's two lists read in their own order and stop at the page:
-- open requirements most urgent first, then newest; deliveries newest first
-- (many deliveries share a date, so the id is in the index too).
DROP INDEX requirements_by_line;
CREATE INDEX requirements_by_line ON requirements (line_of_effort, priority, id DESC);
DROP INDEX deliveries_by_date;
CREATE INDEX deliveries_by_date ON contribution_deliveries (delivered_on, id);
