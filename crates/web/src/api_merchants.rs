//! `/api/v1/merchants`: the merchant registry over JSON, with the same validation as the
//! forms. Staff see and change every record, local-government officers read their region,
//! merchants their own shop.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gachi_domain::ValidationErrors;
use gachi_domain::merchants::diagnosis::Diagnosed;
use gachi_domain::merchants::merchant::{Merchant, MerchantFilter, MerchantId, MerchantInput};
use gachi_domain::merchants::registry::{MerchantChange, RegistryError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiUser, rfc3339};
use crate::error::{ApiError, ApiErrorBody, ApiErrorKind, ApiFieldError, ApiValidationBody};
use crate::i18n::Tr;
use crate::json_body::{AppJson, JsonBodyError, json_body};

/// A merchant record as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MerchantBody {
    pub id: i64,
    /// 상호.
    pub name: String,
    pub branch: Option<String>,
    /// 대표자.
    pub representative: Option<String>,
    /// 사업자등록번호, `XXX-XX-XXXXX`.
    pub business_number: Option<String>,
    /// 통신판매업 신고번호.
    pub mail_order_number: Option<String>,
    pub phone: Option<String>,
    pub road_address: Option<String>,
    /// The 시군구 code (법정동, 5 digits).
    pub region_code: String,
    pub sido: String,
    pub sigungu: Option<String>,
    /// 상권업종 소분류 code (2023, 247 codes).
    pub industry_code: String,
    pub industry_name: String,
    pub industry_major: String,
    /// prospect, registered, selected, onboarding, selling or dropped.
    pub status: String,
    /// channel, managed or education, once diagnosed.
    pub track: Option<String>,
    /// 상가업소번호, for records from the public register.
    pub store_record_id: Option<String>,
    pub opened_year: Option<u16>,
    pub employees: Option<u32>,
    pub floor_area_m2: Option<u32>,
    /// Where the shop already sells online: naver, coupang, 11st, esm, own_mall, sns.
    pub online_channels: Vec<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Merchant> for MerchantBody {
    fn from(m: &Merchant) -> Self {
        let region = m.region.region();
        Self {
            id: m.id.0,
            name: m.name.clone(),
            branch: m.branch.clone(),
            representative: m.representative.clone(),
            business_number: m.business_number.as_ref().map(|b| b.display()),
            mail_order_number: m.mail_order_number.clone(),
            phone: m.phone.clone(),
            road_address: m.road_address.clone(),
            region_code: m.region.as_str().to_owned(),
            sido: region.sido,
            sigungu: region.sigungu,
            industry_code: m.industry.code.clone(),
            industry_name: m.industry.name.clone(),
            industry_major: m.industry.major.clone(),
            status: m.status.as_str().to_owned(),
            track: m.track.map(|t| t.as_str().to_owned()),
            store_record_id: m.store_record_id.clone(),
            opened_year: m.facts.opened_year,
            employees: m.facts.employees,
            floor_area_m2: m.facts.floor_area_m2,
            online_channels: m
                .online_channels
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            created_at: rfc3339(m.created_at),
            updated_at: rfc3339(m.updated_at),
        }
    }
}

/// A new merchant record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMerchantBody {
    pub name: String,
    pub business_number: String,
    pub region_code: String,
    pub industry_code: String,
    #[serde(default)]
    pub representative: String,
    #[serde(default)]
    pub mail_order_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub road_address: String,
    /// 개업 연도.
    pub opened_year: Option<u32>,
    /// 종업원 수.
    pub employees: Option<u32>,
    /// 매장 면적, ㎡.
    pub floor_area_m2: Option<u32>,
    /// Where the shop already sells: naver, coupang, 11st, esm, own_mall, sns.
    #[serde(default)]
    pub online_channels: Vec<String>,
}

/// A change: only the fields present are changed.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MerchantPatchBody {
    pub name: Option<String>,
    pub business_number: Option<String>,
    pub region_code: Option<String>,
    pub industry_code: Option<String>,
    pub representative: Option<String>,
    pub mail_order_number: Option<String>,
    pub phone: Option<String>,
    pub road_address: Option<String>,
    pub opened_year: Option<u32>,
    pub employees: Option<u32>,
    pub floor_area_m2: Option<u32>,
    pub online_channels: Option<Vec<String>>,
}

/// A 409 body: the field, and for staff the record that has the number.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateBody {
    pub errors: Vec<ApiFieldError>,
    /// The merchant already registered with this number (shown to operators only).
    pub existing_id: Option<i64>,
}

/// The 409 for a 사업자등록번호 registered already. Unlike the common conflict answer
/// (`error.rs`), it names the record that has the number when the caller is staff.
fn duplicate(t: Tr, existing: Option<MerchantId>) -> Response {
    (
        StatusCode::CONFLICT,
        Json(DuplicateBody {
            errors: vec![ApiFieldError {
                field: "business_number".into(),
                code: "error-business-number-taken".into(),
                message: t.get("error-business-number-taken"),
            }],
            existing_id: existing.map(|id| id.0),
        }),
    )
        .into_response()
}

