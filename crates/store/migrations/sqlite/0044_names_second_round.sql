-- The screening matcher's second round changes how names are keyed: every
-- script is transliterated (Han, Hangul, kana, Greek, Thai …), legal forms
-- of the maintained table and titles in front of a name are left out of
-- the keys, digits standing for letters are read as letters. Nothing
-- changes in the tables' shape: the migration runner rebuilds the
-- entities' correlation keys and the search documents of entities and
-- reports once (reports::reindex_names), as for 0022_fold_names.
SELECT 1;
