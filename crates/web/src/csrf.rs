//! CSRF protection for every state-changing request outside the bearer-token API.
//!
//! Double-submit: each browser gets a random `gachi_csrf` cookie (HttpOnly, SameSite=Lax); every
//! form carries the same value in `_csrf` (htmx sends it as `X-CSRF-Token`). A POST, PUT, PATCH
//! or DELETE whose token is missing or differs — or whose `Origin` is another site — is refused
//! with 403 before any handler runs, so no handler can forget the check. The API under `/api/`
//! is exempt: it never accepts cookies, only bearer tokens.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN, SET_COOKIE};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gachi_domain::kernel::secret;

use crate::AppState;
use crate::context::{cookie, request_locale};
use crate::error::{PageError, PageErrorKind};
use crate::i18n::Tr;

pub const CSRF_COOKIE: &str = "gachi_csrf";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Forms larger than this are refused (uploads come with their own limits).
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// This request's CSRF token, for templates.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

fn is_token(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The `_csrf` value in an urlencoded body (tokens are URL-safe, so no decoding is needed).
fn form_token(body: &[u8]) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("_csrf="))
        .map(str::to_owned)
}

/// Whether an `Origin` header names this host (same scheme-less authority).
fn same_origin(origin: &str, host: Option<&str>) -> bool {
    let authority = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    host.is_some_and(|h| h.eq_ignore_ascii_case(authority))
}

pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // The API (bearer tokens, never cookies), health, metrics and static files carry no forms.
    let path = request.uri().path();
    if ["/api/", "/static/", "/healthz", "/metrics"]
        .iter()
        .any(|p| path.starts_with(p))
    {
        return next.run(request).await;
    }
    let existing = cookie(request.headers(), CSRF_COOKIE)
        .filter(|v| is_token(v))
        .map(str::to_owned);
    let token = existing.clone().unwrap_or_else(secret::random_token);
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let (mut parts, body) = request.into_parts();
    let t = Tr(request_locale(&parts.headers));
    let secure = if state.config().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let set_cookie = || {
        HeaderValue::from_str(&format!(
            "{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"
        ))
        .ok()
    };
    // The refusal page carries the browser's token (and sets the cookie if it was missing),
    // so reloading and resubmitting works.
    let refuse = |t: Tr| {
        let mut response = PageError::bare(t, PageErrorKind::Csrf)
            .with_csrf(&token)
            .into_response();
        if existing.is_none() {
            response
                .headers_mut()
                .extend(set_cookie().map(|v| (SET_COOKIE, v)));
        }
        response
    };

    let body = if unsafe_method {
        let origin = parts.headers.get(ORIGIN).and_then(|v| v.to_str().ok());
        let host = parts.headers.get(HOST).and_then(|v| v.to_str().ok());
        if origin.is_some_and(|origin| origin != "null" && !same_origin(origin, host)) {
            return refuse(t);
        }
        let is_form = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let header_token = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // A multipart form (a photo upload) carries the token in its address: reading the
        // token out of a 10 MB body here would mean holding it twice.
        let is_multipart = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let query_token = is_multipart
            .then(|| parts.uri.query().and_then(|q| form_token(q.as_bytes())))
            .flatten();
        let (sent, body) = match header_token.or(query_token) {
            Some(sent) => (Some(sent), body),
            None if is_form => match to_bytes(body, FORM_LIMIT).await {
                Ok(bytes) => (form_token(&bytes), Body::from(bytes)),
                Err(_) => return refuse(t),
            },
            None => (None, body),
        };
        let valid = match (&existing, &sent) {
            (Some(expected), Some(sent)) => {
                secret::constant_time_eq(expected.as_bytes(), sent.as_bytes())
            }
            _ => false,
        };
        if !valid {
            tracing::info!(path = %parts.uri.path(), "refused a request without a valid CSRF token");
            return refuse(t);
        }
        body
    } else {
        body
    };

    parts.extensions.insert(CsrfToken(token.clone()));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // Only pages carry forms; the API, health and static files need no cookie.
    if existing.is_none() && is_html {
        response
            .headers_mut()
            .extend(set_cookie().map(|v| (SET_COOKIE, v)));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_a_form_body() {
        let token = secret::random_token();
        let body = format!("email=a%40b.kr&_csrf={token}&password=x");
        assert_eq!(form_token(body.as_bytes()), Some(token));
        assert_eq!(form_token(b"email=a"), None);
    }

    #[test]
    fn origins_must_match_the_host() {
        assert!(same_origin("http://127.0.0.1:8080", Some("127.0.0.1:8080")));
        assert!(!same_origin("https://evil.example", Some("127.0.0.1:8080")));
        assert!(!same_origin("http://127.0.0.1:8080", None));
    }
}
