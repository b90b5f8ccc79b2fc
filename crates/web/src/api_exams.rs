//! `/api/v1/exams`: the 디지털 유통설계사 exam — each level's blueprint and whether the caller
//! may sit it, attempts (start, read, save answers, save the practical's product, submit), and
//! for staff the item bank and the pass rate. An attempt read by the candidate carries its items
//! without the right answers; the server grades.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use gachi_domain::catalog::product::ProductFile;
use gachi_domain::designers::Level;
use gachi_domain::designers::exams::{
    Attempt, Blueprint, Eligibility, ItemKind, PracticalCheck, State as AttemptState,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ApiUser;
use crate::api_products::CompletenessBody;
use crate::error::{ApiError, ApiErrorBody, ApiErrorKind, ApiValidationBody};
use crate::json_body::{self, AppJson, JsonBodyError, json_body};

/// The most attempts the list returns.
const HISTORY: u32 = 100;

/// One level's exam, and whether the caller may start it now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamLevelBody {
    /// 2 or 1.
    pub level: u8,
    pub items: usize,
    pub per_area: usize,
    pub minutes: i64,
    /// The written part's pass mark, in percent.
    pub pass_percent: u32,
    /// Days to wait after a failed attempt.
    pub retake_days: i64,
    /// `eligible`, `running`, `certified`, `needs_second_level`, `courses_missing` or
    /// `retake_wait`.
    pub eligibility: String,
    /// With `retake_wait`: from when (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retake_from: Option<String>,
    /// With `courses_missing`: the areas.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_areas: Vec<String>,
    /// With `running`: the attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub running_attempt: Option<i64>,
}

/// A closed attempt's result.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamResultBody {
    /// `passed`, `failed` or `timed_out`.
    pub outcome: String,
    pub closed_at: String,
    pub written_right: u32,
    pub written_total: u32,
    pub written_percent: u32,
    pub pass_percent: u32,
    pub practical_passed: bool,
}

/// An item of an attempt's form: no right answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamFormItemBody {
    /// From 1.
    pub position: u32,
    /// `listing`, `detail_page`, `live` or `consulting`.
    pub area: String,
    pub prompt: String,
    /// `choice` (answer with a choice's position, from 0) or `short` (answer with text).
    pub kind: String,
    pub choices: Vec<String>,
    /// The answer saved.
    pub answer: Option<String>,
}

/// The practical's brief.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamBriefBody {
    pub code: String,
    pub title: String,
    /// The shop owner's words, with every fact the listing needs.
    pub text: String,
    /// The marketplaces the product must be ready for.
    pub channels: Vec<String>,
}

/// An attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamAttemptBody {
    pub id: i64,
    pub candidate: String,
    pub level: u8,
    pub started_at: String,
    /// No answer is taken after it (RFC 3339).
    pub deadline: String,
    /// `open`, `passed`, `failed` or `timed_out`.
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brief: Option<ExamBriefBody>,
    /// The form, while the candidate answers it; empty in lists.
    pub items: Vec<ExamFormItemBody>,
    /// Whether a practical product was saved.
    pub practical_saved: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<ExamResultBody>,
    /// The certificate a passed attempt earned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
}

