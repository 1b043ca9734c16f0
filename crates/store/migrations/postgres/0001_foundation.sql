-- Portable schema: ids TEXT (UUIDv7), times INTEGER unix milliseconds, JSON as TEXT.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE members (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('state', 'organisation')),
    role TEXT NOT NULL CHECK (role IN ('member', 'partner')),
    joined TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE coalition_groups (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('small_group', 'working_group', 'task_force', 'community')),
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE group_members (
    group_slug TEXT NOT NULL REFERENCES coalition_groups (slug) ON DELETE CASCADE,
    member_code TEXT NOT NULL REFERENCES members (code),
    PRIMARY KEY (group_slug, member_code)
);
CREATE INDEX group_members_by_member ON group_members (member_code, group_slug);

CREATE TABLE lines_of_effort (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    member_code TEXT NOT NULL REFERENCES members (code),
    role TEXT NOT NULL CHECK (role IN ('viewer', 'contributor', 'coordinator', 'admin')),
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Session and API tokens, stored only as SHA-256 hashes.
CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('session', 'api')),
    label TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE INDEX tokens_by_user ON tokens (user_id);

-- The audience of every marked record (and of every kept version), one row
-- per token: a member code, GROUP:<slug> or COALITION. The origin is always
-- one of them. Every read of a marked record filters through this table.
CREATE TABLE audience (
    subject_id TEXT NOT NULL,
    token TEXT NOT NULL,
    PRIMARY KEY (subject_id, token)
);
CREATE INDEX audience_by_token ON audience (token, subject_id);

CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL REFERENCES members (code),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    group_slug TEXT REFERENCES coalition_groups (slug),
    version BIGINT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE note_versions (
    id TEXT PRIMARY KEY,
    note_id TEXT NOT NULL REFERENCES notes (id),
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    tlp TEXT NOT NULL,
    rel_to TEXT NOT NULL,
    group_slug TEXT,
    revoked BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (note_id, version)
);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    member TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- The chain's head, written in the same transaction as each entry, so that
-- removing the newest entries is detected too.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
