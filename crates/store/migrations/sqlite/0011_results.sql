-- Results (SQLite): monthly online sales per merchant and channel with every correction kept,
-- the hall of fame as computed from them, and settings (targets, the threshold).
CREATE TABLE sales_reports (
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    channel TEXT NOT NULL,
    month TEXT NOT NULL,
    sales_krw BIGINT NOT NULL,
    orders BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, channel, month)
);
CREATE TABLE sales_report_changes (
    id INTEGER PRIMARY KEY,
    merchant_id BIGINT NOT NULL,
    channel TEXT NOT NULL,
    month TEXT NOT NULL,
    old_sales_krw BIGINT,
    old_orders BIGINT,
    new_sales_krw BIGINT NOT NULL,
    new_orders BIGINT NOT NULL,
    changed_by BIGINT REFERENCES users (id),
    changed_at BIGINT NOT NULL
);
CREATE INDEX sales_report_changes_merchant ON sales_report_changes (merchant_id, id);
CREATE TABLE hall_of_fame (
    merchant_id BIGINT PRIMARY KEY REFERENCES merchants (id),
    -- The merchant's region, copied so regional counts need no merchant row.
    region_code TEXT NOT NULL,
    entry_month TEXT NOT NULL,
    story TEXT,
    updated_at BIGINT NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
