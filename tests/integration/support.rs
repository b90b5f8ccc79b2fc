//! Shared test fixtures: temporary data directories and PostgreSQL schemas.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use gachi_domain::ports::Store;
use gachi_store::{PgStore, SqliteStore};

/// A directory under target/ removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "{label}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The PostgreSQL URL for tests. Without one the PostgreSQL tests are skipped, except under
/// `CI=true`, where a missing database is a failure.
pub fn postgres_url() -> Option<String> {
    match std::env::var("GACHI_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "CI=true but GACHI_TEST_POSTGRES_URL is not set: the PostgreSQL suite must run in CI"
            )
        }
        _ => {
            eprintln!("GACHI_TEST_POSTGRES_URL not set: skipping the PostgreSQL half of this test");
            None
        }
    }
}

/// A fresh schema in the test database, so tests run side by side.
pub fn fresh_schema(label: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "t_{label}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

pub async fn sqlite_store(dir: &TempDir) -> Arc<SqliteStore> {
    Arc::new(
        SqliteStore::open_dir(dir.path())
            .await
            .expect("open sqlite"),
    )
}

pub async fn postgres_store(label: &str) -> Option<Arc<PgStore>> {
    let url = postgres_url()?;
    Some(Arc::new(
        PgStore::connect_in_schema(&url, &fresh_schema(label))
            .await
            .expect("connect postgres"),
    ))
}

/// Both backends that are available, as trait objects.
pub async fn every_store(label: &str, dir: &TempDir) -> Vec<Arc<dyn Store>> {
    let mut stores: Vec<Arc<dyn Store>> = vec![sqlite_store(dir).await];
    if let Some(pg) = postgres_store(label).await {
        stores.push(pg);
    }
    stores
}
