-- Delegations (sqlite): a shop lets a certified designer work on it within scopes (catalog, listing,
-- markets, sales: comma-separated codes) from starts_at until ends_at (at most 365 days), or until
-- revoked_at. Rows are kept after they end: the audit trail names the designer acting for the shop.
CREATE TABLE delegations (
    id INTEGER PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    designer_id BIGINT NOT NULL REFERENCES users (id),
    scopes TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX delegations_designer ON delegations (designer_id, merchant_id);
CREATE INDEX delegations_merchant ON delegations (merchant_id, id);
CREATE INDEX audit_log_on_behalf_of ON audit_log (on_behalf_of_user_id, id);
