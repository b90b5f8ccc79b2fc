//! What keeps requests honest: forms need a CSRF token with its cookie (or htmx's header) and
//! a same-site origin, and pages are guarded by role and by the officer's region.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::support::{Browser, TestApp};

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused() {
    let app = TestApp::sqlite("http-csrf").await;
    let mut browser = app.browser();
    browser.get("/signup").await;
    let token = browser.csrf.clone().unwrap();
    let body = "email=a%40b.kr&password=12345678&password_confirm=12345678";
    let no_token = browser.post_raw("/signup", body).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert!(
        no_token
            .body
            .contains("보안 확인 정보가 없거나 만료되었습니다")
    );
    let wrong = browser
        .post_raw("/signup", &format!("{body}&_csrf={}", "x".repeat(43)))
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.csrf.as_ref(),
        Some(&token),
        "the refusal page lets the person retry"
    );

    let cross_site = Request::post("/signup")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .header("host", "127.0.0.1:8080")
        .body(Body::from(format!("{body}&_csrf={token}")))
        .unwrap();
    assert_eq!(browser.send(cross_site).await.status, StatusCode::FORBIDDEN);

    let mut stranger = Browser::new(app.browser().app);
    let forged = stranger
        .post_raw("/logout", &format!("_csrf={token}"))
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "a token without its cookie is useless"
    );
    assert!(
        app.store().list_users(None, 10).await.unwrap().is_empty(),
        "no refused sign-up made an account"
    );

    let htmx = Request::post("/lang")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-csrf-token", token.as_str())
        .header("hx-request", "true")
        .body(Body::from("lang=en&next=%2F"))
        .unwrap();
    let reply = browser.send(htmx).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "htmx sends the token as a header"
    );
    assert_eq!(reply.headers["hx-redirect"], "/");
}

#[tokio::test]
async fn pages_are_guarded_by_role_and_region() {
    let app = TestApp::sqlite("http-guards").await;
    let mut merchant = app.merchant("m@hanok.kr").await;
    let forbidden = merchant.get("/staff/users").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert!(
        forbidden
            .body
            .contains("이 페이지나 기능을 쓸 권한이 없습니다")
    );
    for path in ["/staff/audit", "/regions/52", "/certificates"] {
        assert_eq!(
            merchant.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }

    // An officer of 전주시 (52110) sees 전주시 and its districts, not 전북 as a whole nor Seoul.
    let mut officer = app.officer().await;
    let own = officer.get("/my-region").await;
    assert_eq!(own.location(), Some("/regions/52110"));
    let page = officer.get("/regions/52110").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("전북특별자치도 전주시"));
    let district = officer.get("/regions/52111").await;
    assert_eq!(district.status, StatusCode::OK);
    assert!(
        district.body.contains("href=\"/regions/52110\""),
        "links up to 전주시"
    );
    assert!(
        page.body.contains("href=\"/regions/52113\""),
        "전주시 lists 덕진구"
    );
    assert_eq!(
        officer.get("/regions/45110").await.status,
        StatusCode::OK,
        "the old 전라북도 code is the same place"
    );
    for (path, status) in [
        ("/regions/52", StatusCode::FORBIDDEN),
        ("/regions/11", StatusCode::FORBIDDEN),
        ("/regions/99", StatusCode::NOT_FOUND),
        ("/staff/users", StatusCode::FORBIDDEN),
    ] {
        assert_eq!(officer.get(path).await.status, status, "{path}");
    }

    let mut operator = app.operator().await;
    let seoul = operator.get("/regions/11").await;
    assert_eq!(seoul.status, StatusCode::OK);
    assert!(seoul.body.contains("시군구 25곳"), "서울 has 25 구");
}
