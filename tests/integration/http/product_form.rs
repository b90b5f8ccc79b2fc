//! The product form in the browser: the notice inputs generated for the product's type, one tap
//! for the standard answer, errors beside each field with nothing saved, the readiness of each
//! marketplace, the sandboxed detail-page preview, and saved shipping terms.

use axum::http::StatusCode;

use crate::support::{OWNER, ShopBuilder, TestApp, general_food_notice, readiness_of};

#[tokio::test]
async fn a_merchant_builds_a_product_with_the_generated_notice_form() {
    let app = TestApp::sqlite("http-product-form").await;
    let mut merchant = app.merchant(OWNER).await;
    let shop = ShopBuilder::new()
        .with("phone", "063-123-4567")
        .with("road_address", "전북특별자치도 전주시 완산구 동문길 67")
        .register(&mut merchant)
        .await;
    assert_eq!(shop.status, StatusCode::SEE_OTHER, "{}", shop.body);
    let products_of_the_shop = async || {
        app.store()
            .products_of(gachi_domain::merchants::merchant::MerchantId(1), None, 10)
            .await
            .unwrap()
            .len()
    };

    let form = merchant.get("/products/new").await;
    assert!(
        form.body
            .contains("<option value=\"GENERAL_FOOD\" selected>"),
        "a restaurant is offered 가공식품"
    );
    assert!(
        form.body.contains("식품의 유형") && form.body.contains("value=\"063-123-4567\""),
        "notice fields generated, shop facts prefilled"
    );

    let base: Vec<(&str, &str)> = vec![
        ("name", "전주 비빔밥 밀키트"),
        ("sku", "JJ-1"),
        ("price", "15900"),
        ("stock", "100"),
        ("options", "맛: 순한맛, 매운맛"),
        ("tags", "밀키트, 비빔밥"),
        ("image_main", "https://img.example/main.jpg"),
        ("notice_type", "GENERAL_FOOD"),
        ("ship_fee", "3000"),
        ("ship_return_to", "전주시 완산구"),
        ("as_phone", "063-123-4567"),
        ("origin_kind", "domestic"),
        ("minor_purchasable", "yes"),
        ("tax", "taxable"),
        ("cat_naver", "50000803"),
        ("ship_courier", "CJGLS"),
        ("ship_return_fee", "3000"),
        ("ship_exchange_fee", "6000"),
        ("ship_dispatch_days", "1"),
        ("as_guide", "평일 10시~18시 전화 상담"),
        ("var.0.key", "[\"순한맛\"]"),
        ("var.0.stock", "50"),
        ("var.0.delta", "0"),
        ("var.1.key", "[\"매운맛\"]"),
        ("var.1.stock", "50"),
        ("var.1.delta", "500"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut fields = base.clone();
        fields.extend_from_slice(extra);
        fields
    };
    let tapped = merchant
        .post_form("/products/new", &with(&[("see_detail", "notice.producer")]))
        .await;
    assert_eq!(tapped.status, StatusCode::OK);
    assert!(
        tapped
            .body
            .contains("name=\"notice.producer\" value=\"상품 상세페이지 참조\""),
        "one tap fills the standard answer"
    );
    assert!(
        tapped.body.contains("value=\"전주 비빔밥 밀키트\""),
        "nothing typed is lost"
    );
    assert!(
        tapped.body.contains("data-testid=\"variants\"")
            && tapped.body.contains("name=\"var.1.delta\" value=\"500\""),
        "each option combination has its row, as typed"
    );

    let refused = merchant
        .post_form("/products/new", &with(&[("action", "save")]))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"e-notice.foodType\""),
        "the error sits beside the notice field"
    );
    assert!(
        refused.body.contains("<strong>식품의 유형</strong>: "),
        "the summary names each field"
    );
    assert_eq!(products_of_the_shop().await, 0, "nothing saved");

    let notice: Vec<(String, &str)> = general_food_notice()
        .into_iter()
        .map(|(name, value)| (format!("notice.{name}"), value))
        .collect();
    let mut complete = base.clone();
    complete.extend(notice.iter().map(|(name, value)| (name.as_str(), *value)));
    complete.push(("action", "save"));
    let saved = merchant.post_form("/products/new", &complete).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = merchant.get(saved.location().unwrap()).await;
    let naver = readiness_of(&page.body, "네이버 스마트스토어");
    assert!(
        naver.contains("value=\"100\"></meter> 100%") && naver.contains(">준비 완료</span>"),
        "naver is ready: {naver}"
    );
    let coupang = readiness_of(&page.body, "쿠팡");
    assert!(
        !coupang.contains("value=\"100\"></meter> 100%")
            && coupang.contains("href=\"#f-cat_coupang\""),
        "coupang's missing category links to its field: {coupang}"
    );
    // What is left reads first, as a count of the things to fix.
    let left = crate::support::between(coupang, "data-testid=\"left-coupang\">", "</span>");
    let count: usize = left
        .trim_end_matches("가지 남음")
        .parse()
        .unwrap_or_else(|_| panic!("{left}"));
    assert_eq!(
        count,
        coupang.matches("<li").filter(|_| true).count()
            - coupang.matches("<li class=\"warning\"").count()
    );
    let id = saved
        .location()
        .unwrap()
        .trim_start_matches("/products/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let preview = merchant.get(&format!("/products/{id}/preview")).await;
    assert!(preview.body.contains("전주 비빔밥 밀키트") && !preview.body.contains("<script"));
    let csp = preview.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("style-src 'unsafe-inline'")
            && !csp.contains("script-src")
            && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(
        merchant
            .get("/products")
            .await
            .body
            .contains("전주 비빔밥 밀키트")
    );

    // The builder previews the unsaved form in its frame, in the chosen design and colour.
    let design = with(&[
        ("dp_template", "bold"),
        ("dp_color", "#c0392b"),
        ("dp_headline", "할머니 손맛 그대로"),
        ("dp_point1", "국산 재료"),
        ("dp_faq", "맵나요? | 순한맛도 있어요"),
    ]);
    let unsaved = merchant.post_form("/products/preview", &design).await;
    assert_eq!(unsaved.status, StatusCode::OK);
    assert!(
        unsaved.body.contains("할머니 손맛 그대로")
            && unsaved.body.contains("background:#c0392b;color:#fff")
            && unsaved.body.contains("Q. 맵나요?")
    );
    assert!(
        unsaved.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'self'")
    );
    assert_eq!(products_of_the_shop().await, 1, "previewing saves nothing");

    // Shipping terms saved under a name fill into the next product at once.
    let nameless = merchant
        .post_form(
            "/products/new",
            &with(&[
                ("ship_fee", "4000"),
                ("ship_template_name", ""),
                ("action", "save_shipping"),
            ]),
        )
        .await;
    assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nameless.body.contains("id=\"e-ship_template_name\""));
    let mut keep = base.clone();
    keep.retain(|(k, _)| *k != "ship_fee");
    keep.extend([
        ("ship_fee", "4000"),
        ("ship_template_name", "기본 택배"),
        ("action", "save_shipping"),
    ]);
    let saved_terms = merchant.post_form("/products/new", &keep).await;
    assert!(
        saved_terms
            .body
            .contains("‘기본 택배’ 배송 조건을 저장했습니다"),
        "{}",
        saved_terms.body
    );
    let fresh = merchant.get("/products/new").await;
    assert!(fresh.body.contains("<option value=\"기본 택배\">"));
    let applied = merchant
        .post_form(
            "/products/new",
            &[
                ("ship_template", "기본 택배"),
                ("action", "apply_shipping"),
                ("name", "새 상품"),
            ],
        )
        .await;
    assert!(
        applied
            .body
            .contains("name=\"ship_fee\" type=\"text\" value=\"4000\""),
        "the saved fee is filled in"
    );
    assert!(
        applied.body.contains("value=\"새 상품\""),
        "what was typed stays"
    );

    let mut stranger = app.merchant("other@shop.kr").await;
    for path in [format!("/products/{id}"), format!("/products/{id}/preview")] {
        assert_eq!(
            stranger.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}
