//! A merchant's monthly online sales reports: the form, the trailing 12 months, hall-of-fame
//! membership and the corrections made to earlier reports.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::kernel::money::{Krw, parse_count};
use gachi_domain::results::{Month, ResultsError, SalesChannel, SalesInput};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::grouped;
use crate::pages::{FormErrors, Shell, render, see_other};

// ---------------------------------------------------------------- a merchant's sales

#[derive(Template)]
#[template(path = "sales.html")]
struct SalesPage {
    page: Shell,
    errors: FormErrors,
    channels: Vec<(&'static str, String)>,
    form: SalesForm,
    /// (month, channel, sales, orders)
    rows: Vec<(String, String, String, String)>,
    /// (when, month, channel, old → new, who)
    changes: Vec<(String, String, String, String, String)>,
    saved: bool,
    trailing: String,
    member_since: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SalesForm {
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub sales_krw: String,
    #[serde(default)]
    pub orders: String,
}

async fn sales_page(
    state: &AppState,
    ctx: &Ctx,
    form: SalesForm,
    errors: FormErrors,
    saved: bool,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Merchant])?.clone();
    // Sales are a shop's: without one, register it first.
    let Some(sales) = state
        .results()
        .own_sales(&user)
        .await
        .map_err(|e| ctx.fail(e))?
    else {
        return Ok(see_other(ctx, "/my-shop?first=1"));
    };
    let t = ctx.t;
    let now = Month::of(state.clock().now());
    let trailing = sales.trailing_12_months_krw;
    let member_since = sales.member_since.map(|m| m.to_string());
    let reports = sales.reports;
    let changes = sales
        .corrections
        .into_iter()
        .map(|c| {
            (
                c.at.display_seoul(),
                c.month.to_string(),
                t.get(&format!("channel-{}", c.channel)),
                format!(
                    "{} → {}",
                    grouped(c.old_sales_krw.unwrap_or(0)),
                    grouped(c.new_sales_krw)
                ),
                c.by.unwrap_or_default(),
            )
        })
        .collect();
    let form = SalesForm {
        // The last finished month: sales are reported once a month is over (and the
        // marketplaces have settled it), never for the month still running.
        month: if form.month.is_empty() {
            now.minus(1).to_string()
        } else {
            form.month
        },
        ..form
    };
    Ok(render(
        status,
        &SalesPage {
            errors,
            channels: SalesChannel::all()
                .map(|c| (c.code(), t.get(&format!("channel-{c}"))))
                .collect(),
            form,
            rows: reports
                .iter()
                .map(|r| {
                    (
                        r.month.to_string(),
                        t.get(&format!("channel-{}", r.channel)),
                        grouped(r.sales_krw),
                        grouped(r.orders),
                    )
                })
                .collect(),
            changes,
            saved,
            trailing: grouped(trailing),
            member_since,
            page: Shell::new(ctx),
        },
    ))
}

pub async fn sales(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let saved = ctx.path.contains("saved=1");
    sales_page(
        &state,
        &ctx,
        SalesForm::default(),
        FormErrors::default(),
        saved,
        StatusCode::OK,
    )
    .await
}

pub async fn report_sales(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SalesForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Merchant])?.clone();
    let Some(shop) = state
        .registry()
        .own_shop(&user)
        .await
        .map_err(|e| ctx.fail(e))?
    else {
        return Ok(see_other(&ctx, "/my-shop?first=1"));
    };
    // Amounts as people type them (`1.5만`, `15,900원`); what is not one is named beside its
    // field before anything is saved.
    let mut parse_errors = gachi_domain::ValidationErrors::default();
    let sales_krw = parse_errors
        .check(Krw::parse_optional(&form.sales_krw, "sales_krw"))
        .flatten()
        .map(|k| k.0);
    let orders = parse_errors
        .check(parse_count(&form.orders, "orders"))
        .flatten();
    if !parse_errors.is_empty() {
        let errors = FormErrors::from_validation(ctx.t, &parse_errors);
        return sales_page(
            &state,
            &ctx,
            form,
            errors,
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let input = SalesInput {
        channel: form.channel.clone(),
        month: form.month.clone(),
        sales_krw,
        orders,
    };
    let results = state.results();
    match results.report(&user, &ctx.actor(), shop.id, &input).await {
        Ok(_) => Ok(see_other(&ctx, "/my-shop/sales?saved=1")),
        Err(ResultsError::Invalid(errors)) => {
            let errors = FormErrors::from_validation(ctx.t, &errors);
            sales_page(
                &state,
                &ctx,
                form,
                errors,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}
