//! The onboarding board in the browser: for operators (and, for their region, local-government
//! officers) a kanban of every merchant × marketplace card by stage, filtered by region, track,
//! marketplace and days in stage, with a move form on each card; for a merchant, their own cards
//! with what to do next.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::region;
use gachi_domain::merchants::diagnosis::Track;
use gachi_domain::merchants::merchant::MerchantId;
use gachi_domain::onboarding::bulk_job::{BulkJob, JobKind, JobState};
use gachi_domain::onboarding::{BoardFilter, BulkScope, Card, OnboardingError, Stage};
use serde::Deserialize;

use super::{FormErrors, Shell, render, see_other, with_query};
use crate::AppState;
use crate::context::Ctx;
use crate::error::{PageError, PageErrorKind};
use crate::i18n::Tr;

#[derive(Debug, Default, Deserialize)]
pub struct BoardQuery {
    pub region_code: Option<String>,
    pub track: Option<String>,
    pub channel: Option<String>,
    pub min_age_days: Option<String>,
    /// What the last board action said, carried back to the board: `busy` (a code, so a
    /// crafted link cannot put words on the board).
    pub bulk: Option<String>,
}

pub struct CardView {
    pub merchant_id: i64,
    pub merchant_name: String,
    pub region: String,
    pub channel: String,
    pub channel_name: String,
    pub stage: &'static str,
    pub age: String,
    /// Long in its stage: shown in a warning colour.
    pub stale: bool,
    pub next_action: String,
    pub moved_by: String,
    /// Why it was moved here (a refusal's or a hold's reason), or empty.
    pub reason: String,
}

pub struct Column {
    pub stage: &'static str,
    pub name: String,
    pub cards: Vec<CardView>,
}

