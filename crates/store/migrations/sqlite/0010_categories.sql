-- Marketplace category trees as loaded by operators (SQLite): leaf categories with their path,
-- and per category the marketplace's metadata (Coupang: notice items and purchase options) as
-- JSON; and tables a marketplace does not publish (11st/ESM notice codes), as JSON.
CREATE TABLE categories (
    channel TEXT NOT NULL CHECK (channel IN ('naver', 'coupang', '11st', 'esm')),
    code TEXT NOT NULL,
    path TEXT NOT NULL,
    meta TEXT,
    PRIMARY KEY (channel, code)
);
CREATE TABLE channel_tables (
    channel TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (channel, name)
);
