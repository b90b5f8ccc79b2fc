//! `gachi listing compile` as the issue checks it from outside: a valid product's Naver payload
//! validates against the official OpenAPI document, and a 120-character name for Coupang, a
//! price of 15,905 for 11st or a missing required notice field exit 1 naming the product field.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_gachi");

fn channels_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../channels")
}

fn fixture(name: &str) -> Value {
    let path = channels_dir().join("fixtures").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn compile(dir: &TempDir, channel: &str, product: &Value, extra: &[&str], lang: &str) -> Output {
    let path = dir.path().join(format!("{channel}-product.json"));
    std::fs::write(&path, serde_json::to_vec(product).unwrap()).unwrap();
    Command::new(BIN)
        .args(["listing", "compile", "--channel", channel])
        .arg(&path)
        .args(extra)
        .env("GACHI_LANG", lang)
        .env("GACHI_LOG", "warn")
        .output()
        .unwrap()
}

fn errors(out: &Output) -> Vec<Value> {
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    body["errors"].as_array().unwrap().clone()
}

fn names_field(errors: &[Value], channel: &str, field: &str) -> bool {
    errors.iter().any(|e| {
        e["channel"] == channel
            && e["field"] == field
            && e["message"].as_str().is_some_and(|m| !m.is_empty())
            && e["code"].is_string()
    })
}

#[test]
fn a_valid_product_compiles_to_a_naver_body_that_the_official_schema_accepts() {
    let dir = TempDir::new("listing-naver");
    let out = compile(&dir, "naver", &fixture("bibimbap.json"), &[], "ko");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    let spec_path = channels_dir().join("specs/naver-openapi-2.0.0-RC.json");
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(spec_path).unwrap()).unwrap();
    let schema =
        gachi_channels::spec_check::request_schema_name(&document, "/v2/products", "post").unwrap();
    let faults = gachi_channels::spec_check::openapi(&document, schema, &body);
    assert!(faults.is_empty(), "{faults:#?}");
    assert_eq!(
        body["originProduct"]["name"],
        "전주 한옥마을 비빔밥 밀키트 2인분"
    );
}

#[test]
fn the_issue_s_three_faults_exit_1_naming_the_product_field() {
    let dir = TempDir::new("listing-faults");
    let seller = channels_dir().join("fixtures/seller.json");
    let seller = seller.to_str().unwrap();

    let mut long_name = fixture("phone-holder.json");
    long_name["name"] = "차".repeat(120).into();
    let found = errors(&compile(
        &dir,
        "coupang",
        &long_name,
        &["--seller", seller],
        "ko",
    ));
    assert!(names_field(&found, "coupang", "name"), "{found:#?}");

    let mut odd_price = fixture("bibimbap.json");
    odd_price["price"] = 15905.into();
    let found = errors(&compile(
        &dir,
        "11st",
        &odd_price,
        &["--seller", seller],
        "en",
    ));
    assert!(names_field(&found, "11st", "price"), "{found:#?}");
    let message = found.iter().find(|e| e["field"] == "price").unwrap()["message"].clone();
    assert!(message.as_str().unwrap().contains("10 won"), "{message}");

    let mut no_food_type = fixture("bibimbap.json");
    no_food_type["notice"]["fields"]
        .as_object_mut()
        .unwrap()
        .remove("foodType");
    let found = errors(&compile(&dir, "naver", &no_food_type, &[], "ko"));
    assert!(
        names_field(&found, "naver", "notice.fields.foodType"),
        "{found:#?}"
    );
}

#[test]
fn coupang_metadata_and_notice_codes_come_from_files() {
    let dir = TempDir::new("listing-files");
    let fixtures = channels_dir().join("fixtures");
    let arg = |name: &str| fixtures.join(name).to_str().unwrap().to_owned();
    let out = compile(
        &dir,
        "coupang",
        &fixture("phone-holder.json"),
        &[
            "--seller",
            &arg("seller.json"),
            "--coupang-meta",
            &arg("coupang-meta-78877.json"),
        ],
        "ko",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        body["items"][0]["notices"][0]["noticeCategoryName"],
        "기타 재화"
    );

    let out = compile(
        &dir,
        "11st",
        &fixture("bibimbap.json"),
        &[
            "--seller",
            &arg("seller.json"),
            "--notice-codes-11st",
            &arg("notice-codes.example.json"),
        ],
        "ko",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.contains("<ProductNotification><type>891011</type>"));
}