#[derive(Template)]
#[template(path = "onboarding.html")]
struct BoardPage {
    page: Shell,
    staff: bool,
    /// The reader may move cards (program staff; an officer only looks).
    may_move: bool,
    columns: Vec<Column>,
    /// A merchant's own cards.
    own: Vec<CardView>,
    errors: FormErrors,
    regions: Vec<(String, String, bool)>,
    tracks: Vec<(&'static str, String, bool)>,
    channels: Vec<(&'static str, String, bool)>,
    stages: Vec<(&'static str, String)>,
    min_age_days: String,
    /// This board's address with its filters, to come back to after a move.
    here: String,
    total: usize,
    /// The outcome of the last board action, in words.
    bulk_result: Option<String>,
    /// The marketplace's latest bulk job.
    job: Option<JobView>,
    /// The marketplace the board is filtered to (bulk actions need one).
    channel: String,
}

/// Cards this many days in one stage are flagged.
const STALE_DAYS: i64 = 14;

fn card_view(t: Tr, card: &Card, now: gachi_domain::kernel::time::Timestamp) -> CardView {
    let days = card.age_days(now);
    CardView {
        merchant_id: card.merchant.0,
        merchant_name: card.merchant_name.clone(),
        region: card.region.region().name,
        channel: card.channel.code().to_owned(),
        channel_name: t.get(&format!("channel-{}", card.channel)),
        stage: card.stage.as_str(),
        age: t.count("onboarding-age", "days", days),
        stale: days >= STALE_DAYS && !matches!(card.stage, Stage::Selling | Stage::OnHold),
        next_action: t.get(&card.stage.next_action_key()),
        moved_by: card.moved_by.clone().unwrap_or_default(),
        reason: card.reason.clone().unwrap_or_default(),
    }
}

pub async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Operator, Role::Admin, Role::LocalGov, Role::Merchant])?
        .clone();
    let t = ctx.t;
    let (filter, errors) = match BoardFilter::parse(
        query.region_code.as_deref(),
        query.track.as_deref(),
        query.channel.as_deref(),
        None,
        query.min_age_days.as_deref(),
    ) {
        Ok(filter) => (filter, gachi_domain::ValidationErrors::new()),
        Err(errors) => (BoardFilter::default(), errors),
    };
    let onboarding = state.onboarding();
    let cards = if errors.is_empty() {
        match onboarding.board(&user, filter.clone()).await {
            Ok(cards) => cards,
            // A merchant without a shop has no cards yet.
            Err(OnboardingError::NotFound) => Vec::new(),
            Err(other) => return Err(ctx.fail(other)),
        }
    } else {
        Vec::new()
    };
    let now = state.clock().now();
    let staff = user.role != Role::Merchant;
    let views: Vec<CardView> = cards.iter().map(|c| card_view(t, c, now)).collect();
    let total = views.len();
    let (columns, own) = if staff {
        let mut columns: Vec<Column> = Stage::ALL
            .into_iter()
            .map(|stage| Column {
                stage: stage.as_str(),
                name: t.get(&stage.label_key()),
                cards: Vec::new(),
            })
            .collect();
        for view in views {
            if let Some(column) = columns.iter_mut().find(|c| c.stage == view.stage) {
                column.cards.push(view);
            }
        }
        (columns, Vec::new())
    } else {
        (Vec::new(), views)
    };
    let chosen_region = filter
        .region
        .as_ref()
        .map(|r| r.as_str().to_owned())
        .unwrap_or_default();
    let regions = region::all_sido()
        .into_iter()
        .chain(region::all_sigungu())
        .filter(|r| user.may_see_region(&r.code))
        .map(|r| {
            (
                r.code.as_str().to_owned(),
                r.name,
                r.code.as_str() == chosen_region,
            )
        })
        .collect();
    let here = with_query(
        "/onboarding",
        &[
            ("region_code", query.region_code.as_deref()),
            ("track", query.track.as_deref()),
            ("channel", query.channel.as_deref()),
            ("min_age_days", query.min_age_days.as_deref()),
        ],
    );
    let job = match (&filter.channel, staff) {
        (Some(channel), true) => state
            .onboarding()
            .latest_bulk_job(&user, *channel)
            .await
            .map_err(|e| ctx.fail(e))?
            .as_ref()
            .map(|job| job_view(t, job)),
        _ => None,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &BoardPage {
            page: Shell::new(&ctx),
            staff,
            may_move: user.role.is_staff(),
            columns,
            own,
            errors: FormErrors::from_validation(t, &errors),
            regions,
            tracks: Track::ALL
                .into_iter()
                .map(|tr| {
                    (
                        tr.as_str(),
                        t.get(&format!("track-{}", tr.as_str())),
                        Some(tr) == filter.track,
                    )
                })
                .collect(),
            channels: Channel::ALL
                .into_iter()
                .map(Channel::code)
                .map(|c| {
                    (
                        c,
                        t.get(&format!("channel-{c}")),
                        filter.channel.map(Channel::code) == Some(c),
                    )
                })
                .collect(),
            stages: Stage::ALL
                .into_iter()
                .map(|s| (s.as_str(), t.get(&s.label_key())))
                .collect(),
            min_age_days: filter
                .min_age_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            here,
            total,
            bulk_result: query.bulk.as_deref().and_then(|b| bulk_summary(t, b)),
            job,
            channel: filter
                .channel
                .map(Channel::code)
                .unwrap_or_default()
                .to_owned(),
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    pub merchant_id: i64,
    pub channel: String,
    pub stage: String,
    /// Why (required for 반려 and 보류).
    #[serde(default)]
    pub reason: String,
    /// Where to go back to (the board with its filters, or the merchant's record).
    pub back: Option<String>,
}

/// Moves a card (or puts a merchant on the board for a marketplace).
pub async fn move_card(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<MoveForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    let back = super::return_to(form.back.as_deref(), "/onboarding");
    let onboarding = state.onboarding();
    match onboarding
        .move_card(
            &user,
            &ctx.actor(),
            MerchantId(form.merchant_id),
            &form.channel,
            &form.stage,
            &form.reason,
        )
        .await
    {
        Ok(()) => Ok(see_other(&ctx, &back)),
        // The card's move form has no place for field errors: say what was wrong.
        Err(OnboardingError::Invalid(errors)) => Err(ctx.fail(PageErrorKind::BadRequest(
            errors.0.first().map_or("error-bad-request", |e| e.code),
        ))),
        Err(other) => Err(ctx.fail(other)),
    }
}

#[derive(Debug, Deserialize)]
pub struct BulkForm {
    /// `validate`, `submit` or `review`.
    pub action: String,
    pub channel: String,
    /// Set by the confirmation page: submitting to a marketplace cannot be undone.
    #[serde(default)]
    pub confirmed: Option<String>,
    #[serde(flatten)]
    pub scope: BulkScope,
}

/// Starts a bulk job for one marketplace over the filtered board and returns to the board,
/// which shows its progress: "validate" checks every card's shop and moves the cards with a
/// product the marketplace would accept to 검증 통과; "submit" lists every ready product of the
/// cards in 검증 통과 (the cards then move to 심사중 or 반려); "review" asks the marketplace about
/// the cards in 심사중 and moves those it has decided (판매중, 반려, 보류). While a job runs for a marketplace
/// another is refused (two submit runs could list a product twice).
pub async fn bulk(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<BulkForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    let channel = Channel::parse(&form.channel)
        .ok_or_else(|| ctx.fail(PageErrorKind::BadRequest("error-channel-unknown")))?;
    let kind = JobKind::parse(&form.action)
        .ok_or_else(|| ctx.fail(PageErrorKind::BadRequest("error-bad-request")))?;
    let scope = &form.scope;
    let back = |bulk: Option<&str>| {
        with_query(
            "/onboarding",
            &[
                ("channel", Some(channel.code())),
                ("region_code", scope.region_code.as_deref()),
                ("track", scope.track.as_deref()),
                ("min_age_days", scope.min_age_days.as_deref()),
                ("bulk", bulk),
            ],
        )
    };
    // Submitting sends products to the marketplace: ask first, naming how many shops.
    if kind == JobKind::Submit && form.confirmed.as_deref() != Some("1") {
        let cards = state
            .onboarding()
            .bulk_job_cards(&user, kind, channel, scope)
            .await
            .map_err(|e| ctx.fail(e))?;
        let market = ctx.t.get(&format!("channel-{}", channel.code()));
        return Ok(render(
            StatusCode::OK,
            &BulkConfirmPage {
                page: Shell::new(&ctx),
                question: ctx.t.args(
                    "onboarding-submit-confirm",
                    &[("count", cards.len().to_string()), ("market", market)],
                ),
                shops: cards
                    .iter()
                    .take(20)
                    .map(|c| c.merchant_name.clone())
                    .collect(),
                more: cards.len().saturating_sub(20),
                channel: channel.code(),
                scope: scope.clone(),
                back: back(None),
            },
        ));
    }
    match state
        .start_bulk_job(&user, ctx.actor(), kind, channel, scope)
        .await
    {
        Ok(Some(_job)) => Ok(see_other(&ctx, &back(None))),
        Ok(None) => Ok(see_other(&ctx, &back(Some("busy")))),
        // The scope comes from the board's own filters: a bad one was not typed on this page.
        Err(OnboardingError::Invalid(_)) => {
            Err(ctx.fail(PageErrorKind::BadRequest("error-bad-request")))
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// The question before a bulk submission, with the shops it would send.
#[derive(Template)]
#[template(path = "onboarding_confirm.html")]
struct BulkConfirmPage {
    page: Shell,
    question: String,
    /// The first shops' names.
    shops: Vec<String>,
    /// How many more there are.
    more: usize,
    channel: &'static str,
    scope: BulkScope,
    back: String,
}

/// A bulk job as the board shows it.
pub struct JobView {
    pub id: i64,
    pub running: bool,
    pub percent: i64,
    /// "전체 검증 · 12/40".
    pub title: String,
    /// The counts in words.
    pub summary: String,
}

fn job_view(t: Tr, job: &BulkJob) -> JobView {
    // The action's name and the words for its counts.
    let (action, summary_key) = match job.kind {
        JobKind::Validate => ("onboarding-bulk-validate", "onboarding-bulk-validated"),
        JobKind::Submit => ("onboarding-bulk-submit", "onboarding-bulk-submitted"),
        JobKind::Review => ("onboarding-bulk-review", "onboarding-bulk-reviewed"),
    };
    let state_key = match job.state {
        JobState::Running => "onboarding-job-running",
        JobState::Done => "onboarding-job-done",
        JobState::Interrupted => "onboarding-job-interrupted",
    };
    JobView {
        id: job.id,
        running: job.state == JobState::Running,
        percent: job.percent(),
        title: format!(
            "{} · {} · {}/{}",
            t.get(action),
            t.get(state_key),
            job.done,
            job.total
        ),
        summary: t.args(
            summary_key,
            &[
                ("passed", job.passed.to_string()),
                ("failed", job.failed.to_string()),
                ("waiting", job.waiting().to_string()),
            ],
        ),
    }
}

#[derive(Template)]
#[template(path = "onboarding_job.html")]
struct JobFragment {
    job: JobView,
}

/// `GET /onboarding/jobs/{id}`: a job's progress (the board polls it while the job runs). Once
/// the job has finished the board is told to reload, to show the cards where they now are.
pub async fn job_progress(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    let job = state
        .onboarding()
        .bulk_job(&user, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    if !ctx.htmx {
        return Ok(see_other(
            &ctx,
            &format!("/onboarding?channel={}", job.channel),
        ));
    }
    let view = job_view(ctx.t, &job);
    let finished = !view.running;
    let mut response = render(StatusCode::OK, &JobFragment { job: view });
    if finished {
        response
            .headers_mut()
            .insert("hx-refresh", axum::http::HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// The words for what the last board action said: `busy` (a job already runs for the
/// marketplace); None for anything else.
fn bulk_summary(t: Tr, said: &str) -> Option<String> {
    (said == "busy").then(|| t.get("onboarding-job-busy"))
}
