//! Builders for what tests set up again and again: a shop (through the API or the 내 가게
//! form), a product file (the DESIGN.md 가공식품 example or a channels fixture, with
//! overrides), and diagnosis answers.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::{Api, Browser, Reply, TestApp, jpeg};

/// Valid business registration numbers, one per shop a test registers.
pub const NUMBERS: [&str; 3] = ["2208162517", "1068641434", "1018112341"];

/// The crates/channels directory: its fixtures and the marketplaces' official specs.
pub fn channels_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../channels")
}

/// What Naver's official OpenAPI document finds wrong with a `POST /v2/products` body.
pub fn naver_schema_faults(body: &Value) -> Vec<String> {
    let spec = channels_dir().join("specs/naver-openapi-2.0.0-RC.json");
    let document: Value = serde_json::from_str(&std::fs::read_to_string(spec).unwrap()).unwrap();
    let schema =
        gachi_channels::spec_check::request_schema_name(&document, "/v2/products", "post").unwrap();
    gachi_channels::spec_check::openapi(&document, schema, body)
}

/// A shop to register: 한옥식당 (a restaurant in 전주시 완산구) unless told otherwise.
#[derive(Clone)]
pub struct ShopBuilder {
    fields: Map<String, Value>,
    owner: Option<String>,
}

impl Default for ShopBuilder {
    fn default() -> Self {
        let fields = json!({
            "name": "한옥식당",
            "business_number": NUMBERS[0],
            "region_code": "52111",
            "industry_code": "I20101",
        });
        Self {
            fields: fields.as_object().unwrap().clone(),
            owner: None,
        }
    }
}

impl ShopBuilder {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn name(self, name: &str) -> Self {
        self.with("name", name)
    }
    pub fn business_number(self, number: &str) -> Self {
        self.with("business_number", number)
    }
    pub fn region(self, code: &str) -> Self {
        self.with("region_code", code)
    }
    pub fn industry(self, code: &str) -> Self {
        self.with("industry_code", code)
    }
    /// Any other field of the shop (phone, road_address, employees, online_channels…).
    pub fn with(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(field.into(), value.into());
        self
    }
    /// The merchant account that owns the shop, made by [`ShopBuilder::build`].
    pub fn owned_by(mut self, email: &str) -> Self {
        self.owner = Some(email.into());
        self
    }

    /// The JSON the API takes.
    pub fn json(&self) -> Value {
        Value::Object(self.fields.clone())
    }

    /// Registers the shop through the API as `api`'s account; its id.
    pub async fn create(&self, api: &mut Api) -> i64 {
        let created = api.post("/api/v1/merchants", self.json()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        created.json()["id"].as_i64().unwrap()
    }

    /// Makes the owner's merchant account and registers the shop as them: the owner's API
    /// client and the shop's id.
    pub async fn build(&self, app: &TestApp) -> (Api, i64) {
        let owner = self.owner.as_deref().expect("owned_by names the owner");
        let mut api = app.api_as(owner, "merchant").await;
        let id = self.create(&mut api).await;
        (api, id)
    }

    /// Registers the shop on the 내 가게 form as the signed-in merchant (the answer, unchecked).
    pub async fn register(&self, merchant: &mut Browser) -> Reply {
        let mut fields: Vec<(&str, String)> = Vec::new();
        for (name, value) in &self.fields {
            match value {
                Value::Array(items) => {
                    fields.extend(items.iter().map(|v| (name.as_str(), text(v))));
                }
                other => fields.push((name.as_str(), text(other))),
            }
        }
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        merchant.submit("/my-shop", "/my-shop", &borrowed).await
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The required 가공식품 (GENERAL_FOOD) notice fields with the standard answers: "see the
/// detail page", and `false` for the GMO question.
pub fn general_food_notice() -> Vec<(String, &'static str)> {
    gachi_domain::catalog::notice::find(GENERAL_FOOD_NOTICE)
        .unwrap()
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|field| {
            let value = if field.name == "geneticallyModified" {
                "false"
            } else {
                gachi_domain::catalog::notice::SEE_DETAIL_PAGE
            };
            (field.name.clone(), value)
        })
        .collect()
}

/// The notice type of processed food, the shops' usual product.
const GENERAL_FOOD_NOTICE: &str = "GENERAL_FOOD";

/// The DESIGN.md example product file, with a complete 가공식품 notice.
pub fn bibimbap_file() -> Value {
    let mut fields: Map<String, Value> = general_food_notice()
        .into_iter()
        .map(|(name, value)| (name, json!(value)))
        .collect();
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
        "notice": {"type": GENERAL_FOOD_NOTICE, "fields": fields},
        "shipping": {"fee": 3000, "free_over": 30000, "dispatch_days": 2, "courier": "CJGLS", "return_fee": 3000, "exchange_fee": 6000,
                     "ship_from": "전북특별자치도 전주시 완산구 동문길 67", "return_to": "전북특별자치도 전주시 완산구 동문길 67"},
        "after_service": {"phone": "063-123-4567", "guide": "평일 9시~18시"},
        "minor_purchasable": true,
        "tags": ["밀키트", "비빔밥"],
        "certifications": [{"kind": "HACCP", "number": "2023-1-1234"}]
    })
}

