//! 자격 시험 (the designer exam) on the web. A designer sees each level's exam, whether they may
//! sit it and why not, their attempts, and starts one; an attempt's page is the written form
//! (answers saved as they go, never the right ones) with the deadline, and the practical is the
//! product form itself, checked against the brief. Staff keep the item bank and see every
//! attempt and the pass rate.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::{Role, User};
use gachi_domain::designers::Level;
use gachi_domain::designers::courses::Area;
use gachi_domain::designers::exams::{
    Attempt, Blueprint, Brief, Eligibility, ExamError, Fact, ItemKind, Outcome, PracticalCheck,
    State as AttemptState,
};
use gachi_domain::kernel::time::Timestamp;

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::courses::area_label;
use crate::pages::product_form::ProductForm;
use crate::pages::products::{PracticalBox, apply_form_only_action, practical_page};
use crate::pages::{Shell, form_value, render, see_other};

/// The most attempts the pages list.
const HISTORY: u32 = 50;

pub(crate) fn level_label(t: Tr, level: Level) -> String {
    t.arg("exam-level", "grade", level.grade())
}

pub(crate) fn outcome_label(t: Tr, outcome: Outcome) -> String {
    t.get(match outcome {
        Outcome::Passed => "exam-outcome-passed",
        Outcome::Failed => "exam-outcome-failed",
        Outcome::TimedOut => "exam-outcome-timed_out",
    })
}

fn fact_label(t: Tr, fact: Fact, brief: &Brief) -> String {
    match fact {
        Fact::Price => t.arg("exam-fact-price", "price", brief.price),
        Fact::Stock => t.arg("exam-fact-stock", "stock", brief.stock),
        Fact::NoticeType => t.arg(
            "exam-fact-notice",
            "type",
            gachi_domain::catalog::notice::find(brief.notice_type)
                .map_or(brief.notice_type.to_owned(), |n| n.label.clone()),
        ),
    }
}

/// "12월 7일 15:10까지 (약 42분 남음)", or that the time is up.
fn deadline_text(t: Tr, deadline: Timestamp, now: Timestamp) -> String {
    if now >= deadline {
        return t.get("exam-time-up");
    }
    t.args(
        "exam-deadline",
        &[
            ("at", deadline.display_seoul()),
            (
                "minutes",
                ((now.seconds_until(deadline) + 59) / 60).to_string(),
            ),
        ],
    )
}

/// One row of the attempts table.
pub struct AttemptRow {
    pub id: i64,
    pub who: String,
    pub level: String,
    pub started: String,
    pub outcome: String,
    /// `passed`, `failed`, `timed_out` or `open`, for the tag's colour.
    pub outcome_code: &'static str,
    pub written: String,
    pub practical: String,
    pub certificate: Option<String>,
}

fn attempt_row(t: Tr, attempt: &Attempt, now: Timestamp) -> AttemptRow {
    let (outcome, outcome_code) = match attempt.state(now) {
        AttemptState::Open => (t.get("exam-outcome-open"), "open"),
        AttemptState::RanOut => (
            outcome_label(t, Outcome::TimedOut),
            Outcome::TimedOut.code(),
        ),
        AttemptState::Closed(outcome) => (outcome_label(t, outcome), outcome.code()),
    };
    let (written, practical) = match &attempt.closed {
        Some(c) if c.outcome != Outcome::TimedOut => (
            t.args(
                "exam-written-score",
                &[
                    ("right", c.written_right.to_string()),
                    ("total", c.written_total.to_string()),
                    ("percent", c.written_percent().to_string()),
                ],
            ),
            t.get(if c.practical_passed {
                "exam-practical-ok"
            } else {
                "exam-practical-not"
            }),
        ),
        _ => ("—".to_owned(), "—".to_owned()),
    };
    AttemptRow {
        id: attempt.id,
        who: attempt.designer_name.clone(),
        level: level_label(t, attempt.level),
        started: attempt.started_at.display_seoul(),
        outcome,
        outcome_code,
        written,
        practical,
        certificate: attempt.certificate.clone(),
    }
}

/// One level's exam as a candidate sees it.
pub struct LevelView {
    pub grade: u8,
    pub title: String,
    /// What the exam asks, in a sentence.
    pub blueprint: String,
    /// Why the candidate may not start now; empty when they may.
    pub blocked: String,
    pub eligible: bool,
    /// The running attempt to go back to.
    pub running: Option<i64>,
}

fn blueprint_text(t: Tr, blueprint: &Blueprint) -> String {
    t.args(
        "exam-blueprint",
        &[
            ("items", blueprint.items().to_string()),
            ("per_area", blueprint.per_area.to_string()),
            ("minutes", blueprint.minutes.to_string()),
            ("pass", blueprint.pass_percent.to_string()),
            ("retake", blueprint.retake_days.to_string()),
        ],
    )
}

