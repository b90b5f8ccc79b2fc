//! The site as anyone reaches it: the health check, the landing page, the metrics, and the
//! not-found answers of pages and the API.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};

use crate::support::TestApp;

#[tokio::test]
async fn health_home_openapi_and_metrics_answer() {
    let app = TestApp::sqlite("http-site").await;
    let mut browser = app.browser();
    let health = browser.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["database"], "sqlite");
    assert!(
        health.headers.get("set-cookie").is_none(),
        "no cookie outside pages"
    );

    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<html lang=\"ko\">"));
    assert!(home.body.contains("우리 가게, 이제 온라인에서도 팔아요"));
    assert!(
        browser.cookie("gachi_csrf").is_some(),
        "pages hand out the CSRF cookie"
    );

    let openapi = browser.get("/api/openapi.json").await.json();
    assert!(openapi["openapi"].as_str().unwrap().starts_with("3."));
    assert!(openapi["paths"]["/api/v1/me"]["get"].is_object());

    // Metrics answer loopback clients (the connection's peer; see metrics_access.rs).
    let metrics = browser
        .send(
            Request::get("/metrics")
                .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50000))))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        metrics.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(
        metrics.body.contains(
            "gachi_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"
        ),
        "{}",
        metrics.body
    );
    assert!(
        metrics
            .body
            .contains("gachi_http_request_duration_seconds_count{route=\"/\",method=\"GET\"} 1")
    );

    let missing = browser.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("페이지를 찾을 수 없습니다"));
    let missing_api = app.api_with(None).get("/api/v1/nope").await;
    assert_eq!(
        (missing_api.status, missing_api.json()["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}
