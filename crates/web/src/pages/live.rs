//! 가치데이 live commerce in the browser: the public 예고 page and its calendar (no sign-in);
//! the calls page (staff open calls, merchants apply and follow their broadcasts, reviewers
//! find their queue); one call as each side needs it (staff assign reviewers, select and
//! schedule; a merchant applies; a reviewer scores); one broadcast (the readiness gate with a
//! link to fix each item, preparation, confirmation, hand moves, results, the survey); the
//! printable cue sheet; studios and hosts.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::{Role, User};
use gachi_domain::live::{
    Application, ApplyInput, Broadcast, BroadcastStatus, CHECKLIST, CRITERIA, Call, CallInput,
    HostInput, LiveChannel, LiveError, PreparationInput, ResultInput, StudioInput, clock,
    weekdays_text,
};

use crate::AppState;
use crate::api_live::{call_stage, gate_fix_at};
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::{Tr, grouped};
use crate::pages::{Shell, done_note, form_value, render, see_other};

/// A broadcast in a list.
pub struct BroadcastRow {
    pub id: i64,
    pub when: String,
    pub shop: String,
    pub studio: String,
    pub host: String,
    pub status_code: &'static str,
    pub status: String,
    pub channels: Vec<(String, String)>,
    pub products: String,
    pub replay_url: String,
}

fn broadcast_row(t: Tr, b: &Broadcast, products: String) -> BroadcastRow {
    BroadcastRow {
        id: b.id,
        when: t.args(
            "live-when",
            &[
                ("date", b.date.to_string()),
                (
                    "weekday",
                    t.get(&format!(
                        "live-weekday-{}",
                        b.date.weekday().number_days_from_monday()
                    )),
                ),
                ("starts", clock(b.starts)),
            ],
        ),
        shop: b.merchant_name.clone(),
        studio: b.studio_name.clone(),
        host: b.host_name.clone(),
        status_code: b.status.code(),
        status: t.get(&format!("live-status-{}", b.status.code())),
        channels: b
            .channels
            .iter()
            .map(|c| {
                (
                    c.code().to_owned(),
                    t.get(&format!("live-channel-{}", c.code())),
                )
            })
            .collect(),
        products,
        replay_url: b.replay_url.clone(),
    }
}

// ---- public ----

#[derive(Template)]
#[template(path = "live.html")]
struct PublicPage {
    page: Shell,
    upcoming: Vec<BroadcastRow>,
    held: Vec<BroadcastRow>,
    signed_in: bool,
}

/// The public 예고 page: confirmed broadcasts to come, and replays of the latest held ones.
pub async fn public(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let (upcoming, held) = state
        .live()
        .announcements()
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.t;
    let rows = |list: Vec<gachi_domain::live::Announcement>| {
        list.into_iter()
            .map(|a| broadcast_row(t, &a.broadcast, a.product_names.join(" · ")))
            .collect()
    };
    Ok(render(
        StatusCode::OK,
        &PublicPage {
            page: Shell::new(&ctx),
            upcoming: rows(upcoming),
            held: rows(held),
            signed_in: ctx.user.is_some(),
        },
    ))
}

/// The 예고 calendar: one event per upcoming broadcast, for phones' calendars.
pub async fn calendar(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let (upcoming, _) = state
        .live()
        .announcements()
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.t;
    let events: Vec<crate::ics::CalendarEvent> = upcoming
        .iter()
        .map(|a| {
            let b = &a.broadcast;
            let channels: Vec<String> = b
                .channels
                .iter()
                .map(|c| t.get(&format!("live-channel-{}", c.code())))
                .collect();
            crate::ics::CalendarEvent {
                uid: format!("live-{}@gachi", b.id),
                start: b.starts_at(),
                end: b.ends_at(),
                summary: format!("가치데이 라이브 · {}", b.merchant_name),
                location: channels.join(", "),
                description: a.product_names.join(", "),
            }
        })
        .collect();
    Ok(crate::ics::calendar_response(
        "gachi-live.ics",
        crate::ics::calendar("가치데이 라이브", state.clock().now(), &events),
    ))
}

// ---- calls ----

/// A call in a list.
pub struct CallRow {
    pub id: i64,
    pub name: String,
    pub season: String,
    pub close: String,
    pub stage_code: &'static str,
    pub stage: String,
    pub quota: u32,
}

