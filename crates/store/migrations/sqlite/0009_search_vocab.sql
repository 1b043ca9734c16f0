-- How many documents hold each search term (FTS5's own counts, a read-only
-- view of the index): search leaves out words found in a large share of a
-- big collection (like "al" in Arabic names) when the query has rarer ones.
CREATE VIRTUAL TABLE search_vocab USING fts5vocab('search_fts', 'row');