/// Operators load category trees, a category's metadata and notice codes from the command line;
/// the web then searches and suggests categories, and a Coupang listing passes once the shop's
/// Wing settings are in (the metadata feeds the notice and option checks).
#[tokio::test]
async fn loaded_categories_feed_search_suggestions_and_coupang_validation() {
    use crate::support::{TestApp, api_request};
    use axum::http::StatusCode;

    let dir = TempDir::new("categories");
    let data = dir.path().join("data");
    let tree = dir.path().join("coupang-tree.json");
    std::fs::write(
        &tree,
        r#"{"code":"SUCCESS","data":{"displayCategoryCode":0,"name":"ROOT","status":"ACTIVE","child":[
            {"displayCategoryCode":78000,"name":"자동차용품","status":"ACTIVE","child":[
              {"displayCategoryCode":78877,"name":"스마트폰 거치대","status":"ACTIVE","child":[]}]},
            {"displayCategoryCode":59258,"name":"식품","status":"ACTIVE","child":[
              {"displayCategoryCode":58927,"name":"밀키트","status":"ACTIVE","child":[]}]}]}}"#,
    )
    .unwrap();
    let fixtures = channels_dir().join("fixtures");
    let run = |args: &[&str]| {
        let (ok, stdout, stderr) = crate::import::gachi(&data, args);
        assert!(ok, "{args:?}: {stderr}");
        stdout
    };
    assert!(
        run(&[
            "channels",
            "import-categories",
            "--channel",
            "coupang",
            tree.to_str().unwrap()
        ])
        .contains("loaded 2 coupang")
    );
    let meta = fixtures.join("coupang-meta-78877.json");
    run(&[
        "channels",
        "import-category-meta",
        "--channel",
        "coupang",
        "--code",
        "78877",
        meta.to_str().unwrap(),
    ]);
    let codes = fixtures.join("notice-codes.example.json");
    assert!(
        run(&[
            "channels",
            "import-notice-codes",
            "--channel",
            "11st",
            codes.to_str().unwrap()
        ])
        .contains("1 types")
    );
    let unknown = Command::new(BIN)
        .args([
            "channels",
            "import-category-meta",
            "--channel",
            "coupang",
            "--code",
            "11111",
        ])
        .arg(&meta)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        !unknown.status.success(),
        "metadata of a category that is not loaded is refused"
    );

    let store = std::sync::Arc::new(gachi_store::SqliteStore::open_dir(&data).await.unwrap());
    let app = TestApp::new(store);
    let token = app.token("holder@shop.kr", "merchant").await;
    let mut api = app.browser();
    let shop = serde_json::json!({"name": "한빛카", "business_number": "2208162517", "region_code": "41190", "industry_code": "I20101"});
    assert_eq!(
        api.send(api_request(
            "POST",
            "/api/v1/merchants",
            Some(&token),
            Some(shop)
        ))
        .await
        .status,
        StatusCode::CREATED
    );
    let created = api
        .send(api_request(
            "POST",
            "/api/v1/products",
            Some(&token),
            Some(fixture("phone-holder.json")),
        ))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();

    let found = api
        .send(api_request(
            "GET",
            "/api/v1/categories?channel=coupang&q=%EA%B1%B0%EC%B9%98%EB%8C%80",
            Some(&token),
            None,
        ))
        .await
        .json();
    assert_eq!(found[0]["code"], "78877", "{found}");
    assert_eq!(found[0]["has_meta"], true);
    let suggested = api
        .send(api_request("GET", "/api/v1/categories?channel=coupang&suggest_for=%EC%B0%A8%EB%9F%89%EC%9A%A9%20%EC%8A%A4%EB%A7%88%ED%8A%B8%ED%8F%B0%20%EA%B1%B0%EC%B9%98%EB%8C%80", Some(&token), None))
        .await
        .json();
    assert_eq!(suggested[0]["path"], "자동차용품>스마트폰 거치대");

    // With the metadata loaded and the Wing settings in, Coupang would accept the product.
    let settings = std::fs::read_to_string(fixtures.join("seller.json")).unwrap();
    let settings: serde_json::Value = serde_json::from_str(&settings).unwrap();
    let user = app
        .state
        .store()
        .user_by_email("holder@shop.kr")
        .await
        .unwrap()
        .unwrap();
    let shop = app
        .state
        .store()
        .merchant_of_owner(user.id)
        .await
        .unwrap()
        .unwrap();
    gachi_domain::listing::market_account::MarketAccounts {
        store: app.state.store(),
        clock: app.state.clock(),
    }
    .save(
        &user,
        &gachi_domain::kernel::audit::Actor::system(),
        shop.id,
        "coupang",
        &settings["coupang"].to_string(),
        None,
    )
    .await
    .unwrap();
    let validated = api
        .send(api_request(
            "POST",
            &format!("/api/v1/products/{id}/listings/coupang/validate"),
            Some(&token),
            None,
        ))
        .await
        .json();
    assert_eq!(validated["ready"], true, "{validated:#}");
    let payload: serde_json::Value =
        serde_json::from_str(validated["payload"].as_str().unwrap()).unwrap();
    assert_eq!(
        payload["items"][0]["notices"][0]["noticeCategoryName"],
        "기타 재화"
    );
}
