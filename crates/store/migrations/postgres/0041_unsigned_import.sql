-- Federation (issue 15): a peer that is a plain TAXII 2.1 server (another
-- platform, the OASIS reference server): its objects carry no coalesce
-- signature, so they are accepted only from a peer configured so, into
-- the node's STIX object store as imported objects of the member the peer
-- is configured for. `collection` is the TAXII collection pulled; the
-- cursor is then the server's date added (µs), used as `added_after`.
ALTER TABLE peers ADD COLUMN unsigned_import INTEGER NOT NULL DEFAULT 0;
ALTER TABLE peers ADD COLUMN collection TEXT;
