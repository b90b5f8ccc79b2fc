//! The SQL of program rounds, written once and expanded for each backend by
//! `round_store_impl!(StoreType)` inside that backend's module.

macro_rules! round_store_impl {
    ($store:ident) => {
        mod round_sql {
            use super::*;
            use gachi_domain::merchants::diagnosis::Track;
            use gachi_domain::merchants::merchant::MerchantId;
            use gachi_domain::program::RoundStore;
            use gachi_domain::program::rounds::{Applicant, Application, Decision, Quotas, Reason, Round, RoundId, RoundStatus};

            fn corrupt(what: &str) -> StoreError {
                StoreError::Backend(format!("corrupt {what} in rounds"))
            }

            impl $store {
                async fn quotas_of(&self, round: RoundId, total: u32) -> Result<Quotas, StoreError> {
                    let rows = sqlx::query("SELECT kind, quota_key, seats FROM round_quotas WHERE round_id = $1 ORDER BY id")
                        .bind(round.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    let mut quotas = Quotas { total, ..Quotas::default() };
                    for row in rows {
                        let kind: String = row.try_get(0).map_err(backend_error)?;
                        let key: String = row.try_get(1).map_err(backend_error)?;
                        let seats: i64 = row.try_get(2).map_err(backend_error)?;
                        let seats = u32::try_from(seats).map_err(|_| corrupt("seats"))?;
                        match kind.as_str() {
                            "sido" => quotas.by_sido.push((RegionCode::parse(&key, "sido").map_err(|_| corrupt("sido"))?, seats)),
                            _ => quotas.by_track.push((Track::parse(&key, "track").map_err(|_| corrupt("track"))?, seats)),
                        }
                    }
                    Ok(quotas)
                }

                async fn round_from_row<R: sqlx::Row>(&self, row: &R) -> Result<Round, StoreError>
                where
                    for<'a> &'a str: sqlx::ColumnIndex<R>,
                    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                {
                    let id = RoundId(row.try_get("id").map_err(backend_error)?);
                    let status: String = row.try_get("status").map_err(backend_error)?;
                    let total: i64 = row.try_get("total_seats").map_err(backend_error)?;
                    Ok(Round {
                        id,
                        name: row.try_get("name").map_err(backend_error)?,
                        status: RoundStatus::parse(&status).ok_or_else(|| corrupt("status"))?,
                        quotas: self.quotas_of(id, u32::try_from(total).map_err(|_| corrupt("total"))?).await?,
                        created_at: Timestamp::from_unix_ms(row.try_get("created_at").map_err(backend_error)?),
                    })
                }

                async fn applications_where(&self, column: &'static str, id: i64) -> Result<Vec<Application>, StoreError> {
                    let sql = match column {
                        "round" => "SELECT a.round_id, a.merchant_id, a.applied_at, a.product_score, a.online_score, a.track, a.sido_code,
                                       a.decision, a.decision_rank, m.name FROM applications a JOIN merchants m ON m.id = a.merchant_id
                                    WHERE a.round_id = $1 ORDER BY a.decision_rank, a.id",
                        _ => "SELECT a.round_id, a.merchant_id, a.applied_at, a.product_score, a.online_score, a.track, a.sido_code,
                                 a.decision, a.decision_rank, m.name FROM applications a JOIN merchants m ON m.id = a.merchant_id
                              WHERE a.merchant_id = $1 ORDER BY a.round_id DESC",
                    };
                    let rows = sqlx::query(sql).bind(id).fetch_all(self.reader()).await.map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let score = |c: &str| -> Result<u32, StoreError> {
                                u32::try_from(row.try_get::<i64, _>(c).map_err(backend_error)?).map_err(|_| corrupt(c))
                            };
                            let track: String = row.try_get("track").map_err(backend_error)?;
                            let sido: String = row.try_get("sido_code").map_err(backend_error)?;
                            let applicant = Applicant {
                                merchant: MerchantId(row.try_get("merchant_id").map_err(backend_error)?),
                                sido: RegionCode::parse(&sido, "sido").map_err(|_| corrupt("sido"))?,
                                track: Track::parse(&track, "track").map_err(|_| corrupt("track"))?,
                                product_score: score("product_score")?,
                                online_score: score("online_score")?,
                                applied_at: Timestamp::from_unix_ms(row.try_get("applied_at").map_err(backend_error)?),
                            };
                            let decision: Option<String> = row.try_get("decision").map_err(backend_error)?;
                            let rank: Option<i64> = row.try_get("decision_rank").map_err(backend_error)?;
                            let decision = match (decision, rank) {
                                (Some(d), Some(rank)) => Some(Decision {
                                    merchant: applicant.merchant,
                                    rank: u32::try_from(rank).map_err(|_| corrupt("rank"))?,
                                    reason: Reason::from_stored(&d, &applicant).ok_or_else(|| corrupt("decision"))?,
                                }),
                                _ => None,
                            };
                            Ok(Application {
                                round: RoundId(row.try_get("round_id").map_err(backend_error)?),
                                merchant_name: row.try_get("name").map_err(backend_error)?,
                                applicant,
                                decision,
                            })
                        })
                        .collect()
                }
            }

            #[async_trait]
            impl RoundStore for $store {
                async fn create_round(&self, name: &str, quotas: &Quotas, by: UserId, audit: &AuditEntry) -> Result<Round, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let row = sqlx::query(
                        "INSERT INTO rounds (name, status, total_seats, created_by, created_at) VALUES ($1, 'open', $2, $3, $4) RETURNING id",
                    )
                    .bind(name)
                    .bind(i64::from(quotas.total))
                    .bind(by.0)
                    .bind(audit.at.unix_ms())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let id: i64 = row.try_get(0).map_err(backend_error)?;
                    let keyed = quotas
                        .by_sido
                        .iter()
                        .map(|(r, n)| ("sido", r.as_str().to_owned(), *n))
                        .chain(quotas.by_track.iter().map(|(t, n)| ("track", t.as_str().to_owned(), *n)));
                    for (kind, key, seats) in keyed {
                        sqlx::query("INSERT INTO round_quotas (round_id, kind, quota_key, seats) VALUES ($1, $2, $3, $4)")
                            .bind(id)
                            .bind(kind)
                            .bind(key)
                            .bind(i64::from(seats))
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                    }
                    insert_audit(&mut *tx, &AuditEntry { subject: format!("round:{id}"), ..audit.clone() }).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(Round { id: RoundId(id), name: name.to_owned(), status: RoundStatus::Open, quotas: quotas.clone(), created_at: audit.at })
                }

                async fn round(&self, id: RoundId) -> Result<Option<Round>, StoreError> {
                    let row = sqlx::query("SELECT id, name, status, total_seats, created_at FROM rounds WHERE id = $1")
                        .bind(id.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?;
                    match row {
                        Some(row) => Ok(Some(self.round_from_row(&row).await?)),
                        None => Ok(None),
                    }
                }

                async fn rounds(&self) -> Result<Vec<Round>, StoreError> {
                    let rows = sqlx::query("SELECT id, name, status, total_seats, created_at FROM rounds ORDER BY id DESC LIMIT 200")
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    let mut rounds = Vec::with_capacity(rows.len());
                    for row in &rows {
                        rounds.push(self.round_from_row(row).await?);
                    }
                    Ok(rounds)
                }

                async fn apply(&self, round: RoundId, a: &Applicant, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO applications (round_id, merchant_id, applied_at, product_score, online_score, track, sido_code)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(round.0)
                    .bind(a.merchant.0)
                    .bind(a.applied_at.unix_ms())
                    .bind(i64::from(a.product_score))
                    .bind(i64::from(a.online_score))
                    .bind(a.track.as_str())
                    .bind(a.sido.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(conflict_on("application"))?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn applications(&self, round: RoundId) -> Result<Vec<Application>, StoreError> {
                    self.applications_where("round", round.0).await
                }

                async fn applications_of(&self, merchant: MerchantId) -> Result<Vec<Application>, StoreError> {
                    self.applications_where("merchant", merchant.0).await
                }

                async fn record_decisions(&self, round: RoundId, decisions: &[Decision], audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let at = audit.at.unix_ms();
                    for d in decisions {
                        sqlx::query("UPDATE applications SET decision = $1, decision_rank = $2, decided_at = $3 WHERE round_id = $4 AND merchant_id = $5")
                            .bind(d.reason.as_str())
                            .bind(i64::from(d.rank))
                            .bind(at)
                            .bind(round.0)
                            .bind(d.merchant.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                        if d.reason.selected() {
                            sqlx::query("UPDATE merchants SET status = 'selected', updated_at = $1 WHERE id = $2 AND status = 'registered'")
                                .bind(at)
                                .bind(d.merchant.0)
                                .execute(&mut *tx)
                                .await
                                .map_err(backend_error)?;
                        }
                    }
                    let done = sqlx::query("UPDATE rounds SET status = 'decided', decided_at = $1 WHERE id = $2 AND status = 'open'")
                        .bind(at)
                        .bind(round.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Conflict("round"));
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    // Selected merchants changed status.
                    self.auth_cache.forget_shops();
                    Ok(())
                }
            }
        }
    };
}
pub(crate) use round_store_impl;
