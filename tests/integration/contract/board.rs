//! Bulk actions on the onboarding board run as jobs against the Naver contract server:
//! "validate all" moves the cards whose shop has a product Naver would accept to 검증 통과 and
//! counts the rest; "submit all validated" lists those products and the cards move to 심사중.
//! The board shows the latest job's progress (polled while it runs); one job per marketplace at
//! a time, through the board or the API.

use axum::http::StatusCode;
use gachi_contract::{Scripted, naver_server};
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::onboarding::Stage;
use gachi_domain::onboarding::bulk_job::{JobKind, JobState, NewBulkJob};
use serde_json::{Value, json};

use super::{app_with_naver, finished_job, save_naver_keys};
use crate::support::{NUMBERS, OWNER, ProductBuilder, ShopBuilder, column};

#[tokio::test]
async fn operators_validate_and_submit_a_whole_board_at_once() {
    // Naver takes the shop's first product and refuses its second.
    let (url, market) = naver_server(vec![Scripted::AsUsual, Scripted::Refused]).await;
    let app = app_with_naver("publish-bulk", &url).await;
    let mut owner = app.merchant(OWNER).await;
    let shop = ShopBuilder::new().register(&mut owner).await;
    assert_eq!(shop.status, StatusCode::SEE_OTHER, "{}", shop.body);
    save_naver_keys(&mut owner).await;
    let mut owner_api = app.api_of(OWNER).await;
    let bibimbap = ProductBuilder::fixture("bibimbap.json");
    bibimbap.create_with_photo(&mut owner_api).await;
    bibimbap
        .clone()
        .sku("JJ-BIBIM-SECOND")
        .create_with_photo(&mut owner_api)
        .await;
    // Naver's own rules take this one, but it has no return address, which the catalog's
    // common checks (and so the product page) require: it is not sent.
    bibimbap
        .clone()
        .sku("JJ-BIBIM-THIRD")
        .set("/shipping/return_to", Value::Null)
        .create_with_photo(&mut owner_api)
        .await;

    // A second shop on the board with nothing to list yet.
    let mut staff = app.api_as("ops-api@program.kr", "operator").await;
    let daegu = ShopBuilder::new()
        .name("대구 떡집")
        .business_number(NUMBERS[1])
        .region("27110")
        .industry("I21001")
        .create(&mut staff)
        .await;
    let mut operator = app.operator().await;
    for merchant in [1, daegu] {
        let moved = staff
            .post(
                "/api/v1/onboarding/moves",
                json!({"merchant_id": merchant, "channel": "naver", "stage": "drafting"}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::NO_CONTENT, "{}", moved.body);
    }

    let board = operator.get("/onboarding").await;
    assert!(
        !board.body.contains("data-testid=\"bulk-actions\""),
        "bulk actions need one marketplace"
    );
    let board = operator.get("/onboarding?channel=naver").await;
    assert!(board.body.contains("data-testid=\"bulk-validate\""));
    let validated = operator
        .post_form(
            "/onboarding/bulk",
            &[("action", "validate"), ("channel", "naver")],
        )
        .await;
    assert_eq!(
        validated.status,
        StatusCode::SEE_OTHER,
        "{}",
        validated.body
    );
    let back = validated.location().unwrap().to_owned();
    assert_eq!(back, "/onboarding?channel=naver");
    let job = finished_job(app.store(), gachi_domain::kernel::channel::Channel::Naver).await;
    assert_eq!(
        (job.kind, job.total, job.done, job.passed, job.failed),
        (JobKind::Validate, 2, 2, 1, 1)
    );
    let board = operator.get(&back).await;
    assert!(
        board
            .body
            .contains("1곳 통과, 1곳은 아직 고칠 것이 있습니다")
            && board.body.contains("data-state=\"finished\""),
        "{}",
        board.body
    );
    assert!(column(&board.body, "validated").contains("한옥식당"));
    assert!(column(&board.body, "drafting").contains("대구 떡집"));
    assert_eq!(
        market.lock().unwrap().product_requests,
        0,
        "validating sends nothing"
    );
    // The board polls a job's progress; a finished job tells the board to reload.
    let progress = operator
        .get_htmx(&format!("/onboarding/jobs/{}", job.id))
        .await;
    assert_eq!(progress.status, StatusCode::OK);
    assert_eq!(progress.headers["hx-refresh"], "true");
    assert!(
        progress
            .body
            .contains("<progress max=\"100\" value=\"100\"")
    );

    // While a job runs for the marketplace another is refused.
    let running = app
        .store()
        .start_bulk_job(
            &NewBulkJob {
                kind: JobKind::Submit,
                channel: gachi_domain::kernel::channel::Channel::Naver,
                total: 1,
                started_by: gachi_domain::accounts::UserId(1),
                at: Timestamp::now(),
            },
            &gachi_domain::kernel::audit::Actor::default().entry(
                Timestamp::now(),
                "onboarding.bulk",
                "test",
                "",
            ),
        )
        .await
        .unwrap();
    let polling = operator
        .get_htmx(&format!("/onboarding/jobs/{}", running.id))
        .await;
    assert!(
        polling.body.contains("hx-trigger=\"every 1s\"")
            && !polling.headers.contains_key("hx-refresh"),
        "a running job keeps polling"
    );
    // Submitting asks first, naming how many shops would be sent.
    let asked = operator
        .post_form(
            "/onboarding/bulk",
            &[("action", "submit"), ("channel", "naver")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(asked.body.contains("data-testid=\"bulk-confirm\""));
    assert!(
        asked.body.contains("네이버 스마트스토어에 제출할까요?"),
        "{}",
        asked.body
    );
    let busy = operator
        .post_form(
            "/onboarding/bulk",
            &[
                ("action", "submit"),
                ("channel", "naver"),
                ("confirmed", "1"),
            ],
        )
        .await;
    let busy_back = busy.location().unwrap().to_owned();
    assert!(busy_back.ends_with("&bulk=busy"), "{busy_back}");
    assert!(
        operator
            .get(&busy_back)
            .await
            .body
            .contains("이미 진행 중입니다")
    );
    // The same through the API, for schedulers.
    let jobs = "/api/v1/onboarding/jobs";
    let submit_all = json!({"action": "submit", "channel": "naver"});
    let conflict = staff.post(jobs, submit_all.clone()).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.body);
    let invalid = staff
        .post(jobs, json!({"action": "delete", "channel": "wemakeprice"}))
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = invalid.error_fields();
    assert!(
        fields.iter().any(|f| f == "action") && fields.iter().any(|f| f == "channel"),
        "{fields:?}"
    );
    let not_staff = owner_api.post(jobs, submit_all.clone()).await;
    assert_eq!(not_staff.status, StatusCode::FORBIDDEN);
    let read = staff.get(&format!("{jobs}/{}", job.id)).await.json();
    assert_eq!(
        (
            &read["action"],
            &read["state"],
            &read["passed"],
            &read["percent"]
        ),
        (&json!("validate"), &json!("done"), &json!(1), &json!(100))
    );
    let missing = staff.get(&format!("{jobs}/999999")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    app.store()
        .finish_bulk_job(running.id, JobState::Done, Timestamp::now())
        .await
        .unwrap();

    let started = staff.post(jobs, submit_all).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.body);
    assert_eq!(started.json()["state"], "running");
    let job = finished_job(app.store(), gachi_domain::kernel::channel::Channel::Naver).await;
    assert_eq!(
        (job.kind, job.total, job.passed, job.failed),
        (JobKind::Submit, 1, 1, 1)
    );
    assert_eq!(
        market.lock().unwrap().product_requests,
        2,
        "the two ready products are sent, not the one without a return address"
    );
    assert_eq!(market.lock().unwrap().products.len(), 1);
    // One move for the shop: to 심사중, as one product is in review — not to 반려 because the
    // last answer was a refusal.
    let moves: Vec<_> = app
        .store()
        .onboarding_moves(gachi_domain::merchants::merchant::MerchantId(1))
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.channel == gachi_domain::kernel::channel::Channel::Naver)
        .map(|m| m.to)
        .collect();
    assert_eq!(
        moves,
        [Stage::Drafting, Stage::Validated, Stage::InReview],
        "the card moves once for the shop's products"
    );
    // The refused product's page links the refusal to the community's answers about it.
    let mut refused_pages = 0;
    for id in 1..=2 {
        let page = owner.get(&format!("/products/{id}")).await;
        if page.body.contains("data-testid=\"help-submission\"") {
            refused_pages += 1;
            assert!(
                page.body
                    .contains("href=\"/community?channel=naver&#38;error="),
                "{}",
                page.body
            );
        }
    }
    assert_eq!(refused_pages, 1, "one product was refused");
    let board = operator.get(&back).await;
    assert!(column(&board.body, "in_review").contains("한옥식당"));
    assert!(column(&board.body, "drafting").contains("대구 떡집"));

    let crafted = operator
        .get("/onboarding?channel=naver&bulk=%EA%B0%80%EC%A7%9C%20%EC%95%88%EB%82%B4")
        .await;
    assert!(
        !crafted.body.contains("data-testid=\"bulk-result\""),
        "words in the link are not shown"
    );
    let merchant_tries = owner
        .post_form(
            "/onboarding/bulk",
            &[("action", "submit"), ("channel", "naver")],
        )
        .await;
    assert_eq!(merchant_tries.status, StatusCode::FORBIDDEN);
}
