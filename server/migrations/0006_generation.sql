-- The database's generation: a random id (server/generation.go) written when
-- the server first opens the database, fresh into every backup copy and at
-- every restore. Feed cursors carry it, so a client whose cursor came from
-- another generation (the server was restored from a backup) is told to
-- pull again from the start (cursor_reset) instead of syncing "successfully"
-- from a position that no longer means the same thing. One row.
CREATE TABLE generation (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    id  TEXT NOT NULL
);
