//! Staff pages: an operator creates accounts within their rights (not staff above them, an
//! officer only with a region), and the audit log records who did it.

use axum::http::StatusCode;

use serde_json::json;

use crate::support::{OPERATOR, OWNER, TestApp, between, row_with};

#[tokio::test]
async fn staff_create_accounts_within_their_rights() {
    let app = TestApp::sqlite("http-staff").await;
    let mut operator = app.operator().await;
    let page = operator.get("/staff/users").await;
    assert!(
        page.body.contains("모든 역할 (1)") && page.body.contains("운영기관 (1)"),
        "filter shows counts"
    );
    let role_picker = between(&page.body, "id=\"f-role\"", "</select>");
    assert!(role_picker.contains("<option value=\"designer\""));
    assert!(
        !role_picker.contains("\"admin\"") && !role_picker.contains("\"operator\""),
        "operators cannot make staff"
    );

    let created = operator
        .post_form(
            "/staff/users",
            &[
                ("email", "expert@program.kr"),
                ("display_name", "김유통"),
                ("role", "designer"),
                ("region_code", ""),
                ("password", "처음비밀번호1234"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let list = operator.get(created.location().unwrap()).await;
    assert!(list.body.contains("expert@program.kr 계정을 만들었습니다"));
    assert!(list.body.contains("김유통"));

    let no_region = operator
        .post_form(
            "/staff/users",
            &[
                ("email", "gov@jeonju.go.kr"),
                ("role", "localgov"),
                ("region_code", ""),
                ("password", "처음비밀번호1234"),
            ],
        )
        .await;
    assert_eq!(no_region.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_region
            .body
            .contains("지자체 담당자는 담당 지역을 골라야 합니다")
    );
    assert!(
        no_region.body.contains("value=\"gov@jeonju.go.kr\""),
        "typed values kept"
    );

    let admin = operator
        .post_form(
            "/staff/users",
            &[
                ("email", "boss@program.kr"),
                ("role", "admin"),
                ("password", "처음비밀번호1234"),
            ],
        )
        .await;
    assert_eq!(admin.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(admin.body.contains("이 역할의 계정은 만들 권한이 없습니다"));
    assert!(
        app.store()
            .user_by_email("boss@program.kr")
            .await
            .unwrap()
            .is_none()
    );

    let audit = operator.get("/staff/audit").await;
    let created_row = row_with(&audit.body, "<code>user.create</code>");
    assert!(
        created_row.contains(OPERATOR),
        "the operator is recorded as the one who made the account: {created_row}"
    );
}

/// Staff edit and disable accounts, on every store: a disabled merchant's open session and API
/// token stop at their next request and it cannot sign in; enabled, it signs in again. An
/// operator manages only the roles they create, never their own role or account, and an
/// officer keeps a region.
#[tokio::test]
async fn staff_edit_and_disable_accounts() {
    for app in TestApp::on_every_store("accounts_manage").await {
        let backend = app.store().backend();
        let mut operator = app.api_as(OPERATOR, "operator").await;
        let merchant = app.user(OWNER, "merchant", "").await;
        let admin = app.user("admin@program.kr", "admin", "").await;
        let md = app.user("md@coupang.kr", "md", "").await;
        let mut merchant_api = app.api_of(OWNER).await;
        let mut merchant_page = app.sign_in(OWNER).await;
        assert_eq!(merchant_page.get("/my-shop").await.status, StatusCode::OK);

        let disabled = operator
            .post_empty(&format!("/api/v1/users/{}/disable", merchant.id.0))
            .await;
        assert_eq!(
            disabled.status,
            StatusCode::NO_CONTENT,
            "{backend}: {}",
            disabled.body
        );
        assert_eq!(
            merchant_api.get("/api/v1/me").await.status,
            StatusCode::UNAUTHORIZED,
            "{backend}: the token ended at once"
        );
        let bounced = merchant_page.get("/my-shop").await;
        assert_eq!(
            bounced.status,
            StatusCode::SEE_OTHER,
            "{backend}: the session ended"
        );
        let mut again = app.browser();
        let refused = again
            .submit(
                "/login",
                "/login",
                &[("email", OWNER), ("password", crate::support::PASSWORD)],
            )
            .await;
        assert_ne!(
            refused.status,
            StatusCode::SEE_OTHER,
            "{backend}: no sign-in"
        );
        let listed = operator.get("/api/v1/users?role=merchant").await.json();
        assert_eq!(listed[0]["disabled"], true, "{backend}");

        let enabled = operator
            .post_empty(&format!("/api/v1/users/{}/enable", merchant.id.0))
            .await;
        assert_eq!(enabled.status, StatusCode::NO_CONTENT);
        app.sign_in(OWNER).await;
        assert_eq!(
            merchant_api.get("/api/v1/me").await.status,
            StatusCode::UNAUTHORIZED,
            "{backend}: a revoked token stays revoked"
        );

        // Editing: the role within the operator's rights, an officer with a region.
        let path = format!("/api/v1/users/{}", md.id.0);
        let to_designer = operator
            .patch(&path, json!({"role": "designer", "display_name": "박설계"}))
            .await;
        assert_eq!(
            to_designer.status,
            StatusCode::OK,
            "{backend}: {}",
            to_designer.body
        );
        assert_eq!(to_designer.json()["role"], "designer");
        assert_eq!(to_designer.json()["display_name"], "박설계");
        let to_operator = operator.patch(&path, json!({"role": "operator"})).await;
        assert_eq!(to_operator.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(to_operator.error_fields(), ["role"]);
        let officer_without_region = operator
            .patch(&path, json!({"role": "localgov", "region_code": ""}))
            .await;
        assert_eq!(officer_without_region.error_fields(), ["region_code"]);
        let officer = operator
            .patch(&path, json!({"role": "localgov", "region_code": "52110"}))
            .await;
        assert_eq!(officer.json()["region_code"], "52110");

        // Out of bounds: an admin, one's own role, one's own account.
        assert_eq!(
            operator
                .post_empty(&format!("/api/v1/users/{}/disable", admin.id.0))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let me = operator.get("/api/v1/me").await.json();
        let mine = format!("/api/v1/users/{}", me["id"]);
        assert_eq!(
            operator
                .patch(&mine, json!({"role": "admin"}))
                .await
                .error_fields(),
            ["role"]
        );
        assert_eq!(
            operator.post_empty(&format!("{mine}/disable")).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let renamed = operator
            .patch(&mine, json!({"display_name": "운영팀장"}))
            .await;
        assert_eq!(renamed.status, StatusCode::OK, "one's own name may change");

        // The page: the account's form and its disable button.
        let mut staff = app.sign_in(OPERATOR).await;
        let page = staff.get(&format!("/staff/users/{}", merchant.id.0)).await;
        assert!(
            page.body.contains("data-testid=\"account-disable\""),
            "{backend}"
        );
        let done = staff
            .post_form(&format!("/staff/users/{}/disable", merchant.id.0), &[])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let page = staff.get(&format!("/staff/users/{}", merchant.id.0)).await;
        assert!(page.body.contains("data-testid=\"account-disabled\""));
        let audit = staff.get("/staff/audit").await.body;
        assert!(audit.contains("user.disable"), "{backend}: audited");
    }
}
