-- Courses for 디지털 유통설계사 (sqlite): a course is ordered modules (Markdown with its sanitized HTML,
-- links one per line, a quiz one question per line as `question | choice | *right choice`);
-- module_passes records each module a designer passed (the first pass stands).
CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    area TEXT NOT NULL CHECK (area IN ('listing', 'detail_page', 'live', 'consulting')),
    summary TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE course_modules (
    id INTEGER PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    links TEXT NOT NULL,
    quiz TEXT NOT NULL,
    UNIQUE (course_id, position)
);
CREATE TABLE module_passes (
    designer_id BIGINT NOT NULL REFERENCES users (id),
    module_id BIGINT NOT NULL REFERENCES course_modules (id),
    passed_at BIGINT NOT NULL,
    PRIMARY KEY (designer_id, module_id)
);
