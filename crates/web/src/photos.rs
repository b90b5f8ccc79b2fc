//! Product photos over the web: storing an upload (checked and prepared by gachi-media on a
//! blocking thread, kept in the blob store), the addresses a stored photo is reachable at, and
//! serving photos. (The marketplaces' main-image size rules are the channel adapters'.)
//!
//! Stored photos are public (marketplaces download them) and named by their content, so they
//! are served as immutable.

use axum::Form;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gachi_domain::catalog::media::{ImageError, ImageKey, MEDIA_PATH, with_send_addresses};
use gachi_domain::catalog::product::ProductFile;
use gachi_domain::ports::StoreError;

use crate::AppState;

/// A photo as stored: its path for product files (`/media/<name>`) and its thumbnail's. Product
/// files keep the path, never an address built from a request: marketplaces get the configured
/// public address in front of it at send time (`catalog::media::send_address`).
#[derive(Debug, Clone)]
pub struct StoredPhoto {
    pub url: String,
    pub thumb_url: String,
    pub key: ImageKey,
    /// The photo was turned upright by its EXIF orientation.
    pub rotated: bool,
}

#[derive(Debug)]
pub enum PhotoError {
    /// The upload is refused; the key says why (shown beside the file input).
    Refused(ImageError),
    Store(StoreError),
}

/// `file` with its stored photos addressed for showing to the person asking, in this response
/// only (the 상세페이지 preview takes absolute addresses): under the configured public URL, or
/// this request's Host. Nothing built here is stored or sent to a marketplace.
pub fn for_display(state: &AppState, headers: &HeaderMap, file: &ProductFile) -> ProductFile {
    with_send_addresses(file, &crate::context::site_url(state, headers))
}

/// Checks and prepares an upload, then keeps the photo and its thumbnail.
pub async fn store_upload(state: &AppState, bytes: Vec<u8>) -> Result<StoredPhoto, PhotoError> {
    let prepared = tokio::task::spawn_blocking(move || gachi_media::prepare(&bytes))
        .await
        .map_err(|e| PhotoError::Store(StoreError::Backend(format!("image worker: {e}"))))?
        .map_err(PhotoError::Refused)?;
    let name = prepared.key.file_name();
    let thumb = prepared.key.thumb_name();
    state
        .blobs()
        .put(&thumb, &prepared.thumb)
        .await
        .map_err(PhotoError::Store)?;
    state
        .blobs()
        .put(&name, &prepared.bytes)
        .await
        .map_err(PhotoError::Store)?;
    Ok(StoredPhoto {
        url: format!("{MEDIA_PATH}{name}"),
        thumb_url: format!("{MEDIA_PATH}{thumb}"),
        key: prepared.key,
        rotated: prepared.rotated,
    })
}

/// A form as posted, with its `photo` file when it came as multipart: the text fields in order,
/// and the photo's bytes (none chosen: `None`; unreadable or over the limit: the reason).
pub struct PostedForm {
    pub pairs: Vec<(String, String)>,
    pub photo: Option<Result<Vec<u8>, ImageError>>,
}

impl PostedForm {
    /// Reads a multipart form: every text field, and the `photo` file.
    pub async fn from_multipart(mut multipart: Multipart) -> PostedForm {
        let mut pairs = Vec::new();
        let mut photo = None;
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or_default().to_owned();
                    if name == "photo" {
                        match field.bytes().await {
                            Ok(bytes) if bytes.is_empty() => {}
                            Ok(bytes) => photo = Some(Ok(bytes.to_vec())),
                            Err(_) => photo = Some(Err(ImageError::TooLarge)),
                        }
                    } else if let Ok(text) = field.text().await {
                        pairs.push((name, text));
                    }
                }
                Ok(None) => break,
                // A body cut at the limit: the photo was too large.
                Err(_) => {
                    photo = Some(Err(ImageError::TooLarge));
                    break;
                }
            }
        }
        PostedForm { pairs, photo }
    }
}

/// A form that may come urlencoded or, with a photo, as multipart.
impl FromRequest<AppState> for PostedForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let multipart = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if multipart {
            let form = Multipart::from_request(request, state)
                .await
                .map_err(IntoResponse::into_response)?;
            Ok(PostedForm::from_multipart(form).await)
        } else {
            let Form(pairs) = Form::<Vec<(String, String)>>::from_request(request, state)
                .await
                .map_err(IntoResponse::into_response)?;
            Ok(PostedForm { pairs, photo: None })
        }
    }
}

/// What to show for an image address in a form: our thumbnail for a stored photo, the address
/// itself otherwise.
pub fn preview_src(url: &str) -> String {
    match ImageKey::from_url(url) {
        Some(key) => format!("{MEDIA_PATH}{}", key.thumb_name()),
        None => url.trim().to_owned(),
    }
}

/// `GET /media/{name}`: a stored photo or thumbnail, cacheable for a year (names never change
/// meaning).
pub async fn serve(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((key, thumb)) = ImageKey::parse(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{name}\"");
    if headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag))
    {
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response();
    }
    match state.blobs().get(&name).await {
        Ok(Some(bytes)) => (
            [
                (
                    CONTENT_TYPE,
                    ImageKey::content_type(if thumb { "jpg" } else { key.ext }).to_owned(),
                ),
                (
                    CACHE_CONTROL,
                    "public, max-age=31536000, immutable".to_owned(),
                ),
                (ETAG, etag),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "reading a stored photo");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
