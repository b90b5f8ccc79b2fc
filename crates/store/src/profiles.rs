//! The SQL of designers' profiles and the directory of certified designers, written once and
//! expanded for each backend by `profile_store_impl!(StoreType)` inside that backend's module.

macro_rules! profile_store_impl {
    ($store:ident) => {
        mod profile_sql {
            use super::*;
            use gachi_domain::designers::profile::{DirectoryEntry, Profile, Skill};
            use gachi_domain::designers::{Level, ProfileStore};
            use gachi_domain::kernel::region::RegionCode;

            fn list(text: &str) -> impl Iterator<Item = &str> {
                text.split(',').map(str::trim).filter(|s| !s.is_empty())
            }

            fn profile_of<R: sqlx::Row>(row: &R, designer: UserId) -> Result<Profile, StoreError>
            where
                &'static str: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let text = |c: &'static str| -> Result<String, StoreError> { row.try_get(c).map_err(backend_error) };
                let capacity: i64 = row.try_get("capacity").map_err(backend_error)?;
                Ok(Profile {
                    designer,
                    regions: list(&text("regions")?)
                        .filter_map(|c| RegionCode::parse(c, "regions").ok())
                        .collect(),
                    industries: list(&text("industries")?).map(str::to_owned).collect(),
                    skills: list(&text("skills")?).filter_map(Skill::parse).collect(),
                    capacity: u32::try_from(capacity).unwrap_or(0),
                    languages: list(&text("languages")?).map(str::to_owned).collect(),
                    intro: text("intro")?,
                })
            }

            #[async_trait]
            impl ProfileStore for $store {
                async fn designer_profile(&self, designer: UserId) -> Result<Option<Profile>, StoreError> {
                    sqlx::query("SELECT regions, industries, skills, capacity, languages, intro FROM designer_profiles WHERE designer_id = $1")
                        .bind(designer.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .map(|row| profile_of(&row, designer))
                        .transpose()
                }

                async fn save_designer_profile(&self, profile: &Profile, audit: &AuditEntry) -> Result<(), StoreError> {
                    let join = |items: Vec<&str>| items.join(",");
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    sqlx::query(
                        "INSERT INTO designer_profiles (designer_id, regions, industries, skills, capacity, languages, intro, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                         ON CONFLICT (designer_id) DO UPDATE SET regions = excluded.regions, industries = excluded.industries,
                             skills = excluded.skills, capacity = excluded.capacity, languages = excluded.languages,
                             intro = excluded.intro, updated_at = excluded.updated_at",
                    )
                    .bind(profile.designer.0)
                    .bind(join(profile.regions.iter().map(|r| r.as_str()).collect()))
                    .bind(join(profile.industries.iter().map(String::as_str).collect()))
                    .bind(join(profile.skills.iter().map(|s| s.code()).collect()))
                    .bind(i64::from(profile.capacity))
                    .bind(join(profile.languages.iter().map(String::as_str).collect()))
                    .bind(&profile.intro)
                    .bind(audit.at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn certified_designers(&self, at: Timestamp) -> Result<Vec<DirectoryEntry>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT u.id, u.display_name, p.regions, p.industries, p.skills, p.capacity, p.languages, p.intro,
                                (SELECT MIN(c.level) FROM certificates c
                                  WHERE c.holder_id = u.id AND c.revoked_at IS NULL AND c.issued_at <= $1 AND c.valid_until > $1) AS level,
                                (SELECT COUNT(*) FROM delegations d
                                  WHERE d.designer_id = u.id AND d.revoked_at IS NULL AND d.starts_at <= $1 AND d.ends_at > $1) AS active_shops
                         FROM users u JOIN designer_profiles p ON p.designer_id = u.id
                         WHERE u.role = 'designer'
                         ORDER BY u.display_name, u.id",
                    )
                    .bind(at.unix_ms())
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    let mut entries = Vec::new();
                    for row in &rows {
                        let level: Option<i64> = row.try_get("level").map_err(backend_error)?;
                        let level = match level {
                            Some(1) => Level::First,
                            Some(2) => Level::Second,
                            _ => continue,
                        };
                        let designer = UserId(row.try_get("id").map_err(backend_error)?);
                        let active: i64 = row.try_get("active_shops").map_err(backend_error)?;
                        entries.push(DirectoryEntry {
                            designer,
                            name: row.try_get("display_name").map_err(backend_error)?,
                            level,
                            profile: profile_of(row, designer)?,
                            active_shops: u32::try_from(active).unwrap_or(0),
                        });
                    }
                    Ok(entries)
                }
            }
        }
    };
}

pub(crate) use profile_store_impl;
