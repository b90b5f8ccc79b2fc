//! The storage port of this area: seller settings and sealed keys per marketplace. `gachi-store` implements it for
//! SQLite and PostgreSQL and its conformance suite holds both to it.

use crate::kernel::channel::Channel;
use async_trait::async_trait;

use crate::catalog::product::ProductId;
use crate::kernel::audit::AuditEntry;
use crate::merchants::merchant::MerchantId;

use crate::ports::StoreError;

/// Marketplace accounts (settings and sealed keys) and listing submissions.
#[async_trait]
pub trait MarketAccountStore: Send + Sync {
    /// Saves a marketplace's settings; `sealed_credentials` replaces the keys when given.
    async fn save_channel_account(
        &self,
        merchant: MerchantId,
        channel: Channel,
        settings: &crate::listing::market_account::SellerSettings,
        sealed_credentials: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn channel_accounts(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<crate::listing::market_account::ChannelAccount>, StoreError>;
    async fn record_submission(
        &self,
        product: ProductId,
        record: &crate::listing::market_account::SubmissionRecord,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// A product's submissions, newest first.
    async fn submissions(
        &self,
        product: ProductId,
    ) -> Result<Vec<crate::listing::market_account::SubmissionRecord>, StoreError>;
    /// The marketplace's product number of the shop's latest product it took on `channel`.
    async fn latest_listing(
        &self,
        merchant: MerchantId,
        channel: Channel,
    ) -> Result<Option<String>, StoreError>;
    /// Of the photo addresses `sources`, those `channel`'s image host already holds for the
    /// shop under `account`: `(address, hosted address)`. Saving new keys for `channel`
    /// forgets them.
    async fn hosted_photos(
        &self,
        merchant: MerchantId,
        channel: Channel,
        account: &str,
        sources: &[String],
    ) -> Result<Vec<(String, String)>, StoreError>;
    /// Remembers photos `channel`'s image host took for the shop under `account`:
    /// `(address, hosted address)`.
    async fn remember_hosted_photos(
        &self,
        merchant: MerchantId,
        channel: Channel,
        account: &str,
        hosted: &[(String, String)],
        at: crate::kernel::time::Timestamp,
    ) -> Result<(), StoreError>;
}
