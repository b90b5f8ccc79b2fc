//! The `Marketplaces` port: what listing needs from the marketplaces themselves — which settings
//! and keys each wants from its seller center, what it would reject in a product, sending a
//! product, and asking how its review went. `gachi-channels` implements it (compile, validate,
//! sign, send); the use cases in `listing::publishing` decide what to do with the answers.
//!
//! The vocabulary of those answers lives here so every layer speaks it: an `Issue` is one thing
//! a marketplace would reject, a `Submission` what became of one send, a `ReviewStatus` where a
//! listed product stands.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::Serialize;

use crate::catalog::product::ProductFile;
use crate::kernel::channel::Channel;
use crate::listing::market_account::ChannelAccount;

/// One thing the marketplace would reject (or, as a warning, silently change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub channel: Channel,
    /// The product-file path to fix (`name`, `variants[2].price_delta`, `seller.coupang.vendor_id`).
    pub field: String,
    /// The message key; `listing-…` keys also have a `…-hint`.
    pub code: &'static str,
    /// The marketplace's own field (`originProduct.salePrice`), empty for common checks.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub target: &'static str,
    /// The number in the rule (a length, a count, a maximum), for the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// A name the message quotes (a notice item, an attribute, a setting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Warnings do not stop a listing.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub warning: bool,
}

impl Issue {
    /// Sets the number the message quotes.
    pub fn limit(&mut self, limit: i64) -> &mut Self {
        self.limit = Some(limit);
        self
    }

    /// Fixed in the seller's setup (account settings, tables only operators load), not in the
    /// product: the merchant is sent to the marketplace settings, not the product form.
    pub fn is_account_issue(&self) -> bool {
        self.field.starts_with("seller.")
            || matches!(
                self.code,
                "listing-notice-codes-missing" | "listing-category-meta-missing"
            )
    }
}

/// No issue stops the listing (warnings allowed).
pub fn is_ready(issues: &[Issue]) -> bool {
    issues.iter().all(|i| i.warning)
}

/// One input of a marketplace account, as the marketplace's seller center names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountField {
    pub name: &'static str,
    /// A key: sealed at rest, never shown again after entry.
    pub secret: bool,
    /// A number in the marketplace's API (Naver address-book ids).
    pub number: bool,
}

/// What a shop has set up for the marketplaces, as the adapters need it: the stored accounts
/// (settings), the keys unsealed in memory for this use only, and the tables operators loaded.
/// `Debug` never prints the keys.
#[derive(Clone, Default)]
pub struct SellerSetup {
    pub accounts: Vec<ChannelAccount>,
    /// The keys per marketplace as the seller entered them (field name → value).
    pub keys: BTreeMap<Channel, BTreeMap<String, String>>,
    /// Notice code tables operators loaded (11st, ESM), as their files were read.
    pub notice_codes: BTreeMap<Channel, String>,
    /// Coupang category metadata by category code, for the categories of the products at hand.
    pub coupang_meta: BTreeMap<String, String>,
}

impl std::fmt::Debug for SellerSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SellerSetup")
            .field("accounts", &self.accounts.len())
            .field("keys_for", &self.keys.keys().collect::<Vec<_>>())
            .field(
                "notice_codes",
                &self.notice_codes.keys().collect::<Vec<_>>(),
            )
            .field(
                "coupang_meta",
                &self.coupang_meta.keys().collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// An error the marketplace reported, as it said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketError {
    pub code: String,
    /// The marketplace's field name, when it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

/// What one send came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The marketplace holds the product (created now, or found after an ambiguous failure).
    Created { product_id: String },
    /// The marketplace refused the product; fix and send again.
    Rejected { errors: Vec<MarketError> },
    /// Nothing conclusive: credentials refused, retries exhausted, or an ambiguous failure where
    /// the marketplace cannot be asked whether the product exists.
    Failed { reason: String },
}

impl Outcome {
    /// What kind of answer this was, without its details.
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Outcome::Created { .. } => OutcomeKind::Created,
            Outcome::Rejected { .. } => OutcomeKind::Rejected,
            Outcome::Failed { .. } => OutcomeKind::Failed,
        }
    }

    /// The stored word for this outcome: `created`, `rejected` or `failed`.
    pub fn as_str(&self) -> &'static str {
        self.kind().as_str()
    }
}

