//! 상품정보제공고시 (product information notice), 2023 revision: every notice type with its fields,
//! Korean labels, required flags, length limits and value kinds, read from the embedded spec
//! (`data/notice-types.md`, copied from shared/specs/naver) rather than hand-written forms. The
//! form for a type is generated from this table, the validator uses it, and the channel adapters
//! map (type, field) to their own encodings.
//!
//! Types are named in Naver's UPPER_SNAKE form in product files (`GENERAL_FOOD`), the spec's
//! camelCase (`generalFood`) being the key inside Naver's payload.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::kernel::error::ValidationErrors;
use crate::kernel::text::{self, Trimmed};

const SPEC: &str = include_str!("../../data/notice-types.md");

/// The answer most fields accept when the detail page holds the information.
pub const SEE_DETAIL_PAGE: &str = "상품 상세페이지 참조";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// A date (`YYYY-MM-DD` or `YYYY-MM`); usually paired with a `…Text` field for free text.
    Date,
    /// Yes or no.
    Bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeField {
    /// The field name, e.g. `foodType`.
    pub name: String,
    /// The Korean label, e.g. `식품의 유형`.
    pub label: String,
    /// The label as labels from elsewhere (a marketplace's item names) are compared with it
    /// (`compared_label`), worked out once with the table.
    pub compared_label: String,
    pub required: bool,
    /// Maximum characters, when the spec sets one.
    pub max_chars: Option<usize>,
    pub kind: FieldKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeType {
    /// Naver's payload key, e.g. `generalFood`.
    pub key: String,
    /// The product-file name, e.g. `GENERAL_FOOD`.
    pub upper: String,
    /// e.g. `가공식품`.
    pub label: String,
    pub fields: Vec<NoticeField>,
    /// The fields' positions in `fields`, in the order of their names: product files keep
    /// their values sorted by name, so one ordered walk pairs them (`match_given`).
    by_name: Vec<usize>,
}

/// Notice types have at most this many fields (a value's slot fits a bit of a `u64`).
pub const MAX_FIELDS: usize = 64;

impl NoticeType {
    fn new(key: &str, label: String, fields: Vec<NoticeField>) -> Self {
        assert!(fields.len() <= MAX_FIELDS, "{key}: too many notice fields");
        let mut by_name: Vec<usize> = (0..fields.len()).collect();
        by_name.sort_by(|&a, &b| fields[a].name.cmp(&fields[b].name));
        NoticeType {
            key: key.to_owned(),
            upper: upper_snake(key),
            label,
            fields,
            by_name,
        }
    }

    /// The position of field `name` in `fields`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.by_name
            .binary_search_by(|&i| self.fields[i].name.as_str().cmp(name))
            .ok()
            .map(|at| self.by_name[at])
    }

    /// The position of field `{name}Text`, the free-text form of a date field.
    pub fn text_form(&self, name: &str) -> Option<usize> {
        let wanted = name.bytes().chain("Text".bytes());
        self.by_name
            .binary_search_by(|&i| self.fields[i].name.bytes().cmp(wanted.clone()))
            .ok()
            .map(|at| self.by_name[at])
    }

    pub fn field(&self, name: &str) -> Option<&NoticeField> {
        self.index(name).map(|i| &self.fields[i])
    }

    /// Calls `each` with every entry of `given` — sorted by name, as a `BTreeMap` keeps them —
    /// and the position of the field it names (`None` for a name the type does not have), in
    /// one walk: no search per name.
    pub fn match_given<'g, V>(
        &self,
        given: impl IntoIterator<Item = (&'g String, V)>,
        mut each: impl FnMut(Option<usize>, &'g String, V),
    ) {
        let mut fields = self.by_name.iter().copied().peekable();
        for (name, value) in given {
            let mut index = None;
            while let Some(&i) = fields.peek() {
                match self.fields[i].name.as_str().cmp(name) {
                    std::cmp::Ordering::Less => {
                        fields.next();
                    }
                    std::cmp::Ordering::Equal => {
                        index = Some(i);
                        break;
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
            each(index, name, value);
        }
    }
}

/// `generalFood` → `GENERAL_FOOD`.
pub fn upper_snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// The letters, digits and Hangul of a label, lower-cased: how two Korean labels are compared
/// (`제조국(원산지)` is `제조국 원산지`, `KC 인증` is `kc인증`).
pub fn label_chars(label: &str) -> impl Iterator<Item = char> + '_ {
    // Hangul syllables and ASCII take the quick way; other scripts the Unicode tables.
    label.chars().filter_map(|c| {
        if ('가'..='힣').contains(&c) {
            Some(c)
        } else if c.is_ascii() {
            c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
        } else if c.is_alphanumeric() {
            // Lower-casing beyond ASCII is one character for the scripts labels use.
            c.to_lowercase().next()
        } else {
            None
        }
    })
}

/// `label` as labels are compared (`label_chars`).
pub fn compared_label(label: &str) -> String {
    label_chars(label).collect()
}

/// Whether two labels are the same label (`label_chars`).
pub fn same_label(a: &str, b: &str) -> bool {
    label_chars(a).eq(label_chars(b))
}

/// One field of the spec: `` `name`* 라벨 ≤200 (date) ``.
fn parse_field(part: &str) -> Option<NoticeField> {
    let part = part.trimmed();
    let rest = part.strip_prefix('`')?;
    let (name, rest) = rest.split_once('`')?;
    let (required, rest) = match rest.strip_prefix('*') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let mut rest = rest.trimmed().to_owned();
    let kind = if rest.ends_with("(date)") {
        rest.truncate(rest.len() - "(date)".len());
        FieldKind::Date
    } else if rest.ends_with("(bool)") {
        rest.truncate(rest.len() - "(bool)".len());
        FieldKind::Bool
    } else {
        FieldKind::Text
    };
    let rest = rest.trimmed();
    let (label, max_chars) = match rest.rsplit_once('≤') {
        Some((label, max)) => (label.trimmed(), max.trimmed().parse().ok()),
        None => (rest, None),
    };
    Some(NoticeField {
        name: name.to_owned(),
        label: label.to_owned(),
        compared_label: compared_label(label),
        required,
        max_chars,
        kind,
    })
}

fn table() -> &'static Vec<NoticeType> {
    static TABLE: OnceLock<Vec<NoticeType>> = OnceLock::new();
    TABLE.get_or_init(|| {
        SPEC.lines()
            .filter_map(|line| {
                let line = line.strip_prefix("- **")?;
                let (head, fields) = line.split_once("**:")?;
                let (key, label) = head.split_once(" — ")?;
                let label = label
                    .trimmed()
                    .trim_end_matches("상품정보제공고시")
                    .trimmed()
                    .to_owned();
                // Fields are separated by `; ` outside labels (labels never contain "; `").
                let fields = fields.split("; `").enumerate().filter_map(|(i, part)| {
                    if i == 0 {
                        parse_field(part)
                    } else {
                        parse_field(&format!("`{part}"))
                    }
                });
                Some(NoticeType::new(key.trimmed(), label, fields.collect()))
            })
            .collect()
    })
}

/// Every notice type, in the spec's order.
pub fn all() -> &'static [NoticeType] {
    table()
}

/// The type named `GENERAL_FOOD` (or `generalFood`).
pub fn find(name: &str) -> Option<&'static NoticeType> {
    let name = name.trimmed();
    table().iter().find(|t| t.upper == name || t.key == name)
}