fn call_row(t: Tr, c: &Call, now: gachi_domain::kernel::time::Timestamp) -> CallRow {
    let stage = call_stage(c, now);
    CallRow {
        id: c.id,
        name: c.name.clone(),
        season: format!("{} ~ {}", c.starts, c.ends),
        close: c.applications_close.display_seoul(),
        stage_code: stage,
        stage: t.get(&format!("live-stage-{stage}")),
        quota: c.quota_total,
    }
}

/// An application as a list shows it.
pub struct ApplicationRow {
    pub id: i64,
    pub call_id: i64,
    pub shop: String,
    pub status_code: &'static str,
    pub status: String,
    pub score: String,
    pub reason: String,
    pub first_time: bool,
    pub products: usize,
    pub weeks: String,
    pub pitch: String,
    pub disagreement: String,
}

fn application_row(
    t: Tr,
    a: &Application,
    disagreement: Option<&Vec<&'static str>>,
) -> ApplicationRow {
    ApplicationRow {
        id: a.id,
        call_id: a.call,
        shop: a.merchant_name.clone(),
        status_code: a.status.code(),
        status: t.get(&format!("live-application-{}", a.status.code())),
        score: a
            .score
            .map(|s| format!("{:.2}", s as f64 / 1000.0))
            .unwrap_or_default(),
        reason: if a.reason.is_empty() {
            String::new()
        } else {
            t.get(&a.reason)
        },
        first_time: a.first_time,
        products: a.products.len(),
        weeks: a
            .preferred_weeks
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        pitch: a.pitch.clone(),
        disagreement: disagreement
            .map(|c| {
                c.iter()
                    .map(|k| t.get(&format!("live-criterion-{k}")))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "live_calls.html")]
struct CallsPage {
    page: Shell,
    audience: &'static str,
    calls: Vec<CallRow>,
    applications: Vec<ApplicationRow>,
    broadcasts: Vec<BroadcastRow>,
    reviews: Vec<(ApplicationRow, bool)>,
    form: CallInput,
    errors: Vec<String>,
    /// (code, name, checked).
    channels: Vec<(&'static str, String, bool)>,
}

fn audience(user: &User) -> &'static str {
    match user.role {
        r if r.is_staff() => "staff",
        Role::LocalGov => "officer",
        Role::Merchant => "merchant",
        _ => "reviewer",
    }
}

async fn calls_page(
    state: &AppState,
    ctx: &Ctx,
    form: CallInput,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let t = ctx.t;
    let live = state.live();
    let now = state.clock().now();
    let calls = live.calls(user).await.map_err(|e| ctx.fail(e))?;
    let mut applications = Vec::new();
    let mut broadcasts = Vec::new();
    let mut reviews = Vec::new();
    match user.role {
        Role::Merchant => {
            applications = live
                .my_applications(user)
                .await
                .map_err(|e| ctx.fail(e))?
                .iter()
                .map(|a| application_row(t, a, None))
                .collect();
        }
        Role::Designer | Role::Md => {
            reviews = live
                .my_reviews(user)
                .await
                .map_err(|e| ctx.fail(e))?
                .iter()
                .map(|(r, a)| (application_row(t, a, None), r.submitted_at.is_some()))
                .collect();
        }
        _ => {}
    }
    if matches!(user.role, Role::Merchant | Role::LocalGov) || user.role.is_staff() {
        broadcasts = live
            .broadcasts(user)
            .await
            .map_err(|e| ctx.fail(e))?
            .iter()
            .map(|b| broadcast_row(t, b, String::new()))
            .collect();
    }
    Ok(render(
        status,
        &CallsPage {
            page: Shell::new(ctx),
            audience: audience(user),
            calls: calls.iter().map(|c| call_row(t, c, now)).collect(),
            applications,
            broadcasts,
            reviews,
            channels: LiveChannel::ALL
                .into_iter()
                .map(|c| {
                    let on = form.channels.split(',').any(|x| x.trim() == c.code());
                    (c.code(), t.get(&format!("live-channel-{}", c.code())), on)
                })
                .collect(),
            form,
            errors,
        },
    ))
}

/// Calls, the caller's applications, broadcasts or reviews; staff open a call here.
pub async fn calls(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let form = CallInput {
        quota_total: "50".into(),
        first_time_percent: "30".into(),
        weights: "3,2,2,2,1".into(),
        min_days_between_same_industry: "7".into(),
        channels: "gachi".into(),
        reviews_per_application: "2".into(),
        reviewer_load: "50".into(),
        ..CallInput::default()
    };
    calls_page(&state, &ctx, form, Vec::new(), StatusCode::OK).await
}

/// Staff open a call. The form posts channel checkboxes; they are joined for the domain.
pub async fn create_call(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let value = |name: &str| form_value(&pairs, name);
    let form = CallInput {
        name: value("name"),
        starts: value("starts"),
        ends: value("ends"),
        applications_close: value("applications_close"),
        quota_total: value("quota_total"),
        quota_per_sido: value("quota_per_sido"),
        quota_per_industry: value("quota_per_industry"),
        first_time_percent: value("first_time_percent"),
        weights: value("weights"),
        min_days_between_same_industry: value("min_days_between_same_industry"),
        channels: pairs
            .iter()
            .filter(|(k, _)| k == "channels")
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(","),
        reviewer_emails: value("reviewer_emails"),
        reviews_per_application: value("reviews_per_application"),
        reviewer_load: value("reviewer_load"),
    };
    match state.live().create_call(user, &ctx.actor(), &form).await {
        Ok(call) => Ok(see_other(&ctx, &format!("/live/calls/{}", call.id))),
        Err(LiveError::Invalid(errors)) => {
            let messages = field_messages(ctx.t, &errors);
            calls_page(
                &state,
                &ctx,
                form,
                messages,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// "field: message" lines, the field named in the reader's language.
fn field_messages(t: Tr, errors: &gachi_domain::ValidationErrors) -> Vec<String> {
    errors
        .0
        .iter()
        .map(|e| {
            // `rows[0].viewers` (a results row) is named by its field.
            let field = e
                .field
                .split_once("].")
                .map_or(e.field.as_str(), |(_, rest)| rest);
            let head = field.split(['.', '[']).next().unwrap_or_default();
            let label = t.get(&format!("live-field-{head}"));
            format!("{label}: {}", t.get(e.code))
        })
        .collect()
}

/// A reviewer's form for one application.
pub struct ReviewForm {
    pub application: ApplicationRow,
    pub criteria: Vec<(&'static str, String, u8)>,
    pub own: String,
    pub comment: String,
    pub others: Vec<String>,
}

#[derive(Template)]
#[template(path = "live_call.html")]
struct CallPage {
    page: Shell,
    call: CallRow,
    audience: &'static str,
    weights: Vec<(String, u8)>,
    channels: String,
    applications: Vec<ApplicationRow>,
    /// Per application (staff): reviewer names with their weighted score or "waiting".
    review_lines: BTreeMap<i64, Vec<String>>,
    broadcasts: Vec<BroadcastRow>,
    conflicts: Vec<String>,
    /// A merchant's products to choose from: (id, name).
    products: Vec<(i64, String)>,
    may_apply: bool,
    /// A reviewer's forms: the application, each criterion (key, label, own score or 0), own
    /// scores as text (empty: not given), own comment, others' scores (after one's own).
    to_review: Vec<ReviewForm>,
    alert: Option<String>,
    errors: Vec<String>,
}

async fn call_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    alert: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let t = ctx.t;
    let now = state.clock().now();
    let view = state
        .live()
        .view_call(user, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let aud = audience(user);
    let applications: Vec<ApplicationRow> = view
        .applications
        .iter()
        .map(|a| application_row(t, a, view.disagreements.get(&a.id)))
        .collect();
    let mut review_lines: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in &view.reviews {
        let line = match &r.scores {
            Some(s) => format!(
                "{} {:.2}",
                r.reviewer_name,
                gachi_domain::live::weighted_score(&view.call.weights, s) as f64 / 1000.0
            ),
            None => format!("{} ({})", r.reviewer_name, t.get("live-review-waiting")),
        };
        review_lines.entry(r.application).or_default().push(line);
    }
    // Whoever was given an application to score gets its form, staff included.
    let mut to_review = Vec::new();
    for a in &view.applications {
        let Some(own) = view
            .reviews
            .iter()
            .find(|r| r.application == a.id && r.reviewer == user.id)
        else {
            continue;
        };
        let others = view
            .reviews
            .iter()
            .filter(|r| r.application == a.id && r.reviewer != user.id)
            .filter_map(|r| {
                r.scores.map(|s| {
                    format!(
                        "{}: {}",
                        r.reviewer_name,
                        s.iter().map(u8::to_string).collect::<Vec<_>>().join(" / ")
                    )
                })
            })
            .collect();
        let scores = own.scores;
        to_review.push(ReviewForm {
            application: application_row(t, a, view.disagreements.get(&a.id)),
            criteria: CRITERIA
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        *c,
                        t.get(&format!("live-criterion-{c}")),
                        scores.map_or(0, |s| s[i]),
                    )
                })
                .collect(),
            own: scores
                .map(|s| s.iter().map(u8::to_string).collect::<Vec<_>>().join(" / "))
                .unwrap_or_default(),
            comment: own.comment.clone(),
            others,
        });
    }
    let mut products = Vec::new();
    let mut may_apply = false;
    if aud == "merchant" {
        may_apply = view.call.open_at(now) && view.applications.is_empty();
        if may_apply && let Ok(Some(shop)) = state.registry().own_shop(user).await {
            products = state
                .catalog()
                .list(user, Some(shop.id), None, 100)
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|p| (p.id.0, p.file.name))
                .collect();
        }
    }
    let page = CallPage {
        page: Shell::new(ctx),
        call: call_row(t, &view.call, now),
        audience: aud,
        weights: CRITERIA
            .iter()
            .zip(view.call.weights)
            .map(|(c, w)| (t.get(&format!("live-criterion-{c}")), w))
            .collect(),
        channels: view
            .call
            .channels
            .iter()
            .map(|c| t.get(&format!("live-channel-{}", c.code())))
            .collect::<Vec<_>>()
            .join(", "),
        applications,
        review_lines,
        broadcasts: view
            .broadcasts
            .iter()
            .map(|b| broadcast_row(t, b, String::new()))
            .collect(),
        conflicts: view
            .conflicts
            .iter()
            .map(|c| {
                let ids = c
                    .broadcasts
                    .iter()
                    .map(|b| format!("#{b}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("{} ({ids})", t.get(c.code))
            })
            .collect(),
        products,
        may_apply,
        to_review,
        alert,
        errors,
    };
    Ok(render(status, &page))
}

const CALL_DONE: [&str; 6] = [
    "applied",
    "closed",
    "assigned",
    "reviewed",
    "selected",
    "scheduled",
];
const BROADCAST_DONE: [&str; 7] = [
    "prepared",
    "confirmed",
    "moved",
    "results",
    "survey",
    "cancelled",
    "saved",
];

/// One call as the caller's role needs it.
pub async fn call(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let alert = done_note(&ctx, "live-done-", &CALL_DONE);
    call_page(&state, &ctx, id, alert, Vec::new(), StatusCode::OK).await
}

/// What is done on a call's page: apply, assign reviewers, review, select, schedule.
pub async fn call_act(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let value = |name: &str| form_value(&pairs, name);
    let all = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let live = state.live();
    let actor = ctx.actor();
    let (result, done) = match value("action").as_str() {
        "apply" => (
            live.apply(
                &user,
                &actor,
                id,
                &ApplyInput {
                    product_ids: all("product_ids")
                        .iter()
                        .filter_map(|v| v.trim().parse().ok())
                        .collect(),
                    preferred_weeks: all("preferred_weeks"),
                    pitch: value("pitch"),
                },
            )
            .await
            .map(|_| ()),
            "applied",
        ),
        "close" => (live.close_applications(&user, &actor, id).await, "closed"),
        "assign" => (
            live.assign_reviewers(&user, &actor, id).await.map(|_| ()),
            "assigned",
        ),
        "review" => {
            let scores: Vec<i64> = CRITERIA
                .iter()
                .map(|c| value(&format!("score_{c}")).trim().parse().unwrap_or(0))
                .collect();
            (
                live.review(
                    &user,
                    &actor,
                    value("application_id").trim().parse().unwrap_or(0),
                    &scores,
                    &value("comment"),
                )
                .await,
                "reviewed",
            )
        }
        "select" => (live.select(&user, &actor, id).await.map(|_| ()), "selected"),
        "schedule" => (
            live.schedule(&user, &actor, id).await.map(|_| ()),
            "scheduled",
        ),
        _ => (
            Err(LiveError::Invalid(
                gachi_domain::FieldError::new("action", "error-event-action").into(),
            )),
            "",
        ),
    };
    match result {
        Ok(()) => Ok(see_other(&ctx, &format!("/live/calls/{id}?done={done}"))),
        Err(LiveError::Invalid(errors)) => {
            let messages = field_messages(ctx.t, &errors);
            call_page(
                &state,
                &ctx,
                id,
                None,
                messages,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

// ---- one broadcast ----

/// A readiness-gate line as the page shows it.
pub struct GateRow {
    pub passed: bool,
    pub text: String,
    pub fix_at: String,
    pub key: String,
}

/// A cue-sheet line as the page shows it.
pub struct CueRow {
    pub product_id: i64,
    pub name: String,
    pub price: String,
    pub live_price: String,
    pub stock: String,
    pub expected: i64,
    pub points: Vec<String>,
}

#[derive(Template)]
#[template(path = "live_broadcast.html")]
struct BroadcastPage {
    page: Shell,
    b: BroadcastRow,
    date: String,
    starts: String,
    studio_id: i64,
    host_id: i64,
    staff: bool,
    may_manage: bool,
    scheduled: bool,
    held: bool,
    is_owner: bool,
    gate: Vec<GateRow>,
    gate_passed: bool,
    cue: Vec<CueRow>,
    checklist: Vec<(&'static str, String, bool)>,
    channels: Vec<(&'static str, String, bool)>,
    discount: u8,
    replay_url: String,
    /// (channel, product, viewers, peak, likes, chats, orders, sales).
    results: Vec<[String; 8]>,
    studios: Vec<(i64, String)>,
    hosts: Vec<(i64, String)>,
    survey: String,
    alert: Option<String>,
    errors: Vec<String>,
    /// What was typed into a form the server refused, so it comes back filled in.
    typed: Vec<(String, String)>,
}

impl BroadcastPage {
    fn typed(&self, name: &str) -> &str {
        self.typed
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

fn cue_rows(cue: &[gachi_domain::live::CueLine]) -> Vec<CueRow> {
    cue.iter()
        .map(|c| CueRow {
            product_id: c.product.0,
            name: c.name.clone(),
            price: format!("{}원", grouped(c.price)),
            live_price: format!("{}원", grouped(c.live_price)),
            stock: grouped(c.stock),
            expected: c.expected_units,
            points: c.selling_points.clone(),
        })
        .collect()
}

async fn broadcast_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    alert: Option<String>,
    errors: Vec<String>,
    typed: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let t = ctx.t;
    let live = state.live();
    let view = live
        .view_broadcast(user, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let b = &view.broadcast;
    let names: BTreeMap<i64, String> = view
        .cue
        .iter()
        .map(|c| (c.product.0, c.name.clone()))
        .collect();
    let gate = view
        .gate
        .iter()
        .map(|g| {
            let text = match (g.channel, g.item, g.figures) {
                (Some(channel), _, _) => t.args(
                    if g.passed {
                        "live-gate-ready"
                    } else {
                        "live-gate-not-ready"
                    },
                    &[
                        ("product", g.product_name.clone()),
                        ("channel", t.get(&format!("channel-{}", channel.code()))),
                        ("left", g.left.to_string()),
                    ],
                ),
                (_, Some(item), _) => t.get(&format!("live-checklist-{item}")),
                (_, _, Some((expected, stock))) => t.args(
                    "live-gate-stock-line",
                    &[
                        ("product", g.product_name.clone()),
                        ("expected", grouped(expected)),
                        ("stock", grouped(stock)),
                    ],
                ),
                _ => String::new(),
            };
            GateRow {
                passed: g.passed,
                text,
                fix_at: gate_fix_at(b, g),
                key: match (g.product, g.channel, g.item) {
                    (Some(p), Some(c), _) => format!("{}-{}", p.0, c.code()),
                    (Some(p), None, _) => format!("stock-{}", p.0),
                    (_, _, Some(i)) => i.to_owned(),
                    _ => String::new(),
                },
            }
        })
        .collect::<Vec<_>>();
    let staff = user.role.is_staff();
    let (studios, hosts) = if staff {
        (
            live.studios(user)
                .await
                .map_err(|e| ctx.fail(e))?
                .into_iter()
                .map(|s| (s.id, s.name))
                .collect(),
            live.hosts(user)
                .await
                .map_err(|e| ctx.fail(e))?
                .into_iter()
                .map(|h| (h.id, format!("{} ({})", h.name, weekdays_text(h.weekdays))))
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let results = view
        .results
        .iter()
        .map(|r| {
            [
                t.get(&format!("live-channel-{}", r.channel.code())),
                r.product
                    .map(|p| {
                        names
                            .get(&p.0)
                            .cloned()
                            .unwrap_or_else(|| format!("#{}", p.0))
                    })
                    .unwrap_or_else(|| t.get("live-results-whole")),
                grouped(r.viewers),
                grouped(r.peak_viewers),
                grouped(r.likes),
                grouped(r.chats),
                grouped(r.orders),
                format!("{}원", grouped(r.sales_krw)),
            ]
        })
        .collect();
    let page = BroadcastPage {
        page: Shell::new(ctx),
        b: broadcast_row(t, b, String::new()),
        date: b.date.to_string(),
        starts: clock(b.starts),
        studio_id: b.studio,
        host_id: b.host,
        staff,
        may_manage: view.may_manage,
        scheduled: b.status == BroadcastStatus::Scheduled,
        held: b.status == BroadcastStatus::Held,
        is_owner: view.is_owner,
        gate_passed: view.gate.iter().all(|g| g.passed),
        gate,
        cue: cue_rows(&view.cue),
        checklist: CHECKLIST
            .iter()
            .map(|c| {
                (
                    *c,
                    t.get(&format!("live-checklist-{c}")),
                    b.checklist.contains(*c),
                )
            })
            .collect(),
        channels: LiveChannel::ALL
            .into_iter()
            .map(|c| {
                (
                    c.code(),
                    t.get(&format!("live-channel-{}", c.code())),
                    b.channels.contains(&c),
                )
            })
            .collect(),
        discount: b.discount_percent,
        replay_url: b.replay_url.clone(),
        results,
        studios,
        hosts,
        survey: b
            .survey
            .as_ref()
            .map(|(s, c)| format!("{s}/5 {c}"))
            .unwrap_or_default(),
        alert,
        errors,
        typed,
    };
    Ok(render(status, &page))
}

/// One broadcast: the gate, preparation, cue sheet, results.
pub async fn broadcast(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let alert = done_note(&ctx, "live-done-", &BROADCAST_DONE);
    broadcast_page(
        &state,
        &ctx,
        id,
        alert,
        Vec::new(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// What is done on a broadcast's page.
pub async fn broadcast_act(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let value = |name: &str| form_value(&pairs, name);
    let all = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let live = state.live();
    let actor = ctx.actor();
    let staff = user.role.is_staff();
    let (result, done) = match value("action").as_str() {
        "prepare" => {
            let input = PreparationInput {
                checklist: all("checklist"),
                channels: staff.then(|| all("channels")),
                expected_units: staff.then(|| {
                    pairs
                        .iter()
                        .filter_map(|(k, v)| {
                            Some((k.strip_prefix("units_")?.parse().ok()?, v.clone()))
                        })
                        .collect()
                }),
                discount_percent: staff.then(|| value("discount_percent")),
                replay_url: staff.then(|| value("replay_url")),
            };
            (live.prepare(&user, &actor, id, &input).await, "prepared")
        }
        "confirm" => (live.confirm(&user, &actor, id).await, "confirmed"),
        "cancel" => (live.cancel(&user, &actor, id).await, "cancelled"),
        "move" => (
            live.move_broadcast(
                &user,
                &actor,
                id,
                &value("date"),
                &value("starts"),
                value("studio_id").trim().parse().unwrap_or(0),
                value("host_id").trim().parse().unwrap_or(0),
            )
            .await,
            "moved",
        ),
        "results" => {
            let row = ResultInput {
                broadcast_id: id.to_string(),
                channel: value("channel"),
                product_id: value("product_id"),
                viewers: value("viewers"),
                peak_viewers: value("peak_viewers"),
                likes: value("likes"),
                chats: value("chats"),
                orders: value("orders"),
                sales_krw: value("sales_krw"),
            };
            (
                live.enter_results(&user, &actor, &[row]).await.map(|_| ()),
                "results",
            )
        }
        "survey" => (
            live.survey(
                &user,
                &actor,
                id,
                value("score").trim().parse().unwrap_or(0),
                &value("comment"),
            )
            .await,
            "survey",
        ),
        _ => (
            Err(LiveError::Invalid(
                gachi_domain::FieldError::new("action", "error-event-action").into(),
            )),
            "",
        ),
    };
    match result {
        Ok(()) => Ok(see_other(
            &ctx,
            &format!("/live/broadcasts/{id}?done={done}"),
        )),
        Err(LiveError::Invalid(errors)) => {
            let messages = field_messages(ctx.t, &errors);
            let typed = if done == "results" { pairs } else { Vec::new() };
            broadcast_page(
                &state,
                &ctx,
                id,
                None,
                messages,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

#[derive(Template)]
#[template(path = "live_cue.html")]
struct CuePage {
    page: Shell,
    b: BroadcastRow,
    cue: Vec<CueRow>,
    discount: u8,
}

/// The printable cue sheet (큐시트); the host reads it on a phone.
pub async fn cue(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let view = state
        .live()
        .view_broadcast(user, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(
        StatusCode::OK,
        &CuePage {
            page: Shell::new(&ctx),
            b: broadcast_row(ctx.t, &view.broadcast, String::new()),
            cue: cue_rows(&view.cue),
            discount: view.broadcast.discount_percent,
        },
    ))
}

// ---- studios and hosts ----

#[derive(Template)]
#[template(path = "live_studios.html")]
struct StudiosPage {
    page: Shell,
    studios: Vec<(String, String, String)>,
    hosts: Vec<(String, String, String, String)>,
    errors: Vec<String>,
    alert: Option<String>,
}

async fn studios_page(
    state: &AppState,
    ctx: &Ctx,
    alert: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let live = state.live();
    let studios = live.studios(user).await.map_err(|e| ctx.fail(e))?;
    let hosts = live.hosts(user).await.map_err(|e| ctx.fail(e))?;
    Ok(render(
        status,
        &StudiosPage {
            page: Shell::new(ctx),
            studios: studios
                .iter()
                .map(|s| {
                    (
                        s.name.clone(),
                        s.place.clone(),
                        s.times
                            .iter()
                            .map(|t| clock(*t))
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                })
                .collect(),
            hosts: hosts
                .iter()
                .map(|h| {
                    (
                        h.name.clone(),
                        h.categories.join(", "),
                        weekdays_text(h.weekdays),
                        format!("{}원", grouped(h.fee)),
                    )
                })
                .collect(),
            errors,
            alert,
        },
    ))
}

/// Studios and the host roster (staff).
pub async fn studios(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let alert = done_note(&ctx, "live-done-", &["saved"]);
    studios_page(&state, &ctx, alert, Vec::new(), StatusCode::OK).await
}

/// Adds a studio or a host (staff).
pub async fn studios_act(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let value = |name: &str| form_value(&pairs, name);
    let live = state.live();
    let result = match value("action").as_str() {
        "host" => live
            .save_host(
                &user,
                &ctx.actor(),
                None,
                &HostInput {
                    name: value("name"),
                    categories: value("categories"),
                    weekdays: value("weekdays"),
                    fee: value("fee"),
                },
            )
            .await
            .map(|_| ()),
        _ => live
            .save_studio(
                &user,
                &ctx.actor(),
                None,
                &StudioInput {
                    name: value("name"),
                    place: value("place"),
                    times: value("times"),
                },
            )
            .await
            .map(|_| ()),
    };
    match result {
        Ok(()) => Ok(see_other(&ctx, "/live/studios?done=saved")),
        Err(LiveError::Invalid(errors)) => {
            let messages = field_messages(ctx.t, &errors);
            studios_page(
                &state,
                &ctx,
                None,
                messages,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}
