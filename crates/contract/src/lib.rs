//! Local contract servers for the marketplaces, for tests and browser tests: each plays one
//! marketplace, checks the request's signature byte for byte with the published algorithm
//! (Naver's bcrypt `client_secret_sign` and issued bearer tokens, Coupang's CEA HMAC over date +
//! method + path + query, 11st's openapikey, ESM's HS256 JWT), validates the body against the
//! official schema (Naver's OpenAPI document, Coupang's parameter tree; for 11st and ESM, which
//! publish no schema file, the documented core rules of `<Product>` and of `item/v1/goods`), hosts photos as Naver's image host does (a Naver
//! create naming any other photo address is refused), keeps the products it created, answers read-backs
//! of their review status (which tests change), and answers like the
//! marketplace — including scripted 429s and 500s (one after creating the product, the case a
//! client must not duplicate). The `gachi-contract-server` binary runs one for the browser tests.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock, Mutex};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use gachi_channels::spec_check;
use serde_json::{Value, json};

pub const NAVER_CLIENT_ID: &str = "aaaabbbbcccc";
/// A bcrypt salt, as Naver issues client secrets.
pub const NAVER_SECRET: &str = "$2a$04$QKLnou1D2cSH19Pia30bcu";
pub const COUPANG_ACCESS: &str = "ak-test-1";
pub const COUPANG_SECRET: &str = "sk-test-secret";
/// ESM+ master ID, secret key and the seller IDs the test keys may name.
pub const ESM_MASTER_ID: &str = "gachi-master";
pub const ESM_SECRET: &str = "esm-test-secret-key-0123456789abcdef";
pub const ESM_GMARKET_SELLER: &str = "gachi_g";
pub const ESM_AUCTION_SELLER: &str = "gachi_a";

/// What the next product request gets instead of the normal answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scripted {
    /// Answers as the marketplace would without a script (to script a later request).
    AsUsual,
    /// Refuses the product for a reason Gachi cannot check beforehand (Naver: a word its
    /// review forbids in the name).
    Refused,
    TooManyRequests,
    ServerError,
    /// Creates the product, then answers 500 as if the gateway failed.
    CreateThenServerError,
}

#[derive(Default)]
pub struct Market {
    pub script: VecDeque<Scripted>,
    /// Created products: (seller code or name, id).
    pub products: Vec<(String, i64)>,
    pub tokens: Vec<String>,
    /// The review status of created products, by id, as the marketplace words it (Naver
    /// `statusType`, Coupang `statusName`); tests change it to play the marketplace's review.
    pub statuses: std::collections::BTreeMap<i64, String>,
    pub product_requests: u32,
    pub rejected_signatures: u32,
    /// Addresses the image host issued (Naver): the only ones a product create may name.
    pub images: Vec<String>,
}

pub type Shared = Arc<Mutex<Market>>;

/// The official schemas the servers validate bodies against (copies kept in crates/channels).
const NAVER_OPENAPI: &str = include_str!("../../channels/specs/naver-openapi-2.0.0-RC.json");
const COUPANG_TREE: &str = include_str!("../../channels/specs/coupang-create-seller-product.json");

/// Each parsed once, on first use (the Naver document is large).
static NAVER_DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(NAVER_OPENAPI).expect("the embedded spec is JSON"));
static COUPANG_DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(COUPANG_TREE).expect("the embedded spec is JSON"));

/// Serves `router` on `bind` in the background and returns its root URL.
async fn serve(router: Router, bind: SocketAddr) -> String {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .expect("bind the contract server");
    let address: SocketAddr = listener.local_addr().expect("a bound address");
    tokio::spawn(async move {
        axum::serve(listener, router)
            .await
            .expect("the contract server runs")
    });
    format!("http://{address}")
}

fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// Serves one marketplace's `routes` on `bind` over a fresh state holding `script`.
async fn start(
    script: Vec<Scripted>,
    bind: SocketAddr,
    routes: Router<Shared>,
) -> (String, Shared) {
    let market: Shared = Arc::new(Mutex::new(Market {
        script: script.into(),
        ..Market::default()
    }));
    (serve(routes.with_state(market.clone()), bind).await, market)
}

// ---------------------------------------------------------------- Naver

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
    let expected =
        gachi_channels::signing::naver_client_secret_sign(NAVER_CLIENT_ID, NAVER_SECRET, timestamp)
            .expect("contract server state");
    if field("client_id") != NAVER_CLIENT_ID
        || field("grant_type") != "client_credentials"
        || (now - timestamp).abs() > 5 * 60 * 1000
        || field("client_secret_sign").as_bytes() != expected.as_bytes()
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

/// Coupang's answer to a request whose signature it does not accept.
fn coupang_unauthorized() -> Response {
    coupang_answer(
        StatusCode::UNAUTHORIZED,
        "ERROR",
        "UNAUTHORIZATION",
        Value::Null,
    )
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

// ---------------------------------------------------------------- Coupang

const COUPANG_PATH: &str = "/v2/providers/seller_api/apis/api/v1/marketplace/seller-products";

/// Checks the CEA header against the request as received.
fn coupang_signed(headers: &HeaderMap, method: &str, query: &str) -> bool {
    coupang_signed_path(headers, method, COUPANG_PATH, query)
}

fn coupang_signed_path(headers: &HeaderMap, method: &str, path: &str, query: &str) -> bool {
    let Some(header) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(rest) = header.strip_prefix("CEA ") else {
        return false;
    };
    let part = |name: &str| {
        rest.split(',')
            .map(str::trim)
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
            .unwrap_or_default()
            .to_owned()
    };
    let expected = gachi_channels::signing::coupang_signature(
        COUPANG_SECRET,
        &part("signed-date"),
        method,
        path,
        query,
    );
    part("algorithm") == "HmacSHA256"
        && part("access-key") == COUPANG_ACCESS
        && part("signature").as_bytes() == expected.as_bytes()
}

fn coupang_answer(status: StatusCode, code: &str, message: &str, data: Value) -> Response {
    (
        status,
        Json(json!({"code": code, "message": message, "data": data})),
    )
        .into_response()
}

async fn coupang_create(State(market): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut m = market.lock().expect("contract server state");
    if !coupang_signed(&headers, "POST", "") {
        m.rejected_signatures += 1;
        return coupang_unauthorized();
    }
    m.product_requests += 1;
    let scripted = m.script.pop_front();
    match scripted {
        Some(Scripted::TooManyRequests) => {
            return coupang_answer(
                StatusCode::TOO_MANY_REQUESTS,
                "ERROR",
                "too many requests",
                Value::Null,
            );
        }
        Some(Scripted::ServerError) => {
            return coupang_answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "ERROR",
                "internal error",
                Value::Null,
            );
        }
        _ => {}
    }
    let Ok(payload) = serde_json::from_slice::<Value>(&body) else {
        return coupang_answer(
            StatusCode::BAD_REQUEST,
            "ERROR",
            "입력값에 오류가 있습니다. line: 1",
            Value::Null,
        );
    };
    let tree = &*COUPANG_DOCUMENT;
    let faults = spec_check::coupang_tree(&tree["parameters"]["bodyParameters"], &payload);
    if !faults.is_empty() {
        return coupang_answer(
            StatusCode::BAD_REQUEST,
            "ERROR",
            &faults.join("; "),
            Value::Null,
        );
    }
    let name = payload["sellerProductName"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let id = 2_000_000 + m.products.len() as i64 + 1;
    m.products.push((name, id));
    // Created with `requested: true`: Coupang reviews it first.
    m.statuses.insert(id, "심사중".to_owned());
    if scripted == Some(Scripted::CreateThenServerError) {
        return coupang_answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            "ERROR",
            "gateway error",
            Value::Null,
        );
    }
    coupang_answer(StatusCode::OK, "SUCCESS", "", json!(id))
}

