//! The adapters held to the marketplaces' published schemas and to their listing rules, with
//! the fixtures under `fixtures/` (a GENERAL_FOOD meal kit with two options, a car phone holder
//! for the real Coupang category-metadata sample 78877) and the schemas under `specs/`.

use std::sync::OnceLock;

use gachi_domain::catalog::product::{Loose, ProductFile};
use serde_json::Value;

use crate::listing::{
    CODES, Context, CoupangCategoryMeta, Issue, NoticeCodes, SellerSettings, compile, validate,
};
use crate::spec_check;
use gachi_domain::kernel::channel::Channel;

const NAVER_OPENAPI: &str = include_str!("../specs/naver-openapi-2.0.0-RC.json");
const COUPANG_TREE: &str = include_str!("../specs/coupang-create-seller-product.json");

fn bibimbap() -> ProductFile {
    serde_json::from_str(include_str!("../fixtures/bibimbap.json")).unwrap()
}

fn phone_holder() -> ProductFile {
    serde_json::from_str(include_str!("../fixtures/phone-holder.json")).unwrap()
}

fn context() -> Context {
    let meta: CoupangCategoryMeta =
        serde_json::from_str(include_str!("../fixtures/coupang-meta-78877.json")).unwrap();
    let codes: NoticeCodes =
        serde_json::from_str(include_str!("../fixtures/notice-codes.example.json")).unwrap();
    Context {
        seller: serde_json::from_str::<SellerSettings>(include_str!("../fixtures/seller.json"))
            .unwrap(),
        coupang_meta: [("78877".to_owned(), meta)].into(),
        elevenst_notice_codes: codes.clone(),
        esm_notice_codes: codes,
        now_seoul: "2026-11-24T10:00:00".into(),
    }
}

fn naver_document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::from_str(NAVER_OPENAPI).unwrap())
}

fn compiled(channel: Channel, file: &ProductFile) -> Vec<u8> {
    let mut out = Vec::new();
    match compile(channel, file, &context(), &mut out) {
        Ok(_) => out,
        Err(issues) => panic!("{channel:?} rejected the product: {issues:#?}"),
    }
}

fn json(channel: Channel, file: &ProductFile) -> Value {
    serde_json::from_slice(&compiled(channel, file)).unwrap()
}

fn issues(channel: Channel, file: &ProductFile) -> Vec<Issue> {
    validate(channel, file, &context())
        .into_iter()
        .filter(|i| !i.warning)
        .collect()
}

fn has(issues: &[Issue], field: &str, code: &str) -> bool {
    issues.iter().any(|i| i.field == field && i.code == code)
}

#[test]
fn naver_payload_validates_against_the_official_openapi_document() {
    let doc = naver_document();
    let schema = spec_check::request_schema_name(doc, "/v2/products", "post").unwrap();
    let body = json(Channel::Naver, &bibimbap());
    let faults = spec_check::openapi(doc, schema, &body);
    assert!(faults.is_empty(), "{faults:#?}\n{body:#}");

    let origin = &body["originProduct"];
    // The list price is shown as Smart Store shows it: the sale price with an immediate discount.
    assert_eq!(origin["salePrice"], 19900);
    assert_eq!(
        origin["customerBenefit"]["immediateDiscountPolicy"]["discountMethod"]["value"],
        4000
    );
    assert_eq!(origin["stockQuantity"], 120);
    let notice = &origin["detailAttribute"]["productInfoProvidedNotice"];
    assert_eq!(notice["productInfoProvidedNoticeType"], "GENERAL_FOOD");
    assert_eq!(notice["generalFood"]["foodType"], "즉석조리식품");
    assert_eq!(notice["generalFood"]["geneticallyModified"], false);
    let options = &origin["detailAttribute"]["optionInfo"];
    assert_eq!(
        options["optionCombinationGroupNames"]["optionGroupName1"],
        "맛"
    );
    assert_eq!(options["optionCombinations"][1]["price"], 1000);
    assert_eq!(
        origin["deliveryInfo"]["deliveryFee"]["deliveryFeeType"],
        "CONDITIONAL_FREE"
    );
    let detail = origin["detailContent"].as_str().unwrap();
    assert!(detail.contains("식품의 유형") && !detail.contains("<script"));
}

