//! What the server trusts in a request: CSRF tokens are bound to the session and
//! a `null` or foreign origin is refused; stored photo addresses never follow the Host header
//! (product files keep `/media/…` paths, marketplaces get the configured public address at send
//! time); and deleting a product follows one rule on the page and in the API.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

use crate::support::{
    NUMBERS, OWNER, ProductBuilder, ShopBuilder, TempDir, TestApp, jpeg, sqlite_store,
};

/// A form post to `path` with `body`, with extra headers.
fn post(path: &str, body: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "127.0.0.1:8080");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::from(body.to_owned())).unwrap()
}

#[tokio::test]
async fn csrf_tokens_are_bound_to_the_session_and_foreign_origins_are_refused() {
    let app = TestApp::sqlite("trust-csrf").await;
    let mut victim = app.merchant("victim@hanok.kr").await;
    let mut attacker = app.merchant("attacker@evil.kr").await;
    let signed_out = victim.csrf.clone().unwrap();
    victim.get("/my-shop").await;
    attacker.get("/my-shop").await;
    let victim_token = victim.csrf.clone().unwrap();
    let attacker_token = attacker.csrf.clone().unwrap();
    assert_ne!(
        victim_token, signed_out,
        "a page of the session gave its token"
    );
    assert_ne!(
        victim_token, attacker_token,
        "each session has its own token"
    );

    // An attacker-chosen `gachi_csrf` cookie with the same value in the form: refused.
    let chosen = "a".repeat(43);
    victim.set_cookie("gachi_csrf", &chosen);
    let planted = victim
        .send(post(
            "/lang",
            &format!("lang=en&next=%2F&_csrf={chosen}"),
            &[],
        ))
        .await;
    assert_eq!(planted.status, StatusCode::FORBIDDEN, "a planted cookie");

    // A token minted for another session (the attacker's own): refused.
    let foreign = victim
        .send(post(
            "/lang",
            &format!("lang=en&next=%2F&_csrf={attacker_token}"),
            &[],
        ))
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::FORBIDDEN,
        "another session's token"
    );

    // The session's own token, but from a sandboxed frame or another site: refused.
    let body = format!("lang=en&next=%2F&_csrf={victim_token}");
    for headers in [
        [("origin", "null")],
        [("origin", "https://evil.example")],
        [("referer", "https://evil.example/attack.html")],
        [("sec-fetch-site", "cross-site")],
    ] {
        let reply = victim.send(post("/lang", &body, &headers)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
    }

    // The session's own token from this site (or with no origin said at all): taken.
    for headers in [
        vec![("origin", "http://127.0.0.1:8080")],
        vec![("referer", "http://127.0.0.1:8080/products")],
        vec![],
    ] {
        let reply = victim.send(post("/lang", &body, &headers)).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{headers:?}");
    }
}

#[tokio::test]
async fn signed_out_forms_keep_the_double_submit_cookie_and_check_the_origin_strictly() {
    let app = TestApp::sqlite("trust-csrf-signed-out").await;
    let mut browser = app.browser();
    browser.get("/login").await;
    let token = browser.csrf.clone().unwrap();
    let body = format!("lang=en&next=%2F&_csrf={token}");
    for origin in ["null", "https://evil.example"] {
        let reply = browser
            .send(post("/lang", &body, &[("origin", origin)]))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{origin}");
    }
    let mut stranger = app.browser();
    let no_cookie = stranger.send(post("/lang", &body, &[])).await;
    assert_eq!(no_cookie.status, StatusCode::FORBIDDEN, "no cookie");
    let same_site = browser
        .send(post("/lang", &body, &[("origin", "http://127.0.0.1:8080")]))
        .await;
    assert_eq!(same_site.status, StatusCode::SEE_OTHER);
}

/// The app on a fresh SQLite database with `public_url` configured (empty: none); the app and
/// the directory that must outlive it.
async fn app_with_public_url(label: &str, public_url: &str) -> (TestApp, TempDir) {
    let dir = TempDir::new(label);
    let store = sqlite_store(&dir).await;
    let mut app = TestApp::new(store.clone());
    let mut config = app.state.config().clone();
    config.public_url = public_url.to_owned();
    app.state = gachi_web::AppState::new(store, config);
    (app, dir)
}

