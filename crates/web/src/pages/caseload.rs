//! The designer's caseload board (`/caseload`): each shop under a running delegation with its
//! card on every marketplace, what blocks it, days since anyone worked on it, and the next step;
//! sorted by days idle (default), by name, or by how urgent the next step is. A table on wide
//! screens, one card per shop on a phone.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::designers::caseload::{Blocker, CaseShop, NextStep};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Shell, render};

/// A marketplace card as the board shows it.
pub struct CardView {
    pub channel: String,
    pub stage: String,
    /// `ok` (on sale), `warn` (refused or on hold), or empty.
    pub tone: &'static str,
}

/// One shop of the caseload.
pub struct CaseView {
    pub merchant_id: i64,
    pub name: String,
    pub cards: Vec<CardView>,
    pub blockers: Vec<String>,
    pub idle: String,
    pub days_idle: u32,
    pub next_step: String,
    pub until: String,
    pub scopes: String,
}

/// What a blocker says.
fn blocker_text(t: Tr, blocker: Blocker) -> String {
    match blocker {
        Blocker::Refused(channel) | Blocker::OnHold(channel) => t.arg(
            blocker.key(),
            "channel",
            t.get(&format!("channel-{}", channel.code())),
        ),
        Blocker::CoupangKeysExpire(at) => t.arg(
            blocker.key(),
            "date",
            gachi_domain::kernel::time::seoul_date(at).to_string(),
        ),
        Blocker::NoKeys | Blocker::NoProducts => t.get(blocker.key()),
    }
}

/// What the next step says: the marketplace and its stage's next action.
pub fn next_step_text(t: Tr, step: NextStep) -> String {
    match step {
        NextStep::AddProducts => t.get("caseload-next-add-products"),
        NextStep::StartOnboarding => t.get("caseload-next-start"),
        NextStep::Card(channel, stage) => format!(
            "{} · {}",
            t.get(&format!("channel-{}", channel.code())),
            t.get(&stage.next_action_key())
        ),
    }
}

pub fn view(t: Tr, shop: &CaseShop) -> CaseView {
    CaseView {
        merchant_id: shop.delegation.merchant.0,
        name: shop.delegation.merchant_name.clone(),
        cards: shop
            .cards
            .iter()
            .map(|c| CardView {
                channel: t.get(&format!("channel-{}", c.channel.code())),
                stage: t.get(&c.stage.label_key()),
                tone: match c.stage.as_str() {
                    "selling" => "ok",
                    "rejected" | "on_hold" => "warn",
                    _ => "",
                },
            })
            .collect(),
        blockers: shop.blockers.iter().map(|b| blocker_text(t, *b)).collect(),
        idle: t.count("caseload-idle", "days", i64::from(shop.days_idle)),
        days_idle: shop.days_idle,
        next_step: next_step_text(t, shop.next_step),
        until: shop.delegation.ends_at.display_seoul(),
        scopes: shop
            .delegation
            .scopes
            .iter()
            .map(|s| t.get(&format!("delegation-scope-{}", s.code())))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CaseloadQuery {
    /// `idle` (default), `name` or `next`.
    pub sort: Option<String>,
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    page: Shell,
    shops: Vec<CaseView>,
    sort: String,
    /// (value, label) of each order.
    sorts: Vec<(&'static str, String)>,
}

/// The caseload board.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<CaseloadQuery>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Designer])?.clone();
    let t = ctx.t;
    let mut shops = state.caseloads().of(&user).await.map_err(|e| ctx.fail(e))?;
    let sort = match query.sort.as_deref() {
        Some("name") => "name",
        Some("next") => "next",
        _ => "idle",
    };
    match sort {
        "name" => shops.sort_by(|a, b| a.delegation.merchant_name.cmp(&b.delegation.merchant_name)),
        "next" => shops.sort_by_key(|s| (s.next_step.urgency(), std::cmp::Reverse(s.days_idle))),
        _ => {} // The use case's own order: the longest idle first.
    }
    Ok(render(
        StatusCode::OK,
        &CaseloadPage {
            page: Shell::new(&ctx),
            shops: shops.iter().map(|s| view(t, s)).collect(),
            sort: sort.to_owned(),
            sorts: [
                ("idle", "caseload-sort-idle"),
                ("next", "caseload-sort-next"),
                ("name", "caseload-sort-name"),
            ]
            .into_iter()
            .map(|(value, key)| (value, t.get(key)))
            .collect(),
        },
    ))
}
