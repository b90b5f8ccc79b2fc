//! Signing up, in and out, and choosing the language.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use gachi_domain::accounts::{AccountError, AccountInput, Locale, SESSION_MAX_SECONDS};
use gachi_domain::kernel::secret;
use serde::Deserialize;

use super::{FormErrors, Shell, render, return_to, see_other};
use crate::AppState;
use crate::context::{Ctx, LANG_COOKIE, SESSION_COOKIE};
use crate::csrf::CSRF_COOKIE;
use crate::error::PageError;
use crate::i18n::Tr;

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
    /// `password-reset` after a new password was set through a link.
    pub done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Shell,
    errors: FormErrors,
    /// A message about the whole form (wrong password, locked), shown above it.
    alert: Option<String>,
    /// What just happened (a new password was set), shown above the form.
    done: Option<String>,
    email: String,
    next: String,
}

fn cookie_header(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: i64,
    same_site: &str,
) -> Option<HeaderValue> {
    let secure = if state.config().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite={same_site}{secure}"
    ))
    .ok()
}

/// Sets the session cookie, and a fresh CSRF cookie so a token seen before signing in is useless after.
fn signed_in_response(state: &AppState, ctx: &Ctx, token: &str, next: &str) -> Response {
    let mut response = see_other(ctx, next);
    let headers = response.headers_mut();
    headers.extend(
        cookie_header(state, SESSION_COOKIE, token, SESSION_MAX_SECONDS, "Lax")
            .map(|v| (SET_COOKIE, v)),
    );
    headers.extend(
        cookie_header(
            state,
            CSRF_COOKIE,
            &secret::random_token(),
            SESSION_MAX_SECONDS,
            "Lax",
        )
        .map(|v| (SET_COOKIE, v)),
    );
    response
}

/// Signing in (or up) in a browser that held a session ends that session on the server: the
/// cookie is replaced, and a copy of the old one (another person's, when accounts are switched
/// on a shared device) must not stay usable.
async fn end_previous_session(state: &AppState, ctx: &Ctx) -> Result<(), PageError> {
    match (&ctx.session_token, &ctx.session) {
        (Some(token), Some(_)) => state
            .accounts()
            .sign_out(token, &ctx.actor())
            .await
            .map_err(|e| ctx.fail(e)),
        _ => Ok(()),
    }
}

pub async fn login_page(ctx: Ctx, Query(query): Query<NextQuery>) -> Response {
    let next = return_to(query.next.as_deref(), "/");
    if ctx.user.is_some() {
        return see_other(&ctx, &next);
    }
    let page = LoginPage {
        page: Shell::new(&ctx),
        errors: FormErrors::default(),
        alert: None,
        done: (query.done.as_deref() == Some("password-reset"))
            .then(|| ctx.t.get("password-reset-done")),
        email: String::new(),
        next,
    };
    render(StatusCode::OK, &page)
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    // Checked before signing in: what is left is a valid `Location`.
    let next = return_to(form.next.as_deref(), "/");
    let t = ctx.t;
    let (status, errors, alert) = match state
        .accounts()
        .sign_in(&form.email, &form.password, &ctx.ip)
        .await
    {
        Ok(signed) => {
            end_previous_session(&state, &ctx).await?;
            return Ok(signed_in_response(
                &state,
                &ctx,
                &signed.session_token,
                &next,
            ));
        }
        Err(AccountError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::from_validation(t, &errors),
            None,
        ),
        Err(AccountError::BadCredentials) => (
            StatusCode::UNAUTHORIZED,
            FormErrors::default(),
            Some(t.get("login-failed")),
        ),
        Err(AccountError::Throttled {
            retry_after_seconds,
        }) => (
            StatusCode::TOO_MANY_REQUESTS,
            FormErrors::default(),
            Some(t.count(
                "error-throttled",
                "minutes",
                (retry_after_seconds + 59) / 60,
            )),
        ),
        Err(other) => return Err(ctx.fail(other)),
    };
    let page = LoginPage {
        page: Shell::new(&ctx),
        errors,
        alert,
        done: None,
        email: form.email,
        next,
    };
    Ok(render(status, &page))
}

#[derive(Debug, Default, Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    page: Shell,
    errors: FormErrors,
    display_name: String,
    email: String,
}

pub async fn signup_page(ctx: Ctx) -> Response {
    if ctx.user.is_some() {
        return see_other(&ctx, "/");
    }
    let page = SignupPage {
        page: Shell::new(&ctx),
        errors: FormErrors::default(),
        display_name: String::new(),
        email: String::new(),
    };
    render(StatusCode::OK, &page)
}

pub async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SignupForm>,
) -> Result<Response, PageError> {
    let t = ctx.t;
    let input = AccountInput {
        email: form.email.clone(),
        password: form.password.clone(),
        display_name: form.display_name.clone(),
        ..AccountInput::default()
    };
    let result = if form.password != form.password_confirm && !form.password.is_empty() {
        Err(FormErrors::one(
            t,
            "password_confirm",
            "error-password-mismatch",
        ))
    } else {
        match state
            .accounts()
            .sign_up_merchant(&input, &ctx.actor())
            .await
        {
            Ok(_) => Ok(()),
            Err(AccountError::Invalid(errors)) => Err(FormErrors::from_validation(t, &errors)),
            Err(AccountError::EmailTaken) => Err(FormErrors::one(t, "email", "error-email-taken")),
            Err(other) => return Err(ctx.fail(other)),
        }
    };
    if let Err(errors) = result {
        let page = SignupPage {
            page: Shell::new(&ctx),
            errors,
            display_name: form.display_name,
            email: form.email,
        };
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let signed = state
        .accounts()
        .sign_in(&form.email, &form.password, &ctx.ip)
        .await
        .map_err(|e| ctx.fail(e))?;
    end_previous_session(&state, &ctx).await?;
    Ok(signed_in_response(
        &state,
        &ctx,
        &signed.session_token,
        "/?welcome=1",
    ))
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    if let Some(token) = &ctx.session_token {
        state
            .accounts()
            .sign_out(token, &ctx.actor())
            .await
            .map_err(|e| ctx.fail(e))?;
    }
    let mut response = see_other(&ctx, "/");
    response
        .headers_mut()
        .extend(cookie_header(&state, SESSION_COOKIE, "", 0, "Lax").map(|v| (SET_COOKIE, v)));
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
pub struct LangForm {
    #[serde(default)]
    pub lang: String,
    pub next: Option<String>,
}

/// Switches the language for this browser (a cookie) and, when signed in, for the account.
pub async fn switch_language(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LangForm>,
) -> Result<Response, PageError> {
    let locale = Locale::parse(&form.lang).unwrap_or_default();
    let next = return_to(form.next.as_deref(), "/");
    if let Some(user) = &ctx.user {
        state
            .accounts()
            .set_locale(user, locale, &ctx.actor())
            .await
            .map_err(|e| ctx.fail(e))?;
    }
    let ctx = Ctx {
        t: Tr(locale),
        ..ctx
    };
    let mut response = see_other(&ctx, &next);
    let secure = if state.config().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    if let Ok(value) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        locale.as_str()
    )) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response)
}
