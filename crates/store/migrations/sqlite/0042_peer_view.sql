-- Federation (issue 15): how a peer serves this node — whether it relays
-- to it and which members it serves it as (those this node hosts) — as the
-- peer last said. When that changes (relay turned on, a member moved to
-- this node), records below the cursor may now be served: the pull starts
-- again from the beginning (a full, idempotent resync).
ALTER TABLE peers ADD COLUMN served_view TEXT;
