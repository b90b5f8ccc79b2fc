-- Program rounds, their quotas, applications and decisions (SQLite).
CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'decided')),
    total_seats BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);

-- Seats per 시도 (kind 'sido', key a 2-digit code) or per track (kind 'track').
CREATE TABLE round_quotas (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    kind TEXT NOT NULL CHECK (kind IN ('sido', 'track')),
    quota_key TEXT NOT NULL,
    seats BIGINT NOT NULL
);
CREATE INDEX round_quotas_round ON round_quotas (round_id);

-- The diagnosis scores, track and 시도 are kept as they were when the merchant applied, so a
-- decision can always be explained from what the round saw.
CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    applied_at BIGINT NOT NULL,
    product_score BIGINT NOT NULL,
    online_score BIGINT NOT NULL,
    track TEXT NOT NULL,
    sido_code TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('selected', 'total_full', 'sido_full', 'track_full')),
    decision_rank BIGINT,
    decided_at BIGINT,
    UNIQUE (round_id, merchant_id)
);
CREATE INDEX applications_merchant ON applications (merchant_id);
