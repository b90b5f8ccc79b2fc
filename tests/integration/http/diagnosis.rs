//! The online-sales diagnosis: a merchant registers the shop and answers the questionnaire in
//! the browser, the API scores and explains, and only an operator changes the recommended
//! support track, with a reason kept in the history.

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
        Some("/my-shop/diagnosis"),
        "{}",
        saved.body
    );

    let form = merchant.get("/my-shop/diagnosis").await;
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
}
