//! `/api/v1/discovery`: the 원정대 MD pool for the marketplaces' merchandisers and partners. A
//! shop puts products in and out of the pool (`/api/v1/products/{id}/pool`); MDs search it in
//! Korean, open pooled products, and pick them; the shop answers its picks, and every pick
//! reports how far it has come (accepted → listed → on sale → first sales). 원정대 events:
//! invitations, applications, marks and ranks, the computed timetable, agendas as iCalendar,
//! outcomes and the report.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use gachi_domain::catalog::product::{ProductFile, ProductId};
use gachi_domain::discovery::events::{Event, EventInput, Meeting, clock, mark_code};
use gachi_domain::discovery::picks::{FollowedPick, Pick, PickInput};
use gachi_domain::discovery::pool::PoolEntry;
use gachi_domain::discovery::{PoolItem, SearchInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ApiUser;
use crate::error::{ApiError, ApiErrorBody, ApiValidationBody};
use crate::json_body::{AppJson, JsonBodyError, json_body};

/// A product's place in the pool.
#[derive(Debug, Serialize, ToSchema)]
pub struct PoolEntryBody {
    pub product_id: i64,
    pub merchant_id: i64,
    /// When it went in (RFC 3339).
    pub pooled_at: String,
}

impl From<&PoolEntry> for PoolEntryBody {
    fn from(entry: &PoolEntry) -> Self {
        Self {
            product_id: entry.product.0,
            merchant_id: entry.merchant.0,
            pooled_at: entry.pooled_at.rfc3339_seconds(),
        }
    }
}

/// Puts the product in the MD pool (the shop's merchant, its designer under a catalog
/// delegation, or staff). A product whose common checks fail is refused with its gaps.
#[utoipa::path(put, path = "/api/v1/products/{id}/pool", tag = "discovery",
    params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "In the pool (again: it keeps when it first went in)", body = PoolEntryBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller manages", body = ApiErrorBody),
        (status = 422, description = "The product's common checks fail: each gap by field", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn put_in_pool(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<PoolEntryBody>, ApiError> {
    let entry = state
        .discovery()
        .put_in_pool(&caller.user, &caller.actor(), ProductId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(PoolEntryBody::from(&entry)))
}

/// Takes the product out of the MD pool (picks already made stay).
#[utoipa::path(delete, path = "/api/v1/products/{id}/pool", tag = "discovery",
    params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 204, description = "Out of the pool (or it was not in)"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller manages", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn take_out_of_pool(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .discovery()
        .take_out_of_pool(&caller.user, &caller.actor(), ProductId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The search's filters, as a query string.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DiscoveryQuery {
    /// Words in any order; particles and spacing do not matter, initial consonants (ㅂㅂㅂ) and a
    /// one-syllable misspelling find too. Cut at 200 characters.
    pub q: Option<String>,
    /// 시도 code (2 digits).
    pub sido: Option<String>,
    /// 시군구 code (5 digits).
    pub sigungu: Option<String>,
    /// 상권업종 소분류 code, e.g. `I20101`.
    pub industry: Option<String>,
    pub price_min: Option<String>,
    pub price_max: Option<String>,
    /// A certification kind, e.g. `HACCP`.
    pub certification: Option<String>,
    /// On sale on this marketplace already (`naver`, `coupang`, `11st`, `esm`).
    pub listed_on: Option<String>,
    /// Not yet on sale on this marketplace.
    pub not_listed_on: Option<String>,
    /// `true` or `false`.
    pub tax_free: Option<String>,
    /// `true` or `false`: sent by parcel courier to the whole country.
    pub ships_nationwide: Option<String>,
    /// `relevance` (default), `newest`, `price_low`, `price_high`.
    pub sort: Option<String>,
    /// The page, from 1.
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub page: Option<u32>,
    /// Page size, default 24, at most 100.
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub limit: Option<u32>,
}

impl From<DiscoveryQuery> for SearchInput {
    fn from(q: DiscoveryQuery) -> Self {
        SearchInput {
            q: q.q,
            sido: q.sido,
            sigungu: q.sigungu,
            industry: q.industry,
            price_min: q.price_min,
            price_max: q.price_max,
            certification: q.certification,
            listed_on: q.listed_on,
            not_listed_on: q.not_listed_on,
            tax_free: q.tax_free,
            ships_nationwide: q.ships_nationwide,
            sort: q.sort,
            page: q.page,
            limit: q.limit,
        }
    }
}

/// One pooled product in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PoolItemBody {
    pub product_id: i64,
    pub name: String,
    /// KRW.
    pub price: Option<i64>,
    /// The main photo's address.
    pub image: Option<String>,
    pub shop_id: i64,
    pub shop_name: String,
    /// 시군구 code and name.
    pub region_code: String,
    pub region: String,
    pub industry_code: String,
    pub industry: String,
    pub pooled_at: String,
}

impl From<&PoolItem> for PoolItemBody {
    fn from(item: &PoolItem) -> Self {
        Self {
            product_id: item.product.id.0,
            name: item.product.file.name.clone(),
            price: item.product.file.check().ok().map(|c| c.price),
            image: item
                .product
                .file
                .images
                .as_ref()
                .map(|i| i.main.clone())
                .filter(|m| !m.is_empty()),
            shop_id: item.shop.id.0,
            shop_name: item.shop.name.clone(),
            region_code: item.shop.region.as_str().to_owned(),
            region: item.shop.region.region().name,
            industry_code: item.shop.industry.code.clone(),
            industry: item.shop.industry.name.clone(),
            pooled_at: item.pooled_at.rfc3339_seconds(),
        }
    }
}

/// A facet value and how many hits have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCountBody {
    pub value: String,
    pub count: u64,
}

/// Counts per facet over every hit (not only this page).
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetsBody {
    pub sido: Vec<FacetCountBody>,
    pub industry: Vec<FacetCountBody>,
    pub certification: Vec<FacetCountBody>,
    pub listed_on: Vec<FacetCountBody>,
    pub tax_free: u64,
    pub ships_nationwide: u64,
}

/// A page of the pool.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiscoveryPageBody {
    pub items: Vec<PoolItemBody>,
    /// Hits on all pages.
    pub total: u64,
    pub facets: FacetsBody,
    /// The query was longer than 200 characters and was cut.
    pub truncated: bool,
}

