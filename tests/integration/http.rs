//! The web application in-process: pages, forms, CSRF, access rules, the JSON API, OpenAPI,
//! health and metrics, as a browser or an API client sees them.

use axum::http::StatusCode;
use gachi_domain::merchants::register::RowSchema as _;
use serde_json::json;

use crate::support::{Browser, PASSWORD, TempDir, TestApp, api_request, every_store, sqlite_store};

pub(crate) async fn app() -> (TempDir, TestApp) {
    let dir = TempDir::new("http");
    let store = sqlite_store(&dir).await;
    (dir, TestApp::new(store))
}

#[tokio::test]
async fn health_home_openapi_and_metrics_answer() {
    let (_dir, app) = app().await;
    let mut browser = app.browser();
    let health = browser.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["database"], "sqlite");
    assert!(
        health.headers.get("set-cookie").is_none(),
        "no cookie outside pages"
    );

    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<html lang=\"ko\">"));
    assert!(home.body.contains("우리 가게, 이제 온라인에서도 팔아요"));
    assert!(
        browser.cookie("gachi_csrf").is_some(),
        "pages hand out the CSRF cookie"
    );

    let openapi = browser.get("/api/openapi.json").await.json();
    assert!(openapi["openapi"].as_str().unwrap().starts_with("3."));
    assert!(openapi["paths"]["/api/v1/me"]["get"].is_object());

    let metrics = browser.get("/metrics").await;
    assert!(
        metrics.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(
        metrics.body.contains(
            "gachi_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"
        ),
        "{}",
        metrics.body
    );
    assert!(
        metrics
            .body
            .contains("gachi_http_request_duration_seconds_count{route=\"/\",method=\"GET\"} 1")
    );

    let missing = browser.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("페이지를 찾을 수 없습니다"));
    let missing_api = browser
        .send(api_request("GET", "/api/v1/nope", None, None))
        .await;
    assert_eq!(
        (missing_api.status, missing_api.json()["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

/// The OpenAPI document is part of the API contract: a change to it must be deliberate.
#[tokio::test]
async fn openapi_document_matches_the_snapshot() {
    let (_dir, app) = app().await;
    let openapi = app.browser().get("/api/openapi.json").await.json();
    insta::assert_json_snapshot!("openapi", openapi);
}

#[tokio::test]
async fn a_merchant_signs_up_and_out_on_every_backend() {
    let dir = TempDir::new("signup");
    for store in every_store("signup", &dir).await {
        let app = TestApp::new(store.clone());
        let mut browser = app.browser();
        browser.get("/signup").await;
        let reply = browser
            .post_form(
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
            "{}: {}",
            store.backend(),
            reply.body
        );
        assert_eq!(reply.location(), Some("/?welcome=1"));
        let session = browser
            .cookie("gachi_session")
            .cloned()
            .expect("session cookie");
        let cookie_header = reply
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect::<Vec<_>>();
        assert!(cookie_header.iter().any(|c| c.starts_with("gachi_session=")
            && c.contains("HttpOnly")
            && c.contains("SameSite=Lax")));

        let home = browser.get("/?welcome=1").await;
        assert!(
            home.body.contains("한옥식당 사장님, 안녕하세요"),
            "{}",
            home.body
        );
        assert!(home.body.contains("가입을 환영합니다"));
        assert!(home.body.contains("소상공인"), "role shown");

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
        assert!(browser.get("/").await.body.contains("무료로 시작하기"));
        let audit = store.recent_audit(10).await.unwrap();
        let actions: Vec<&str> = audit.iter().map(|r| r.entry.action.as_str()).collect();
        assert!(
            actions.contains(&"user.signup")
                && actions.contains(&"session.start")
                && actions.contains(&"session.end"),
            "{actions:?}"
        );
    }
}

#[tokio::test]
async fn sign_up_errors_name_the_fields_in_either_language_and_save_nothing() {
    let (_dir, app) = app().await;
    let mut browser = app.browser();
    browser.get("/signup").await;
    let fields = [
        ("display_name", ""),
        ("email", "not-an-email"),
        ("password", "short"),
        ("password_confirm", "short"),
    ];
    let reply = browser.post_form("/signup", &fields).await;
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
        app.state
            .store()
            .list_users(None, 10)
            .await
            .unwrap()
            .is_empty(),
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
async fn forms_without_a_valid_csrf_token_are_refused() {
    let (_dir, app) = app().await;
    let mut browser = app.browser();
    browser.get("/signup").await;
    let token = browser.csrf.clone().unwrap();
    let body = "email=a%40b.kr&password=12345678&password_confirm=12345678";
    let no_token = browser.post_raw("/signup", body).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert!(
        no_token
            .body
            .contains("보안 확인 정보가 없거나 만료되었습니다")
    );
    let wrong = browser
        .post_raw("/signup", &format!("{body}&_csrf={}", "x".repeat(43)))
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.csrf.as_ref(),
        Some(&token),
        "the refusal page lets the person retry"
    );

    let cross_site = axum::http::Request::post("/signup")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .header("host", "127.0.0.1:8080")
        .body(axum::body::Body::from(format!("{body}&_csrf={token}")))
        .unwrap();
    assert_eq!(browser.send(cross_site).await.status, StatusCode::FORBIDDEN);

    let mut stranger = Browser::new(app.browser().app);
    let forged = stranger
        .post_raw("/logout", &format!("_csrf={token}"))
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "a token without its cookie is useless"
    );
    assert!(
        app.state
            .store()
            .list_users(None, 10)
            .await
            .unwrap()
            .is_empty()
    );

    let htmx = axum::http::Request::post("/lang")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-csrf-token", token.as_str())
        .header("hx-request", "true")
        .body(axum::body::Body::from("lang=en&next=%2F"))
        .unwrap();
    let reply = browser.send(htmx).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "htmx sends the token as a header"
    );
    assert_eq!(reply.headers["hx-redirect"], "/");
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_and_then_throttled() {
    let (_dir, app) = app().await;
    app.user("owner@hanok.kr", "merchant", "").await;
    let mut browser = app.browser();
    browser.get("/login").await;
    let wrong = browser
        .post_form(
            "/login",
            &[("email", "owner@hanok.kr"), ("password", "wrong-password")],
        )
        .await;
    let unknown = browser
        .post_form(
            "/login",
            &[("email", "ghost@hanok.kr"), ("password", "wrong-password")],
        )
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
            .post_form(
                "/login",
                &[("email", "owner@hanok.kr"), ("password", "wrong-password")],
            )
            .await;
    }
    let locked = browser
        .post_form(
            "/login",
            &[("email", "owner@hanok.kr"), ("password", PASSWORD)],
        )
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
    let (_dir, app) = app().await;
    app.user("ops@program.kr", "operator", "").await;
    let mut browser = app.browser();
    let bounce = browser.get("/staff/users?role=md").await;
    assert_eq!(bounce.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bounce.location(),
        Some("/login?next=/staff/users%3Frole%3Dmd")
    );
    browser.get("/login?next=/staff/users%3Frole%3Dmd").await;
    let reply = browser
        .post_form(
            "/login",
            &[
                ("email", "ops@program.kr"),
                ("password", PASSWORD),
                ("next", "/staff/users?role=md"),
            ],
        )
        .await;
    assert_eq!(reply.location(), Some("/staff/users?role=md"));

    let mut other = app.browser();
    other.get("/login").await;
    let reply = other
        .post_form(
            "/login",
            &[
                ("email", "ops@program.kr"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(reply.location(), Some("/"));
}

#[tokio::test]
async fn pages_are_guarded_by_role_and_region() {
    let (_dir, app) = app().await;
    let mut merchant = app.signed_in("m@hanok.kr", "merchant", "").await;
    let forbidden = merchant.get("/staff/users").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert!(
        forbidden
            .body
            .contains("이 페이지나 기능을 쓸 권한이 없습니다")
    );
    assert_eq!(
        merchant.get("/staff/audit").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        merchant.get("/regions/52").await.status,
        StatusCode::FORBIDDEN
    );

    // An officer of 전주시 (52110) sees 전주시 and its districts, not 전북 as a whole nor Seoul.
    let mut officer = app.signed_in("gov@jeonju.go.kr", "localgov", "52110").await;
    let own = officer.get("/my-region").await;
    assert_eq!(own.location(), Some("/regions/52110"));
    let page = officer.get("/regions/52110").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("전북특별자치도 전주시"));
    let district = officer.get("/regions/52111").await;
    assert_eq!(district.status, StatusCode::OK);
    assert!(
        district.body.contains("href=\"/regions/52110\""),
        "links up to 전주시"
    );
    assert!(
        page.body.contains("href=\"/regions/52113\""),
        "전주시 lists 덕진구"
    );
    assert_eq!(
        officer.get("/regions/45110").await.status,
        StatusCode::OK,
        "the old 전라북도 code is the same place"
    );
    assert_eq!(
        officer.get("/regions/52").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        officer.get("/regions/11").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        officer.get("/regions/99").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        officer.get("/staff/users").await.status,
        StatusCode::FORBIDDEN
    );

    let mut operator = app.signed_in("ops@program.kr", "operator", "").await;
    let seoul = operator.get("/regions/11").await;
    assert_eq!(seoul.status, StatusCode::OK);
    assert!(seoul.body.contains("시군구 25곳"), "서울 has 25 구");
}

#[tokio::test]
async fn staff_create_accounts_within_their_rights() {
    let (_dir, app) = app().await;
    let mut operator = app.signed_in("ops@program.kr", "operator", "").await;
    let page = operator.get("/staff/users").await;
    assert!(
        page.body.contains("모든 역할 (1)") && page.body.contains("운영기관 (1)"),
        "filter shows counts"
    );
    let role_picker = page
        .body
        .split("id=\"f-role\"")
        .nth(1)
        .unwrap()
        .split("</select>")
        .next()
        .unwrap();
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
        app.state
            .store()
            .user_by_email("boss@program.kr")
            .await
            .unwrap()
            .is_none()
    );

    let audit = operator.get("/staff/audit").await;
    assert!(audit.body.contains("user.create") && audit.body.contains("ops@program.kr"));
}

#[tokio::test]
async fn language_follows_the_person() {
    let (_dir, app) = app().await;
    let mut browser = app.signed_in("m@hanok.kr", "merchant", "").await;
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
        .state
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
    let mut phone = app.browser();
    phone.get("/login").await;
    phone
        .post_form("/login", &[("email", "m@hanok.kr"), ("password", PASSWORD)])
        .await;
    assert!(phone.get("/").await.body.contains("Hello, m"));
}

#[tokio::test]
async fn changing_the_password_signs_out_other_devices() {
    let (_dir, app) = app().await;
    let mut desk = app.signed_in("m@hanok.kr", "merchant", "").await;
    let mut phone = app.browser();
    phone.get("/login").await;
    phone
        .post_form("/login", &[("email", "m@hanok.kr"), ("password", PASSWORD)])
        .await;

    desk.get("/account").await;
    let wrong = desk
        .post_form(
            "/account/password",
            &[
                ("current_password", "nope"),
                ("new_password", "새비밀번호12345"),
                ("new_password_confirm", "새비밀번호12345"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("현재 비밀번호가 맞지 않습니다"));
    let done = desk
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "새비밀번호12345"),
                ("new_password_confirm", "새비밀번호12345"),
            ],
        )
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
}

#[tokio::test]
async fn the_api_authenticates_by_token_and_enforces_roles() {
    let (_dir, app) = app().await;
    let operator = app.token("ops@program.kr", "operator").await;
    let merchant = app.token("m@hanok.kr", "merchant").await;
    let mut client = app.browser();

    let me = client
        .send(api_request("GET", "/api/v1/me", Some(&operator), None))
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(
        (me.json()["email"].as_str(), me.json()["role"].as_str()),
        (Some("ops@program.kr"), Some("operator"))
    );
    for token in [None, Some("gachi_wrong"), Some("not-even-prefixed")] {
        let reply = client
            .send(api_request("GET", "/api/v1/me", token, None))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(reply.json()["error"], "unauthorized");
        assert_eq!(reply.headers["www-authenticate"], "Bearer");
    }

    let forbidden = client
        .send(api_request("GET", "/api/v1/users", Some(&merchant), None))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(
        forbidden.json()["message"],
        "이 페이지나 기능을 쓸 권한이 없습니다."
    );
    let post_forbidden = client
        .send(api_request(
            "POST",
            "/api/v1/users",
            Some(&merchant),
            Some(json!({})),
        ))
        .await;
    assert_eq!(post_forbidden.status, StatusCode::FORBIDDEN);

    let mut english = api_request(
        "POST",
        "/api/v1/users",
        Some(&operator),
        Some(json!({"email": "x", "password": "1", "role": "localgov"})),
    );
    english
        .headers_mut()
        .insert("accept-language", "en-US,en;q=0.9".parse().unwrap());
    let invalid = client.send(english).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = invalid.json()["errors"].as_array().unwrap().clone();
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "password", "region_code"]);
    assert_eq!(
        errors[0]["message"],
        "This is not a valid email address, e.g. name@example.com"
    );

    let body = json!({"email": "gov@jeonju.go.kr", "password": "처음비밀번호1234", "role": "localgov", "region_code": "45110"});
    let created = client
        .send(api_request(
            "POST",
            "/api/v1/users",
            Some(&operator),
            Some(body.clone()),
        ))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["region_code"], "52110");
    assert_eq!(created.json()["region_name"], "전북특별자치도 전주시");
    let duplicate = client
        .send(api_request(
            "POST",
            "/api/v1/users",
            Some(&operator),
            Some(body),
        ))
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.json()["errors"][0]["field"], "email");

    let admin =
        json!({"email": "boss@program.kr", "password": "처음비밀번호1234", "role": "admin"});
    let refused = client
        .send(api_request(
            "POST",
            "/api/v1/users",
            Some(&operator),
            Some(admin),
        ))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut not_json = api_request("POST", "/api/v1/users", Some(&operator), None);
    *not_json.body_mut() = axum::body::Body::from("{not json");
    not_json
        .headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    let bad = client.send(not_json).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"], "bad_request");

    let listed = client
        .send(api_request(
            "GET",
            "/api/v1/users?role=localgov",
            Some(&operator),
            None,
        ))
        .await;
    assert_eq!(listed.json().as_array().unwrap().len(), 1);
    let bad_role = client
        .send(api_request(
            "GET",
            "/api/v1/users?role=king",
            Some(&operator),
            None,
        ))
        .await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_role.json()["errors"][0]["field"], "role");
}

