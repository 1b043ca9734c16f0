-- SQLite's search_vocab (FTS5 term counts) has no counterpart here:
-- PostgreSQL ranks with ts_rank over its GIN index. Kept so both dialects
-- number their migrations alike.
SELECT 1;
