//! HTML pages, one module per area. Every page template extends `base.html` and gets a `Shell`
//! (translator, CSRF token, signed-in user, navigation for the role).

use std::sync::LazyLock;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gachi_domain::ValidationErrors;
use gachi_domain::accounts::{Role, User};

use crate::context::Ctx;
use crate::i18n::Tr;

pub mod account;
pub mod auth;
pub mod caseload;
pub mod community;
pub mod courses;
pub mod designers;
pub mod discovery;
pub mod exams;
pub mod expeditions;
pub mod home;
pub mod live;
pub mod markets;
pub mod merchants;
pub mod onboarding;
pub mod password;
pub mod product_form;
pub mod products;
pub mod proposals;
pub mod results;
pub mod rounds;
pub mod shop;
pub mod staff;

/// A vendored file of `crates/web/static/`, served under `/static/`.
#[derive(Debug)]
pub struct StaticFile {
    /// Its plain name (`app.css`), served for old links but never cached without asking.
    pub name: &'static str,
    /// The name that changes with the content (`app.<first 16 hex digits of its SHA-256>.css`):
    /// the one pages link to, cached for a year.
    pub versioned_name: String,
    pub content_type: &'static str,
    pub body: &'static str,
}

/// Every file served under `/static/`.
pub fn static_files() -> &'static [StaticFile] {
    const FILES: [(&str, &str, &str); 3] = [
        (
            "app.css",
            "text/css; charset=utf-8",
            include_str!("../../static/app.css"),
        ),
        (
            "htmx.min.js",
            "text/javascript; charset=utf-8",
            include_str!("../../static/htmx.min.js"),
        ),
        (
            "product-preview.js",
            "text/javascript; charset=utf-8",
            include_str!("../../static/product-preview.js"),
        ),
    ];
    static SERVED: LazyLock<Vec<StaticFile>> = LazyLock::new(|| {
        FILES
            .iter()
            .map(|&(name, content_type, body)| {
                let digest = gachi_domain::kernel::secret::sha256_hex(body.as_bytes());
                let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
                StaticFile {
                    name,
                    versioned_name: format!("{stem}.{}.{extension}", &digest[..16]),
                    content_type,
                    body,
                }
            })
            .collect()
    });
    &SERVED
}

/// Where pages link the static files: names that change with the content, so browsers keep
/// each one for a year and still fetch a changed file at once.
#[derive(Debug)]
pub struct AssetPaths {
    pub app_css: String,
    pub htmx_js: String,
    pub product_preview_js: String,
}

impl AssetPaths {
    pub fn get() -> &'static Self {
        static PATHS: LazyLock<AssetPaths> = LazyLock::new(|| {
            let path = |name: &str| {
                let file = static_files()
                    .iter()
                    .find(|f| f.name == name)
                    .expect("a vendored static file");
                format!("/static/{}", file.versioned_name)
            };
            AssetPaths {
                app_css: path("app.css"),
                htmx_js: path("htmx.min.js"),
                product_preview_js: path("product-preview.js"),
            }
        });
        &PATHS
    }
}

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
    /// Where the static files are linked from.
    pub assets: &'static AssetPaths,
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
                ("/community", "nav-community"),
                ("/live", "nav-live"),
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
                if role == Role::Designer {
                    items.push(("/caseload", "nav-caseload"));
                }
                if role == Role::Designer || role.is_staff() {
                    items.push(("/courses", "nav-courses"));
                    items.push(("/exams", "nav-exams"));
                }
                if role == Role::Designer || role.is_staff() {
                    items.push(("/certificates", "nav-certificates"));
                }
                if role.is_staff() {
                    items.push(("/matching", "nav-matching"));
                }
                if role == Role::Designer || role == Role::Merchant {
                    items.push(("/delegations", "nav-delegations"));
                }
                if role == Role::Merchant || role == Role::Designer || role.is_staff() {
                    items.push(("/designers", "nav-designers"));
                }
                if role == Role::Md {
                    items.push(("/discovery", "nav-discovery"));
                }
                if role == Role::Md || role == Role::Merchant || role.is_staff() {
                    items.push(("/discovery/picks", "nav-picks"));
                }
                if role == Role::Md
                    || role == Role::Merchant
                    || role == Role::LocalGov
                    || role.is_staff()
                {
                    items.push(("/discovery/events", "nav-events"));
                }
                if role == Role::LocalGov {
                    items.push(("/my-region", "nav-my-region"));
                }
                items.push(("/live/calls", "nav-live-calls"));
                items.push(("/live", "nav-live"));
                items.push(("/community", "nav-community"));
                items.push(("/hall-of-fame", "nav-hall"));
                items.push(("/account", "nav-account"));
            }
        }
        // The current item is the longest address the path is under (`/discovery/picks`, not
        // also `/discovery`).
        let under = |href: &str| {
            if href == "/" {
                path_only == "/"
            } else {
                path_only == href || path_only.starts_with(&format!("{href}/"))
            }
        };
        let current = items
            .iter()
            .map(|(href, _)| *href)
            .filter(|href| under(href))
            .max_by_key(|href| href.len());
        let nav = items
            .into_iter()
            .map(|(href, key)| NavItem {
                href,
                label: t.get(key),
                current: current == Some(href),
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
            assets: AssetPaths::get(),
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
            assets: AssetPaths::get(),
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

/// The note after an action that redirected to `…?done=<code>`: the message `{prefix}<code>`
/// when `code` is one the page knows (anything else in an address is ignored).
pub fn done_note(ctx: &Ctx, prefix: &str, known: &[&str]) -> Option<String> {
    let query = ctx.path.split_once('?')?.1;
    let done = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("done="))?;
    known
        .contains(&done)
        .then(|| ctx.t.get(&format!("{prefix}{done}")))
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

/// Where to go back to after an action (the `next` of signing in and of the language switch,
/// the `back` of a card move): `candidate` when it is a path on this site as a browser reads a
/// `Location`, else `default`. Browsers drop tabs and newlines from an address and read `\` as
/// `/`, so `/\t/evil.example` and `/\evil.example` are other sites (`//evil.example`); any
/// control character, any backslash, a scheme or a second leading slash sends to `default`.
/// What is accepted is also a valid header value, so redirecting to it cannot fail.
pub fn return_to(candidate: Option<&str>, default: &str) -> String {
    match candidate {
        Some(path) if is_local_path(path) => path.to_owned(),
        _ => default.to_owned(),
    }
}

/// The rule of [`return_to`]: starts with one `/`, no control character (below 0x20, 0x7f, or
/// the C1 range), no backslash. A scheme (`https:`, `javascript:`) cannot come first.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.chars().any(|c| c.is_control() || c == '\\')
}

/// Text made safe for an attribute value or element content of XML or SVG that Gachi writes
/// itself (templates escape through askama): `&`, `<`, `>`, `"` and `'` become entities; a C0
/// control character or DEL becomes a space (XML 1.0 forbids most of them even as references,
/// and a parser turns tab and newline in an attribute into spaces anyway), as do the
/// non-characters U+FFFE and U+FFFF. Every attribute and text of such a document goes through
/// here.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    gachi_domain::kernel::text::split_specials(
        text,
        |b| {
            (b < 0x20)
                | (b == 0x7f)
                | (b == b'&')
                | (b == b'<')
                | (b == b'>')
                | (b == b'"')
                | (b == b'\'')
        },
        |run, special| {
            if run.contains(['\u{fffe}', '\u{ffff}']) {
                out.extend(run.chars().map(|c| {
                    if matches!(c, '\u{fffe}' | '\u{ffff}') {
                        ' '
                    } else {
                        c
                    }
                }));
            } else {
                out.push_str(run);
            }
            out.push_str(match special {
                None => "",
                Some(b'&') => "&amp;",
                Some(b'<') => "&lt;",
                Some(b'>') => "&gt;",
                Some(b'"') => "&quot;",
                Some(b'\'') => "&apos;",
                Some(_) => " ",
            });
        },
    );
    out
}

