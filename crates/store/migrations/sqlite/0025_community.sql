-- 가치삽시다 2.0, the community (sqlite): questions with their topic, marketplace and error code;
-- answers; votes (one per account and answer, +1 or -1); earlier texts of edited posts
-- (answer_id 0: the question itself, article_id for articles); know-how articles with their
-- review status, read count and the accounts that found them helpful. Texts are stored with
-- personal data already masked.
CREATE TABLE community_questions (
    id INTEGER PRIMARY KEY,
    author_id BIGINT NOT NULL REFERENCES users (id),
    author_name TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    topic TEXT NOT NULL,
    channel TEXT NOT NULL,
    error_code TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    solved_at BIGINT,
    hidden_at BIGINT,
    answers BIGINT NOT NULL,
    first_answer_at BIGINT
);
CREATE INDEX community_questions_created ON community_questions (created_at);
CREATE INDEX community_questions_author ON community_questions (author_id, created_at);
CREATE INDEX community_questions_error ON community_questions (error_code, channel);

CREATE TABLE community_answers (
    id INTEGER PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES community_questions (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    accepted_at BIGINT,
    accepted_by BIGINT REFERENCES users (id),
    score BIGINT NOT NULL
);
CREATE INDEX community_answers_question ON community_answers (question_id);
CREATE INDEX community_answers_author ON community_answers (author_id, created_at);

CREATE TABLE community_votes (
    answer_id BIGINT NOT NULL REFERENCES community_answers (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    value BIGINT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (answer_id, user_id)
);

CREATE TABLE community_revisions (
    id INTEGER PRIMARY KEY,
    question_id BIGINT NOT NULL,
    answer_id BIGINT NOT NULL,
    article_id BIGINT NOT NULL,
    editor_id BIGINT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX community_revisions_post ON community_revisions (question_id, answer_id, article_id);

CREATE TABLE community_articles (
    id INTEGER PRIMARY KEY,
    author_id BIGINT NOT NULL REFERENCES users (id),
    author_name TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    topic TEXT NOT NULL,
    channel TEXT NOT NULL,
    error_code TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT,
    version BIGINT NOT NULL,
    reads BIGINT NOT NULL,
    helpful BIGINT NOT NULL
);
CREATE INDEX community_articles_status ON community_articles (status, created_at);

CREATE TABLE community_helpful (
    article_id BIGINT NOT NULL REFERENCES community_articles (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
