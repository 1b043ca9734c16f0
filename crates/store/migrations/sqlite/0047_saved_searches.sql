-- A user's saved searches: a name and the search page's query string
-- (words and filters). Each user sees only their own; running one searches
-- again, through the audience filter, as the user is then.
CREATE TABLE saved_searches (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX saved_searches_by_user ON saved_searches (username, created_at);
