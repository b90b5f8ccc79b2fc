//! Delegations over HTTP: a designer's token sees nothing of a shop until the shop delegates to
//! them, then works within the scopes granted only, with every change recorded as acting for the
//! shop; a revocation refuses the very next request.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{OPERATOR, OWNER, ProductBuilder, ShopBuilder, TestApp};

#[tokio::test]
async fn a_designer_works_on_a_shop_only_under_its_delegation() {
    let app = TestApp::sqlite("delegations").await;
    let (mut owner, shop) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let product = ProductBuilder::new().create(&mut owner).await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let designer = app.user("kim@designer.kr", "designer", "52110").await;
    let mut kim = app.api_of("kim@designer.kr").await;
    let path = format!("/api/v1/products/{product}");

    // Without a delegation the shop's product does not exist for the designer.
    assert_eq!(kim.get(&path).await.status, StatusCode::NOT_FOUND);

    // Only a certified designer can be delegated to.
    let grant = json!({"designer_email": "kim@designer.kr", "scopes": ["catalog"], "days": 90});
    let refused = owner.post("/api/v1/delegations", grant.clone()).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.error_fields(), ["designer_email"]);
    let issued = operator
        .post(
            "/api/v1/certificates",
            json!({"holder_id": designer.id.0, "level": 2}),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);

    let granted = owner.post("/api/v1/delegations", grant).await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.body);
    let delegation = granted.json()["id"].as_i64().unwrap();
    assert_eq!(granted.json()["merchant_id"], shop);
    assert_eq!(granted.json()["active"], true);
    assert_eq!(
        kim.get("/api/v1/delegations").await.json()[0]["merchant_id"],
        shop
    );

    let seen = kim.get(&path).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    let renamed = kim
        .patch(
            &path,
            json!({"name": "전주 비빔밥 밀키트 2인분 (설계사 수정)"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    // Listing was not granted: sending is refused, and so is another shop's catalog.
    let submit = kim
        .post_empty(&format!("{path}/listings/naver/submit"))
        .await;
    assert_eq!(submit.status, StatusCode::NOT_FOUND, "{}", submit.body);

    // The merchant reads what the designer did, on the delegations page.
    let mut browser = app.sign_in(OWNER).await;
    let page = browser.get("/delegations").await;
    assert_eq!(page.status, StatusCode::OK);
    let activity = crate::support::between(
        &page.body,
        r#"data-testid="delegation-activity""#,
        "</section>",
    );
    assert!(
        activity.contains("kim@designer.kr") && activity.contains("product.update"),
        "{activity}"
    );

    // The designer opens the shop's products from their own page.
    let mut designer_browser = app.sign_in("kim@designer.kr").await;
    let theirs = designer_browser.get("/delegations").await;
    assert!(
        theirs.body.contains(&format!("/products?merchant={shop}")),
        "{}",
        theirs.body
    );
    let list = designer_browser
        .get(&format!("/products?merchant={shop}"))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("설계사 수정"));

    let revoked = owner
        .post_empty(&format!("/api/v1/delegations/{delegation}/revoke"))
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(
        kim.get(&path).await.status,
        StatusCode::NOT_FOUND,
        "refused at once"
    );
    assert_eq!(
        designer_browser
            .get(&format!("/products?merchant={shop}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