/// A notice type by its product-file name, payload key or Korean label (`가공식품`), as
/// people write it in a spreadsheet or on the command line.
pub fn find_by_name_or_label(name: &str) -> Option<&'static NoticeType> {
    find(name).or_else(|| all().iter().find(|k| k.label == name.trimmed()))
}

/// The yes answers a yes/no notice field accepts (`false`, `N` and `아니오` are its no).
pub fn is_yes(value: &str) -> bool {
    matches!(value, "true" | "Y" | "예")
}

fn is_no(value: &str) -> bool {
    matches!(value, "false" | "N" | "아니오")
}

fn valid_date(value: &str) -> bool {
    let mut parts = value.split('-');
    let parts = [parts.next(), parts.next(), parts.next(), parts.next()];
    let number = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    match parts {
        [Some(y), Some(m), None, None] => {
            number(y, 4) && number(m, 2) && (1..=12).contains(&m.parse::<u8>().unwrap_or(0))
        }
        [Some(y), Some(m), Some(d), None] => {
            number(y, 4)
                && number(m, 2)
                && number(d, 2)
                && (1..=12).contains(&m.parse::<u8>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u8>().unwrap_or(0))
        }
        _ => false,
    }
}

/// A notice's given values, cleaned, one slot per field of its type in the type's order (empty
/// where not given); borrowed from the product file where the text was already clean. Adapters
/// walk a type's fields and read each value by position.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NoticeValues<'a>(Vec<Option<Cow<'a, str>>>);

