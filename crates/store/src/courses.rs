//! The SQL of designer courses, written once and expanded for each backend by
//! `course_store_impl!(StoreType)` inside that backend's module.

macro_rules! course_store_impl {
    ($store:ident) => {
        mod course_sql {
            use super::*;
            use gachi_domain::designers::CourseStore;
            use gachi_domain::designers::courses::{
                Area, Course, Module, NewCourse, NewModule, parse_quiz, write_quiz,
            };

            fn module_of<R: sqlx::Row>(row: &R) -> Result<Module, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let position: i64 = row.try_get(2).map_err(backend_error)?;
                let links: String = row.try_get(6).map_err(backend_error)?;
                let quiz: String = row.try_get(7).map_err(backend_error)?;
                Ok(Module {
                    id: row.try_get(0).map_err(backend_error)?,
                    course: row.try_get(1).map_err(backend_error)?,
                    position: u32::try_from(position).unwrap_or(u32::MAX),
                    title: row.try_get(3).map_err(backend_error)?,
                    body: row.try_get(4).map_err(backend_error)?,
                    body_html: row.try_get(5).map_err(backend_error)?,
                    links: links.lines().map(str::to_owned).collect(),
                    quiz: parse_quiz(&quiz, "quiz")
                        .map_err(|_| StoreError::Backend(format!("stored quiz of module {position}")))?,
                })
            }

            const MODULE_COLUMNS: &str = "id, course_id, position, title, body, body_html, links, quiz";

            impl $store {
                /// Courses (one, or every one) with their modules, by area then id.
                async fn courses_where(&self, id: Option<i64>) -> Result<Vec<Course>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT id, title, area, summary, created_at, hours FROM courses
                         WHERE ($1 IS NULL OR id = $1) ORDER BY area, id",
                    )
                    .bind(id)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    let modules = sqlx::query(&format!(
                        "SELECT {MODULE_COLUMNS} FROM course_modules
                         WHERE ($1 IS NULL OR course_id = $1) ORDER BY course_id, position"
                    ))
                    .bind(id)
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?
                    .iter()
                    .map(module_of)
                    .collect::<Result<Vec<Module>, StoreError>>()?;
                    rows.iter()
                        .map(|row| {
                            let id: i64 = row.try_get(0).map_err(backend_error)?;
                            let area: String = row.try_get(2).map_err(backend_error)?;
                            Ok(Course {
                                id,
                                title: row.try_get(1).map_err(backend_error)?,
                                area: Area::parse(&area)
                                    .ok_or_else(|| StoreError::Backend(format!("course area {area}")))?,
                                summary: row.try_get(3).map_err(backend_error)?,
                                created_at: Timestamp::from_unix_ms(row.try_get(4).map_err(backend_error)?),
                                hours: u32::try_from(row.try_get::<i64, _>(5).map_err(backend_error)?).unwrap_or(0),
                                modules: modules.iter().filter(|m| m.course == id).cloned().collect(),
                            })
                        })
                        .collect()
                }
            }

            #[async_trait]
            impl CourseStore for $store {
                async fn create_course(&self, course: &NewCourse, audit: &AuditEntry) -> Result<Course, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO courses (title, area, summary, created_at, hours) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(&course.title)
                    .bind(course.area.code())
                    .bind(&course.summary)
                    .bind(course.created_at.unix_ms())
                    .bind(i64::from(course.hours))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(Course {
                        id,
                        title: course.title.clone(),
                        area: course.area,
                        summary: course.summary.clone(),
                        hours: course.hours,
                        created_at: course.created_at,
                        modules: Vec::new(),
                    })
                }

                async fn add_course_module(&self, course: i64, module: &NewModule, audit: &AuditEntry) -> Result<Module, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(position) FROM course_modules WHERE course_id = $1")
                        .bind(course)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let row = sqlx::query(&format!(
                        "INSERT INTO course_modules (course_id, position, title, body, body_html, links, quiz)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {MODULE_COLUMNS}"
                    ))
                    .bind(course)
                    .bind(last.unwrap_or(0) + 1)
                    .bind(&module.title)
                    .bind(&module.body)
                    .bind(&module.body_html)
                    .bind(module.links.join("\n"))
                    .bind(write_quiz(&module.quiz))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let added = module_of(&row)?;
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(added)
                }

                async fn course(&self, id: i64) -> Result<Option<Course>, StoreError> {
                    Ok(self.courses_where(Some(id)).await?.into_iter().next())
                }

                async fn courses(&self) -> Result<Vec<Course>, StoreError> {
                    self.courses_where(None).await
                }

                async fn passed_modules(&self, designer: UserId) -> Result<Vec<i64>, StoreError> {
                    sqlx::query_scalar("SELECT module_id FROM module_passes WHERE designer_id = $1 ORDER BY module_id")
                        .bind(designer.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)
                }

                async fn pass_module(&self, designer: UserId, module: i64, at: Timestamp, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let done = sqlx::query(
                        "INSERT INTO module_passes (designer_id, module_id, passed_at) VALUES ($1, $2, $3)
                         ON CONFLICT (designer_id, module_id) DO NOTHING",
                    )
                    .bind(designer.0)
                    .bind(module)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    if done.rows_affected() > 0 {
                        insert_audit(&mut *tx, audit).await?;
                    }
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn module_passes_of(&self, designer: UserId) -> Result<Vec<(i64, Timestamp)>, StoreError> {
                    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT module_id, passed_at FROM module_passes WHERE designer_id = $1 ORDER BY module_id")
                        .bind(designer.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    Ok(rows.into_iter().map(|(m, at)| (m, Timestamp::from_unix_ms(at))).collect())
                }

                async fn module_passes(&self) -> Result<Vec<(UserId, i64)>, StoreError> {
                    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT designer_id, module_id FROM module_passes ORDER BY designer_id, module_id")
                        .fetch_all(self.reader())
                        .await
                        .map_err(backend_error)?;
                    Ok(rows.into_iter().map(|(d, m)| (UserId(d), m)).collect())
                }
            }
        }
    };
}

pub(crate) use course_store_impl;
