-- Federation (issue 15): home nodes and the replicated registry. Each
-- member's users are hosted by exactly one node (`home_node`, a node id;
-- NULL: this node, as before federation); a node originates records only
-- for the members it hosts, and a record of a member arriving from another
-- node than its home is refused. The registry (members, their home nodes,
-- groups, lines of effort) is the secretariat's: a peer marked as the
-- registry's source serves it signed, and this node applies it.
ALTER TABLE members ADD COLUMN home_node TEXT;
ALTER TABLE peers ADD COLUMN registry_source INTEGER NOT NULL DEFAULT 0;
-- Members who left a group: a record naming the group is revoked from the
-- peers hosting them (records naming a group are given new sequence
-- numbers when its members change, so every peer is served them again).
CREATE TABLE group_departures (
    group_slug TEXT NOT NULL,
    member_code TEXT NOT NULL,
    PRIMARY KEY (group_slug, member_code)
);
