//! 원정대 events over HTTP: an operator sets the day (a slot length that does not divide the
//! hours is a field error), MDs confirm, shops apply with pooled products and rank the MDs, MDs
//! mark them, the timetable is made; each side's agenda is an iCalendar file; an MD's outcome
//! reaches the merchant; the report counts what happened.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{NUMBERS, OPERATOR, ProductBuilder, ShopBuilder, TestApp};

#[tokio::test]
async fn a_day_of_meetings_from_the_call_to_the_feedback() {
    let app = TestApp::sqlite("events_http").await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let day = json!({"name": "전주 원정대", "region_code": "52110", "venue": "전주 한옥마을",
        "date": "2099-12-20", "starts": "10:00", "ends": "12:00", "slot_minutes": "25",
        "breaks": "", "tables": "4", "meetings_per_merchant": "2", "applications_close": "2099-12-15"});
    let refused = operator.post("/api/v1/discovery/events", day.clone()).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.error_fields(), ["slot_minutes"]);
    let mut fixed = day.clone();
    fixed["slot_minutes"] = json!("20");
    let created = operator.post("/api/v1/discovery/events", fixed).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let event = created.json()["id"].as_i64().unwrap();
    assert_eq!(created.json()["slots"].as_array().unwrap().len(), 6);
    let base = format!("/api/v1/discovery/events/{event}");

    // No MD yet: the timetable names what is missing.
    let early = operator.post_empty(&format!("{base}/timetable")).await;
    assert_eq!(early.error_fields(), ["mds", "applications"]);

    let mut mds = Vec::new();
    for (email, channel) in [("md@coupang.kr", "coupang"), ("md@naver.kr", "naver")] {
        let mut md = app.api_as(email, "md").await;
        let invited = operator
            .post(
                &format!("{base}/invitations"),
                json!({"md_email": email, "channel": channel}),
            )
            .await;
        assert_eq!(invited.status, StatusCode::NO_CONTENT, "{}", invited.body);
        let answered = md
            .post(
                &format!("{base}/attendance"),
                json!({"attend": true, "looking_for": "밀키트"}),
            )
            .await;
        assert_eq!(answered.status, StatusCode::NO_CONTENT, "{}", answered.body);
        let id = md.get("/api/v1/me").await.json()["id"].as_i64().unwrap();
        mds.push((md, id));
    }

    let mut shops = Vec::new();
    for (k, number) in NUMBERS.iter().enumerate().take(2) {
        let (mut owner, shop) = ShopBuilder::new()
            .name(&format!("전주 가게 {k}"))
            .business_number(number)
            .owned_by(&format!("owner{k}@jeonju.kr"))
            .build(&app)
            .await;
        let product = ProductBuilder::new().create(&mut owner).await;
        let pooled = owner
            .put(&format!("/api/v1/products/{product}/pool"), json!({}))
            .await;
        assert_eq!(pooled.status, StatusCode::OK, "{}", pooled.body);
        let applied = owner
            .post(
                &format!("{base}/applications"),
                json!({"product_ids": [product]}),
            )
            .await;
        assert_eq!(applied.status, StatusCode::NO_CONTENT, "{}", applied.body);
        let ranked = owner
            .put(
                &format!("{base}/ranking"),
                json!({"md_ids": [mds[k].1, mds[1 - k].1]}),
            )
            .await;
        assert_eq!(ranked.status, StatusCode::NO_CONTENT, "{}", ranked.body);
        shops.push((owner, shop, product));
    }
    let marked = mds[0]
        .0
        .put(
            &format!("{base}/marks"),
            json!({"merchant_id": shops[1].1, "mark": "must"}),
        )
        .await;
    assert_eq!(marked.status, StatusCode::NO_CONTENT, "{}", marked.body);

    let made = operator.post_empty(&format!("{base}/timetable")).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(made.json()["meetings"], 4, "each shop meets both MDs");
    assert_eq!(made.json()["upper_bound"], 4);

    // The MD's agenda: two meetings, as a calendar file.
    let agenda = mds[0].0.get(&format!("{base}/agenda.ics")).await;
    assert_eq!(agenda.status, StatusCode::OK);
    assert_eq!(
        agenda.headers["content-type"],
        "text/calendar; charset=utf-8"
    );
    assert_eq!(
        agenda.body.matches("BEGIN:VEVENT").count(),
        2,
        "{}",
        agenda.body
    );
    assert!(agenda.body.contains("LOCATION:전주 한옥마을"));

    // A shop sees its own meetings only.
    let seen = shops[0].0.get(&base).await.json();
    assert_eq!(seen["applications"].as_array().unwrap().len(), 1);
    assert!(
        seen["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["merchant_id"] == shops[0].1)
    );

    // The Coupang MD picks shop 0's product at their meeting; the shop reads why and the pick.
    let staff_view = operator.get(&base).await.json();
    let meeting = staff_view["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["md_id"] == mds[0].1 && m["merchant_id"] == shops[0].1)
        .unwrap()
        .clone();
    let outcome = mds[0]
        .0
        .post(
            &format!("/api/v1/discovery/meetings/{}/outcome", meeting["id"]),
            json!({"outcome": "pick", "feedback": "설 기획전에 올립니다", "product_id": shops[0].2}),
        )
        .await;
    assert_eq!(outcome.status, StatusCode::NO_CONTENT, "{}", outcome.body);
    let feedback = shops[0].0.get(&base).await.json();
    let mine = feedback["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == meeting["id"])
        .unwrap()
        .clone();
    assert_eq!(mine["outcome"], "pick");
    assert_eq!(mine["feedback"], "설 기획전에 올립니다");
    let picks = shops[0].0.get("/api/v1/discovery/picks").await.json();
    assert_eq!(picks["items"][0]["id"], mine["pick_id"]);
    assert_eq!(picks["items"][0]["channel"], "coupang");

    // Moving a meeting onto the MD's other meeting is refused by field.
    let other = staff_view["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["md_id"] == mds[0].1 && m["id"] != meeting["id"])
        .unwrap()
        .clone();
    let clash = operator
        .patch(
            &format!("/api/v1/discovery/meetings/{}", meeting["id"]),
            json!({"slot": other["slot"]}),
        )
        .await;
    assert_eq!(
        clash.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        clash.body
    );
    assert_eq!(clash.error_fields(), ["slot"]);

    let arrived = operator
        .post(
            &format!("{base}/check-ins"),
            json!({"merchant_id": shops[0].1}),
        )
        .await;
    assert_eq!(arrived.status, StatusCode::NO_CONTENT, "{}", arrived.body);
    let seen = mds[0].0.get(&base).await.json();
    let first = seen["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["merchant_id"] == shops[0].1)
        .unwrap()
        .clone();
    assert!(
        first["checked_in_at"].is_string(),
        "the MD sees who arrived: {first}"
    );

    let report = operator.get(&format!("{base}/report")).await.json();
    assert_eq!(report["meetings"], 4);
    assert_eq!(report["held"], 1);
    assert_eq!(report["picks"].as_array().unwrap().len(), 1);
    assert_eq!(report["by_md"][0]["picks"], 1);

    // The pages: the merchant's event page shows the MD's words; the operator's the grid.
    let mut merchant = app.sign_in("owner0@jeonju.kr").await;
    let page = merchant.get(&format!("/discovery/events/{event}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("설 기획전에 올립니다"), "{}", page.body);
    let mut staff = app.sign_in(OPERATOR).await;
    let grid = staff.get(&format!("/discovery/events/{event}")).await;
    assert!(
        grid.body.contains("data-testid=\"event-grid\""),
        "{}",
        grid.body
    );
    assert!(grid.body.contains("data-testid=\"event-report\""));
}