async fn coupang_list(
    State(market): State<Shared>,
    headers: HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let m = market.lock().expect("contract server state");
    if !coupang_signed(&headers, "GET", query.as_deref().unwrap_or_default()) {
        return coupang_unauthorized();
    }
    let name = params
        .iter()
        .find(|(k, _)| k == "sellerProductName")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let data: Vec<Value> = m
        .products
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(n, id)| json!({"sellerProductId": id, "sellerProductName": n}))
        .collect();
    coupang_answer(StatusCode::OK, "SUCCESS", "", json!(data))
}

async fn coupang_product(
    State(market): State<Shared>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let m = market.lock().expect("contract server state");
    if !coupang_signed_path(&headers, "GET", &format!("{COUPANG_PATH}/{id}"), "") {
        return coupang_unauthorized();
    }
    match m.statuses.get(&id) {
        Some(status) => coupang_answer(
            StatusCode::OK,
            "SUCCESS",
            "",
            json!({"sellerProductId": id, "statusName": status}),
        ),
        None => coupang_answer(
            StatusCode::BAD_REQUEST,
            "ERROR",
            "상품이 존재하지 않습니다.",
            Value::Null,
        ),
    }
}

/// A Coupang Open API stand-in on a free local port, with `script` answered first.
pub async fn coupang_server(script: Vec<Scripted>) -> (String, Shared) {
    coupang_server_on(script, loopback()).await
}

pub async fn coupang_server_on(script: Vec<Scripted>, bind: SocketAddr) -> (String, Shared) {
    let routes = Router::new()
        .route(COUPANG_PATH, post(coupang_create).get(coupang_list))
        .route(
            &format!("{COUPANG_PATH}/{{id}}"),
            axum::routing::get(coupang_product),
        );
    start(script, bind, routes).await
}

// ---------------------------------------------------------------- 11st

pub const ELEVENST_KEY: &str = "11st-test-openapikey";

/// The `<Product>` as read: each element's path (`Product/selPrc`,
/// `Product/ProductNotification/item/code`) with its text, in document order. A small reader for
/// the XML 11st takes: elements, text, CDATA and the five predefined entities (attributes are
/// skipped; 11st's product elements carry none).
fn xml_elements(xml: &str) -> Result<Vec<(String, String)>, String> {
    let mut path: Vec<String> = Vec::new();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = xml.trim_start_matches('\u{feff}');
    let append = |out: &mut Vec<(String, String)>, text: &str| {
        if let Some(last) = out.last_mut() {
            last.1.push_str(text);
        }
    };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").ok_or("unclosed CDATA")?;
            append(&mut out, &after[..end]);
            rest = &after[end + 3..];
        } else if rest.starts_with("<?") || rest.starts_with("<!--") {
            let close = if rest.starts_with("<?") { "?>" } else { "-->" };
            let end = rest.find(close).ok_or("unclosed declaration")?;
            rest = &rest[end + close.len()..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').ok_or("unclosed end tag")?;
            let name = after[..end].trim();
            if path.pop().as_deref() != Some(name) {
                return Err(format!("</{name}> does not close the open element"));
            }
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').ok_or("unclosed tag")?;
            let tag = &after[..end];
            let empty = tag.ends_with('/');
            let name = tag
                .trim_end_matches('/')
                .split_whitespace()
                .next()
                .ok_or("empty tag")?
                .to_owned();
            path.push(name);
            out.push((path.join("/"), String::new()));
            if empty {
                path.pop();
            }
            rest = &after[end + 1..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let mut text = rest[..end].to_owned();
            for (entity, c) in [
                ("&lt;", "<"),
                ("&gt;", ">"),
                ("&quot;", "\""),
                ("&apos;", "'"),
                ("&amp;", "&"),
            ] {
                text = text.replace(entity, c);
            }
            if !path.is_empty() {
                append(&mut out, &text);
            } else if !text.trim().is_empty() {
                return Err("text outside the document element".into());
            }
            rest = &rest[end..];
        }
    }
    if !path.is_empty() {
        return Err(format!("<{}> is never closed", path.join("/")));
    }
    if out.first().map(|(p, _)| p.as_str()) != Some("Product") {
        return Err("the body is not a <Product>".into());
    }
    Ok(out)
}

