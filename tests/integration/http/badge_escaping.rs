//! The public hall-of-fame badge (`/hall-of-fame/{id}/badge.svg`) is an SVG other sites embed:
//! a shop name is data inside it, never markup, whatever characters the owner typed.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{NUMBERS, OPERATOR, ShopBuilder, TestApp};

/// The attributes of each start tag of `svg`, read the way an XML parser does: `name="value"`
/// pairs up to the closing `>`. A value cannot hold a raw `"` or `<`; a name breaking out of
/// an attribute shows up as an attribute of its own.
fn tags(svg: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.starts_with('/') {
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..end].to_owned();
        rest = &rest[end..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.starts_with('>') || rest.starts_with("/>") || rest.is_empty() {
                break;
            }
            let (attribute, after) = rest.split_once("=\"").expect("name=\"value\"");
            let (value, after) = after.split_once('"').expect("a closing quote");
            assert!(!value.contains('<'), "a raw < in {attribute}={value:?}");
            attributes.push((attribute.trim().to_owned(), value.to_owned()));
            rest = after;
        }
        out.push((name, attributes));
    }
    out
}

#[tokio::test]
async fn a_shop_name_cannot_break_out_of_the_badge() {
    let app = TestApp::sqlite("http-badge").await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    // Control characters are refused at registration now (the text rule); the escaper's own
    // unit test covers them.
    let name = "한옥\"><script>alert(1)</script>\" onload=\"x' onclick='y & <b>";
    let shop = ShopBuilder::new()
        .name(name)
        .business_number(NUMBERS[2])
        .create(&mut operator)
        .await;
    let now = gachi_domain::results::Month::of(gachi_domain::kernel::time::Timestamp::now());
    for months_ago in 0..12 {
        let report = operator
            .post(
                "/api/v1/sales-reports",
                json!({"merchant_id": shop, "channel": "naver", "month": now.minus(months_ago).to_string(), "sales_krw": 9_000_000, "orders": 450}),
            )
            .await;
        assert_eq!(report.status, StatusCode::CREATED, "{}", report.body);
    }

    let badge = app
        .browser()
        .get(&format!("/hall-of-fame/{shop}/badge.svg"))
        .await;
    assert_eq!(badge.status, StatusCode::OK, "{}", badge.body);
    assert!(
        badge.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("image/svg+xml")
    );
    let svg = &badge.body;
    assert!(!svg.contains("<script") && !svg.contains("<b>"), "{svg}");
    assert!(
        !svg.chars().any(|c| c.is_control()),
        "no control character (not even as text) in an XML document: {svg:?}"
    );
    let escaped = "한옥&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x&apos; onclick=&apos;y &amp; &lt;b&gt;";
    assert!(svg.contains(escaped), "{svg}");

    let tags = tags(svg);
    let names: Vec<&str> = tags.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["svg", "rect", "text", "text", "circle", "text"],
        "the name adds no element"
    );
    let root = &tags[0].1;
    let attributes: Vec<&str> = root.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        attributes,
        ["xmlns", "width", "height", "viewBox", "role", "aria-label"],
        "the name adds no attribute"
    );
    let label = &root.last().unwrap().1;
    assert!(
        label.starts_with("가치 명예의 전당 ") && label.contains(escaped),
        "the whole name stays inside aria-label: {label}"
    );
    assert!(
        tags.iter()
            .flat_map(|(_, a)| a)
            .all(|(n, _)| !n.starts_with("on")),
        "no event handler: {tags:?}"
    );
}
