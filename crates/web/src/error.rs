//! Errors as people see them. Pages get a translated error page (or a redirect to sign in); the
//! API gets JSON: `{"error", "message"}`, or `{"errors": [{"field", "code", "message"}]}` with 422
//! for bad input. Bad input is never a 500; a 500 means storage failed, and its detail goes to the
//! log, not to the user.

use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use gachi_domain::ValidationErrors;
use gachi_domain::accounts::AccountError;
use gachi_domain::ports::StoreError;
use serde::Serialize;

use crate::context::Ctx;
use crate::i18n::Tr;
use crate::pages::Shell;

#[derive(Debug)]
pub enum PageErrorKind {
    LoginRequired,
    Forbidden,
    NotFound,
    Csrf,
    /// Input no form of ours sends (a tampered or stale form): 422 with the translated reason.
    BadRequest(&'static str),
    /// Something the server is not set up for (a key not configured): 503 with the reason.
    Unavailable(&'static str),
    Internal(String),
}

/// An error page, rendered in the visitor's language inside the usual page shell.
#[derive(Debug)]
pub struct PageError {
    pub kind: PageErrorKind,
    shell: Box<Shell>,
    /// Where to come back to after signing in.
    next: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    page: &'a Shell,
    title: String,
    message: String,
}

impl PageError {
    pub fn new(ctx: &Ctx, kind: PageErrorKind) -> Self {
        Self {
            kind,
            shell: Box::new(Shell::new(ctx)),
            next: ctx.path.clone(),
        }
    }

    /// Without a request context (the context itself failed, or middleware refused early).
    pub fn bare(t: Tr, kind: PageErrorKind) -> Self {
        Self {
            kind,
            shell: Box::new(Shell::anonymous(t)),
            next: "/".into(),
        }
    }

    /// Gives the page's forms (the language switch) a valid CSRF token.
    pub fn with_csrf(mut self, token: &str) -> Self {
        self.shell.csrf = token.to_owned();
        self
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let t = self.shell.t;
        let (status, title, message) = match &self.kind {
            PageErrorKind::LoginRequired => {
                let target = format!("/login?next={}", crate::pages::encode_query(&self.next));
                return Redirect::to(&target).into_response();
            }
            PageErrorKind::Forbidden => (
                StatusCode::FORBIDDEN,
                "error-forbidden-title",
                "error-forbidden",
            ),
            PageErrorKind::NotFound => (
                StatusCode::NOT_FOUND,
                "error-not-found-title",
                "error-not-found",
            ),
            PageErrorKind::Csrf => (StatusCode::FORBIDDEN, "error-csrf-title", "error-csrf"),
            PageErrorKind::BadRequest(code) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "error-bad-request-title",
                *code,
            ),
            PageErrorKind::Unavailable(code) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "error-bad-request-title",
                *code,
            ),
            PageErrorKind::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "error-internal-title",
                    "error-internal",
                )
            }
        };
        let page = ErrorPage {
            page: &self.shell,
            title: t.get(title),
            message: t.get(message),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, t.get(message)).into_response(),
        }
    }
}

impl From<StoreError> for PageErrorKind {
    fn from(error: StoreError) -> Self {
        PageErrorKind::Internal(error.to_string())
    }
}

/// Every domain error as a page error and as an API error: forbidden and not found keep their
/// meaning, bad input is a 422 (pages) or field errors (API), a conflict is named, and only a
/// storage failure is a 500. One complete mapping per error type, no catch-all.
macro_rules! domain_errors {
    ($(
        $ty:ty {
            $($variant:pat => ($page:expr, $api:expr)),* $(,)?
        }
    )*) => {$(
        impl From<$ty> for PageErrorKind {
            #[allow(unused_variables)]
            fn from(error: $ty) -> Self {
                #[allow(unused_imports)]
                use PageErrorKind::*;
                match error {
                    $($variant => $page,)*
                }
            }
        }
        impl From<$ty> for ApiErrorKind {
            fn from(error: $ty) -> Self {
                #[allow(unused_imports)]
                use ApiErrorKind::*;
                match error {
                    $($variant => $api,)*
                }
            }
        }
    )*};
}

