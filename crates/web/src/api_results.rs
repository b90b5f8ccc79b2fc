//! `/api/v1/sales-reports`, `/api/v1/hall-of-fame` and `/api/v1/kpi`: results over JSON — monthly
//! sales reported per merchant and channel, the computed hall of fame (public, no token), and the
//! program's yearly targets against actuals with the funnel.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header::ACCEPT_LANGUAGE;
use gachi_domain::kernel::industry;
use gachi_domain::kernel::region::RegionCode;
use gachi_domain::merchants::merchant::MerchantId;
use gachi_domain::results::SalesInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::ApiUser;
use crate::error::{ApiError, ApiErrorBody, ApiErrorKind, ApiValidationBody};
use crate::i18n::{Tr, negotiate};
use crate::json_body::{AppJson, JsonBodyError, json_body};

#[derive(Debug, Deserialize, ToSchema)]
pub struct SalesReportBody {
    /// Staff name the merchant; a merchant may leave it out (their own shop).
    pub merchant_id: Option<i64>,
    /// naver, coupang, 11st, esm, own_mall or other.
    pub channel: String,
    /// `YYYY-MM`, not in the future.
    pub month: String,
    pub sales_krw: Option<i64>,
    pub orders: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SalesReportSaved {
    pub merchant_id: i64,
    pub channel: String,
    pub month: String,
    pub sales_krw: i64,
    pub orders: i64,
}

/// Reports (or corrects) one merchant × channel × month; the hall of fame follows.
#[utoipa::path(post, path = "/api/v1/sales-reports", tag = "results", request_body = SalesReportBody,
    responses(
        (status = 201, description = "Saved", body = SalesReportSaved),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such merchant, or not the caller's", body = ApiErrorBody),
        (status = 422, description = "Negative amounts, a future month, an unknown channel", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn report(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<SalesReportBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<SalesReportSaved>), ApiError> {
    let body = json_body(caller.t, body)?;
    let merchant = match body.merchant_id {
        Some(id) => MerchantId(id),
        None => {
            state
                .registry()
                .own_shop(&caller.user)
                .await
                .map_err(|e| caller.fail(e))?
                .ok_or_else(|| {
                    caller.fail(ApiErrorKind::Validation(
                        gachi_domain::kernel::error::FieldError::new(
                            "merchant_id",
                            "error-required",
                        )
                        .into(),
                    ))
                })?
                .id
        }
    };
    let input = SalesInput {
        channel: body.channel,
        month: body.month,
        sales_krw: body.sales_krw,
        orders: body.orders,
    };
    let saved = state
        .results()
        .report(&caller.user, &caller.actor(), merchant, &input)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(SalesReportSaved {
            merchant_id: saved.merchant.0,
            channel: saved.channel.code().to_owned(),
            month: saved.month.to_string(),
            sales_krw: saved.sales_krw,
            orders: saved.orders,
        }),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HallQuery {
    /// 시도 (2 digits) or 시군구 (5 digits).
    pub region_code: Option<String>,
    /// 상권업종 소분류 code.
    pub industry_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberBody {
    pub merchant_id: i64,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub industry_code: String,
    pub industry_name: String,
    pub channels: Vec<String>,
    /// `YYYY-MM`: the month the trailing 12 months first reached the threshold.
    pub entry_month: String,
    pub story: Option<String>,
}

/// The hall of fame (명예의 전당): public, no token needed.
#[utoipa::path(get, path = "/api/v1/hall-of-fame", tag = "results", params(HallQuery),
    responses(
        (status = 200, description = "Members, newest first", body = [MemberBody]),
        (status = 422, description = "Unknown region or industry", body = ApiValidationBody),
    ))]
pub async fn hall_of_fame(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HallQuery>,
) -> Result<Json<Vec<MemberBody>>, ApiError> {
    let t = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(negotiate)
        .map(Tr)
        .unwrap_or_default();
    let mut errors = gachi_domain::ValidationErrors::new();
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let region =
        given(&query.region_code).and_then(|c| errors.check(RegionCode::parse(&c, "region_code")));
    let industry = given(&query.industry_code)
        .and_then(|c| errors.check(industry::resolve(&c, "industry_code")))
        .map(|found| found.code.clone());
    if !errors.is_empty() {
        return Err(ApiError::new(t, ApiErrorKind::Validation(errors)));
    }
    let members = state
        .results()
        .hall_of_fame(region.as_ref(), industry.as_deref())
        .await
        .map_err(|e| ApiError::new(t, e.into()))?;
    Ok(Json(
        members
            .into_iter()
            .map(|m| MemberBody {
                merchant_id: m.merchant.0,
                name: m.name,
                region_code: m.region.as_str().to_owned(),
                region_name: m.region.region().name,
                industry_name: industry::resolve(&m.industry_code, "industry_code")
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                industry_code: m.industry_code,
                channels: m.channels,
                entry_month: m.entry_month.to_string(),
                story: m.story,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct KpiQuery {
    pub year: Option<i32>,
    /// A 시도 or 시군구 (an officer's own region by default).
    pub region_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiBody {
    pub year: i32,
    pub region_code: Option<String>,
    /// Yearly targets by measure (`registered_merchants`, `onboarded_merchants`, `hall_of_fame`, …).
    pub targets: BTreeMap<String, i64>,
    /// What was achieved, by the same keys.
    pub actuals: BTreeMap<String, i64>,
    /// registered → diagnosed → selected → onboarding → selling → hall_of_fame.
    pub funnel: BTreeMap<String, i64>,
}

/// The program's targets against actuals for a year (staff nationally; officers their region).
#[utoipa::path(get, path = "/api/v1/kpi", tag = "results", params(KpiQuery),
    responses(
        (status = 200, description = "Targets, actuals and the funnel", body = KpiBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff, or a region outside the officer's", body = ApiErrorBody),
        (status = 422, description = "Unknown region or year", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn kpi(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<KpiQuery>,
) -> Result<Json<KpiBody>, ApiError> {
    let mut errors = gachi_domain::ValidationErrors::new();
    let year = query
        .year
        .unwrap_or_else(|| gachi_domain::results::Month::of(state.clock().now()).year);
    if !(2000..=2100).contains(&year) {
        errors.push("year", "error-number-range");
    }
    let region = query
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .and_then(|c| errors.check(RegionCode::parse(c, "region_code")));
    if !errors.is_empty() {
        return Err(caller.fail(ApiErrorKind::Validation(errors)));
    }
    let kpi = state
        .results()
        .kpi(&caller.user, year, region)
        .await
        .map_err(|e| caller.fail(e))?;
    let map = |pairs: Vec<(&str, i64)>| pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    Ok(Json(KpiBody {
        year: kpi.year,
        region_code: kpi.region.map(|r| r.as_str().to_owned()),
        targets: map(kpi.targets),
        actuals: map(kpi.actuals),
        funnel: map(kpi.funnel),
    }))
}
