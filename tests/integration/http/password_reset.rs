//! Getting back into an account, on every store: "비밀번호를 잊으셨나요?" answers the same for a
//! known and an unknown address and mails a link only for the known one (through the outbox, to
//! the configured public address); the link sets a new password once, ends the sessions that
//! knew the old one, and then, like an expired link, says only that it no longer works; staff
//! make a link for a merchant who calls, and nobody else can; an account gets at most three
//! links an hour; a server that sends no mail says to call the program office.

use axum::http::StatusCode;

use crate::support::{TestApp, TestClock};

const EMAIL: &str = "forgot@jeonju.kr";
const NEW_PASSWORD: &str = "새로만든비밀번호2026";

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_one_time_link() {
    for app in TestApp::on_every_store("password_reset").await {
        let clock = TestClock::starting_now();
        let app = app
            .with_config(|c| {
                c.mail_enabled = true;
                c.public_url = "https://gachi.example.kr".into();
            })
            .with_clock(clock.clone());
        story(&app, &clock).await;
    }
}

/// The mails waiting in the outbox: (to, body).
async fn outbox(app: &TestApp) -> Vec<(String, String)> {
    let far = gachi_domain::kernel::time::Timestamp::from_unix_ms(i64::MAX / 2);
    app.store()
        .due_mail(far, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.mail.to, m.mail.body))
        .collect()
}

async fn story(app: &TestApp, clock: &TestClock) {
    let user = app.user(EMAIL, "merchant", "").await;
    let mut old_device = app.sign_in(EMAIL).await;
    assert_eq!(old_device.get("/account").await.status, StatusCode::OK);

    // Known and unknown addresses get the same answer; only the known one gets a mail.
    let mut visitor = app.browser();
    let login = visitor.get("/login").await;
    assert!(login.body.contains("href=\"/password/forgot\""));
    let unknown = visitor
        .submit(
            "/password/forgot",
            "/password/forgot",
            &[("email", "nobody@nowhere.kr")],
        )
        .await;
    let known = visitor
        .submit("/password/forgot", "/password/forgot", &[("email", EMAIL)])
        .await;
    for reply in [&unknown, &known] {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(reply.body.contains("data-testid=\"password-forgot-sent\""));
        assert!(!reply.body.contains(EMAIL) && !reply.body.contains("nobody@"));
    }
    let bad = visitor
        .submit(
            "/password/forgot",
            "/password/forgot",
            &[("email", "not an address")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mails = outbox(app).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, EMAIL);
    let link = mails[0]
        .1
        .split_whitespace()
        .find(|w| w.starts_with("https://gachi.example.kr/password/reset?token="))
        .expect("the link, at the configured address")
        .to_owned();
    let path = link.trim_start_matches("https://gachi.example.kr");
    let token = path.split("token=").nth(1).unwrap().to_owned();

    // The link's page names the account; a mismatched confirmation keeps the link usable.
    let page = visitor.get(path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(EMAIL));
    let mismatch = visitor
        .post_form(
            "/password/reset",
            &[
                ("token", &token),
                ("new_password", NEW_PASSWORD),
                ("confirm_password", "다른비밀번호입니다"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("두 비밀번호가 서로 다릅니다"));
    let done = visitor
        .post_form(
            "/password/reset",
            &[
                ("token", &token),
                ("new_password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/login?done=password-reset"));
    assert!(
        visitor
            .get("/login?done=password-reset")
            .await
            .body
            .contains("data-testid=\"login-done\"")
    );

    // Every session that knew the old password is over; the new one signs in, the old does not.
    let ended = old_device.get("/account").await;
    assert!(
        ended.status == StatusCode::SEE_OTHER
            && ended.location().is_some_and(|l| l.starts_with("/login")),
        "{}",
        ended.status
    );
    let mut again = app.browser();
    let wrong = again
        .submit(
            "/login",
            "/login",
            &[("email", EMAIL), ("password", crate::support::PASSWORD)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let right = again
        .submit(
            "/login",
            "/login",
            &[("email", EMAIL), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);

    // Used once: the link only says it no longer works.
    let reused = visitor.get(path).await;
    assert_eq!(reused.status, StatusCode::GONE);
    assert!(reused.body.contains("data-testid=\"password-reset-dead\""));
    assert!(!reused.body.contains(EMAIL));
    let reused = visitor
        .post_form(
            "/password/reset",
            &[
                ("token", &token),
                ("new_password", "또다른비밀번호2026"),
                ("confirm_password", "또다른비밀번호2026"),
            ],
        )
        .await;
    assert_eq!(reused.status, StatusCode::GONE);

    // Staff make a link for a merchant who called; it expires after 30 minutes.
    let mut operator = app.operator().await;
    let issued = operator
        .submit(
            "/staff/users",
            &format!("/staff/users/{}/password-reset", user.id.0),
            &[],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let shown = issued
        .body
        .split("/password/reset?token=")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the link on the page")
        .to_owned();
    let issued_path = format!("/password/reset?token={shown}");
    assert_eq!(visitor.get(&issued_path).await.status, StatusCode::OK);
    clock.advance_minutes(31);
    assert_eq!(visitor.get(&issued_path).await.status, StatusCode::GONE);

    // Three links an hour at most: a fourth request sends nothing (and says the same).
    visitor
        .submit("/password/forgot", "/password/forgot", &[("email", EMAIL)])
        .await;
    assert_eq!(outbox(app).await.len(), 2, "the third link is mailed");
    let fourth = visitor
        .submit("/password/forgot", "/password/forgot", &[("email", EMAIL)])
        .await;
    assert!(fourth.body.contains("data-testid=\"password-forgot-sent\""));
    assert_eq!(outbox(app).await.len(), 2, "no fourth mail within the hour");

    // Nobody but staff makes links, and operators only for merchants.
    let mut merchant = app.merchant(crate::support::OWNER).await;
    let refused = merchant
        .submit(
            "/my-shop",
            &format!("/staff/users/{}/password-reset", user.id.0),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let colleague = app.user("ops2@program.kr", "operator", "").await;
    let refused = operator
        .submit(
            "/staff/users",
            &format!("/staff/users/{}/password-reset", colleague.id.0),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_mail_the_page_says_to_call_the_program_office() {
    let app = TestApp::sqlite("password_no_mail").await;
    app.user(EMAIL, "merchant", "").await;
    let mut visitor = app.browser();
    let page = visitor.get("/password/forgot").await;
    assert!(page.body.contains("data-testid=\"password-forgot-call\""));
    assert!(!page.body.contains("data-testid=\"password-forgot-submit\""));
    let posted = visitor
        .submit("/password/forgot", "/password/forgot", &[("email", EMAIL)])
        .await;
    assert_eq!(posted.status, StatusCode::OK);
    assert!(
        outbox(&app).await.is_empty(),
        "nothing is written without mail"
    );
}
