-- SEC-1: every application that was ever submitted keeps a copy of its
-- applicant's record (PostgreSQL; sqlite/0003_identity_snapshot.sql does
-- the same with SQLite's JSON functions). The record is appended to the
-- stored JSON text as the last key, as SQLite's json_set does, so the feed
-- serves the same bytes from either store.
UPDATE applications
SET data = left(applications.data, length(applications.data) - 1) || ',"applicant":' || p.data || '}'
FROM applicants p
WHERE p.id = applications.applicant_id
  AND applications.stage <> 'draft'
  AND (applications.data::json ->> 'applicant') IS NULL;
