//! The SQL of the community — questions, answers, votes, revisions, articles — written once and
//! expanded for each backend by `community_store_impl!(StoreType)` inside that backend's module.
//! An answer's score and a question's answer count are kept on their rows, updated in the same
//! transaction as the vote or answer that changes them.

macro_rules! community_store_impl {
    ($store:ident) => {
        mod community_sql {
            use super::*;
            use gachi_domain::accounts::UserId;
            use gachi_domain::community::model::{
                Answer, Article, ArticleStatus, Helping, Mentor, MentorRequest, NewAnswer, NewQuestion,
                Notification, NotificationKind, Question, Revision, Topic,
            };
            use gachi_domain::accounts::Locale;
            use gachi_domain::community::digest::Digest;
            use gachi_domain::mail::OutgoingMail;
            use gachi_domain::community::routing::{Candidate, InviteReason};
            use gachi_domain::community::{ArticleText, CommunityStore, EditedText, QuestionFilter};
            use gachi_domain::kernel::channel::Channel;

            type Row = <Backend as sqlx::Database>::Row;

            const QUESTION_SELECT: &str = "SELECT id, author_id, author_name, title, body, topic, channel, error_code, \
                created_at, edited_at, solved_at, hidden_at, answers, first_answer_at, COALESCE(body_html, '') FROM community_questions";
            const ANSWER_SELECT: &str = "SELECT id, question_id, author_id, author_name, body, created_at, edited_at, \
                accepted_at, accepted_by, score, hidden_at, COALESCE(body_html, '') FROM community_answers";
            const ARTICLE_SELECT: &str = "SELECT id, author_id, author_name, title, body, topic, channel, error_code, status, \
                created_at, updated_at, published_at, version, reads, helpful, COALESCE(body_html, '') FROM community_articles";

            fn corrupt(what: &str, value: &str) -> StoreError {
                StoreError::Backend(format!("unreadable {what}: {value}"))
            }

            fn get<'r, T>(row: &'r Row, i: usize) -> Result<T, StoreError>
            where
                T: sqlx::Decode<'r, Backend> + sqlx::Type<Backend>,
            {
                row.try_get(i).map_err(backend_error)
            }

            fn instant(v: Option<i64>) -> Option<Timestamp> {
                v.map(Timestamp::from_unix_ms)
            }

            fn topic_of(code: &str) -> Result<Topic, StoreError> {
                Topic::parse(code).ok_or_else(|| corrupt("topic", code))
            }

            fn channel_of(code: &str) -> Result<Option<Channel>, StoreError> {
                if code.is_empty() {
                    return Ok(None);
                }
                Channel::parse(code).map(Some).ok_or_else(|| corrupt("channel", code))
            }

            fn question_of(row: &Row) -> Result<Question, StoreError> {
                let topic: String = get(row, 5)?;
                let channel: String = get(row, 6)?;
                let answers: i64 = get(row, 12)?;
                Ok(Question {
                    id: get(row, 0)?,
                    author: UserId(get(row, 1)?),
                    author_name: get(row, 2)?,
                    title: get(row, 3)?,
                    body: get(row, 4)?,
                    body_html: get(row, 14)?,
                    topic: topic_of(&topic)?,
                    channel: channel_of(&channel)?,
                    error_code: get(row, 7)?,
                    created_at: Timestamp::from_unix_ms(get(row, 8)?),
                    edited_at: instant(get(row, 9)?),
                    solved_at: instant(get(row, 10)?),
                    hidden_at: instant(get(row, 11)?),
                    answers: u32::try_from(answers).map_err(|_| corrupt("answers", &answers.to_string()))?,
                    first_answer_at: instant(get(row, 13)?),
                })
            }

            fn answer_of(row: &Row) -> Result<Answer, StoreError> {
                Ok(Answer {
                    id: get(row, 0)?,
                    question: get(row, 1)?,
                    author: UserId(get(row, 2)?),
                    author_name: get(row, 3)?,
                    body: get(row, 4)?,
                    body_html: get(row, 11)?,
                    created_at: Timestamp::from_unix_ms(get(row, 5)?),
                    edited_at: instant(get(row, 6)?),
                    accepted_at: instant(get(row, 7)?),
                    accepted_by: get::<Option<i64>>(row, 8)?.map(UserId),
                    score: get(row, 9)?,
                    hidden_at: instant(get(row, 10)?),
                })
            }

            fn article_of(row: &Row) -> Result<Article, StoreError> {
                let topic: String = get(row, 5)?;
                let channel: String = get(row, 6)?;
                let status: String = get(row, 8)?;
                let version: i64 = get(row, 12)?;
                Ok(Article {
                    id: get(row, 0)?,
                    author: UserId(get(row, 1)?),
                    author_name: get(row, 2)?,
                    title: get(row, 3)?,
                    body: get(row, 4)?,
                    body_html: get(row, 15)?,
                    topic: topic_of(&topic)?,
                    channel: channel_of(&channel)?,
                    error_code: get(row, 7)?,
                    status: ArticleStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
                    created_at: Timestamp::from_unix_ms(get(row, 9)?),
                    updated_at: Timestamp::from_unix_ms(get(row, 10)?),
                    published_at: instant(get(row, 11)?),
                    version: u32::try_from(version).map_err(|_| corrupt("version", &version.to_string()))?,
                    reads: get(row, 13)?,
                    helpful: get(row, 14)?,
                })
            }

            const MENTOR_REQUEST_SELECT: &str = "SELECT r.id, r.mentor_id, COALESCE(mm.name, um.display_name), r.mentee_id, \
                COALESCE(me.name, ue.display_name), r.message, r.at, r.accepted FROM community_mentor_requests r \
                JOIN users um ON um.id = r.mentor_id JOIN users ue ON ue.id = r.mentee_id \
                LEFT JOIN merchants mm ON mm.owner_user_id = r.mentor_id LEFT JOIN merchants me ON me.owner_user_id = r.mentee_id";

            fn mentor_request_of(row: &Row) -> Result<MentorRequest, StoreError> {
                Ok(MentorRequest {
                    id: get(row, 0)?,
                    mentor: UserId(get(row, 1)?),
                    mentor_name: get(row, 2)?,
                    mentee: UserId(get(row, 3)?),
                    mentee_name: get(row, 4)?,
                    message: get(row, 5)?,
                    at: Timestamp::from_unix_ms(get(row, 6)?),
                    accepted: get::<Option<i64>>(row, 7)?.map(|v| v != 0),
                })
            }

            /// What `notification_of` reads, from `community_notifications n` joined with its question `q`.
            const NOTIFICATION_COLUMNS: &str =
                "n.id, n.kind, n.question_id, q.title, n.answer_id, n.actor_name, n.created_at, n.read_at";

            fn notification_of(r: &Row) -> Result<Notification, StoreError> {
                let kind: String = get(r, 1)?;
                Ok(Notification {
                    id: get(r, 0)?,
                    kind: NotificationKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
                    question: get(r, 2)?,
                    question_title: get(r, 3)?,
                    answer: get(r, 4)?,
                    actor_name: get(r, 5)?,
                    created_at: Timestamp::from_unix_ms(get(r, 6)?),
                    read_at: instant(get(r, 7)?),
                })
            }

            fn revision_of(row: &Row) -> Result<Revision, StoreError> {
                Ok(Revision {
                    editor: UserId(get(row, 0)?),
                    editor_name: get(row, 1)?,
                    title: get(row, 2)?,
                    body: get(row, 3)?,
                    at: Timestamp::from_unix_ms(get(row, 4)?),
                })
            }

            #[async_trait]
            impl CommunityStore for $store {
                async fn create_question(&self, q: &NewQuestion, audit: &AuditEntry) -> Result<Question, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO community_questions (author_id, author_name, title, body, topic, channel, error_code,
                             created_at, answers, body_html) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) RETURNING id",
                    )
                    .bind(q.author.0)
                    .bind(&q.author_name)
                    .bind(&q.question.title)
                    .bind(&q.question.body)
                    .bind(q.question.topic.code())
                    .bind(q.question.channel.map_or("", |c| c.code()))
                    .bind(&q.question.error_code)
                    .bind(q.at.unix_ms())
                    .bind(&q.body_html)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let mut audit = audit.clone();
                    audit.subject = format!("question:{id}");
                    insert_audit(&mut *tx, &audit).await?;
                    let row = sqlx::query(&format!("{QUESTION_SELECT} WHERE id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let created = question_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(created)
                }

                async fn question(&self, id: i64) -> Result<Option<Question>, StoreError> {
                    sqlx::query(&format!("{QUESTION_SELECT} WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(question_of)
                        .transpose()
                }

                async fn questions(&self, filter: &QuestionFilter) -> Result<Vec<Question>, StoreError> {
                    let mut query = sqlx::QueryBuilder::<Backend>::new(QUESTION_SELECT);
                    query.push(" WHERE hidden_at IS NULL");
                    if let Some(topic) = filter.topic {
                        query.push(" AND topic = ").push_bind(topic.code());
                    }
                    if let Some(channel) = filter.channel {
                        query.push(" AND channel = ").push_bind(channel.code());
                    }
                    if let Some(code) = &filter.error_code {
                        query.push(" AND error_code = ").push_bind(code.clone());
                    }
                    match filter.solved {
                        Some(true) => {
                            query.push(" AND solved_at IS NOT NULL");
                        }
                        Some(false) => {
                            query.push(" AND solved_at IS NULL");
                        }
                        None => {}
                    }
                    if let Some(author) = filter.author {
                        query.push(" AND author_id = ").push_bind(author.0);
                    }
                    query
                        .push(" ORDER BY created_at DESC, id DESC LIMIT ")
                        .push_bind(i64::from(filter.limit))
                        .push(" OFFSET ")
                        .push_bind(i64::from(filter.offset));
                    let rows = query.build().fetch_all(self.reader()).await.map_err(backend_error)?;
                    rows.iter().map(question_of).collect()
                }

                async fn all_questions(&self) -> Result<Vec<Question>, StoreError> {
                    let rows = sqlx::query(&format!("{QUESTION_SELECT} WHERE hidden_at IS NULL ORDER BY id"))
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    rows.iter().map(question_of).collect()
                }

                async fn edit_question(
                    &self,
                    id: i64,
                    text: &EditedText,
                    editor: UserId,
                    at: Timestamp,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "INSERT INTO community_revisions (question_id, answer_id, article_id, editor_id, title, body, at)
                         SELECT id, 0, 0, $2, title, body, $3 FROM community_questions WHERE id = $1",
                    )
                    .bind(id)
                    .bind(editor.0)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    sqlx::query("UPDATE community_questions SET title = $2, body = $3, edited_at = $4, body_html = $5 WHERE id = $1")
                        .bind(id)
                        .bind(&text.title)
                        .bind(&text.body)
                        .bind(at.unix_ms())
                        .bind(&text.body_html)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn hide_question(&self, id: i64, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("UPDATE community_questions SET hidden_at = $2 WHERE id = $1 AND hidden_at IS NULL")
                        .bind(id)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn create_answer(&self, a: &NewAnswer, audit: &AuditEntry) -> Result<Answer, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE community_questions SET answers = answers + 1,
                             first_answer_at = COALESCE(first_answer_at, $2) WHERE id = $1",
                    )
                    .bind(a.question)
                    .bind(a.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO community_answers (question_id, author_id, author_name, body, created_at, score, body_html)
                         VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
                    )
                    .bind(a.question)
                    .bind(a.author.0)
                    .bind(&a.author_name)
                    .bind(&a.body)
                    .bind(a.at.unix_ms())
                    .bind(&a.body_html)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    let row = sqlx::query(&format!("{ANSWER_SELECT} WHERE id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let created = answer_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(created)
                }

                async fn answer(&self, id: i64) -> Result<Option<Answer>, StoreError> {
                    sqlx::query(&format!("{ANSWER_SELECT} WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(answer_of)
                        .transpose()
                }

                async fn answers(&self, question: i64) -> Result<Vec<Answer>, StoreError> {
                    let rows = sqlx::query(&format!("{ANSWER_SELECT} WHERE question_id = $1 ORDER BY created_at, id"))
                        .bind(question)
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    rows.iter().map(answer_of).collect()
                }

                async fn edit_answer(
                    &self,
                    id: i64,
                    text: &EditedText,
                    editor: UserId,
                    at: Timestamp,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "INSERT INTO community_revisions (question_id, answer_id, article_id, editor_id, title, body, at)
                         SELECT question_id, id, 0, $2, '', body, $3 FROM community_answers WHERE id = $1",
                    )
                    .bind(id)
                    .bind(editor.0)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    sqlx::query("UPDATE community_answers SET body = $2, edited_at = $3, body_html = $4 WHERE id = $1")
                        .bind(id)
                        .bind(&text.body)
                        .bind(at.unix_ms())
                        .bind(&text.body_html)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn revisions(&self, question: i64, answer: Option<i64>) -> Result<Vec<Revision>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT r.editor_id, u.display_name, r.title, r.body, r.at FROM community_revisions r
                         JOIN users u ON u.id = r.editor_id
                         WHERE r.question_id = $1 AND r.answer_id = $2 AND r.article_id = 0 ORDER BY r.at DESC, r.id DESC",
                    )
                    .bind(question)
                    .bind(answer.unwrap_or(0))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(revision_of).collect()
                }

                async fn vote(&self, answer: i64, user: UserId, value: i8, at: Timestamp) -> Result<Option<i8>, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let previous: Option<i64> = sqlx::query_scalar(
                        "SELECT value FROM community_votes WHERE answer_id = $1 AND user_id = $2",
                    )
                    .bind(answer)
                    .bind(user.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO community_votes (answer_id, user_id, value, at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (answer_id, user_id) DO UPDATE SET value = excluded.value, at = excluded.at",
                    )
                    .bind(answer)
                    .bind(user.0)
                    .bind(i64::from(value))
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let done = sqlx::query("UPDATE community_answers SET score = score + $2 WHERE id = $1")
                        .bind(answer)
                        .bind(i64::from(value) - previous.unwrap_or(0))
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    tx.commit().await.map_err(backend_error)?;
                    previous
                        .map(|v| i8::try_from(v).map_err(|_| corrupt("vote", &v.to_string())))
                        .transpose()
                }

                async fn votes_of(&self, question: i64, user: UserId) -> Result<Vec<(i64, i8)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT v.answer_id, v.value FROM community_votes v JOIN community_answers a ON a.id = v.answer_id
                         WHERE a.question_id = $1 AND v.user_id = $2",
                    )
                    .bind(question)
                    .bind(user.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|r| {
                            let value: i64 = get(r, 1)?;
                            Ok((get(r, 0)?, i8::try_from(value).map_err(|_| corrupt("vote", &value.to_string()))?))
                        })
                        .collect()
                }

                async fn accept(&self, answer: i64, by: UserId, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE community_answers SET accepted_at = $2, accepted_by = $3 WHERE id = $1 AND accepted_at IS NULL",
                    )
                    .bind(answer)
                    .bind(at.unix_ms())
                    .bind(by.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    sqlx::query(
                        "UPDATE community_questions SET solved_at = COALESCE(solved_at, $2)
                         WHERE id = (SELECT question_id FROM community_answers WHERE id = $1)",
                    )
                    .bind(answer)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn posts_since(&self, author: UserId, since: Timestamp) -> Result<(u32, u32), StoreError> {
                    let row = sqlx::query(
                        "SELECT (SELECT COUNT(*) FROM community_questions WHERE author_id = $1 AND created_at >= $2),
                                (SELECT COUNT(*) FROM community_answers WHERE author_id = $1 AND created_at >= $2)",
                    )
                    .bind(author.0)
                    .bind(since.unix_ms())
                    .fetch_one(self.reader())
                    .await
                    .map_err(backend_error)?;
                    let (q, a): (i64, i64) = (get(&row, 0)?, get(&row, 1)?);
                    Ok((q.clamp(0, i64::from(u32::MAX)) as u32, a.clamp(0, i64::from(u32::MAX)) as u32))
                }

                async fn reputation_events(&self, user: UserId) -> Result<Vec<(Timestamp, i64)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT v.at, CAST(CASE WHEN v.value > 0 THEN 10 ELSE -2 END AS BIGINT) FROM community_votes v
                             JOIN community_answers a ON a.id = v.answer_id WHERE a.author_id = $1
                         UNION ALL
                         SELECT accepted_at, CAST(15 AS BIGINT) FROM community_answers
                             WHERE author_id = $1 AND accepted_at IS NOT NULL AND accepted_by <> author_id",
                    )
                    .bind(user.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|r| Ok((Timestamp::from_unix_ms(get(r, 0)?), get(r, 1)?)))
                        .collect()
                }

                async fn answer_counts(&self, user: UserId) -> Result<(u32, u32), StoreError> {
                    let row = sqlx::query(
                        "SELECT COUNT(*), COUNT(accepted_at) FROM community_answers WHERE author_id = $1",
                    )
                    .bind(user.0)
                    .fetch_one(self.reader())
                    .await
                    .map_err(backend_error)?;
                    let (all, accepted): (i64, i64) = (get(&row, 0)?, get(&row, 1)?);
                    Ok((all.clamp(0, i64::from(u32::MAX)) as u32, accepted.clamp(0, i64::from(u32::MAX)) as u32))
                }

                async fn answer_speed(&self, from: Timestamp, to: Timestamp) -> Result<Option<(i64, i64, u32)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT created_at, first_answer_at FROM community_questions
                         WHERE hidden_at IS NULL AND created_at >= $1 AND created_at < $2",
                    )
                    .bind(from.unix_ms())
                    .bind(to.unix_ms())
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    if rows.is_empty() {
                        return Ok(None);
                    }
                    let mut waits: Vec<i64> = Vec::with_capacity(rows.len());
                    let mut within_day = 0i64;
                    for r in &rows {
                        let asked: i64 = get(r, 0)?;
                        if let Some(first) = get::<Option<i64>>(r, 1)? {
                            let wait = (first - asked) / 1000;
                            if wait <= 86_400 {
                                within_day += 1;
                            }
                            waits.push(wait);
                        }
                    }
                    waits.sort_unstable();
                    let median = if waits.is_empty() { -1 } else { waits[waits.len() / 2] };
                    let asked = rows.len() as i64;
                    Ok(Some((median, within_day * 1000 / asked, asked as u32)))
                }

                async fn create_article(
                    &self,
                    author: UserId,
                    author_name: &str,
                    text: &ArticleText,
                    at: Timestamp,
                    audit: &AuditEntry,
                ) -> Result<Article, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO community_articles (author_id, author_name, title, body, topic, channel, error_code,
                             status, created_at, updated_at, version, reads, helpful, body_html)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $8, 1, 0, 0, $9) RETURNING id",
                    )
                    .bind(author.0)
                    .bind(author_name)
                    .bind(&text.title)
                    .bind(&text.body)
                    .bind(text.topic.code())
                    .bind(text.channel.map_or("", |c| c.code()))
                    .bind(&text.error_code)
                    .bind(at.unix_ms())
                    .bind(&text.body_html)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let mut audit = audit.clone();
                    audit.subject = format!("article:{id}");
                    insert_audit(&mut *tx, &audit).await?;
                    let row = sqlx::query(&format!("{ARTICLE_SELECT} WHERE id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let created = article_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(created)
                }

                async fn article(&self, id: i64) -> Result<Option<Article>, StoreError> {
                    sqlx::query(&format!("{ARTICLE_SELECT} WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(article_of)
                        .transpose()
                }

                async fn articles(
                    &self,
                    status: Option<ArticleStatus>,
                    author: Option<UserId>,
                    limit: u32,
                ) -> Result<Vec<Article>, StoreError> {
                    let mut query = sqlx::QueryBuilder::<Backend>::new(ARTICLE_SELECT);
                    query.push(" WHERE 1 = 1");
                    if let Some(status) = status {
                        query.push(" AND status = ").push_bind(status.code());
                    }
                    if let Some(author) = author {
                        query.push(" AND author_id = ").push_bind(author.0);
                    }
                    query
                        .push(" ORDER BY COALESCE(published_at, created_at) DESC, id DESC LIMIT ")
                        .push_bind(i64::from(limit));
                    let rows = query.build().fetch_all(self.reader()).await.map_err(backend_error)?;
                    rows.iter().map(article_of).collect()
                }

                async fn edit_article(
                    &self,
                    id: i64,
                    text: &ArticleText,
                    editor: UserId,
                    at: Timestamp,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "INSERT INTO community_revisions (question_id, answer_id, article_id, editor_id, title, body, at)
                         SELECT 0, 0, id, $2, title, body, $3 FROM community_articles WHERE id = $1",
                    )
                    .bind(id)
                    .bind(editor.0)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    sqlx::query(
                        "UPDATE community_articles SET title = $2, body = $3, topic = $4, channel = $5, error_code = $6,
                             updated_at = $7, version = version + 1, body_html = $8 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(&text.title)
                    .bind(&text.body)
                    .bind(text.topic.code())
                    .bind(text.channel.map_or("", |c| c.code()))
                    .bind(&text.error_code)
                    .bind(at.unix_ms())
                    .bind(&text.body_html)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn set_article_status(
                    &self,
                    id: i64,
                    status: ArticleStatus,
                    at: Timestamp,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE community_articles SET status = $2, updated_at = $3,
                             published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, $3) ELSE published_at END
                         WHERE id = $1",
                    )
                    .bind(id)
                    .bind(status.code())
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn count_article_read(&self, id: i64) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query("UPDATE community_articles SET reads = reads + 1 WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn mark_helpful(&self, id: i64, user: UserId, at: Timestamp) -> Result<bool, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "INSERT INTO community_helpful (article_id, user_id, at) VALUES ($1, $2, $3)
                         ON CONFLICT (article_id, user_id) DO NOTHING",
                    )
                    .bind(id)
                    .bind(user.0)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let added = done.rows_affected() == 1;
                    if added {
                        sqlx::query("UPDATE community_articles SET helpful = helpful + 1 WHERE id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                    }
                    tx.commit().await.map_err(backend_error)?;
                    Ok(added)
                }

                async fn helping(&self, user: UserId) -> Result<Helping, StoreError> {
                    let row = sqlx::query("SELECT opted_in, nearby, digest FROM community_helpers WHERE user_id = $1")
                        .bind(user.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?;
                    Ok(match row {
                        Some(r) => Helping {
                            opted_in: get::<i64>(&r, 0)? != 0,
                            nearby: get::<i64>(&r, 1)? != 0,
                            digest: get::<i64>(&r, 2)? != 0,
                        },
                        None => Helping::default(),
                    })
                }

                async fn set_helping(&self, user: UserId, helping: Helping, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO community_helpers (user_id, opted_in, nearby, updated_at, digest) VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (user_id) DO UPDATE SET opted_in = excluded.opted_in, nearby = excluded.nearby,
                             updated_at = excluded.updated_at, digest = excluded.digest",
                    )
                    .bind(user.0)
                    .bind(i64::from(helping.opted_in))
                    .bind(i64::from(helping.nearby))
                    .bind(at.unix_ms())
                    .bind(i64::from(helping.digest))
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn unrouted_questions(&self, before: Timestamp, limit: u32) -> Result<Vec<Question>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "{QUESTION_SELECT} WHERE hidden_at IS NULL AND answers = 0 AND created_at <= $1
                         AND NOT EXISTS (SELECT 1 FROM community_invitations i WHERE i.question_id = community_questions.id)
                         ORDER BY created_at, id LIMIT $2"
                    ))
                    .bind(before.unix_ms())
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(question_of).collect()
                }

                async fn routing_candidates(
                    &self,
                    channel: Option<Channel>,
                    error_code: &str,
                    industry_major: &str,
                ) -> Result<Vec<Candidate>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT h.user_id, COALESCE(m.region_code, ''), COALESCE(m.industry_code, ''), h.nearby, 'solved_same'
                             FROM community_answers a
                             JOIN community_questions q ON q.id = a.question_id
                             JOIN community_helpers h ON h.user_id = a.author_id AND h.opted_in = 1
                             LEFT JOIN merchants m ON m.owner_user_id = a.author_id
                             WHERE a.accepted_at IS NOT NULL AND $2 <> '' AND q.error_code = $2 AND q.channel = $1
                         UNION ALL
                         SELECT h.user_id, m.region_code, m.industry_code, h.nearby, 'listed'
                             FROM onboarding_cards c
                             JOIN merchants m ON m.id = c.merchant_id
                             JOIN community_helpers h ON h.user_id = m.owner_user_id AND h.opted_in = 1
                             WHERE $1 <> '' AND c.channel = $1 AND c.stage IN ('in_review', 'selling')
                         UNION ALL
                         SELECT h.user_id, m.region_code, m.industry_code, h.nearby, 'hall_of_fame'
                             FROM hall_of_fame f
                             JOIN merchants m ON m.id = f.merchant_id
                             JOIN community_helpers h ON h.user_id = m.owner_user_id AND h.opted_in = 1
                             WHERE $3 <> '' AND substr(m.industry_code, 1, 2) = $3
                         LIMIT 500",
                    )
                    .bind(channel.map_or("", |c| c.code()))
                    .bind(error_code)
                    .bind(industry_major)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|r| {
                            let reason: String = get(r, 4)?;
                            Ok(Candidate {
                                user: UserId(get(r, 0)?),
                                sigungu: get(r, 1)?,
                                industry: get(r, 2)?,
                                nearby_ok: get::<i64>(r, 3)? != 0,
                                reason: InviteReason::parse(&reason).ok_or_else(|| corrupt("reason", &reason))?,
                            })
                        })
                        .collect()
                }

                async fn invitations_since(&self, users: &[UserId], since: Timestamp) -> Result<Vec<(UserId, u32)>, StoreError> {
                    if users.is_empty() {
                        return Ok(Vec::new());
                    }
                    let mut query = sqlx::QueryBuilder::<Backend>::new(
                        "SELECT user_id, COUNT(*) FROM community_invitations WHERE at >= ",
                    );
                    query.push_bind(since.unix_ms()).push(" AND user_id IN (");
                    let mut list = query.separated(", ");
                    for u in users {
                        list.push_bind(u.0);
                    }
                    query.push(") GROUP BY user_id");
                    let rows = query.build().fetch_all(self.reader()).await.map_err(backend_error)?;
                    rows.iter()
                        .map(|r| {
                            let n: i64 = get(r, 1)?;
                            Ok((UserId(get(r, 0)?), n.clamp(0, i64::from(u32::MAX)) as u32))
                        })
                        .collect()
                }

                async fn invite_helpers(&self, question: i64, asker_name: &str, invited: &[(UserId, InviteReason)], at: Timestamp) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    for (user, reason) in invited {
                        let done = sqlx::query(
                            "INSERT INTO community_invitations (question_id, user_id, reason, at) VALUES ($1, $2, $3, $4)
                             ON CONFLICT (question_id, user_id) DO NOTHING",
                        )
                        .bind(question)
                        .bind(user.0)
                        .bind(reason.code())
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                        if done.rows_affected() == 1 {
                            sqlx::query(
                                "INSERT INTO community_notifications (user_id, kind, question_id, answer_id, actor_name, created_at)
                                 VALUES ($1, 'invitation', $2, NULL, $3, $4)",
                            )
                            .bind(user.0)
                            .bind(question)
                            .bind(asker_name)
                            .bind(at.unix_ms())
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                        }
                    }
                    tx.commit().await.map_err(backend_error)
                }

                async fn question_invitations(&self, question: i64) -> Result<Vec<(String, InviteReason)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT u.display_name, i.reason FROM community_invitations i JOIN users u ON u.id = i.user_id
                         WHERE i.question_id = $1 ORDER BY i.at, i.user_id",
                    )
                    .bind(question)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|r| {
                            let reason: String = get(r, 1)?;
                            Ok((get(r, 0)?, InviteReason::parse(&reason).ok_or_else(|| corrupt("reason", &reason))?))
                        })
                        .collect()
                }

                async fn notify(
                    &self,
                    user: UserId,
                    kind: NotificationKind,
                    question: i64,
                    answer: Option<i64>,
                    actor_name: &str,
                    at: Timestamp,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO community_notifications (user_id, kind, question_id, answer_id, actor_name, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(user.0)
                    .bind(kind.code())
                    .bind(question)
                    .bind(answer)
                    .bind(actor_name)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn notifications(&self, user: UserId, limit: u32) -> Result<Vec<Notification>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {NOTIFICATION_COLUMNS}
                         FROM community_notifications n JOIN community_questions q ON q.id = n.question_id
                         WHERE n.user_id = $1 AND q.hidden_at IS NULL ORDER BY n.created_at DESC, n.id DESC LIMIT $2",
                    ))
                    .bind(user.0)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(notification_of)
                        .collect()
                }

                async fn digests_due(&self, users: u32) -> Result<Vec<Digest>, StoreError> {
                    const DUE: &str = "FROM community_notifications n JOIN community_questions q ON q.id = n.question_id
                         JOIN users u ON u.id = n.user_id
                         LEFT JOIN community_helpers h ON h.user_id = n.user_id
                         WHERE n.digested_at IS NULL AND n.read_at IS NULL AND q.hidden_at IS NULL AND COALESCE(h.digest, 1) = 1";
                    let people = sqlx::query(&format!(
                        "SELECT n.user_id, u.email, u.display_name, u.locale {DUE}
                         GROUP BY n.user_id, u.email, u.display_name, u.locale ORDER BY n.user_id LIMIT $1"
                    ))
                    .bind(i64::from(users))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    if people.is_empty() {
                        return Ok(Vec::new());
                    }
                    // Everyone's notifications in one read, grouped by person below.
                    let mut query = sqlx::QueryBuilder::<Backend>::new(format!(
                        "SELECT {NOTIFICATION_COLUMNS}, n.user_id {DUE} AND n.user_id IN ("
                    ));
                    let mut list = query.separated(", ");
                    for person in &people {
                        list.push_bind(get::<i64>(person, 0)?);
                    }
                    query.push(") ORDER BY n.user_id, n.created_at, n.id");
                    let rows = query.build().fetch_all(self.reader()).await.map_err(backend_error)?;
                    let mut by_user: std::collections::BTreeMap<i64, Vec<Notification>> = std::collections::BTreeMap::new();
                    for row in &rows {
                        by_user.entry(get(row, 8)?).or_default().push(notification_of(row)?);
                    }
                    people
                        .iter()
                        .map(|person| {
                            let user: i64 = get(person, 0)?;
                            let locale: Option<String> = get(person, 3)?;
                            Ok(Digest {
                                user: UserId(user),
                                email: get(person, 1)?,
                                name: get(person, 2)?,
                                locale: locale.as_deref().and_then(Locale::parse).unwrap_or_default(),
                                notifications: by_user.remove(&user).unwrap_or_default(),
                            })
                        })
                        .collect()
                }

                async fn queue_digest(&self, digest: &Digest, mail: &OutgoingMail, at: Timestamp) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    super::mail_sql::insert_mail(&mut tx, mail, at).await?;
                    for n in &digest.notifications {
                        sqlx::query("UPDATE community_notifications SET digested_at = $3 WHERE id = $1 AND user_id = $2")
                            .bind(n.id)
                            .bind(digest.user.0)
                            .bind(at.unix_ms())
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                    }
                    tx.commit().await.map_err(backend_error)
                }

                async fn unread_notifications(&self, user: UserId) -> Result<u32, StoreError> {
                    let n: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM community_notifications n JOIN community_questions q ON q.id = n.question_id
                         WHERE n.user_id = $1 AND n.read_at IS NULL AND q.hidden_at IS NULL",
                    )
                    .bind(user.0)
                    .fetch_one(self.reader())
                    .await
                    .map_err(backend_error)?;
                    Ok(n.clamp(0, i64::from(u32::MAX)) as u32)
                }

                async fn add_flag(
                    &self,
                    question: i64,
                    answer: i64,
                    user: UserId,
                    reason: &str,
                    note: &str,
                    at: Timestamp,
                ) -> Result<u32, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "INSERT INTO community_flags (question_id, answer_id, user_id, reason, note, at)
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (question_id, answer_id, user_id) DO NOTHING",
                    )
                    .bind(question)
                    .bind(answer)
                    .bind(user.0)
                    .bind(reason)
                    .bind(note)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Conflict("flag"));
                    }
                    let open: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM community_flags WHERE question_id = $1 AND answer_id = $2 AND resolved_at IS NULL",
                    )
                    .bind(question)
                    .bind(answer)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(open.clamp(0, i64::from(u32::MAX)) as u32)
                }

                async fn open_flags(&self, limit: u32) -> Result<Vec<(i64, i64, String, u32, Timestamp)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT question_id, answer_id, reason, COUNT(*), MIN(at) FROM community_flags
                         WHERE resolved_at IS NULL GROUP BY question_id, answer_id, reason
                         ORDER BY MIN(at), question_id, answer_id LIMIT $1",
                    )
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|r| {
                            let n: i64 = get(r, 3)?;
                            Ok((
                                get(r, 0)?,
                                get(r, 1)?,
                                get(r, 2)?,
                                n.clamp(0, i64::from(u32::MAX)) as u32,
                                Timestamp::from_unix_ms(get(r, 4)?),
                            ))
                        })
                        .collect()
                }

                async fn resolve_flags(&self, question: i64, answer: i64, by: UserId, outcome: &str, at: Timestamp) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "UPDATE community_flags SET resolved_at = $3, resolved_by = $4, outcome = $5
                         WHERE question_id = $1 AND answer_id = $2 AND resolved_at IS NULL",
                    )
                    .bind(question)
                    .bind(answer)
                    .bind(at.unix_ms())
                    .bind(by.0)
                    .bind(outcome)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn hide_answer(&self, id: i64, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("UPDATE community_answers SET hidden_at = $2 WHERE id = $1 AND hidden_at IS NULL")
                        .bind(id)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn suspension(&self, user: UserId) -> Result<Option<(Timestamp, String)>, StoreError> {
                    let row = sqlx::query("SELECT until, reason FROM community_suspensions WHERE user_id = $1")
                        .bind(user.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?;
                    row.map(|r| Ok((Timestamp::from_unix_ms(get(&r, 0)?), get(&r, 1)?)))
                        .transpose()
                }

                async fn suspend(&self, user: UserId, until: Timestamp, reason: &str, by: UserId, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO community_suspensions (user_id, until, reason, suspended_by, at) VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (user_id) DO UPDATE SET until = excluded.until, reason = excluded.reason,
                             suspended_by = excluded.suspended_by, at = excluded.at",
                    )
                    .bind(user.0)
                    .bind(until.unix_ms())
                    .bind(reason)
                    .bind(by.0)
                    .bind(audit.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn lift_suspension(&self, user: UserId, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("DELETE FROM community_suspensions WHERE user_id = $1")
                        .bind(user.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn set_mentoring(&self, user: UserId, note: Option<&str>, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    match note {
                        Some(note) => {
                            sqlx::query(
                                "INSERT INTO community_mentors (user_id, note, offered_at) VALUES ($1, $2, $3)
                                 ON CONFLICT (user_id) DO UPDATE SET note = excluded.note, offered_at = excluded.offered_at,
                                     withdrawn_at = NULL",
                            )
                            .bind(user.0)
                            .bind(note)
                            .bind(at.unix_ms())
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                        }
                        None => {
                            sqlx::query("UPDATE community_mentors SET withdrawn_at = $2 WHERE user_id = $1 AND withdrawn_at IS NULL")
                                .bind(user.0)
                                .bind(at.unix_ms())
                                .execute(&mut *tx)
                                .await
                                .map_err(backend_error)?;
                        }
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn mentors(&self) -> Result<Vec<Mentor>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT c.user_id, m.name, m.region_code, m.industry_code, c.note,
                             (SELECT COUNT(*) FROM community_mentor_requests r WHERE r.mentor_id = c.user_id AND r.accepted = 1)
                         FROM community_mentors c JOIN merchants m ON m.owner_user_id = c.user_id
                         WHERE c.withdrawn_at IS NULL ORDER BY c.offered_at, c.user_id",
                    )
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|r| {
                            let n: i64 = get(r, 5)?;
                            Ok(Mentor {
                                user: UserId(get(r, 0)?),
                                shop_name: get(r, 1)?,
                                region_code: get(r, 2)?,
                                industry_code: get(r, 3)?,
                                note: get(r, 4)?,
                                mentees: n.clamp(0, i64::from(u32::MAX)) as u32,
                            })
                        })
                        .collect()
                }

                async fn request_mentor(&self, mentor: UserId, mentee: UserId, message: &str, at: Timestamp, audit: &AuditEntry) -> Result<MentorRequest, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let id: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO community_mentor_requests (mentor_id, mentee_id, message, at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (mentor_id, mentee_id) DO NOTHING RETURNING id",
                    )
                    .bind(mentor.0)
                    .bind(mentee.0)
                    .bind(message)
                    .bind(at.unix_ms())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let Some(id) = id else {
                        return Err(StoreError::Conflict("request"));
                    };
                    insert_audit(&mut *tx, audit).await?;
                    let row = sqlx::query(&format!("{MENTOR_REQUEST_SELECT} WHERE r.id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let created = mentor_request_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(created)
                }

                async fn mentor_request(&self, id: i64) -> Result<Option<MentorRequest>, StoreError> {
                    sqlx::query(&format!("{MENTOR_REQUEST_SELECT} WHERE r.id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(mentor_request_of)
                        .transpose()
                }

                async fn mentor_requests_of(&self, user: UserId) -> Result<Vec<MentorRequest>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "{MENTOR_REQUEST_SELECT} WHERE r.mentor_id = $1 OR r.mentee_id = $1 ORDER BY r.at DESC, r.id DESC"
                    ))
                    .bind(user.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(mentor_request_of).collect()
                }

                async fn answer_mentor_request(&self, id: i64, accepted: bool, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE community_mentor_requests SET accepted = $2, answered_at = $3 WHERE id = $1 AND answered_at IS NULL",
                    )
                    .bind(id)
                    .bind(i64::from(accepted))
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn restore_post(&self, question: i64, answer: i64, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = if answer == 0 {
                        sqlx::query("UPDATE community_questions SET hidden_at = NULL WHERE id = $1")
                            .bind(question)
                            .execute(&mut *tx)
                            .await
                    } else {
                        sqlx::query("UPDATE community_answers SET hidden_at = NULL WHERE id = $1 AND question_id = $2")
                            .bind(answer)
                            .bind(question)
                            .execute(&mut *tx)
                            .await
                    }
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn mark_notifications_read(&self, user: UserId, at: Timestamp) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query("UPDATE community_notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
                        .bind(user.0)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    tx.commit().await.map_err(backend_error)
                }
            }
        }
    };
}
pub(crate) use community_store_impl;
