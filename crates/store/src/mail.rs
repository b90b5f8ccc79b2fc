//! The SQL of the mail outbox, written once and expanded for each backend by
//! `mail_store_impl!(StoreType)` inside that backend's module. Mail is put in by the community's
//! digest (in its own transaction); this side hands out what is due and keeps each attempt.

macro_rules! mail_store_impl {
    ($store:ident) => {
        mod mail_sql {
            use super::*;
            use gachi_domain::mail::{MailStore, OutgoingMail, QueuedMail};

            /// Puts `mail` in the outbox within `tx`, due at once (also used by the community's
            /// digest, which marks its notifications in the same transaction).
            pub(super) async fn insert_mail(
                tx: &mut sqlx::Transaction<'static, Backend>,
                mail: &OutgoingMail,
                at: Timestamp,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO mail_outbox (to_address, subject, body, created_at, next_attempt_at, attempts)
                     VALUES ($1, $2, $3, $4, $4, 0)",
                )
                .bind(&mail.to)
                .bind(&mail.subject)
                .bind(&mail.body)
                .bind(at.unix_ms())
                .execute(&mut **tx)
                .await
                .map_err(backend_error)?;
                Ok(())
            }

            #[async_trait]
            impl MailStore for $store {
                async fn queue_mail(&self, mail: &OutgoingMail, at: Timestamp) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    insert_mail(&mut tx, mail, at).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn due_mail(&self, now: Timestamp, limit: u32) -> Result<Vec<QueuedMail>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT id, to_address, subject, body, attempts FROM mail_outbox
                         WHERE sent_at IS NULL AND next_attempt_at IS NOT NULL AND next_attempt_at <= $1
                         ORDER BY next_attempt_at, id LIMIT $2",
                    )
                    .bind(now.unix_ms())
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|r| {
                            let attempts: i64 = r.try_get(4).map_err(backend_error)?;
                            Ok(QueuedMail {
                                id: r.try_get(0).map_err(backend_error)?,
                                mail: OutgoingMail {
                                    to: r.try_get(1).map_err(backend_error)?,
                                    subject: r.try_get(2).map_err(backend_error)?,
                                    body: r.try_get(3).map_err(backend_error)?,
                                },
                                attempts: attempts.clamp(0, i64::from(u32::MAX)) as u32,
                            })
                        })
                        .collect()
                }

                async fn mail_sent(&self, id: i64, at: Timestamp) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query("UPDATE mail_outbox SET sent_at = $2, next_attempt_at = NULL WHERE id = $1")
                        .bind(id)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn mail_failed(&self, id: i64, error: &str, retry_at: Option<Timestamp>) -> Result<(), StoreError> {
                    let error: String = error.chars().take(500).collect();
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(error)
                    .bind(retry_at.map(|t| t.unix_ms()))
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    tx.commit().await.map_err(backend_error)
                }
            }
        }
    };
}

pub(crate) use mail_store_impl;
