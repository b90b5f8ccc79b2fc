//! Publishing through Gachi to the Naver contract server: `gachi listing submit` from the
//! command line, and the web app's whole flow — keys sealed on 마켓 계정, the product page
//! offering to list, the API submitting, the submission recorded and the card moved to 심사중.

use axum::http::StatusCode;
use gachi_contract::{NAVER_CLIENT_ID, NAVER_SECRET, Scripted, naver_server};
use gachi_domain::catalog::product::ImagesFile;
use serde_json::{Value, json};

use super::{app_with_naver, fixture, photo_server, save_naver_keys};
use crate::support::{OWNER, ProductBuilder, ShopBuilder, TempDir, readiness_of};

#[tokio::test]
async fn gachi_listing_submit_sends_to_the_contract_server() {
    let (url, market) = naver_server(vec![Scripted::TooManyRequests]).await;
    let dir = TempDir::new("listing-submit");
    let keys = dir.path().join("keys.json");
    std::fs::write(
        &keys,
        json!({"naver": {"client_id": NAVER_CLIENT_ID, "client_secret": NAVER_SECRET}}).to_string(),
    )
    .unwrap();
    // The photos are on the shop's own site: fetched and put on Naver's image host first.
    let photos = photo_server().await;
    let mut file = fixture("bibimbap.json");
    file.images = Some(ImagesFile {
        main: format!("{photos}/photos/main.jpg"),
        extra: vec![format!("{photos}/photos/side.jpg")],
    });
    let product = dir.path().join("bibimbap.json");
    std::fs::write(&product, serde_json::to_vec(&file).unwrap()).unwrap();
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
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let submission: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(submission["outcome"], "created");
    assert_eq!(submission["attempts"][0]["result"], "photos-uploaded");
    assert_eq!(submission["attempts"][1]["result"], "throttled");
    assert_eq!(market.lock().unwrap().products.len(), 1);
    assert_eq!(market.lock().unwrap().images.len(), 2);
    assert!(
        !stdout.contains(NAVER_SECRET)
            && !String::from_utf8_lossy(&out.stderr).contains(NAVER_SECRET),
        "the secret is never printed"
    );
}

/// The whole publish flow through the web app: the merchant saves the Naver keys (sealed, never
/// shown again), the product page offers to list, the API submits to the contract server, the
/// submission is recorded and the onboarding card moves to 심사중.
#[tokio::test]
async fn a_merchant_publishes_from_the_web_with_sealed_keys() {
    let (url, market) = naver_server(vec![Scripted::TooManyRequests]).await;
    let app = app_with_naver("publish-web", &url).await;
    let mut browser = app.merchant(OWNER).await;
    let shop = ShopBuilder::new().register(&mut browser).await;
    assert_eq!(shop.status, StatusCode::SEE_OTHER, "{}", shop.body);
    let mut api = app.api_of(OWNER).await;
    let bibimbap = ProductBuilder::fixture("bibimbap.json");
    let id = bibimbap.create_with_photo(&mut api).await;
    let submit = |id: i64| format!("/api/v1/products/{id}/listings/naver/submit");

    // No keys yet: submitting reports the missing keys and sends nothing. The page links
    // missing account settings to the accounts page (here Coupang's Wing settings); Naver's
    // keys are no readiness item, so its entry reads ready before they are saved.
    let page = browser.get(&format!("/products/{id}")).await;
    let coupang = readiness_of(&page.body, "쿠팡");
    assert!(
        coupang.contains("<a href=\"/my-shop/markets\">"),
        "the account item links to the accounts page: {coupang}"
    );
    let refused = api.post_empty(&submit(id)).await;
    assert_eq!(refused.status, StatusCode::OK, "{}", refused.body);
    let refused = refused.json();
    assert_eq!(
        (refused["outcome"].as_str(), refused["reason"].as_str()),
        (Some("failed"), Some("no naver credentials")),
        "no keys, nothing sent"
    );
    assert_eq!(market.lock().unwrap().product_requests, 0);

    let saved = save_naver_keys(&mut browser).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("data-testid=\"markets-saved\""));
    assert!(
        !saved.body.contains(NAVER_SECRET) && !saved.body.contains(NAVER_CLIENT_ID),
        "keys are never shown again"
    );
    let stored = app
        .store()
        .channel_accounts(gachi_domain::merchants::merchant::MerchantId(1))
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
    let sent = api.post_empty(&submit(id)).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let sent = sent.json();
    assert_eq!(sent["outcome"], "created", "{sent:#}");
    assert_eq!(sent["attempts"][0]["result"], "photos-uploaded");
    assert_eq!(sent["attempts"][1]["result"], "throttled");
    assert_eq!(market.lock().unwrap().products.len(), 1);
    assert_eq!(
        market.lock().unwrap().images.len(),
        1,
        "the photo Gachi keeps went to Naver's image host"
    );

    let cards = api.get("/api/v1/onboarding").await.json();
    assert_eq!(cards[0]["channel"], "naver");
    assert_eq!(cards[0]["stage"], "in_review");
    let page = browser.get(&format!("/products/{id}")).await;
    assert!(page.body.contains("data-testid=\"submissions\"") && page.body.contains("1000001"));

    // A second product with the same photo: Naver's host holds it already, so the listing
    // names the hosted copy and makes no upload call.
    let second = bibimbap
        .clone()
        .sku("JJ-BIBIM-SECOND")
        .create_with_photo(&mut api)
        .await;
    let sent = api.post_empty(&submit(second)).await.json();
    assert_eq!(sent["outcome"], "created", "{sent:#}");
    assert_eq!(sent["attempts"][0]["result"], "created", "{sent:#}");
    assert_eq!(market.lock().unwrap().images.len(), 1, "not uploaded again");
    assert_eq!(market.lock().unwrap().products.len(), 2);

    // New keys (perhaps another seller account): the photo is uploaded again.
    save_naver_keys(&mut browser).await;
    let sent = api.post_empty(&submit(second)).await.json();
    assert_eq!(sent["attempts"][0]["result"], "photos-uploaded", "{sent:#}");
    assert_eq!(market.lock().unwrap().images.len(), 2);
}
