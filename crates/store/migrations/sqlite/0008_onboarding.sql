-- The onboarding board (SQLite): one card per merchant and marketplace, in one stage, and every
-- move of it.
CREATE TABLE onboarding_cards (
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    channel TEXT NOT NULL CHECK (channel IN ('naver', 'coupang', '11st', 'esm')),
    stage TEXT NOT NULL CHECK (stage IN ('preparing', 'account_check', 'drafting', 'validated', 'submitted', 'in_review', 'selling', 'rejected', 'on_hold')),
    entered_at BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    moved_by BIGINT REFERENCES users (id),
    PRIMARY KEY (merchant_id, channel)
);
CREATE INDEX onboarding_cards_stage ON onboarding_cards (stage, entered_at);
CREATE TABLE onboarding_moves (
    id INTEGER PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    channel TEXT NOT NULL,
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    moved_by BIGINT REFERENCES users (id),
    moved_at BIGINT NOT NULL
);
CREATE INDEX onboarding_moves_merchant ON onboarding_moves (merchant_id, id);
