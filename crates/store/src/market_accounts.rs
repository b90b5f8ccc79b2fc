//! The SQL of marketplace accounts and listing submissions, written once and expanded for each
//! backend by `market_account_store_impl!(StoreType)` inside that backend's module. Keys arrive
//! sealed; nothing here can read them.

/// A marketplace account's settings as stored: a JSON object of field → text.
pub(crate) fn settings_text(
    settings: &gachi_domain::listing::market_account::SellerSettings,
) -> String {
    serde_json::to_string(settings).expect("a map of strings serializes")
}

/// The stored settings; numbers kept as JSON numbers by earlier versions read as their digits.
pub(crate) fn settings_of(
    stored: String,
) -> Result<gachi_domain::listing::market_account::SellerSettings, gachi_domain::ports::StoreError>
{
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&stored)
        .map_err(|e| gachi_domain::ports::StoreError::Backend(format!("account settings: {e}")))?;
    Ok(object
        .into_iter()
        .map(|(name, value)| {
            let text = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            (name, text)
        })
        .collect())
}

macro_rules! market_account_store_impl {
    ($store:ident) => {
        mod market_account_sql {
            use super::*;
            use gachi_domain::listing::market_account::{ChannelAccount, SellerSettings, SubmissionRecord};
            use gachi_domain::merchants::merchant::MerchantId;
            use gachi_domain::listing::MarketAccountStore;
            use gachi_domain::listing::marketplaces::OutcomeKind;
            use gachi_domain::kernel::channel::Channel;
            use gachi_domain::catalog::product::ProductId;

            #[async_trait]
            impl MarketAccountStore for $store {
                async fn save_channel_account(&self, merchant: MerchantId, channel: Channel, settings: &SellerSettings, sealed_credentials: Option<&str>, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO channel_accounts (merchant_id, channel, settings, sealed_credentials, updated_at, keys_saved_at)
                         VALUES ($1, $2, $3, $4, $5, $6)
                         ON CONFLICT (merchant_id, channel) DO UPDATE SET settings = excluded.settings,
                             sealed_credentials = COALESCE(excluded.sealed_credentials, channel_accounts.sealed_credentials),
                             updated_at = excluded.updated_at,
                             keys_saved_at = COALESCE(excluded.keys_saved_at, channel_accounts.keys_saved_at)",
                    )
                    .bind(merchant.0)
                    .bind(channel.code())
                    .bind(crate::market_accounts::settings_text(settings))
                    .bind(sealed_credentials)
                    .bind(audit.at.unix_ms())
                    .bind(sealed_credentials.map(|_| audit.at.unix_ms()))
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    if sealed_credentials.is_some() {
                        // New keys may be another seller account: its host holds none of these.
                        sqlx::query("DELETE FROM hosted_photos WHERE merchant_id = $1 AND channel = $2")
                            .bind(merchant.0)
                            .bind(channel.code())
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn channel_accounts(&self, merchant: MerchantId) -> Result<Vec<ChannelAccount>, StoreError> {
                    let rows = sqlx::query("SELECT channel, settings, sealed_credentials, updated_at, keys_saved_at FROM channel_accounts WHERE merchant_id = $1 ORDER BY channel")
                        .bind(merchant.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            Ok(ChannelAccount {
                                channel: crate::channel_of(row.try_get(0).map_err(backend_error)?)?,
                                settings: crate::market_accounts::settings_of(row.try_get(1).map_err(backend_error)?)?,
                                sealed_credentials: row.try_get(2).map_err(backend_error)?,
                                updated_at: Timestamp::from_unix_ms(row.try_get(3).map_err(backend_error)?),
                                keys_saved_at: row
                                    .try_get::<Option<i64>, _>(4)
                                    .map_err(backend_error)?
                                    .map(Timestamp::from_unix_ms),
                            })
                        })
                        .collect()
                }

                async fn record_submission(&self, product: ProductId, record: &SubmissionRecord, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO listing_submissions (product_id, channel, outcome, marketplace_product_id, request_digest, detail, submitted_by, submitted_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(product.0)
                    .bind(record.channel.code())
                    .bind(record.outcome.as_str())
                    .bind(record.marketplace_product_id.as_deref())
                    .bind(&record.request_digest)
                    .bind(&record.detail)
                    .bind(record.submitted_by.map(|u| u.0))
                    .bind(record.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn submissions(&self, product: ProductId) -> Result<Vec<SubmissionRecord>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT channel, outcome, marketplace_product_id, request_digest, detail, submitted_by, submitted_at
                         FROM listing_submissions WHERE product_id = $1 ORDER BY id DESC",
                    )
                    .bind(product.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let by: Option<i64> = row.try_get(5).map_err(backend_error)?;
                            Ok(SubmissionRecord {
                                channel: crate::channel_of(row.try_get(0).map_err(backend_error)?)?,
                                outcome: {
                                    let word: String = row.try_get(1).map_err(backend_error)?;
                                    OutcomeKind::parse(&word).ok_or_else(|| StoreError::Backend(format!("unknown submission outcome {word:?}")))?
                                },
                                marketplace_product_id: row.try_get(2).map_err(backend_error)?,
                                request_digest: row.try_get(3).map_err(backend_error)?,
                                detail: row.try_get(4).map_err(backend_error)?,
                                submitted_by: by.map(UserId),
                                at: Timestamp::from_unix_ms(row.try_get(6).map_err(backend_error)?),
                            })
                        })
                        .collect()
                }

                async fn latest_listing(&self, merchant: MerchantId, channel: Channel) -> Result<Option<String>, StoreError> {
                    sqlx::query_scalar(
                        "SELECT s.marketplace_product_id FROM listing_submissions s JOIN products p ON p.id = s.product_id
                         WHERE p.merchant_id = $1 AND s.channel = $2 AND s.outcome = 'created' AND s.marketplace_product_id IS NOT NULL
                         ORDER BY s.submitted_at DESC, s.id DESC LIMIT 1",
                    )
                    .bind(merchant.0)
                    .bind(channel.code())
                    .fetch_optional(self.reader())
                    .await
                    .map_err(backend_error)
                }

                async fn hosted_photos(&self, merchant: MerchantId, channel: Channel, account: &str, sources: &[String]) -> Result<Vec<(String, String)>, StoreError> {
                    if sources.is_empty() {
                        return Ok(Vec::new());
                    }
                    // A listing names at most ten photos: one query with a placeholder each.
                    let mut query = sqlx::QueryBuilder::<Backend>::new(
                        "SELECT source_url, hosted_url FROM hosted_photos WHERE merchant_id = ",
                    );
                    query.push_bind(merchant.0).push(" AND channel = ").push_bind(channel.code());
                    query.push(" AND account = ").push_bind(account).push(" AND source_url IN (");
                    let mut list = query.separated(", ");
                    for source in sources {
                        list.push_bind(source);
                    }
                    query.push(")");
                    query.build_query_as().fetch_all(self.reader()).await.map_err(backend_error)
                }

                async fn remember_hosted_photos(&self, merchant: MerchantId, channel: Channel, account: &str, hosted: &[(String, String)], at: Timestamp) -> Result<(), StoreError> {
                    if hosted.is_empty() {
                        return Ok(());
                    }
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    for (source, hosted_url) in hosted {
                        sqlx::query(
                            "INSERT INTO hosted_photos (merchant_id, channel, account, source_url, hosted_url, hosted_at)
                             VALUES ($1, $2, $3, $4, $5, $6)
                             ON CONFLICT (merchant_id, channel, account, source_url) DO UPDATE SET hosted_url = excluded.hosted_url,
                                 hosted_at = excluded.hosted_at",
                        )
                        .bind(merchant.0)
                        .bind(channel.code())
                        .bind(account)
                        .bind(source)
                        .bind(hosted_url)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    }
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }
            }
        }
    };
}

pub(crate) use market_account_store_impl;
