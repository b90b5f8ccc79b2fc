//! Matching proposals on the web: the staff's 매칭 page (run the optimal matching for a 시도 or
//! nationally, look at it, send it), and each side's answer on the 설계사 위임 page — the shop's
//! owner accepts with the scopes and days it grants, or declines; the designer accepts or
//! declines. The delegation starts when both have accepted.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::{Role, User};
use gachi_domain::designers::proposals::{
    AnswerInput, MatchProposal, ProposalError, ProposalStatus, Side,
};

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::designers::{delegations_page, matching_reasons};
use crate::pages::{Shell, form_value, render};

/// A proposal as the 위임 and 매칭 pages show it.
pub struct ProposalView {
    pub id: i64,
    pub merchant_name: String,
    pub designer_name: String,
    pub why: String,
    pub status: String,
    /// The proposal is waiting for this side's answer.
    pub status_waiting: bool,
    pub proposed: String,
    /// The caller answers for a side that has not answered yet.
    pub may_answer: bool,
    /// The caller is the shop's owner (the accept form asks what to grant).
    pub grants: bool,
}

fn view(t: Tr, p: &MatchProposal, side: Option<Side>) -> ProposalView {
    let status = p.status();
    ProposalView {
        id: p.id,
        merchant_name: p.merchant_name.clone(),
        designer_name: p.designer_name.clone(),
        why: matching_reasons(t, &p.reasons),
        status: t.get(status.key()),
        status_waiting: !matches!(status, ProposalStatus::Declined | ProposalStatus::Started),
        proposed: p.proposed_at.display_seoul(),
        may_answer: side.is_some_and(|s| p.awaits(s)),
        grants: side == Some(Side::Merchant),
    }
}

/// The proposals `user` sees, newest first (for a merchant or a designer, the side they answer).
pub async fn views(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
) -> Result<Vec<ProposalView>, PageError> {
    let side = match user.role {
        Role::Merchant => Some(Side::Merchant),
        Role::Designer => Some(Side::Designer),
        _ => None,
    };
    Ok(state
        .proposals()
        .list(user)
        .await
        .map_err(|e| ctx.fail(e))?
        .iter()
        .map(|p| view(ctx.t, p, side))
        .collect())
}

async fn answer(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    input: AnswerInput,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Merchant, Role::Designer])?.clone();
    match state
        .proposals()
        .answer(&user, &ctx.actor(), id, &input)
        .await
    {
        Ok(after) => {
            let key = match after.status() {
                ProposalStatus::Started => "proposal-alert-started",
                ProposalStatus::Declined => "proposal-alert-declined",
                _ => "proposal-alert-accepted",
            };
            let alert = ctx.t.get(key);
            delegations_page(state, ctx, Some(alert), Vec::new(), StatusCode::OK).await
        }
        Err(ProposalError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            delegations_page(state, ctx, None, messages, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// The shop's owner (with the scopes and days it grants) or the designer accepts.
pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = AnswerInput {
        accept: true,
        scopes: pairs
            .iter()
            .filter(|(k, _)| k == "scopes")
            .map(|(_, v)| v.clone())
            .collect(),
        days: form_value(&pairs, "days"),
    };
    answer(&state, &ctx, id, input).await
}

/// The shop's owner or the designer declines.
pub async fn decline(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    answer(&state, &ctx, id, AnswerInput::default()).await
}

/// A pair of a run, as the 매칭 page lists it.
pub struct PairView {
    pub merchant: String,
    pub designer: String,
    pub why: String,
}

#[derive(Template)]
#[template(path = "matching.html")]
struct MatchingPage {
    page: Shell,
    sido: String,
    /// The run just computed or sent.
    pairs: Vec<PairView>,
    /// Shops left over, with why.
    left_over: Vec<(String, String)>,
    ran: bool,
    alert: Option<String>,
    errors: Vec<String>,
    proposals: Vec<ProposalView>,
}

async fn matching_page(
    state: &AppState,
    ctx: &Ctx,
    sido: String,
    run: Option<(
        gachi_domain::designers::matching_run::Proposal,
        Option<usize>,
    )>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    let t = ctx.t;
    let (pairs, left_over, alert) = match &run {
        Some((run, sent)) => {
            let name = |names: &std::collections::BTreeMap<i64, String>, id: i64| {
                names.get(&id).cloned().unwrap_or_default()
            };
            let pairs = run
                .matching
                .assignments
                .iter()
                .map(|a| PairView {
                    merchant: name(&run.merchant_names, a.merchant),
                    designer: name(&run.designer_names, a.designer),
                    why: matching_reasons(t, &a.reasons),
                })
                .collect();
            let left_over = run
                .matching
                .unassigned
                .iter()
                .map(|(m, why)| (name(&run.merchant_names, *m), t.get(why.key())))
                .collect();
            let alert = match sent {
                Some(n) => t.count("matching-sent", "count", *n as i64),
                None => t.count(
                    "matching-previewed",
                    "count",
                    run.matching.assignments.len() as i64,
                ),
            };
            (pairs, left_over, Some(alert))
        }
        None => (Vec::new(), Vec::new(), None),
    };
    let proposals = views(state, ctx, &user).await?;
    Ok(render(
        status,
        &MatchingPage {
            page: Shell::new(ctx),
            sido,
            ran: run.is_some(),
            pairs,
            left_over,
            alert,
            errors,
            proposals,
        },
    ))
}

/// The 매칭 page: a form to run the matching, and every proposal with where it stands.
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    matching_page(
        &state,
        &ctx,
        String::new(),
        None,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// Runs the matching for the 시도 typed (or nationally): `action=preview` shows it, `send`
/// keeps the proposals for both sides.
pub async fn run(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    let sido_text = form_value(&pairs, "sido");
    let sido = match sido_text.trim() {
        "" => None,
        code => match gachi_domain::kernel::region::RegionCode::parse(code, "sido") {
            Ok(region) => Some(region.sido()),
            Err(error) => {
                return matching_page(
                    &state,
                    &ctx,
                    sido_text,
                    None,
                    vec![ctx.t.get(error.code)],
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
    };
    let matchings = state.matchings();
    let run = if form_value(&pairs, "action") == "send" {
        matchings
            .send(&user, &ctx.actor(), sido.as_ref())
            .await
            .map(|(run, sent)| (run, Some(sent)))
    } else {
        matchings
            .propose(&user, sido.as_ref())
            .await
            .map(|run| (run, None))
    }
    .map_err(|e| ctx.fail(e))?;
    matching_page(
        &state,
        &ctx,
        sido_text,
        Some(run),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}
