-- Federation (issue 15): the nodes this node exchanges records with. Each
-- peer pulls from this node as its own user (`peer.<name>`, of the member
-- it hosts, a viewer), so the one audience filter decides what it is
-- served; pausing a peer disables that user.
CREATE TABLE peers (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    member TEXT NOT NULL REFERENCES members (code),
    public_key TEXT NOT NULL,
    username TEXT NOT NULL UNIQUE,
    paused INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