#[test]
fn the_schema_check_itself_catches_faults() {
    let doc = naver_document();
    let schema = spec_check::request_schema_name(doc, "/v2/products", "post").unwrap();
    let mut body = json(Channel::Naver, &bibimbap());
    body["originProduct"]["salePrice"] = 1_000_000_000.into();
    body["originProduct"]["statusType"] = "SOLD".into();
    body["originProduct"]["detailAttribute"]
        .as_object_mut()
        .unwrap()
        .remove("afterServiceInfo");
    let faults = spec_check::openapi(doc, schema, &body);
    for expected in [
        "/originProduct/salePrice",
        "/originProduct/statusType",
        "/originProduct/detailAttribute/afterServiceInfo: required",
    ] {
        assert!(
            faults.iter().any(|f| f.contains(expected)),
            "{expected} not in {faults:#?}"
        );
    }
}

#[test]
fn coupang_payload_follows_the_parameter_tree_and_the_category_metadata() {
    let tree: Value = serde_json::from_str(COUPANG_TREE).unwrap();
    let body = json(Channel::Coupang, &phone_holder());
    let faults = spec_check::coupang_tree(&tree["parameters"]["bodyParameters"], &body);
    assert!(faults.is_empty(), "{faults:#?}\n{body:#}");
    assert_eq!(body["displayCategoryCode"], 78877);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["itemName"], "차량용 스마트폰 거치대 송풍구형 2개");
    assert_eq!(items[1]["salePrice"], 23900);
    assert_eq!(items[1]["originalPrice"], 23900);
    assert_eq!(items[1]["maximumBuyCount"], 100);
    assert_eq!(items[1]["externalVendorSku"], "CAR-HOLD-01-2");
    assert_eq!(
        items[1]["attributes"],
        serde_json::json!([
            { "attributeTypeName": "수량", "attributeValueName": "2개", "exposed": "EXPOSED" }
        ])
    );
    // The members every item repeats are the same in each.
    for key in [
        "images",
        "notices",
        "contents",
        "taxType",
        "outboundShippingTimeDay",
    ] {
        assert_eq!(items[0][key], items[1][key], "{key}");
    }
    let images = items[0]["images"].as_array().unwrap();
    assert_eq!(
        images
            .iter()
            .filter(|i| i["imageType"] == "REPRESENTATION")
            .count(),
        1
    );
    let notices = items[0]["notices"].as_array().unwrap();
    let detail = |name: &str| {
        notices
            .iter()
            .find(|n| n["noticeCategoryDetailName"] == name)
            .map(|n| n["content"].as_str().unwrap().to_owned())
    };
    assert!(
        notices
            .iter()
            .all(|n| n["noticeCategoryName"] == "기타 재화")
    );
    assert_eq!(
        detail("품명 및 모델명").as_deref(),
        Some("차량용 스마트폰 거치대 / HB-100")
    );
    assert_eq!(detail("제조국(원산지)").as_deref(), Some("대한민국"));
    assert_eq!(
        detail("소비자상담 관련 전화번호").as_deref(),
        Some("032-555-0100")
    );
}

#[test]
fn coupang_writes_one_item_for_a_product_without_options_and_escapes_its_texts() {
    let mut file = phone_holder();
    file.options.clear();
    file.variants.clear();
    file.name = "거치대 \"고급형\" \\ 1+1".into();
    file.stock = Some(gachi_domain::catalog::product::Loose::Int(7));
    let body = json(Channel::Coupang, &file);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["itemName"], "거치대 \"고급형\" \\ 1+1");
    assert_eq!(items[0]["maximumBuyCount"], 7);
    assert_eq!(items[0]["externalVendorSku"], file.sku.as_str());
    assert_eq!(items[0]["attributes"], serde_json::json!([]));
    let tree: Value = serde_json::from_str(COUPANG_TREE).unwrap();
    let faults = spec_check::coupang_tree(&tree["parameters"]["bodyParameters"], &body);
    assert!(faults.is_empty(), "{faults:#?}");
}

#[test]
fn coupang_search_tags_take_letters_digits_spaces_and_its_listed_marks() {
    let mut file = phone_holder();
    file.tags = vec![
        "차량용 거치대".into(),
        "#1+1!".into(),
        "Ωmega".into(),
        "거치대♥".into(),
        "선물😀".into(),
    ];
    let found = issues(Channel::Coupang, &file);
    assert!(!has(&found, "tags[0]", "listing-tag-chars"));
    assert!(!has(&found, "tags[1]", "listing-tag-chars"));
    assert!(!has(&found, "tags[2]", "listing-tag-chars"));
    assert!(has(&found, "tags[3]", "listing-tag-chars"));
    assert!(has(&found, "tags[4]", "listing-tag-chars"));
}

