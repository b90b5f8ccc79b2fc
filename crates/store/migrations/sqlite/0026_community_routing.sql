-- Routing questions to owners who solved the same problem (sqlite): who opted in to being asked
-- (and whether also by shops of their own 시군구 and industry), the invitations sent (one per
-- question and person, with why that person), and each person's notifications (answers to
-- their questions, acceptances of their answers, invitations).
CREATE TABLE community_helpers (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    opted_in BIGINT NOT NULL,
    nearby BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE community_invitations (
    question_id BIGINT NOT NULL REFERENCES community_questions (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (question_id, user_id)
);
CREATE INDEX community_invitations_user ON community_invitations (user_id, at);

CREATE TABLE community_notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    question_id BIGINT NOT NULL REFERENCES community_questions (id),
    answer_id BIGINT,
    actor_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX community_notifications_user ON community_notifications (user_id, created_at);
