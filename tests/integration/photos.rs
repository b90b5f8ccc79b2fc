//! Product photos through the web app: the API upload and the product form's upload button,
//! serving with cache headers, the marketplaces' main-image warnings, and every refusal naming
//! the field with nothing half-saved.

use std::io::Cursor;

use axum::http::StatusCode;
use serde_json::json;

use crate::http::bibimbap_file;
use crate::support::{TempDir, TestApp, api_request, sqlite_store};

/// A JPEG of `width` × `height` (a gradient, so it is not trivially small).
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

pub fn upload(
    path: &str,
    token: &str,
    bytes: Vec<u8>,
    content_type: &str,
) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::post(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .header("host", "gachi.test:8080")
        .body(axum::body::Body::from(bytes))
        .unwrap()
}

async fn shop_with_product(app: &TestApp, email: &str, business_number: &str) -> (String, i64) {
    let token = app.token(email, "merchant").await;
    let id = product_for(app, &token, business_number).await;
    (token, id)
}

/// The token's merchant registers a shop and the DESIGN.md example product.
async fn product_for(app: &TestApp, token: &str, business_number: &str) -> i64 {
    let mut client = app.browser();
    let shop = client
        .send(api_request(
            "POST",
            "/api/v1/merchants",
            Some(token),
            Some(json!({"name": "한옥식당", "business_number": business_number, "region_code": "52111", "industry_code": "I20101"})),
        ))
        .await;
    assert_eq!(shop.status, StatusCode::CREATED, "{}", shop.body);
    let created = client
        .send(api_request(
            "POST",
            "/api/v1/products",
            Some(token),
            Some(bibimbap_file()),
        ))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.json()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_api_stores_a_photo_serves_it_and_warns_about_marketplace_rules() {
    let dir = TempDir::new("photos-api");
    let app = TestApp::new(sqlite_store(&dir).await);
    let (token, id) = shop_with_product(&app, "owner@hanok.kr", "2208162517").await;
    let (other, _) = shop_with_product(&app, "other@shop.kr", "1068641434").await;
    let mut client = app.browser();

    let sent = client
        .send(upload(
            &format!("/api/v1/products/{id}/images"),
            &token,
            jpeg(1000, 800),
            "image/jpeg",
        ))
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let body = sent.json();
    let url = body["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("http://gachi.test:8080/media/") && url.ends_with("-1000x800.jpg"),
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
            axum::http::Request::get(&thumb)
                .header("if-none-match", &etag)
                .body(axum::body::Body::empty())
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
    let extra = client
        .send(upload(
            &format!("/api/v1/products/{id}/images?role=extra"),
            &token,
            jpeg(700, 700),
            "application/octet-stream",
        ))
        .await;
    assert_eq!(extra.status, StatusCode::CREATED, "{}", extra.body);
    let images = &extra.json()["product"]["product"]["images"];
    assert_eq!(images["extra"].as_array().unwrap().len(), 2);
    assert_eq!(images["main"], url.as_str(), "the main image stays");

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
        let refused = client
            .send(upload(
                &format!("/api/v1/products/{id}/images"),
                &token,
                bytes,
                content_type,
            ))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        let errors = refused.json();
        assert_eq!(errors["errors"][0]["field"], "image", "{errors}");
        assert_eq!(errors["errors"][0]["code"], code, "{errors}");
    }
    let role = client
        .send(upload(
            &format!("/api/v1/products/{id}/images?role=banner"),
            &token,
            jpeg(10, 10),
            "image/jpeg",
        ))
        .await;
    assert_eq!(role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(role.json()["errors"][0]["field"], "role");
    let product = client
        .send(api_request(
            "GET",
            &format!("/api/v1/products/{id}"),
            Some(&token),
            None,
        ))
        .await
        .json();
    assert_eq!(product["product"]["images"]["main"], url.as_str());
    assert_eq!(
        product["product"]["images"]["extra"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let not_yours = client
        .send(upload(
            &format!("/api/v1/products/{id}/images"),
            &other,
            jpeg(600, 600),
            "image/jpeg",
        ))
        .await;
    assert_eq!(not_yours.status, StatusCode::NOT_FOUND);
}

/// Builds a multipart body: text fields, then the photo.
fn multipart(fields: &[(&str, &str)], photo: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----gachi-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = photo {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{file_name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn the_product_form_uploads_a_photo_and_keeps_what_was_typed_when_refused() {
    let dir = TempDir::new("photos-form");
    let app = TestApp::new(sqlite_store(&dir).await);
    let mut browser = app.signed_in("owner@hanok.kr", "merchant", "").await;
    let token = app.token_of("owner@hanok.kr").await;
    let id = product_for(&app, &token, "2208162517").await;
    let page = browser.get(&format!("/products/{id}")).await;
    assert!(page.body.contains("data-testid=\"photo-upload\""));
    let csrf = browser.cookie("gachi_csrf").unwrap().clone();
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

    // Not an image: an error beside the file input, the typed name kept, nothing saved.
    let (content_type, body) = multipart(&borrowed, Some(("menu.jpg", b"%PDF-1.7 not a photo")));
    let refused = browser
        .send(
            axum::http::Request::post(format!("/products/{id}/photo?_csrf={csrf}"))
                .header("content-type", &content_type)
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
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
    let stored = app
        .state
        .store()
        .product(gachi_domain::catalog::product::ProductId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.file.name, "전주 한옥마을 비빔밥 밀키트 2인분",
        "nothing saved"
    );

    // Without the token in the address: refused as a forged request.
    let (content_type, body) = multipart(&borrowed, Some(("main.jpg", &jpeg(800, 800))));
    let forged = browser
        .send(
            axum::http::Request::post(format!("/products/{id}/photo"))
                .header("content-type", &content_type)
                .body(axum::body::Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let saved = browser
        .send(
            axum::http::Request::post(format!("/products/{id}/photo?_csrf={csrf}"))
                .header("content-type", &content_type)
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = app
        .state
        .store()
        .product(gachi_domain::catalog::product::ProductId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.file.name, "새 이름 비빔밥", "saved with the form");
    let main = stored.file.images.unwrap().main;
    assert!(
        main.contains("/media/") && main.ends_with("-800x800.jpg"),
        "{main}"
    );
    let page = browser.get(&format!("/products/{id}")).await;
    assert!(page.body.contains(".thumb.jpg\""), "the thumbnail is shown");
}
