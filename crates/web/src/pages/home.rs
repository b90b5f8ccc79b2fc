//! The home page (a landing page for visitors, a "what to do next" page per role) and the
//! regional pages that local-government officers are scoped to.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::kernel::region::{Region, RegionCode};

use super::{Shell, render, see_other};
use crate::AppState;
use crate::context::Ctx;
use crate::error::{PageError, PageErrorKind};

/// One step of a role's journey; `ready` is false for steps whose feature is not open yet.
pub struct Step {
    pub title: String,
    pub body: String,
    pub href: Option<&'static str>,
    pub done: bool,
    pub ready: bool,
}

/// A card this many days in one stage counts as stuck on the operator's home.
const STUCK_DAYS: u32 = 14;

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing {
    page: Shell,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    page: Shell,
    welcome: String,
    just_signed_up: bool,
    steps: Vec<Step>,
    region: Option<Region>,
}

fn step(ctx: &Ctx, key: &str, href: Option<&'static str>, done: bool, ready: bool) -> Step {
    Step {
        title: ctx.t.get(&format!("step-{key}")),
        body: ctx.t.get(&format!("step-{key}-body")),
        href,
        done,
        ready,
    }
}

/// The Korean greeting adds 님 itself; a name that already ends in it ("사장님") keeps one.
fn without_honorific(t: crate::i18n::Tr, name: &str) -> &str {
    match t.locale() {
        gachi_domain::accounts::Locale::Ko => name.strip_suffix('님').unwrap_or(name),
        gachi_domain::accounts::Locale::En => name,
    }
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let Some(user) = ctx.user.clone() else {
        return Ok(render(
            StatusCode::OK,
            &Landing {
                page: Shell::new(&ctx),
            },
        ));
    };
    let steps = match user.role {
        Role::Merchant => {
            // One indexed read: the shop, and its track once diagnosed.
            let shop = state
                .registry()
                .own_shop(&user)
                .await
                .map_err(|e| ctx.fail(e))?;
            let diagnosed = shop.as_ref().is_some_and(|s| s.track.is_some());
            vec![
                step(&ctx, "account", Some("/account"), true, true),
                step(&ctx, "shop", Some("/my-shop"), shop.is_some(), true),
                step(
                    &ctx,
                    "diagnosis",
                    Some(if shop.is_some() {
                        "/my-shop/diagnosis"
                    } else {
                        "/my-shop"
                    }),
                    diagnosed,
                    true,
                ),
                step(&ctx, "products", Some("/products"), false, shop.is_some()),
                step(
                    &ctx,
                    "channels",
                    Some("/my-shop/markets"),
                    false,
                    shop.is_some(),
                ),
            ]
        }
        Role::Designer => vec![
            step(&ctx, "account", Some("/account"), true, true),
            step(&ctx, "courses", Some("/courses"), false, true),
            step(&ctx, "certificate", Some("/exams"), false, true),
            step(&ctx, "caseload", Some("/caseload"), false, true),
        ],
        Role::Md => vec![
            step(&ctx, "account", Some("/account"), true, true),
            step(&ctx, "pool", Some("/discovery"), false, true),
            step(&ctx, "picks", Some("/discovery/picks"), false, true),
        ],
        Role::LocalGov => vec![
            step(&ctx, "region", Some("/my-region"), false, true),
            step(&ctx, "nominate", None, false, false),
        ],
        Role::Operator | Role::Admin => {
            // Cards left 14 days or more in their stage: what needs a caseworker first.
            let stuck = state
                .onboarding()
                .board(
                    &user,
                    gachi_domain::onboarding::BoardFilter {
                        min_age_days: Some(STUCK_DAYS),
                        ..Default::default()
                    },
                )
                .await
                .map_err(|e| ctx.fail(e))?
                .into_iter()
                // 판매중 is where a card should stay; 보류 was stopped on purpose.
                .filter(|c| {
                    !matches!(
                        c.stage,
                        gachi_domain::onboarding::Stage::Selling
                            | gachi_domain::onboarding::Stage::OnHold
                    )
                })
                .count();
            vec![
                Step {
                    title: ctx.t.get("step-stuck"),
                    body: ctx.t.args(
                        "step-stuck-body",
                        &[
                            ("count", stuck.to_string()),
                            ("days", STUCK_DAYS.to_string()),
                        ],
                    ),
                    href: Some("/onboarding?min_age_days=14"),
                    done: false,
                    ready: true,
                },
                step(&ctx, "rounds", Some("/rounds"), false, true),
                step(&ctx, "staff-accounts", Some("/staff/users"), false, true),
                step(&ctx, "audit", Some("/staff/audit"), false, true),
            ]
        }
    };
    let page = Home {
        welcome: ctx.t.arg(
            "home-welcome",
            "name",
            without_honorific(ctx.t, &user.display_name),
        ),
        just_signed_up: ctx.path.contains("welcome=1"),
        steps,
        region: user.region.as_ref().map(RegionCode::region),
        page: Shell::new(&ctx),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionPage {
    page: Shell,
    region: Region,
    parent: Option<Region>,
    children: Vec<Region>,
}

/// A local-government officer's own region.
pub async fn my_region(ctx: Ctx) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::LocalGov])?;
    match &user.region {
        Some(code) => Ok(see_other(&ctx, &format!("/regions/{}", code.as_str()))),
        None => Err(ctx.fail(PageErrorKind::NotFound)),
    }
}

/// A 시도 or 시군구 page: visible to staff everywhere and to an officer inside their region.
pub async fn region_page(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    ctx.require_user()?;
    // An address that names no region is a page that does not exist.
    let code = RegionCode::parse(&code, "code").map_err(|_| ctx.fail(PageErrorKind::NotFound))?;
    ctx.require_region(&code)?;
    let page = RegionPage {
        page: Shell::new(&ctx),
        region: code.region(),
        parent: code.parent().map(|p| p.region()),
        children: code.children(),
    };
    Ok(render(StatusCode::OK, &page))
}
