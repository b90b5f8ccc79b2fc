//! 디지털경제 원정대 in the browser: the MD's search over the pool (`/discovery`), a pooled product
//! as an MD sees it with the pick form (`/discovery/products/{id}`), and `/discovery/picks` —
//! for an MD their picks and how far each came, for a shop its pool (which products MDs may
//! see), the picks to answer and what MDs may see of its sales, for staff every pick.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::catalog::product::ProductId;
use gachi_domain::discovery::picks::{FollowedPick, Pick, PickInput, Purpose, Step, funnel};
use gachi_domain::discovery::pool::SalesVisibility;
use gachi_domain::discovery::{DiscoveryError, PooledProduct, SearchInput, SearchPage};
use gachi_domain::kernel::channel::Channel;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Shell, encode_query, form_value, render, see_other};

/// One hit as the search page shows it.
pub struct HitView {
    pub product_id: i64,
    pub name: String,
    pub price: String,
    pub image: String,
    pub shop: String,
    pub region: String,
    pub industry: String,
}

/// A facet value as a link that adds it to the search.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "discovery.html")]
struct SearchPageView {
    page: Shell,
    q: String,
    sort: String,
    price_min: String,
    price_max: String,
    listed_on: String,
    not_listed_on: String,
    tax_free: bool,
    ships_nationwide: bool,
    /// A filter beyond the words is set: the filters start open.
    filtering: bool,
    /// (code, label) of the sort orders and the marketplaces.
    sorts: Vec<(&'static str, String)>,
    channels: Vec<(&'static str, String)>,
    hits: Vec<HitView>,
    total: u64,
    truncated: bool,
    errors: Vec<String>,
    sido_facets: Vec<FacetLink>,
    industry_facets: Vec<FacetLink>,
    certification_facets: Vec<FacetLink>,
    /// Links to the previous and next pages, when there are.
    previous: Option<String>,
    next: Option<String>,
    page_label: String,
}

fn won(t: Tr, krw: i64) -> String {
    t.arg("discovery-price", "amount", crate::i18n::grouped(krw))
}

fn channel_choices(t: Tr) -> Vec<(&'static str, String)> {
    Channel::ALL
        .into_iter()
        .map(|c| (c.code(), t.get(&format!("channel-{}", c.code()))))
        .collect()
}

/// The search's query string with `key` set to `value` (and back to page 1).
fn with_param(pairs: &[(String, String)], key: &str, value: &str) -> String {
    let mut out: Vec<String> = pairs
        .iter()
        .filter(|(k, v)| k != key && k != "page" && !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query(v)))
        .collect();
    if !value.is_empty() {
        out.push(format!("{key}={}", encode_query(value)));
    }
    format!("/discovery?{}", out.join("&"))
}

fn search_input(pairs: &[(String, String)]) -> SearchInput {
    let get = |name: &str| Some(form_value(pairs, name)).filter(|v| !v.trim().is_empty());
    SearchInput {
        q: get("q"),
        sido: get("sido"),
        sigungu: get("sigungu"),
        industry: get("industry"),
        price_min: get("price_min"),
        price_max: get("price_max"),
        certification: get("certification"),
        listed_on: get("listed_on"),
        not_listed_on: get("not_listed_on"),
        tax_free: get("tax_free"),
        ships_nationwide: get("ships_nationwide"),
        sort: get("sort"),
        page: get("page").and_then(|p| p.parse().ok()),
        limit: None,
    }
}

/// The MD's search over the pool.
pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Md, Role::Operator, Role::Admin])?;
    let t = ctx.t;
    let input = search_input(&pairs);
    let (result, errors, status) = match state.discovery().search(user, &input).await {
        Ok(page) => (Some(page), Vec::new(), StatusCode::OK),
        Err(DiscoveryError::Invalid(errors)) => (
            None,
            errors.0.iter().map(|e| t.get(e.code)).collect(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(other) => return Err(ctx.fail(other)),
    };
    let chosen = |key: &str| form_value(&pairs, key);
    let facet = |key: &str, values: &[(String, u64)], label: &dyn Fn(&str) -> String| {
        values
            .iter()
            .take(12)
            .map(|(value, count)| FacetLink {
                label: label(value),
                count: *count,
                href: with_param(&pairs, key, value),
                chosen: chosen(key) == *value,
            })
            .collect::<Vec<_>>()
    };
    let region_name = |code: &str| {
        gachi_domain::kernel::region::RegionCode::parse(code, "sido")
            .map(|r| r.region().name)
            .unwrap_or_else(|_| code.to_owned())
    };
    let industry_name = |code: &str| {
        gachi_domain::kernel::industry::resolve(code, "industry")
            .map(|i| i.name.clone())
            .unwrap_or_else(|_| code.to_owned())
    };
    let plain = |code: &str| code.to_owned();
    let (hits, total, truncated, sido_facets, industry_facets, certification_facets, paging) =
        match &result {
            Some(page) => (
                hit_views(&state, &headers, t, page),
                page.total,
                page.truncated,
                facet("sido", &page.facets.sido, &region_name),
                facet("industry", &page.facets.industry, &industry_name),
                facet("certification", &page.facets.certification, &plain),
                Some((page.query.offset, page.query.limit)),
            ),
            None => (
                Vec::new(),
                0,
                false,
                Vec::new(),
                Vec::new(),
                Vec::new(),
                None,
            ),
        };
    let (previous, next, page_label) = match paging {
        Some((offset, limit)) if total > 0 => {
            let current = offset / limit + 1;
            let pages = total.div_ceil(u64::from(limit));
            let link = |n: u32| format!("{}&page={n}", with_param(&pairs, "page", ""));
            (
                (current > 1).then(|| link(current - 1)),
                (u64::from(current) < pages).then(|| link(current + 1)),
                t.args(
                    "discovery-page-of",
                    &[("page", current.to_string()), ("pages", pages.to_string())],
                ),
            )
        }
        _ => (None, None, String::new()),
    };
    let view = SearchPageView {
        page: Shell::new(&ctx),
        q: chosen("q"),
        sort: chosen("sort"),
        price_min: chosen("price_min"),
        price_max: chosen("price_max"),
        listed_on: chosen("listed_on"),
        not_listed_on: chosen("not_listed_on"),
        filtering: [
            "sort",
            "price_min",
            "price_max",
            "listed_on",
            "not_listed_on",
            "tax_free",
            "ships_nationwide",
        ]
        .iter()
        .any(|key| !(chosen(key).is_empty() || *key == "sort" && chosen(key) == "relevance")),
        tax_free: chosen("tax_free") == "true",
        ships_nationwide: chosen("ships_nationwide") == "true",
        sorts: gachi_domain::discovery::search::PoolSort::ALL
            .into_iter()
            .map(|s| (s.code(), t.get(&format!("discovery-sort-{}", s.code()))))
            .collect(),
        channels: channel_choices(t),
        hits,
        total,
        truncated,
        errors,
        sido_facets,
        industry_facets,
        certification_facets,
        previous,
        next,
        page_label,
    };
    Ok(render(status, &view))
}

fn hit_views(state: &AppState, headers: &HeaderMap, t: Tr, page: &SearchPage) -> Vec<HitView> {
    page.items
        .iter()
        .map(|item| {
            let shown = crate::photos::for_display(state, headers, &item.product.file);
            HitView {
                product_id: item.product.id.0,
                name: item.product.file.name.clone(),
                price: item
                    .product
                    .file
                    .check()
                    .map(|c| won(t, c.price))
                    .unwrap_or_default(),
                image: shown
                    .images
                    .map(|i| crate::photos::preview_src(&i.main))
                    .unwrap_or_default(),
                shop: item.shop.name.clone(),
                region: item.shop.region.region().name,
                industry: item.shop.industry.name.clone(),
            }
        })
        .collect()
}

/// A pick as the pages list it.
pub struct PickView {
    pub id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub merchant_name: String,
    pub md_name: String,
    pub channel: String,
    pub purpose: String,
    pub note: String,
    /// `proposed`, `accepted`, `declined`, for styling and tests.
    pub decision: &'static str,
    pub decision_label: String,
    pub when: String,
    /// The furthest step and its label.
    pub step: &'static str,
    pub step_label: String,
    /// The steps reached so far, with when: (label, when).
    pub trail: Vec<(String, String)>,
}

fn pick_view(t: Tr, pick: &Pick, followed: Option<&FollowedPick>) -> PickView {
    let step = followed.map(|f| f.step).unwrap_or(Step::Proposed);
    let mut trail = Vec::new();
    if let Some(f) = followed {
        if let Some(at) = f.progress.accepted_at {
            trail.push((t.get("pick-step-accepted"), at.display_seoul()));
        }
        if let Some(at) = f.progress.listed_at {
            trail.push((t.get("pick-step-listed"), at.display_seoul()));
        }
        if let Some(at) = f.progress.on_sale_since {
            trail.push((t.get("pick-step-on_sale"), at.display_seoul()));
        }
        if let Some(month) = f.progress.first_sales {
            trail.push((t.get("pick-step-first_sales"), month.to_string()));
        }
    }
    PickView {
        id: pick.id,
        product_id: pick.product.0,
        product_name: pick.product_name.clone(),
        merchant_name: pick.merchant_name.clone(),
        md_name: pick.md_name.clone(),
        channel: t.get(&format!("channel-{}", pick.channel.code())),
        purpose: t.get(&format!("pick-purpose-{}", pick.purpose.code())),
        note: pick.note.clone(),
        decision: pick.decision.code(),
        decision_label: t.get(&format!("pick-decision-{}", pick.decision.code())),
        when: pick.created_at.display_seoul(),
        step: step.code(),
        step_label: t.get(&format!("pick-step-{}", step.code())),
        trail,
    }
}

#[derive(Template)]
#[template(path = "discovery_product.html")]
struct ProductView {
    page: Shell,
    id: i64,
    name: String,
    price: String,
    list_price: String,
    images: Vec<String>,
    options: Vec<(String, String)>,
    /// (label, value) of the 상품정보제공고시.
    notice: Vec<(String, String)>,
    certifications: Vec<String>,
    shop: String,
    region: String,
    industry: String,
    on_sale: Vec<String>,
    hall_of_fame: bool,
    contact_visible: bool,
    phone: String,
    address: String,
    /// (month, band label); `None`: the shop does not share its sales.
    sales_bands: Option<Vec<(String, String)>>,
    picks: Vec<PickView>,
    /// The pick form (MDs only).
    may_pick: bool,
    channels: Vec<(&'static str, String)>,
    purposes: Vec<(&'static str, String)>,
    errors: Vec<String>,
    picked: bool,
}

fn product_view(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    seen: PooledProduct,
    errors: Vec<String>,
) -> ProductView {
    let t = ctx.t;
    let shown = crate::photos::for_display(state, headers, &seen.product.file);
    let checked = seen.product.file.check().ok();
    let notice = seen
        .product
        .file
        .notice
        .as_ref()
        .map(|n| {
            let kind = gachi_domain::catalog::notice::find(&n.kind);
            n.fields
                .iter()
                .map(|(name, value)| {
                    let label = kind
                        .and_then(|k| k.fields.iter().find(|f| &f.name == name))
                        .map(|f| f.label.clone())
                        .unwrap_or_else(|| name.clone());
                    (label, value.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    ProductView {
        page: Shell::new(ctx),
        id: seen.product.id.0,
        name: seen.product.file.name.clone(),
        price: checked
            .as_ref()
            .map(|c| won(t, c.price))
            .unwrap_or_default(),
        list_price: checked
            .as_ref()
            .and_then(|c| c.list_price)
            .map(|p| won(t, p))
            .unwrap_or_default(),
        images: shown
            .images
            .map(|i| {
                std::iter::once(i.main)
                    .chain(i.extra)
                    .filter(|s| !s.is_empty())
                    .map(|s| crate::photos::preview_src(&s))
                    .collect()
            })
            .unwrap_or_default(),
        options: seen
            .product
            .file
            .options
            .iter()
            .map(|o| (o.name.clone(), o.values.join(", ")))
            .collect(),
        notice,
        certifications: seen
            .product
            .file
            .certifications
            .iter()
            .map(|c| format!("{} {}", c.kind, c.number).trim().to_owned())
            .collect(),
        shop: seen.shop.name.clone(),
        region: seen.shop.region.region().name,
        industry: seen.shop.industry.name.clone(),
        on_sale: seen
            .on_sale
            .iter()
            .map(|c| t.get(&format!("channel-{}", c.code())))
            .collect(),
        hall_of_fame: seen.hall_of_fame,
        contact_visible: seen.contact_visible,
        phone: seen.shop.phone.clone().unwrap_or_default(),
        address: seen.shop.road_address.clone().unwrap_or_default(),
        sales_bands: seen.sales_bands.as_ref().map(|bands| {
            bands
                .iter()
                .map(|(month, band)| (month.to_string(), t.get(band.key())))
                .collect()
        }),
        picks: seen.picks.iter().map(|p| pick_view(t, p, None)).collect(),
        may_pick: ctx.user.as_ref().is_some_and(|u| u.role == Role::Md),
        channels: channel_choices(t),
        purposes: Purpose::ALL
            .into_iter()
            .map(|p| (p.code(), t.get(&format!("pick-purpose-{}", p.code()))))
            .collect(),
        errors,
        picked: ctx.path.contains("picked=1"),
    }
}

/// A pooled product as an MD opens it (outside the pool: not found).
pub async fn product(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let seen = state
        .discovery()
        .pooled(user, ProductId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(
        StatusCode::OK,
        &product_view(&state, &ctx, &headers, seen, Vec::new()),
    ))
}

/// The pooled product's 상세페이지 alone, for the frame on the MD's page.
pub async fn detail_page(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let seen = state
        .discovery()
        .pooled(user, ProductId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(crate::pages::products::preview_document(
        &gachi_domain::catalog::detail_page::render(&crate::photos::for_display(
            &state,
            &headers,
            &seen.product.file,
        )),
    ))
}

#[derive(Deserialize)]
pub struct PickForm {
    pub product_id: i64,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub note: String,
}

/// The MD picks the product; the shop sees it at once.
pub async fn create_pick(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<PickForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Md])?;
    let input = PickInput {
        product_id: form.product_id,
        channel: form.channel,
        purpose: form.purpose,
        note: form.note,
    };
    let discovery = state.discovery();
    match discovery.pick(user, &ctx.actor(), &input).await {
        Ok(_) => Ok(see_other(
            &ctx,
            &format!("/discovery/products/{}?picked=1", form.product_id),
        )),
        Err(DiscoveryError::Invalid(errors)) => {
            let seen = discovery
                .pooled(user, ProductId(form.product_id))
                .await
                .map_err(|e| ctx.fail(e))?;
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &product_view(&state, &ctx, &headers, seen, messages),
            ))
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// One of the shop's products in its pool list.
pub struct PoolRowView {
    pub product_id: i64,
    pub name: String,
    pub pooled: bool,
    pub pooled_at: String,
    /// What is missing, translated (empty: nothing).
    pub gaps: Vec<String>,
}

#[derive(Template)]
#[template(path = "picks.html")]
struct PicksView {
    page: Shell,
    /// `md`, `shop` or `staff`: whose page this is.
    audience: &'static str,
    picks: Vec<PickView>,
    /// (step label, picks that reached it) and how many were declined.
    funnel: Vec<(String, usize)>,
    declined: usize,
    pool: Vec<PoolRowView>,
    sales_band: bool,
    alert: Option<String>,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct PicksQuery {
    pub merchant: Option<i64>,
    pub done: Option<String>,
}

async fn picks_page(
    state: &AppState,
    ctx: &Ctx,
    merchant: Option<gachi_domain::merchants::merchant::MerchantId>,
    alert: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let t = ctx.t;
    let discovery = state.discovery();
    let audience = match user.role {
        Role::Md => "md",
        r if r.is_staff() && merchant.is_none() => "staff",
        Role::Merchant | Role::Designer | Role::Operator | Role::Admin => "shop",
        _ => return Err(ctx.fail(DiscoveryError::Forbidden)),
    };
    let followed = discovery
        .picks(user, merchant)
        .await
        .map_err(|e| ctx.fail(e))?;
    let (pool, sales_band) = if audience == "shop" {
        let (_, entries) = discovery
            .pool_of_shop(user, merchant)
            .await
            .map_err(|e| ctx.fail(e))?;
        let rows = entries
            .into_iter()
            .map(|e| PoolRowView {
                product_id: e.product.id.0,
                name: e.product.file.name.clone(),
                pooled: e.pooled_at.is_some(),
                pooled_at: e.pooled_at.map(|a| a.display_seoul()).unwrap_or_default(),
                gaps: e
                    .gaps
                    .iter()
                    .map(|g| t.get(g.code))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            })
            .collect();
        let visibility = discovery
            .sales_visibility(user, merchant)
            .await
            .map_err(|e| ctx.fail(e))?;
        (rows, visibility == SalesVisibility::Band)
    } else {
        (Vec::new(), false)
    };
    let (counts, declined) = funnel(&followed);
    let view = PicksView {
        page: Shell::new(ctx),
        audience,
        picks: followed
            .iter()
            .map(|f| pick_view(t, &f.pick, Some(f)))
            .collect(),
        funnel: counts
            .into_iter()
            .map(|(step, n)| (t.get(&format!("pick-step-{}", step.code())), n))
            .collect(),
        declined,
        pool,
        sales_band,
        alert,
        errors,
    };
    Ok(render(status, &view))
}

/// The picks page: an MD's picks and funnel; a shop's pool, picks to answer and sales sharing;
/// every pick for staff.
pub async fn picks(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<PicksQuery>,
) -> Result<Response, PageError> {
    let alert = query
        .done
        .as_deref()
        .filter(|d| ["accepted", "declined", "pooled", "unpooled", "visibility"].contains(d))
        .map(|d| ctx.t.get(&format!("picks-done-{d}")));
    picks_page(
        &state,
        &ctx,
        query
            .merchant
            .map(gachi_domain::merchants::merchant::MerchantId),
        alert,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// The picks page again with why the form was refused (422).
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    messages: Vec<String>,
) -> Result<Response, PageError> {
    picks_page(
        state,
        ctx,
        None,
        None,
        messages,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The shop accepts a pick.
pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    decide(state, ctx, id, true).await
}

/// The shop declines a pick.
pub async fn decline(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    decide(state, ctx, id, false).await
}

async fn decide(state: AppState, ctx: Ctx, id: i64, accept: bool) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    match state
        .discovery()
        .decide(user, &ctx.actor(), id, accept)
        .await
    {
        Ok(_) => Ok(see_other(
            &ctx,
            if accept {
                "/discovery/picks?done=accepted"
            } else {
                "/discovery/picks?done=declined"
            },
        )),
        Err(DiscoveryError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            refused(&state, &ctx, messages).await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

#[derive(Deserialize)]
pub struct PoolForm {
    pub product_id: i64,
    /// `put` or `remove`.
    #[serde(default)]
    pub action: String,
}

/// The shop puts a product in the pool or takes it out.
pub async fn pool(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PoolForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let discovery = state.discovery();
    let id = ProductId(form.product_id);
    let (result, done) = if form.action == "remove" {
        (
            discovery.take_out_of_pool(user, &ctx.actor(), id).await,
            "unpooled",
        )
    } else {
        (
            discovery
                .put_in_pool(user, &ctx.actor(), id)
                .await
                .map(|_| ()),
            "pooled",
        )
    };
    match result {
        Ok(()) => Ok(see_other(&ctx, &format!("/discovery/picks?done={done}"))),
        Err(DiscoveryError::NotReady(errors)) => {
            let mut messages: Vec<String> = vec![ctx.t.get("pool-not-ready")];
            messages.extend(errors.0.iter().map(|e| ctx.t.get(e.code)));
            messages.dedup();
            refused(&state, &ctx, messages).await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

#[derive(Deserialize)]
pub struct VisibilityForm {
    #[serde(default)]
    pub visibility: String,
}

/// The shop chooses what MDs may see of its sales.
pub async fn sales_visibility(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<VisibilityForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    state
        .discovery()
        .set_sales_visibility(user, &ctx.actor(), None, &form.visibility)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(see_other(&ctx, "/discovery/picks?done=visibility"))
}
