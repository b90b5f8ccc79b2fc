-- Bulk actions on the onboarding board, run as jobs with their progress (sqlite). At most one
-- runs per marketplace: two "submit all" runs over the same cards could list a product twice.
CREATE TABLE bulk_jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('validate', 'submit')),
    channel TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'interrupted')),
    total BIGINT NOT NULL,
    done BIGINT NOT NULL DEFAULT 0,
    passed BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    started_by BIGINT NOT NULL REFERENCES users (id),
    started_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE UNIQUE INDEX bulk_jobs_one_running ON bulk_jobs (channel) WHERE state = 'running';
CREATE INDEX bulk_jobs_newest ON bulk_jobs (channel, id);