/// A product file: the DESIGN.md bibimbap (a valid 가공식품 product ready for Naver) unless
/// built from a channels fixture, with fields set or removed by JSON pointer.
#[derive(Clone)]
pub struct ProductBuilder {
    file: Value,
}

impl Default for ProductBuilder {
    fn default() -> Self {
        Self {
            file: bibimbap_file(),
        }
    }
}

impl ProductBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A product file from crates/channels/fixtures.
    pub fn fixture(name: &str) -> Self {
        let path = channels_dir().join("fixtures").join(name);
        Self {
            file: serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap(),
        }
    }

    pub fn sku(self, sku: &str) -> Self {
        self.set("/sku", sku)
    }

    /// Sets the field at `pointer` (e.g. `/channel_categories/coupang`), adding it if its
    /// parent object lacks it.
    pub fn set(mut self, pointer: &str, value: impl Into<Value>) -> Self {
        let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
        self.file
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("no object at {parent}"))
            .insert(key.to_owned(), value.into());
        self
    }

    /// Removes the field at `pointer`.
    pub fn without(mut self, pointer: &str) -> Self {
        let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
        self.file
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("no object at {parent}"))
            .remove(key)
            .unwrap_or_else(|| panic!("no {pointer} to remove"));
        self
    }

    pub fn json(&self) -> Value {
        self.file.clone()
    }

    /// Creates the product through the API as `api`'s account; its id.
    pub async fn create(&self, api: &mut Api) -> i64 {
        let created = api.post("/api/v1/products", self.json()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        created.json()["id"].as_i64().unwrap()
    }

    /// Creates the product without its extra photos, then uploads one photo to Gachi as its
    /// main image (the fixtures' own photo addresses are not reachable from the tests); its id.
    pub async fn create_with_photo(&self, api: &mut Api) -> i64 {
        let id = self
            .clone()
            .set("/images/extra", json!([]))
            .create(api)
            .await;
        let photo = api
            .upload(
                &format!("/api/v1/products/{id}/images"),
                jpeg(800, 800),
                "image/jpeg",
            )
            .await;
        assert_eq!(photo.status, StatusCode::CREATED, "{}", photo.body);
        id
    }
}

/// Answers in the form of the questionnaire: the strongest product, the weakest online skills.
pub const MANAGED_ANSWERS: [(&str, &str); 10] = [
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

/// Diagnosis answers for the API: [`MANAGED_ANSWERS`] with some changed.
pub struct Answers(Map<String, Value>);

impl Answers {
    /// The answers that recommend a managed seller (product 79, online 20).
    pub fn managed() -> Self {
        Self(
            MANAGED_ANSWERS
                .iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect(),
        )
    }

    pub fn with(mut self, question: &str, answer: &str) -> Self {
        self.0.insert(question.into(), json!(answer));
        self
    }

    /// The body of `POST /api/v1/merchants/{id}/diagnosis`.
    pub fn json(&self) -> Value {
        json!({"answers": self.0})
    }

    /// Sends the answers as the diagnosis of shop `merchant` (the answer, unchecked).
    pub async fn submit(&self, api: &mut Api, merchant: i64) -> Reply {
        api.post(
            &format!("/api/v1/merchants/{merchant}/diagnosis"),
            self.json(),
        )
        .await
    }
}
