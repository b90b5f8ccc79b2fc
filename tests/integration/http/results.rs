//! Results: sales reports (through the API and the browser) fill the public hall of fame and
//! the KPI; the dashboard draws targets, the funnel and the tile map with CSV and Excel exports,
//! scoped to an officer's region.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Browser, NUMBERS, OPERATOR, OWNER, ShopBuilder, TestApp, between};

/// Sales reports by an operator put the merchant past 1억 in the hall of fame and not the
/// other; the KPI lists targets and actuals with the named keys; bad reports are 422 naming
/// the field; a merchant cannot report for another shop.
#[tokio::test]
async fn sales_reports_fill_the_hall_of_fame_and_the_kpi() {
    let app = TestApp::sqlite("http-sales").await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let (mut owner, hanok) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let dongbu = ShopBuilder::new()
        .name("동부떡집")
        .business_number(NUMBERS[1])
        .industry("I21001")
        .create(&mut operator)
        .await;
    let now = gachi_domain::results::Month::of(gachi_domain::kernel::time::Timestamp::now());
    let reports = "/api/v1/sales-reports";
    for months_ago in 0..12 {
        let month = now.minus(months_ago).to_string();
        let first = operator.post(reports, json!({"merchant_id": hanok, "channel": "naver", "month": month, "sales_krw": 9_000_000, "orders": 450})).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let second = operator.post(reports, json!({"merchant_id": dongbu, "channel": "coupang", "month": month, "sales_krw": 8_000_000, "orders": 400})).await;
        assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    }
    let mut public = app.api_with(None);
    let hall = public.get("/api/v1/hall-of-fame").await;
    assert_eq!(hall.status, StatusCode::OK, "public, no token");
    let members: Vec<i64> = hall
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["merchant_id"].as_i64().unwrap())
        .collect();
    assert_eq!(members, [hanok], "108,000,000 enters; 96,000,000 does not");
    let filtered = public
        .get("/api/v1/hall-of-fame?region_code=11")
        .await
        .json();
    assert!(filtered.as_array().unwrap().is_empty());

    let kpi = operator
        .get(&format!("/api/v1/kpi?year={}", now.year))
        .await;
    assert_eq!(kpi.status, StatusCode::OK, "{}", kpi.body);
    let kpi = kpi.json();
    for key in [
        "registered_merchants",
        "onboarded_merchants",
        "hall_of_fame",
    ] {
        assert!(
            kpi["targets"][key].is_i64() && kpi["actuals"][key].is_i64(),
            "{key}: {kpi}"
        );
    }
    assert_eq!(kpi["targets"]["onboarded_merchants"], 100000);
    assert_eq!(kpi["actuals"]["registered_merchants"], 2);
    // The running total crosses 1억 with this month's report, so the shop entered this year.
    assert_eq!(kpi["actuals"]["hall_of_fame"], 1);
    assert_eq!(kpi["funnel"]["hall_of_fame"], 1);

    for (body, field) in [
        (
            json!({"merchant_id": hanok, "channel": "naver", "month": now.to_string(), "sales_krw": -5, "orders": 1}),
            "sales_krw",
        ),
        (
            json!({"merchant_id": hanok, "channel": "naver", "month": now.minus(-1).to_string(), "sales_krw": 5, "orders": 1}),
            "month",
        ),
        (
            json!({"merchant_id": hanok, "channel": "wemakeprice", "month": now.to_string(), "sales_krw": 5, "orders": 1}),
            "channel",
        ),
    ] {
        let refused = operator.post(reports, body).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert_eq!(refused.error_fields()[0], field);
    }
    let other_shop = owner.post(reports, json!({"merchant_id": dongbu, "channel": "naver", "month": now.to_string(), "sales_krw": 5, "orders": 1})).await;
    assert_eq!(other_shop.status, StatusCode::NOT_FOUND);
    let own = owner
        .post(
            reports,
            json!({"channel": "naver", "month": now.to_string(), "sales_krw": 5, "orders": 1}),
        )
        .await;
    assert_eq!(
        own.status,
        StatusCode::CREATED,
        "a merchant reports for their own shop"
    );
    assert_eq!(owner.get("/api/v1/kpi").await.status, StatusCode::FORBIDDEN);
}

