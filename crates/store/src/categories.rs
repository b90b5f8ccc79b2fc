//! The SQL of marketplace categories and code tables, written once and expanded for each backend
//! by `category_store_impl!(StoreType)` inside that backend's module.

macro_rules! category_store_impl {
    ($store:ident) => {
        mod category_sql {
            use super::*;
            use gachi_domain::catalog::category::Category;
            use gachi_domain::catalog::CategoryStore;
            use gachi_domain::kernel::channel::Channel;

            fn category_from_row<R: sqlx::Row>(row: &R) -> Result<Category, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                Ok(Category {
                    channel: crate::channel_of(row.try_get(0).map_err(backend_error)?)?,
                    code: row.try_get(1).map_err(backend_error)?,
                    path: row.try_get(2).map_err(backend_error)?,
                    has_meta: row.try_get(3).map_err(backend_error)?,
                })
            }

            #[async_trait]
            impl CategoryStore for $store {
                async fn replace_categories(&self, channel: Channel, rows: &[(String, String)], audit: &AuditEntry) -> Result<u64, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    // Codes that vanished from the tree go; the others keep their metadata.
                    let known: Vec<String> = sqlx::query_scalar("SELECT code FROM categories WHERE channel = $1")
                        .bind(channel.code())
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let incoming: std::collections::HashSet<&str> = rows.iter().map(|(c, _)| c.as_str()).collect();
                    for code in known.iter().filter(|c| !incoming.contains(c.as_str())) {
                        sqlx::query("DELETE FROM categories WHERE channel = $1 AND code = $2")
                            .bind(channel.code())
                            .bind(code)
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                    }
                    for (code, path) in rows {
                        sqlx::query(
                            "INSERT INTO categories (channel, code, path) VALUES ($1, $2, $3)
                             ON CONFLICT (channel, code) DO UPDATE SET path = excluded.path",
                        )
                        .bind(channel.code())
                        .bind(code)
                        .bind(path)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(rows.len() as u64)
                }

                async fn search_categories(&self, channel: Channel, text: &str, limit: u32) -> Result<Vec<Category>, StoreError> {
                    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                    sqlx::query(
                        "SELECT channel, code, path, meta IS NOT NULL FROM categories
                         WHERE channel = $1 AND path LIKE $2 ESCAPE '\\' ORDER BY length(path), code LIMIT $3",
                    )
                    .bind(channel.code())
                    .bind(format!("%{escaped}%"))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?
                    .iter()
                    .map(category_from_row)
                    .collect()
                }

                async fn category(&self, channel: Channel, code: &str) -> Result<Option<Category>, StoreError> {
                    sqlx::query("SELECT channel, code, path, meta IS NOT NULL FROM categories WHERE channel = $1 AND code = $2")
                        .bind(channel.code())
                        .bind(code)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .map(|row| category_from_row(&row))
                        .transpose()
                }

                async fn set_category_meta(&self, channel: Channel, code: &str, meta_json: &str, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("UPDATE categories SET meta = $3 WHERE channel = $1 AND code = $2")
                        .bind(channel.code())
                        .bind(code)
                        .bind(meta_json)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn category_meta(&self, channel: Channel, code: &str) -> Result<Option<String>, StoreError> {
                    let meta: Option<Option<String>> = sqlx::query_scalar("SELECT meta FROM categories WHERE channel = $1 AND code = $2")
                        .bind(channel.code())
                        .bind(code)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?;
                    Ok(meta.flatten())
                }

                async fn save_channel_table(&self, channel: Channel, name: &str, body: &str, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO channel_tables (channel, name, body, updated_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (channel, name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                    )
                    .bind(channel.code())
                    .bind(name)
                    .bind(body)
                    .bind(audit.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn channel_table(&self, channel: Channel, name: &str) -> Result<Option<String>, StoreError> {
                    sqlx::query_scalar("SELECT body FROM channel_tables WHERE channel = $1 AND name = $2")
                        .bind(channel.code())
                        .bind(name)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)
                }
            }
        }
    };
}

pub(crate) use category_store_impl;
