//! 11st Open API: product create, authenticated by the seller's `openapikey` header, the
//! `<Product>` XML read by a small reader and checked against 11st's documented core rules;
//! answers in 11st's `<ClientMessage>` XML.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::{ELEVENST_KEY, Scripted, Shared, loopback, start};

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