/// An item of the bank as staff see it.
pub struct BankItem {
    pub id: i64,
    pub prompt: String,
    /// The choices with the right one marked, or the accepted answers.
    pub answer: String,
    pub retired: bool,
}

/// One area of the bank.
pub struct BankArea {
    pub code: &'static str,
    pub label: String,
    pub live: usize,
    pub items: Vec<BankItem>,
}

#[derive(Template)]
#[template(path = "exams.html")]
struct ExamsPage {
    page: Shell,
    staff: bool,
    levels: Vec<LevelView>,
    attempts: Vec<AttemptRow>,
    /// "합격 12 / 응시 20 (60%)".
    pass_rate: String,
    bank: Vec<BankArea>,
    areas: Vec<(&'static str, String)>,
    errors: Vec<String>,
    form: (String, String),
}

async fn exams_page(
    state: &AppState,
    ctx: &Ctx,
    errors: Vec<String>,
    form: (String, String),
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Designer, Role::Operator, Role::Admin])?
        .clone();
    let t = ctx.t;
    let exams = state.exams();
    let now = state.clock().now();
    let attempts = exams
        .history(&user, HISTORY)
        .await
        .map_err(|e| ctx.fail(e))?;
    let staff = user.role.is_staff();
    let levels = if staff {
        Vec::new()
    } else {
        exams
            .eligibilities(&user)
            .await
            .map_err(|e| ctx.fail(e))?
            .iter()
            .map(|(level, eligibility)| level_view(t, *level, eligibility))
            .collect()
    };
    let (pass_rate, bank) = if staff {
        let rate = exams.pass_rate().await.map_err(|e| ctx.fail(e))?;
        let text = match rate.percent() {
            Some(percent) => t.args(
                "exam-pass-rate-figure",
                &[
                    ("passed", rate.passed.to_string()),
                    ("closed", rate.closed.to_string()),
                    ("percent", percent.to_string()),
                ],
            ),
            None => t.get("exam-pass-rate-none"),
        };
        let items = exams.bank(&user).await.map_err(|e| ctx.fail(e))?;
        let bank = Area::ALL
            .into_iter()
            .map(|area| {
                let of_area: Vec<BankItem> = items
                    .iter()
                    .filter(|i| i.area == area)
                    .map(|i| BankItem {
                        id: i.id,
                        prompt: i.prompt.clone(),
                        answer: match &i.kind {
                            ItemKind::Choice { choices, answer } => choices
                                .iter()
                                .enumerate()
                                .map(|(n, c)| {
                                    if n == *answer {
                                        format!("✔ {c}")
                                    } else {
                                        c.clone()
                                    }
                                })
                                .collect::<Vec<_>>()
                                .join(" · "),
                            ItemKind::Short { accepted } => {
                                format!("{}: {}", t.get("exam-item-short"), accepted.join(" · "))
                            }
                        },
                        retired: i.retired,
                    })
                    .collect();
                BankArea {
                    code: area.code(),
                    label: area_label(t, area),
                    live: of_area.iter().filter(|i| !i.retired).count(),
                    items: of_area,
                }
            })
            .collect();
        (text, bank)
    } else {
        (String::new(), Vec::new())
    };
    Ok(render(
        status,
        &ExamsPage {
            page: Shell::new(ctx),
            staff,
            levels,
            attempts: attempts.iter().map(|a| attempt_row(t, a, now)).collect(),
            pass_rate,
            bank,
            areas: Area::ALL
                .into_iter()
                .map(|a| (a.code(), area_label(t, a)))
                .collect(),
            errors,
            form,
        },
    ))
}

