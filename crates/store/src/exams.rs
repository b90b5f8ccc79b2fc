//! The SQL of the designer exam (item bank and attempts), written once and expanded for each
//! backend by `exam_store_impl!(StoreType)` inside that backend's module.

macro_rules! exam_store_impl {
    ($store:ident) => {
        mod exam_sql {
            use super::*;
            use gachi_domain::designers::courses::Area;
            use gachi_domain::designers::exams::{
                Attempt, Closed, FormItem, Item, ItemText, NewAttempt, Outcome, PassRate,
                parse_items,
            };
            use gachi_domain::designers::{ExamStore, Level};

            const ITEM_COLUMNS: &str = "id, area, written, retired_at";

            fn item_of<R: sqlx::Row>(row: &R, from: usize) -> Result<Item, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let id: i64 = row.try_get(from).map_err(backend_error)?;
                let area: String = row.try_get(from + 1).map_err(backend_error)?;
                let written: String = row.try_get(from + 2).map_err(backend_error)?;
                let retired: Option<i64> = row.try_get(from + 3).map_err(backend_error)?;
                let text = parse_items(&written, "item")
                    .ok()
                    .and_then(|mut items| items.pop())
                    .ok_or_else(|| StoreError::Backend(format!("stored exam item {id}")))?;
                Ok(Item {
                    id,
                    area: Area::parse(&area)
                        .ok_or_else(|| StoreError::Backend(format!("exam item area {area}")))?,
                    prompt: text.prompt,
                    kind: text.kind,
                    retired: retired.is_some(),
                })
            }

            const ATTEMPT_COLUMNS: &str = "a.id, a.designer_id, a.level, a.started_at, a.deadline, a.brief, a.practical, \
                 a.closed_at, a.outcome, a.written_right, a.written_total, a.practical_passed, a.certificate_number, \
                 u.display_name";

            fn attempt_of<R: sqlx::Row>(row: &R) -> Result<Attempt, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<bool>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let id: i64 = row.try_get(0).map_err(backend_error)?;
                let level: i64 = row.try_get(2).map_err(backend_error)?;
                let practical: Option<String> = row.try_get(6).map_err(backend_error)?;
                let closed_at: Option<i64> = row.try_get(7).map_err(backend_error)?;
                let outcome: Option<String> = row.try_get(8).map_err(backend_error)?;
                let right: Option<i64> = row.try_get(9).map_err(backend_error)?;
                let total: Option<i64> = row.try_get(10).map_err(backend_error)?;
                let practical_passed: Option<bool> = row.try_get(11).map_err(backend_error)?;
                let closed = match (closed_at, outcome.as_deref().and_then(Outcome::parse)) {
                    (Some(at), Some(outcome)) => Some(Closed {
                        at: Timestamp::from_unix_ms(at),
                        outcome,
                        written_right: right.unwrap_or(0).try_into().unwrap_or(0),
                        written_total: total.unwrap_or(0).try_into().unwrap_or(0),
                        practical_passed: practical_passed.unwrap_or(false),
                    }),
                    _ => None,
                };
                Ok(Attempt {
                    id,
                    designer: UserId(row.try_get(1).map_err(backend_error)?),
                    level: if level == 1 { Level::First } else { Level::Second },
                    started_at: Timestamp::from_unix_ms(row.try_get(3).map_err(backend_error)?),
                    deadline: Timestamp::from_unix_ms(row.try_get(4).map_err(backend_error)?),
                    brief: row.try_get(5).map_err(backend_error)?,
                    practical: practical.and_then(|json| serde_json::from_str(&json).ok()),
                    items: Vec::new(),
                    closed,
                    certificate: row.try_get(12).map_err(backend_error)?,
                    designer_name: row.try_get(13).map_err(backend_error)?,
                })
            }

            impl $store {
                /// Attempts (one by id, or a candidate's, or everyone's), newest first, with
                /// their forms: one query for the attempts, one for all their items.
                async fn attempts_where(
                    &self,
                    id: Option<i64>,
                    designer: Option<UserId>,
                    limit: u32,
                ) -> Result<Vec<Attempt>, StoreError> {
                    let chosen = "SELECT id FROM exam_attempts
                         WHERE ($1 IS NULL OR id = $1) AND ($2 IS NULL OR designer_id = $2)
                         ORDER BY started_at DESC, id DESC LIMIT $3";
                    let mut attempts = sqlx::query(&format!(
                        "SELECT {ATTEMPT_COLUMNS} FROM exam_attempts a JOIN users u ON u.id = a.designer_id
                         WHERE a.id IN ({chosen}) ORDER BY a.started_at DESC, a.id DESC"
                    ))
                    .bind(id)
                    .bind(designer.map(|d| d.0))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?
                    .iter()
                    .map(attempt_of)
                    .collect::<Result<Vec<Attempt>, StoreError>>()?;
                    let rows = sqlx::query(&format!(
                        "SELECT a.attempt_id, a.position, a.answer, i.id, i.area, i.written, i.retired_at
                         FROM exam_attempt_items a JOIN exam_items i ON i.id = a.item_id
                         WHERE a.attempt_id IN ({chosen}) ORDER BY a.attempt_id, a.position"
                    ))
                    .bind(id)
                    .bind(designer.map(|d| d.0))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    for row in &rows {
                        let attempt: i64 = row.try_get(0).map_err(backend_error)?;
                        let position: i64 = row.try_get(1).map_err(backend_error)?;
                        let item = FormItem {
                            position: u32::try_from(position).unwrap_or(u32::MAX),
                            answer: row.try_get(2).map_err(backend_error)?,
                            item: item_of(row, 3)?,
                        };
                        if let Some(a) = attempts.iter_mut().find(|a| a.id == attempt) {
                            a.items.push(item);
                        }
                    }
                    Ok(attempts)
                }
            }

            #[async_trait]
            impl ExamStore for $store {
                async fn add_exam_items(&self, area: Area, items: &[ItemText], at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    for item in items {
                        sqlx::query("INSERT INTO exam_items (area, written, created_at) VALUES ($1, $2, $3)")
                            .bind(area.code())
                            .bind(item.written())
                            .bind(at.unix_ms())
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn exam_items(&self) -> Result<Vec<Item>, StoreError> {
                    sqlx::query(&format!("SELECT {ITEM_COLUMNS} FROM exam_items ORDER BY area, id"))
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?
                        .iter()
                        .map(|row| item_of(row, 0))
                        .collect()
                }

                async fn retire_exam_item(&self, id: i64, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let found: Option<Option<i64>> = sqlx::query_scalar("SELECT retired_at FROM exam_items WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    match found {
                        None => return Err(StoreError::NotFound),
                        Some(Some(_)) => return Ok(()),
                        Some(None) => {}
                    }
                    sqlx::query("UPDATE exam_items SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL")
                        .bind(id)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn start_exam_attempt(&self, attempt: &NewAttempt, audit: &AuditEntry) -> Result<i64, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    // Attempts whose time ran out close first, so only a running one blocks.
                    sqlx::query(
                        "UPDATE exam_attempts SET closed_at = deadline, outcome = 'timed_out',
                             written_right = 0, written_total = (SELECT COUNT(*) FROM exam_attempt_items WHERE attempt_id = exam_attempts.id),
                             practical_passed = FALSE
                         WHERE designer_id = $1 AND closed_at IS NULL AND deadline <= $2",
                    )
                    .bind(attempt.designer.0)
                    .bind(attempt.started_at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO exam_attempts (designer_id, level, started_at, deadline, brief)
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(attempt.designer.0)
                    .bind(i64::from(attempt.level.grade()))
                    .bind(attempt.started_at.unix_ms())
                    .bind(attempt.deadline.unix_ms())
                    .bind(attempt.brief)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(crate::conflict_on("attempt"))?;
                    for (position, item) in attempt.items.iter().enumerate() {
                        sqlx::query("INSERT INTO exam_attempt_items (attempt_id, position, item_id) VALUES ($1, $2, $3)")
                            .bind(id)
                            .bind(position as i64 + 1)
                            .bind(item)
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                    }
                    insert_audit(&mut *tx, &AuditEntry { subject: format!("exam_attempt:{id}"), ..audit.clone() }).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(id)
                }

                async fn exam_attempt(&self, id: i64) -> Result<Option<Attempt>, StoreError> {
                    Ok(self.attempts_where(Some(id), None, 1).await?.into_iter().next())
                }

                async fn exam_attempts(&self, designer: Option<UserId>, limit: u32) -> Result<Vec<Attempt>, StoreError> {
                    self.attempts_where(None, designer, limit).await
                }

                async fn save_exam_answers(&self, attempt: i64, answers: &[(u32, Option<String>)]) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let open: Option<i64> = sqlx::query_scalar("SELECT id FROM exam_attempts WHERE id = $1 AND closed_at IS NULL")
                        .bind(attempt)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    if open.is_none() {
                        return Err(StoreError::Conflict("attempt"));
                    }
                    for (position, answer) in answers {
                        sqlx::query("UPDATE exam_attempt_items SET answer = $3 WHERE attempt_id = $1 AND position = $2")
                            .bind(attempt)
                            .bind(i64::from(*position))
                            .bind(answer.as_deref())
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                    }
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn save_exam_practical(&self, attempt: i64, product: &str) -> Result<(), StoreError> {
                    let done = sqlx::query("UPDATE exam_attempts SET practical = $2 WHERE id = $1 AND closed_at IS NULL")
                        .bind(attempt)
                        .bind(product)
                        .execute(self.writer())
                        .await
                        .map_err(backend_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Conflict("attempt"));
                    }
                    Ok(())
                }

                async fn close_exam_attempt(&self, attempt: i64, closed: &Closed, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE exam_attempts SET closed_at = $2, outcome = $3, written_right = $4, written_total = $5,
                             practical_passed = $6
                         WHERE id = $1 AND closed_at IS NULL",
                    )
                    .bind(attempt)
                    .bind(closed.at.unix_ms())
                    .bind(closed.outcome.code())
                    .bind(i64::from(closed.written_right))
                    .bind(i64::from(closed.written_total))
                    .bind(closed.practical_passed)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Conflict("attempt"));
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn set_exam_certificate(&self, attempt: i64, number: &str) -> Result<(), StoreError> {
                    sqlx::query("UPDATE exam_attempts SET certificate_number = $2 WHERE id = $1")
                        .bind(attempt)
                        .bind(number)
                        .execute(self.writer())
                        .await
                        .map_err(backend_error)?;
                    Ok(())
                }

                async fn exam_pass_rate(&self, now: Timestamp) -> Result<PassRate, StoreError> {
                    let row = sqlx::query(
                        "SELECT COALESCE(SUM(CASE WHEN outcome = 'passed' THEN 1 ELSE 0 END), 0),
                                COUNT(*)
                         FROM exam_attempts WHERE closed_at IS NOT NULL OR deadline <= $1",
                    )
                    .bind(now.unix_ms())
                    .fetch_one(self.reader())
                    .await
                    .map_err(backend_error)?;
                    Ok(PassRate {
                        passed: row.try_get(0).map_err(backend_error)?,
                        closed: row.try_get(1).map_err(backend_error)?,
                    })
                }
            }
        }
    };
}

pub(crate) use exam_store_impl;
