//! The merchant registry in the browser: a filterable list with keyset pages for staff (and,
//! limited to their region, local-government officers), and a record page.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::industry;
use gachi_domain::kernel::region;
use gachi_domain::merchants::diagnosis::Track;
use gachi_domain::merchants::merchant::{Merchant, MerchantFilter, MerchantId, MerchantStatus};
use gachi_domain::merchants::registry::RegistryError;
use serde::Deserialize;

use super::shop::DiagnosisView;
use super::{FormErrors, Shell, render, with_query};
use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;

const PAGE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub region_code: Option<String>,
    pub industry_code: Option<String>,
    pub status: Option<String>,
    pub track: Option<String>,
    pub q: Option<String>,
    pub before: Option<i64>,
}

pub struct Row {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub industry: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "merchants.html")]
struct ListPage {
    page: Shell,
    rows: Vec<Row>,
    errors: FormErrors,
    /// (code, name, selected)
    regions: Vec<(String, String, bool)>,
    industries: Vec<(String, String, bool)>,
    statuses: Vec<(&'static str, String, bool)>,
    tracks: Vec<(&'static str, String, bool)>,
    q: String,
    /// The link to the next page, when there may be one.
    next: Option<String>,
}

pub fn status_label(t: Tr, status: MerchantStatus) -> String {
    t.get(&format!("status-{}", status.as_str()))
}

fn row(t: Tr, m: &Merchant) -> Row {
    Row {
        id: m.id.0,
        name: match &m.branch {
            Some(branch) => format!("{} {branch}", m.name),
            None => m.name.clone(),
        },
        region: m.region.region().name,
        industry: m.industry.name.clone(),
        status: status_label(t, m.status),
    }
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Operator, Role::Admin, Role::LocalGov])?
        .clone();
    let t = ctx.t;
    let (filter, errors) = match MerchantFilter::parse(
        query.region_code.as_deref(),
        query.industry_code.as_deref(),
        query.status.as_deref(),
        query.track.as_deref(),
        query.q.as_deref(),
    ) {
        Ok(filter) => (filter, gachi_domain::ValidationErrors::new()),
        Err(errors) => (MerchantFilter::default(), errors),
    };
    let registry = state.registry();
    let (rows, status) = if errors.is_empty() {
        let merchants = registry
            .list(&user, filter.clone(), query.before.map(MerchantId), PAGE)
            .await
            .map_err(|e| ctx.fail(e))?;
        (merchants, StatusCode::OK)
    } else {
        (Vec::new(), StatusCode::UNPROCESSABLE_ENTITY)
    };
    let next = (rows.len() == PAGE as usize).then(|| {
        let before = rows.last().map(|m| m.id.0).unwrap_or_default().to_string();
        with_query(
            "/merchants",
            &[
                ("region_code", query.region_code.as_deref()),
                ("industry_code", query.industry_code.as_deref()),
                ("status", query.status.as_deref()),
                ("track", query.track.as_deref()),
                ("q", query.q.as_deref()),
                ("before", Some(&before)),
            ],
        )
    });
    // Officers choose among the regions inside their own; staff among all.
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
    let chosen_industry = filter.industry.map(|i| i.code.clone()).unwrap_or_default();
    let industries = industry::all()
        .into_iter()
        .map(|i| {
            (
                i.code.clone(),
                format!("{} · {}", i.major, i.name),
                i.code == chosen_industry,
            )
        })
        .collect();
    let statuses = MerchantStatus::ALL
        .into_iter()
        .map(|s| (s.as_str(), status_label(t, s), Some(s) == filter.status))
        .collect();
    let page = ListPage {
        rows: rows.iter().map(|m| row(t, m)).collect(),
        errors: FormErrors::from_validation(t, &errors),
        regions,
        industries,
        statuses,
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
        q: query.q.unwrap_or_default(),
        next,
        page: Shell::new(&ctx),
    };
    Ok(render(status, &page))
}

