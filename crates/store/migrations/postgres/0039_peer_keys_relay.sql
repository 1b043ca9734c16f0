-- Federation (issue 15): a peer's keys from before it rotated (a JSON
-- array; what it signed then still verifies when this node pulls it again)
-- and relay (both operators agree: this node serves the peer other nodes'
-- CLEAR and GREEN records it holds, and accepts such records from it).
ALTER TABLE peers ADD COLUMN retired_keys TEXT NOT NULL DEFAULT '[]';
ALTER TABLE peers ADD COLUMN relay INTEGER NOT NULL DEFAULT 0;
-- The peer a replica's current version came from (NULL: written here):
-- a relay's revocation reaches only the copies that came through it.
ALTER TABLE records ADD COLUMN via TEXT;
-- Replicas this node forgot because they were revoked from it: a version
-- at or below the one revoked is never applied again (a replay, or an
-- echo through a relay), and a relay tells its own relay peers, in its
-- sequence, that the copy it served them is revoked too.
CREATE TABLE revoked_replicas (
    record_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    origin TEXT NOT NULL,
    origin_node TEXT NOT NULL,
    version BIGINT NOT NULL,
    tlp TEXT NOT NULL,
    audience_key TEXT NOT NULL,
    seq BIGINT NOT NULL
);
CREATE INDEX revoked_replicas_by_seq ON revoked_replicas (seq);
