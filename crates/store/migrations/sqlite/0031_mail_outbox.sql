-- Mail outbox (sqlite): mail waits here until the mail server takes it, so nothing is lost while
-- it is down; failed attempts keep their count and last error, and when to try again.
-- Community notifications remember when a digest mailed them; helpers may decline the digest.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

ALTER TABLE community_notifications ADD COLUMN digested_at BIGINT;
CREATE INDEX community_notifications_undigested ON community_notifications (user_id)
    WHERE digested_at IS NULL AND read_at IS NULL;
ALTER TABLE community_helpers ADD COLUMN digest BIGINT NOT NULL DEFAULT 1;
