//! Accounts in the browser: signing up (on every backend) and out, sign-up errors in either
//! language, wrong passwords and throttling, returning to the page asked for, the role shown
//! in the header, the language kept on the account, changing the password (and revoking the API
//! tokens with it), and the API tokens listed and revoked on the account page.

use axum::http::StatusCode;

use crate::support::{JEONJU, OPERATOR, PASSWORD, TestApp, between, first_id_after, signed_in_as};

#[tokio::test]
async fn a_merchant_signs_up_and_out_on_every_backend() {
    for app in TestApp::on_every_store("signup").await {
        let backend = app.store().backend();
        let mut browser = app.browser();
        let reply = browser
            .submit(
                "/signup",
                "/signup",
                &[
                    ("display_name", "한옥식당 사장님"),
                    ("email", "Hanok@Example.KR"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{backend}: {}",
            reply.body
        );
        assert_eq!(reply.location(), Some("/?welcome=1"));
        let session = browser
            .cookie("gachi_session")
            .cloned()
            .expect("session cookie");
        let cookies: Vec<&str> = reply
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        let session_cookie = cookies
            .iter()
            .find(|c| c.starts_with("gachi_session="))
            .expect("the session cookie is set");
        assert!(
            session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Lax"),
            "{session_cookie}"
        );

        let home = browser.get("/?welcome=1").await;
        assert!(
            home.body.contains("한옥식당 사장님, 안녕하세요"),
            "{}",
            home.body
        );
        assert!(home.body.contains("가입을 환영합니다"));
        assert_eq!(
            signed_in_as(&home.body),
            Some("한옥식당 사장님 · 소상공인"),
            "the header names the person and their role"
        );

        browser.post_form("/logout", &[]).await;
        assert!(browser.cookie("gachi_session").is_none());
        assert!(
            app.state
                .accounts()
                .session(&session)
                .await
                .unwrap()
                .is_none(),
            "session ended on the server too"
        );
        let landing = browser.get("/").await;
        assert_eq!(signed_in_as(&landing.body), None, "signed out");
        assert!(landing.body.contains("무료로 시작하기"));
        let audit = app.store().recent_audit(10).await.unwrap();
        let actions: Vec<&str> = audit.iter().map(|r| r.entry.action.as_str()).collect();
        for action in ["user.signup", "session.start", "session.end"] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
    }
}

/// The header shows the signed-in person's own role, for every role, and no other role's
/// label (the navigation may name other roles' pages, so only the header's name is read).
#[tokio::test]
async fn the_header_shows_the_signed_in_role() {
    let app = TestApp::sqlite("http-roles").await;
    let roles = [
        ("merchant", "소상공인", ""),
        ("designer", "디지털 유통설계사", ""),
        ("md", "상품기획자(MD)", ""),
        ("operator", "운영기관", ""),
        ("localgov", "지자체 담당자", JEONJU),
        ("admin", "시스템 관리자", ""),
    ];
    for (role, label, region) in roles {
        // The display name defaults to the email's local part: the role's own code.
        let mut browser = app
            .signed_in(&format!("{role}@program.kr"), role, region)
            .await;
        let home = browser.get("/").await;
        let who = signed_in_as(&home.body).unwrap_or_else(|| panic!("{role}: {}", home.body));
        assert_eq!(who, format!("{role} · {label}"));
        for (other, other_label, _) in roles {
            if other != role {
                assert!(!who.contains(other_label), "{role} shown as {other}: {who}");
            }
        }
    }

    let mut english = app.sign_in("operator@program.kr").await;
    english.set_cookie("gachi_lang", "en");
    let home = english.get("/").await;
    assert_eq!(
        signed_in_as(&home.body),
        Some("operator · Program operator"),
        "the role is named in the page's language"
    );
}

#[tokio::test]
async fn sign_up_errors_name_the_fields_in_either_language_and_save_nothing() {
    let app = TestApp::sqlite("http-signup-errors").await;
    let mut browser = app.browser();
    let fields = [
        ("display_name", ""),
        ("email", "not-an-email"),
        ("password", "short"),
        ("password_confirm", "short"),
    ];
    let reply = browser.submit("/signup", "/signup", &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("이메일 주소 형식이 올바르지 않습니다"));
    assert!(reply.body.contains("비밀번호는 8자 이상이어야 합니다"));
    assert!(
        reply
            .body
            .contains("aria-invalid=\"true\" aria-describedby=\"e-email\"")
    );
    assert!(
        reply.body.contains("value=\"not-an-email\""),
        "what was typed is kept"
    );

    browser.set_cookie("gachi_lang", "en");
    let reply = browser.post_form("/signup", &fields).await;
    assert!(reply.body.contains("<html lang=\"en\">"));
    assert!(reply.body.contains("This is not a valid email address"));
    assert!(
        reply
            .body
            .contains("The password must have at least 8 characters")
    );

    let mismatch = [
        ("email", "a@b.kr"),
        ("password", PASSWORD),
        ("password_confirm", "different123"),
    ];
    let reply = browser.post_form("/signup", &mismatch).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("The two passwords differ"));
    assert!(
        app.store().list_users(None, 10).await.unwrap().is_empty(),
        "nothing half-saved"
    );

    app.user("taken@b.kr", "merchant", "").await;
    let taken = [
        ("email", "TAKEN@b.kr"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    let reply = browser.post_form("/signup", &taken).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("This email is already registered"));
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_and_then_throttled() {
    let app = TestApp::sqlite("http-throttle").await;
    app.user("owner@hanok.kr", "merchant", "").await;
    let mut browser = app.browser();
    browser.get("/login").await;
    let attempt =
        |email: &'static str, password: &'static str| [("email", email), ("password", password)];
    let wrong = browser
        .post_form("/login", &attempt("owner@hanok.kr", "wrong-password"))
        .await;
    let unknown = browser
        .post_form("/login", &attempt("ghost@hanok.kr", "wrong-password"))
        .await;
    assert_eq!(
        (wrong.status, unknown.status),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert!(wrong.body.contains("이메일 또는 비밀번호가 맞지 않습니다"));
    assert!(
        unknown
            .body
            .contains("이메일 또는 비밀번호가 맞지 않습니다"),
        "unknown emails look the same"
    );
    assert!(wrong.body.contains("value=\"owner@hanok.kr\""));
    for _ in 0..4 {
        browser
            .post_form("/login", &attempt("owner@hanok.kr", "wrong-password"))
            .await;
    }
    let locked = browser
        .post_form("/login", &attempt("owner@hanok.kr", PASSWORD))
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        locked
            .body
            .contains("로그인 실패가 많아 잠시 막아 두었습니다"),
        "{}",
        locked.body
    );
    assert!(browser.cookie("gachi_session").is_none());
}

#[tokio::test]
async fn sign_in_returns_to_the_page_asked_for_but_never_off_site() {
    let app = TestApp::sqlite("http-next").await;
    app.user(OPERATOR, "operator", "").await;
    let mut browser = app.browser();
    let bounce = browser.get("/staff/users?role=md").await;
    assert_eq!(bounce.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bounce.location(),
        Some("/login?next=/staff/users%3Frole%3Dmd")
    );
    let reply = browser
        .submit(
            "/login?next=/staff/users%3Frole%3Dmd",
            "/login",
            &[
                ("email", OPERATOR),
                ("password", PASSWORD),
                ("next", "/staff/users?role=md"),
            ],
        )
        .await;
    assert_eq!(reply.location(), Some("/staff/users?role=md"));

    let reply = app
        .browser()
        .submit(
            "/login",
            "/login",
            &[
                ("email", OPERATOR),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(reply.location(), Some("/"));
}

#[tokio::test]
async fn language_follows_the_person() {
    let app = TestApp::sqlite("http-language").await;
    let mut browser = app.merchant("m@hanok.kr").await;
    assert!(browser.get("/").await.body.contains("<html lang=\"ko\">"));
    let switched = browser
        .post_form("/lang", &[("lang", "en"), ("next", "/account")])
        .await;
    assert_eq!(switched.location(), Some("/account"));
    assert_eq!(browser.cookie("gachi_lang").map(String::as_str), Some("en"));
    let account = browser.get("/account").await;
    assert!(
        account.body.contains("<html lang=\"en\">") && account.body.contains("Change password")
    );
    let user = app
        .store()
        .user_by_email("m@hanok.kr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        user.locale,
        Some(gachi_domain::accounts::Locale::En),
        "kept on the account"
    );

    // Another browser of the same person, without the cookie, still speaks English once signed in.
    let mut phone = app.sign_in("m@hanok.kr").await;
    assert!(phone.get("/").await.body.contains("Hello, m"));
}

#[tokio::test]
async fn changing_the_password_signs_out_other_devices() {
    let app = TestApp::sqlite("http-password").await;
    let mut desk = app.merchant("m@hanok.kr").await;
    let mut phone = app.sign_in("m@hanok.kr").await;
    let mut script = app.api_of("m@hanok.kr").await;
    assert_eq!(script.get("/api/v1/me").await.status, StatusCode::OK);
    let change = |current: &'static str, new: &'static str| {
        [
            ("current_password", current),
            ("new_password", new),
            ("new_password_confirm", new),
        ]
    };

    let form = desk.get("/account").await;
    assert!(
        form.body
            .contains("<input type=\"checkbox\" name=\"revoke_tokens\" value=\"1\" checked"),
        "revoking the tokens is offered, ticked: {}",
        form.body
    );
    let wrong = desk
        .submit(
            "/account",
            "/account/password",
            &change("nope", "새비밀번호12345"),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("현재 비밀번호가 맞지 않습니다"));
    // The box unticked (a browser then sends nothing for it): the tokens stay.
    let done = desk
        .post_form("/account/password", &change(PASSWORD, "새비밀번호12345"))
        .await;
    assert_eq!(done.location(), Some("/account?saved=1"));
    assert!(
        desk.get("/account?saved=1")
            .await
            .body
            .contains("비밀번호를 바꿨습니다")
    );
    assert_eq!(
        phone.get("/account").await.status,
        StatusCode::SEE_OTHER,
        "the phone must sign in again"
    );
    assert_eq!(script.get("/api/v1/me").await.status, StatusCode::OK);

    // Ticked, as the form comes: every token of the account is revoked, at once.
    let mut fields = change("새비밀번호12345", "또다른비밀번호123").to_vec();
    fields.push(("revoke_tokens", "1"));
    let done = desk.post_form("/account/password", &fields).await;
    assert_eq!(done.location(), Some("/account?saved=1"));
    let refused = script.get("/api/v1/me").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let page = desk.get("/account").await;
    assert!(
        between(&page.body, "data-testid=\"tokens\"", "</table>").contains("폐기됨"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("name=\"revoke_tokens\""),
        "no live token left to offer revoking"
    );
    let audit = app.store().recent_audit(20).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|r| r.entry.action == "token.revoke_all" && r.entry.detail.contains("password")),
        "{audit:?}"
    );
}

#[tokio::test]
async fn the_account_page_lists_tokens_and_revokes_one() {
    let app = TestApp::sqlite("http-account-tokens").await;
    let mut browser = app.merchant("m@hanok.kr").await;
    let empty = browser.get("/account").await;
    assert!(empty.body.contains("만든 API 토큰이 없습니다"));

    let mut used = app.api_of("m@hanok.kr").await;
    let mut unused = app.api_of("m@hanok.kr").await;
    assert_eq!(used.get("/api/v1/me").await.status, StatusCode::OK);
    let page = browser.get("/account").await;
    let table = between(&page.body, "data-testid=\"tokens\"", "</table>");
    assert!(
        table.contains("<th>이름</th><th>만든 때</th><th>만료</th><th>마지막 사용</th>"),
        "{table}"
    );
    assert_eq!(table.matches("사용 중").count(), 2, "{table}");
    assert_eq!(
        table.matches("아직 안 씀").count(),
        1,
        "the used token shows when: {table}"
    );
    let in_90_days = gachi_domain::kernel::time::Timestamp::now()
        .plus_seconds(90 * 24 * 3600)
        .display_seoul();
    assert!(
        table.contains(&in_90_days[..10]),
        "expires in 90 days ({in_90_days}): {table}"
    );

    // The second row is the unused token: revoke it from the page.
    let rows: Vec<&str> = table.split("<tr data-testid=\"token-").skip(1).collect();
    let unused_id = rows[1].split('"').next().unwrap().to_owned();
    assert_eq!(unused.get("/api/v1/me").await.status, StatusCode::OK);
    let revoked = browser
        .post_form(&format!("/account/tokens/{unused_id}/revoke"), &[])
        .await;
    assert_eq!(revoked.location(), Some("/account?revoked=1"));
    assert_eq!(
        unused.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED,
        "refused at once"
    );
    assert_eq!(used.get("/api/v1/me").await.status, StatusCode::OK);
    let page = browser.get("/account?revoked=1").await;
    assert!(page.body.contains("API 토큰을 폐기했습니다"));
    let table = between(&page.body, "data-testid=\"tokens\"", "</table>");
    assert!(table.contains("폐기됨"));
    assert!(
        !table.contains(&format!("data-testid=\"revoke-token-{unused_id}\"")),
        "nothing left to revoke on it"
    );

    // Someone else's token is "not found", and nothing changes.
    let mut other = app.merchant("other@hanok.kr").await;
    let used_id = first_id_after(&page.body, "data-testid=\"revoke-token-");
    let foreign = other
        .submit(
            "/account",
            &format!("/account/tokens/{used_id}/revoke"),
            &[],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(used.get("/api/v1/me").await.status, StatusCode::OK);
}
