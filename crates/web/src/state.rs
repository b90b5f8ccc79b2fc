//! The application state every handler receives: the use cases bound to this server's store,
//! clock, blob store and marketplaces. The store itself stays private to this module, so a
//! handler reaches storage only through a use case and its permission checks.

use std::sync::Arc;

use async_trait::async_trait;
use gachi_domain::accounts::Accounts;
use gachi_domain::discovery::search::PoolIndex;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::secret;
use gachi_domain::ports::{Clock, PasswordHasher, Store, StoreError, SystemClock};

use crate::metrics;

/// Settings of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
    /// Seals marketplace keys at rest; without it keys cannot be saved (the page says so).
    pub secret_box: Option<gachi_domain::kernel::secret::SecretBox>,
    /// Marketplace API roots by channel code, replacing the production ones (a contract server,
    /// a staging gateway).
    pub market_urls: std::collections::BTreeMap<String, String>,
    /// Where uploaded photos are kept (DATA_DIR/media); None keeps them under the system's
    /// temporary directory (tests).
    pub media_dir: Option<std::path::PathBuf>,
    /// The address marketplaces reach this server at (`https://gachi.example.kr`), put before
    /// stored photos' paths when they are sent; empty: not known (never taken from a request).
    pub public_url: String,
    /// The issuing body of designer certificates (its signing key); without it none can be
    /// issued (the pages say so) and the status list is not served.
    pub issuer: Option<gachi_domain::designers::credential::Issuer>,
    /// The 민간자격 registration number printed with every certificate, once registered.
    pub qualification_registration: String,
    /// Lets a client read `/metrics` from anywhere with `Authorization: Bearer <token>`;
    /// without it (or the header) only a loopback client may.
    pub metrics_token: Option<crate::metrics::MetricsToken>,
    /// API writes (POST, PUT, PATCH, DELETE) each account may make a second, after a burst
    /// of `write_limit::BURST_SECONDS` seconds' worth; 0: no limit.
    pub api_writes_per_second: u32,
    /// Mail is sent (a relay is configured): password reset links go by mail.
    pub mail_enabled: bool,
}

/// Everything a handler needs, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    store: Arc<dyn Store>,
    hasher: Arc<dyn PasswordHasher>,
    clock: Arc<dyn Clock>,
    metrics: metrics::Metrics,
    config: WebConfig,
    blobs: Arc<dyn gachi_domain::catalog::media::BlobStore>,
    marketplaces: Arc<dyn gachi_domain::listing::marketplaces::Marketplaces>,
    write_limit: Option<crate::write_limit::WriteLimit>,
    pool_index: Arc<dyn PoolIndex>,
    post_index: Arc<dyn gachi_domain::community::search::PostIndex>,
}

impl AppState {
    /// A state whose search indexes (the MD pool, the community's posts) live in memory (the
    /// pool's filled on first search, the posts' as they are written).
    pub fn new(store: Arc<dyn Store>, config: WebConfig) -> Self {
        let pool = gachi_search::PoolSearch::in_memory()
            .expect("an in-memory index needs no disk and always opens");
        let posts = gachi_search::PostSearch::in_memory()
            .expect("an in-memory index needs no disk and always opens");
        Self::with_indexes(store, config, Arc::new(pool), Arc::new(posts))
    }

    /// A state with the search indexes given (the server's, on disk under its data folder).
    pub fn with_indexes(
        store: Arc<dyn Store>,
        config: WebConfig,
        pool_index: Arc<dyn PoolIndex>,
        post_index: Arc<dyn gachi_domain::community::search::PostIndex>,
    ) -> Self {
        Self(Arc::new(Inner {
            pool_index,
            post_index,
            store,
            hasher: Arc::new(BlockingHasher),
            clock: Arc::new(SystemClock),
            metrics: metrics::Metrics::default(),
            blobs: Arc::new(gachi_media::FsBlobStore::new(
                config
                    .media_dir
                    .clone()
                    .unwrap_or_else(|| std::env::temp_dir().join("gachi-media")),
            )),
            marketplaces: Arc::new(gachi_channels::markets::Markets::new(
                &config
                    .market_urls
                    .iter()
                    .filter_map(|(code, url)| Some((Channel::parse(code)?, url.clone())))
                    .collect(),
            )),
            write_limit: crate::write_limit::WriteLimit::new(config.api_writes_per_second),
            config,
        }))
    }

