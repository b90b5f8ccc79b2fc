//! The merchant registry: the API validates, deduplicates and scopes shop records (a merchant
//! sees their own, an officer their region, reading only), and the operator's list filters the
//! imported register while an officer stays in their region.

use axum::http::StatusCode;
use gachi_domain::merchants::register::RowSchema as _;
use serde_json::json;

use crate::support::{
    NUMBERS, OFFICER, OPERATOR, OWNER, ShopBuilder, TestApp, between, first_id_after, row_with,
};

#[tokio::test]
async fn the_merchant_api_validates_and_scopes_records() {
    for app in TestApp::on_every_store("merchants_api").await {
        let backend = app.store().backend();
        let mut operator = app.api_as(OPERATOR, "operator").await;
        let mut owner = app.api_as(OWNER, "merchant").await;
        let mut neighbour = app.api_as("next@hanok.kr", "merchant").await;
        let mut officer = app.api_as(OFFICER, "localgov").await; // 전주시 52110

        let hanok = ShopBuilder::new().business_number("220-81-62517");
        let created = operator.post("/api/v1/merchants", hanok.json()).await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{backend}: {}",
            created.body
        );
        let record = created.json();
        assert_eq!(
            (record["sido"].as_str(), record["sigungu"].as_str()),
            (Some("전북특별자치도"), Some("전주시 완산구"))
        );
        assert_eq!(record["business_number"], "220-81-62517");
        let id = record["id"].as_i64().unwrap();

        let nonsense = ShopBuilder::new()
            .name("X")
            .business_number("220-81-62518")
            .region("99999")
            .industry("ZZ");
        let invalid = operator
            .call_in("en", "POST", "/api/v1/merchants", Some(nonsense.json()))
            .await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = invalid.error_fields();
        assert_eq!(fields[0], "business_number");
        assert_eq!(
            invalid.json()["errors"][0]["message"],
            "This business registration number is not valid: check the digits."
        );
        for field in ["region_code", "industry_code"] {
            assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
        }
        let short = ShopBuilder::new().name("X").business_number("12345");
        let korean = operator.post("/api/v1/merchants", short.json()).await;
        assert_eq!(
            korean.json()["errors"][0]["message"],
            "사업자등록번호는 숫자 10자리입니다. 예: 123-45-67890"
        );

        let duplicate = operator.post("/api/v1/merchants", hanok.json()).await;
        assert_eq!(duplicate.status, StatusCode::CONFLICT);
        assert_eq!(
            duplicate.json()["existing_id"],
            id,
            "operators are told which record"
        );
        let mine = owner.post("/api/v1/merchants", hanok.json()).await;
        assert_eq!(mine.status, StatusCode::CONFLICT);
        assert!(
            mine.json()["existing_id"].is_null(),
            "merchants are not told whose number it is"
        );

        let own_id = ShopBuilder::new()
            .name("동문떡집")
            .business_number(NUMBERS[1])
            .industry("I21001")
            .with("phone", "063-288-5072")
            .create(&mut owner)
            .await;
        let second = ShopBuilder::new()
            .name("둘째")
            .business_number(NUMBERS[0])
            .industry("I21001");
        let second = owner.post("/api/v1/merchants", second.json()).await;
        assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(second.json()["errors"][0]["code"], "error-shop-exists");

        let own_path = format!("/api/v1/merchants/{own_id}");
        assert_eq!(owner.get(&own_path).await.status, StatusCode::OK);
        assert_eq!(
            owner.get(&format!("/api/v1/merchants/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(neighbour.get(&own_path).await.status, StatusCode::NOT_FOUND);
        let hijack = neighbour.patch(&own_path, json!({"name": "내 가게"})).await;
        assert_eq!(
            hijack.status,
            StatusCode::NOT_FOUND,
            "another merchant's record is invisible"
        );
        assert_eq!(
            owner.get("/api/v1/merchants").await.status,
            StatusCode::FORBIDDEN
        );

        let facts = owner
            .patch(
                &own_path,
                json!({"employees": 3, "online_channels": ["coupang", "naver"]}),
            )
            .await;
        assert_eq!(facts.status, StatusCode::OK, "{}", facts.body);
        assert_eq!(facts.json()["online_channels"], json!(["naver", "coupang"]));
        assert_eq!(facts.json()["employees"], 3);
        let bad_channel = owner
            .patch(&own_path, json!({"online_channels": ["myspace"]}))
            .await;
        assert_eq!(bad_channel.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_channel.error_fields(), ["online_channels"]);
        let renamed = owner
            .patch(&own_path, json!({"name": "동문떡집 본점"}))
            .await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
        assert_eq!(
            (
                renamed.json()["name"].as_str(),
                renamed.json()["phone"].as_str()
            ),
            (Some("동문떡집 본점"), Some("063-288-5072"))
        );
        let broken = owner
            .patch(&own_path, json!({"name": "", "phone": "전화"}))
            .await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        let unchanged = owner.get(&own_path).await.json();
        assert_eq!(unchanged["name"], "동문떡집 본점", "nothing half-saved");

        ShopBuilder::new()
            .name("종로떡집")
            .business_number(NUMBERS[2])
            .region("11110")
            .industry("I21001")
            .create(&mut operator)
            .await;
        let listed = operator
            .get("/api/v1/merchants?region_code=52110&industry_code=I21001&q=떡")
            .await;
        let names: Vec<String> = listed
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["동문떡집 본점"]);
        let bad_filter = operator.get("/api/v1/merchants?region_code=123").await;
        assert_eq!(bad_filter.status, StatusCode::UNPROCESSABLE_ENTITY);

        let officer_list = officer.get("/api/v1/merchants").await;
        assert_eq!(officer_list.status, StatusCode::OK);
        assert_eq!(
            officer_list.json().as_array().unwrap().len(),
            2,
            "both 전주 shops, nothing from Seoul"
        );
        assert_eq!(
            officer.get("/api/v1/merchants?region_code=11").await.status,
            StatusCode::FORBIDDEN
        );
        let edit = officer
            .patch(&format!("/api/v1/merchants/{id}"), json!({"name": "x"}))
            .await;
        assert_eq!(
            edit.status,
            StatusCode::FORBIDDEN,
            "officers read, they do not edit"
        );
    }
}

#[tokio::test]
async fn operators_filter_the_merchant_list_and_officers_stay_in_their_region() {
    let app = TestApp::sqlite("http-merchant-list").await;
    let columns = gachi_domain::merchants::register::Columns::from_header(
        &gachi_domain::merchants::register::OFFICIAL_HEADER,
    )
    .unwrap();
    let record = |id: &str, name: &str, sigungu: &str| {
        let mut row = vec![""; 39];
        row[0] = id;
        row[1] = name;
        row[7] = "I21001";
        row[13] = sigungu;
        columns.parse(&row).unwrap()
    };
    let records = [
        record("D1", "남구빵집", "27200"),
        record("J1", "완산떡집", "52111"),
        record("J2", "덕진떡집", "52113"),
    ];
    let audit = gachi_domain::kernel::audit::Actor::system().entry(
        gachi_domain::kernel::time::Timestamp::now(),
        "merchant.import",
        "register",
        "",
    );
    app.store()
        .upsert_store_records(&records, 1, &audit)
        .await
        .unwrap();

    let mut operator = app.operator().await;
    let daegu = operator.get("/merchants?region_code=27200").await;
    assert_eq!(daegu.status, StatusCode::OK);
    assert!(daegu.body.contains("남구빵집") && !daegu.body.contains("완산떡집"));
    // The status filter lists every status, so the row itself is read.
    assert!(
        row_with(&daegu.body, "남구빵집").contains("<td>발굴 대상</td>"),
        "status shown in Korean"
    );
    let id = first_id_after(&daegu.body, "href=\"/merchants/");
    let record_page = operator.get(&format!("/merchants/{id}")).await;
    let facts = between(&record_page.body, "<dl class=\"facts\">", "</dl>");
    assert!(
        record_page
            .body
            .contains("data-testid=\"merchant-name\">남구빵집<")
            && facts.contains("<dd>대구광역시 남구</dd>")
            && facts.contains("<dd>D1</dd>"),
        "{facts}"
    );
    let bad = operator.get("/merchants?region_code=abc").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("지역 코드는 숫자 2자리"));

    let mut officer = app.officer().await;
    let own = officer.get("/merchants").await;
    assert!(
        own.body.contains("완산떡집")
            && own.body.contains("덕진떡집")
            && !own.body.contains("남구빵집")
    );
    assert!(
        !own.body.contains("value=\"11\""),
        "the region picker offers only the officer's own regions"
    );
    assert_eq!(
        officer.get("/merchants?region_code=27200").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        officer.get(&format!("/merchants/{id}")).await.status,
        StatusCode::NOT_FOUND
    );

    let mut merchant = app.merchant("m@hanok.kr").await;
    assert_eq!(
        merchant.get("/merchants").await.status,
        StatusCode::FORBIDDEN
    );
}
