-- Incremental aggregates for the dashboard (SQLite): merchants counted by region, status, track
-- and industry major category, kept by triggers (dropped during a fresh bulk import and rebuilt
-- after it); and online sales per month and region, kept by the sales-report writes.
CREATE TABLE merchant_counts (
    region_code TEXT NOT NULL,
    status TEXT NOT NULL,
    track TEXT NOT NULL,
    industry_major TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (region_code, status, track, industry_major)
);
INSERT INTO merchant_counts (region_code, status, track, industry_major, n)
    SELECT region_code, status, COALESCE(track, ''), substr(industry_code, 1, 1), COUNT(*)
    FROM merchants GROUP BY region_code, status, COALESCE(track, ''), substr(industry_code, 1, 1);
CREATE TABLE sales_totals (
    month TEXT NOT NULL,
    region_code TEXT NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (month, region_code)
);
INSERT INTO sales_totals (month, region_code, total)
    SELECT s.month, m.region_code, SUM(s.sales_krw) FROM sales_reports s JOIN merchants m ON m.id = s.merchant_id
    GROUP BY s.month, m.region_code;
-- Merchants onboarded (first 판매중 on any marketplace) per year and region, kept by the moves.
CREATE TABLE onboarded_counts (
    year BIGINT NOT NULL,
    region_code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (year, region_code)
);
