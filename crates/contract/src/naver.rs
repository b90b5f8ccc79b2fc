//! Naver Commerce API (Smart Store): the token endpoint (bcrypt `client_secret_sign`, checked
//! in `signatures`), product create validated against Naver's OpenAPI document, the image host
//! (a create may name only photos it issued), search by seller code and the review status
//! read-back.

use std::net::SocketAddr;
use std::sync::LazyLock;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use gachi_channels::spec_check;
use serde_json::{Value, json};

use crate::{Market, NAVER_CLIENT_ID, NAVER_SECRET, Scripted, Shared, loopback, signatures, start};

/// The official schema the server validates bodies against (a copy kept in crates/channels).
const NAVER_OPENAPI: &str = include_str!("../../channels/specs/naver-openapi-2.0.0-RC.json");
/// Parsed once, on first use (the document is large).
static NAVER_DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(NAVER_OPENAPI).expect("the embedded spec is JSON"));

fn naver_error(status: StatusCode, code: &str, message: &str, invalid: Vec<Value>) -> Response {
    (
        status,
        Json(json!({"code": code, "message": message, "timestamp": "2026-11-24T10:00:00.000+09:00", "invalidInputs": invalid})),
    )
        .into_response()
}

async fn naver_token(State(market): State<Shared>, body: Bytes) -> Response {
    let form: Vec<(String, String)> = url_decode_form(&String::from_utf8_lossy(&body));
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let timestamp: i64 = field("timestamp").parse().unwrap_or(0);
    let now = gachi_domain::kernel::time::Timestamp::now().unix_ms();
    if field("client_id") != NAVER_CLIENT_ID
        || field("grant_type") != "client_credentials"
        || (now - timestamp).abs() > 5 * 60 * 1000
        || !signatures::naver_sign_ok(
            NAVER_CLIENT_ID,
            NAVER_SECRET,
            timestamp,
            &field("client_secret_sign"),
        )
    {
        market
            .lock()
            .expect("contract server state")
            .rejected_signatures += 1;
        return naver_unauthorized();
    }
    let mut market = market.lock().expect("contract server state");
    let token = format!("naver-token-{}", market.tokens.len() + 1);
    market.tokens.push(token.clone());
    Json(json!({"access_token": token, "expires_in": 10800, "token_type": "Bearer"}))
        .into_response()
}

/// Naver's answer to a request without a valid signature or token.
fn naver_unauthorized() -> Response {
    naver_error(
        StatusCode::UNAUTHORIZED,
        "GW.AUTHN",
        "인증에 실패했습니다.",
        vec![],
    )
}

fn bearer_ok(market: &Market, headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| market.tokens.iter().any(|known| known == t))
}

async fn naver_create(State(market): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut m = market.lock().expect("contract server state");
    if !bearer_ok(&m, &headers) {
        return naver_unauthorized();
    }
    m.product_requests += 1;
    let scripted = m.script.pop_front();
    match scripted {
        Some(Scripted::TooManyRequests) => {
            return naver_error(
                StatusCode::TOO_MANY_REQUESTS,
                "GW.RATE_LIMIT",
                "요청이 많습니다.",
                vec![],
            );
        }
        Some(Scripted::ServerError) => {
            return naver_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "GW.PROXY.01",
                "오류",
                vec![],
            );
        }
        Some(Scripted::Refused) => {
            return naver_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "요청 값이 올바르지 않습니다.",
                vec![
                    json!({"name": "originProduct.name", "type": "ProhibitedWord", "message": "등록할 수 없는 단어가 포함되어 있습니다."}),
                ],
            );
        }
        _ => {}
    }
    let Ok(payload) = serde_json::from_slice::<Value>(&body) else {
        return naver_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "JSON 형식이 아닙니다.",
            vec![],
        );
    };
    let document = &*NAVER_DOCUMENT;
    let schema = spec_check::request_schema_name(document, "/v2/products", "post")
        .expect("contract server state");
    let faults = spec_check::openapi(document, schema, &payload);
    if !faults.is_empty() {
        let invalid = faults
            .iter()
            .map(|f| {
                let (name, message) = f.split_once(": ").unwrap_or((f, ""));
                json!({"name": name.trim_start_matches('/').replace('/', "."), "type": "NotValid", "message": message})
            })
            .collect();
        return naver_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "입력값을 확인해 주세요.",
            invalid,
        );
    }
    // Smart Store takes only photos its image host issued.
    let images = &payload["originProduct"]["images"];
    let named = std::iter::once((
        "originProduct.images.representativeImage.url".to_owned(),
        &images["representativeImage"]["url"],
    ))
    .chain(
        images["optionalImages"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, image)| {
                (
                    format!("originProduct.images.optionalImages[{i}].url"),
                    &image["url"],
                )
            }),
    );
    let foreign: Vec<Value> = named
        .filter(|(_, url)| !url.as_str().is_some_and(|url| m.images.iter().any(|issued| issued == url)))
        .map(|(name, _)| json!({"name": name, "type": "NotValid", "message": "상품 이미지는 이미지 업로드 API(/v1/product-images/upload)로 받은 URL만 사용할 수 있습니다."}))
        .collect();
    if !foreign.is_empty() {
        return naver_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "입력값을 확인해 주세요.",
            foreign,
        );
    }
    let code =
        payload["originProduct"]["detailAttribute"]["sellerCodeInfo"]["sellerManagementCode"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
    let id = 1_000_000 + m.products.len() as i64 + 1;
    m.products.push((code, id));
    // Smart Store puts a new product on sale at once (statusType SALE on create).
    m.statuses.insert(id, "SALE".to_owned());
    if scripted == Some(Scripted::CreateThenServerError) {
        return naver_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "GW.PROXY.02",
            "오류",
            vec![],
        );
    }
    Json(json!({"originProductNo": id, "smartstoreChannelProductNo": id + 5_000_000}))
        .into_response()
}

