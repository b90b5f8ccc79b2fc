//! The product master: "Product file v1" of DESIGN.md as a type, and the checks every channel
//! needs, each reported by its path in the file (`price`, `variants[2].values`,
//! `notice.fields.foodType`) so a form or the API can point at it. Channel-specific limits
//! (name lengths, image rules, price steps) belong to the channel adapters.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::catalog::notice::{self, NoticeType};
use crate::kernel::error::ValidationErrors;
use crate::kernel::text;
use crate::kernel::text::Trimmed;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_SKU_CHARS: usize = 50;
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 20;
pub const MAX_OPTION_GROUPS: usize = 3;
pub const MAX_VARIANTS: usize = 200;
pub const MAX_EXTRA_IMAGES: usize = 20;
/// The highest price any of the four marketplaces accepts (Naver: 999,999,990).
pub const MAX_PRICE: i64 = 999_999_990;
pub const MAX_STOCK: i64 = 99_999_999;

/// A number as written in a file: checked for being a whole number by the validator, so that
/// `15900.5` or `"만오천"` is a field error, not an unreadable file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Loose {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Loose {
    /// The value as a whole number, when it is one (`15900`, `15900.0`, `"15,900"`).
    #[inline]
    pub fn whole(&self) -> Option<i64> {
        match self {
            Loose::Int(n) => Some(*n),
            Loose::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => Some(*f as i64),
            Loose::Text(s) => written_number(s),
            Loose::Float(_) => None,
        }
    }

    /// A value as typed in a form or a spreadsheet: a whole number as people write amounts
    /// (`15,900`, `15,900원`, `1.5만`, or a negative for the check to name) is a number; anything
    /// else is kept as written, so the product check names the field.
    pub fn typed(text: &str) -> Loose {
        match written_number(text) {
            Some(n) => Loose::Int(n),
            None => Loose::Text(text.to_owned()),
        }
    }
}