#[tokio::test]
async fn the_merchant_api_validates_and_scopes_records() {
    let dir = TempDir::new("merchants-api");
    for store in every_store("merchants_api", &dir).await {
        let app = TestApp::new(store.clone());
        let operator = app.token("ops@program.kr", "operator").await;
        let owner = app.token("owner@hanok.kr", "merchant").await;
        let neighbour = app.token("next@hanok.kr", "merchant").await;
        let officer = app.token("gov@jeonju.go.kr", "localgov").await; // 전주시 52110
        let mut client = app.browser();
        let send = |method: &str, path: &str, token: &str, body: Option<serde_json::Value>| {
            api_request(method, path, Some(token), body)
        };

        let hanok = json!({"name": "한옥식당", "business_number": "220-81-62517", "region_code": "52111", "industry_code": "I20101"});
        let created = client
            .send(send(
                "POST",
                "/api/v1/merchants",
                &operator,
                Some(hanok.clone()),
            ))
            .await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{}: {}",
            store.backend(),
            created.body
        );
        let record = created.json();
        assert_eq!(
            (record["sido"].as_str(), record["sigungu"].as_str()),
            (Some("전북특별자치도"), Some("전주시 완산구"))
        );
        assert_eq!(record["business_number"], "220-81-62517");
        let id = record["id"].as_i64().unwrap();

        let mut english = send(
            "POST",
            "/api/v1/merchants",
            &operator,
            Some(
                json!({"name": "X", "business_number": "220-81-62518", "region_code": "99999", "industry_code": "ZZ"}),
            ),
        );
        english
            .headers_mut()
            .insert("accept-language", "en".parse().unwrap());
        let invalid = client.send(english).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        let errors = invalid.json()["errors"].as_array().unwrap().clone();
        assert_eq!(errors[0]["field"], "business_number");
        assert_eq!(
            errors[0]["message"],
            "This business registration number is not valid: check the digits."
        );
        assert!(
            errors.iter().any(|e| e["field"] == "region_code")
                && errors.iter().any(|e| e["field"] == "industry_code")
        );
        let korean = client.send(send("POST", "/api/v1/merchants", &operator, Some(json!({"name": "X", "business_number": "12345", "region_code": "52111", "industry_code": "I20101"})))).await;
        assert_eq!(
            korean.json()["errors"][0]["message"],
            "사업자등록번호는 숫자 10자리입니다. 예: 123-45-67890"
        );

        let duplicate = client
            .send(send(
                "POST",
                "/api/v1/merchants",
                &operator,
                Some(hanok.clone()),
            ))
            .await;
        assert_eq!(duplicate.status, StatusCode::CONFLICT);
        assert_eq!(
            duplicate.json()["existing_id"],
            id,
            "operators are told which record"
        );
        let mine = client
            .send(send(
                "POST",
                "/api/v1/merchants",
                &owner,
                Some(hanok.clone()),
            ))
            .await;
        assert_eq!(mine.status, StatusCode::CONFLICT);
        assert!(
            mine.json()["existing_id"].is_null(),
            "merchants are not told whose number it is"
        );

        let own_body = json!({"name": "동문떡집", "business_number": "1068641434", "region_code": "52111", "industry_code": "I21001", "phone": "063-288-5072"});
        let own = client
            .send(send("POST", "/api/v1/merchants", &owner, Some(own_body)))
            .await;
        assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
        let own_id = own.json()["id"].as_i64().unwrap();
        let second = client.send(send("POST", "/api/v1/merchants", &owner, Some(json!({"name": "둘째", "business_number": "2208162517", "region_code": "52111", "industry_code": "I21001"})))).await;
        assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(second.json()["errors"][0]["code"], "error-shop-exists");

        assert_eq!(
            client
                .send(send(
                    "GET",
                    &format!("/api/v1/merchants/{own_id}"),
                    &owner,
                    None
                ))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            client
                .send(send(
                    "GET",
                    &format!("/api/v1/merchants/{id}"),
                    &owner,
                    None
                ))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            client
                .send(send(
                    "GET",
                    &format!("/api/v1/merchants/{own_id}"),
                    &neighbour,
                    None
                ))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let hijack = client
            .send(send(
                "PATCH",
                &format!("/api/v1/merchants/{own_id}"),
                &neighbour,
                Some(json!({"name": "내 가게"})),
            ))
            .await;
        assert_eq!(
            hijack.status,
            StatusCode::NOT_FOUND,
            "another merchant's record is invisible"
        );
        assert_eq!(
            client
                .send(send("GET", "/api/v1/merchants", &owner, None))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        let facts = client
            .send(send(
                "PATCH",
                &format!("/api/v1/merchants/{own_id}"),
                &owner,
                Some(json!({"employees": 3, "online_channels": ["coupang", "naver"]})),
            ))
            .await;
        assert_eq!(facts.status, StatusCode::OK, "{}", facts.body);
        assert_eq!(facts.json()["online_channels"], json!(["naver", "coupang"]));
        assert_eq!(facts.json()["employees"], 3);
        let bad_channel = client
            .send(send(
                "PATCH",
                &format!("/api/v1/merchants/{own_id}"),
                &owner,
                Some(json!({"online_channels": ["myspace"]})),
            ))
            .await;
        assert_eq!(bad_channel.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_channel.json()["errors"][0]["field"], "online_channels");
        let renamed = client
            .send(send(
                "PATCH",
                &format!("/api/v1/merchants/{own_id}"),
                &owner,
                Some(json!({"name": "동문떡집 본점"})),
            ))
            .await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
        assert_eq!(
            (
                renamed.json()["name"].as_str(),
                renamed.json()["phone"].as_str()
            ),
            (Some("동문떡집 본점"), Some("063-288-5072"))
        );
        let broken = client
            .send(send(
                "PATCH",
                &format!("/api/v1/merchants/{own_id}"),
                &owner,
                Some(json!({"name": "", "phone": "전화"})),
            ))
            .await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        let unchanged = client
            .send(send(
                "GET",
                &format!("/api/v1/merchants/{own_id}"),
                &owner,
                None,
            ))
            .await
            .json();
        assert_eq!(unchanged["name"], "동문떡집 본점", "nothing half-saved");

        let seoul = json!({"name": "종로떡집", "business_number": "1018112341", "region_code": "11110", "industry_code": "I21001"});
        assert_eq!(
            client
                .send(send("POST", "/api/v1/merchants", &operator, Some(seoul)))
                .await
                .status,
            StatusCode::CREATED
        );
        let listed = client
            .send(send(
                "GET",
                "/api/v1/merchants?region_code=52110&industry_code=I21001&q=떡",
                &operator,
                None,
            ))
            .await;
        let names: Vec<String> = listed
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["동문떡집 본점"]);
        let bad_filter = client
            .send(send(
                "GET",
                "/api/v1/merchants?region_code=123",
                &operator,
                None,
            ))
            .await;
        assert_eq!(bad_filter.status, StatusCode::UNPROCESSABLE_ENTITY);

        let officer_list = client
            .send(send("GET", "/api/v1/merchants", &officer, None))
            .await;
        assert_eq!(officer_list.status, StatusCode::OK);
        assert_eq!(
            officer_list.json().as_array().unwrap().len(),
            2,
            "both 전주 shops, nothing from Seoul"
        );
        assert_eq!(
            client
                .send(send(
                    "GET",
                    "/api/v1/merchants?region_code=11",
                    &officer,
                    None
                ))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let edit = client
            .send(send(
                "PATCH",
                &format!("/api/v1/merchants/{id}"),
                &officer,
                Some(json!({"name": "x"})),
            ))
            .await;
        assert_eq!(
            edit.status,
            StatusCode::FORBIDDEN,
            "officers read, they do not edit"
        );
    }
}

#[tokio::test]
async fn operators_filter_the_merchant_list_and_officers_stay_in_their_region() {
    let (_dir, app) = app().await;
    let columns = gachi_domain::merchants::register::Columns::from_header(
        &gachi_domain::merchants::register::OFFICIAL_HEADER,
    )
    .unwrap();
    let record = |id: &str, name: &str, sigungu: &str| {
        let mut row = vec![""; 39];
        row[0] = id;
        row[1] = name;
        row[7] = "I21001";
        row[13] = sigungu;
        columns.parse(&row).unwrap()
    };
    let records = [
        record("D1", "남구빵집", "27200"),
        record("J1", "완산떡집", "52111"),
        record("J2", "덕진떡집", "52113"),
    ];
    let audit = gachi_domain::kernel::audit::Actor::system().entry(
        gachi_domain::kernel::time::Timestamp::now(),
        "merchant.import",
        "register",
        "",
    );
    app.state
        .store()
        .upsert_store_records(&records, 1, &audit)
        .await
        .unwrap();

    let mut operator = app.signed_in("ops@program.kr", "operator", "").await;
    let daegu = operator.get("/merchants?region_code=27200").await;
    assert_eq!(daegu.status, StatusCode::OK);
    assert!(daegu.body.contains("남구빵집") && !daegu.body.contains("완산떡집"));
    assert!(daegu.body.contains("발굴 대상"), "status shown in Korean");
    let id = daegu
        .body
        .split("href=\"/merchants/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let record_page = operator.get(&format!("/merchants/{id}")).await;
    assert!(
        record_page.body.contains("남구빵집")
            && record_page.body.contains("대구광역시 남구")
            && record_page.body.contains("D1")
    );
    let bad = operator.get("/merchants?region_code=abc").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("지역 코드는 숫자 2자리"));

    let mut officer = app.signed_in("gov@jeonju.go.kr", "localgov", "52110").await;
    let own = officer.get("/merchants").await;
    assert!(
        own.body.contains("완산떡집")
            && own.body.contains("덕진떡집")
            && !own.body.contains("남구빵집")
    );
    assert!(
        !own.body.contains("value=\"11\""),
        "the region picker offers only the officer's own regions"
    );
    assert_eq!(
        officer.get("/merchants?region_code=27200").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        officer.get(&format!("/merchants/{id}")).await.status,
        StatusCode::NOT_FOUND
    );

    let mut merchant = app.signed_in("m@hanok.kr", "merchant", "").await;
    assert_eq!(
        merchant.get("/merchants").await.status,
        StatusCode::FORBIDDEN
    );
}

/// Answers in the form of the questionnaire: the strongest product, the weakest online skills.
const MANAGED_ANSWERS: [(&str, &str); 10] = [
    ("uniqueness", "own_recipe"),
    ("quality_evidence", "certified"),
    ("price_position", "similar"),
    ("supply_capacity", "can_grow"),
    ("photos", "phone"),
    ("smartphone", "calls_only"),
    ("pc", "none"),
    ("channels", "none"),
    ("weekly_hours", "2_to_5"),
    ("operator", "family_or_staff"),
];

#[tokio::test]
async fn a_merchant_registers_the_shop_takes_the_diagnosis_and_an_operator_overrides_it() {
    let (_dir, app) = app().await;
    let mut merchant = app.signed_in("owner@hanok.kr", "merchant", "").await;
    let home = merchant.get("/").await;
    assert!(
        home.body.contains("href=\"/my-shop\""),
        "the next step links to the shop form"
    );

    merchant.get("/my-shop").await;
    let bad = merchant
        .post_form(
            "/my-shop",
            &[
                ("name", "한옥식당"),
                ("business_number", "220-81-62518"),
                ("region_code", "52111"),
                ("industry_code", "I20101"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("사업자등록번호가 올바르지 않습니다"));
    assert!(bad.body.contains("value=\"한옥식당\""), "typed values kept");
    let shop = [
        ("name", "한옥식당"),
        ("business_number", "220-81-62517"),
        ("region_code", "52111"),
        ("industry_code", "I20101"),
        ("phone", "063-288-5072"),
        ("opened_year", "1986"),
        ("employees", "2"),
        ("floor_area_m2", "33"),
        ("online_channels", "sns"),
        ("online_channels", "naver"),
    ];
    let saved = merchant.post_form("/my-shop", &shop).await;
    assert_eq!(
        saved.location(),
        Some("/my-shop/diagnosis"),
        "{}",
        saved.body
    );

    let form = merchant.get("/my-shop/diagnosis").await;
    assert!(form.body.contains("우리 가게 상품은 얼마나 특별한가요?"));
    let incomplete = merchant
        .post_form("/my-shop/diagnosis", &MANAGED_ANSWERS[..8])
        .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        incomplete.body.contains("id=\"e-weekly_hours\""),
        "the unanswered questions are marked"
    );
    assert!(
        incomplete.body.contains("value=\"own_recipe\" checked"),
        "answers kept"
    );
    let done = merchant
        .post_form("/my-shop/diagnosis", &MANAGED_ANSWERS)
        .await;
    assert_eq!(done.location(), Some("/my-shop/diagnosis?done=1#result"));
    let result = merchant.get("/my-shop/diagnosis?done=1").await;
    assert!(
        result.body.contains("전담 셀러 (유통설계사 운영)"),
        "{}",
        result.body
    );
    assert!(
        result
            .body
            .contains("디지털 유통설계사가 전담 셀러로 스토어를 대신 운영해 드립니다")
    );
    assert!(result.body.contains("value=\"79\""), "product score shown");
    let home = merchant.get("/").await;
    assert_eq!(
        home.body.matches("class=\"done\"").count(),
        3,
        "account, shop and diagnosis done"
    );

    let mut operator = app.signed_in("ops@program.kr", "operator", "").await;
    let managed = operator.get("/merchants?track=managed").await;
    assert!(managed.body.contains("한옥식당"));
    let id = managed
        .body
        .split("href=\"/merchants/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let record = operator.get(&format!("/merchants/{id}")).await;
    assert!(
        record.body.contains("전담 셀러 (유통설계사 운영)") && record.body.contains("진단 결과")
    );
    assert!(
        record
            .body
            .contains("data-testid=\"record-channels\">네이버 스마트스토어, SNS·블로그·카카오톡"),
        "channels kept"
    );
    assert!(
        record.body.contains("<dd>1986</dd>") && record.body.contains("<dd>33</dd>"),
        "store facts kept"
    );
    let no_reason = operator
        .post_form(
            &format!("/merchants/{id}/track"),
            &[("track", "channel"), ("reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("꼭 입력해야 하는 항목입니다"));
    let changed = operator
        .post_form(
            &format!("/merchants/{id}/track"),
            &[
                ("track", "channel"),
                ("reason", "아드님이 스토어를 맡기로 함"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let record = operator.get(&format!("/merchants/{id}")).await;
    let history = record
        .body
        .split("data-testid=\"track-history\"")
        .nth(1)
        .unwrap();
    assert!(history.contains("아드님이 스토어를 맡기로 함") && history.contains("ops@program.kr"));
    assert!(
        history.contains("진단 결과"),
        "the diagnosis stays in the history"
    );
    assert!(
        record
            .body
            .contains("data-testid=\"record-track\">직접 입점")
    );

    assert_eq!(
        merchant
            .post_form(
                &format!("/merchants/{id}/track"),
                &[("track", "managed"), ("reason", "x")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_diagnosis_api_scores_and_explains() {
    let (_dir, app) = app().await;
    let operator = app.token("ops@program.kr", "operator").await;
    let owner = app.token("owner@hanok.kr", "merchant").await;
    let mut client = app.browser();
    let body = json!({"name": "한옥식당", "business_number": "2208162517", "region_code": "52111", "industry_code": "I20101"});
    let id = client
        .send(api_request(
            "POST",
            "/api/v1/merchants",
            Some(&owner),
            Some(body),
        ))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let answers: serde_json::Map<String, serde_json::Value> = MANAGED_ANSWERS
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let mut request = api_request(
        "POST",
        &format!("/api/v1/merchants/{id}/diagnosis"),
        Some(&owner),
        Some(json!({"answers": answers})),
    );
    request
        .headers_mut()
        .insert("accept-language", "en".parse().unwrap());
    let scored = client.send(request).await;
    assert_eq!(scored.status, StatusCode::CREATED, "{}", scored.body);
    let scored = scored.json();
    assert_eq!(
        (
            scored["product_score"].as_u64(),
            scored["online_score"].as_u64(),
            scored["track"].as_str()
        ),
        (Some(79), Some(20), Some("managed"))
    );
    assert_eq!(scored["reasons"][0]["code"], "reason-managed");
    assert!(
        scored["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("managed seller")
    );

    let missing = client
        .send(api_request(
            "POST",
            &format!("/api/v1/merchants/{id}/diagnosis"),
            Some(&owner),
            Some(json!({"answers": {"uniqueness": "magic"}})),
        ))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["errors"][0]["field"], "answers.uniqueness");

    let record = client
        .send(api_request(
            "GET",
            &format!("/api/v1/merchants/{id}"),
            Some(&operator),
            None,
        ))
        .await
        .json();
    assert_eq!(record["track"], "managed");
    let refused = client
        .send(api_request(
            "POST",
            &format!("/api/v1/merchants/{id}/track"),
            Some(&owner),
            Some(json!({"track": "channel", "reason": "직접 할래요"})),
        ))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let no_reason = client
        .send(api_request(
            "POST",
            &format!("/api/v1/merchants/{id}/track"),
            Some(&operator),
            Some(json!({"track": "channel", "reason": ""})),
        ))
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let overridden = client
        .send(api_request(
            "POST",
            &format!("/api/v1/merchants/{id}/track"),
            Some(&operator),
            Some(json!({"track": "channel", "reason": "사장님 요청"})),
        ))
        .await;
    assert_eq!(overridden.status, StatusCode::OK);
    assert_eq!(overridden.json()["track"], "channel");
    let history = app
        .state
        .store()
        .track_history(gachi_domain::merchants::merchant::MerchantId(id))
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].reason.as_deref(), Some("사장님 요청"));
}

#[tokio::test]
async fn a_round_is_opened_applied_to_and_decided_with_explanations() {
    let (_dir, app) = app().await;
    let mut client = app.browser();
    // Three merchants in 전북 (two) and Seoul (one), all diagnosed; a fourth without a diagnosis.
    let shops = [
        (
            "a@shop.kr",
            "전주빵집",
            "2208162517",
            "52111",
            [("photos", "professional")],
        ),
        (
            "b@shop.kr",
            "군산떡집",
            "1068641434",
            "52130",
            [("photos", "none")],
        ),
        (
            "c@shop.kr",
            "종로떡집",
            "1018112341",
            "11110",
            [("photos", "phone")],
        ),
    ];
    for (email, name, number, region, tweak) in shops {
        let token = app.token(email, "merchant").await;
        let body = json!({"name": name, "business_number": number, "region_code": region, "industry_code": "I21001"});
        let id = client
            .send(api_request(
                "POST",
                "/api/v1/merchants",
                Some(&token),
                Some(body),
            ))
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let mut answers: serde_json::Map<String, serde_json::Value> = MANAGED_ANSWERS
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        for (k, v) in tweak {
            answers.insert(k.into(), json!(v));
        }
        let scored = client
            .send(api_request(
                "POST",
                &format!("/api/v1/merchants/{id}/diagnosis"),
                Some(&token),
                Some(json!({"answers": answers})),
            ))
            .await;
        assert_eq!(scored.status, StatusCode::CREATED);
    }

    let mut operator = app.signed_in("ops@program.kr", "operator", "").await;
    operator.get("/rounds").await;
    let bad = operator
        .post_form(
            "/rounds",
            &[("name", ""), ("total", "2"), ("sido.52", "abc")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("0 이상의 정수를 적어 주세요")
            && bad.body.contains("꼭 입력해야 하는 항목입니다")
    );
    let opened = operator
        .post_form(
            "/rounds",
            &[
                ("name", "2027 온라인 판로지원 1차"),
                ("total", "3"),
                ("sido.52", "1"),
                ("track.managed", ""),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let round_path = opened.location().unwrap().to_owned();
    let round_id = round_path.rsplit('/').next().unwrap().to_owned();

    // A merchant without a diagnosis is told what to do first.
    let mut late = app.signed_in("d@shop.kr", "merchant", "").await;
    late.get("/rounds").await;
    let refused = late
        .post_form(&format!("/rounds/{round_id}/apply"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("먼저 내 가게를 등록해 주세요"));

    let mut browsers = Vec::new();
    for email in ["a@shop.kr", "b@shop.kr", "c@shop.kr"] {
        let mut merchant = app.browser();
        merchant.get("/login").await;
        merchant
            .post_form("/login", &[("email", email), ("password", PASSWORD)])
            .await;
        merchant.get("/rounds").await;
        let applied = merchant
            .post_form(&format!("/rounds/{round_id}/apply"), &[])
            .await;
        assert_eq!(
            applied.location(),
            Some("/rounds?applied=1"),
            "{email}: {}",
            applied.body
        );
        let twice = merchant
            .post_form(&format!("/rounds/{round_id}/apply"), &[])
            .await;
        assert!(twice.body.contains("이미 이 회차에 신청하셨습니다"));
        browsers.push(merchant);
    }
    assert!(
        browsers[0]
            .get("/rounds")
            .await
            .body
            .contains("선정 결과를 기다리는 중입니다")
    );

    let review = operator.get(&round_path).await;
    assert!(
        review.body.contains("전주빵집")
            && review.body.contains("전체 정원 3명")
            && review.body.contains("전북특별자치도 1명")
    );
    let decided = operator
        .post_form(&format!("/rounds/{round_id}/decide"), &[])
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    let result = operator.get(&round_path).await;
    assert!(result.body.contains("2곳 선정"), "{}", result.body);
    // 전주빵집 (professional photos) outranks 군산떡집 (no photos); 전북 has one seat.
    assert!(
        browsers[0]
            .get("/rounds")
            .await
            .body
            .contains("선정되었습니다 (1위)")
    );
    let gunsan = browsers[1].get("/rounds").await.body;
    assert!(
        gunsan.contains("전북특별자치도 정원 1명이 앞 순위에서 찼습니다 (3위)"),
        "{gunsan}"
    );
    assert!(
        browsers[2]
            .get("/rounds")
            .await
            .body
            .contains("선정되었습니다 (2위)")
    );
    let again = operator
        .post_form(&format!("/rounds/{round_id}/decide"), &[])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again
            .body
            .contains("이 회차는 더 이상 신청을 받지 않습니다")
    );

    let selected = client
        .send(api_request(
            "GET",
            "/api/v1/merchants?status=selected",
            Some(&app.token("ops2@program.kr", "operator").await),
            None,
        ))
        .await;
    let names: Vec<String> = selected
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 2, "selected merchants are marked: {names:?}");
}

/// The DESIGN.md example product file, with a complete 가공식품 notice.
pub(crate) fn bibimbap_file() -> serde_json::Value {
    let mut fields = serde_json::Map::new();
    for field in gachi_domain::catalog::notice::find("GENERAL_FOOD")
        .unwrap()
        .fields
        .iter()
        .filter(|f| f.required)
    {
        let value = if field.name == "geneticallyModified" {
            "false"
        } else {
            gachi_domain::catalog::notice::SEE_DETAIL_PAGE
        };
        fields.insert(field.name.clone(), json!(value));
    }
    fields.insert(
        "productName".into(),
        json!("전주 한옥마을 비빔밥 밀키트 2인분"),
    );
    fields.insert("foodType".into(), json!("즉석조리식품"));
    json!({
        "sku": "JJ-BIBIM-2",
        "name": "전주 한옥마을 비빔밥 밀키트 2인분",
        "brand": "한옥식당", "manufacturer": "한옥식당", "model": null,
        "channel_categories": {"naver": "50000803", "coupang": null, "11st": null, "esm": null},
        "price": 15900, "list_price": 19900, "stock": 120, "tax": "taxable",
        "origin": {"kind": "domestic", "region": "전북특별자치도 전주시"},
        "images": {"main": "https://img.example/main.jpg", "extra": ["https://img.example/2.jpg"]},
        "options": [{"name": "맛", "values": ["순한맛", "매운맛"]}],
        "variants": [{"sku": "JJ-BIBIM-2-M", "values": ["매운맛"], "price_delta": 0, "stock": 60}],
        "notice": {"type": "GENERAL_FOOD", "fields": fields},
        "shipping": {"fee": 3000, "free_over": 30000, "dispatch_days": 2, "courier": "CJGLS", "return_fee": 3000, "exchange_fee": 6000,
                     "ship_from": "전북특별자치도 전주시 완산구 동문길 67", "return_to": "전북특별자치도 전주시 완산구 동문길 67"},
        "after_service": {"phone": "063-123-4567", "guide": "평일 9시~18시"},
        "minor_purchasable": true,
        "tags": ["밀키트", "비빔밥"],
        "certifications": [{"kind": "HACCP", "number": "2023-1-1234"}]
    })
}

/// `GET /api/v1/products/{id}/listings` and `POST …/listings/{channel}/validate`: what each
/// marketplace would accept, the Naver body when ready (checked against the official schema),
/// the seller's missing account settings kept apart, and bad input refused.
#[tokio::test]
async fn the_listings_api_says_what_each_marketplace_would_accept() {
    let (_dir, app) = app().await;
    let owner = app.token("owner@hanok.kr", "merchant").await;
    let other = app.token("other@shop.kr", "merchant").await;
    let mut client = app.browser();
    for (token, shop) in [
        (
            &owner,
            json!({"name": "한옥식당", "business_number": "2208162517", "region_code": "52111", "industry_code": "I20101"}),
        ),
        (
            &other,
            json!({"name": "옆집", "business_number": "1068641434", "region_code": "52111", "industry_code": "I21001"}),
        ),
    ] {
        client
            .send(api_request(
                "POST",
                "/api/v1/merchants",
                Some(token),
                Some(shop),
            ))
            .await;
    }
    let mut file = bibimbap_file();
    file["channel_categories"]["coupang"] = json!("58927");
    let created = client
        .send(api_request(
            "POST",
            "/api/v1/products",
            Some(&owner),
            Some(file),
        ))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();

    let listings = client
        .send(api_request(
            "GET",
            &format!("/api/v1/products/{id}/listings"),
            Some(&owner),
            None,
        ))
        .await;
    assert_eq!(listings.status, StatusCode::OK);
    let listings = listings.json();
    let naver = listings
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["channel"] == "naver")
        .unwrap();
    assert_eq!(naver["ready"], true, "{naver}");

    let validated = client
        .send(api_request(
            "POST",
            &format!("/api/v1/products/{id}/listings/naver/validate"),
            Some(&owner),
            None,
        ))
        .await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    let validated = validated.json();
    assert_eq!(validated["ready"], true);
    let body: serde_json::Value =
        serde_json::from_str(validated["payload"].as_str().unwrap()).unwrap();
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../channels/specs/naver-openapi-2.0.0-RC.json");
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(spec).unwrap()).unwrap();
    let schema =
        gachi_channels::spec_check::request_schema_name(&document, "/v2/products", "post").unwrap();
    let faults = gachi_channels::spec_check::openapi(&document, schema, &body);
    assert!(faults.is_empty(), "{faults:#?}");

    // Coupang needs the seller's Wing account: reported as account setup, in Korean, with a hint.
    let coupang = client
        .send(api_request(
            "POST",
            &format!("/api/v1/products/{id}/listings/coupang/validate"),
            Some(&owner),
            None,
        ))
        .await
        .json();
    assert_eq!(coupang["ready"], false);
    let vendor = coupang["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "seller.coupang.vendor_id")
        .unwrap_or_else(|| panic!("{coupang:#}"));
    assert_eq!(vendor["account"], true);
    assert!(
        vendor["message"].as_str().unwrap().contains("업체코드"),
        "the setting by its label"
    );
    assert!(vendor["hint"].as_str().unwrap().contains("판매자센터"));

    let unknown = client
        .send(api_request(
            "POST",
            &format!("/api/v1/products/{id}/listings/wemakeprice/validate"),
            Some(&owner),
            None,
        ))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.json()["errors"][0]["field"], "channel");
    let foreign = client
        .send(api_request(
            "GET",
            &format!("/api/v1/products/{id}/listings"),
            Some(&other),
            None,
        ))
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_product_api_keeps_product_files_and_explains_what_is_missing() {
    let dir = TempDir::new("products-api");
    for store in every_store("products_api", &dir).await {
        let app = TestApp::new(store.clone());
        let owner = app.token("owner@hanok.kr", "merchant").await;
        let other = app.token("other@shop.kr", "merchant").await;
        let operator = app.token("ops@program.kr", "operator").await;
        let officer = app.token("gov@jeonju.go.kr", "localgov").await;
        let mut client = app.browser();
        let shop = json!({"name": "한옥식당", "business_number": "2208162517", "region_code": "52111", "industry_code": "I20101"});
        let merchant_id = client
            .send(api_request(
                "POST",
                "/api/v1/merchants",
                Some(&owner),
                Some(shop),
            ))
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let other_shop = json!({"name": "옆집", "business_number": "1068641434", "region_code": "52111", "industry_code": "I21001"});
        client
            .send(api_request(
                "POST",
                "/api/v1/merchants",
                Some(&other),
                Some(other_shop),
            ))
            .await;

        let created = client
            .send(api_request(
                "POST",
                "/api/v1/products",
                Some(&owner),
                Some(bibimbap_file()),
            ))
            .await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{}: {}",
            store.backend(),
            created.body
        );
        let id = created.json()["id"].as_i64().unwrap();
        assert_eq!(created.json()["merchant_id"], merchant_id);
        assert_eq!(
            created.json()["product"]["variants"][0]["sku"],
            "JJ-BIBIM-2-M"
        );
        let again = client
            .send(api_request(
                "POST",
                "/api/v1/products",
                Some(&owner),
                Some(bibimbap_file()),
            ))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);

        let mut bad = bibimbap_file();
        bad["sku"] = json!("JJ-2");
        bad["price"] = json!(15900.5);
        bad["notice"]["fields"]
            .as_object_mut()
            .unwrap()
            .remove("foodType");
        bad["tags"] = json!((0..21).map(|i| format!("태그{i}")).collect::<Vec<_>>());
        let invalid = client
            .send(api_request(
                "POST",
                "/api/v1/products",
                Some(&owner),
                Some(bad),
            ))
            .await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = invalid.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect();
        for expected in ["price", "tags", "notice.fields.foodType"] {
            assert!(
                fields.iter().any(|f| f == expected),
                "{expected} in {fields:?}"
            );
        }
        assert_eq!(
            app.state
                .store()
                .products_of(
                    gachi_domain::merchants::merchant::MerchantId(merchant_id),
                    10
                )
                .await
                .unwrap()
                .len(),
            1,
            "nothing half-saved"
        );

        let page = client
            .send(api_request(
                "GET",
                &format!("/api/v1/products/{id}/detail-page"),
                Some(&owner),
                None,
            ))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(
            page.body.contains("전주 한옥마을 비빔밥 밀키트 2인분")
                && !page.body.contains("<script")
        );
        let notice = gachi_domain::catalog::notice::find("GENERAL_FOOD").unwrap();
        for field in notice
            .fields
            .iter()
            .filter(|f| f.required && f.kind != gachi_domain::catalog::notice::FieldKind::Bool)
        {
            assert!(
                page.body.contains(&field.label),
                "label {} in the page",
                field.label
            );
        }
        assert!(page.body.contains("즉석조리식품"));

        let report = client
            .send(api_request(
                "GET",
                &format!("/api/v1/products/{id}/completeness"),
                Some(&owner),
                None,
            ))
            .await
            .json();
        let naver = report
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["channel"] == "naver")
            .unwrap()
            .clone();
        assert_eq!(naver["percent"], 100, "{naver}");
        let coupang = report
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["channel"] == "coupang")
            .unwrap()
            .clone();
        assert_eq!(coupang["gaps"][0]["field"], "channel_categories.coupang");
        assert_eq!(
            coupang["gaps"][0]["message"],
            "이 마켓의 카테고리를 골라 주세요."
        );

        let patched = client
            .send(api_request(
                "PATCH",
                &format!("/api/v1/products/{id}"),
                Some(&owner),
                Some(json!({"price": 14900})),
            ))
            .await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
        assert_eq!(
            (
                patched.json()["product"]["price"].as_i64(),
                patched.json()["product"]["stock"].as_i64()
            ),
            (Some(14900), Some(120))
        );
        let own_html = client
            .send(api_request("PATCH", &format!("/api/v1/products/{id}"), Some(&owner), Some(json!({"detail_html": "<p onclick=\"x()\">할머니 손맛<script>alert(1)</script></p><a href=\"javascript:alert(1)\">링크</a>"}))))
            .await;
        assert_eq!(own_html.status, StatusCode::OK);
        let page = client
            .send(api_request(
                "GET",
                &format!("/api/v1/products/{id}/detail-page"),
                Some(&owner),
                None,
            ))
            .await;
        assert!(
            page.body.contains("할머니 손맛")
                && !page.body.contains("<script")
                && !page.body.contains("onclick")
                && !page.body.contains("javascript:"),
            "{}",
            page.body
        );
        let below = client
            .send(api_request(
                "PATCH",
                &format!("/api/v1/products/{id}"),
                Some(&owner),
                Some(json!({"list_price": 100})),
            ))
            .await;
        assert_eq!(below.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(below.json()["errors"][0]["field"], "list_price");

        assert_eq!(
            client
                .send(api_request(
                    "GET",
                    &format!("/api/v1/products/{id}"),
                    Some(&other),
                    None
                ))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            client
                .send(api_request("GET", "/api/v1/products", Some(&officer), None))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let no_merchant = client
            .send(api_request(
                "POST",
                "/api/v1/products",
                Some(&operator),
                Some(bibimbap_file()),
            ))
            .await;
        assert_eq!(
            (
                no_merchant.status,
                no_merchant.json()["errors"][0]["field"].as_str()
            ),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("merchant_id"))
        );
        let mut for_shop = bibimbap_file();
        for_shop["sku"] = json!("OPS-1");
        for_shop["merchant_id"] = json!(merchant_id);
        assert_eq!(
            client
                .send(api_request(
                    "POST",
                    "/api/v1/products",
                    Some(&operator),
                    Some(for_shop)
                ))
                .await
                .status,
            StatusCode::CREATED
        );
        let listed = client
            .send(api_request(
                "GET",
                &format!("/api/v1/products?merchant_id={merchant_id}"),
                Some(&operator),
                None,
            ))
            .await;
        assert_eq!(listed.json().as_array().unwrap().len(), 2);

        let not_json = client
            .send(api_request(
                "POST",
                "/api/v1/products",
                Some(&owner),
                Some(json!([1, 2])),
            ))
            .await;
        assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            client
                .send(api_request(
                    "DELETE",
                    &format!("/api/v1/products/{id}"),
                    Some(&owner),
                    None
                ))
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            client
                .send(api_request(
                    "GET",
                    &format!("/api/v1/products/{id}"),
                    Some(&owner),
                    None
                ))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn a_merchant_builds_a_product_with_the_generated_notice_form() {
    let (_dir, app) = app().await;
    let mut merchant = app.signed_in("owner@hanok.kr", "merchant", "").await;
    merchant.get("/my-shop").await;
    let shop = [
        ("name", "한옥식당"),
        ("business_number", "2208162517"),
        ("region_code", "52111"),
        ("industry_code", "I20101"),
        ("phone", "063-123-4567"),
        ("road_address", "전북특별자치도 전주시 완산구 동문길 67"),
    ];
    merchant.post_form("/my-shop", &shop).await;

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
    let mut with_tap = base.clone();
    with_tap.push(("see_detail", "notice.producer"));
    let tapped = merchant.post_form("/products/new", &with_tap).await;
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

    let mut incomplete = base.clone();
    incomplete.push(("action", "save"));
    let refused = merchant.post_form("/products/new", &incomplete).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"e-notice.foodType\""),
        "the error sits beside the notice field"
    );
    assert!(
        refused.body.contains("<strong>식품의 유형</strong>: "),
        "the summary names each field"
    );
    assert!(
        app.state
            .store()
            .products_of(gachi_domain::merchants::merchant::MerchantId(1), 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing saved"
    );

    let mut complete = base.clone();
    for field in gachi_domain::catalog::notice::find("GENERAL_FOOD")
        .unwrap()
        .fields
        .iter()
        .filter(|f| f.required)
    {
        let value = if field.name == "geneticallyModified" {
            "false"
        } else {
            "상품 상세페이지 참조"
        };
        complete.push((
            Box::leak(format!("notice.{}", field.name).into_boxed_str()),
            value,
        ));
    }
    complete.push(("action", "save"));
    let saved = merchant.post_form("/products/new", &complete).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = merchant.get(saved.location().unwrap()).await;
    assert!(
        page.body.contains("data-testid=\"readiness\"") && page.body.contains("100%"),
        "naver is ready"
    );
    assert!(
        page.body.contains("href=\"#f-cat_coupang\""),
        "coupang's missing category links to its field"
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
    let mut design = base.clone();
    design.extend([
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
    assert_eq!(
        app.state
            .store()
            .products_of(gachi_domain::merchants::merchant::MerchantId(1), 10)
            .await
            .unwrap()
            .len(),
        1,
        "previewing saves nothing"
    );

    // Shipping terms saved under a name fill into the next product at once.
    let mut keep = base.clone();
    keep.extend([
        ("ship_fee", "4000"),
        ("ship_template_name", ""),
        ("action", "save_shipping"),
    ]);
    let nameless = merchant.post_form("/products/new", &keep).await;
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

    let mut stranger = app.signed_in("other@shop.kr", "merchant", "").await;
    assert_eq!(
        stranger.get(&format!("/products/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger
            .get(&format!("/products/{id}/preview"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// The onboarding board: an operator puts shops on it from their record, sees columns by
/// stage with filters, moves a card; the API lists and moves; an officer sees only their
/// region; a merchant sees their own cards; bad input is a 422 naming the field.
#[tokio::test]
async fn the_onboarding_board_moves_cards_by_stage() {
    let (_dir, app) = app().await;
    let owner = app.token("owner@hanok.kr", "merchant").await;
    let operator_token = app.token("ops-api@program.kr", "operator").await;
    let mut api = app.browser();
    let mut ids = Vec::new();
    for (token, shop) in [
        (
            &owner,
            json!({"name": "한옥식당", "business_number": "2208162517", "region_code": "52111", "industry_code": "I20101"}),
        ),
        (
            &operator_token,
            json!({"name": "대구 떡집", "business_number": "1068641434", "region_code": "27110", "industry_code": "I21001"}),
        ),
    ] {
        let created = api
            .send(api_request(
                "POST",
                "/api/v1/merchants",
                Some(token),
                Some(shop),
            ))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        ids.push(created.json()["id"].as_i64().unwrap());
    }

    let mut operator = app.signed_in("ops@program.kr", "operator", "").await;
    let record = operator.get(&format!("/merchants/{}", ids[0])).await;
    assert!(record.body.contains("data-testid=\"onboarding-start\""));
    let started = operator
        .post_form(
            "/onboarding/move",
            &[
                ("merchant_id", &ids[0].to_string()),
                ("channel", "naver"),
                ("stage", "preparing"),
                ("back", "/onboarding"),
            ],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let moved = api
        .send(api_request(
            "POST",
            "/api/v1/onboarding/moves",
            Some(&operator_token),
            Some(json!({"merchant_id": ids[1], "channel": "coupang", "stage": "in_review"})),
        ))
        .await;
    assert_eq!(moved.status, StatusCode::NO_CONTENT, "{}", moved.body);

    let board = operator.get("/onboarding").await;
    assert_eq!(board.status, StatusCode::OK);
    let preparing = board
        .body
        .split("data-testid=\"column-preparing\"")
        .nth(1)
        .unwrap();
    let preparing = preparing.split("data-testid=\"column-").next().unwrap();
    assert!(preparing.contains("한옥식당") && !preparing.contains("대구 떡집"));
    assert!(
        board
            .body
            .contains(&format!("data-testid=\"card-{}-coupang\"", ids[1]))
    );
    let moved = operator
        .post_form(
            "/onboarding/move",
            &[
                ("merchant_id", &ids[0].to_string()),
                ("channel", "naver"),
                ("stage", "drafting"),
                ("back", "/onboarding?channel=naver"),
            ],
        )
        .await;
    assert_eq!(moved.location(), Some("/onboarding?channel=naver"));
    let filtered = operator.get("/onboarding?channel=naver").await;
    let drafting = filtered
        .body
        .split("data-testid=\"column-drafting\"")
        .nth(1)
        .unwrap();
    assert!(
        drafting
            .split("data-testid=\"column-")
            .next()
            .unwrap()
            .contains("한옥식당")
    );
    assert!(
        !filtered.body.contains("대구 떡집"),
        "the marketplace filter holds"
    );
    let tampered = operator
        .post_form(
            "/onboarding/move",
            &[
                ("merchant_id", &ids[0].to_string()),
                ("channel", "naver"),
                ("stage", "sold"),
            ],
        )
        .await;
    assert_eq!(tampered.status, StatusCode::UNPROCESSABLE_ENTITY);

    let listed = api
        .send(api_request(
            "GET",
            "/api/v1/onboarding?stage=in_review",
            Some(&operator_token),
            None,
        ))
        .await
        .json();
    let cards = listed.as_array().unwrap();
    assert_eq!(cards.len(), 1, "{listed}");
    assert_eq!(
        (
            cards[0]["merchant_id"].as_i64(),
            cards[0]["stage_name"].as_str()
        ),
        (Some(ids[1]), Some("심사중"))
    );
    let bad = api
        .send(api_request(
            "GET",
            "/api/v1/onboarding?stage=sold&channel=wemakeprice",
            Some(&operator_token),
            None,
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        fields.contains(&"stage".to_owned()) && fields.contains(&"channel".to_owned()),
        "{fields:?}"
    );
    let forbidden = api
        .send(api_request(
            "POST",
            "/api/v1/onboarding/moves",
            Some(&owner),
            Some(json!({"merchant_id": ids[0], "channel": "naver", "stage": "selling"})),
        ))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    // The officer of 전주 sees the 전주 card only; the merchant sees their own with the next step.
    let officer = app.token("gov@jeonju.go.kr", "localgov").await;
    let theirs = api
        .send(api_request(
            "GET",
            "/api/v1/onboarding",
            Some(&officer),
            None,
        ))
        .await
        .json();
    let merchants: Vec<i64> = theirs
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["merchant_id"].as_i64().unwrap())
        .collect();
    assert_eq!(merchants, [ids[0]]);
    let mine = api
        .send(api_request("GET", "/api/v1/onboarding", Some(&owner), None))
        .await
        .json();
    assert_eq!(mine[0]["stage"], "drafting");
    assert!(mine[0]["next_action"].as_str().unwrap().contains("상품"));
}

/// The results issue's checks from outside: sales reports by an operator put the merchant past
/// 1억 in the hall of fame and not the other; the KPI lists targets and actuals with the named
/// keys; bad reports are 422 naming the field; a merchant cannot report for another shop.
#[tokio::test]
async fn sales_reports_fill_the_hall_of_fame_and_the_kpi() {
    let (_dir, app) = app().await;
    let operator = app.token("ops@program.kr", "operator").await;
    let owner = app.token("owner@hanok.kr", "merchant").await;
    let mut api = app.browser();
    let mut ids = Vec::new();
    for (token, shop) in [
        (
            &owner,
            json!({"name": "한옥식당", "business_number": "2208162517", "region_code": "52111", "industry_code": "I20101"}),
        ),
        (
            &operator,
            json!({"name": "동부떡집", "business_number": "1068641434", "region_code": "52111", "industry_code": "I21001"}),
        ),
    ] {
        let created = api
            .send(api_request(
                "POST",
                "/api/v1/merchants",
                Some(token),
                Some(shop),
            ))
            .await;
        ids.push(created.json()["id"].as_i64().unwrap());
    }
    let now = gachi_domain::results::Month::of(gachi_domain::kernel::time::Timestamp::now());
    let mut poster = app.browser();
    let mut post = async |token: &str, body: serde_json::Value| {
        poster
            .send(api_request(
                "POST",
                "/api/v1/sales-reports",
                Some(token),
                Some(body),
            ))
            .await
    };
    for months_ago in 0..12 {
        let month = now.minus(months_ago).to_string();
        let first = post(&operator, json!({"merchant_id": ids[0], "channel": "naver", "month": month, "sales_krw": 9_000_000, "orders": 450})).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        post(&operator, json!({"merchant_id": ids[1], "channel": "coupang", "month": month, "sales_krw": 8_000_000, "orders": 400})).await;
    }
    let hall = api
        .send(api_request("GET", "/api/v1/hall-of-fame", None, None))
        .await;
    assert_eq!(hall.status, StatusCode::OK, "public, no token");
    let members: Vec<i64> = hall
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["merchant_id"].as_i64().unwrap())
        .collect();
    assert_eq!(members, [ids[0]], "108,000,000 enters; 96,000,000 does not");
    let filtered = api
        .send(api_request(
            "GET",
            "/api/v1/hall-of-fame?region_code=11",
            None,
            None,
        ))
        .await
        .json();
    assert!(filtered.as_array().unwrap().is_empty());

    let kpi = api
        .send(api_request(
            "GET",
            &format!("/api/v1/kpi?year={}", now.year),
            Some(&operator),
            None,
        ))
        .await;
    assert_eq!(kpi.status, StatusCode::OK, "{}", kpi.body);
    let kpi = kpi.json();
    for key in [
        "registered_merchants",
        "onboarded_merchants",
        "hall_of_fame",
    ] {
        assert!(
            kpi["targets"][key].is_i64() && kpi["actuals"][key].is_i64(),
            "{key}: {kpi}"
        );
    }
    assert_eq!(kpi["targets"]["onboarded_merchants"], 100000);
    assert_eq!(kpi["actuals"]["registered_merchants"], 2);
    assert_eq!(
        kpi["actuals"]["hall_of_fame"],
        if now.month == 12 || now.minus(0).year == now.year {
            1
        } else {
            0
        }
    );
    assert_eq!(kpi["funnel"]["hall_of_fame"], 1);

    for (body, field) in [
        (
            json!({"merchant_id": ids[0], "channel": "naver", "month": now.to_string(), "sales_krw": -5, "orders": 1}),
            "sales_krw",
        ),
        (
            json!({"merchant_id": ids[0], "channel": "naver", "month": now.minus(-1).to_string(), "sales_krw": 5, "orders": 1}),
            "month",
        ),
        (
            json!({"merchant_id": ids[0], "channel": "wemakeprice", "month": now.to_string(), "sales_krw": 5, "orders": 1}),
            "channel",
        ),
    ] {
        let refused = post(&operator, body).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert_eq!(refused.json()["errors"][0]["field"], field);
    }
    let other_shop = post(&owner, json!({"merchant_id": ids[1], "channel": "naver", "month": now.to_string(), "sales_krw": 5, "orders": 1})).await;
    assert_eq!(other_shop.status, StatusCode::NOT_FOUND);
    let own = post(
        &owner,
        json!({"channel": "naver", "month": now.to_string(), "sales_krw": 5, "orders": 1}),
    )
    .await;
    assert_eq!(
        own.status,
        StatusCode::CREATED,
        "a merchant reports for their own shop"
    );
    let merchant_kpi = api
        .send(api_request("GET", "/api/v1/kpi", Some(&owner), None))
        .await;
    assert_eq!(merchant_kpi.status, StatusCode::FORBIDDEN);
}

/// Results in the browser: a merchant reports sales (a negative amount is refused beside its
/// field), the public hall of fame shows members with a badge, and the dashboard draws targets,
/// the funnel and the tile map with tables and CSV exports that Excel opens in Korean.
#[tokio::test]
async fn results_pages_report_celebrate_and_count() {
    let (_dir, app) = app().await;
    let mut merchant = app.signed_in("owner@hanok.kr", "merchant", "").await;
    merchant.get("/my-shop").await;
    merchant
        .post_form(
            "/my-shop",
            &[
                ("name", "한옥식당"),
                ("business_number", "2208162517"),
                ("region_code", "52111"),
                ("industry_code", "I20101"),
            ],
        )
        .await;
    let now = gachi_domain::results::Month::of(gachi_domain::kernel::time::Timestamp::now());
    merchant.get("/my-shop/sales").await;
    let refused = merchant
        .post_form(
            "/my-shop/sales",
            &[
                ("month", &now.to_string()),
                ("channel", "naver"),
                ("sales_krw", "-10"),
                ("orders", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"e-sales_krw\""),
        "the error sits beside the field"
    );
    for months_ago in 0..12 {
        let saved = merchant
            .post_form(
                "/my-shop/sales",
                &[
                    ("month", &now.minus(months_ago).to_string()),
                    ("channel", "naver"),
                    ("sales_krw", "9,000,000"),
                    ("orders", "300"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    // A correction keeps the old value on record.
    merchant
        .post_form(
            "/my-shop/sales",
            &[
                ("month", &now.to_string()),
                ("channel", "naver"),
                ("sales_krw", "9,500,000"),
                ("orders", "310"),
            ],
        )
        .await;
    let page = merchant.get("/my-shop/sales").await;
    assert!(
        page.body.contains("data-testid=\"sales-member\"") && page.body.contains("108,500,000")
    );
    assert!(
        page.body.contains("9,000,000 → 9,500,000"),
        "the correction is listed"
    );

    let mut visitor = app.browser();
    let hall = visitor.get("/hall-of-fame").await;
    assert_eq!(hall.status, StatusCode::OK, "public");
    assert!(hall.body.contains("한옥식당") && hall.body.contains("/badge.svg"));
    let badge = visitor.get("/hall-of-fame/1/badge.svg").await;
    assert!(badge.body.starts_with("<svg") && badge.body.contains("한옥식당"));
    assert_eq!(
        visitor.get("/hall-of-fame/999/badge.svg").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        visitor
            .get("/hall-of-fame?region_code=11")
            .await
            .body
            .contains("data-testid=\"hall-empty\"")
    );

    let mut operator = app.signed_in("ops@program.kr", "operator", "").await;
    let dashboard = operator.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    for part in [
        "data-testid=\"targets\"",
        "data-testid=\"funnel\"",
        "data-testid=\"tile-52\"",
        "data-testid=\"actual-hall_of_fame\">1<",
    ] {
        assert!(dashboard.body.contains(part), "{part}");
    }
    let csv = operator
        .get(&format!(
            "/dashboard/export.csv?year={}&table=funnel",
            now.year
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'), "UTF-8 with BOM");
    assert!(csv.body.contains("명예의 전당,1"), "{}", csv.body);
    let workbook = operator
        .get(&format!(
            "/dashboard/export.xlsx?year={}&table=targets",
            now.year
        ))
        .await;
    assert_eq!(workbook.status, StatusCode::OK);
    assert!(workbook.body.starts_with("PK"), "an .xlsx is a zip");
    let year = now.year.to_string();
    let set = operator
        .post_form(
            "/dashboard/targets",
            &[
                ("year", &year),
                ("target_onboarded_merchants", "2,500"),
                ("target_hall_of_fame", "10"),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    let budget = operator
        .post_form(
            "/dashboard/budget",
            &[
                ("year", &year),
                ("name", "판로 지원"),
                ("program", "1,000,000,000"),
                ("allocated", "800,000,000"),
                ("executed", "200,000,000"),
            ],
        )
        .await;
    assert_eq!(budget.status, StatusCode::SEE_OTHER, "{}", budget.body);
    let refused = operator
        .post_form(
            "/dashboard/budget",
            &[
                ("year", &year),
                ("name", ""),
                ("program", "1"),
                ("allocated", "1"),
                ("executed", "-1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let dashboard = operator.get(&format!("/dashboard?year={year}")).await;
    for part in [
        "판로 지원",
        "25.0%",
        "data-testid=\"trend\"",
        "data-testid=\"breakdowns\"",
        "value=\"2500\"",
    ] {
        assert!(dashboard.body.contains(part), "{part}");
    }
    let regional = operator.get("/dashboard?region_code=52").await;
    assert!(regional.body.contains("전북특별자치도"));
    assert!(
        regional.body.contains("data-testid=\"sigungu\"")
            && regional.body.contains("전주시 완산구"),
        "the 시군구 of the 시도"
    );
    let industry = operator
        .get(&format!(
            "/dashboard/export.csv?year={}&table=industry",
            now.year
        ))
        .await;
    assert!(industry.body.contains("음식"), "{}", industry.body);
    for table in [
        "targets", "funnel", "regions", "months", "budget", "track", "industry", "sigungu",
    ] {
        for format in ["csv", "xlsx"] {
            let export = operator
                .get(&format!(
                    "/dashboard/export.{format}?year={}&region_code=52&table={table}",
                    now.year
                ))
                .await;
            assert_eq!(export.status, StatusCode::OK, "{table}.{format}");
        }
    }
    let officer = app.signed_in("gov@seoul.go.kr", "localgov", "11").await;
    let mut officer = officer;
    assert_eq!(
        officer.get("/dashboard?region_code=52").await.status,
        StatusCode::FORBIDDEN
    );
    // Without a region the officer sees their own: every table, not only the targets.
    for table in ["months", "industry", "track"] {
        let path = |region: &str| {
            format!(
                "/dashboard/export.csv?year={}{region}&table={table}",
                now.year
            )
        };
        let own = officer.get(&path("")).await;
        assert_eq!(own.status, StatusCode::OK, "{table}");
        let national = operator.get(&path("")).await.body;
        let seoul = operator.get(&path("&region_code=11")).await.body;
        assert_ne!(national, seoul, "{table}: the 전북 shop shows nationally");
        assert_eq!(own.body, seoul, "{table}: the officer's own region");
    }
    assert_eq!(
        merchant.get("/dashboard").await.status,
        StatusCode::FORBIDDEN
    );
}

/// A local-government officer nominates a diagnosed merchant of their region into an open round;
/// a shop elsewhere is not theirs to nominate, and an undiagnosed one is refused with the reason.
#[tokio::test]
async fn an_officer_nominates_merchants_of_their_region_into_a_round() {
    let (_dir, app) = app().await;
    let operator_token = app.token("ops-api@program.kr", "operator").await;
    let mut api = app.browser();
    let mut ids = Vec::new();
    for (name, number, region) in [
        ("전주 떡집", "2208162517", "52111"),
        ("군산 빵집", "1068641434", "52130"),
        ("전주 국수", "1018112341", "52113"),
    ] {
        let body = json!({"name": name, "business_number": number, "region_code": region, "industry_code": "I21001"});
        ids.push(
            api.send(api_request(
                "POST",
                "/api/v1/merchants",
                Some(&operator_token),
                Some(body),
            ))
            .await
            .json()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let answers: serde_json::Map<String, serde_json::Value> = MANAGED_ANSWERS
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    for id in &ids[..2] {
        let scored = api
            .send(api_request(
                "POST",
                &format!("/api/v1/merchants/{id}/diagnosis"),
                Some(&operator_token),
                Some(json!({"answers": answers})),
            ))
            .await;
        assert_eq!(scored.status, StatusCode::CREATED, "{}", scored.body);
    }
    let mut operator = app.signed_in("ops@program.kr", "operator", "").await;
    operator.get("/rounds").await;
    let opened = operator
        .post_form("/rounds", &[("name", "2027 1차"), ("total", "10")])
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let round = app.state.store().rounds().await.unwrap().remove(0).id.0;

    let mut officer = app.signed_in("gov@jeonju.go.kr", "localgov", "52110").await;
    let record = officer.get(&format!("/merchants/{}", ids[0])).await;
    assert!(
        record
            .body
            .contains(&format!("data-testid=\"nominate-{round}\""))
    );
    let nominated = officer
        .post_form(
            &format!("/rounds/{round}/nominate"),
            &[("merchant_id", &ids[0].to_string())],
        )
        .await;
    assert_eq!(
        nominated.location(),
        Some(format!("/merchants/{}?nominated=1", ids[0]).as_str())
    );
    let applications = app
        .state
        .store()
        .applications(gachi_domain::program::rounds::RoundId(round))
        .await
        .unwrap();
    assert_eq!(applications.len(), 1);
    let outside = officer
        .post_form(
            &format!("/rounds/{round}/nominate"),
            &[("merchant_id", &ids[1].to_string())],
        )
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND, "군산 is not 전주's");
    let undiagnosed = officer
        .post_form(
            &format!("/rounds/{round}/nominate"),
            &[("merchant_id", &ids[2].to_string())],
        )
        .await;
    assert_eq!(undiagnosed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(undiagnosed.body.contains("진단"), "{}", undiagnosed.body);
}

/// The product's marketplace category suggests its notice type: the form says so and one tap
/// switches the generated notice inputs.
#[tokio::test]
async fn the_category_suggests_the_notice_type_in_the_form() {
    let (_dir, app) = app().await;
    let mut browser = app.signed_in("owner@hanok.kr", "merchant", "").await;
    let token = app.token_of("owner@hanok.kr").await;
    let mut api = app.browser();
    api.send(api_request(
        "POST",
        "/api/v1/merchants",
        Some(&token),
        Some(json!({"name": "한옥식당", "business_number": "2208162517", "region_code": "52111", "industry_code": "I20101"})),
    ))
    .await;
    app.state
        .store()
        .replace_categories(
            "naver",
            &[("50000960".into(), "식품>농산물>과일>사과".into())],
            &gachi_domain::kernel::audit::Actor::system().entry(
                gachi_domain::kernel::time::Timestamp::now(),
                "categories.import",
                "naver",
                "",
            ),
        )
        .await
        .unwrap();
    let mut file = bibimbap_file();
    file["channel_categories"]["naver"] = json!("50000960");
    let created = api
        .send(api_request(
            "POST",
            "/api/v1/products",
            Some(&token),
            Some(file),
        ))
        .await;
    let id = created.json()["id"].as_i64().unwrap();
    let page = browser.get(&format!("/products/{id}")).await;
    let hint = page
        .body
        .split("data-testid=\"notice-suggestion\">")
        .nth(1)
        .expect("a suggestion is shown");
    assert!(
        hint.contains("식품&#62;농산물&#62;과일&#62;사과") && hint.contains("식품(농.축.수산물)"),
        "{}",
        &hint[..300.min(hint.len())]
    );
    let switched = browser
        .post_form(
            &format!("/products/{id}"),
            &[
                ("name", "사과 5kg"),
                ("notice_type", "GENERAL_FOOD"),
                ("notice_suggested", "FOOD"),
            ],
        )
        .await;
    assert_eq!(switched.status, StatusCode::OK);
    assert!(switched.body.contains("<option value=\"FOOD\" selected"));
    assert!(
        switched.body.contains("value=\"사과 5kg\""),
        "typed text kept"
    );
}
