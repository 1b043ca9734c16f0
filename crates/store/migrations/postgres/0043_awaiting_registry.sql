-- Federation (issue 15): a peer's object refused because it names a member
-- or group this node's registry did not hold yet (it was written on a node
-- that learned of the member first). The digest of the members and groups
-- known then: once the registry holds more, the peer is pulled again from
-- the beginning and the object applies.
ALTER TABLE peers ADD COLUMN awaiting_registry TEXT;
