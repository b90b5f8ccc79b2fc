//! Local contract servers for the marketplaces, and the publish flow tested against them.
//!
//! The marketplaces cannot be reached from here, so each server plays one: it checks the
//! request's signature byte for byte with the published algorithm (Naver's bcrypt
//! `client_secret_sign` and bearer token, Coupang's CEA HMAC over date + method + path + query),
//! validates the body against the official schema (Naver's OpenAPI document, Coupang's parameter
//! tree), keeps the products it created, and answers like the marketplace — including scripted
//! 429s and 500s (one of them after creating the product, the case that must not duplicate).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use gachi_channels::listing::{Context, CoupangCategoryMeta, SellerSettings};
use gachi_channels::submit::{Credentials, Outcome, ProductKey, SubmitConfig, Submitter};
use gachi_channels::{Channel, spec_check};
use gachi_domain::product::ProductFile;
use serde_json::{Value, json};

const NAVER_CLIENT_ID: &str = "aaaabbbbcccc";
/// A bcrypt salt, as Naver issues client secrets.
const NAVER_SECRET: &str = "$2a$04$QKLnou1D2cSH19Pia30bcu";
const COUPANG_ACCESS: &str = "ak-test-1";
const COUPANG_SECRET: &str = "sk-test-secret";

/// What the next product request gets instead of the normal answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scripted {
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
    pub product_requests: u32,
    pub rejected_signatures: u32,
}

type Shared = Arc<Mutex<Market>>;

fn channels_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../channels")
}

fn spec(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(channels_dir().join("specs").join(name)).unwrap())
        .unwrap()
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
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
    let now = gachi_domain::time::Timestamp::now().unix_ms();
    let expected =
        gachi_channels::signing::naver_client_secret_sign(NAVER_CLIENT_ID, NAVER_SECRET, timestamp)
            .unwrap();
    if field("client_id") != NAVER_CLIENT_ID
        || field("grant_type") != "client_credentials"
        || (now - timestamp).abs() > 5 * 60 * 1000
        || field("client_secret_sign").as_bytes() != expected.as_bytes()
    {
        market.lock().unwrap().rejected_signatures += 1;
        return naver_error(
            StatusCode::UNAUTHORIZED,
            "GW.AUTHN",
            "인증에 실패했습니다.",
            vec![],
        );
    }
    let mut market = market.lock().unwrap();
    let token = format!("naver-token-{}", market.tokens.len() + 1);
    market.tokens.push(token.clone());
    Json(json!({"access_token": token, "expires_in": 10800, "token_type": "Bearer"}))
        .into_response()
}

fn bearer_ok(market: &Market, headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| market.tokens.iter().any(|known| known == t))
}

