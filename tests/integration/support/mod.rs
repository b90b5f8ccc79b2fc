//! Shared test setup: temporary data directories and database schemas, the in-process app
//! ([`TestApp`]) with signed-in browsers and API clients per role, builders for shops, products
//! and diagnoses, readers for the parts of a page a test looks at, and test photos.

mod app;
mod browser;
mod builders;
mod html;
mod media;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use gachi_store::{PgStore, SqliteStore};

pub use app::{JEONJU, OFFICER, OPERATOR, OWNER, PASSWORD, TestApp, TestClock};
pub use browser::{Api, Browser, Reply, api_request};
pub use builders::{
    Answers, MANAGED_ANSWERS, NUMBERS, ProductBuilder, ShopBuilder, bibimbap_file, channels_dir,
    general_food_notice, naver_schema_faults,
};
pub use html::{between, column, first_id_after, readiness_of, row_with, signed_in_as};
pub use media::{jpeg, multipart};

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
