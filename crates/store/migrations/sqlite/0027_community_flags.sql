-- Moderation of the community (sqlite): answers can be hidden like questions, and anyone signed
-- in can flag a question (answer_id 0) or an answer once, with a reason (spam, abuse,
-- advertising, personal data); staff resolve a post's open flags by hiding it or keeping it.
ALTER TABLE community_answers ADD COLUMN hidden_at BIGINT;

CREATE TABLE community_flags (
    id INTEGER PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES community_questions (id),
    answer_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    note TEXT NOT NULL,
    at BIGINT NOT NULL,
    resolved_at BIGINT,
    resolved_by BIGINT REFERENCES users (id),
    outcome TEXT,
    UNIQUE (question_id, answer_id, user_id)
);
CREATE INDEX community_flags_open ON community_flags (resolved_at, question_id, answer_id);
