-- reviewed_by loses its application_id index: the triggers that maintain it
-- know the rows to delete from OLD.reviewers, so they delete by primary key.
-- With random UUID keys every index dirties pages all over the file on each
-- pulled page, and reviewed_by (~2 rows per application) was ~25 % of a
-- sync's WAL volume (docs/benchmarks.md).
DROP INDEX reviewed_by_application;

DROP TRIGGER applications_reviewers_update;
CREATE TRIGGER applications_reviewers_update AFTER UPDATE OF reviewers ON applications
WHEN OLD.reviewers <> NEW.reviewers BEGIN
    DELETE FROM reviewed_by WHERE unit_id IN (SELECT value FROM json_each(OLD.reviewers)) AND application_id = OLD.id;
    INSERT OR IGNORE INTO reviewed_by(unit_id, application_id) SELECT value, NEW.id FROM json_each(NEW.reviewers);
END;

DROP TRIGGER applications_delete;
CREATE TRIGGER applications_delete AFTER DELETE ON applications BEGIN
    DELETE FROM reviewed_by WHERE unit_id IN (SELECT value FROM json_each(OLD.reviewers)) AND application_id = OLD.id;
    DELETE FROM application_data WHERE id = OLD.id;
END;
