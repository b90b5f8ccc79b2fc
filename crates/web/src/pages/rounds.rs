//! Program rounds in the browser: staff open a round with its quotas, review the applicants in
//! rank order and decide; merchants apply and read their outcome with its explanation.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::kernel::region;
use gachi_domain::merchants::diagnosis::Track;
use gachi_domain::program::rounds::{
    Application, Reason, Round, RoundError, RoundId, RoundInput, RoundStatus,
};

use super::{FormErrors, Shell, render, see_other};
use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;

pub struct RoundRow {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub open: bool,
    pub total: u32,
}

/// A merchant's application and what became of it.
pub struct Outcome {
    pub round: String,
    pub text: String,
    pub selected: Option<bool>,
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    page: Shell,
    staff: bool,
    rounds: Vec<RoundRow>,
    outcomes: Vec<Outcome>,
    /// Open rounds the merchant has applied to.
    applied: Vec<i64>,
    errors: FormErrors,
    alert: Option<String>,
    /// Form: (code, name, typed) per 시도 and (track, label, typed) per track.
    round_name: String,
    total: String,
    sido: Vec<(String, String, String)>,
    tracks: Vec<(&'static str, String, String)>,
}

fn status_text(t: Tr, status: RoundStatus) -> String {
    t.get(&format!("round-status-{}", status.as_str()))
}

fn track_text(t: Tr, track: Track) -> String {
    t.get(&format!("track-{}", track.as_str()))
}

/// The sentence explaining a decision.
pub fn explain(t: Tr, round: Option<&Round>, application: &Application) -> (String, Option<bool>) {
    let Some(decision) = &application.decision else {
        return (t.get("decision-pending"), None);
    };
    let seats = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let quotas = round.map(|r| r.quotas.clone()).unwrap_or_default();
    let rank = ("rank", decision.rank.to_string());
    let text = match &decision.reason {
        Reason::Selected => t.args("decision-selected", &[rank]),
        Reason::TotalFull => t.args(
            "decision-total-full",
            &[rank, ("seats", quotas.total.to_string())],
        ),
        Reason::SidoFull(sido) => {
            let n = quotas
                .by_sido
                .iter()
                .find(|(r, _)| r == sido)
                .map(|(_, n)| *n);
            t.args(
                "decision-sido-full",
                &[rank, ("sido", sido.region().name), ("seats", seats(n))],
            )
        }
        Reason::TrackFull(track) => {
            let n = quotas
                .by_track
                .iter()
                .find(|(tr, _)| tr == track)
                .map(|(_, n)| *n);
            t.args(
                "decision-track-full",
                &[rank, ("track", track_text(t, *track)), ("seats", seats(n))],
            )
        }
    };
    (text, Some(decision.reason.selected()))
}

async fn rounds_page(
    state: &AppState,
    ctx: &Ctx,
    input: Option<RoundInput>,
    errors: FormErrors,
    alert: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Operator, Role::Admin, Role::Merchant])?
        .clone();
    let t = ctx.t;
    let rounds = state.program().rounds().await.map_err(|e| ctx.fail(e))?;
    let staff = user.role.is_staff();
    let (outcomes, applied) = if staff {
        (Vec::new(), Vec::new())
    } else {
        let applications = state
            .program()
            .own_applications(&user)
            .await
            .map_err(|e| ctx.fail(e))?;
        let outcomes = applications
            .iter()
            .map(|a| {
                let round = rounds.iter().find(|r| r.id == a.round);
                let (text, selected) = explain(t, round, a);
                Outcome {
                    round: round.map(|r| r.name.clone()).unwrap_or_default(),
                    text,
                    selected,
                }
            })
            .collect();
        (outcomes, applications.iter().map(|a| a.round.0).collect())
    };
    let input = input.unwrap_or_default();
    let typed = |list: &[(String, String)], key: &str| {
        list.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let page = RoundsPage {
        staff,
        rounds: rounds
            .iter()
            .filter(|r| staff || r.status == RoundStatus::Open || applied.contains(&r.id.0))
            .map(|r| RoundRow {
                id: r.id.0,
                name: r.name.clone(),
                status: status_text(t, r.status),
                open: r.status == RoundStatus::Open,
                total: r.quotas.total,
            })
            .collect(),
        outcomes,
        applied,
        errors,
        alert,
        round_name: input.name.clone(),
        total: input.total.clone(),
        sido: region::all_sido()
            .into_iter()
            .map(|r| {
                (
                    r.code.as_str().to_owned(),
                    r.name,
                    typed(&input.by_sido, r.code.as_str()),
                )
            })
            .collect(),
        tracks: Track::ALL
            .into_iter()
            .map(|tr| {
                (
                    tr.as_str(),
                    track_text(t, tr),
                    typed(&input.by_track, tr.as_str()),
                )
            })
            .collect(),
        page: Shell::new(ctx),
    };
    Ok(render(status, &page))
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    rounds_page(
        &state,
        &ctx,
        None,
        FormErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&Role::STAFF)?.clone();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let pick = |prefix: &str| -> Vec<(String, String)> {
        form.iter()
            .filter_map(|(k, v)| {
                k.strip_prefix(prefix)
                    .map(|key| (key.to_owned(), v.clone()))
            })
            .collect()
    };
    let input = RoundInput {
        name: field("name"),
        total: field("total"),
        by_sido: pick("sido."),
        by_track: pick("track."),
    };
    let program = state.program();
    match program.open(&user, &input, &ctx.actor()).await {
        Ok(round) => Ok(see_other(&ctx, &format!("/rounds/{}", round.id.0))),
        Err(RoundError::Invalid(errors)) => {
            let errors = FormErrors::from_validation(ctx.t, &errors);
            rounds_page(
                &state,
                &ctx,
                Some(input),
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Merchant])?.clone();
    let program = state.program();
    match program.apply(&user, RoundId(id), &ctx.actor()).await {
        Ok(()) => Ok(see_other(&ctx, "/rounds?applied=1")),
        Err(error @ (RoundError::NotFound | RoundError::Store(_))) => Err(ctx.fail(error)),
        // Why the application was refused (closed, already applied, no shop, not diagnosed),
        // above the list of rounds.
        Err(other) => {
            let alert = Some(ctx.t.get(other.key()));
            rounds_page(
                &state,
                &ctx,
                None,
                FormErrors::default(),
                alert,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct NominateForm {
    pub merchant_id: i64,
}

/// A local-government officer nominates a merchant of their region into an open round.
pub async fn nominate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<NominateForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::LocalGov])?.clone();
    let program = state.program();
    let back = format!("/merchants/{}", form.merchant_id);
    program
        .nominate(
            &user,
            RoundId(id),
            gachi_domain::merchants::merchant::MerchantId(form.merchant_id),
            &ctx.actor(),
        )
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(see_other(&ctx, &format!("{back}?nominated=1")))
}

pub struct ApplicantRow {
    pub rank: String,
    pub merchant_id: i64,
    pub name: String,
    pub sido: String,
    pub track: String,
    pub product: u32,
    pub online: u32,
    pub decision: String,
    pub selected: Option<bool>,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    page: Shell,
    round: Round,
    status: String,
    open: bool,
    /// "전북특별자치도 10명" and "전담 셀러 30명" lines.
    quota_lines: Vec<String>,
    applicants: Vec<ApplicantRow>,
    selected: usize,
    alert: Option<String>,
}

async fn round_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    alert: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&Role::STAFF)?.clone();
    let t = ctx.t;
    let (round, applications) = state
        .program()
        .round_with_applications(&user, RoundId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut quota_lines = vec![t.args(
        "round-quota-total",
        &[("seats", round.quotas.total.to_string())],
    )];
    quota_lines.extend(round.quotas.by_sido.iter().map(|(r, n)| {
        t.args(
            "round-quota-line",
            &[("what", r.region().name), ("seats", n.to_string())],
        )
    }));
    quota_lines.extend(round.quotas.by_track.iter().map(|(tr, n)| {
        t.args(
            "round-quota-line",
            &[("what", track_text(t, *tr)), ("seats", n.to_string())],
        )
    }));
    let applicants: Vec<ApplicantRow> = applications
        .iter()
        .map(|a| {
            let (decision, selected) = explain(t, Some(&round), a);
            ApplicantRow {
                rank: a
                    .decision
                    .as_ref()
                    .map(|d| d.rank.to_string())
                    .unwrap_or_default(),
                merchant_id: a.applicant.merchant.0,
                name: a.merchant_name.clone(),
                sido: a.applicant.sido.region().name,
                track: track_text(t, a.applicant.track),
                product: a.applicant.product_score,
                online: a.applicant.online_score,
                decision,
                selected,
            }
        })
        .collect();
    let page = RoundPage {
        status: status_text(t, round.status),
        open: round.status == RoundStatus::Open,
        selected: applicants
            .iter()
            .filter(|a| a.selected == Some(true))
            .count(),
        quota_lines,
        applicants,
        round,
        alert,
        page: Shell::new(ctx),
    };
    Ok(render(status, &page))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    round_page(&state, &ctx, id, None, StatusCode::OK).await
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&Role::STAFF)?.clone();
    // Selecting closes the round and tells every applicant: the form's box says it was read.
    if super::form_value(&pairs, "confirm") != "1" {
        let alert = Some(ctx.t.get("error-round-decide-confirm"));
        return round_page(&state, &ctx, id, alert, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let program = state.program();
    match program.decide(&user, RoundId(id), &ctx.actor()).await {
        Ok(_) => Ok(see_other(&ctx, &format!("/rounds/{id}"))),
        Err(error @ (RoundError::NotFound | RoundError::Store(_))) => Err(ctx.fail(error)),
        // Why the round cannot be decided (it is closed), above its applicants, with 409.
        Err(other) => {
            let alert = Some(ctx.t.get(other.key()));
            round_page(&state, &ctx, id, alert, StatusCode::CONFLICT).await
        }
    }
}
