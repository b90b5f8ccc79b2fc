-- Diagnoses and the history of each merchant's track (SQLite).
ALTER TABLE merchants ADD COLUMN track TEXT CHECK (track IN ('channel', 'managed', 'education'));

CREATE TABLE diagnoses (
    id INTEGER PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    answers TEXT NOT NULL,
    product_score BIGINT NOT NULL,
    online_score BIGINT NOT NULL,
    track TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX diagnoses_merchant ON diagnoses (merchant_id, id);

-- Every change of a merchant's track: from a diagnosis, or an operator's override with a reason.
CREATE TABLE track_changes (
    id INTEGER PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    track TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('diagnosis', 'override')),
    reason TEXT,
    diagnosis_id BIGINT REFERENCES diagnoses (id),
    changed_by BIGINT REFERENCES users (id),
    changed_at BIGINT NOT NULL
);
CREATE INDEX track_changes_merchant ON track_changes (merchant_id, id);