impl<'a> NoticeValues<'a> {
    /// Values for `kind`, from (field name, value) pairs; names `kind` does not have are left out.
    pub fn from_pairs<'p>(
        kind: &NoticeType,
        pairs: impl IntoIterator<Item = (&'p str, Cow<'a, str>)>,
    ) -> Self {
        let mut slots = vec![None; kind.fields.len()];
        for (name, value) in pairs {
            if let Some(i) = kind.index(name) {
                slots[i] = Some(value);
            }
        }
        NoticeValues(slots)
    }

    /// The value of the field at `index` of the type.
    pub fn at(&self, index: usize) -> Option<&str> {
        self.0.get(index)?.as_deref()
    }

    /// The value of `kind`'s field `name`.
    pub fn get(&self, kind: &NoticeType, name: &str) -> Option<&str> {
        self.at(kind.index(name)?)
    }

    /// Each of `kind`'s fields with its value, where one is given, in the type's order.
    pub fn given<'v>(
        &'v self,
        kind: &'v NoticeType,
    ) -> impl Iterator<Item = (&'v NoticeField, &'v str)> + 'v {
        kind.fields
            .iter()
            .zip(&self.0)
            .filter_map(|(field, value)| Some((field, value.as_deref()?)))
    }
}

/// Checks a notice: a known type, every required field present, each value within its limit
/// and of its kind, no unknown field. Errors name `notice.type` or `notice.fields.{name}`.
/// Returns the values cleaned (trimmed, NFC).
pub fn validate<'a>(
    type_name: &str,
    fields: &'a BTreeMap<String, String>,
) -> Result<(&'static NoticeType, NoticeValues<'a>), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let Some(notice) = find(type_name) else {
        errors.push(
            "notice.type",
            if type_name.trimmed().is_empty() {
                "error-required"
            } else {
                "error-notice-type-unknown"
            },
        );
        return Err(errors);
    };
    let mut clean = vec![None; notice.fields.len()];
    // The fields with a faulty value (bit = position): not reported again as missing.
    let mut faulty = 0u64;
    notice.match_given(fields, |index, name, value| {
        let path = || format!("notice.fields.{name}");
        let Some(index) = index else {
            errors.push(path(), "error-notice-field-unknown");
            return;
        };
        let field = &notice.fields[index];
        let value = text::cleaned(value);
        if value.is_empty() {
            return;
        }
        let ok = match field.kind {
            // A JSON boolean is read as `true`/`false` for yes/no items; in a text item it is a
            // value of the wrong kind, not the words "true" or "false".
            FieldKind::Text => !matches!(value.as_ref(), "true" | "false"),
            FieldKind::Date => valid_date(&value),
            FieldKind::Bool => is_yes(&value) || is_no(&value),
        };
        if !ok {
            faulty |= 1 << index;
            errors.push(
                path(),
                match field.kind {
                    FieldKind::Date => "error-notice-date",
                    FieldKind::Bool => "error-notice-bool",
                    FieldKind::Text => "error-notice-text",
                },
            );
        } else if field
            .max_chars
            .is_some_and(|max| text::longer_than(&value, max))
        {
            faulty |= 1 << index;
            errors.push(path(), "error-notice-too-long");
        } else {
            clean[index] = Some(value);
        }
    });
    for (index, field) in notice.fields.iter().enumerate() {
        if field.required && clean[index].is_none() && faulty & (1 << index) == 0 {
            errors.push(
                format!("notice.fields.{}", field.name),
                "error-notice-required",
            );
        }
    }
    errors.into_result()?;
    Ok((notice, NoticeValues(clean)))
}

