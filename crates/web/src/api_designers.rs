//! `/api/v1/certificates`: 디지털 유통설계사 certificates. Staff list, issue and revoke them; a
//! designer lists their own; anyone, without a token, reads a certificate as its signed Open
//! Badges 3.0 credential and the revocation status list, so verifiers need nothing from us but
//! these documents. Delegations: a shop grants a certified designer scopes over it, and revokes.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use gachi_domain::accounts::UserId;
use gachi_domain::designers::delegation::{Delegation, GrantInput};
use gachi_domain::designers::{Certificate, CertificateError, Level, RenewalBasis};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::ApiUser;
use crate::error::{ApiError, ApiErrorBody, ApiErrorKind, ApiValidationBody};
use crate::i18n::{Tr, negotiate};
use crate::json_body::{AppJson, JsonBodyError, json_body};

/// A certificate as staff and its holder see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateBody {
    /// `DDS-2026-000001`.
    pub number: String,
    /// The holder's name.
    pub holder: String,
    pub holder_id: i64,
    /// 2 or 1 (2급, 1급).
    pub level: u8,
    /// `valid`, `expired` or `revoked`.
    pub status: String,
    /// RFC 3339.
    pub issued_at: String,
    pub valid_until: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_reason: Option<String>,
}

impl CertificateBody {
    fn of(certificate: &Certificate, state: &AppState) -> Self {
        Self {
            number: certificate.number.clone(),
            holder: certificate.holder_name.clone(),
            holder_id: certificate.holder.0,
            level: certificate.level.grade(),
            status: certificate.status(state.clock().now()).as_str().to_owned(),
            issued_at: certificate.issued_at.rfc3339_seconds(),
            valid_until: certificate.valid_until.rfc3339_seconds(),
            revoked_reason: certificate.revoked.as_ref().map(|r| r.reason.clone()),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CertificatesQuery {
    /// The page, from 1.
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub page: Option<u32>,
    /// Page size, default 50, at most 200.
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub limit: Option<u32>,
}

/// The certificates the caller may see: every one (staff), or a designer's own, a page at a
/// time (`page`, `limit`); `X-Total-Count` says how many there are in all.
#[utoipa::path(get, path = "/api/v1/certificates", tag = "designers", params(CertificatesQuery),
    responses(
        (status = 200, description = "Newest first", body = [CertificateBody],
            headers(("X-Total-Count" = u64, description = "How many certificates, on all pages"))),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Neither staff nor a designer", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    axum::extract::Query(query): axum::extract::Query<CertificatesQuery>,
) -> Result<(axum::http::HeaderMap, Json<Vec<CertificateBody>>), ApiError> {
    let (certificates, total) = state
        .certificates()
        .list(
            &caller.user,
            query.page.unwrap_or(1),
            query.limit.unwrap_or(50),
        )
        .await
        .map_err(|e| caller.fail(e))?;
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("x-total-count", total.into());
    Ok((
        headers,
        Json(
            certificates
                .iter()
                .map(|c| CertificateBody::of(c, &state))
                .collect(),
        ),
    ))
}

/// A certificate to issue.
#[derive(Debug, Deserialize, ToSchema)]
pub struct IssueBody {
    /// The designer account's id.
    pub holder_id: i64,
    /// 2 or 1.
    pub level: u8,
}

/// Issues a certificate to a designer account (staff): signed now, valid for two years.
#[utoipa::path(post, path = "/api/v1/certificates", tag = "designers", request_body = IssueBody,
    responses(
        (status = 201, description = "Issued", body = CertificateBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 422, description = "Not a designer account, or an unknown level", body = ApiValidationBody),
        (status = 503, description = "No issuer key is configured", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn issue(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<IssueBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<CertificateBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let level = Level::parse(&body.level.to_string(), "level")
        .map_err(|e| caller.fail(ApiErrorKind::Validation(e.into())))?;
    let certificate = state
        .certificates()
        .issue(&caller.user, &caller.actor(), UserId(body.holder_id), level)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(CertificateBody::of(&certificate, &state)),
    ))
}

/// Why a certificate is revoked.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeBody {
    pub reason: String,
}

/// What a renewal rests on.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RenewalQuery {
    /// `outcomes` (the default) or `cpd`.
    pub basis: Option<String>,
}

/// Renews a certificate (the holder or staff): from 90 days before it expires to a year after,
/// when the holder earned it. By `outcomes`: for 1급 three shops served, two first listings and
/// at most 30 % refused; for 2급 one first listing. By `cpd`: 보수교육 hours of courses
/// completed while it was valid, 12 for 2급 and 20 for 1급. The renewal is a new certificate of
/// the same level, valid for two years.
#[utoipa::path(post, path = "/api/v1/certificates/{number}/renewal", tag = "designers",
    params(("number" = String, Path, description = "Certificate number"), RenewalQuery),
    responses(
        (status = 201, description = "The new certificate", body = CertificateBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such certificate of the caller's", body = ApiErrorBody),
        (status = 422, description = "Unknown basis, revoked, too early, too late, or not earned", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn renew(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(number): Path<String>,
    Query(query): Query<RenewalQuery>,
) -> Result<(StatusCode, Json<CertificateBody>), ApiError> {
    let basis =
        RenewalBasis::parse(query.basis.as_deref().unwrap_or_default()).ok_or_else(|| {
            caller.fail(ApiErrorKind::Validation(
                gachi_domain::FieldError::new("basis", "error-renewal-basis").into(),
            ))
        })?;
    let renewed = state
        .certificates()
        .renew(&caller.user, &caller.actor(), &number, basis)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(CertificateBody::of(&renewed, &state)),
    ))
}

/// Revokes a certificate (staff); the status list says so from now on.
#[utoipa::path(post, path = "/api/v1/certificates/{number}/revoke", tag = "designers",
    params(("number" = String, Path, description = "Certificate number")),
    request_body = RevokeBody,
    responses(
        (status = 204, description = "Revoked (or revoked already: the first reason stands)"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such certificate", body = ApiErrorBody),
        (status = 422, description = "No reason given", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(number): Path<String>,
    body: Result<AppJson<RevokeBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .certificates()
        .revoke(&caller.user, &caller.actor(), &number, &body.reason)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The language of a request without a token.
fn visitor_language(headers: &HeaderMap) -> Tr {
    headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(negotiate)
        .map(Tr)
        .unwrap_or_default()
}

/// A JSON-LD document, as verifiers expect it.
fn credential_response(json: String) -> Response {
    let mut response = json.into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/vc+ld+json; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The certificate as its signed Open Badges 3.0 credential (public: verification needs no
/// account). Its `proof` is an `eddsa-jcs-2022` DataIntegrityProof by the issuer's `did:key`.
#[utoipa::path(get, path = "/api/v1/certificates/{number}", tag = "designers",
    params(("number" = String, Path, description = "Certificate number")),
    responses(
        (status = 200, description = "The OpenBadgeCredential", content_type = "application/vc+ld+json", body = Object),
        (status = 404, description = "No such certificate", body = ApiErrorBody),
    ))]
pub async fn credential(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let t = visitor_language(&headers);
    let certificate = state
        .certificates()
        .find(&number)
        .await
        .map_err(|e| ApiError::new(t, e.into()))?;
    Ok(credential_response(certificate.credential))
}

/// The revocation list every certificate points to: a signed `BitstringStatusListCredential`.
#[utoipa::path(get, path = "/api/v1/certificates/status-list", tag = "designers",
    responses(
        (status = 200, description = "The status list", content_type = "application/vc+ld+json", body = Object),
        (status = 503, description = "No issuer key is configured", body = ApiErrorBody),
    ))]
pub async fn status_list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let t = visitor_language(&headers);
    let list = state
        .certificates()
        .status_list()
        .await
        .map_err(|e: CertificateError| ApiError::new(t, e.into()))?;
    Ok(credential_response(list.to_string()))
}

/// A delegation as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DelegationBody {
    pub id: i64,
    pub merchant_id: i64,
    pub merchant_name: String,
    pub designer_id: i64,
    pub designer_name: String,
    /// `catalog`, `listing`, `markets`, `sales`.
    pub scopes: Vec<String>,
    pub starts_at: String,
    pub ends_at: String,
    /// Running now (started, not ended, not revoked).
    pub active: bool,
}

impl DelegationBody {
    fn of(delegation: &Delegation, state: &AppState) -> Self {
        Self {
            id: delegation.id,
            merchant_id: delegation.merchant.0,
            merchant_name: delegation.merchant_name.clone(),
            designer_id: delegation.designer.0,
            designer_name: delegation.designer_name.clone(),
            scopes: delegation
                .scopes
                .iter()
                .map(|s| s.code().to_owned())
                .collect(),
            starts_at: delegation.starts_at.rfc3339_seconds(),
            ends_at: delegation.ends_at.rfc3339_seconds(),
            active: delegation.active(state.clock().now()),
        }
    }
}

/// The delegations the caller sees: a merchant's shop's, a designer's own, every one (staff).
#[utoipa::path(get, path = "/api/v1/delegations", tag = "designers",
    responses(
        (status = 200, description = "Newest first", body = [DelegationBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "A role without delegations", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn delegations(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<DelegationBody>>, ApiError> {
    let list = state
        .delegations()
        .list(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(
        list.iter().map(|d| DelegationBody::of(d, &state)).collect(),
    ))
}

/// A grant to a certified designer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GrantBody {
    pub designer_email: String,
    /// Any of `catalog`, `listing`, `markets`, `sales`.
    pub scopes: Vec<String>,
    /// 1–365.
    pub days: u32,
    /// Staff only: the shop that grants.
    pub merchant_id: Option<i64>,
}

/// The shop grants a certified designer the scopes, for the days given.
#[utoipa::path(post, path = "/api/v1/delegations", tag = "designers", request_body = GrantBody,
    responses(
        (status = 201, description = "Granted", body = DelegationBody),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Neither the shop's merchant nor staff", body = ApiErrorBody),
        (status = 404, description = "Staff named a shop that does not exist", body = ApiErrorBody),
        (status = 422, description = "Unknown or uncertified designer, no or unknown scope, days out of 1–365", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn grant(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<GrantBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<DelegationBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let input = GrantInput {
        designer_email: body.designer_email,
        scopes: body.scopes,
        days: body.days.to_string(),
    };
    let granted = state
        .delegations()
        .grant(
            &caller.user,
            &caller.actor(),
            body.merchant_id
                .map(gachi_domain::merchants::merchant::MerchantId),
            &input,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(DelegationBody::of(&granted, &state)),
    ))
}

/// Ends a delegation at once (the shop's merchant or staff): the designer's next request is
/// refused.
#[utoipa::path(post, path = "/api/v1/delegations/{id}/revoke", tag = "designers",
    params(("id" = i64, Path, description = "Delegation id")),
    responses(
        (status = 204, description = "Revoked (or revoked already)"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such delegation of the caller's shop", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn revoke_delegation(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .delegations()
        .revoke(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A certified designer in the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryBody {
    pub designer_id: i64,
    pub name: String,
    /// 2 or 1: the highest valid certificate.
    pub level: u8,
    /// 시도 or 시군구 codes served.
    pub regions: Vec<String>,
    pub industries: Vec<String>,
    /// `onboarding`, `detail_page`, `live`, `photo`.
    pub skills: Vec<String>,
    pub capacity: u32,
    pub active_shops: u32,
    pub languages: Vec<String>,
    pub intro: String,
    /// What the designer's work achieved, from Gachi's own records.
    pub outcomes: OutcomesBody,
}

/// A designer's outcomes, computed from delegations, the onboarding board, submissions, sales
/// reports and the hall of fame — never typed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomesBody {
    /// Shops served under a delegation.
    pub shops_served: u32,
    /// Shops whose first listing went live after the delegation began.
    pub first_listings: u32,
    pub median_days_to_first_listing: Option<u32>,
    /// The designer's submissions the marketplaces took and refused.
    pub submissions_taken: u32,
    pub submissions_refused: u32,
    /// Refused among those decided, in whole percent.
    pub refusal_percent: Option<u32>,
    /// Shops with a first sale reported within 90 days of the delegation's start.
    pub first_sales_within_90_days: u32,
    pub hall_of_fame: u32,
    /// The verified-outcome rate matching uses, 0 to 1.
    pub rate: f64,
}

impl From<gachi_domain::designers::outcomes::Outcomes> for OutcomesBody {
    fn from(o: gachi_domain::designers::outcomes::Outcomes) -> Self {
        Self {
            shops_served: o.shops_served,
            first_listings: o.first_listings,
            median_days_to_first_listing: o.median_days_to_first_listing,
            submissions_taken: o.submissions.created,
            submissions_refused: o.submissions.rejected,
            refusal_percent: o.refusal_percent(),
            first_sales_within_90_days: o.first_sales_within_90_days,
            hall_of_fame: o.hall_of_fame,
            rate: o.rate(),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DirectoryQuery {
    /// A 시도 or 시군구 code the designer serves.
    pub region: Option<String>,
    /// A 상권업종 code.
    pub industry: Option<String>,
    /// `onboarding`, `detail_page`, `live` or `photo`.
    pub skill: Option<String>,
    /// Only designers with a free place.
    pub available: Option<bool>,
    /// The page, from 1.
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub page: Option<u32>,
    /// Page size, default 50, at most 200.
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub limit: Option<u32>,
}

/// Certified designers with a profile (merchants, designers and staff), filtered, by name, a
/// page at a time (`page`, `limit`); `X-Total-Count` says how many match in all.
#[utoipa::path(get, path = "/api/v1/designers", tag = "designers", params(DirectoryQuery),
    responses(
        (status = 200, description = "A page of designers, by name", body = [DirectoryBody],
            headers(("X-Total-Count" = u64, description = "How many designers match, on all pages"))),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "A role without the directory", body = ApiErrorBody),
        (status = 422, description = "Unknown region or skill", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn directory(
    State(state): State<AppState>,
    caller: ApiUser,
    axum::extract::Query(query): axum::extract::Query<DirectoryQuery>,
) -> Result<(axum::http::HeaderMap, Json<Vec<DirectoryBody>>), ApiError> {
    use gachi_domain::designers::profile::{DirectoryFilter, Skill, region_filter};
    let region = region_filter(query.region.as_deref().unwrap_or_default())
        .map_err(|e| caller.fail(ApiErrorKind::Validation(e.into())))?;
    let skill = match query
        .skill
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => Some(Skill::parse(code).ok_or_else(|| {
            caller.fail(ApiErrorKind::Validation(
                gachi_domain::FieldError::new("skill", "error-skill-unknown").into(),
            ))
        })?),
        None => None,
    };
    let filter = DirectoryFilter {
        region,
        industry: query.industry.filter(|i| !i.trim().is_empty()),
        skill,
        available: query.available.unwrap_or(false),
    };
    let found = state
        .profiles()
        .directory(
            &caller.user,
            &filter,
            query.page.unwrap_or(1),
            query.limit.unwrap_or(50),
        )
        .await
        .map_err(|e| caller.fail(e))?;
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("x-total-count", found.total.into());
    let outcomes = found.outcomes;
    Ok((
        headers,
        Json(
            found
                .entries
                .into_iter()
                .map(|e| DirectoryBody {
                    outcomes: outcomes
                        .get(&e.designer)
                        .copied()
                        .unwrap_or_default()
                        .into(),
                    designer_id: e.designer.0,
                    name: e.name,
                    level: e.level.grade(),
                    regions: e
                        .profile
                        .regions
                        .iter()
                        .map(|r| r.as_str().to_owned())
                        .collect(),
                    industries: e.profile.industries,
                    skills: e
                        .profile
                        .skills
                        .iter()
                        .map(|s| s.code().to_owned())
                        .collect(),
                    capacity: e.profile.capacity,
                    active_shops: e.active_shops,
                    languages: e.profile.languages,
                    intro: e.profile.intro,
                })
                .collect(),
        ),
    ))
}

/// A designer's own profile.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProfileBody {
    pub regions: Vec<String>,
    #[serde(default)]
    pub industries: Vec<String>,
    #[serde(default)]
    pub skills: Vec<String>,
    pub capacity: u32,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub intro: String,
}

/// Saves the calling designer's profile (regions served, industries, skills, capacity).
#[utoipa::path(put, path = "/api/v1/designers/me", tag = "designers", request_body = ProfileBody,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not a designer", body = ApiErrorBody),
        (status = 422, description = "Invalid fields", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn save_profile(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<ProfileBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    let input = gachi_domain::designers::profile::ProfileInput {
        regions: body.regions,
        industries: body.industries,
        skills: body.skills,
        capacity: body.capacity.to_string(),
        languages: body.languages.join(","),
        intro: body.intro,
    };
    state
        .profiles()
        .save(&caller.user, &caller.actor(), &input)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a matching run is over.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MatchingRequest {
    /// A 2-digit 시도 code; none: nationally.
    pub sido: Option<String>,
    /// `true`: keep one proposal per new pair for the shop's owner and the designer to answer;
    /// left out or `false`: a dry run that only computes.
    #[serde(default)]
    pub send: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposedMatch {
    pub merchant_id: i64,
    pub merchant: String,
    pub designer_id: i64,
    pub designer: String,
    /// Why this pair, in the caller's language.
    pub why: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeftOver {
    pub merchant_id: i64,
    pub merchant: String,
    /// `reason-matching-…`.
    pub reason: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchingBody {
    pub proposals: Vec<ProposedMatch>,
    pub unassigned: Vec<LeftOver>,
    pub total_cost: u64,
    /// Proposals kept for both sides to answer (0 in a dry run; a delegation kept is not
    /// proposed again).
    pub sent: usize,
}

/// Computes the optimal assignment of `managed`-track merchants without a designer or an open
/// proposal to certified designers with places free (staff). With `send`, each new pair becomes
/// a proposal the shop's owner and the designer answer; a delegation starts when both accept.
#[utoipa::path(post, path = "/api/v1/matching/runs", tag = "designers", request_body = MatchingRequest,
    responses(
        (status = 200, description = "The proposed assignment and who is left over, with why", body = MatchingBody),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 422, description = "Not a 시도 code", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn run_matching(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<MatchingRequest>, JsonBodyError>,
) -> Result<Json<MatchingBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let sido = match body
        .sido
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => {
            let region = gachi_domain::kernel::region::RegionCode::parse(code, "sido")
                .map_err(|e| caller.fail(ApiErrorKind::Validation(e.into())))?;
            Some(region.sido())
        }
        None => None,
    };
    let (proposal, sent) = if body.send {
        state
            .matchings()
            .send(&caller.user, &caller.actor(), sido.as_ref())
            .await
    } else {
        state
            .matchings()
            .propose(&caller.user, sido.as_ref())
            .await
            .map(|run| (run, 0))
    }
    .map_err(|e| caller.fail(e))?;
    let t = caller.t;
    let name = |names: &std::collections::BTreeMap<i64, String>, id: i64| {
        names.get(&id).cloned().unwrap_or_default()
    };
    Ok(Json(MatchingBody {
        proposals: proposal
            .matching
            .assignments
            .iter()
            .map(|a| ProposedMatch {
                merchant_id: a.merchant,
                merchant: name(&proposal.merchant_names, a.merchant),
                designer_id: a.designer,
                designer: name(&proposal.designer_names, a.designer),
                why: crate::pages::designers::matching_reasons(t, &a.reasons),
            })
            .collect(),
        unassigned: proposal
            .matching
            .unassigned
            .iter()
            .map(|(merchant, why)| LeftOver {
                merchant_id: *merchant,
                merchant: name(&proposal.merchant_names, *merchant),
                reason: why.key().to_owned(),
                message: t.get(why.key()),
            })
            .collect(),
        total_cost: proposal.matching.total_cost,
        sent,
    }))
}

/// A matching proposal and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalBody {
    pub id: i64,
    pub merchant_id: i64,
    pub merchant: String,
    pub designer_id: i64,
    pub designer: String,
    /// Why this pair, in the caller's language.
    pub why: String,
    /// `waiting`, `waiting_designer`, `waiting_merchant`, `declined` or `started`.
    pub status: String,
    pub proposed_at: String,
    /// What the shop grants, once its owner accepted.
    pub scopes: Vec<String>,
    pub days: Option<i64>,
    /// The delegation that started when both accepted.
    pub delegation_id: Option<i64>,
}

impl ProposalBody {
    fn of(p: &gachi_domain::designers::proposals::MatchProposal, t: Tr) -> Self {
        Self {
            id: p.id,
            merchant_id: p.merchant.0,
            merchant: p.merchant_name.clone(),
            designer_id: p.designer.0,
            designer: p.designer_name.clone(),
            why: crate::pages::designers::matching_reasons(t, &p.reasons),
            status: p
                .status()
                .key()
                .trim_start_matches("proposal-")
                .replace('-', "_"),
            proposed_at: crate::api::rfc3339(p.proposed_at),
            scopes: p.scopes.iter().map(|s| s.code().to_owned()).collect(),
            days: p.days,
            delegation_id: p.delegation,
        }
    }
}

/// The proposals the caller sees, newest first: a merchant's shop's, a designer's own, all for
/// staff.
#[utoipa::path(get, path = "/api/v1/matching/proposals", tag = "designers",
    responses(
        (status = 200, description = "Newest first", body = [ProposalBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn proposals(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<ProposalBody>>, ApiError> {
    let list = state
        .proposals()
        .list(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(
        list.iter().map(|p| ProposalBody::of(p, caller.t)).collect(),
    ))
}

/// What the shop grants on accepting (the designer sends nothing).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AcceptProposalBody {
    /// Any of `catalog`, `listing`, `markets`, `sales` (the shop's owner; required then).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// 1–365 (the shop's owner).
    pub days: Option<u32>,
}

/// The shop's owner or the proposed designer accepts. When both have, the delegation starts.
#[utoipa::path(post, path = "/api/v1/matching/proposals/{id}/accept", tag = "designers",
    params(("id" = i64, Path, description = "Proposal id")),
    request_body = AcceptProposalBody,
    responses(
        (status = 200, description = "The proposal after the answer", body = ProposalBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such proposal for the caller to answer", body = ApiErrorBody),
        (status = 422, description = "Answered or closed already; scopes or days missing or out of range", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn accept_proposal(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<AcceptProposalBody>, JsonBodyError>,
) -> Result<Json<ProposalBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let input = gachi_domain::designers::proposals::AnswerInput {
        accept: true,
        scopes: body.scopes,
        days: body.days.map(|d| d.to_string()).unwrap_or_default(),
    };
    answer_proposal(&state, &caller, id, &input).await
}

/// The shop's owner or the proposed designer declines: the proposal closes.
#[utoipa::path(post, path = "/api/v1/matching/proposals/{id}/decline", tag = "designers",
    params(("id" = i64, Path, description = "Proposal id")),
    responses(
        (status = 200, description = "The proposal after the answer", body = ProposalBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such proposal for the caller to answer", body = ApiErrorBody),
        (status = 422, description = "Answered or closed already", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn decline_proposal(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ProposalBody>, ApiError> {
    let input = gachi_domain::designers::proposals::AnswerInput::default();
    answer_proposal(&state, &caller, id, &input).await
}

async fn answer_proposal(
    state: &AppState,
    caller: &ApiUser,
    id: i64,
    input: &gachi_domain::designers::proposals::AnswerInput,
) -> Result<Json<ProposalBody>, ApiError> {
    let after = state
        .proposals()
        .answer(&caller.user, &caller.actor(), id, input)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ProposalBody::of(&after, caller.t)))
}

/// One shop of a designer's caseload.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseBody {
    pub merchant_id: i64,
    pub merchant: String,
    /// The shop's card per marketplace: `{"channel": "naver", "stage": "in_review"}`.
    pub cards: Vec<CaseCardBody>,
    /// What holds the shop back, in the caller's language.
    pub blockers: Vec<String>,
    /// Days since anyone last worked on the shop (or the delegation began).
    pub days_idle: u32,
    /// The next step, in the caller's language.
    pub next_step: String,
    /// When the delegation ends.
    pub delegation_ends_at: String,
    pub scopes: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseCardBody {
    pub channel: String,
    pub stage: String,
}

/// The caller's caseload (designers): every shop under a running delegation, the longest idle
/// first, with its cards, blockers and next step.
#[utoipa::path(get, path = "/api/v1/caseload", tag = "designers",
    responses(
        (status = 200, description = "The longest idle first", body = [CaseBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not a designer", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn caseload(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<CaseBody>>, ApiError> {
    let shops = state
        .caseloads()
        .of(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    let t = caller.t;
    Ok(Json(
        shops
            .iter()
            .map(|shop| {
                let view = crate::pages::caseload::view(t, shop);
                CaseBody {
                    merchant_id: shop.delegation.merchant.0,
                    merchant: shop.delegation.merchant_name.clone(),
                    cards: shop
                        .cards
                        .iter()
                        .map(|c| CaseCardBody {
                            channel: c.channel.code().to_owned(),
                            stage: c.stage.as_str().to_owned(),
                        })
                        .collect(),
                    blockers: view.blockers,
                    days_idle: shop.days_idle,
                    next_step: view.next_step,
                    delegation_ends_at: crate::api::rfc3339(shop.delegation.ends_at),
                    scopes: shop
                        .delegation
                        .scopes
                        .iter()
                        .map(|s| s.code().to_owned())
                        .collect(),
                }
            })
            .collect(),
    ))
}
