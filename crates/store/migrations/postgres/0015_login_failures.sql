-- Failed logins per key (account and client, or client), shared by every
-- process serving the database (store/src/login_limits.rs). Bounded: old
-- entries are forgotten and the oldest evicted past a ceiling.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_ms BIGINT NOT NULL
);
CREATE INDEX login_failures_by_age ON login_failures (last_ms);
