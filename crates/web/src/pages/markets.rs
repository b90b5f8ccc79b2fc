//! 마켓 계정 (marketplace accounts) for a merchant on a phone: per marketplace, the ids and codes
//! from its seller center and the API keys. Keys are sealed before they reach the database and
//! never shown again: the page only says whether they are saved and when.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::market_account::MarketAccountError;

use super::{Shell, render, see_other};
use crate::AppState;
use crate::context::Ctx;
use crate::error::{PageError, PageErrorKind};

pub struct FieldView {
    pub name: &'static str,
    pub label: String,
    pub secret: bool,
    /// Settings: the stored value. Keys: never (empty).
    pub value: String,
}

pub struct ChannelView {
    pub channel: &'static str,
    pub name: String,
    pub fields: Vec<FieldView>,
    pub keys_saved: bool,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "markets.html")]
struct MarketsPage {
    page: Shell,
    channels: Vec<ChannelView>,
    can_seal: bool,
    saved: Option<String>,
}

async fn page(state: &AppState, ctx: &Ctx, saved: Option<String>) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Merchant])?.clone();
    // A merchant without a shop registers it first.
    let Some(shop) = state
        .registry()
        .own_shop(&user)
        .await
        .map_err(|e| ctx.fail(e))?
    else {
        return Ok(see_other(ctx, "/my-shop?first=1"));
    };
    let listing = state.listing();
    let accounts = listing
        .seller_accounts(&user, shop.id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.t;
    let channels = accounts
        .into_iter()
        .map(|account| {
            let channel = account.channel.code();
            ChannelView {
                channel,
                name: t.get(&format!("channel-{channel}")),
                fields: account
                    .fields
                    .iter()
                    .map(|f| FieldView {
                        name: f.name,
                        label: t.get(&format!("market-field-{}", f.name)),
                        secret: f.secret,
                        value: if f.secret {
                            String::new()
                        } else {
                            account.settings.get(f.name).cloned().unwrap_or_default()
                        },
                    })
                    .collect(),
                keys_saved: account.keys_saved,
                updated: account
                    .updated_at
                    .map(|at| at.display_seoul())
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &MarketsPage {
            page: Shell::new(ctx),
            channels,
            can_seal: listing.can_seal(),
            saved,
        },
    ))
}

pub async fn show(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    page(&state, &ctx, None).await
}

/// Saves one marketplace's settings, and its keys when typed (sealed first).
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Merchant])?.clone();
    let Some(shop) = state
        .registry()
        .own_shop(&user)
        .await
        .map_err(|e| ctx.fail(e))?
    else {
        return Ok(see_other(&ctx, "/my-shop?first=1"));
    };
    let channel = form.get("channel").map(String::as_str).unwrap_or_default();
    let channel = Channel::parse(channel)
        .ok_or_else(|| ctx.fail(PageErrorKind::BadRequest("error-channel-unknown")))?;
    match state
        .listing()
        .save_seller_account(&user, &ctx.actor(), shop.id, channel, &form)
        .await
    {
        Ok(()) => page(&state, &ctx, Some(ctx.t.get(&format!("channel-{channel}")))).await,
        // The page has no place for field errors: say what is wrong with the first field.
        Err(MarketAccountError::Invalid(errors)) => Err(ctx.fail(PageErrorKind::BadRequest(
            errors.0.first().map_or("error-bad-request", |e| e.code),
        ))),
        Err(other) => Err(ctx.fail(other)),
    }
}
