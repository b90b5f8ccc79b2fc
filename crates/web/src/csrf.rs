//! CSRF protection for every state-changing request outside the bearer-token API.
//!
//! Every form carries a token in `_csrf` (htmx sends it as `X-CSRF-Token`). A multipart form (a
//! photo upload) carries it as its first field, read from the start of the body as it streams
//! in, so no address ever holds the token and a 10 MB photo is never held twice. Which token is
//! expected depends on the browser:
//!
//! - With a session cookie, the token is bound to that session: a digest of the session token
//!   under a CSRF-only label ([`session_token`]). A token minted for another session, or a
//!   `gachi_csrf` cookie an attacker managed to plant, is worth nothing; the session token itself
//!   is an HttpOnly cookie no other site can read.
//! - Signed out (signing in or up), a double-submit: a random `gachi_csrf` cookie (HttpOnly,
//!   SameSite=Lax) that the form must repeat.
//!
//! Either way the request must come from this site: an `Origin` of another site or `null` (a
//! sandboxed frame, a `data:` page) is refused, and so is a `Referer` of another site when the
//! browser sent no `Origin`, or `Sec-Fetch-Site` saying cross-site. A request with none of
//! these (an old browser, a form without JavaScript behind a privacy proxy) is judged by its
//! token alone, as before. Refusals are a 403 before any handler runs, so no handler can forget
//! the check. The API under `/api/` is exempt: it never accepts cookies, only bearer tokens.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN, REFERER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gachi_domain::kernel::secret;

use crate::AppState;
use crate::context::{SESSION_COOKIE, cookie, request_locale};
use crate::error::{PageError, PageErrorKind};
use crate::i18n::Tr;

pub const CSRF_COOKIE: &str = "gachi_csrf";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Where the browser says which site a request comes from (Fetch Metadata).
const SEC_FETCH_SITE: &str = "sec-fetch-site";
/// Forms larger than this are refused (uploads come with their own limits).
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// This request's CSRF token, for templates.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// The CSRF token of the browser holding session token `session`: lowercase hex SHA-256 of the
/// session token under a label of its own (so it is neither the session token nor the digest
/// the database keeps of it).
pub fn session_token(session: &str) -> String {
    secret::sha256_hex(format!("gachi-csrf-v1\0{session}").as_bytes())
}

/// A random double-submit token (43 characters) or a session-bound one (64).
fn is_token(value: &str) -> bool {
    matches!(value.len(), 43 | 64)
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// How much of a multipart body is read looking for the token (forms put it first, so a few
/// hundred bytes do).
const MULTIPART_PREFIX_LIMIT: usize = 8 * 1024;

/// The `_csrf` field at the start of a multipart body, and the body to hand on: what was read,
/// then the rest as it streams in, untouched.
async fn multipart_token(body: Body) -> (Option<String>, Body) {
    use futures_util::StreamExt as _;
    let mut stream = body.into_data_stream();
    let mut prefix: Vec<u8> = Vec::new();
    let mut token = None;
    while prefix.len() < MULTIPART_PREFIX_LIMIT {
        match stream.next().await {
            Some(Ok(chunk)) => prefix.extend_from_slice(&chunk),
            // Nothing more (or a broken body the handler will refuse): hand on what there is.
            _ => break,
        }
        if let Some(found) = multipart_field(&prefix, CSRF_FIELD) {
            token = Some(found);
            break;
        }
    }
    let replay =
        futures_util::stream::once(
            async move { Ok::<_, axum::Error>(axum::body::Bytes::from(prefix)) },
        );
    (token, Body::from_stream(replay.chain(stream)))
}

/// A complete text field `name` in the multipart bytes read so far.
fn multipart_field(bytes: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(bytes)
        .or_else(|e| std::str::from_utf8(&bytes[..e.valid_up_to()]))
        .ok()?;
    let header = format!("name=\"{name}\"");
    let at = text.find(&header)?;
    let value_start = at + text[at..].find("\r\n\r\n")? + 4;
    let value_end = value_start + text[value_start..].find("\r\n")?;
    let value = &text[value_start..value_end];
    is_token(value).then(|| value.to_owned())
}

/// The `_csrf` value in an urlencoded body (tokens are URL-safe, so no decoding is needed).
fn form_token(body: &[u8]) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("_csrf="))
        .map(str::to_owned)
}

/// Whether an origin (`scheme://host[:port]`) names this server: the request's Host, or the
/// configured public address (behind a proxy that rewrites Host).
fn same_origin(origin: &str, host: Option<&str>, public_url: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    if !matches!(scheme, "http" | "https") || authority.is_empty() || authority.contains('/') {
        return false;
    }
    let public = public_url.trim().trim_end_matches('/');
    host.is_some_and(|h| h.eq_ignore_ascii_case(authority))
        || (!public.is_empty() && public.eq_ignore_ascii_case(origin))
}

/// The origin (`scheme://authority`) of a `Referer` address.
fn referer_origin(referer: &str) -> &str {
    match referer.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            &referer[..scheme.len() + 3 + end]
        }
        None => referer,
    }
}

