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

/// An in-process client that keeps cookies like a browser and reads CSRF tokens from pages.
pub struct Browser {
    pub app: axum::Router,
    cookies: std::collections::BTreeMap<String, String>,
    pub csrf: Option<String>,
}

pub struct Reply {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Browser {
    pub fn new(app: axum::Router) -> Self {
        Self {
            app,
            cookies: Default::default(),
            csrf: None,
        }
    }

    pub fn cookie(&self, name: &str) -> Option<&String> {
        self.cookies.get(name)
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.into(), value.into());
    }

    pub async fn send(&mut self, request: axum::http::Request<axum::body::Body>) -> Reply {
        use tower::ServiceExt as _;
        let mut request = request;
        if !self.cookies.is_empty() {
            let header = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request
                .headers_mut()
                .insert("cookie", header.parse().unwrap());
        }
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all("set-cookie") {
            let value = value.to_str().unwrap();
            let pair = value.split(';').next().unwrap();
            let (name, cookie_value) = pair.split_once('=').unwrap();
            if value.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies
                    .insert(name.to_owned(), cookie_value.to_owned());
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(token) = body
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        {
            self.csrf = Some(token.to_owned());
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(
            axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Posts a form with this browser's CSRF token (fetch a page first).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.csrf.clone().expect("load a page with a form first");
        let mut pairs: Vec<(&str, &str)> = fields.to_vec();
        pairs.push(("_csrf", &token));
        self.post_raw(path, &encode_form(&pairs)).await
    }

    pub async fn post_raw(&mut self, path: &str, body: &str) -> Reply {
        let request = axum::http::Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body.to_owned()))
            .unwrap();
        self.send(request).await
    }
}

pub fn encode_form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                k,
                gachi_web::pages::encode_query(v).replace('/', "%2F")
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An API request with a bearer token and an optional JSON body.
pub fn api_request(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> axum::http::Request<axum::body::Body> {
    let mut builder = axum::http::Request::builder().method(method).uri(path);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    match body {
        Some(json) => builder
            .header("content-type", "application/json")
            .body(axum::body::Body::from(json.to_string()))
            .unwrap(),
        None => builder.body(axum::body::Body::empty()).unwrap(),
    }
}

/// The application on a store, and helpers to make accounts.
pub struct TestApp {
    pub state: gachi_web::AppState,
}

impl TestApp {
    /// With marketplace calls going to `market_urls` (channel → contract server).
    pub fn with_markets(store: Arc<dyn Store>, market_urls: &[(&str, &str)]) -> Self {
        let app = Self::new(store);
        let mut config = app.state.config().clone();
        config.market_urls = market_urls
            .iter()
            .map(|(c, u)| (c.to_string(), u.to_string()))
            .collect();
        Self {
            state: gachi_web::AppState::new(app.state.store_arc(), config),
        }
    }

    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            state: gachi_web::AppState::new(
                store,
                gachi_web::WebConfig {
                    secret_box: Some(gachi_domain::kernel::secret::SecretBox::new(&[7; 32])),
                    ..gachi_web::WebConfig::default()
                },
            ),
        }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(gachi_web::app(self.state.clone()))
    }

    pub async fn user(
        &self,
        email: &str,
        role: &str,
        region: &str,
    ) -> gachi_domain::accounts::User {
        let input = gachi_domain::accounts::AccountInput {
            email: email.into(),
            password: PASSWORD.into(),
            display_name: String::new(),
            role: role.into(),
            region_code: region.into(),
        };
        self.state
            .accounts()
            .create_user(None, &input, &gachi_domain::kernel::audit::Actor::system())
            .await
            .unwrap()
    }

    pub async fn token(&self, email: &str, role: &str) -> String {
        self.user(email, role, if role == "localgov" { "52110" } else { "" })
            .await;
        self.token_of(email).await
    }

    /// A new API token for an account that exists (e.g. made by `signed_in`).
    pub async fn token_of(&self, email: &str) -> String {
        self.state
            .accounts()
            .create_api_token(email, "test", &gachi_domain::kernel::audit::Actor::system())
            .await
            .unwrap()
    }

    /// A browser signed in as a new account of `role`.
    pub async fn signed_in(&self, email: &str, role: &str, region: &str) -> Browser {
        self.user(email, role, region).await;
        let mut browser = self.browser();
        browser.get("/login").await;
        let reply = browser
            .post_form("/login", &[("email", email), ("password", PASSWORD)])
            .await;
        assert_eq!(
            reply.status,
            axum::http::StatusCode::SEE_OTHER,
            "sign in as {email}: {}",
            reply.body
        );
        browser
    }
}

pub const PASSWORD: &str = "전주한옥마을2026";
