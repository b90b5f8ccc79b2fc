-- The triggers keeping merchant_counts (SQLite); see migrations 0012 and 0016 (by the 대분류, two characters).
CREATE TRIGGER IF NOT EXISTS merchant_counts_insert AFTER INSERT ON merchants BEGIN
    INSERT INTO merchant_counts (region_code, status, track, industry_major, n)
        VALUES (NEW.region_code, NEW.status, COALESCE(NEW.track, ''), substr(NEW.industry_code, 1, 2), 1)
        ON CONFLICT (region_code, status, track, industry_major) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS merchant_counts_delete AFTER DELETE ON merchants BEGIN
    UPDATE merchant_counts SET n = n - 1 WHERE region_code = OLD.region_code AND status = OLD.status
        AND track = COALESCE(OLD.track, '') AND industry_major = substr(OLD.industry_code, 1, 2);
END;
CREATE TRIGGER IF NOT EXISTS merchant_counts_update AFTER UPDATE OF region_code, status, track, industry_code ON merchants BEGIN
    UPDATE merchant_counts SET n = n - 1 WHERE region_code = OLD.region_code AND status = OLD.status
        AND track = COALESCE(OLD.track, '') AND industry_major = substr(OLD.industry_code, 1, 2);
    INSERT INTO merchant_counts (region_code, status, track, industry_major, n)
        VALUES (NEW.region_code, NEW.status, COALESCE(NEW.track, ''), substr(NEW.industry_code, 1, 2), 1)
        ON CONFLICT (region_code, status, track, industry_major) DO UPDATE SET n = n + 1;
END;
