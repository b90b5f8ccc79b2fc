//! `/api/v1/onboarding`: the onboarding board over JSON — cards by stage, region, track,
//! marketplace and days in stage, and moving a card.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use gachi_domain::merchants::merchant::MerchantId;
use gachi_domain::onboarding::{BoardFilter, OnboardingError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiUser, rfc3339};
use crate::error::{ApiError, ApiErrorBody, ApiErrorKind, ApiValidationBody};
use crate::json_body::{AppJson, JsonBodyError, json_body};

#[derive(Debug, Deserialize, IntoParams)]
pub struct OnboardingQuery {
    /// preparing, account_check, drafting, validated, submitted, in_review, selling, rejected, on_hold.
    pub stage: Option<String>,
    /// naver, coupang, 11st or esm.
    pub channel: Option<String>,
    /// 시도 (2 digits) or 시군구 (5 digits).
    pub region_code: Option<String>,
    /// channel, managed or education.
    pub track: Option<String>,
    /// Cards at least this many days in their stage.
    pub min_age_days: Option<String>,
}

/// One merchant × marketplace card.
#[derive(Debug, Serialize, ToSchema)]
pub struct CardBody {
    pub merchant_id: i64,
    pub merchant_name: String,
    pub region_code: String,
    pub track: Option<String>,
    pub channel: String,
    pub stage: String,
    /// The stage's name in the request's language.
    pub stage_name: String,
    /// What to do next, in the request's language.
    pub next_action: String,
    pub entered_at: String,
    pub started_at: String,
    pub days_in_stage: i64,
    pub moved_by: Option<String>,
    /// Why it was moved here, when someone said (a refusal's or a hold's reason).
    pub reason: Option<String>,
}

