//! The JSON API under `/api/v1`, authenticated by personal API tokens
//! (`Authorization: Bearer gachi_…`; `gachi token create` makes one, lasting 90 days unless made
//! for another period; an expired or revoked token is a 401). Its OpenAPI document is
//! built from the same routes (utoipa-axum), so the two cannot drift, and served at
//! `/api/openapi.json`. Errors are JSON in the request's language (`Accept-Language`, else the
//! account's language).

use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{ACCEPT_LANGUAGE, AUTHORIZATION};
use axum::http::request::Parts;
use gachi_domain::accounts::{AccountInput, ApiTokenId, ListedApiToken, Role, User, UserId};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::context::client_ip;
use crate::error::{ApiError, ApiErrorBody, ApiErrorKind, ApiFieldError, ApiValidationBody};
use crate::i18n::{Tr, negotiate};
use crate::json_body::{AppJson, JsonBodyError, json_body};

/// The signed-in caller of an API request.
pub struct ApiUser {
    pub user: User,
    pub t: Tr,
    pub ip: String,
}

fn header_locale(parts: &Parts) -> Option<Tr> {
    parts
        .headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(negotiate)
        .map(Tr)
}

/// The language an anonymous API caller asked for (`Accept-Language`), Korean by default.
pub(crate) fn header_language(parts: &Parts) -> Tr {
    header_locale(parts).unwrap_or_default()
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let t = header_locale(parts).unwrap_or_default();
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or_else(|| ApiError::new(t, ApiErrorKind::Unauthorized))?;
        let user = state
            .accounts()
            .api_user(token)
            .await
            .map_err(|e| ApiError::new(t, e.into()))?
            .ok_or_else(|| ApiError::new(t, ApiErrorKind::Unauthorized))?;
        let t = header_locale(parts)
            .or(user.locale.map(Tr))
            .unwrap_or_default();
        if !parts.method.is_safe() {
            state
                .take_api_write(user.id)
                .map_err(|seconds| ApiError::new(t, ApiErrorKind::RateLimited(seconds)))?;
        }
        Ok(ApiUser {
            user,
            t,
            ip: client_ip(parts),
        })
    }
}

impl Default for Tr {
    fn default() -> Self {
        Tr(gachi_domain::accounts::Locale::Ko)
    }
}

impl ApiUser {
    /// An error for this caller, in their language: any domain error (mapped once, in
    /// `error.rs`), a `StoreError` or an `ApiErrorKind`. Handlers write
    /// `use_case(…).await.map_err(|e| caller.fail(e))?`.
    pub fn fail(&self, error: impl Into<ApiErrorKind>) -> ApiError {
        ApiError::new(self.t, error.into())
    }

    fn require_staff(&self) -> Result<(), ApiError> {
        if self.user.role.is_staff() {
            Ok(())
        } else {
            Err(self.fail(ApiErrorKind::Forbidden))
        }
    }
    pub fn actor(&self) -> gachi_domain::kernel::audit::Actor {
        gachi_domain::kernel::audit::Actor::user(self.user.id, Some(self.ip.clone()))
    }
}

/// Items of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListBody<T: ToSchema> {
    pub items: Vec<T>,
}

/// An instant as the API shows it: RFC 3339, UTC.
pub(crate) fn rfc3339(t: gachi_domain::kernel::time::Timestamp) -> String {
    t.in_seoul()
        .to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// An account as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserBody {
    pub id: i64,
    pub email: String,
    /// merchant, designer, md, operator, localgov or admin.
    pub role: String,
    pub display_name: String,
    /// The 시도/시군구 code a local-government officer is scoped to.
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    /// ko or en, when the person chose one.
    pub locale: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Staff disabled it: it cannot sign in.
    pub disabled: bool,
}

