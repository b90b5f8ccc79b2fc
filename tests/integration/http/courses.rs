//! Courses over HTTP, on every store: staff author a course and its modules (a malformed quiz
//! line is a field error and nothing is saved); a designer reads a module's quiz without its
//! answers, fails with one wrong answer, passes with all right, and completes the course; other
//! roles are refused.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{OPERATOR, OWNER, TestApp};

#[tokio::test]
async fn staff_write_courses_and_designers_pass_them_by_their_quizzes() {
    for app in TestApp::on_every_store("courses").await {
        let backend = app.store().backend();
        let mut operator = app.api_as(OPERATOR, "operator").await;
        let mut kim = app.api_as("kim@designer.kr", "designer").await;
        let mut owner = app.api_as(OWNER, "merchant").await;

        let refused = operator
            .post("/api/v1/courses", json!({"title": "", "area": "cooking"}))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend}"
        );
        let mut fields = refused.error_fields();
        fields.sort();
        assert_eq!(fields, ["area", "title"]);
        assert_eq!(
            kim.post("/api/v1/courses", json!({"title": "몰래", "area": "live"}))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        let created = operator
            .post(
                "/api/v1/courses",
                json!({"title": "마켓 입점 실무", "area": "listing", "summary": "네 마켓의 규칙"}),
            )
            .await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{backend}: {}",
            created.body
        );
        let course = created.json()["id"].as_i64().unwrap();
        let modules = format!("/api/v1/courses/{course}/modules");

        let bad_quiz = operator
            .post(
                &modules,
                json!({"title": "쿠팡 키", "body": "본문", "quiz": ["키는 며칠? | 30일 | 180일"]}),
            )
            .await;
        assert_eq!(bad_quiz.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_quiz.error_fields(), ["quiz"]);
        assert_eq!(
            operator
                .get(&format!("/api/v1/courses/{course}"))
                .await
                .json()["modules"],
            json!([]),
            "{backend}: nothing saved"
        );

        let first = operator
            .post(
                &modules,
                json!({
                    "title": "쿠팡 키",
                    "body": "**180일** 동안 씁니다. <script>alert(1)</script>",
                    "links": ["https://developers.coupangcorp.com/"],
                    "quiz": ["키는 며칠 동안 쓰나요? | 30일 | *180일", "재발급은 만료 며칠 전부터? | *14일 | 1일"]
                }),
            )
            .await;
        assert_eq!(
            first.status,
            StatusCode::CREATED,
            "{backend}: {}",
            first.body
        );
        let first = first.json()["id"].as_i64().unwrap();
        let second = operator
            .post(&modules, json!({"title": "읽기만", "body": "읽어 보세요."}))
            .await
            .json()["id"]
            .as_i64()
            .unwrap();

        // The designer sees the quiz without its answers, and sanitized text.
        let read = kim.get(&format!("/api/v1/courses/{course}")).await;
        assert_eq!(read.status, StatusCode::OK);
        let text = read.body.clone();
        assert!(
            !text.contains("*180") && !text.contains("\"answer\""),
            "{backend}: {text}"
        );
        assert!(text.contains("<strong>180일</strong>") && !text.contains("<script>"));
        let page = app
            .sign_in("kim@designer.kr")
            .await
            .get(&format!("/courses/{course}/modules/{first}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("*180일"),
            "the page never carries the right answer"
        );

        let answers = format!("/api/v1/courses/{course}/modules/{first}/answers");
        let wrong = kim.post(&answers, json!({"answers": [1, 1]})).await;
        assert_eq!(wrong.status, StatusCode::OK, "{backend}: {}", wrong.body);
        assert_eq!(
            wrong.json(),
            json!({"right": 1, "questions": 2, "passed": false})
        );
        let right = kim.post(&answers, json!({"answers": [1, 0]})).await;
        assert_eq!(right.json()["passed"], true);
        let progress = kim.get(&format!("/api/v1/courses/{course}")).await.json();
        assert_eq!(progress["modules"][0]["passed"], true);
        assert_eq!(progress["completed"], false, "{backend}: one module left");
        kim.post(
            &format!("/api/v1/courses/{course}/modules/{second}/answers"),
            json!({"answers": []}),
        )
        .await;
        let listed = kim.get("/api/v1/courses").await.json();
        assert_eq!(listed[0]["completed"], true, "{backend}");

        // Merchants neither read nor answer; an unknown module is a 404.
        assert_eq!(
            owner.get("/api/v1/courses").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            kim.post(
                &format!("/api/v1/courses/{course}/modules/999999/answers"),
                json!({"answers": []})
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            operator
                .post(&answers, json!({"answers": [1, 0]}))
                .await
                .status,
            StatusCode::FORBIDDEN,
            "staff author, designers answer"
        );
    }
}