/// `POST /v1/product-images/upload`: multipart `imageFiles`, 1–10 files of JPG, GIF, PNG or
/// BMP; answers the hosted address of each, in order.
async fn naver_upload(
    State(market): State<Shared>,
    headers: HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> Response {
    if !bearer_ok(&market.lock().expect("contract server state"), &headers) {
        return naver_unauthorized();
    }
    let refuse = |message: &str| {
        naver_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            message,
            vec![json!({"name": "imageFiles", "type": "NotValid", "message": message})],
        )
    };
    let mut extensions = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return refuse("multipart 형식이 아닙니다."),
        };
        if field.name() != Some("imageFiles") {
            return refuse("imageFiles 외의 항목은 받지 않습니다.");
        }
        let Ok(bytes) = field.bytes().await else {
            return refuse("파일을 읽지 못했습니다.");
        };
        match gachi_channels::hosting::naver_photo_type(&bytes) {
            Some(kind) => extensions.push(kind.extension),
            None => return refuse("이미지 형식은 JPG, GIF, PNG, BMP만 가능합니다."),
        }
    }
    if extensions.is_empty() || extensions.len() > 10 {
        return refuse("이미지는 한 번에 1~10개까지 올릴 수 있습니다.");
    }
    let mut m = market.lock().expect("contract server state");
    let mut images = Vec::new();
    for extension in extensions {
        let url = format!(
            "https://shop-phinf.pstatic.net/contract/{}.{extension}",
            m.images.len() + 1
        );
        m.images.push(url.clone());
        images.push(json!({ "url": url }));
    }
    Json(json!({ "images": images })).into_response()
}

async fn naver_search(
    State(market): State<Shared>,
    headers: HeaderMap,
    Json(query): Json<Value>,
) -> Response {
    let m = market.lock().expect("contract server state");
    if !bearer_ok(&m, &headers) {
        return naver_unauthorized();
    }
    let code = query["sellerManagementCode"].as_str().unwrap_or_default();
    let contents: Vec<Value> = m
        .products
        .iter()
        .filter(|(c, _)| c == code)
        .map(|(_, id)| json!({"originProductNo": id}))
        .collect();
    Json(json!({"totalElements": contents.len(), "contents": contents})).into_response()
}

async fn naver_origin_product(
    State(market): State<Shared>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let m = market.lock().expect("contract server state");
    if !bearer_ok(&m, &headers) {
        return naver_unauthorized();
    }
    match m.statuses.get(&id) {
        Some(status) => Json(json!({"originProduct": {"statusType": status}})).into_response(),
        None => naver_error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "상품이 존재하지 않습니다.",
            vec![],
        ),
    }
}

/// A Naver Commerce API stand-in on a free local port, with `script` answered first.
pub async fn naver_server(script: Vec<Scripted>) -> (String, Shared) {
    naver_server_on(script, loopback()).await
}

pub async fn naver_server_on(script: Vec<Scripted>, bind: SocketAddr) -> (String, Shared) {
    let routes = Router::new()
        .route("/v1/oauth2/token", post(naver_token))
        .route("/v2/products", post(naver_create))
        .route(
            "/v1/product-images/upload",
            post(naver_upload).layer(axum::extract::DefaultBodyLimit::max(100 * 1024 * 1024)),
        )
        .route("/v1/products/search", post(naver_search))
        .route(
            "/v2/products/origin-products/{id}",
            axum::routing::get(naver_origin_product),
        );
    start(script, bind, routes).await
}

/// `application/x-www-form-urlencoded` pairs, percent- and plus-decoded.
fn url_decode_form(body: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let bytes = s.replace('+', " ").into_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                if let Ok(b) = u8::from_str_radix(hex, 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}
