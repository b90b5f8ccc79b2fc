//! The SQL of the product master, written once and expanded for each backend by
//! `product_store_impl!(StoreType)` inside that backend's module.

macro_rules! product_store_impl {
    ($store:ident) => {
        mod product_sql {
            use super::*;
            use gachi_domain::merchants::merchant::MerchantId;
            use gachi_domain::catalog::ProductStore;
            use gachi_domain::catalog::product::{CheckedProduct, Product, ProductFile, ProductId, ShippingFile};
            use gachi_domain::catalog::PRODUCT_RESTORE_DAYS;

            fn product_from_row<R: sqlx::Row>(row: &R) -> Result<Product, StoreError>
            where
                for<'a> &'a str: sqlx::ColumnIndex<R>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let file: String = row.try_get("file").map_err(backend_error)?;
                Ok(Product {
                    id: ProductId(row.try_get("id").map_err(backend_error)?),
                    merchant: MerchantId(row.try_get("merchant_id").map_err(backend_error)?),
                    file: serde_json::from_str(&file).map_err(|e| StoreError::Backend(format!("corrupt product file: {e}")))?,
                    created_at: Timestamp::from_unix_ms(row.try_get("created_at").map_err(backend_error)?),
                    updated_at: Timestamp::from_unix_ms(row.try_get("updated_at").map_err(backend_error)?),
                })
            }

            fn file_json(file: &ProductFile) -> Result<String, StoreError> {
                serde_json::to_string(file).map_err(|e| StoreError::Backend(e.to_string()))
            }

            impl $store {
                async fn fetch_product(&self, id: ProductId) -> Result<Option<Product>, StoreError> {
                    sqlx::query("SELECT id, merchant_id, file, created_at, updated_at FROM products WHERE id = $1 AND deleted_at IS NULL")
                        .bind(id.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .map(|row| product_from_row(&row))
                        .transpose()
                }
            }

            #[async_trait]
            impl ProductStore for $store {
                async fn create_product(&self, merchant: MerchantId, file: &ProductFile, checked: &CheckedProduct, audit: &AuditEntry) -> Result<Product, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let row = sqlx::query(
                        "INSERT INTO products (merchant_id, sku, name, price, stock, notice_type, file, created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                    )
                    .bind(merchant.0)
                    .bind(&checked.sku)
                    .bind(&checked.name)
                    .bind(checked.price)
                    .bind(checked.stock)
                    .bind(checked.notice.as_ref().map(|(t, _)| t.upper.as_str()))
                    .bind(file_json(file)?)
                    .bind(audit.at.unix_ms())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(conflict_on("sku"))?;
                    let id: i64 = row.try_get(0).map_err(backend_error)?;
                    insert_audit(&mut *tx, &AuditEntry { subject: format!("product:{id}"), ..audit.clone() }).await?;
                    tx.commit().await.map_err(backend_error)?;
                    self.fetch_product(ProductId(id)).await?.ok_or(StoreError::NotFound)
                }

                async fn product(&self, id: ProductId) -> Result<Option<Product>, StoreError> {
                    self.fetch_product(id).await
                }

                async fn products_of(&self, merchant: MerchantId, before: Option<ProductId>, limit: u32) -> Result<Vec<Product>, StoreError> {
                    sqlx::query("SELECT id, merchant_id, file, created_at, updated_at FROM products WHERE merchant_id = $1 AND id < $2 AND deleted_at IS NULL ORDER BY id DESC LIMIT $3")
                        .bind(merchant.0)
                        .bind(before.map_or(i64::MAX, |id| id.0))
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?
                        .iter()
                        .map(product_from_row)
                        .collect()
                }

                async fn update_product(&self, id: ProductId, file: &ProductFile, checked: &CheckedProduct, audit: &AuditEntry) -> Result<Product, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE products SET sku = $1, name = $2, price = $3, stock = $4, notice_type = $5, file = $6, updated_at = $7
                         WHERE id = $8 AND deleted_at IS NULL",
                    )
                    .bind(&checked.sku)
                    .bind(&checked.name)
                    .bind(checked.price)
                    .bind(checked.stock)
                    .bind(checked.notice.as_ref().map(|(t, _)| t.upper.as_str()))
                    .bind(file_json(file)?)
                    .bind(audit.at.unix_ms())
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(conflict_on("sku"))?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    self.fetch_product(id).await?.ok_or(StoreError::NotFound)
                }

                async fn save_shipping_template(&self, merchant: MerchantId, name: &str, terms: &ShippingFile, audit: &AuditEntry) -> Result<(), StoreError> {
                    let json = serde_json::to_string(terms).map_err(|e| StoreError::Backend(e.to_string()))?;
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO shipping_templates (merchant_id, name, terms, updated_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (merchant_id, name) DO UPDATE SET terms = excluded.terms, updated_at = excluded.updated_at",
                    )
                    .bind(merchant.0)
                    .bind(name)
                    .bind(json)
                    .bind(audit.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn shipping_templates(&self, merchant: MerchantId) -> Result<Vec<(String, ShippingFile)>, StoreError> {
                    let rows = sqlx::query("SELECT name, terms FROM shipping_templates WHERE merchant_id = $1 ORDER BY name")
                        .bind(merchant.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let terms: String = row.try_get(1).map_err(backend_error)?;
                            Ok((
                                row.try_get(0).map_err(backend_error)?,
                                serde_json::from_str(&terms).map_err(|e| StoreError::Backend(format!("corrupt shipping template: {e}")))?,
                            ))
                        })
                        .collect()
                }

                async fn delete_product(&self, id: ProductId, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    // Kept for the restore period: marked, its code freed for a new product
                    // (the file keeps it), and out of the MD pool.
                    let done = sqlx::query(
                        "UPDATE products SET deleted_at = $2, sku = sku || ' (deleted ' || CAST(id AS TEXT) || ')'
                         WHERE id = $1 AND deleted_at IS NULL",
                    )
                    .bind(id.0)
                    .bind(audit.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    sqlx::query("DELETE FROM pool_entries WHERE product_id = $1")
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    // Past the restore period they go for good.
                    let expired = audit.at.plus_seconds(-PRODUCT_RESTORE_DAYS * 24 * 3600).unix_ms();
                    sqlx::query("DELETE FROM products WHERE deleted_at IS NOT NULL AND deleted_at < $1")
                        .bind(expired)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn deleted_products(&self, merchant: MerchantId, since: Timestamp) -> Result<Vec<(Product, Timestamp)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT id, merchant_id, file, created_at, updated_at, deleted_at FROM products
                         WHERE merchant_id = $1 AND deleted_at IS NOT NULL AND deleted_at >= $2 ORDER BY deleted_at DESC LIMIT 200",
                    )
                    .bind(merchant.0)
                    .bind(since.unix_ms())
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let at: i64 = row.try_get("deleted_at").map_err(backend_error)?;
                            Ok((product_from_row(row)?, Timestamp::from_unix_ms(at)))
                        })
                        .collect()
                }

                async fn deleted_product(&self, id: ProductId) -> Result<Option<(Product, Timestamp)>, StoreError> {
                    let row = sqlx::query(
                        "SELECT id, merchant_id, file, created_at, updated_at, deleted_at FROM products
                         WHERE id = $1 AND deleted_at IS NOT NULL",
                    )
                    .bind(id.0)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(backend_error)?;
                    row.map(|row| {
                        let at: i64 = row.try_get("deleted_at").map_err(backend_error)?;
                        Ok((product_from_row(&row)?, Timestamp::from_unix_ms(at)))
                    })
                    .transpose()
                }

                async fn restore_product(&self, id: ProductId, sku: &str, audit: &AuditEntry) -> Result<Product, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("UPDATE products SET deleted_at = NULL, sku = $2 WHERE id = $1 AND deleted_at IS NOT NULL")
                        .bind(id.0)
                        .bind(sku)
                        .execute(&mut *tx)
                        .await
                        .map_err(conflict_on("sku"))?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    self.fetch_product(id).await?.ok_or(StoreError::NotFound)
                }
            }
        }
    };
}
pub(crate) use product_store_impl;
