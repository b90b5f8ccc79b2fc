//! Switching accounts in one browser (a shared shop computer): signing in — or signing up —
//! ends the session the browser held on the server, so a copy of the old cookie is useless.

use axum::http::StatusCode;

use crate::support::{Browser, OPERATOR, OWNER, PASSWORD, TestApp, signed_in_as};

/// A browser holding only the session cookie `token`.
fn with_session(app: &TestApp, token: &str) -> Browser {
    let mut browser = app.browser();
    browser.set_cookie("gachi_session", token);
    browser
}

#[tokio::test]
async fn signing_in_ends_the_session_the_browser_held() {
    let app = TestApp::sqlite("http-session-switch").await;
    app.user(OWNER, "merchant", "").await;
    let mut shared = app.operator().await;
    let operators = shared.cookie("gachi_session").unwrap().clone();
    assert_eq!(
        with_session(&app, &operators)
            .get("/staff/users")
            .await
            .status,
        StatusCode::OK,
        "the operator's session works before the switch"
    );

    // The operator leaves without signing out; the owner signs in on the same browser (with a
    // sign-in form left open: signed in, /login itself sends on to the home page).
    let switched = shared
        .submit("/", "/login", &[("email", OWNER), ("password", PASSWORD)])
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER, "{}", switched.body);
    let owners = shared.cookie("gachi_session").unwrap().clone();
    assert_ne!(owners, operators);
    assert!(
        signed_in_as(&shared.get("/").await.body).is_some_and(|who| who.ends_with("소상공인")),
        "the browser is the owner's now"
    );

    let mut stale = with_session(&app, &operators);
    let reply = stale.get("/staff/users").await;
    assert_eq!(
        (reply.status, reply.location()),
        (StatusCode::SEE_OTHER, Some("/login?next=/staff/users")),
        "the operator's old cookie no longer signs anyone in"
    );

    // Signing in again as the same person also replaces the session.
    let relogin = shared
        .submit("/", "/login", &[("email", OWNER), ("password", PASSWORD)])
        .await;
    assert_eq!(relogin.status, StatusCode::SEE_OTHER, "{}", relogin.body);
    let again = shared.cookie("gachi_session").unwrap().clone();
    assert_ne!(again, owners);
    assert_eq!(
        with_session(&app, &owners).get("/account").await.status,
        StatusCode::SEE_OTHER,
        "the owner's previous session ended"
    );
    assert_eq!(shared.get("/account").await.status, StatusCode::OK);

    // A failed sign-in ends nothing.
    let failed = shared
        .submit(
            "/",
            "/login",
            &[("email", OPERATOR), ("password", "wrong password")],
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        with_session(&app, &again).get("/account").await.status,
        StatusCode::OK
    );

    // Signing up a new account on the browser ends the session it held too.
    let signed_up = shared
        .submit(
            "/",
            "/signup",
            &[
                ("display_name", "새 사장님"),
                ("email", "new@hanok.kr"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        signed_up.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_up.body
    );
    assert_eq!(
        with_session(&app, &again).get("/account").await.status,
        StatusCode::SEE_OTHER,
        "the owner's session ended when the new account signed in"
    );
    assert_eq!(
        signed_in_as(&shared.get("/").await.body),
        Some("새 사장님 · 소상공인")
    );
}
