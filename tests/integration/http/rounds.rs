//! Program rounds: an operator opens a round with quotas, merchants apply (a shop without a
//! diagnosis is told what to do first), the decision ranks and explains, and an officer
//! nominates diagnosed shops of their own region.

use axum::http::StatusCode;

use crate::support::{Answers, NUMBERS, ShopBuilder, TestApp};

#[tokio::test]
async fn a_round_is_opened_applied_to_and_decided_with_explanations() {
    let app = TestApp::sqlite("http-rounds").await;
    // Three merchants in 전북 (two) and Seoul (one), all diagnosed; a fourth without a diagnosis.
    let shops = [
        ("a@shop.kr", "전주빵집", NUMBERS[0], "52111", "professional"),
        ("b@shop.kr", "군산떡집", NUMBERS[1], "52130", "none"),
        ("c@shop.kr", "종로떡집", NUMBERS[2], "11110", "phone"),
    ];
    for (email, name, number, region, photos) in shops {
        let (mut owner, id) = ShopBuilder::new()
            .name(name)
            .business_number(number)
            .region(region)
            .industry("I21001")
            .owned_by(email)
            .build(&app)
            .await;
        let scored = Answers::managed()
            .with("photos", photos)
            .submit(&mut owner, id)
            .await;
        assert_eq!(scored.status, StatusCode::CREATED, "{}", scored.body);
    }

    let mut operator = app.operator().await;
    let bad = operator
        .submit(
            "/rounds",
            "/rounds",
            &[("name", ""), ("total", "2"), ("sido.52", "abc")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("0 이상의 정수를 적어 주세요")
            && bad.body.contains("꼭 입력해야 하는 항목입니다")
    );
    let opened = operator
        .post_form(
            "/rounds",
            &[
                ("name", "2027 온라인 판로지원 1차"),
                ("total", "3"),
                ("sido.52", "1"),
                ("track.managed", ""),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let round_path = opened.location().unwrap().to_owned();
    let round_id = round_path.rsplit('/').next().unwrap().to_owned();
    let apply = format!("/rounds/{round_id}/apply");

    // A merchant without a diagnosis is told what to do first.
    let mut late = app.merchant("d@shop.kr").await;
    let refused = late.submit("/rounds", &apply, &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("먼저 내 가게를 등록해 주세요"));

    let mut browsers = Vec::new();
    for (email, ..) in shops {
        let mut merchant = app.sign_in(email).await;
        let applied = merchant.submit("/rounds", &apply, &[]).await;
        assert_eq!(
            applied.location(),
            Some("/rounds?applied=1"),
            "{email}: {}",
            applied.body
        );
        let twice = merchant.post_form(&apply, &[]).await;
        assert!(twice.body.contains("이미 이 회차에 신청하셨습니다"));
        browsers.push(merchant);
    }
    assert!(
        browsers[0]
            .get("/rounds")
            .await
            .body
            .contains("선정 결과를 기다리는 중입니다")
    );

    let review = operator.get(&round_path).await;
    assert!(
        review.body.contains("전주빵집")
            && review.body.contains("전체 정원 3명")
            && review.body.contains("전북특별자치도 1명")
    );
    let decide = format!("/rounds/{round_id}/decide");
    let unconfirmed = operator.post_form(&decide, &[]).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed.body.contains("확인란에 표시해 주세요"),
        "asks before selecting"
    );
    let decided = operator.post_form(&decide, &[("confirm", "1")]).await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    let result = operator.get(&round_path).await;
    assert!(result.body.contains("2곳 선정"), "{}", result.body);
    // 전주빵집 (professional photos) outranks 군산떡집 (no photos); 전북 has one seat.
    assert!(
        browsers[0]
            .get("/rounds")
            .await
            .body
            .contains("선정되었습니다 (1위)")
    );
    let gunsan = browsers[1].get("/rounds").await.body;
    assert!(
        gunsan.contains("전북특별자치도 정원 1명이 앞 순위에서 찼습니다 (3위)"),
        "{gunsan}"
    );
    assert!(
        browsers[2]
            .get("/rounds")
            .await
            .body
            .contains("선정되었습니다 (2위)")
    );
    let again = operator.post_form(&decide, &[("confirm", "1")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again
            .body
            .contains("이 회차는 더 이상 신청을 받지 않습니다")
    );

    let selected = app
        .api_as("ops2@program.kr", "operator")
        .await
        .get("/api/v1/merchants?status=selected")
        .await;
    let names: Vec<String> = selected
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 2, "selected merchants are marked: {names:?}");
}

/// A local-government officer nominates a diagnosed merchant of their region into an open round;
/// a shop elsewhere is not theirs to nominate, and an undiagnosed one is refused with the reason.
#[tokio::test]
async fn an_officer_nominates_merchants_of_their_region_into_a_round() {
    let app = TestApp::sqlite("http-nominate").await;
    let mut staff = app.api_as("ops-api@program.kr", "operator").await;
    let mut ids = Vec::new();
    for (name, number, region) in [
        ("전주 떡집", NUMBERS[0], "52111"),
        ("군산 빵집", NUMBERS[1], "52130"),
        ("전주 국수", NUMBERS[2], "52113"),
    ] {
        let shop = ShopBuilder::new()
            .name(name)
            .business_number(number)
            .region(region)
            .industry("I21001");
        ids.push(shop.create(&mut staff).await);
    }
    for id in &ids[..2] {
        let scored = Answers::managed().submit(&mut staff, *id).await;
        assert_eq!(scored.status, StatusCode::CREATED, "{}", scored.body);
    }
    let mut operator = app.operator().await;
    let opened = operator
        .submit(
            "/rounds",
            "/rounds",
            &[("name", "2027 1차"), ("total", "10")],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let round = app.store().rounds().await.unwrap().remove(0).id.0;
    let nominate = format!("/rounds/{round}/nominate");

    let mut officer = app.officer().await;
    let record = officer.get(&format!("/merchants/{}", ids[0])).await;
    assert!(
        record
            .body
            .contains(&format!("data-testid=\"nominate-{round}\""))
    );
    let nominated = officer
        .post_form(&nominate, &[("merchant_id", &ids[0].to_string())])
        .await;
    assert_eq!(
        nominated.location(),
        Some(format!("/merchants/{}?nominated=1", ids[0]).as_str())
    );
    let applications = app
        .store()
        .applications(gachi_domain::program::rounds::RoundId(round))
        .await
        .unwrap();
    assert_eq!(applications.len(), 1);
    let outside = officer
        .post_form(&nominate, &[("merchant_id", &ids[1].to_string())])
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND, "군산 is not 전주's");
    let undiagnosed = officer
        .post_form(&nominate, &[("merchant_id", &ids[2].to_string())])
        .await;
    assert_eq!(undiagnosed.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The record page says "아직 진단 전" anyway, so the reason is matched in full.
    assert!(
        undiagnosed
            .body
            .contains("먼저 온라인 판매 진단을 받아 주세요"),
        "{}",
        undiagnosed.body
    );
}
