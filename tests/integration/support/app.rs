//! The application in-process on a store, with accounts, signed-in browsers and API clients
//! per role.

use std::sync::Arc;

use axum::http::StatusCode;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::ports::Store;

use super::{Api, Browser, TempDir, postgres_store, sqlite_store};

/// The password of every test account.
pub const PASSWORD: &str = "전주한옥마을2026";
/// The program operator most tests act as.
pub const OPERATOR: &str = "ops@program.kr";
/// The owner of 한옥식당, the shop most tests build.
pub const OWNER: &str = "owner@hanok.kr";
/// The local-government officer of 전주시.
pub const OFFICER: &str = "gov@jeonju.go.kr";
/// 전북특별자치도 전주시, the officer's region.
pub const JEONJU: &str = "52110";

/// The application on a store, and helpers to make accounts.
pub struct TestApp {
    pub state: gachi_web::AppState,
    /// The store under the app, for checking what was (or was not) saved.
    store: Arc<dyn Store>,
    /// The SQLite database's directory, removed with the app.
    _dir: Option<TempDir>,
}

impl TestApp {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            state: gachi_web::AppState::new(
                store.clone(),
                gachi_web::WebConfig {
                    secret_box: Some(gachi_domain::kernel::secret::SecretBox::new(&[7; 32])),
                    issuer: Some(gachi_domain::designers::credential::Issuer::from_seed(
                        [8; 32],
                        "가치 운영기관",
                    )),
                    ..gachi_web::WebConfig::default()
                },
            ),
            store,
            _dir: None,
        }
    }

    /// On a fresh SQLite database in its own directory.
    pub async fn sqlite(label: &str) -> Self {
        let dir = TempDir::new(label);
        let store = sqlite_store(&dir).await;
        Self {
            _dir: Some(dir),
            ..Self::new(store)
        }
    }

    /// One app on each backend that is available (SQLite always, PostgreSQL when configured).
    pub async fn on_every_store(label: &str) -> Vec<Self> {
        let mut apps = vec![Self::sqlite(label).await];
        if let Some(pg) = postgres_store(label).await {
            apps.push(Self::new(pg));
        }
        apps
    }

    /// With marketplace calls going to `market_urls` (channel → contract server).
    pub fn with_markets(self, market_urls: &[(&str, &str)]) -> Self {
        self.with_config(|config| {
            config.market_urls = market_urls
                .iter()
                .map(|(c, u)| (c.to_string(), u.to_string()))
                .collect();
        })
    }

    /// With the web settings changed by `change` (the same store).
    pub fn with_config(self, change: impl FnOnce(&mut gachi_web::WebConfig)) -> Self {
        let mut config = self.state.config().clone();
        change(&mut config);
        Self {
            state: gachi_web::AppState::new(self.store.clone(), config),
            ..self
        }
    }

    /// On `clock` (set last: a later `with_config` makes a state on the wall clock).
    pub fn with_clock(self, clock: Arc<TestClock>) -> Self {
        Self {
            state: self.state.with_clock(clock),
            ..self
        }
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
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
            .create_user(None, &input, &Actor::system())
            .await
            .unwrap()
    }

    /// A new account of `role` (an officer is 전주시's) and an API token for it.
    pub async fn token(&self, email: &str, role: &str) -> String {
        self.user(email, role, if role == "localgov" { JEONJU } else { "" })
            .await;
        self.token_of(email).await
    }

    /// A new API token for an account that exists (e.g. made by `signed_in`).
    pub async fn token_of(&self, email: &str) -> String {
        self.state
            .accounts()
            .create_api_token(email, "test", None, &Actor::system())
            .await
            .unwrap()
            .token
    }

    /// An API client for a new account of `role` (an officer is 전주시's).
    pub async fn api_as(&self, email: &str, role: &str) -> Api {
        let token = self.token(email, role).await;
        self.api_with(Some(&token))
    }

    /// An API client for an account that exists.
    pub async fn api_of(&self, email: &str) -> Api {
        let token = self.token_of(email).await;
        self.api_with(Some(&token))
    }

    /// An API client sending `token` as it is (or nothing).
    pub fn api_with(&self, token: Option<&str>) -> Api {
        Api::new(gachi_web::app(self.state.clone()), token.map(str::to_owned))
    }

    /// A browser signed in as a new account of `role`.
    pub async fn signed_in(&self, email: &str, role: &str, region: &str) -> Browser {
        self.user(email, role, region).await;
        self.sign_in(email).await
    }

    /// A new browser (another device) signed in to an account that exists.
    pub async fn sign_in(&self, email: &str) -> Browser {
        let mut browser = self.browser();
        let reply = browser
            .submit(
                "/login",
                "/login",
                &[("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "sign in as {email}: {}",
            reply.body
        );
        browser
    }

    /// A browser signed in as the program operator ([`OPERATOR`]).
    pub async fn operator(&self) -> Browser {
        self.signed_in(OPERATOR, "operator", "").await
    }

    /// A browser signed in as a new merchant.
    pub async fn merchant(&self, email: &str) -> Browser {
        self.signed_in(email, "merchant", "").await
    }

    /// A browser signed in as 전주시's officer ([`OFFICER`]).
    pub async fn officer(&self) -> Browser {
        self.signed_in(OFFICER, "localgov", JEONJU).await
    }
}

/// A clock the test moves: it starts at the wall clock's now and jumps when told.
pub struct TestClock(std::sync::atomic::AtomicI64);

impl TestClock {
    pub fn starting_now() -> Arc<Self> {
        Arc::new(Self(std::sync::atomic::AtomicI64::new(
            gachi_domain::kernel::time::Timestamp::now().unix_ms(),
        )))
    }

    pub fn advance_days(&self, days: i64) {
        self.advance_minutes(days * 24 * 60);
    }

    pub fn advance_minutes(&self, minutes: i64) {
        self.0
            .fetch_add(minutes * 60_000, std::sync::atomic::Ordering::SeqCst);
    }
}

impl gachi_domain::ports::Clock for TestClock {
    fn now(&self) -> gachi_domain::kernel::time::Timestamp {
        gachi_domain::kernel::time::Timestamp::from_unix_ms(
            self.0.load(std::sync::atomic::Ordering::SeqCst),
        )
    }
}
