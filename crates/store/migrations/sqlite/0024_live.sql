-- 가치데이 live commerce (sqlite): studios (broadcast start times as minutes after midnight,
-- comma-separated), the show-host roster (업종 대분류 names comma-separated, weekdays as a
-- Monday-first bitmask), calls with their quotas, criteria weights and reviewers (account ids,
-- comma-separated), applications (featured product ids and preferred weeks' Mondays,
-- comma-separated), review assignments (scores per criterion once submitted), broadcasts in
-- their slots with the pre-consulting checklist and expected units ("product:units" pairs), and
-- results per broadcast, channel and product (product 0: the whole broadcast).
CREATE TABLE live_studios (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    place TEXT NOT NULL,
    times TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE live_hosts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    categories TEXT NOT NULL,
    weekdays BIGINT NOT NULL,
    fee BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE live_calls (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    applications_close BIGINT NOT NULL,
    quota_total BIGINT NOT NULL,
    quota_per_sido BIGINT,
    quota_per_industry BIGINT,
    first_time_percent BIGINT NOT NULL,
    weights TEXT NOT NULL,
    min_days_between BIGINT NOT NULL,
    channels TEXT NOT NULL,
    reviewers TEXT NOT NULL,
    reviews_per_application BIGINT NOT NULL,
    reviewer_load BIGINT NOT NULL,
    selected_at BIGINT,
    scheduled_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE live_applications (
    id INTEGER PRIMARY KEY,
    call_id BIGINT NOT NULL REFERENCES live_calls (id),
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    products TEXT NOT NULL,
    preferred_weeks TEXT NOT NULL,
    pitch TEXT NOT NULL,
    first_time BIGINT NOT NULL,
    status TEXT NOT NULL,
    score BIGINT,
    reason TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    UNIQUE (call_id, merchant_id)
);
CREATE INDEX live_applications_merchant ON live_applications (merchant_id);

CREATE TABLE live_reviews (
    application_id BIGINT NOT NULL REFERENCES live_applications (id),
    reviewer_id BIGINT NOT NULL REFERENCES users (id),
    scores TEXT,
    comment TEXT NOT NULL,
    submitted_at BIGINT,
    PRIMARY KEY (application_id, reviewer_id)
);
CREATE INDEX live_reviews_reviewer ON live_reviews (reviewer_id);

CREATE TABLE live_broadcasts (
    id INTEGER PRIMARY KEY,
    call_id BIGINT NOT NULL REFERENCES live_calls (id),
    application_id BIGINT NOT NULL UNIQUE REFERENCES live_applications (id),
    broadcast_date TEXT NOT NULL,
    starts_minute BIGINT NOT NULL,
    studio_id BIGINT NOT NULL REFERENCES live_studios (id),
    host_id BIGINT NOT NULL REFERENCES live_hosts (id),
    channels TEXT NOT NULL,
    status TEXT NOT NULL,
    checklist TEXT NOT NULL,
    expected_units TEXT NOT NULL,
    discount_percent BIGINT NOT NULL,
    replay_url TEXT NOT NULL,
    survey_score BIGINT,
    survey_comment TEXT NOT NULL,
    confirmed_at BIGINT,
    held_at BIGINT
);
CREATE INDEX live_broadcasts_date ON live_broadcasts (broadcast_date);

CREATE TABLE live_results (
    broadcast_id BIGINT NOT NULL REFERENCES live_broadcasts (id),
    channel TEXT NOT NULL,
    product_id BIGINT NOT NULL,
    viewers BIGINT NOT NULL,
    peak_viewers BIGINT NOT NULL,
    likes BIGINT NOT NULL,
    chats BIGINT NOT NULL,
    orders BIGINT NOT NULL,
    sales_krw BIGINT NOT NULL,
    PRIMARY KEY (broadcast_id, channel, product_id)
);
