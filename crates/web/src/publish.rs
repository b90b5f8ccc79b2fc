//! Publishing a product to a marketplace from the web (page or API): compile with the shop's
//! stored settings, sign with its stored keys (unsealed in memory for this request only), send
//! through the channel's submitter (production URL, or the one configured), keep the record,
//! and move the shop's onboarding card — 심사중 when the marketplace took the product, 반려 when
//! it refused it.

use gachi_channels::submit::{Outcome, ProductKey, SubmitConfig, Submitter};
use gachi_channels::{Channel, Issue};
use gachi_domain::accounts::User;
use gachi_domain::audit::Actor;
use gachi_domain::market_account::{MarketAccounts, SubmissionRecord};
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
    let mut body = Vec::new();
    if let Err(issues) = gachi_channels::compile(channel, &product.file, &loaded.context, &mut body)
    {
        return Ok(Published::NotReady(issues));
    }
    let key = ProductKey {
        seller_code: product.file.sku.trim().to_owned(),
        name: product.file.name.trim().to_owned(),
    };
    let submission = Submitter::new(channel, config(state, channel))
        .submit(&body, &key, &loaded.credentials)
        .await;
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
    MarketAccounts {
        store: state.store(),
        clock: state.clock(),
    }
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
