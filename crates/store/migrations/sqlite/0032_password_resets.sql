-- Password resets (sqlite): one-time links, by the digest of their token (the token itself is
-- only in the mail or shown once to the operator who issued it). A link is used once and expires.
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_digest TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    issued_by BIGINT REFERENCES users (id)
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);
