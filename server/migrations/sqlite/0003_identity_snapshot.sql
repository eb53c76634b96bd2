-- SEC-1: every application that was ever submitted keeps a copy of its
-- applicant's record. Applications submitted before this version get the
-- record as it is now, the best copy there is; from now on the frozen
-- fields cannot change while they are in review.
UPDATE applications
SET data = json_set(data, '$.applicant', (SELECT json(p.data) FROM applicants p WHERE p.id = applications.applicant_id))
WHERE stage <> 'draft' AND json_extract(data, '$.applicant') IS NULL;
