//! Products through the API (on every backend): the product file is kept and validated field by
//! field, its detail page rendered safely, what each marketplace still misses explained, and
//! access scoped to the shop; and the product page suggesting a notice type from the category.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{
    NUMBERS, OFFICER, OPERATOR, OWNER, ProductBuilder, ShopBuilder, TestApp, between,
};

#[tokio::test]
async fn the_product_api_keeps_product_files_and_explains_what_is_missing() {
    for app in TestApp::on_every_store("products_api").await {
        let backend = app.store().backend();
        let (mut owner, merchant_id) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
        let (mut other, _) = ShopBuilder::new()
            .name("옆집")
            .business_number(NUMBERS[1])
            .industry("I21001")
            .owned_by("other@shop.kr")
            .build(&app)
            .await;
        let mut operator = app.api_as(OPERATOR, "operator").await;
        let mut officer = app.api_as(OFFICER, "localgov").await;
        let bibimbap = ProductBuilder::new();

        let created = owner.post("/api/v1/products", bibimbap.json()).await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{backend}: {}",
            created.body
        );
        let id = created.json()["id"].as_i64().unwrap();
        let path = format!("/api/v1/products/{id}");
        assert_eq!(created.json()["merchant_id"], merchant_id);
        assert_eq!(
            created.json()["product"]["variants"][0]["sku"],
            "JJ-BIBIM-2-M"
        );
        let again = owner.post("/api/v1/products", bibimbap.json()).await;
        assert_eq!(again.status, StatusCode::CONFLICT);

        let bad = bibimbap
            .clone()
            .sku("JJ-2")
            .set("/price", 15900.5)
            .without("/notice/fields/foodType")
            .set(
                "/tags",
                (0..21).map(|i| format!("태그{i}")).collect::<Vec<_>>(),
            );
        let invalid = owner.post("/api/v1/products", bad.json()).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = invalid.error_fields();
        for expected in ["price", "tags", "notice.fields.foodType"] {
            assert!(
                fields.iter().any(|f| f == expected),
                "{expected} in {fields:?}"
            );
        }
        assert_eq!(
            app.store()
                .products_of(
                    gachi_domain::merchants::merchant::MerchantId(merchant_id),
                    None,
                    10
                )
                .await
                .unwrap()
                .len(),
            1,
            "nothing half-saved"
        );

        let page = owner.get(&format!("{path}/detail-page")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(
            page.body.contains("전주 한옥마을 비빔밥 밀키트 2인분")
                && !page.body.contains("<script")
        );
        let notice = gachi_domain::catalog::notice::find("GENERAL_FOOD").unwrap();
        for field in notice
            .fields
            .iter()
            .filter(|f| f.required && f.kind != gachi_domain::catalog::notice::FieldKind::Bool)
        {
            assert!(
                page.body.contains(&field.label),
                "label {} in the page",
                field.label
            );
        }
        assert!(page.body.contains("즉석조리식품"));

        let report = owner.get(&format!("{path}/completeness")).await.json();
        let channel = |name: &str| {
            report
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["channel"] == name)
                .unwrap_or_else(|| panic!("{name} in {report}"))
                .clone()
        };
        let naver = channel("naver");
        assert_eq!(naver["percent"], 100, "{naver}");
        let coupang = channel("coupang");
        assert_eq!(coupang["gaps"][0]["field"], "channel_categories.coupang");
        assert_eq!(
            coupang["gaps"][0]["message"],
            "이 마켓의 카테고리를 골라 주세요."
        );

        let patched = owner.patch(&path, json!({"price": 14900})).await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
        assert_eq!(
            (
                patched.json()["product"]["price"].as_i64(),
                patched.json()["product"]["stock"].as_i64()
            ),
            (Some(14900), Some(120))
        );
        let own_html = owner
            .patch(&path, json!({"detail_html": "<p onclick=\"x()\">할머니 손맛<script>alert(1)</script></p><a href=\"javascript:alert(1)\">링크</a>"}))
            .await;
        assert_eq!(own_html.status, StatusCode::OK);
        let page = owner.get(&format!("{path}/detail-page")).await;
        assert!(
            page.body.contains("할머니 손맛")
                && !page.body.contains("<script")
                && !page.body.contains("onclick")
                && !page.body.contains("javascript:"),
            "{}",
            page.body
        );
        let below = owner.patch(&path, json!({"list_price": 100})).await;
        assert_eq!(below.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(below.error_fields()[0], "list_price");

        assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            officer.get("/api/v1/products").await.status,
            StatusCode::FORBIDDEN
        );
        let no_merchant = operator.post("/api/v1/products", bibimbap.json()).await;
        assert_eq!(
            (
                no_merchant.status,
                no_merchant.json()["errors"][0]["field"].as_str()
            ),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("merchant_id"))
        );
        bibimbap
            .clone()
            .sku("OPS-1")
            .set("/merchant_id", merchant_id)
            .create(&mut operator)
            .await;
        let listed = operator
            .get(&format!("/api/v1/products?merchant_id={merchant_id}"))
            .await;
        assert_eq!(listed.json().as_array().unwrap().len(), 2);

        // JSON of the wrong shape is a field error (text that is not JSON at all is a 400, see
        // the API tests).
        let wrong_shape = owner.post("/api/v1/products", json!([1, 2])).await;
        assert_eq!(
            wrong_shape.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong_shape.body
        );
        assert_eq!(wrong_shape.json()["errors"][0]["code"], "error-json-shape");
        assert_eq!(owner.delete(&path).await.status, StatusCode::NO_CONTENT);
        assert_eq!(owner.get(&path).await.status, StatusCode::NOT_FOUND);
    }
}

