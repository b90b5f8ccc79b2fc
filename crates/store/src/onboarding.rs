//! The SQL of the onboarding board, written once and expanded for each backend by
//! `onboarding_store_impl!(StoreType)` inside that backend's module.

macro_rules! onboarding_store_impl {
    ($store:ident) => {
        mod onboarding_sql {
            use super::*;
            use gachi_domain::onboarding::bulk_job::{BulkJob, JobKind, JobState, NewBulkJob};
            use gachi_domain::merchants::diagnosis::Track;
            use gachi_domain::merchants::merchant::MerchantId;
            use gachi_domain::onboarding::{BoardFilter, Card, MoveRecord, Stage};
            use gachi_domain::onboarding::OnboardingStore;
            use gachi_domain::kernel::channel::Channel;

            fn corrupt(what: &str) -> StoreError {
                StoreError::Backend(format!("corrupt {what} in onboarding"))
            }

            fn stage(code: &str) -> Result<Stage, StoreError> {
                Stage::parse(code, "stage").map_err(|_| corrupt("stage"))
            }

            #[async_trait]
            impl OnboardingStore for $store {
                async fn onboarding_cards(&self, filter: &BoardFilter, limit: u32) -> Result<Vec<Card>, StoreError> {
                    let mut query = sqlx::QueryBuilder::<Backend>::new(format!(
                        "SELECT c.merchant_id, m.name, m.region_code, m.track, c.channel, c.stage, c.entered_at, c.started_at, u.display_name, c.reason
                         FROM onboarding_cards c {OUTER_FIRST_JOIN} merchants m ON m.id = c.merchant_id
                         LEFT JOIN users u ON u.id = c.moved_by WHERE 1 = 1"
                    ));
                    if let Some(region) = &filter.region {
                        crate::push_region_filter(&mut query, region);
                    }
                    if let Some(track) = filter.track {
                        query.push(" AND m.track = ").push_bind(track.as_str());
                    }
                    if let Some(channel) = &filter.channel {
                        query.push(" AND c.channel = ").push_bind(channel.code());
                    }
                    if let Some(stage) = filter.stage {
                        query.push(" AND c.stage = ").push_bind(stage.as_str());
                    }
                    if let Some(merchant) = filter.merchant {
                        query.push(" AND c.merchant_id = ").push_bind(merchant.0);
                    }
                    query.push(" ORDER BY c.entered_at, c.merchant_id, c.channel LIMIT ").push_bind(i64::from(limit));
                    let rows = query.build().fetch_all(self.reader()).await.map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let region: String = row.try_get(2).map_err(backend_error)?;
                            let track: Option<String> = row.try_get(3).map_err(backend_error)?;
                            let code: String = row.try_get(5).map_err(backend_error)?;
                            Ok(Card {
                                merchant: MerchantId(row.try_get(0).map_err(backend_error)?),
                                merchant_name: row.try_get(1).map_err(backend_error)?,
                                region: RegionCode::parse(&region, "region_code").map_err(|_| corrupt("region"))?,
                                track: track.map(|t| Track::parse(&t, "track").map_err(|_| corrupt("track"))).transpose()?,
                                channel: crate::channel_of(row.try_get(4).map_err(backend_error)?)?,
                                stage: stage(&code)?,
                                entered_at: Timestamp::from_unix_ms(row.try_get(6).map_err(backend_error)?),
                                started_at: Timestamp::from_unix_ms(row.try_get(7).map_err(backend_error)?),
                                moved_by: row.try_get(8).map_err(backend_error)?,
                                reason: row.try_get(9).map_err(backend_error)?,
                            })
                        })
                        .collect()
                }

                async fn move_onboarding(&self, merchant: MerchantId, channel: Channel, to: Stage, by: UserId, reason: Option<&str>, audit: &AuditEntry) -> Result<(), StoreError> {
                    let at = audit.at.unix_ms();
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let from: Option<String> = sqlx::query_scalar("SELECT stage FROM onboarding_cards WHERE merchant_id = $1 AND channel = $2")
                        .bind(merchant.0)
                        .bind(channel.code())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    if from.as_deref() == Some(to.as_str()) {
                        // Not a move: nothing to record.
                        return Ok(());
                    }
                    sqlx::query(
                        "INSERT INTO onboarding_cards (merchant_id, channel, stage, entered_at, started_at, moved_by, reason)
                         VALUES ($1, $2, $3, $4, $4, $5, $6)
                         ON CONFLICT (merchant_id, channel) DO UPDATE SET stage = excluded.stage, entered_at = excluded.entered_at,
                             moved_by = excluded.moved_by, reason = excluded.reason",
                    )
                    .bind(merchant.0)
                    .bind(channel.code())
                    .bind(to.as_str())
                    .bind(at)
                    .bind(by.0)
                    .bind(reason)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    sqlx::query("INSERT INTO onboarding_moves (merchant_id, channel, from_stage, to_stage, moved_by, moved_at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                        .bind(merchant.0)
                        .bind(channel.code())
                        .bind(from)
                        .bind(to.as_str())
                        .bind(by.0)
                        .bind(at)
                        .bind(reason)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    // The merchant's status follows the funnel: a card on the board means 입점 진행, a
                    // marketplace 판매중 means selling (dropped shops stay dropped).
                    let status_sql = if to == Stage::Selling {
                        "UPDATE merchants SET status = 'selling' WHERE id = $1 AND status <> 'dropped'"
                    } else {
                        "UPDATE merchants SET status = 'onboarding' WHERE id = $1 AND status IN ('prospect', 'registered', 'selected')"
                    };
                    // A merchant's first 판매중 counts them as onboarded in this year.
                    if to == Stage::Selling {
                        let status: Option<String> = sqlx::query_scalar("SELECT status FROM merchants WHERE id = $1")
                            .bind(merchant.0)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                        if status.as_deref().is_some_and(|s| s != "selling" && s != "dropped") {
                            let year = gachi_domain::results::Month::of(audit.at).year;
                            sqlx::query(
                                "INSERT INTO onboarded_counts (year, region_code, n)
                                 SELECT $1, region_code, 1 FROM merchants WHERE id = $2
                                 ON CONFLICT (year, region_code) DO UPDATE SET n = onboarded_counts.n + 1",
                            )
                            .bind(i64::from(year))
                            .bind(merchant.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                        }
                    }
                    sqlx::query(status_sql).bind(merchant.0).execute(&mut *tx).await.map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn onboarding_moves(&self, merchant: MerchantId) -> Result<Vec<MoveRecord>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT o.channel, o.from_stage, o.to_stage, u.display_name, o.moved_at, o.reason
                         FROM onboarding_moves o LEFT JOIN users u ON u.id = o.moved_by
                         WHERE o.merchant_id = $1 ORDER BY o.id",
                    )
                    .bind(merchant.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let from: Option<String> = row.try_get(1).map_err(backend_error)?;
                            let to: String = row.try_get(2).map_err(backend_error)?;
                            Ok(MoveRecord {
                                channel: crate::channel_of(row.try_get(0).map_err(backend_error)?)?,
                                from: from.as_deref().map(stage).transpose()?,
                                to: stage(&to)?,
                                by: row.try_get(3).map_err(backend_error)?,
                                at: Timestamp::from_unix_ms(row.try_get(4).map_err(backend_error)?),
                                reason: row.try_get(5).map_err(backend_error)?,
                            })
                        })
                        .collect()
                }

                async fn start_bulk_job(&self, job: &NewBulkJob, audit: &AuditEntry) -> Result<BulkJob, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let row = sqlx::query(&format!(
                        "INSERT INTO bulk_jobs (kind, channel, state, total, started_by, started_at)
                         VALUES ($1, $2, 'running', $3, $4, $5) RETURNING {BULK_JOB_COLUMNS}"
                    ))
                    .bind(job.kind.as_str())
                    .bind(job.channel.code())
                    .bind(job.total)
                    .bind(job.started_by.0)
                    .bind(job.at.unix_ms())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(crate::conflict_on("channel"))?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    bulk_job_of(&row)
                }

                async fn bulk_job_progress(&self, id: i64, done: i64, passed: i64, failed: i64) -> Result<(), StoreError> {
                    let result = sqlx::query("UPDATE bulk_jobs SET done = $2, passed = $3, failed = $4 WHERE id = $1 AND state = 'running'")
                        .bind(id)
                        .bind(done)
                        .bind(passed)
                        .bind(failed)
                        .execute(self.writer())
                        .await
                        .map_err(backend_error)?;
                    crate::one_row_or_not_found(result.rows_affected())
                }

                async fn finish_bulk_job(&self, id: i64, state: JobState, at: Timestamp) -> Result<(), StoreError> {
                    let result = sqlx::query("UPDATE bulk_jobs SET state = $2, finished_at = $3 WHERE id = $1 AND state = 'running'")
                        .bind(id)
                        .bind(state.as_str())
                        .bind(at.unix_ms())
                        .execute(self.writer())
                        .await
                        .map_err(backend_error)?;
                    crate::one_row_or_not_found(result.rows_affected())
                }

                async fn bulk_job(&self, id: i64) -> Result<Option<BulkJob>, StoreError> {
                    let row = sqlx::query(&format!("SELECT {BULK_JOB_COLUMNS} FROM bulk_jobs WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?;
                    row.as_ref().map(bulk_job_of).transpose()
                }

                async fn bulk_jobs(&self, channel: Option<Channel>, limit: u32) -> Result<Vec<BulkJob>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {BULK_JOB_COLUMNS} FROM bulk_jobs WHERE ($1 IS NULL OR channel = $1) ORDER BY id DESC LIMIT $2"
                    ))
                    .bind(channel.map(Channel::code))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(bulk_job_of).collect()
                }

                async fn interrupt_bulk_jobs(&self, at: Timestamp) -> Result<u64, StoreError> {
                    let result = sqlx::query("UPDATE bulk_jobs SET state = 'interrupted', finished_at = $1 WHERE state = 'running'")
                        .bind(at.unix_ms())
                        .execute(self.writer())
                        .await
                        .map_err(backend_error)?;
                    Ok(result.rows_affected())
                }
            }

            const BULK_JOB_COLUMNS: &str =
                "id, kind, channel, state, total, done, passed, failed, started_by, started_at, finished_at";

            fn bulk_job_of(row: &<Backend as sqlx::Database>::Row) -> Result<BulkJob, StoreError> {
                let kind: String = row.try_get(1).map_err(backend_error)?;
                let state: String = row.try_get(3).map_err(backend_error)?;
                let finished: Option<i64> = row.try_get(10).map_err(backend_error)?;
                Ok(BulkJob {
                    id: row.try_get(0).map_err(backend_error)?,
                    kind: JobKind::parse(&kind).ok_or_else(|| corrupt("job kind"))?,
                    channel: crate::channel_of(row.try_get(2).map_err(backend_error)?)?,
                    state: JobState::parse(&state).ok_or_else(|| corrupt("job state"))?,
                    total: row.try_get(4).map_err(backend_error)?,
                    done: row.try_get(5).map_err(backend_error)?,
                    passed: row.try_get(6).map_err(backend_error)?,
                    failed: row.try_get(7).map_err(backend_error)?,
                    started_by: UserId(row.try_get(8).map_err(backend_error)?),
                    started_at: Timestamp::from_unix_ms(row.try_get(9).map_err(backend_error)?),
                    finished_at: finished.map(Timestamp::from_unix_ms),
                })
            }
        }
    };
}

pub(crate) use onboarding_store_impl;
