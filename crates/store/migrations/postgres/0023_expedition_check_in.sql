-- 원정대 check-in (postgres): when each applicant arrived on the day (staff check them in at the door).
ALTER TABLE expedition_applications ADD COLUMN checked_in_at BIGINT;