#[test]
fn coupang_refuses_a_notice_or_option_its_category_does_not_take() {
    // The meal kit's notice is 가공식품; the car category offers 자동차용품 and 기타 재화 only.
    let mut file = bibimbap();
    file.channel_categories
        .insert("coupang".into(), Some("78877".into()));
    let found = issues(Channel::Coupang, &file);
    assert!(
        has(&found, "notice.type", "listing-notice-category"),
        "{found:#?}"
    );
    assert!(has(&found, "options[0].name", "listing-attribute-unknown"));
    // Coupang sells in 10-won steps.
    file.price = Some(Loose::Int(15905));
    assert!(has(
        &issues(Channel::Coupang, &file),
        "price",
        "listing-price-step"
    ));
}

#[test]
fn a_coupang_item_name_counts_the_product_name_and_the_variant_values() {
    // 100 + (1 + 16) × 2 + 1 + 15 = 150 characters, the longest item name Coupang takes; one
    // more in the last value is too long.
    let mut file = phone_holder();
    file.name = "가".repeat(100);
    let group = |name: &str, values: [String; 2]| gachi_domain::catalog::product::OptionGroup {
        name: name.into(),
        values: values.into(),
    };
    file.options = vec![
        group("수량", ["나".repeat(16), "다".repeat(16)]),
        group("색상", ["나".repeat(16), "다".repeat(16)]),
        group("크기", ["라".repeat(15), "마".repeat(16)]),
    ];
    file.variants[0].values = vec!["나".repeat(16), "나".repeat(16), "라".repeat(15)];
    file.variants[1].values = vec!["나".repeat(16), "나".repeat(16), "마".repeat(16)];
    let found = issues(Channel::Coupang, &file);
    assert!(
        !has(&found, "variants[0].values", "listing-too-long"),
        "{found:#?}"
    );
    assert!(
        has(&found, "variants[1].values", "listing-too-long"),
        "{found:#?}"
    );
}

#[test]
fn known_listing_faults_name_the_product_field() {
    let mut long = phone_holder();
    long.name = "가".repeat(120);
    let found = issues(Channel::Coupang, &long);
    assert!(found.iter().any(|i| i.field == "name"), "{found:#?}");

    let mut odd_price = bibimbap();
    odd_price.price = Some(Loose::Int(15905));
    let found = issues(Channel::ElevenSt, &odd_price);
    assert!(has(&found, "price", "listing-price-step"), "{found:#?}");

    let mut no_food_type = bibimbap();
    no_food_type
        .notice
        .as_mut()
        .unwrap()
        .fields
        .remove("foodType");
    for channel in Channel::ALL {
        let found = issues(channel, &no_food_type);
        assert!(
            has(&found, "notice.fields.foodType", "error-notice-required"),
            "{channel:?}: {found:#?}"
        );
    }
}

#[test]
fn naver_rules_beyond_the_common_checks() {
    let mut file = bibimbap();
    file.images.as_mut().unwrap().extra = (0..10)
        .map(|i| format!("https://shop.example.kr/{i}.jpg"))
        .collect();
    file.variants[1].price_delta = Some(Loose::Int(9000)); // over +50 % of 15,900
    file.after_service.as_mut().unwrap().guide.clear();
    file.minor_purchasable = None;
    file.origin = Some(gachi_domain::catalog::product::OriginFile {
        kind: "imported".into(),
        country: Some("베트남".into()),
        ..Default::default()
    });
    file.channel_categories.remove("naver");
    let found = issues(Channel::Naver, &file);
    for (field, code) in [
        ("images.extra", "listing-too-many-images"),
        ("variants[1].price_delta", "listing-option-price-range"),
        ("after_service.guide", "listing-required"),
        ("minor_purchasable", "listing-required"),
        ("origin.importer", "listing-required"),
        ("channel_categories.naver", "listing-category-missing"),
    ] {
        assert!(has(&found, field, code), "{field} {code} not in {found:#?}");
    }
    assert!(found.iter().all(|i| i.channel == Channel::Naver));
}

