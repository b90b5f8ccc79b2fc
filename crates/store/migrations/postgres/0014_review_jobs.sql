-- Review checks ("how did the marketplace's review go?") run as bulk jobs too (postgres).
ALTER TABLE bulk_jobs DROP CONSTRAINT bulk_jobs_kind_check;
ALTER TABLE bulk_jobs ADD CONSTRAINT bulk_jobs_kind_check
    CHECK (kind IN ('validate', 'submit', 'review'));
