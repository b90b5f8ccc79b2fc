//! The SQL of 가치데이 live commerce — studios, hosts, calls, applications, reviews, broadcasts
//! and results — written once and expanded for each backend by `live_store_impl!(StoreType)`
//! inside that backend's module. Lists (product ids, weeks, channels, checklist items) are kept
//! comma-separated: they are read and written whole with their row.

macro_rules! live_store_impl {
    ($store:ident) => {
        mod live_sql {
            use super::*;
            use std::collections::BTreeSet;
            use gachi_domain::catalog::product::ProductId;
            use gachi_domain::kernel::time::parse_date;
            use gachi_domain::live::{
                Application, ApplicationStatus, Broadcast, BroadcastFilter, BroadcastStatus, Call,
                Host, LiveChannel, LiveStore, Minute, NewApplication, NewCall, Preparation,
                ResultRow, Review, SelectionRecord, Slot, Studio,
            };
            use gachi_domain::merchants::merchant::MerchantId;

            type Row = <Backend as sqlx::Database>::Row;

            const CALL_COLUMNS: &str = "id, name, starts, ends, applications_close, quota_total, quota_per_sido, \
                quota_per_industry, first_time_percent, weights, min_days_between, channels, reviewers, \
                reviews_per_application, reviewer_load, selected_at, scheduled_at, created_at";
            const APPLICATION_SELECT: &str = "SELECT a.id, a.call_id, a.merchant_id, m.name, m.region_code, m.industry_code, \
                a.products, a.preferred_weeks, a.pitch, a.first_time, a.status, a.score, a.reason, a.applied_at \
                FROM live_applications a JOIN merchants m ON m.id = a.merchant_id";
            const REVIEW_SELECT: &str = "SELECT r.application_id, r.reviewer_id, u.display_name, r.scores, r.comment, r.submitted_at \
                FROM live_reviews r JOIN users u ON u.id = r.reviewer_id";
            const BROADCAST_SELECT: &str = "SELECT b.id, b.call_id, b.application_id, a.merchant_id, m.name, m.region_code, \
                m.industry_code, b.broadcast_date, b.starts_minute, b.studio_id, s.name, b.host_id, h.name, b.channels, \
                a.products, b.status, b.checklist, b.expected_units, b.discount_percent, b.replay_url, b.survey_score, \
                b.survey_comment, b.confirmed_at \
                FROM live_broadcasts b JOIN live_applications a ON a.id = b.application_id \
                JOIN merchants m ON m.id = a.merchant_id JOIN live_studios s ON s.id = b.studio_id \
                JOIN live_hosts h ON h.id = b.host_id";

            fn corrupt(what: &str, value: &str) -> StoreError {
                StoreError::Backend(format!("unreadable {what}: {value}"))
            }

            fn get<'r, T>(row: &'r Row, i: usize) -> Result<T, StoreError>
            where
                T: sqlx::Decode<'r, Backend> + sqlx::Type<Backend>,
            {
                row.try_get(i).map_err(backend_error)
            }

            fn list(text: &str) -> impl Iterator<Item = &str> {
                text.split(',').map(str::trim).filter(|p| !p.is_empty())
            }

            fn numbers<T: std::str::FromStr>(text: &str, what: &str) -> Result<Vec<T>, StoreError> {
                list(text)
                    .map(|p| p.parse().map_err(|_| corrupt(what, text)))
                    .collect()
            }

            fn join<T: ToString>(values: impl IntoIterator<Item = T>) -> String {
                values.into_iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")
            }

            fn channels_of(text: &str) -> Result<Vec<LiveChannel>, StoreError> {
                list(text)
                    .map(|c| LiveChannel::parse(c).ok_or_else(|| corrupt("channel", c)))
                    .collect()
            }

            fn dates(text: &str) -> Result<Vec<gachi_domain::kernel::time::Date>, StoreError> {
                list(text)
                    .map(|d| parse_date(d).ok_or_else(|| corrupt("date", d)))
                    .collect()
            }

            fn small<T: TryFrom<i64>>(v: i64, what: &str) -> Result<T, StoreError> {
                T::try_from(v).map_err(|_| corrupt(what, &v.to_string()))
            }

            fn instant(v: Option<i64>) -> Option<Timestamp> {
                v.map(Timestamp::from_unix_ms)
            }

            fn studio_of(row: &Row) -> Result<Studio, StoreError> {
                let times: String = get(row, 3)?;
                Ok(Studio {
                    id: get(row, 0)?,
                    name: get(row, 1)?,
                    place: get(row, 2)?,
                    times: numbers::<Minute>(&times, "times")?,
                })
            }

            fn host_of(row: &Row) -> Result<Host, StoreError> {
                let categories: String = get(row, 2)?;
                Ok(Host {
                    id: get(row, 0)?,
                    name: get(row, 1)?,
                    categories: list(&categories).map(str::to_owned).collect(),
                    weekdays: small(get(row, 3)?, "weekdays")?,
                    fee: get(row, 4)?,
                })
            }

            fn call_of(row: &Row) -> Result<Call, StoreError> {
                let starts: String = get(row, 2)?;
                let ends: String = get(row, 3)?;
                let weights: String = get(row, 9)?;
                let weights: Vec<u8> = numbers(&weights, "weights")?;
                let channels: String = get(row, 11)?;
                let reviewers: String = get(row, 12)?;
                Ok(Call {
                    id: get(row, 0)?,
                    name: get(row, 1)?,
                    starts: parse_date(&starts).ok_or_else(|| corrupt("date", &starts))?,
                    ends: parse_date(&ends).ok_or_else(|| corrupt("date", &ends))?,
                    applications_close: Timestamp::from_unix_ms(get(row, 4)?),
                    quota_total: small(get(row, 5)?, "quota")?,
                    quota_per_sido: get::<Option<i64>>(row, 6)?.map(|v| small(v, "quota")).transpose()?,
                    quota_per_industry: get::<Option<i64>>(row, 7)?.map(|v| small(v, "quota")).transpose()?,
                    first_time_percent: small(get(row, 8)?, "percent")?,
                    weights: weights.try_into().map_err(|_| corrupt("weights", "length"))?,
                    min_days_between_same_industry: small(get(row, 10)?, "days")?,
                    channels: channels_of(&channels)?,
                    reviewers: numbers::<i64>(&reviewers, "reviewers")?.into_iter().map(UserId).collect(),
                    reviews_per_application: small(get(row, 13)?, "reviews")?,
                    reviewer_load: small(get(row, 14)?, "load")?,
                    selected_at: instant(get(row, 15)?),
                    scheduled_at: instant(get(row, 16)?),
                    created_at: Timestamp::from_unix_ms(get(row, 17)?),
                })
            }

            fn application_of(row: &Row) -> Result<Application, StoreError> {
                let region: String = get(row, 4)?;
                let products: String = get(row, 6)?;
                let weeks: String = get(row, 7)?;
                let status: String = get(row, 10)?;
                Ok(Application {
                    id: get(row, 0)?,
                    call: get(row, 1)?,
                    merchant: MerchantId(get(row, 2)?),
                    merchant_name: get(row, 3)?,
                    region: RegionCode::parse(&region, "region_code").map_err(|_| corrupt("region", &region))?,
                    industry_code: get(row, 5)?,
                    products: numbers::<i64>(&products, "products")?.into_iter().map(ProductId).collect(),
                    preferred_weeks: dates(&weeks)?,
                    pitch: get(row, 8)?,
                    first_time: get::<i64>(row, 9)? != 0,
                    status: ApplicationStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
                    score: get(row, 11)?,
                    reason: get(row, 12)?,
                    applied_at: Timestamp::from_unix_ms(get(row, 13)?),
                })
            }

            fn review_of(row: &Row) -> Result<Review, StoreError> {
                let scores: Option<String> = get(row, 3)?;
                Ok(Review {
                    application: get(row, 0)?,
                    reviewer: UserId(get(row, 1)?),
                    reviewer_name: get(row, 2)?,
                    scores: match scores {
                        None => None,
                        Some(text) => Some(
                            numbers::<u8>(&text, "scores")?
                                .try_into()
                                .map_err(|_| corrupt("scores", &text))?,
                        ),
                    },
                    comment: get(row, 4)?,
                    submitted_at: instant(get(row, 5)?),
                })
            }

            fn broadcast_of(row: &Row) -> Result<Broadcast, StoreError> {
                let region: String = get(row, 5)?;
                let date: String = get(row, 7)?;
                let channels: String = get(row, 13)?;
                let products: String = get(row, 14)?;
                let status: String = get(row, 15)?;
                let checklist: String = get(row, 16)?;
                let expected: String = get(row, 17)?;
                let survey_score: Option<i64> = get(row, 20)?;
                let survey_comment: String = get(row, 21)?;
                Ok(Broadcast {
                    id: get(row, 0)?,
                    call: get(row, 1)?,
                    application: get(row, 2)?,
                    merchant: MerchantId(get(row, 3)?),
                    merchant_name: get(row, 4)?,
                    region: RegionCode::parse(&region, "region_code").map_err(|_| corrupt("region", &region))?,
                    industry_code: get(row, 6)?,
                    date: parse_date(&date).ok_or_else(|| corrupt("date", &date))?,
                    starts: small(get(row, 8)?, "minute")?,
                    studio: get(row, 9)?,
                    studio_name: get(row, 10)?,
                    host: get(row, 11)?,
                    host_name: get(row, 12)?,
                    channels: channels_of(&channels)?,
                    products: numbers::<i64>(&products, "products")?.into_iter().map(ProductId).collect(),
                    status: BroadcastStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
                    checklist: list(&checklist).map(str::to_owned).collect(),
                    expected_units: list(&expected)
                        .map(|pair| {
                            pair.split_once(':')
                                .and_then(|(p, n)| Some((ProductId(p.parse().ok()?), n.parse().ok()?)))
                                .ok_or_else(|| corrupt("expected units", pair))
                        })
                        .collect::<Result<_, _>>()?,
                    discount_percent: small(get(row, 18)?, "discount")?,
                    replay_url: get(row, 19)?,
                    survey: survey_score
                        .map(|s| Ok::<_, StoreError>((small(s, "survey")?, survey_comment)))
                        .transpose()?,
                    confirmed_at: instant(get(row, 22)?),
                })
            }

            fn result_of(row: &Row) -> Result<ResultRow, StoreError> {
                let channel: String = get(row, 1)?;
                let product: i64 = get(row, 2)?;
                Ok(ResultRow {
                    broadcast: get(row, 0)?,
                    channel: LiveChannel::parse(&channel).ok_or_else(|| corrupt("channel", &channel))?,
                    product: (product != 0).then_some(ProductId(product)),
                    viewers: get(row, 3)?,
                    peak_viewers: get(row, 4)?,
                    likes: get(row, 5)?,
                    chats: get(row, 6)?,
                    orders: get(row, 7)?,
                    sales_krw: get(row, 8)?,
                })
            }

            #[async_trait]
            impl LiveStore for $store {
                async fn save_studio(
                    &self,
                    id: Option<i64>,
                    name: &str,
                    place: &str,
                    times: &[Minute],
                    audit: &AuditEntry,
                ) -> Result<Studio, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let id: i64 = match id {
                        Some(id) => {
                            let done = sqlx::query("UPDATE live_studios SET name = $2, place = $3, times = $4 WHERE id = $1")
                                .bind(id)
                                .bind(name)
                                .bind(place)
                                .bind(join(times))
                                .execute(&mut *tx)
                                .await
                                .map_err(backend_error)?;
                            one_row_or_not_found(done.rows_affected())?;
                            id
                        }
                        None => sqlx::query_scalar(
                            "INSERT INTO live_studios (name, place, times, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                        )
                        .bind(name)
                        .bind(place)
                        .bind(join(times))
                        .bind(audit.at.unix_ms())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?,
                    };
                    insert_audit(&mut *tx, audit).await?;
                    let row = sqlx::query("SELECT id, name, place, times FROM live_studios WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let studio = studio_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(studio)
                }

                async fn studios(&self) -> Result<Vec<Studio>, StoreError> {
                    let rows = sqlx::query("SELECT id, name, place, times FROM live_studios ORDER BY id")
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    rows.iter().map(studio_of).collect()
                }

                async fn save_host(&self, id: Option<i64>, host: &Host, audit: &AuditEntry) -> Result<Host, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let categories = host.categories.join(",");
                    let id: i64 = match id {
                        Some(id) => {
                            let done = sqlx::query(
                                "UPDATE live_hosts SET name = $2, categories = $3, weekdays = $4, fee = $5 WHERE id = $1",
                            )
                            .bind(id)
                            .bind(&host.name)
                            .bind(&categories)
                            .bind(i64::from(host.weekdays))
                            .bind(host.fee)
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                            one_row_or_not_found(done.rows_affected())?;
                            id
                        }
                        None => sqlx::query_scalar(
                            "INSERT INTO live_hosts (name, categories, weekdays, fee, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        )
                        .bind(&host.name)
                        .bind(&categories)
                        .bind(i64::from(host.weekdays))
                        .bind(host.fee)
                        .bind(audit.at.unix_ms())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?,
                    };
                    insert_audit(&mut *tx, audit).await?;
                    let row = sqlx::query("SELECT id, name, categories, weekdays, fee FROM live_hosts WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let host = host_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(host)
                }

                async fn hosts(&self) -> Result<Vec<Host>, StoreError> {
                    let rows = sqlx::query("SELECT id, name, categories, weekdays, fee FROM live_hosts ORDER BY id")
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    rows.iter().map(host_of).collect()
                }

                async fn create_call(&self, call: &NewCall, at: Timestamp, audit: &AuditEntry) -> Result<Call, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO live_calls (name, starts, ends, applications_close, quota_total, quota_per_sido,
                             quota_per_industry, first_time_percent, weights, min_days_between, channels, reviewers,
                             reviews_per_application, reviewer_load, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                    )
                    .bind(&call.name)
                    .bind(call.starts.to_string())
                    .bind(call.ends.to_string())
                    .bind(call.applications_close.unix_ms())
                    .bind(i64::from(call.quota_total))
                    .bind(call.quota_per_sido.map(i64::from))
                    .bind(call.quota_per_industry.map(i64::from))
                    .bind(i64::from(call.first_time_percent))
                    .bind(join(call.weights))
                    .bind(i64::from(call.min_days_between_same_industry))
                    .bind(join(call.channels.iter().map(|c| c.code())))
                    .bind(join(call.reviewers.iter().map(|u| u.0)))
                    .bind(i64::from(call.reviews_per_application))
                    .bind(i64::from(call.reviewer_load))
                    .bind(at.unix_ms())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    let row = sqlx::query(&format!("SELECT {CALL_COLUMNS} FROM live_calls WHERE id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let created = call_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(created)
                }

                async fn call(&self, id: i64) -> Result<Option<Call>, StoreError> {
                    sqlx::query(&format!("SELECT {CALL_COLUMNS} FROM live_calls WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(call_of)
                        .transpose()
                }

                async fn calls(&self) -> Result<Vec<Call>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {CALL_COLUMNS} FROM live_calls ORDER BY starts DESC, id DESC LIMIT 200"
                    ))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(call_of).collect()
                }

                async fn create_application(&self, a: &NewApplication, audit: &AuditEntry) -> Result<Application, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO live_applications (call_id, merchant_id, products, preferred_weeks, pitch, first_time,
                             status, reason, applied_at)
                         VALUES ($1, $2, $3, $4, $5, $6, 'submitted', '', $7) RETURNING id",
                    )
                    .bind(a.call)
                    .bind(a.merchant.0)
                    .bind(join(a.products.iter().map(|p| p.0)))
                    .bind(join(a.preferred_weeks.iter()))
                    .bind(&a.pitch)
                    .bind(i64::from(a.first_time))
                    .bind(a.applied_at.unix_ms())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(conflict_on("merchant_id"))?;
                    insert_audit(&mut *tx, audit).await?;
                    let row = sqlx::query(&format!("{APPLICATION_SELECT} WHERE a.id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let created = application_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(created)
                }

                async fn application(&self, id: i64) -> Result<Option<Application>, StoreError> {
                    sqlx::query(&format!("{APPLICATION_SELECT} WHERE a.id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(application_of)
                        .transpose()
                }

                async fn live_applications(&self, call: i64) -> Result<Vec<Application>, StoreError> {
                    let rows = sqlx::query(&format!("{APPLICATION_SELECT} WHERE a.call_id = $1 ORDER BY a.applied_at, a.id"))
                        .bind(call)
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    rows.iter().map(application_of).collect()
                }

                async fn live_applications_of(&self, merchant: MerchantId) -> Result<Vec<Application>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "{APPLICATION_SELECT} WHERE a.merchant_id = $1 ORDER BY a.applied_at DESC, a.id DESC LIMIT 100"
                    ))
                    .bind(merchant.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(application_of).collect()
                }

                async fn has_been_on_air(&self, merchant: MerchantId) -> Result<bool, StoreError> {
                    let n: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM live_broadcasts b JOIN live_applications a ON a.id = b.application_id
                         WHERE a.merchant_id = $1 AND b.status IN ('confirmed', 'held')",
                    )
                    .bind(merchant.0)
                    .fetch_one(self.reader())
                    .await
                    .map_err(backend_error)?;
                    Ok(n > 0)
                }

                async fn assign_reviews(&self, pairs: &[(i64, UserId)], audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    for (application, reviewer) in pairs {
                        sqlx::query(
                            "INSERT INTO live_reviews (application_id, reviewer_id, comment) VALUES ($1, $2, '')
                             ON CONFLICT (application_id, reviewer_id) DO NOTHING",
                        )
                        .bind(application)
                        .bind(reviewer.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn reviews(&self, call: i64) -> Result<Vec<Review>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "{REVIEW_SELECT} JOIN live_applications a ON a.id = r.application_id
                         WHERE a.call_id = $1 ORDER BY r.application_id, r.reviewer_id"
                    ))
                    .bind(call)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(review_of).collect()
                }

                async fn reviews_by(&self, reviewer: UserId) -> Result<Vec<Review>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "{REVIEW_SELECT} WHERE r.reviewer_id = $1 ORDER BY r.application_id DESC LIMIT 500"
                    ))
                    .bind(reviewer.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(review_of).collect()
                }

                async fn submit_review(
                    &self,
                    application: i64,
                    reviewer: UserId,
                    scores: &[u8; 5],
                    comment: &str,
                    at: Timestamp,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE live_reviews SET scores = $3, comment = $4, submitted_at = $5
                         WHERE application_id = $1 AND reviewer_id = $2",
                    )
                    .bind(application)
                    .bind(reviewer.0)
                    .bind(join(scores))
                    .bind(comment)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn record_selection(
                    &self,
                    call: i64,
                    records: &[SelectionRecord],
                    at: Timestamp,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    for r in records {
                        sqlx::query("UPDATE live_applications SET status = $3, score = $4, reason = $5 WHERE id = $1 AND call_id = $2")
                            .bind(r.application)
                            .bind(call)
                            .bind(r.status.code())
                            .bind(r.score)
                            .bind(&r.reason)
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                    }
                    let done = sqlx::query("UPDATE live_calls SET selected_at = $2 WHERE id = $1")
                        .bind(call)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn replace_schedule(&self, call: i64, slots: &[Slot], at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query("DELETE FROM live_broadcasts WHERE call_id = $1 AND status IN ('scheduled', 'cancelled')")
                        .bind(call)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    for s in slots {
                        sqlx::query(
                            "INSERT INTO live_broadcasts (call_id, application_id, broadcast_date, starts_minute, studio_id, host_id,
                                 channels, status, checklist, expected_units, discount_percent, replay_url, survey_comment)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled', '', '', 0, '', '')",
                        )
                        .bind(call)
                        .bind(s.application)
                        .bind(s.date.to_string())
                        .bind(i64::from(s.starts))
                        .bind(s.studio)
                        .bind(s.host)
                        .bind(join(s.channels.iter().map(|c| c.code())))
                        .execute(&mut *tx)
                        .await
                        .map_err(conflict_on("application_id"))?;
                    }
                    sqlx::query("UPDATE live_calls SET scheduled_at = $2 WHERE id = $1")
                        .bind(call)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn broadcast(&self, id: i64) -> Result<Option<Broadcast>, StoreError> {
                    sqlx::query(&format!("{BROADCAST_SELECT} WHERE b.id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(broadcast_of)
                        .transpose()
                }

                async fn broadcasts(&self, filter: &BroadcastFilter) -> Result<Vec<Broadcast>, StoreError> {
                    let mut sql = format!("{BROADCAST_SELECT} WHERE 1 = 1");
                    let mut n = 0;
                    let mut next = || {
                        n += 1;
                        format!("${n}")
                    };
                    if filter.call.is_some() {
                        sql += &format!(" AND b.call_id = {}", next());
                    }
                    if filter.merchant.is_some() {
                        sql += &format!(" AND a.merchant_id = {}", next());
                    }
                    if filter.from.is_some() {
                        sql += &format!(" AND b.broadcast_date >= {}", next());
                    }
                    if filter.until.is_some() {
                        sql += &format!(" AND b.broadcast_date <= {}", next());
                    }
                    if !filter.statuses.is_empty() {
                        let codes: Vec<String> = filter.statuses.iter().map(|s| format!("'{}'", s.code())).collect();
                        sql += &format!(" AND b.status IN ({})", codes.join(", "));
                    }
                    sql += " ORDER BY b.broadcast_date, b.starts_minute, b.studio_id LIMIT 5000";
                    let mut query = sqlx::query(&sql);
                    if let Some(call) = filter.call {
                        query = query.bind(call);
                    }
                    if let Some(merchant) = filter.merchant {
                        query = query.bind(merchant.0);
                    }
                    if let Some(from) = filter.from {
                        query = query.bind(from.to_string());
                    }
                    if let Some(until) = filter.until {
                        query = query.bind(until.to_string());
                    }
                    let rows = query.fetch_all(self.reader()).await.map_err(backend_error)?;
                    rows.iter().map(broadcast_of).collect()
                }

                async fn move_broadcast(&self, id: i64, slot: &Slot, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE live_broadcasts SET broadcast_date = $2, starts_minute = $3, studio_id = $4, host_id = $5 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(slot.date.to_string())
                    .bind(i64::from(slot.starts))
                    .bind(slot.studio)
                    .bind(slot.host)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn save_preparation(&self, id: i64, p: &Preparation, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE live_broadcasts SET channels = $2, checklist = $3, expected_units = $4, discount_percent = $5,
                             replay_url = $6 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(join(p.channels.iter().map(|c| c.code())))
                    .bind(join(p.checklist.iter()))
                    .bind(join(p.expected_units.iter().map(|(p, n)| format!("{}:{n}", p.0))))
                    .bind(i64::from(p.discount_percent))
                    .bind(&p.replay_url)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn close_applications(&self, call: i64, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("UPDATE live_calls SET applications_close = $2 WHERE id = $1")
                        .bind(call)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn set_broadcast_status(
                    &self,
                    id: i64,
                    status: BroadcastStatus,
                    at: Timestamp,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE live_broadcasts SET status = $2,
                             confirmed_at = CASE WHEN $2 = 'confirmed' THEN $3 ELSE confirmed_at END WHERE id = $1",
                    )
                    .bind(id)
                    .bind(status.code())
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn record_results(&self, rows: &[ResultRow], at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let mut held = BTreeSet::new();
                    for r in rows {
                        sqlx::query(
                            "INSERT INTO live_results (broadcast_id, channel, product_id, viewers, peak_viewers, likes, chats, orders, sales_krw)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                             ON CONFLICT (broadcast_id, channel, product_id) DO UPDATE SET viewers = excluded.viewers,
                                 peak_viewers = excluded.peak_viewers, likes = excluded.likes, chats = excluded.chats,
                                 orders = excluded.orders, sales_krw = excluded.sales_krw",
                        )
                        .bind(r.broadcast)
                        .bind(r.channel.code())
                        .bind(r.product.map_or(0, |p| p.0))
                        .bind(r.viewers)
                        .bind(r.peak_viewers)
                        .bind(r.likes)
                        .bind(r.chats)
                        .bind(r.orders)
                        .bind(r.sales_krw)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                        held.insert(r.broadcast);
                    }
                    for id in held {
                        sqlx::query(
                            "UPDATE live_broadcasts SET status = 'held', held_at = COALESCE(held_at, $2) WHERE id = $1",
                        )
                        .bind(id)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn results(&self, broadcast: i64) -> Result<Vec<ResultRow>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT broadcast_id, channel, product_id, viewers, peak_viewers, likes, chats, orders, sales_krw
                         FROM live_results WHERE broadcast_id = $1 ORDER BY channel, product_id",
                    )
                    .bind(broadcast)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(result_of).collect()
                }

                async fn save_survey(&self, id: i64, score: u8, comment: &str, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("UPDATE live_broadcasts SET survey_score = $2, survey_comment = $3 WHERE id = $1")
                        .bind(id)
                        .bind(i64::from(score))
                        .bind(comment)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn held_counts(&self, year: i32, region: Option<&RegionCode>) -> Result<(i64, i64), StoreError> {
                    let mut query = sqlx::QueryBuilder::<Backend>::new(
                        "SELECT COUNT(*), COUNT(DISTINCT a.merchant_id) FROM live_broadcasts b
                         JOIN live_applications a ON a.id = b.application_id JOIN merchants m ON m.id = a.merchant_id
                         WHERE b.status = 'held' AND b.broadcast_date >= ",
                    );
                    query.push_bind(format!("{year:04}-01-01"));
                    query.push(" AND b.broadcast_date <= ");
                    query.push_bind(format!("{year:04}-12-31"));
                    if let Some(region) = region {
                        crate::push_region_filter(&mut query, region);
                    }
                    let row = query.build().fetch_one(self.reader()).await.map_err(backend_error)?;
                    Ok((get(&row, 0)?, get(&row, 1)?))
                }
            }
        }
    };
}
pub(crate) use live_store_impl;
