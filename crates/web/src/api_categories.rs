//! `/api/v1/categories`: search the marketplace categories operators loaded, by words of the
//! path, or get suggestions for a product name.

use axum::Json;
use axum::extract::{Query, State};
use gachi_domain::kernel::channel::Channel;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::ApiUser;
use crate::error::{ApiError, ApiErrorBody, ApiErrorKind, ApiValidationBody};

#[derive(Debug, Deserialize, IntoParams)]
pub struct CategoryQuery {
    /// naver, coupang, 11st or esm.
    pub channel: String,
    /// Words of the category path (`밀키트`).
    pub q: Option<String>,
    /// A product name to suggest categories for (instead of `q`).
    pub suggest_for: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryBody {
    pub channel: String,
    pub code: String,
    /// `식품>가공식품>즉석식품>밀키트`.
    pub path: String,
    /// The marketplace's metadata for it is loaded (Coupang).
    pub has_meta: bool,
}

/// Leaf categories whose path holds `q`, or suggested for `suggest_for`; at most 20.
#[utoipa::path(get, path = "/api/v1/categories", tag = "listings", params(CategoryQuery),
    responses(
        (status = 200, description = "Categories, most specific first", body = [CategoryBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 422, description = "Unknown channel", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn search(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<CategoryQuery>,
) -> Result<Json<Vec<CategoryBody>>, ApiError> {
    let channel = Channel::parse_field(&query.channel, "channel")
        .map_err(|error| caller.fail(ApiErrorKind::Validation(error.into())))?;
    let categories = state.categories();
    let found = match &query.suggest_for {
        Some(name) => categories.suggest(channel, name, 20).await,
        None => {
            categories
                .search(
                    &caller.user,
                    channel,
                    query.q.as_deref().unwrap_or_default(),
                    20,
                )
                .await
        }
    };
    let found = found.map_err(|e| caller.fail(e))?;
    Ok(Json(
        found
            .into_iter()
            .map(|c| CategoryBody {
                channel: c.channel.code().to_owned(),
                code: c.code,
                path: c.path,
                has_meta: c.has_meta,
            })
            .collect(),
    ))
}
