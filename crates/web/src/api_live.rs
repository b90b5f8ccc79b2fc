//! `/api/v1/live`: 가치데이 live commerce. Operators keep studios and hosts and open calls;
//! merchants apply; reviewers score; selection and scheduling run; each broadcast's readiness
//! gate, preparation, confirmation, results and the merchant's survey; the season's report.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use gachi_domain::live::{
    Application, ApplyInput, Broadcast, BroadcastView, Call, CallInput, Host, HostInput,
    PreparationInput, ResultInput, ResultRow, Review, Studio, StudioInput, clock, weekdays_text,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiUser, ListBody};
use crate::error::{ApiError, ApiErrorBody, ApiValidationBody};
use crate::json_body::{AppJson, JsonBodyError, json_body};

/// A studio.
#[derive(Debug, Serialize, ToSchema)]
pub struct StudioBody {
    pub id: i64,
    pub name: String,
    pub place: String,
    /// Start times of its 60-minute broadcasts, `HH:MM`.
    pub times: Vec<String>,
}

impl From<&Studio> for StudioBody {
    fn from(s: &Studio) -> Self {
        Self {
            id: s.id,
            name: s.name.clone(),
            place: s.place.clone(),
            times: s.times.iter().map(|t| clock(*t)).collect(),
        }
    }
}

/// A show host.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostBody {
    pub id: i64,
    pub name: String,
    /// 업종 대분류 the host sells well.
    pub categories: Vec<String>,
    /// `월,화,수`.
    pub weekdays: String,
    pub fee: i64,
}

impl From<&Host> for HostBody {
    fn from(h: &Host) -> Self {
        Self {
            id: h.id,
            name: h.name.clone(),
            categories: h.categories.clone(),
            weekdays: weekdays_text(h.weekdays),
            fee: h.fee,
        }
    }
}

