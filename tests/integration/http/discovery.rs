//! 원정대 over HTTP: a shop puts complete products in the MD pool; an MD finds them with the
//! words Korean shop searches use (particles, spacing, initial consonants, a misspelling), opens
//! only pooled products, picks one; the shop answers, and accepting puts its card for the MD's
//! marketplace on the board; contact details appear to that MD only after it.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{OPERATOR, OWNER, ProductBuilder, ShopBuilder, TestApp};

const MAKGEOLLI: &str = "강릉 초당 쌀막걸리 750ml 2병";

/// The ids of the products a search finds.
fn found(reply: &crate::support::Reply) -> Vec<i64> {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["product_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn mds_find_pooled_products_the_way_korean_shop_searches_work() {
    let app = TestApp::sqlite("discovery_search").await;
    let (mut owner, _shop) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let makgeolli = ProductBuilder::new()
        .sku("CD-MAKGEOLLI")
        .set("/name", MAKGEOLLI)
        .set("/notice/fields/productName", MAKGEOLLI)
        .set("/tags", json!(["막걸리", "전통주"]))
        .create(&mut owner)
        .await;
    let bibimbap = ProductBuilder::new()
        .set("/name", "전주 비빔밥 밀키트 2인분")
        .create(&mut owner)
        .await;
    let unfinished = ProductBuilder::new()
        .sku("NO-AS")
        .without("/after_service")
        .create(&mut owner)
        .await;
    let hidden = ProductBuilder::new()
        .sku("NOT-POOLED")
        .create(&mut owner)
        .await;

    for product in [makgeolli, bibimbap] {
        let put = owner
            .put(&format!("/api/v1/products/{product}/pool"), json!({}))
            .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
        assert_eq!(put.json()["product_id"], product);
    }
    // A product failing the common checks stays out, with the missing field named.
    let refused = owner
        .put(&format!("/api/v1/products/{unfinished}/pool"), json!({}))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused
            .error_fields()
            .contains(&"after_service.phone".to_owned()),
        "{}",
        refused.body
    );

    let mut md = app.api_as("md@coupang.kr", "md").await;
    let search = |q: &str| {
        format!(
            "/api/v1/discovery/products?q={}",
            gachi_web::pages::encode_query(q)
        )
    };
    for q in [
        "막걸리",
        "쌀막걸리를",
        "초당 막걸리",
        "막걸리 초당",
        "ㅁㄱㄹ",
        "막걸이",
    ] {
        let hits = found(&md.get(&search(q)).await);
        assert!(hits.contains(&makgeolli), "{q}: {hits:?}");
        assert!(!hits.contains(&bibimbap), "{q}: {hits:?}");
    }
    for q in [
        "비빔밥",
        "전주비빔밥",
        "전주 비빔밥",
        "비빔밥을",
        "ㅈㅈ 비빔밥",
    ] {
        let hits = found(&md.get(&search(q)).await);
        assert_eq!(hits, [bibimbap], "{q}");
    }
    let all = md.get("/api/v1/discovery/products").await;
    assert_eq!(all.json()["total"], 2, "{}", all.body);
    assert_eq!(found(&all).len(), 2);
    let first = &all.json()["items"][0];
    assert!(
        first["name"].is_string() && first["shop_name"].is_string(),
        "{first}"
    );
    assert_eq!(all.json()["facets"]["certification"][0]["value"], "HACCP");

    // Filters: price range, and a bad filter is a field error.
    let cheap = found(&md.get("/api/v1/discovery/products?price_max=10000").await);
    assert!(cheap.is_empty(), "{cheap:?}");
    let bad = md
        .get("/api/v1/discovery/products?price_min=abc&listed_on=amazon")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.error_fields(), ["price_min", "listed_on"]);

    // Any input is safe; a very long one is cut and says so.
    let long = md.get(&search(&"막걸리 ".repeat(100))).await;
    assert_eq!(long.status, StatusCode::OK, "{}", long.body);
    assert_eq!(long.json()["truncated"], true);
    for q in [
        "<script>alert(1)</script>",
        "*:\"( AND",
        "\u{1F600}",
        "\u{0}",
    ] {
        assert_eq!(md.get(&search(q)).await.status, StatusCode::OK, "{q:?}");
    }

    // An MD reads pooled products only, through discovery; the catalog stays the shop's.
    assert_eq!(
        md.get(&format!("/api/v1/discovery/products/{makgeolli}"))
            .await
            .status,
        StatusCode::OK
    );
    for product in [hidden, unfinished] {
        assert_eq!(
            md.get(&format!("/api/v1/discovery/products/{product}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
    for product in [hidden, makgeolli] {
        let status = md.get(&format!("/api/v1/products/{product}")).await.status;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
            "{status}"
        );
    }
    // Shops do not search the pool.
    assert_eq!(
        owner.get("/api/v1/discovery/products").await.status,
        StatusCode::FORBIDDEN
    );

    // Taking a product out removes it from search at once.
    let out = owner
        .delete(&format!("/api/v1/products/{makgeolli}/pool"))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.body);
    assert!(!found(&md.get(&search("막걸리")).await).contains(&makgeolli));
}

#[tokio::test]
async fn a_pick_is_answered_by_the_shop_and_starts_its_listing_on_that_marketplace() {
    for app in TestApp::on_every_store("discovery_picks").await {
        let (mut owner, shop) = ShopBuilder::new()
            .with("phone", "063-123-4567")
            .owned_by(OWNER)
            .build(&app)
            .await;
        let product = ProductBuilder::new().create(&mut owner).await;
        let pooled = owner
            .put(&format!("/api/v1/products/{product}/pool"), json!({}))
            .await;
        assert_eq!(pooled.status, StatusCode::OK, "{}", pooled.body);
        let mut md = app.api_as("md@coupang.kr", "md").await;
        let mut other_md = app.api_as("md@naver.kr", "md").await;
        let mut stranger = app.api_as("other@shop.kr", "merchant").await;
        let mut staff = app.api_as(OPERATOR, "operator").await;

        // Before any pick is accepted, the shop's contact details stay hidden.
        let seen = md
            .get(&format!("/api/v1/discovery/products/{product}"))
            .await
            .json();
        assert_eq!(seen["shop"]["contact_visible"], false);
        assert!(seen["shop"].get("phone").is_none(), "{seen}");

        let pick = json!({"product_id": product, "channel": "coupang", "purpose": "time_deal",
                          "note": "추석 타임딜 후보입니다"});
        let made = md.post("/api/v1/discovery/picks", pick.clone()).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let id = made.json()["id"].as_i64().unwrap();
        assert_eq!(made.json()["decision"], "proposed");
        // The same pick twice, a bad purpose, a product outside the pool: field errors.
        let again = md.post("/api/v1/discovery/picks", pick.clone()).await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            again.body
        );
        assert_eq!(again.error_fields(), ["product_id"]);
        let bad = md
            .post(
                "/api/v1/discovery/picks",
                json!({"product_id": product, "channel": "coupang", "purpose": "free"}),
            )
            .await;
        assert_eq!(bad.error_fields(), ["purpose"]);
        // Only MDs pick.
        assert_eq!(
            owner
                .post("/api/v1/discovery/picks", pick.clone())
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // The shop sees it; another shop and another MD do not.
        let mine = owner.get("/api/v1/discovery/picks").await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        assert_eq!(mine.json()["items"][0]["id"], id);
        assert_eq!(mine.json()["items"][0]["channel"], "coupang");
        assert_eq!(mine.json()["items"][0]["purpose"], "time_deal");
        assert_eq!(mine.json()["items"][0]["note"], "추석 타임딜 후보입니다");
        assert_eq!(
            stranger.get("/api/v1/discovery/picks").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            other_md.get("/api/v1/discovery/picks").await.json()["items"],
            json!([])
        );
        assert_eq!(
            staff.get("/api/v1/discovery/picks").await.json()["items"][0]["id"],
            id
        );

        // Only the shop answers; accepting puts the Coupang card on the board at 준비.
        let accept = format!("/api/v1/discovery/picks/{id}/accept");
        assert_eq!(md.post_empty(&accept).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            stranger.post_empty(&accept).await.status,
            StatusCode::NOT_FOUND
        );
        let accepted = owner.post_empty(&accept).await;
        assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
        assert_eq!(accepted.json()["decision"], "accepted");
        let twice = owner.post_empty(&accept).await;
        assert_eq!(
            twice.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            twice.body
        );
        let board = staff.get("/api/v1/onboarding?channel=coupang").await;
        let card = board
            .json()
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["merchant_id"] == shop)
            .cloned()
            .unwrap_or_else(|| panic!("no card: {}", board.body));
        assert_eq!(card["stage"], "preparing", "{card}");
        let followed = md.get("/api/v1/discovery/picks").await.json();
        assert_eq!(followed["items"][0]["step"], "accepted");

        // Now that MD sees how to reach the shop; the other MD still does not.
        let seen = md
            .get(&format!("/api/v1/discovery/products/{product}"))
            .await
            .json();
        assert_eq!(seen["shop"]["contact_visible"], true);
        assert_eq!(seen["shop"]["phone"], "063-123-4567", "{seen}");
        let other = other_md
            .get(&format!("/api/v1/discovery/products/{product}"))
            .await
            .json();
        assert_eq!(other["shop"]["contact_visible"], false);

        // The shop chooses to share its sales as bands.
        let shared = owner
            .put(
                "/api/v1/discovery/sales-visibility",
                json!({"visibility": "band"}),
            )
            .await;
        assert_eq!(shared.status, StatusCode::OK, "{}", shared.body);
        let bad = owner
            .put(
                "/api/v1/discovery/sales-visibility",
                json!({"visibility": "exact"}),
            )
            .await;
        assert_eq!(bad.error_fields(), ["visibility"]);
        let seen = md
            .get(&format!("/api/v1/discovery/products/{product}"))
            .await
            .json();
        assert!(seen["shop"]["sales_bands"].is_array(), "{seen}");
    }
}

