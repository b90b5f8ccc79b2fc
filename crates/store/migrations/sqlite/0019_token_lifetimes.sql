-- API token lifetimes (sqlite): an expiry (NULL: until revoked), the last use (recorded at most
-- once a minute) and the revocation. Revoked tokens are kept, so the account page and the audit
-- trail can still name them.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;
-- Tokens made before tokens expired get the default lifetime, 90 days, counted from this
-- migration rather than from their creation, so no running integration stops the day it is applied.
UPDATE api_tokens SET expires_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 90 * 86400000;
