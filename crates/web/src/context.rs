//! The request context of a page: who is signed in (from the session cookie), which language to
//! speak, the CSRF token for forms, and the client address. Handlers take `Ctx` and call
//! `require_user` / `require_role` / `require_region` to guard themselves.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use gachi_domain::accounts::{Locale, Role, Session, User};
use gachi_domain::kernel::region::RegionCode;

use crate::AppState;
use crate::csrf::CsrfToken;
use crate::error::{PageError, PageErrorKind};
use crate::i18n::{Tr, negotiate};

pub const SESSION_COOKIE: &str = "gachi_session";
pub const LANG_COOKIE: &str = "gachi_lang";

/// The value of cookie `name` in the request, if any.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"'))
}

/// The client's address as the server saw it ("unknown" in in-process tests).
pub fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The locale for a request without a signed-in preference.
pub fn request_locale(headers: &HeaderMap) -> Locale {
    cookie(headers, LANG_COOKIE)
        .and_then(Locale::parse)
        .or_else(|| {
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(negotiate)
        })
        .unwrap_or_default()
}

pub struct Ctx {
    pub user: Option<User>,
    pub session: Option<Session>,
    pub session_token: Option<String>,
    pub t: Tr,
    pub csrf: String,
    pub ip: String,
    /// Path and query of this request, to come back to after signing in.
    pub path: String,
    /// Whether htmx made the request (it wants a fragment or an `HX-Redirect`).
    pub htmx: bool,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let fallback_t = Tr(request_locale(&parts.headers));
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|c| c.0.clone())
            .unwrap_or_default();
        let session_token = cookie(&parts.headers, SESSION_COOKIE).map(str::to_owned);
        let (session, user) = match &session_token {
            Some(token) => match state.accounts().session(token).await {
                Ok(Some((session, user))) => (Some(session), Some(user)),
                Ok(None) => (None, None),
                Err(error) => {
                    return Err(PageError::bare(
                        fallback_t,
                        PageErrorKind::Internal(error.to_string()),
                    ));
                }
            },
            None => (None, None),
        };
        let t = user
            .as_ref()
            .and_then(|u| u.locale)
            .map(Tr)
            .unwrap_or(fallback_t);
        Ok(Ctx {
            user,
            session,
            session_token,
            t,
            csrf,
            ip: client_ip(parts),
            path: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".into()),
            htmx: parts.headers.contains_key("hx-request"),
        })
    }
}

impl Ctx {
    pub fn error(&self, kind: PageErrorKind) -> PageError {
        PageError::new(self, kind)
    }

    /// The error page for `error`: a `PageErrorKind`, or any domain error through the one
    /// complete mapping in `error.rs` (forbidden and not found keep their meaning, bad input is a
    /// 422, only storage is a 500). Made for `?` in a handler returning
    /// `Result<Response, PageError>`: `registry.own_shop(&user).await.map_err(|e| ctx.fail(e))?`.
    pub fn fail(&self, error: impl Into<PageErrorKind>) -> PageError {
        PageError::new(self, error.into())
    }

    /// The signed-in user, or a redirect to the sign-in page that comes back here.
    pub fn require_user(&self) -> Result<&User, PageError> {
        self.user
            .as_ref()
            .ok_or_else(|| self.error(PageErrorKind::LoginRequired))
    }

    /// A signed-in user with one of `roles`, or 403.
    pub fn require_role(&self, roles: &[Role]) -> Result<&User, PageError> {
        let user = self.require_user()?;
        if roles.contains(&user.role) {
            Ok(user)
        } else {
            Err(self.error(PageErrorKind::Forbidden))
        }
    }

    /// A signed-in user who may see `region`, or 403.
    pub fn require_region(&self, region: &RegionCode) -> Result<&User, PageError> {
        let user = self.require_user()?;
        if user.may_see_region(region) {
            Ok(user)
        } else {
            Err(self.error(PageErrorKind::Forbidden))
        }
    }

    pub fn actor(&self) -> gachi_domain::kernel::audit::Actor {
        match &self.user {
            Some(user) => gachi_domain::kernel::audit::Actor::user(user.id, Some(self.ip.clone())),
            None => gachi_domain::kernel::audit::Actor::anonymous(Some(self.ip.clone())),
        }
    }
}

/// The address this server is reached at, for showing to the person asking (a certificate's
/// QR code, a preview's photos): the configured public URL, or the request's host. Never
/// stored, nor sent to a marketplace.
pub fn site_url(state: &AppState, headers: &HeaderMap) -> String {
    let configured = state.config().public_url.trim().trim_end_matches('/');
    if !configured.is_empty() {
        return configured.to_owned();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".:-[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_several_headers() {
        let mut headers = HeaderMap::new();
        headers.append("cookie", "a=1; gachi_lang=en".parse().unwrap());
        headers.append("cookie", "gachi_session=abc".parse().unwrap());
        assert_eq!(cookie(&headers, "gachi_lang"), Some("en"));
        assert_eq!(cookie(&headers, "gachi_session"), Some("abc"));
        assert_eq!(cookie(&headers, "missing"), None);
        assert_eq!(request_locale(&headers), Locale::En);
    }
}
