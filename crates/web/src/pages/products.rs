//! The merchant's products in the browser: a list with readiness per marketplace, and one form
//! to create or edit a product whose 상품정보제공고시 section is generated from the notice table.
//! Buttons in the form change the notice type or fill a field with "상품 상세페이지 참조" by
//! re-rendering (no JavaScript needed); saving checks the whole file and puts each error beside
//! its field. A preview shows the 상세페이지 as marketplaces will.

use askama::Template;
use axum::Form;
use axum::extract::Multipart;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_FRAME_OPTIONS};
use axum::response::{IntoResponse, Response};
use gachi_domain::accounts::{Role, User};
use gachi_domain::catalog::media::ImageError;
use gachi_domain::catalog::notice::{self, FieldKind};
use gachi_domain::catalog::product::ProductId;
use gachi_domain::catalog::{self, CatalogError};
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::OutcomeKind;
use gachi_domain::{FieldError, ValidationErrors};

use super::product_form::{ProductForm, input_for};
use super::{FormErrors, Shell, render, see_other};
use crate::context::Ctx;
use crate::error::{PageError, PageErrorKind};
use crate::i18n::Tr;
use crate::{AppState, photos};

pub struct ProductRow {
    pub id: i64,
    pub name: String,
    pub sku: String,
    /// (channel label, percent, what is left in words)
    pub readiness: Vec<(String, u32, String)>,
}

fn channel_name(t: Tr, channel: &str) -> String {
    t.get(&format!("channel-{channel}"))
}

#[derive(Template)]
#[template(path = "products.html")]
struct ListPage {
    page: Shell,
    rows: Vec<ProductRow>,
    /// The next page of the list, when this one is full.
    next: Option<String>,
    /// What the last delete or restore did, with the product to restore after a delete.
    note: Option<(String, Option<i64>)>,
    /// Where the shop's deleted products are listed.
    trash: String,
}

fn merchant_user(ctx: &Ctx) -> Result<User, PageError> {
    ctx.require_role(&[Role::Merchant]).cloned()
}

/// Who may open, fix and list an existing product: its merchant, staff helping them, and a
/// designer the shop delegated its catalog to (the domain checks the delegation).
fn product_user(ctx: &Ctx) -> Result<User, PageError> {
    ctx.require_role(&[Role::Merchant, Role::Designer, Role::Operator, Role::Admin])
        .cloned()
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    /// The shop whose products staff or a delegated designer open.
    pub merchant: Option<i64>,
    /// Continue after this product id (the last one of the previous page).
    pub before: Option<i64>,
    /// The product just deleted: say so, and offer to restore it.
    pub deleted: Option<i64>,
    /// The product just restored.
    pub restored: Option<i64>,
}

/// Products on one page of the list.
const PAGE: u32 = 50;

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(query): axum::extract::Query<ListQuery>,
) -> Result<Response, PageError> {
    let user = product_user(&ctx)?;
    let shop = query
        .merchant
        .map(gachi_domain::merchants::merchant::MerchantId);
    match (user.role, shop) {
        // A designer works on the shops that delegated to them: pick one there.
        (Role::Designer, None) => return Ok(see_other(&ctx, "/delegations")),
        // Staff open a shop's products from its record.
        (role, None) if role.is_staff() => return Ok(see_other(&ctx, "/merchants")),
        _ => {}
    }
    let before = query.before.map(gachi_domain::catalog::product::ProductId);
    let products = match state.catalog().list(&user, shop, before, PAGE).await {
        Ok(products) => products,
        // A merchant without a shop has no catalog yet: register the shop first.
        Err(CatalogError::Invalid(_)) => return Ok(see_other(&ctx, "/my-shop?first=1")),
        Err(other) => return Err(ctx.fail(other)),
    };
    let readiness = match products.first() {
        Some(first) => {
            let files: Vec<_> = products.iter().map(|p| &p.file).collect();
            state
                .listing()
                .readiness_of_each(&user, first.merchant, &files)
                .await
                .map_err(|e| ctx.fail(e))?
        }
        None => Vec::new(),
    };
    let rows = products
        .iter()
        .zip(readiness)
        .map(|(p, readiness)| ProductRow {
            id: p.id.0,
            name: p.file.name.clone(),
            sku: p.file.sku.clone(),
            readiness: readiness
                .into_iter()
                .map(|r| {
                    (
                        channel_name(ctx.t, r.channel.code()),
                        r.percent,
                        remaining_text(ctx.t, r.remaining()),
                    )
                })
                .collect(),
        })
        .collect();
    let next = (products.len() == PAGE as usize).then(|| {
        let last = products.last().map(|p| p.id.0).unwrap_or_default();
        match query.merchant {
            Some(shop) => format!("/products?merchant={shop}&before={last}"),
            None => format!("/products?before={last}"),
        }
    });
    let note = match (query.deleted, query.restored) {
        (Some(id), _) => Some((ctx.t.get("products-deleted-note"), Some(id))),
        (None, Some(_)) => Some((ctx.t.get("products-restored-note"), None)),
        _ => None,
    };
    Ok(render(
        StatusCode::OK,
        &ListPage {
            page: Shell::new(&ctx),
            rows,
            next,
            note,
            trash: match query.merchant {
                Some(shop) => format!("/products/deleted?merchant={shop}"),
                None => "/products/deleted".into(),
            },
        },
    ))
}

