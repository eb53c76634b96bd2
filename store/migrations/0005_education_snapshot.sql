-- 查询统计 counts 学历 as the application was submitted with it: the
-- applicant's record frozen at submission (Application.Applicant, SEC-1),
-- derived in Go (decodeApplicationRow); '' when the record has none, and
-- the statistics then fall back to applicants.education.
ALTER TABLE applications ADD COLUMN education TEXT NOT NULL DEFAULT '';
UPDATE applications SET education = coalesce((
    SELECT CASE WHEN json_valid(d.data) THEN d.data ->> '$.applicant.education' END
    FROM application_data d WHERE d.id = applications.id), '');
