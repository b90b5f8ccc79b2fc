-- A deleted product stays restorable for 30 days: deleted_at marks it (reads leave it out) and
-- its sku column is freed (the product file keeps the code) so a new product may take it.
ALTER TABLE products ADD COLUMN deleted_at BIGINT;
CREATE INDEX products_deleted ON products (deleted_at) WHERE deleted_at IS NOT NULL;
