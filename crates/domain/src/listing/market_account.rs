//! A merchant's marketplace accounts: per marketplace, the seller-center settings (ids and codes,
//! by field name) and the API keys, which arrive here already sealed by
//! `secret::SecretBox` — the domain and the database never hold them readable. Also the record of
//! every listing submission. A merchant manages their own; staff any merchant's.

use crate::accounts::User;
use crate::catalog::product::ProductId;
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::error::ValidationErrors;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;
use crate::ports::{Clock, Store, StoreError};

/// A marketplace account's settings: field name → value as typed.
pub type SellerSettings = std::collections::BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelAccount {
    pub channel: Channel,
    /// The seller-center settings by field name (`vendor_id` → `A00012345`), as the seller
    /// typed them; which fields a marketplace has is the `Marketplaces` port's schema.
    pub settings: SellerSettings,
    /// The API keys, sealed; `None` until the seller enters them.
    pub sealed_credentials: Option<String>,
    pub updated_at: Timestamp,
    /// When the keys were last entered (`None` before, or for accounts saved before Gachi kept
    /// it).
    pub keys_saved_at: Option<Timestamp>,
}

/// Coupang's Open API keys stop working 180 days after they are issued in Wing.
pub const COUPANG_KEY_DAYS: i64 = 180;
/// Warn this many days before they do.
pub const KEY_WARNING_DAYS: i64 = 14;

/// When the shop's Coupang keys stop working, counted from the day they were entered in Gachi
/// (Gachi cannot read the issue date back from Wing; keys are entered right after issuing, so
/// this is at most that late): `Some` from 14 days before that day on, and after it.
pub fn coupang_key_expiry_warning(
    accounts: &[ChannelAccount],
    now: Timestamp,
) -> Option<Timestamp> {
    let saved = accounts
        .iter()
        .find(|a| a.channel == crate::kernel::channel::Channel::Coupang)?
        .keys_saved_at?;
    let expires = saved.plus_seconds(COUPANG_KEY_DAYS * 24 * 3600);
    (now >= expires.plus_seconds(-KEY_WARNING_DAYS * 24 * 3600)).then_some(expires)
}

/// One submission of a product to a marketplace and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionRecord {
    pub channel: Channel,
    pub outcome: crate::listing::marketplaces::OutcomeKind,
    pub marketplace_product_id: Option<String>,
    /// SHA-256 of the body sent.
    pub request_digest: String,
    /// The attempts and the marketplace's errors, as JSON.
    pub detail: String,
    pub submitted_by: Option<crate::accounts::UserId>,
    pub at: Timestamp,
}

#[derive(Debug, thiserror::Error)]
pub enum MarketAccountError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Keys were typed but this server has no key to seal them with.
    #[error("keys cannot be sealed")]
    CannotSeal,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The market-account use cases.
pub struct MarketAccounts<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl MarketAccounts<'_> {
    /// Whether `user` may manage `merchant`'s accounts.
    async fn check(&self, user: &User, merchant: MerchantId) -> Result<(), MarketAccountError> {
        if crate::designers::delegation::may_act(
            self.store,
            user,
            merchant,
            crate::designers::delegation::Scope::Markets,
            self.clock.now(),
        )
        .await?
        {
            Ok(())
        } else {
            Err(MarketAccountError::NotFound)
        }
    }

    pub async fn accounts(
        &self,
        user: &User,
        merchant: MerchantId,
    ) -> Result<Vec<ChannelAccount>, MarketAccountError> {
        self.check(user, merchant).await?;
        Ok(self.store.channel_accounts(merchant).await?)
    }

    /// Saves one marketplace's settings, and its keys when new ones are given (`None` keeps
    /// the stored keys). The audit names the marketplace, never a value.
    pub async fn save(
        &self,
        user: &User,
        actor: &Actor,
        merchant: MerchantId,
        channel: Channel,
        settings: &SellerSettings,
        sealed_credentials: Option<&str>,
    ) -> Result<(), MarketAccountError> {
        self.check(user, merchant).await?;
        let actor =
            &crate::designers::delegation::actor_for(self.store, user, actor, merchant).await?;
        let audit = actor.entry(
            self.clock.now(),
            "market_account.save",
            format!("merchant:{}:{channel}", merchant.0),
            if sealed_credentials.is_some() {
                "settings and keys"
            } else {
                "settings"
            },
        );
        self.store
            .save_channel_account(merchant, channel, settings, sealed_credentials, &audit)
            .await?;
        Ok(())
    }

    /// Records a submission of `product`.
    pub async fn record_submission(
        &self,
        actor: &Actor,
        product: ProductId,
        record: &SubmissionRecord,
    ) -> Result<(), MarketAccountError> {
        let audit = actor.entry(
            record.at,
            "listing.submit",
            format!("product:{}:{}", product.0, record.channel),
            record.outcome.as_str(),
        );
        self.store
            .record_submission(product, record, &audit)
            .await?;
        Ok(())
    }

    /// Of the photo addresses `sources`, those `channel`'s image host already holds for the
    /// shop under `account` (Naver: the application id), as `(address, hosted address)`.
    pub async fn hosted_photos(
        &self,
        merchant: MerchantId,
        channel: Channel,
        account: &str,
        sources: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.store
            .hosted_photos(merchant, channel, account, sources)
            .await
    }

    /// Remembers the photos `channel`'s image host took for the shop under `account`. Only
    /// Gachi's own photos are kept: their address names their content, so the hosted copy
    /// stays the same photo; a photo at a shop's own address may change under it and is
    /// uploaded each time.
    pub async fn remember_hosted_photos(
        &self,
        merchant: MerchantId,
        channel: Channel,
        account: &str,
        hosted: &[(String, String)],
    ) -> Result<(), StoreError> {
        let ours: Vec<(String, String)> = hosted
            .iter()
            .filter(|(source, _)| crate::catalog::media::ImageKey::from_url(source).is_some())
            .cloned()
            .collect();
        self.store
            .remember_hosted_photos(merchant, channel, account, &ours, self.clock.now())
            .await
    }
}
