//! The SQL of 디지털 유통설계사 certificates, written once and expanded for each backend by
//! `certificate_store_impl!(StoreType)` inside that backend's module.

macro_rules! certificate_store_impl {
    ($store:ident) => {
        mod certificate_sql {
            use super::*;
            use gachi_domain::accounts::UserId;
            use gachi_domain::designers::{Certificate, CertificateStore, Level, NewCertificate, Revocation};
            use gachi_domain::kernel::region::RegionCode;

            const COLUMNS: &str = "c.number, c.holder_id, u.display_name, c.level, c.issued_at, c.valid_until, \
                                   c.status_index, c.credential, c.revoked_at, c.revoked_reason";

            fn certificate_of<R: sqlx::Row>(row: &R) -> Result<Certificate, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let level: i64 = row.try_get(3).map_err(backend_error)?;
                let revoked_at: Option<i64> = row.try_get(8).map_err(backend_error)?;
                let index: i64 = row.try_get(6).map_err(backend_error)?;
                Ok(Certificate {
                    number: row.try_get(0).map_err(backend_error)?,
                    holder: UserId(row.try_get(1).map_err(backend_error)?),
                    holder_name: row.try_get(2).map_err(backend_error)?,
                    level: match level {
                        1 => Level::First,
                        2 => Level::Second,
                        _ => return Err(StoreError::Backend(format!("certificate level {level}"))),
                    },
                    issued_at: Timestamp::from_unix_ms(row.try_get(4).map_err(backend_error)?),
                    valid_until: Timestamp::from_unix_ms(row.try_get(5).map_err(backend_error)?),
                    status_index: u32::try_from(index)
                        .map_err(|_| StoreError::Backend(format!("status index {index}")))?,
                    credential: row.try_get(7).map_err(backend_error)?,
                    revoked: match revoked_at {
                        Some(at) => Some(Revocation {
                            at: Timestamp::from_unix_ms(at),
                            reason: row
                                .try_get::<Option<String>, _>(9)
                                .map_err(backend_error)?
                                .unwrap_or_default(),
                        }),
                        None => None,
                    },
                })
            }

            #[async_trait]
            impl CertificateStore for $store {
                async fn next_certificate_index(&self) -> Result<u32, StoreError> {
                    let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(status_index) + 1, 0) FROM certificates")
                        .fetch_one(self.reader())
                        .await
                        .map_err(backend_error)?;
                    u32::try_from(next).map_err(|_| StoreError::Backend("status list is full".into()))
                }

                async fn insert_certificate(&self, certificate: &NewCertificate, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO certificates (number, holder_id, level, issued_at, valid_until, status_index, credential)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(&certificate.number)
                    .bind(certificate.holder.0)
                    .bind(i64::from(certificate.level.grade()))
                    .bind(certificate.issued_at.unix_ms())
                    .bind(certificate.valid_until.unix_ms())
                    .bind(i64::from(certificate.status_index))
                    .bind(&certificate.credential)
                    .execute(&mut *tx)
                    .await
                    .map_err(crate::conflict_on("number"))?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn certificate(&self, number: &str) -> Result<Option<Certificate>, StoreError> {
                    sqlx::query(&format!(
                        "SELECT {COLUMNS} FROM certificates c JOIN users u ON u.id = c.holder_id WHERE c.number = $1"
                    ))
                    .bind(number)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(backend_error)?
                    .as_ref()
                    .map(certificate_of)
                    .transpose()
                }

                async fn certificates(&self, holder: Option<UserId>, offset: u64, limit: u32) -> Result<(Vec<Certificate>, u64), StoreError> {
                    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE ($1 IS NULL OR holder_id = $1)")
                        .bind(holder.map(|h| h.0))
                        .fetch_one(self.reader())
                        .await
                        .map_err(backend_error)?;
                    let rows = sqlx::query(&format!(
                        "SELECT {COLUMNS} FROM certificates c JOIN users u ON u.id = c.holder_id
                         WHERE ($1 IS NULL OR c.holder_id = $1) ORDER BY c.issued_at DESC, c.number DESC
                         LIMIT $2 OFFSET $3"
                    ))
                    .bind(holder.map(|h| h.0))
                    .bind(i64::from(limit))
                    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    let certificates = rows.iter().map(certificate_of).collect::<Result<_, _>>()?;
                    Ok((certificates, u64::try_from(total).unwrap_or(0)))
                }

                async fn revoke_certificate(&self, number: &str, at: Timestamp, reason: &str, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let found: Option<Option<i64>> = sqlx::query_scalar("SELECT revoked_at FROM certificates WHERE number = $1")
                        .bind(number)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    match found {
                        None => return Err(StoreError::NotFound),
                        // Revoked already: the first revocation and its reason stand.
                        Some(Some(_)) => return Ok(()),
                        Some(None) => {}
                    }
                    sqlx::query("UPDATE certificates SET revoked_at = $2, revoked_reason = $3 WHERE number = $1")
                        .bind(number)
                        .bind(at.unix_ms())
                        .bind(reason)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn revoked_certificate_indexes(&self) -> Result<Vec<u32>, StoreError> {
                    let rows: Vec<i64> = sqlx::query_scalar("SELECT status_index FROM certificates WHERE revoked_at IS NOT NULL ORDER BY status_index")
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    rows.into_iter()
                        .map(|i| u32::try_from(i).map_err(|_| StoreError::Backend(format!("status index {i}"))))
                        .collect()
                }

                async fn holds_valid_certificate(&self, holder: UserId, at: Timestamp) -> Result<bool, StoreError> {
                    let found: Option<String> = sqlx::query_scalar(
                        "SELECT number FROM certificates WHERE holder_id = $1 AND revoked_at IS NULL AND issued_at <= $2 AND valid_until > $2 LIMIT 1",
                    )
                    .bind(holder.0)
                    .bind(at.unix_ms())
                    .fetch_optional(self.reader())
                    .await
                    .map_err(backend_error)?;
                    Ok(found.is_some())
                }

                async fn valid_certificate_holders(&self, at: Timestamp, region: Option<&RegionCode>) -> Result<i64, StoreError> {
                    let mut query = sqlx::QueryBuilder::<Backend>::new(
                        "SELECT COUNT(DISTINCT c.holder_id) FROM certificates c JOIN users u ON u.id = c.holder_id
                         WHERE c.revoked_at IS NULL AND c.issued_at <= ",
                    );
                    query.push_bind(at.unix_ms()).push(" AND c.valid_until > ").push_bind(at.unix_ms());
                    if let Some(region) = region {
                        if region.as_str().len() == 2 {
                            query.push(" AND u.region_code LIKE ").push_bind(format!("{}%", region.as_str()));
                        } else {
                            query.push(" AND u.region_code IN (");
                            let mut list = query.separated(", ");
                            list.push_bind(region.as_str().to_owned());
                            for child in region.children() {
                                list.push_bind(child.code.as_str().to_owned());
                            }
                            query.push(")");
                        }
                    }
                    query.build_query_scalar().fetch_one(self.reader()).await.map_err(backend_error)
                }

                async fn certificate_holders_by_sido(&self, at: Timestamp) -> Result<Vec<(String, u8, i64)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT sido, level, COUNT(*) FROM (
                             SELECT c.holder_id, SUBSTR(COALESCE(u.region_code, ''), 1, 2) AS sido, MIN(c.level) AS level
                             FROM certificates c JOIN users u ON u.id = c.holder_id
                             WHERE c.revoked_at IS NULL AND c.issued_at <= $1 AND c.valid_until > $1
                             GROUP BY c.holder_id, SUBSTR(COALESCE(u.region_code, ''), 1, 2)
                         ) held GROUP BY sido, level ORDER BY sido, level",
                    )
                    .bind(at.unix_ms())
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let level: i64 = row.try_get(1).map_err(backend_error)?;
                            Ok((
                                row.try_get(0).map_err(backend_error)?,
                                u8::try_from(level).map_err(|_| StoreError::Backend(format!("certificate level {level}")))?,
                                row.try_get(2).map_err(backend_error)?,
                            ))
                        })
                        .collect()
                }
            }
        }
    };
}

pub(crate) use certificate_store_impl;
