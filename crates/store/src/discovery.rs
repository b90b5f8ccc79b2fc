//! The SQL of the MD product pool, shops' sales visibility and picks, written once and expanded
//! for each backend by `discovery_store_impl!(StoreType)` inside that backend's module.

macro_rules! discovery_store_impl {
    ($store:ident) => {
        mod discovery_sql {
            use super::*;
            use gachi_domain::catalog::product::ProductId;
            use gachi_domain::discovery::picks::{Decision, NewPick, Pick, Purpose};
            use gachi_domain::discovery::pool::{PoolEntry, SalesVisibility};
            use gachi_domain::discovery::{DiscoveryStore, PickFilter};
            use gachi_domain::kernel::channel::Channel;
            use gachi_domain::merchants::merchant::MerchantId;

            const PICK_COLUMNS: &str = "p.id, p.product_id, p.product_name, p.merchant_id, m.name, p.md_id, \
                                        u.display_name, p.channel, p.purpose, p.note, p.decision, p.created_at, p.decided_at";
            const PICK_FROM: &str = "FROM picks p JOIN merchants m ON m.id = p.merchant_id JOIN users u ON u.id = p.md_id";

            fn pick_of<R: sqlx::Row>(row: &R) -> Result<Pick, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let channel: String = row.try_get(7).map_err(backend_error)?;
                let purpose: String = row.try_get(8).map_err(backend_error)?;
                let decision: String = row.try_get(10).map_err(backend_error)?;
                Ok(Pick {
                    id: row.try_get(0).map_err(backend_error)?,
                    product: ProductId(row.try_get(1).map_err(backend_error)?),
                    product_name: row.try_get(2).map_err(backend_error)?,
                    merchant: MerchantId(row.try_get(3).map_err(backend_error)?),
                    merchant_name: row.try_get(4).map_err(backend_error)?,
                    md: UserId(row.try_get(5).map_err(backend_error)?),
                    md_name: row.try_get(6).map_err(backend_error)?,
                    channel: Channel::parse(&channel)
                        .ok_or_else(|| StoreError::Backend(format!("unknown channel {channel}")))?,
                    purpose: Purpose::parse(&purpose)
                        .ok_or_else(|| StoreError::Backend(format!("unknown purpose {purpose}")))?,
                    note: row.try_get(9).map_err(backend_error)?,
                    decision: Decision::parse(&decision)
                        .ok_or_else(|| StoreError::Backend(format!("unknown decision {decision}")))?,
                    created_at: Timestamp::from_unix_ms(row.try_get(11).map_err(backend_error)?),
                    decided_at: row
                        .try_get::<Option<i64>, _>(12)
                        .map_err(backend_error)?
                        .map(Timestamp::from_unix_ms),
                })
            }

            fn entry_of<R: sqlx::Row>(row: &R) -> Result<PoolEntry, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                Ok(PoolEntry {
                    product: ProductId(row.try_get(0).map_err(backend_error)?),
                    merchant: MerchantId(row.try_get(1).map_err(backend_error)?),
                    pooled_at: Timestamp::from_unix_ms(row.try_get(2).map_err(backend_error)?),
                })
            }

            #[async_trait]
            impl DiscoveryStore for $store {
                async fn put_in_pool(&self, entry: &PoolEntry, audit: &AuditEntry) -> Result<bool, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "INSERT INTO pool_entries (product_id, merchant_id, pooled_at) VALUES ($1, $2, $3)
                         ON CONFLICT (product_id) DO NOTHING",
                    )
                    .bind(entry.product.0)
                    .bind(entry.merchant.0)
                    .bind(entry.pooled_at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let added = done.rows_affected() == 1;
                    if added {
                        insert_audit(&mut *tx, audit).await?;
                    }
                    tx.commit().await.map_err(backend_error)?;
                    Ok(added)
                }

                async fn take_out_of_pool(&self, product: ProductId, audit: &AuditEntry) -> Result<bool, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("DELETE FROM pool_entries WHERE product_id = $1")
                        .bind(product.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let removed = done.rows_affected() == 1;
                    if removed {
                        insert_audit(&mut *tx, audit).await?;
                    }
                    tx.commit().await.map_err(backend_error)?;
                    Ok(removed)
                }

                async fn pool_entry(&self, product: ProductId) -> Result<Option<PoolEntry>, StoreError> {
                    sqlx::query("SELECT product_id, merchant_id, pooled_at FROM pool_entries WHERE product_id = $1")
                        .bind(product.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(entry_of)
                        .transpose()
                }

                async fn pool_entries(&self, after: Option<ProductId>, limit: u32) -> Result<Vec<PoolEntry>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT product_id, merchant_id, pooled_at FROM pool_entries
                         WHERE product_id > $1 ORDER BY product_id LIMIT $2",
                    )
                    .bind(after.map_or(i64::MIN, |p| p.0))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(entry_of).collect()
                }

                async fn pool_entries_of(&self, merchant: MerchantId) -> Result<Vec<PoolEntry>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT product_id, merchant_id, pooled_at FROM pool_entries
                         WHERE merchant_id = $1 ORDER BY pooled_at DESC, product_id DESC LIMIT 1000",
                    )
                    .bind(merchant.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(entry_of).collect()
                }

                async fn pool_count(&self) -> Result<u64, StoreError> {
                    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pool_entries")
                        .fetch_one(self.reader())
                        .await
                        .map_err(backend_error)?;
                    Ok(count as u64)
                }

                async fn sales_visibility(&self, merchant: MerchantId) -> Result<SalesVisibility, StoreError> {
                    let code: Option<String> =
                        sqlx::query_scalar("SELECT sales_visibility FROM pool_shop_settings WHERE merchant_id = $1")
                            .bind(merchant.0)
                            .fetch_optional(self.reader())
                            .await
                            .map_err(backend_error)?;
                    Ok(code.as_deref().and_then(SalesVisibility::parse).unwrap_or_default())
                }

                async fn set_sales_visibility(
                    &self,
                    merchant: MerchantId,
                    visibility: SalesVisibility,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO pool_shop_settings (merchant_id, sales_visibility) VALUES ($1, $2)
                         ON CONFLICT (merchant_id) DO UPDATE SET sales_visibility = excluded.sales_visibility",
                    )
                    .bind(merchant.0)
                    .bind(visibility.code())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn create_pick(&self, pick: &NewPick, audit: &AuditEntry) -> Result<Pick, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let open: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM picks WHERE md_id = $1 AND product_id = $2 AND channel = $3
                         AND decision <> 'declined' LIMIT 1",
                    )
                    .bind(pick.md.0)
                    .bind(pick.product.0)
                    .bind(pick.channel.code())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    if open.is_some() {
                        return Err(StoreError::Conflict("product_id"));
                    }
                    let name: Option<String> = sqlx::query_scalar("SELECT name FROM products WHERE id = $1")
                        .bind(pick.product.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let name = name.ok_or(StoreError::NotFound)?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO picks (product_id, product_name, merchant_id, md_id, channel, purpose, note,
                                            decision, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 'proposed', $8) RETURNING id",
                    )
                    .bind(pick.product.0)
                    .bind(&name)
                    .bind(pick.merchant.0)
                    .bind(pick.md.0)
                    .bind(pick.channel.code())
                    .bind(pick.purpose.code())
                    .bind(&pick.note)
                    .bind(pick.created_at.unix_ms())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    let row = sqlx::query(&format!("SELECT {PICK_COLUMNS} {PICK_FROM} WHERE p.id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let created = pick_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(created)
                }

                async fn pick(&self, id: i64) -> Result<Option<Pick>, StoreError> {
                    sqlx::query(&format!("SELECT {PICK_COLUMNS} {PICK_FROM} WHERE p.id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(pick_of)
                        .transpose()
                }

                async fn picks(&self, filter: &PickFilter, limit: u32) -> Result<Vec<Pick>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {PICK_COLUMNS} {PICK_FROM}
                         WHERE ($1 IS NULL OR p.md_id = $1) AND ($2 IS NULL OR p.merchant_id = $2)
                           AND ($3 IS NULL OR p.product_id = $3)
                         ORDER BY p.id DESC LIMIT $4"
                    ))
                    .bind(filter.md.map(|u| u.0))
                    .bind(filter.merchant.map(|m| m.0))
                    .bind(filter.product.map(|p| p.0))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(pick_of).collect()
                }

                async fn decide_pick(
                    &self,
                    id: i64,
                    decision: Decision,
                    at: Timestamp,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE picks SET decision = $2, decided_at = $3 WHERE id = $1 AND decision = 'proposed'",
                    )
                    .bind(id)
                    .bind(decision.code())
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    if done.rows_affected() == 0 {
                        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM picks WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                        return Err(if exists.is_some() { StoreError::Conflict("decision") } else { StoreError::NotFound });
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }
            }
        }
    };
}

pub(crate) use discovery_store_impl;