/// The product's marketplace category suggests its notice type: the form says so and one tap
/// switches the generated notice inputs.
#[tokio::test]
async fn the_category_suggests_the_notice_type_in_the_form() {
    let app = TestApp::sqlite("http-notice-suggestion").await;
    let mut browser = app.merchant(OWNER).await;
    let mut api = app.api_of(OWNER).await;
    ShopBuilder::new().create(&mut api).await;
    app.store()
        .replace_categories(
            gachi_domain::kernel::channel::Channel::Naver,
            &[("50000960".into(), "식품>농산물>과일>사과".into())],
            &gachi_domain::kernel::audit::Actor::system().entry(
                gachi_domain::kernel::time::Timestamp::now(),
                "categories.import",
                "naver",
                "",
            ),
        )
        .await
        .unwrap();
    let id = ProductBuilder::new()
        .set("/channel_categories/naver", "50000960")
        .create(&mut api)
        .await;
    let page = browser.get(&format!("/products/{id}")).await;
    let hint = between(&page.body, "data-testid=\"notice-suggestion\">", "<button");
    assert!(
        hint.contains("식품&#62;농산물&#62;과일&#62;사과") && hint.contains("식품(농.축.수산물)"),
        "{hint}"
    );
    let switched = browser
        .post_form(
            &format!("/products/{id}"),
            &[
                ("name", "사과 5kg"),
                ("notice_type", "GENERAL_FOOD"),
                ("notice_suggested", "FOOD"),
            ],
        )
        .await;
    assert_eq!(switched.status, StatusCode::OK);
    assert!(switched.body.contains("<option value=\"FOOD\" selected"));
    assert!(
        switched.body.contains("value=\"사과 5kg\""),
        "typed text kept"
    );
}

