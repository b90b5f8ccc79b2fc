-- The 디지털 유통설계사 exam (sqlite). exam_items is the bank: each item in its written form
-- (`question | choice | *right` or `question | =accepted | =accepted`), retired rather than deleted.
-- exam_attempts holds each attempt with its deadline, the practical's product as last saved and
-- its result once closed; one attempt per candidate is open at a time (the partial unique index).
-- exam_attempt_items is each attempt's drawn form with the answers saved.
CREATE TABLE exam_items (
    id INTEGER PRIMARY KEY,
    area TEXT NOT NULL CHECK (area IN ('listing', 'detail_page', 'live', 'consulting')),
    written TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
CREATE TABLE exam_attempts (
    id INTEGER PRIMARY KEY,
    designer_id BIGINT NOT NULL REFERENCES users (id),
    level BIGINT NOT NULL CHECK (level IN (1, 2)),
    started_at BIGINT NOT NULL,
    deadline BIGINT NOT NULL,
    brief TEXT NOT NULL,
    practical TEXT,
    closed_at BIGINT,
    outcome TEXT CHECK (outcome IN ('passed', 'failed', 'timed_out')),
    written_right BIGINT,
    written_total BIGINT,
    practical_passed BOOLEAN,
    certificate_number TEXT
);
CREATE UNIQUE INDEX exam_attempts_one_open ON exam_attempts (designer_id) WHERE closed_at IS NULL;
CREATE INDEX exam_attempts_by_designer ON exam_attempts (designer_id, started_at);
CREATE TABLE exam_attempt_items (
    attempt_id BIGINT NOT NULL REFERENCES exam_attempts (id),
    position BIGINT NOT NULL,
    item_id BIGINT NOT NULL REFERENCES exam_items (id),
    answer TEXT,
    PRIMARY KEY (attempt_id, position)
);
