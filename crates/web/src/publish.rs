//! Publishing a product to a marketplace from the web (page or API): compile with the shop's
//! stored settings, sign with its stored keys (unsealed in memory for this request only), put
//! the photos Gachi keeps on the marketplace's image host where it wants them (Naver), send
//! through the channel's submitter (production URL, or the one configured), keep the record,
//! and move the shop's onboarding card — 심사중 when the marketplace took the product, 반려 when
//! it refused it.

use gachi_channels::submit::{Outcome, SubmitConfig, Submitter};
use gachi_channels::{Channel, Issue};
use gachi_domain::accounts::User;
use gachi_domain::audit::Actor;
use gachi_domain::market_account::SubmissionRecord;
use gachi_domain::onboarding::Stage;
use gachi_domain::ports::StoreError;
use gachi_domain::product::Product;

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

/// The photos of `file` Gachi keeps that `channel` wants on its own host (none but Naver's), by
/// address: read from the blob store instead of over the network.
async fn stored_photos(
    state: &AppState,
    channel: Channel,
    file: &gachi_domain::product::ProductFile,
) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let mut stored = Vec::new();
    for url in gachi_channels::hosting::photos_to_host(channel, file) {
        if let Some(key) = gachi_domain::media::ImageKey::from_url(&url)
            && let Some(bytes) = state.blobs().get(&key.file_name()).await?
        {
            stored.push((url, bytes));
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
    crate::markets::add_category_meta(state, &mut loaded.context, &product.file).await?;
    let stored = stored_photos(state, channel, &product.file).await?;
    let submission = match Submitter::new(channel, config(state, channel))
        .publish(&product.file, &loaded.context, &loaded.credentials, &stored)
        .await
    {
        Ok(submission) => submission,
        Err(issues) => return Ok(Published::NotReady(issues)),
    };
    let now = state.clock().now();
    let (outcome, marketplace_product_id, stage) = match &submission.outcome {
        Outcome::Created { product_id } => {
            ("created", Some(product_id.clone()), Some(Stage::InReview))
        }
        Outcome::Rejected { .. } => ("rejected", None, Some(Stage::Rejected)),
        Outcome::Failed { .. } => ("failed", None, None),
    };
    let record = SubmissionRecord {
        channel: channel.code().to_owned(),
        outcome: outcome.to_owned(),
        marketplace_product_id,
        request_digest: submission.request_digest.clone(),
        detail: serde_json::to_string(&submission).unwrap_or_default(),
        submitted_by: Some(user.id),
        at: now,
    };
    state
        .market_accounts()
        .record_submission(actor, product.id, &record)
        .await
        .map_err(|e| match e {
            gachi_domain::market_account::MarketAccountError::Store(e) => e,
            other => StoreError::Backend(other.to_string()),
        })?;
    if let Some(stage) = stage {
        let audit = actor.entry(
            now,
            "onboarding.move",
            format!("merchant:{}:{}", product.merchant.0, channel.code()),
            format!(
                "{} (submission of product {})",
                stage.as_str(),
                product.id.0
            ),
        );
        state
            .store()
            .move_onboarding(product.merchant, channel.code(), stage, user.id, &audit)
            .await?;
    }
    Ok(Published::Sent(submission))
}

/// What a check of the marketplaces' reviews found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewCheck {
    /// Cards in 심사중 that were looked at.
    pub checked: u32,
    /// Now on sale: moved to 판매중.
    pub selling: u32,
    /// Refused by the marketplace: moved to 반려.
    pub rejected: u32,
    /// Stopped or deleted at the marketplace: moved to 보류.
    pub stopped: u32,
    /// Still waiting for the marketplace.
    pub in_review: u32,
    /// Could not be asked (no listed product on record, no keys, no answer, or a marketplace
    /// without a read-back: 11st, ESM).
    pub failed: u32,
}

/// At most this many cards per check (it runs while the operator waits).
pub const REVIEW_CHECK_LIMIT: usize = 200;

/// Asks the marketplaces about the cards in 심사중 that `user` (staff) sees — of one marketplace,
/// or all — and moves each card whose listed product is now on sale (판매중), refused (반려) or
/// stopped (보류). The product asked about is the shop's latest listing on that marketplace.
pub async fn check_reviews(
    state: &AppState,
    user: &User,
    actor: &Actor,
    channel: Option<Channel>,
) -> Result<ReviewCheck, gachi_domain::onboarding::OnboardingError> {
    use gachi_channels::submit::ReviewStatus;
    use gachi_domain::onboarding::BoardFilter;

    let filter = BoardFilter::parse(
        None,
        None,
        channel.map(Channel::code),
        Some(Stage::InReview.as_str()),
        None,
    )
    .map_err(gachi_domain::onboarding::OnboardingError::Invalid)?;
    let onboarding = state.onboarding();
    let cards = onboarding.board(user, filter).await?;
    let mut submitters: Vec<(Channel, Submitter)> = Vec::new();
    let mut check = ReviewCheck::default();
    for card in cards.iter().take(REVIEW_CHECK_LIMIT) {
        check.checked += 1;
        let Some(channel) = Channel::parse(&card.channel) else {
            check.failed += 1;
            continue;
        };
        let Some(product_id) = state
            .store()
            .latest_listing(card.merchant, &card.channel)
            .await?
        else {
            check.failed += 1;
            continue;
        };
        let loaded = crate::markets::load(state, card.merchant).await?;
        if !submitters.iter().any(|(c, _)| *c == channel) {
            submitters.push((channel, Submitter::new(channel, config(state, channel))));
        }
        let submitter = &submitters
            .iter()
            .find(|(c, _)| *c == channel)
            .expect("just added")
            .1;
        let (stage, why) = match submitter.status(&product_id, &loaded.credentials).await {
            Ok(ReviewStatus::InReview) => {
                check.in_review += 1;
                continue;
            }
            Ok(ReviewStatus::Selling) => {
                check.selling += 1;
                (Stage::Selling, "on sale".to_owned())
            }
            Ok(ReviewStatus::Rejected { reason }) => {
                check.rejected += 1;
                (Stage::Rejected, reason)
            }
            Ok(ReviewStatus::Stopped { reason }) => {
                check.stopped += 1;
                (Stage::OnHold, reason)
            }
            Err(reason) => {
                tracing::info!(merchant = card.merchant.0, channel = %card.channel, %reason, "review status not known");
                check.failed += 1;
                continue;
            }
        };
        let audit = actor.entry(
            state.clock().now(),
            "onboarding.move",
            format!("merchant:{}:{}", card.merchant.0, card.channel),
            format!(
                "{} (marketplace product {product_id}: {why})",
                stage.as_str()
            ),
        );
        state
            .store()
            .move_onboarding(card.merchant, &card.channel, stage, user.id, &audit)
            .await?;
    }
    Ok(check)
}
