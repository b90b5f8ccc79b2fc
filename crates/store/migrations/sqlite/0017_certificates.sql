-- 디지털 유통설계사 certificates (sqlite). Each keeps the signed Open Badges 3.0 credential byte for
-- byte as issued (verifiers check its signature); revocation is recorded beside it and published
-- through the status list at the certificate's status_index, which is never reused.
CREATE TABLE certificates (
    number TEXT PRIMARY KEY,
    holder_id BIGINT NOT NULL REFERENCES users (id),
    level BIGINT NOT NULL CHECK (level IN (1, 2)),
    issued_at BIGINT NOT NULL,
    valid_until BIGINT NOT NULL,
    status_index BIGINT NOT NULL UNIQUE,
    credential TEXT NOT NULL,
    revoked_at BIGINT,
    revoked_reason TEXT
);
CREATE INDEX certificates_holder ON certificates (holder_id, issued_at);