impl From<&User> for UserBody {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.0,
            email: user.email.clone(),
            role: user.role.as_str().to_owned(),
            display_name: user.display_name.clone(),
            region_code: user.region.as_ref().map(|r| r.as_str().to_owned()),
            region_name: user.region.as_ref().map(|r| r.region().name),
            locale: user.locale.map(|l| l.as_str().to_owned()),
            created_at: rfc3339(user.created_at),
            disabled: user.disabled_at.is_some(),
        }
    }
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses(
        (status = 200, description = "The caller", body = UserBody),
        (status = 401, description = "No, an unknown, an expired or a revoked token", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn me(caller: ApiUser) -> Json<UserBody> {
    Json(UserBody::from(&caller.user))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UsersQuery {
    /// Only accounts of this role.
    pub role: Option<String>,
    /// At most this many (default 100, at most 1000).
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub limit: Option<u32>,
}

/// Accounts, newest first (operators and admins).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(UsersQuery),
    responses(
        (status = 200, description = "Accounts", body = [UserBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not program staff", body = ApiErrorBody),
        (status = 422, description = "Unknown role", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<UsersQuery>,
) -> Result<Json<Vec<UserBody>>, ApiError> {
    caller.require_staff()?;
    let role = match query.role.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => Some(
            Role::parse(r, "role").map_err(|e| caller.fail(ApiErrorKind::Validation(e.into())))?,
        ),
        None => None,
    };
    let users = state
        .accounts()
        .list_users(&caller.user, role, query.limit.unwrap_or(100).min(1000))
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(users.iter().map(UserBody::from).collect()))
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUserBody {
    pub email: String,
    /// At least 8 characters.
    pub password: String,
    /// designer, md, localgov, merchant (and operator or admin, for admins).
    pub role: String,
    #[serde(default)]
    pub display_name: String,
    /// Required for localgov: a 2-digit 시도 or 5-digit 시군구 code.
    #[serde(default)]
    pub region_code: String,
}

/// Creates an account (operators and admins; operators cannot create staff).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUserBody,
    responses(
        (status = 201, description = "Created", body = UserBody),
        (status = 400, description = "Not JSON", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not allowed to create this role", body = ApiErrorBody),
        (status = 409, description = "Email already registered", body = ApiValidationBody),
        (status = 422, description = "Invalid fields", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<NewUserBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<UserBody>), ApiError> {
    caller.require_staff()?;
    let body = json_body(caller.t, body)?;
    let input = AccountInput {
        email: body.email,
        password: body.password,
        display_name: body.display_name,
        role: body.role,
        region_code: body.region_code,
    };
    let user = state
        .accounts()
        .create_user(Some(&caller.user), &input, &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(UserBody::from(&user))))
}

/// An API token as the API shows it (never the token itself).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenBody {
    pub id: i64,
    pub name: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC; null: until revoked.
    pub expires_at: Option<String>,
    /// RFC 3339, UTC; recorded at most once a minute; null: never used.
    pub last_used_at: Option<String>,
    /// RFC 3339, UTC; null: not revoked.
    pub revoked_at: Option<String>,
    /// active, expired or revoked.
    pub status: String,
}

impl From<&ListedApiToken> for TokenBody {
    fn from(listed: &ListedApiToken) -> Self {
        let token = &listed.info;
        Self {
            id: token.id.0,
            name: token.name.clone(),
            created_at: rfc3339(token.created_at),
            expires_at: token.expires_at.map(rfc3339),
            last_used_at: token.last_used_at.map(rfc3339),
            revoked_at: token.revoked_at.map(rfc3339),
            status: listed.status.as_str().to_owned(),
        }
    }
}

/// The caller's own API tokens, oldest first.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts",
    responses(
        (status = 200, description = "The caller's tokens", body = [TokenBody]),
        (status = 401, description = "No, an unknown, an expired or a revoked token", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<TokenBody>>, ApiError> {
    let tokens = state
        .accounts()
        .api_tokens(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(tokens.iter().map(TokenBody::from).collect()))
}

/// Revokes one of the caller's own API tokens (the one making the call too); from then on it
/// is refused with 401.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "Token id, as `GET /api/v1/tokens` lists it")),
    responses(
        (status = 204, description = "Revoked (or revoked already)"),
        (status = 401, description = "No, an unknown, an expired or a revoked token", body = ApiErrorBody),
        (status = 404, description = "No token of the caller's with this id", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .accounts()
        .revoke_own_api_token(&caller.user, ApiTokenId(id), &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many tokens were revoked.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevokedBody {
    /// Tokens that were not revoked yet.
    pub revoked: u64,
}

/// Revokes every API token of an account (operators and admins).
#[utoipa::path(delete, path = "/api/v1/users/{id}/tokens", tag = "accounts",
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 200, description = "Revoked", body = RevokedBody),
        (status = 401, description = "No, an unknown, an expired or a revoked token", body = ApiErrorBody),
        (status = 403, description = "Not program staff", body = ApiErrorBody),
        (status = 404, description = "No such account", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn revoke_user_tokens(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<RevokedBody>, ApiError> {
    let revoked = state
        .accounts()
        .revoke_all_api_tokens(&caller.user, UserId(id), &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(RevokedBody { revoked }))
}

/// An account's name, role and region; each left out keeps what it is.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountChangesBody {
    pub display_name: Option<String>,
    pub role: Option<String>,
    /// The region (an officer needs one); an empty text clears it.
    pub region_code: Option<String>,
}

/// Changes an account's name, role or region (operators for the roles they create, admins for
/// anyone; nobody their own role).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "Account id")),
    request_body = AccountChangesBody,
    responses(
        (status = 200, description = "Changed", body = UserBody),
        (status = 401, description = "No, an unknown, an expired or a revoked token", body = ApiErrorBody),
        (status = 403, description = "Not program staff, or an account of a role the caller may not manage", body = ApiErrorBody),
        (status = 404, description = "No such account", body = ApiErrorBody),
        (status = 422, description = "An invalid name, role or region, or the caller's own role", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn update_user(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<AccountChangesBody>, JsonBodyError>,
) -> Result<Json<UserBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let accounts = state.accounts();
    let current = accounts
        .user(&caller.user, UserId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    let changes = gachi_domain::accounts::AccountChanges {
        display_name: body.display_name.unwrap_or(current.display_name),
        role: body
            .role
            .unwrap_or_else(|| current.role.as_str().to_owned()),
        region_code: body.region_code.unwrap_or_else(|| {
            current
                .region
                .map(|r| r.as_str().to_owned())
                .unwrap_or_default()
        }),
    };
    let user = accounts
        .update_user(&caller.user, UserId(id), &changes, &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(UserBody::from(&user)))
}

/// Disables an account (operators for the roles they create, admins for anyone; never one's
/// own): it cannot sign in, and its sessions and API tokens end at once.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "accounts",
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 204, description = "Disabled"),
        (status = 401, description = "No, an unknown, an expired or a revoked token", body = ApiErrorBody),
        (status = 403, description = "Not program staff, or an account of a role the caller may not manage", body = ApiErrorBody),
        (status = 404, description = "No such account", body = ApiErrorBody),
        (status = 422, description = "The caller's own account", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn disable_user(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .accounts()
        .set_disabled(&caller.user, UserId(id), true, &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enables a disabled account: it signs in with its password again.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "accounts",
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 204, description = "Enabled"),
        (status = 401, description = "No, an unknown, an expired or a revoked token", body = ApiErrorBody),
        (status = 403, description = "Not program staff, or an account of a role the caller may not manage", body = ApiErrorBody),
        (status = 404, description = "No such account", body = ApiErrorBody),
        (status = 422, description = "The caller's own account", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn enable_user(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .accounts()
        .set_disabled(&caller.user, UserId(id), false, &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Gachi API", version = "1", description = "가치: the online-market onboarding platform for small merchants."),
    components(schemas(ApiFieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Accounts and API tokens"),
        (name = "merchants", description = "The merchant registry (소상공인)"),
        (name = "products", description = "The product master (product file v1)"),
        (name = "listings", description = "Marketplace listings: what Naver, Coupang, 11st and ESM would accept"),
        (name = "onboarding", description = "The onboarding board: each merchant's stage per marketplace"),
        (name = "results", description = "Sales reports, the hall of fame and the program's targets"),
        (name = "designers", description = "디지털 유통설계사: certificates as signed Open Badges 3.0 credentials"),
        (name = "discovery", description = "디지털경제 원정대: the MD product pool, its Korean search, and picks"),
        (name = "live", description = "가치데이 live commerce: calls, applications, reviews, slots, the readiness gate, results"),
        (name = "community", description = "가치삽시다 2.0: questions, answers, votes, know-how articles, search"),
    ),
)]
struct ApiDoc;

/// The API routes and their OpenAPI document.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me))
        .routes(routes!(list_users, create_user))
        .routes(routes!(list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(revoke_user_tokens))
        .routes(routes!(update_user))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
        .routes(routes!(
            crate::api_merchants::list_merchants,
            crate::api_merchants::create_merchant
        ))
        .routes(routes!(
            crate::api_merchants::get_merchant,
            crate::api_merchants::patch_merchant
        ))
        .routes(routes!(crate::api_merchants::diagnose))
        .routes(routes!(crate::api_merchants::override_track))
        .routes(routes!(
            crate::api_products::list_products,
            crate::api_products::create_product
        ))
        .routes(routes!(
            crate::api_products::get_product,
            crate::api_products::patch_product,
            crate::api_products::delete_product
        ))
        .routes(routes!(crate::api_products::deleted_products))
        .routes(routes!(crate::api_products::restore_product))
        .routes(routes!(crate::api_products::detail_page))
        .routes(routes!(crate::api_products::upload_image))
        .routes(routes!(crate::api_products::completeness))
        .routes(routes!(crate::api_products::listings))
        .routes(routes!(crate::api_products::validate_listing))
        .routes(routes!(crate::api_products::submit_listing))
        .routes(routes!(crate::api_categories::search))
        .routes(routes!(
            crate::api_designers::list,
            crate::api_designers::issue
        ))
        .routes(routes!(crate::api_designers::status_list))
        .routes(routes!(crate::api_designers::credential))
        .routes(routes!(crate::api_designers::revoke))
        .routes(routes!(crate::api_designers::renew))
        .routes(routes!(
            crate::api_designers::delegations,
            crate::api_designers::grant
        ))
        .routes(routes!(crate::api_designers::revoke_delegation))
        .routes(routes!(crate::api_designers::directory))
        .routes(routes!(crate::api_designers::save_profile))
        .routes(routes!(crate::api_designers::run_matching))
        .routes(routes!(crate::api_designers::proposals))
        .routes(routes!(crate::api_designers::caseload))
        .routes(routes!(
            crate::api_courses::list,
            crate::api_courses::create
        ))
        .routes(routes!(crate::api_courses::get))
        .routes(routes!(crate::api_courses::add_module))
        .routes(routes!(crate::api_courses::answer))
        .routes(routes!(crate::api_exams::overview))
        .routes(routes!(
            crate::api_exams::items,
            crate::api_exams::add_items
        ))
        .routes(routes!(crate::api_exams::retire_item))
        .routes(routes!(crate::api_exams::start))
        .routes(routes!(crate::api_exams::attempt))
        .routes(routes!(crate::api_exams::save_answers))
        .routes(routes!(crate::api_exams::save_practical))
        .routes(routes!(crate::api_exams::submit))
        .routes(routes!(crate::api_designers::accept_proposal))
        .routes(routes!(crate::api_designers::decline_proposal))
        .routes(routes!(crate::api_results::report))
        .routes(routes!(crate::api_results::hall_of_fame))
        .routes(routes!(crate::api_results::kpi))
        .routes(routes!(crate::api_onboarding::board))
        .routes(routes!(crate::api_onboarding::move_card))
        .routes(routes!(crate::api_onboarding::start_job))
        .routes(routes!(crate::api_onboarding::job))
        .routes(routes!(
            crate::api_discovery::put_in_pool,
            crate::api_discovery::take_out_of_pool
        ))
        .routes(routes!(crate::api_discovery::search))
        .routes(routes!(crate::api_discovery::pooled_product))
        .routes(routes!(
            crate::api_discovery::picks,
            crate::api_discovery::create_pick
        ))
        .routes(routes!(crate::api_discovery::accept_pick))
        .routes(routes!(crate::api_discovery::decline_pick))
        .routes(routes!(crate::api_discovery::set_sales_visibility))
        .routes(routes!(
            crate::api_discovery::events,
            crate::api_discovery::create_event
        ))
        .routes(routes!(crate::api_discovery::event))
        .routes(routes!(crate::api_discovery::invite))
        .routes(routes!(crate::api_discovery::attendance))
        .routes(routes!(crate::api_discovery::apply))
        .routes(routes!(crate::api_discovery::rank))
        .routes(routes!(crate::api_discovery::mark))
        .routes(routes!(crate::api_discovery::schedule))
        .routes(routes!(crate::api_discovery::check_in))
        .routes(routes!(crate::api_discovery::agenda_ics))
        .routes(routes!(crate::api_discovery::move_meeting))
        .routes(routes!(crate::api_discovery::record_outcome))
        .routes(routes!(crate::api_discovery::report))
        .routes(routes!(
            crate::api_live::studios,
            crate::api_live::add_studio
        ))
        .routes(routes!(crate::api_live::hosts, crate::api_live::add_host))
        .routes(routes!(
            crate::api_live::calls,
            crate::api_live::create_call
        ))
        .routes(routes!(crate::api_live::call))
        .routes(routes!(crate::api_live::apply))
        .routes(routes!(
            crate::api_community::questions,
            crate::api_community::ask
        ))
        .routes(routes!(
            crate::api_community::question,
            crate::api_community::edit_question,
            crate::api_community::hide_question
        ))
        .routes(routes!(crate::api_community::answer))
        .routes(routes!(crate::api_community::edit_answer))
        .routes(routes!(crate::api_community::vote))
        .routes(routes!(crate::api_community::accept))
        .routes(routes!(crate::api_community::search))
        .routes(routes!(
            crate::api_community::articles,
            crate::api_community::write_article
        ))
        .routes(routes!(
            crate::api_community::article,
            crate::api_community::edit_article
        ))
        .routes(routes!(crate::api_community::review_article))
        .routes(routes!(crate::api_community::helpful))
        .routes(routes!(crate::api_community::notifications))
        .routes(routes!(crate::api_community::read_notifications))
        .routes(routes!(
            crate::api_community::helping,
            crate::api_community::set_helping
        ))
        .routes(routes!(crate::api_community::route))
        .routes(routes!(crate::api_community::route_question))
        .routes(routes!(crate::api_community::flag_question))
        .routes(routes!(crate::api_community::flag_answer))
        .routes(routes!(crate::api_community::flagged))
        .routes(routes!(crate::api_community::decide))
        .routes(routes!(crate::api_community::suspend))
        .routes(routes!(crate::api_community::lift_suspension))
        .routes(routes!(crate::api_community::mentors))
        .routes(routes!(
            crate::api_community::offer_mentoring,
            crate::api_community::withdraw_mentoring
        ))
        .routes(routes!(crate::api_community::request_mentor))
        .routes(routes!(crate::api_community::answer_mentor_request))
        .routes(routes!(crate::api_community::answer_speed))
        .routes(routes!(crate::api_live::close_applications))
        .routes(routes!(crate::api_live::assign_reviewers))
        .routes(routes!(crate::api_live::my_reviews))
        .routes(routes!(crate::api_live::review))
        .routes(routes!(crate::api_live::select))
        .routes(routes!(crate::api_live::schedule))
        .routes(routes!(crate::api_live::broadcasts))
        .routes(routes!(crate::api_live::broadcast))
        .routes(routes!(crate::api_live::move_broadcast))
        .routes(routes!(crate::api_live::prepare))
        .routes(routes!(crate::api_live::confirm))
        .routes(routes!(crate::api_live::record_results))
        .routes(routes!(crate::api_live::survey))
        .routes(routes!(crate::api_live::report))
        .split_for_parts();
    document_common_errors(&mut openapi);
    (router, openapi)
}

/// The errors every operation can answer, added where an operation does not name them itself:
/// 400 when it reads a path or query parameter or a body (a value of the wrong type or out of
/// range for its type, answered in JSON by `error::api_errors_in_json`), 422 when it reads a
/// query or a body (values the domain refuses, by field), 401 when it needs a token, 413 and 429
/// (the account's write limit) when it writes, 404 when its address names something.
fn document_common_errors(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::response::ResponseBuilder;
    use utoipa::openapi::{ContentBuilder, Ref, RefOr};
    let json = |schema: &str, description: &str| -> RefOr<utoipa::openapi::Response> {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(schema)))
                        .build(),
                )
                .build(),
        )
    };
    for item in openapi.paths.paths.values_mut() {
        let path_parameters = item.parameters.as_ref().is_some_and(|p| !p.is_empty());
        let operations = [
            (&mut item.get, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ];
        for (operation, writes) in operations {
            let Some(operation) = operation.as_mut() else {
                continue;
            };
            let parameters = operation.parameters.as_deref().unwrap_or_default();
            let reads_query = parameters
                .iter()
                .any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query));
            let reads_path = path_parameters
                || parameters
                    .iter()
                    .any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Path));
            let has_body = operation.request_body.is_some();
            let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
            let responses = &mut operation.responses.responses;
            let mut add = |status: &str, response: RefOr<utoipa::openapi::Response>| {
                responses.entry(status.to_owned()).or_insert(response);
            };
            if reads_path || reads_query || has_body {
                add(
                    "400",
                    json(
                        "ApiErrorBody",
                        "A value of the wrong type, or too large for its type",
                    ),
                );
            }
            if reads_query || has_body {
                add(
                    "422",
                    json("ApiValidationBody", "Values refused, each naming its field"),
                );
            }
            if reads_path {
                add(
                    "404",
                    json("ApiErrorBody", "Nothing at this address the caller may see"),
                );
            }
            if secured {
                add(
                    "401",
                    json(
                        "ApiErrorBody",
                        "No token, or one unknown, expired or revoked",
                    ),
                );
            }
            if writes {
                add(
                    "413",
                    json("ApiErrorBody", "The body is larger than the server takes"),
                );
                add(
                    "429",
                    json(
                        "ApiErrorBody",
                        "Over the account's write limit: retry after Retry-After seconds",
                    ),
                );
            }
        }
    }
}

/// `[[label, number], …]` as the document describes it (utoipa would write a tuple as an
/// `items` list, which OpenAPI 3.1 does not allow): each entry a two-item array.
pub fn labelled_numbers() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::Type;
    pairs(scalar(Type::String), scalar(Type::Integer))
}

/// `[[id, number], …]`: each entry a two-item array of integers.
pub fn number_pairs() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::Type;
    pairs(scalar(Type::Integer), scalar(Type::Integer))
}

/// `[[id, [label, …]], …]`.
pub fn ids_with_labels() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::Type;
    pairs(scalar(Type::Integer), list_of(Type::String))
}

/// `[[label, [id, …]], …]`.
pub fn labels_with_ids() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::Type;
    pairs(scalar(Type::String), list_of(Type::Integer))
}

fn scalar(kind: utoipa::openapi::schema::Type) -> utoipa::openapi::Schema {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(kind)
        .build()
        .into()
}

fn list_of(kind: utoipa::openapi::schema::Type) -> utoipa::openapi::Schema {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::schema::ObjectBuilder::new().schema_type(kind))
        .build()
        .into()
}

fn pairs(
    first: utoipa::openapi::Schema,
    second: utoipa::openapi::Schema,
) -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder};
    // Each pair as a two-item array of either kind: `prefixItems` would say which comes first,
    // but the fuzzer CI runs against the document reads only the older `items` form.
    ArrayBuilder::new()
        .items(
            ArrayBuilder::new()
                .items(AnyOfBuilder::new().item(first).item(second))
                .min_items(Some(2))
                .max_items(Some(2)),
        )
        .build()
}
