-- Review checks ("how did the marketplace's review go?") run as bulk jobs too (sqlite). SQLite
-- cannot change a CHECK constraint in place: the table is rebuilt with its rows and indexes.
CREATE TABLE bulk_jobs_new (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('validate', 'submit', 'review')),
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
INSERT INTO bulk_jobs_new (id, kind, channel, state, total, done, passed, failed, started_by,
                           started_at, finished_at)
    SELECT id, kind, channel, state, total, done, passed, failed, started_by, started_at,
           finished_at
    FROM bulk_jobs;
DROP TABLE bulk_jobs;
ALTER TABLE bulk_jobs_new RENAME TO bulk_jobs;
CREATE UNIQUE INDEX bulk_jobs_one_running ON bulk_jobs (channel) WHERE state = 'running';
CREATE INDEX bulk_jobs_newest ON bulk_jobs (channel, id);