    /// The same state on another clock (tests move time forward); only before it is shared.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        Arc::get_mut(&mut self.0)
            .expect("the clock is set before the state is shared")
            .clock = clock;
        self
    }

    pub fn accounts(&self) -> Accounts<'_> {
        Accounts {
            store: self.0.store.as_ref(),
            hasher: self.0.hasher.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    // The use cases, bound to this server's store and clock.
    pub fn registry(&self) -> gachi_domain::merchants::registry::Registry<'_> {
        gachi_domain::merchants::registry::Registry {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn program(&self) -> gachi_domain::program::rounds::Program<'_> {
        gachi_domain::program::rounds::Program {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn categories(&self) -> gachi_domain::catalog::category::Categories<'_> {
        gachi_domain::catalog::category::Categories {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn market_accounts(&self) -> gachi_domain::listing::market_account::MarketAccounts<'_> {
        gachi_domain::listing::market_account::MarketAccounts {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn catalog(&self) -> gachi_domain::catalog::Catalog<'_> {
        gachi_domain::catalog::Catalog {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
            pool: Some(self.0.pool_index.as_ref()),
        }
    }

    pub fn results(&self) -> gachi_domain::results::Results<'_> {
        gachi_domain::results::Results {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn onboarding(&self) -> gachi_domain::onboarding::Onboarding<'_> {
        gachi_domain::onboarding::Onboarding {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn listing(&self) -> gachi_domain::listing::publishing::Listing<'_> {
        gachi_domain::listing::publishing::Listing {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
            marketplaces: self.0.marketplaces.as_ref(),
            blobs: self.0.blobs.as_ref(),
            sealer: self.0.config.secret_box.as_ref(),
            public_url: &self.0.config.public_url,
        }
    }

    /// Starts a `kind` job for `channel` over the cards `user` (staff) sees in `scope` and
    /// works through it in the background. `Ok(None)` when a job already runs for the
    /// marketplace.
    pub async fn start_bulk_job(
        &self,
        user: &gachi_domain::accounts::User,
        actor: gachi_domain::kernel::audit::Actor,
        kind: gachi_domain::onboarding::bulk_job::JobKind,
        channel: Channel,
        scope: &gachi_domain::onboarding::BulkScope,
    ) -> Result<
        Option<gachi_domain::onboarding::bulk_job::BulkJob>,
        gachi_domain::onboarding::OnboardingError,
    > {
        let Some((job, cards)) = self
            .onboarding()
            .start_bulk_job(user, &actor, kind, channel, scope)
            .await?
        else {
            return Ok(None);
        };
        let state = self.clone();
        let (user, started) = (user.clone(), job.clone());
        tokio::spawn(async move {
            state
                .listing()
                .run_bulk_job(&user, &actor, &started, channel, &cards)
                .await;
        });
        Ok(Some(job))
    }

    /// Which database backs the server and whether it answers (the health check).
    pub async fn database_health(&self) -> (&'static str, Result<(), StoreError>) {
        (self.0.store.backend(), self.0.store.ping().await)
    }

    pub fn discovery(&self) -> gachi_domain::discovery::Discovery<'_> {
        gachi_domain::discovery::Discovery {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
            index: self.0.pool_index.as_ref(),
        }
    }

    pub fn expeditions(&self) -> gachi_domain::discovery::events::Expeditions<'_> {
        gachi_domain::discovery::events::Expeditions {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
            index: self.0.pool_index.as_ref(),
        }
    }

    pub fn community(&self) -> gachi_domain::community::Community<'_> {
        gachi_domain::community::Community {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
            index: self.0.post_index.as_ref(),
        }
    }

    /// Puts mail in the outbox.
    pub fn mailbox(&self) -> gachi_domain::mail::Mailbox<'_> {
        gachi_domain::mail::Mailbox {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    /// The mail outbox, handing what is due to `mailer`.
    pub fn outbox<'a>(
        &'a self,
        mailer: &'a dyn gachi_domain::mail::Mailer,
    ) -> gachi_domain::mail::Outbox<'a> {
        gachi_domain::mail::Outbox {
            store: self.0.store.as_ref(),
            mailer,
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn live(&self) -> gachi_domain::live::Live<'_> {
        gachi_domain::live::Live {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
            listing: self.listing(),
        }
    }

    pub fn delegations(&self) -> gachi_domain::designers::delegation::Delegations<'_> {
        gachi_domain::designers::delegation::Delegations {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn profiles(&self) -> gachi_domain::designers::profile::Profiles<'_> {
        gachi_domain::designers::profile::Profiles {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn courses(&self) -> gachi_domain::designers::courses::Courses<'_> {
        gachi_domain::designers::courses::Courses {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn exams(&self) -> gachi_domain::designers::exams::Exams<'_> {
        gachi_domain::designers::exams::Exams {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
            marketplaces: self.0.marketplaces.as_ref(),
            certificates: self.certificates(),
        }
    }

    pub fn caseloads(&self) -> gachi_domain::designers::caseload::Caseloads<'_> {
        gachi_domain::designers::caseload::Caseloads {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn proposals(&self) -> gachi_domain::designers::proposals::Proposals<'_> {
        gachi_domain::designers::proposals::Proposals {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn matchings(&self) -> gachi_domain::designers::matching_run::Matchings<'_> {
        gachi_domain::designers::matching_run::Matchings {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
        }
    }

    pub fn certificates(&self) -> gachi_domain::designers::Certificates<'_> {
        gachi_domain::designers::Certificates {
            store: self.0.store.as_ref(),
            clock: self.0.clock.as_ref(),
            issuer: self.0.config.issuer.as_ref(),
            base_url: &self.0.config.public_url,
            registration: &self.0.config.qualification_registration,
        }
    }

    pub fn clock(&self) -> &dyn Clock {
        self.0.clock.as_ref()
    }

    pub fn metrics(&self) -> &metrics::Metrics {
        &self.0.metrics
    }

    /// Where uploaded photos are kept.
    pub fn blobs(&self) -> &dyn gachi_domain::catalog::media::BlobStore {
        self.0.blobs.as_ref()
    }

    /// Counts one API write by `account`: Err with the seconds to wait when over the limit.
    pub fn take_api_write(&self, account: gachi_domain::accounts::UserId) -> Result<(), u64> {
        match &self.0.write_limit {
            Some(limit) => limit.take(account, std::time::Instant::now()),
            None => Ok(()),
        }
    }

    pub fn config(&self) -> &WebConfig {
        &self.0.config
    }
}

/// Runs argon2 on tokio's blocking pool so a sign-in never stalls other requests.
pub struct BlockingHasher;

#[async_trait]
impl PasswordHasher for BlockingHasher {
    async fn hash(&self, password: String) -> String {
        tokio::task::spawn_blocking(move || secret::hash_password(&password))
            .await
            .expect("password hashing does not panic")
    }
    async fn verify(&self, password: String, phc: String) -> bool {
        tokio::task::spawn_blocking(move || secret::verify_password(&password, &phc))
            .await
            .unwrap_or(false)
    }
}
