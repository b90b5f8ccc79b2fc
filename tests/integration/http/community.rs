//! 가치삽시다 2.0 over HTTP, on every store: a merchant asks about a Coupang error (a script, an
//! event handler, a `javascript:` link and a phone number in the body); the page and the API
//! are readable without an account, show no script and the number masked; another merchant
//! answers; votes on one's own answer, the same vote twice and accepting someone else's question
//! are refused; the asker accepts; search finds the question by a word with a particle; the
//! answer shows at the error for the next merchant; an article is written, reviewed and
//! published, and found by search.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn merchants_answer_merchants() {
    for app in TestApp::on_every_store("community_http").await {
        community(&app).await;
    }
}

async fn community(app: &TestApp) {
    let mut asker = app.api_as("asker@jeonju.kr", "merchant").await;
    let mut helper = app.api_as("helper@daegu.kr", "merchant").await;
    let mut stranger = app.api_as("stranger@busan.kr", "merchant").await;
    let mut anonymous = app.api_with(None);

    // Bad input is refused by field, nothing saved.
    let bad = asker
        .post(
            "/api/v1/community/questions",
            json!({"title": "짧", "body": "", "topic": "우주", "channel": "amazon"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.error_fields(), ["title", "body", "topic", "channel"]);
    let none = anonymous.get("/api/v1/community/questions").await;
    assert_eq!(none.json()["items"].as_array().unwrap().len(), 0);

    let body = "쿠팡 반품지 센터코드를 어디서 찾나요? 반품 주소는 적었어요.\n\n\
        <script>alert(1)</script><img src=x onerror=alert(2)>\
        [도움말](javascript:alert(3))\n\n급해요 010-1234-5678 로 연락 주세요.";
    let asked = asker
        .post(
            "/api/v1/community/questions",
            json!({"title": "쿠팡 반품지 코드는 어디서 보나요?", "body": body, "topic": "listing",
                   "channel": "coupang", "error_code": "listing-setting-missing"}),
        )
        .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    assert_eq!(asked.json()["masked"], true);
    let id = asked.json()["id"].as_i64().unwrap();

    // Public, sanitized, masked: in the API and on the page.
    let read = anonymous
        .get(&format!("/api/v1/community/questions/{id}"))
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let question = read.json();
    assert!(!read.body.contains("5678"), "{}", read.body);
    assert!(
        question["body"]
            .as_str()
            .unwrap()
            .contains("010-＊＊＊＊-＊＊＊＊")
    );
    let html = question["body_html"].as_str().unwrap().to_lowercase();
    for bad in ["<script", "onerror=", "javascript:"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    let mut visitor = app.browser();
    let page = visitor.get(&format!("/community/questions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let lower = page.body.to_lowercase();
    assert!(
        !lower.contains("<script>alert")
            && !lower.contains("onerror=")
            && !lower.contains("javascript:alert")
    );
    assert!(page.body.contains("010-＊＊＊＊-＊＊＊＊") && !page.body.contains("1234-5678"));
    assert!(page.body.contains("<meta name=\"description\""));

    // An answer; the rules on votes and acceptance.
    let answered = helper
        .post(
            &format!("/api/v1/community/questions/{id}/answers"),
            json!({"body": "Wing 판매자정보 > 주소록 메뉴에서 반품지를 등록하면 센터코드가 나옵니다."}),
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    let answer = answered.json()["id"].as_i64().unwrap();
    let own = helper
        .post(
            &format!("/api/v1/community/answers/{answer}/votes"),
            json!({"value": 1}),
        )
        .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", own.body);
    let up = asker
        .post(
            &format!("/api/v1/community/answers/{answer}/votes"),
            json!({"value": 1}),
        )
        .await;
    assert_eq!(up.status, StatusCode::NO_CONTENT, "{}", up.body);
    let again = asker
        .post(
            &format!("/api/v1/community/answers/{answer}/votes"),
            json!({"value": 1}),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    let down = stranger
        .post(
            &format!("/api/v1/community/answers/{answer}/votes"),
            json!({"value": -1}),
        )
        .await;
    assert_eq!(down.status, StatusCode::NO_CONTENT);
    let odd = stranger
        .post(
            &format!("/api/v1/community/answers/{answer}/votes"),
            json!({"value": 5}),
        )
        .await;
    assert_eq!(odd.error_fields(), ["value"]);
    let not_theirs = stranger
        .post_empty(&format!("/api/v1/community/answers/{answer}/accept"))
        .await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    let anonymous_vote = anonymous
        .post(
            &format!("/api/v1/community/answers/{answer}/votes"),
            json!({"value": 1}),
        )
        .await;
    assert_eq!(anonymous_vote.status, StatusCode::UNAUTHORIZED);
    let accepted = asker
        .post_empty(&format!("/api/v1/community/answers/{answer}/accept"))
        .await;
    assert_eq!(accepted.status, StatusCode::NO_CONTENT, "{}", accepted.body);
    let solved = anonymous
        .get(&format!("/api/v1/community/questions/{id}"))
        .await
        .json();
    assert_eq!(solved["solved"], true);
    assert_eq!(solved["answers"][0]["accepted"], true);
    assert_eq!(solved["answers"][0]["score"], 0, "one up, one down");

    // Search by a word with a particle; help at the error.
    let found = anonymous.get("/api/v1/community/search?q=반품지가").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert_eq!(found.json()["items"][0]["id"], id, "{}", found.body);
    let by_answer = anonymous.get("/api/v1/community/search?q=주소록에서").await;
    assert_eq!(
        by_answer.json()["items"][0]["id"],
        id,
        "an accepted answer's words find it"
    );
    let help = visitor
        .get("/community?channel=coupang&error=listing-setting-missing")
        .await;
    assert_eq!(help.status, StatusCode::OK);
    assert!(
        help.body.contains("쿠팡 반품지 코드는 어디서 보나요?"),
        "{}",
        help.body
    );
    assert!(
        help.body.contains("/community/ask?"),
        "the ask link carries the error"
    );

    // An edit keeps history; only the author (or staff) edits.
    let stranger_edit = stranger
        .patch(
            &format!("/api/v1/community/questions/{id}"),
            json!({"title": "남의 질문 고치기", "body": "이렇게 바꿔 봅니다 여러분"}),
        )
        .await;
    assert_eq!(stranger_edit.status, StatusCode::FORBIDDEN);
    // The author's edit: the page shows the new text, cooked once when it was saved.
    let own_edit = asker
        .patch(
            &format!("/api/v1/community/questions/{id}"),
            json!({"title": "쿠팡 반품지 코드는 어디서 보나요?", "body": "센터코드를 **Wing**에서 못 찾겠어요."}),
        )
        .await;
    assert_eq!(own_edit.status, StatusCode::OK, "{}", own_edit.body);
    let edited = anonymous
        .get(&format!("/api/v1/community/questions/{id}"))
        .await
        .json();
    assert_eq!(
        edited["body_html"].as_str().unwrap().trim(),
        "<p>센터코드를 <strong>Wing</strong>에서 못 찾겠어요.</p>"
    );
    let answer_edit = helper
        .patch(
            &format!("/api/v1/community/answers/{answer}"),
            json!({"body": "Wing *판매자정보 > 주소록*에서 반품지를 등록하면 센터코드가 나옵니다."}),
        )
        .await;
    assert_eq!(answer_edit.status, StatusCode::OK, "{}", answer_edit.body);
    let page = visitor.get(&format!("/community/questions/{id}")).await;
    assert!(
        page.body
            .contains("<em>판매자정보 &gt; 주소록</em>에서 반품지를 등록하면")
            && page.body.contains("<strong>Wing</strong>에서 못 찾겠어요"),
        "{}",
        page.body
    );
    // The answerer's first answer earned a badge, shown beside it.
    assert!(
        page.body
            .contains(&format!("data-testid=\"badge-{answer}\">첫 답변<")),
        "{}",
        page.body
    );

    // An article: draft (not public), review, published (public, searchable).
    let mut operator = app.api_as("ops@program.kr", "operator").await;
    let draft = helper
        .post(
            "/api/v1/community/articles",
            json!({"title": "쿠팡 반품지 등록 순서", "body": "1. Wing 로그인\n2. **주소록**에서 반품지 추가\n3. 센터코드 복사",
                   "topic": "입점", "channel": "coupang", "error_code": "listing-setting-missing"}),
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let article = draft.json()["id"].as_i64().unwrap();
    let hidden = anonymous
        .get(&format!("/api/v1/community/articles/{article}"))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let early = operator
        .post(
            &format!("/api/v1/community/articles/{article}/review"),
            json!({"action": "publish"}),
        )
        .await;
    assert_eq!(early.error_fields(), ["status"], "a draft is not in review");
    let submitted = helper
        .post(
            &format!("/api/v1/community/articles/{article}/review"),
            json!({"action": "submit"}),
        )
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::NO_CONTENT,
        "{}",
        submitted.body
    );
    let by_merchant = stranger
        .post(
            &format!("/api/v1/community/articles/{article}/review"),
            json!({"action": "publish"}),
        )
        .await;
    assert_eq!(by_merchant.status, StatusCode::FORBIDDEN);
    let published = operator
        .post(
            &format!("/api/v1/community/articles/{article}/review"),
            json!({"action": "publish"}),
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::NO_CONTENT,
        "{}",
        published.body
    );
    let public = anonymous
        .get(&format!("/api/v1/community/articles/{article}"))
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.json()["status"], "published");
    let helpful = stranger
        .post_empty(&format!("/api/v1/community/articles/{article}/helpful"))
        .await;
    assert_eq!(helpful.status, StatusCode::NO_CONTENT);
    let twice = stranger
        .post_empty(&format!("/api/v1/community/articles/{article}/helpful"))
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    let articles = anonymous
        .get("/api/v1/community/search?q=주소록&kind=article")
        .await;
    assert_eq!(
        articles.json()["items"][0]["id"],
        article,
        "{}",
        articles.body
    );

    // Hiding a question keeps its answer in the helper's history but takes it off the site.
    let hide = stranger
        .delete(&format!("/api/v1/community/questions/{id}"))
        .await;
    assert_eq!(hide.status, StatusCode::FORBIDDEN);
    let hidden = asker
        .delete(&format!("/api/v1/community/questions/{id}?reason=중복"))
        .await;
    assert_eq!(hidden.status, StatusCode::NO_CONTENT);
    let gone = anonymous
        .get(&format!("/api/v1/community/questions/{id}"))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let after = anonymous.get("/api/v1/community/search?q=반품지").await;
    assert!(
        after.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["kind"] != "question"),
        "{}",
        after.body
    );
}

/// A question nobody answers goes, after a few hours, to owners who opted in and solved the same
/// error on the same marketplace (not to one who did not opt in, not twice); they find it in
/// their notifications with the acceptance of their earlier answer; the asker sees how many were
/// asked and is notified of the answer; staff read how fast questions get answered.
#[tokio::test]
async fn unanswered_questions_go_to_owners_who_solved_them() {
    for app in TestApp::on_every_store("community_routing").await {
        let clock = crate::support::TestClock::starting_now();
        let app = app.with_clock(clock.clone());
        routing(&app, &clock).await;
    }
}

async fn routing(app: &TestApp, clock: &crate::support::TestClock) {
    let mut first = app.api_as("first@jeonju.kr", "merchant").await;
    let mut solver = app.api_as("solver@daegu.kr", "merchant").await;
    let mut quiet = app.api_as("quiet@busan.kr", "merchant").await;
    let mut asker = app.api_as("asker@gwangju.kr", "merchant").await;
    let mut operator = app.api_as("ops@program.kr", "operator").await;
    let question = json!({"title": "쿠팡 반품지 센터코드가 비어 있대요", "body": "Wing 어디서 확인하나요? 알려 주세요.",
                          "topic": "listing", "channel": "coupang", "error_code": "listing-setting-missing"});
    let asked = first
        .post("/api/v1/community/questions", question.clone())
        .await;
    let first_question = asked.json()["id"].as_i64().unwrap();
    let mut accepted_answers = Vec::new();
    for helper in [&mut solver, &mut quiet] {
        let answered = helper
            .post(
                &format!("/api/v1/community/questions/{first_question}/answers"),
                json!({"body": "Wing 주소록에서 반품지를 등록하면 센터코드가 나옵니다."}),
            )
            .await;
        accepted_answers.push(answered.json()["id"].as_i64().unwrap());
    }
    for answer in &accepted_answers {
        let accepted = first
            .post_empty(&format!("/api/v1/community/answers/{answer}/accept"))
            .await;
        assert_eq!(accepted.status, StatusCode::NO_CONTENT, "{}", accepted.body);
    }
    let opted = solver
        .put(
            "/api/v1/community/helping",
            json!({"opted_in": true, "nearby": false}),
        )
        .await;
    assert_eq!(opted.status, StatusCode::NO_CONTENT, "{}", opted.body);
    assert_eq!(
        solver.get("/api/v1/community/helping").await.json()["opted_in"],
        true
    );

    // A new question on the same error: not routed while it is young.
    let asked = asker.post("/api/v1/community/questions", question).await;
    let id = asked.json()["id"].as_i64().unwrap();
    let early = operator.post_empty("/api/v1/community/routing").await;
    assert_eq!(early.json()["invited"], 0, "{}", early.body);
    let by_merchant = asker.post_empty("/api/v1/community/routing").await;
    assert_eq!(by_merchant.status, StatusCode::FORBIDDEN);

    clock.advance_days(1);
    let routed = operator.post_empty("/api/v1/community/routing").await;
    assert_eq!(routed.status, StatusCode::OK, "{}", routed.body);
    assert_eq!(routed.json()["invited"], 1, "only the one who opted in");
    let again = operator.post_empty("/api/v1/community/routing").await;
    assert_eq!(again.json()["invited"], 0, "never twice");
    let by_hand = asker
        .post_empty(&format!("/api/v1/community/questions/{id}/route"))
        .await;
    assert_eq!(by_hand.error_fields(), ["question"]);
    assert_eq!(
        asker
            .get(&format!("/api/v1/community/questions/{id}"))
            .await
            .json()["invited"],
        1
    );

    let inbox = solver.get("/api/v1/community/notifications").await.json();
    let kinds: Vec<&str> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["invitation", "accepted"], "{inbox}");
    assert_eq!(inbox["unread"], 2);
    assert_eq!(inbox["items"][0]["question_id"], id);
    assert!(
        quiet.get("/api/v1/community/notifications").await.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] != "invitation"),
        "not asked without opting in"
    );
    let read = solver
        .post_empty("/api/v1/community/notifications/read")
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    assert_eq!(
        solver.get("/api/v1/community/notifications").await.json()["unread"],
        0
    );

    let answered = solver
        .post(
            &format!("/api/v1/community/questions/{id}/answers"),
            json!({"body": "저도 그랬어요. Wing 판매자정보 → 주소록입니다."}),
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    let told = asker.get("/api/v1/community/notifications").await.json();
    assert_eq!(told["items"][0]["kind"], "answer", "{told}");
    assert_eq!(told["unread"], 1);

    let speed = operator.get("/api/v1/community/answer-speed?days=30").await;
    assert_eq!(speed.status, StatusCode::OK, "{}", speed.body);
    assert_eq!(speed.json()["asked"], 2, "{}", speed.body);
    assert!(speed.json()["median_seconds_to_first_answer"].is_i64());
    let not_staff = asker.get("/api/v1/community/answer-speed").await;
    assert_eq!(not_staff.status, StatusCode::FORBIDDEN);
}

/// Reports: never one's own post, once each, with a known reason; three reports hide a post
/// until staff decide; staff keep it (shown again) or hide an answer, with a reason, and the
/// queue empties.
#[tokio::test]
async fn reported_posts_wait_for_staff() {
    for app in TestApp::on_every_store("community_flags").await {
        let clock = crate::support::TestClock::starting_now();
        let app = app.with_clock(clock.clone());
        moderation(&app, &clock).await;
    }
}

async fn moderation(app: &TestApp, clock: &crate::support::TestClock) {
    let mut author = app.api_as("author@jeonju.kr", "merchant").await;
    let mut operator = app.api_as("ops@program.kr", "operator").await;
    let mut anonymous = app.api_with(None);
    let mut readers = Vec::new();
    for k in 0..3 {
        let mut reader = app.api_as(&format!("reader{k}@daegu.kr"), "merchant").await;
        let asked = reader
            .post(
                "/api/v1/community/questions",
                json!({"title": format!("첫 질문 {k}번입니다"), "body": "처음 올려 보는 질문입니다.", "topic": "listing"}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
        readers.push(reader);
    }
    // Reporting is for members: three days old and something posted.
    let too_new = readers[0]
        .post(
            "/api/v1/community/questions/2/flags",
            json!({"reason": "spam"}),
        )
        .await;
    assert_eq!(too_new.error_fields(), ["reason"], "{}", too_new.body);
    clock.advance_days(4);
    let asked = author
        .post(
            "/api/v1/community/questions",
            json!({"title": "싸게 파는 곳 알려 드려요", "body": "제 가게 링크로 오시면 싸게 드립니다.", "topic": "listing"}),
        )
        .await;
    let id = asked.json()["id"].as_i64().unwrap();
    let own = author
        .post(
            &format!("/api/v1/community/questions/{id}/flags"),
            json!({"reason": "spam"}),
        )
        .await;
    assert_eq!(own.error_fields(), ["reason"]);
    let unknown = readers[0]
        .post(
            &format!("/api/v1/community/questions/{id}/flags"),
            json!({"reason": "boring"}),
        )
        .await;
    assert_eq!(unknown.error_fields(), ["reason"]);
    for (k, reader) in readers.iter_mut().enumerate() {
        let reason = if k == 2 { "spam" } else { "advertising" };
        let flagged = reader
            .post(
                &format!("/api/v1/community/questions/{id}/flags"),
                json!({"reason": reason}),
            )
            .await;
        assert_eq!(flagged.status, StatusCode::NO_CONTENT, "{}", flagged.body);
        if k == 0 {
            let twice = reader
                .post(
                    &format!("/api/v1/community/questions/{id}/flags"),
                    json!({"reason": "spam"}),
                )
                .await;
            assert_eq!(twice.error_fields(), ["reason"], "once per person");
        }
        let public = anonymous
            .get(&format!("/api/v1/community/questions/{id}"))
            .await;
        let expected = if k < 2 {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(public.status, expected, "after {} reports", k + 1);
    }
    let hidden_to_reporter = readers[0]
        .post(
            &format!("/api/v1/community/questions/{id}/flags"),
            json!({"reason": "spam"}),
        )
        .await;
    assert_eq!(
        hidden_to_reporter.status,
        StatusCode::NOT_FOUND,
        "hidden until staff decide"
    );

    let not_staff = readers[0].get("/api/v1/community/flags").await;
    assert_eq!(not_staff.status, StatusCode::FORBIDDEN);
    let queue = operator.get("/api/v1/community/flags").await.json();
    assert_eq!(queue["items"][0]["question_id"], id, "{queue}");
    assert_eq!(queue["items"][0]["hidden"], true);
    assert_eq!(queue["items"][0]["reasons"][0], json!(["advertising", 2]));
    let staff_view = operator
        .get(&format!("/api/v1/community/questions/{id}"))
        .await;
    assert_eq!(staff_view.status, StatusCode::OK);
    let no_reason = operator
        .post(
            "/api/v1/community/flags/decision",
            json!({"question_id": id, "hide": false}),
        )
        .await;
    assert_eq!(no_reason.error_fields(), ["reason"]);
    let kept = operator
        .post(
            "/api/v1/community/flags/decision",
            json!({"question_id": id, "hide": false, "reason": "가게 홍보가 아니라 질문입니다"}),
        )
        .await;
    assert_eq!(kept.status, StatusCode::NO_CONTENT, "{}", kept.body);
    assert_eq!(
        anonymous
            .get(&format!("/api/v1/community/questions/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        operator.get("/api/v1/community/flags").await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // An answer hidden by staff is gone for readers, kept for staff.
    let answered = readers[1]
        .post(
            &format!("/api/v1/community/questions/{id}/answers"),
            json!({"body": "연락처 010-9999-8888 로 주세요 광고입니다"}),
        )
        .await;
    let answer = answered.json()["id"].as_i64().unwrap();
    let reported = readers[2]
        .post(
            &format!("/api/v1/community/answers/{answer}/flags"),
            json!({"reason": "personal_data"}),
        )
        .await;
    assert_eq!(reported.status, StatusCode::NO_CONTENT, "{}", reported.body);
    let hidden = operator
        .post(
            "/api/v1/community/flags/decision",
            json!({"question_id": id, "answer_id": answer, "hide": true, "reason": "광고"}),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NO_CONTENT, "{}", hidden.body);
    let public = anonymous
        .get(&format!("/api/v1/community/questions/{id}"))
        .await
        .json();
    assert_eq!(public["answers"].as_array().unwrap().len(), 0);
    let staff = operator
        .get(&format!("/api/v1/community/questions/{id}"))
        .await
        .json();
    assert_eq!(staff["answers"].as_array().unwrap().len(), 1);

    // Suspensions: staff stop an account from posting for some days, with a reason.
    let reader_id = readers[1].get("/api/v1/me").await.json()["id"]
        .as_i64()
        .unwrap();
    let ops_id = operator.get("/api/v1/me").await.json()["id"]
        .as_i64()
        .unwrap();
    let bad = operator
        .post(
            "/api/v1/community/suspensions",
            json!({"user_id": ops_id, "days": 0, "reason": ""}),
        )
        .await;
    assert_eq!(bad.error_fields(), ["user_id", "days", "reason"]);
    let by_merchant = readers[0]
        .post(
            "/api/v1/community/suspensions",
            json!({"user_id": reader_id, "days": 3, "reason": "광고"}),
        )
        .await;
    assert_eq!(by_merchant.status, StatusCode::FORBIDDEN);
    let suspended = operator
        .post(
            "/api/v1/community/suspensions",
            json!({"user_id": reader_id, "days": 3, "reason": "광고 답변"}),
        )
        .await;
    assert_eq!(suspended.status, StatusCode::OK, "{}", suspended.body);
    let blocked = readers[1]
        .post(
            "/api/v1/community/questions",
            json!({"title": "다시 광고해도 되나요", "body": "광고 글을 또 올려 봅니다.", "topic": "listing"}),
        )
        .await;
    assert_eq!(blocked.error_fields(), ["account"]);
    let lifted = operator
        .delete(&format!("/api/v1/community/suspensions/{reader_id}"))
        .await;
    assert_eq!(lifted.status, StatusCode::NO_CONTENT);
    let again = operator
        .delete(&format!("/api/v1/community/suspensions/{reader_id}"))
        .await;
    assert_eq!(
        again.status,
        StatusCode::NO_CONTENT,
        "lifting twice changes nothing"
    );
    let allowed = readers[1]
        .post(
            "/api/v1/community/questions",
            json!({"title": "반품 배송비는 누가 내나요", "body": "단순 변심 반품 배송비를 묻습니다.", "topic": "shipping"}),
        )
        .await;
    assert_eq!(allowed.status, StatusCode::CREATED, "{}", allowed.body);
}

/// Mentors: only a hall-of-fame owner offers to mentor; merchants ask once; the mentor accepts;
/// both see it, and the mentor's mentee count moves.
#[tokio::test]
async fn hall_of_fame_owners_mentor() {
    use crate::support::{OPERATOR, OWNER, ShopBuilder};
    for app in TestApp::on_every_store("community_mentors").await {
        let mut operator = app.api_as(OPERATOR, "operator").await;
        let (mut mentor, shop) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
        let mut mentee = app.api_as("mentee@gwangju.kr", "merchant").await;
        let early = mentor
            .put(
                "/api/v1/community/mentoring",
                json!({"note": "쿠팡 입점과 정산을 도와드립니다"}),
            )
            .await;
        assert_eq!(
            early.error_fields(),
            ["account"],
            "not in the hall of fame yet"
        );
        let now = gachi_domain::results::Month::of(gachi_domain::kernel::time::Timestamp::now());
        for months_ago in 0..12 {
            let report = operator
                .post(
                    "/api/v1/sales-reports",
                    json!({"merchant_id": shop, "channel": "naver", "month": now.minus(months_ago).to_string(), "sales_krw": 9_000_000, "orders": 450}),
                )
                .await;
            assert_eq!(report.status, StatusCode::CREATED, "{}", report.body);
        }
        let offered = mentor
            .put(
                "/api/v1/community/mentoring",
                json!({"note": "쿠팡 입점과 정산을 도와드립니다"}),
            )
            .await;
        assert_eq!(offered.status, StatusCode::NO_CONTENT, "{}", offered.body);
        let mut anonymous = app.api_with(None);
        let list = anonymous.get("/api/v1/community/mentors").await.json();
        let mentor_id = list["items"][0]["user_id"].as_i64().unwrap();
        assert_eq!(list["items"][0]["mentees"], 0);
        let asked = mentee
            .post(
                &format!("/api/v1/community/mentors/{mentor_id}/requests"),
                json!({"message": "쿠팡 정산 주기를 배우고 싶습니다"}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
        let request = asked.json()["id"].as_i64().unwrap();
        let twice = mentee
            .post(
                &format!("/api/v1/community/mentors/{mentor_id}/requests"),
                json!({"message": "한 번 더 부탁드립니다"}),
            )
            .await;
        assert_eq!(twice.error_fields(), ["mentor"]);
        let not_theirs = mentee
            .post(
                &format!("/api/v1/community/mentor-requests/{request}"),
                json!({"accept": true}),
            )
            .await;
        assert_eq!(not_theirs.status, StatusCode::NOT_FOUND);
        let accepted = mentor
            .post(
                &format!("/api/v1/community/mentor-requests/{request}"),
                json!({"accept": true}),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::NO_CONTENT, "{}", accepted.body);
        let again = mentor
            .post(
                &format!("/api/v1/community/mentor-requests/{request}"),
                json!({"accept": false}),
            )
            .await;
        assert_eq!(again.error_fields(), ["request"]);
        assert_eq!(
            anonymous.get("/api/v1/community/mentors").await.json()["items"][0]["mentees"],
            1
        );
        let page = app
            .sign_in("mentee@gwangju.kr")
            .await
            .get("/community/mentors")
            .await;
        assert!(page.body.contains("수락됨"), "{}", page.body);
        let withdrawn = mentor.delete("/api/v1/community/mentoring").await;
        assert_eq!(withdrawn.status, StatusCode::NO_CONTENT);
        assert_eq!(
            anonymous.get("/api/v1/community/mentors").await.json()["items"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
    }
}

/// Trust: a new account's links stay plain text and it cannot report; after three days and a
/// post its links work; a regular (30 days, 10 answers, one accepted) edits others' published
/// know-how as a wiki, while a member cannot.
#[tokio::test]
async fn trust_unlocks_links_reports_and_the_wiki() {
    let app = TestApp::sqlite("community_trust").await;
    let clock = crate::support::TestClock::starting_now();
    let app = app.with_clock(clock.clone());
    let mut writer = app.api_as("writer@jeonju.kr", "merchant").await;
    let mut operator = app.api_as("ops@program.kr", "operator").await;
    let mut anonymous = app.api_with(None);
    let link = json!({"title": "링크 있는 질문입니다", "body": "여기 보세요 [안내](https://example.kr/help)", "topic": "listing"});
    let asked = writer
        .post("/api/v1/community/questions", link.clone())
        .await;
    let first = asked.json()["id"].as_i64().unwrap();
    let html = anonymous
        .get(&format!("/api/v1/community/questions/{first}"))
        .await
        .json()["body_html"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        !html.contains("<a"),
        "a new account's link is plain text: {html}"
    );
    clock.advance_days(4);
    let asked = writer.post("/api/v1/community/questions", link).await;
    let second = asked.json()["id"].as_i64().unwrap();
    let html = anonymous
        .get(&format!("/api/v1/community/questions/{second}"))
        .await
        .json()["body_html"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(html.contains("href=\"https://example.kr/help\""), "{html}");

    // An article by the operator, published; a member may not edit it, a regular may.
    let written = operator
        .post(
            "/api/v1/community/articles",
            json!({"title": "정산 주기 정리", "body": "네이버는 구매확정 후 1영업일입니다.", "topic": "settlement"}),
        )
        .await;
    let article = written.json()["id"].as_i64().unwrap();
    for action in ["publish"] {
        let done = operator
            .post(
                &format!("/api/v1/community/articles/{article}/review"),
                json!({"action": action}),
            )
            .await;
        assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
    }
    let edit = json!({"title": "정산 주기 정리", "body": "네이버는 구매확정 다음 영업일, 쿠팡은 주정산입니다.", "topic": "settlement"});
    let member_edit = writer
        .patch(
            &format!("/api/v1/community/articles/{article}"),
            edit.clone(),
        )
        .await;
    assert_eq!(member_edit.status, StatusCode::FORBIDDEN);
    let mut asker = app.api_as("asker@daegu.kr", "merchant").await;
    let mut answers = Vec::new();
    for k in 0..10 {
        let q = asker
            .post(
                "/api/v1/community/questions",
                json!({"title": format!("정산 질문 {k}번입니다"), "body": "정산이 언제 되나요? 알려 주세요.", "topic": "settlement"}),
            )
            .await;
        let qid = q.json()["id"].as_i64().unwrap();
        let a = writer
            .post(
                &format!("/api/v1/community/questions/{qid}/answers"),
                json!({"body": "구매확정 다음 영업일에 들어옵니다."}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        answers.push(a.json()["id"].as_i64().unwrap());
        // A new account asks three questions a day.
        if k % 3 == 2 {
            clock.advance_days(2);
        }
    }
    let accepted = asker
        .post_empty(&format!("/api/v1/community/answers/{}/accept", answers[0]))
        .await;
    assert_eq!(accepted.status, StatusCode::NO_CONTENT);
    let still_member = writer
        .patch(
            &format!("/api/v1/community/articles/{article}"),
            edit.clone(),
        )
        .await;
    assert_eq!(
        still_member.status,
        StatusCode::FORBIDDEN,
        "not 30 days yet"
    );
    clock.advance_days(30);
    let wiki = writer
        .patch(&format!("/api/v1/community/articles/{article}"), edit)
        .await;
    assert_eq!(wiki.status, StatusCode::OK, "{}", wiki.body);
    let read = anonymous
        .get(&format!("/api/v1/community/articles/{article}"))
        .await
        .json();
    assert_eq!(read["status"], "published", "a wiki edit stays published");
    assert_eq!(read["version"], 2);
    assert!(read["body"].as_str().unwrap().contains("주정산"));
    assert!(
        read["body_html"]
            .as_str()
            .unwrap()
            .contains("쿠팡은 주정산입니다."),
        "the cooked body follows the edit: {read}"
    );
}

/// A mail relay on a local port that takes one mail and returns what it was given: the envelope
/// recipient and the message text (headers and base64 body).
async fn one_mail_relay() -> (String, tokio::task::JoinHandle<(String, String)>) {
    use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let relay = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut read = tokio::io::BufReader::new(read);
        write.write_all(b"220 test relay\r\n").await.unwrap();
        let (mut recipient, mut message) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            if read.read_line(&mut line).await.unwrap() == 0 {
                break;
            }
            let answer = match line.trim_end() {
                l if l.starts_with("EHLO") => "250-test relay\r\n250 8BITMIME\r\n",
                l if l.starts_with("RCPT TO:") => {
                    recipient = l["RCPT TO:".len()..].trim_matches(['<', '>']).to_owned();
                    "250 ok\r\n"
                }
                "DATA" => {
                    write.write_all(b"354 go on\r\n").await.unwrap();
                    loop {
                        let mut data = String::new();
                        read.read_line(&mut data).await.unwrap();
                        if data == ".\r\n" {
                            break;
                        }
                        message.push_str(&data);
                    }
                    "250 queued\r\n"
                }
                "QUIT" => {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    break;
                }
                _ => "250 ok\r\n",
            };
            write.write_all(answer.as_bytes()).await.unwrap();
        }
        (recipient, message)
    });
    (url, relay)
}

#[tokio::test]
async fn the_daily_digest_waits_in_the_outbox_until_the_relay_takes_it() {
    for app in TestApp::on_every_store("community_digest").await {
        let clock = crate::support::TestClock::starting_now();
        let app = app.with_clock(clock.clone());
        digest(&app, &clock).await;
    }
}

async fn digest(app: &TestApp, clock: &crate::support::TestClock) {
    use base64::Engine as _;
    use gachi_domain::mail::Delivered;

    let mut asker = app.api_as("digest-asker@jeonju.kr", "merchant").await;
    let mut quiet = app.api_as("quiet@busan.kr", "merchant").await;
    let mut helper = app.api_as("digest-helper@daegu.kr", "merchant").await;
    let off = quiet
        .put(
            "/api/v1/community/helping",
            json!({"opted_in": false, "digest": false}),
        )
        .await;
    assert_eq!(off.status, StatusCode::NO_CONTENT, "{}", off.body);
    assert_eq!(
        quiet.get("/api/v1/community/helping").await.json()["digest"],
        false
    );
    let mut answered = Vec::new();
    for (by_quiet, title) in [
        (false, "쿠팡 반품지 센터코드는 어디서 보나요?"),
        (false, "스마트스토어 원산지 표시는 어떻게 하나요?"),
        (true, "11번가 정산은 언제 되나요?"),
    ] {
        let who = if by_quiet { &mut quiet } else { &mut asker };
        let asked = who
            .post(
                "/api/v1/community/questions",
                json!({"title": title, "body": "어디서 보는지 알려 주세요. 부탁드립니다.", "topic": "listing"}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
        let id = asked.json()["id"].as_i64().unwrap();
        let answer = helper
            .post(
                &format!("/api/v1/community/questions/{id}/answers"),
                json!({"body": "판매자센터의 설정 메뉴에서 보입니다."}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        answered.push((id, answer.json()["id"].as_i64().unwrap()));
    }

    // The digest goes to the asker only (the other turned it off), once.
    let writer = gachi_web::digest::MailDigest {
        public_url: "https://gachi.example.kr".into(),
    };
    let community = app.state.community();
    assert_eq!(community.queue_digests(&writer).await.unwrap(), 1);
    assert_eq!(community.queue_digests(&writer).await.unwrap(), 0);

    // The relay is down: the attempt fails, the mail stays, and waits a minute.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let down_url = format!("smtp://{}", closed.local_addr().unwrap());
    drop(closed);
    let down = gachi_mail::SmtpMailer::new(&down_url, "가치 <no-reply@gachi.kr>").unwrap();
    let failed = app.state.outbox(&down).deliver_due().await.unwrap();
    assert_eq!(failed, Delivered { sent: 0, failed: 1 });
    let (url, relay) = one_mail_relay().await;
    let up = gachi_mail::SmtpMailer::new(&url, "가치 <no-reply@gachi.kr>").unwrap();
    assert_eq!(
        app.state.outbox(&up).deliver_due().await.unwrap(),
        Delivered::default(),
        "not due again before the retry time"
    );
    clock.advance_minutes(2);
    let sent = app.state.outbox(&up).deliver_due().await.unwrap();
    assert_eq!(sent, Delivered { sent: 1, failed: 0 });
    let (recipient, message) = relay.await.unwrap();
    assert_eq!(recipient, "digest-asker@jeonju.kr");
    let (headers, body) = message.split_once("\r\n\r\n").unwrap();
    assert!(
        headers.contains("To: <digest-asker@jeonju.kr>"),
        "{headers}"
    );
    assert!(headers.contains("Content-Type: text/plain; charset=UTF-8"));
    let subject_word = headers
        .lines()
        .find_map(|l| l.strip_prefix("Subject: =?UTF-8?B?"))
        .and_then(|w| w.strip_suffix("?="))
        .expect("an encoded subject");
    let subject = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(subject_word)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(subject, "[가치] 새 알림 2건");
    let text = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(body.replace("\r\n", ""))
            .unwrap(),
    )
    .unwrap();
    for (question, answer) in &answered[..2] {
        assert!(
            text.contains(&format!(
                "https://gachi.example.kr/community/questions/{question}#answer-{answer}"
            )),
            "{text}"
        );
    }
    assert!(
        text.contains("쿠팡 반품지 센터코드는 어디서 보나요?"),
        "{text}"
    );
    assert!(
        !text.contains("11번가 정산"),
        "another person's news: {text}"
    );
    assert!(
        text.contains("하루 한 번 메일로 받기"),
        "how to stop it: {text}"
    );
    // Sent mail is not sent again.
    clock.advance_minutes(60);
    assert_eq!(
        app.state.outbox(&up).deliver_due().await.unwrap(),
        Delivered::default()
    );

    // What the reader saw under the bell is never mailed.
    let more = helper
        .post(
            &format!("/api/v1/community/questions/{}/answers", answered[0].0),
            json!({"body": "주소록 메뉴도 확인해 보세요."}),
        )
        .await;
    assert_eq!(more.status, StatusCode::CREATED, "{}", more.body);
    let mut asker_page = app.sign_in("digest-asker@jeonju.kr").await;
    assert_eq!(
        asker_page.get("/notifications").await.status,
        StatusCode::OK
    );
    assert_eq!(community.queue_digests(&writer).await.unwrap(), 0);
}

#[tokio::test]
async fn mentions_tell_the_people_of_the_thread() {
    let app = TestApp::sqlite("community_mentions").await;
    let mut asker = app.api_as("m-asker@jeonju.kr", "merchant").await;
    let mut first = app.api_as("m-first@daegu.kr", "merchant").await;
    let mut second = app.api_as("m-second@busan.kr", "merchant").await;
    let mut outsider = app.api_as("m-outsider@seoul.kr", "merchant").await;
    let asked = asker
        .post(
            "/api/v1/community/questions",
            json!({"title": "쿠팡 출고지 변경은 어디서 하나요?", "body": "출고지를 바꾸고 싶은데 메뉴를 못 찾겠어요.", "topic": "listing"}),
        )
        .await;
    let id = asked.json()["id"].as_i64().unwrap();
    let answer = first
        .post(
            &format!("/api/v1/community/questions/{id}/answers"),
            json!({"body": "Wing 판매자정보 메뉴의 주소록에서 바꿉니다."}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let thread = asker
        .get(&format!("/api/v1/community/questions/{id}"))
        .await
        .json();
    let first_name = thread["answers"][0]["author_name"]
        .as_str()
        .unwrap()
        .to_owned();
    // Someone who posted elsewhere, not in this thread.
    let elsewhere = outsider
        .post(
            "/api/v1/community/questions",
            json!({"title": "11번가 정산일이 궁금합니다", "body": "정산은 언제 들어오나요? 알려 주세요.", "topic": "settlement"}),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::CREATED, "{}", elsewhere.body);
    let elsewhere_id = elsewhere.json()["id"].as_i64().unwrap();
    let outsider_name = outsider
        .get(&format!("/api/v1/community/questions/{elsewhere_id}"))
        .await
        .json()["author_name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(outsider_name, first_name);

    // The second answer names the first answerer (with 님) and someone outside the thread.
    let named = second
        .post(
            &format!("/api/v1/community/questions/{id}/answers"),
            json!({"body": format!("@{first_name}님 말씀이 맞아요. @{outsider_name} 님도 아실 거예요.")}),
        )
        .await;
    assert_eq!(named.status, StatusCode::CREATED, "{}", named.body);
    let kinds = |body: serde_json::Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    let told = first.get("/api/v1/community/notifications").await.json();
    assert_eq!(kinds(told.clone()), ["mention"], "{told}");
    assert_eq!(told["items"][0]["answer_id"], named.json()["id"]);
    assert!(
        kinds(outsider.get("/api/v1/community/notifications").await.json()).is_empty(),
        "only people in the thread can be named"
    );
    // The asker hears of every answer once, named or not.
    assert_eq!(
        kinds(asker.get("/api/v1/community/notifications").await.json()),
        ["answer", "answer"]
    );
}

#[tokio::test]
async fn members_put_photos_in_posts_and_nothing_else_shows_as_an_image() {
    use crate::support::{jpeg, multipart};
    use axum::body::Body;
    use axum::http::Request;

    let clock = crate::support::TestClock::starting_now();
    let app = TestApp::sqlite("community_photos")
        .await
        .with_clock(clock.clone());
    let mut asker = app.api_as("photo-asker@jeonju.kr", "merchant").await;
    let asked = asker
        .post(
            "/api/v1/community/questions",
            json!({"title": "대표사진 배경은 흰색이어야 하나요?", "body": "쿠팡에서 대표사진이 반려됐어요. 배경 기준이 궁금합니다.", "topic": "photos"}),
        )
        .await;
    let id = asked.json()["id"].as_i64().unwrap();
    let form = |csrf: &str, body: &str, photo: Option<&[u8]>| {
        let (content_type, bytes) = multipart(
            &[("_csrf", csrf), ("action", "answer"), ("body", body)],
            photo.map(|p| ("흰배경.jpg", p)),
        );
        Request::post(format!("/community/questions/{id}"))
            .header("content-type", content_type)
            .body(Body::from(bytes))
            .unwrap()
    };
    let photo = jpeg(640, 480);

    // A new account posts text only: the photo is refused by its field, the text kept.
    let mut newcomer = app.signed_in("photo-new@daegu.kr", "merchant", "").await;
    // The answer form as its page gives it (with the session's token).
    let page = newcomer.get(&format!("/community/questions/{id}")).await;
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    let csrf = newcomer.csrf.clone().unwrap();
    let refused = newcomer
        .send(form(
            &csrf,
            "흰 배경이 안전합니다. 제 사진을 보세요.",
            Some(&photo),
        ))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("사흘이 지나"), "{}", refused.body);
    assert!(
        refused
            .body
            .contains("흰 배경이 안전합니다. 제 사진을 보세요."),
        "typing kept"
    );
    assert_eq!(anonymous_answers(&app, id).await, 0, "nothing was saved");

    // Three days on, after posting once, the same person is a member: the photo is kept and
    // shown at the end of the answer, from this site.
    clock.advance_days(3);
    let mut member_api = app.api_of("photo-new@daegu.kr").await;
    let first = member_api
        .post(
            "/api/v1/community/questions",
            json!({"title": "상세페이지 글자 크기 질문", "body": "모바일에서 글자가 작게 보여요. 몇 px이 좋나요?", "topic": "detail_page"}),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let mut member = app.sign_in("photo-new@daegu.kr").await;
    member.get(&format!("/community/questions/{id}")).await;
    let csrf = member.csrf.clone().unwrap();
    let not_a_photo = member
        .send(form(
            &csrf,
            "사진을 붙입니다.",
            Some(b"%PDF-1.7 not a photo"),
        ))
        .await;
    assert_eq!(not_a_photo.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        not_a_photo.body.contains("사진이 아닙니다"),
        "{}",
        not_a_photo.body
    );
    let posted = member
        .send(form(
            &csrf,
            "흰 배경이 안전합니다. 제 사진을 보세요.",
            Some(&photo),
        ))
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let read = app
        .api_with(None)
        .get(&format!("/api/v1/community/questions/{id}"))
        .await
        .json();
    let html = read["answers"][0]["body_html"].as_str().unwrap().to_owned();
    let src = html
        .split("<img src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an image in the answer")
        .to_owned();
    assert!(src.starts_with("/media/"), "{html}");
    assert!(html.contains("loading=\"lazy\""), "{html}");
    let served = app.browser().get(&src).await;
    assert_eq!(served.status, StatusCode::OK);

    // Images from elsewhere (a hot link, a tracking pixel, a thumbnail) never show.
    let mut member_api = app.api_of("photo-new@daegu.kr").await;
    let hot = member_api
        .post(
            &format!("/api/v1/community/questions/{id}/answers"),
            json!({"body": format!(
                "![x](https://evil.example/x.png) <img src=\"https://evil.example/p.gif\"> \
                 <img src=\"{src}\" onerror=\"alert(1)\"> ![t]({})",
                src.rsplit_once('.').map_or(String::new(), |(stem, _)| format!("{stem}.thumb.jpg"))
            )}),
        )
        .await;
    assert_eq!(hot.status, StatusCode::CREATED, "{}", hot.body);
    let read = app
        .api_with(None)
        .get(&format!("/api/v1/community/questions/{id}"))
        .await
        .json();
    let hot_html = read["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == hot.json()["id"])
        .unwrap()["body_html"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!hot_html.contains("evil.example"), "{hot_html}");
    assert!(!hot_html.contains("onerror"), "{hot_html}");
    assert!(!hot_html.contains(".thumb."), "{hot_html}");
    assert_eq!(
        hot_html.matches("<img").count(),
        1,
        "only our own photo: {hot_html}"
    );
}

/// How many answers a question shows a visitor.
async fn anonymous_answers(app: &TestApp, id: i64) -> usize {
    app.api_with(None)
        .get(&format!("/api/v1/community/questions/{id}"))
        .await
        .json()["answers"]
        .as_array()
        .map_or(0, Vec::len)
}