/// 11st's documented rules for the core of `<Product>` (MARKETPLACES.md §3): required elements,
/// their code lists, the price step and limits. Each fault in 11st's words.
fn elevenst_faults(elements: &[(String, String)]) -> Vec<String> {
    let get = |name: &str| {
        elements
            .iter()
            .find(|(p, _)| p == &format!("Product/{name}"))
            .map(|(_, v)| v.trim())
    };
    let has = |name: &str| {
        elements
            .iter()
            .any(|(p, _)| p.starts_with(&format!("Product/{name}")))
    };
    let mut faults = Vec::new();
    let mut one_of = |name: &str, codes: &[&str]| match get(name) {
        None | Some("") => faults.push(format!("{name} 필수 항목이 없습니다.")),
        Some(v) if !codes.contains(&v) => {
            faults.push(format!("{name} 값이 올바르지 않습니다: {v}"))
        }
        _ => {}
    };
    one_of("selMthdCd", &["01", "04", "05"]);
    one_of("prdTypCd", &["01", "10"]);
    one_of("rmaterialTypCd", &["01", "02", "03", "04", "05"]);
    one_of("orgnTypCd", &["01", "02", "03"]);
    one_of("suplDtyfrPrdClfCd", &["01", "02", "03"]);
    one_of("forAbrdBuyClf", &["01", "02"]);
    one_of(
        "prdStatCd",
        &["01", "02", "03", "04", "05", "07", "08", "09", "10"],
    );
    one_of("minorSelCnYn", &["Y", "N"]);
    one_of("dlvCnAreaCd", &["01", "02"]);
    one_of("dlvWyCd", &["01", "03", "04", "05"]);
    one_of(
        "dlvCstInstBasiCd",
        &["01", "02", "03", "04", "05", "07", "08", "09", "10"],
    );
    let digits = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    if !get("dispCtgrNo").is_some_and(digits) {
        faults.push("dispCtgrNo 카테고리 번호가 없습니다.".into());
    }
    match get("prdNm") {
        Some(name) if !name.is_empty() && name.chars().count() <= 100 => {}
        _ => faults.push("prdNm 상품명은 1~100자입니다.".into()),
    }
    if get("brand").is_none_or(str::is_empty) && get("apiPrdAttrBrandCd").is_none_or(str::is_empty)
    {
        faults.push("brand 브랜드가 없습니다.".into());
    }
    match get("selPrc").and_then(|v| v.parse::<i64>().ok()) {
        Some(price) if price > 0 && price % 10 == 0 && price < 1_000_000_000 => {}
        _ => faults.push("selPrc 판매가는 10원 단위, 10억 원 미만입니다.".into()),
    }
    match get("prdSelQty").and_then(|v| v.parse::<i64>().ok()) {
        Some(stock) if stock > 0 => {}
        _ => faults.push("prdSelQty 재고수량은 0일 수 없습니다.".into()),
    }
    if !get("prdImage01").is_some_and(|u| u.starts_with("http://") || u.starts_with("https://")) {
        faults.push("prdImage01 대표이미지가 없습니다.".into());
    }
    if get("htmlDetail").is_none_or(str::is_empty) {
        faults.push("htmlDetail 상세설명이 없습니다.".into());
    }
    for name in ["asDetail", "rtngExchDetail"] {
        match get(name) {
            Some(v) if !v.is_empty() && gachi_channels::listing::euc_kr_len(v) <= 4000 => {}
            _ => faults.push(format!("{name} 필수 항목이며 4,000바이트까지입니다.")),
        }
    }
    if get("dlvWyCd") == Some("01") && get("dlvEtprsCd").is_none_or(str::is_empty) {
        faults.push("dlvEtprsCd 택배사가 없습니다.".into());
    }
    if !has("ProductCertGroup") {
        faults.push("ProductCertGroup 인증 정보가 없습니다.".into());
    }
    let notice_type = get("ProductNotification/type");
    let notice_items = elements
        .iter()
        .filter(|(p, _)| p == "Product/ProductNotification/item")
        .count();
    if notice_type.is_none_or(str::is_empty) || notice_items == 0 {
        faults.push("ProductNotification 상품정보제공고시가 없습니다.".into());
    }
    for (path, value) in elements {
        if path.ends_with("/colOptPrice") && value.trim().parse::<i64>().is_ok_and(|p| p % 10 != 0)
        {
            faults.push(format!("{path} 옵션가는 10원 단위입니다."));
        }
    }
    faults
}

