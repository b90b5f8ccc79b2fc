//! The SQL of delegations from shops to designers, written once and expanded for each backend by
//! `delegation_store_impl!(StoreType)` inside that backend's module.

macro_rules! delegation_store_impl {
    ($store:ident) => {
        mod delegation_sql {
            use super::*;
            use gachi_domain::designers::DelegationStore;
            use gachi_domain::designers::delegation::{Delegation, NewDelegation, Scope};
            use gachi_domain::merchants::merchant::MerchantId;

            const COLUMNS: &str = "d.id, d.merchant_id, m.name, d.designer_id, u.display_name, d.scopes, \
                                   d.starts_at, d.ends_at, d.revoked_at";
            const FROM: &str = "FROM delegations d JOIN merchants m ON m.id = d.merchant_id JOIN users u ON u.id = d.designer_id";

            fn delegation_of<R: sqlx::Row>(row: &R) -> Result<Delegation, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let scopes: String = row.try_get(5).map_err(backend_error)?;
                Ok(Delegation {
                    id: row.try_get(0).map_err(backend_error)?,
                    merchant: MerchantId(row.try_get(1).map_err(backend_error)?),
                    merchant_name: row.try_get(2).map_err(backend_error)?,
                    designer: UserId(row.try_get(3).map_err(backend_error)?),
                    designer_name: row.try_get(4).map_err(backend_error)?,
                    scopes: Scope::decode(&scopes),
                    starts_at: Timestamp::from_unix_ms(row.try_get(6).map_err(backend_error)?),
                    ends_at: Timestamp::from_unix_ms(row.try_get(7).map_err(backend_error)?),
                    revoked_at: row
                        .try_get::<Option<i64>, _>(8)
                        .map_err(backend_error)?
                        .map(Timestamp::from_unix_ms),
                })
            }

            /// Inserts a delegation (a grant, or a proposal both sides accepted); its id.
            pub(super) async fn insert_delegation<'c, E>(executor: E, delegation: &NewDelegation) -> Result<i64, StoreError>
            where
                E: sqlx::Executor<'c, Database = Backend>,
            {
                sqlx::query_scalar(
                    "INSERT INTO delegations (merchant_id, designer_id, scopes, starts_at, ends_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(delegation.merchant.0)
                .bind(delegation.designer.0)
                .bind(Scope::encode(&delegation.scopes))
                .bind(delegation.starts_at.unix_ms())
                .bind(delegation.ends_at.unix_ms())
                .fetch_one(executor)
                .await
                .map_err(backend_error)
            }

            #[async_trait]
            impl DelegationStore for $store {
                async fn create_delegation(&self, delegation: &NewDelegation, audit: &AuditEntry) -> Result<Delegation, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let id = insert_delegation(&mut *tx, delegation).await?;
                    insert_audit(&mut *tx, audit).await?;
                    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE d.id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let created = delegation_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(created)
                }

                async fn delegation(&self, id: i64) -> Result<Option<Delegation>, StoreError> {
                    sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE d.id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(delegation_of)
                        .transpose()
                }

                async fn delegations(&self, merchant: Option<MerchantId>, designer: Option<UserId>) -> Result<Vec<Delegation>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {COLUMNS} {FROM}
                         WHERE ($1 IS NULL OR d.merchant_id = $1) AND ($2 IS NULL OR d.designer_id = $2)
                         ORDER BY d.id DESC LIMIT 1000"
                    ))
                    .bind(merchant.map(|m| m.0))
                    .bind(designer.map(|d| d.0))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(delegation_of).collect()
                }

                async fn revoke_delegation(&self, id: i64, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("UPDATE delegations SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                        .bind(id)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    if done.rows_affected() == 0 {
                        // Revoked already (the first time stands) or no such delegation.
                        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM delegations WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                        return if exists.is_some() { Ok(()) } else { Err(StoreError::NotFound) };
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn merchants_awaiting_designer(
                    &self,
                    track: gachi_domain::merchants::diagnosis::Track,
                    sido: Option<&gachi_domain::kernel::region::RegionCode>,
                    at: Timestamp,
                ) -> Result<Vec<(MerchantId, String, gachi_domain::kernel::region::RegionCode, String)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT m.id, m.name, m.region_code, m.industry_code FROM merchants m
                         WHERE m.track = $1 AND ($2 IS NULL OR m.region_code LIKE $2)
                           AND NOT EXISTS (SELECT 1 FROM delegations d WHERE d.merchant_id = m.id
                               AND d.revoked_at IS NULL AND d.starts_at <= $3 AND d.ends_at > $3)
                           AND NOT EXISTS (SELECT 1 FROM match_proposals p WHERE p.merchant_id = m.id
                               AND p.delegation_id IS NULL
                               AND (p.merchant_answer IS NULL OR p.merchant_answer = 'accepted')
                               AND (p.designer_answer IS NULL OR p.designer_answer = 'accepted'))
                         ORDER BY m.id LIMIT 1000000",
                    )
                    .bind(track.as_str())
                    .bind(sido.map(|s| format!("{}%", s.as_str())))
                    .bind(at.unix_ms())
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let region: String = row.try_get(2).map_err(backend_error)?;
                            Ok((
                                MerchantId(row.try_get(0).map_err(backend_error)?),
                                row.try_get(1).map_err(backend_error)?,
                                gachi_domain::kernel::region::RegionCode::parse(&region, "region_code")
                                    .map_err(|_| StoreError::Backend(format!("merchant region {region:?}")))?,
                                row.try_get(3).map_err(backend_error)?,
                            ))
                        })
                        .collect()
                }

                async fn owner_of_merchant(&self, merchant: MerchantId) -> Result<Option<UserId>, StoreError> {
                    let owner: Option<Option<i64>> = sqlx::query_scalar("SELECT owner_user_id FROM merchants WHERE id = $1")
                        .bind(merchant.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?;
                    Ok(owner.flatten().map(UserId))
                }

                async fn audit_on_behalf_of(&self, owner: UserId, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
                    self.audit_records(Some(owner), limit).await
                }

                async fn delegated_merchants_by_sido(&self, at: Timestamp) -> Result<Vec<(String, i64)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT SUBSTR(m.region_code, 1, 2), COUNT(DISTINCT d.merchant_id)
                         FROM delegations d JOIN merchants m ON m.id = d.merchant_id
                         WHERE d.revoked_at IS NULL AND d.starts_at <= $1 AND d.ends_at > $1
                         GROUP BY SUBSTR(m.region_code, 1, 2) ORDER BY 1",
                    )
                    .bind(at.unix_ms())
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| Ok((row.try_get(0).map_err(backend_error)?, row.try_get(1).map_err(backend_error)?)))
                        .collect()
                }

                async fn served_shops(
                    &self,
                    designer: Option<UserId>,
                ) -> Result<Vec<gachi_domain::designers::outcomes::ServedShop>, StoreError> {
                    // Counts, not EXISTS: one integer type on both backends.
                    let rows = sqlx::query(
                        "WITH served AS (
                             SELECT designer_id, merchant_id, MIN(starts_at) AS since FROM delegations
                             WHERE ($1 IS NULL OR designer_id = $1) GROUP BY designer_id, merchant_id)
                         SELECT s.designer_id, s.merchant_id, s.since,
                             (SELECT MIN(o.moved_at) FROM onboarding_moves o WHERE o.merchant_id = s.merchant_id
                                 AND o.to_stage = 'selling' AND o.moved_at >= s.since),
                             (SELECT MIN(c.changed_at) FROM sales_report_changes c WHERE c.merchant_id = s.merchant_id
                                 AND c.new_sales_krw > 0 AND c.changed_at >= s.since),
                             (SELECT COUNT(*) FROM hall_of_fame h WHERE h.merchant_id = s.merchant_id)
                         FROM served s ORDER BY s.designer_id, s.merchant_id",
                    )
                    .bind(designer.map(|d| d.0))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let at = |i: usize| -> Result<Option<Timestamp>, StoreError> {
                                Ok(row
                                    .try_get::<Option<i64>, _>(i)
                                    .map_err(backend_error)?
                                    .map(Timestamp::from_unix_ms))
                            };
                            Ok(gachi_domain::designers::outcomes::ServedShop {
                                designer: UserId(row.try_get(0).map_err(backend_error)?),
                                merchant: MerchantId(row.try_get(1).map_err(backend_error)?),
                                since: Timestamp::from_unix_ms(row.try_get(2).map_err(backend_error)?),
                                first_selling_at: at(3)?,
                                first_sale_reported_at: at(4)?,
                                hall_of_fame: row.try_get::<i64, _>(5).map_err(backend_error)? > 0,
                            })
                        })
                        .collect()
                }

                async fn designer_submissions(
                    &self,
                    designer: Option<UserId>,
                ) -> Result<
                    std::collections::BTreeMap<UserId, gachi_domain::designers::outcomes::SubmissionCounts>,
                    StoreError,
                > {
                    let rows = sqlx::query(
                        "SELECT s.submitted_by,
                             SUM(CASE WHEN s.outcome = 'created' THEN 1 ELSE 0 END),
                             SUM(CASE WHEN s.outcome = 'rejected' THEN 1 ELSE 0 END)
                         FROM listing_submissions s JOIN users u ON u.id = s.submitted_by
                         WHERE u.role = 'designer' AND ($1 IS NULL OR s.submitted_by = $1)
                         GROUP BY s.submitted_by",
                    )
                    .bind(designer.map(|d| d.0))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let count = |i: usize| -> Result<u32, StoreError> {
                                let n: i64 = row.try_get(i).map_err(backend_error)?;
                                Ok(u32::try_from(n).unwrap_or(u32::MAX))
                            };
                            Ok((
                                UserId(row.try_get(0).map_err(backend_error)?),
                                gachi_domain::designers::outcomes::SubmissionCounts {
                                    created: count(1)?,
                                    rejected: count(2)?,
                                },
                            ))
                        })
                        .collect()
                }
            }
        }
    };
}

pub(crate) use delegation_store_impl;