/// The studios (staff).
#[utoipa::path(get, path = "/api/v1/live/studios", tag = "live",
    responses(
        (status = 200, description = "Every studio", body = ListBody<StudioBody>),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn studios(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ListBody<StudioBody>>, ApiError> {
    let studios = state
        .live()
        .studios(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ListBody {
        items: studios.iter().map(StudioBody::from).collect(),
    }))
}

/// Adds a studio (staff): name, place and start times (`10:00, 14:00`).
#[utoipa::path(post, path = "/api/v1/live/studios", tag = "live",
    request_body(content = Object, description = "name, place, times (\"10:00, 14:00\")"),
    responses(
        (status = 201, description = "Added", body = StudioBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 422, description = "A field is wrong", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn add_studio(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<StudioInput>, JsonBodyError>,
) -> Result<(StatusCode, Json<StudioBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let studio = state
        .live()
        .save_studio(&caller.user, &caller.actor(), None, &body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(StudioBody::from(&studio))))
}

/// The show hosts (staff).
#[utoipa::path(get, path = "/api/v1/live/hosts", tag = "live",
    responses(
        (status = 200, description = "Every host", body = ListBody<HostBody>),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn hosts(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ListBody<HostBody>>, ApiError> {
    let hosts = state
        .live()
        .hosts(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ListBody {
        items: hosts.iter().map(HostBody::from).collect(),
    }))
}

/// Adds a show host (staff): name, categories (`음식, 소매`), weekdays (`월,화,수`), fee.
#[utoipa::path(post, path = "/api/v1/live/hosts", tag = "live",
    request_body(content = Object, description = "name, categories (업종 대분류, comma-separated), weekdays (월,화,…; empty: weekdays), fee"),
    responses(
        (status = 201, description = "Added", body = HostBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 422, description = "A field is wrong", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn add_host(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<HostInput>, JsonBodyError>,
) -> Result<(StatusCode, Json<HostBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let host = state
        .live()
        .save_host(&caller.user, &caller.actor(), None, &body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(HostBody::from(&host))))
}

/// A call (모집).
#[derive(Debug, Serialize, ToSchema)]
pub struct CallBody {
    pub id: i64,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub starts: String,
    pub ends: String,
    pub applications_close: String,
    pub quota_total: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota_per_sido: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota_per_industry: Option<u32>,
    pub first_time_percent: u8,
    /// Criterion → weight.
    #[schema(schema_with = crate::api::labelled_numbers)]
    pub weights: Vec<(String, u8)>,
    pub min_days_between_same_industry: u16,
    pub channels: Vec<String>,
    pub reviews_per_application: u8,
    pub reviewer_load: u16,
    /// `open`, `reviewing`, `selected`, `scheduled`.
    pub stage: String,
}

fn call_body(call: &Call, now: gachi_domain::kernel::time::Timestamp) -> CallBody {
    CallBody {
        id: call.id,
        name: call.name.clone(),
        starts: call.starts.to_string(),
        ends: call.ends.to_string(),
        applications_close: call.applications_close.rfc3339_seconds(),
        quota_total: call.quota_total,
        quota_per_sido: call.quota_per_sido,
        quota_per_industry: call.quota_per_industry,
        first_time_percent: call.first_time_percent,
        weights: gachi_domain::live::CRITERIA
            .iter()
            .zip(call.weights)
            .map(|(c, w)| ((*c).to_owned(), w))
            .collect(),
        min_days_between_same_industry: call.min_days_between_same_industry,
        channels: call.channels.iter().map(|c| c.code().to_owned()).collect(),
        reviews_per_application: call.reviews_per_application,
        reviewer_load: call.reviewer_load,
        stage: call_stage(call, now).to_owned(),
    }
}

/// Where a call stands: `open`, `reviewing`, `selected`, `scheduled`.
pub fn call_stage(call: &Call, now: gachi_domain::kernel::time::Timestamp) -> &'static str {
    if call.scheduled_at.is_some() {
        "scheduled"
    } else if call.selected_at.is_some() {
        "selected"
    } else if call.open_at(now) {
        "open"
    } else {
        "reviewing"
    }
}

/// The calls the caller may see, newest season first.
#[utoipa::path(get, path = "/api/v1/live/calls", tag = "live",
    responses(
        (status = 200, description = "Newest season first", body = ListBody<CallBody>),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn calls(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ListBody<CallBody>>, ApiError> {
    let calls = state
        .live()
        .calls(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    let now = state.clock().now();
    Ok(Json(ListBody {
        items: calls.iter().map(|c| call_body(c, now)).collect(),
    }))
}

/// Opens a call (staff).
#[utoipa::path(post, path = "/api/v1/live/calls", tag = "live",
    request_body(content = Object, description = "name, starts, ends, applications_close (YYYY-MM-DD), quota_total, quota_per_sido, quota_per_industry, first_time_percent, weights (\"3,2,2,2,1\": appeal, price, stock, readiness, story), min_days_between_same_industry, channels (gachi, naver_live, coupang_live, kakao_live, live11, grip), reviewer_emails, reviews_per_application, reviewer_load — every value a string"),
    responses(
        (status = 201, description = "Opened", body = CallBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 422, description = "A field is wrong", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn create_call(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<CallInput>, JsonBodyError>,
) -> Result<(StatusCode, Json<CallBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let call = state
        .live()
        .create_call(&caller.user, &caller.actor(), &body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(call_body(&call, state.clock().now())),
    ))
}

/// An application.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationBody {
    pub id: i64,
    pub call_id: i64,
    pub merchant_id: i64,
    pub merchant_name: String,
    pub product_ids: Vec<i64>,
    /// Mondays of the preferred weeks.
    pub preferred_weeks: Vec<String>,
    pub pitch: String,
    pub first_time: bool,
    /// `submitted`, `selected`, `waitlisted`, `not_selected`.
    pub status: String,
    /// Weighted review score, 1.000–5.000, once selection ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Why (a message key), once selection ran.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    pub applied_at: String,
}

impl From<&Application> for ApplicationBody {
    fn from(a: &Application) -> Self {
        Self {
            id: a.id,
            call_id: a.call,
            merchant_id: a.merchant.0,
            merchant_name: a.merchant_name.clone(),
            product_ids: a.products.iter().map(|p| p.0).collect(),
            preferred_weeks: a.preferred_weeks.iter().map(|d| d.to_string()).collect(),
            pitch: a.pitch.clone(),
            first_time: a.first_time,
            status: a.status.code().to_owned(),
            score: a.score.map(|s| s as f64 / 1000.0),
            reason: a.reason.clone(),
            applied_at: a.applied_at.rfc3339_seconds(),
        }
    }
}

/// A reviewer's assignment and scores.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewBody {
    pub application_id: i64,
    pub reviewer_id: i64,
    pub reviewer_name: String,
    /// Criterion → 1–5, once submitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::api::labelled_numbers)]
    pub scores: Option<Vec<(String, u8)>>,
    pub comment: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
}

impl From<&Review> for ReviewBody {
    fn from(r: &Review) -> Self {
        Self {
            application_id: r.application,
            reviewer_id: r.reviewer.0,
            reviewer_name: r.reviewer_name.clone(),
            scores: r.scores.map(|s| {
                gachi_domain::live::CRITERIA
                    .iter()
                    .zip(s)
                    .map(|(c, v)| ((*c).to_owned(), v))
                    .collect()
            }),
            comment: r.comment.clone(),
            submitted_at: r.submitted_at.map(|t| t.rfc3339_seconds()),
        }
    }
}

/// A broadcast in its slot.
#[derive(Debug, Serialize, ToSchema)]
pub struct BroadcastBody {
    pub id: i64,
    pub call_id: i64,
    pub application_id: i64,
    pub merchant_id: i64,
    pub merchant_name: String,
    /// `YYYY-MM-DD`, Seoul.
    pub date: String,
    /// `HH:MM`, Seoul.
    pub starts: String,
    pub studio_id: i64,
    pub studio: String,
    pub host_id: i64,
    pub host: String,
    pub channels: Vec<String>,
    pub product_ids: Vec<i64>,
    /// `scheduled`, `confirmed`, `held`, `cancelled`.
    pub status: String,
    pub checklist: Vec<String>,
    #[schema(schema_with = crate::api::number_pairs)]
    pub expected_units: Vec<(i64, i64)>,
    pub discount_percent: u8,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub replay_url: String,
}

impl From<&Broadcast> for BroadcastBody {
    fn from(b: &Broadcast) -> Self {
        Self {
            id: b.id,
            call_id: b.call,
            application_id: b.application,
            merchant_id: b.merchant.0,
            merchant_name: b.merchant_name.clone(),
            date: b.date.to_string(),
            starts: clock(b.starts),
            studio_id: b.studio,
            studio: b.studio_name.clone(),
            host_id: b.host,
            host: b.host_name.clone(),
            channels: b.channels.iter().map(|c| c.code().to_owned()).collect(),
            product_ids: b.products.iter().map(|p| p.0).collect(),
            status: b.status.code().to_owned(),
            checklist: b.checklist.iter().cloned().collect(),
            expected_units: b.expected_units.iter().map(|(p, n)| (p.0, *n)).collect(),
            discount_percent: b.discount_percent,
            replay_url: b.replay_url.clone(),
        }
    }
}

/// A call with what the caller may see of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallDetailBody {
    pub call: CallBody,
    pub applications: Vec<ApplicationBody>,
    pub reviews: Vec<ReviewBody>,
    /// Application id → criteria on which reviewers differ by more than two points.
    #[schema(schema_with = crate::api::ids_with_labels)]
    pub disagreements: Vec<(i64, Vec<String>)>,
    pub broadcasts: Vec<BroadcastBody>,
    /// Rule breaks among the broadcasts: (message key, broadcast ids).
    #[schema(schema_with = crate::api::labels_with_ids)]
    pub conflicts: Vec<(String, Vec<i64>)>,
}

/// A call: staff see everything; a merchant its own application and broadcast; a reviewer the
/// applications given to them (others' scores only after submitting their own); officers the
/// broadcasts of their region.
#[utoipa::path(get, path = "/api/v1/live/calls/{id}", tag = "live",
    params(("id" = i64, Path, description = "Call id")),
    responses(
        (status = 200, description = "The call", body = CallDetailBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such call, or not one the caller reviews", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn call(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<CallDetailBody>, ApiError> {
    let view = state
        .live()
        .view_call(&caller.user, id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(CallDetailBody {
        call: call_body(&view.call, state.clock().now()),
        applications: view
            .applications
            .iter()
            .map(ApplicationBody::from)
            .collect(),
        reviews: view.reviews.iter().map(ReviewBody::from).collect(),
        disagreements: view
            .disagreements
            .iter()
            .map(|(a, c)| (*a, c.iter().map(|s| (*s).to_owned()).collect()))
            .collect(),
        broadcasts: view.broadcasts.iter().map(BroadcastBody::from).collect(),
        conflicts: view
            .conflicts
            .iter()
            .map(|c| (c.code.to_owned(), c.broadcasts.clone()))
            .collect(),
    }))
}

/// A merchant applies with 1–5 products of its catalog (before applications close).
#[utoipa::path(post, path = "/api/v1/live/calls/{id}/applications", tag = "live",
    params(("id" = i64, Path, description = "Call id")),
    request_body(content = Object, description = "product_ids (1–5 of the shop's products), preferred_weeks (YYYY-MM-DD, any day of each week), pitch"),
    responses(
        (status = 201, description = "Applied", body = ApplicationBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not a merchant", body = ApiErrorBody),
        (status = 404, description = "No such call", body = ApiErrorBody),
        (status = 422, description = "Closed, applied already, or a product not the shop's", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn apply(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<ApplyInput>, JsonBodyError>,
) -> Result<(StatusCode, Json<ApplicationBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let application = state
        .live()
        .apply(&caller.user, &caller.actor(), id, &body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(ApplicationBody::from(&application)),
    ))
}

/// How many assignments were added.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignedBody {
    pub assigned: usize,
}

/// Closes applications now, before the announced date (staff), so selection can run.
#[utoipa::path(post, path = "/api/v1/live/calls/{id}/close", tag = "live",
    params(("id" = i64, Path, description = "Call id")),
    responses(
        (status = 204, description = "Applications closed"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such call", body = ApiErrorBody),
        (status = 422, description = "Applications are closed already", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn close_applications(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .live()
        .close_applications(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives every application its reviewers (staff): the call's number per application, the load
/// limit per reviewer, never the shop's designer.
#[utoipa::path(post, path = "/api/v1/live/calls/{id}/reviewers", tag = "live",
    params(("id" = i64, Path, description = "Call id")),
    responses(
        (status = 200, description = "Assigned", body = AssignedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such call", body = ApiErrorBody),
        (status = 422, description = "Too few reviewers for the load limit", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn assign_reviewers(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<AssignedBody>, ApiError> {
    let assigned = state
        .live()
        .assign_reviewers(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(AssignedBody { assigned }))
}

/// One review to do (or done), with its application.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewTaskBody {
    pub review: ReviewBody,
    pub application: ApplicationBody,
}

/// The caller's reviews, newest application first.
#[utoipa::path(get, path = "/api/v1/live/reviews", tag = "live",
    responses(
        (status = 200, description = "The caller's assignments", body = ListBody<ReviewTaskBody>),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn my_reviews(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ListBody<ReviewTaskBody>>, ApiError> {
    let queue = state
        .live()
        .my_reviews(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ListBody {
        items: queue
            .iter()
            .map(|(r, a)| ReviewTaskBody {
                review: ReviewBody::from(r),
                application: ApplicationBody::from(a),
            })
            .collect(),
    }))
}

/// A reviewer's scores.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewInputBody {
    /// 1–5 for appeal, price, stock, readiness, story, in this order.
    pub scores: Vec<i64>,
    #[serde(default)]
    pub comment: String,
}

/// The assigned reviewer scores an application (until selection runs).
#[utoipa::path(put, path = "/api/v1/live/applications/{id}/review", tag = "live",
    params(("id" = i64, Path, description = "Application id")), request_body = ReviewInputBody,
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "Not an application given to the caller", body = ApiErrorBody),
        (status = 422, description = "A score outside 1–5, or selection ran", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn review(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<ReviewInputBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .live()
        .review(
            &caller.user,
            &caller.actor(),
            id,
            &body.scores,
            &body.comment,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Selection's word on each application.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionBody {
    pub application_id: i64,
    pub selected: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waitlist: Option<u32>,
    /// A message key.
    pub reason: String,
}

/// Selects within the quotas by weighted score (staff), after applications close.
#[utoipa::path(post, path = "/api/v1/live/calls/{id}/selection", tag = "live",
    params(("id" = i64, Path, description = "Call id")),
    responses(
        (status = 200, description = "Selected first, then the waitlist", body = ListBody<DecisionBody>),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such call", body = ApiErrorBody),
        (status = 422, description = "Still open, or scheduled already", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn select(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ListBody<DecisionBody>>, ApiError> {
    let decisions = state
        .live()
        .select(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ListBody {
        items: decisions
            .iter()
            .map(|d| DecisionBody {
                application_id: d.application,
                selected: d.selected,
                waitlist: d.waitlist,
                reason: d.reason.to_owned(),
            })
            .collect(),
    }))
}

/// Applications left without a slot.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduledBody {
    pub unplaced: Vec<i64>,
}

/// Gives every selected application a slot (staff); confirmed broadcasts keep theirs.
#[utoipa::path(post, path = "/api/v1/live/calls/{id}/schedule", tag = "live",
    params(("id" = i64, Path, description = "Call id")),
    responses(
        (status = 200, description = "Scheduled", body = ScheduledBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such call", body = ApiErrorBody),
        (status = 422, description = "Not selected yet, or no studios or hosts", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn schedule(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ScheduledBody>, ApiError> {
    let unplaced = state
        .live()
        .schedule(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ScheduledBody { unplaced }))
}

/// The broadcasts the caller may see: staff every one, officers their region's, a merchant its
/// own; by day.
#[utoipa::path(get, path = "/api/v1/live/broadcasts", tag = "live",
    responses(
        (status = 200, description = "By day", body = ListBody<BroadcastBody>),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "A role without broadcasts", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn broadcasts(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ListBody<BroadcastBody>>, ApiError> {
    let list = state
        .live()
        .broadcasts(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ListBody {
        items: list.iter().map(BroadcastBody::from).collect(),
    }))
}

/// One item of the readiness gate.
#[derive(Debug, Serialize, ToSchema)]
pub struct GateItemBody {
    /// `live-gate-readiness`, `live-gate-stock`, `live-gate-checklist`.
    pub code: String,
    pub passed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<i64>,
    /// The marketplace, for readiness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The checklist item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Things left to fix (readiness).
    pub left: usize,
    /// Where to fix it.
    pub fix_at: String,
}

/// A results row.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultBody {
    pub channel: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<i64>,
    pub viewers: i64,
    pub peak_viewers: i64,
    pub likes: i64,
    pub chats: i64,
    pub orders: i64,
    pub sales_krw: i64,
}

impl From<&ResultRow> for ResultBody {
    fn from(r: &ResultRow) -> Self {
        Self {
            channel: r.channel.code().to_owned(),
            product_id: r.product.map(|p| p.0),
            viewers: r.viewers,
            peak_viewers: r.peak_viewers,
            likes: r.likes,
            chats: r.chats,
            orders: r.orders,
            sales_krw: r.sales_krw,
        }
    }
}

/// A cue-sheet line.
#[derive(Debug, Serialize, ToSchema)]
pub struct CueLineBody {
    pub product_id: i64,
    pub name: String,
    pub price: i64,
    pub live_price: i64,
    pub stock: i64,
    pub expected_units: i64,
    pub selling_points: Vec<String>,
}

/// A broadcast with its cue sheet, gate and results.
#[derive(Debug, Serialize, ToSchema)]
pub struct BroadcastDetailBody {
    pub broadcast: BroadcastBody,
    pub cue_sheet: Vec<CueLineBody>,
    /// Empty for officers.
    pub gate: Vec<GateItemBody>,
    pub results: Vec<ResultBody>,
}

/// Where a gate item is fixed.
pub fn gate_fix_at(b: &Broadcast, item: &gachi_domain::live::GateItem) -> String {
    match (item.product, item.channel) {
        (Some(p), Some(_)) => format!("/products/{}#readiness", p.0),
        (Some(_), None) => format!("/live/broadcasts/{}#preparation", b.id),
        _ => format!("/live/broadcasts/{}#checklist", b.id),
    }
}

fn broadcast_detail(view: &BroadcastView) -> BroadcastDetailBody {
    BroadcastDetailBody {
        broadcast: BroadcastBody::from(&view.broadcast),
        cue_sheet: view
            .cue
            .iter()
            .map(|c| CueLineBody {
                product_id: c.product.0,
                name: c.name.clone(),
                price: c.price,
                live_price: c.live_price,
                stock: c.stock,
                expected_units: c.expected_units,
                selling_points: c.selling_points.clone(),
            })
            .collect(),
        gate: view
            .gate
            .iter()
            .map(|g| GateItemBody {
                code: g.code.to_owned(),
                passed: g.passed,
                product_id: g.product.map(|p| p.0),
                channel: g.channel.map(|c| c.code().to_owned()),
                item: g.item.map(str::to_owned),
                left: g.left,
                fix_at: gate_fix_at(&view.broadcast, g),
            })
            .collect(),
        results: view.results.iter().map(ResultBody::from).collect(),
    }
}

/// A broadcast: its slot, cue sheet, readiness gate (merchant and staff) and results.
#[utoipa::path(get, path = "/api/v1/live/broadcasts/{id}", tag = "live",
    params(("id" = i64, Path, description = "Broadcast id")),
    responses(
        (status = 200, description = "The broadcast", body = BroadcastDetailBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such broadcast, or another shop's", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn broadcast(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<BroadcastDetailBody>, ApiError> {
    let view = state
        .live()
        .view_broadcast(&caller.user, id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(broadcast_detail(&view)))
}

/// A slot to move to.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SlotBody {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, one of the studio's start times.
    pub starts: String,
    pub studio_id: i64,
    pub host_id: i64,
}

/// Moves a broadcast by hand (staff); a move that breaks a rule is refused by field.
#[utoipa::path(put, path = "/api/v1/live/broadcasts/{id}/slot", tag = "live",
    params(("id" = i64, Path, description = "Broadcast id")), request_body = SlotBody,
    responses(
        (status = 204, description = "Moved"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such broadcast", body = ApiErrorBody),
        (status = 422, description = "Studio or host taken, host unavailable, same 업종 too close", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn move_broadcast(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<SlotBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .live()
        .move_broadcast(
            &caller.user,
            &caller.actor(),
            id,
            &body.date,
            &body.starts,
            body.studio_id,
            body.host_id,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Keeps the preparation: the checklist (merchant or staff); channels, expected units,
/// discount and replay link (staff).
#[utoipa::path(put, path = "/api/v1/live/broadcasts/{id}/preparation", tag = "live",
    params(("id" = i64, Path, description = "Broadcast id")),
    request_body(content = Object, description = "checklist ([concept, cue_sheet, discount, shipping, rehearsal]), channels, expected_units ({product id: units}), discount_percent, replay_url"),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such broadcast, or another shop's", body = ApiErrorBody),
        (status = 422, description = "A field is wrong", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn prepare(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<PreparationInput>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .live()
        .prepare(&caller.user, &caller.actor(), id, &body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirms the slot when the readiness gate passes (merchant or staff); otherwise 422 naming
/// each failing item.
#[utoipa::path(post, path = "/api/v1/live/broadcasts/{id}/confirm", tag = "live",
    params(("id" = i64, Path, description = "Broadcast id")),
    responses(
        (status = 204, description = "Confirmed"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such broadcast, or another shop's", body = ApiErrorBody),
        (status = 422, description = "The gate fails: each item by field", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn confirm(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .live()
        .confirm(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Result rows of one broadcast.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResultsInputBody {
    /// channel, viewers, peak_viewers, likes, chats, orders, sales_krw and optional product_id,
    /// every value a string as typed.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<ResultInput>,
}

/// Records results per channel (and product) for a broadcast (staff); it is then held. All
/// rows or none.
#[utoipa::path(post, path = "/api/v1/live/broadcasts/{id}/results", tag = "live",
    params(("id" = i64, Path, description = "Broadcast id")), request_body = ResultsInputBody,
    responses(
        (status = 201, description = "Recorded", body = ListBody<ResultBody>),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 422, description = "A row is wrong (rows[i].field), or the broadcast is not confirmed or not yet aired", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn record_results(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<ResultsInputBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<ListBody<ResultBody>>), ApiError> {
    let mut body = json_body(caller.t, body)?;
    for row in &mut body.rows {
        row.broadcast_id = id.to_string();
    }
    let live = state.live();
    live.enter_results(&caller.user, &caller.actor(), &body.rows)
        .await
        .map_err(|e| caller.fail(e))?;
    let view = live
        .view_broadcast(&caller.user, id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(ListBody {
            items: view.results.iter().map(ResultBody::from).collect(),
        }),
    ))
}

/// The merchant's satisfaction survey.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SurveyBody {
    /// 1–5.
    pub score: i64,
    #[serde(default)]
    pub comment: String,
}

/// The merchant says how the broadcast went (after it was held).
#[utoipa::path(post, path = "/api/v1/live/broadcasts/{id}/survey", tag = "live",
    params(("id" = i64, Path, description = "Broadcast id")), request_body = SurveyBody,
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "Not the caller's broadcast", body = ApiErrorBody),
        (status = 422, description = "Not held yet, or a score outside 1–5", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn survey(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<SurveyBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .live()
        .survey(&caller.user, &caller.actor(), id, body.score, &body.comment)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The year and area of a report.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    pub year: Option<i32>,
    /// 시도 or 시군구 code.
    pub region: Option<String>,
}

/// The season's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportBody {
    pub year: i32,
    pub held: i64,
    pub merchants: i64,
    pub viewers: i64,
    pub orders: i64,
    pub sales_krw: i64,
    /// Orders per 100 viewers.
    pub conversion_percent: f64,
    #[schema(schema_with = crate::api::labelled_numbers)]
    pub by_sido: Vec<(String, i64)>,
    #[schema(schema_with = crate::api::labelled_numbers)]
    pub by_industry: Vec<(String, i64)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<f64>,
}

/// Broadcasts held in a year, shops supported, viewers, orders, sales and conversion, by 시도
/// and 업종 (staff; officers in their region).
#[utoipa::path(get, path = "/api/v1/live/report", tag = "live", params(ReportQuery),
    responses(
        (status = 200, description = "The year's figures", body = ReportBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff or an officer", body = ApiErrorBody),
        (status = 422, description = "An unknown region", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn report(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<ReportQuery>,
) -> Result<Json<ReportBody>, ApiError> {
    let year = query
        .year
        .unwrap_or_else(|| gachi_domain::kernel::time::seoul_date(state.clock().now()).year());
    let region = match query.region.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(
            gachi_domain::kernel::region::RegionCode::parse(code, "region")
                .map_err(|e| caller.fail(gachi_domain::live::LiveError::Invalid(e.into())))?,
        ),
    };
    let r = state
        .live()
        .report(&caller.user, year, region)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ReportBody {
        year,
        held: r.held,
        merchants: r.merchants,
        viewers: r.viewers,
        orders: r.orders,
        sales_krw: r.sales_krw,
        conversion_percent: r.conversion_percent,
        by_sido: r.by_sido,
        by_industry: r.by_industry,
        satisfaction: r.satisfaction,
    }))
}