fn elevenst_answer(
    status: StatusCode,
    code: &str,
    message: &str,
    product: Option<i64>,
) -> Response {
    let product = product
        .map(|id| format!("<productNo>{id}</productNo>"))
        .unwrap_or_default();
    (
        status,
        [("content-type", "text/xml; charset=utf-8")],
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ClientMessage><message>{message}</message>{product}<resultCode>{code}</resultCode></ClientMessage>"
        ),
    )
        .into_response()
}

async fn elevenst_create(
    State(market): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut m = market.lock().expect("contract server state");
    let key = headers.get("openapikey").and_then(|v| v.to_str().ok());
    if key != Some(ELEVENST_KEY) {
        m.rejected_signatures += 1;
        let code = if key.is_none() { "100" } else { "200" };
        return (
            StatusCode::OK,
            [("content-type", "text/xml; charset=utf-8")],
            format!("<AuthMessage><message>인증 실패</message><resultCode>{code}</resultCode></AuthMessage>"),
        )
            .into_response();
    }
    m.product_requests += 1;
    match m.script.pop_front() {
        Some(Scripted::TooManyRequests) => {
            return elevenst_answer(
                StatusCode::TOO_MANY_REQUESTS,
                "429",
                "요청이 많습니다.",
                None,
            );
        }
        Some(Scripted::ServerError) => {
            return elevenst_answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "500",
                "시스템 오류",
                None,
            );
        }
        _ => {}
    }
    let elements = match std::str::from_utf8(&body)
        .map_err(|_| "the body is not UTF-8".to_owned())
        .and_then(xml_elements)
    {
        Ok(elements) => elements,
        Err(fault) => return elevenst_answer(StatusCode::OK, "500", &fault, None),
    };
    let faults = elevenst_faults(&elements);
    if !faults.is_empty() {
        return elevenst_answer(StatusCode::OK, "500", &faults.join(" / "), None);
    }
    let id = 3_000_000 + m.products.len() as i64 + 1;
    let code = elements
        .into_iter()
        .find(|(p, _)| p == "Product/sellerPrdCd")
        .map(|(_, v)| v)
        .unwrap_or_default();
    m.products.push((code, id));
    elevenst_answer(StatusCode::OK, "200", "성공", Some(id))
}

/// An 11st Open API stand-in on a free local port, with `script` answered first.
pub async fn elevenst_server(script: Vec<Scripted>) -> (String, Shared) {
    elevenst_server_on(script, loopback()).await
}

pub async fn elevenst_server_on(script: Vec<Scripted>, bind: SocketAddr) -> (String, Shared) {
    let routes = Router::new().route("/prodservices/product", post(elevenst_create));
    start(script, bind, routes).await
}