/// Results in the browser: a merchant reports sales (a negative amount is refused beside its
/// field), the public hall of fame shows members with a badge, and the dashboard draws targets,
/// the funnel and the tile map with tables and CSV exports that Excel opens in Korean.
#[tokio::test]
async fn results_pages_report_celebrate_and_count() {
    let app = TestApp::sqlite("http-results-pages").await;
    let mut merchant = app.merchant(OWNER).await;
    let shop = ShopBuilder::new().register(&mut merchant).await;
    assert_eq!(shop.status, StatusCode::SEE_OTHER, "{}", shop.body);
    let now = gachi_domain::results::Month::of(gachi_domain::kernel::time::Timestamp::now());
    let this_month = now.to_string();
    let report = |month: &str, sales: &str, orders: &str| {
        [
            ("month", month.to_owned()),
            ("channel", "naver".to_owned()),
            ("sales_krw", sales.to_owned()),
            ("orders", orders.to_owned()),
        ]
    };
    let send = async |merchant: &mut Browser, fields: [(&str, String); 4]| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        merchant.post_form("/my-shop/sales", &fields).await
    };
    let form = merchant.get("/my-shop/sales").await;
    assert!(
        form.body.contains(&format!("value=\"{}\"", now.minus(1))),
        "the form offers the last finished month, not the one still running"
    );
    let refused = send(&mut merchant, report(&this_month, "-10", "1")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"e-sales_krw\""),
        "the error sits beside the field"
    );
    for months_ago in 0..12 {
        let month = now.minus(months_ago).to_string();
        let saved = send(&mut merchant, report(&month, "9,000,000", "300")).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    // A correction keeps the old value on record.
    send(&mut merchant, report(&this_month, "9,500,000", "310")).await;
    let page = merchant.get("/my-shop/sales").await;
    assert!(
        page.body.contains("data-testid=\"sales-member\"") && page.body.contains("108,500,000")
    );
    assert!(
        page.body.contains("9,000,000 → 9,500,000"),
        "the correction is listed"
    );

    let mut visitor = app.browser();
    let hall = visitor.get("/hall-of-fame").await;
    assert_eq!(hall.status, StatusCode::OK, "public");
    assert!(hall.body.contains("한옥식당") && hall.body.contains("/badge.svg"));
    let badge = visitor.get("/hall-of-fame/1/badge.svg").await;
    assert!(badge.body.starts_with("<svg") && badge.body.contains("한옥식당"));
    assert_eq!(
        visitor.get("/hall-of-fame/999/badge.svg").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        visitor
            .get("/hall-of-fame?region_code=11")
            .await
            .body
            .contains("data-testid=\"hall-empty\"")
    );

    let mut operator = app.operator().await;
    let dashboard = operator.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    for part in [
        "data-testid=\"targets\"",
        "data-testid=\"funnel\"",
        "data-testid=\"tile-52\"",
        "data-testid=\"actual-hall_of_fame\">1<",
    ] {
        assert!(dashboard.body.contains(part), "{part}");
    }
    let year = now.year.to_string();
    let export =
        |format: &str, query: &str| format!("/dashboard/export.{format}?year={year}{query}");
    let csv = operator.get(&export("csv", "&table=funnel")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'), "UTF-8 with BOM");
    assert!(csv.body.contains("명예의 전당,1"), "{}", csv.body);
    // The page's conversion column is in the file too.
    assert!(
        csv.body
            .lines()
            .next()
            .unwrap()
            .ends_with("단계,수,앞 단계 대비 (%)"),
        "{}",
        csv.body
    );
    // No table named: a page that says which to pick, not a bare 400.
    let unnamed = operator.get(&export("csv", "")).await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unnamed.body.contains("내보낼 표를 고르지 않았습니다"),
        "{}",
        unnamed.body
    );
    let workbook = operator.get(&export("xlsx", "&table=targets")).await;
    assert_eq!(workbook.status, StatusCode::OK);
    assert!(workbook.body.starts_with("PK"), "an .xlsx is a zip");
    let set = operator
        .post_form(
            "/dashboard/targets",
            &[
                ("year", &year),
                ("target_onboarded_merchants", "2,500"),
                ("target_hall_of_fame", "10"),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    let budget = operator
        .post_form(
            "/dashboard/budget",
            &[
                ("year", &year),
                ("name", "판로 지원"),
                ("program", "1,000,000,000"),
                ("allocated", "800,000,000"),
                ("executed", "200,000,000"),
            ],
        )
        .await;
    assert_eq!(budget.status, StatusCode::SEE_OTHER, "{}", budget.body);
    let refused = operator
        .post_form(
            "/dashboard/budget",
            &[
                ("year", &year),
                ("name", ""),
                ("program", "1"),
                ("allocated", "1"),
                ("executed", "-1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let dashboard = operator.get(&format!("/dashboard?year={year}")).await;
    for part in [
        "판로 지원",
        "25.0%",
        "data-testid=\"trend\"",
        "data-testid=\"breakdowns\"",
        "value=\"2500\"",
    ] {
        assert!(dashboard.body.contains(part), "{part}");
    }
    // The region picker lists every 시도, so the heading and the 시군구 table are read.
    let regional = operator.get("/dashboard?region_code=52").await;
    assert!(
        regional
            .body
            .contains("<h1>사업 대시보드 — 전북특별자치도 "),
        "the dashboard is the 시도's"
    );
    let sigungu = between(&regional.body, "data-testid=\"sigungu\"", "</table>");
    assert!(
        sigungu.contains("<td>전북특별자치도 전주시 완산구</td>"),
        "the 시군구 of the 시도: {sigungu}"
    );
    let industry = operator.get(&export("csv", "&table=industry")).await;
    assert!(industry.body.contains("음식"), "{}", industry.body);
    for table in [
        "targets", "funnel", "regions", "months", "budget", "track", "industry", "sigungu",
    ] {
        for format in ["csv", "xlsx"] {
            let path = export(format, &format!("&region_code=52&table={table}"));
            let exported = operator.get(&path).await;
            assert_eq!(exported.status, StatusCode::OK, "{table}.{format}");
        }
    }
    let mut officer = app.signed_in("gov@seoul.go.kr", "localgov", "11").await;
    assert_eq!(
        officer.get("/dashboard?region_code=52").await.status,
        StatusCode::FORBIDDEN
    );
    // Without a region the officer sees their own: every table, not only the targets.
    for table in ["months", "industry", "track"] {
        let own = officer
            .get(&export("csv", &format!("&table={table}")))
            .await;
        assert_eq!(own.status, StatusCode::OK, "{table}");
        let national = operator
            .get(&export("csv", &format!("&table={table}")))
            .await
            .body;
        let seoul = operator
            .get(&export("csv", &format!("&region_code=11&table={table}")))
            .await
            .body;
        assert_ne!(national, seoul, "{table}: the 전북 shop shows nationally");
        assert_eq!(own.body, seoul, "{table}: the officer's own region");
    }
    assert_eq!(
        merchant.get("/dashboard").await.status,
        StatusCode::FORBIDDEN
    );
}
