-- TitleDesk central server schema, version 1 (PostgreSQL; sqlite/0001_init.sql
-- is the same schema for SQLite).
--
-- Every entity table holds the indexed columns the server queries plus a
-- JSON `data` column with the model type exactly as the feed serves it, so a
-- pull never re-encodes anything.

CREATE TABLE units (
    id        TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES units(id) DEFERRABLE INITIALLY IMMEDIATE, -- admin migrate copies in any order
    kind      TEXT NOT NULL,
    version   BIGINT NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

-- Closure table of the unit hierarchy: one row per (ancestor, descendant)
-- pair including (u, u, 0), so "is X in my subtree" and "all of my subtree"
-- are single index lookups.
CREATE TABLE unit_tree (
    ancestor   TEXT NOT NULL REFERENCES units(id),
    descendant TEXT NOT NULL REFERENCES units(id),
    depth      INTEGER NOT NULL,
    PRIMARY KEY (ancestor, descendant)
);
CREATE INDEX unit_tree_descendant ON unit_tree(descendant, depth);

CREATE TABLE applicants (
    id      TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    version BIGINT NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX applicants_unit ON applicants(unit_id);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    unit_id       TEXT REFERENCES units(id),
    applicant_id  TEXT REFERENCES applicants(id),
    password_hash BYTEA NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  BIGINT NOT NULL DEFAULT 0, -- unix ms; 0 = not locked
    disabled      INTEGER NOT NULL DEFAULT 0, -- locked by the city office until unlocked
    created_at    BIGINT NOT NULL
);

-- Sessions store only the SHA-256 of the bearer token.
CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    device_id  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL -- absolute expiry, unix ms
);
CREATE INDEX sessions_account ON sessions(account_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE applications (
    id             TEXT PRIMARY KEY,
    applicant_id   TEXT NOT NULL REFERENCES applicants(id),
    unit_id        TEXT NOT NULL REFERENCES units(id),
    series         TEXT NOT NULL,
    stage          TEXT NOT NULL,
    holder_unit_id TEXT,
    version        BIGINT NOT NULL,
    data           TEXT NOT NULL
);
CREATE INDEX applications_unit ON applications(unit_id, series);
CREATE INDEX applications_applicant ON applications(applicant_id);

-- Attachment metadata. stored = 0 for files a seeded world names but whose
-- bytes were never uploaded: they may be listed, not served or referenced.
CREATE TABLE attachments (
    sha256       TEXT PRIMARY KEY,
    size         BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    stored       INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
);

-- Who uploaded a file (they may read it back before any application names it).
CREATE TABLE attachment_uploads (
    sha256     TEXT NOT NULL REFERENCES attachments(sha256),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (sha256, account_id)
);

-- Which files an application references (for authorization and the feed).
CREATE TABLE application_attachments (
    application_id TEXT NOT NULL REFERENCES applications(id),
    sha256         TEXT NOT NULL,
    PRIMARY KEY (application_id, sha256)
);
CREATE INDEX application_attachments_sha ON application_attachments(sha256);

CREATE TABLE registrations (
    id          TEXT PRIMARY KEY,
    unit_id     TEXT NOT NULL REFERENCES units(id), -- the registering unit
    superior_id TEXT NOT NULL REFERENCES units(id),
    status      TEXT NOT NULL,
    version     BIGINT NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX registrations_unit ON registrations(unit_id, status);
CREATE INDEX registrations_superior ON registrations(superior_id);

CREATE TABLE committees (
    id      TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    data    TEXT NOT NULL
);

CREATE TABLE experts (
    id      TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    version BIGINT NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX experts_unit ON experts(unit_id);

CREATE TABLE messages (
    id             TEXT PRIMARY KEY,
    sender_unit_id TEXT NOT NULL REFERENCES units(id),
    sent_at        BIGINT NOT NULL
);

-- One row per (message, viewer): the sender's copy (with recipients) and each
-- recipient's inbox copy (with its own read time). The feed joins it by viewer.
CREATE TABLE message_views (
    message_id TEXT NOT NULL REFERENCES messages(id),
    viewer     TEXT NOT NULL,
    inbound    INTEGER NOT NULL,
    version    BIGINT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (message_id, viewer)
);

CREATE TABLE stock_comments (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    version    BIGINT NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX stock_comments_account ON stock_comments(account_id);

-- The single calendar document (id 'calendar').
CREATE TABLE calendar (
    id      TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    data    TEXT NOT NULL
);

-- The change feed: one row per (viewer, kind, entity). A new change replaces
-- the viewer's old row with a higher seq, so a page never holds a stale
-- duplicate. viewer is 'u:<unit>', 'p:<applicant>', 'a:<account>' or '*'.
CREATE TABLE feed (
    viewer    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op        TEXT NOT NULL,
    version   BIGINT NOT NULL,
    seq       BIGINT NOT NULL,
    PRIMARY KEY (viewer, kind, entity_id)
);
-- Covering: a page is read from this index alone.
CREATE INDEX feed_viewer_seq ON feed(viewer, seq, op, version);

-- Attachment bytes (PostgreSQL only: SQLite keeps them as files in the
-- data directory). Every server on the database reads the same files, and
-- a dump or a standby carries them. PDFs and images are compressed
-- already: stored without TOAST compression.
CREATE TABLE attachment_files (
    sha256 TEXT PRIMARY KEY,
    data   BYTEA NOT NULL
);
ALTER TABLE attachment_files ALTER COLUMN data SET STORAGE EXTERNAL;

-- Monotonic counters (the feed sequence).
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters(name, value) VALUES ('feed_seq', 0);

-- Exactly-once command results, keyed by the device's sequence number.
CREATE TABLE command_results (
    device_id  TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    command_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    type       TEXT NOT NULL,
    status     TEXT NOT NULL,
    result     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, seq)
);
