//! The JSON API as a client sees it: the OpenAPI document (a snapshot, so a change to the
//! contract is deliberate), bearer tokens, roles, field errors in the asked language, and the
//! account endpoints.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{OPERATOR, OWNER, ProductBuilder, ShopBuilder, TestApp};

/// The OpenAPI document is part of the API contract: a change to it must be deliberate.
#[tokio::test]
async fn openapi_document_matches_the_snapshot() {
    let app = TestApp::sqlite("http-openapi").await;
    let openapi = app.browser().get("/api/openapi.json").await.json();
    insta::assert_json_snapshot!("openapi", openapi);
}

#[tokio::test]
async fn the_api_authenticates_by_token_and_enforces_roles() {
    let app = TestApp::sqlite("http-api-auth").await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let mut merchant = app.api_as("m@hanok.kr", "merchant").await;

    let me = operator.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(
        (me.json()["email"].as_str(), me.json()["role"].as_str()),
        (Some(OPERATOR), Some("operator"))
    );
    for token in [None, Some("gachi_wrong"), Some("not-even-prefixed")] {
        let reply = app.api_with(token).get("/api/v1/me").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(reply.json()["error"], "unauthorized");
        assert_eq!(reply.headers["www-authenticate"], "Bearer");
    }

    let forbidden = merchant.get("/api/v1/users").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(
        forbidden.json()["message"],
        "이 페이지나 기능을 쓸 권한이 없습니다."
    );
    let post_forbidden = merchant.post("/api/v1/users", json!({})).await;
    assert_eq!(post_forbidden.status, StatusCode::FORBIDDEN);

    let invalid = operator
        .call_in(
            "en-US,en;q=0.9",
            "POST",
            "/api/v1/users",
            Some(json!({"email": "x", "password": "1", "role": "localgov"})),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.error_fields(), ["email", "password", "region_code"]);
    assert_eq!(
        invalid.json()["errors"][0]["message"],
        "This is not a valid email address, e.g. name@example.com"
    );

    let body = json!({"email": "gov@jeonju.go.kr", "password": "처음비밀번호1234", "role": "localgov", "region_code": "45110"});
    let created = operator.post("/api/v1/users", body.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["region_code"], "52110");
    assert_eq!(created.json()["region_name"], "전북특별자치도 전주시");
    let duplicate = operator.post("/api/v1/users", body).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.error_fields(), ["email"]);

    let admin =
        json!({"email": "boss@program.kr", "password": "처음비밀번호1234", "role": "admin"});
    let refused = operator.post("/api/v1/users", admin).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut not_json = operator.request("POST", "/api/v1/users", None);
    *not_json.body_mut() = axum::body::Body::from("{not json");
    not_json
        .headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    let bad = operator.send(not_json).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"], "bad_request");

    let listed = operator.get("/api/v1/users?role=localgov").await;
    assert_eq!(listed.json().as_array().unwrap().len(), 1);
    let bad_role = operator.get("/api/v1/users?role=king").await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_role.error_fields(), ["role"]);
}

