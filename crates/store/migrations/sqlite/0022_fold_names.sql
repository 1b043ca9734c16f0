-- Names are folded before they are compared or indexed (invisible format
-- characters dropped, look-alike letters of another script inside a Latin
-- word folded: coalesce_screen::normalize::fold_lookalikes). Nothing
-- changes in the tables' shape: the migration runner rebuilds the
-- entities' correlation keys and the search documents of entities and
-- reports once (reports::reindex_names), so records written before fold
-- the same way as new ones.
SELECT 1;
