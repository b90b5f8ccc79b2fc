-- Mentors (sqlite): hall-of-fame owners who offer to mentor (with a note; withdrawn keeps the
-- row), and merchants' requests to one of them (once per pair), accepted or declined.
CREATE TABLE community_mentors (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    note TEXT NOT NULL,
    offered_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);

CREATE TABLE community_mentor_requests (
    id INTEGER PRIMARY KEY,
    mentor_id BIGINT NOT NULL REFERENCES users (id),
    mentee_id BIGINT NOT NULL REFERENCES users (id),
    message TEXT NOT NULL,
    at BIGINT NOT NULL,
    answered_at BIGINT,
    accepted BIGINT,
    UNIQUE (mentor_id, mentee_id)
);
CREATE INDEX community_mentor_requests_mentee ON community_mentor_requests (mentee_id);
