-- Federation (issue 15): each version written on this node is signed by
-- it (Ed25519 over the RFC 8785 form of `coalesce_federation::signed_version`)
-- once the node holds its key; `signed_by` is the public key that signed.
-- Versions written before stay unsigned (NULL).
ALTER TABLE record_versions ADD COLUMN signature TEXT;
ALTER TABLE record_versions ADD COLUMN signed_by TEXT;
