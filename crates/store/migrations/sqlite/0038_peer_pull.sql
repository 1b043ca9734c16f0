-- Federation (issue 15): pulling from peers. This node pages a peer's feed
-- of its own records by the peer's sequence (`cursor`, stored in the same
-- transaction as the versions it covers); `node_id` is the peer's node id,
-- learned from its first answer and checked against the key configured for
-- it; `credential` is the token the peer's operator issued for this node
-- to pull with. The rest is the peer's status as `peer status` shows it.
ALTER TABLE peers ADD COLUMN node_id TEXT;
ALTER TABLE peers ADD COLUMN credential TEXT;
ALTER TABLE peers ADD COLUMN cursor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE peers ADD COLUMN peer_high BIGINT NOT NULL DEFAULT 0;
ALTER TABLE peers ADD COLUMN applied BIGINT NOT NULL DEFAULT 0;
ALTER TABLE peers ADD COLUMN last_success_at BIGINT;
ALTER TABLE peers ADD COLUMN last_error TEXT;
ALTER TABLE peers ADD COLUMN last_error_at BIGINT;
ALTER TABLE peers ADD COLUMN behind_since BIGINT;
-- Objects a peer sent that were refused, by reason.
CREATE TABLE peer_refusals (
    peer TEXT NOT NULL REFERENCES peers (name) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (peer, reason)
);
-- A node's feed for its peers: its own records after a sequence number.
CREATE INDEX records_by_origin_node_seq ON records (origin_node, seq);
-- The highest sequence number a version ever had here: a replica's
-- versions are deleted when its origin revokes it from this node, and the
-- numbers they had are never given again.
CREATE TABLE seq_floor (seq BIGINT NOT NULL);
INSERT INTO seq_floor (seq) VALUES (0);
