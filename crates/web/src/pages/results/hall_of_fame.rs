//! The public hall of fame (명예의 전당): members by region and industry, each member's badge
//! (an SVG a shop can show on its own pages), and the success stories staff write.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use gachi_domain::accounts::Role;
use gachi_domain::kernel::industry;
use gachi_domain::kernel::region::{self, RegionCode};
use gachi_domain::merchants::merchant::MerchantId;
use gachi_domain::results::ResultsError;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::{PageError, PageErrorKind};
use crate::i18n::{Tr, grouped};
use crate::pages::{Shell, escape_xml, render, see_other};

// ---------------------------------------------------------------- hall of fame

#[derive(Debug, Default, Deserialize)]
pub struct HallQuery {
    pub region_code: Option<String>,
    pub industry_code: Option<String>,
}

pub struct MemberView {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub industry: String,
    pub channels: String,
    pub entry: String,
    pub story: String,
}

#[derive(Template)]
#[template(path = "hall_of_fame.html")]
struct HallPage {
    page: Shell,
    members: Vec<MemberView>,
    regions: Vec<(String, String, bool)>,
    industries: Vec<(String, String, bool)>,
    threshold: String,
    staff: bool,
}

fn channel_names(t: Tr, channels: &[String]) -> String {
    channels
        .iter()
        .map(|c| t.get(&format!("channel-{c}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The public hall of fame: no sign-in needed.
pub async fn hall_of_fame(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<HallQuery>,
) -> Result<Response, PageError> {
    let t = ctx.t;
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let region = given(&query.region_code).and_then(|c| RegionCode::parse(&c, "region_code").ok());
    let industry = given(&query.industry_code)
        .and_then(|c| industry::resolve(&c, "industry_code").ok())
        .map(|i| i.code.clone());
    let members = state
        .results()
        .hall_of_fame(region.as_ref(), industry.as_deref())
        .await
        .map_err(|e| ctx.fail(e))?;
    let threshold = state
        .results()
        .threshold()
        .await
        .unwrap_or(gachi_domain::results::DEFAULT_THRESHOLD_KRW);
    let chosen_region = region
        .as_ref()
        .map(|r| r.as_str().to_owned())
        .unwrap_or_default();
    let chosen_industry = industry.clone().unwrap_or_default();
    Ok(render(
        StatusCode::OK,
        &HallPage {
            members: members
                .iter()
                .map(|m| MemberView {
                    id: m.merchant.0,
                    name: m.name.clone(),
                    region: m.region.region().name,
                    industry: industry::resolve(&m.industry_code, "industry_code")
                        .map(|i| i.name.clone())
                        .unwrap_or_default(),
                    channels: channel_names(t, &m.channels),
                    entry: m.entry_month.to_string(),
                    story: m.story.clone().unwrap_or_default(),
                })
                .collect(),
            regions: region::all_sido()
                .into_iter()
                .map(|r| {
                    (
                        r.code.as_str().to_owned(),
                        r.name,
                        r.code.as_str() == chosen_region,
                    )
                })
                .collect(),
            industries: industry::all()
                .into_iter()
                .map(|i| {
                    (
                        i.code.clone(),
                        format!("{} · {}", i.major, i.name),
                        i.code == chosen_industry,
                    )
                })
                .collect(),
            threshold: grouped(threshold),
            staff: ctx.user.as_ref().is_some_and(|u| u.role.is_staff()),
            page: Shell::new(&ctx),
        },
    ))
}

/// A member's badge: an SVG to put on a shop's own pages (only members have one). Shown inside
/// other sites' pages, so its errors are bare statuses, not an error page.
pub async fn badge(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    let members = match state.results().hall_of_fame(None, None).await {
        Ok(members) => members,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let Some(member) = members.iter().find(|m| m.merchant.0 == id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // Every value written into the SVG, attribute or text, goes through the one escaper.
    let name = escape_xml(&member.name);
    let entry = escape_xml(&member.entry_month.to_string());
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="64" viewBox="0 0 240 64" role="img" aria-label="가치 명예의 전당 {entry} {name}"><rect width="240" height="64" rx="12" fill="#0b7a5c"/><text x="16" y="26" font-family="sans-serif" font-size="15" font-weight="700" fill="#fff">가치 명예의 전당</text><text x="16" y="48" font-family="sans-serif" font-size="13" fill="#e3f1ec">{name} · {entry}</text><circle cx="212" cy="32" r="16" fill="#f5c542"/><text x="212" y="38" text-anchor="middle" font-family="sans-serif" font-size="16" font-weight="700" fill="#7a5a00">1억</text></svg>"##,
    );
    (
        [
            (CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        svg,
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct StoryForm {
    pub story: String,
}

/// Staff add a member's success story.
pub async fn save_story(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StoryForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?;
    match state
        .results()
        .set_success_story(user, &ctx.actor(), MerchantId(id), &form.story)
        .await
    {
        Ok(()) => Ok(see_other(&ctx, "/hall-of-fame")),
        // The only thing wrong with a story is its length: say so.
        Err(ResultsError::Invalid(_)) => Err(ctx.fail(PageErrorKind::BadRequest("error-too-long"))),
        Err(other) => Err(ctx.fail(other)),
    }
}