#[tokio::test]
async fn the_pages_let_a_shop_pool_a_product_and_an_md_find_and_pick_it() {
    let app = TestApp::sqlite("discovery_pages").await;
    let (mut owner_api, _shop) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let product = ProductBuilder::new().create(&mut owner_api).await;
    let mut owner = app.sign_in(OWNER).await;
    let pool = owner.get("/discovery/picks").await;
    assert_eq!(pool.status, StatusCode::OK);
    assert!(
        pool.body.contains(&format!("pool-put-{product}")),
        "{}",
        pool.body
    );
    let put = owner
        .post_form(
            "/discovery/pool",
            &[("product_id", &product.to_string()), ("action", "put")],
        )
        .await;
    assert_eq!(put.status, StatusCode::SEE_OTHER, "{}", put.body);
    let after = owner.get("/discovery/picks?done=pooled").await;
    assert!(
        after.body.contains(&format!("pool-remove-{product}")),
        "{}",
        after.body
    );

    let mut md = app.signed_in("md@coupang.kr", "md", "").await;
    let page = md.get("/discovery?q=%E3%85%82%E3%85%82%E3%85%82").await; // ㅂㅂㅂ
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("/discovery/products/{product}")),
        "{}",
        page.body
    );
    let opened = md.get(&format!("/discovery/products/{product}")).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.body.contains("shop-contact-hidden"));
    let picked = md
        .post_form(
            "/discovery/picks",
            &[
                ("product_id", &product.to_string()),
                ("channel", "naver"),
                ("purpose", "promotion"),
                ("note", "설 기획전"),
            ],
        )
        .await;
    assert_eq!(picked.status, StatusCode::SEE_OTHER, "{}", picked.body);
    let bad = md
        .post_form(
            "/discovery/picks",
            &[
                ("product_id", &product.to_string()),
                ("channel", "naver"),
                ("purpose", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("pick-error"));

    let answers = owner.get("/discovery/picks").await;
    let id = crate::support::first_id_after(&answers.body, "pick-accept-");
    let accepted = owner
        .post_form(&format!("/discovery/picks/{id}/accept"), &[])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let funnel = md.get("/discovery/picks").await;
    assert!(funnel.body.contains("picks-funnel"), "{}", funnel.body);
    assert!(funnel.body.contains("data-testid=\"pick-step\""));
    // An MD's pages are not for shops, and a shop's product is not an MD's outside the pool.
    assert_eq!(owner.get("/discovery").await.status, StatusCode::FORBIDDEN);
}
