//! The JSON API as a client sees it: the OpenAPI document (a snapshot, so a change to the
//! contract is deliberate), bearer tokens, roles, field errors in the asked language, and the
//! account endpoints.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{OPERATOR, TestApp};

/// The OpenAPI document is part of the API contract: a change to it must be deliberate.
#[tokio::test]
async fn openapi_document_matches_the_snapshot() {
    let app = TestApp::sqlite("http-openapi").await;
    let openapi = app.browser().get("/api/openapi.json").await.json();
    insta::assert_json_snapshot!("openapi", openapi);
}

#[tokio::test]
async fn the_api_authenticates_by_token_and_enforces_roles() {
    let app = TestApp::sqlite("http-api-auth").await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let mut merchant = app.api_as("m@hanok.kr", "merchant").await;

    let me = operator.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(
        (me.json()["email"].as_str(), me.json()["role"].as_str()),
        (Some(OPERATOR), Some("operator"))
    );
    for token in [None, Some("gachi_wrong"), Some("not-even-prefixed")] {
        let reply = app.api_with(token).get("/api/v1/me").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(reply.json()["error"], "unauthorized");
        assert_eq!(reply.headers["www-authenticate"], "Bearer");
    }

    let forbidden = merchant.get("/api/v1/users").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(
        forbidden.json()["message"],
        "이 페이지나 기능을 쓸 권한이 없습니다."
    );
    let post_forbidden = merchant.post("/api/v1/users", json!({})).await;
    assert_eq!(post_forbidden.status, StatusCode::FORBIDDEN);

    let invalid = operator
        .call_in(
            "en-US,en;q=0.9",
            "POST",
            "/api/v1/users",
            Some(json!({"email": "x", "password": "1", "role": "localgov"})),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.error_fields(), ["email", "password", "region_code"]);
    assert_eq!(
        invalid.json()["errors"][0]["message"],
        "This is not a valid email address, e.g. name@example.com"
    );

    let body = json!({"email": "gov@jeonju.go.kr", "password": "처음비밀번호1234", "role": "localgov", "region_code": "45110"});
    let created = operator.post("/api/v1/users", body.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["region_code"], "52110");
    assert_eq!(created.json()["region_name"], "전북특별자치도 전주시");
    let duplicate = operator.post("/api/v1/users", body).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.error_fields(), ["email"]);

    let admin =
        json!({"email": "boss@program.kr", "password": "처음비밀번호1234", "role": "admin"});
    let refused = operator.post("/api/v1/users", admin).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut not_json = operator.request("POST", "/api/v1/users", None);
    *not_json.body_mut() = axum::body::Body::from("{not json");
    not_json
        .headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    let bad = operator.send(not_json).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"], "bad_request");

    let listed = operator.get("/api/v1/users?role=localgov").await;
    assert_eq!(listed.json().as_array().unwrap().len(), 1);
    let bad_role = operator.get("/api/v1/users?role=king").await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_role.error_fields(), ["role"]);
}