/// The kind of a send's outcome, as submissions are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutcomeKind {
    Created,
    Rejected,
    Failed,
}

impl OutcomeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Created => "created",
            OutcomeKind::Rejected => "rejected",
            OutcomeKind::Failed => "failed",
        }
    }

    pub fn parse(word: &str) -> Option<OutcomeKind> {
        [
            OutcomeKind::Created,
            OutcomeKind::Rejected,
            OutcomeKind::Failed,
        ]
        .into_iter()
        .find(|k| k.as_str() == word)
    }
}

/// Where a listed product stands at the marketplace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Waiting for the marketplace's review.
    InReview,
    /// On sale (or sold out but listed).
    Selling,
    /// Refused by the marketplace's review; the reason is the marketplace's word.
    Rejected { reason: String },
    /// Stopped, closed or deleted at the marketplace.
    Stopped { reason: String },
}

/// One try at sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    pub number: u32,
    /// The HTTP status, when there was an answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `created`, `rejected`, `throttled`, `server-error`, `network-error`, `found-existing`,
    /// `not-found`, `auth-refused`.
    pub result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
}

/// A send and every attempt it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submission {
    pub channel: Channel,
    /// SHA-256 of the body sent, to tell later which version went out.
    pub request_digest: String,
    #[serde(flatten)]
    pub outcome: Outcome,
    pub attempts: Vec<Attempt>,
    /// Photos put on the marketplace's image host during this publish: `(address, hosted
    /// address)`, for the caller to remember (`KnownPhotos::hosted` next time).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hosted_photos: Vec<(String, String)>,
}

/// What the caller already has of a listing's photos, so publishing neither fetches nor
/// uploads them again.
#[derive(Debug, Clone, Copy, Default)]
pub struct KnownPhotos<'a> {
    /// The bytes of photos Gachi keeps, by address: read instead of fetched.
    pub stored: &'a [(String, Vec<u8>)],
    /// Photos the marketplace's image host already holds for this shop: `(address, hosted
    /// address)`. Named as they are; not uploaded again.
    pub hosted: &'a [(String, String)],
}

/// The marketplaces, as listing needs them.
#[async_trait]
pub trait Marketplaces: Send + Sync {
    /// The settings and keys `channel` needs from its seller center, in form order.
    fn account_fields(&self, channel: Channel) -> &'static [AccountField];

    /// What `channel` would reject in `file` with the shop's `setup`: the catalog's common
    /// checks joined with the marketplace's own rules, each field named once.
    fn readiness(&self, channel: Channel, file: &ProductFile, setup: &SellerSetup) -> Vec<Issue>;

    /// The request body `channel` would receive for `file` (JSON; XML for 11st), or the issues
    /// that stop it.
    fn compile(
        &self,
        channel: Channel,
        file: &ProductFile,
        setup: &SellerSetup,
    ) -> Result<Vec<u8>, Vec<Issue>>;

    /// The photo addresses of `file` that `channel` wants on its own image host.
    fn photos_to_host(&self, channel: Channel, file: &ProductFile) -> Vec<String>;

    /// The account the marketplace's image host files a shop's photos under (Naver: the
    /// application id), `None` where it hosts none or no keys are set up.
    fn host_account(&self, channel: Channel, setup: &SellerSetup) -> Option<String>;

    /// Checks, compiles, hosts the photos, signs and sends `file`. `Err` holds the issues of a
    /// product that is not ready: then nothing was sent.
    async fn publish(
        &self,
        channel: Channel,
        file: &ProductFile,
        setup: &SellerSetup,
        photos: KnownPhotos<'_>,
    ) -> Result<Submission, Vec<Issue>>;

    /// Asks where the listed product `marketplace_product_id` stands. `Err` says, for the
    /// log, why it could not be asked (no keys, no answer, no read-back at that marketplace).
    async fn review_status(
        &self,
        channel: Channel,
        marketplace_product_id: &str,
        setup: &SellerSetup,
    ) -> Result<ReviewStatus, String>;
}