/// A deleted product as the trash lists it.
pub struct DeletedRow {
    pub id: i64,
    pub name: String,
    pub sku: String,
    pub deleted: String,
    /// "29일 남음".
    pub left: String,
}

#[derive(Template)]
#[template(path = "products_deleted.html")]
struct DeletedPage {
    page: Shell,
    rows: Vec<DeletedRow>,
    back: String,
    error: Option<String>,
    /// The shop, when staff or a designer look at another's.
    merchant: Option<i64>,
}

async fn deleted_page(
    state: &AppState,
    ctx: &Ctx,
    shop: Option<gachi_domain::merchants::merchant::MerchantId>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = product_user(ctx)?;
    let now = state.clock().now();
    let deleted = match state.catalog().deleted(&user, shop).await {
        Ok(deleted) => deleted,
        Err(CatalogError::Invalid(_)) => return Ok(see_other(ctx, "/my-shop?first=1")),
        Err(other) => return Err(ctx.fail(other)),
    };
    let rows = deleted
        .iter()
        .map(|(p, at)| {
            let gone = at.plus_seconds(catalog::PRODUCT_RESTORE_DAYS * 24 * 3600);
            DeletedRow {
                id: p.id.0,
                name: p.file.name.clone(),
                sku: p.file.sku.clone(),
                deleted: at.display_seoul(),
                left: ctx.t.count(
                    "products-restore-days-left",
                    "days",
                    (now.seconds_until(gone) / (24 * 3600)).max(0),
                ),
            }
        })
        .collect();
    Ok(render(
        status,
        &DeletedPage {
            page: Shell::new(ctx),
            rows,
            back: match shop {
                Some(shop) => format!("/products?merchant={}", shop.0),
                None => "/products".into(),
            },
            error,
            merchant: shop.map(|s| s.0),
        },
    ))
}

/// The shop's deleted products that can still be restored.
pub async fn deleted(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(query): axum::extract::Query<ListQuery>,
) -> Result<Response, PageError> {
    let shop = query
        .merchant
        .map(gachi_domain::merchants::merchant::MerchantId);
    deleted_page(&state, &ctx, shop, None, StatusCode::OK).await
}

