//! Deleting a product asks first and keeps it restorable for 30 days, on every store: the
//! confirm page, the note with its undo, the trash, the code freed for a new product (so a
//! restore over it is refused by name), another shop refused, and past 30 days gone.

use axum::http::StatusCode;

use crate::support::{NUMBERS, OWNER, ProductBuilder, ShopBuilder, TestApp, TestClock};

#[tokio::test]
async fn a_deleted_product_is_restorable_for_thirty_days() {
    for app in TestApp::on_every_store("product_trash").await {
        let backend = app.store().backend();
        let (mut owner, _) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
        let (mut other, _) = ShopBuilder::new()
            .name("옆집")
            .business_number(NUMBERS[1])
            .owned_by("other@shop.kr")
            .build(&app)
            .await;
        let id = ProductBuilder::new().sku("JJ-1").create(&mut owner).await;
        let mut page = app.sign_in(OWNER).await;

        let confirm = page.get(&format!("/products/{id}/delete")).await;
        assert_eq!(confirm.status, StatusCode::OK, "{backend}");
        assert!(confirm.body.contains("data-testid=\"delete-confirmed\""));
        let deleted = page.post_form(&format!("/products/{id}/delete"), &[]).await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{backend}");
        let back = deleted.location().unwrap().to_owned();
        assert_eq!(back, format!("/products?deleted={id}"));
        let list = page.get(&back).await.body;
        assert!(list.contains("상품을 지웠습니다"), "{backend}");
        assert!(list.contains(&format!("/products/{id}/restore")));
        assert_eq!(
            owner.get(&format!("/api/v1/products/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        let trash = owner.get("/api/v1/products/deleted").await.json();
        assert_eq!(trash[0]["id"], id, "{backend}: {trash}");
        assert!(trash[0]["deleted_at"].is_string());
        assert_eq!(
            other
                .post_empty(&format!("/api/v1/products/{id}/restore"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{backend}: another shop cannot restore it"
        );

        // Its code is free for a new product; restoring over that is refused by name.
        let again = ProductBuilder::new().sku("JJ-1").create(&mut owner).await;
        let refused = owner
            .post_empty(&format!("/api/v1/products/{id}/restore"))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::CONFLICT,
            "{backend}: {}",
            refused.body
        );
        assert_eq!(refused.error_fields(), ["sku"]);
        let trash_page = page
            .post_form(&format!("/products/{id}/restore"), &[])
            .await;
        assert_eq!(trash_page.status, StatusCode::CONFLICT);
        assert!(trash_page.body.contains("같은 상품 코드"));
        owner.delete(&format!("/api/v1/products/{again}")).await;
        let restored = owner
            .post_empty(&format!("/api/v1/products/{id}/restore"))
            .await;
        assert_eq!(
            restored.status,
            StatusCode::OK,
            "{backend}: {}",
            restored.body
        );
        assert_eq!(restored.json()["product"]["sku"], "JJ-1");
        assert_eq!(
            owner.get(&format!("/api/v1/products/{id}")).await.status,
            StatusCode::OK
        );
        let trash = owner.get("/api/v1/products/deleted").await.json();
        assert_eq!(
            trash.as_array().unwrap().len(),
            1,
            "{backend}: only the newer one"
        );
    }
}

#[tokio::test]
async fn after_thirty_days_a_deleted_product_is_gone() {
    let clock = TestClock::starting_now();
    let app = TestApp::sqlite("product_trash_expiry")
        .await
        .with_clock(clock.clone());
    let (mut owner, _) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let id = ProductBuilder::new().sku("OLD-1").create(&mut owner).await;
    owner.delete(&format!("/api/v1/products/{id}")).await;
    clock.advance_days(31);
    let mut owner = app.api_of(OWNER).await;
    assert_eq!(
        owner.get("/api/v1/products/deleted").await.json(),
        serde_json::json!([])
    );
    assert_eq!(
        owner
            .post_empty(&format!("/api/v1/products/{id}/restore"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let page = app.sign_in(OWNER).await.get("/products/deleted").await;
    assert!(page.body.contains("휴지통이 비어 있습니다"));
}
