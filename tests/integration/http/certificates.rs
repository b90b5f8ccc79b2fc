//! 디지털 유통설계사 certificates over HTTP: staff issue and revoke, a designer sees their own,
//! anyone reads the signed Open Badges 3.0 credential and verifies it — offline by the W3C
//! algorithm or on the public /verify page — and the KPI counts valid certificates, not accounts.

use axum::http::StatusCode;
use gachi_domain::designers::{NotValid, status_list, verify_offline};
use gachi_domain::kernel::time::Timestamp;
use serde_json::json;

use crate::support::{OPERATOR, TestApp};

#[tokio::test]
async fn certificates_are_issued_verified_revoked_and_counted() {
    let app = TestApp::sqlite("certificates").await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let certified = app.user("kim@designer.kr", "designer", "52110").await;
    app.user("lee@designer.kr", "designer", "").await;
    let mut designer = app.api_of("kim@designer.kr").await;
    let mut merchant = app.api_as("shop@owner.kr", "merchant").await;
    let mut anonymous = app.api_with(None);

    let refused = operator
        .post(
            "/api/v1/certificates",
            json!({"holder_id": merchant.get("/api/v1/me").await.json()["id"], "level": 2}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let by_designer = designer
        .post(
            "/api/v1/certificates",
            json!({"holder_id": certified.id.0, "level": 2}),
        )
        .await;
    assert_eq!(by_designer.status, StatusCode::FORBIDDEN);

    let issued = operator
        .post(
            "/api/v1/certificates",
            json!({"holder_id": certified.id.0, "level": 2}),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    let number = issued.json()["number"].as_str().unwrap().to_owned();

    let listed = operator.get("/api/v1/certificates").await.json();
    assert_eq!(listed[0]["number"], number.as_str());
    assert_eq!(listed[0]["holder"], certified.display_name.as_str());
    assert_eq!(
        (listed[0]["level"].clone(), listed[0]["status"].clone()),
        (json!(2), json!("valid"))
    );
    assert_eq!(
        designer
            .get("/api/v1/certificates")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        merchant.get("/api/v1/certificates").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        anonymous.get("/api/v1/certificates").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Anyone reads the credential and verifies it with nothing but the document.
    let credential = anonymous
        .get(&format!("/api/v1/certificates/{number}"))
        .await;
    assert_eq!(credential.status, StatusCode::OK, "{}", credential.body);
    let document = credential.json();
    assert!(
        document["type"]
            .as_array()
            .unwrap()
            .contains(&json!("OpenBadgeCredential"))
    );
    assert_eq!(document["proof"]["type"], "DataIntegrityProof");
    assert_eq!(document["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert!(
        document["proof"]["verificationMethod"]
            .as_str()
            .unwrap()
            .starts_with("did:key:z6Mk")
    );
    let verified = verify_offline(&document, Timestamp::now()).unwrap();
    assert_eq!(verified.number, number);
    assert_eq!(verified.holder_name, certified.display_name);
    let mut altered = document.clone();
    altered["credentialSubject"]["licenseNumber"] = json!(format!("{number}0"));
    assert!(matches!(
        verify_offline(&altered, Timestamp::now()),
        Err(NotValid::Proof(_))
    ));
    assert_eq!(
        anonymous
            .get("/api/v1/certificates/DDS-1999-000001")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let mut visitor = app.browser();
    let page = visitor.get(&format!("/verify/{number}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&certified.display_name), "{}", page.body);
    assert!(page.body.contains(r#"data-testid="verify-status">"#));
    assert!(
        crate::support::between(&page.body, r#"data-testid="verify-status">"#, "</p>")
            .contains("유효"),
        "{}",
        page.body
    );
    assert_eq!(
        visitor.get("/verify/DDS-1999-000001").await.status,
        StatusCode::NOT_FOUND
    );
    let print = visitor.get(&format!("/certificates/{number}/print")).await;
    assert!(
        print.body.contains("국가자격 또는 국가공인자격이 아닙니다"),
        "{}",
        print.body
    );
    assert!(print.body.contains("<svg"), "a QR code");

    // The KPI counts people holding a valid certificate: one of the two designer accounts.
    let year = Timestamp::now().in_seoul().year();
    let kpi = operator
        .get(&format!("/api/v1/kpi?year={year}"))
        .await
        .json();
    assert_eq!(kpi["actuals"]["certified_designers"], 1, "{kpi}");

    let revoked = operator
        .post(
            &format!("/api/v1/certificates/{number}/revoke"),
            json!({"reason": "부정 응시"}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.body);
    let list = anonymous
        .get("/api/v1/certificates/status-list")
        .await
        .json();
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    let index: u32 = document["credentialStatus"]["statusListIndex"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(status_list::is_set(encoded, index), Some(true));
    assert!(
        verify_offline(&list, Timestamp::now()).is_err(),
        "a status list is no badge"
    );
    let page = visitor.get(&format!("/verify/{number}")).await;
    assert!(
        crate::support::between(&page.body, r#"data-testid="verify-status">"#, "</p>")
            .contains("취소"),
        "{}",
        page.body
    );
    assert!(page.body.contains("부정 응시"));
    let kpi = operator
        .get(&format!("/api/v1/kpi?year={year}"))
        .await
        .json();
    assert_eq!(kpi["actuals"]["certified_designers"], 0);
}

/// A certificate is renewed by its holder's outcomes, in its renewal window only: not before 90
/// days ahead of its end, and only when the record earns it — here, for 2급, one shop whose first
/// listing went live under the designer's delegation.
#[tokio::test]
async fn a_certificate_is_renewed_by_outcomes_in_its_window() {
    let clock = crate::support::TestClock::starting_now();
    let app = TestApp::sqlite("certificate-renewal")
        .await
        .with_clock(clock.clone());
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let designer = app.user("kim@designer.kr", "designer", "52110").await;
    app.user("lee@designer.kr", "designer", "").await;
    let mut kim = app.api_of("kim@designer.kr").await;
    let mut lee = app.api_of("lee@designer.kr").await;
    let issued = operator
        .post(
            "/api/v1/certificates",
            json!({"holder_id": designer.id.0, "level": 2}),
        )
        .await;
    let number = issued.json()["number"].as_str().unwrap().to_owned();
    let renewal = format!("/api/v1/certificates/{number}/renewal");

    let early = kim.post_empty(&renewal).await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.body
    );
    assert_eq!(early.json()["errors"][0]["code"], "error-renewal-too-early");
    assert_eq!(lee.post_empty(&renewal).await.status, StatusCode::NOT_FOUND);

    // Near the end of two years (with new tokens: the old ones expired), but no record yet.
    clock.advance_days(700);
    let mut kim = app.api_of("kim@designer.kr").await;
    let mut operator = app.api_of(OPERATOR).await;
    let unearned = kim.post_empty(&renewal).await;
    assert_eq!(
        unearned.json()["errors"][0]["code"],
        "error-renewal-outcomes"
    );

    // A shop delegates to the designer and goes on sale: that earns a 2급 renewal.
    let (mut owner, shop) = crate::support::ShopBuilder::new()
        .owned_by(crate::support::OWNER)
        .build(&app)
        .await;
    let granted = owner
        .post(
            "/api/v1/delegations",
            json!({"designer_email": "kim@designer.kr", "scopes": ["catalog"], "days": 30}),
        )
        .await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.body);
    clock.advance_days(5);
    operator
        .post(
            "/api/v1/onboarding/moves",
            json!({"merchant_id": shop, "channel": "naver", "stage": "selling"}),
        )
        .await;
    let renewed = kim.post_empty(&renewal).await;
    assert_eq!(renewed.status, StatusCode::CREATED, "{}", renewed.body);
    assert_ne!(renewed.json()["number"], number.as_str());
    assert_eq!(renewed.json()["level"], 2);
    let listed = kim.get("/api/v1/certificates").await.json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        2,
        "the old one runs out on its own date"
    );
}

/// A certificate is renewed by 보수교육 hours: courses completed while it ran, 12 hours for 2급.
/// A course completed before it was issued does not count, and the basis must be one Gachi knows.
#[tokio::test]
async fn a_certificate_is_renewed_by_continuing_education_hours() {
    let clock = crate::support::TestClock::starting_now();
    let app = TestApp::sqlite("certificate-cpd")
        .await
        .with_clock(clock.clone());
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let designer = app.user("kim@designer.kr", "designer", "52110").await;
    let mut kim = app.api_of("kim@designer.kr").await;
    // A course of 8 hours and one of 4; an hours value out of range is a field error.
    let too_many = operator
        .post(
            "/api/v1/courses",
            json!({"title": "과다", "area": "live", "hours": 41}),
        )
        .await;
    assert_eq!(too_many.error_fields(), ["hours"]);
    let mut course = async |title: &str, hours: u32| {
        let id = operator
            .post(
                "/api/v1/courses",
                json!({"title": title, "area": "listing", "hours": hours}),
            )
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let module = operator
            .post(
                &format!("/api/v1/courses/{id}/modules"),
                json!({"title": "읽기", "body": "본문"}),
            )
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        (id, module)
    };
    let early = course("입문", 8).await;
    let advanced = course("심화", 4).await;
    let later = course("보강", 8).await;
    // Completed before the certificate: not counted.
    let pass = async |kim: &mut crate::support::Api, (id, module): (i64, i64)| {
        let passed = kim
            .post(
                &format!("/api/v1/courses/{id}/modules/{module}/answers"),
                json!({"answers": []}),
            )
            .await;
        assert_eq!(passed.json()["passed"], true, "{}", passed.body);
    };
    pass(&mut kim, early).await;
    clock.advance_minutes(5);
    let issued = operator
        .post(
            "/api/v1/certificates",
            json!({"holder_id": designer.id.0, "level": 2}),
        )
        .await;
    let number = issued.json()["number"].as_str().unwrap().to_owned();
    clock.advance_days(30);
    let mut kim = app.api_of("kim@designer.kr").await;
    pass(&mut kim, advanced).await;
    clock.advance_days(670);
    let mut kim = app.api_of("kim@designer.kr").await;
    let renewal = format!("/api/v1/certificates/{number}/renewal");
    let unknown = kim.post_empty(&format!("{renewal}?basis=luck")).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.error_fields(), ["basis"]);
    let short = kim.post_empty(&format!("{renewal}?basis=cpd")).await;
    assert_eq!(
        short.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        short.body
    );
    assert_eq!(
        short.json()["errors"][0]["code"],
        "error-renewal-cpd",
        "4 hours while valid; the 8 before it do not count"
    );
    let mut page = app.sign_in("kim@designer.kr").await;
    let listed = page.get("/certificates").await.body;
    assert!(
        listed.contains("보수교육 4시간 이수 (갱신에 12시간 필요)"),
        "{listed}"
    );
    pass(&mut kim, later).await;
    let renewed = kim.post_empty(&format!("{renewal}?basis=cpd")).await;
    assert_eq!(renewed.status, StatusCode::CREATED, "{}", renewed.body);
    assert_eq!(renewed.json()["level"], 2);
    assert_ne!(renewed.json()["number"], number.as_str());
}
