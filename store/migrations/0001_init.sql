-- TitleDesk client cache, schema version 1.
--
-- Entity tables mirror the pull feed: typed, indexed columns for what the
-- screens filter, sort and search on, plus `data`, the model value exactly as
-- received (or as written optimistically). Times are unix milliseconds.

-- Key/value sync state: device id, cursor, last sync, identity, verifier.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE units (
    id        TEXT PRIMARY KEY,
    parent_id TEXT,
    kind      TEXT NOT NULL,
    name      TEXT NOT NULL,
    version   INTEGER NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

-- Closure table (ancestor, descendant, depth) including (u, u, 0): "all of
-- my subtree" and "is X in my subtree" are one index range each. Rebuilt
-- from units.parent_id whenever a page touches units (they are few).
CREATE TABLE unit_tree (
    ancestor   TEXT NOT NULL,
    descendant TEXT NOT NULL,
    depth      INTEGER NOT NULL,
    PRIMARY KEY (ancestor, descendant)
) WITHOUT ROWID;
CREATE INDEX unit_tree_descendant ON unit_tree(descendant);

-- Self-registered units; parent_id is the superior they chose (UNIT-1).
CREATE TABLE registrations (
    id           TEXT PRIMARY KEY,
    parent_id    TEXT NOT NULL,
    status       TEXT NOT NULL,
    name         TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    data         TEXT NOT NULL
);
CREATE INDEX registrations_parent ON registrations(parent_id, status, submitted_at);

CREATE TABLE applicants (
    id        TEXT PRIMARY KEY,
    unit_id   TEXT NOT NULL,
    name      TEXT NOT NULL,
    id_number TEXT NOT NULL,
    gender    TEXT NOT NULL,
    version   INTEGER NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX applicants_unit ON applicants(unit_id);

-- applicant_name, id_number, gender and unit_name are copies kept in step by
-- the applicant and unit writers, so list queries never join at read time.
-- withdrawable_by is the unit that may 撤回 right now (Application.CanWithdraw).
CREATE TABLE applications (
    id              TEXT PRIMARY KEY,
    applicant_id    TEXT NOT NULL,
    unit_id         TEXT NOT NULL,
    holder_unit_id  TEXT NOT NULL DEFAULT '',
    stage           TEXT NOT NULL,
    year            INTEGER NOT NULL,
    series          TEXT NOT NULL,
    level           TEXT NOT NULL,
    method          TEXT NOT NULL,
    version         INTEGER NOT NULL,
    submitted_at    INTEGER,
    returned_at     INTEGER,
    updated_at      INTEGER NOT NULL,
    applicant_name  TEXT NOT NULL DEFAULT '',
    id_number       TEXT NOT NULL DEFAULT '',
    gender          TEXT NOT NULL DEFAULT '',
    unit_name       TEXT NOT NULL DEFAULT '',
    specialty       TEXT NOT NULL,
    title_name      TEXT NOT NULL,
    withdrawable_by TEXT NOT NULL DEFAULT '',
    reviewers       TEXT NOT NULL DEFAULT '[]', -- JSON array of unit ids that passed or returned it
    data            TEXT NOT NULL
);
-- Every queue page and dashboard count is one range of this index.
CREATE INDEX applications_queue ON applications(holder_unit_id, stage, submitted_at);
CREATE INDEX applications_applicant ON applications(applicant_id);
CREATE INDEX applications_unit ON applications(unit_id, series);

-- 已审核列表: units that passed or returned an application (from its flow).
CREATE TABLE reviewed_by (
    unit_id        TEXT NOT NULL,
    application_id TEXT NOT NULL,
    PRIMARY KEY (unit_id, application_id)
) WITHOUT ROWID;
CREATE INDEX reviewed_by_application ON reviewed_by(application_id);

-- reviewed_by follows applications.reviewers. Triggers rather than Go code:
-- on a pull the reviewer set rarely changes, and when it does not, nothing
-- is rewritten (and the 2.4 KB record is not sent to SQLite twice).
CREATE TRIGGER applications_reviewers_insert AFTER INSERT ON applications
WHEN NEW.reviewers <> '[]' BEGIN
    INSERT OR IGNORE INTO reviewed_by(unit_id, application_id) SELECT value, NEW.id FROM json_each(NEW.reviewers);
END;
CREATE TRIGGER applications_reviewers_update AFTER UPDATE OF reviewers ON applications
WHEN OLD.reviewers <> NEW.reviewers BEGIN
    DELETE FROM reviewed_by WHERE application_id = OLD.id;
    INSERT OR IGNORE INTO reviewed_by(unit_id, application_id) SELECT value, NEW.id FROM json_each(NEW.reviewers);
END;
CREATE TRIGGER applications_reviewers_delete AFTER DELETE ON applications BEGIN
    DELETE FROM reviewed_by WHERE application_id = OLD.id;
END;

CREATE TABLE messages (
    id      TEXT PRIMARY KEY,
    inbound INTEGER NOT NULL,
    unread  INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    title   TEXT NOT NULL,
    version INTEGER NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX messages_box ON messages(inbound, unread, sent_at);

CREATE TABLE experts (
    id         TEXT PRIMARY KEY,
    unit_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX experts_unit ON experts(unit_id, updated_at);

CREATE TABLE committees (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    series  TEXT NOT NULL,
    version INTEGER NOT NULL,
    data    TEXT NOT NULL
);

CREATE TABLE stock_comments (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    data     TEXT NOT NULL
);
CREATE INDEX stock_comments_position ON stock_comments(position);

-- Attachment metadata from the feed (bytes are in `files` when held locally).
CREATE TABLE attachments (
    sha256  TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    data    TEXT NOT NULL
);

-- The single calendar change (holidays and make-up working days).
CREATE TABLE calendar (
    id      TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    data    TEXT NOT NULL
);

-- Local-only tables below: never written by a pull.

-- Server copies of entities a pending command changed optimistically. data
-- NULL means the entity did not exist on the server (a local create).
CREATE TABLE shadows (
    kind TEXT NOT NULL,
    id   TEXT NOT NULL,
    data TEXT,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL,
    entity_kind  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    args         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending',
    created_at   INTEGER NOT NULL
);
CREATE INDEX outbox_entity ON outbox(entity_id);

CREATE TABLE conflicts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id     TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    type           TEXT NOT NULL,
    base_version   INTEGER NOT NULL,
    args           TEXT NOT NULL,
    status         TEXT NOT NULL,
    code           TEXT NOT NULL,
    title          TEXT NOT NULL,
    detail         TEXT NOT NULL,
    entity_kind    TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    entity_name    TEXT NOT NULL,
    server_version INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE drafts (
    application_id TEXT PRIMARY KEY,
    opinion        TEXT NOT NULL,
    form           TEXT NOT NULL,
    updated_at     INTEGER NOT NULL
) WITHOUT ROWID;

-- Files held locally, content-addressed; uploaded = 0 until the server has them.
CREATE TABLE files (
    sha256       TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    uploaded     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX files_unuploaded ON files(uploaded, created_at);
