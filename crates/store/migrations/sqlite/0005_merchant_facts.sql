-- Offline store facts and the online channels a shop already sells on (SQLite).
ALTER TABLE merchants ADD COLUMN opened_year BIGINT;
ALTER TABLE merchants ADD COLUMN employees BIGINT;
ALTER TABLE merchants ADD COLUMN floor_area_m2 BIGINT;
-- Comma-separated: naver, coupang, 11st, esm, own_mall, sns.
ALTER TABLE merchants ADD COLUMN online_channels TEXT NOT NULL DEFAULT '';
