//! Ports: what the use cases need from the outside, as traits. `gachi-store` implements the
//! storage ports for SQLite and PostgreSQL; the web layer implements `PasswordHasher` on a
//! blocking thread pool. Each area keeps its own storage port beside its use cases (for example
//! `merchants::MerchantStore`); `Store` is all of them, the one object a backend provides.

use async_trait::async_trait;

use crate::accounts::AccountStore;
use crate::catalog::{CategoryStore, ProductStore};
use crate::community::CommunityStore;
use crate::designers::{
    CertificateStore, CourseStore, DelegationStore, ExamStore, ProfileStore, ProposalStore,
};
use crate::discovery::DiscoveryStore;
use crate::discovery::events::ExpeditionStore;
use crate::listing::MarketAccountStore;
use crate::live::LiveStore;
use crate::mail::MailStore;
use crate::merchants::MerchantStore;
use crate::onboarding::OnboardingStore;
use crate::program::RoundStore;
use crate::results::ResultsStore;

use crate::kernel::time::Timestamp;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken; names the field (e.g. `email`).
    #[error("conflict on {0}")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    /// The database failed; the message is for logs, never for users.
    #[error("storage failure: {0}")]
    Backend(String),
}

/// Everything Gachi keeps. Later areas add their stores as supertraits.
#[async_trait]
pub trait Store:
    AccountStore
    + MerchantStore
    + RoundStore
    + ProductStore
    + OnboardingStore
    + MarketAccountStore
    + CategoryStore
    + ResultsStore
    + CertificateStore
    + DelegationStore
    + ProfileStore
    + ProposalStore
    + CourseStore
    + ExamStore
    + DiscoveryStore
    + ExpeditionStore
    + LiveStore
    + CommunityStore
    + MailStore
{
    /// Which backend this is (`sqlite` or `postgres`), for health and diagnostics.
    fn backend(&self) -> &'static str;
    /// A cheap round trip, for the health check.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Hashes and verifies passwords off the request threads.
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    async fn hash(&self, password: String) -> String;
    async fn verify(&self, password: String, phc: String) -> bool;
}

/// The current time; tests use a fixed clock.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}
