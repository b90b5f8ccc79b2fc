//! HTML pages, one module per area. Every page template extends `base.html` and gets a `Shell`
//! (translator, CSRF token, signed-in user, navigation for the role).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gachi_domain::ValidationErrors;
use gachi_domain::accounts::{Role, User};

use crate::context::Ctx;
use crate::i18n::Tr;

pub mod account;
pub mod auth;
pub mod designers;
pub mod home;
pub mod markets;
pub mod merchants;
pub mod onboarding;
pub mod product_form;
pub mod products;
pub mod results;
pub mod rounds;
pub mod shop;
pub mod staff;

/// Bumped with the static files so browsers fetch new ones (they are cached for a year).
pub const ASSET_VERSION: &str = "4";

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// What every page's frame needs.
#[derive(Debug, Clone)]
pub struct Shell {
    pub t: Tr,
    pub csrf: String,
    pub user: Option<User>,
    pub role_label: String,
    pub nav: Vec<NavItem>,
    pub path: String,
    pub asset_version: &'static str,
}

/// The role's name in the UI.
pub fn role_label(t: Tr, role: Role) -> String {
    t.get(match role {
        Role::Merchant => "role-merchant",
        Role::Designer => "role-designer",
        Role::Md => "role-md",
        Role::Operator => "role-operator",
        Role::LocalGov => "role-localgov",
        Role::Admin => "role-admin",
    })
}

impl Shell {
    pub fn new(ctx: &Ctx) -> Self {
        let t = ctx.t;
        let path_only = ctx.path.split('?').next().unwrap_or("/");
        let mut items: Vec<(&'static str, &str)> = vec![("/", "nav-home")];
        match ctx.user.as_ref().map(|u| u.role) {
            None => items.extend([
                ("/hall-of-fame", "nav-hall"),
                ("/login", "nav-login"),
                ("/signup", "nav-signup"),
            ]),
            Some(role) => {
                if role.is_staff() || role == Role::LocalGov {
                    items.push(("/merchants", "nav-merchants"));
                    items.push(("/onboarding", "nav-onboarding"));
                    items.push(("/dashboard", "nav-dashboard"));
                }
                if role.is_staff() {
                    items.extend([("/staff/users", "nav-users"), ("/staff/audit", "nav-audit")]);
                }
                if role == Role::Merchant {
                    items.push(("/my-shop", "nav-my-shop"));
                    items.push(("/products", "nav-products"));
                    items.push(("/my-shop/markets", "nav-markets"));
                    items.push(("/my-shop/sales", "nav-sales"));
                    items.push(("/onboarding", "onboarding-mine"));
                }
                if role == Role::Merchant || role.is_staff() {
                    items.push(("/rounds", "nav-rounds"));
                }
                if role == Role::Designer || role.is_staff() {
                    items.push(("/certificates", "nav-certificates"));
                }
                if role == Role::Designer || role == Role::Merchant {
                    items.push(("/delegations", "nav-delegations"));
                }
                if role == Role::LocalGov {
                    items.push(("/my-region", "nav-my-region"));
                }
                items.push(("/hall-of-fame", "nav-hall"));
                items.push(("/account", "nav-account"));
            }
        }
        let nav = items
            .into_iter()
            .map(|(href, key)| NavItem {
                href,
                label: t.get(key),
                current: if href == "/" {
                    path_only == "/"
                } else {
                    path_only.starts_with(href)
                },
            })
            .collect();
        Self {
            t,
            csrf: ctx.csrf.clone(),
            role_label: ctx
                .user
                .as_ref()
                .map(|u| role_label(t, u.role))
                .unwrap_or_default(),
            user: ctx.user.clone(),
            nav,
            path: ctx.path.clone(),
            asset_version: ASSET_VERSION,
        }
    }

    pub fn anonymous(t: Tr) -> Self {
        Self {
            t,
            csrf: String::new(),
            user: None,
            role_label: String::new(),
            nav: vec![NavItem {
                href: "/",
                label: t.get("nav-home"),
                current: false,
            }],
            path: "/".into(),
            asset_version: ASSET_VERSION,
        }
    }
}

/// One field error of a form: the input, the translated message, and the field's name as the
/// form labels it (for the summary at the top, which must say which field each message is about).
#[derive(Debug, Clone)]
pub struct FormError {
    pub field: String,
    pub message: String,
    pub label: Option<String>,
}

/// Field errors of a form, translated, in the order the form shows them.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<FormError>);

impl FormErrors {
    pub fn from_validation(t: Tr, errors: &ValidationErrors) -> Self {
        let mut out: Vec<FormError> = Vec::new();
        for e in &errors.0 {
            if !out.iter().any(|x| x.field == e.field) {
                out.push(FormError {
                    field: e.field.clone(),
                    message: t.get(e.code),
                    label: None,
                });
            }
        }
        Self(out)
    }
    pub fn one(t: Tr, field: &str, key: &str) -> Self {
        Self(vec![FormError {
            field: field.to_owned(),
            message: t.get(key),
            label: None,
        }])
    }
    /// Names each field in the summary with `label_of(field)`.
    pub fn labelled(mut self, label_of: impl Fn(&str) -> Option<String>) -> Self {
        for e in &mut self.0 {
            e.label = label_of(&e.field);
        }
        self
    }
    pub fn has(&self, field: impl AsRef<str>) -> bool {
        self.0.iter().any(|e| e.field == field.as_ref())
    }
    pub fn get(&self, field: impl AsRef<str>) -> Option<&String> {
        self.0
            .iter()
            .find(|e| e.field == field.as_ref())
            .map(|e| &e.message)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn items(&self) -> &[FormError] {
        &self.0
    }
}

/// `path?key=value&…` with each non-blank value trimmed and encoded (just `path` when all are
/// blank): the address of a filtered page, to link or come back to.
pub fn with_query(path: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let mut out = path.to_owned();
    for (key, value) in pairs {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            out.push(if out.len() == path.len() { '?' } else { '&' });
            out.push_str(key);
            out.push('=');
            out.push_str(&encode_query(value));
        }
    }
    out
}

/// Percent-encodes a value for a query string.
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A local path to go to after a form, never another site (`//evil`, `https://…`, `/\evil`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.contains(['\r', '\n']) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// After a successful POST: 303 to `to`, or for htmx an `HX-Location` so it follows in place.
pub fn see_other(ctx: &Ctx, to: &str) -> Response {
    if ctx.htmx {
        let mut response = StatusCode::OK.into_response();
        if let Ok(value) = HeaderValue::from_str(to) {
            response.headers_mut().insert("hx-redirect", value);
        }
        response
    } else {
        Redirect::to(to).into_response()
    }
}

/// A rendered page, or a 500 if the template failed.
pub fn render(status: StatusCode, template: &impl askama::Template) -> Response {
    match template.render() {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_query_skips_blank_values_and_encodes_the_rest() {
        assert_eq!(
            with_query("/onboarding", &[("channel", None), ("track", Some(" "))]),
            "/onboarding"
        );
        assert_eq!(
            with_query(
                "/merchants",
                &[
                    ("q", Some(" 한옥 ")),
                    ("status", None),
                    ("before", Some("42"))
                ]
            ),
            "/merchants?q=%ED%95%9C%EC%98%A5&before=42"
        );
    }

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(safe_next(Some("/account?x=1")), "/account?x=1");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "account",
            "/a\r\nSet-Cookie: x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn queries_are_encoded() {
        assert_eq!(
            encode_query("/staff/users?role=md&x=가"),
            "/staff/users%3Frole%3Dmd%26x%3D%EA%B0%80"
        );
    }
}
