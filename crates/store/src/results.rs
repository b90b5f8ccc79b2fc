//! The SQL of sales reports, the hall of fame and settings, written once and expanded for each
//! backend by `results_store_impl!(StoreType)` inside that backend's module.

macro_rules! results_store_impl {
    ($store:ident) => {
        mod results_sql {
            use super::*;
            use gachi_domain::merchants::merchant::MerchantId;
            use gachi_domain::results::ResultsStore;
            use gachi_domain::results::{Counts, Member, Month, SalesReport, entry_month};
            use std::collections::HashMap;

            fn corrupt(what: &str) -> StoreError {
                StoreError::Backend(format!("corrupt {what} in results"))
            }

            /// Narrows an aggregate's `column` of region codes to `region` (a 시도 by prefix, a
            /// 시군구, or a 시 with its 구).
            fn push_region_codes<'a>(query: &mut sqlx::QueryBuilder<'a, Backend>, column: &str, region: &RegionCode) {
                if region.as_str().len() == 2 {
                    query.push(format!(" AND {column} LIKE ")).push_bind(format!("{}%", region.as_str()));
                } else {
                    query.push(format!(" AND {column} IN ("));
                    let mut list = query.separated(", ");
                    list.push_bind(region.as_str().to_owned());
                    for child in region.children() {
                        list.push_bind(child.code.as_str().to_owned());
                    }
                    query.push(")");
                }
            }

            fn month(text: &str) -> Result<Month, StoreError> {
                Month::parse(text, "month").map_err(|_| corrupt("month"))
            }

            impl $store {
                /// Runs `sql` (ending in a comparison that `value` completes) narrowed to `region`
                /// on `column`, for one number.
                async fn region_sum(&self, sql: &str, value: i32, column: &str, region: Option<&RegionCode>) -> Result<i64, StoreError> {
                    let mut query = sqlx::QueryBuilder::<Backend>::new(sql);
                    query.push_bind(i64::from(value));
                    if let Some(region) = region {
                        push_region_codes(&mut query, column, region);
                    }
                    let count: i64 = query.build_query_scalar().fetch_one(self.reader()).await.map_err(backend_error)?;
                    Ok(count)
                }
            }

            #[async_trait]
            impl ResultsStore for $store {
                async fn recompute_hall_of_fame(&self, threshold_krw: i64, audit: &AuditEntry) -> Result<u64, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    )
                    .bind(gachi_domain::results::THRESHOLD_SETTING)
                    .bind(threshold_krw.to_string())
                    .bind(audit.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
                        "SELECT merchant_id, month, CAST(SUM(sales_krw) AS BIGINT) FROM sales_reports
                         GROUP BY merchant_id, month ORDER BY merchant_id",
                    )
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let mut entries: Vec<(i64, Month)> = Vec::new();
                    for reports in rows.chunk_by(|a, b| a.0 == b.0) {
                        let months = reports
                            .iter()
                            .map(|(_, text, total)| Ok((month(text)?, *total)))
                            .collect::<Result<Vec<(Month, i64)>, StoreError>>()?;
                        if let Some(entry) = entry_month(&months, threshold_krw) {
                            entries.push((reports[0].0, entry));
                        }
                    }
                    // Members keep their stories; those below the new line leave.
                    let mut stories: HashMap<i64, Option<String>> = sqlx::query_as("SELECT merchant_id, story FROM hall_of_fame")
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(backend_error)?
                        .into_iter()
                        .collect();
                    sqlx::query("DELETE FROM hall_of_fame").execute(&mut *tx).await.map_err(backend_error)?;
                    for (merchant, entry) in &entries {
                        sqlx::query(
                            "INSERT INTO hall_of_fame (merchant_id, region_code, entry_month, story, updated_at)
                             SELECT $1, region_code, $2, $3, $4 FROM merchants WHERE id = $1",
                        )
                        .bind(*merchant)
                        .bind(entry.to_string())
                        .bind(stories.remove(merchant).flatten())
                        .bind(audit.at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(entries.len() as u64)
                }

                async fn sigungu_counts(&self, sido: &RegionCode) -> Result<Vec<(String, i64, i64)>, StoreError> {
                    sqlx::query_as(
                        "SELECT c.region_code,
                                CAST(SUM(CASE WHEN c.status IN ('registered', 'selected', 'onboarding', 'selling') THEN c.n ELSE 0 END) AS BIGINT),
                                CAST(SUM(CASE WHEN c.status = 'selling' THEN c.n ELSE 0 END) AS BIGINT)
                         FROM merchant_counts c WHERE c.region_code LIKE $1 GROUP BY c.region_code ORDER BY c.region_code",
                    )
                    .bind(format!("{}%", sido.as_str()))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)
                }

                async fn sales_changes(&self, merchant: MerchantId) -> Result<Vec<gachi_domain::results::SalesChange>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT s.channel, s.month, s.old_sales_krw, s.new_sales_krw, u.display_name, s.changed_at
                         FROM sales_report_changes s LEFT JOIN users u ON u.id = s.changed_by
                         WHERE s.merchant_id = $1 ORDER BY s.id DESC LIMIT 200",
                    )
                    .bind(merchant.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let text: String = row.try_get(1).map_err(backend_error)?;
                            Ok(gachi_domain::results::SalesChange {
                                channel: crate::sales_channel_of(row.try_get(0).map_err(backend_error)?)?,
                                month: month(&text)?,
                                old_sales_krw: row.try_get(2).map_err(backend_error)?,
                                new_sales_krw: row.try_get(3).map_err(backend_error)?,
                                by: row.try_get(4).map_err(backend_error)?,
                                at: Timestamp::from_unix_ms(row.try_get(5).map_err(backend_error)?),
                            })
                        })
                        .collect()
                }

                async fn sido_counts(&self) -> Result<Vec<(String, Counts)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT substr(c.region_code, 1, 2),
                                CAST(SUM(CASE WHEN c.status IN ('registered', 'selected', 'onboarding', 'selling') THEN c.n ELSE 0 END) AS BIGINT),
                                CAST(SUM(CASE WHEN c.status = 'selling' THEN c.n ELSE 0 END) AS BIGINT)
                         FROM merchant_counts c GROUP BY substr(c.region_code, 1, 2)",
                    )
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    let members = sqlx::query(
                        "SELECT substr(h.region_code, 1, 2), COUNT(*) FROM hall_of_fame h GROUP BY substr(h.region_code, 1, 2)",
                    )
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    let mut hall = std::collections::HashMap::new();
                    for row in &members {
                        let sido: String = row.try_get(0).map_err(backend_error)?;
                        let n: i64 = row.try_get(1).map_err(backend_error)?;
                        hall.insert(sido, n);
                    }
                    rows.iter()
                        .map(|row| {
                            let sido: String = row.try_get(0).map_err(backend_error)?;
                            Ok((
                                sido.clone(),
                                Counts {
                                    registered: row.try_get(1).map_err(backend_error)?,
                                    selling: row.try_get(2).map_err(backend_error)?,
                                    hall_of_fame: hall.get(&sido).copied().unwrap_or(0),
                                    ..Counts::default()
                                },
                            ))
                        })
                        .collect()
                }

                async fn monthly_sales(&self, year: i32, region: Option<&RegionCode>) -> Result<Vec<(Month, i64)>, StoreError> {
                    let mut query = sqlx::QueryBuilder::<Backend>::new(
                        "SELECT t.month, CAST(SUM(t.total) AS BIGINT) FROM sales_totals t WHERE t.month LIKE ",
                    );
                    query.push_bind(format!("{year:04}-%"));
                    if let Some(region) = region {
                        push_region_codes(&mut query, "t.region_code", region);
                    }
                    query.push(" GROUP BY t.month ORDER BY t.month");
                    let rows = query.build().fetch_all(self.reader()).await.map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let text: String = row.try_get(0).map_err(backend_error)?;
                            Ok((month(&text)?, row.try_get(1).map_err(backend_error)?))
                        })
                        .collect()
                }

                async fn breakdown(&self, by: gachi_domain::results::Breakdown, region: Option<&RegionCode>) -> Result<Vec<(String, i64, i64)>, StoreError> {
                    let group = match by {
                        gachi_domain::results::Breakdown::Track => "c.track",
                        gachi_domain::results::Breakdown::Industry => "c.industry_major",
                    };
                    let mut query = sqlx::QueryBuilder::<Backend>::new(format!(
                        "SELECT {group}, CAST(SUM(c.n) AS BIGINT), CAST(SUM(CASE WHEN c.status = 'selling' THEN c.n ELSE 0 END) AS BIGINT)
                         FROM merchant_counts c WHERE c.status IN ('registered', 'selected', 'onboarding', 'selling')"
                    ));
                    if let Some(region) = region {
                        push_region_codes(&mut query, "c.region_code", region);
                    }
                    query.push(format!(" GROUP BY {group} HAVING SUM(c.n) > 0 ORDER BY SUM(c.n) DESC"));
                    let rows = query.build().fetch_all(self.reader()).await.map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            Ok((
                                row.try_get(0).map_err(backend_error)?,
                                row.try_get(1).map_err(backend_error)?,
                                row.try_get(2).map_err(backend_error)?,
                            ))
                        })
                        .collect()
                }

                async fn save_sales_report(&self, report: &SalesReport, by: Option<UserId>, threshold_krw: i64, audit: &AuditEntry) -> Result<(), StoreError> {
                    let at = audit.at.unix_ms();
                    let month_text = report.month.to_string();
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let old = sqlx::query("SELECT sales_krw, orders FROM sales_reports WHERE merchant_id = $1 AND channel = $2 AND month = $3")
                        .bind(report.merchant.0)
                        .bind(report.channel.code())
                        .bind(&month_text)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let (old_sales, old_orders): (Option<i64>, Option<i64>) = match &old {
                        Some(row) => (Some(row.try_get(0).map_err(backend_error)?), Some(row.try_get(1).map_err(backend_error)?)),
                        None => (None, None),
                    };
                    sqlx::query(
                        "INSERT INTO sales_reports (merchant_id, channel, month, sales_krw, orders, updated_by, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)
                         ON CONFLICT (merchant_id, channel, month) DO UPDATE SET sales_krw = excluded.sales_krw,
                             orders = excluded.orders, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                    )
                    .bind(report.merchant.0)
                    .bind(report.channel.code())
                    .bind(&month_text)
                    .bind(report.sales_krw)
                    .bind(report.orders)
                    .bind(by.map(|u| u.0))
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let delta = report.sales_krw - old_sales.unwrap_or(0);
                    sqlx::query(
                        "INSERT INTO sales_totals (month, region_code, total)
                         SELECT $1, region_code, $2 FROM merchants WHERE id = $3
                         ON CONFLICT (month, region_code) DO UPDATE SET total = sales_totals.total + excluded.total",
                    )
                    .bind(&month_text)
                    .bind(delta)
                    .bind(report.merchant.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO sales_report_changes (merchant_id, channel, month, old_sales_krw, old_orders, new_sales_krw, new_orders, changed_by, changed_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(report.merchant.0)
                    .bind(report.channel.code())
                    .bind(&month_text)
                    .bind(old_sales)
                    .bind(old_orders)
                    .bind(report.sales_krw)
                    .bind(report.orders)
                    .bind(by.map(|u| u.0))
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    // The hall of fame follows the numbers: recomputed from this merchant's months.
                    let rows = sqlx::query("SELECT month, CAST(SUM(sales_krw) AS BIGINT) FROM sales_reports WHERE merchant_id = $1 GROUP BY month")
                        .bind(report.merchant.0)
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let mut monthly = Vec::with_capacity(rows.len());
                    for row in &rows {
                        let text: String = row.try_get(0).map_err(backend_error)?;
                        let total: i64 = row.try_get(1).map_err(backend_error)?;
                        monthly.push((month(&text)?, total));
                    }
                    match entry_month(&monthly, threshold_krw) {
                        Some(entry) => {
                            sqlx::query(
                                "INSERT INTO hall_of_fame (merchant_id, region_code, entry_month, updated_at)
                                 SELECT $1, region_code, $2, $3 FROM merchants WHERE id = $1
                                 ON CONFLICT (merchant_id) DO UPDATE SET entry_month = excluded.entry_month, updated_at = excluded.updated_at",
                            )
                            .bind(report.merchant.0)
                            .bind(entry.to_string())
                            .bind(at)
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                        }
                        None => {
                            sqlx::query("DELETE FROM hall_of_fame WHERE merchant_id = $1")
                                .bind(report.merchant.0)
                                .execute(&mut *tx)
                                .await
                                .map_err(backend_error)?;
                        }
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn sales_of(&self, merchant: MerchantId) -> Result<Vec<SalesReport>, StoreError> {
                    let rows = sqlx::query("SELECT channel, month, sales_krw, orders FROM sales_reports WHERE merchant_id = $1 ORDER BY month DESC, channel")
                        .bind(merchant.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let text: String = row.try_get(1).map_err(backend_error)?;
                            Ok(SalesReport {
                                merchant,
                                channel: crate::sales_channel_of(row.try_get(0).map_err(backend_error)?)?,
                                month: month(&text)?,
                                sales_krw: row.try_get(2).map_err(backend_error)?,
                                orders: row.try_get(3).map_err(backend_error)?,
                            })
                        })
                        .collect()
                }

                async fn hall_of_fame(&self, region: Option<&RegionCode>, industry_code: Option<&str>) -> Result<Vec<Member>, StoreError> {
                    let mut query = sqlx::QueryBuilder::<Backend>::new(format!(
                        "SELECT m.id, m.name, m.region_code, m.industry_code, h.entry_month, h.story
                         FROM hall_of_fame h {OUTER_FIRST_JOIN} merchants m ON m.id = h.merchant_id WHERE 1 = 1"
                    ));
                    if let Some(region) = region {
                        crate::push_region_filter(&mut query, region);
                    }
                    if let Some(industry) = industry_code {
                        query.push(" AND m.industry_code = ").push_bind(industry.to_owned());
                    }
                    query.push(" ORDER BY h.entry_month DESC, m.id LIMIT 1000");
                    let rows = query.build().fetch_all(self.reader()).await.map_err(backend_error)?;
                    let ids: Vec<i64> = rows
                        .iter()
                        .map(|row| row.try_get(0).map_err(backend_error))
                        .collect::<Result<_, _>>()?;
                    // The marketplaces each member sells on, for all members in one query.
                    let mut channels: std::collections::HashMap<i64, Vec<String>> =
                        std::collections::HashMap::new();
                    if !ids.is_empty() {
                        let mut query = sqlx::QueryBuilder::<Backend>::new(
                            "SELECT merchant_id, channel FROM sales_reports WHERE sales_krw > 0 AND merchant_id IN (",
                        );
                        let mut list = query.separated(", ");
                        for id in &ids {
                            list.push_bind(*id);
                        }
                        query.push(") GROUP BY merchant_id, channel ORDER BY merchant_id, channel");
                        for row in query.build().fetch_all(self.reader()).await.map_err(backend_error)? {
                            let id: i64 = row.try_get(0).map_err(backend_error)?;
                            channels.entry(id).or_default().push(row.try_get(1).map_err(backend_error)?);
                        }
                    }
                    let mut members = Vec::with_capacity(rows.len());
                    for (row, id) in rows.iter().zip(ids) {
                        let region: String = row.try_get(2).map_err(backend_error)?;
                        let entry: String = row.try_get(4).map_err(backend_error)?;
                        members.push(Member {
                            merchant: MerchantId(id),
                            name: row.try_get(1).map_err(backend_error)?,
                            region: RegionCode::parse(&region, "region_code").map_err(|_| corrupt("region"))?,
                            industry_code: row.try_get(3).map_err(backend_error)?,
                            channels: channels.remove(&id).unwrap_or_default(),
                            entry_month: month(&entry)?,
                            story: row.try_get(5).map_err(backend_error)?,
                        });
                    }
                    Ok(members)
                }

                async fn set_success_story(&self, merchant: MerchantId, story: &str, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("UPDATE hall_of_fame SET story = $2, updated_at = $3 WHERE merchant_id = $1")
                        .bind(merchant.0)
                        .bind(story)
                        .bind(audit.at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn result_counts(&self, year: i32, region: Option<&RegionCode>) -> Result<Counts, StoreError> {
                    // Merchants by status come from the counts the triggers keep; cards and the
                    // hall of fame are small next to the merchants table.
                    let mut query = sqlx::QueryBuilder::<Backend>::new(
                        "SELECT CAST(COALESCE(SUM(CASE WHEN c.status IN ('registered', 'selected', 'onboarding', 'selling') THEN c.n ELSE 0 END), 0) AS BIGINT),
                                CAST(COALESCE(SUM(CASE WHEN c.track <> '' AND c.status <> 'prospect' THEN c.n ELSE 0 END), 0) AS BIGINT),
                                CAST(COALESCE(SUM(CASE WHEN c.status IN ('selected', 'onboarding', 'selling') THEN c.n ELSE 0 END), 0) AS BIGINT),
                                CAST(COALESCE(SUM(CASE WHEN c.status IN ('onboarding', 'selling') THEN c.n ELSE 0 END), 0) AS BIGINT),
                                CAST(COALESCE(SUM(CASE WHEN c.status = 'selling' THEN c.n ELSE 0 END), 0) AS BIGINT)
                         FROM merchant_counts c WHERE 1 = 1",
                    );
                    if let Some(region) = region {
                        push_region_codes(&mut query, "c.region_code", region);
                    }
                    let row = query.build().fetch_one(self.reader()).await.map_err(backend_error)?;
                    Ok(Counts {
                        registered: row.try_get(0).map_err(backend_error)?,
                        diagnosed: row.try_get(1).map_err(backend_error)?,
                        selected: row.try_get(2).map_err(backend_error)?,
                        onboarding: row.try_get(3).map_err(backend_error)?,
                        selling: row.try_get(4).map_err(backend_error)?,
                        onboarded_in_year: self.region_sum("SELECT CAST(COALESCE(SUM(o.n), 0) AS BIGINT) FROM onboarded_counts o WHERE o.year = ", year, "o.region_code", region).await?,
                        hall_of_fame: self.region_sum("SELECT COUNT(*) FROM hall_of_fame h WHERE 1 = ", 1, "h.region_code", region).await?,
                        hall_of_fame_in_year: self.region_sum(&format!("SELECT COUNT(*) FROM hall_of_fame h WHERE h.entry_month LIKE '{year:04}-%' AND 1 = "), 1, "h.region_code", region).await?,
                    })
                }

                async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
                    sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                        .bind(key)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)
                }

                async fn set_setting(&self, key: &str, value: &str, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    )
                    .bind(key)
                    .bind(value)
                    .bind(audit.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }
            }
        }
    };
}

pub(crate) use results_store_impl;