/// The notice type a shop of this industry most likely needs (상권업종 대분류/중분류 → type).
pub fn suggest_for_industry(industry: &crate::kernel::industry::Industry) -> &'static NoticeType {
    let code = industry.code.as_str();
    let key = if code.starts_with("I2") {
        "generalFood" // restaurants and bakeries sell processed food (밀키트, 빵, 떡)
    } else if code.starts_with("G2") {
        match &code[..4] {
            "G203" => "food",     // 식료품 소매 (농·축·수산물)
            "G215" => "cosmetic", // 의약품·화장품 소매
            "G209" => "wear",     // 섬유·의복·신발 소매
            _ => "etc",
        }
    } else {
        "etc"
    };
    find(key).unwrap_or(&table()[table().len() - 1])
}

/// Words in marketplace category paths and the notice type they mean, most specific first
/// (건강식품 before 식품, 신발 before 패션잡화).
const CATEGORY_WORDS: &[(&str, &str)] = &[
    ("건강식품", "dietFood"),
    ("건강기능식품", "dietFood"),
    ("가공식품", "generalFood"),
    ("간편조리", "generalFood"),
    ("밀키트", "generalFood"),
    ("과자", "generalFood"),
    ("음료", "generalFood"),
    ("반찬", "generalFood"),
    ("김치", "generalFood"),
    ("떡", "generalFood"),
    ("농산물", "food"),
    ("축산물", "food"),
    ("수산물", "food"),
    ("정육", "food"),
    ("과일", "food"),
    ("채소", "food"),
    ("쌀", "food"),
    ("신발", "shoes"),
    ("구두", "shoes"),
    ("운동화", "shoes"),
    ("가방", "bag"),
    ("주얼리", "jewellery"),
    ("귀금속", "jewellery"),
    ("시계", "jewellery"),
    ("모자", "fashionItems"),
    ("벨트", "fashionItems"),
    ("액세서리", "fashionItems"),
    ("패션잡화", "fashionItems"),
    ("의류", "wear"),
    ("언더웨어", "wear"),
    ("침구", "sleepingGear"),
    ("커튼", "sleepingGear"),
    ("가구", "furniture"),
    ("주방", "kitchenUtensils"),
    ("화장품", "cosmetic"),
    ("스킨케어", "cosmetic"),
    ("메이크업", "cosmetic"),
    ("향수", "cosmetic"),
    ("출산", "kids"),
    ("육아", "kids"),
    ("유아", "kids"),
    ("악기", "musicalInstrument"),
    ("스포츠", "sportsEquipment"),
    ("캠핑", "sportsEquipment"),
    ("골프", "sportsEquipment"),
    ("등산", "sportsEquipment"),
    ("도서", "books"),
    ("서적", "books"),
    ("세제", "biochemistry"),
    ("생활화학", "biochemistry"),
    ("휴대폰", "cellPhone"),
    ("자동차", "carArticles"),
    ("의료기기", "medicalAppliances"),
    ("상품권", "giftCard"),
];

