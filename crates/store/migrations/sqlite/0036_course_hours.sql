-- A course earns continuing-education (보수교육) hours towards renewing a certificate.
ALTER TABLE courses ADD COLUMN hours BIGINT NOT NULL DEFAULT 0;
