//! The PostgreSQL backend, for deployments past one machine. Connects by URL; migrations take a
//! transaction-scoped advisory lock so several web nodes starting together migrate once.

use std::str::FromStr as _;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};

use crate::migrate::{Migration, POSTGRES};
use crate::{OpenError, redact};

/// The triggers keeping `merchant_counts` (migration 0012), for a fresh bulk import to drop and
/// recreate.
const COUNT_TRIGGERS: &str = include_str!("../sql/postgres_count_triggers.sql");
/// A join that keeps the small table outside: SQLite plans `CROSS JOIN` in the order written
/// (without statistics it would otherwise walk millions of merchants to find a few cards).
const OUTER_FIRST_JOIN: &str = "JOIN";
const COUNT_TRIGGERS_PRESENT: &str = "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = 'merchants'::regclass AND tgname = 'merchant_counts_change'";
const DROP_COUNT_TRIGGERS: &str = "DROP TRIGGER IF EXISTS merchant_counts_change ON merchants;";

type Backend = Postgres;

pub struct PgStore {
    pool: PgPool,
    auth_cache: crate::auth_cache::AuthCache,
}

impl PgStore {
    const MIGRATIONS: &'static [Migration] = POSTGRES;
    /// An arbitrary constant naming Gachi's migration lock.
    const MIGRATION_LOCK_SQL: &'static str = "SELECT pg_advisory_xact_lock(4712420261)";
    const NUMBERED_PLACEHOLDERS: bool = true;
    /// (table, column, upper-case type, not null) of every table, for the schema-parity test.
    const SCHEMA_COLUMNS_SQL: &'static str =
        "SELECT table_name::text, column_name::text, upper(data_type::text), is_nullable = 'NO'
             FROM information_schema.columns WHERE table_schema = current_schema()
             ORDER BY table_name, column_name";

    /// Connects by URL and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self, OpenError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| OpenError::Connect(format!("{}: {e}", redact(url))))?;
        Self::connect_with(options, url).await
    }

    /// Connects with every table in `schema` (created when missing): the test suites use one
    /// fresh schema per test so they can run side by side in one database.
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Self, OpenError> {
        if !schema
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(OpenError::Connect(format!("invalid schema name {schema}")));
        }
        let base = PgConnectOptions::from_str(url)
            .map_err(|e| OpenError::Connect(format!("{}: {e}", redact(url))))?;
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(base.clone())
            .await
            .map_err(|e| OpenError::Connect(format!("{}: {e}", redact(url))))?;
        sqlx::raw_sql(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
            .execute(&admin)
            .await
            .map_err(|e| OpenError::Connect(e.to_string()))?;
        admin.close().await;
        Self::connect_with(base.options([("search_path", schema)]), url).await
    }

    async fn connect_with(options: PgConnectOptions, url: &str) -> Result<Self, OpenError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| OpenError::Connect(format!("{}: {e}", redact(url))))?;
        let store = Self {
            pool,
            auth_cache: Default::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// PostgreSQL needs no connection tuning for a bulk load: checkpoints and the memory for
    /// index builds (`maintenance_work_mem`) are the server owner's settings.
    async fn bulk_load_mode(
        _writer: &PgPool,
        _on: bool,
    ) -> Result<(), gachi_domain::ports::StoreError> {
        Ok(())
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    fn writer(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.pool.begin().await
    }
}

crate::accounts::store_impl!(PgStore);
crate::merchants::merchant_store_impl!(PgStore);
crate::rounds::round_store_impl!(PgStore);
crate::products::product_store_impl!(PgStore);
crate::onboarding::onboarding_store_impl!(PgStore);
crate::market_accounts::market_account_store_impl!(PgStore);
crate::categories::category_store_impl!(PgStore);
crate::results::results_store_impl!(PgStore);
crate::certificates::certificate_store_impl!(PgStore);
crate::delegations::delegation_store_impl!(PgStore);
crate::profiles::profile_store_impl!(PgStore);
crate::proposals::proposal_store_impl!(PgStore);
crate::courses::course_store_impl!(PgStore);
crate::exams::exam_store_impl!(PgStore);
crate::discovery::discovery_store_impl!(PgStore);
crate::expeditions::expedition_store_impl!(PgStore);
crate::live::live_store_impl!(PgStore);
crate::community::community_store_impl!(PgStore);
crate::mail::mail_store_impl!(PgStore);

#[async_trait]
impl gachi_domain::ports::Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(backend_error)?;
        Ok(())
    }
}
