//! The designer directory and matching over HTTP: a certified designer's profile puts them in
//! the directory merchants search; an operator's matching run proposes the managed-track shop
//! of the same 시도 to them with why, and says why a shop is left over.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Answers, OPERATOR, OWNER, ShopBuilder, TestApp};

#[tokio::test]
async fn the_directory_and_matching_propose_certified_designers_with_reasons() {
    let app = TestApp::sqlite("designers").await;
    let (mut owner, shop) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let diagnosed = Answers::managed().submit(&mut owner, shop).await;
    assert_eq!(diagnosed.status, StatusCode::CREATED, "{}", diagnosed.body);
    let mut operator = app.api_as(OPERATOR, "operator").await;

    // No certified designer yet: the shop is left over, and says why.
    let run = operator
        .post("/api/v1/matching/runs", json!({"sido": "52"}))
        .await;
    assert_eq!(run.status, StatusCode::OK, "{}", run.body);
    assert_eq!(run.json()["proposals"], json!([]));
    assert_eq!(run.json()["unassigned"][0]["merchant_id"], shop);
    assert_eq!(
        run.json()["unassigned"][0]["reason"],
        "reason-matching-no-designer-in-sido"
    );

    let designer = app.user("kim@designer.kr", "designer", "52110").await;
    let mut kim = app.api_of("kim@designer.kr").await;
    let bad = kim
        .put(
            "/api/v1/designers/me",
            json!({"regions": [], "capacity": 0}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["capacity", "regions"]);
    let saved = kim
        .put(
            "/api/v1/designers/me",
            json!({"regions": ["52111"], "industries": ["I2"], "skills": ["onboarding"], "capacity": 3}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);

    // Not in the directory until certified; a 1급 is what the managed track needs.
    assert_eq!(owner.get("/api/v1/designers").await.json(), json!([]));
    let issued = operator
        .post(
            "/api/v1/certificates",
            json!({"holder_id": designer.id.0, "level": 1}),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED);
    let listed = owner
        .get("/api/v1/designers?region=52111&skill=onboarding")
        .await
        .json();
    assert_eq!(listed[0]["name"], designer.display_name.as_str());
    assert_eq!(listed[0]["level"], 1);
    assert_eq!(
        owner.get("/api/v1/designers?region=11").await.json(),
        json!([])
    );

    let run = operator
        .post("/api/v1/matching/runs", json!({"sido": "52"}))
        .await;
    let proposal = &run.json()["proposals"][0];
    assert_eq!(proposal["merchant_id"], shop);
    assert_eq!(proposal["designer_id"], designer.id.0);
    assert!(
        proposal["why"].as_str().unwrap().contains("전주시 완산구"),
        "{proposal}"
    );
    assert_eq!(run.json()["unassigned"], json!([]));
    assert_eq!(
        owner.post("/api/v1/matching/runs", json!({})).await.status,
        StatusCode::FORBIDDEN
    );
}