fn level_view(t: Tr, level: Level, eligibility: &Eligibility) -> LevelView {
    let blocked = match eligibility {
        Eligibility::Eligible => String::new(),
        Eligibility::Running { level: running, .. } if *running == level => String::new(),
        Eligibility::Running { .. } => t.get("error-exam-running"),
        Eligibility::Certified => t.get("error-exam-certified"),
        Eligibility::NeedsSecondLevel => t.get("error-exam-needs-second"),
        Eligibility::CoursesMissing(areas) => t.arg(
            "exam-courses-missing",
            "areas",
            areas
                .iter()
                .map(|a| area_label(t, *a))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Eligibility::RetakeWait(until) => {
            t.arg("error-exam-retake-wait", "at", until.display_seoul())
        }
    };
    LevelView {
        grade: level.grade(),
        title: level_label(t, level),
        blueprint: blueprint_text(t, &Blueprint::for_level(level)),
        blocked,
        eligible: *eligibility == Eligibility::Eligible,
        running: match eligibility {
            Eligibility::Running { id, level: running } if *running == level => Some(*id),
            _ => None,
        },
    }
}

/// The exams: levels and attempts for a designer; the bank, attempts and pass rate for staff.
pub async fn overview(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    exams_page(&state, &ctx, Vec::new(), Default::default(), StatusCode::OK).await
}

/// A designer starts an attempt at the level chosen.
pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Designer])?.clone();
    let level = match Level::parse(&form_value(&pairs, "level"), "level") {
        Ok(level) => level,
        Err(e) => {
            return exams_page(
                &state,
                &ctx,
                vec![ctx.t.get(e.code)],
                Default::default(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state.exams().start(&user, &ctx.actor(), level).await {
        Ok(attempt) => Ok(see_other(&ctx, &format!("/exams/attempts/{}", attempt.id))),
        Err(ExamError::AttemptRunning(id)) if id > 0 => {
            Ok(see_other(&ctx, &format!("/exams/attempts/{id}")))
        }
        Err(ExamError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            exams_page(
                &state,
                &ctx,
                messages,
                Default::default(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ExamError::RetakeWait { until, .. }) => {
            exams_page(
                &state,
                &ctx,
                vec![
                    ctx.t
                        .arg("error-exam-retake-wait", "at", until.display_seoul()),
                ],
                Default::default(),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// Staff add items to the bank.
pub async fn add_items(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    let (area, items) = (form_value(&pairs, "area"), form_value(&pairs, "items"));
    match state
        .exams()
        .add_items(&user, &ctx.actor(), &area, &items)
        .await
    {
        Ok(_) => Ok(see_other(&ctx, "/exams#bank")),
        Err(ExamError::Invalid(errors)) => {
            let messages = errors
                .0
                .iter()
                .map(|e| match e.field.strip_prefix("items.") {
                    Some(line) => ctx.t.args(
                        "exam-item-line-error",
                        &[("line", line.to_owned()), ("error", ctx.t.get(e.code))],
                    ),
                    None => ctx.t.get(e.code),
                })
                .collect();
            exams_page(
                &state,
                &ctx,
                messages,
                (area, items),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// Staff retire an item.
pub async fn retire_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    state
        .exams()
        .retire_item(&user, &ctx.actor(), id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(see_other(&ctx, "/exams#bank"))
}

/// A form item as the attempt page shows it: no right answer.
pub struct FormItemView {
    pub position: u32,
    pub area: String,
    pub prompt: String,
    /// (position, label, chosen) of a choice item; empty for a short-answer one.
    pub choices: Vec<(usize, String, bool)>,
    /// The typed answer of a short-answer item.
    pub typed: String,
}

#[derive(Template)]
#[template(path = "exam_attempt.html")]
struct AttemptPage {
    page: Shell,
    id: i64,
    title: String,
    /// The candidate themself, while it runs: the form takes answers.
    answering: bool,
    deadline: String,
    blueprint: String,
    items: Vec<FormItemView>,
    brief_title: String,
    /// How the practical stands, in words.
    practical: String,
    practical_ready: bool,
    /// The result, once closed.
    result: Option<AttemptRow>,
    /// When a failed candidate may try again.
    retake: String,
    saved: bool,
    errors: Vec<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SavedQuery {
    pub saved: Option<u8>,
}

async fn practical_check(
    state: &AppState,
    attempt: &Attempt,
) -> Result<Option<PracticalCheck>, ExamError> {
    match &attempt.practical {
        Some(file) => Ok(Some(state.exams().check_practical(attempt, file).await?)),
        None => Ok(None),
    }
}

async fn attempt_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: i64,
    saved: bool,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = ctx.t;
    let exams = state.exams();
    let attempt = exams.attempt(user, id).await.map_err(|e| ctx.fail(e))?;
    let now = state.clock().now();
    let answering = attempt.designer == user.id && attempt.state(now) == AttemptState::Open;
    let check = practical_check(state, &attempt)
        .await
        .map_err(|e| ctx.fail(e))?;
    let practical_ready = check.as_ref().is_some_and(PracticalCheck::passed);
    let practical = match &check {
        None => t.get("exam-practical-not-started"),
        Some(check) if check.passed() => t.get("exam-practical-passed"),
        Some(check) => t.arg(
            "exam-practical-left",
            "count",
            check.product_issues().count() + check.wrong_facts.len(),
        ),
    };
    let items = if answering {
        attempt
            .items
            .iter()
            .map(|i| FormItemView {
                position: i.position,
                area: area_label(t, i.item.area),
                prompt: i.item.prompt.clone(),
                choices: match &i.item.kind {
                    ItemKind::Choice { choices, .. } => choices
                        .iter()
                        .enumerate()
                        .map(|(n, c)| {
                            let chosen = i.answer.as_deref() == Some(n.to_string().as_str());
                            (n, c.clone(), chosen)
                        })
                        .collect(),
                    ItemKind::Short { .. } => Vec::new(),
                },
                typed: match &i.item.kind {
                    ItemKind::Short { .. } => i.answer.clone().unwrap_or_default(),
                    ItemKind::Choice { .. } => String::new(),
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    let result = attempt
        .closed
        .as_ref()
        .map(|_| attempt_row(t, &attempt, now));
    let retake = match attempt.retake_from() {
        Some(at) if attempt.closed.is_some() && at > now => {
            t.arg("error-exam-retake-wait", "at", at.display_seoul())
        }
        _ => String::new(),
    };
    Ok(render(
        status,
        &AttemptPage {
            page: Shell::new(ctx),
            id,
            title: level_label(t, attempt.level),
            answering,
            deadline: deadline_text(t, attempt.deadline, now),
            blueprint: blueprint_text(t, &Blueprint::for_level(attempt.level)),
            items,
            brief_title: attempt
                .brief()
                .map_or_else(String::new, |b| b.title.to_owned()),
            practical,
            practical_ready,
            result,
            retake,
            saved,
            errors,
        },
    ))
}

/// An attempt: the written form while it runs, the result after.
pub async fn attempt(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Designer, Role::Operator, Role::Admin])?
        .clone();
    attempt_page(
        &state,
        &ctx,
        &user,
        id,
        query.saved.is_some(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// The written answers by position, from the form's `a{position}` inputs.
fn answers_of(pairs: &[(String, String)]) -> BTreeMap<u32, Option<String>> {
    pairs
        .iter()
        .filter_map(|(name, value)| {
            let position = name.strip_prefix('a')?.parse::<u32>().ok()?;
            Some((position, Some(value.clone())))
        })
        .collect()
}

/// Saves the written answers; with `action=submit` submits the attempt too, with
/// `action=practical` goes on to the practical.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Designer])?.clone();
    let exams = state.exams();
    match exams.save_answers(&user, id, &answers_of(&pairs)).await {
        Ok(_) => {}
        Err(ExamError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            return attempt_page(
                &state,
                &ctx,
                &user,
                id,
                false,
                messages,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(other) => return Err(ctx.fail(other)),
    }
    match form_value(&pairs, "action").as_str() {
        "submit" => {
            exams
                .submit(&user, &ctx.actor(), id)
                .await
                .map_err(|e| ctx.fail(e))?;
            Ok(see_other(&ctx, &format!("/exams/attempts/{id}")))
        }
        // The answers are kept while the candidate works on the practical.
        "practical" => Ok(see_other(&ctx, &format!("/exams/attempts/{id}/practical"))),
        _ => Ok(see_other(&ctx, &format!("/exams/attempts/{id}?saved=1"))),
    }
}

/// The practical's brief above the product form, with the product as last saved.
pub async fn practical(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Designer])?.clone();
    let exams = state.exams();
    let attempt = exams.attempt(&user, id).await.map_err(|e| ctx.fail(e))?;
    let now = state.clock().now();
    if attempt.designer != user.id || attempt.state(now) != AttemptState::Open {
        return Ok(see_other(&ctx, &format!("/exams/attempts/{id}")));
    }
    let brief = attempt
        .brief()
        .ok_or_else(|| ctx.fail(ExamError::NotFound))?;
    let file = attempt.practical.clone().unwrap_or_default();
    let check = exams
        .check_practical(&attempt, &file)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.t;
    let practical = PracticalBox {
        attempt: id,
        title: brief.title.to_owned(),
        text: brief.text.to_owned(),
        deadline: deadline_text(t, attempt.deadline, now),
        wrong_facts: check
            .wrong_facts
            .iter()
            .map(|f| fact_label(t, *f, brief))
            .collect(),
        passed: check.passed(),
        started: attempt.practical.is_some(),
        ungraded: if check.ungraded() > 0 {
            t.get("exam-practical-ungraded")
        } else {
            String::new()
        },
    };
    Ok(practical_page(
        &state,
        &ctx,
        ProductForm::from_file(&file),
        query.saved.is_some(),
        check.readiness,
        practical,
    )
    .await)
}

/// Saves the practical's product as typed (a notice-type change or a standard answer too) and
/// shows it again.
pub async fn save_practical(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Designer])?.clone();
    let mut form = ProductForm::from_pairs(pairs);
    let form_only = apply_form_only_action(&mut form);
    form.0.remove("action");
    state
        .exams()
        .save_practical(&user, id, &form.to_file())
        .await
        .map_err(|e| ctx.fail(e))?;
    let to = if form_only {
        format!("/exams/attempts/{id}/practical")
    } else {
        format!("/exams/attempts/{id}/practical?saved=1")
    };
    Ok(see_other(&ctx, &to))
}
