-- The trigger keeping merchant_counts (PostgreSQL); see migrations 0012 and 0016 (by the 대분류, two characters).
CREATE OR REPLACE FUNCTION merchant_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE merchant_counts SET n = n - 1 WHERE region_code = OLD.region_code AND status = OLD.status
            AND track = COALESCE(OLD.track, '') AND industry_major = substr(OLD.industry_code, 1, 2);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO merchant_counts (region_code, status, track, industry_major, n)
            VALUES (NEW.region_code, NEW.status, COALESCE(NEW.track, ''), substr(NEW.industry_code, 1, 2), 1)
            ON CONFLICT (region_code, status, track, industry_major) DO UPDATE SET n = merchant_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER merchant_counts_change AFTER INSERT OR DELETE OR UPDATE OF region_code, status, track, industry_code
    ON merchants FOR EACH ROW EXECUTE FUNCTION merchant_counts_apply();
