//! `gachi listing compile` from outside: a valid product's Naver payload validates against the
//! official OpenAPI document; a 120-character name for Coupang, a price of 15,905 for 11st or a
//! missing required notice field exit 1 naming the product field; Coupang's metadata and the
//! notice codes come from files; and categories loaded from the command line feed the web's
//! search, suggestions and Coupang validation.

use std::process::{Command, Output};

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{
    ProductBuilder, ShopBuilder, TempDir, TestApp, channels_dir, naver_schema_faults,
};

const BIN: &str = env!("CARGO_BIN_EXE_gachi");

/// A channels fixture as JSON.
fn fixture(name: &str) -> Value {
    ProductBuilder::fixture(name).json()
}

/// The path of a channels fixture, as an argument.
fn fixture_arg(name: &str) -> String {
    channels_dir()
        .join("fixtures")
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
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

/// The errors of a compile that exited 1.
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

/// Whether one error names `field` for `channel`, with a message and a code.
fn names_field(errors: &[Value], channel: &str, field: &str) -> bool {
    errors.iter().any(|e| {
        e["channel"] == channel
            && e["field"] == field
            && e["message"].as_str().is_some_and(|m| !m.is_empty())
            && e["code"].is_string()
    })
}

/// The standard output of a compile that succeeded.
fn compiled(out: Output) -> Vec<u8> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    out.stdout
}

#[test]
fn a_valid_product_compiles_to_a_naver_body_that_the_official_schema_accepts() {
    let dir = TempDir::new("listing-naver");
    let out = compile(&dir, "naver", &fixture("bibimbap.json"), &[], "ko");
    let body: Value = serde_json::from_slice(&compiled(out)).unwrap();
    let faults = naver_schema_faults(&body);
    assert!(faults.is_empty(), "{faults:#?}");
    assert_eq!(
        body["originProduct"]["name"],
        "전주 한옥마을 비빔밥 밀키트 2인분"
    );
}

#[test]
fn a_long_name_an_odd_price_and_a_missing_notice_field_exit_1_naming_the_field() {
    let dir = TempDir::new("listing-faults");
    let seller = fixture_arg("seller.json");
    let seller = ["--seller", seller.as_str()];

    let long_name = ProductBuilder::fixture("phone-holder.json").set("/name", "차".repeat(120));
    let found = errors(&compile(&dir, "coupang", &long_name.json(), &seller, "ko"));
    assert!(names_field(&found, "coupang", "name"), "{found:#?}");

    let odd_price = ProductBuilder::fixture("bibimbap.json").set("/price", 15905);
    let found = errors(&compile(&dir, "11st", &odd_price.json(), &seller, "en"));
    assert!(names_field(&found, "11st", "price"), "{found:#?}");
    let message = found.iter().find(|e| e["field"] == "price").unwrap()["message"].clone();
    assert!(message.as_str().unwrap().contains("10 won"), "{message}");

    let no_food_type = ProductBuilder::fixture("bibimbap.json").without("/notice/fields/foodType");
    let found = errors(&compile(&dir, "naver", &no_food_type.json(), &[], "ko"));
    assert!(
        names_field(&found, "naver", "notice.fields.foodType"),
        "{found:#?}"
    );
}

#[test]
fn coupang_metadata_and_notice_codes_come_from_files() {
    let dir = TempDir::new("listing-files");
    let out = compile(
        &dir,
        "coupang",
        &fixture("phone-holder.json"),
        &[
            "--seller",
            &fixture_arg("seller.json"),
            "--coupang-meta",
            &fixture_arg("coupang-meta-78877.json"),
        ],
        "ko",
    );
    let body: Value = serde_json::from_slice(&compiled(out)).unwrap();
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
            &fixture_arg("seller.json"),
            "--notice-codes-11st",
            &fixture_arg("notice-codes.example.json"),
        ],
        "ko",
    );
    let xml = String::from_utf8(compiled(out)).unwrap();
    assert!(xml.contains("<ProductNotification><type>891011</type>"));
}

/// Operators load category trees, a category's metadata and notice codes from the command line;
/// the web then searches and suggests categories, and a Coupang listing passes once the shop's
/// Wing settings are in (the metadata feeds the notice and option checks).
#[tokio::test]
async fn loaded_categories_feed_search_suggestions_and_coupang_validation() {
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
    let meta = fixture_arg("coupang-meta-78877.json");
    run(&[
        "channels",
        "import-category-meta",
        "--channel",
        "coupang",
        "--code",
        "78877",
        &meta,
    ]);
    assert!(
        run(&[
            "channels",
            "import-notice-codes",
            "--channel",
            "11st",
            &fixture_arg("notice-codes.example.json"),
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
            &meta,
        ])
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
    let (mut api, shop) = ShopBuilder::new()
        .name("한빛카")
        .region("41190")
        .owned_by("holder@shop.kr")
        .build(&app)
        .await;
    let id = ProductBuilder::fixture("phone-holder.json")
        .create(&mut api)
        .await;

    let found = api
        .get("/api/v1/categories?channel=coupang&q=%EA%B1%B0%EC%B9%98%EB%8C%80")
        .await
        .json();
    assert_eq!(found[0]["code"], "78877", "{found}");
    assert_eq!(found[0]["has_meta"], true);
    let suggested = api
        .get("/api/v1/categories?channel=coupang&suggest_for=%EC%B0%A8%EB%9F%89%EC%9A%A9%20%EC%8A%A4%EB%A7%88%ED%8A%B8%ED%8F%B0%20%EA%B1%B0%EC%B9%98%EB%8C%80")
        .await
        .json();
    assert_eq!(suggested[0]["path"], "자동차용품>스마트폰 거치대");

    // With the metadata loaded and the Wing settings in, Coupang would accept the product.
    let settings = std::fs::read_to_string(fixture_arg("seller.json")).unwrap();
    let settings: Value = serde_json::from_str(&settings).unwrap();
    let user = app
        .store()
        .user_by_email("holder@shop.kr")
        .await
        .unwrap()
        .unwrap();
    app.state
        .market_accounts()
        .save(
            &user,
            &gachi_domain::kernel::audit::Actor::system(),
            gachi_domain::merchants::merchant::MerchantId(shop),
            gachi_domain::kernel::channel::Channel::Coupang,
            &settings["coupang"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(name, value)| {
                    let text = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    (name.clone(), text)
                })
                .collect(),
            None,
        )
        .await
        .unwrap();
    let validated = api
        .post_empty(&format!("/api/v1/products/{id}/listings/coupang/validate"))
        .await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    let validated = validated.json();
    assert_eq!(validated["ready"], true, "{validated:#}");
    let payload: Value = serde_json::from_str(validated["payload"].as_str().unwrap()).unwrap();
    assert_eq!(
        payload["items"][0]["notices"][0]["noticeCategoryName"],
        "기타 재화"
    );
}
