-- Federation (issue 15): a full resync from a peer ends by forgetting the
-- copies of that peer's records it no longer serves this node (a member
-- moved away from this node: what only that member could read is stale
-- here). While a peer is pulled again from the beginning (`resyncing`),
-- every record id its pages name is noted; at the last page, the copies
-- of its records that no page named are forgotten.
ALTER TABLE peers ADD COLUMN resyncing BIGINT NOT NULL DEFAULT 0;
CREATE TABLE resync_seen (
    peer TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (peer, record_id)
);
