-- applications.snapshot is 1 when the application holds the applicant's
-- record frozen at submission (SEC-1): its applicant_name, id_number,
-- id_index and gender are then that record's, and a later change of the
-- live applicant (a city office correction) leaves them as decided. Rows
-- cached before this migration read 0 and take their snapshot at the
-- application's next change.
ALTER TABLE applications ADD COLUMN snapshot INTEGER NOT NULL DEFAULT 0;
