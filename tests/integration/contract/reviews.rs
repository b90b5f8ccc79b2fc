//! Reading the marketplaces' review back: each marketplace's status mapped to 심사중 / 판매중 /
//! 반려 / 중지 over signed calls, and the board's review check moving the cards the marketplace
//! has decided.

use axum::http::StatusCode;
use gachi_channels::submit::Submitter;
use gachi_contract::{coupang_server, naver_server};
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::{Outcome, ReviewStatus};
use gachi_domain::onboarding::bulk_job::JobKind;
use serde_json::json;

use super::{app_with_naver, credentials, fast, finished_job, fixture, publish, save_naver_keys};
use crate::support::{NUMBERS, OWNER, ProductBuilder, ShopBuilder, column};

/// Coupang's statusName and Naver's statusType map to 심사중 / 판매중 / 반려 / 중지, read with
/// signed calls like every other; 11st and ESM say they cannot be asked.
#[tokio::test]
async fn the_marketplaces_review_status_is_read_back_signed() {
    let keys = credentials();
    let (url, market) = coupang_server(Vec::new()).await;
    let sent = publish(Channel::Coupang, &fixture("phone-holder.json"), &url, &keys).await;
    let Outcome::Created { product_id } = sent.outcome else {
        panic!("{sent:#?}")
    };
    let coupang = Submitter::new(Channel::Coupang, fast(&url));
    assert_eq!(
        coupang.status(&product_id, &keys).await,
        Ok(ReviewStatus::InReview)
    );
    let id: i64 = product_id.parse().unwrap();
    for (name, expected) in [
        ("승인완료", ReviewStatus::Selling),
        (
            "승인반려",
            ReviewStatus::Rejected {
                reason: "승인반려".into(),
            },
        ),
    ] {
        market.lock().unwrap().statuses.insert(id, name.into());
        assert_eq!(coupang.status(&product_id, &keys).await, Ok(expected));
    }
    let mut wrong = keys.clone();
    wrong.coupang.as_mut().unwrap().secret_key = "not-the-secret".into();
    assert!(coupang.status(&product_id, &wrong).await.is_err());
    let crafted = coupang.status("../../x", &keys).await.unwrap_err();
    assert!(
        crafted.contains("not a marketplace product number"),
        "{crafted}"
    );

    let (url, market) = naver_server(Vec::new()).await;
    let sent = publish(Channel::Naver, &fixture("bibimbap.json"), &url, &keys).await;
    let Outcome::Created { product_id } = sent.outcome else {
        panic!("{sent:#?}")
    };
    let naver = Submitter::new(Channel::Naver, fast(&url));
    assert_eq!(
        naver.status(&product_id, &keys).await,
        Ok(ReviewStatus::Selling)
    );
    market
        .lock()
        .unwrap()
        .statuses
        .insert(product_id.parse().unwrap(), "SUSPENSION".into());
    assert_eq!(
        naver.status(&product_id, &keys).await,
        Ok(ReviewStatus::Stopped {
            reason: "SUSPENSION".into()
        })
    );
    assert!(naver.status("999", &keys).await.is_err(), "unknown product");
    for channel in [Channel::ElevenSt, Channel::Esm] {
        let cannot = Submitter::new(channel, fast(&url))
            .status("1", &keys)
            .await
            .unwrap_err();
        assert!(cannot.contains("no product read-back"), "{cannot}");
    }
}

/// "마켓 심사 결과 확인" is a job like the other bulk actions (the board's button, or
/// `POST /api/v1/onboarding/jobs` with `review` from a scheduler): cards in 심사중 move when the
/// marketplace has decided, a card still in review stays, and a card with nothing listed is
/// counted as not checked.
#[tokio::test]
async fn a_review_check_moves_the_cards_the_marketplace_decided() {
    let (url, market) = naver_server(Vec::new()).await;
    let app = app_with_naver("publish-reviews", &url).await;
    let mut owner = app.merchant(OWNER).await;
    ShopBuilder::new().register(&mut owner).await;
    save_naver_keys(&mut owner).await;
    let mut owner_api = app.api_of(OWNER).await;
    let id = ProductBuilder::fixture("bibimbap.json")
        .create_with_photo(&mut owner_api)
        .await;
    let sent = owner_api
        .post_empty(&format!("/api/v1/products/{id}/listings/naver/submit"))
        .await;
    assert_eq!(sent.json()["outcome"], "created", "{}", sent.body);
    let listed: i64 = sent.json()["product_id"]
        .as_str()
        .map(|s| s.parse().unwrap())
        .unwrap_or(1_000_001);
    market
        .lock()
        .unwrap()
        .statuses
        .insert(listed, "WAIT".into());

    // A second shop in 심사중 with nothing listed through Gachi.
    let mut staff = app.api_as("ops-api@program.kr", "operator").await;
    let daegu = ShopBuilder::new()
        .name("대구 떡집")
        .business_number(NUMBERS[1])
        .region("27110")
        .industry("I21001")
        .create(&mut staff)
        .await;
    let moved = staff
        .post(
            "/api/v1/onboarding/moves",
            json!({"merchant_id": daegu, "channel": "naver", "stage": "in_review"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::NO_CONTENT, "{}", moved.body);

    let jobs = "/api/v1/onboarding/jobs";
    let review = json!({"action": "review", "channel": "naver"});
    let started = staff.post(jobs, review.clone()).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.body);
    assert_eq!(started.json()["action"], "review");
    let job = finished_job(app.store(), gachi_domain::kernel::channel::Channel::Naver).await;
    assert_eq!(
        (
            job.kind,
            job.total,
            job.done,
            job.passed,
            job.waiting(),
            job.failed
        ),
        (JobKind::Review, 2, 2, 0, 1, 1),
        "one still in review, one with nothing listed"
    );
    let read = staff.get(&format!("{jobs}/{}", job.id)).await;
    assert_eq!(
        (
            read.json()["state"].as_str(),
            read.json()["failed"].as_i64()
        ),
        (Some("done"), Some(1))
    );

    // Naver has decided: the operator checks from the board.
    market
        .lock()
        .unwrap()
        .statuses
        .insert(listed, "SALE".into());
    let mut operator = app.operator().await;
    let board = operator.get("/onboarding?channel=naver").await;
    assert!(board.body.contains("data-testid=\"check-reviews\""));
    let done = operator
        .post_form(
            "/onboarding/bulk",
            &[("action", "review"), ("channel", "naver")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let back = done.location().unwrap().to_owned();
    let job = finished_job(app.store(), gachi_domain::kernel::channel::Channel::Naver).await;
    assert_eq!((job.passed, job.waiting(), job.failed), (1, 0, 1));
    let board = operator.get(&back).await;
    assert!(
        board
            .body
            .contains("1곳은 결과가 나와 판매중·반려·보류로 옮겼고"),
        "the counts are shown: {}",
        board.body
    );
    assert!(column(&board.body, "selling").contains("한옥식당"));

    let refused = owner_api.post(jobs, review).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let unknown = staff
        .post(jobs, json!({"action": "review", "channel": "wemakeprice"}))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}
