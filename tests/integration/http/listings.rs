//! What each marketplace would accept, through the API: `GET /api/v1/products/{id}/listings`
//! and `POST …/listings/{channel}/validate` — the Naver body when ready (checked against the
//! official schema), the seller's missing account settings kept apart, and bad input refused.

use axum::http::StatusCode;

use crate::support::{NUMBERS, OWNER, ProductBuilder, ShopBuilder, TestApp, naver_schema_faults};

#[tokio::test]
async fn the_listings_api_says_what_each_marketplace_would_accept() {
    let app = TestApp::sqlite("http-listings").await;
    let (mut owner, _) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let (mut other, _) = ShopBuilder::new()
        .name("옆집")
        .business_number(NUMBERS[1])
        .industry("I21001")
        .owned_by("other@shop.kr")
        .build(&app)
        .await;
    let id = ProductBuilder::new()
        .set("/channel_categories/coupang", "58927")
        .create(&mut owner)
        .await;
    let listings_path = format!("/api/v1/products/{id}/listings");

    let listings = owner.get(&listings_path).await;
    assert_eq!(listings.status, StatusCode::OK);
    let listings = listings.json();
    let naver = listings
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["channel"] == "naver")
        .unwrap();
    assert_eq!(naver["ready"], true, "{naver}");

    let validated = owner
        .post_empty(&format!("{listings_path}/naver/validate"))
        .await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    let validated = validated.json();
    assert_eq!(validated["ready"], true);
    let body = serde_json::from_str(validated["payload"].as_str().unwrap()).unwrap();
    let faults = naver_schema_faults(&body);
    assert!(faults.is_empty(), "{faults:#?}");

    // Coupang needs the seller's Wing account: reported as account setup, in Korean, with a hint.
    let coupang = owner
        .post_empty(&format!("{listings_path}/coupang/validate"))
        .await
        .json();
    assert_eq!(coupang["ready"], false);
    let vendor = coupang["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "seller.coupang.vendor_id")
        .unwrap_or_else(|| panic!("{coupang:#}"));
    assert_eq!(vendor["account"], true);
    assert!(
        vendor["message"].as_str().unwrap().contains("업체코드"),
        "the setting by its label"
    );
    assert!(vendor["hint"].as_str().unwrap().contains("판매자센터"));

    let unknown = owner
        .post_empty(&format!("{listings_path}/wemakeprice/validate"))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.error_fields(), ["channel"]);
    let foreign = other.get(&listings_path).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}
