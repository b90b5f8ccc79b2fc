-- Matching proposals (sqlite), and when marketplace keys were entered. A run of the optimal
-- matching proposes a certified designer to a managed-track shop; the shop's owner and the
-- designer each accept or decline, and only when both accept does a delegation start
-- (delegation_id), with the scopes and days the owner chose
-- on accepting. A proposal is open while nobody declined and no delegation started; a shop has at
-- most one open proposal, and a designer's open proposals take places like running delegations.
CREATE TABLE match_proposals (
    id INTEGER PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    designer_id BIGINT NOT NULL REFERENCES users (id),
    -- Why the pair was made, as the matching put it (key=value facts, comma-separated).
    reasons TEXT NOT NULL,
    proposed_at BIGINT NOT NULL,
    merchant_answer TEXT CHECK (merchant_answer IN ('accepted', 'declined')),
    merchant_answered_at BIGINT,
    scopes TEXT,
    days BIGINT,
    designer_answer TEXT CHECK (designer_answer IN ('accepted', 'declined')),
    designer_answered_at BIGINT,
    delegation_id BIGINT REFERENCES delegations (id)
);
CREATE INDEX match_proposals_merchant ON match_proposals (merchant_id, id);
CREATE INDEX match_proposals_designer ON match_proposals (designer_id, id);
-- When a shop's marketplace keys were last entered: Coupang's expire 180 days after issuing, and
-- the shop and its designer are warned 14 days before.
ALTER TABLE channel_accounts ADD COLUMN keys_saved_at BIGINT;
