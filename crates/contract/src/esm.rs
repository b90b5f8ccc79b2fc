//! ESM 2.0 (Gmarket and Auction, `sa2.esmplus.com`): `item/v1/goods`, authenticated by a
//! per-request HS256 JWT (checked in `signatures`), the body checked against the documented
//! skeleton of the goods request.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::{Scripted, Shared, loopback, signatures, start};

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
    if !signatures::esm_token_ok(&headers) {
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