/// API tokens expire (90 days unless made otherwise), record their last use, and are revoked by
/// their owner (`DELETE /api/v1/tokens/{id}`) or, all of an account's, by staff
/// (`DELETE /api/v1/users/{id}/tokens`): from then on the token is a 401 at once.
#[tokio::test]
async fn tokens_expire_and_are_revoked_through_the_api() {
    use gachi_domain::accounts::NewApiToken;
    use gachi_domain::kernel::audit::Actor;
    use gachi_domain::kernel::secret::token_digest;
    use gachi_domain::kernel::time::Timestamp;

    let app = TestApp::sqlite("http-api-tokens").await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let mut merchant = app.api_as("m@hanok.kr", "merchant").await;
    let mut laptop = app.api_of("m@hanok.kr").await;
    let merchant_id = merchant.get("/api/v1/me").await.json()["id"]
        .as_i64()
        .unwrap();

    let listed = merchant.get("/api/v1/tokens").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let tokens = listed.json();
    let tokens = tokens.as_array().unwrap();
    assert_eq!(tokens.len(), 2, "only the caller's own: {tokens:?}");
    assert_eq!(tokens[0]["status"], "active");
    assert!(
        tokens[0]["last_used_at"].is_string(),
        "this token was just used"
    );
    assert!(tokens[1]["last_used_at"].is_null(), "the laptop's was not");
    let expires = Timestamp::parse_rfc3339(tokens[0]["expires_at"].as_str().unwrap()).unwrap();
    let created = Timestamp::parse_rfc3339(tokens[0]["created_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        created.seconds_until(expires),
        90 * 24 * 3600,
        "90 days by default"
    );
    let laptop_id = tokens[1]["id"].as_i64().unwrap();

    // The owner revokes the laptop's token, which was just looked up (and so may be cached).
    assert_eq!(laptop.get("/api/v1/me").await.status, StatusCode::OK);
    let revoked = merchant
        .delete(&format!("/api/v1/tokens/{laptop_id}"))
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.body);
    let refused = laptop.get("/api/v1/me").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.headers["www-authenticate"], "Bearer");
    let after = merchant.get("/api/v1/tokens").await.json();
    assert_eq!(after[1]["status"], "revoked");
    assert!(after[1]["revoked_at"].is_string());

    // Another account's token id is not found; only staff revoke an account's tokens.
    let operators = operator.get("/api/v1/tokens").await.json();
    let operator_token = operators[0]["id"].as_i64().unwrap();
    assert_eq!(
        merchant
            .delete(&format!("/api/v1/tokens/{operator_token}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(operator.get("/api/v1/me").await.status, StatusCode::OK);
    assert_eq!(
        merchant
            .delete(&format!("/api/v1/users/{merchant_id}/tokens"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        operator.delete("/api/v1/users/999999/tokens").await.status,
        StatusCode::NOT_FOUND
    );
    let all = operator
        .delete(&format!("/api/v1/users/{merchant_id}/tokens"))
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(all.json()["revoked"], 1, "the laptop's was revoked already");
    assert_eq!(
        merchant.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let audit = app.store().recent_audit(30).await.unwrap();
    let subject = format!("user:{merchant_id}");
    assert!(audit.iter().any(|r| r.entry.action == "token.revoke"
        && r.entry.subject == subject
        && r.entry.detail == format!("token={laptop_id}")));
    assert!(audit.iter().any(|r| r.entry.action == "token.revoke_all"
        && r.entry.subject == subject
        && r.entry.detail.contains("count=1")));

    // A token past its expiry is refused like an unknown one.
    let owner = app
        .store()
        .user_by_email("m@hanok.kr")
        .await
        .unwrap()
        .unwrap();
    let expired = "gachi_expired-for-the-test";
    let made = Timestamp::now().minus_seconds(91 * 24 * 3600);
    app.store()
        .create_api_token(
            &NewApiToken {
                token_digest: token_digest(expired),
                user: owner.id,
                name: "old".into(),
                created_at: made,
                expires_at: Some(made.plus_seconds(90 * 24 * 3600)),
            },
            &Actor::system().entry(made, "token.create", "", ""),
        )
        .await
        .unwrap();
    let reply = app.api_with(Some(expired)).get("/api/v1/me").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["error"], "unauthorized");
}

/// The product file is described field by field, from the domain's own tables, so a client can
/// build a valid product from the document: every member a saved product has, the required
/// four, and each notice type with exactly its items.
#[tokio::test]
async fn the_document_describes_the_product_file() {
    let app = TestApp::sqlite("http-openapi-product").await;
    let document = app.browser().get("/api/openapi.json").await.json();
    let schemas = &document["components"]["schemas"];
    let file = &schemas["ProductFile"];
    assert_eq!(file["required"], json!(["sku", "name", "price", "stock"]));

    // Every member of a saved product, as the API returns it, is described.
    let (mut owner, _) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let product = ProductBuilder::new()
        .set(
            "/detail_page",
            json!({"template": "warm", "headline": "전주의 맛"}),
        )
        .json();
    let saved = owner.post("/api/v1/products", product).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    let described: Vec<&String> = file["properties"].as_object().unwrap().keys().collect();
    for member in saved.json()["product"].as_object().unwrap().keys() {
        assert!(
            described.contains(&member),
            "{member} is not in the document"
        );
    }

    // Each notice type, with its own items; an item it does not have is refused.
    let notice = &file["properties"]["notice"]["oneOf"][0]["oneOf"];
    let kinds = notice.as_array().unwrap();
    assert_eq!(
        kinds.len(),
        gachi_domain::catalog::notice::all().len(),
        "every notice type"
    );
    let food = kinds
        .iter()
        .find(|k| k["properties"]["type"]["enum"] == json!(["GENERAL_FOOD"]))
        .expect("가공식품");
    let fields = &food["properties"]["fields"];
    assert_eq!(fields["additionalProperties"], false);
    assert!(
        fields["required"]
            .as_array()
            .unwrap()
            .contains(&json!("foodType"))
    );

    // Amounts are documented in their accepted range.
    let price = &file["properties"]["price"]["oneOf"][0];
    assert_eq!(
        (price["minimum"].as_i64(), price["maximum"].as_i64()),
        (Some(1), Some(999_999_990))
    );

    // The bodies that create and change a product point at it.
    let create = &document["paths"]["/api/v1/products"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"]["$ref"];
    assert_eq!(create, "#/components/schemas/NewProduct");
    let returned = &schemas["ProductBody"]["properties"]["product"]["$ref"];
    assert_eq!(returned, "#/components/schemas/ProductFile");
}

/// Every operation names the errors it can answer: 400 and 404 where its address holds an id,
/// 401 where it needs a token, 429 where it writes.
#[tokio::test]
async fn every_operation_documents_its_errors() {
    let app = TestApp::sqlite("http-openapi-errors").await;
    let document = app.browser().get("/api/openapi.json").await.json();
    let mut missing = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let mut expect = Vec::new();
            if path.contains('{') {
                expect.extend(["400", "404"]);
            }
            if operation["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty())
            {
                expect.push("401");
            }
            if method != "get" {
                expect.push("429");
            }
            for status in expect {
                if !responses.contains_key(status) {
                    missing.push(format!("{method} {path}: {status}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "undocumented: {missing:#?}");
}

/// What axum itself refuses — an id too large for a number, a body that is a list — is a JSON
/// error in the caller's language like every other, not plain text.
#[tokio::test]
async fn malformed_requests_get_json_errors() {
    let app = TestApp::sqlite("http-api-malformed").await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let too_large = operator
        .get("/api/v1/products/99999999999999999999999")
        .await;
    assert_eq!(too_large.status, StatusCode::BAD_REQUEST);
    assert_eq!(too_large.headers["content-type"], "application/json");
    assert_eq!(too_large.json()["error"], "bad_request");
    assert!(
        too_large.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("요청 형식이 올바르지 않습니다"),
        "{}",
        too_large.body
    );
    let wrong_query = operator.get("/api/v1/merchants?limit=many").await;
    assert_eq!(wrong_query.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong_query.json()["error"], "bad_request");

    // serde would read a struct from a list of its members; no client means that.
    let list = operator
        .put("/api/v1/community/helping", json!([true, false]))
        .await;
    assert_eq!(
        list.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        list.body
    );
    let helping = operator.get("/api/v1/community/helping").await.json();
    assert_eq!(helping["opted_in"], false, "nothing was saved");
}

/// Amounts written as people write them are kept as whole numbers, so a product reads back in
/// the form the document describes.
#[tokio::test]
async fn written_amounts_are_kept_as_numbers() {
    let app = TestApp::sqlite("http-api-amounts").await;
    let (mut owner, _) = ShopBuilder::new().owned_by(OWNER).build(&app).await;
    let product = ProductBuilder::new()
        .set("/price", "15,900원")
        .set("/list_price", "1.99만")
        .set("/shipping/fee", 3000.0)
        .json();
    let saved = owner.post("/api/v1/products", product).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    let id = saved.json()["id"].as_i64().unwrap();
    let read = owner.get(&format!("/api/v1/products/{id}")).await.json();
    assert_eq!(read["product"]["price"], 15_900);
    assert_eq!(read["product"]["list_price"], 19_900);
    assert_eq!(read["product"]["shipping"]["fee"], 3_000);
}
