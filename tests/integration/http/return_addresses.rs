//! Return addresses — the `next` of signing in and of the language switch, the `back` of a card
//! move — stay on this site as a browser reads them: browsers drop tabs and newlines from a
//! `Location` and read `\` as `/`, so `/<TAB>/evil.example` is `//evil.example`, another site.
//! A hostile address falls back to the default page, and never turns an action that already
//! happened into a 500.

use axum::http::StatusCode;
use gachi_web::pages::encode_query;

use crate::support::{OPERATOR, OWNER, PASSWORD, ShopBuilder, TestApp, column};

/// Return addresses a browser would take off this site, or that no header may carry.
const HOSTILE: [&str; 14] = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "\t//evil.example",
    "/\\evil.example",
    "/.\\/evil.example",
    "//evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/\u{b}",
    "/\u{1}",
    "/\u{0}/evil.example",
    "/\u{7f}",
    "/account\u{1b}",
];

/// Where a browser goes for `location`, read as the URL standard does: leading and trailing
/// C0 controls and spaces trimmed, tabs and newlines removed, `\` taken for `/`.
fn as_a_browser_reads(location: &str) -> String {
    location
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect()
}

fn assert_stays_home(location: Option<&str>, home: &str, sent: &str) {
    let location = location.unwrap_or_else(|| panic!("no Location for {sent:?}"));
    let read = as_a_browser_reads(location);
    assert!(
        read.starts_with('/') && !read.starts_with("//"),
        "{sent:?} leaves the site: {location:?}"
    );
    assert_eq!(location, home, "{sent:?} falls back to the default page");
}

#[tokio::test]
async fn next_after_signing_in_stays_on_the_site() {
    let app = TestApp::sqlite("http-next-login").await;
    let mut signed_in = app.operator().await;
    for bad in HOSTILE {
        // Already signed in: the login page sends straight on.
        let reply = signed_in
            .get(&format!("/login?next={}", encode_query(bad)))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{bad:?}: {}",
            reply.body
        );
        assert_stays_home(reply.location(), "/", bad);
    }
    let good = signed_in.get("/login?next=/account%3Ftab%3D1").await;
    assert_eq!(good.location(), Some("/account?tab=1"));

    // Not signed in: the form carries only a safe address on.
    let mut visitor = app.browser();
    let page = visitor
        .get(&format!("/login?next={}", encode_query("/\t/evil.example")))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("name=\"next\" value=\"/\""),
        "the hidden next is the default"
    );

    // Signing in with a hostile next signs in and goes home: no 500 after the session exists.
    for bad in HOSTILE {
        let mut browser = app.browser();
        let reply = browser
            .submit(
                "/login",
                "/login",
                &[("email", OPERATOR), ("password", PASSWORD), ("next", bad)],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{bad:?}: {}",
            reply.body
        );
        assert_stays_home(reply.location(), "/", bad);
        assert_eq!(
            browser.get("/account").await.status,
            StatusCode::OK,
            "{bad:?}: signed in"
        );
    }
    let mut browser = app.browser();
    let reply = browser
        .submit(
            "/login",
            "/login",
            &[
                ("email", OPERATOR),
                ("password", PASSWORD),
                ("next", "/merchants?q=%ED%95%9C"),
            ],
        )
        .await;
    assert_eq!(reply.location(), Some("/merchants?q=%ED%95%9C"));
}

#[tokio::test]
async fn next_after_switching_the_language_stays_on_the_site() {
    let app = TestApp::sqlite("http-next-lang").await;
    let mut visitor = app.browser();
    visitor.get("/").await;
    let mut signed_in = app.operator().await;
    signed_in.get("/account").await;
    for browser in [&mut visitor, &mut signed_in] {
        for bad in HOSTILE {
            let reply = browser
                .post_form("/lang", &[("lang", "en"), ("next", bad)])
                .await;
            assert_eq!(
                reply.status,
                StatusCode::SEE_OTHER,
                "{bad:?}: {}",
                reply.body
            );
            assert_stays_home(reply.location(), "/", bad);
        }
        let good = browser
            .post_form("/lang", &[("lang", "ko"), ("next", "/hall-of-fame")])
            .await;
        assert_eq!(good.location(), Some("/hall-of-fame"));
    }
    let page = signed_in.get("/account").await;
    assert!(
        page.body.contains("<html lang=\"ko\">"),
        "the last switch was kept"
    );
}

#[tokio::test]
async fn back_after_moving_a_card_stays_on_the_site() {
    let app = TestApp::sqlite("http-back-move").await;
    let (_owner, hanok) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let hanok = hanok.to_string();
    let mut operator = app.operator().await;
    operator.get("/onboarding").await;
    for (i, bad) in HOSTILE.iter().enumerate() {
        let stage = ["preparing", "account_check", "drafting"][i % 3];
        let reply = operator
            .post_form(
                "/onboarding/move",
                &[
                    ("merchant_id", hanok.as_str()),
                    ("channel", "naver"),
                    ("stage", stage),
                    ("back", bad),
                ],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{bad:?}: {}",
            reply.body
        );
        assert_stays_home(reply.location(), "/onboarding", bad);
        let board = operator.get("/onboarding").await;
        assert!(
            column(&board.body, stage).contains("한옥식당"),
            "{bad:?}: the card moved to {stage}"
        );
    }
    let reply = operator
        .post_form(
            "/onboarding/move",
            &[
                ("merchant_id", hanok.as_str()),
                ("channel", "naver"),
                ("stage", "validated"),
                ("back", &format!("/merchants/{hanok}")),
            ],
        )
        .await;
    assert_eq!(
        reply.location(),
        Some(format!("/merchants/{hanok}").as_str()),
        "a path on the site is kept"
    );
}
