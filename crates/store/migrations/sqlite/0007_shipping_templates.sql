-- Reusable shipping and return terms per merchant (SQLite); `terms` is the product file's
-- `shipping` object as JSON.
CREATE TABLE shipping_templates (
    id INTEGER PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    name TEXT NOT NULL,
    terms TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (merchant_id, name)
);
