//! `/api/v1/products`: the product master over JSON. The body is a product file v1 (DESIGN.md),
//! with `merchant_id` for staff; errors are 422 with paths into the file
//! (`notice.fields.foodType`). Also the 상세페이지 fragment and completeness per channel.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use gachi_domain::catalog;
use gachi_domain::catalog::product::{Product, ProductFile, ProductId};
use gachi_domain::kernel::channel::Channel;
use gachi_domain::merchants::merchant::MerchantId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiUser, rfc3339};
use crate::error::{ApiError, ApiErrorBody, ApiErrorKind, ApiValidationBody};
use crate::i18n::Tr;
use crate::json_body::{self, JsonBodyError};
use gachi_domain::listing::marketplaces::Outcome;
use gachi_domain::listing::publishing::Published;

/// A stored product.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductBody {
    pub id: i64,
    pub merchant_id: i64,
    /// The product file v1 as saved.
    #[schema(value_type = crate::product_schema::ProductFileSchema)]
    pub product: ProductFile,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Product> for ProductBody {
    fn from(p: &Product) -> Self {
        Self {
            id: p.id.0,
            merchant_id: p.merchant.0,
            product: p.file.clone(),
            created_at: rfc3339(p.created_at),
            updated_at: rfc3339(p.updated_at),
        }
    }
}

/// Readiness per marketplace of `product` (which `caller` may see), in the caller's language.
async fn readiness_of(
    state: &AppState,
    caller: &ApiUser,
    product: &gachi_domain::catalog::product::Product,
) -> Result<Vec<crate::readiness::Readiness>, ApiError> {
    state
        .listing()
        .readiness(&caller.user, product.merchant, &product.file)
        .await
        .map(|r| crate::readiness::all_translated(caller.t, &r))
        .map_err(|e| caller.fail(e))
}

/// The marketplace named in the path, or a 422 naming `channel`.
fn parse_channel(caller: &ApiUser, channel: &str) -> Result<Channel, ApiError> {
    Channel::parse_field(channel, "channel")
        .map_err(|error| caller.fail(ApiErrorKind::Validation(error.into())))
}

/// Reads a JSON object body: the product file, and `merchant_id` when staff send it.
fn product_body(
    t: Tr,
    bytes: &Bytes,
) -> Result<
    (
        serde_json::Map<String, serde_json::Value>,
        Option<MerchantId>,
    ),
    ApiError,
> {
    let mut map: serde_json::Map<String, serde_json::Value> =
        json_body::from_slice(bytes).map_err(|e| e.into_api(t))?;
    let merchant = match map.remove("merchant_id") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(MerchantId(v.as_i64().ok_or_else(|| {
            JsonBodyError::Shape {
                path: "merchant_id".into(),
            }
            .into_api(t)
        })?)),
    };
    Ok((map, merchant))
}

fn to_file(
    t: Tr,
    map: serde_json::Map<String, serde_json::Value>,
) -> Result<ProductFile, ApiError> {
    json_body::from_value(serde_json::Value::Object(map)).map_err(|e| e.into_api(t))
}