// ---------------------------------------------------------------- ESM 2.0 (Gmarket/Auction)

/// Checks ESM's per-request JWT independently of Gachi's signer: HS256 over `header.payload`
/// with the secret key, `kid` = the master ID, `sub` = `sell`, `aud` = `sa.esmplus.com`, `ssi`
/// naming known seller IDs (`A:…`, `G:…`), `iat` (when sent) within five minutes.
fn esm_token_ok(headers: &HeaderMap) -> bool {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use hmac::{Hmac, Mac};

    let Some(token) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return false;
    };
    let decode = |part: &str| -> Option<Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
    };
    let (Some(header_json), Some(claims), Ok(signature)) = (
        decode(header),
        decode(payload),
        URL_SAFE_NO_PAD.decode(signature),
    ) else {
        return false;
    };
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(ESM_SECRET.as_bytes()).expect("any key length");
    mac.update(format!("{header}.{payload}").as_bytes());
    if mac.verify_slice(&signature).is_err() {
        return false;
    }
    let now = gachi_domain::kernel::time::Timestamp::now().unix_ms() / 1000;
    let sellers_known = claims["ssi"].as_str().is_some_and(|ssi| {
        !ssi.is_empty()
            && ssi.split(',').all(|s| {
                s == format!("A:{ESM_AUCTION_SELLER}") || s == format!("G:{ESM_GMARKET_SELLER}")
            })
    });
    header_json["alg"] == "HS256"
        && header_json["kid"] == ESM_MASTER_ID
        && claims["sub"] == "sell"
        && claims["aud"] == "sa.esmplus.com"
        && claims["iss"].as_str().is_some_and(|i| !i.is_empty())
        && sellers_known
        && claims["iat"]
            .as_i64()
            .is_none_or(|iat| (now - iat).abs() <= 300)
}

/// What `item/v1/goods` requires by ESM's public guide and the documented skeleton (the full
/// field table is not public): a Korean name, an ESM category, prices and stock per site, the
/// seller's shipping place, dispatch policies and return address, a notice group with details,
/// the adult flag, a main image (≤ 14 extra) and an HTML description.
fn esm_faults(body: &Value) -> Vec<String> {
    let mut faults = Vec::new();
    let mut need = |ok: bool, path: &str, what: &str| {
        if !ok {
            faults.push(format!("{path}: {what}"));
        }
    };
    let text = |v: &Value| v.as_str().is_some_and(|s| !s.trim().is_empty());
    let basic = &body["itemBasicInfo"];
    let info = &body["itemAddtionalInfo"];
    need(
        text(&basic["goodsName"]["kor"]),
        "itemBasicInfo.goodsName.kor",
        "상품명은 필수입니다",
    );
    need(
        text(&basic["category"]["esm"]["catCode"]),
        "itemBasicInfo.category.esm.catCode",
        "ESM 카테고리는 필수입니다",
    );
    for site in ["Gmkt", "Iac"] {
        need(
            info["price"][site]
                .as_i64()
                .is_some_and(|p| p > 0 && p % 10 == 0),
            &format!("itemAddtionalInfo.price.{site}"),
            "판매가는 10원 단위의 양수여야 합니다",
        );
        need(
            info["stock"][site].as_i64().is_some_and(|s| s >= 0),
            &format!("itemAddtionalInfo.stock.{site}"),
            "재고 수량이 필요합니다",
        );
    }
    let shipping = &info["shipping"];
    need(
        text(&shipping["policy"]["placeNo"]),
        "itemAddtionalInfo.shipping.policy.placeNo",
        "출하지는 필수입니다",
    );
    for site in ["gmkt", "iac"] {
        need(
            text(&shipping["dispatchPolicyNo"][site]),
            &format!("itemAddtionalInfo.shipping.dispatchPolicyNo.{site}"),
            "발송정책은 필수입니다",
        );
    }
    need(
        text(&shipping["returnAndExchange"]["addrNo"]),
        "itemAddtionalInfo.shipping.returnAndExchange.addrNo",
        "반품/교환 주소는 필수입니다",
    );
    let notice = &info["officialNotice"];
    need(
        text(&notice["officialNoticeNo"])
            && notice["details"].as_array().is_some_and(|d| {
                !d.is_empty()
                    && d.iter().all(|item| {
                        text(&item["officialNoticeItemelementCode"]) && item["value"].is_string()
                    })
            }),
        "itemAddtionalInfo.officialNotice",
        "상품정보제공고시 그룹과 항목은 필수입니다",
    );
    need(
        info["isAdultProduct"].is_boolean(),
        "itemAddtionalInfo.isAdultProduct",
        "성인상품 여부는 필수입니다",
    );
    let images = &info["images"];
    let web = |v: &Value| {
        v.as_str()
            .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"))
    };
    need(
        web(&images["basicImgURL"]),
        "itemAddtionalInfo.images.basicImgURL",
        "대표 이미지는 필수입니다",
    );
    if let Some(map) = images.as_object() {
        for (key, value) in map {
            if key == "basicImgURL" {
                continue;
            }
            let number = key
                .strip_prefix("addtionalImg")
                .and_then(|k| k.strip_suffix("URL"))
                .and_then(|n| n.parse::<u32>().ok());
            need(
                number.is_some_and(|n| (1..=14).contains(&n)) && web(value),
                &format!("itemAddtionalInfo.images.{key}"),
                "추가 이미지는 addtionalImg1URL~addtionalImg14URL의 웹 주소입니다",
            );
        }
    }
    need(
        text(&info["descriptions"]["kor"]["html"]),
        "itemAddtionalInfo.descriptions.kor.html",
        "상세설명은 필수입니다",
    );
    faults
}