/// The board: staff see every card, an officer their region, a merchant their own.
#[utoipa::path(get, path = "/api/v1/onboarding", tag = "onboarding", params(OnboardingQuery),
    responses(
        (status = 200, description = "Cards, longest in their stage first", body = [CardBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "A region outside the officer's", body = ApiErrorBody),
        (status = 422, description = "Unknown stage, channel, region or track", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn board(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<OnboardingQuery>,
) -> Result<Json<Vec<CardBody>>, ApiError> {
    let t = caller.t;
    let filter = BoardFilter::parse(
        query.region_code.as_deref(),
        query.track.as_deref(),
        query.channel.as_deref(),
        query.stage.as_deref(),
        query.min_age_days.as_deref(),
    )
    .map_err(|errors| caller.fail(ApiErrorKind::Validation(errors)))?;
    let now = state.clock().now();
    let cards = match state.onboarding().board(&caller.user, filter).await {
        Ok(cards) => cards,
        // A merchant who has not registered their shop yet has no cards: an empty board.
        Err(OnboardingError::NotFound) => Vec::new(),
        Err(error) => return Err(caller.fail(error)),
    };
    Ok(Json(
        cards
            .iter()
            .map(|c| CardBody {
                merchant_id: c.merchant.0,
                merchant_name: c.merchant_name.clone(),
                region_code: c.region.as_str().to_owned(),
                track: c.track.map(|tr| tr.as_str().to_owned()),
                channel: c.channel.code().to_owned(),
                stage: c.stage.as_str().to_owned(),
                stage_name: t.get(&c.stage.label_key()),
                next_action: t.get(&c.stage.next_action_key()),
                entered_at: rfc3339(c.entered_at),
                started_at: rfc3339(c.started_at),
                days_in_stage: c.age_days(now),
                moved_by: c.moved_by.clone(),
                reason: c.reason.clone(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveBody {
    pub merchant_id: i64,
    /// naver, coupang, 11st or esm.
    pub channel: String,
    /// The stage to move to (a new card starts there).
    pub stage: String,
    /// Why: required when moving to `rejected` or `on_hold`, shown on the card to the shop.
    #[serde(default)]
    pub reason: String,
}

/// Moves a card (staff); the move is kept with who and when.
#[utoipa::path(post, path = "/api/v1/onboarding/moves", tag = "onboarding", request_body = MoveBody,
    responses(
        (status = 204, description = "Moved"),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such merchant", body = ApiErrorBody),
        (status = 422, description = "Unknown stage or channel, or no reason for 반려 or 보류", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn move_card(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<MoveBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .onboarding()
        .move_card(
            &caller.user,
            &caller.actor(),
            MerchantId(body.merchant_id),
            &body.channel,
            &body.stage,
            &body.reason,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct JobRequest {
    /// `validate` (every card's shop; passing cards move to 검증 통과), `submit` (the ready
    /// products of the cards in 검증 통과 are listed) or `review` (the marketplace is asked about
    /// the cards in 심사중; decided cards move to 판매중, 반려 or 보류 — schedulers run this).
    pub action: String,
    /// naver, coupang, 11st or esm.
    pub channel: String,
    /// 시도 (2 digits) or 시군구 (5 digits).
    pub region_code: Option<String>,
    /// channel, managed or education.
    pub track: Option<String>,
    /// Cards at least this many days in their stage.
    pub min_age_days: Option<String>,
}

/// A bulk job and how far it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobBody {
    pub id: i64,
    /// validate, submit or review.
    pub action: &'static str,
    pub channel: String,
    /// running, done or interrupted (the server stopped while it ran; safe to run again).
    pub state: &'static str,
    pub total: i64,
    pub done: i64,
    /// validate: cards moved to 검증 통과; submit: products the marketplace took; review: cards
    /// the marketplace decided (moved to 판매중, 반려 or 보류).
    pub passed: i64,
    /// validate: cards whose shop has nothing acceptable yet; submit: products not taken;
    /// review: cards that could not be checked.
    pub failed: i64,
    pub percent: i64,
    pub started_at: String,
    pub finished_at: Option<String>,
}

impl From<&gachi_domain::onboarding::bulk_job::BulkJob> for JobBody {
    fn from(job: &gachi_domain::onboarding::bulk_job::BulkJob) -> Self {
        Self {
            id: job.id,
            action: job.kind.as_str(),
            channel: job.channel.code().to_owned(),
            state: job.state.as_str(),
            total: job.total,
            done: job.done,
            passed: job.passed,
            failed: job.failed,
            percent: job.percent(),
            started_at: rfc3339(job.started_at),
            finished_at: job.finished_at.map(rfc3339),
        }
    }
}

/// Starts a bulk job over one marketplace's cards (staff), as the board's buttons do; it runs in
/// the background: read its progress at `GET /api/v1/onboarding/jobs/{id}`. One job runs per
/// marketplace at a time.
#[utoipa::path(post, path = "/api/v1/onboarding/jobs", tag = "onboarding", request_body = JobRequest,
    responses(
        (status = 202, description = "Started", body = JobBody),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 409, description = "A job already runs for the marketplace", body = ApiValidationBody),
        (status = 422, description = "Unknown action, channel, region, track or days", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn start_job(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<JobRequest>, JsonBodyError>,
) -> Result<(StatusCode, Json<JobBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    if !caller.user.role.is_staff() {
        return Err(caller.fail(ApiErrorKind::Forbidden));
    }
    let mut errors = gachi_domain::ValidationErrors::new();
    let kind = gachi_domain::onboarding::bulk_job::JobKind::parse(&body.action);
    if kind.is_none() {
        errors.push("action", "error-bad-request");
    }
    let channel = errors.check(gachi_domain::kernel::channel::Channel::parse_field(
        &body.channel,
        "channel",
    ));
    let (Some(kind), Some(channel)) = (kind, channel) else {
        return Err(caller.fail(ApiErrorKind::Validation(errors)));
    };
    let scope = gachi_domain::onboarding::BulkScope {
        region_code: body.region_code,
        track: body.track,
        min_age_days: body.min_age_days,
    };
    let job = state
        .start_bulk_job(&caller.user, caller.actor(), kind, channel, &scope)
        .await
        .map_err(|e| caller.fail(e))?
        .ok_or_else(|| caller.fail(ApiErrorKind::Conflict("channel", "onboarding-job-busy")))?;
    Ok((StatusCode::ACCEPTED, Json(JobBody::from(&job))))
}

/// A bulk job's progress (staff).
#[utoipa::path(get, path = "/api/v1/onboarding/jobs/{id}", tag = "onboarding",
    params(("id" = i64, Path, description = "The job")),
    responses(
        (status = 200, description = "The job", body = JobBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such job", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn job(
    State(state): State<AppState>,
    caller: ApiUser,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Json<JobBody>, ApiError> {
    let job = state
        .onboarding()
        .bulk_job(&caller.user, id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(JobBody::from(&job)))
}
