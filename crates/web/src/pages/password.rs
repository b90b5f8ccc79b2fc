//! Getting back into an account: "비밀번호를 잊으셨나요?" asks for a one-time link by mail (where
//! the server sends mail; the page says the same whether or not the address has an account), the
//! link's page sets a new password, and staff make a link for a merchant who calls them (shown
//! once, to read out or send). The rules — expiry, single use, the hourly limit, ending sessions —
//! are the domain's (`accounts::password_reset`).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::{AccountError, ResetLink, UserId};
use gachi_domain::mail::OutgoingMail;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Ctx, site_url};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{FormErrors, Shell, form_value, render, see_other};

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    page: Shell,
    errors: FormErrors,
    email: String,
    /// The request was taken (the same words whether or not the address has an account).
    sent: bool,
    /// The server sends no mail: the page says to call the program office instead.
    mail_enabled: bool,
}

/// The form that asks for a link.
pub async fn forgot_page(State(state): State<AppState>, ctx: Ctx) -> Response {
    render(
        StatusCode::OK,
        &ForgotPage {
            page: Shell::new(&ctx),
            errors: FormErrors::default(),
            email: String::new(),
            sent: false,
            mail_enabled: state.config().mail_enabled,
        },
    )
}

/// Mails a link when the address has an account (and the server sends mail); answers the same
/// either way, so the page never tells whether an address is registered.
pub async fn forgot(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let email = form_value(&pairs, "email").trim().to_owned();
    let mail_enabled = state.config().mail_enabled;
    if !email.contains('@') || email.chars().count() > 254 {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ForgotPage {
                page: Shell::new(&ctx),
                errors: FormErrors::one(ctx.t, "email", "error-email-invalid"),
                email,
                sent: false,
                mail_enabled,
            },
        ));
    }
    if mail_enabled
        && let Some(link) = state
            .accounts()
            .request_password_reset(&email, &ctx.actor())
            .await
            .map_err(|e| ctx.fail(e))?
    {
        // The configured address only (the server refuses mail without one): a link built from
        // the request's Host could send the token to whoever forged it.
        let site = state.config().public_url.trim_end_matches('/');
        let address = format!("{site}{}", link_path(&link.token));
        state
            .mailbox()
            .queue(&reset_mail(&link, &address))
            .await
            .map_err(|e| ctx.fail(e))?;
    }
    Ok(render(
        StatusCode::OK,
        &ForgotPage {
            page: Shell::new(&ctx),
            errors: FormErrors::default(),
            email: String::new(),
            sent: mail_enabled,
            mail_enabled,
        },
    ))
}

/// The path of a link's page.
fn link_path(token: &str) -> String {
    format!("/password/reset?token={token}")
}

/// The mail that carries a link, in its owner's language.
fn reset_mail(link: &ResetLink, address: &str) -> OutgoingMail {
    let t = Tr(link.user.locale.unwrap_or_default());
    OutgoingMail {
        to: link.user.email.clone(),
        subject: t.get("password-mail-subject"),
        body: format!(
            "{}\n\n{address}\n\n{}\n",
            t.arg("password-mail-body", "name", &link.user.display_name),
            t.arg(
                "password-mail-expiry",
                "minutes",
                gachi_domain::accounts::password_reset::LINK_MINUTES,
            ),
        ),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenQuery {
    pub token: Option<String>,
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    page: Shell,
    errors: FormErrors,
    token: String,
    /// The link cannot be used (unknown, used or expired): only that is said.
    dead: bool,
    email: String,
}

/// A link's page: the new-password form, or why the link no longer works.
pub async fn reset_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TokenQuery>,
) -> Result<Response, PageError> {
    let token = query.token.unwrap_or_default();
    let (status, dead, email) = match state.accounts().reset_link(&token).await {
        Ok(user) => (StatusCode::OK, false, user.email),
        Err(AccountError::Invalid(_)) => (StatusCode::GONE, true, String::new()),
        Err(other) => return Err(ctx.fail(other)),
    };
    Ok(render(
        status,
        &ResetPage {
            page: Shell::new(&ctx),
            errors: FormErrors::default(),
            token,
            dead,
            email,
        },
    ))
}

/// Sets the new password through the link, then sends the person to sign in with it.
pub async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let token = form_value(&pairs, "token");
    match state
        .accounts()
        .reset_password(
            &token,
            &form_value(&pairs, "new_password"),
            &form_value(&pairs, "confirm_password"),
            &ctx.actor(),
        )
        .await
    {
        Ok(_) => Ok(see_other(&ctx, "/login?done=password-reset")),
        Err(AccountError::Invalid(errors)) => {
            let dead = errors.0.iter().any(|e| e.field == "token");
            let t = ctx.t;
            let email = if dead {
                String::new()
            } else {
                state
                    .accounts()
                    .reset_link(&token)
                    .await
                    .map(|u| u.email)
                    .unwrap_or_default()
            };
            Ok(render(
                if dead {
                    StatusCode::GONE
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                },
                &ResetPage {
                    page: Shell::new(&ctx),
                    errors: FormErrors::from_validation(t, &errors).labelled(|field| match field {
                        "new_password" => Some(t.get("field-new-password")),
                        "confirm_password" => Some(t.get("field-password-confirm")),
                        _ => None,
                    }),
                    token,
                    dead,
                    email,
                },
            ))
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

#[derive(Template)]
#[template(path = "password_issued.html")]
struct IssuedPage {
    page: Shell,
    email: String,
    address: String,
    minutes: i64,
}

/// Staff make a link for a merchant who called; it is shown once, to read out or send.
pub async fn issue(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let staff = ctx.require_user()?;
    let link = state
        .accounts()
        .issue_password_reset(staff, UserId(id), &ctx.actor())
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(
        StatusCode::OK,
        &IssuedPage {
            page: Shell::new(&ctx),
            email: link.user.email.clone(),
            address: format!("{}{}", site_url(&state, &headers), link_path(&link.token)),
            minutes: gachi_domain::accounts::password_reset::LINK_MINUTES,
        },
    ))
}
