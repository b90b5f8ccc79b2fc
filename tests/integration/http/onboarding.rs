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
}
