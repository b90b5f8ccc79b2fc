//! The signed-in person's own account: language, password, API tokens.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::{AccountError, ApiTokenInfo};
use serde::Deserialize;

use super::{FormErrors, Shell, render, see_other};
use crate::AppState;
use crate::context::Ctx;
use crate::error::{PageError, PageErrorKind};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Shell,
    errors: FormErrors,
    saved: bool,
    tokens: Vec<(String, String)>,
    region_name: Option<String>,
}

async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    saved: bool,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let tokens = state
        .accounts()
        .api_tokens(user)
        .await
        .map_err(|e| ctx.fail(e))?
        .into_iter()
        .map(|ApiTokenInfo { name, created_at }| (name, created_at.display_seoul()))
        .collect();
    let page = AccountPage {
        region_name: user.region.as_ref().map(|r| r.region().name),
        page: Shell::new(ctx),
        errors,
        saved,
        tokens,
    };
    Ok(render(status, &page))
}

pub async fn show(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let saved = ctx.path.contains("saved=1");
    account_page(&state, &ctx, FormErrors::default(), saved, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
    #[serde(default)]
    pub new_password_confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let session = ctx
        .session
        .as_ref()
        .ok_or_else(|| ctx.fail(PageErrorKind::LoginRequired))?
        .id;
    if form.new_password != form.new_password_confirm {
        let errors = FormErrors::one(ctx.t, "new_password_confirm", "error-password-mismatch");
        return account_page(
            &state,
            &ctx,
            errors,
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let result = state
        .accounts()
        .change_password(
            &user,
            session,
            &form.current_password,
            &form.new_password,
            &ctx.actor(),
        )
        .await;
    match result {
        Ok(()) => Ok(see_other(&ctx, "/account?saved=1")),
        Err(AccountError::Invalid(errors)) => {
            let errors = FormErrors::from_validation(ctx.t, &errors);
            account_page(
                &state,
                &ctx,
                errors,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}
