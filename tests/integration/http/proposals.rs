//! Matching proposals, outcomes and the caseload over HTTP, on every store: a sent run proposes
//! each new pair to both sides; nothing starts until both accept, with the scopes the owner
//! chose; a decline closes it; an open proposal keeps the shop out of the next run and takes a
//! place of the designer's. The designer's caseload shows the shop with its next step, the
//! directory shows the designer's outcomes, and the dashboard counts designers by level.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Answers, NUMBERS, OPERATOR, OWNER, ProductBuilder, ShopBuilder, TestApp};

#[tokio::test]
async fn a_proposal_starts_a_delegation_only_when_both_sides_accept() {
    for app in TestApp::on_every_store("proposals").await {
        let backend = app.store().backend();
        let (mut owner, shop) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
        let diagnosed = Answers::managed().submit(&mut owner, shop).await;
        assert_eq!(diagnosed.status, StatusCode::CREATED, "{}", diagnosed.body);
        let (mut other, other_shop) = ShopBuilder::new()
            .name("동부떡집")
            .business_number(NUMBERS[1])
            .industry("I21001")
            .owned_by("dongbu@shop.kr")
            .build(&app)
            .await;
        Answers::managed().submit(&mut other, other_shop).await;
        let mut operator = app.api_as(OPERATOR, "operator").await;
        let designer = app.user("kim@designer.kr", "designer", "52110").await;
        let mut kim = app.api_of("kim@designer.kr").await;
        let saved = kim
            .put(
                "/api/v1/designers/me",
                json!({"regions": ["52111"], "industries": ["I2"], "skills": ["onboarding"], "capacity": 2}),
            )
            .await;
        assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
        operator
            .post(
                "/api/v1/certificates",
                json!({"holder_id": designer.id.0, "level": 1}),
            )
            .await;

        // A dry run keeps nothing.
        let dry = operator
            .post("/api/v1/matching/runs", json!({"sido": "52"}))
            .await;
        assert_eq!(
            dry.json()["proposals"].as_array().unwrap().len(),
            2,
            "{backend}"
        );
        assert_eq!(dry.json()["sent"], 0);
        assert_eq!(
            owner.get("/api/v1/matching/proposals").await.json(),
            json!([])
        );

        let sent = operator
            .post("/api/v1/matching/runs", json!({"sido": "52", "send": true}))
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{backend}: {}", sent.body);
        assert_eq!(sent.json()["sent"], 2);
        // Open proposals keep both shops out of the next run and fill the designer's places.
        let again = operator
            .post("/api/v1/matching/runs", json!({"sido": "52", "send": true}))
            .await;
        assert_eq!(again.json()["sent"], 0, "{backend}: {}", again.body);
        assert_eq!(again.json()["proposals"], json!([]));

        let mine = owner.get("/api/v1/matching/proposals").await.json();
        assert_eq!(
            mine.as_array().unwrap().len(),
            1,
            "{backend}: only the shop's own"
        );
        assert_eq!(mine[0]["designer_id"], designer.id.0);
        assert_eq!(mine[0]["status"], "waiting");
        let id = mine[0]["id"].as_i64().unwrap();
        let theirs = other.get("/api/v1/matching/proposals").await.json();
        let other_id = theirs[0]["id"].as_i64().unwrap();
        assert_eq!(
            kim.get("/api/v1/matching/proposals")
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            2
        );

        // The bell counts what waits for an answer, and the list points at it.
        let mut kim_browser = app.sign_in("kim@designer.kr").await;
        assert_eq!(
            kim_browser.get("/notifications/badge").await.body,
            "<span class=\"badge\" data-testid=\"bell-count\">2</span>",
            "{backend}"
        );
        let listed = kim_browser.get("/notifications").await.body;
        assert!(
            listed.contains(&format!("/delegations#proposal-{id}")),
            "{backend}: {listed}"
        );

        // Nobody else answers for a side.
        let stranger = other
            .post(
                &format!("/api/v1/matching/proposals/{id}/accept"),
                json!({"scopes": ["catalog"], "days": 30}),
            )
            .await;
        assert_eq!(stranger.status, StatusCode::NOT_FOUND, "{backend}");
        let staff = operator
            .post(
                &format!("/api/v1/matching/proposals/{id}/accept"),
                json!({}),
            )
            .await;
        assert_eq!(
            staff.status,
            StatusCode::NOT_FOUND,
            "{backend}: staff do not answer"
        );

        // The designer accepts first: still nothing runs; a second answer is refused.
        let accepted = kim
            .post(
                &format!("/api/v1/matching/proposals/{id}/accept"),
                json!({}),
            )
            .await;
        assert_eq!(
            accepted.status,
            StatusCode::OK,
            "{backend}: {}",
            accepted.body
        );
        assert_eq!(accepted.json()["status"], "waiting_merchant");
        assert_eq!(
            kim_browser.get("/notifications/badge").await.body,
            "<span class=\"badge\" data-testid=\"bell-count\">1</span>",
            "{backend}: an answered proposal leaves the bell"
        );
        let twice = kim
            .post(
                &format!("/api/v1/matching/proposals/{id}/accept"),
                json!({}),
            )
            .await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(twice.error_fields(), ["proposal"]);
        let product = ProductBuilder::new().create(&mut owner).await;
        let product_path = format!("/api/v1/products/{product}");
        assert_eq!(
            kim.get(&product_path).await.status,
            StatusCode::NOT_FOUND,
            "{backend}"
        );

        // The owner must say what it grants; then the delegation starts with exactly that.
        let nothing = owner
            .post(
                &format!("/api/v1/matching/proposals/{id}/accept"),
                json!({"days": 30}),
            )
            .await;
        assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(nothing.error_fields(), ["scopes"]);
        let started = owner
            .post(
                &format!("/api/v1/matching/proposals/{id}/accept"),
                json!({"scopes": ["catalog"], "days": 30}),
            )
            .await;
        assert_eq!(
            started.status,
            StatusCode::OK,
            "{backend}: {}",
            started.body
        );
        assert_eq!(started.json()["status"], "started");
        let delegation = started.json()["delegation_id"]
            .as_i64()
            .expect("a delegation");
        let delegations = owner.get("/api/v1/delegations").await.json();
        assert_eq!(delegations[0]["id"], delegation);
        assert_eq!(delegations[0]["scopes"], json!(["catalog"]));
        assert_eq!(delegations[0]["active"], true);
        assert_eq!(
            kim.get(&product_path).await.status,
            StatusCode::OK,
            "{backend}"
        );
        let submit = kim
            .post_empty(&format!("/api/v1/products/{product}/listings/naver/submit"))
            .await;
        assert_eq!(
            submit.status,
            StatusCode::NOT_FOUND,
            "{backend}: listing was not granted"
        );

        // The other shop's owner declines: closed for both sides.
        let declined = other
            .post_empty(&format!("/api/v1/matching/proposals/{other_id}/decline"))
            .await;
        assert_eq!(declined.json()["status"], "declined", "{backend}");
        let late = kim
            .post(
                &format!("/api/v1/matching/proposals/{other_id}/accept"),
                json!({}),
            )
            .await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The caseload shows the delegated shop and its next step; the directory the record.
        let caseload = kim.get("/api/v1/caseload").await;
        assert_eq!(
            caseload.status,
            StatusCode::OK,
            "{backend}: {}",
            caseload.body
        );
        let cases = caseload.json();
        assert_eq!(cases.as_array().unwrap().len(), 1, "{backend}: {cases}");
        assert_eq!(cases[0]["merchant_id"], shop);
        assert_eq!(cases[0]["days_idle"], 0);
        assert_eq!(cases[0]["scopes"], json!(["catalog"]));
        assert!(
            cases[0]["blockers"].to_string().contains("API 키"),
            "{backend}: no keys yet: {cases}"
        );
        assert_eq!(
            owner.get("/api/v1/caseload").await.status,
            StatusCode::FORBIDDEN
        );
        let directory = owner.get("/api/v1/designers").await.json();
        assert_eq!(directory[0]["outcomes"]["shops_served"], 1, "{backend}");
        assert_eq!(directory[0]["outcomes"]["first_listings"], 0);

        // The shop goes on sale and reports its first sale: the designer's record says so,
        // and the caseload shows the card on sale.
        let moved = operator
            .post(
                "/api/v1/onboarding/moves",
                json!({"merchant_id": shop, "channel": "naver", "stage": "selling"}),
            )
            .await;
        assert_eq!(
            moved.status,
            StatusCode::NO_CONTENT,
            "{backend}: {}",
            moved.body
        );
        let month = gachi_domain::results::Month::of(gachi_domain::kernel::time::Timestamp::now());
        let reported = operator
            .post(
                "/api/v1/sales-reports",
                json!({"merchant_id": shop, "channel": "naver", "month": month.to_string(), "sales_krw": 450_000, "orders": 30}),
            )
            .await;
        assert_eq!(
            reported.status,
            StatusCode::CREATED,
            "{backend}: {}",
            reported.body
        );
        let outcomes = &owner.get("/api/v1/designers").await.json()[0]["outcomes"];
        assert_eq!(outcomes["first_listings"], 1, "{backend}: {outcomes}");
        assert_eq!(outcomes["median_days_to_first_listing"], 0);
        assert_eq!(outcomes["first_sales_within_90_days"], 1);
        assert!(outcomes["rate"].as_f64().unwrap() > 0.5, "{outcomes}");
        let case = &kim.get("/api/v1/caseload").await.json()[0];
        assert_eq!(
            case["cards"],
            json!([{"channel": "naver", "stage": "selling"}])
        );

        // The dashboard counts the designer at 1급 in 전북, and the shop under delegation.
        let dashboard = app.sign_in(OPERATOR).await.get("/dashboard").await;
        let section = dashboard
            .body
            .split("designers-by-sido")
            .nth(1)
            .unwrap_or_default();
        assert!(section.contains("전북특별자치도"), "{backend}");
        assert!(
            section.contains(
                "<td class=\"number\">1</td><td class=\"number\">0</td><td class=\"number\">1</td>"
            ),
            "{backend}: {section}"
        );
    }
}
