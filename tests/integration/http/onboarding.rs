//! The onboarding board: an operator puts shops on it from their record, sees columns by stage
//! with filters, moves a card; the API lists and moves; an officer sees only their region; a
//! merchant sees their own cards with the next step; bad input is a 422 naming the field.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{NUMBERS, OFFICER, OWNER, ShopBuilder, TestApp, column};

#[tokio::test]
async fn the_onboarding_board_moves_cards_by_stage() {
    let app = TestApp::sqlite("http-onboarding").await;
    let (mut owner, hanok) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let mut staff = app.api_as("ops-api@program.kr", "operator").await;
    let daegu = ShopBuilder::new()
        .name("대구 떡집")
        .business_number(NUMBERS[1])
        .region("27110")
        .industry("I21001")
        .create(&mut staff)
        .await;

    let mut operator = app.operator().await;
    let record = operator.get(&format!("/merchants/{hanok}")).await;
    assert!(record.body.contains("data-testid=\"onboarding-start\""));
    let hanok_id = hanok.to_string();
    let move_hanok = |stage: &'static str, back: &'static str| {
        [
            ("merchant_id", hanok_id.as_str()),
            ("channel", "naver"),
            ("stage", stage),
            ("back", back),
        ]
    };
    let started = operator
        .post_form("/onboarding/move", &move_hanok("preparing", "/onboarding"))
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let moved = staff
        .post(
            "/api/v1/onboarding/moves",
            json!({"merchant_id": daegu, "channel": "coupang", "stage": "in_review"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::NO_CONTENT, "{}", moved.body);

    let board = operator.get("/onboarding").await;
    assert_eq!(board.status, StatusCode::OK);
    // Every stage is named with its count above the board, linking to its column.
    for stage in [
        "preparing",
        "account_check",
        "drafting",
        "validated",
        "submitted",
        "in_review",
        "selling",
        "rejected",
        "on_hold",
    ] {
        assert!(
            board.body.contains(&format!(
                "href=\"#col-{stage}\" data-testid=\"stage-count-{stage}\""
            )),
            "{stage}"
        );
        assert!(
            board.body.contains(&format!("id=\"col-{stage}\"")),
            "{stage}"
        );
    }
    // The operator's home counts the cards stuck 14 days or more and links to them.
    let home = operator.get("/").await.body;
    assert!(
        home.contains("14일 넘게 같은 단계에 머문 카드가 0장 있습니다"),
        "{home}"
    );
    assert!(home.contains("href=\"/onboarding?min_age_days=14\""));
    assert!(home.contains("href=\"/rounds\""), "rounds are not 준비 중");
    let preparing = column(&board.body, "preparing");
    assert!(preparing.contains("한옥식당") && !preparing.contains("대구 떡집"));
    assert!(
        board
            .body
            .contains(&format!("data-testid=\"card-{daegu}-coupang\""))
    );
    let moved = operator
        .post_form(
            "/onboarding/move",
            &move_hanok("drafting", "/onboarding?channel=naver"),
        )
        .await;
    assert_eq!(moved.location(), Some("/onboarding?channel=naver"));
    let filtered = operator.get("/onboarding?channel=naver").await;
    assert!(column(&filtered.body, "drafting").contains("한옥식당"));
    assert!(
        !filtered.body.contains("대구 떡집"),
        "the marketplace filter holds"
    );
    let tampered = operator
        .post_form(
            "/onboarding/move",
            &[
                ("merchant_id", hanok_id.as_str()),
                ("channel", "naver"),
                ("stage", "sold"),
            ],
        )
        .await;
    assert_eq!(tampered.status, StatusCode::UNPROCESSABLE_ENTITY);

    let listed = staff.get("/api/v1/onboarding?stage=in_review").await.json();
    let cards = listed.as_array().unwrap();
    assert_eq!(cards.len(), 1, "{listed}");
    assert_eq!(
        (
            cards[0]["merchant_id"].as_i64(),
            cards[0]["stage_name"].as_str()
        ),
        (Some(daegu), Some("심사중"))
    );
    let bad = staff
        .get("/api/v1/onboarding?stage=sold&channel=wemakeprice")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = bad.error_fields();
    assert!(
        fields.contains(&"stage".to_owned()) && fields.contains(&"channel".to_owned()),
        "{fields:?}"
    );
    let forbidden = owner
        .post(
            "/api/v1/onboarding/moves",
            json!({"merchant_id": hanok, "channel": "naver", "stage": "selling"}),
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    // The officer of 전주 sees the 전주 card only; the merchant sees their own with the next step.
    let mut officer = app.api_as(OFFICER, "localgov").await;
    let theirs = officer.get("/api/v1/onboarding").await.json();
    let merchants: Vec<i64> = theirs
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["merchant_id"].as_i64().unwrap())
        .collect();
    assert_eq!(merchants, [hanok]);
    // Their board shows the card but no move control (moves are staff's; it would answer 403).
    let mut officer_page = app.sign_in(OFFICER).await;
    let board = officer_page.get("/onboarding").await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(
        board
            .body
            .contains(&format!("data-testid=\"card-{hanok}-naver\"")),
        "{}",
        board.body
    );
    assert!(
        !board.body.contains("action=\"/onboarding/move\""),
        "{}",
        board.body
    );
    let mine = owner.get("/api/v1/onboarding").await.json();
    assert_eq!(mine[0]["stage"], "drafting");
    assert!(mine[0]["next_action"].as_str().unwrap().contains("상품"));

    // A refusal or a hold says why, and the shop reads it on its own board.
    let unexplained = staff
        .post(
            "/api/v1/onboarding/moves",
            json!({"merchant_id": hanok, "channel": "naver", "stage": "on_hold"}),
        )
        .await;
    assert_eq!(unexplained.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unexplained.error_fields(), ["reason"]);
    let explained = staff
        .post(
            "/api/v1/onboarding/moves",
            json!({"merchant_id": hanok, "channel": "naver", "stage": "on_hold", "reason": "사업자 통신판매업 신고 확인 중"}),
        )
        .await;
    assert_eq!(
        explained.status,
        StatusCode::NO_CONTENT,
        "{}",
        explained.body
    );
    let mut owner_page = app.sign_in(OWNER).await;
    let own_board = owner_page.get("/onboarding").await.body;
    assert!(
        own_board.contains("사유: 사업자 통신판매업 신고 확인 중"),
        "{own_board}"
    );
    let staff_board = operator.get("/onboarding").await.body;
    assert!(staff_board.contains(&format!("data-testid=\"reason-{hanok}-naver\"")));
}
