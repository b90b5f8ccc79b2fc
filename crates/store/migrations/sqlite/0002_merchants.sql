-- Merchants: registered shops and prospects from the public store register (SQLite).
CREATE TABLE merchants (
    id INTEGER PRIMARY KEY,
    store_record_id TEXT UNIQUE,
    name TEXT NOT NULL,
    branch TEXT,
    representative TEXT,
    business_number TEXT,
    mail_order_number TEXT,
    phone TEXT,
    road_address TEXT,
    lot_address TEXT,
    floor TEXT,
    region_code TEXT NOT NULL,
    sido_code TEXT NOT NULL,
    industry_code TEXT NOT NULL,
    longitude_e6 BIGINT,
    latitude_e6 BIGINT,
    status TEXT NOT NULL CHECK (status IN ('prospect', 'registered', 'selected', 'onboarding', 'selling', 'dropped')),
    owner_user_id BIGINT REFERENCES users (id),
    source TEXT NOT NULL,
    import_batch BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- A number is registered once; most rows (register prospects) have none, so the index is partial.
CREATE UNIQUE INDEX merchants_business_number ON merchants (business_number) WHERE business_number IS NOT NULL;
-- The secondary indexes are created (IF NOT EXISTS) every time the store opens, from
-- MERCHANT_INDEXES in merchants.rs: a bulk import of a fresh register drops them and builds them
-- after the load, and an import killed in between gets them back on the next start.