#[test]
fn elevenst_writes_xml_with_its_codes_and_refuses_what_it_would_reject() {
    let xml = String::from_utf8(compiled(Channel::ElevenSt, &bibimbap())).unwrap();
    for expected in [
        "<selPrc>15900</selPrc>",
        "<prdSelQty>120</prdSelQty>",
        "<dlvEtprsCd>00034</dlvEtprsCd>",
        "<dlvCstInstBasiCd>03</dlvCstInstBasiCd>",
        "<prdNm><![CDATA[전주 한옥마을 비빔밥 밀키트 2인분]]></prdNm>",
        "<optionMappingKey>맛:매운맛</optionMappingKey>",
        "<type>891011</type>",
        "<item><code>900002</code><name>즉석조리식품</name></item>",
    ] {
        assert!(xml.contains(expected), "{expected} not in {xml}");
    }
    assert!(xml.starts_with("<?xml") && xml.ends_with("</Product>"));

    let mut file = bibimbap();
    file.variants[1].price_delta = Some(Loose::Int(20000)); // over +100 %
    file.variants[0].price_delta = Some(Loose::Int(500));
    file.options[0].values[0] = "순한맛, 덜 매움".into();
    file.variants[0].values[0] = "순한맛, 덜 매움".into();
    file.shipping.as_mut().unwrap().fee = Some(Loose::Int(2995));
    let found = issues(Channel::ElevenSt, &file);
    for (field, code) in [
        ("variants[1].price_delta", "listing-option-price-range"),
        ("variants", "listing-option-zero-price"),
        ("options[0].values", "listing-option-chars"),
        ("shipping.fee", "listing-price-step"),
    ] {
        assert!(has(&found, field, code), "{field} {code} not in {found:#?}");
    }
    // Without the (non-public) notice code table the adapter says so instead of guessing.
    let mut bare = context();
    bare.elevenst_notice_codes = NoticeCodes::default();
    let found = validate(Channel::ElevenSt, &bibimbap(), &bare);
    assert!(has(&found, "notice.type", "listing-notice-codes-missing"));
}

#[test]
fn esm_payload_carries_the_seller_s_policies_and_refuses_options() {
    let mut file = bibimbap();
    file.options.clear();
    file.variants.clear();
    let body = json(Channel::Esm, &file);
    let info = &body["itemAddtionalInfo"];
    assert_eq!(info["price"]["Gmkt"], 15900);
    assert_eq!(info["shipping"]["dispatchPolicyNo"]["gmkt"], "2001");
    assert_eq!(info["officialNotice"]["officialNoticeNo"], "891011");
    assert_eq!(
        info["images"]["addtionalImg2URL"],
        "https://shop.example.kr/img/bibim-3.jpg"
    );
    let found = issues(Channel::Esm, &bibimbap());
    assert!(has(&found, "options", "listing-options-unsupported"));
    let found = validate(Channel::Esm, &file, &Context::default());
    assert!(has(
        &found,
        "seller.esm.place_no",
        "listing-setting-missing"
    ));
}

#[test]
fn a_product_without_seller_settings_names_each_missing_setting() {
    let found = validate(Channel::Coupang, &phone_holder(), &Context::default());
    for setting in ["vendor_id", "vendor_user_id", "return_center_code"] {
        assert!(has(
            &found,
            &format!("seller.coupang.{setting}"),
            "listing-setting-missing"
        ));
    }
    assert!(has(
        &found,
        "channel_categories.coupang",
        "listing-category-meta-missing"
    ));
}

#[test]
fn a_failed_compile_writes_nothing_and_every_code_is_known() {
    let mut out = b"prefix".to_vec();
    let mut file = bibimbap();
    file.price = None;
    let found = compile(Channel::Naver, &file, &context(), &mut out).unwrap_err();
    assert_eq!(out, b"prefix");
    assert!(has(&found, "price", "error-required"));
    for issue in found {
        assert!(!issue.code.starts_with("listing-") || CODES.contains(&issue.code));
    }
}

#[test]
fn a_stored_photo_s_size_is_checked_against_each_marketplace_s_main_image_rule() {
    let photo = |w: u32, h: u32| {
        format!("https://gachi.example/media/0123456789abcdef0123456789abcdef-{w}x{h}.jpg")
    };
    let warnings = |channel: Channel, main: String| {
        let mut file = bibimbap();
        file.images.as_mut().unwrap().main = main;
        validate(channel, &file, &context())
            .into_iter()
            .filter(|i| i.field == "images.main")
            .map(|i| (i.code, i.warning, i.detail.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        warnings(Channel::Coupang, photo(1000, 800)),
        [(
            "listing-main-image-square",
            true,
            Some("1000×800".to_owned())
        )]
    );
    assert!(warnings(Channel::Coupang, photo(1000, 1000)).is_empty());
    assert!(warnings(Channel::ElevenSt, photo(1000, 800)).is_empty());
    assert_eq!(
        warnings(Channel::ElevenSt, photo(500, 500))[0].0,
        "listing-main-image-small"
    );
    assert!(
        warnings(Channel::Naver, photo(500, 300)).is_empty(),
        "Naver publishes no size rule here"
    );
    assert!(
        warnings(Channel::Coupang, "https://cdn.example/main.jpg".into()).is_empty(),
        "an image elsewhere has no known size"
    );
}