/// The notice type a marketplace category path (`식품>농산물>과일>사과`) suggests: the deepest
/// level that names a kind of goods decides. None when no level does.
pub fn suggest_for_category(path: &str) -> Option<&'static NoticeType> {
    path.split(['>', '/', '|'])
        .rev()
        .map(str::trimmed)
        .find_map(|level| {
            CATEGORY_WORDS
                .iter()
                .find(|(word, _)| level.contains(word))
                .map(|(_, key)| *key)
        })
        .and_then(find)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_by_name_and_given_values_are_paired_in_one_walk() {
        for kind in all() {
            for (i, field) in kind.fields.iter().enumerate() {
                assert_eq!(kind.index(&field.name), Some(i), "{}", field.name);
            }
        }
        let kind = find("GENERAL_FOOD").unwrap();
        assert_eq!(kind.index("nope"), None);
        let name_of = |i: usize| kind.fields[i].name.as_str();
        assert_eq!(
            kind.text_form("packDate").map(name_of),
            Some("packDateText")
        );
        assert_eq!(kind.text_form("producer"), None);
        let given: BTreeMap<String, String> = ["aaa", "foodType", "zzz", "amount", "foodTypes"]
            .into_iter()
            .map(|name| (name.to_owned(), String::new()))
            .collect();
        let mut seen = Vec::new();
        kind.match_given(&given, |index, name, _| {
            seen.push((index.map(name_of), name.as_str()))
        });
        assert_eq!(
            seen,
            [
                (None, "aaa"),
                (Some("amount"), "amount"),
                (Some("foodType"), "foodType"),
                (None, "foodTypes"),
                (None, "zzz"),
            ]
        );
        let values = NoticeValues::from_pairs(kind, [("foodType", Cow::Borrowed("즉석"))]);
        assert_eq!(values.get(kind, "foodType"), Some("즉석"));
        assert_eq!(values.get(kind, "amount"), None);
        let given: Vec<&str> = values.given(kind).map(|(f, _)| f.name.as_str()).collect();
        assert_eq!(given, ["foodType"]);
    }

    #[test]
    fn a_category_path_suggests_its_notice_type() {
        let upper = |path: &str| suggest_for_category(path).map(|k| k.upper.as_str());
        assert_eq!(upper("식품>농산물>과일>사과"), Some("FOOD"));
        assert_eq!(upper("식품>가공식품>밀키트"), Some("GENERAL_FOOD"));
        assert_eq!(upper("식품>건강식품>홍삼"), Some("DIET_FOOD"));
        assert_eq!(upper("패션잡화>여성신발>운동화"), Some("SHOES"));
        assert_eq!(upper("화장품/미용>스킨케어>크림"), Some("COSMETIC"));
        assert_eq!(upper("여가/생활편의>원데이클래스"), None);
    }

    #[test]
    fn the_spec_has_every_2023_type_with_its_fields() {
        assert_eq!(all().len(), 36);
        let food = find("GENERAL_FOOD").unwrap();
        assert_eq!(
            (food.key.as_str(), food.label.as_str()),
            ("generalFood", "가공식품")
        );
        let food_type = food.field("foodType").unwrap();
        assert_eq!(
            (
                food_type.label.as_str(),
                food_type.required,
                food_type.max_chars
            ),
            ("식품의 유형", true, Some(200))
        );
        assert_eq!(food.field("packDate").unwrap().kind, FieldKind::Date);
        assert_eq!(
            food.field("geneticallyModified").unwrap().kind,
            FieldKind::Bool
        );
        assert!(!food.field("nutritionFacts").unwrap().required);
        assert_eq!(find("ETC").unwrap().fields.len(), 6);
        assert_eq!(upper_snake("rentalHa"), "RENTAL_HA");
        // Every type parsed at least one field, and labels carry no markup.
        assert!(all().iter().all(|t| {
            !t.fields.is_empty()
                && t.fields
                    .iter()
                    .all(|f| !f.label.contains('`') && !f.label.is_empty())
        }));
    }

    fn full_food() -> BTreeMap<String, String> {
        find("GENERAL_FOOD")
            .unwrap()
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| {
                (
                    f.name.clone(),
                    if f.kind == FieldKind::Bool {
                        "false".into()
                    } else {
                        SEE_DETAIL_PAGE.into()
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_complete_notice_passes_and_every_fault_names_its_field() {
        assert!(validate("GENERAL_FOOD", &full_food()).is_ok());
        let mut notice = full_food();
        notice.remove("foodType");
        notice.insert("productName".into(), "가".repeat(201));
        notice.insert("packDate".into(), "2026-13-01".into());
        notice.insert("colour".into(), "red".into());
        // A JSON boolean (read as `false`) where text belongs.
        notice.insert("producer".into(), "false".into());
        let errors = validate("GENERAL_FOOD", &notice).unwrap_err();
        let found: Vec<_> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code))
            .collect();
        assert_eq!(
            found,
            [
                ("notice.fields.colour", "error-notice-field-unknown"),
                ("notice.fields.packDate", "error-notice-date"),
                ("notice.fields.producer", "error-notice-text"),
                ("notice.fields.productName", "error-notice-too-long"),
                ("notice.fields.foodType", "error-notice-required"),
            ]
        );
        assert_eq!(
            validate("FOOD_PYRAMID", &notice).unwrap_err().0[0].code,
            "error-notice-type-unknown"
        );
    }

    #[test]
    fn the_suggestion_follows_the_industry() {
        let bakery = crate::kernel::industry::resolve("I21001", "i").unwrap();
        assert_eq!(suggest_for_industry(bakery).upper, "GENERAL_FOOD");
        let pharmacy = crate::kernel::industry::resolve("G21501", "i").unwrap();
        assert_eq!(suggest_for_industry(pharmacy).upper, "COSMETIC");
        let realtor = crate::kernel::industry::resolve("L10203", "i").unwrap();
        assert_eq!(suggest_for_industry(realtor).upper, "ETC");
    }
}
