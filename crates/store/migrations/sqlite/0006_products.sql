-- The product master (SQLite). The whole product file v1 is kept as JSON; the columns beside it
-- are what lists filter and sort on.
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    price BIGINT NOT NULL,
    stock BIGINT NOT NULL,
    notice_type TEXT,
    file TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (merchant_id, sku)
);
