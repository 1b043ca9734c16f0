-- STIX ids per origin member (issue 14, leak 6). A member adding an object
-- whose id another member's object holds, where it may not read that
-- object, gets its own object under that id, as if the id were free: the
-- answer no longer tells it that something it cannot see exists. Each
-- reader is served, for each id, the objects of the origin that claimed the
-- id first among those it may read (`claim_added`: when the origin's first
-- version was added), so no one who reads the first claimant's object is
-- shown another member's under the same id. `is_first` and `is_latest` are
-- per origin.
ALTER TABLE stix_objects ADD COLUMN claim_added BIGINT;
UPDATE stix_objects o SET claim_added =
    (SELECT MIN(s.date_added) FROM stix_objects s WHERE s.stix_id = o.stix_id);
ALTER TABLE stix_objects ALTER COLUMN claim_added SET NOT NULL;
ALTER TABLE stix_objects DROP CONSTRAINT stix_objects_stix_id_version_us_key;
ALTER TABLE stix_objects ADD CONSTRAINT stix_objects_stix_id_origin_version_us_key
    UNIQUE (stix_id, origin, version_us);
