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

#[tokio::test]
async fn the_directory_and_certificates_come_in_pages_with_the_number_that_match() {
    let app = TestApp::sqlite("designers-pages").await;
    let (mut owner, _) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    for n in 0..32 {
        let email = format!("designer{n:02}@designer.kr");
        let designer = app.user(&email, "designer", "52110").await;
        let saved = app
            .api_of(&email)
            .await
            .put(
                "/api/v1/designers/me",
                json!({"regions": ["52"], "skills": ["onboarding"], "capacity": 3}),
            )
            .await;
        assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
        let issued = operator
            .post(
                "/api/v1/certificates",
                json!({"holder_id": designer.id.0, "level": 2}),
            )
            .await;
        assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    }
    let ids = |reply: &crate::support::Reply| -> Vec<i64> {
        let list = reply.json();
        list.as_array()
            .expect("a list")
            .iter()
            .map(|d| d["designer_id"].as_i64().unwrap())
            .collect()
    };
    let everyone = owner.get("/api/v1/designers?limit=200").await;
    assert_eq!(everyone.headers["x-total-count"], "32");
    let everyone = ids(&everyone);
    assert_eq!(everyone.len(), 32);
    let first = owner.get("/api/v1/designers?limit=10").await;
    assert_eq!(ids(&first), everyone[..10]);
    assert_eq!(
        first.headers["x-total-count"], "32",
        "the total on every page"
    );
    let last = owner.get("/api/v1/designers?limit=10&page=4").await;
    assert_eq!(ids(&last), everyone[30..], "the last page holds the rest");
    let beyond = owner.get("/api/v1/designers?limit=10&page=9").await;
    assert_eq!(ids(&beyond), Vec::<i64>::new());
    assert_eq!(
        ids(&owner.get("/api/v1/designers?limit=10&page=0").await),
        everyone[..10],
        "page 0 is the first"
    );

    // The staff list of certificates pages the same way.
    let certificates = operator.get("/api/v1/certificates?limit=10&page=4").await;
    assert_eq!(certificates.status, StatusCode::OK);
    assert_eq!(certificates.headers["x-total-count"], "32");
    let numbers: Vec<String> = certificates
        .json()
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["number"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(numbers.len(), 2, "{numbers:?}");
    assert!(
        numbers[1].ends_with("000001"),
        "the oldest last: {numbers:?}"
    );

    let mut browser = app.sign_in(OWNER).await;
    let page = browser.get("/designers?skill=onboarding").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("data-testid=\"designer-entry\"").count(),
        30
    );
    assert!(
        page.body.contains("조건에 맞는 설계사 32명"),
        "the total is shown"
    );
    assert!(!page.body.contains("data-testid=\"previous-page\""));
    let next = page
        .body
        .split_once("\" data-testid=\"next-page\"")
        .and_then(|(before, _)| before.rsplit_once("href=\""))
        .map(|(_, link)| link)
        .expect("a link to the next page");
    assert_eq!(
        next.replace("&#38;", "&"),
        "/designers?skill=onboarding&page=2",
        "the next page keeps the filter"
    );
    let second = browser.get("/designers?skill=onboarding&page=2").await;
    assert_eq!(
        second
            .body
            .matches("data-testid=\"designer-entry\"")
            .count(),
        2
    );
    assert!(second.body.contains("data-testid=\"previous-page\""));
    assert!(!second.body.contains("data-testid=\"next-page\""));
}