fn esm_answer(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"resultCode": code, "message": message})),
    )
        .into_response()
}

async fn esm_create(State(market): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut m = market.lock().expect("contract server state");
    if !esm_token_ok(&headers) {
        m.rejected_signatures += 1;
        return esm_answer(StatusCode::UNAUTHORIZED, "401", "인증에 실패했습니다.");
    }
    m.product_requests += 1;
    match m.script.pop_front() {
        Some(Scripted::TooManyRequests) => {
            return esm_answer(StatusCode::TOO_MANY_REQUESTS, "429", "요청이 많습니다.");
        }
        Some(Scripted::ServerError) => {
            return esm_answer(StatusCode::INTERNAL_SERVER_ERROR, "500", "시스템 오류");
        }
        _ => {}
    }
    let Ok(payload) = serde_json::from_slice::<Value>(&body) else {
        return esm_answer(StatusCode::BAD_REQUEST, "400", "JSON 형식이 아닙니다.");
    };
    let faults = esm_faults(&payload);
    if !faults.is_empty() {
        return esm_answer(StatusCode::BAD_REQUEST, "400", &faults.join(" / "));
    }
    let id = 4_000_000 + m.products.len() as i64 + 1;
    let name = payload["itemBasicInfo"]["goodsName"]["kor"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    m.products.push((name, id));
    (
        StatusCode::OK,
        Json(json!({"resultCode": "0", "message": "성공", "goodsNo": id})),
    )
        .into_response()
}

/// An ESM 2.0 (`sa2.esmplus.com`) stand-in on a free local port, with `script` answered first.
/// ESM publishes neither a schema file nor its error body: the checks are the documented
/// skeleton's, and errors come back as `{resultCode, message}`.
pub async fn esm_server(script: Vec<Scripted>) -> (String, Shared) {
    esm_server_on(script, loopback()).await
}

pub async fn esm_server_on(script: Vec<Scripted>, bind: SocketAddr) -> (String, Shared) {
    let routes = Router::new().route("/item/v1/goods", post(esm_create));
    start(script, bind, routes).await
}