/// Searches the MD pool (MDs and staff).
#[utoipa::path(get, path = "/api/v1/discovery/products", tag = "discovery", params(DiscoveryQuery),
    responses(
        (status = 200, description = "Best first", body = DiscoveryPageBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Neither an MD nor staff", body = ApiErrorBody),
        (status = 422, description = "A filter could not be read", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn search(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<DiscoveryQuery>,
) -> Result<Json<DiscoveryPageBody>, ApiError> {
    let page = state
        .discovery()
        .search(&caller.user, &query.into())
        .await
        .map_err(|e| caller.fail(e))?;
    let counts = |values: &[(String, u64)]| {
        values
            .iter()
            .map(|(value, count)| FacetCountBody {
                value: value.clone(),
                count: *count,
            })
            .collect()
    };
    Ok(Json(DiscoveryPageBody {
        items: page.items.iter().map(PoolItemBody::from).collect(),
        total: page.total,
        facets: FacetsBody {
            sido: counts(&page.facets.sido),
            industry: counts(&page.facets.industry),
            certification: counts(&page.facets.certification),
            listed_on: page
                .facets
                .listed_on
                .iter()
                .map(|(channel, count)| FacetCountBody {
                    value: channel.code().to_owned(),
                    count: *count,
                })
                .collect(),
            tax_free: page.facets.tax_free,
            ships_nationwide: page.facets.ships_nationwide,
        },
        truncated: page.truncated,
    }))
}

/// A month's online sales as a band.
#[derive(Debug, Serialize, ToSchema)]
pub struct SalesBandBody {
    /// `YYYY-MM`.
    pub month: String,
    /// `under-1m`, `1m-5m`, `5m-10m`, `10m-50m`, `over-50m`.
    pub band: String,
}

/// The shop behind a pooled product, as an MD sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PoolShopBody {
    pub id: i64,
    pub name: String,
    pub region_code: String,
    pub region: String,
    pub industry_code: String,
    pub industry: String,
    /// Marketplaces where the shop is on sale already.
    pub on_sale: Vec<String>,
    pub hall_of_fame: bool,
    /// Shown once the shop has accepted one of the caller's picks (staff: always).
    pub contact_visible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Recent months' online sales as bands, when the shop shares them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sales_bands: Option<Vec<SalesBandBody>>,
}

/// A pooled product as an MD opens it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PooledProductBody {
    pub product_id: i64,
    pub name: String,
    pub pooled_at: String,
    /// The product file v1 as saved (what a buyer's page is made of).
    #[schema(value_type = crate::product_schema::ProductFileSchema)]
    pub product: ProductFile,
    pub shop: PoolShopBody,
    /// The caller's own picks of this product (every pick, for staff).
    pub picks: Vec<PickBody>,
}

/// A pooled product (MDs and staff; a product outside the pool is not found).
#[utoipa::path(get, path = "/api/v1/discovery/products/{id}", tag = "discovery",
    params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "The product, its shop and track record", body = PooledProductBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Neither an MD nor staff", body = ApiErrorBody),
        (status = 404, description = "Not in the pool", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn pooled_product(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<PooledProductBody>, ApiError> {
    let seen = state
        .discovery()
        .pooled(&caller.user, ProductId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(PooledProductBody {
        product_id: seen.product.id.0,
        name: seen.product.file.name.clone(),
        pooled_at: seen.entry.pooled_at.rfc3339_seconds(),
        shop: PoolShopBody {
            id: seen.shop.id.0,
            name: seen.shop.name.clone(),
            region_code: seen.shop.region.as_str().to_owned(),
            region: seen.shop.region.region().name,
            industry_code: seen.shop.industry.code.clone(),
            industry: seen.shop.industry.name.clone(),
            on_sale: seen.on_sale.iter().map(|c| c.code().to_owned()).collect(),
            hall_of_fame: seen.hall_of_fame,
            contact_visible: seen.contact_visible,
            phone: seen.shop.phone.clone(),
            address: seen.shop.road_address.clone(),
            sales_bands: seen.sales_bands.as_ref().map(|bands| {
                bands
                    .iter()
                    .map(|(month, band)| SalesBandBody {
                        month: month.to_string(),
                        band: band.code().to_owned(),
                    })
                    .collect()
            }),
        },
        picks: seen.picks.iter().map(PickBody::from).collect(),
        product: seen.product.file,
    }))
}

/// A pick.
#[derive(Debug, Serialize, ToSchema)]
pub struct PickBody {
    pub id: i64,
    pub product_id: i64,
    /// The product's name when it was picked.
    pub product_name: String,
    pub merchant_id: i64,
    pub merchant_name: String,
    pub md_id: i64,
    pub md_name: String,
    /// The MD's marketplace for this pick.
    pub channel: String,
    /// `promotion` (기획전), `time_deal`, `live`, `regular`.
    pub purpose: String,
    pub note: String,
    /// `proposed`, `accepted`, `declined`.
    pub decision: String,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
}

impl From<&Pick> for PickBody {
    fn from(p: &Pick) -> Self {
        Self {
            id: p.id,
            product_id: p.product.0,
            product_name: p.product_name.clone(),
            merchant_id: p.merchant.0,
            merchant_name: p.merchant_name.clone(),
            md_id: p.md.0,
            md_name: p.md_name.clone(),
            channel: p.channel.code().to_owned(),
            purpose: p.purpose.code().to_owned(),
            note: p.note.clone(),
            decision: p.decision.code().to_owned(),
            created_at: p.created_at.rfc3339_seconds(),
            decided_at: p.decided_at.map(|t| t.rfc3339_seconds()),
        }
    }
}

/// A pick to make.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPickBody {
    pub product_id: i64,
    /// The MD's marketplace: `naver`, `coupang`, `11st`, `esm`.
    pub channel: String,
    /// `promotion`, `time_deal`, `live`, `regular`.
    pub purpose: String,
    #[serde(default)]
    pub note: String,
}

/// Picks a pooled product for a purpose on a marketplace (MDs). The shop sees it at once.
#[utoipa::path(post, path = "/api/v1/discovery/picks", tag = "discovery", request_body = NewPickBody,
    responses(
        (status = 201, description = "Picked; waiting for the shop's answer", body = PickBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not an MD", body = ApiErrorBody),
        (status = 422, description = "Not in the pool, picked already for this marketplace, or a bad field", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn create_pick(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<NewPickBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<PickBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let pick = state
        .discovery()
        .pick(
            &caller.user,
            &caller.actor(),
            &PickInput {
                product_id: body.product_id,
                channel: body.channel,
                purpose: body.purpose,
                note: body.note,
            },
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(PickBody::from(&pick))))
}

/// How far an accepted pick has come.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowedPickBody {
    #[serde(flatten)]
    pub pick: PickBody,
    /// The furthest step: `proposed`, `declined`, `accepted`, `listed`, `on_sale`, `first_sales`.
    pub step: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_sale_since: Option<String>,
    /// `YYYY-MM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_sales_month: Option<String>,
}

impl From<&FollowedPick> for FollowedPickBody {
    fn from(f: &FollowedPick) -> Self {
        Self {
            pick: PickBody::from(&f.pick),
            step: f.step.code().to_owned(),
            listed_at: f.progress.listed_at.map(|t| t.rfc3339_seconds()),
            on_sale_since: f.progress.on_sale_since.map(|t| t.rfc3339_seconds()),
            first_sales_month: f.progress.first_sales.map(|m| m.to_string()),
        }
    }
}

/// The picks' list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PicksBody {
    pub items: Vec<FollowedPickBody>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PicksQuery {
    /// One shop's picks (staff; a designer names the shop that delegated its catalog).
    pub merchant_id: Option<i64>,
}

/// The picks the caller sees, newest first, each followed to where it has come: an MD's own, a
/// shop's (its merchant, or its designer), every one (staff).
#[utoipa::path(get, path = "/api/v1/discovery/picks", tag = "discovery", params(PicksQuery),
    responses(
        (status = 200, description = "Newest first", body = PicksBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "A role without picks", body = ApiErrorBody),
        (status = 404, description = "No shop, or not one the caller works on", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn picks(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<PicksQuery>,
) -> Result<Json<PicksBody>, ApiError> {
    let picks = state
        .discovery()
        .picks(
            &caller.user,
            query
                .merchant_id
                .map(gachi_domain::merchants::merchant::MerchantId),
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(PicksBody {
        items: picks.iter().map(FollowedPickBody::from).collect(),
    }))
}

async fn decide(
    state: &AppState,
    caller: &ApiUser,
    id: i64,
    accept: bool,
) -> Result<Json<PickBody>, ApiError> {
    let pick = state
        .discovery()
        .decide(&caller.user, &caller.actor(), id, accept)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(PickBody::from(&pick)))
}

/// The shop accepts a pick: its card for the pick's marketplace goes on the onboarding board.
#[utoipa::path(post, path = "/api/v1/discovery/picks/{id}/accept", tag = "discovery",
    params(("id" = i64, Path, description = "Pick id")),
    responses(
        (status = 200, description = "Accepted", body = PickBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such pick, or not the caller's shop's", body = ApiErrorBody),
        (status = 422, description = "Answered already", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn accept_pick(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<PickBody>, ApiError> {
    decide(&state, &caller, id, true).await
}

/// The shop declines a pick.
#[utoipa::path(post, path = "/api/v1/discovery/picks/{id}/decline", tag = "discovery",
    params(("id" = i64, Path, description = "Pick id")),
    responses(
        (status = 200, description = "Declined", body = PickBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such pick, or not the caller's shop's", body = ApiErrorBody),
        (status = 422, description = "Answered already", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn decline_pick(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<PickBody>, ApiError> {
    decide(&state, &caller, id, false).await
}

/// What MDs may see of the shop's sales.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct SalesVisibilityBody {
    /// `band` (each month's online sales as a band) or `hidden`.
    pub visibility: String,
}

/// Sets what MDs may see of the caller's shop's sales (the shop's merchant).
#[utoipa::path(put, path = "/api/v1/discovery/sales-visibility", tag = "discovery",
    request_body = SalesVisibilityBody,
    responses(
        (status = 200, description = "Saved", body = SalesVisibilityBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No shop", body = ApiErrorBody),
        (status = 422, description = "Neither `band` nor `hidden`", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn set_sales_visibility(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<SalesVisibilityBody>, JsonBodyError>,
) -> Result<Json<SalesVisibilityBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let saved = state
        .discovery()
        .set_sales_visibility(&caller.user, &caller.actor(), None, &body.visibility)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(SalesVisibilityBody {
        visibility: saved.code().to_owned(),
    }))
}

// ---- 원정대 events ----

/// An event.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventBody {
    pub id: i64,
    pub name: String,
    /// 시도 or 시군구 code, and its name.
    pub region_code: String,
    pub region: String,
    pub venue: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, Seoul.
    pub starts: String,
    pub ends: String,
    pub slot_minutes: u16,
    /// `HH:MM-HH:MM` each.
    pub breaks: Vec<String>,
    pub tables: u16,
    pub meetings_per_merchant: u16,
    pub applications_close: String,
    /// When the timetable was last computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<String>,
    /// Every meeting slot of the day: `HH:MM-HH:MM`.
    pub slots: Vec<String>,
}

impl From<&Event> for EventBody {
    fn from(e: &Event) -> Self {
        Self {
            id: e.id,
            name: e.name.clone(),
            region_code: e.region.as_str().to_owned(),
            region: e.region.region().name,
            venue: e.venue.clone(),
            date: e.date.to_string(),
            starts: clock(e.starts),
            ends: clock(e.ends),
            slot_minutes: e.slot_minutes,
            breaks: e
                .breaks
                .iter()
                .map(|(a, b)| format!("{}-{}", clock(*a), clock(*b)))
                .collect(),
            tables: e.tables,
            meetings_per_merchant: e.meetings_per_merchant,
            applications_close: e.applications_close.rfc3339_seconds(),
            scheduled_at: e.scheduled_at.map(|t| t.rfc3339_seconds()),
            slots: e
                .slots()
                .iter()
                .map(|(a, b)| format!("{}-{}", clock(*a), clock(*b)))
                .collect(),
        }
    }
}

/// The events the caller may see.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventsBody {
    pub items: Vec<EventBody>,
}

/// The events the caller may see, newest day first: every one (staff), the region's
/// (officers), those an MD is invited to, the open ones (merchants).
#[utoipa::path(get, path = "/api/v1/discovery/events", tag = "discovery",
    responses(
        (status = 200, description = "Newest day first", body = EventsBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "A role without events", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn events(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<EventsBody>, ApiError> {
    let events = state
        .expeditions()
        .list(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(EventsBody {
        items: events.iter().map(EventBody::from).collect(),
    }))
}

/// Creates an event (staff). The slot length must divide the hours outside the breaks.
#[utoipa::path(post, path = "/api/v1/discovery/events", tag = "discovery",
    request_body(content = Object, description = "name, region_code, venue, date (YYYY-MM-DD), starts and ends (HH:MM), slot_minutes, breaks (\"12:00-13:00, …\"), tables, meetings_per_merchant, applications_close (YYYY-MM-DD)"),
    responses(
        (status = 201, description = "Created", body = EventBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 422, description = "A field is wrong", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn create_event(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<EventInput>, JsonBodyError>,
) -> Result<(StatusCode, Json<EventBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let event = state
        .expeditions()
        .create(&caller.user, &caller.actor(), &body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(EventBody::from(&event))))
}

/// An invited MD.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationBody {
    pub md_id: i64,
    pub md_name: String,
    pub channel: String,
    pub looking_for: String,
    /// `invited`, `confirmed`, `declined`.
    pub attendance: String,
}

/// An application.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EventApplicationBody)]
pub struct ApplicationBody {
    pub merchant_id: i64,
    pub merchant_name: String,
    pub product_ids: Vec<i64>,
    /// The MDs the merchant wants, first choice first.
    pub ranking: Vec<i64>,
    pub applied_at: String,
    /// When the merchant arrived on the day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_in_at: Option<String>,
}

/// An MD's mark.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkBody {
    pub md_id: i64,
    pub merchant_id: i64,
    /// `must`, `would`, `no`.
    pub mark: String,
}

/// A meeting of the timetable.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingBody {
    pub id: i64,
    pub md_id: i64,
    pub md_name: String,
    pub merchant_id: i64,
    pub merchant_name: String,
    pub slot: u16,
    pub table: u16,
    /// `HH:MM`, Seoul.
    pub starts: String,
    pub ends: String,
    /// `pick`, `more_information`, `not_now`, `no_show`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    pub feedback: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pick_id: Option<i64>,
}

fn meeting_body(event: &Event, m: &Meeting) -> MeetingBody {
    let (starts, ends) = event
        .slots()
        .get(usize::from(m.slot))
        .map(|(a, b)| (clock(*a), clock(*b)))
        .unwrap_or_default();
    MeetingBody {
        id: m.id,
        md_id: m.md.0,
        md_name: m.md_name.clone(),
        merchant_id: m.merchant.0,
        merchant_name: m.merchant_name.clone(),
        slot: m.slot,
        table: m.table,
        starts,
        ends,
        outcome: m.outcome.map(|o| o.code().to_owned()),
        feedback: m.feedback.clone(),
        pick_id: m.pick,
    }
}

/// An event with what the caller may see of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDetailBody {
    pub event: EventBody,
    pub invitations: Vec<InvitationBody>,
    pub applications: Vec<ApplicationBody>,
    pub marks: Vec<MarkBody>,
    pub meetings: Vec<MeetingBody>,
}

/// An event: staff see everything, officers of its region the applications and timetable, an
/// invited MD the applicants, their own marks and meetings, a merchant its own application and
/// meetings with the MDs' feedback.
#[utoipa::path(get, path = "/api/v1/discovery/events/{id}", tag = "discovery",
    params(("id" = i64, Path, description = "Event id")),
    responses(
        (status = 200, description = "The event", body = EventDetailBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such event, or not one the caller may see", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn event(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<EventDetailBody>, ApiError> {
    let view = state
        .expeditions()
        .view(&caller.user, id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(EventDetailBody {
        invitations: view
            .invitations
            .iter()
            .map(|i| InvitationBody {
                md_id: i.md.0,
                md_name: i.md_name.clone(),
                channel: i.channel.code().to_owned(),
                looking_for: i.looking_for.clone(),
                attendance: i.attendance.code().to_owned(),
            })
            .collect(),
        applications: view
            .applications
            .iter()
            .map(|a| ApplicationBody {
                merchant_id: a.merchant.0,
                merchant_name: a.merchant_name.clone(),
                product_ids: a.products.iter().map(|p| p.0).collect(),
                ranking: a.ranking.iter().map(|u| u.0).collect(),
                applied_at: a.applied_at.rfc3339_seconds(),
                checked_in_at: a.checked_in_at.map(|t| t.rfc3339_seconds()),
            })
            .collect(),
        marks: view
            .marks
            .iter()
            .map(|m| MarkBody {
                md_id: m.md.0,
                merchant_id: m.merchant.0,
                mark: mark_code(m.mark).to_owned(),
            })
            .collect(),
        meetings: view
            .meetings
            .iter()
            .map(|m| meeting_body(&view.event, m))
            .collect(),
        event: EventBody::from(&view.event),
    }))
}

/// An MD to invite.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteBody {
    /// The MD account's sign-in e-mail.
    pub md_email: String,
    /// The marketplace they come for.
    pub channel: String,
}

/// Invites an MD account for a marketplace (staff).
#[utoipa::path(post, path = "/api/v1/discovery/events/{id}/invitations", tag = "discovery",
    params(("id" = i64, Path, description = "Event id")), request_body = InviteBody,
    responses(
        (status = 204, description = "Invited"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such event", body = ApiErrorBody),
        (status = 422, description = "Not an MD account, or an unknown marketplace", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn invite(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<InviteBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .expeditions()
        .invite(
            &caller.user,
            &caller.actor(),
            id,
            &body.md_email,
            &body.channel,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// An MD's answer to an invitation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AttendanceBody {
    pub attend: bool,
    /// What the MD looks for.
    #[serde(default)]
    pub looking_for: String,
}

/// The invited MD confirms (or declines) and says what they look for.
#[utoipa::path(post, path = "/api/v1/discovery/events/{id}/attendance", tag = "discovery",
    params(("id" = i64, Path, description = "Event id")), request_body = AttendanceBody,
    responses(
        (status = 204, description = "Answered"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not an MD", body = ApiErrorBody),
        (status = 404, description = "Not invited", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn attendance(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<AttendanceBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .expeditions()
        .answer(
            &caller.user,
            &caller.actor(),
            id,
            body.attend,
            &body.looking_for,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A merchant's application.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplyBody {
    /// 1 to 3 of the shop's pooled products.
    pub product_ids: Vec<i64>,
}

/// The merchant applies (or changes its products) before applications close.
#[utoipa::path(post, path = "/api/v1/discovery/events/{id}/applications", tag = "discovery",
    params(("id" = i64, Path, description = "Event id")), request_body = ApplyBody,
    responses(
        (status = 204, description = "Applied"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not a merchant", body = ApiErrorBody),
        (status = 404, description = "No such event", body = ApiErrorBody),
        (status = 422, description = "Closed, or a product not in the shop's pool", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn apply(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<ApplyBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .expeditions()
        .apply(&caller.user, &caller.actor(), id, &body.product_ids)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The MDs a merchant wants to meet.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RankingBody {
    /// Up to three invited MDs' account ids, first choice first.
    pub md_ids: Vec<i64>,
}

/// The applicant ranks the MDs it wants to meet.
#[utoipa::path(put, path = "/api/v1/discovery/events/{id}/ranking", tag = "discovery",
    params(("id" = i64, Path, description = "Event id")), request_body = RankingBody,
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not a merchant", body = ApiErrorBody),
        (status = 422, description = "Not applied, or an MD not invited", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn rank(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<RankingBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .expeditions()
        .rank(&caller.user, &caller.actor(), id, &body.md_ids)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// An MD's mark on an applicant.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkInputBody {
    pub merchant_id: i64,
    /// `must`, `would` or `no`.
    pub mark: String,
}

/// The invited MD marks an applicant, until the timetable is made.
#[utoipa::path(put, path = "/api/v1/discovery/events/{id}/marks", tag = "discovery",
    params(("id" = i64, Path, description = "Event id")), request_body = MarkInputBody,
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not an MD", body = ApiErrorBody),
        (status = 404, description = "Not invited", body = ApiErrorBody),
        (status = 422, description = "Not an applicant, an unknown mark, or the timetable is made", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn mark(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<MarkInputBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .expeditions()
        .mark(
            &caller.user,
            &caller.actor(),
            id,
            body.merchant_id,
            &body.mark,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the timetable computation did.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TimetableBody)]
pub struct ScheduledBody {
    pub meetings: usize,
    /// The most meetings any timetable could hold.
    pub upper_bound: usize,
    /// Chosen meetings without a common free slot (their places went to the next wanted pairs).
    pub unscheduled: usize,
    pub merchants_waiting_long: usize,
}

/// Computes the 1:1 timetable (staff), replacing the previous one.
#[utoipa::path(post, path = "/api/v1/discovery/events/{id}/timetable", tag = "discovery",
    params(("id" = i64, Path, description = "Event id")),
    responses(
        (status = 200, description = "Computed and kept", body = ScheduledBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such event", body = ApiErrorBody),
        (status = 422, description = "No confirmed MD, too few tables, or no applications", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn schedule(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ScheduledBody>, ApiError> {
    let computed = state
        .expeditions()
        .schedule(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ScheduledBody {
        meetings: computed.meetings.len(),
        upper_bound: computed.upper_bound,
        unscheduled: computed.unscheduled.len(),
        merchants_waiting_long: computed.merchants_waiting_long,
    }))
}

/// The caller's meetings at the event as an iCalendar file (an MD's, a merchant's; every
/// meeting for staff).
#[utoipa::path(get, path = "/api/v1/discovery/events/{id}/agenda.ics", tag = "discovery",
    params(("id" = i64, Path, description = "Event id")),
    responses(
        (status = 200, description = "One VEVENT per meeting", content_type = "text/calendar"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such event, or not one the caller may see", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn agenda_ics(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    let (event, meetings) = state
        .expeditions()
        .agenda(&caller.user, id)
        .await
        .map_err(|e| caller.fail(e))?;
    let md_view = caller.user.role == gachi_domain::accounts::Role::Md;
    Ok(crate::ics::calendar_response(
        &format!("gachi-event-{id}.ics"),
        crate::ics::agenda(state.clock().now(), &event, &meetings, md_view),
    ))
}

/// A merchant arriving.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckInBody {
    pub merchant_id: i64,
}

/// Staff check an applicant in at the door (again: the first time stands).
#[utoipa::path(post, path = "/api/v1/discovery/events/{id}/check-ins", tag = "discovery",
    params(("id" = i64, Path, description = "Event id")), request_body = CheckInBody,
    responses(
        (status = 204, description = "Checked in"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such event", body = ApiErrorBody),
        (status = 422, description = "The shop did not apply", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn check_in(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<CheckInBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .expeditions()
        .check_in(&caller.user, &caller.actor(), id, body.merchant_id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A meeting moved by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = MeetingMoveBody)]
pub struct MoveBody {
    /// The slot's index in the event's `slots`.
    pub slot: u16,
}

/// Moves a meeting to another slot (staff); refused when the MD or the merchant is busy then.
#[utoipa::path(patch, path = "/api/v1/discovery/meetings/{id}", tag = "discovery",
    params(("id" = i64, Path, description = "Meeting id")), request_body = MoveBody,
    responses(
        (status = 204, description = "Moved"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such meeting", body = ApiErrorBody),
        (status = 422, description = "No such slot, or someone is busy then", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn move_meeting(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<MoveBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .expeditions()
        .move_meeting(&caller.user, &caller.actor(), id, &body.slot.to_string())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// What came of a meeting.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OutcomeBody {
    /// `pick`, `more_information`, `not_now`, `no_show`.
    pub outcome: String,
    /// Words for the merchant (the reason).
    #[serde(default)]
    pub feedback: String,
    /// For a pick: one of the products the merchant applied with.
    pub product_id: Option<i64>,
}

/// The meeting's MD records its outcome; a pick becomes a pick the shop answers.
#[utoipa::path(post, path = "/api/v1/discovery/meetings/{id}/outcome", tag = "discovery",
    params(("id" = i64, Path, description = "Meeting id")), request_body = OutcomeBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such meeting, or not the caller's", body = ApiErrorBody),
        (status = 422, description = "An unknown outcome, or a pick of a product not applied with", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn record_outcome(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<OutcomeBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .expeditions()
        .record_outcome(
            &caller.user,
            &caller.actor(),
            id,
            &body.outcome,
            &body.feedback,
            body.product_id,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// An event's report.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventReportBody {
    pub meetings: usize,
    pub held: usize,
    pub no_shows: usize,
    /// outcome → count.
    pub outcomes: std::collections::BTreeMap<String, usize>,
    /// The picks made at the event, each followed (`step`).
    pub picks: Vec<FollowedPickBody>,
    pub by_md: Vec<MdReportBody>,
}

/// One MD's part of the report.
#[derive(Debug, Serialize, ToSchema)]
pub struct MdReportBody {
    pub md_name: String,
    pub channel: String,
    pub held: usize,
    pub picks: usize,
    pub picks_listed: usize,
    pub picks_selling: usize,
}

/// What an event came to (staff, officers of its region): meetings held, no-shows, outcomes,
/// the picks made there and how far they came, by MD and marketplace.
#[utoipa::path(get, path = "/api/v1/discovery/events/{id}/report", tag = "discovery",
    params(("id" = i64, Path, description = "Event id")),
    responses(
        (status = 200, description = "The report", body = EventReportBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Neither staff nor the region's officer", body = ApiErrorBody),
        (status = 404, description = "No such event, or not one the caller may see", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn report(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<EventReportBody>, ApiError> {
    let report = state
        .expeditions()
        .report(&caller.user, id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(EventReportBody {
        meetings: report.meetings,
        held: report.held,
        no_shows: report.no_shows,
        outcomes: report
            .outcomes
            .iter()
            .map(|(o, n)| (o.code().to_owned(), *n))
            .collect(),
        picks: report.picks.iter().map(FollowedPickBody::from).collect(),
        by_md: report
            .by_md
            .iter()
            .map(
                |(name, channel, held, picks, listed, selling)| MdReportBody {
                    md_name: name.clone(),
                    channel: channel.code().to_owned(),
                    held: *held,
                    picks: *picks,
                    picks_listed: *listed,
                    picks_selling: *selling,
                },
            )
            .collect(),
    }))
}
