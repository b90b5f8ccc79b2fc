//! Staff pages: an operator creates accounts within their rights (not staff above them, an
//! officer only with a region), and the audit log records who did it.

use axum::http::StatusCode;

use crate::support::{OPERATOR, TestApp, between, row_with};

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
