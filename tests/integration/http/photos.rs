//! Product photos through the web app: the API upload and the product form's upload button,
//! serving with cache headers, the marketplaces' main-image warnings, and every refusal naming
//! the field with nothing half-saved.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::support::{Api, NUMBERS, OWNER, ProductBuilder, ShopBuilder, TestApp, jpeg, multipart};

/// A merchant's shop (한옥식당 under `business_number`) with the DESIGN.md example product:
/// their API client and the product's id.
async fn shop_with_product(app: &TestApp, email: &str, business_number: &str) -> (Api, i64) {
    let (mut owner, _) = ShopBuilder::new()
        .business_number(business_number)
        .owned_by(email)
        .build(app)
        .await;
    let id = ProductBuilder::new().create(&mut owner).await;
    (owner, id)
}

#[tokio::test]
async fn the_api_stores_a_photo_serves_it_and_warns_about_marketplace_rules() {
    let app = TestApp::sqlite("photos-api").await;
    let (mut owner, id) = shop_with_product(&app, OWNER, NUMBERS[0]).await;
    let (mut other, _) = shop_with_product(&app, "other@shop.kr", NUMBERS[1]).await;
    let images = format!("/api/v1/products/{id}/images");
    let mut client = app.browser();

    let sent = owner.upload(&images, jpeg(1000, 800), "image/jpeg").await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let body = sent.json();
    let url = body["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("/media/") && url.ends_with("-1000x800.jpg"),
        "{url}"
    );
    assert_eq!(
        (body["width"].as_u64(), body["height"].as_u64()),
        (Some(1000), Some(800))
    );
    assert_eq!(body["product"]["product"]["images"]["main"], url.as_str());
    let warned: Vec<&str> = body["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["channel"].as_str().unwrap())
        .collect();
    assert_eq!(
        warned,
        ["coupang"],
        "not square: Coupang warns, 11st takes it"
    );
    assert!(
        body["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1000×800")
    );

    let thumb = body["thumbnail_url"].as_str().unwrap().to_owned();
    let served = client.get(&thumb).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.headers["content-type"], "image/jpeg");
    assert!(
        served.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let etag = served.headers["etag"].to_str().unwrap().to_owned();
    let again = client
        .send(
            Request::get(&thumb)
                .header("if-none-match", &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let path = url.trim_start_matches("http://gachi.test:8080");
    assert_eq!(client.get(path).await.status, StatusCode::OK);
    assert_eq!(
        client.get("/media/..%2F..%2Fsecret.key").await.status,
        StatusCode::NOT_FOUND
    );

    // A square extra image: added after the others, no warnings for extras.
    let extra = owner
        .upload(
            &format!("{images}?role=extra"),
            jpeg(700, 700),
            "application/octet-stream",
        )
        .await;
    assert_eq!(extra.status, StatusCode::CREATED, "{}", extra.body);
    let kept = &extra.json()["product"]["product"]["images"];
    assert_eq!(kept["extra"].as_array().unwrap().len(), 2);
    assert_eq!(kept["main"], url.as_str(), "the main image stays");

    // Refusals name the field, and the product is left as it was.
    for (bytes, content_type, code) in [
        (
            b"<script>alert(1)</script>".to_vec(),
            "image/jpeg",
            "error-image-type",
        ),
        (Vec::new(), "image/png", "error-image-empty"),
        (
            vec![0u8; gachi_domain::catalog::media::MAX_UPLOAD_BYTES + 10],
            "image/jpeg",
            "error-image-too-large",
        ),
    ] {
        let refused = owner.upload(&images, bytes, content_type).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        let errors = refused.json();
        assert_eq!(errors["errors"][0]["field"], "image", "{errors}");
        assert_eq!(errors["errors"][0]["code"], code, "{errors}");
    }
    let role = owner
        .upload(&format!("{images}?role=banner"), jpeg(10, 10), "image/jpeg")
        .await;
    assert_eq!(role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(role.error_fields(), ["role"]);
    let product = owner.get(&format!("/api/v1/products/{id}")).await.json();
    assert_eq!(product["product"]["images"]["main"], url.as_str());
    assert_eq!(
        product["product"]["images"]["extra"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let not_yours = other.upload(&images, jpeg(600, 600), "image/jpeg").await;
    assert_eq!(not_yours.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_product_form_uploads_a_photo_and_keeps_what_was_typed_when_refused() {
    let app = TestApp::sqlite("photos-form").await;
    let mut browser = app.merchant(OWNER).await;
    let mut api = app.api_of(OWNER).await;
    ShopBuilder::new().create(&mut api).await;
    let id = ProductBuilder::new().create(&mut api).await;
    let page = browser.get(&format!("/products/{id}")).await;
    assert!(page.body.contains("data-testid=\"photo-upload\""));
    let csrf = browser.csrf.clone().unwrap();
    // The form as the browser sends it: every input, and the photo.
    let mut fields: Vec<(String, String)> = page
        .body
        .split("<input ")
        .skip(1)
        .filter_map(|tag| {
            let attr = |name: &str| {
                tag.split(&format!(" {name}=\""))
                    .nth(1)
                    .or_else(|| tag.strip_prefix(&format!("{name}=\"")))
                    .and_then(|s| s.split('"').next())
                    .map(str::to_owned)
            };
            if tag.contains("type=\"file\"") || tag.contains("type=\"checkbox\"") {
                return None;
            }
            Some((attr("name")?, attr("value").unwrap_or_default()))
        })
        .filter(|(name, _)| name != "_csrf")
        .collect();
    fields.retain(|(name, _)| name != "name");
    fields.push(("name".into(), "새 이름 비빔밥".into()));
    fields.push(("photo_role".into(), "main".into()));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // As the browser sends the form: the token is its first field (never in the address).
    let with_token: Vec<(&str, &str)> = std::iter::once(("_csrf", csrf.as_str()))
        .chain(borrowed.iter().copied())
        .collect();
    let photo_form = |path: String, (content_type, body): (String, Vec<u8>)| {
        Request::post(path)
            .header("content-type", content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let stored_product = async || {
        app.store()
            .product(gachi_domain::catalog::product::ProductId(id))
            .await
            .unwrap()
            .unwrap()
            .file
    };

    // Not an image: an error beside the file input, the typed name kept, nothing saved.
    let not_a_photo = multipart(&with_token, Some(("menu.jpg", b"%PDF-1.7 not a photo")));
    let refused = browser
        .send(photo_form(format!("/products/{id}/photo"), not_a_photo))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("id=\"e-photo\""));
    assert!(refused.body.contains("사진이 아닙니다"));
    assert!(
        refused.body.contains("value=\"새 이름 비빔밥\""),
        "the typed name is kept"
    );
    assert_eq!(
        stored_product().await.name,
        "전주 한옥마을 비빔밥 밀키트 2인분",
        "nothing saved"
    );

    // Without the token in the form: refused as a forged request, even with it in the address
    // (no address carries it).
    let forged_photo = multipart(&borrowed, Some(("main.jpg", &jpeg(800, 800))));
    let forged = browser
        .send(photo_form(
            format!("/products/{id}/photo"),
            forged_photo.clone(),
        ))
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let in_address = browser
        .send(photo_form(
            format!("/products/{id}/photo?_csrf={csrf}"),
            forged_photo,
        ))
        .await;
    assert_eq!(in_address.status, StatusCode::FORBIDDEN);
    // The upload's address opened as a page goes back to the product.
    let reloaded = browser.get(&format!("/products/{id}/photo")).await;
    assert_eq!(reloaded.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reloaded.location(),
        Some(format!("/products/{id}").as_str())
    );

    let photo = multipart(&with_token, Some(("main.jpg", &jpeg(800, 800))));
    let saved = browser
        .send(photo_form(format!("/products/{id}/photo"), photo))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = stored_product().await;
    assert_eq!(stored.name, "새 이름 비빔밥", "saved with the form");
    let main = stored.images.unwrap().main;
    assert!(
        main.contains("/media/") && main.ends_with("-800x800.jpg"),
        "{main}"
    );
    let page = browser.get(&format!("/products/{id}")).await;
    assert!(page.body.contains(".thumb.jpg\""), "the thumbnail is shown");
}
