//! Coupang Open API (Wing): product create validated against Coupang's parameter tree, the
//! list by seller product name and the review status read-back, each request signed with CEA
//! HMAC (checked in `signatures`). A created product starts under review (`심사중`).

use std::net::SocketAddr;
use std::sync::LazyLock;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use gachi_channels::spec_check;
use serde_json::{Value, json};

use crate::{COUPANG_ACCESS, COUPANG_SECRET, Scripted, Shared, loopback, signatures, start};

/// The official parameter tree the server validates bodies against (a copy kept in
/// crates/channels), parsed once on first use.
const COUPANG_TREE: &str = include_str!("../../channels/specs/coupang-create-seller-product.json");
static COUPANG_DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(COUPANG_TREE).expect("the embedded spec is JSON"));

const COUPANG_PATH: &str = "/v2/providers/seller_api/apis/api/v1/marketplace/seller-products";

/// Checks the CEA header against a request to the product collection as received.
fn coupang_signed(headers: &HeaderMap, method: &str, query: &str) -> bool {
    coupang_signed_path(headers, method, COUPANG_PATH, query)
}

/// Checks the CEA header against a request to `path` as received.
fn coupang_signed_path(headers: &HeaderMap, method: &str, path: &str, query: &str) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|header| {
            signatures::coupang_authorization_ok(
                header,
                COUPANG_ACCESS,
                COUPANG_SECRET,
                method,
                path,
                query,
            )
        })
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
