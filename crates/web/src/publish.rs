//! Publishing a product to a marketplace from the web (page or API): compile with the shop's
//! stored settings, sign with its stored keys (unsealed in memory for this request only), put
//! the photos Gachi keeps on the marketplace's image host where it wants them (Naver; once per
//! photo and shop: the hosted addresses are remembered), send
//! through the channel's submitter (production URL, or the one configured), keep the record,
//! and move the shop's onboarding card — 심사중 when the marketplace took the product, 반려 when
//! it refused it. Later, ask the marketplace how its review of a card's product went
//! (`review_card`).

use gachi_channels::Issue;
use gachi_channels::submit::{KnownPhotos, Outcome, SubmitConfig, Submitter};
use gachi_domain::accounts::User;
use gachi_domain::catalog::product::Product;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::market_account::SubmissionRecord;
use gachi_domain::ports::StoreError;

use crate::AppState;

/// What became of a publish.
pub enum Published {
    /// The product is not ready: nothing was sent.
    NotReady(Vec<Issue>),
    /// The marketplace was asked; its answer (and every attempt) is recorded.
    Sent(gachi_channels::submit::Submission),
}

/// The submitter settings for `channel` on this server.
pub fn config(state: &AppState, channel: Channel) -> SubmitConfig {
    let mut config = SubmitConfig::production(channel);
    if let Some(url) = state.config().market_urls.get(channel.code()) {
        config.base_url = url.clone();
    }
    config
}

/// The bytes of the photos at `urls` Gachi keeps, by address: read from the blob store instead
/// of over the network.
async fn stored_photos(
    state: &AppState,
    urls: &[String],
) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let mut stored = Vec::new();
    for url in urls {
        if let Some(key) = gachi_domain::catalog::media::ImageKey::from_url(url)
            && let Some(bytes) = state.blobs().get(&key.file_name()).await?
        {
            stored.push((url.clone(), bytes));
        }
    }
    Ok(stored)
}

/// Compiles, sends and records `product` for `channel`. The caller has checked that `user` may
/// manage the product.
pub async fn publish(
    state: &AppState,
    user: &User,
    actor: &Actor,
    product: &Product,
    channel: Channel,
) -> Result<Published, StoreError> {
    let mut loaded = crate::markets::load(state, product.merchant).await?;
    let submitter = Submitter::new(channel, config(state, channel));
    let published = publish_with(state, user, actor, product, &submitter, &mut loaded).await?;
    if let Published::Sent(submission) = &published
        && let Some(stage) = submission.outcome.stage()
    {
        state
            .onboarding()
            .follow_marketplace(
                user,
                actor,
                product.merchant,
                channel.code(),
                stage,
                &format!("submission of product {}", product.id.0),
            )
            .await?;
    }
    Ok(published)
}

/// `publish` through `submitter` with the shop's settings and keys already loaded
/// (`markets::load`), without moving the shop's card: a bulk job loads the settings once per
/// shop, sends through one submitter, and moves each card once for all its products.
pub async fn publish_with(
    state: &AppState,
    user: &User,
    actor: &Actor,
    product: &Product,
    submitter: &Submitter,
    loaded: &mut crate::markets::Loaded,
) -> Result<Published, StoreError> {
    let channel = submitter.channel();
    crate::markets::add_category_meta(state, &mut loaded.context, &product.file).await?;
    // Photos the marketplace's host holds already under these keys' account are named, not
    // uploaded again. The bytes of every photo Gachi keeps are at hand all the same (a local
    // read): should the host have dropped a remembered copy, the submitter uploads it again.
    let wanted = gachi_channels::hosting::photos_to_host(channel, &product.file);
    let accounts = state.market_accounts();
    let host_account = loaded.credentials.host_account(channel).map(str::to_owned);
    let hosted = match &host_account {
        Some(account) => {
            accounts
                .hosted_photos(product.merchant, channel.code(), account, &wanted)
                .await?
        }
        None => Vec::new(),
    };
    let stored = stored_photos(state, &wanted).await?;
    let known = KnownPhotos {
        stored: &stored,
        hosted: &hosted,
    };
    let submission = match submitter
        .publish(&product.file, &loaded.context, &loaded.credentials, known)
        .await
    {
        Ok(submission) => submission,
        Err(issues) => return Ok(Published::NotReady(issues)),
    };
    let (outcome, marketplace_product_id) = match &submission.outcome {
        Outcome::Created { product_id } => ("created", Some(product_id.clone())),
        Outcome::Rejected { .. } => ("rejected", None),
        Outcome::Failed { .. } => ("failed", None),
    };
    let record = SubmissionRecord {
        channel: channel.code().to_owned(),
        outcome: outcome.to_owned(),
        marketplace_product_id,
        request_digest: submission.request_digest.clone(),
        detail: serde_json::to_string(&submission).unwrap_or_default(),
        submitted_by: Some(user.id),
        at: state.clock().now(),
    };
    state
        .market_accounts()
        .record_submission(actor, product.id, &record)
        .await
        .map_err(|e| match e {
            gachi_domain::listing::market_account::MarketAccountError::Store(e) => e,
            other => StoreError::Backend(other.to_string()),
        })?;
    // Remembered last and best-effort: the marketplace has answered and the answer is
    // recorded; a failure here only means the photos are uploaded again next time (the
    // domain keeps only Gachi's own photos).
    if let Some(account) = &host_account
        && let Err(error) = accounts
            .remember_hosted_photos(
                product.merchant,
                channel.code(),
                account,
                &submission.hosted_photos,
            )
            .await
    {
        tracing::warn!(%error, product = product.id.0, "hosted photo addresses not remembered");
    }
    Ok(Published::Sent(submission))
}

/// What asking the marketplace about one card in 심사중 found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reviewed {
    /// Decided: the card moved to 판매중, 반려 or 보류.
    Moved,
    /// Still being reviewed.
    Waiting,
    /// Could not be asked: nothing listed through Gachi, no keys, no answer, or a marketplace
    /// without a read-back (11st, ESM).
    NotAsked,
}

/// Asks `submitter`'s marketplace about the listed product of `card` (in 심사중; the product
/// asked about is the shop's latest listing there) and moves the card when the marketplace has
/// decided: on sale → 판매중, refused → 반려, stopped or deleted → 보류.
pub async fn review_card(
    state: &AppState,
    user: &User,
    actor: &Actor,
    card: &gachi_domain::onboarding::Card,
    submitter: &Submitter,
) -> Result<Reviewed, StoreError> {
    let Some(product_id) = state
        .store()
        .latest_listing(card.merchant, &card.channel)
        .await?
    else {
        return Ok(Reviewed::NotAsked);
    };
    let credentials = crate::markets::credentials(state, card.merchant).await?;
    let status = match submitter.status(&product_id, &credentials).await {
        Ok(status) => status,
        Err(reason) => {
            tracing::info!(merchant = card.merchant.0, channel = %card.channel, %reason, "review status not known");
            return Ok(Reviewed::NotAsked);
        }
    };
    let Some((stage, why)) = status.decided() else {
        return Ok(Reviewed::Waiting);
    };
    state
        .onboarding()
        .follow_marketplace(
            user,
            actor,
            card.merchant,
            &card.channel,
            stage,
            &format!("marketplace product {product_id}: {why}"),
        )
        .await?;
    Ok(Reviewed::Moved)
}