/// Registers a merchant (staff), or the caller's own shop (a merchant).
#[utoipa::path(post, path = "/api/v1/merchants", tag = "merchants", request_body = NewMerchantBody,
    responses(
        (status = 201, description = "Created", body = MerchantBody),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Role may not register merchants", body = ApiErrorBody),
        (status = 409, description = "사업자등록번호 already registered", body = DuplicateBody),
        (status = 422, description = "Invalid fields", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn create_merchant(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<NewMerchantBody>, JsonBodyError>,
) -> Result<Response, ApiError> {
    let body = json_body(caller.t, body)?;
    let input = MerchantInput {
        name: body.name,
        representative: body.representative,
        business_number: body.business_number,
        mail_order_number: body.mail_order_number,
        phone: body.phone,
        road_address: body.road_address,
        region_code: body.region_code,
        industry_code: body.industry_code,
        opened_year: body.opened_year.map(|n| n.to_string()).unwrap_or_default(),
        employees: body.employees.map(|n| n.to_string()).unwrap_or_default(),
        floor_area_m2: body
            .floor_area_m2
            .map(|n| n.to_string())
            .unwrap_or_default(),
        online_channels: body.online_channels,
    };
    match state
        .registry()
        .create(&caller.user, &input, &caller.actor())
        .await
    {
        Ok(merchant) => {
            Ok((StatusCode::CREATED, Json(MerchantBody::from(&merchant))).into_response())
        }
        Err(RegistryError::DuplicateBusinessNumber { existing }) => {
            Ok(duplicate(caller.t, existing))
        }
        Err(error) => Err(caller.fail(error)),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MerchantsQuery {
    /// 시도 (2 digits) or 시군구 (5 digits; a 시 includes its 구).
    pub region_code: Option<String>,
    /// 상권업종 소분류 code (old codes are mapped).
    pub industry_code: Option<String>,
    pub status: Option<String>,
    /// channel, managed or education.
    pub track: Option<String>,
    /// Part of the 상호.
    pub q: Option<String>,
    /// Continue after this id (the last id of the previous page).
    pub before: Option<i64>,
    /// Page size, default 50, at most 200.
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub limit: Option<u32>,
}

impl MerchantsQuery {
    fn filter(&self) -> Result<MerchantFilter, ValidationErrors> {
        MerchantFilter::parse(
            self.region_code.as_deref(),
            self.industry_code.as_deref(),
            self.status.as_deref(),
            self.track.as_deref(),
            self.q.as_deref(),
        )
    }
}

/// Merchants, newest first, filtered; page with `before`.
#[utoipa::path(get, path = "/api/v1/merchants", tag = "merchants", params(MerchantsQuery),
    responses(
        (status = 200, description = "A page of merchants", body = [MerchantBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff, or a region outside the officer's", body = ApiErrorBody),
        (status = 422, description = "Unknown region, industry or status", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn list_merchants(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<MerchantsQuery>,
) -> Result<Json<Vec<MerchantBody>>, ApiError> {
    let filter = query
        .filter()
        .map_err(|errors| caller.fail(ApiErrorKind::Validation(errors)))?;
    let before = query.before.map(MerchantId);
    let merchants = state
        .registry()
        .list(&caller.user, filter, before, query.limit.unwrap_or(50))
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(merchants.iter().map(MerchantBody::from).collect()))
}

/// One merchant record.
#[utoipa::path(get, path = "/api/v1/merchants/{id}", tag = "merchants",
    params(("id" = i64, Path, description = "Merchant id")),
    responses(
        (status = 200, description = "The record", body = MerchantBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such record, or not one the caller may see", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn get_merchant(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<MerchantBody>, ApiError> {
    let merchant = state
        .registry()
        .get(&caller.user, MerchantId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(MerchantBody::from(&merchant)))
}

/// Changes the fields sent; the result is validated like a new record.
#[utoipa::path(patch, path = "/api/v1/merchants/{id}", tag = "merchants", request_body = MerchantPatchBody,
    params(("id" = i64, Path, description = "Merchant id")),
    responses(
        (status = 200, description = "The changed record", body = MerchantBody),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "May see but not change it", body = ApiErrorBody),
        (status = 404, description = "No such record, or not one the caller may see", body = ApiErrorBody),
        (status = 409, description = "사업자등록번호 already registered", body = DuplicateBody),
        (status = 422, description = "Invalid fields", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn patch_merchant(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<MerchantPatchBody>, JsonBodyError>,
) -> Result<Response, ApiError> {
    let body = json_body(caller.t, body)?;
    let change = MerchantChange {
        name: body.name,
        representative: body.representative,
        business_number: body.business_number,
        mail_order_number: body.mail_order_number,
        phone: body.phone,
        road_address: body.road_address,
        region_code: body.region_code,
        industry_code: body.industry_code,
        opened_year: body.opened_year.map(|n| n.to_string()),
        employees: body.employees.map(|n| n.to_string()),
        floor_area_m2: body.floor_area_m2.map(|n| n.to_string()),
        online_channels: body.online_channels,
    };
    match state
        .registry()
        .update(&caller.user, MerchantId(id), &change, &caller.actor())
        .await
    {
        Ok(merchant) => Ok(Json(MerchantBody::from(&merchant)).into_response()),
        Err(RegistryError::DuplicateBusinessNumber { existing }) => {
            Ok(duplicate(caller.t, existing))
        }
        Err(error) => Err(caller.fail(error)),
    }
}

/// A diagnosis: every question of the questionnaire with one of its answers.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DiagnosisRequest {
    /// Question id → answer id, e.g. `{"uniqueness": "own_recipe", "photos": "phone", …}`.
    #[schema(value_type = Object)]
    pub answers: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonBody {
    pub code: String,
    /// In the request's language.
    pub message: String,
}

/// A scored diagnosis, the track it recommends, and the shop's track after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosisBody {
    pub id: i64,
    /// 0–100.
    pub product_score: u32,
    /// 0–100.
    pub online_score: u32,
    /// The recommended track: channel, managed or education.
    pub track: String,
    /// Why, most important first.
    pub reasons: Vec<ReasonBody>,
    pub created_at: String,
    /// The shop's track now: the recommendation, or an operator's decision that stands (only
    /// an operator changes it).
    pub merchant_track: String,
    /// Whether `merchant_track` is an operator's decision the recommendation did not replace.
    pub operator_decided: bool,
}

pub fn diagnosis_body(t: Tr, diagnosed: &Diagnosed) -> DiagnosisBody {
    let record = &diagnosed.record;
    DiagnosisBody {
        merchant_track: diagnosed.track.as_str().to_owned(),
        operator_decided: diagnosed.operator_decided,
        id: record.id,
        product_score: record.assessment.product_score,
        online_score: record.assessment.online_score,
        track: record.assessment.track.as_str().to_owned(),
        reasons: record
            .assessment
            .reasons
            .iter()
            .map(|code| ReasonBody {
                code: (*code).to_owned(),
                message: t.get(code),
            })
            .collect(),
        created_at: rfc3339(record.created_at),
    }
}

/// Takes the diagnosis for a merchant (the owner, or staff with them), at most once a day per
/// shop; every diagnosis is kept. Its track becomes the merchant's unless an operator's decision
/// stands: that only an operator changes, and the recommendation is returned beside it.
#[utoipa::path(post, path = "/api/v1/merchants/{id}/diagnosis", tag = "merchants", request_body = DiagnosisRequest,
    params(("id" = i64, Path, description = "Merchant id")),
    responses(
        (status = 201, description = "Scored", body = DiagnosisBody),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Role may not diagnose", body = ApiErrorBody),
        (status = 404, description = "No such record, or not one the caller may see", body = ApiErrorBody),
        (status = 422, description = "Missing or unknown answers", body = ApiValidationBody),
        (status = 429, description = "Taken less than a day ago: `answers` names when it may be taken again (also `Retry-After`)", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn diagnose(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<DiagnosisRequest>, JsonBodyError>,
) -> Result<(StatusCode, Json<DiagnosisBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let diagnosed = state
        .registry()
        .diagnose(&caller.user, MerchantId(id), &body.answers, &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(diagnosis_body(caller.t, &diagnosed)),
    ))
}

/// An operator's change of track.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TrackOverrideBody {
    /// channel, managed or education.
    pub track: String,
    /// Why (required, at most 500 characters); kept in the history.
    pub reason: String,
}

/// Overrides the track with a reason (operators and admins).
#[utoipa::path(post, path = "/api/v1/merchants/{id}/track", tag = "merchants", request_body = TrackOverrideBody,
    params(("id" = i64, Path, description = "Merchant id")),
    responses(
        (status = 200, description = "The record with its new track", body = MerchantBody),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such record", body = ApiErrorBody),
        (status = 422, description = "Unknown track or missing reason", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn override_track(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<TrackOverrideBody>, JsonBodyError>,
) -> Result<Json<MerchantBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let registry = state.registry();
    registry
        .override_track(
            &caller.user,
            MerchantId(id),
            &body.track,
            &body.reason,
            &caller.actor(),
        )
        .await
        .map_err(|e| caller.fail(e))?;
    let merchant = registry
        .get(&caller.user, MerchantId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(MerchantBody::from(&merchant)))
}
