//! 원정대 events in the browser: the list (and, for staff, the form that sets a day), and one
//! event's page as each side needs it — staff invite MDs, read applications, compute and adjust
//! the timetable and read the report; an invited MD confirms, reads each applicant's dossier,
//! marks them, reads the agenda and records outcomes; a merchant applies with pooled products,
//! ranks the MDs, reads its agenda and the MDs' feedback. Agendas print and download as .ics.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::discovery::events::{
    Attendance, Event, EventInput, EventView, Outcome, clock, mark_code,
};
use gachi_domain::discovery::{DiscoveryError, PooledProduct};

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Shell, form_value, render, see_other};

/// An event in a list.
pub struct EventRow {
    pub id: i64,
    pub name: String,
    pub when: String,
    pub region: String,
    pub venue: String,
    pub scheduled: bool,
}

fn event_row(t: Tr, e: &Event) -> EventRow {
    EventRow {
        id: e.id,
        name: e.name.clone(),
        when: t.args(
            "event-when",
            &[
                ("date", e.date.to_string()),
                ("starts", clock(e.starts)),
                ("ends", clock(e.ends)),
            ],
        ),
        region: e.region.region().name,
        venue: e.venue.clone(),
        scheduled: e.scheduled_at.is_some(),
    }
}

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    page: Shell,
    events: Vec<EventRow>,
    staff: bool,
    form: EventInput,
    errors: Vec<(String, String)>,
}

async fn events_page(
    state: &AppState,
    ctx: &Ctx,
    form: EventInput,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let events = state
        .expeditions()
        .list(user)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(
        status,
        &EventsPage {
            page: Shell::new(ctx),
            events: events.iter().map(|e| event_row(ctx.t, e)).collect(),
            staff: user.role.is_staff(),
            form,
            errors,
        },
    ))
}

/// The events the caller may see; staff set a new day here.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let form = EventInput {
        slot_minutes: "20".into(),
        starts: "10:00".into(),
        ends: "17:00".into(),
        breaks: "12:00-13:00".into(),
        tables: "10".into(),
        meetings_per_merchant: "3".into(),
        ..EventInput::default()
    };
    events_page(&state, &ctx, form, Vec::new(), StatusCode::OK).await
}

