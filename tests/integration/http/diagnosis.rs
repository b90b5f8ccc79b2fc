//! The online-sales diagnosis: a merchant registers the shop and answers the questionnaire in
//! the browser, the API scores and explains, and only an operator changes the recommended
//! support track, with a reason kept in the history: a diagnosis (taken at most once a day)
//! shows its recommendation beside an operator's decision but never undoes it.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{
    Answers, MANAGED_ANSWERS, OPERATOR, OWNER, ShopBuilder, TestApp, between, first_id_after,
};

#[tokio::test]
async fn a_merchant_registers_the_shop_takes_the_diagnosis_and_an_operator_overrides_it() {
    let app = TestApp::sqlite("http-diagnosis-web").await;
    let mut merchant = app.merchant(OWNER).await;
    let home = merchant.get("/").await;
    assert!(
        home.body.contains("<a href=\"/my-shop\"><strong>"),
        "the next step links to the shop form"
    );
    // A page that needs the shop says so instead of bouncing silently.
    for page in [
        "/products",
        "/my-shop/markets",
        "/my-shop/sales",
        "/my-shop/diagnosis",
    ] {
        let bounced = merchant.get(page).await;
        assert_eq!(bounced.location(), Some("/my-shop?first=1"), "{page}");
    }
    let first = merchant.get("/my-shop?first=1").await;
    assert!(first.body.contains("먼저 가게를 등록해 주세요"));

    let shop = ShopBuilder::new().business_number("220-81-62517");
    let bad = shop
        .clone()
        .business_number("220-81-62518")
        .register(&mut merchant)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("사업자등록번호가 올바르지 않습니다"));
    assert!(bad.body.contains("value=\"한옥식당\""), "typed values kept");
    let saved = shop
        .with("phone", "063-288-5072")
        .with("opened_year", "1986")
        .with("employees", "2")
        .with("floor_area_m2", "33")
        .with("online_channels", json!(["sns", "naver"]))
        .register(&mut merchant)
        .await;
    assert_eq!(
        saved.location(),
        Some("/my-shop/diagnosis?registered=1"),
        "{}",
        saved.body
    );

    let form = merchant.get("/my-shop/diagnosis?registered=1").await;
    assert!(
        form.body.contains("가게를 등록했습니다"),
        "registering says it worked"
    );
    assert!(form.body.contains("우리 가게 상품은 얼마나 특별한가요?"));
    let incomplete = merchant
        .post_form("/my-shop/diagnosis", &MANAGED_ANSWERS[..8])
        .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        incomplete.body.contains("id=\"e-weekly_hours\""),
        "the unanswered questions are marked"
    );
    assert!(
        incomplete.body.contains("value=\"own_recipe\" checked"),
        "answers kept"
    );
    let done = merchant
        .post_form("/my-shop/diagnosis", &MANAGED_ANSWERS)
        .await;
    assert_eq!(done.location(), Some("/my-shop/diagnosis?done=1#result"));
    let result = merchant.get("/my-shop/diagnosis?done=1").await;
    assert!(
        result
            .body
            .contains("data-testid=\"track\">전담 셀러 (유통설계사 운영)</h1>"),
        "{}",
        result.body
    );
    assert!(
        result
            .body
            .contains("디지털 유통설계사가 전담 셀러로 스토어를 대신 운영해 드립니다")
    );
    assert!(
        result
            .body
            .contains("value=\"79\"></meter><strong>79</strong>"),
        "product score shown"
    );
    let home = merchant.get("/").await;
    assert_eq!(
        home.body.matches("class=\"done\"").count(),
        3,
        "account, shop and diagnosis done"
    );

    let mut operator = app.operator().await;
    let managed = operator.get("/merchants?track=managed").await;
    assert!(managed.body.contains("한옥식당"));
    let id = first_id_after(&managed.body, "href=\"/merchants/");
    let record = operator.get(&format!("/merchants/{id}")).await;
    // The override form lists every track, so the record's own fields are read.
    assert!(
        record
            .body
            .contains("data-testid=\"record-track\">전담 셀러 (유통설계사 운영)<")
            && record.body.contains("<h2>진단 결과 · "),
        "{}",
        record.body
    );
    assert!(
        record
            .body
            .contains("data-testid=\"record-channels\">네이버 스마트스토어, SNS·블로그·카카오톡"),
        "channels kept"
    );
    assert!(
        record.body.contains("<dd>1986</dd>") && record.body.contains("<dd>33</dd>"),
        "store facts kept"
    );
    let track = format!("/merchants/{id}/track");
    let no_reason = operator
        .post_form(&track, &[("track", "channel"), ("reason", " ")])
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("꼭 입력해야 하는 항목입니다"));
    let changed = operator
        .post_form(
            &track,
            &[
                ("track", "channel"),
                ("reason", "아드님이 스토어를 맡기로 함"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let record = operator.get(&format!("/merchants/{id}")).await;
    let history = between(&record.body, "data-testid=\"track-history\"", "</table>");
    assert!(history.contains("아드님이 스토어를 맡기로 함") && history.contains(OPERATOR));
    assert!(
        history.contains("진단 결과"),
        "the diagnosis stays in the history"
    );
    assert!(
        record
            .body
            .contains("data-testid=\"record-track\">직접 입점")
    );

    assert_eq!(
        merchant
            .post_form(&track, &[("track", "managed"), ("reason", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The shop page shows the operator's decision beside the diagnosis's recommendation.
    let shop = merchant.get("/my-shop").await;
    assert!(
        shop.body.contains(
            "data-testid=\"operator-decision\">운영기관 결정: 직접 입점 (판로 지원) (진단 추천: 전담 셀러 (유통설계사 운영))<"
        ),
        "{}",
        shop.body
    );
    // Retaking the same day is refused, saying when it is possible; the decision stands.
    let again = merchant
        .submit("/my-shop/diagnosis", "/my-shop/diagnosis", &MANAGED_ANSWERS)
        .await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        again
            .body
            .contains("진단은 가게마다 하루에 한 번 다시 할 수 있습니다.")
            && again.body.contains("(한국 시간) 이후에 다시 해 주세요"),
        "{}",
        again.body
    );
    let record = operator.get(&format!("/merchants/{id}")).await;
    assert!(
        record
            .body
            .contains("data-testid=\"record-track\">직접 입점")
    );
}

#[tokio::test]
async fn the_diagnosis_api_scores_and_explains() {
    let app = TestApp::sqlite("http-diagnosis-api").await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let (mut owner, id) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let diagnosis = format!("/api/v1/merchants/{id}/diagnosis");
    let scored = owner
        .call_in("en", "POST", &diagnosis, Some(Answers::managed().json()))
        .await;
    assert_eq!(scored.status, StatusCode::CREATED, "{}", scored.body);
    let scored = scored.json();
    assert_eq!(
        (
            scored["product_score"].as_u64(),
            scored["online_score"].as_u64(),
            scored["track"].as_str()
        ),
        (Some(79), Some(20), Some("managed"))
    );
    assert_eq!(scored["reasons"][0]["code"], "reason-managed");
    assert!(
        scored["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("managed seller")
    );

    let missing = owner
        .post(&diagnosis, json!({"answers": {"uniqueness": "magic"}}))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.error_fields()[0], "answers.uniqueness");

    let record = operator
        .get(&format!("/api/v1/merchants/{id}"))
        .await
        .json();
    assert_eq!(record["track"], "managed");
    let track = format!("/api/v1/merchants/{id}/track");
    let refused = owner
        .post(&track, json!({"track": "channel", "reason": "직접 할래요"}))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let no_reason = operator
        .post(&track, json!({"track": "channel", "reason": ""}))
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let overridden = operator
        .post(&track, json!({"track": "channel", "reason": "사장님 요청"}))
        .await;
    assert_eq!(overridden.status, StatusCode::OK);
    assert_eq!(overridden.json()["track"], "channel");
    let history = app
        .store()
        .track_history(gachi_domain::merchants::merchant::MerchantId(id))
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].reason.as_deref(), Some("사장님 요청"));

    // The merchant retakes the diagnosis to put the track back: refused the same day, with
    // when it is possible, and the operator's decision stands.
    let retake = owner
        .call_in("en", "POST", &diagnosis, Some(Answers::managed().json()))
        .await;
    assert_eq!(
        retake.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        retake.body
    );
    let wait: i64 = retake.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 23 * 3600 && wait <= 24 * 3600, "Retry-After {wait}");
    let error = &retake.json()["errors"][0];
    assert_eq!(
        (error["field"].as_str(), error["code"].as_str()),
        (Some("answers"), Some("error-diagnosis-too-soon"))
    );
    let next_at = gachi_domain::kernel::time::Timestamp::parse_rfc3339(
        scored["created_at"].as_str().unwrap(),
    )
    .unwrap()
    .plus_seconds(24 * 3600)
    .display_seoul();
    assert_eq!(
        error["message"],
        format!(
            "A shop can retake the diagnosis once a day. Please try again after {next_at} (Korea time)."
        )
    );
    assert_eq!(
        operator
            .get(&format!("/api/v1/merchants/{id}"))
            .await
            .json()["track"],
        "channel"
    );
}

/// An operator's decision made before the shop's first diagnosis stands too: the diagnosis is
/// kept and returned with its recommendation beside the decision, on the API and the shop page.
#[tokio::test]
async fn a_diagnosis_never_undoes_an_operators_decision() {
    let app = TestApp::sqlite("http-diagnosis-decision").await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let (mut owner, id) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let decided = operator
        .post(
            &format!("/api/v1/merchants/{id}/track"),
            json!({"track": "education", "reason": "위생 교육 이수 먼저"}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);

    let scored = Answers::managed().submit(&mut owner, id).await;
    assert_eq!(scored.status, StatusCode::CREATED, "{}", scored.body);
    let scored = scored.json();
    assert_eq!(
        (
            scored["track"].as_str(),
            scored["merchant_track"].as_str(),
            scored["operator_decided"].as_bool()
        ),
        (Some("managed"), Some("education"), Some(true)),
        "the recommendation beside the standing decision"
    );
    let record = operator
        .get(&format!("/api/v1/merchants/{id}"))
        .await
        .json();
    assert_eq!(record["track"], "education");

    let mut browser = app.sign_in(OWNER).await;
    let shop = browser.get("/my-shop").await;
    assert!(
        shop.body
            .contains("운영기관 결정: 교육 먼저 (진단 추천: 전담 셀러 (유통설계사 운영))"),
        "{}",
        shop.body
    );
    let result = browser.get("/my-shop/diagnosis?done=1").await;
    assert!(
        result.body.contains(
            "data-testid=\"operator-decision\">운영기관 결정: 교육 먼저 (진단 추천: 전담 셀러 (유통설계사 운영))<"
        ),
        "{}",
        result.body
    );
}
