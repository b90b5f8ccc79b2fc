//! The SQL of 원정대 events — the day, invitations, applications, marks and the timetable's
//! meetings — written once and expanded for each backend by `expedition_store_impl!(StoreType)`
//! inside that backend's module.

macro_rules! expedition_store_impl {
    ($store:ident) => {
        mod expedition_sql {
            use super::*;
            use gachi_domain::catalog::product::ProductId;
            use gachi_domain::discovery::events::{
                Application, Attendance, Event, ExpeditionStore, Invitation, Mark, Meeting, NewEvent,
                NewMeeting, Outcome, mark_code, parse_date, parse_mark,
            };
            use gachi_domain::kernel::channel::Channel;
            use gachi_domain::kernel::region::RegionCode;
            use gachi_domain::merchants::merchant::MerchantId;

            const EVENT_COLUMNS: &str = "id, name, region_code, venue, event_date, starts_minute, ends_minute, slot_minutes, \
                                         breaks, tables, meetings_per_merchant, applications_close, scheduled_at, created_at";
            const INVITATION_COLUMNS: &str = "i.event_id, i.md_id, u.display_name, i.channel, i.looking_for, i.attendance";
            const MEETING_COLUMNS: &str = "m.id, m.event_id, m.md_id, u.display_name, m.merchant_id, s.name, m.slot, m.table_no, \
                                           m.outcome, m.feedback, m.pick_id";
            const MEETING_FROM: &str = "FROM expedition_meetings m JOIN users u ON u.id = m.md_id JOIN merchants s ON s.id = m.merchant_id";

            fn corrupt(what: &str, value: &str) -> StoreError {
                StoreError::Backend(format!("unreadable {what}: {value}"))
            }

            fn ids(text: &str) -> Vec<i64> {
                text.split(',').filter_map(|v| v.trim().parse().ok()).collect()
            }

            fn join(values: impl Iterator<Item = i64>) -> String {
                values.map(|v| v.to_string()).collect::<Vec<_>>().join(",")
            }

            fn event_of<R: sqlx::Row>(row: &R) -> Result<Event, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let region: String = row.try_get(2).map_err(backend_error)?;
                let date: String = row.try_get(4).map_err(backend_error)?;
                let breaks: String = row.try_get(8).map_err(backend_error)?;
                let minute = |k: usize| -> Result<u16, StoreError> {
                    let v: i64 = row.try_get(k).map_err(backend_error)?;
                    u16::try_from(v).map_err(|_| corrupt("minutes", &v.to_string()))
                };
                Ok(Event {
                    id: row.try_get(0).map_err(backend_error)?,
                    name: row.try_get(1).map_err(backend_error)?,
                    region: RegionCode::parse(&region, "region_code").map_err(|_| corrupt("region", &region))?,
                    venue: row.try_get(3).map_err(backend_error)?,
                    date: parse_date(&date).ok_or_else(|| corrupt("date", &date))?,
                    starts: minute(5)?,
                    ends: minute(6)?,
                    slot_minutes: minute(7)?,
                    breaks: breaks
                        .split(',')
                        .filter(|p| !p.is_empty())
                        .map(|p| {
                            p.split_once('-')
                                .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
                                .ok_or_else(|| corrupt("breaks", &breaks))
                        })
                        .collect::<Result<_, _>>()?,
                    tables: minute(9)?,
                    meetings_per_merchant: minute(10)?,
                    applications_close: Timestamp::from_unix_ms(row.try_get(11).map_err(backend_error)?),
                    scheduled_at: row.try_get::<Option<i64>, _>(12).map_err(backend_error)?.map(Timestamp::from_unix_ms),
                    created_at: Timestamp::from_unix_ms(row.try_get(13).map_err(backend_error)?),
                })
            }

            fn invitation_of<R: sqlx::Row>(row: &R) -> Result<Invitation, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let channel: String = row.try_get(3).map_err(backend_error)?;
                let attendance: String = row.try_get(5).map_err(backend_error)?;
                Ok(Invitation {
                    event: row.try_get(0).map_err(backend_error)?,
                    md: UserId(row.try_get(1).map_err(backend_error)?),
                    md_name: row.try_get(2).map_err(backend_error)?,
                    channel: Channel::parse(&channel).ok_or_else(|| corrupt("channel", &channel))?,
                    looking_for: row.try_get(4).map_err(backend_error)?,
                    attendance: Attendance::parse(&attendance).ok_or_else(|| corrupt("attendance", &attendance))?,
                })
            }

            fn meeting_of<R: sqlx::Row>(row: &R) -> Result<Meeting, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let outcome: Option<String> = row.try_get(8).map_err(backend_error)?;
                let slot: i64 = row.try_get(6).map_err(backend_error)?;
                let table: i64 = row.try_get(7).map_err(backend_error)?;
                Ok(Meeting {
                    id: row.try_get(0).map_err(backend_error)?,
                    event: row.try_get(1).map_err(backend_error)?,
                    md: UserId(row.try_get(2).map_err(backend_error)?),
                    md_name: row.try_get(3).map_err(backend_error)?,
                    merchant: MerchantId(row.try_get(4).map_err(backend_error)?),
                    merchant_name: row.try_get(5).map_err(backend_error)?,
                    slot: u16::try_from(slot).map_err(|_| corrupt("slot", &slot.to_string()))?,
                    table: u16::try_from(table).map_err(|_| corrupt("table", &table.to_string()))?,
                    outcome: match outcome {
                        None => None,
                        Some(code) => Some(Outcome::parse(&code).ok_or_else(|| corrupt("outcome", &code))?),
                    },
                    feedback: row.try_get(9).map_err(backend_error)?,
                    pick: row.try_get(10).map_err(backend_error)?,
                })
            }

            #[async_trait]
            impl ExpeditionStore for $store {
                async fn create_event(&self, event: &NewEvent, audit: &AuditEntry) -> Result<Event, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let breaks = event.breaks.iter().map(|(a, b)| format!("{a}-{b}")).collect::<Vec<_>>().join(",");
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO expedition_events (name, region_code, venue, event_date, starts_minute, ends_minute,
                             slot_minutes, breaks, tables, meetings_per_merchant, applications_close, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                    )
                    .bind(&event.name)
                    .bind(event.region.as_str())
                    .bind(&event.venue)
                    .bind(event.date.to_string())
                    .bind(i64::from(event.starts))
                    .bind(i64::from(event.ends))
                    .bind(i64::from(event.slot_minutes))
                    .bind(breaks)
                    .bind(i64::from(event.tables))
                    .bind(i64::from(event.meetings_per_merchant))
                    .bind(event.applications_close.unix_ms())
                    .bind(audit.at.unix_ms())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    let row = sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM expedition_events WHERE id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let created = event_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(created)
                }

                async fn event(&self, id: i64) -> Result<Option<Event>, StoreError> {
                    sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM expedition_events WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(event_of)
                        .transpose()
                }

                async fn events(&self) -> Result<Vec<Event>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {EVENT_COLUMNS} FROM expedition_events ORDER BY event_date DESC, id DESC LIMIT 500"
                    ))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(event_of).collect()
                }

                async fn invite(&self, event: i64, md: UserId, channel: Channel, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO expedition_invitations (event_id, md_id, channel, looking_for, attendance, invited_at)
                         VALUES ($1, $2, $3, '', 'invited', $4)
                         ON CONFLICT (event_id, md_id) DO UPDATE SET channel = excluded.channel",
                    )
                    .bind(event)
                    .bind(md.0)
                    .bind(channel.code())
                    .bind(audit.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn answer_invitation(
                    &self,
                    event: i64,
                    md: UserId,
                    attendance: Attendance,
                    looking_for: &str,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE expedition_invitations SET attendance = $3, looking_for = $4 WHERE event_id = $1 AND md_id = $2",
                    )
                    .bind(event)
                    .bind(md.0)
                    .bind(attendance.code())
                    .bind(looking_for)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn invitations(&self, event: i64) -> Result<Vec<Invitation>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {INVITATION_COLUMNS} FROM expedition_invitations i JOIN users u ON u.id = i.md_id
                         WHERE i.event_id = $1 ORDER BY i.invited_at, i.md_id"
                    ))
                    .bind(event)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(invitation_of).collect()
                }

                async fn invitations_of(&self, md: UserId) -> Result<Vec<Invitation>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {INVITATION_COLUMNS} FROM expedition_invitations i JOIN users u ON u.id = i.md_id
                         WHERE i.md_id = $1 ORDER BY i.event_id DESC LIMIT 500"
                    ))
                    .bind(md.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(invitation_of).collect()
                }

                async fn apply_to_event(
                    &self,
                    event: i64,
                    merchant: MerchantId,
                    products: &[ProductId],
                    at: Timestamp,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO expedition_applications (event_id, merchant_id, product_ids, ranking, applied_at)
                         VALUES ($1, $2, $3, '', $4)
                         ON CONFLICT (event_id, merchant_id) DO UPDATE SET product_ids = excluded.product_ids",
                    )
                    .bind(event)
                    .bind(merchant.0)
                    .bind(join(products.iter().map(|p| p.0)))
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn event_applications(&self, event: i64) -> Result<Vec<Application>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT a.event_id, a.merchant_id, m.name, a.product_ids, a.ranking, a.applied_at, a.checked_in_at
                         FROM expedition_applications a JOIN merchants m ON m.id = a.merchant_id
                         WHERE a.event_id = $1 ORDER BY a.applied_at, a.merchant_id",
                    )
                    .bind(event)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let products: String = row.try_get(3).map_err(backend_error)?;
                            let ranking: String = row.try_get(4).map_err(backend_error)?;
                            Ok(Application {
                                event: row.try_get(0).map_err(backend_error)?,
                                merchant: MerchantId(row.try_get(1).map_err(backend_error)?),
                                merchant_name: row.try_get(2).map_err(backend_error)?,
                                products: ids(&products).into_iter().map(ProductId).collect(),
                                ranking: ids(&ranking).into_iter().map(UserId).collect(),
                                applied_at: Timestamp::from_unix_ms(row.try_get(5).map_err(backend_error)?),
                                checked_in_at: row
                                    .try_get::<Option<i64>, _>(6)
                                    .map_err(backend_error)?
                                    .map(Timestamp::from_unix_ms),
                            })
                        })
                        .collect()
                }

                async fn set_ranking(&self, event: i64, merchant: MerchantId, ranking: &[UserId], audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query("UPDATE expedition_applications SET ranking = $3 WHERE event_id = $1 AND merchant_id = $2")
                        .bind(event)
                        .bind(merchant.0)
                        .bind(join(ranking.iter().map(|u| u.0)))
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn set_mark(&self, event: i64, mark: &Mark, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO expedition_marks (event_id, md_id, merchant_id, mark) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (event_id, md_id, merchant_id) DO UPDATE SET mark = excluded.mark",
                    )
                    .bind(event)
                    .bind(mark.md.0)
                    .bind(mark.merchant.0)
                    .bind(mark_code(mark.mark))
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn marks(&self, event: i64) -> Result<Vec<Mark>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT md_id, merchant_id, mark FROM expedition_marks WHERE event_id = $1 ORDER BY md_id, merchant_id",
                    )
                    .bind(event)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let code: String = row.try_get(2).map_err(backend_error)?;
                            Ok(Mark {
                                md: UserId(row.try_get(0).map_err(backend_error)?),
                                merchant: MerchantId(row.try_get(1).map_err(backend_error)?),
                                mark: parse_mark(&code).ok_or_else(|| corrupt("mark", &code))?,
                            })
                        })
                        .collect()
                }

                async fn replace_meetings(&self, event: i64, meetings: &[NewMeeting], at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query("DELETE FROM expedition_meetings WHERE event_id = $1")
                        .bind(event)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    for meeting in meetings {
                        sqlx::query(
                            "INSERT INTO expedition_meetings (event_id, md_id, merchant_id, slot, table_no, feedback)
                             VALUES ($1, $2, $3, $4, $5, '')",
                        )
                        .bind(event)
                        .bind(meeting.md.0)
                        .bind(meeting.merchant.0)
                        .bind(i64::from(meeting.slot))
                        .bind(i64::from(meeting.table))
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    }
                    sqlx::query("UPDATE expedition_events SET scheduled_at = $2 WHERE id = $1")
                        .bind(event)
                        .bind(at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn meetings(&self, event: i64) -> Result<Vec<Meeting>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {MEETING_COLUMNS} {MEETING_FROM} WHERE m.event_id = $1 ORDER BY m.slot, m.table_no"
                    ))
                    .bind(event)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(meeting_of).collect()
                }

                async fn meeting(&self, id: i64) -> Result<Option<Meeting>, StoreError> {
                    sqlx::query(&format!("SELECT {MEETING_COLUMNS} {MEETING_FROM} WHERE m.id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(meeting_of)
                        .transpose()
                }

                async fn move_meeting(&self, id: i64, slot: u16, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let clash: Option<i64> = sqlx::query_scalar(
                        "SELECT o.id FROM expedition_meetings m JOIN expedition_meetings o
                           ON o.event_id = m.event_id AND o.id <> m.id AND o.slot = $2
                          AND (o.md_id = m.md_id OR o.merchant_id = m.merchant_id)
                         WHERE m.id = $1 LIMIT 1",
                    )
                    .bind(id)
                    .bind(i64::from(slot))
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    if clash.is_some() {
                        return Err(StoreError::Conflict("slot"));
                    }
                    let done = sqlx::query("UPDATE expedition_meetings SET slot = $2 WHERE id = $1")
                        .bind(id)
                        .bind(i64::from(slot))
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn record_outcome(
                    &self,
                    id: i64,
                    outcome: Outcome,
                    feedback: &str,
                    pick: Option<i64>,
                    audit: &AuditEntry,
                ) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE expedition_meetings SET outcome = $2, feedback = $3, pick_id = COALESCE($4, pick_id) WHERE id = $1",
                    )
                    .bind(id)
                    .bind(outcome.code())
                    .bind(feedback)
                    .bind(pick)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn check_in(&self, event: i64, merchant: MerchantId, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "UPDATE expedition_applications SET checked_in_at = COALESCE(checked_in_at, $3)
                         WHERE event_id = $1 AND merchant_id = $2",
                    )
                    .bind(event)
                    .bind(merchant.0)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    one_row_or_not_found(done.rows_affected())?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn met_since(&self, since: gachi_domain::discovery::events::Date) -> Result<Vec<(MerchantId, Channel)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT DISTINCT m.merchant_id, i.channel
                         FROM expedition_meetings m
                         JOIN expedition_events e ON e.id = m.event_id
                         JOIN expedition_invitations i ON i.event_id = m.event_id AND i.md_id = m.md_id
                         WHERE e.event_date >= $1 AND m.outcome IS NOT NULL AND m.outcome <> 'no_show'",
                    )
                    .bind(since.to_string())
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter()
                        .map(|row| {
                            let channel: String = row.try_get(1).map_err(backend_error)?;
                            Ok((
                                MerchantId(row.try_get(0).map_err(backend_error)?),
                                Channel::parse(&channel).ok_or_else(|| corrupt("channel", &channel))?,
                            ))
                        })
                        .collect()
                }
            }
        }
    };
}

pub(crate) use expedition_store_impl;
