-- 查询统计 (STAT-1) counts by 学历 and tells 不通过 from 退回 in SQL.
--
-- applicants.education is 学历, copied from the record by the applicant
-- writer (a category, not personal data that needs sealing).
-- applications.returned_by is the unit of the flow's newest 不通过 (reject)
-- step, '' when there is none; derived in Go (decodeApplicationRow).
ALTER TABLE applicants ADD COLUMN education TEXT NOT NULL DEFAULT '';
UPDATE applicants SET education = coalesce(trim(data ->> 'education'), '') WHERE json_valid(data);

ALTER TABLE applications ADD COLUMN returned_by TEXT NOT NULL DEFAULT '';
UPDATE applications SET returned_by = coalesce((
    SELECT f.value ->> 'unit_id'
    FROM application_data d, json_each(CASE WHEN json_valid(d.data) THEN d.data ELSE '{}' END, '$.flow') f
    WHERE d.id = applications.id AND f.value ->> 'action' = 'reject'
    ORDER BY f.key DESC LIMIT 1), '');
