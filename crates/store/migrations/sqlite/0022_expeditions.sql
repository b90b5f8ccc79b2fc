-- 원정대 events (sqlite): the day (date as YYYY-MM-DD, times as minutes after midnight in Seoul,
-- breaks as "start-end" minute pairs joined by commas), the MDs invited (in invitation order,
-- which is their table order), merchants' applications (pooled product ids and the MDs they rank,
-- comma-separated, first choice first), MDs' marks, and the timetable's meetings with what came of
-- each (outcome, the MD's words to the merchant, the pick made there).
CREATE TABLE expedition_events (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    venue TEXT NOT NULL,
    event_date TEXT NOT NULL,
    starts_minute BIGINT NOT NULL,
    ends_minute BIGINT NOT NULL,
    slot_minutes BIGINT NOT NULL,
    breaks TEXT NOT NULL,
    tables BIGINT NOT NULL,
    meetings_per_merchant BIGINT NOT NULL,
    applications_close BIGINT NOT NULL,
    scheduled_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE expedition_invitations (
    event_id BIGINT NOT NULL REFERENCES expedition_events (id),
    md_id BIGINT NOT NULL REFERENCES users (id),
    channel TEXT NOT NULL,
    looking_for TEXT NOT NULL,
    attendance TEXT NOT NULL,
    invited_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, md_id)
);
CREATE INDEX expedition_invitations_md ON expedition_invitations (md_id);

CREATE TABLE expedition_applications (
    event_id BIGINT NOT NULL REFERENCES expedition_events (id),
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    product_ids TEXT NOT NULL,
    ranking TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, merchant_id)
);

CREATE TABLE expedition_marks (
    event_id BIGINT NOT NULL REFERENCES expedition_events (id),
    md_id BIGINT NOT NULL REFERENCES users (id),
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    mark TEXT NOT NULL,
    PRIMARY KEY (event_id, md_id, merchant_id)
);

CREATE TABLE expedition_meetings (
    id INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES expedition_events (id),
    md_id BIGINT NOT NULL REFERENCES users (id),
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    slot BIGINT NOT NULL,
    table_no BIGINT NOT NULL,
    outcome TEXT,
    feedback TEXT NOT NULL,
    pick_id BIGINT,
    UNIQUE (event_id, md_id, slot),
    UNIQUE (event_id, merchant_id, slot)
);
