-- STIX ids per origin member (issue 14, leak 6). A member adding an object
-- whose id another member's object holds, where it may not read that
-- object, gets its own object under that id, as if the id were free: the
-- answer no longer tells it that something it cannot see exists. Each
-- reader is served, for each id, the objects of the origin that claimed the
-- id first among those it may read (`claim_added`: when the origin's first
-- version was added), so no one who reads the first claimant's object is
-- shown another member's under the same id. `is_first` and `is_latest` are
-- per origin. SQLite cannot change a table's constraints: rebuilt.
CREATE TABLE stix_objects_per_origin (
    seq INTEGER PRIMARY KEY,
    subject_id TEXT NOT NULL UNIQUE,
    stix_id TEXT NOT NULL,
    object_type TEXT NOT NULL,
    spec_version TEXT NOT NULL,
    version TEXT NOT NULL,
    version_us INTEGER NOT NULL,
    date_added INTEGER NOT NULL,
    origin TEXT NOT NULL REFERENCES members (code),
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    source TEXT NOT NULL,
    is_latest INTEGER NOT NULL,
    is_first INTEGER NOT NULL,
    body TEXT NOT NULL,
    claim_added INTEGER NOT NULL,
    UNIQUE (stix_id, origin, version_us)
);
INSERT INTO stix_objects_per_origin
    (seq, subject_id, stix_id, object_type, spec_version, version, version_us, date_added,
     origin, tlp, rel_to, source, is_latest, is_first, body, claim_added)
SELECT o.seq, o.subject_id, o.stix_id, o.object_type, o.spec_version, o.version, o.version_us,
       o.date_added, o.origin, o.tlp, o.rel_to, o.source, o.is_latest, o.is_first, o.body,
       (SELECT MIN(s.date_added) FROM stix_objects s WHERE s.stix_id = o.stix_id)
FROM stix_objects o;
DROP TABLE stix_objects;
ALTER TABLE stix_objects_per_origin RENAME TO stix_objects;
CREATE INDEX stix_objects_by_added ON stix_objects (date_added, seq);