fn attempt_body(
    attempt: &Attempt,
    now: gachi_domain::kernel::time::Timestamp,
    with_items: bool,
) -> ExamAttemptBody {
    let blueprint = Blueprint::for_level(attempt.level);
    let state = match attempt.state(now) {
        AttemptState::Open => "open",
        AttemptState::RanOut => "timed_out",
        AttemptState::Closed(outcome) => outcome.code(),
    };
    ExamAttemptBody {
        id: attempt.id,
        candidate: attempt.designer_name.clone(),
        level: attempt.level.grade(),
        started_at: attempt.started_at.rfc3339_seconds(),
        deadline: attempt.deadline.rfc3339_seconds(),
        state: state.to_owned(),
        brief: attempt.brief().map(|b| ExamBriefBody {
            code: b.code.to_owned(),
            title: b.title.to_owned(),
            text: b.text.to_owned(),
            channels: b.channels.iter().map(|c| c.code().to_owned()).collect(),
        }),
        items: if with_items {
            attempt
                .items
                .iter()
                .map(|i| ExamFormItemBody {
                    position: i.position,
                    area: i.item.area.code().to_owned(),
                    prompt: i.item.prompt.clone(),
                    kind: match i.item.kind {
                        ItemKind::Choice { .. } => "choice",
                        ItemKind::Short { .. } => "short",
                    }
                    .to_owned(),
                    choices: match &i.item.kind {
                        ItemKind::Choice { choices, .. } => choices.clone(),
                        ItemKind::Short { .. } => Vec::new(),
                    },
                    answer: i.answer.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
        practical_saved: attempt.practical.is_some(),
        result: attempt.closed.as_ref().map(|c| ExamResultBody {
            outcome: c.outcome.code().to_owned(),
            closed_at: c.at.rfc3339_seconds(),
            written_right: c.written_right,
            written_total: c.written_total,
            written_percent: c.written_percent(),
            pass_percent: blueprint.pass_percent,
            practical_passed: c.practical_passed,
        }),
        certificate: attempt.certificate.clone(),
    }
}

/// The pass rate of closed attempts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamPassRateBody {
    pub passed: i64,
    pub closed: i64,
    /// In percent; absent before any attempt closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<i64>,
}

/// The exams as the caller sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamsBody {
    /// Each level for a designer; empty for staff.
    pub levels: Vec<ExamLevelBody>,
    /// Newest first: the caller's, or everyone's for staff.
    pub attempts: Vec<ExamAttemptBody>,
    /// Staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass_rate: Option<ExamPassRateBody>,
}

/// Each level's exam and the caller's attempts (designers), or every attempt and the pass rate
/// (staff).
#[utoipa::path(get, path = "/api/v1/exams", tag = "designers",
    responses(
        (status = 200, description = "Levels and attempts", body = ExamsBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Neither a designer nor staff", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn overview(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ExamsBody>, ApiError> {
    let exams = state.exams();
    let now = state.clock().now();
    let attempts = exams
        .history(&caller.user, HISTORY)
        .await
        .map_err(|e| caller.fail(e))?;
    let staff = caller.user.role.is_staff();
    let mut levels = Vec::new();
    if !staff {
        let eligibilities = exams
            .eligibilities(&caller.user)
            .await
            .map_err(|e| caller.fail(e))?;
        for (level, eligibility) in eligibilities {
            let blueprint = Blueprint::for_level(level);
            let mut body = ExamLevelBody {
                level: level.grade(),
                items: blueprint.items(),
                per_area: blueprint.per_area,
                minutes: blueprint.minutes,
                pass_percent: blueprint.pass_percent,
                retake_days: blueprint.retake_days,
                eligibility: String::new(),
                retake_from: None,
                missing_areas: Vec::new(),
                running_attempt: None,
            };
            body.eligibility = match eligibility {
                Eligibility::Eligible => "eligible",
                Eligibility::Running { id, .. } => {
                    body.running_attempt = Some(id);
                    "running"
                }
                Eligibility::Certified => "certified",
                Eligibility::NeedsSecondLevel => "needs_second_level",
                Eligibility::CoursesMissing(areas) => {
                    body.missing_areas = areas.iter().map(|a| a.code().to_owned()).collect();
                    "courses_missing"
                }
                Eligibility::RetakeWait(until) => {
                    body.retake_from = Some(until.rfc3339_seconds());
                    "retake_wait"
                }
            }
            .to_owned();
            levels.push(body);
        }
    }
    let pass_rate = if staff {
        let rate = exams.pass_rate().await.map_err(|e| caller.fail(e))?;
        Some(ExamPassRateBody {
            passed: rate.passed,
            closed: rate.closed,
            percent: rate.percent(),
        })
    } else {
        None
    };
    Ok(Json(ExamsBody {
        levels,
        attempts: attempts
            .iter()
            .map(|a| attempt_body(a, now, false))
            .collect(),
        pass_rate,
    }))
}

/// An item of the bank, with its answer (staff).
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamItemBody {
    pub id: i64,
    pub area: String,
    pub prompt: String,
    /// `choice` or `short`.
    pub kind: String,
    pub choices: Vec<String>,
    /// The right choice's position (choice items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<usize>,
    /// The accepted answers (short-answer items).
    pub accepted: Vec<String>,
    pub retired: bool,
}

/// The item bank, live and retired (staff).
#[utoipa::path(get, path = "/api/v1/exams/items", tag = "designers",
    responses(
        (status = 200, description = "By area", body = [ExamItemBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn items(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<ExamItemBody>>, ApiError> {
    let items = state
        .exams()
        .bank(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(
        items
            .into_iter()
            .map(|i| {
                let (kind, choices, answer, accepted) = match i.kind {
                    ItemKind::Choice { choices, answer } => {
                        ("choice", choices, Some(answer), Vec::new())
                    }
                    ItemKind::Short { accepted } => ("short", Vec::new(), None, accepted),
                };
                ExamItemBody {
                    id: i.id,
                    area: i.area.code().to_owned(),
                    prompt: i.prompt,
                    kind: kind.to_owned(),
                    choices,
                    answer,
                    accepted,
                    retired: i.retired,
                }
            })
            .collect(),
    ))
}

/// Items to add to one area's bank, each written on one line: `question | choice | *right` or
/// `question | =accepted answer | =another`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewExamItemsBody {
    /// `listing`, `detail_page`, `live` or `consulting`.
    pub area: String,
    pub items: Vec<String>,
}

/// How many items were added.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamItemsAddedBody {
    pub added: usize,
}

/// Adds items to the bank (staff). All or none: a malformed line is named (`items.3`) and
/// nothing is added.
#[utoipa::path(post, path = "/api/v1/exams/items", tag = "designers", request_body = NewExamItemsBody,
    responses(
        (status = 201, description = "Added", body = ExamItemsAddedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 422, description = "Unknown area, no item, or a malformed line", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn add_items(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<NewExamItemsBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<ExamItemsAddedBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    // One line per entry: a line break inside an entry would make two items.
    if let Some(n) = body.items.iter().position(|i| i.contains('\n')) {
        return Err(caller.fail(ApiErrorKind::Validation(
            gachi_domain::FieldError::new(format!("items.{}", n + 1), "error-exam-item-line")
                .into(),
        )));
    }
    let added = state
        .exams()
        .add_items(
            &caller.user,
            &caller.actor(),
            &body.area,
            &body.items.join("\n"),
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(ExamItemsAddedBody { added })))
}

/// Retires an item (staff): later forms leave it out; past attempts keep it.
#[utoipa::path(post, path = "/api/v1/exams/items/{id}/retire", tag = "designers",
    params(("id" = i64, Path, description = "Item id")),
    responses(
        (status = 204, description = "Retired"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such item", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn retire_item(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .exams()
        .retire_item(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The level to sit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StartExamBody {
    /// `2` or `1` (`2급` reads too).
    pub level: String,
}

/// Starts an attempt (designers): a form drawn by the level's blueprint, a brief, a deadline.
#[utoipa::path(post, path = "/api/v1/exams/attempts", tag = "designers", request_body = StartExamBody,
    responses(
        (status = 201, description = "Started", body = ExamAttemptBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not a designer", body = ApiErrorBody),
        (status = 409, description = "Another attempt runs, or the bank is too small", body = ApiValidationBody),
        (status = 422, description = "Unknown level, certified already, courses not completed, or 1급 without 2급", body = ApiValidationBody),
        (status = 429, description = "A failed attempt's waiting period runs", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn start(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<StartExamBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<ExamAttemptBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let level = Level::parse(&body.level, "level")
        .map_err(|e| caller.fail(ApiErrorKind::Validation(e.into())))?;
    let attempt = state
        .exams()
        .start(&caller.user, &caller.actor(), level)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(attempt_body(&attempt, state.clock().now(), true)),
    ))
}

/// An attempt: the candidate's own or, for staff, anyone's.
#[utoipa::path(get, path = "/api/v1/exams/attempts/{id}", tag = "designers",
    params(("id" = i64, Path, description = "Attempt id")),
    responses(
        (status = 200, description = "The attempt", body = ExamAttemptBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such attempt, or another candidate's", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn attempt(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ExamAttemptBody>, ApiError> {
    let attempt = state
        .exams()
        .attempt(&caller.user, id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(attempt_body(&attempt, state.clock().now(), true)))
}

/// One answer: the item's position and the answer (a choice's position from 0 as text, or the
/// typed text; null clears it).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExamAnswerBody {
    pub position: u32,
    pub answer: Option<String>,
}

/// Answers to save.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExamAnswersBody {
    pub answers: Vec<ExamAnswerBody>,
}

/// Saves answers while the attempt runs (the candidate).
#[utoipa::path(put, path = "/api/v1/exams/attempts/{id}/answers", tag = "designers",
    params(("id" = i64, Path, description = "Attempt id")),
    request_body = ExamAnswersBody,
    responses(
        (status = 200, description = "Saved", body = ExamAttemptBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not the candidate", body = ApiErrorBody),
        (status = 404, description = "No such attempt", body = ApiErrorBody),
        (status = 409, description = "Submitted, or past the deadline", body = ApiValidationBody),
        (status = 422, description = "An item not on the form, or an answer that is no choice", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn save_answers(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<ExamAnswersBody>, JsonBodyError>,
) -> Result<Json<ExamAttemptBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let answers = body
        .answers
        .into_iter()
        .map(|a| (a.position, a.answer))
        .collect();
    let attempt = state
        .exams()
        .save_answers(&caller.user, id, &answers)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(attempt_body(&attempt, state.clock().now(), true)))
}

/// How the practical's product stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct PracticalBody {
    /// Ready for both marketplaces of the brief and true to it.
    pub passed: bool,
    /// The brief's facts the product does not carry: `price`, `stock`, `notice_type`.
    pub wrong_facts: Vec<String>,
    /// Readiness for each marketplace of the brief.
    pub listings: Vec<CompletenessBody>,
}

fn practical_body(caller: &ApiUser, check: &PracticalCheck) -> PracticalBody {
    use gachi_domain::designers::exams::Fact;
    PracticalBody {
        passed: check.passed(),
        wrong_facts: check
            .wrong_facts
            .iter()
            .map(|f| {
                match f {
                    Fact::Price => "price",
                    Fact::Stock => "stock",
                    Fact::NoticeType => "notice_type",
                }
                .to_owned()
            })
            .collect(),
        listings: check
            .readiness
            .iter()
            .map(|r| crate::readiness::translated(caller.t, r).into())
            .collect(),
    }
}

/// Saves the practical's product (a product file v1, even half done) while the attempt runs,
/// and says how it stands against the brief.
#[utoipa::path(put, path = "/api/v1/exams/attempts/{id}/practical", tag = "designers",
    params(("id" = i64, Path, description = "Attempt id")),
    request_body(content = crate::product_schema::ProductChangesSchema, description = "The product as a product file v1"),
    responses(
        (status = 200, description = "Saved", body = PracticalBody),
        (status = 400, description = "Not a JSON product file", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not the candidate", body = ApiErrorBody),
        (status = 404, description = "No such attempt", body = ApiErrorBody),
        (status = 409, description = "Submitted, or past the deadline", body = ApiValidationBody),
        (status = 422, description = "Too large", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn save_practical(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Result<Json<PracticalBody>, ApiError> {
    let file: ProductFile = json_body::from_slice(&bytes).map_err(|e| e.into_api(caller.t))?;
    let check = state
        .exams()
        .save_practical(&caller.user, id, &file)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(practical_body(&caller, &check)))
}

/// Submits the attempt (the candidate): grades both parts, and issues the certificate on a pass.
#[utoipa::path(post, path = "/api/v1/exams/attempts/{id}/submit", tag = "designers",
    params(("id" = i64, Path, description = "Attempt id")),
    responses(
        (status = 200, description = "Graded", body = ExamAttemptBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not the candidate", body = ApiErrorBody),
        (status = 404, description = "No such attempt", body = ApiErrorBody),
        (status = 409, description = "Submitted already, or past the deadline", body = ApiValidationBody),
        (status = 503, description = "No issuer key: nothing can be certified", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn submit(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ExamAttemptBody>, ApiError> {
    let attempt = state
        .exams()
        .submit(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(attempt_body(&attempt, state.clock().now(), true)))
}