/// Staff set a new day.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<EventInput>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    match state.expeditions().create(user, &ctx.actor(), &form).await {
        Ok(event) => Ok(see_other(&ctx, &format!("/discovery/events/{}", event.id))),
        Err(DiscoveryError::Invalid(errors)) => {
            let messages = errors
                .0
                .iter()
                .map(|e| (e.field.clone(), ctx.t.get(e.code)))
                .collect();
            events_page(
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

/// A meeting as the event page shows it.
pub struct MeetingRow {
    pub id: i64,
    pub slot: u16,
    pub time: String,
    pub table: u16,
    pub md: String,
    pub merchant: String,
    pub outcome: String,
    /// `pick`, … or empty, for styling and tests.
    pub outcome_code: &'static str,
    pub feedback: String,
    /// The products the merchant applied with: (id, name), for the MD's pick.
    pub products: Vec<(i64, String)>,
}

/// An applicant as an MD reads it: the dossier.
pub struct ApplicantRow {
    pub merchant_id: i64,
    pub name: String,
    pub region: String,
    pub industry: String,
    /// (product id, name, price, photo).
    pub products: Vec<(i64, String, String, String)>,
    pub on_sale: Vec<String>,
    pub sales_band: String,
    /// The caller's mark (an MD), or every mark (staff), as text.
    pub mark: String,
    pub ranking: String,
    /// Arrived on the day, at (Seoul time); empty: not yet.
    pub arrived: String,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    page: Shell,
    event: EventRow,
    slots: Vec<(u16, String)>,
    breaks: String,
    close: String,
    /// `staff`, `officer`, `md`, `merchant`.
    audience: &'static str,
    invitations: Vec<(i64, String, String, String, String)>,
    applicants: Vec<ApplicantRow>,
    meetings: Vec<MeetingRow>,
    /// The grid for staff: one row per slot, one cell per table.
    grid: Vec<GridRow>,
    tables: Vec<u16>,
    own_attendance: String,
    own_looking_for: String,
    /// The merchant's pooled products: (id, name, chosen).
    pool: Vec<(i64, String, bool)>,
    applied: bool,
    /// Invited MDs a merchant may rank: (id, label, rank).
    rankable: Vec<(i64, String, Option<usize>)>,
    channels: Vec<(&'static str, String)>,
    outcomes: Vec<(&'static str, String)>,
    alert: Option<String>,
    errors: Vec<String>,
    report: Option<ReportView>,
}

/// A slot's row of the timetable grid: its time, and per table the meeting (id, shop).
type GridRow = (String, Vec<Option<(i64, String)>>);

/// The report as staff read it.
pub struct ReportView {
    pub meetings: usize,
    pub held: usize,
    pub no_shows: usize,
    pub outcomes: Vec<(String, usize)>,
    pub by_md: Vec<(String, String, usize, usize, usize, usize)>,
}

fn audience(role: Role) -> &'static str {
    match role {
        r if r.is_staff() => "staff",
        Role::LocalGov => "officer",
        Role::Md => "md",
        _ => "merchant",
    }
}

async fn event_page(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    id: i64,
    alert: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let t = ctx.t;
    let expeditions = state.expeditions();
    let view: EventView = expeditions.view(&user, id).await.map_err(|e| ctx.fail(e))?;
    let slots = view.event.slots();
    let slot_label = |slot: u16| {
        slots
            .get(usize::from(slot))
            .map(|(a, b)| format!("{}–{}", clock(*a), clock(*b)))
            .unwrap_or_default()
    };
    let audience = audience(user.role);
    let discovery = state.discovery();
    let (applicants, product_names) = applicant_rows(state, ctx, headers, &user, &view).await;
    let applied_products: HashMap<i64, Vec<i64>> = view
        .applications
        .iter()
        .map(|a| (a.merchant.0, a.products.iter().map(|p| p.0).collect()))
        .collect();
    let meetings: Vec<MeetingRow> = view
        .meetings
        .iter()
        .map(|m| MeetingRow {
            id: m.id,
            slot: m.slot,
            time: slot_label(m.slot),
            table: m.table,
            md: m.md_name.clone(),
            merchant: m.merchant_name.clone(),
            outcome: m
                .outcome
                .map(|o| t.get(&format!("event-outcome-{}", o.code())))
                .unwrap_or_default(),
            outcome_code: m.outcome.map(|o| o.code()).unwrap_or(""),
            feedback: m.feedback.clone(),
            products: applied_products
                .get(&m.merchant.0)
                .map(|ids| {
                    ids.iter()
                        .map(|p| {
                            let name = product_names
                                .get(p)
                                .cloned()
                                .unwrap_or_else(|| format!("#{p}"));
                            (*p, name)
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let tables: Vec<u16> = (1..=view.event.tables.min(
        view.invitations
            .iter()
            .filter(|i| i.attendance == Attendance::Confirmed)
            .count() as u16,
    ))
        .collect();
    let mut by_cell: BTreeMap<(u16, u16), (i64, String)> = BTreeMap::new();
    for m in &view.meetings {
        by_cell.insert((m.slot, m.table), (m.id, m.merchant_name.clone()));
    }
    let grid = if audience == "staff" || audience == "officer" {
        (0..slots.len() as u16)
            .map(|slot| {
                (
                    slot_label(slot),
                    tables
                        .iter()
                        .map(|table| by_cell.get(&(slot, *table)).cloned())
                        .collect(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let (pool, applied) = if user.role == Role::Merchant {
        let chosen: Vec<i64> = view
            .applications
            .first()
            .map(|a| a.products.iter().map(|p| p.0).collect())
            .unwrap_or_default();
        let pooled = match discovery.pool_of_shop(&user, None).await {
            Ok((_, entries)) => entries
                .into_iter()
                .filter(|e| e.pooled_at.is_some() && e.gaps.is_empty())
                .map(|e| {
                    let id = e.product.id.0;
                    (id, e.product.file.name.clone(), chosen.contains(&id))
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        (pooled, !view.applications.is_empty())
    } else {
        (Vec::new(), false)
    };
    let ranking: Vec<i64> = view
        .applications
        .first()
        .map(|a| a.ranking.iter().map(|u| u.0).collect())
        .unwrap_or_default();
    let rankable = view
        .invitations
        .iter()
        .filter(|i| i.attendance != Attendance::Declined)
        .map(|i| {
            (
                i.md.0,
                format!(
                    "{} ({})",
                    i.md_name,
                    t.get(&format!("channel-{}", i.channel.code()))
                ),
                ranking.iter().position(|r| *r == i.md.0).map(|p| p + 1),
            )
        })
        .collect();
    let report = if audience == "staff" || audience == "officer" {
        expeditions
            .report(&user, id)
            .await
            .ok()
            .map(|r| ReportView {
                meetings: r.meetings,
                held: r.held,
                no_shows: r.no_shows,
                outcomes: r
                    .outcomes
                    .iter()
                    .map(|(o, n)| (t.get(&format!("event-outcome-{}", o.code())), *n))
                    .collect(),
                by_md: r
                    .by_md
                    .iter()
                    .map(|(name, channel, held, picks, listed, selling)| {
                        (
                            name.clone(),
                            t.get(&format!("channel-{}", channel.code())),
                            *held,
                            *picks,
                            *listed,
                            *selling,
                        )
                    })
                    .collect(),
            })
    } else {
        None
    };
    let page = EventPage {
        page: Shell::new(ctx),
        slots: (0..slots.len() as u16)
            .map(|s| (s, slot_label(s)))
            .collect(),
        breaks: view
            .event
            .breaks
            .iter()
            .map(|(a, b)| format!("{}–{}", clock(*a), clock(*b)))
            .collect::<Vec<_>>()
            .join(", "),
        close: view.event.applications_close.display_seoul(),
        event: event_row(t, &view.event),
        audience,
        invitations: view
            .invitations
            .iter()
            .map(|i| {
                (
                    i.md.0,
                    i.md_name.clone(),
                    t.get(&format!("channel-{}", i.channel.code())),
                    t.get(&format!("event-attendance-{}", i.attendance.code())),
                    i.looking_for.clone(),
                )
            })
            .collect(),
        applicants,
        meetings,
        grid,
        tables,
        own_attendance: view
            .own_invitation
            .as_ref()
            .map(|i| i.attendance.code().to_owned())
            .unwrap_or_default(),
        own_looking_for: view
            .own_invitation
            .as_ref()
            .map(|i| i.looking_for.clone())
            .unwrap_or_default(),
        pool,
        applied,
        rankable,
        channels: gachi_domain::kernel::channel::Channel::ALL
            .into_iter()
            .map(|c| (c.code(), t.get(&format!("channel-{}", c.code()))))
            .collect(),
        outcomes: Outcome::ALL
            .into_iter()
            .map(|o| (o.code(), t.get(&format!("event-outcome-{}", o.code()))))
            .collect(),
        alert,
        errors,
        report,
    };
    Ok(render(status, &page))
}

/// Each applicant as an MD reads it (the dossier), and the applied products' names by id.
/// Products are read through the pool, so only MDs and staff get them; every applied product
/// is read in one call, each shop's facts once.
async fn applicant_rows(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    user: &gachi_domain::accounts::User,
    view: &EventView,
) -> (Vec<ApplicantRow>, HashMap<i64, String>) {
    let t = ctx.t;
    let applied: Vec<_> = view
        .applications
        .iter()
        .flat_map(|a| a.products.iter().copied())
        .collect();
    let seen: HashMap<i64, PooledProduct> = match user.role {
        Role::Md | Role::Operator | Role::Admin => state
            .discovery()
            .pooled_many(user, &applied)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.product.id.0, p))
            .collect(),
        _ => HashMap::new(),
    };
    let product_names = seen
        .iter()
        .map(|(id, p)| (*id, p.product.file.name.clone()))
        .collect();
    let mut applicants = Vec::new();
    for application in &view.applications {
        let pooled: Vec<&PooledProduct> = application
            .products
            .iter()
            .filter_map(|p| seen.get(&p.0))
            .collect();
        let products = pooled
            .iter()
            .map(|seen| {
                let shown = crate::photos::for_display(state, headers, &seen.product.file);
                let price = seen
                    .product
                    .file
                    .check()
                    .map(|c| t.arg("discovery-price", "amount", crate::i18n::grouped(c.price)))
                    .unwrap_or_default();
                let photo = shown
                    .images
                    .map(|i| crate::photos::preview_src(&i.main))
                    .unwrap_or_default();
                (
                    seen.product.id.0,
                    seen.product.file.name.clone(),
                    price,
                    photo,
                )
            })
            .collect();
        // The shop's facts are the same on each of its products.
        let (region, industry, on_sale, sales_band) = match pooled.first() {
            Some(seen) => (
                seen.shop.region.region().name,
                seen.shop.industry.name.clone(),
                seen.on_sale
                    .iter()
                    .map(|c| t.get(&format!("channel-{}", c.code())))
                    .collect(),
                seen.sales_bands
                    .as_ref()
                    .and_then(|b| b.first())
                    .map(|(m, band)| format!("{m} {}", t.get(band.key())))
                    .unwrap_or_else(|| t.get("discovery-sales-private")),
            ),
            None => (String::new(), String::new(), Vec::new(), String::new()),
        };
        let mark = view
            .marks
            .iter()
            .filter(|m| m.merchant == application.merchant)
            .map(|m| t.get(&format!("event-mark-{}", mark_code(m.mark))))
            .collect::<Vec<_>>()
            .join(", ");
        let ranking = application
            .ranking
            .iter()
            .filter_map(|md| view.invitations.iter().find(|i| i.md == *md))
            .map(|i| i.md_name.clone())
            .collect::<Vec<_>>()
            .join(" › ");
        applicants.push(ApplicantRow {
            merchant_id: application.merchant.0,
            name: application.merchant_name.clone(),
            region,
            industry,
            products,
            on_sale,
            sales_band,
            mark,
            ranking,
            arrived: application
                .checked_in_at
                .map(|t| t.display_seoul())
                .unwrap_or_default(),
        });
    }
    (applicants, product_names)
}

/// One event, as the caller's role needs it.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let done = ctx
        .path
        .split_once("done=")
        .map(|(_, d)| d.split('&').next().unwrap_or_default().to_owned())
        .filter(|d| {
            [
                "invited",
                "answered",
                "applied",
                "ranked",
                "marked",
                "scheduled",
                "moved",
                "recorded",
                "checked_in",
            ]
            .contains(&d.as_str())
        })
        .map(|d| ctx.t.get(&format!("event-done-{d}")));
    event_page(&state, &ctx, &headers, id, done, Vec::new(), StatusCode::OK).await
}

/// A form on the event page: `action` says which.
pub async fn act(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let value = |name: &str| form_value(&pairs, name);
    let numbers = |name: &str| -> Vec<i64> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect()
    };
    let expeditions = state.expeditions();
    let actor = ctx.actor();
    let action = value("action");
    let (result, done) = match action.as_str() {
        "invite" => (
            expeditions
                .invite(&user, &actor, id, &value("md_email"), &value("channel"))
                .await,
            "invited",
        ),
        "attend" | "decline" => (
            expeditions
                .answer(&user, &actor, id, action == "attend", &value("looking_for"))
                .await,
            "answered",
        ),
        "apply" => (
            expeditions
                .apply(&user, &actor, id, &numbers("product_ids"))
                .await,
            "applied",
        ),
        "rank" => {
            // Each invited MD has a rank field (`rank_<id>`): 1, 2, 3 or empty.
            let mut ranked: Vec<(i64, i64)> = pairs
                .iter()
                .filter_map(|(k, v)| {
                    let md = k.strip_prefix("rank_")?.parse().ok()?;
                    let rank = v.trim().parse().ok()?;
                    Some((rank, md))
                })
                .collect();
            ranked.sort_unstable();
            let mds: Vec<i64> = ranked.into_iter().map(|(_, md)| md).collect();
            (expeditions.rank(&user, &actor, id, &mds).await, "ranked")
        }
        "mark" => (
            expeditions
                .mark(
                    &user,
                    &actor,
                    id,
                    value("merchant_id").trim().parse().unwrap_or(0),
                    &value("mark"),
                )
                .await,
            "marked",
        ),
        "check_in" => (
            expeditions
                .check_in(
                    &user,
                    &actor,
                    id,
                    value("merchant_id").trim().parse().unwrap_or(0),
                )
                .await,
            "checked_in",
        ),
        "schedule" => (
            expeditions.schedule(&user, &actor, id).await.map(|_| ()),
            "scheduled",
        ),
        "move" => (
            expeditions
                .move_meeting(
                    &user,
                    &actor,
                    value("meeting_id").trim().parse().unwrap_or(0),
                    &value("slot"),
                )
                .await,
            "moved",
        ),
        "outcome" => (
            expeditions
                .record_outcome(
                    &user,
                    &actor,
                    value("meeting_id").trim().parse().unwrap_or(0),
                    &value("outcome"),
                    &value("feedback"),
                    value("product_id").trim().parse().ok(),
                )
                .await,
            "recorded",
        ),
        _ => (
            Err(DiscoveryError::Invalid(
                gachi_domain::FieldError::new("action", "error-event-action").into(),
            )),
            "",
        ),
    };
    match result {
        Ok(()) => Ok(see_other(
            &ctx,
            &format!("/discovery/events/{id}?done={done}"),
        )),
        Err(DiscoveryError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            event_page(
                &state,
                &ctx,
                &headers,
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

#[derive(Template)]
#[template(path = "event_dossiers.html")]
struct DossiersPage {
    page: Shell,
    event: EventRow,
    applicants: Vec<ApplicantRow>,
}

/// One printable page per applicant for MDs (and staff), made from Gachi's data instead of a
/// brochure the merchant prepares.
pub async fn dossiers(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    if !(user.role == Role::Md || user.role.is_staff()) {
        return Err(ctx.fail(DiscoveryError::Forbidden));
    }
    let view = state
        .expeditions()
        .view(&user, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let (applicants, _) = applicant_rows(&state, &ctx, &headers, &user, &view).await;
    Ok(render(
        StatusCode::OK,
        &DossiersPage {
            page: Shell::new(&ctx),
            event: event_row(ctx.t, &view.event),
            applicants,
        },
    ))
}

/// The caller's meetings as an iCalendar file, for the phone's calendar.
pub async fn agenda_ics(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let (event, meetings) = state
        .expeditions()
        .agenda(user, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(crate::ics::calendar_response(
        &format!("gachi-event-{id}.ics"),
        crate::ics::agenda(
            state.clock().now(),
            &event,
            &meetings,
            user.role == Role::Md,
        ),
    ))
}
