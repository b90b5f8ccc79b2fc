//! The SQL of the merchant registry, written once and expanded for each backend by
//! `merchant_store_impl!(StoreType)` inside that backend's module (next to `store_impl!`).

/// Secondary indexes of `merchants`: (name, columns and an optional WHERE). Kept out of the
/// migrations so a bulk load into an empty registry can drop them and build them once at the
/// end; created IF NOT EXISTS at every start, so an interrupted load repairs itself. Owner,
/// track and a status past `prospect` are rare among millions of register prospects, so their
/// indexes are partial: small, and quick to build.
pub const MERCHANT_INDEXES: [(&str, &str); 6] = [
    ("merchants_sido", "(sido_code, id)"),
    ("merchants_region", "(region_code, id)"),
    ("merchants_industry", "(industry_code, id)"),
    (
        "merchants_status",
        "(status, id) WHERE status <> 'prospect'",
    ),
    ("merchants_track", "(track, id) WHERE track IS NOT NULL"),
    (
        "merchants_owner",
        "(owner_user_id) WHERE owner_user_id IS NOT NULL",
    ),
];

macro_rules! merchant_columns {
    () => {
        "m.id, m.store_record_id, m.name, m.branch, m.representative, m.business_number, m.mail_order_number, \
         m.phone, m.road_address, m.floor, m.region_code, m.industry_code, m.longitude_e6, m.latitude_e6, \
         m.status, m.track, m.opened_year, m.employees, m.floor_area_m2, m.online_channels, m.created_at, m.updated_at"
    };
}
pub(crate) use merchant_columns;

/// Rows per INSERT statement in a bulk upsert: 17 values a row stays far below both backends'
/// limits on bound parameters, and equal-sized batches reuse one prepared statement.
pub const UPSERT_ROWS_PER_STATEMENT: usize = 500;