/// Restores a deleted product and goes back to the list (the form names the shop for staff).
pub async fn restore(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = product_user(&ctx)?;
    match state
        .catalog()
        .restore(&user, ProductId(id), &ctx.actor())
        .await
    {
        Ok(product) => {
            let back = if user.role == Role::Merchant {
                format!("/products?restored={id}")
            } else {
                format!("/products?merchant={}&restored={id}", product.merchant.0)
            };
            Ok(see_other(&ctx, &back))
        }
        Err(CatalogError::SkuTaken) => {
            let shop = crate::pages::form_value(&pairs, "merchant")
                .parse::<i64>()
                .ok()
                .map(gachi_domain::merchants::merchant::MerchantId);
            deleted_page(
                &state,
                &ctx,
                shop,
                Some(ctx.t.get("error-restore-sku-taken")),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

#[derive(Template)]
#[template(path = "product_delete.html")]
struct DeleteConfirmPage {
    page: Shell,
    id: i64,
    name: String,
}

/// Asks before deleting: the second step works without JavaScript.
pub async fn confirm_delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let product = state
        .catalog()
        .get(&user, ProductId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(
        StatusCode::OK,
        &DeleteConfirmPage {
            page: Shell::new(&ctx),
            id,
            name: product.file.name.clone(),
        },
    ))
}

/// One generated notice input.
pub struct NoticeInput {
    pub name: String,
    pub label: String,
    pub required: bool,
    pub value: String,
    /// text, textarea, date or bool
    pub widget: &'static str,
    pub max: String,
}

pub struct ChannelReadiness {
    pub channel: &'static str,
    /// Listed already: the marketplace's product number.
    pub listed: Option<String>,
    /// The marketplace would accept it: offer to submit.
    pub ready: bool,
    pub name: String,
    pub percent: u32,
    /// "3가지 남음" or "준비 완료": what is left, read before the percentage.
    pub remaining: String,
    pub gaps: Vec<ReadinessGap>,
}

/// What is left before a marketplace would take the product, in words.
fn remaining_text(t: Tr, remaining: usize) -> String {
    if remaining == 0 {
        t.get("products-nothing-left")
    } else {
        t.count("products-left", "count", remaining as i64)
    }
}

/// A marketplace's category input: the code typed, its path when loaded, and suggestions from
/// the product name (offered in the input's list; a person chooses).
pub struct CategoryField {
    pub channel: &'static str,
    pub input: String,
    pub value: String,
    pub path: String,
    pub suggestions: Vec<(String, String)>,
}

/// One submission to a marketplace, in words.
pub struct SubmissionView {
    pub channel: String,
    pub when: String,
    pub outcome: &'static str,
    pub outcome_text: String,
    /// The marketplace's product number, its errors, or why nothing happened.
    pub detail: String,
    /// For a refusal: the community's answers about the marketplace's (first) error code.
    pub help: String,
}

fn submission_view(
    t: Tr,
    record: &gachi_domain::listing::market_account::SubmissionRecord,
) -> SubmissionView {
    let detail: serde_json::Value = serde_json::from_str(&record.detail).unwrap_or_default();
    let text = match record.outcome.as_str() {
        "created" => record
            .marketplace_product_id
            .clone()
            .map(|id| t.arg("submission-product-id", "id", id))
            .unwrap_or_default(),
        "rejected" => detail["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| match e["field"].as_str() {
                Some(field) => format!("{field}: {}", e["message"].as_str().unwrap_or_default()),
                None => e["message"].as_str().unwrap_or_default().to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" · "),
        _ => detail["reason"].as_str().unwrap_or_default().to_owned(),
    };
    let outcome = record.outcome.as_str();
    let help = match (outcome, detail["errors"][0]["code"].as_str()) {
        ("rejected", Some(code)) if !code.trim().is_empty() => {
            crate::pages::community::help_link(record.channel, code.trim())
        }
        _ => String::new(),
    };
    SubmissionView {
        help,
        channel: channel_name(t, record.channel.code()),
        when: record.at.display_seoul(),
        outcome,
        outcome_text: t.get(&format!("submission-{outcome}")),
        detail: text,
    }
}

/// One item of a channel's readiness on the product page.
pub struct ReadinessGap {
    /// The form input to fix it in; empty for the seller's account setup.
    pub input: String,
    /// Where to fix it: the input (`#f-…`), or the marketplace accounts page.
    pub link: String,
    pub message: String,
    pub hint: String,
    pub warning: bool,
    /// The community's answers about this error on this marketplace.
    pub help: String,
    pub code: String,
}

#[derive(Template)]
#[template(path = "product.html")]
struct FormPage {
    page: Shell,
    id: Option<i64>,
    /// Where the form posts: the product's address, or the exam practical's.
    action: String,
    /// The exam practical this form is, when it is one: the product is the candidate's
    /// answer, checked against the brief, and kept with the attempt rather than a shop.
    practical: Option<PracticalBox>,
    categories: Vec<CategoryField>,
    submissions: Vec<SubmissionView>,
    form: ProductForm,
    errors: FormErrors,
    /// (UPPER name, label, selected)
    notice_types: Vec<(String, String, bool)>,
    notice_inputs: Vec<NoticeInput>,
    readiness: Vec<ChannelReadiness>,
    saved: bool,
    see_detail: &'static str,
    /// (id, label, chosen) of the 상세페이지 templates.
    templates: Vec<(&'static str, String, bool)>,
    /// The names of the shop's saved shipping terms.
    shipping_templates: Vec<String>,
    /// A note about the last action (a template saved or applied).
    note: Option<String>,
    /// One row per option combination: stock, surcharge and code.
    variant_rows: Vec<super::product_form::VariantRow>,
    /// (code, name, chosen) of the couriers.
    couriers: Vec<(&'static str, &'static str, bool)>,
    /// The product's photos as the form holds them: (what to show, is the main image).
    photos: Vec<(String, bool)>,
    /// A notice type the product's marketplace category suggests, when it is not the chosen one:
    /// (type, the sentence saying why).
    notice_suggestion: Option<(String, String)>,
}

/// The brief and standing of an exam practical, shown above its product form.
pub struct PracticalBox {
    pub attempt: i64,
    pub title: String,
    pub text: String,
    /// "12월 7일 오후 3:10까지 (남은 시간 약 42분)".
    pub deadline: String,
    /// The brief's facts the product does not carry yet, in words.
    pub wrong_facts: Vec<String>,
    /// Ready for both marketplaces and true to the brief.
    pub passed: bool,
    /// A product was saved: its faults are shown beside its fields.
    pub started: bool,
    /// Why some checks were not made (the seller's setup is not the candidate's to fix), or
    /// empty.
    pub ungraded: String,
}

/// The product form's errors, each named in the summary by its label (a notice field by its
/// Korean name from the notice table).
fn form_errors(t: Tr, errors: &ValidationErrors, notice_type: &str) -> FormErrors {
    let mapped = ValidationErrors(
        errors
            .0
            .iter()
            .map(|e| FieldError {
                field: input_for(&e.field),
                code: e.code,
            })
            .collect(),
    );
    let kind = notice::find(notice_type);
    FormErrors::from_validation(t, &mapped).labelled(|input| input_label(t, input, kind))
}

/// The label of a form input, for error summaries and readiness items.
fn input_label(t: Tr, input: &str, kind: Option<&notice::NoticeType>) -> Option<String> {
    if let Some(name) = input.strip_prefix("notice.") {
        return kind.and_then(|k| k.field(name)).map(|f| f.label.clone());
    }
    if input.starts_with("var.") {
        return Some(t.get("field-variants"));
    }
    let key = match input {
        "name" => "field-product-name",
        "sku" => "field-sku",
        "price" => "field-price",
        "list_price" => "field-list-price",
        "stock" => "field-stock",
        "brand" => "field-brand",
        "manufacturer" => "field-manufacturer",
        "options" => "field-options",
        "tags" => "field-tags",
        "image_main" => "field-image-main",
        "image_extra" => "field-image-extra",
        "notice_type" => "field-notice-type",
        "ship_fee" => "field-ship-fee",
        "ship_free_over" => "field-ship-free-over",
        "ship_return_to" => "field-ship-return-to",
        "ship_return_fee" => "field-ship-return-fee",
        "ship_exchange_fee" => "field-ship-exchange-fee",
        "ship_dispatch_days" => "field-ship-dispatch-days",
        "ship_courier" => "field-ship-courier",
        "ship_template_name" => "shipping-template-name",
        "as_phone" => "field-as-phone",
        "as_guide" => "field-as-guide",
        "origin_kind" => "field-origin",
        "origin_country" => "field-origin-country",
        "origin_importer" => "field-origin-importer",
        "minor_purchasable" => "field-minor",
        "dp_template" => "field-template",
        "dp_color" => "field-brand-color",
        "dp_headline" => "field-headline",
        other => {
            return other
                .strip_prefix("cat_")
                .map(|c| t.get(&format!("channel-{c}")));
        }
    };
    Some(t.get(key))
}

fn form_page(
    ctx: &Ctx,
    id: Option<i64>,
    form: ProductForm,
    errors: FormErrors,
    saved: bool,
    extra: Extra,
) -> FormPage {
    let chosen = notice::find(form.notice_type());
    let notice_suggestion = extra
        .categories
        .iter()
        .filter(|c| !c.path.is_empty())
        .find_map(|c| notice::suggest_for_category(&c.path).map(|kind| (kind, &c.path)))
        .filter(|(kind, _)| chosen.is_none_or(|c| c.upper != kind.upper))
        .map(|(kind, path)| {
            (
                kind.upper.clone(),
                ctx.t.args(
                    "products-notice-suggested",
                    &[("path", path.clone()), ("type", kind.label.clone())],
                ),
            )
        });
    let notice_inputs = chosen
        .map(|kind| {
            kind.fields
                .iter()
                .map(|f| NoticeInput {
                    name: format!("notice.{}", f.name),
                    label: f.label.clone(),
                    required: f.required,
                    value: form.get(&format!("notice.{}", f.name)).to_owned(),
                    widget: match f.kind {
                        FieldKind::Date => "date",
                        FieldKind::Bool => "bool",
                        FieldKind::Text if f.max_chars.unwrap_or(0) > 300 => "textarea",
                        FieldKind::Text => "text",
                    },
                    max: f.max_chars.map(|m| m.to_string()).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let readiness = if id.is_some() || extra.practical.is_some() {
        crate::readiness::all_translated(ctx.t, &extra.readiness)
            .into_iter()
            .map(|r| {
                let ready = r.ready();
                // The seller's missing account settings read as one item, not one per setting.
                let settings: Vec<String> = r
                    .gaps
                    .iter()
                    .filter(|g| g.code == "listing-setting-missing" && !g.warning)
                    .filter_map(|g| g.field.rsplit('.').next())
                    .map(|name| ctx.t.get(&format!("market-field-{name}")))
                    .collect();
                let mut gaps: Vec<ReadinessGap> = r
                    .gaps
                    .into_iter()
                    .filter(|g| g.code != "listing-setting-missing" || g.warning)
                    .map(|g| {
                        let input = if g.account {
                            String::new()
                        } else {
                            input_for(&g.field)
                        };
                        let message = match input_label(ctx.t, &input, chosen) {
                            Some(label) if g.code.starts_with("listing-") => {
                                format!("{label}: {}", g.message)
                            }
                            _ => g.message,
                        };
                        ReadinessGap {
                            link: if input.is_empty() {
                                String::new()
                            } else {
                                format!("#f-{input}")
                            },
                            input,
                            message,
                            hint: g.hint.unwrap_or_default(),
                            warning: g.warning,
                            help: crate::pages::community::help_link(r.channel, &g.code),
                            code: g.code,
                        }
                    })
                    .collect();
                if !settings.is_empty() {
                    gaps.push(ReadinessGap {
                        input: String::new(),
                        link: "/my-shop/markets".into(),
                        message: ctx.t.arg(
                            "products-account-settings",
                            "names",
                            settings.join(", "),
                        ),
                        hint: ctx.t.get("listing-setting-missing-hint"),
                        warning: false,
                        help: crate::pages::community::help_link(
                            r.channel,
                            "listing-setting-missing",
                        ),
                        code: "listing-setting-missing".into(),
                    });
                }
                ChannelReadiness {
                    listed: extra
                        .listed
                        .iter()
                        .find(|(c, _)| c == r.channel.code())
                        .map(|(_, id)| id.clone()),
                    channel: r.channel.code(),
                    ready,
                    name: channel_name(ctx.t, r.channel.code()),
                    percent: r.percent,
                    remaining: remaining_text(ctx.t, r.remaining),
                    gaps,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let courier = form.get("ship_courier").to_owned();
    let main_image = form.get("image_main").trim();
    let photos = std::iter::once((main_image, true))
        .chain(
            form.get("image_extra")
                .lines()
                .map(|url| (url.trim(), false)),
        )
        .filter(|(url, _)| {
            gachi_domain::kernel::text::is_web_url(url)
                || gachi_domain::catalog::media::stored_path(url).is_some()
        })
        .map(|(url, main)| (photos::preview_src(url), main))
        .collect();
    FormPage {
        action: match (&extra.practical, id) {
            (Some(p), _) => format!("/exams/attempts/{}/practical", p.attempt),
            (None, Some(id)) => format!("/products/{id}"),
            (None, None) => "/products/new".into(),
        },
        practical: extra.practical,
        notice_suggestion,
        photos,
        variant_rows: form.variant_rows(),
        couriers: gachi_channels::courier::COURIERS
            .iter()
            .map(|c| (c.code, c.label, c.code == courier))
            .collect(),
        page: Shell::new(ctx),
        id,
        notice_types: notice::all()
            .iter()
            .map(|t| {
                (
                    t.upper.clone(),
                    t.label.clone(),
                    chosen.is_some_and(|c| c.upper == t.upper),
                )
            })
            .collect(),
        notice_inputs,
        readiness,
        errors,
        saved,
        see_detail: notice::SEE_DETAIL_PAGE,
        templates: gachi_domain::catalog::product::TEMPLATES
            .into_iter()
            .map(|id| {
                let chosen = form.get("dp_template") == id
                    || (id == "clean" && form.get("dp_template").is_empty());
                (id, ctx.t.get(&format!("template-{id}")), chosen)
            })
            .collect(),
        form,
        shipping_templates: extra.shipping_templates,
        submissions: extra.submissions,
        categories: extra.categories,
        note: extra.note,
    }
}

/// What a form page shows besides the form: the shop's saved shipping terms, a note.
#[derive(Default)]
struct Extra {
    categories: Vec<CategoryField>,
    /// The product's submissions to marketplaces, newest first.
    submissions: Vec<SubmissionView>,
    /// (channel, marketplace product number) where the product is listed.
    listed: Vec<(String, String)>,
    shipping_templates: Vec<String>,
    note: Option<String>,
    /// Readiness per marketplace of the product shown, with the shop's marketplace settings.
    readiness: Vec<gachi_domain::listing::publishing::Readiness>,
    practical: Option<PracticalBox>,
}

async fn extra(
    state: &AppState,
    user: &User,
    merchant: Option<gachi_domain::merchants::merchant::MerchantId>,
    file: &gachi_domain::catalog::product::ProductFile,
    note: Option<String>,
) -> Extra {
    // The product's shop (staff), or the signed-in merchant's.
    let shop = match merchant {
        Some(id) => Some(id),
        None => state
            .registry()
            .own_shop(user)
            .await
            .ok()
            .flatten()
            .map(|m| m.id),
    };
    let shipping_templates = match shop {
        Some(shop) => state
            .catalog()
            .shipping_templates(user, Some(shop))
            .await
            .map(|list| list.into_iter().map(|(name, _)| name).collect())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let readiness = match shop {
        Some(shop) => match state.listing().readiness(user, shop, file).await {
            Ok(readiness) => readiness,
            Err(error) => {
                tracing::warn!(%error, "readiness not checked");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let categories = category_fields(state, file).await;
    Extra {
        categories,
        submissions: Vec::new(),
        listed: Vec::new(),
        shipping_templates,
        note,
        readiness,
        practical: None,
    }
}

/// The category input of each marketplace: the code chosen, its path, and suggestions from
/// the product's name.
async fn category_fields(
    state: &AppState,
    file: &gachi_domain::catalog::product::ProductFile,
) -> Vec<CategoryField> {
    let finder = state.categories();
    let mut categories = Vec::new();
    for channel in Channel::ALL {
        let value = file
            .channel_categories
            .get(channel.code())
            .cloned()
            .flatten()
            .unwrap_or_default();
        let path = match finder.find(channel, &value).await {
            Ok(Some(category)) => category.path,
            _ => String::new(),
        };
        let suggestions = finder
            .suggest(channel, &file.name, 8)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.code, c.path))
            .collect();
        categories.push(CategoryField {
            channel: channel.code(),
            input: format!("cat_{channel}"),
            value,
            path,
            suggestions,
        });
    }
    categories
}

/// The product form as an exam practical: the candidate's product as saved (`form`), its
/// field errors once something was saved, and its readiness for the brief's marketplaces.
pub(crate) async fn practical_page(
    state: &AppState,
    ctx: &Ctx,
    form: ProductForm,
    saved: bool,
    readiness: Vec<gachi_domain::listing::publishing::Readiness>,
    practical: PracticalBox,
) -> Response {
    let file = form.to_file();
    let errors = match file.check() {
        Err(errors) if practical.started => form_errors(ctx.t, &errors, form.notice_type()),
        _ => FormErrors::default(),
    };
    let extra = Extra {
        categories: category_fields(state, &file).await,
        readiness,
        practical: Some(practical),
        ..Extra::default()
    };
    render(
        StatusCode::OK,
        &form_page(ctx, None, form, errors, saved, extra),
    )
}

/// Applies a button that changes the form without saving it (another notice type, the
/// standard answer in a notice field): `true` when one was pressed.
pub(crate) fn apply_form_only_action(form: &mut ProductForm) -> bool {
    if let Some(kind) = form.0.remove("notice_suggested") {
        form.set("notice_type", &kind);
        return true;
    }
    if let Some(field) = form.0.remove("see_detail") {
        form.set(&field, notice::SEE_DETAIL_PAGE);
        return true;
    }
    form.get("action") == "notice"
}

pub async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let user = merchant_user(&ctx)?;
    // A product belongs to a shop: without one, register it first.
    let Some(shop) = state
        .registry()
        .own_shop(&user)
        .await
        .map_err(|e| ctx.fail(e))?
    else {
        return Ok(see_other(&ctx, "/my-shop?first=1"));
    };
    let draft = catalog::draft_for_shop(&shop);
    let form = ProductForm::from_file(&draft);
    let extra = extra(&state, &user, Some(shop.id), &draft, None).await;
    Ok(render(
        StatusCode::OK,
        &form_page(&ctx, None, form, FormErrors::default(), false, extra),
    ))
}

/// Handles the form's buttons: change the notice type, fill a field with the standard answer,
/// or save.
async fn submit(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let (user, shop) = editor(state, ctx, id).await?;
    submit_as(state, ctx, id, &user, shop, pairs, None).await
}

/// Who may save the form for product `id` (a new one when `None`), and the shop the product
/// belongs to (staff edit other shops' products). Another shop's product is "not found".
async fn editor(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
) -> Result<(User, Option<gachi_domain::merchants::merchant::MerchantId>), PageError> {
    let user = if id.is_some() {
        product_user(ctx)
    } else {
        merchant_user(ctx)
    }?;
    let shop = match id {
        Some(id) => Some(
            state
                .catalog()
                .get(&user, ProductId(id))
                .await
                .map_err(|e| ctx.fail(e))?
                .merchant,
        ),
        None => None,
    };
    Ok((user, shop))
}

/// `submit` for an editor already found (`editor`); `photo_error` is a refused photo's error.
async fn submit_as(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    user: &User,
    shop: Option<gachi_domain::merchants::merchant::MerchantId>,
    pairs: Vec<(String, String)>,
    photo_error: Option<&'static str>,
) -> Result<Response, PageError> {
    let mut form = ProductForm::from_pairs(pairs);
    // The form again, as typed, with `errors` beside their fields.
    let again = |form: ProductForm,
                 errors: FormErrors,
                 note: Option<String>,
                 status: StatusCode| async move {
        let extra = extra(state, user, shop, &form.to_file(), note).await;
        Ok::<_, PageError>(render(
            status,
            &form_page(ctx, id, form, errors, false, extra),
        ))
    };
    if let Some(code) = photo_error {
        let errors =
            FormErrors::one(ctx.t, "photo", code).labelled(|_| Some(ctx.t.get("field-photo")));
        return again(form, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if apply_form_only_action(&mut form) {
        form.0.remove("action");
        return again(form, FormErrors::default(), None, StatusCode::OK).await;
    }
    match form.0.remove("action").as_deref() {
        Some("apply_shipping") => {
            let chosen = form.get("ship_template").to_owned();
            let templates = state
                .catalog()
                .shipping_templates(user, shop)
                .await
                .unwrap_or_default();
            let note = match templates.iter().find(|(name, _)| *name == chosen) {
                Some((name, terms)) => {
                    form.set_shipping(terms);
                    Some(ctx.t.arg("shipping-template-applied", "name", name))
                }
                None => None,
            };
            return again(form, FormErrors::default(), note, StatusCode::OK).await;
        }
        Some("save_shipping") => {
            let name = form.get("ship_template_name").to_owned();
            let saved = state
                .catalog()
                .save_shipping_template(user, &name, &form.shipping(), &ctx.actor())
                .await;
            return match saved {
                Ok(()) => {
                    let note = Some(ctx.t.arg("shipping-template-saved", "name", name.trim()));
                    again(form, FormErrors::default(), note, StatusCode::OK).await
                }
                Err(CatalogError::Invalid(errors)) => {
                    let mapped = gachi_domain::ValidationErrors(
                        errors
                            .0
                            .into_iter()
                            .map(|e| FieldError {
                                field: if e.field == "shipping_template" {
                                    "ship_template_name".into()
                                } else {
                                    e.field
                                },
                                code: e.code,
                            })
                            .collect(),
                    );
                    let errors = form_errors(ctx.t, &mapped, form.notice_type());
                    again(form, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
                }
                Err(other) => Err(ctx.fail(other)),
            };
        }
        _ => {}
    }
    let file = form.to_file();
    let catalog = state.catalog();
    let result = match id {
        None => catalog.create(user, None, &file, &ctx.actor()).await,
        Some(id) => {
            catalog
                .replace(user, ProductId(id), &file, &ctx.actor())
                .await
        }
    };
    match result {
        Ok(product) => Ok(see_other(
            ctx,
            &format!("/products/{}?saved=1", product.id.0),
        )),
        Err(CatalogError::Invalid(errors)) => {
            let errors = form_errors(ctx.t, &errors, form.notice_type());
            again(form, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(CatalogError::SkuTaken) => {
            let errors = FormErrors::one(ctx.t, "sku", "error-sku-taken");
            again(form, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    submit(&state, &ctx, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    submit(&state, &ctx, Some(id), pairs).await
}

/// A photo upload's address opened as a page (a reload after an upload, a bookmark): the
/// product's form, instead of a blank "method not allowed".
pub async fn photo_address(ctx: Ctx, uri: axum::http::Uri) -> Response {
    // The route matched `/products/new/photo` or `/products/{id}/photo`.
    let form = uri.path().strip_suffix("/photo").unwrap_or("/products");
    see_other(&ctx, form)
}

pub async fn create_with_photo(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Multipart,
) -> Result<Response, PageError> {
    with_photo(&state, &ctx, None, multipart).await
}

pub async fn update_with_photo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    with_photo(&state, &ctx, Some(id), multipart).await
}

/// The product form sent with a photo (multipart, from the form's upload button): the photo is
/// checked and stored, its address goes into the form (as the main image, or one more extra
/// image), and the form is saved like the save button would. A refused photo is an error beside
/// the file input; nothing typed is lost either way.
async fn with_photo(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    // Who may save decides who may store a photo (nothing is kept for anyone else).
    let (user, shop) = editor(state, ctx, id).await?;
    let photos::PostedForm { mut pairs, photo } =
        photos::PostedForm::from_multipart(multipart).await;
    let as_extra = pairs
        .iter()
        .any(|(key, value)| key == "photo_role" && value == "extra");
    pairs.retain(|(key, _)| key != "photo_role" && key != "action");
    let photo_error = match photo {
        Some(Err(refused)) => Some(refused.code()),
        None => Some(ImageError::Empty.code()),
        Some(Ok(bytes)) => match photos::store_upload(state, bytes).await {
            Ok(stored) => {
                let key = if as_extra {
                    "image_extra"
                } else {
                    "image_main"
                };
                match pairs.iter_mut().find(|(k, _)| k == key) {
                    Some((_, value)) if as_extra && !value.trim().is_empty() => {
                        value.push('\n');
                        value.push_str(&stored.url);
                    }
                    Some((_, value)) => *value = stored.url,
                    None => pairs.push((key.to_owned(), stored.url)),
                }
                None
            }
            Err(photos::PhotoError::Refused(refused)) => Some(refused.code()),
            Err(photos::PhotoError::Store(error)) => return Err(ctx.fail(error)),
        },
    };
    submit_as(state, ctx, id, &user, shop, pairs, photo_error).await
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = product_user(&ctx)?;
    // Another shop's product is "not found" (the catalog decides).
    let product = state
        .catalog()
        .get(&user, ProductId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    let saved = ctx.path.contains("saved=1");
    let mut extra = extra(&state, &user, Some(product.merchant), &product.file, None).await;
    let records = state
        .listing()
        .submissions(&user, product.id)
        .await
        .unwrap_or_default();
    extra.submissions = records.iter().map(|r| submission_view(ctx.t, r)).collect();
    extra.listed = records
        .iter()
        .filter(|r| r.outcome == OutcomeKind::Created)
        .filter_map(|r| {
            Some((
                r.channel.code().to_owned(),
                r.marketplace_product_id.clone()?,
            ))
        })
        .collect();
    let form = ProductForm::from_file(&product.file);
    Ok(render(
        StatusCode::OK,
        &form_page(&ctx, Some(id), form, FormErrors::default(), saved, extra),
    ))
}

/// The preview document: the fragment under a CSP that allows its inline styles and no script,
/// framable only by this site.
pub(crate) fn preview_document(fragment: &str) -> Response {
    (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CONTENT_SECURITY_POLICY, "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'self'"),
            (X_FRAME_OPTIONS, "SAMEORIGIN"),
        ],
        format!("<!doctype html><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><body style=\"margin:0\">{fragment}</body>"),
    )
        .into_response()
}

/// The 상세페이지 of the form as it is now, unsaved: the form's preview button sends it here,
/// aimed at the preview frame.
pub async fn preview_unsaved(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    product_user(&ctx)?;
    Ok(preview_document(&catalog::detail_page::render(
        &photos::for_display(&state, &headers, &ProductForm::from_pairs(pairs).to_file()),
    )))
}

/// The 상세페이지 alone, as marketplaces show it.
pub async fn preview(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let user = product_user(&ctx)?;
    let product = state
        .catalog()
        .get(&user, ProductId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(preview_document(&catalog::detail_page::render(
        &photos::for_display(&state, &headers, &product.file),
    )))
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    // One rule with the API: whoever the domain lets act on the shop's catalog (its merchant,
    // staff, a delegated designer) may delete; `Catalog::delete` decides.
    let user = ctx.require_user()?.clone();
    let catalog = state.catalog();
    let product = catalog
        .get(&user, ProductId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    catalog
        .delete(&user, ProductId(id), &ctx.actor())
        .await
        .map_err(|e| ctx.fail(e))?;
    let back = if user.role == Role::Merchant {
        format!("/products?deleted={id}")
    } else {
        format!("/products?merchant={}&deleted={id}", product.merchant.0)
    };
    Ok(see_other(&ctx, &back))
}

/// Sends the product to one marketplace with the shop's stored account, then shows the product
/// page with the outcome (the onboarding card has moved with it).
pub async fn submit_listing(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, channel)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    let user = product_user(&ctx)?;
    let channel = Channel::parse(&channel)
        .ok_or_else(|| ctx.fail(PageErrorKind::BadRequest("error-channel-unknown")))?;
    state
        .listing()
        .publish(&user, &ctx.actor(), ProductId(id), channel)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(see_other(&ctx, &format!("/products/{id}#submissions")))
}