#[derive(Template)]
#[template(path = "merchant.html")]
struct RecordPage {
    page: Shell,
    m: Merchant,
    region: String,
    status: String,
    track: Option<String>,
    business_number: String,
    /// The channels the shop already sells on, as one line.
    channels: String,
    diagnosis: Option<DiagnosisView>,
    /// (when, track, how: diagnosis or the operator's reason, who)
    history: Vec<(String, String, String, String)>,
    /// Staff may override the track: (value, label, current).
    tracks: Vec<(&'static str, String, bool)>,
    errors: FormErrors,
    reason: String,
    /// Staff may put the shop on the onboarding board: (channel, name).
    onboarding_channels: Vec<(&'static str, String)>,
    /// The shop's products, for staff helping with them: (id, name).
    products: Vec<(i64, String)>,
    /// Open rounds an officer may nominate the shop into: (id, name).
    open_rounds: Vec<(i64, String)>,
    nominated: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct OverrideForm {
    #[serde(default)]
    pub track: String,
    #[serde(default)]
    pub reason: String,
}

async fn record_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    reason: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let registry = state.registry();
    // A shop the user may not see is "not found" (the registry decides).
    let m = registry
        .get(&user, MerchantId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    let diagnosis = registry
        .latest_diagnosis(&user, m.id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let history = registry
        .track_history(&user, m.id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.t;
    let track_label = |track: Track| t.get(&format!("track-{}", track.as_str()));
    let onboarding_channels = if !user.role.is_staff() {
        Vec::new()
    } else {
        Channel::ALL
            .into_iter()
            .map(Channel::code)
            .map(|c| (c, t.get(&format!("channel-{c}"))))
            .collect()
    };
    let products = if user.role.is_staff() {
        state
            .catalog()
            .list(&user, Some(m.id), None, gachi_domain::catalog::MAX_PAGE)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .map(|p| (p.id.0, p.file.name))
            .collect()
    } else {
        Vec::new()
    };
    let open_rounds = if user.role == Role::LocalGov {
        state
            .program()
            .rounds()
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .filter(|r| r.status == gachi_domain::program::rounds::RoundStatus::Open)
            .map(|r| (r.id.0, r.name))
            .collect()
    } else {
        Vec::new()
    };
    let page = RecordPage {
        open_rounds,
        nominated: ctx.path.contains("nominated=1"),
        products,
        onboarding_channels,
        region: m.region.region().name,
        status: status_label(t, m.status),
        track: m.track.map(track_label),
        channels: m
            .online_channels
            .iter()
            .map(|c| super::shop::channel_label(t, *c))
            .collect::<Vec<_>>()
            .join(", "),
        business_number: m
            .business_number
            .as_ref()
            .map(|b| b.display())
            .unwrap_or_default(),
        diagnosis: diagnosis.as_ref().map(|d| DiagnosisView::new(t, d)),
        history: history
            .iter()
            .rev()
            .map(|c| {
                let how = match &c.reason {
                    Some(reason) => reason.clone(),
                    None => t.get("track-source-diagnosis"),
                };
                (
                    c.changed_at.display_seoul(),
                    track_label(c.track),
                    how,
                    c.changed_by.clone().unwrap_or_default(),
                )
            })
            .collect(),
        tracks: if user.role.is_staff() {
            Track::ALL
                .into_iter()
                .map(|tr| (tr.as_str(), track_label(tr), Some(tr) == m.track))
                .collect()
        } else {
            Vec::new()
        },
        errors,
        reason,
        m,
        page: Shell::new(ctx),
    };
    Ok(render(status, &page))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    record_page(
        &state,
        &ctx,
        id,
        FormErrors::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn override_track(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<OverrideForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&Role::STAFF)?.clone();
    let registry = state.registry();
    match registry
        .override_track(
            &user,
            MerchantId(id),
            &form.track,
            &form.reason,
            &ctx.actor(),
        )
        .await
    {
        Ok(()) => Ok(super::see_other(&ctx, &format!("/merchants/{id}"))),
        Err(RegistryError::Invalid(errors)) => {
            let errors = FormErrors::from_validation(ctx.t, &errors);
            record_page(
                &state,
                &ctx,
                id,
                errors,
                form.reason,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}
