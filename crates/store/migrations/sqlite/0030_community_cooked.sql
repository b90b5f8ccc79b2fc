-- Cooked posts: each question, answer and article keeps the safe HTML of its Markdown, rendered
-- once when it is written (as Discourse keeps "cooked"), so reading a thread is concatenation.
-- NULL for posts written before this column; readers render those on the fly.
ALTER TABLE community_questions ADD COLUMN body_html TEXT;
ALTER TABLE community_answers ADD COLUMN body_html TEXT;
ALTER TABLE community_articles ADD COLUMN body_html TEXT;
