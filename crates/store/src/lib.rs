//! Gachi's storage: the domain's ports implemented on embedded SQLite (the default, one file
//! under the data directory) and on PostgreSQL (national scale), plus the conformance suite
//! both must pass.
//!
//! The SQL is written once (`accounts.rs`) and instantiated for each backend by a macro: both
//! databases accept `$N` placeholders, `RETURNING`, and the BIGINT/TEXT column types used here.
//! What differs (connection set-up, how a write transaction begins, identity columns in the
//! migrations) lives in `sqlite.rs` and `postgres.rs`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gachi_domain::ports::{Store, StoreError};

mod accounts;
mod auth_cache;
mod categories;
mod certificates;
mod community;
pub mod conformance;
mod courses;
mod delegations;
mod discovery;
mod exams;
mod expeditions;
mod live;
mod mail;
mod market_accounts;
mod merchants;
mod migrate;
mod onboarding;
mod postgres;
mod products;
mod profiles;
mod proposals;
mod results;
mod rounds;
mod sqlite;

pub use auth_cache::AUTH_CACHE_SECONDS;
pub use migrate::Migration;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// The SQLite database file inside a data directory.
pub const SQLITE_FILE: &str = "gachi.sqlite3";

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Embedded SQLite in this directory (created when missing).
    SqliteDir(PathBuf),
    /// A PostgreSQL server, by `postgres://` URL.
    Postgres(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL selects PostgreSQL; otherwise the data directory.
    pub fn from_args(database_url: Option<&str>, data_dir: &Path) -> Result<Location, OpenError> {
        match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Location::Postgres(url.to_owned()))
            }
            Some(url) if url.starts_with("sqlite:") => Ok(Location::SqliteDir(PathBuf::from(
                url.trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:"),
            ))),
            Some(other) => Err(OpenError::UnsupportedUrl(redact(other))),
            None => Ok(Location::SqliteDir(data_dir.to_owned())),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("unsupported database URL {0}: use postgres://… or leave it unset for SQLite")]
    UnsupportedUrl(String),
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    #[error("cannot open the database: {0}")]
    Connect(String),
    #[error("migration {version} ({name}) failed: {reason}")]
    Migration {
        version: i64,
        name: &'static str,
        reason: String,
    },
}

/// Opens (creating and migrating as needed) the store at `location`.
pub async fn open(location: &Location) -> Result<Arc<dyn Store>, OpenError> {
    Ok(match location {
        Location::SqliteDir(dir) => Arc::new(SqliteStore::open_dir(dir).await?),
        Location::Postgres(url) => Arc::new(PgStore::connect(url).await?),
    })
}

/// Narrows a query on merchants `m` to `region`: a 시도 by its code, a 시군구 by its code, and a
/// 시 with 구 together with its 구.
pub(crate) fn push_region_filter<'a, DB: sqlx::Database>(
    query: &mut sqlx::QueryBuilder<'a, DB>,
    region: &gachi_domain::kernel::region::RegionCode,
) where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if region.as_str().len() == 2 {
        query
            .push(" AND m.sido_code = ")
            .push_bind(region.as_str().to_owned());
    } else {
        let mut codes = vec![region.as_str().to_owned()];
        codes.extend(
            region
                .children()
                .into_iter()
                .map(|r| r.code.as_str().to_owned()),
        );
        query.push(" AND m.region_code IN (");
        let mut list = query.separated(", ");
        for code in codes {
            list.push_bind(code);
        }
        query.push(")");
    }
}

/// A URL with its password replaced, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// A marketplace as stored (its code); a code no marketplace has is a storage fault.
pub(crate) fn channel_of(
    code: String,
) -> Result<gachi_domain::kernel::channel::Channel, StoreError> {
    gachi_domain::kernel::channel::Channel::parse(&code)
        .ok_or_else(|| StoreError::Backend(format!("unknown marketplace code {code:?}")))
}

/// Where sales were made, as stored (its code).
pub(crate) fn sales_channel_of(
    code: String,
) -> Result<gachi_domain::results::SalesChannel, StoreError> {
    gachi_domain::results::SalesChannel::parse(&code)
        .ok_or_else(|| StoreError::Backend(format!("unknown sales channel code {code:?}")))
}

fn backend_error(error: sqlx::Error) -> StoreError {
    StoreError::Backend(error.to_string())
}

/// An UPDATE or DELETE by id that touched no row means the record is not there.
fn one_row_or_not_found(rows_affected: u64) -> Result<(), StoreError> {
    if rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Maps a unique-constraint violation to a conflict on `field`, anything else to a backend error.
fn conflict_on(field: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(field),
        _ => backend_error(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        let dir = Path::new("./gachi-data");
        assert_eq!(
            Location::from_args(None, dir).unwrap(),
            Location::SqliteDir(dir.into())
        );
        assert_eq!(
            Location::from_args(Some("postgres://u@h/db"), dir).unwrap(),
            Location::Postgres("postgres://u@h/db".into())
        );
        assert!(matches!(
            Location::from_args(Some("mysql://root:pw@h/db"), dir),
            Err(OpenError::UnsupportedUrl(u)) if u == "mysql://root:***@h/db"
        ));
    }
}
