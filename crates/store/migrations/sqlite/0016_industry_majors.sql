-- Industry breakdowns group by the 대분류, the industry code's first two characters (I2 음식),
-- not its first letter (SQLite). Migration 0012 counted by the first letter; its triggers are
-- replaced (the new ones follow this file) and the counts made again.
DROP TRIGGER IF EXISTS merchant_counts_insert;
DROP TRIGGER IF EXISTS merchant_counts_delete;
DROP TRIGGER IF EXISTS merchant_counts_update;