/// A JSON body is read by its shape: Naver's own boolean for a yes/no notice item is taken like
/// 아니오, and a value of the wrong type is a 422 naming its path — nothing is saved.
#[tokio::test]
async fn product_bodies_are_read_by_their_shape() {
    let app = TestApp::sqlite("product_shapes").await;
    let (mut owner, _) = ShopBuilder::new().owned_by(OWNER).build(&app).await;

    let with_boolean = ProductBuilder::new().set("/notice/fields/geneticallyModified", false);
    let created = owner.post("/api/v1/products", with_boolean.json()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    assert_eq!(
        created.json()["product"]["notice"]["fields"]["geneticallyModified"],
        "false"
    );
    let detail = owner
        .get(&format!("/api/v1/products/{id}/detail-page"))
        .await;
    assert!(
        between(&detail.body, "유전자변형", "</tr>").contains("아니오"),
        "the 상세페이지 reads the boolean as 아니오: {}",
        detail.body
    );

    for (pointer, value, path) in [
        ("/name", json!(5), "name"),
        (
            "/notice/fields/foodType",
            json!(5),
            "notice.fields.foodType",
        ),
        (
            "/options",
            json!([{"name": "맛", "values": "매운맛"}]),
            "options[0].values",
        ),
    ] {
        let wrong = ProductBuilder::new().sku("JJ-WRONG").set(pointer, value);
        let refused = owner.post("/api/v1/products", wrong.json()).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{pointer}"
        );
        assert_eq!(refused.error_fields(), [path], "{}", refused.body);
        assert_eq!(
            refused.json()["errors"][0]["code"],
            "error-json-shape",
            "{}",
            refused.body
        );
    }
    let listed = owner.get("/api/v1/products").await;
    assert_eq!(
        listed.json().as_array().map(Vec::len),
        Some(1),
        "nothing refused was saved: {}",
        listed.body
    );

    let not_json = owner.post_empty("/api/v1/products").await;
    assert_eq!(
        not_json.status,
        StatusCode::BAD_REQUEST,
        "{}",
        not_json.body
    );
    assert!(
        !not_json.body.contains("EOF while parsing"),
        "no serde text reaches the caller: {}",
        not_json.body
    );
}

#[tokio::test]
async fn product_lists_come_in_pages_newest_first() {
    for app in TestApp::on_every_store("products_pages").await {
        let backend = app.store().backend();
        let (mut owner, _) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
        let (mut neighbour, _) = ShopBuilder::new()
            .name("옆집")
            .business_number(NUMBERS[1])
            .industry("I21001")
            .owned_by("other@shop.kr")
            .build(&app)
            .await;
        let mut created = Vec::new();
        for n in 0..55 {
            let product = ProductBuilder::new().sku(&format!("JJ-PAGE-{n}"));
            let reply = owner.post("/api/v1/products", product.json()).await;
            assert_eq!(
                reply.status,
                StatusCode::CREATED,
                "{backend}: {}",
                reply.body
            );
            created.push(reply.json()["id"].as_i64().unwrap());
        }
        let ids = |reply: &crate::support::Reply| -> Vec<i64> {
            reply
                .json()
                .as_array()
                .expect("a list")
                .iter()
                .map(|p| p["id"].as_i64().unwrap())
                .collect()
        };
        let newest_first: Vec<i64> = created.iter().rev().copied().collect();

        let first = owner.get("/api/v1/products").await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(ids(&first), newest_first[..50], "{backend}: 50 by default");
        let last = newest_first[49];
        let second = owner.get(&format!("/api/v1/products?before={last}")).await;
        assert_eq!(ids(&second), newest_first[50..], "{backend}: the rest");
        let small = owner.get("/api/v1/products?limit=0").await;
        assert_eq!(ids(&small), newest_first[..1], "at least one");
        let large = owner.get("/api/v1/products?limit=100000").await;
        assert_eq!(ids(&large).len(), 55, "all of them, within the cap");
        let theirs = neighbour.get("/api/v1/products").await;
        assert_eq!(ids(&theirs), Vec::<i64>::new(), "another shop's list");

        let mut browser = app.sign_in(OWNER).await;
        let page = browser.get("/products").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.body.matches("<li><div><a href=\"/products/").count(),
            50
        );
        let next = format!("/products?before={last}");
        assert!(
            page.body.contains(&next),
            "{backend}: a link to the next page"
        );
        let rest = browser.get(&next).await;
        assert_eq!(
            rest.body.matches("<li><div><a href=\"/products/").count(),
            5
        );
        assert!(
            !rest.body.contains("data-testid=\"next-page\""),
            "no page after the last"
        );
    }
}
