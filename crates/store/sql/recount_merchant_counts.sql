-- Counts every merchant afresh into merchant_counts (both backends): after a bulk import that
-- could not keep them, and when the grouping changes (migration 0016).
DELETE FROM merchant_counts;
INSERT INTO merchant_counts (region_code, status, track, industry_major, n)
    SELECT region_code, status, COALESCE(track, ''), substr(industry_code, 1, 2), COUNT(*)
    FROM merchants GROUP BY region_code, status, COALESCE(track, ''), substr(industry_code, 1, 2);
