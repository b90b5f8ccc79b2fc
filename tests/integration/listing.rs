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
