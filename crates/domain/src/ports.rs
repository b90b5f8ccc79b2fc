//! Ports: what the use cases need from the outside, as traits. `gachi-store` implements the
//! storage ports for SQLite and PostgreSQL; the web layer implements `PasswordHasher` on a
//! blocking thread pool.

use async_trait::async_trait;

use crate::accounts::{
    ApiTokenInfo, Locale, NewApiToken, NewSession, NewUser, Role, Session, SessionId, User, UserId,
    UserLogin,
};
use crate::audit::{AuditEntry, AuditRecord};
use crate::diagnosis::{Assessment, DiagnosisRecord, Track, TrackChange};
use crate::merchant::{
    ImportCounts, Merchant, MerchantFields, MerchantFilter, MerchantId, MerchantSource,
    MerchantStatus,
};
use crate::product::{CheckedProduct, Product, ProductFile, ProductId, ShippingFile};
use crate::register::StoreRecord;
use crate::rounds::{Applicant, Application, Decision, Quotas, Round, RoundId};
use crate::time::Timestamp;

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

/// Accounts, sessions, API tokens, login throttling and the audit trail.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Inserts a user; `StoreError::Conflict("email")` when the email is taken.
    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<User, StoreError>;
    async fn user(&self, id: UserId) -> Result<Option<User>, StoreError>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError>;
    /// The user with their password hash, for signing in.
    async fn user_login(&self, email: &str) -> Result<Option<UserLogin>, StoreError>;
    async fn password_hash(&self, id: UserId) -> Result<Option<String>, StoreError>;
    async fn set_password(
        &self,
        id: UserId,
        phc: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn set_locale(
        &self,
        id: UserId,
        locale: Locale,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Users, newest first, optionally of one role.
    async fn list_users(&self, role: Option<Role>, limit: u32) -> Result<Vec<User>, StoreError>;
    /// How many users each role has (roles with none are left out).
    async fn count_users_by_role(&self) -> Result<Vec<(Role, i64)>, StoreError>;

    async fn create_session(
        &self,
        session: &NewSession,
        audit: &AuditEntry,
    ) -> Result<SessionId, StoreError>;
    /// The session with this token digest and its user, if it exists (expired or not).
    async fn session(&self, token_digest: &str) -> Result<Option<(Session, User)>, StoreError>;
    async fn extend_session(
        &self,
        id: SessionId,
        last_seen: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;
    async fn delete_session(
        &self,
        token_digest: &str,
        audit: Option<&AuditEntry>,
    ) -> Result<(), StoreError>;
    /// Ends every session of a user but the one kept (after a password change).
    async fn delete_other_sessions(&self, user: UserId, keep: SessionId) -> Result<(), StoreError>;
    /// Removes sessions whose expiry has passed; returns how many.
    async fn purge_expired_sessions(&self, now: Timestamp) -> Result<u64, StoreError>;

    async fn create_api_token(
        &self,
        token: &NewApiToken,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn api_token_user(&self, token_digest: &str) -> Result<Option<User>, StoreError>;
    async fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenInfo>, StoreError>;

    async fn record_login_failure(
        &self,
        email: &str,
        ip: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Failures since `since` for this email and for this IP address.
    async fn login_failures_since(
        &self,
        email: &str,
        ip: &str,
        since: Timestamp,
    ) -> Result<(u32, u32), StoreError>;
    /// The oldest failure for this email since `since` (when the lock will lift).
    async fn oldest_login_failure_since(
        &self,
        email: &str,
        since: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError>;
    async fn clear_login_failures(&self, email: &str) -> Result<(), StoreError>;

    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;
    async fn recent_audit(&self, limit: u32) -> Result<Vec<AuditRecord>, StoreError>;
}

/// The merchant registry.
#[async_trait]
pub trait MerchantStore: Send + Sync {
    /// Stores a new merchant; `StoreError::Conflict("business_number")` when that number is
    /// already registered.
    async fn create_merchant(
        &self,
        fields: &MerchantFields,
        status: MerchantStatus,
        source: MerchantSource,
        owner: Option<UserId>,
        audit: &AuditEntry,
    ) -> Result<Merchant, StoreError>;
    async fn merchant(&self, id: MerchantId) -> Result<Option<Merchant>, StoreError>;
    async fn merchant_by_business_number(
        &self,
        digits: &str,
    ) -> Result<Option<Merchant>, StoreError>;
    /// The merchant record a merchant account owns.
    async fn merchant_of_owner(&self, owner: UserId) -> Result<Option<Merchant>, StoreError>;
    async fn update_merchant(
        &self,
        id: MerchantId,
        fields: &MerchantFields,
        audit: &AuditEntry,
    ) -> Result<Merchant, StoreError>;
    /// Newest first; `before` continues a list after the last id of the previous page.
    async fn list_merchants(
        &self,
        filter: &MerchantFilter,
        before: Option<MerchantId>,
        limit: u32,
    ) -> Result<Vec<Merchant>, StoreError>;
    /// Inserts or updates prospects keyed by 상가업소번호, in one transaction; rows equal to what is
    /// stored are left alone. `batch` marks the rows this import run inserted.
    async fn upsert_store_records(
        &self,
        records: &[StoreRecord],
        batch: i64,
        audit: &AuditEntry,
    ) -> Result<ImportCounts, StoreError>;
    /// Before a bulk import: when the registry is empty, drops the secondary indexes so the load
    /// does not maintain them row by row. Returns whether it did.
    async fn begin_bulk_load(&self) -> Result<bool, StoreError>;
    /// After a bulk import, even a failed one: builds the missing indexes, settles the files.
    async fn finish_bulk_load(&self) -> Result<(), StoreError>;
    /// On start-up: builds any missing secondary index.
    async fn ensure_merchant_indexes(&self) -> Result<(), StoreError>;

    /// Stores a diagnosis and makes its track the merchant's, in one transaction.
    async fn record_diagnosis(
        &self,
        merchant: MerchantId,
        assessment: &Assessment,
        by: Option<UserId>,
        audit: &AuditEntry,
    ) -> Result<DiagnosisRecord, StoreError>;
    async fn latest_diagnosis(
        &self,
        merchant: MerchantId,
    ) -> Result<Option<DiagnosisRecord>, StoreError>;
    /// Sets the track by hand, with the operator's reason.
    async fn override_track(
        &self,
        merchant: MerchantId,
        track: Track,
        reason: &str,
        by: UserId,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Every track change of a merchant, oldest first.
    async fn track_history(&self, merchant: MerchantId) -> Result<Vec<TrackChange>, StoreError>;
}

/// Program rounds: quotas, applications, decisions.
#[async_trait]
pub trait RoundStore: Send + Sync {
    async fn create_round(
        &self,
        name: &str,
        quotas: &Quotas,
        by: UserId,
        audit: &AuditEntry,
    ) -> Result<Round, StoreError>;
    async fn round(&self, id: RoundId) -> Result<Option<Round>, StoreError>;
    /// Newest first.
    async fn rounds(&self) -> Result<Vec<Round>, StoreError>;
    /// `StoreError::Conflict("application")` when the merchant applied already.
    async fn apply(
        &self,
        round: RoundId,
        applicant: &Applicant,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn applications(&self, round: RoundId) -> Result<Vec<Application>, StoreError>;
    async fn applications_of(&self, merchant: MerchantId) -> Result<Vec<Application>, StoreError>;
    /// Stores every decision, marks the selected merchants `selected` (when they were
    /// `registered`) and the round decided, in one transaction.
    async fn record_decisions(
        &self,
        round: RoundId,
        decisions: &[Decision],
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
}

/// The product master.
#[async_trait]
pub trait ProductStore: Send + Sync {
    /// `StoreError::Conflict("sku")` when the merchant has a product with that code.
    async fn create_product(
        &self,
        merchant: MerchantId,
        file: &ProductFile,
        checked: &CheckedProduct,
        audit: &AuditEntry,
    ) -> Result<Product, StoreError>;
    async fn product(&self, id: ProductId) -> Result<Option<Product>, StoreError>;
    /// A merchant's products, newest first.
    async fn products_of(
        &self,
        merchant: MerchantId,
        limit: u32,
    ) -> Result<Vec<Product>, StoreError>;
    async fn update_product(
        &self,
        id: ProductId,
        file: &ProductFile,
        checked: &CheckedProduct,
        audit: &AuditEntry,
    ) -> Result<Product, StoreError>;
    async fn delete_product(&self, id: ProductId, audit: &AuditEntry) -> Result<(), StoreError>;
    /// Saves (or replaces, by name) a merchant's reusable shipping and return terms.
    async fn save_shipping_template(
        &self,
        merchant: MerchantId,
        name: &str,
        terms: &ShippingFile,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// A merchant's shipping templates by name.
    async fn shipping_templates(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<(String, ShippingFile)>, StoreError>;
}

/// The onboarding board: one card per merchant × marketplace, and its moves.
#[async_trait]
pub trait OnboardingStore: Send + Sync {
    /// Cards under `filter` (all but `min_age_days`, which the use case applies), oldest in
    /// their stage first.
    async fn onboarding_cards(
        &self,
        filter: &crate::onboarding::BoardFilter,
        limit: u32,
    ) -> Result<Vec<crate::onboarding::Card>, StoreError>;
    /// Moves (or puts on the board) a card and records the move, in one transaction.
    async fn move_onboarding(
        &self,
        merchant: MerchantId,
        channel: &str,
        to: crate::onboarding::Stage,
        by: UserId,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Every move of a merchant's cards, oldest first.
    async fn onboarding_moves(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<crate::onboarding::MoveRecord>, StoreError>;
    /// Starts a bulk job; `Conflict("channel")` while another runs for the same marketplace.
    async fn start_bulk_job(
        &self,
        job: &crate::bulk_job::NewBulkJob,
        audit: &AuditEntry,
    ) -> Result<crate::bulk_job::BulkJob, StoreError>;
    /// Records how far a running job is.
    async fn bulk_job_progress(
        &self,
        id: i64,
        done: i64,
        passed: i64,
        failed: i64,
    ) -> Result<(), StoreError>;
    async fn finish_bulk_job(
        &self,
        id: i64,
        state: crate::bulk_job::JobState,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    async fn bulk_job(&self, id: i64) -> Result<Option<crate::bulk_job::BulkJob>, StoreError>;
    /// The newest jobs first, of one marketplace or all.
    async fn bulk_jobs(
        &self,
        channel: Option<&str>,
        limit: u32,
    ) -> Result<Vec<crate::bulk_job::BulkJob>, StoreError>;
    /// Marks the jobs a stopped server left running as interrupted; how many there were.
    async fn interrupt_bulk_jobs(&self, at: Timestamp) -> Result<u64, StoreError>;
}

/// Marketplace accounts (settings and sealed keys) and listing submissions.
#[async_trait]
pub trait MarketAccountStore: Send + Sync {
    /// Saves a marketplace's settings; `sealed_credentials` replaces the keys when given.
    async fn save_channel_account(
        &self,
        merchant: MerchantId,
        channel: &str,
        settings_json: &str,
        sealed_credentials: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn channel_accounts(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<crate::market_account::ChannelAccount>, StoreError>;
    async fn record_submission(
        &self,
        product: ProductId,
        record: &crate::market_account::SubmissionRecord,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// A product's submissions, newest first.
    async fn submissions(
        &self,
        product: ProductId,
    ) -> Result<Vec<crate::market_account::SubmissionRecord>, StoreError>;
    /// The marketplace's product number of the shop's latest product it took on `channel`.
    async fn latest_listing(
        &self,
        merchant: MerchantId,
        channel: &str,
    ) -> Result<Option<String>, StoreError>;
    /// Of the photo addresses `sources`, those `channel`'s image host already holds for the
    /// shop under `account`: `(address, hosted address)`. Saving new keys for `channel`
    /// forgets them.
    async fn hosted_photos(
        &self,
        merchant: MerchantId,
        channel: &str,
        account: &str,
        sources: &[String],
    ) -> Result<Vec<(String, String)>, StoreError>;
    /// Remembers photos `channel`'s image host took for the shop under `account`:
    /// `(address, hosted address)`.
    async fn remember_hosted_photos(
        &self,
        merchant: MerchantId,
        channel: &str,
        account: &str,
        hosted: &[(String, String)],
        at: crate::time::Timestamp,
    ) -> Result<(), StoreError>;
}

/// Marketplace category trees, per-category metadata and unpublished code tables.
#[async_trait]
pub trait CategoryStore: Send + Sync {
    /// Replaces a marketplace's categories (keeping the metadata of codes still present).
    async fn replace_categories(
        &self,
        channel: &str,
        rows: &[(String, String)],
        audit: &AuditEntry,
    ) -> Result<u64, StoreError>;
    /// Categories whose path holds `text`, shortest path first.
    async fn search_categories(
        &self,
        channel: &str,
        text: &str,
        limit: u32,
    ) -> Result<Vec<crate::category::Category>, StoreError>;
    async fn category(
        &self,
        channel: &str,
        code: &str,
    ) -> Result<Option<crate::category::Category>, StoreError>;
    /// `StoreError::NotFound` when the category is not loaded.
    async fn set_category_meta(
        &self,
        channel: &str,
        code: &str,
        meta_json: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn category_meta(&self, channel: &str, code: &str) -> Result<Option<String>, StoreError>;
    async fn save_channel_table(
        &self,
        channel: &str,
        name: &str,
        body: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn channel_table(&self, channel: &str, name: &str) -> Result<Option<String>, StoreError>;
}

/// Sales reports, the hall of fame and the program's settings.
#[async_trait]
pub trait ResultsStore: Send + Sync {
    /// Saves (or corrects, keeping the old values) a report, then recomputes the merchant's
    /// hall-of-fame entry against `threshold_krw`, in one transaction.
    async fn save_sales_report(
        &self,
        report: &crate::results::SalesReport,
        by: Option<UserId>,
        threshold_krw: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// A merchant's reports, newest month first.
    async fn sales_of(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<crate::results::SalesReport>, StoreError>;
    /// Members, newest entry first, in a region and/or an industry.
    async fn hall_of_fame(
        &self,
        region: Option<&crate::region::RegionCode>,
        industry_code: Option<&str>,
    ) -> Result<Vec<crate::results::Member>, StoreError>;
    async fn set_success_story(
        &self,
        merchant: MerchantId,
        story: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// The dashboard's counts for `year`, nationally or in a region.
    async fn result_counts(
        &self,
        year: i32,
        region: Option<&crate::region::RegionCode>,
    ) -> Result<crate::results::Counts, StoreError>;
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    async fn set_setting(
        &self,
        key: &str,
        value: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Saves `threshold_krw` as the hall-of-fame threshold setting
    /// (`results::THRESHOLD_SETTING`) and recomputes every merchant's entry against it, in one
    /// transaction; returns the number of members.
    async fn recompute_hall_of_fame(
        &self,
        threshold_krw: i64,
        audit: &AuditEntry,
    ) -> Result<u64, StoreError>;
    /// Per 시군구 of a 시도: (region code, registered, selling).
    async fn sigungu_counts(
        &self,
        sido: &crate::region::RegionCode,
    ) -> Result<Vec<(String, i64, i64)>, StoreError>;
    /// A merchant's report corrections, newest first: (channel, month, old sales, new sales,
    /// who, when).
    async fn sales_changes(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<crate::results::SalesChange>, StoreError>;
    /// Per 시도 (two-digit code): registered and selling merchants and hall-of-fame members.
    async fn sido_counts(&self) -> Result<Vec<(String, crate::results::Counts)>, StoreError>;
    /// Online sales per month of `year` (all channels), nationally or in a region.
    async fn monthly_sales(
        &self,
        year: i32,
        region: Option<&crate::region::RegionCode>,
    ) -> Result<Vec<(crate::results::Month, i64)>, StoreError>;
    /// Registered and selling merchants grouped by track or by industry major category:
    /// (group, registered, selling).
    async fn breakdown(
        &self,
        by: crate::results::Breakdown,
        region: Option<&crate::region::RegionCode>,
    ) -> Result<Vec<(String, i64, i64)>, StoreError>;
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
