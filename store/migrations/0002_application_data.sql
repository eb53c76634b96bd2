-- Application records (~2.4 KB of JSON each) move to a table of their own.
-- Inline, each applications row filled most of a 4 KB page, so a list that
-- filters or joins thousands of rows (已审核列表, statistics) read thousands
-- of pages; without them a page holds ~15 rows and the table stays in cache.
CREATE TABLE application_data (
    id   TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
INSERT INTO application_data(id, data) SELECT id, data FROM applications;
ALTER TABLE applications DROP COLUMN data;

DROP TRIGGER applications_reviewers_delete;
CREATE TRIGGER applications_delete AFTER DELETE ON applications BEGIN
    DELETE FROM reviewed_by WHERE application_id = OLD.id;
    DELETE FROM application_data WHERE id = OLD.id;
END;