use gachi_domain::catalog::CatalogError;
use gachi_domain::catalog::category::CategoryError;
use gachi_domain::community::CommunityError;
use gachi_domain::designers::CertificateError;
use gachi_domain::designers::caseload::CaseloadError;
use gachi_domain::designers::courses::CourseError;
use gachi_domain::designers::delegation::DelegationError;
use gachi_domain::designers::exams::ExamError;
use gachi_domain::designers::matching_run::MatchingError;
use gachi_domain::designers::profile::ProfileError;
use gachi_domain::designers::proposals::ProposalError;
use gachi_domain::discovery::DiscoveryError;
use gachi_domain::listing::market_account::MarketAccountError;
use gachi_domain::listing::publishing::ListingError;
use gachi_domain::live::LiveError;
use gachi_domain::merchants::registry::RegistryError;
use gachi_domain::onboarding::OnboardingError;
use gachi_domain::program::rounds::RoundError;
use gachi_domain::results::ResultsError;

domain_errors! {
    AccountError {
        AccountError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        AccountError::EmailTaken => (BadRequest("error-email-taken"), Conflict("email", "error-email-taken")),
        AccountError::BadCredentials => (LoginRequired, Unauthorized),
        AccountError::Throttled { retry_after_seconds } => (BadRequest("error-throttled-page"), Throttled(retry_after_seconds)),
        AccountError::Forbidden => (Forbidden, Forbidden),
        AccountError::NotFound => (NotFound, NotFound),
        AccountError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    RegistryError {
        RegistryError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        RegistryError::DuplicateBusinessNumber { .. } => (BadRequest("error-business-number-taken"), Conflict("business_number", "error-business-number-taken")),
        RegistryError::RetakeTooSoon { next_at, retry_after_seconds } => (BadRequest("error-diagnosis-daily"), TooSoon { field: "answers", code: "error-diagnosis-too-soon", at: next_at, retry_after_seconds }),
        RegistryError::Forbidden => (Forbidden, Forbidden),
        RegistryError::NotFound => (NotFound, NotFound),
        RegistryError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    CatalogError {
        CatalogError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        CatalogError::SkuTaken => (BadRequest("error-sku-taken"), Conflict("sku", "error-sku-taken")),
        CatalogError::Forbidden => (Forbidden, Forbidden),
        CatalogError::NotFound => (NotFound, NotFound),
        CatalogError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    CategoryError {
        CategoryError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        CategoryError::Forbidden => (Forbidden, Forbidden),
        CategoryError::NotFound => (NotFound, NotFound),
        CategoryError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    MarketAccountError {
        MarketAccountError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        MarketAccountError::Forbidden => (Forbidden, Forbidden),
        MarketAccountError::NotFound => (NotFound, NotFound),
        MarketAccountError::CannotSeal => (BadRequest("markets-cannot-seal"), Validation(gachi_domain::FieldError::new("keys", "markets-cannot-seal").into())),
        MarketAccountError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    ListingError {
        ListingError::NotFound => (NotFound, NotFound),
        ListingError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    OnboardingError {
        OnboardingError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        OnboardingError::Forbidden => (Forbidden, Forbidden),
        OnboardingError::NotFound => (NotFound, NotFound),
        OnboardingError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    RoundError {
        RoundError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        RoundError::Forbidden => (Forbidden, Forbidden),
        RoundError::NotFound => (NotFound, NotFound),
        RoundError::Closed => (BadRequest("error-round-closed"), Conflict("round", "error-round-closed")),
        RoundError::AlreadyApplied => (BadRequest("error-round-applied"), Conflict("round", "error-round-applied")),
        RoundError::NoShop => (BadRequest("error-round-no-shop"), Validation(gachi_domain::FieldError::new("merchant_id", "error-round-no-shop").into())),
        RoundError::NotDiagnosed => (BadRequest("error-round-not-diagnosed"), Validation(gachi_domain::FieldError::new("merchant_id", "error-round-not-diagnosed").into())),
        RoundError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    CertificateError {
        CertificateError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        CertificateError::Forbidden => (Forbidden, Forbidden),
        CertificateError::NotFound => (NotFound, NotFound),
        CertificateError::NoIssuer => (Unavailable("certificates-unavailable"), Unavailable("certificates-unavailable")),
        CertificateError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    DelegationError {
        DelegationError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        DelegationError::Forbidden => (Forbidden, Forbidden),
        DelegationError::NotFound => (NotFound, NotFound),
        DelegationError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    ProfileError {
        ProfileError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        ProfileError::Forbidden => (Forbidden, Forbidden),
        ProfileError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    MatchingError {
        MatchingError::Forbidden => (Forbidden, Forbidden),
        MatchingError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    CourseError {
        CourseError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        CourseError::Forbidden => (Forbidden, Forbidden),
        CourseError::NotFound => (NotFound, NotFound),
        CourseError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    ExamError {
        ExamError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        ExamError::Forbidden => (Forbidden, Forbidden),
        ExamError::NotFound => (NotFound, NotFound),
        ExamError::AttemptRunning(_) => (BadRequest("error-exam-running"), Conflict("level", "error-exam-running")),
        ExamError::RetakeWait { until, retry_after_seconds } => (BadRequest("error-exam-retake"), TooSoon { field: "level", code: "error-exam-retake-wait", at: until, retry_after_seconds }),
        ExamError::Closed => (BadRequest("error-exam-closed"), Conflict("attempt", "error-exam-closed")),
        ExamError::BankTooSmall(_) => (BadRequest("error-exam-bank-small"), Conflict("level", "error-exam-bank-small")),
        ExamError::Certificate(CertificateError::NoIssuer) => (Unavailable("certificates-unavailable"), Unavailable("certificates-unavailable")),
        ExamError::Certificate(e) => (Internal(e.to_string()), Internal(e.to_string())),
        ExamError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    CaseloadError {
        CaseloadError::Forbidden => (Forbidden, Forbidden),
        CaseloadError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    ProposalError {
        ProposalError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        ProposalError::NotFound => (NotFound, NotFound),
        ProposalError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    DiscoveryError {
        DiscoveryError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        DiscoveryError::NotReady(errors) => (BadRequest("pool-not-ready"), Validation(errors)),
        DiscoveryError::Forbidden => (Forbidden, Forbidden),
        DiscoveryError::NotFound => (NotFound, NotFound),
        DiscoveryError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
        DiscoveryError::Search(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    CommunityError {
        CommunityError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        CommunityError::Forbidden => (Forbidden, Forbidden),
        CommunityError::NotFound => (NotFound, NotFound),
        CommunityError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
        CommunityError::Search(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    LiveError {
        LiveError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        LiveError::Forbidden => (Forbidden, Forbidden),
        LiveError::NotFound => (NotFound, NotFound),
        LiveError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
    ResultsError {
        ResultsError::Invalid(errors) => (BadRequest("form-has-errors"), Validation(errors)),
        ResultsError::Forbidden => (Forbidden, Forbidden),
        ResultsError::NotFound => (NotFound, NotFound),
        ResultsError::Store(e) => (Internal(e.to_string()), Internal(e.to_string())),
    }
}

impl From<StoreError> for ApiErrorKind {
    fn from(error: StoreError) -> Self {
        ApiErrorKind::Internal(error.to_string())
    }
}

/// A field error in the API, translated.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiFieldError {
    /// The input field, as a dotted path.
    pub field: String,
    /// A stable machine-readable code (the message key).
    pub code: String,
    /// The message in the request's language.
    pub message: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiValidationBody {
    pub errors: Vec<ApiFieldError>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    /// A stable machine-readable code: `unauthorized`, `forbidden`, `not_found`, `conflict`, …
    pub error: String,
    /// The message in the request's language.
    pub message: String,
}

#[derive(Debug)]
pub enum ApiErrorKind {
    Unauthorized,
    Forbidden,
    NotFound,
    BadRequest(String),
    Conflict(&'static str, &'static str),
    Validation(ValidationErrors),
    Throttled(i64),
    /// Over the account's API write limit: 429 with `Retry-After` in seconds.
    RateLimited(u64),
    /// Not yet: 429 with `Retry-After`, and a field error whose message (`code`, with `$at`)
    /// names when it will be possible.
    TooSoon {
        field: &'static str,
        code: &'static str,
        at: gachi_domain::kernel::time::Timestamp,
        retry_after_seconds: i64,
    },
    /// Something the server is not set up for (a key not configured): 503.
    Unavailable(&'static str),
    Internal(String),
}

#[derive(Debug)]
pub struct ApiError {
    pub kind: ApiErrorKind,
    pub t: Tr,
}

impl ApiError {
    pub fn new(t: Tr, kind: ApiErrorKind) -> Self {
        Self { kind, t }
    }
}

/// Translates field errors for the API.
pub fn field_errors(t: Tr, errors: &ValidationErrors) -> Vec<ApiFieldError> {
    errors
        .0
        .iter()
        .map(|e| ApiFieldError {
            field: e.field.clone(),
            code: e.code.to_owned(),
            message: t.get(e.code),
        })
        .collect()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let t = self.t;
        let simple = |status: StatusCode, code: &str, key: &str| {
            (
                status,
                Json(ApiErrorBody {
                    error: code.to_owned(),
                    message: t.get(key),
                }),
            )
                .into_response()
        };
        match self.kind {
            ApiErrorKind::Unauthorized => {
                let mut response = simple(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "error-unauthorized",
                );
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            ApiErrorKind::Forbidden => {
                simple(StatusCode::FORBIDDEN, "forbidden", "error-forbidden")
            }
            ApiErrorKind::NotFound => simple(StatusCode::NOT_FOUND, "not_found", "error-not-found"),
            ApiErrorKind::BadRequest(detail) => (
                StatusCode::BAD_REQUEST,
                Json(ApiErrorBody {
                    error: "bad_request".into(),
                    message: format!("{}: {detail}", t.get("error-bad-request")),
                }),
            )
                .into_response(),
            ApiErrorKind::Conflict(field, key) => (
                StatusCode::CONFLICT,
                Json(ApiValidationBody {
                    errors: vec![ApiFieldError {
                        field: field.into(),
                        code: key.into(),
                        message: t.get(key),
                    }],
                }),
            )
                .into_response(),
            ApiErrorKind::Validation(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(ApiValidationBody {
                    errors: field_errors(t, &errors),
                }),
            )
                .into_response(),
            ApiErrorKind::RateLimited(seconds) => {
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Json(ApiErrorBody {
                        error: "rate_limited".into(),
                        message: t.count("error-write-rate-limited", "seconds", seconds as i64),
                    }),
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
                response
            }
            ApiErrorKind::Throttled(seconds) => {
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Json(ApiErrorBody {
                        error: "throttled".into(),
                        message: t.count("error-throttled", "minutes", (seconds + 59) / 60),
                    }),
                )
                    .into_response();
                if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response
            }
            ApiErrorKind::TooSoon {
                field,
                code,
                at,
                retry_after_seconds,
            } => {
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Json(ApiValidationBody {
                        errors: vec![ApiFieldError {
                            field: field.into(),
                            code: code.into(),
                            message: t.arg(code, "at", at.display_seoul()),
                        }],
                    }),
                )
                    .into_response();
                if let Ok(value) = HeaderValue::from_str(&retry_after_seconds.max(1).to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response
            }
            ApiErrorKind::Unavailable(key) => {
                simple(StatusCode::SERVICE_UNAVAILABLE, "unavailable", key)
            }
            ApiErrorKind::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                simple(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "error-internal",
                )
            }
        }
    }
}

/// The API answers every error in JSON, in the request's language — also axum's own
/// rejections, which are plain text: a path id that is no number or too large for one
/// (`/api/v1/products/99999999999999999999`), a query parameter of the wrong type, a method the
/// address does not take. Responses that are JSON already pass through untouched.
pub async fn api_errors_in_json(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let t = Tr(crate::context::request_locale(request.headers()));
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !status.is_client_error() || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    // Rejections are one short line; anything longer is not one of them.
    let detail = match axum::body::to_bytes(body, 1024).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_owned(),
        Err(_) => String::new(),
    };
    let code = status
        .canonical_reason()
        .unwrap_or("error")
        .to_lowercase()
        .replace([' ', '-'], "_");
    let message = if detail.is_empty() {
        t.get("error-bad-request")
    } else {
        format!("{}: {detail}", t.get("error-bad-request"))
    };
    let mut json = (
        status,
        Json(ApiErrorBody {
            error: code,
            message,
        }),
    )
        .into_response();
    // Keep what the status needs (`Allow` on a 405, `Retry-After`), not the old body's type.
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    json
}
