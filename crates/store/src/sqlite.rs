//! The SQLite backend: one database file under the data directory, in WAL mode so readers never
//! wait for the writer, with a busy timeout for other processes (the CLI while the server
//! runs). All writes go through a one-connection pool and begin with `BEGIN IMMEDIATE`, so two
//! writers never deadlock on a lock upgrade.

use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::migrate::{Migration, SQLITE};
use crate::{OpenError, SQLITE_FILE};

/// The triggers keeping `merchant_counts` (migration 0012), for a fresh bulk import to drop and
/// recreate.
const COUNT_TRIGGERS: &str = include_str!("../sql/sqlite_count_triggers.sql");
/// A join that keeps the small table outside: SQLite plans `CROSS JOIN` in the order written
/// (without statistics it would otherwise walk millions of merchants to find a few cards).
const OUTER_FIRST_JOIN: &str = "CROSS JOIN";
const COUNT_TRIGGERS_PRESENT: &str =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'merchant_counts_insert'";
const DROP_COUNT_TRIGGERS: &str = "DROP TRIGGER IF EXISTS merchant_counts_insert; DROP TRIGGER IF EXISTS merchant_counts_delete; DROP TRIGGER IF EXISTS merchant_counts_update;";

type Backend = Sqlite;

pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    file: PathBuf,
    auth_cache: crate::auth_cache::AuthCache,
}

impl SqliteStore {
    const MIGRATIONS: &'static [Migration] = SQLITE;
    /// `BEGIN IMMEDIATE` already serializes writers.
    const MIGRATION_LOCK_SQL: &'static str = "SELECT 1";
    /// Large statements bind `?` (positional); see `upsert_sql`.
    const NUMBERED_PLACEHOLDERS: bool = false;
    /// (table, column, upper-case type, not null) of every table, for the schema-parity test.
    const SCHEMA_COLUMNS_SQL: &'static str =
        "SELECT m.name, p.name, upper(p.type), p.\"notnull\" OR p.pk
             FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
             ORDER BY m.name, p.name";

    /// Opens `DIR/gachi.sqlite3`, creating the directory and the database when missing, and
    /// brings the schema up to date.
    pub async fn open_dir(dir: &Path) -> Result<Self, OpenError> {
        std::fs::create_dir_all(dir).map_err(|e| OpenError::DataDir(dir.to_owned(), e))?;
        let file = dir.join(SQLITE_FILE);
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|e| OpenError::Connect(e.to_string()))?
            .filename(&file)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL in WAL mode: a committed transaction survives a killed process; only a
            // power cut may lose the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("cache_size", "-32000");
        let connect = |e: sqlx::Error| OpenError::Connect(format!("{}: {e}", file.display()));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await
            .map_err(connect)?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(connect)?;
        let store = Self {
            read,
            write,
            file,
            auth_cache: Default::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// During a bulk load the writer checkpoints the WAL every 256 MB instead of every 4 MB
    /// (each checkpoint waits for an fsync); afterwards one checkpoint and the default again.
    /// Commits stay durable throughout: this changes when WAL pages reach the main file, not
    /// whether a committed transaction survives a crash.
    async fn bulk_load_mode(
        writer: &SqlitePool,
        on: bool,
    ) -> Result<(), gachi_domain::ports::StoreError> {
        let sql = if on {
            "PRAGMA wal_autocheckpoint = 65536;"
        } else {
            "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint = 1000;"
        };
        sqlx::raw_sql(sql)
            .execute(writer)
            .await
            .map_err(crate::backend_error)?;
        Ok(())
    }

    fn reader(&self) -> &SqlitePool {
        &self.read
    }

    fn writer(&self) -> &SqlitePool {
        &self.write
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.write.begin_with("BEGIN IMMEDIATE").await
    }

    /// A consistent copy of the live database at `target` (`VACUUM INTO`), safe while serving.
    pub async fn backup_to(&self, target: &Path) -> Result<(), gachi_domain::ports::StoreError> {
        let target = target.to_str().ok_or_else(|| {
            gachi_domain::ports::StoreError::Backend("backup path is not UTF-8".into())
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.read)
            .await
            .map_err(crate::backend_error)?;
        Ok(())
    }
}

crate::accounts::store_impl!(SqliteStore);
crate::merchants::merchant_store_impl!(SqliteStore);
crate::rounds::round_store_impl!(SqliteStore);
crate::products::product_store_impl!(SqliteStore);
crate::onboarding::onboarding_store_impl!(SqliteStore);
crate::market_accounts::market_account_store_impl!(SqliteStore);
crate::categories::category_store_impl!(SqliteStore);
crate::results::results_store_impl!(SqliteStore);
crate::certificates::certificate_store_impl!(SqliteStore);
crate::delegations::delegation_store_impl!(SqliteStore);
crate::profiles::profile_store_impl!(SqliteStore);
crate::proposals::proposal_store_impl!(SqliteStore);
crate::courses::course_store_impl!(SqliteStore);
crate::exams::exam_store_impl!(SqliteStore);
crate::discovery::discovery_store_impl!(SqliteStore);
crate::expeditions::expedition_store_impl!(SqliteStore);
crate::live::live_store_impl!(SqliteStore);
crate::community::community_store_impl!(SqliteStore);
crate::mail::mail_store_impl!(SqliteStore);

#[async_trait]
impl gachi_domain::ports::Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map_err(backend_error)?;
        Ok(())
    }
}