/// The errors of a validation answer: (field, code, message).
fn errors(reply: &Value) -> Vec<(String, String, String)> {
    reply["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {reply}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
                e["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn photo_addresses_never_follow_the_host_header() {
    let (app, _dir) = app_with_public_url("trust-photo-host", "").await;
    let (mut owner, _) = ShopBuilder::new()
        .business_number(NUMBERS[0])
        .owned_by(OWNER)
        .build(&app)
        .await;
    let id = ProductBuilder::new().create(&mut owner).await;
    let upload = Request::post(format!("/api/v1/products/{id}/images"))
        .header("authorization", format!("Bearer {}", owner.token()))
        .header("content-type", "image/jpeg")
        .header("host", "evil.example")
        .body(Body::from(jpeg(800, 800)))
        .unwrap();
    let sent = owner.send(upload).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let main = sent.json()["product"]["product"]["images"]["main"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        main.starts_with("/media/") && main.ends_with("-800x800.jpg"),
        "kept as a path: {main}"
    );
    assert!(!sent.body.contains("evil.example"), "{}", sent.body);
    let stored = app
        .store()
        .product(gachi_domain::catalog::product::ProductId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.file.images.unwrap().main, main);

    // The page shows the photo by its path.
    let mut browser = app.sign_in(OWNER).await;
    let page = browser.get(&format!("/products/{id}")).await;
    assert!(page.body.contains(".thumb.jpg\""), "the thumbnail is shown");
    assert!(!page.body.contains("evil.example"));

    // Without a public address, a marketplace that downloads photos says it must be set.
    let validated = owner
        .post_empty(&format!("/api/v1/products/{id}/listings/coupang/validate"))
        .await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    let found = errors(&validated.json());
    let image = found
        .iter()
        .find(|(field, _, _)| field == "images.main")
        .unwrap_or_else(|| panic!("no images.main error in {found:?}"));
    assert_eq!(image.1, "listing-image-public-url");
    assert!(image.2.contains("공개 주소"), "{}", image.2);
    // A product written before paths were kept, its photo under whatever Host the upload came
    // through: recognized by its /media/ path, and not sent to that host either.
    let name = main.trim_start_matches("/media/");
    let legacy = ProductBuilder::new()
        .sku("JJ-LEGACY")
        .set("/images/main", format!("http://evil.example/media/{name}"))
        .set("/images/extra", serde_json::json!([]))
        .create(&mut owner)
        .await;
    let validated = owner
        .post_empty(&format!(
            "/api/v1/products/{legacy}/listings/coupang/validate"
        ))
        .await;
    assert!(
        errors(&validated.json())
            .iter()
            .any(|(field, code, _)| field == "images.main" && code == "listing-image-public-url"),
        "{}",
        validated.body
    );
    let submitted = owner
        .post_empty(&format!("/api/v1/products/{id}/listings/coupang/submit"))
        .await;
    assert!(
        submitted.body.contains("listing-image-public-url"),
        "{}",
        submitted.body
    );
}

#[tokio::test]
async fn photos_are_sent_under_the_configured_public_url_old_addresses_included() {
    let public = "https://gachi.example.kr";
    let (app, _dir) = app_with_public_url("trust-photo-public", public).await;
    let (mut owner, _) = ShopBuilder::new()
        .business_number(NUMBERS[0])
        .owned_by(OWNER)
        .build(&app)
        .await;
    // A product written before paths were kept: its photo under the Host it came through.
    let name = "0123456789abcdef0123456789abcdef-800x800.jpg";
    let id = ProductBuilder::new()
        .set("/images/main", format!("http://evil.example/media/{name}"))
        .set("/images/extra", serde_json::json!([]))
        .create(&mut owner)
        .await;
    let validated = owner
        .post_empty(&format!("/api/v1/products/{id}/listings/coupang/validate"))
        .await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    let image_errors: Vec<_> = errors(&validated.json())
        .into_iter()
        .filter(|(field, _, _)| field.starts_with("images"))
        .collect();
    assert!(image_errors.is_empty(), "{image_errors:?}");
    // (The address sent in the payload is `catalog::media::send_address`, unit-tested there.)

    // A new upload is kept as a path whatever the Host, and readiness takes it.
    let upload = Request::post(format!("/api/v1/products/{id}/images"))
        .header("authorization", format!("Bearer {}", owner.token()))
        .header("content-type", "image/jpeg")
        .header("host", "evil.example")
        .body(Body::from(jpeg(900, 900)))
        .unwrap();
    let sent = owner.send(upload).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let main = sent.json()["url"].as_str().unwrap().to_owned();
    assert!(main.starts_with("/media/"), "{main}");
    let readiness = sent.json()["product"].to_string();
    assert!(
        !readiness.contains("listing-image-public-url"),
        "{readiness}"
    );
}

#[tokio::test]
async fn product_deletion_follows_one_rule_on_the_page_and_in_the_api() {
    let app = TestApp::sqlite("trust-delete").await;
    let (mut owner, _) = ShopBuilder::new()
        .business_number(NUMBERS[0])
        .owned_by(OWNER)
        .build(&app)
        .await;
    let (mut stranger, _) = ShopBuilder::new()
        .business_number(NUMBERS[1])
        .owned_by("other@shop.kr")
        .build(&app)
        .await;
    let by_page = ProductBuilder::new()
        .sku("JJ-PAGE")
        .create(&mut owner)
        .await;
    let by_api = ProductBuilder::new().sku("JJ-API").create(&mut owner).await;
    let stored = |id: i64| {
        let app = &app;
        async move {
            app.store()
                .product(gachi_domain::catalog::product::ProductId(id))
                .await
                .unwrap()
                .is_some()
        }
    };

    // Another shop's merchant: not found, on the page and in the API alike.
    let mut stranger_page = app.sign_in("other@shop.kr").await;
    stranger_page.get("/products").await;
    let page = stranger_page
        .post_form(&format!("/products/{by_page}/delete"), &[])
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let api = stranger.delete(&format!("/api/v1/products/{by_api}")).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(stored(by_page).await && stored(by_api).await);

    // An operator: allowed on both.
    let mut operator = app.operator().await;
    let page = operator
        .submit(
            &format!("/products/{by_page}"),
            &format!("/products/{by_page}/delete"),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(!stored(by_page).await, "deleted through the page");
    let mut operator_api = app.api_as("ops-api@program.kr", "operator").await;
    let api = operator_api
        .delete(&format!("/api/v1/products/{by_api}"))
        .await;
    assert_eq!(api.status, StatusCode::NO_CONTENT, "{}", api.body);
    assert!(!stored(by_api).await, "deleted through the API");

    // The owner, too, on both.
    let mine = ProductBuilder::new()
        .sku("JJ-MINE")
        .create(&mut owner)
        .await;
    let mut owner_page = app.sign_in(OWNER).await;
    let page = owner_page
        .submit(
            &format!("/products/{mine}"),
            &format!("/products/{mine}/delete"),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location(),
        Some(format!("/products?deleted={mine}").as_str())
    );
    assert!(!stored(mine).await);
}
