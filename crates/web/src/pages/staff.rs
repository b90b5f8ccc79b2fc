//! Program staff pages: creating accounts for experts, merchandisers and local governments, and
//! reading the audit trail.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::{AccountChanges, AccountError, AccountInput, Role, UserId};
use gachi_domain::kernel::region;
use serde::Deserialize;

use super::{FormErrors, Shell, render, role_label, see_other};
use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;

pub struct UserRow {
    pub id: i64,
    /// The reader may make a password reset link for this account (staff for merchants; an
    /// admin for anyone but other admins).
    pub may_reset: bool,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub region: String,
    pub created_at: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    page: Shell,
    users: Vec<UserRow>,
    /// (value, label, selected) for the role filter.
    filter: Vec<(&'static str, String, bool)>,
    /// Roles this staff member may create: (value, label).
    creatable: Vec<(&'static str, String)>,
    /// 시도 and 시군구 for the region picker: (code, name).
    regions: Vec<(String, String)>,
    errors: FormErrors,
    form: NewUserForm,
    created: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    pub role: Option<String>,
    pub created: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub password: String,
}

/// "소상공인 (1,234)": a filter option with how many accounts it shows.
fn labelled(label: String, count: i64) -> String {
    let digits = count.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{label} ({grouped})")
}

async fn users_page(
    state: &AppState,
    ctx: &Ctx,
    query: UsersQuery,
    errors: FormErrors,
    form: NewUserForm,
    status: StatusCode,
) -> Result<Response, PageError> {
    let me = ctx.require_role(&Role::STAFF)?;
    let role = query
        .role
        .as_deref()
        .and_then(|r| Role::parse(r, "role").ok());
    let accounts = state.accounts();
    let users = accounts
        .list_users(me, role, 200)
        .await
        .map_err(|e| ctx.fail(e))?;
    let counts = accounts
        .count_users_by_role(me)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.t;
    let count_of = |r: Option<Role>| -> i64 {
        counts
            .iter()
            .filter(|(c, _)| r.is_none_or(|r| r == *c))
            .map(|(_, n)| n)
            .sum()
    };
    let mut filter = vec![(
        "",
        labelled(t.get("users-all-roles"), count_of(None)),
        role.is_none(),
    )];
    filter.extend(Role::ALL.into_iter().map(|r| {
        (
            r.as_str(),
            labelled(role_label(t, r), count_of(Some(r))),
            Some(r) == role,
        )
    }));
    let regions = region::all_sido()
        .into_iter()
        .chain(region::all_sigungu())
        .map(|r| (r.code.as_str().to_owned(), r.name))
        .collect();
    let page = UsersPage {
        users: users
            .into_iter()
            .map(|u| UserRow {
                id: u.id.0,
                may_reset: gachi_domain::accounts::password_reset::may_issue(me, &u),
                region: u
                    .region
                    .as_ref()
                    .map(|r| r.region().name)
                    .unwrap_or_default(),
                role: role_label(t, u.role),
                created_at: u.created_at.display_seoul(),
                disabled: u.disabled_at.is_some(),
                email: u.email,
                display_name: u.display_name,
            })
            .collect(),
        filter,
        creatable: Role::ALL
            .into_iter()
            .filter(|r| me.role.may_create(*r))
            .map(|r| (r.as_str(), role_label(t, r)))
            .collect(),
        regions,
        errors,
        form: NewUserForm {
            password: String::new(),
            ..form
        },
        created: query.created,
        page: Shell::new(ctx),
    };
    Ok(render(status, &page))
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<UsersQuery>,
) -> Result<Response, PageError> {
    users_page(
        &state,
        &ctx,
        query,
        FormErrors::default(),
        NewUserForm::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NewUserForm>,
) -> Result<Response, PageError> {
    let me = ctx.require_role(&Role::STAFF)?.clone();
    let input = AccountInput {
        email: form.email.clone(),
        password: form.password.clone(),
        display_name: form.display_name.clone(),
        role: form.role.clone(),
        region_code: form.region_code.clone(),
    };
    let errors = match state
        .accounts()
        .create_user(Some(&me), &input, &ctx.actor())
        .await
    {
        Ok(user) => {
            return Ok(see_other(
                &ctx,
                &format!("/staff/users?created={}", super::encode_query(&user.email)),
            ));
        }
        Err(AccountError::Invalid(errors)) => FormErrors::from_validation(ctx.t, &errors),
        Err(AccountError::EmailTaken) => FormErrors::one(ctx.t, "email", "error-email-taken"),
        // Staff may create only some roles: the role picked is refused beside the field.
        Err(AccountError::Forbidden) => FormErrors::one(ctx.t, "role", "error-role-not-allowed"),
        Err(other) => return Err(ctx.fail(other)),
    };
    users_page(
        &state,
        &ctx,
        UsersQuery::default(),
        errors,
        form,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// One account, as staff edit it.
#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    page: Shell,
    id: i64,
    email: String,
    created_at: String,
    /// "2026-12-01 10:00부터 정지됨", or empty.
    disabled: String,
    /// The reader may disable or enable it (not their own, only roles they may create).
    may_disable: bool,
    may_reset: bool,
    /// (value, label) of the roles the reader may give; the current role is always among them.
    roles: Vec<(&'static str, String)>,
    regions: Vec<(String, String)>,
    errors: FormErrors,
    form: AccountForm,
    saved: bool,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub region_code: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    pub saved: Option<u8>,
}

async fn user_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    form: Option<AccountForm>,
    errors: FormErrors,
    saved: bool,
    status: StatusCode,
) -> Result<Response, PageError> {
    let me = ctx.require_role(&Role::STAFF)?.clone();
    let t = ctx.t;
    let user = state
        .accounts()
        .user(&me, UserId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    let form = form.unwrap_or_else(|| AccountForm {
        display_name: user.display_name.clone(),
        role: user.role.as_str().to_owned(),
        region_code: user
            .region
            .as_ref()
            .map(|r| r.as_str().to_owned())
            .unwrap_or_default(),
    });
    let regions = region::all_sido()
        .into_iter()
        .chain(region::all_sigungu())
        .map(|r| (r.code.as_str().to_owned(), r.name))
        .collect();
    let page = UserPage {
        id,
        email: user.email.clone(),
        created_at: user.created_at.display_seoul(),
        disabled: user
            .disabled_at
            .map(|at| t.arg("users-disabled-since", "at", at.display_seoul()))
            .unwrap_or_default(),
        may_disable: me.id != user.id && me.role.may_create(user.role),
        may_reset: gachi_domain::accounts::password_reset::may_issue(&me, &user),
        roles: Role::ALL
            .into_iter()
            .filter(|r| *r == user.role || (me.id != user.id && me.role.may_create(*r)))
            .map(|r| (r.as_str(), role_label(t, r)))
            .collect(),
        regions,
        errors,
        form,
        saved,
        page: Shell::new(ctx),
    };
    Ok(render(status, &page))
}

/// One account: its details to edit, and disabling it.
pub async fn user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, PageError> {
    user_page(
        &state,
        &ctx,
        id,
        None,
        FormErrors::default(),
        query.saved.is_some(),
        StatusCode::OK,
    )
    .await
}

/// Saves an account's name, role and region.
pub async fn update_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<AccountForm>,
) -> Result<Response, PageError> {
    let me = ctx.require_role(&Role::STAFF)?.clone();
    let changes = AccountChanges {
        display_name: form.display_name.clone(),
        role: form.role.clone(),
        region_code: form.region_code.clone(),
    };
    let errors = match state
        .accounts()
        .update_user(&me, UserId(id), &changes, &ctx.actor())
        .await
    {
        Ok(_) => return Ok(see_other(&ctx, &format!("/staff/users/{id}?saved=1"))),
        Err(AccountError::Invalid(errors)) => FormErrors::from_validation(ctx.t, &errors),
        Err(other) => return Err(ctx.fail(other)),
    };
    user_page(
        &state,
        &ctx,
        id,
        Some(form),
        errors,
        false,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn set_disabled(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    disabled: bool,
) -> Result<Response, PageError> {
    let me = ctx.require_role(&Role::STAFF)?.clone();
    match state
        .accounts()
        .set_disabled(&me, UserId(id), disabled, &ctx.actor())
        .await
    {
        Ok(()) => Ok(see_other(ctx, &format!("/staff/users/{id}?saved=1"))),
        Err(AccountError::Invalid(errors)) => {
            user_page(
                state,
                ctx,
                id,
                None,
                FormErrors::from_validation(ctx.t, &errors),
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// Disables an account: no sign-in, its sessions and tokens end at once.
pub async fn disable(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_disabled(&state, &ctx, id, true).await
}

/// Enables a disabled account again.
pub async fn enable(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_disabled(&state, &ctx, id, false).await
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Shell,
    rows: Vec<AuditRow>,
}

pub async fn audit(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let me = ctx.require_role(&Role::STAFF)?;
    let records = state
        .accounts()
        .recent_audit(me, 300)
        .await
        .map_err(|e| ctx.fail(e))?;
    let system = ctx.t.get("audit-system");
    let rows = records
        .into_iter()
        .map(|r| AuditRow {
            at: r.entry.at.display_seoul(),
            actor: r.actor_email.unwrap_or_else(|| system.clone()),
            action: r.entry.action,
            subject: r.entry.subject,
            detail: r.entry.detail,
            ip: r.entry.ip.unwrap_or_default(),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &AuditPage {
            page: Shell::new(&ctx),
            rows,
        },
    ))
}
