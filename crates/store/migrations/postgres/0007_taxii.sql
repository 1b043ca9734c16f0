-- STIX objects and TAXII 2.1 (issue 6). One row per version of every STIX
-- object the node holds: the projections of its reports, entities and
-- relationships (written in the same transaction as the record) and the
-- objects members imported (bundle import, TAXII POST). Each row is a
-- marked record with its own audience rows (subject_id), so TAXII reads go
-- through the same releasability filter as everything else.
CREATE TABLE stix_objects (
    seq BIGSERIAL PRIMARY KEY,
    subject_id TEXT NOT NULL UNIQUE,
    stix_id TEXT NOT NULL,
    object_type TEXT NOT NULL,
    spec_version TEXT NOT NULL,
    -- The version as written (`modified`, else `created`), and in µs.
    version TEXT NOT NULL,
    version_us BIGINT NOT NULL,
    -- When this node added the version (µs, strictly increasing per node).
    date_added BIGINT NOT NULL,
    origin TEXT NOT NULL REFERENCES members (code),
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    -- Where it comes from: 'import', or the coalesce record it projects
    -- ('report:<id>', 'entity:<id>', 'relationship:<id>'), or 'shared' for
    -- the identities and definitions records refer to.
    source TEXT NOT NULL,
    is_latest BIGINT NOT NULL,
    is_first BIGINT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (stix_id, version_us)
);
CREATE INDEX stix_objects_by_added ON stix_objects (date_added, seq);

-- TAXII status resources of POSTs (processed synchronously, kept to be read back).
CREATE TABLE taxii_statuses (
    id TEXT PRIMARY KEY,
    member TEXT NOT NULL,
    username TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    body TEXT NOT NULL
);
