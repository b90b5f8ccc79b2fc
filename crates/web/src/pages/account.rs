//! The signed-in person's own account: language, password, API tokens (listed with when each
//! expires and was last used, and revoked one by one).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::{AccountError, ApiTokenId, ApiTokenStatus, ListedApiToken};
use gachi_domain::kernel::time::Timestamp;
use serde::Deserialize;

use super::{FormErrors, Shell, render, see_other};
use crate::AppState;
use crate::context::Ctx;
use crate::error::{PageError, PageErrorKind};
use crate::i18n::Tr;

/// An API token as the account page lists it.
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub status: String,
    /// Whether it still lets its holder in (and so can be revoked).
    pub active: bool,
}

impl TokenRow {
    fn new(t: Tr, listed: &ListedApiToken) -> Self {
        let (token, status) = (&listed.info, listed.status);
        Self {
            id: token.id.0,
            name: token.name.clone(),
            created: token.created_at.display_seoul(),
            expires: token
                .expires_at
                .map(Timestamp::display_seoul)
                .unwrap_or_else(|| t.get("account-token-never-expires")),
            last_used: token
                .last_used_at
                .map(Timestamp::display_seoul)
                .unwrap_or_else(|| t.get("account-token-never-used")),
            status: t.get(match status {
                ApiTokenStatus::Active => "account-token-active",
                ApiTokenStatus::Expired => "account-token-expired",
                ApiTokenStatus::Revoked => "account-token-revoked",
            }),
            active: status == ApiTokenStatus::Active,
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Shell,
    errors: FormErrors,
    saved: bool,
    revoked: bool,
    tokens: Vec<TokenRow>,
    /// Whether any token is still active (the password form then offers to revoke them).
    any_active: bool,
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
    let tokens: Vec<TokenRow> = state
        .accounts()
        .api_tokens(user)
        .await
        .map_err(|e| ctx.fail(e))?
        .iter()
        .map(|token| TokenRow::new(ctx.t, token))
        .collect();
    let page = AccountPage {
        region_name: user.region.as_ref().map(|r| r.region().name),
        page: Shell::new(ctx),
        errors,
        saved,
        revoked: ctx.path.contains("revoked=1"),
        any_active: tokens.iter().any(|t| t.active),
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
    /// The "revoke my API tokens too" box: sent (ticked by default) or absent.
    #[serde(default)]
    pub revoke_tokens: Option<String>,
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
            form.revoke_tokens.is_some(),
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

/// Revokes one of the signed-in person's API tokens.
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    state
        .accounts()
        .revoke_own_api_token(&user, ApiTokenId(id), &ctx.actor())
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(see_other(&ctx, "/account?revoked=1"))
}