/// `text` as a whole number: an amount as Koreans write one (`Krw`), or a plain negative.
fn written_number(text: &str) -> Option<i64> {
    match crate::kernel::money::Krw::parse_optional(text, "") {
        Ok(Some(won)) => Some(won.0),
        _ => text.trimmed().replace(',', "").parse().ok(),
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OptionGroup {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VariantFile {
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub values: Vec<String>,
    pub price_delta: Option<Loose>,
    pub stock: Option<Loose>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OriginFile {
    #[serde(default)]
    pub kind: String,
    pub region: Option<String>,
    pub country: Option<String>,
    /// The importer of an imported product (Naver requires it for imports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importer: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImagesFile {
    #[serde(default)]
    pub main: String,
    #[serde(default)]
    pub extra: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NoticeFile {
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Values by field name. A yes/no item may come as a JSON boolean, the type Naver itself
    /// uses; it is kept as `true`/`false`, which the yes/no rule reads like 예/아니오.
    #[serde(default, deserialize_with = "notice_values")]
    pub fields: BTreeMap<String, String>,
}

/// Reads the notice values: text, or a boolean for a yes/no item. Anything else (a number, a
/// list) is refused at that item's path.
fn notice_values<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    struct NoticeValue(String);
    impl<'de> Deserialize<'de> for NoticeValue {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl serde::de::Visitor<'_> for Visitor {
                type Value = NoticeValue;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("text, or a boolean for a yes/no item")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NoticeValue, E> {
                    Ok(NoticeValue(v.to_owned()))
                }
                fn visit_string<E: serde::de::Error>(self, v: String) -> Result<NoticeValue, E> {
                    Ok(NoticeValue(v))
                }
                fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<NoticeValue, E> {
                    Ok(NoticeValue(if v { "true" } else { "false" }.to_owned()))
                }
            }
            deserializer.deserialize_any(Visitor)
        }
    }
    let values = BTreeMap::<String, NoticeValue>::deserialize(deserializer)?;
    Ok(values.into_iter().map(|(k, v)| (k, v.0)).collect())
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShippingFile {
    pub fee: Option<Loose>,
    pub free_over: Option<Loose>,
    pub dispatch_days: Option<Loose>,
    pub courier: Option<String>,
    pub return_fee: Option<Loose>,
    pub exchange_fee: Option<Loose>,
    pub ship_from: Option<String>,
    pub return_to: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AfterServiceFile {
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub guide: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Certification {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub number: String,
}

/// A photo with its caption in the 상세페이지.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaptionedPhoto {
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub caption: String,
}

/// A row of the specs table, or a question with its answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub value: String,
}

/// The structured 상세페이지 (an extension of product file v1: files without it stay valid).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DetailPageFile {
    /// `clean`, `warm` or `bold`.
    #[serde(default)]
    pub template: String,
    /// The brand colour, `#RRGGBB`.
    #[serde(default)]
    pub color: String,
    #[serde(default)]
    pub headline: String,
    /// Up to three selling points.
    #[serde(default)]
    pub selling_points: Vec<String>,
    /// The story of the shop and the maker.
    #[serde(default)]
    pub story: String,
    #[serde(default)]
    pub photos: Vec<CaptionedPhoto>,
    #[serde(default)]
    pub specs: Vec<Pair>,
    #[serde(default)]
    pub faq: Vec<Pair>,
}

pub const TEMPLATES: [&str; 3] = ["clean", "warm", "bold"];

/// Whether `color` is `#RRGGBB`.
pub fn is_hex_color(color: &str) -> bool {
    color.len() == 7 && color.starts_with('#') && color[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Product file v1, as read (every field optional, so a form can be saved half-filled and
/// the validator says what is missing).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductFile {
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub name: String,
    pub brand: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    #[serde(default)]
    pub channel_categories: BTreeMap<String, Option<String>>,
    pub price: Option<Loose>,
    pub list_price: Option<Loose>,
    pub stock: Option<Loose>,
    pub tax: Option<String>,
    pub origin: Option<OriginFile>,
    pub images: Option<ImagesFile>,
    pub detail_html: Option<String>,
    #[serde(default)]
    pub options: Vec<OptionGroup>,
    #[serde(default)]
    pub variants: Vec<VariantFile>,
    pub notice: Option<NoticeFile>,
    pub shipping: Option<ShippingFile>,
    pub after_service: Option<AfterServiceFile>,
    pub minor_purchasable: Option<bool>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub certifications: Vec<Certification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_page: Option<DetailPageFile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProductId(pub i64);

/// A stored product: its file as saved, and who sells it.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: ProductId,
    pub merchant: crate::merchants::merchant::MerchantId,
    pub file: ProductFile,
    pub created_at: crate::kernel::time::Timestamp,
    pub updated_at: crate::kernel::time::Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tax {
    Taxable,
    TaxFree,
    ZeroRated,
}

/// The parts of a product that every channel needs, checked; texts are borrowed from the
/// product file where they were already clean.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedProduct<'a> {
    pub sku: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub price: i64,
    pub list_price: Option<i64>,
    pub stock: i64,
    pub tax: Tax,
    pub notice: Option<(&'static NoticeType, notice::NoticeValues<'a>)>,
    pub tags: Vec<Cow<'a, str>>,
}

/// A path to report an error at, built only when there is an error.
trait ErrorPath {
    fn path(self) -> String;
}

impl ErrorPath for &str {
    fn path(self) -> String {
        self.to_owned()
    }
}

impl<F: FnOnce() -> String> ErrorPath for F {
    fn path(self) -> String {
        self()
    }
}

fn whole_number(
    errors: &mut ValidationErrors,
    path: impl ErrorPath,
    value: &Option<Loose>,
    range: std::ops::RangeInclusive<i64>,
    required: bool,
) -> Option<i64> {
    match value {
        None if required => {
            errors.push(path.path(), "error-required");
            None
        }
        None => None,
        Some(v) => match v.whole() {
            None => {
                errors.push(path.path(), "error-integer");
                None
            }
            Some(n) if !range.contains(&n) => {
                errors.push(path.path(), "error-number-range");
                None
            }
            Some(n) => Some(n),
        },
    }
}

/// A text with a summary (its length and last seven bytes) compared before its bytes: option
/// values and variant codes mostly differ at the end, so comparing every variant with every
/// other (≤ 200, where this beats hashing) rarely has to look at the bytes.
#[derive(Clone, Copy)]
struct Summarized<'a> {
    summary: u64,
    text: &'a str,
}

impl<'a> Summarized<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let tail = &bytes[bytes.len().saturating_sub(7)..];
        let summary = tail
            .iter()
            .fold(bytes.len() as u64, |s, &b| (s << 8) | u64::from(b));
        Summarized { summary, text }
    }
}

impl PartialEq for Summarized<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.summary == other.summary && self.text == other.text
    }
}

