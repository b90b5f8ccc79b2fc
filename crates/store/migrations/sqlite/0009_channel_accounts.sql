-- Each merchant's marketplace accounts (SQLite): the seller-center settings as JSON and the API
-- keys sealed with the server's secret key (never stored readable); and every listing submission.
CREATE TABLE channel_accounts (
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    channel TEXT NOT NULL CHECK (channel IN ('naver', 'coupang', '11st', 'esm')),
    settings TEXT NOT NULL,
    sealed_credentials TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, channel)
);
CREATE TABLE listing_submissions (
    id INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('created', 'rejected', 'failed')),
    marketplace_product_id TEXT,
    request_digest TEXT NOT NULL,
    detail TEXT NOT NULL,
    submitted_by BIGINT REFERENCES users (id),
    submitted_at BIGINT NOT NULL
);
CREATE INDEX listing_submissions_product ON listing_submissions (product_id, id);