async fn naver_create(State(market): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut m = market.lock().unwrap();
    if !bearer_ok(&m, &headers) {
        return naver_error(
            StatusCode::UNAUTHORIZED,
            "GW.AUTHN",
            "인증에 실패했습니다.",
            vec![],
        );
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
    let document = spec("naver-openapi-2.0.0-RC.json");
    let schema = spec_check::request_schema_name(&document, "/v2/products", "post").unwrap();
    let faults = spec_check::openapi(&document, schema, &payload);
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
    let code =
        payload["originProduct"]["detailAttribute"]["sellerCodeInfo"]["sellerManagementCode"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
    let id = 1_000_000 + m.products.len() as i64 + 1;
    m.products.push((code, id));
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

async fn naver_search(
    State(market): State<Shared>,
    headers: HeaderMap,
    Json(query): Json<Value>,
) -> Response {
    let m = market.lock().unwrap();
    if !bearer_ok(&m, &headers) {
        return naver_error(
            StatusCode::UNAUTHORIZED,
            "GW.AUTHN",
            "인증에 실패했습니다.",
            vec![],
        );
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

pub async fn naver_server(script: Vec<Scripted>) -> (String, Shared) {
    let market: Shared = Arc::new(Mutex::new(Market {
        script: script.into(),
        ..Market::default()
    }));
    let router = Router::new()
        .route("/v1/oauth2/token", post(naver_token))
        .route("/v2/products", post(naver_create))
        .route("/v1/products/search", post(naver_search))
        .with_state(market.clone());
    (serve(router).await, market)
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
        COUPANG_PATH,
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
    let mut m = market.lock().unwrap();
    if !coupang_signed(&headers, "POST", "") {
        m.rejected_signatures += 1;
        return coupang_answer(
            StatusCode::UNAUTHORIZED,
            "ERROR",
            "UNAUTHORIZATION",
            Value::Null,
        );
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
    let tree = spec("coupang-create-seller-product.json");
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
    let m = market.lock().unwrap();
    if !coupang_signed(&headers, "GET", query.as_deref().unwrap_or_default()) {
        return coupang_answer(
            StatusCode::UNAUTHORIZED,
            "ERROR",
            "UNAUTHORIZATION",
            Value::Null,
        );
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

pub async fn coupang_server(script: Vec<Scripted>) -> (String, Shared) {
    let market: Shared = Arc::new(Mutex::new(Market {
        script: script.into(),
        ..Market::default()
    }));
    let router = Router::new()
        .route(COUPANG_PATH, post(coupang_create).get(coupang_list))
        .with_state(market.clone());
    (serve(router).await, market)
}

// ---------------------------------------------------------------- the publish flow

fn fixture(name: &str) -> ProductFile {
    serde_json::from_str(
        &std::fs::read_to_string(channels_dir().join("fixtures").join(name)).unwrap(),
    )
    .unwrap()
}

pub fn credentials() -> Credentials {
    serde_json::from_value(json!({
        "naver": {"client_id": NAVER_CLIENT_ID, "client_secret": NAVER_SECRET},
        "coupang": {"access_key": COUPANG_ACCESS, "secret_key": COUPANG_SECRET, "vendor_id": "A00012345"}
    }))
    .unwrap()
}

fn context() -> Context {
    let mut context = Context::now();
    context.seller = serde_json::from_str::<SellerSettings>(
        &std::fs::read_to_string(channels_dir().join("fixtures/seller.json")).unwrap(),
    )
    .unwrap();
    let meta: CoupangCategoryMeta = serde_json::from_str(
        &std::fs::read_to_string(channels_dir().join("fixtures/coupang-meta-78877.json")).unwrap(),
    )
    .unwrap();
    context.coupang_meta.insert("78877".into(), meta);
    context
}

fn fast(base_url: &str) -> SubmitConfig {
    SubmitConfig {
        base_url: base_url.to_owned(),
        max_attempts: 4,
        backoff: std::time::Duration::from_millis(5),
        timeout: std::time::Duration::from_secs(10),
        rate_per_second: 20,
    }
}

async fn publish(
    channel: Channel,
    file: &ProductFile,
    base_url: &str,
    keys: &Credentials,
) -> gachi_channels::submit::Submission {
    let mut body = Vec::new();
    gachi_channels::compile(channel, file, &context(), &mut body).expect("the fixture compiles");
    let key = ProductKey {
        seller_code: file.sku.clone(),
        name: file.name.clone(),
    };
    Submitter::new(channel, fast(base_url))
        .submit(&body, &key, keys)
        .await
}

#[tokio::test]
async fn naver_publishes_signed_and_schema_valid_retries_throttling_and_never_duplicates() {
    let file = fixture("bibimbap.json");
    let keys = credentials();

    let (url, market) = naver_server(vec![]).await;
    let sent = publish(Channel::Naver, &file, &url, &keys).await;
    assert_eq!(
        sent.outcome,
        Outcome::Created {
            product_id: "1000001".into()
        },
        "{sent:#?}"
    );
    assert_eq!(sent.attempts.len(), 1);
    assert_eq!(sent.request_digest.len(), 64);
    assert_eq!(market.lock().unwrap().rejected_signatures, 0);

    // 429 twice: waited and sent again.
    let (url, market) =
        naver_server(vec![Scripted::TooManyRequests, Scripted::TooManyRequests]).await;
    let sent = publish(Channel::Naver, &file, &url, &keys).await;
    assert!(matches!(sent.outcome, Outcome::Created { .. }), "{sent:#?}");
    let results: Vec<&str> = sent.attempts.iter().map(|a| a.result).collect();
    assert_eq!(results, ["throttled", "throttled", "created"]);

    // Created, but the answer was a 500: the retry finds it instead of creating a second one.
    let (url, market_after) = naver_server(vec![Scripted::CreateThenServerError]).await;
    let sent = publish(Channel::Naver, &file, &url, &keys).await;
    assert_eq!(
        sent.outcome,
        Outcome::Created {
            product_id: "1000001".into()
        },
        "{sent:#?}"
    );
    let results: Vec<&str> = sent.attempts.iter().map(|a| a.result).collect();
    assert_eq!(results, ["server-error", "found-existing"]);
    assert_eq!(
        market_after.lock().unwrap().products.len(),
        1,
        "no duplicate"
    );

    // A 500 before anything was created: looked up, not found, sent again.
    let (url, market_retry) = naver_server(vec![Scripted::ServerError]).await;
    let sent = publish(Channel::Naver, &file, &url, &keys).await;
    let results: Vec<&str> = sent.attempts.iter().map(|a| a.result).collect();
    assert_eq!(results, ["server-error", "not-found", "created"]);
    assert_eq!(market_retry.lock().unwrap().products.len(), 1);

    // Wrong secret: the server's byte-for-byte check refuses it, and nothing is retried.
    let mut wrong = keys.clone();
    wrong.naver.as_mut().unwrap().client_secret = "$2a$04$QKLnou1D2cSH19Pia30bcA".into();
    let sent = publish(Channel::Naver, &file, &url, &wrong).await;
    assert!(matches!(sent.outcome, Outcome::Failed { .. }), "{sent:#?}");
    assert_eq!(sent.attempts.len(), 1);
    drop(market);
}

#[tokio::test]
async fn naver_reports_what_its_schema_refuses() {
    let (url, market) = naver_server(vec![]).await;
    let keys = credentials();
    // A body the adapter would never build: sent raw to see the marketplace's refusal relayed.
    let body = br#"{"originProduct":{"statusType":"SOLD"},"smartstoreChannelProduct":{}}"#;
    let key = ProductKey {
        seller_code: "X".into(),
        name: "X".into(),
    };
    let sent = Submitter::new(Channel::Naver, fast(&url))
        .submit(body, &key, &keys)
        .await;
    let Outcome::Rejected { errors } = &sent.outcome else {
        panic!("{sent:#?}")
    };
    assert!(
        errors
            .iter()
            .any(|e| e.field.as_deref() == Some("originProduct.statusType")),
        "{errors:#?}"
    );
    assert!(market.lock().unwrap().products.is_empty());
}

#[tokio::test]
async fn coupang_publishes_with_a_verified_signature_and_never_duplicates() {
    let file = fixture("phone-holder.json");
    let keys = credentials();
    let (url, market) = coupang_server(vec![Scripted::CreateThenServerError]).await;
    let sent = publish(Channel::Coupang, &file, &url, &keys).await;
    assert_eq!(
        sent.outcome,
        Outcome::Created {
            product_id: "2000001".into()
        },
        "{sent:#?}"
    );
    let results: Vec<&str> = sent.attempts.iter().map(|a| a.result).collect();
    assert_eq!(results, ["server-error", "found-existing"]);
    let counts = {
        let m = market.lock().unwrap();
        (m.products.len(), m.rejected_signatures)
    };
    assert_eq!(counts, (1, 0));

    let mut wrong = keys.clone();
    wrong.coupang.as_mut().unwrap().secret_key = "not-the-secret".into();
    let sent = publish(Channel::Coupang, &file, &url, &wrong).await;
    assert!(matches!(sent.outcome, Outcome::Failed { .. }), "{sent:#?}");
    assert_eq!(market.lock().unwrap().rejected_signatures, 1);
}

#[tokio::test]
async fn gachi_listing_submit_sends_to_the_contract_server() {
    let (url, market) = naver_server(vec![Scripted::TooManyRequests]).await;
    let dir = crate::support::TempDir::new("listing-submit");
    let keys = dir.path().join("keys.json");
    std::fs::write(
        &keys,
        json!({"naver": {"client_id": NAVER_CLIENT_ID, "client_secret": NAVER_SECRET}}).to_string(),
    )
    .unwrap();
    let product = channels_dir().join("fixtures/bibimbap.json");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_gachi"))
        .args([
            "listing",
            "submit",
            "--channel",
            "naver",
            "--base-url",
            &url,
            "--credentials",
        ])
        .arg(&keys)
        .arg(&product)
        .env("GACHI_LOG", "warn")
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let submission: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(submission["outcome"], "created");
    assert_eq!(submission["attempts"][0]["result"], "throttled");
    assert_eq!(market.lock().unwrap().products.len(), 1);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(NAVER_SECRET)
            && !String::from_utf8_lossy(&out.stderr).contains(NAVER_SECRET),
        "the secret is never printed"
    );
}

/// The whole publish flow through the web app: the merchant saves the Naver keys (sealed, never
/// shown again), the product page offers to list, the API submits to the contract server, the
/// submission is recorded and the onboarding card moves to 심사중.
#[tokio::test]
async fn a_merchant_publishes_from_the_web_with_sealed_keys() {
    use crate::support::{TestApp, api_request, sqlite_store};
    use gachi_domain::ports::MarketAccountStore as _;
    use axum::http::StatusCode;

    let (url, market) = naver_server(vec![Scripted::TooManyRequests]).await;
    let dir = crate::support::TempDir::new("publish-web");
    let store = sqlite_store(&dir).await;
    let app = TestApp::with_markets(store.clone(), &[("naver", &url)]);
    let mut browser = app.signed_in("owner@hanok.kr", "merchant", "").await;
    browser.get("/my-shop").await;
    let shop = browser
        .post_form(
            "/my-shop",
            &[
                ("name", "한옥식당"),
                ("business_number", "2208162517"),
                ("region_code", "52111"),
                ("industry_code", "I20101"),
            ],
        )
        .await;
    assert_eq!(shop.status, StatusCode::SEE_OTHER, "{}", shop.body);
    let token = app
        .state
        .accounts()
        .create_api_token(
            "owner@hanok.kr",
            "test",
            &gachi_domain::audit::Actor::system(),
        )
        .await
        .unwrap();
    let mut api = app.browser();
    let product = serde_json::to_value(fixture("bibimbap.json")).unwrap();
    let created = api
        .send(api_request(
            "POST",
            "/api/v1/products",
            Some(&token),
            Some(product),
        ))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();

    // No keys yet: the product page names the missing account, and submitting reports it.
    let page = browser.get(&format!("/products/{id}")).await;
    assert!(
        page.body.contains("href=\"/my-shop/markets\""),
        "the account item links to the accounts page"
    );
    let refused = api
        .send(api_request(
            "POST",
            &format!("/api/v1/products/{id}/listings/naver/submit"),
            Some(&token),
            None,
        ))
        .await;
    assert_eq!(refused.status, StatusCode::OK, "{}", refused.body);
    assert_eq!(refused.json()["outcome"], "failed", "no keys, nothing sent");
    assert_eq!(market.lock().unwrap().product_requests, 0);

    browser.get("/my-shop/markets").await;
    let saved = browser
        .post_form(
            "/my-shop/markets",
            &[
                ("channel", "naver"),
                ("client_id", NAVER_CLIENT_ID),
                ("client_secret", NAVER_SECRET),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("data-testid=\"markets-saved\""));
    assert!(
        !saved.body.contains(NAVER_SECRET) && !saved.body.contains(NAVER_CLIENT_ID),
        "keys are never shown again"
    );
    let stored = store
        .channel_accounts(gachi_domain::merchant::MerchantId(1))
        .await
        .unwrap();
    let sealed = stored[0].sealed_credentials.clone().unwrap();
    assert!(
        !sealed.contains("QKLnou") && !sealed.contains(NAVER_CLIENT_ID),
        "sealed at rest"
    );

    let page = browser.get(&format!("/products/{id}")).await;
    assert!(
        page.body.contains("data-testid=\"submit-naver\""),
        "ready: the page offers to list"
    );
    let sent = api
        .send(api_request(
            "POST",
            &format!("/api/v1/products/{id}/listings/naver/submit"),
            Some(&token),
            None,
        ))
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let sent = sent.json();
    assert_eq!(sent["outcome"], "created", "{sent:#}");
    assert_eq!(sent["attempts"][0]["result"], "throttled");
    assert_eq!(market.lock().unwrap().products.len(), 1);

    let cards = api
        .send(api_request("GET", "/api/v1/onboarding", Some(&token), None))
        .await
        .json();
    assert_eq!(cards[0]["channel"], "naver");
    assert_eq!(cards[0]["stage"], "in_review");
    let page = browser.get(&format!("/products/{id}")).await;
    assert!(page.body.contains("data-testid=\"submissions\"") && page.body.contains("1000001"));
}
