-- Federation (issue 15): the node's Ed25519 public keys, the current one
-- (retired_at NULL) and those it had, kept to verify what they signed.
-- The private key is never in the database: it is a file of mode 0600.
CREATE TABLE node_keys (
    public_key TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
