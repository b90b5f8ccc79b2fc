//! Caching and transport headers: what a signed-in person sees and every API answer is never
//! stored (`no-store`); behind HTTPS every answer asks for HTTPS from then on (HSTS); the
//! vendored static files are linked under names that change with their content, and only those
//! names are cached for good.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use gachi_domain::ports::Store;

use crate::support::{
    Browser, OPERATOR, PASSWORD, Reply, ShopBuilder, TempDir, TestApp, sqlite_store,
};

fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn personal_answers_are_never_stored() {
    let app = TestApp::sqlite("http-no-store").await;
    app.user(OPERATOR, "operator", "").await;
    let mut visitor = app.browser();
    visitor.get("/login").await;
    let signing_in = visitor
        .post_form("/login", &[("email", OPERATOR), ("password", PASSWORD)])
        .await;
    assert_eq!(
        signing_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signing_in.body
    );
    assert_eq!(
        header(&signing_in, "cache-control"),
        Some("no-store"),
        "the answer that sets the session"
    );
    for path in [
        "/",
        "/account",
        "/merchants",
        "/dashboard",
        "/hall-of-fame",
        "/nope",
    ] {
        let page = visitor.get(path).await;
        assert_eq!(
            header(&page, "cache-control"),
            Some("no-store"),
            "{path} signed in ({})",
            page.status
        );
    }

    let mut api = app.api_of(OPERATOR).await;
    for path in ["/api/v1/me", "/api/v1/users", "/api/v1/nope"] {
        let reply = api.get(path).await;
        assert_eq!(
            header(&reply, "cache-control"),
            Some("no-store"),
            "{path} ({})",
            reply.status
        );
    }
    let anonymous = app.api_with(None).get("/api/v1/me").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(header(&anonymous, "cache-control"), Some("no-store"));

    // What chose its own caching keeps it, signed in or not.
    let page = visitor.get("/").await;
    let css = page
        .body
        .split("href=\"")
        .find_map(|s| s.split('"').next().filter(|h| h.ends_with(".css")))
        .unwrap()
        .to_owned();
    let static_file = visitor.get(&css).await;
    assert_eq!(
        header(&static_file, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
}

#[tokio::test]
async fn hsts_is_sent_only_behind_https() {
    let app = TestApp::sqlite("http-hsts-off").await;
    let mut plain = app.browser();
    assert!(
        plain
            .get("/")
            .await
            .headers
            .get("strict-transport-security")
            .is_none()
    );

    let dir = TempDir::new("http-hsts-on");
    let store: Arc<dyn Store> = sqlite_store(&dir).await;
    let state = gachi_web::AppState::new(
        store,
        gachi_web::WebConfig {
            secure_cookies: true,
            ..gachi_web::WebConfig::default()
        },
    );
    let mut secure = Browser::new(gachi_web::app(state));
    for path in [
        "/",
        "/login",
        "/api/v1/me",
        "/healthz",
        "/nope",
        "/static/app.css",
    ] {
        let reply = secure.get(path).await;
        assert_eq!(
            header(&reply, "strict-transport-security"),
            Some("max-age=31536000"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn static_files_are_cached_for_good_only_under_their_versioned_names() {
    let app = TestApp::sqlite("http-static").await;
    let mut browser = app.browser();
    let home = browser.get("/").await;
    let linked: Vec<String> = home
        .body
        .split("=\"/static/")
        .skip(1)
        .map(|s| format!("/static/{}", s.split('"').next().unwrap()))
        .collect();
    assert_eq!(linked.len(), 2, "the stylesheet and htmx: {linked:?}");
    for (path, plain, content_type) in [
        (&linked[0], "/static/app.css", "text/css"),
        (&linked[1], "/static/htmx.min.js", "text/javascript"),
    ] {
        // `/static/app.<16 hex digits of the content's SHA-256>.css`
        let (stem, extension) = plain.rsplit_once('.').unwrap();
        let digest = path
            .strip_prefix(&format!("{stem}."))
            .and_then(|rest| rest.strip_suffix(&format!(".{extension}")))
            .unwrap_or_else(|| panic!("{path} is not a versioned {plain}"));
        let versioned = browser.get(path).await;
        assert_eq!(versioned.status, StatusCode::OK, "{path}");
        assert!(
            header(&versioned, "content-type")
                .unwrap()
                .starts_with(content_type)
        );
        assert_eq!(
            digest,
            &gachi_domain::kernel::secret::sha256_hex(versioned.body.as_bytes())[..16],
            "{path}: the name follows the content"
        );
        assert_eq!(
            header(&versioned, "cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );

        let unversioned = browser.get(plain).await;
        assert_eq!(
            unversioned.status,
            StatusCode::OK,
            "{plain}: old links still work"
        );
        assert_eq!(unversioned.body, versioned.body);
        assert_eq!(
            header(&unversioned, "cache-control"),
            Some("no-cache"),
            "{plain}: checked on every use"
        );
        let etag = header(&unversioned, "etag").unwrap().to_owned();
        let revalidated = browser
            .send(
                Request::get(plain)
                    .header("if-none-match", etag.as_str())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{plain}");
        assert!(revalidated.body.is_empty());

        let stale = format!("{stem}.0000000000000000.{extension}");
        assert_eq!(
            browser.get(&stale).await.status,
            StatusCode::NOT_FOUND,
            "{stale}: a name for other content"
        );
    }

    // The product form's script is linked the same way.
    let mut merchant = app.merchant("static@hanok.kr").await;
    let shop = ShopBuilder::new().register(&mut merchant).await;
    assert_eq!(shop.status, StatusCode::SEE_OTHER, "{}", shop.body);
    let form = merchant.get("/products/new").await;
    let script = form
        .body
        .split("src=\"")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.starts_with("/static/product-preview."))
        .unwrap_or_else(|| panic!("no preview script in {}", form.body))
        .to_owned();
    assert_ne!(script, "/static/product-preview.js");
    let served = merchant.get(&script).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(
        header(&served, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(
        header(
            &merchant.get("/static/product-preview.js").await,
            "cache-control"
        ),
        Some("no-cache")
    );
}