/// The amounts of shipping and return terms (in a product, or saved as a template).
pub fn check_shipping(errors: &mut ValidationErrors, shipping: &ShippingFile) {
    whole_number(errors, "shipping.fee", &shipping.fee, 0..=1_000_000, false);
    whole_number(
        errors,
        "shipping.free_over",
        &shipping.free_over,
        0..=MAX_PRICE,
        false,
    );
    whole_number(
        errors,
        "shipping.dispatch_days",
        &shipping.dispatch_days,
        0..=30,
        false,
    );
    whole_number(
        errors,
        "shipping.return_fee",
        &shipping.return_fee,
        0..=1_000_000,
        false,
    );
    whole_number(
        errors,
        "shipping.exchange_fee",
        &shipping.exchange_fee,
        0..=1_000_000,
        false,
    );
}

/// Every combination of the groups' values, first group slowest (as the form and the
/// spreadsheet list them).
pub fn option_combinations<'g>(
    groups: impl IntoIterator<Item = &'g OptionGroup>,
) -> Vec<Vec<String>> {
    let mut all: Vec<Vec<String>> = vec![Vec::new()];
    for group in groups {
        all = all
            .into_iter()
            .flat_map(|prefix| {
                group.values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect();
    }
    all
}

impl ProductFile {
    /// The file as it is kept once [`ProductFile::check`] has passed: every amount a whole
    /// number (`"15,900원"` is kept as 15900, `15900.0` as 15900), so a product read back — by
    /// the API, an export or an adapter — has one form. Borrowed when nothing changes.
    pub fn with_whole_amounts(&self) -> Cow<'_, ProductFile> {
        fn written(value: &Option<Loose>) -> bool {
            matches!(value, Some(Loose::Float(_) | Loose::Text(_)))
        }
        fn make_whole(value: &mut Option<Loose>) {
            if let Some(n) = value.as_ref().and_then(Loose::whole) {
                *value = Some(Loose::Int(n));
            }
        }
        let shipping_written = self.shipping.as_ref().is_some_and(|s| {
            [
                &s.fee,
                &s.free_over,
                &s.dispatch_days,
                &s.return_fee,
                &s.exchange_fee,
            ]
            .into_iter()
            .any(written)
        });
        let any_written = [&self.price, &self.list_price, &self.stock]
            .into_iter()
            .any(written)
            || self
                .variants
                .iter()
                .any(|v| written(&v.price_delta) || written(&v.stock))
            || shipping_written;
        if !any_written {
            return Cow::Borrowed(self);
        }
        let mut file = self.clone();
        for value in [&mut file.price, &mut file.list_price, &mut file.stock] {
            make_whole(value);
        }
        for variant in &mut file.variants {
            make_whole(&mut variant.price_delta);
            make_whole(&mut variant.stock);
        }
        if let Some(s) = &mut file.shipping {
            for value in [
                &mut s.fee,
                &mut s.free_over,
                &mut s.dispatch_days,
                &mut s.return_fee,
                &mut s.exchange_fee,
            ] {
                make_whole(value);
            }
        }
        Cow::Owned(file)
    }

    /// Every check common to all channels; all faults at once, by path.
    pub fn check(&self) -> Result<CheckedProduct<'_>, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        // Codes are NFKC-folded (full-width `ＳＫＵ-m1` is `SKU-m1`) and refuse invisible
        // characters (`SKU-m1\u{200B}`); names follow `kernel::text::name`. Both are refused with
        // a field error rather than stripped: the seller retypes them (see `kernel::text`).
        let sku = text::code(&self.sku).unwrap_or_else(|_| {
            errors.push("sku", "error-sku-invalid");
            Cow::Borrowed("")
        });
        if sku.is_empty() {
            if self.sku.trimmed().is_empty() {
                errors.push("sku", "error-required");
            }
        } else if text::longer_than(&sku, MAX_SKU_CHARS)
            || sku.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            errors.push("sku", "error-sku-invalid");
        }
        let name = text::name(&self.name).unwrap_or_else(|code| {
            errors.push("name", code);
            Cow::Borrowed("")
        });
        if name.is_empty() {
            if self.name.trimmed().is_empty() {
                errors.push("name", "error-required");
            }
        } else if text::longer_than(&name, MAX_NAME_CHARS) {
            errors.push("name", "error-too-long");
        }
        let price = whole_number(&mut errors, "price", &self.price, 1..=MAX_PRICE, true);
        let list_price = whole_number(
            &mut errors,
            "list_price",
            &self.list_price,
            1..=MAX_PRICE,
            false,
        );
        if let (Some(price), Some(list)) = (price, list_price)
            && list < price
        {
            errors.push("list_price", "error-list-price-below");
        }
        let stock = whole_number(&mut errors, "stock", &self.stock, 0..=MAX_STOCK, true);
        let tax = match self.tax.as_deref().map(str::trimmed) {
            None | Some("") | Some("taxable") => Some(Tax::Taxable),
            Some("tax_free") => Some(Tax::TaxFree),
            Some("zero_rated") => Some(Tax::ZeroRated),
            Some(_) => {
                errors.push("tax", "error-tax-invalid");
                None
            }
        };

        // Options and variants: every variant names one value of each group, in order.
        if self.options.len() > MAX_OPTION_GROUPS {
            errors.push("options", "error-too-many");
        }
        for (i, group) in self.options.iter().enumerate() {
            // Normalizing never empties a text: trimming says whether it is blank.
            if group.name.trimmed().is_empty() {
                errors.push(format!("options[{i}].name"), "error-required");
            }
            let values: HashSet<&str> = group.values.iter().map(|v| v.trimmed()).collect();
            if group.values.is_empty() || values.len() != group.values.len() || values.contains("")
            {
                errors.push(format!("options[{i}].values"), "error-option-values");
            }
        }
        if self.variants.len() > MAX_VARIANTS {
            errors.push("variants", "error-too-many");
        }
        // Each variant as the positions of its values in the groups (one number), and its code:
        // compared in small vectors, which beats hashing at the sizes products have (≤ 200).
        let groups: Vec<Vec<Summarized>> = self
            .options
            .iter()
            .map(|g| {
                g.values
                    .iter()
                    .map(|v| Summarized::new(v.trimmed()))
                    .collect()
            })
            .collect();
        let mut combinations: Vec<u64> = Vec::with_capacity(self.variants.len());
        let mut variant_skus: Vec<(u64, std::borrow::Cow<'_, str>)> =
            Vec::with_capacity(self.variants.len());
        for (i, variant) in self.variants.iter().enumerate() {
            let mut key: Option<u64> = (variant.values.len() == groups.len()).then_some(0);
            for (value, group) in variant.values.iter().zip(&groups) {
                let value = Summarized::new(value.trimmed());
                let position = group.iter().position(|gv| *gv == value);
                key = match (key, position) {
                    (Some(key), Some(p)) => Some(key * (group.len() as u64 + 1) + p as u64),
                    _ => None,
                };
            }
            match key {
                None => errors.push(format!("variants[{i}].values"), "error-variant-values"),
                Some(key) if combinations.contains(&key) => {
                    errors.push(format!("variants[{i}].values"), "error-variant-duplicate")
                }
                Some(key) => combinations.push(key),
            }
            // A variant's code follows the product's: at most `MAX_SKU_CHARS`, no spaces.
            let sku = match text::code(&variant.sku) {
                Ok(sku)
                    if !text::longer_than(&sku, MAX_SKU_CHARS)
                        && !sku.chars().any(|c| c.is_whitespace() || c.is_control()) =>
                {
                    sku
                }
                _ => {
                    errors.push(format!("variants[{i}].sku"), "error-sku-invalid");
                    Cow::Borrowed("")
                }
            };
            if !sku.is_empty() {
                // Codes are compared without case: the summary is of the lowercase code.
                let summary = Summarized::new(&sku.to_lowercase()).summary;
                if variant_skus
                    .iter()
                    .any(|(s, k)| *s == summary && text::same_code(k, &sku))
                {
                    errors.push(format!("variants[{i}].sku"), "error-variant-duplicate");
                } else {
                    variant_skus.push((summary, sku));
                }
            }
            whole_number(
                &mut errors,
                || format!("variants[{i}].price_delta"),
                &variant.price_delta,
                -MAX_PRICE..=MAX_PRICE,
                false,
            );
            whole_number(
                &mut errors,
                || format!("variants[{i}].stock"),
                &variant.stock,
                0..=MAX_STOCK,
                false,
            );
        }

        // Search tags: at most 20, each at most 20 characters.
        let tags: Vec<Cow<'_, str>> = self
            .tags
            .iter()
            .enumerate()
            .filter_map(|(i, t)| match text::line(t) {
                Ok(t) => Some(t),
                Err(code) => {
                    errors.push(format!("tags[{i}]"), code);
                    None
                }
            })
            .filter(|t| !t.is_empty())
            .collect();
        if tags.len() > MAX_TAGS {
            errors.push("tags", "error-tags-too-many");
        }
        for (i, tag) in tags.iter().enumerate() {
            if text::longer_than(tag, MAX_TAG_CHARS) {
                errors.push(format!("tags[{i}]"), "error-tag-too-long");
            }
        }

        if let Some(images) = &self.images
            && images.extra.len() > MAX_EXTRA_IMAGES
        {
            errors.push("images.extra", "error-too-many");
        }
        if let Some(shipping) = &self.shipping {
            check_shipping(&mut errors, shipping);
        }
        if let Some(origin) = &self.origin {
            match origin.kind.trimmed() {
                "domestic" => {}
                "imported"
                    if origin
                        .country
                        .as_deref()
                        .is_some_and(|c| !c.trimmed().is_empty()) => {}
                "imported" => errors.push("origin.country", "error-required"),
                _ => errors.push("origin.kind", "error-origin-invalid"),
            }
        }

        if let Some(page) = &self.detail_page {
            if !page.template.trimmed().is_empty() && !TEMPLATES.contains(&page.template.trimmed())
            {
                errors.push("detail_page.template", "error-template-invalid");
            }
            if !page.color.trimmed().is_empty() && !is_hex_color(page.color.trimmed()) {
                errors.push("detail_page.color", "error-color-invalid");
            }
            if text::longer_than(&page.headline, 100) {
                errors.push("detail_page.headline", "error-too-long");
            }
            if page.selling_points.len() > 3 {
                errors.push("detail_page.selling_points", "error-too-many");
            }
            for (i, point) in page.selling_points.iter().enumerate() {
                if text::longer_than(point, 100) {
                    errors.push(format!("detail_page.selling_points[{i}]"), "error-too-long");
                }
            }
            if text::longer_than(&page.story, 2000) {
                errors.push("detail_page.story", "error-too-long");
            }
            if page.photos.len() > 20 {
                errors.push("detail_page.photos", "error-too-many");
            }
            if page.specs.len() > 30 {
                errors.push("detail_page.specs", "error-too-many");
            }
            if page.faq.len() > 10 {
                errors.push("detail_page.faq", "error-too-many");
            }
        }
        let notice = match &self.notice {
            None => None,
            Some(file) => match notice::validate(&file.kind, &file.fields) {
                Ok(checked) => Some(checked),
                Err(notice_errors) => {
                    errors.0.extend(notice_errors.0);
                    None
                }
            },
        };
        errors.into_result()?;
        Ok(CheckedProduct {
            sku,
            name,
            price: price.unwrap_or_default(),
            list_price,
            stock: stock.unwrap_or_default(),
            tax: tax.unwrap_or(Tax::Taxable),
            notice,
            tags,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yes_no_notice_item_may_be_a_json_boolean() {
        let notice: NoticeFile = serde_json::from_str(
            r#"{"type": "GENERAL_FOOD", "fields": {"geneticallyModified": false, "foodType": "즉석조리식품"}}"#,
        )
        .unwrap();
        assert_eq!(notice.fields["geneticallyModified"], "false");
        assert!(!notice::is_yes(&notice.fields["geneticallyModified"]));
        let yes: NoticeFile =
            serde_json::from_str(r#"{"fields": {"geneticallyModified": true}}"#).unwrap();
        assert!(notice::is_yes(&yes.fields["geneticallyModified"]));
    }

    #[test]
    fn amounts_are_kept_as_whole_numbers() {
        let mut file = bibimbap();
        assert!(matches!(file.with_whole_amounts(), Cow::Borrowed(_)));
        file.price = Some(Loose::Text("15,900원".into()));
        file.variants[0].stock = Some(Loose::Float(60.0));
        file.shipping.get_or_insert_with(Default::default).fee = Some(Loose::Text("3천".into()));
        file.check().unwrap();
        let kept = file.with_whole_amounts();
        assert_eq!(kept.price, Some(Loose::Int(15900)));
        assert_eq!(kept.variants[0].stock, Some(Loose::Int(60)));
        assert_eq!(kept.shipping.as_ref().unwrap().fee, Some(Loose::Int(3000)));
        assert_eq!(kept.list_price, Some(Loose::Int(19900)));
    }

    #[test]
    fn a_number_where_notice_text_belongs_is_refused() {
        let error = serde_json::from_str::<NoticeFile>(r#"{"fields": {"foodType": 5}}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("text, or a boolean"), "{error}");
    }

    /// The example of DESIGN.md, with a complete 가공식품 notice.
    fn bibimbap() -> ProductFile {
        let mut fields: BTreeMap<String, String> = notice::find("GENERAL_FOOD")
            .unwrap()
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| {
                (
                    f.name.clone(),
                    if f.name == "geneticallyModified" {
                        "false".into()
                    } else {
                        notice::SEE_DETAIL_PAGE.into()
                    },
                )
            })
            .collect();
        fields.insert(
            "productName".into(),
            "전주 한옥마을 비빔밥 밀키트 2인분".into(),
        );
        fields.insert("foodType".into(), "즉석조리식품".into());
        ProductFile {
            sku: "JJ-BIBIM-2".into(),
            name: "전주 한옥마을 비빔밥 밀키트 2인분".into(),
            price: Some(Loose::Int(15900)),
            list_price: Some(Loose::Int(19900)),
            stock: Some(Loose::Int(120)),
            tax: Some("taxable".into()),
            options: vec![OptionGroup {
                name: "맛".into(),
                values: vec!["순한맛".into(), "매운맛".into()],
            }],
            variants: vec![VariantFile {
                sku: "JJ-BIBIM-2-M".into(),
                values: vec!["매운맛".into()],
                price_delta: Some(Loose::Int(0)),
                stock: Some(Loose::Int(60)),
            }],
            notice: Some(NoticeFile {
                kind: "GENERAL_FOOD".into(),
                fields,
            }),
            tags: vec!["밀키트".into(), "비빔밥".into()],
            ..ProductFile::default()
        }
    }

    #[test]
    fn the_design_example_passes() {
        let file = bibimbap();
        let checked = file.check().unwrap();
        assert_eq!(
            (checked.price, checked.list_price, checked.stock),
            (15900, Some(19900), 120)
        );
        assert_eq!(checked.notice.unwrap().0.upper, "GENERAL_FOOD");
    }

    fn faults(file: &ProductFile) -> Vec<(String, &'static str)> {
        file.check()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn bad_product_inputs_are_field_errors() {
        let mut file = bibimbap();
        file.price = Some(Loose::Float(15900.5));
        file.list_price = Some(Loose::Int(100));
        file.stock = Some(Loose::Int(-1));
        file.tags = (0..21).map(|i| format!("태그{i}")).collect();
        file.tags[3] = "가".repeat(21);
        file.variants[0].values = vec!["아주매운맛".into()];
        file.notice
            .as_mut()
            .unwrap()
            .fields
            .insert("foodType".into(), "가".repeat(201));
        file.notice.as_mut().unwrap().fields.remove("producer");
        let found = faults(&file);
        for expected in [
            ("price", "error-integer"),
            ("stock", "error-number-range"),
            ("variants[0].values", "error-variant-values"),
            ("tags", "error-tags-too-many"),
            ("tags[3]", "error-tag-too-long"),
            ("notice.fields.foodType", "error-notice-too-long"),
            ("notice.fields.producer", "error-notice-required"),
        ] {
            assert!(
                found
                    .iter()
                    .any(|(f, c)| f == expected.0 && *c == expected.1),
                "{expected:?} not in {found:?}"
            );
        }
        file.price = Some(Loose::Int(15900));
        assert!(faults(&file).contains(&("list_price".into(), "error-list-price-below")));
        file.price = Some(Loose::Int(0));
        assert!(faults(&file).contains(&("price".into(), "error-number-range")));
    }

    #[test]
    fn a_variant_code_follows_the_product_code_rules() {
        let mut file = bibimbap();
        file.variants[0].sku = "0".repeat(MAX_SKU_CHARS + 1);
        let found = faults(&file);
        assert!(
            found.contains(&("variants[0].sku".into(), "error-sku-invalid")),
            "{found:?}"
        );
        file.variants[0].sku = "SPICY 1".into();
        assert!(file.check().is_err(), "no space in a code");
    }

    #[test]
    fn variants_must_be_distinct_and_the_file_readable_from_json_numbers_or_text() {
        let mut file = bibimbap();
        file.variants.push(file.variants[0].clone());
        let found = faults(&file);
        assert!(found.contains(&("variants[1].values".into(), "error-variant-duplicate")));
        assert!(found.contains(&("variants[1].sku".into(), "error-variant-duplicate")));
        assert_eq!(Loose::Text("15,900".into()).whole(), Some(15900));
        assert_eq!(Loose::Text("만오천".into()).whole(), None);
    }

    /// Probe: `SKU-m1\u{200b}` and full-width `ＳＫＵ-m1` beside `SKU-m1`; NUL and a
    /// right-to-left override in product names.
    #[test]
    fn look_alike_codes_and_invisible_characters_are_caught() {
        let mut file = bibimbap();
        file.sku = "SKU-m1\u{200b}".into();
        assert!(faults(&file).contains(&("sku".into(), "error-sku-invalid")));
        file.sku = "ＳＫＵ-m1".into();
        assert_eq!(file.check().unwrap().sku, "SKU-m1");
        for name in ["비빔밥\0세트", "비빔밥\u{202E}세트", "\u{200B}\u{200B}"] {
            file.name = name.into();
            assert!(
                faults(&file).contains(&("name".into(), "error-invalid-characters")),
                "{name:?}"
            );
        }
        let mut file = bibimbap();
        let mut twin = file.variants[0].clone();
        twin.sku = file.variants[0].sku.to_lowercase();
        twin.sku = twin.sku.replace('j', "ｊ");
        file.variants.push(twin);
        assert!(faults(&file).contains(&("variants[1].sku".into(), "error-variant-duplicate")));
        let mut file = bibimbap();
        file.variants[0].sku = "JJ-BIBIM-2-M\u{2060}".into();
        assert!(faults(&file).contains(&("variants[0].sku".into(), "error-sku-invalid")));
        file.variants[0].sku = "JJ-BIBIM-2-M".into();
        file.tags = vec!["매운\u{200B}맛".into()];
        assert!(faults(&file).contains(&("tags[0]".into(), "error-invalid-characters")));
    }
}
