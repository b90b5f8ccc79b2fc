//! The SQL of the account ports, written once and expanded for each backend by
//! `store_impl!(StoreType)`. The store type provides `reader()` (a pool for reads) and
//! `begin_write()` (a transaction that holds the write lock from its first statement), and the
//! constant `MIGRATIONS` / `MIGRATION_LOCK_SQL`.

/// The columns `user_from_row` reads, from `users u`.
macro_rules! user_columns {
    () => {
        "u.id AS user_id, u.email, u.role, u.region_code, u.display_name, u.locale, u.created_at AS user_created_at, \
         u.disabled_at AS user_disabled_at"
    };
}
pub(crate) use user_columns;

/// The columns `token_from_row` reads, from `api_tokens t`.
macro_rules! token_columns {
    () => {
        "t.id AS token_id, t.user_id AS token_user_id, t.name AS token_name, t.created_at AS token_created_at, \
         t.expires_at AS token_expires_at, t.last_used_at AS token_last_used_at, t.revoked_at AS token_revoked_at"
    };
}
pub(crate) use token_columns;

macro_rules! store_impl {
    ($store:ty) => {
        use async_trait::async_trait;
        use gachi_domain::accounts::{
            ApiTokenId, ApiTokenInfo, Locale, NewApiToken, NewPasswordReset, NewSession, NewUser,
            PasswordReset, Role, Session, SessionId, User, UserId, UserLogin,
        };
        use gachi_domain::kernel::audit::{AuditEntry, AuditRecord};
        use gachi_domain::accounts::AccountStore;
use gachi_domain::ports::StoreError;
        use gachi_domain::kernel::region::RegionCode;
        use gachi_domain::kernel::time::Timestamp;
        use sqlx::Row as _;

        use crate::accounts::{token_columns, user_columns};
        use crate::{backend_error, conflict_on, one_row_or_not_found};

        fn user_from_row<R: sqlx::Row>(row: &R) -> Result<User, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            let role: String = row.try_get("role").map_err(backend_error)?;
            let region: Option<String> = row.try_get("region_code").map_err(backend_error)?;
            let locale: Option<String> = row.try_get("locale").map_err(backend_error)?;
            let corrupt = |what: &str| StoreError::Backend(format!("corrupt {what} in users"));
            Ok(User {
                id: UserId(row.try_get("user_id").map_err(backend_error)?),
                email: row.try_get("email").map_err(backend_error)?,
                role: Role::parse(&role, "role").map_err(|_| corrupt("role"))?,
                region: region
                    .map(|code| RegionCode::parse(&code, "region_code"))
                    .transpose()
                    .map_err(|_| corrupt("region_code"))?,
                display_name: row.try_get("display_name").map_err(backend_error)?,
                locale: locale.as_deref().and_then(Locale::parse),
                created_at: Timestamp::from_unix_ms(
                    row.try_get("user_created_at").map_err(backend_error)?,
                ),
                disabled_at: row
                    .try_get::<Option<i64>, _>("user_disabled_at")
                    .map_err(backend_error)?
                    .map(Timestamp::from_unix_ms),
            })
        }

        fn token_from_row<R: sqlx::Row>(row: &R) -> Result<ApiTokenInfo, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            let instant = |column: &str| -> Result<Option<Timestamp>, StoreError> {
                Ok(row
                    .try_get::<Option<i64>, _>(column)
                    .map_err(backend_error)?
                    .map(Timestamp::from_unix_ms))
            };
            Ok(ApiTokenInfo {
                id: ApiTokenId(row.try_get("token_id").map_err(backend_error)?),
                user: UserId(row.try_get("token_user_id").map_err(backend_error)?),
                name: row.try_get("token_name").map_err(backend_error)?,
                created_at: Timestamp::from_unix_ms(
                    row.try_get("token_created_at").map_err(backend_error)?,
                ),
                expires_at: instant("token_expires_at")?,
                last_used_at: instant("token_last_used_at")?,
                revoked_at: instant("token_revoked_at")?,
            })
        }

        /// Writes an audit row inside the caller's transaction.
        /// Ends every session of `user`, inside the caller's transaction.
        async fn end_sessions<'c, E>(executor: E, user: UserId) -> Result<(), StoreError>
        where
            E: sqlx::Executor<'c, Database = Backend>,
        {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.0)
                .execute(executor)
                .await
                .map_err(backend_error)?;
            Ok(())
        }

        /// Revokes at `at` every API token of `user` not revoked yet, inside the caller's
        /// transaction: how many.
        async fn revoke_tokens<'c, E>(executor: E, user: UserId, at: Timestamp) -> Result<u64, StoreError>
        where
            E: sqlx::Executor<'c, Database = Backend>,
        {
            let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                .bind(at.unix_ms())
                .bind(user.0)
                .execute(executor)
                .await
                .map_err(backend_error)?;
            Ok(done.rows_affected())
        }

        async fn insert_audit<'c, E>(executor: E, entry: &AuditEntry) -> Result<(), StoreError>
        where
            E: sqlx::Executor<'c, Database = Backend>,
        {
            sqlx::query(
                "INSERT INTO audit_log (at, actor_user_id, on_behalf_of_user_id, action, subject, detail, ip)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(entry.at.unix_ms())
            .bind(entry.actor.map(|u| u.0))
            .bind(entry.on_behalf_of.map(|u| u.0))
            .bind(&entry.action)
            .bind(&entry.subject)
            .bind(&entry.detail)
            .bind(&entry.ip)
            .execute(executor)
            .await
            .map_err(backend_error)?;
            Ok(())
        }

        impl $store {
            /// The latest audit entries, all or only those made for `on_behalf_of` by someone else.
            pub(crate) async fn audit_records(&self, on_behalf_of: Option<UserId>, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
                let rows = sqlx::query(
                    "SELECT a.id, a.at, a.actor_user_id, a.on_behalf_of_user_id, a.action, a.subject, a.detail, a.ip, u.email
                     FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
                     WHERE ($1 IS NULL OR a.on_behalf_of_user_id = $1)
                     ORDER BY a.id DESC LIMIT $2",
                )
                .bind(on_behalf_of.map(|u| u.0))
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await
                .map_err(backend_error)?;
                rows.iter()
                    .map(|row| {
                        let get_id = |c: &str| -> Result<Option<UserId>, StoreError> {
                            Ok(row.try_get::<Option<i64>, _>(c).map_err(backend_error)?.map(UserId))
                        };
                        Ok(AuditRecord {
                            id: row.try_get("id").map_err(backend_error)?,
                            entry: AuditEntry {
                                at: Timestamp::from_unix_ms(row.try_get("at").map_err(backend_error)?),
                                actor: get_id("actor_user_id")?,
                                on_behalf_of: get_id("on_behalf_of_user_id")?,
                                action: row.try_get("action").map_err(backend_error)?,
                                subject: row.try_get("subject").map_err(backend_error)?,
                                detail: row.try_get("detail").map_err(backend_error)?,
                                ip: row.try_get("ip").map_err(backend_error)?,
                            },
                            actor_email: row.try_get("email").map_err(backend_error)?,
                        })
                    })
                    .collect()
            }
        }

        impl $store {
            /// Applies the migrations this database has not seen yet.
            async fn migrate(&self) -> Result<(), crate::OpenError> {
                let fail = |version: i64, name: &'static str| {
                    move |e: sqlx::Error| crate::OpenError::Migration {
                        version,
                        name,
                        reason: e.to_string(),
                    }
                };
                let mut tx = self.begin_write().await.map_err(fail(0, "bootstrap"))?;
                sqlx::query(Self::MIGRATION_LOCK_SQL).execute(&mut *tx).await.map_err(fail(0, "lock"))?;
                sqlx::query(crate::migrate::CREATE_TABLE)
                    .execute(&mut *tx)
                    .await
                    .map_err(fail(0, "bootstrap"))?;
                tx.commit().await.map_err(fail(0, "bootstrap"))?;
                for migration in Self::MIGRATIONS {
                    let fail = fail(migration.version, migration.name);
                    let mut tx = self.begin_write().await.map_err(&fail)?;
                    sqlx::query(Self::MIGRATION_LOCK_SQL).execute(&mut *tx).await.map_err(&fail)?;
                    let applied = sqlx::query("SELECT 1 FROM schema_migrations WHERE version = $1")
                        .bind(migration.version)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(&fail)?;
                    if applied.is_some() {
                        continue;
                    }
                    sqlx::raw_sql(migration.sql).execute(&mut *tx).await.map_err(&fail)?;
                    sqlx::query(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    )
                    .bind(migration.version)
                    .bind(migration.name)
                    .bind(Timestamp::now().unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(&fail)?;
                    tx.commit().await.map_err(&fail)?;
                    tracing::info!(version = migration.version, name = migration.name, "migrated");
                }
                gachi_domain::merchants::MerchantStore::ensure_merchant_indexes(self)
                    .await
                    .map_err(|e| crate::OpenError::Migration { version: 0, name: "indexes", reason: e.to_string() })?;
                Ok(())
            }

            /// (table, column, type, not null) of every table, for the schema-parity test.
            pub async fn schema_columns(&self) -> Result<Vec<(String, String, String, bool)>, StoreError> {
                let rows = sqlx::query(Self::SCHEMA_COLUMNS_SQL)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                rows.iter()
                    .map(|r| {
                        Ok((
                            r.try_get(0).map_err(backend_error)?,
                            r.try_get(1).map_err(backend_error)?,
                            r.try_get(2).map_err(backend_error)?,
                            r.try_get(3).map_err(backend_error)?,
                        ))
                    })
                    .collect()
            }

            /// The versions recorded in `schema_migrations`, in order.
            pub async fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
                let rows = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                rows.iter().map(|r| r.try_get::<i64, _>(0).map_err(backend_error)).collect()
            }
        }

        #[async_trait]
        impl AccountStore for $store {
            async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<User, StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                let row = sqlx::query(
                    "INSERT INTO users (email, password_hash, role, region_code, display_name, created_at, password_changed_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                )
                .bind(user.email.as_str())
                .bind(&user.password_hash)
                .bind(user.role.as_str())
                .bind(user.region.as_ref().map(|r| r.as_str()))
                .bind(user.display_name.as_str())
                .bind(user.created_at.unix_ms())
                .fetch_one(&mut *tx)
                .await
                .map_err(conflict_on("email"))?;
                let id = UserId(row.try_get(0).map_err(backend_error)?);
                let audit = AuditEntry { subject: format!("user:{}", id.0), ..audit.clone() };
                insert_audit(&mut *tx, &audit).await?;
                tx.commit().await.map_err(backend_error)?;
                Ok(User {
                    id,
                    email: user.email.as_str().to_owned(),
                    role: user.role,
                    region: user.region.clone(),
                    display_name: user.display_name.as_str().to_owned(),
                    locale: None,
                    created_at: user.created_at,
                    disabled_at: None,
                })
            }

            async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
                sqlx::query(concat!("SELECT ", user_columns!(), " FROM users u WHERE u.id = $1"))
                    .bind(id.0)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(backend_error)?
                    .map(|row| user_from_row(&row))
                    .transpose()
            }

            async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
                sqlx::query(concat!("SELECT ", user_columns!(), " FROM users u WHERE u.email = $1"))
                    .bind(email)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(backend_error)?
                    .map(|row| user_from_row(&row))
                    .transpose()
            }

            async fn user_login(&self, email: &str) -> Result<Option<UserLogin>, StoreError> {
                let row = sqlx::query(concat!(
                    "SELECT ", user_columns!(), ", u.password_hash FROM users u WHERE u.email = $1 AND u.disabled_at IS NULL"
                ))
                .bind(email)
                .fetch_optional(self.reader())
                .await
                .map_err(backend_error)?;
                match row {
                    None => Ok(None),
                    Some(row) => Ok(Some(UserLogin {
                        user: user_from_row(&row)?,
                        password_hash: row.try_get("password_hash").map_err(backend_error)?,
                    })),
                }
            }

            async fn password_hash(&self, id: UserId) -> Result<Option<String>, StoreError> {
                sqlx::query("SELECT password_hash FROM users WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(backend_error)?
                    .map(|row| row.try_get(0).map_err(backend_error))
                    .transpose()
            }

            async fn set_password(&self, id: UserId, phc: &str, audit: &AuditEntry) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                let done = sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
                    .bind(phc)
                    .bind(audit.at.unix_ms())
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                one_row_or_not_found(done.rows_affected())?;
                insert_audit(&mut *tx, audit).await?;
                tx.commit().await.map_err(backend_error)?;
                self.auth_cache.forget_user(id);
                Ok(())
            }

            async fn create_password_reset(&self, reset: &NewPasswordReset, audit: &AuditEntry) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                sqlx::query(
                    "INSERT INTO password_resets (user_id, token_digest, created_at, expires_at, issued_by)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(reset.user.0)
                .bind(&reset.token_digest)
                .bind(reset.created_at.unix_ms())
                .bind(reset.expires_at.unix_ms())
                .bind(reset.issued_by.map(|u| u.0))
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
                insert_audit(&mut *tx, audit).await?;
                tx.commit().await.map_err(backend_error)
            }

            async fn password_reset(&self, token_digest: &str) -> Result<Option<PasswordReset>, StoreError> {
                let row = sqlx::query(
                    "SELECT id, user_id, expires_at, used_at FROM password_resets WHERE token_digest = $1",
                )
                .bind(token_digest)
                .fetch_optional(self.reader())
                .await
                .map_err(backend_error)?;
                row.map(|r| {
                    Ok(PasswordReset {
                        id: r.try_get(0).map_err(backend_error)?,
                        user: UserId(r.try_get(1).map_err(backend_error)?),
                        expires_at: Timestamp::from_unix_ms(r.try_get(2).map_err(backend_error)?),
                        used_at: r
                            .try_get::<Option<i64>, _>(3)
                            .map_err(backend_error)?
                            .map(Timestamp::from_unix_ms),
                    })
                })
                .transpose()
            }

            async fn password_resets_since(&self, user: UserId, since: Timestamp) -> Result<u32, StoreError> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at >= $2",
                )
                .bind(user.0)
                .bind(since.unix_ms())
                .fetch_one(self.reader())
                .await
                .map_err(backend_error)?;
                Ok(n.clamp(0, i64::from(u32::MAX)) as u32)
            }

            async fn use_password_reset(&self, id: i64, user: UserId, phc: &str, audit: &AuditEntry) -> Result<bool, StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                let used = sqlx::query("UPDATE password_resets SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
                    .bind(id)
                    .bind(audit.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                if used.rows_affected() != 1 {
                    return Ok(false);
                }
                let done = sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
                    .bind(phc)
                    .bind(audit.at.unix_ms())
                    .bind(user.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                one_row_or_not_found(done.rows_affected())?;
                end_sessions(&mut *tx, user).await?;
                insert_audit(&mut *tx, audit).await?;
                tx.commit().await.map_err(backend_error)?;
                self.auth_cache.forget_user(user);
                Ok(true)
            }

            async fn set_locale(&self, id: UserId, locale: Locale, audit: &AuditEntry) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                let done = sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
                    .bind(locale.as_str())
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                one_row_or_not_found(done.rows_affected())?;
                insert_audit(&mut *tx, audit).await?;
                tx.commit().await.map_err(backend_error)?;
                self.auth_cache.forget_user(id);
                Ok(())
            }

            async fn update_user(&self, id: UserId, display_name: &str, role: Role, region: Option<&RegionCode>, audit: &AuditEntry) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                let done = sqlx::query("UPDATE users SET display_name = $1, role = $2, region_code = $3 WHERE id = $4")
                    .bind(display_name)
                    .bind(role.as_str())
                    .bind(region.map(|r| r.as_str()))
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                one_row_or_not_found(done.rows_affected())?;
                insert_audit(&mut *tx, audit).await?;
                tx.commit().await.map_err(backend_error)?;
                self.auth_cache.forget_user(id);
                Ok(())
            }

            async fn set_user_disabled(&self, id: UserId, at: Option<Timestamp>, audit: &AuditEntry) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                let done = sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
                    .bind(at.map(|t| t.unix_ms()))
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                one_row_or_not_found(done.rows_affected())?;
                if let Some(at) = at {
                    end_sessions(&mut *tx, id).await?;
                    revoke_tokens(&mut *tx, id, at).await?;
                }
                insert_audit(&mut *tx, audit).await?;
                tx.commit().await.map_err(backend_error)?;
                self.auth_cache.forget_user(id);
                self.auth_cache.forget_tokens_of(id);
                Ok(())
            }

            async fn list_users(&self, role: Option<Role>, limit: u32) -> Result<Vec<User>, StoreError> {
                sqlx::query(concat!(
                    "SELECT ", user_columns!(),
                    " FROM users u WHERE ($1 IS NULL OR u.role = $1) ORDER BY u.id DESC LIMIT $2"
                ))
                .bind(role.map(Role::as_str))
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await
                .map_err(backend_error)?
                .iter()
                .map(user_from_row)
                .collect()
            }

            async fn count_users_by_role(&self) -> Result<Vec<(Role, i64)>, StoreError> {
                let rows = sqlx::query("SELECT role, count(*) FROM users GROUP BY role ORDER BY role")
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                let mut counts = Vec::new();
                for row in rows {
                    let role: String = row.try_get(0).map_err(backend_error)?;
                    if let Ok(role) = Role::parse(&role, "role") {
                        counts.push((role, row.try_get(1).map_err(backend_error)?));
                    }
                }
                Ok(counts)
            }

            async fn create_session(&self, session: &NewSession, audit: &AuditEntry) -> Result<SessionId, StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                let row = sqlx::query(
                    "INSERT INTO sessions (token_digest, user_id, created_at, last_seen_at, expires_at)
                     VALUES ($1, $2, $3, $3, $4) RETURNING id",
                )
                .bind(&session.token_digest)
                .bind(session.user.0)
                .bind(session.created_at.unix_ms())
                .bind(session.expires_at.unix_ms())
                .fetch_one(&mut *tx)
                .await
                .map_err(backend_error)?;
                insert_audit(&mut *tx, audit).await?;
                tx.commit().await.map_err(backend_error)?;
                Ok(SessionId(row.try_get(0).map_err(backend_error)?))
            }

            async fn session(&self, token_digest: &str) -> Result<Option<(Session, User)>, StoreError> {
                if let Some(hit) = self.auth_cache.session(token_digest) {
                    return Ok(Some(hit));
                }
                let row = sqlx::query(concat!(
                    "SELECT s.id, s.created_at, s.last_seen_at, s.expires_at, ", user_columns!(),
                    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_digest = $1 AND u.disabled_at IS NULL"
                ))
                .bind(token_digest)
                .fetch_optional(self.reader())
                .await
                .map_err(backend_error)?;
                let Some(row) = row else { return Ok(None) };
                let user = user_from_row(&row)?;
                let ms = |column: &str| -> Result<Timestamp, StoreError> {
                    Ok(Timestamp::from_unix_ms(row.try_get(column).map_err(backend_error)?))
                };
                let session = Session {
                    id: SessionId(row.try_get("id").map_err(backend_error)?),
                    user: user.id,
                    created_at: ms("created_at")?,
                    last_seen_at: ms("last_seen_at")?,
                    expires_at: ms("expires_at")?,
                };
                self.auth_cache.put_session(token_digest, &session, &user);
                Ok(Some((session, user)))
            }

            async fn extend_session(&self, id: SessionId, last_seen: Timestamp, expires_at: Timestamp) -> Result<(), StoreError> {
                sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3")
                    .bind(last_seen.unix_ms())
                    .bind(expires_at.unix_ms())
                    .bind(id.0)
                    .execute(self.writer())
                    .await
                    .map_err(backend_error)?;
                self.auth_cache.forget_session(id);
                Ok(())
            }

            async fn delete_session(&self, token_digest: &str, audit: Option<&AuditEntry>) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                sqlx::query("DELETE FROM sessions WHERE token_digest = $1")
                    .bind(token_digest)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                if let Some(audit) = audit {
                    insert_audit(&mut *tx, audit).await?;
                }
                tx.commit().await.map_err(backend_error)?;
                self.auth_cache.forget_session_digest(token_digest);
                Ok(())
            }

            async fn delete_other_sessions(&self, user: UserId, keep: SessionId) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
                    .bind(user.0)
                    .bind(keep.0)
                    .execute(self.writer())
                    .await
                    .map_err(backend_error)?;
                self.auth_cache.forget_user(user);
                Ok(())
            }

            async fn purge_expired_sessions(&self, now: Timestamp) -> Result<u64, StoreError> {
                let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(now.unix_ms())
                    .execute(self.writer())
                    .await
                    .map_err(backend_error)?;
                Ok(done.rows_affected())
            }

            async fn create_api_token(&self, token: &NewApiToken, audit: &AuditEntry) -> Result<ApiTokenId, StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                let row = sqlx::query(
                    "INSERT INTO api_tokens (token_digest, user_id, name, created_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&token.token_digest)
                .bind(token.user.0)
                .bind(&token.name)
                .bind(token.created_at.unix_ms())
                .bind(token.expires_at.map(Timestamp::unix_ms))
                .fetch_one(&mut *tx)
                .await
                .map_err(backend_error)?;
                let id = ApiTokenId(row.try_get(0).map_err(backend_error)?);
                let audit = AuditEntry { detail: format!("token={} {}", id.0, audit.detail), ..audit.clone() };
                insert_audit(&mut *tx, &audit).await?;
                tx.commit().await.map_err(backend_error)?;
                Ok(id)
            }

            async fn api_token(&self, token_digest: &str) -> Result<Option<(ApiTokenInfo, User)>, StoreError> {
                if let Some(hit) = self.auth_cache.token(token_digest) {
                    return Ok(Some(hit));
                }
                let row = sqlx::query(concat!(
                    "SELECT ", token_columns!(), ", ", user_columns!(),
                    " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_digest = $1 AND u.disabled_at IS NULL"
                ))
                .bind(token_digest)
                .fetch_optional(self.reader())
                .await
                .map_err(backend_error)?;
                let Some(row) = row else { return Ok(None) };
                let (token, user) = (token_from_row(&row)?, user_from_row(&row)?);
                self.auth_cache.put_token(token_digest, &token, &user);
                Ok(Some((token, user)))
            }

            async fn touch_api_token(&self, id: ApiTokenId, at: Timestamp) -> Result<(), StoreError> {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                    .bind(at.unix_ms())
                    .bind(id.0)
                    .execute(self.writer())
                    .await
                    .map_err(backend_error)?;
                self.auth_cache.touch_token(id, at);
                Ok(())
            }

            async fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenInfo>, StoreError> {
                sqlx::query(concat!("SELECT ", token_columns!(), " FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.id"))
                    .bind(user.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?
                    .iter()
                    .map(token_from_row)
                    .collect()
            }

            async fn revoke_api_token(&self, user: UserId, id: ApiTokenId, audit: &AuditEntry) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                let done = sqlx::query(
                    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND user_id = $3",
                )
                .bind(audit.at.unix_ms())
                .bind(id.0)
                .bind(user.0)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
                one_row_or_not_found(done.rows_affected())?;
                insert_audit(&mut *tx, audit).await?;
                tx.commit().await.map_err(backend_error)?;
                self.auth_cache.forget_token(id);
                Ok(())
            }

            async fn revoke_api_tokens(&self, user: UserId, audit: &AuditEntry) -> Result<u64, StoreError> {
                let mut tx = self.begin_write().await.map_err(backend_error)?;
                let revoked = revoke_tokens(&mut *tx, user, audit.at).await?;
                let audit = AuditEntry { detail: format!("{} count={revoked}", audit.detail).trim().to_owned(), ..audit.clone() };
                insert_audit(&mut *tx, &audit).await?;
                tx.commit().await.map_err(backend_error)?;
                self.auth_cache.forget_tokens_of(user);
                Ok(revoked)
            }

            async fn record_login_failure(&self, email: &str, ip: &str, at: Timestamp) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO login_failures (email, ip, at) VALUES ($1, $2, $3)")
                    .bind(email)
                    .bind(ip)
                    .bind(at.unix_ms())
                    .execute(self.writer())
                    .await
                    .map_err(backend_error)?;
                Ok(())
            }

            async fn login_failures_since(&self, email: &str, ip: &str, since: Timestamp) -> Result<(u32, u32), StoreError> {
                let row = sqlx::query(
                    "SELECT (SELECT count(*) FROM login_failures WHERE email = $1 AND at >= $3),
                            (SELECT count(*) FROM login_failures WHERE ip = $2 AND at >= $3)",
                )
                .bind(email)
                .bind(ip)
                .bind(since.unix_ms())
                .fetch_one(self.reader())
                .await
                .map_err(backend_error)?;
                let count = |i: usize| -> Result<u32, StoreError> {
                    let n: i64 = row.try_get(i).map_err(backend_error)?;
                    Ok(u32::try_from(n).unwrap_or(u32::MAX))
                };
                Ok((count(0)?, count(1)?))
            }

            async fn oldest_login_failure_since(&self, email: &str, since: Timestamp) -> Result<Option<Timestamp>, StoreError> {
                let row = sqlx::query("SELECT min(at) FROM login_failures WHERE email = $1 AND at >= $2")
                    .bind(email)
                    .bind(since.unix_ms())
                    .fetch_one(self.reader())
                    .await
                    .map_err(backend_error)?;
                let oldest: Option<i64> = row.try_get(0).map_err(backend_error)?;
                Ok(oldest.map(Timestamp::from_unix_ms))
            }

            async fn clear_login_failures(&self, email: &str) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM login_failures WHERE email = $1")
                    .bind(email)
                    .execute(self.writer())
                    .await
                    .map_err(backend_error)?;
                Ok(())
            }

            async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
                insert_audit(self.writer(), entry).await
            }

            async fn recent_audit(&self, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
                self.audit_records(None, limit).await
            }
        }
    };
}
pub(crate) use store_impl;
