//! The per-account API write limit: a burst, then 429 with `Retry-After`; reads are never
//! limited, and each account has its own allowance.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn api_writes_beyond_the_burst_are_refused_with_retry_after_per_account() {
    let app = TestApp::sqlite("http-write-limit")
        .await
        .with_config(|config| config.api_writes_per_second = 1);
    let burst = gachi_web::write_limit::BURST_SECONDS;
    let mut eager = app.api_as("eager@example.kr", "merchant").await;
    let mut calm = app.api_as("calm@example.kr", "merchant").await;

    for n in 0..burst {
        let reply = eager.post("/api/v1/products", json!({})).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "write {n} of the burst"
        );
    }
    let refused = eager.post("/api/v1/products", json!({})).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    let retry_after: u64 = refused
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    let body: serde_json::Value = serde_json::from_str(&refused.body).expect("JSON");
    assert_eq!(body["error"], "rate_limited");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("초 뒤에"),
        "{body}"
    );
    let english = eager
        .call_in("en", "POST", "/api/v1/products", Some(json!({})))
        .await;
    assert_eq!(english.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        english.body.contains("Too many changes"),
        "{}",
        english.body
    );

    assert_eq!(
        eager.get("/api/v1/me").await.status,
        StatusCode::OK,
        "reads go on"
    );
    let other = calm.post("/api/v1/products", json!({})).await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another account writes"
    );
}
