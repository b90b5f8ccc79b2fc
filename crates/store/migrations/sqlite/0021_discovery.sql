-- Discovery (sqlite): the MD product pool (a product in it is shown to the marketplaces'
-- merchandisers; it leaves with its product), what each shop lets MDs see of its sales ('band' or
-- 'hidden'; no row: hidden), and picks. A pick keeps the product's name as it was when picked, so
-- it reads the same after the product is renamed or deleted.
CREATE TABLE pool_entries (
    product_id BIGINT PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    pooled_at BIGINT NOT NULL
);
CREATE INDEX pool_entries_merchant ON pool_entries (merchant_id, pooled_at);

CREATE TABLE pool_shop_settings (
    merchant_id BIGINT PRIMARY KEY REFERENCES merchants (id),
    sales_visibility TEXT NOT NULL
);

CREATE TABLE picks (
    id INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL,
    product_name TEXT NOT NULL,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    md_id BIGINT NOT NULL REFERENCES users (id),
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL,
    note TEXT NOT NULL,
    decision TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX picks_md ON picks (md_id, id);
CREATE INDEX picks_merchant ON picks (merchant_id, id);
CREATE INDEX picks_product ON picks (product_id, id);
