-- Designers' profiles (sqlite): the regions served (comma-separated 시도/시군구 codes), industries
-- (comma-separated 상권업종 codes or category prefixes), skills (comma-separated codes), how many
-- shops at once, languages (comma-separated) and a short introduction.
CREATE TABLE designer_profiles (
    designer_id BIGINT PRIMARY KEY REFERENCES users (id),
    regions TEXT NOT NULL,
    industries TEXT NOT NULL,
    skills TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    languages TEXT NOT NULL,
    intro TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
