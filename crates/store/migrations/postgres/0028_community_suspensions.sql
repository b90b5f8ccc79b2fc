-- Accounts whose community posting staff suspended (postgres): until when, why and by whom.
CREATE TABLE community_suspensions (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    until BIGINT NOT NULL,
    reason TEXT NOT NULL,
    suspended_by BIGINT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL
);