/// Creates a product from a product file v1 (merchants: for their shop; staff: with `merchant_id`).
#[utoipa::path(post, path = "/api/v1/products", tag = "products", request_body(content = crate::product_schema::NewProductSchema, description = "Product file v1, plus merchant_id for staff"),
    responses(
        (status = 201, description = "Created", body = ProductBody),
        (status = 400, description = "Not a JSON product file", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Role may not keep products", body = ApiErrorBody),
        (status = 409, description = "The merchant has a product with this sku", body = ApiValidationBody),
        (status = 422, description = "Invalid fields, by path", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn create_product(
    State(state): State<AppState>,
    caller: ApiUser,
    bytes: Bytes,
) -> Result<(StatusCode, Json<ProductBody>), ApiError> {
    let (map, merchant) = product_body(caller.t, &bytes)?;
    let file = to_file(caller.t, map)?;
    let product = state
        .catalog()
        .create(&caller.user, merchant, &file, &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(ProductBody::from(&product))))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ProductsQuery {
    /// Whose products (staff); merchants always get their own.
    pub merchant_id: Option<i64>,
    /// Continue after this id (the last id of the previous page).
    pub before: Option<i64>,
    /// Page size, default 50, at most 200.
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub limit: Option<u32>,
}

/// A merchant's products, newest first; page with `before`.
#[utoipa::path(get, path = "/api/v1/products", tag = "products", params(ProductsQuery),
    responses(
        (status = 200, description = "A page of products", body = [ProductBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Role may not keep products", body = ApiErrorBody),
        (status = 422, description = "merchant_id missing or unknown", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn list_products(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<ProductsQuery>,
) -> Result<Json<Vec<ProductBody>>, ApiError> {
    let products = state
        .catalog()
        .list(
            &caller.user,
            query.merchant_id.map(MerchantId),
            query.before.map(ProductId),
            query.limit.unwrap_or(50),
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(products.iter().map(ProductBody::from).collect()))
}

/// One product.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "products", params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "The product", body = ProductBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller may see", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn get_product(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ProductBody>, ApiError> {
    let product = state
        .catalog()
        .get(&caller.user, ProductId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ProductBody::from(&product)))
}

/// Changes the top-level fields sent (each replaces the stored one); the result is checked whole.
#[utoipa::path(patch, path = "/api/v1/products/{id}", tag = "products", params(("id" = i64, Path, description = "Product id")),
    request_body(content = crate::product_schema::ProductChangesSchema, description = "Some top-level fields of a product file v1, each replacing the stored one"),
    responses(
        (status = 200, description = "The changed product", body = ProductBody),
        (status = 400, description = "Not a JSON object", body = ApiErrorBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller may see", body = ApiErrorBody),
        (status = 409, description = "The merchant has a product with this sku", body = ApiValidationBody),
        (status = 422, description = "Invalid fields, by path", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn patch_product(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Result<Json<ProductBody>, ApiError> {
    let catalog = state.catalog();
    let current = catalog
        .get(&caller.user, ProductId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    let (changes, _) = product_body(caller.t, &bytes)?;
    let Ok(serde_json::Value::Object(mut merged)) = serde_json::to_value(&current.file) else {
        return Err(caller.fail(ApiErrorKind::Internal(
            "product file does not serialize".into(),
        )));
    };
    merged.extend(changes);
    let file = to_file(caller.t, merged)?;
    let product = catalog
        .replace(&caller.user, current.id, &file, &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ProductBody::from(&product)))
}

/// Deletes a product.
#[utoipa::path(delete, path = "/api/v1/products/{id}", tag = "products", params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller may see", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn delete_product(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .catalog()
        .delete(&caller.user, ProductId(id), &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A deleted product that can still be restored.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedProductBody {
    #[serde(flatten)]
    pub product: ProductBody,
    /// When it was deleted (RFC 3339); it can be restored for 30 days after.
    pub deleted_at: String,
}

/// Whose deleted products.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DeletedQuery {
    /// Whose (staff, a delegated designer); merchants always get their own.
    pub merchant_id: Option<i64>,
}

/// The shop's products deleted in the last 30 days, newest deletion first.
#[utoipa::path(get, path = "/api/v1/products/deleted", tag = "products", params(DeletedQuery),
    responses(
        (status = 200, description = "Restorable products", body = [DeletedProductBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not the shop's", body = ApiErrorBody),
        (status = 422, description = "A merchant without a shop, or staff without merchant_id", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn deleted_products(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<DeletedQuery>,
) -> Result<Json<Vec<DeletedProductBody>>, ApiError> {
    let deleted = state
        .catalog()
        .deleted(&caller.user, query.merchant_id.map(MerchantId))
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(
        deleted
            .iter()
            .map(|(p, at)| DeletedProductBody {
                product: ProductBody::from(p),
                deleted_at: at.rfc3339_seconds(),
            })
            .collect(),
    ))
}

/// Restores a product deleted in the last 30 days.
#[utoipa::path(post, path = "/api/v1/products/{id}/restore", tag = "products", params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "Restored", body = ProductBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such deleted product the caller may restore, or deleted over 30 days ago", body = ApiErrorBody),
        (status = 409, description = "Another product took its code", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn restore_product(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ProductBody>, ApiError> {
    let product = state
        .catalog()
        .restore(&caller.user, ProductId(id), &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ProductBody::from(&product)))
}

/// The 상세페이지 as one self-contained HTML fragment (inline CSS, no script).
#[utoipa::path(get, path = "/api/v1/products/{id}/detail-page", tag = "products", params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "The HTML fragment", content_type = "text/html"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller may see", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn detail_page(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, ApiError> {
    let product = state
        .catalog()
        .get(&caller.user, ProductId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        [(CONTENT_TYPE, "text/html; charset=utf-8")],
        catalog::detail_page::render(&product.file),
    ))
}

/// One thing a marketplace would reject (or, as a warning, change), in the request's language.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListingIssueBody {
    /// The product-file path to fix (`notice.fields.foodType`), or `seller.{channel}.{setting}`
    /// for the seller's marketplace account.
    pub field: String,
    /// A stable machine-readable code (the message key).
    pub code: String,
    pub message: String,
    /// How to fix it (marketplace rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The marketplace's own field, e.g. `originProduct.salePrice`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// Set up once per seller rather than in the product.
    pub account: bool,
}

impl From<crate::readiness::Gap> for ListingIssueBody {
    fn from(g: crate::readiness::Gap) -> Self {
        Self {
            field: g.field,
            code: g.code,
            message: g.message,
            hint: g.hint,
            target: g.target,
            account: g.account,
        }
    }
}

/// Readiness for one channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletenessBody {
    /// naver, coupang, 11st or esm.
    pub channel: String,
    /// 0–100; 100 only when the marketplace would accept the product.
    pub percent: u32,
    /// What would be rejected, each naming the product field.
    pub gaps: Vec<ListingIssueBody>,
    /// What the marketplace would accept but change or cut.
    pub warnings: Vec<ListingIssueBody>,
}

impl From<crate::readiness::Readiness> for CompletenessBody {
    fn from(r: crate::readiness::Readiness) -> Self {
        let (warnings, gaps): (Vec<_>, Vec<_>) = r.gaps.into_iter().partition(|g| g.warning);
        Self {
            channel: r.channel.code().to_owned(),
            percent: r.percent,
            gaps: gaps.into_iter().map(Into::into).collect(),
            warnings: warnings.into_iter().map(Into::into).collect(),
        }
    }
}

/// What each marketplace would reject, and why: the common rules and each marketplace's own.
#[utoipa::path(get, path = "/api/v1/products/{id}/completeness", tag = "products", params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "Per channel", body = [CompletenessBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller may see", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn completeness(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<CompletenessBody>>, ApiError> {
    let product = state
        .catalog()
        .get(&caller.user, ProductId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    let readiness = readiness_of(&state, &caller, &product).await?;
    Ok(Json(readiness.into_iter().map(Into::into).collect()))
}

/// A product's listing on one marketplace, as it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListingBody {
    /// naver, coupang, 11st or esm.
    pub channel: String,
    /// Whether the marketplace would accept the product now.
    pub ready: bool,
    pub errors: Vec<ListingIssueBody>,
    pub warnings: Vec<ListingIssueBody>,
}

/// The product's listing on every marketplace: ready or not, and what to fix.
#[utoipa::path(get, path = "/api/v1/products/{id}/listings", tag = "listings", params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "Per channel", body = [ListingBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller may see", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn listings(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ListingBody>>, ApiError> {
    let product = state
        .catalog()
        .get(&caller.user, ProductId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    let readiness = readiness_of(&state, &caller, &product).await?;
    Ok(Json(
        readiness
            .into_iter()
            .map(|r| {
                let c = CompletenessBody::from(r);
                ListingBody {
                    channel: c.channel,
                    ready: c.gaps.is_empty(),
                    errors: c.gaps,
                    warnings: c.warnings,
                }
            })
            .collect(),
    ))
}

/// The result of validating a product for one marketplace.
#[derive(Debug, Serialize, ToSchema)]
pub struct ValidationResultBody {
    pub channel: String,
    pub ready: bool,
    /// The marketplace's own errors and the common ones, each naming the product field.
    pub errors: Vec<ListingIssueBody>,
    pub warnings: Vec<ListingIssueBody>,
    /// The request body the marketplace would receive (JSON text; XML for 11st), when ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// Its media type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
}

/// Compiles the product for one marketplace and checks it against that marketplace's rules.
#[utoipa::path(post, path = "/api/v1/products/{id}/listings/{channel}/validate", tag = "listings",
    params(("id" = i64, Path, description = "Product id"), ("channel" = String, Path, description = "naver, coupang, 11st or esm")),
    responses(
        (status = 200, description = "Validated (ready or not)", body = ValidationResultBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller may see", body = ApiErrorBody),
        (status = 422, description = "Unknown channel", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn validate_listing(
    State(state): State<AppState>,
    caller: ApiUser,
    Path((id, channel)): Path<(i64, String)>,
) -> Result<Json<ValidationResultBody>, ApiError> {
    let channel = parse_channel(&caller, &channel)?;
    let (readiness, payload) = state
        .listing()
        .validate(&caller.user, ProductId(id), channel)
        .await
        .map_err(|e| caller.fail(e))?;
    let c = CompletenessBody::from(crate::readiness::translated(caller.t, &readiness));
    let ready = c.gaps.is_empty();
    let payload = payload.and_then(|body| String::from_utf8(body).ok());
    Ok(Json(ValidationResultBody {
        channel: c.channel,
        ready,
        errors: c.gaps,
        warnings: c.warnings,
        content_type: payload
            .as_ref()
            .map(|_| gachi_channels::listing::content_type(channel).to_owned()),
        payload,
    }))
}

/// What a marketplace said to a submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionBody {
    pub channel: String,
    /// `created`, `rejected` or `failed`.
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marketplace_product_id: Option<String>,
    /// The marketplace's own errors, as it gave them.
    #[schema(value_type = Vec<Object>)]
    pub marketplace_errors: Vec<gachi_domain::listing::marketplaces::MarketError>,
    /// Why nothing conclusive happened (credentials refused, retries exhausted, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Every attempt: status, result, product id.
    #[schema(value_type = Vec<Object>)]
    pub attempts: Vec<gachi_domain::listing::marketplaces::Attempt>,
    /// SHA-256 of the body sent.
    pub request_digest: String,
}

/// Compiles the product with the shop's marketplace settings and sends it with its stored keys;
/// the attempt is recorded and the shop's onboarding card moves (심사중 on success, 반려 when
/// refused). A product that is not ready is not sent: 422 with what to fix.
#[utoipa::path(post, path = "/api/v1/products/{id}/listings/{channel}/submit", tag = "listings",
    params(("id" = i64, Path, description = "Product id"), ("channel" = String, Path, description = "naver, coupang, 11st or esm")),
    responses(
        (status = 200, description = "Sent; the marketplace's answer", body = SubmissionBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller may see", body = ApiErrorBody),
        (status = 422, description = "Unknown channel, or the product is not ready", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn submit_listing(
    State(state): State<AppState>,
    caller: ApiUser,
    Path((id, channel)): Path<(i64, String)>,
) -> Result<Response, ApiError> {
    let channel = parse_channel(&caller, &channel)?;
    let published = state
        .listing()
        .publish(&caller.user, &caller.actor(), ProductId(id), channel)
        .await
        .map_err(|e| caller.fail(e))?;
    let submission = match published {
        Published::Sent(submission) => submission,
        // Not an error of the use case: nothing was sent, and the answer says what to fix.
        Published::NotReady(issues) => {
            let errors: Vec<ListingIssueBody> = issues
                .iter()
                .filter(|i| !i.warning)
                .map(|i| crate::readiness::gap(caller.t, i).into())
                .collect();
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({ "errors": errors })),
            )
                .into_response());
        }
    };
    let outcome = submission.outcome.as_str();
    let (id, errors, reason) = match submission.outcome {
        Outcome::Created { product_id } => (Some(product_id), Vec::new(), None),
        Outcome::Rejected { errors } => (None, errors, None),
        Outcome::Failed { reason } => (None, Vec::new(), Some(reason)),
    };
    Ok(Json(SubmissionBody {
        channel: channel.code().to_owned(),
        outcome: outcome.to_owned(),
        marketplace_product_id: id,
        marketplace_errors: errors,
        reason,
        attempts: submission.attempts,
        request_digest: submission.request_digest,
    })
    .into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// `main` (the default: the product's main image) or `extra` (one more image).
    pub role: Option<String>,
}

/// A photo stored for a product.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedImageBody {
    /// The photo's public address, now in the product file.
    pub url: String,
    /// A 320 px thumbnail on this server.
    pub thumbnail_url: String,
    pub width: u32,
    pub height: u32,
    /// Turned upright by the photo's EXIF orientation.
    pub rotated: bool,
    /// Marketplace rules the main image breaks (the marketplace would refuse or crop it).
    pub warnings: Vec<ImageWarningBody>,
    pub product: ProductBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImageWarningBody {
    pub channel: String,
    pub code: String,
    pub message: String,
}

/// Uploads a photo (the raw JPEG, PNG or WebP bytes as the body, at most 10 MB) as the product's
/// main image or one more extra image. The type is read from the content; the photo is turned
/// upright, re-encoded without its metadata and given a thumbnail.
#[utoipa::path(post, path = "/api/v1/products/{id}/images", tag = "products",
    params(("id" = i64, Path, description = "Product id"), UploadQuery),
    request_body(content = Vec<u8>, description = "The photo", content_type = "image/jpeg"),
    responses(
        (status = 201, description = "Stored and set on the product", body = UploadedImageBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such product, or not one the caller may see", body = ApiErrorBody),
        (status = 422, description = "Not an image, too large, too many pixels or damaged (field `image`), or the role is unknown", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn upload_image(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<UploadQuery>,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<UploadedImageBody>), ApiError> {
    let invalid = |field: &str, code: &'static str| {
        caller.fail(ApiErrorKind::Validation(
            gachi_domain::FieldError::new(field, code).into(),
        ))
    };
    let as_extra = match query.role.as_deref().map(str::trim) {
        None | Some("") | Some("main") => false,
        Some("extra") => true,
        Some(_) => return Err(invalid("role", "error-image-role")),
    };
    let catalog = state.catalog();
    let current = catalog
        .get(&caller.user, ProductId(id))
        .await
        .map_err(|e| caller.fail(e))?;
    let limit = gachi_domain::catalog::media::MAX_UPLOAD_BYTES;
    let bytes = match axum::body::to_bytes(body, limit + 1).await {
        Ok(bytes) if bytes.len() <= limit => bytes.to_vec(),
        _ => return Err(invalid("image", "error-image-too-large")),
    };
    let stored = crate::photos::store_upload(&state, bytes)
        .await
        .map_err(|error| match error {
            crate::photos::PhotoError::Refused(refused) => invalid("image", refused.code()),
            crate::photos::PhotoError::Store(error) => caller.fail(error),
        })?;
    let mut file = current.file.clone();
    let images = file.images.get_or_insert_with(Default::default);
    if as_extra {
        images.extra.push(stored.url.clone());
    } else {
        images.main = stored.url.clone();
    }
    let product = catalog
        .replace(&caller.user, current.id, &file, &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    let warnings = if as_extra {
        Vec::new()
    } else {
        readiness_of(&state, &caller, &product)
            .await?
            .into_iter()
            .flat_map(|r| {
                let channel = r.channel.code();
                r.gaps
                    .into_iter()
                    .filter(|g| g.warning && g.field == "images.main")
                    .map(move |g| ImageWarningBody {
                        channel: channel.to_owned(),
                        code: g.code,
                        message: g.message,
                    })
            })
            .collect()
    };
    Ok((
        StatusCode::CREATED,
        Json(UploadedImageBody {
            url: stored.url,
            thumbnail_url: stored.thumb_url,
            width: stored.key.width,
            height: stored.key.height,
            rotated: stored.rotated,
            warnings,
            product: ProductBody::from(&product),
        }),
    ))
}