/// The value of input `name` in a submitted form or query string (empty when it was not sent).
pub fn form_value(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
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
    fn return_addresses_stay_on_the_site() {
        for good in [
            "/account?x=1",
            "/onboarding?channel=naver&track=managed",
            "/merchants/1",
            "/%09/percent-encoded-is-a-path",
            "/한옥?q=비빔밥",
        ] {
            assert_eq!(return_to(Some(good), "/"), good);
        }
        for bad in [
            "//evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/\\evil.example",
            "/a\\b",
            "\\/evil.example",
            "account",
            "",
            " /account",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\t//evil.example",
            "/a\r\nSet-Cookie: x",
            "/\x0b",
            "/\x01",
            "/\x00",
            "/\x7f",
            "/\u{85}",
        ] {
            assert_eq!(
                return_to(Some(bad), "/onboarding"),
                "/onboarding",
                "{bad:?}"
            );
        }
        assert_eq!(return_to(None, "/"), "/");
    }

    #[test]
    fn xml_text_and_attributes_are_escaped() {
        for (raw, escaped) in [
            ("한옥식당", "한옥식당"),
            ("\"", "&quot;"),
            ("'", "&apos;"),
            ("<", "&lt;"),
            (">", "&gt;"),
            ("&", "&amp;"),
            ("&amp;", "&amp;amp;"),
            (
                "\"><script>alert(1)</script>",
                "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            ("\" onload=\"x", "&quot; onload=&quot;x"),
            ("' onload='x", "&apos; onload=&apos;x"),
            ("]]><x/>", "]]&gt;&lt;x/&gt;"),
            ("a\u{0}b\u{1}c\td\ne\rf\u{7f}g", "a b c d e f g"),
            ("\u{fffe}x\u{ffff}", " x "),
            (
                "긴 이름 ".repeat(20).as_str(),
                "긴 이름 ".repeat(20).as_str(),
            ),
        ] {
            assert_eq!(escape_xml(raw), escaped, "{raw:?}");
        }
        // Whatever goes in, nothing comes out that ends an attribute, opens a tag or is not an
        // XML character.
        let hostile: String = (0u8..=0x7f).map(char::from).collect::<String>() + "\u{fffe}";
        let out = escape_xml(&hostile);
        assert!(!out.contains(['"', '\'', '<', '>', '\u{fffe}']), "{out:?}");
        assert!(!out.chars().any(|c| c.is_ascii_control()), "{out:?}");
        assert!(
            out.replace("&amp;", "")
                .replace("&lt;", "")
                .replace("&gt;", "")
                .replace("&quot;", "")
                .replace("&apos;", "")
                .chars()
                .all(|c| c != '&')
        );
    }

    #[test]
    fn queries_are_encoded() {
        assert_eq!(
            encode_query("/staff/users?role=md&x=가"),
            "/staff/users%3Frole%3Dmd%26x%3D%EA%B0%80"
        );
    }
}
