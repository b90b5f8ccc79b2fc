//! 가치데이 live commerce over HTTP, on every store: an operator keeps studios and hosts and
//! opens a call; two shops apply (one product of another shop, a second application, and a late
//! one are refused by field); reviewers are assigned and score without seeing each other first;
//! selection and scheduling run; the readiness gate keeps a broadcast simulcast to Coupang
//! unconfirmed and names each failing item, until the operator changes what it needs; the
//! public page and calendar announce the confirmed one; results cannot come before the
//! broadcast, then count on the dashboard; a merchant never reads another shop's broadcast.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{NUMBERS, OPERATOR, ProductBuilder, ShopBuilder, TestApp, TestClock};

fn day(from_today: i64) -> String {
    let today =
        gachi_domain::kernel::time::seoul_date(gachi_domain::kernel::time::Timestamp::now());
    (today + time::Duration::days(from_today)).to_string()
}

#[tokio::test]
async fn a_season_from_the_call_to_the_dashboard() {
    for app in TestApp::on_every_store("live_http").await {
        let clock = TestClock::starting_now();
        let app = app.with_clock(clock.clone());
        season(&app, &clock).await;
    }
}

async fn season(app: &TestApp, clock: &TestClock) {
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let bad_studio = operator
        .post(
            "/api/v1/live/studios",
            json!({"name": "A", "place": "전주", "times": "10:00, 10:30"}),
        )
        .await;
    assert_eq!(bad_studio.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_studio.error_fields(), ["times"]);
    let studio = operator
        .post(
            "/api/v1/live/studios",
            json!({"name": "전주 스튜디오", "place": "전주 한옥마을", "times": "11:00, 15:00"}),
        )
        .await;
    assert_eq!(studio.status, StatusCode::CREATED, "{}", studio.body);
    let studio_id = studio.json()["id"].as_i64().unwrap();
    let bad_host = operator
        .post(
            "/api/v1/live/hosts",
            json!({"name": "H", "categories": "우주", "weekdays": "someday"}),
        )
        .await;
    assert_eq!(bad_host.error_fields(), ["categories", "weekdays"]);
    let host = operator
        .post(
            "/api/v1/live/hosts",
            json!({"name": "이하나", "categories": "음식, 소매", "weekdays": "월,화,수,목,금,토,일", "fee": "30만"}),
        )
        .await;
    assert_eq!(host.status, StatusCode::CREATED, "{}", host.body);
    assert_eq!(host.json()["categories"], json!(["음식점업", "소매업"]));
    assert_eq!(host.json()["fee"], 300_000);

    let mut reviewers = Vec::new();
    for (email, role) in [("rev1@program.kr", "designer"), ("rev2@program.kr", "md")] {
        reviewers.push(app.api_as(email, role).await);
    }
    let call = json!({"name": "겨울 가치데이", "starts": day(10), "ends": day(40),
        "applications_close": day(3), "quota_total": "5", "first_time_percent": "30",
        "weights": "3,2,2,2,1", "channels": "gachi, coupang_live",
        "reviewer_emails": format!("{OPERATOR}, rev1@program.kr, rev2@program.kr")});
    let mut wrong = call.clone();
    wrong["ends"] = json!(day(5));
    wrong["weights"] = json!("1,2");
    wrong["reviewer_emails"] = json!("nobody@program.kr, rev1@program.kr");
    let refused = operator.post("/api/v1/live/calls", wrong).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.error_fields(), ["ends", "weights"]);
    let created = operator.post("/api/v1/live/calls", call).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let call_id = created.json()["id"].as_i64().unwrap();
    assert_eq!(created.json()["stage"], "open");
    let base = format!("/api/v1/live/calls/{call_id}");

    // Two shops apply; another shop's product and a second application are refused.
    let mut owners = Vec::new();
    for (k, number) in NUMBERS.iter().enumerate().take(2) {
        let (mut owner, shop) = ShopBuilder::new()
            .name(&format!("라이브 가게 {k}"))
            .business_number(number)
            .owned_by(&format!("live{k}@shop.kr"))
            .build(app)
            .await;
        let product = ProductBuilder::new().create(&mut owner).await;
        owners.push((owner, shop, product));
    }
    let others_product = owners[0].2;
    let (owner1, _, _) = &mut owners[1];
    let stolen = owner1
        .post(
            &format!("{base}/applications"),
            json!({"product_ids": [others_product]}),
        )
        .await;
    assert_eq!(stolen.error_fields(), ["product_ids"]);
    let mut applications = Vec::new();
    for (owner, _, product) in owners.iter_mut() {
        let applied = owner
            .post(
                &format!("{base}/applications"),
                json!({"product_ids": [*product], "preferred_weeks": [day(12)], "pitch": "첫 방송"}),
            )
            .await;
        assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
        assert_eq!(applied.json()["first_time"], true);
        applications.push(applied.json()["id"].as_i64().unwrap());
    }
    let first_product = owners[0].2;
    let again = owners[0]
        .0
        .post(
            &format!("{base}/applications"),
            json!({"product_ids": [first_product]}),
        )
        .await;
    assert_eq!(again.error_fields(), ["call"]);
    let seen = owners[1].0.get(&base).await.json();
    assert_eq!(
        seen["applications"].as_array().unwrap().len(),
        1,
        "only its own"
    );
    let early = operator.post_empty(&format!("{base}/selection")).await;
    assert_eq!(early.error_fields(), ["call"]);
    let by_merchant = owners[0].0.post_empty(&format!("{base}/close")).await;
    assert_eq!(by_merchant.status, StatusCode::FORBIDDEN);

    // After the deadline: no more applications; reviewers are assigned and score.
    clock.advance_days(4);
    let second_product = owners[1].2;
    let late = owners[1]
        .0
        .post(
            &format!("{base}/applications"),
            json!({"product_ids": [second_product]}),
        )
        .await;
    assert_eq!(late.error_fields(), ["call"]);
    let closed_twice = operator.post_empty(&format!("{base}/close")).await;
    assert_eq!(closed_twice.error_fields(), ["call"]);
    let assigned = operator.post_empty(&format!("{base}/reviewers")).await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    assert_eq!(assigned.json()["assigned"], 4);
    let mut everyone: Vec<&mut crate::support::Api> = reviewers.iter_mut().collect();
    everyone.push(&mut operator);
    let mut submitted = 0;
    for (i, reviewer) in everyone.into_iter().enumerate() {
        let queue = reviewer.get("/api/v1/live/reviews").await.json();
        for task in queue["items"].as_array().unwrap() {
            let application = task["application"]["id"].as_i64().unwrap();
            let out_of_range = reviewer
                .put(
                    &format!("/api/v1/live/applications/{application}/review"),
                    json!({"scores": [6, 4, 4, 4, 0]}),
                )
                .await;
            assert_eq!(
                out_of_range.error_fields(),
                ["scores.appeal", "scores.story"]
            );
            if reviewer.get(&base).await.json()["reviews"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["application_id"] == application && r["scores"].is_object())
            {
                panic!("a reviewer saw scores before giving theirs");
            }
            let scores: Vec<i64> = if i == 0 {
                vec![5, 5, 5, 5, 5]
            } else {
                vec![2, 4, 4, 4, 4]
            };
            let saved = reviewer
                .put(
                    &format!("/api/v1/live/applications/{application}/review"),
                    json!({"scores": scores, "comment": "좋아요"}),
                )
                .await;
            assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
            submitted += 1;
        }
    }
    assert_eq!(submitted, 4);

    let selected = operator.post_empty(&format!("{base}/selection")).await;
    assert_eq!(selected.status, StatusCode::OK, "{}", selected.body);
    assert!(
        selected.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["selected"] == true)
    );
    let detail = operator.get(&base).await.json();
    assert!(
        !detail["disagreements"].as_array().unwrap().is_empty(),
        "5 against 2 on appeal is flagged: {detail}"
    );
    let scheduled = operator.post_empty(&format!("{base}/schedule")).await;
    assert_eq!(scheduled.status, StatusCode::OK, "{}", scheduled.body);
    assert_eq!(scheduled.json()["unplaced"], json!([]));
    let broadcasts = operator.get("/api/v1/live/broadcasts").await.json()["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(broadcasts.len(), 2);
    let of = |shop: i64| -> Value {
        broadcasts
            .iter()
            .find(|b| b["merchant_id"] == shop)
            .unwrap()
            .clone()
    };
    let first = of(owners[0].1);
    let second = of(owners[1].1);
    let first_id = first["id"].as_i64().unwrap();
    assert_eq!(first["status"], "scheduled");

    // A merchant never reads another shop's broadcast.
    let foreign = owners[1]
        .0
        .get(&format!("/api/v1/live/broadcasts/{first_id}"))
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);

    // The gate: Coupang readiness, stock and the checklist are each named.
    let own = owners[0]
        .0
        .get(&format!("/api/v1/live/broadcasts/{first_id}"))
        .await
        .json();
    let gate = own["gate"].as_array().unwrap();
    let coupang = gate
        .iter()
        .find(|g| g["channel"] == "coupang")
        .expect("a Coupang readiness item");
    assert_eq!(coupang["passed"], false);
    assert!(
        coupang["fix_at"]
            .as_str()
            .unwrap()
            .starts_with("/products/")
    );
    let refused = owners[0]
        .0
        .post_empty(&format!("/api/v1/live/broadcasts/{first_id}/confirm"))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = refused.error_fields();
    let product = owners[0].2;
    assert!(
        fields.contains(&format!("products.{product}.coupang")),
        "{fields:?}"
    );
    assert!(
        fields.contains(&format!("expected_units.{product}")),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"checklist.rehearsal".to_owned()),
        "{fields:?}"
    );
    // The merchant ticks the checklist (it may not change the channels or the units).
    let ticked = owners[0]
        .0
        .put(
            &format!("/api/v1/live/broadcasts/{first_id}/preparation"),
            json!({"checklist": ["concept", "cue_sheet", "discount", "shipping", "rehearsal"],
                   "channels": ["gachi"]}),
        )
        .await;
    assert_eq!(ticked.status, StatusCode::NO_CONTENT, "{}", ticked.body);
    let still = owners[0]
        .0
        .post_empty(&format!("/api/v1/live/broadcasts/{first_id}/confirm"))
        .await;
    assert!(
        still
            .error_fields()
            .contains(&format!("products.{product}.coupang"))
    );
    let bad_units = operator
        .put(
            &format!("/api/v1/live/broadcasts/{first_id}/preparation"),
            json!({"checklist": ["concept", "cue_sheet", "discount", "shipping", "rehearsal"],
                   "expected_units": {"999999": "3"}}),
        )
        .await;
    assert_eq!(bad_units.error_fields(), ["expected_units.999999"]);
    let prepared = operator
        .put(
            &format!("/api/v1/live/broadcasts/{first_id}/preparation"),
            json!({"checklist": ["concept", "cue_sheet", "discount", "shipping", "rehearsal"],
                   "channels": ["gachi", "kakao_live"], "expected_units": {product.to_string(): "10"},
                   "discount_percent": "10"}),
        )
        .await;
    assert_eq!(prepared.status, StatusCode::NO_CONTENT, "{}", prepared.body);
    let confirmed = owners[0]
        .0
        .post_empty(&format!("/api/v1/live/broadcasts/{first_id}/confirm"))
        .await;
    assert_eq!(
        confirmed.status,
        StatusCode::NO_CONTENT,
        "{}",
        confirmed.body
    );

    // A move onto the confirmed broadcast's studio and time is refused by field.
    let second_id = second["id"].as_i64().unwrap();
    let clash = operator
        .put(
            &format!("/api/v1/live/broadcasts/{second_id}/slot"),
            json!({"date": first["date"], "starts": first["starts"], "studio_id": studio_id,
                   "host_id": host.json()["id"]}),
        )
        .await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        clash.error_fields().contains(&"studio_id".to_owned()),
        "{}",
        clash.body
    );

    // The public page and its calendar announce the confirmed broadcast only.
    let mut anonymous = app.browser();
    let page = anonymous.get("/live").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("라이브 가게 0"), "{}", page.body);
    assert!(!page.body.contains("라이브 가게 1"));
    let ics = anonymous.get("/live.ics").await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(
        ics.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    assert_eq!(ics.body.matches("BEGIN:VEVENT").count(), 1, "{}", ics.body);

    // Results only once it has aired; then it is held and counts.
    let row = json!({"rows": [{"channel": "gachi", "viewers": "1,200", "peak_viewers": "300",
        "likes": "40", "orders": "12", "sales_krw": "35만"}]});
    let too_soon = operator
        .post(
            &format!("/api/v1/live/broadcasts/{first_id}/results"),
            row.clone(),
        )
        .await;
    assert_eq!(too_soon.error_fields(), ["rows[0].broadcast_id"]);
    let on_air: time::Date = time::Date::parse(
        first["date"].as_str().unwrap(),
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap();
    let today =
        gachi_domain::kernel::time::seoul_date(gachi_domain::kernel::time::Timestamp::now());
    clock.advance_days((on_air - today).whole_days() - 4 + 1);
    let mut wrong_row = row.clone();
    wrong_row["rows"][0]["peak_viewers"] = json!("5000");
    let refused = operator
        .post(
            &format!("/api/v1/live/broadcasts/{first_id}/results"),
            wrong_row,
        )
        .await;
    assert_eq!(refused.error_fields(), ["rows[0].peak_viewers"]);
    let recorded = operator
        .post(&format!("/api/v1/live/broadcasts/{first_id}/results"), row)
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.body);
    assert_eq!(recorded.json()["items"][0]["sales_krw"], 350_000);
    let year = on_air.year();
    let kpi = operator
        .get(&format!("/api/v1/kpi?year={year}"))
        .await
        .json();
    assert_eq!(kpi["actuals"]["live_broadcasts"], 1, "{kpi}");
    assert_eq!(kpi["actuals"]["live_merchants"], 1, "{kpi}");
    let report = operator
        .get(&format!("/api/v1/live/report?year={year}"))
        .await
        .json();
    assert_eq!(report["held"], 1);
    assert_eq!(report["conversion_percent"], 1.0);

    // The merchant answers the survey; another merchant cannot.
    let other = owners[1]
        .0
        .post(
            &format!("/api/v1/live/broadcasts/{first_id}/survey"),
            json!({"score": 5}),
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let survey = owners[0]
        .0
        .post(
            &format!("/api/v1/live/broadcasts/{first_id}/survey"),
            json!({"score": 5, "comment": "또 하고 싶어요"}),
        )
        .await;
    assert_eq!(survey.status, StatusCode::NO_CONTENT, "{}", survey.body);
}
