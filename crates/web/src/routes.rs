//! The whole application router: pages, API, static files, health and metrics, with the
//! middleware every request passes (metrics, CSRF, caching and transport headers, security
//! headers, body limit).

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH, REFERRER_POLICY,
    SET_COOKIE, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::context::{Ctx, SESSION_COOKIE, cookie, request_locale};
use crate::error::{ApiError, ApiErrorKind, PageErrorKind};
use crate::i18n::Tr;
use crate::pages::{
    self, account, auth, caseload, community, courses, designers, discovery, exams, expeditions,
    home, live, markets, merchants, onboarding, password, products, proposals, results, rounds,
    shop, staff,
};
use crate::{AppState, api, csrf, metrics};

/// The largest request body the server reads at all.
const BODY_LIMIT: usize = 16 * 1024 * 1024;
/// Photo uploads may use all of it: a photo over 10 MB is refused by name beside the file
/// input, with everything else typed in the form kept.
const UPLOAD_LIMIT: usize = BODY_LIMIT;
/// Styles and scripts come only from this server; htmx's inline indicator styles are off.
const CSP: &str = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

pub fn app(state: AppState) -> Router {
    let (api_routes, openapi) = api::router();
    let openapi = Arc::new(openapi);
    Router::new()
        .route("/", get(home::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/signup", get(auth::signup_page).post(auth::signup))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::switch_language))
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/staff/users", get(staff::list).post(staff::create))
        .route("/staff/users/{id}/password-reset", post(password::issue))
        .route(
            "/staff/users/{id}",
            get(staff::user).post(staff::update_user),
        )
        .route("/staff/users/{id}/disable", post(staff::disable))
        .route("/staff/users/{id}/enable", post(staff::enable))
        .route(
            "/password/forgot",
            get(password::forgot_page).post(password::forgot),
        )
        .route(
            "/password/reset",
            get(password::reset_page).post(password::reset),
        )
        .route("/staff/audit", get(staff::audit))
        .route("/my-shop", get(shop::show).post(shop::save))
        .route(
            "/my-shop/diagnosis",
            get(shop::diagnosis_form).post(shop::diagnose),
        )
        .route("/my-shop/markets", get(markets::show).post(markets::save))
        .route("/products", get(products::list))
        .route(
            "/products/new",
            get(products::new_form).post(products::create),
        )
        .route("/products/{id}", get(products::edit).post(products::update))
        .route("/products/preview", post(products::preview_unsaved))
        .route(
            "/products/new/photo",
            get(products::photo_address)
                .post(products::create_with_photo)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/products/{id}/photo",
            get(products::photo_address)
                .post(products::update_with_photo)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/media/{name}", get(crate::photos::serve))
        .route("/products/{id}/preview", get(products::preview))
        .route(
            "/products/{id}/delete",
            get(products::confirm_delete).post(products::delete),
        )
        .route("/products/deleted", get(products::deleted))
        .route("/products/{id}/restore", post(products::restore))
        .route(
            "/products/{id}/listings/{channel}/submit",
            post(products::submit_listing),
        )
        .route("/rounds", get(rounds::list).post(rounds::open))
        .route("/rounds/{id}", get(rounds::show))
        .route("/rounds/{id}/apply", post(rounds::apply))
        .route("/rounds/{id}/nominate", post(rounds::nominate))
        .route("/rounds/{id}/decide", post(rounds::decide))
        .route("/merchants", get(merchants::list))
        .route("/merchants/{id}", get(merchants::show))
        .route("/merchants/{id}/track", post(merchants::override_track))
        .route("/onboarding", get(onboarding::board))
        .route("/onboarding/move", post(onboarding::move_card))
        .route("/onboarding/bulk", post(onboarding::bulk))
        .route("/onboarding/jobs/{id}", get(onboarding::job_progress))
        .route("/verify/{number}", get(designers::verify))
        .route("/certificates", get(designers::list).post(designers::issue))
        .route("/certificates/{number}/print", get(designers::print))
        .route("/certificates/{number}/revoke", post(designers::revoke))
        .route("/certificates/{number}/renew", post(designers::renew))
        .route(
            "/designers",
            get(designers::directory).post(designers::save_profile),
        )
        .route(
            "/delegations",
            get(designers::delegations).post(designers::grant),
        )
        .route("/matching", get(proposals::page).post(proposals::run))
        .route("/caseload", get(caseload::page))
        .route("/courses", get(courses::list).post(courses::create))
        .route("/exams", get(exams::overview))
        .route("/exams/items", post(exams::add_items))
        .route("/exams/items/{id}/retire", post(exams::retire_item))
        .route("/exams/attempts", post(exams::start))
        .route(
            "/exams/attempts/{id}",
            get(exams::attempt).post(exams::answer),
        )
        .route(
            "/exams/attempts/{id}/practical",
            get(exams::practical).post(exams::save_practical),
        )
        .route("/courses/{id}", get(courses::course))
        .route("/courses/{id}/modules", post(courses::add_module))
        .route(
            "/courses/{id}/modules/{module}",
            get(courses::module).post(courses::answer),
        )
        .route("/proposals/{id}/accept", post(proposals::accept))
        .route("/proposals/{id}/decline", post(proposals::decline))
        .route(
            "/delegations/{id}/revoke",
            post(designers::revoke_delegation),
        )
        .route("/discovery", get(discovery::search))
        .route("/discovery/products/{id}", get(discovery::product))
        .route(
            "/discovery/products/{id}/detail",
            get(discovery::detail_page),
        )
        .route(
            "/discovery/picks",
            get(discovery::picks).post(discovery::create_pick),
        )
        .route("/discovery/picks/{id}/accept", post(discovery::accept))
        .route("/discovery/picks/{id}/decline", post(discovery::decline))
        .route("/discovery/pool", post(discovery::pool))
        .route(
            "/discovery/events",
            get(expeditions::list).post(expeditions::create),
        )
        .route(
            "/discovery/events/{id}",
            get(expeditions::show).post(expeditions::act),
        )
        .route(
            "/discovery/events/{id}/agenda.ics",
            get(expeditions::agenda_ics),
        )
        .route(
            "/discovery/events/{id}/dossiers",
            get(expeditions::dossiers),
        )
        .route(
            "/discovery/sales-visibility",
            post(discovery::sales_visibility),
        )
        .route("/live", get(live::public))
        .route("/live.ics", get(live::calendar))
        .route("/live/calls", get(live::calls).post(live::create_call))
        .route("/live/calls/{id}", get(live::call).post(live::call_act))
        .route(
            "/live/broadcasts/{id}",
            get(live::broadcast).post(live::broadcast_act),
        )
        .route("/live/broadcasts/{id}/cue", get(live::cue))
        .route("/live/studios", get(live::studios).post(live::studios_act))
        .route("/community", get(community::index))
        .route(
            "/community/ask",
            get(community::ask_form).post(community::ask),
        )
        .route("/community/similar", get(community::similar))
        .route("/community/helping", post(community::helping_act))
        .route("/community/flags", get(community::flags))
        .route(
            "/community/mentors",
            get(community::mentors).post(community::mentors_act),
        )
        .route("/notifications", get(community::notifications))
        .route("/notifications/badge", get(community::badge))
        .route(
            "/community/questions/{id}",
            get(community::question).post(community::question_act),
        )
        .route(
            "/community/articles/new",
            get(community::write_form).post(community::write),
        )
        .route(
            "/community/articles/{id}",
            get(community::article).post(community::article_act),
        )
        .route("/hall-of-fame", get(results::hall_of_fame))
        .route("/hall-of-fame/{id}/badge.svg", get(results::badge))
        .route("/hall-of-fame/{id}/story", post(results::save_story))
        .route(
            "/my-shop/sales",
            get(results::sales).post(results::report_sales),
        )
        .route("/dashboard", get(results::dashboard))
        .route("/dashboard/export.csv", get(results::export))
        .route("/dashboard/export.xlsx", get(results::export_xlsx))
        .route("/dashboard/targets", post(results::save_targets))
        .route("/dashboard/budget", post(results::save_budget))
        .route("/my-region", get(home::my_region))
        .route("/regions/{code}", get(home::region_page))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .route("/static/{name}", get(static_file))
        .route(
            "/api/openapi.json",
            get(move || async move { Json(openapi.as_ref().clone()) }),
        )
        .merge(api_routes.layer(middleware::from_fn(crate::error::api_errors_in_json)))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            caching_and_transport,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .with_state(state)
}

/// A vendored static file. Under its versioned name (`app.<digest>.css`, what pages link) it is
/// cached for a year, since another content has another name; under its plain name it is served
/// too (old links, bookmarks) but only after asking (`no-cache`, answered by its `ETag`).
async fn static_file(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some((file, versioned)) = pages::static_files().iter().find_map(|f| {
        if f.versioned_name == name {
            Some((f, true))
        } else if f.name == name {
            Some((f, false))
        } else {
            None
        }
    }) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if versioned {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let etag = format!("\"{}\"", file.versioned_name);
    let unchanged = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        return (
            StatusCode::NOT_MODIFIED,
            [(CACHE_CONTROL, cache.to_owned()), (ETAG, etag)],
        )
            .into_response();
    }
    (
        [
            (CONTENT_TYPE, file.content_type.to_owned()),
            (CACHE_CONTROL, cache.to_owned()),
            (ETAG, etag),
        ],
        file.body,
    )
        .into_response()
}

/// Headers about caching and transport that depend on the request: `Cache-Control: no-store`
/// on what a signed-in browser is shown, on every API answer (personal data: neither the
/// browser's disk nor a shared cache may keep it) and on any answer setting a cookie, unless
/// the handler chose its own caching (static files, photos, the public badge); and
/// `Strict-Transport-Security` when the server runs behind HTTPS (`secure_cookies`).
async fn caching_and_transport(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let personal = request.uri().path().starts_with("/api/")
        || cookie(request.headers(), SESSION_COOKIE).is_some();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if (personal || headers.contains_key(SET_COOKIE)) && !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config().secure_cookies && !headers.contains_key(STRICT_TRANSPORT_SECURITY) {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

async fn healthz(State(state): State<AppState>) -> Response {
    let (backend, reachable) = state.database_health().await;
    match reachable {
        Ok(()) => Json(serde_json::json!({"status": "ok", "database": backend})).into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "unavailable", "database": backend})),
            )
                .into_response()
        }
    }
}

/// The Prometheus text, for loopback clients and holders of the metrics token only: it tells
/// which routes are used how much, which is nobody else's business.
async fn metrics_text(State(state): State<AppState>, request: Request) -> Response {
    if !metrics::may_read(&request, state.config().metrics_token.as_ref()) {
        return (
            StatusCode::FORBIDDEN,
            [(CONTENT_TYPE, "text/plain; charset=utf-8")],
            "forbidden: /metrics answers loopback clients and the metrics token only\n",
        )
            .into_response();
    }
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics().render(),
    )
        .into_response()
}

async fn not_found(
    uri: Uri,
    headers: axum::http::HeaderMap,
    ctx: Result<Ctx, crate::error::PageError>,
) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::new(Tr(request_locale(&headers)), ApiErrorKind::NotFound).into_response();
    }
    match ctx {
        Ok(ctx) => ctx.error(PageErrorKind::NotFound).into_response(),
        Err(error) => error.into_response(),
    }
}