/// Whether a state-changing request comes from this site as far as the browser says: its
/// `Origin` (never `null`), else its `Referer`, and its `Sec-Fetch-Site`. A request saying
/// nothing passes (its token is still checked).
fn from_this_site(headers: &HeaderMap, public_url: &str) -> bool {
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    if let Some(site) = headers.get(SEC_FETCH_SITE).and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    match (headers.get(ORIGIN), headers.get(REFERER)) {
        (Some(origin), _) => origin
            .to_str()
            .is_ok_and(|origin| same_origin(origin.trim(), host, public_url)),
        (None, Some(referer)) => referer
            .to_str()
            .is_ok_and(|referer| same_origin(referer_origin(referer.trim()), host, public_url)),
        (None, None) => true,
    }
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
        .filter(|v| v.len() == 43 && is_token(v))
        .map(str::to_owned);
    // Signed in: the token is the session's; signed out: the double-submit cookie's.
    let bound = cookie(request.headers(), SESSION_COOKIE)
        .filter(|v| !v.is_empty())
        .map(session_token);
    let cookie_token = existing.clone().unwrap_or_else(secret::random_token);
    let token = bound.clone().unwrap_or_else(|| cookie_token.clone());
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
            "{CSRF_COOKIE}={cookie_token}; Path=/; HttpOnly; SameSite=Lax{secure}"
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
        if !from_this_site(&parts.headers, &state.config().public_url) {
            tracing::info!(path = %parts.uri.path(), "refused a request from another site");
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
        let is_multipart = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let (sent, body) = match header_token {
            Some(sent) => (Some(sent), body),
            None if is_form => match to_bytes(body, FORM_LIMIT).await {
                Ok(bytes) => (form_token(&bytes), Body::from(bytes)),
                Err(_) => return refuse(t),
            },
            None if is_multipart => multipart_token(body).await,
            None => (None, body),
        };
        // A session-bound token is compared with the session's; without a session, the cookie
        // must be there and the form must repeat it.
        let expected = bound.as_ref().or(existing.as_ref());
        let valid = match (expected, &sent) {
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
    fn the_token_is_read_from_the_start_of_a_multipart_body_once_complete() {
        let token = "a".repeat(64);
        let body = format!(
            "------b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n------b\r\n"
        );
        assert_eq!(
            multipart_field(body.as_bytes(), CSRF_FIELD),
            Some(token.clone())
        );
        // Cut before the value ends: not yet (the next chunk completes it).
        let cut = &body.as_bytes()[..body.find(&token).unwrap() + 10];
        assert_eq!(multipart_field(cut, CSRF_FIELD), None);
        // A field that is not a token, or another field, is no token.
        let other = body.replace("_csrf", "name");
        assert_eq!(multipart_field(other.as_bytes(), CSRF_FIELD), None);
        let short = body.replace(&token, "short");
        assert_eq!(multipart_field(short.as_bytes(), CSRF_FIELD), None);
    }

    #[test]
    fn the_token_is_read_from_a_form_body() {
        let token = secret::random_token();
        let body = format!("email=a%40b.kr&_csrf={token}&password=x");
        assert_eq!(form_token(body.as_bytes()), Some(token));
        assert_eq!(form_token(b"email=a"), None);
    }

    #[test]
    fn origins_must_match_the_host() {
        let host = Some("127.0.0.1:8080");
        assert!(same_origin("http://127.0.0.1:8080", host, ""));
        assert!(!same_origin("https://evil.example", host, ""));
        assert!(!same_origin("http://127.0.0.1:8080", None, ""));
        assert!(!same_origin("null", host, ""));
        assert!(!same_origin("127.0.0.1:8080", host, ""), "not an origin");
        assert!(same_origin(
            "https://gachi.example.kr",
            Some("10.0.0.5:8080"),
            "https://gachi.example.kr/"
        ));
        assert_eq!(
            referer_origin("https://evil.example/x?a=1"),
            "https://evil.example"
        );
        assert_eq!(
            referer_origin("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn the_browser_must_not_say_another_site_sent_the_request() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(
            from_this_site(&headers, ""),
            "nothing said: the token decides"
        );
        let with = |name, value: &'static str| {
            let mut h = headers.clone();
            h.insert(name, HeaderValue::from_static(value));
            from_this_site(&h, "")
        };
        assert!(with(ORIGIN, "http://127.0.0.1:8080"));
        assert!(!with(ORIGIN, "null"));
        assert!(!with(ORIGIN, "https://evil.example"));
        assert!(with(REFERER, "http://127.0.0.1:8080/products/1"));
        assert!(!with(REFERER, "https://evil.example/page"));
        assert!(!with(
            axum::http::HeaderName::from_static("sec-fetch-site"),
            "cross-site"
        ));
    }

    #[test]
    fn session_tokens_differ_by_session_and_from_the_stored_digest() {
        let a = secret::random_token();
        let b = secret::random_token();
        assert_eq!(session_token(&a), session_token(&a));
        assert_ne!(session_token(&a), session_token(&b));
        assert_ne!(session_token(&a), secret::token_digest(&a));
        assert!(is_token(&session_token(&a)));
    }
}