macro_rules! merchant_store_impl {
    ($store:ident) => {
        mod merchant_sql {
            use super::*;
            use gachi_domain::kernel::industry;
            use gachi_domain::merchants::merchant::{
                BusinessNumber, ImportCounts, Merchant, MerchantFields, MerchantFilter, MerchantId,
                MerchantSource, MerchantStatus, OnlineChannel, StoreFacts,
            };
            use gachi_domain::merchants::diagnosis::{self, Assessment, Diagnosed, DiagnosisRecord, Track, TrackChange, TrackSource};
            use gachi_domain::merchants::MerchantStore;
            use gachi_domain::merchants::register::StoreRecord;

            use crate::merchants::{MERCHANT_INDEXES, UPSERT_ROWS_PER_STATEMENT, merchant_columns};

            fn merchant_from_row<R: sqlx::Row>(row: &R) -> Result<Merchant, StoreError>
            where
                for<'a> &'a str: sqlx::ColumnIndex<R>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let corrupt = |what: &str| StoreError::Backend(format!("corrupt {what} in merchants"));
                let text = |c: &str| -> Result<Option<String>, StoreError> { row.try_get(c).map_err(backend_error) };
                let number = |c: &str| -> Result<Option<i64>, StoreError> { row.try_get(c).map_err(backend_error) };
                let region: String = row.try_get("region_code").map_err(backend_error)?;
                let industry_code: String = row.try_get("industry_code").map_err(backend_error)?;
                let status: String = row.try_get("status").map_err(backend_error)?;
                let track: Option<String> = row.try_get("track").map_err(backend_error)?;
                let lon: Option<i64> = row.try_get("longitude_e6").map_err(backend_error)?;
                let lat: Option<i64> = row.try_get("latitude_e6").map_err(backend_error)?;
                Ok(Merchant {
                    id: MerchantId(row.try_get("id").map_err(backend_error)?),
                    name: row.try_get("name").map_err(backend_error)?,
                    branch: text("branch")?,
                    representative: text("representative")?,
                    business_number: text("business_number")?
                        .map(|b| BusinessNumber::parse(&b, "business_number"))
                        .transpose()
                        .map_err(|_| corrupt("business_number"))?,
                    mail_order_number: text("mail_order_number")?,
                    phone: text("phone")?,
                    road_address: text("road_address")?,
                    region: RegionCode::parse(&region, "region_code").map_err(|_| corrupt("region_code"))?,
                    industry: industry::resolve(&industry_code, "industry_code").map_err(|_| corrupt("industry_code"))?,
                    status: MerchantStatus::parse(&status, "status").map_err(|_| corrupt("status"))?,
                    track: track.map(|t| Track::parse(&t, "track")).transpose().map_err(|_| corrupt("track"))?,
                    store_record_id: text("store_record_id")?,
                    location: lon.zip(lat),
                    floor: text("floor")?,
                    facts: StoreFacts {
                        opened_year: number("opened_year")?.map(|n| u16::try_from(n).map_err(|_| corrupt("opened_year"))).transpose()?,
                        employees: number("employees")?.map(|n| u32::try_from(n).map_err(|_| corrupt("employees"))).transpose()?,
                        floor_area_m2: number("floor_area_m2")?.map(|n| u32::try_from(n).map_err(|_| corrupt("floor_area_m2"))).transpose()?,
                    },
                    online_channels: OnlineChannel::decode(&row.try_get::<String, _>("online_channels").map_err(backend_error)?),
                    created_at: Timestamp::from_unix_ms(row.try_get("created_at").map_err(backend_error)?),
                    updated_at: Timestamp::from_unix_ms(row.try_get("updated_at").map_err(backend_error)?),
                })
            }

            /// The insert of `rows` register rows: with `update` false, rows whose 상가업소번호 exists
            /// are skipped (rows affected = inserted); with `update` true, they replace the stored
            /// row where something differs (rows affected = updated). Placeholders are `$1…` where
            /// the backend numbers them (PostgreSQL) and `?` where it would look each `$N` up by
            /// name in a list (SQLite: quadratic in the 8,000 parameters of a statement).
            fn upsert_sql(rows: usize, update: bool) -> String {
                const COLUMNS: usize = 17;
                let mut sql = String::with_capacity(200 + rows * COLUMNS * 7 + 1200);
                sql.push_str(
                    "INSERT INTO merchants (store_record_id, name, branch, road_address, lot_address, floor, \
                     region_code, sido_code, industry_code, longitude_e6, latitude_e6, status, source, \
                     import_batch, created_at, updated_at, phone) VALUES ",
                );
                for row in 0..rows {
                    sql.push_str(if row == 0 { "(" } else { ", (" });
                    for column in 0..COLUMNS {
                        if column > 0 {
                            sql.push_str(", ");
                        }
                        if $store::NUMBERED_PLACEHOLDERS {
                            sql.push('$');
                            sql.push_str(&(row * COLUMNS + column + 1).to_string());
                        } else {
                            sql.push('?');
                        }
                    }
                    sql.push(')');
                }
                if !update {
                    sql.push_str(" ON CONFLICT (store_record_id) DO NOTHING");
                    return sql;
                }
                sql.push_str(
                    " ON CONFLICT (store_record_id) DO UPDATE SET name = excluded.name, branch = excluded.branch, \
                       road_address = excluded.road_address, lot_address = excluded.lot_address, floor = excluded.floor, \
                       region_code = excluded.region_code, sido_code = excluded.sido_code, \
                       industry_code = excluded.industry_code, longitude_e6 = excluded.longitude_e6, \
                       latitude_e6 = excluded.latitude_e6, phone = excluded.phone, updated_at = excluded.updated_at \
                     WHERE merchants.name IS DISTINCT FROM excluded.name \
                        OR merchants.branch IS DISTINCT FROM excluded.branch \
                        OR merchants.road_address IS DISTINCT FROM excluded.road_address \
                        OR merchants.lot_address IS DISTINCT FROM excluded.lot_address \
                        OR merchants.floor IS DISTINCT FROM excluded.floor \
                        OR merchants.region_code IS DISTINCT FROM excluded.region_code \
                        OR merchants.industry_code IS DISTINCT FROM excluded.industry_code \
                        OR merchants.longitude_e6 IS DISTINCT FROM excluded.longitude_e6 \
                        OR merchants.latitude_e6 IS DISTINCT FROM excluded.latitude_e6 \
                        OR merchants.phone IS DISTINCT FROM excluded.phone",
                );
                sql
            }

            impl $store {
                /// Makes `track` the merchant's and records the change, inside `tx`.
                #[allow(clippy::too_many_arguments)]
                async fn set_track(
                    &self,
                    tx: &mut sqlx::Transaction<'static, Backend>,
                    merchant: MerchantId,
                    track: Track,
                    source: TrackSource,
                    reason: Option<&str>,
                    diagnosis_id: Option<i64>,
                    by: Option<UserId>,
                    at: i64,
                ) -> Result<(), StoreError> {
                    let done = sqlx::query("UPDATE merchants SET track = $1, updated_at = $2 WHERE id = $3")
                        .bind(track.as_str())
                        .bind(at)
                        .bind(merchant.0)
                        .execute(&mut **tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    sqlx::query(
                        "INSERT INTO track_changes (merchant_id, track, source, reason, diagnosis_id, changed_by, changed_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(merchant.0)
                    .bind(track.as_str())
                    .bind(source.as_str())
                    .bind(reason)
                    .bind(diagnosis_id)
                    .bind(by.map(|u| u.0))
                    .bind(at)
                    .execute(&mut **tx)
                    .await
                    .map_err(backend_error)?;
                    Ok(())
                }

                async fn fetch_merchant(&self, id: MerchantId) -> Result<Option<Merchant>, StoreError> {
                    sqlx::query(concat!("SELECT ", merchant_columns!(), " FROM merchants m WHERE m.id = $1"))
                        .bind(id.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .map(|row| merchant_from_row(&row))
                        .transpose()
                }
            }

            #[async_trait]
            impl MerchantStore for $store {
                async fn create_merchant(
                    &self,
                    fields: &MerchantFields,
                    status: MerchantStatus,
                    source: MerchantSource,
                    owner: Option<UserId>,
                    audit: &AuditEntry,
                ) -> Result<Merchant, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let row = sqlx::query(
                        "INSERT INTO merchants (name, representative, business_number, mail_order_number, phone,
                            road_address, region_code, sido_code, industry_code, status, owner_user_id, source,
                            created_at, updated_at, opened_year, employees, floor_area_m2, online_channels)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17) RETURNING id",
                    )
                    .bind(&fields.name)
                    .bind(&fields.representative)
                    .bind(fields.business_number.as_ref().map(BusinessNumber::digits))
                    .bind(&fields.mail_order_number)
                    .bind(&fields.phone)
                    .bind(&fields.road_address)
                    .bind(fields.region.as_str())
                    .bind(fields.region.sido().as_str())
                    .bind(&fields.industry.code)
                    .bind(status.as_str())
                    .bind(owner.map(|u| u.0))
                    .bind(source.as_str())
                    .bind(audit.at.unix_ms())
                    .bind(fields.facts.opened_year.map(i64::from))
                    .bind(fields.facts.employees.map(i64::from))
                    .bind(fields.facts.floor_area_m2.map(i64::from))
                    .bind(OnlineChannel::encode(&fields.online_channels))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(conflict_on("business_number"))?;
                    let id: i64 = row.try_get(0).map_err(backend_error)?;
                    let audit = AuditEntry { subject: format!("merchant:{id}"), ..audit.clone() };
                    insert_audit(&mut *tx, &audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    self.auth_cache.forget_shops();
                    self.fetch_merchant(MerchantId(id)).await?.ok_or(StoreError::NotFound)
                }

                async fn merchant(&self, id: MerchantId) -> Result<Option<Merchant>, StoreError> {
                    self.fetch_merchant(id).await
                }

                async fn merchant_by_business_number(&self, digits: &str) -> Result<Option<Merchant>, StoreError> {
                    sqlx::query(concat!("SELECT ", merchant_columns!(), " FROM merchants m WHERE m.business_number = $1"))
                        .bind(digits)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .map(|row| merchant_from_row(&row))
                        .transpose()
                }

                async fn merchant_of_owner(&self, owner: UserId) -> Result<Option<Merchant>, StoreError> {
                    if let Some(known) = self.auth_cache.shop_of(owner) {
                        return Ok(known);
                    }
                    let shop = sqlx::query(concat!(
                        "SELECT ", merchant_columns!(), " FROM merchants m WHERE m.owner_user_id = $1 ORDER BY m.id LIMIT 1"
                    ))
                    .bind(owner.0)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(backend_error)?
                    .map(|row| merchant_from_row(&row))
                    .transpose()?;
                    self.auth_cache.put_shop_of(owner, &shop);
                    Ok(shop)
                }

                async fn update_merchant(&self, id: MerchantId, fields: &MerchantFields, audit: &AuditEntry) -> Result<Merchant, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE merchants SET name = $1, representative = $2, business_number = $3, mail_order_number = $4,
                            phone = $5, road_address = $6, region_code = $7, sido_code = $8, industry_code = $9, updated_at = $10,
                            opened_year = $12, employees = $13, floor_area_m2 = $14, online_channels = $15
                         WHERE id = $11",
                    )
                    .bind(&fields.name)
                    .bind(&fields.representative)
                    .bind(fields.business_number.as_ref().map(BusinessNumber::digits))
                    .bind(&fields.mail_order_number)
                    .bind(&fields.phone)
                    .bind(&fields.road_address)
                    .bind(fields.region.as_str())
                    .bind(fields.region.sido().as_str())
                    .bind(&fields.industry.code)
                    .bind(audit.at.unix_ms())
                    .bind(id.0)
                    .bind(fields.facts.opened_year.map(i64::from))
                    .bind(fields.facts.employees.map(i64::from))
                    .bind(fields.facts.floor_area_m2.map(i64::from))
                    .bind(OnlineChannel::encode(&fields.online_channels))
                    .execute(&mut *tx)
                    .await
                    .map_err(conflict_on("business_number"))?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    self.auth_cache.forget_shops();
                    self.fetch_merchant(id).await?.ok_or(StoreError::NotFound)
                }

                async fn list_merchants(&self, filter: &MerchantFilter, before: Option<MerchantId>, limit: u32) -> Result<Vec<Merchant>, StoreError> {
                    let mut query = sqlx::QueryBuilder::<Backend>::new(concat!("SELECT ", merchant_columns!(), " FROM merchants m WHERE 1 = 1"));
                    if let Some(region) = &filter.region {
                        crate::push_region_filter(&mut query, region);
                    }
                    if let Some(industry) = filter.industry {
                        query.push(" AND m.industry_code = ").push_bind(industry.code.clone());
                    }
                    if let Some(status) = filter.status {
                        query.push(" AND m.status = ").push_bind(status.as_str());
                    }
                    if let Some(track) = filter.track {
                        query.push(" AND m.track = ").push_bind(track.as_str());
                    }
                    if let Some(text) = filter.name_contains.as_deref().filter(|t| !t.is_empty()) {
                        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                        query.push(" AND m.name LIKE ").push_bind(format!("%{escaped}%")).push(" ESCAPE '\\'");
                    }
                    if let Some(before) = before {
                        query.push(" AND m.id < ").push_bind(before.0);
                    }
                    query.push(" ORDER BY m.id DESC LIMIT ").push_bind(i64::from(limit));
                    query
                        .build()
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?
                        .iter()
                        .map(merchant_from_row)
                        .collect()
                }

                async fn upsert_store_records(&self, records: &[StoreRecord], batch: i64, audit: &AuditEntry) -> Result<ImportCounts, StoreError> {
                    let mut counts = ImportCounts::default();
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let now = audit.at.unix_ms();
                    fn bind_chunk<'q>(sql: &'q str, chunk: &[&'q StoreRecord], batch: i64, now: i64) -> sqlx::query::Query<'q, Backend, <Backend as sqlx::Database>::Arguments<'q>> {
                        let mut query = sqlx::query(sql);
                        for &r in chunk {
                            query = query
                                .bind(r.store_record_id.as_str())
                                .bind(r.name.as_str())
                                .bind(r.branch.as_deref())
                                .bind(r.road_address.as_deref())
                                .bind(r.lot_address.as_deref())
                                .bind(r.floor.as_deref())
                                .bind(r.region.as_str())
                                .bind(&r.region.as_str()[..2])
                                .bind(r.industry.code.as_str())
                                .bind(r.location.map(|l| l.0))
                                .bind(r.location.map(|l| l.1))
                                .bind(MerchantStatus::Prospect.as_str())
                                .bind(MerchantSource::Register.as_str())
                                .bind(batch)
                                .bind(now)
                                .bind(now)
                                .bind(r.phone.as_deref());
                        }
                        query
                    }
                    // A file may name a store twice; the later row is the one kept (one statement
                    // must not touch a row twice), and the earlier counts as replaced.
                    let mut seen = std::collections::HashSet::with_capacity(records.len());
                    let mut unique: Vec<&StoreRecord> = Vec::with_capacity(records.len());
                    for r in records.iter().rev() {
                        if seen.insert(r.store_record_id.as_str()) {
                            unique.push(r);
                        } else {
                            counts.updated += 1;
                        }
                    }
                    unique.reverse();
                    let mut sql = std::collections::HashMap::new();
                    let mut sql_for = |rows: usize, update: bool| -> String {
                        sql.entry((rows, update)).or_insert_with(|| upsert_sql(rows, update)).clone()
                    };
                    // During a fresh bulk import the counting triggers are off: this batch counts
                    // its own new prospects (in its own transaction, so a crash keeps them exact).
                    let triggers: i64 = sqlx::query_scalar(COUNT_TRIGGERS_PRESENT)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let mut new_counts: std::collections::HashMap<(&str, &str), i64> = std::collections::HashMap::new();
                    let mut recount = false;
                    for chunk in unique.chunks(UPSERT_ROWS_PER_STATEMENT) {
                        let insert_sql = sql_for(chunk.len(), false);
                        let inserted = bind_chunk(&insert_sql, chunk, batch, now)
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?
                            .rows_affected();
                        let mut updated = 0;
                        if (inserted as usize) < chunk.len() {
                            let update_sql = sql_for(chunk.len(), true);
                            updated = bind_chunk(&update_sql, chunk, batch, now)
                                .execute(&mut *tx)
                                .await
                                .map_err(backend_error)?
                                .rows_affected();
                        }
                        counts.imported += inserted;
                        counts.updated += updated;
                        counts.unchanged += chunk.len() as u64 - inserted - updated;
                        if triggers == 0 {
                            if inserted as usize == chunk.len() {
                                for r in chunk {
                                    *new_counts.entry((r.region.as_str(), &r.industry.code[..2])).or_default() += 1;
                                }
                            } else {
                                // Some rows existed and may have moved: count everything afresh later.
                                recount = true;
                            }
                        }
                    }
                    // One statement per few thousand keys, not one per key.
                    let keyed: Vec<_> = new_counts.into_iter().collect();
                    for part in keyed.chunks(2_000) {
                        let mut query = sqlx::QueryBuilder::<Backend>::new(
                            "INSERT INTO merchant_counts (region_code, status, track, industry_major, n) ",
                        );
                        query.push_values(part, |mut row, ((region, major), n)| {
                            row.push_bind(*region).push_bind("prospect").push_bind("").push_bind(*major).push_bind(*n);
                        });
                        query.push(
                            " ON CONFLICT (region_code, status, track, industry_major) DO UPDATE SET n = merchant_counts.n + excluded.n",
                        );
                        query.build().execute(&mut *tx).await.map_err(backend_error)?;
                    }
                    if recount {
                        sqlx::query(
                            "INSERT INTO merchant_counts (region_code, status, track, industry_major, n) VALUES ('!recount', '', '', '', 0)
                             ON CONFLICT (region_code, status, track, industry_major) DO NOTHING",
                        )
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    }
                    let detail = format!(
                        "imported={} updated={} unchanged={}",
                        counts.imported, counts.updated, counts.unchanged
                    );
                    insert_audit(&mut *tx, &AuditEntry { detail, ..audit.clone() }).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(counts)
                }

                async fn finish_bulk_load(&self) -> Result<(), StoreError> {
                    self.ensure_merchant_indexes().await?;
                    Self::bulk_load_mode(self.writer(), false).await
                }

                async fn begin_bulk_load(&self) -> Result<bool, StoreError> {
                    Self::bulk_load_mode(self.writer(), true).await?;
                    let any = sqlx::query("SELECT 1 FROM merchants LIMIT 1")
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?;
                    if any.is_some() {
                        return Ok(false);
                    }
                    for (name, _) in MERCHANT_INDEXES {
                        sqlx::raw_sql(&format!("DROP INDEX IF EXISTS {name}"))
                            .execute(self.writer())
                            .await
                            .map_err(backend_error)?;
                    }
                    sqlx::raw_sql(DROP_COUNT_TRIGGERS).execute(self.writer()).await.map_err(backend_error)?;
                    sqlx::raw_sql("DELETE FROM merchant_counts").execute(self.writer()).await.map_err(backend_error)?;
                    Ok(true)
                }

                async fn record_diagnosis(&self, merchant: MerchantId, assessment: &Assessment, by: Option<UserId>, audit: &AuditEntry) -> Result<Diagnosed, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let at = audit.at.unix_ms();
                    // Writing the shop's row first holds it (PostgreSQL row lock; SQLite holds the
                    // database) until commit, so an override committed before is read below and
                    // one made after waits.
                    let standing: Option<String> = sqlx::query_scalar(
                        "UPDATE merchants SET updated_at = $1 WHERE id = $2 RETURNING track",
                    )
                    .bind(at)
                    .bind(merchant.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend_error)?
                    .ok_or(StoreError::NotFound)?;
                    let latest_change: Option<String> = sqlx::query_scalar(
                        "SELECT source FROM track_changes WHERE merchant_id = $1 ORDER BY id DESC LIMIT 1",
                    )
                    .bind(merchant.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let row = sqlx::query(
                        "INSERT INTO diagnoses (merchant_id, answers, product_score, online_score, track, created_by, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(merchant.0)
                    .bind(diagnosis::encode_answers(&assessment.answers))
                    .bind(i64::from(assessment.product_score))
                    .bind(i64::from(assessment.online_score))
                    .bind(assessment.track.as_str())
                    .bind(by.map(|u| u.0))
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let id: i64 = row.try_get(0).map_err(backend_error)?;
                    let latest_source = latest_change.as_deref().and_then(TrackSource::parse);
                    let (track, operator_decided) = match standing {
                        Some(standing) if !diagnosis::recommendation_sets_track(latest_source) => (
                            Track::parse(&standing, "track").map_err(|_| StoreError::Backend("corrupt track in merchants".into()))?,
                            true,
                        ),
                        _ => {
                            self.set_track(&mut tx, merchant, assessment.track, TrackSource::Diagnosis, None, Some(id), by, at).await?;
                            (assessment.track, false)
                        }
                    };
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    self.auth_cache.forget_shops();
                    Ok(Diagnosed {
                        record: DiagnosisRecord { id, assessment: assessment.clone(), created_at: audit.at },
                        track,
                        operator_decided,
                    })
                }

                async fn latest_diagnosis(&self, merchant: MerchantId) -> Result<Option<DiagnosisRecord>, StoreError> {
                    let row = sqlx::query("SELECT id, answers, created_at FROM diagnoses WHERE merchant_id = $1 ORDER BY id DESC LIMIT 1")
                        .bind(merchant.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?;
                    let Some(row) = row else { return Ok(None) };
                    let answers: String = row.try_get("answers").map_err(backend_error)?;
                    // Scores, track and reasons are recomputed from the answers: one rule, no drift.
                    let assessment = diagnosis::assess(&diagnosis::decode_answers(&answers))
                        .map_err(|_| StoreError::Backend("corrupt answers in diagnoses".into()))?;
                    Ok(Some(DiagnosisRecord {
                        id: row.try_get("id").map_err(backend_error)?,
                        assessment,
                        created_at: Timestamp::from_unix_ms(row.try_get("created_at").map_err(backend_error)?),
                    }))
                }

                async fn override_track(&self, merchant: MerchantId, track: Track, reason: &str, by: UserId, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    self.set_track(&mut tx, merchant, track, TrackSource::Override, Some(reason), None, Some(by), audit.at.unix_ms()).await?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    self.auth_cache.forget_shops();
                    Ok(())
                }

                async fn track_history(&self, merchant: MerchantId) -> Result<Vec<TrackChange>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT t.track, t.source, t.reason, t.changed_at, u.email FROM track_changes t
                         LEFT JOIN users u ON u.id = t.changed_by WHERE t.merchant_id = $1 ORDER BY t.id",
                    )
                    .bind(merchant.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let track: String = row.try_get("track").map_err(backend_error)?;
                            let source: String = row.try_get("source").map_err(backend_error)?;
                            Ok(TrackChange {
                                track: Track::parse(&track, "track").map_err(|_| StoreError::Backend("corrupt track".into()))?,
                                source: TrackSource::parse(&source).ok_or_else(|| StoreError::Backend("corrupt source in track_changes".into()))?,
                                reason: row.try_get("reason").map_err(backend_error)?,
                                changed_by: row.try_get("email").map_err(backend_error)?,
                                changed_at: Timestamp::from_unix_ms(row.try_get("changed_at").map_err(backend_error)?),
                            })
                        })
                        .collect()
                }

                async fn ensure_merchant_indexes(&self) -> Result<(), StoreError> {
                    for (name, columns) in MERCHANT_INDEXES {
                        sqlx::raw_sql(&format!("CREATE INDEX IF NOT EXISTS {name} ON merchants {columns}"))
                            .execute(self.writer())
                            .await
                            .map_err(backend_error)?;
                    }
                    // The counting triggers, dropped for a fresh bulk import (or lost to one
                    // killed mid-way): count once, then keep counting.
                    let present: i64 = sqlx::query_scalar(COUNT_TRIGGERS_PRESENT)
                        .fetch_one(self.writer())
                        .await
                        .map_err(backend_error)?;
                    let recount: Option<i64> = sqlx::query_scalar("SELECT n FROM merchant_counts WHERE region_code = '!recount'")
                        .fetch_optional(self.writer())
                        .await
                        .map_err(backend_error)?;
                    let counted: Option<i64> = sqlx::query_scalar("SELECT n FROM merchant_counts LIMIT 1")
                        .fetch_optional(self.writer())
                        .await
                        .map_err(backend_error)?;
                    let merchants: Option<i64> = sqlx::query_scalar("SELECT id FROM merchants LIMIT 1")
                        .fetch_optional(self.writer())
                        .await
                        .map_err(backend_error)?;
                    // Counts kept by a bulk import are exact unless it marked them for a recount
                    // (or kept none while merchants exist).
                    let needs_recount = recount.is_some() || (counted.is_none() && merchants.is_some());
                    if present == 0 && !needs_recount {
                        sqlx::raw_sql(COUNT_TRIGGERS).execute(self.writer()).await.map_err(backend_error)?;
                    } else if present == 0 {
                        sqlx::raw_sql(include_str!("../sql/recount_merchant_counts.sql"))
                        .execute(self.writer())
                        .await
                        .map_err(backend_error)?;
                        sqlx::raw_sql(COUNT_TRIGGERS).execute(self.writer()).await.map_err(backend_error)?;
                    }
                    Ok(())
                }
            }
        }
    };
}
pub(crate) use merchant_store_impl;
