//! Merchants (소상공인): the registry record a merchant keeps of their shop, which staff and
//! local governments see, and which prospects imported from the public store register become.

use serde::Serialize;

use crate::kernel::channel::Channel;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::industry::{self, Industry};
use crate::kernel::region::RegionCode;
use crate::kernel::text;
use crate::kernel::time::Timestamp;

/// 사업자등록번호: 10 digits with the National Tax Service check digit, shown `XXX-XX-XXXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BusinessNumber(String);

impl BusinessNumber {
    pub fn parse(input: &str, field: &str) -> Result<Self, FieldError> {
        let digits: String = input.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(field, "error-business-number-format"));
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        const WEIGHTS: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
        let sum: u32 = d.iter().zip(WEIGHTS).map(|(x, w)| x * w).sum::<u32>() + d[8] * 5 / 10;
        if (10 - sum % 10) % 10 != d[9] {
            return Err(FieldError::new(field, "error-business-number-checksum"));
        }
        Ok(Self(digits))
    }
    /// The 10 digits, as stored.
    pub fn digits(&self) -> &str {
        &self.0
    }
    /// `XXX-XX-XXXXX`, as printed on a registration certificate.
    pub fn display(&self) -> String {
        format!("{}-{}-{}", &self.0[..3], &self.0[3..5], &self.0[5..])
    }
}

/// Where a merchant stands in the program's funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MerchantStatus {
    /// Known from the public register; has not signed up.
    Prospect,
    Registered,
    Selected,
    Onboarding,
    Selling,
    Dropped,
}

impl MerchantStatus {
    pub const ALL: [MerchantStatus; 6] = [
        MerchantStatus::Prospect,
        MerchantStatus::Registered,
        MerchantStatus::Selected,
        MerchantStatus::Onboarding,
        MerchantStatus::Selling,
        MerchantStatus::Dropped,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            MerchantStatus::Prospect => "prospect",
            MerchantStatus::Registered => "registered",
            MerchantStatus::Selected => "selected",
            MerchantStatus::Onboarding => "onboarding",
            MerchantStatus::Selling => "selling",
            MerchantStatus::Dropped => "dropped",
        }
    }
    pub fn parse(input: &str, field: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == input.trim())
            .ok_or_else(|| FieldError::new(field, "error-status-invalid"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MerchantId(pub i64);

/// Where a shop already sells online (before Gachi): one of the marketplaces, or elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OnlineChannel {
    Market(Channel),
    /// 자사몰: the shop's own web store.
    OwnMall,
    /// SNS, blog or KakaoTalk sales.
    Sns,
}

impl OnlineChannel {
    /// Every choice, in form order: the marketplaces first.
    pub fn all() -> impl Iterator<Item = OnlineChannel> {
        Channel::ALL
            .into_iter()
            .map(OnlineChannel::Market)
            .chain([OnlineChannel::OwnMall, OnlineChannel::Sns])
    }
    pub fn as_str(self) -> &'static str {
        match self {
            OnlineChannel::Market(channel) => channel.code(),
            OnlineChannel::OwnMall => "own_mall",
            OnlineChannel::Sns => "sns",
        }
    }
    pub fn parse(input: &str, field: &str) -> Result<OnlineChannel, FieldError> {
        OnlineChannel::all()
            .find(|c| c.as_str() == input.trim())
            .ok_or_else(|| FieldError::new(field, "error-channel-invalid"))
    }
    /// The stored form: comma-separated, in a fixed order.
    pub fn encode(channels: &[OnlineChannel]) -> String {
        let mut sorted = channels.to_vec();
        sorted.sort();
        sorted.dedup();
        sorted
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
    pub fn decode(stored: &str) -> Vec<OnlineChannel> {
        stored
            .split(',')
            .filter_map(|c| OnlineChannel::parse(c, "online_channels").ok())
            .collect()
    }
}

/// Facts about the offline store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreFacts {
    /// 개업 연도.
    pub opened_year: Option<u16>,
    /// 종업원 수 (besides the owner).
    pub employees: Option<u32>,
    /// 매장 면적, ㎡.
    pub floor_area_m2: Option<u32>,
}

/// A merchant as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Merchant {
    pub id: MerchantId,
    pub name: String,
    pub branch: Option<String>,
    pub representative: Option<String>,
    pub business_number: Option<BusinessNumber>,
    /// 통신판매업 신고번호, e.g. `제2026-전주완산-0123호`.
    pub mail_order_number: Option<String>,
    pub phone: Option<String>,
    pub road_address: Option<String>,
    /// The 시군구 the shop is in.
    pub region: RegionCode,
    pub industry: &'static Industry,
    pub status: MerchantStatus,
    /// The support track, once diagnosed (or set by an operator).
    pub track: Option<crate::merchants::diagnosis::Track>,
    /// 상가업소번호, for prospects from the register.
    pub store_record_id: Option<String>,
    /// Coordinates in micro-degrees (WGS84), when known.
    pub location: Option<(i64, i64)>,
    pub floor: Option<String>,
    pub facts: StoreFacts,
    pub online_channels: Vec<OnlineChannel>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

pub const NAME_MAX_CHARS: usize = 100;
pub const ADDRESS_MAX_CHARS: usize = 200;

/// What a person types into the shop form or sends to the API, before checking.
#[derive(Debug, Clone, Default)]
pub struct MerchantInput {
    pub name: String,
    pub representative: String,
    pub business_number: String,
    pub mail_order_number: String,
    pub phone: String,
    pub road_address: String,
    pub region_code: String,
    pub industry_code: String,
    pub opened_year: String,
    pub employees: String,
    pub floor_area_m2: String,
    /// Channel ids, e.g. `naver`, `sns`.
    pub online_channels: Vec<String>,
}

/// A checked merchant record, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct MerchantFields {
    pub name: String,
    pub representative: Option<String>,
    pub business_number: Option<BusinessNumber>,
    pub mail_order_number: Option<String>,
    pub phone: Option<String>,
    pub road_address: Option<String>,
    pub region: RegionCode,
    pub industry: &'static Industry,
    pub facts: StoreFacts,
    pub online_channels: Vec<OnlineChannel>,
}

/// An optional whole number within `range`, as typed ("1,200" is fine).
fn optional_number(
    input: &str,
    field: &str,
    range: std::ops::RangeInclusive<u32>,
    errors: &mut ValidationErrors,
) -> Option<u32> {
    let digits = input.trim().replace(',', "");
    if digits.is_empty() {
        return None;
    }
    match digits.parse::<u32>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.push(field, "error-number-range");
            None
        }
    }
}

fn optional_text(
    input: &str,
    field: &str,
    max: usize,
    errors: &mut ValidationErrors,
) -> Option<String> {
    let value = match text::line(input) {
        Ok(value) => value.into_owned(),
        Err(code) => {
            errors.push(field, code);
            return None;
        }
    };
    if value.is_empty() {
        None
    } else if text::longer_than(&value, max) {
        errors.push(field, "error-too-long");
        None
    } else {
        Some(value)
    }
}

/// A Korean phone number: digits with optional hyphens, 9 to 12 digits, starting with 0.
fn phone(input: &str, errors: &mut ValidationErrors) -> Option<String> {
    let value = text::clean(input);
    if value.is_empty() {
        return None;
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')'));
    if allowed && digits.starts_with('0') && (9..=12).contains(&digits.len()) {
        Some(value)
    } else {
        errors.push("phone", "error-phone-invalid");
        None
    }
}

impl MerchantInput {
    /// Checks every field, reporting all problems at once. A registered merchant needs a
    /// 사업자등록번호; `business_number_required` is false for prospects.
    pub fn validate(
        &self,
        business_number_required: bool,
    ) -> Result<MerchantFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        // A shop's name under the rule of `kernel::text::name`: refused (a field error), not
        // stripped, so that nobody registers a look-alike of another shop.
        let name = text::name(&self.name).map_or_else(
            |code| {
                errors.push("name", code);
                String::new()
            },
            |name| name.into_owned(),
        );
        if name.is_empty() {
            if !errors.0.iter().any(|e| e.field == "name") {
                errors.push("name", "error-required");
            }
        } else if text::longer_than(&name, NAME_MAX_CHARS) {
            errors.push("name", "error-too-long");
        }
        let business_number = if self.business_number.trim().is_empty() {
            if business_number_required {
                errors.push("business_number", "error-required");
            }
            None
        } else {
            errors.check(BusinessNumber::parse(
                &self.business_number,
                "business_number",
            ))
        };
        let region = if self.region_code.trim().is_empty() {
            errors.push("region_code", "error-required");
            None
        } else {
            errors.check(
                RegionCode::parse(&self.region_code, "region_code").and_then(|r| {
                    if r.as_str().len() == 5 {
                        Ok(r)
                    } else {
                        Err(FieldError::new("region_code", "error-region-sigungu"))
                    }
                }),
            )
        };
        let industry = if self.industry_code.trim().is_empty() {
            errors.push("industry_code", "error-required");
            None
        } else {
            errors.check(industry::resolve(&self.industry_code, "industry_code"))
        };
        let fields = MerchantFields {
            representative: optional_text(&self.representative, "representative", 50, &mut errors),
            mail_order_number: optional_text(
                &self.mail_order_number,
                "mail_order_number",
                50,
                &mut errors,
            ),
            phone: phone(&self.phone, &mut errors),
            road_address: optional_text(
                &self.road_address,
                "road_address",
                ADDRESS_MAX_CHARS,
                &mut errors,
            ),
            name,
            business_number,
            region: region
                .clone()
                .unwrap_or_else(|| RegionCode::parse("11110", "r").expect("종로구 exists")),
            industry: industry.unwrap_or_else(|| industry::all()[0]),
            facts: StoreFacts {
                opened_year: optional_number(
                    &self.opened_year,
                    "opened_year",
                    1900..=2100,
                    &mut errors,
                )
                .map(|y| y as u16),
                employees: optional_number(&self.employees, "employees", 0..=10_000, &mut errors),
                floor_area_m2: optional_number(
                    &self.floor_area_m2,
                    "floor_area_m2",
                    1..=100_000,
                    &mut errors,
                ),
            },
            online_channels: self
                .online_channels
                .iter()
                .filter(|c| !c.trim().is_empty())
                .filter_map(|c| errors.check(OnlineChannel::parse(c, "online_channels")))
                .collect(),
        };
        errors.into_result()?;
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_numbers_carry_a_check_digit() {
        // 220-81-62517 is a published, valid number; changing its last digit breaks the checksum.
        let valid = BusinessNumber::parse("220-81-62517", "business_number").unwrap();
        assert_eq!(valid.digits(), "2208162517");
        assert_eq!(valid.display(), "220-81-62517");
        assert_eq!(
            BusinessNumber::parse("2208162518", "b").unwrap_err().code,
            "error-business-number-checksum"
        );
        assert_eq!(
            BusinessNumber::parse("220-81-6251", "b").unwrap_err().code,
            "error-business-number-format"
        );
        assert_eq!(
            BusinessNumber::parse("22O-81-62517", "b").unwrap_err().code,
            "error-business-number-format"
        );
    }

    #[test]
    fn every_problem_of_a_form_is_reported_at_once() {
        let input = MerchantInput {
            name: " ".into(),
            business_number: "123-45-67890".into(),
            phone: "call me".into(),
            region_code: "11".into(),
            industry_code: "XX0000".into(),
            ..MerchantInput::default()
        };
        let errors = input.validate(true).unwrap_err();
        let fields: Vec<_> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("name", "error-required"),
                ("business_number", "error-business-number-checksum"),
                ("region_code", "error-region-sigungu"),
                ("industry_code", "error-industry-unknown"),
                ("phone", "error-phone-invalid"),
            ]
        );
    }

    #[test]
    fn store_facts_and_channels_are_checked() {
        let input = MerchantInput {
            name: "한옥식당".into(),
            region_code: "52111".into(),
            industry_code: "I20101".into(),
            opened_year: "1986".into(),
            employees: "3".into(),
            floor_area_m2: "1,200".into(),
            online_channels: vec!["sns".into(), "naver".into(), "sns".into()],
            ..MerchantInput::default()
        };
        let fields = input.validate(false).unwrap();
        assert_eq!(
            fields.facts,
            StoreFacts {
                opened_year: Some(1986),
                employees: Some(3),
                floor_area_m2: Some(1200)
            }
        );
        assert_eq!(OnlineChannel::encode(&fields.online_channels), "naver,sns");
        assert_eq!(
            OnlineChannel::decode("naver,sns"),
            [OnlineChannel::Market(Channel::Naver), OnlineChannel::Sns]
        );
        let bad = MerchantInput {
            opened_year: "86".into(),
            employees: "-1".into(),
            online_channels: vec!["myspace".into()],
            ..input
        };
        let fields: Vec<_> = bad
            .validate(false)
            .unwrap_err()
            .0
            .iter()
            .map(|e| (e.field.clone(), e.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("opened_year".into(), "error-number-range"),
                ("employees".into(), "error-number-range"),
                ("online_channels".into(), "error-channel-invalid")
            ]
        );
    }

    /// Probe: shop names of only zero-width characters, a right-to-left override, NUL.
    #[test]
    fn invisible_and_reordering_characters_are_refused_in_shop_fields() {
        for name in [
            "\u{200B}\u{200C}\u{2060}",
            "한옥\u{202E}식당",
            "한옥\0식당",
            "★★★",
        ] {
            let input = MerchantInput {
                name: name.into(),
                region_code: "45111".into(),
                industry_code: "Q01A01".into(),
                ..MerchantInput::default()
            };
            let errors = input.validate(false).unwrap_err();
            let codes: Vec<_> = errors
                .0
                .iter()
                .map(|e| (e.field.as_str(), e.code))
                .collect();
            assert_eq!(codes, [("name", "error-invalid-characters")], "{name:?}");
        }
        let input = MerchantInput {
            name: "한옥식당".into(),
            representative: "김\u{200B}철수".into(),
            region_code: "45111".into(),
            industry_code: "Q01A01".into(),
            ..MerchantInput::default()
        };
        let errors = input.validate(false).unwrap_err();
        assert_eq!(errors.0[0].field, "representative");
        assert_eq!(errors.0[0].code, "error-invalid-characters");
    }

    #[test]
    fn a_valid_shop_is_cleaned_up() {
        let input = MerchantInput {
            name: " 한옥식당 ".into(),
            business_number: "2208162517".into(),
            phone: "063-123-4567".into(),
            region_code: "45111".into(),
            industry_code: "Q01A01".into(),
            ..MerchantInput::default()
        };
        let fields = input.validate(true).unwrap();
        assert_eq!(fields.name, "한옥식당");
        assert_eq!(
            fields.region.as_str(),
            "52111",
            "old 전북 code stored as the current one"
        );
        assert_eq!(fields.industry.major, "음식점업");
        assert!(
            MerchantInput {
                business_number: String::new(),
                ..input
            }
            .validate(false)
            .is_ok()
        );
    }
}

/// Filters of the merchant list; every one optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MerchantFilter {
    /// A 시도, a 시군구, or a 시 with its 구.
    pub region: Option<RegionCode>,
    pub industry: Option<&'static Industry>,
    pub status: Option<MerchantStatus>,
    pub track: Option<crate::merchants::diagnosis::Track>,
    /// Part of the 상호 (shop name).
    pub name_contains: Option<String>,
}

impl MerchantFilter {
    /// Parses the list filters as typed in a query string; empty values mean "any".
    pub fn parse(
        region_code: Option<&str>,
        industry_code: Option<&str>,
        status: Option<&str>,
        track: Option<&str>,
        name: Option<&str>,
    ) -> Result<MerchantFilter, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let present = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let filter = MerchantFilter {
            region: present(region_code)
                .and_then(|c| errors.check(RegionCode::parse(&c, "region_code"))),
            industry: present(industry_code)
                .and_then(|c| errors.check(industry::resolve(&c, "industry_code"))),
            status: present(status).and_then(|s| errors.check(MerchantStatus::parse(&s, "status"))),
            track: present(track)
                .and_then(|s| errors.check(crate::merchants::diagnosis::Track::parse(&s, "track"))),
            name_contains: present(name).map(|q| text::clean(&q)),
        };
        errors.into_result()?;
        Ok(filter)
    }
}

/// How a batch of register rows changed the registry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl std::ops::AddAssign for ImportCounts {
    fn add_assign(&mut self, other: Self) {
        self.imported += other.imported;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// Where a merchant record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MerchantSource {
    /// The merchant registered the shop themselves.
    SelfRegistered,
    /// Entered by staff (web or API).
    Staff,
    /// The public store register import.
    Register,
}

impl MerchantSource {
    pub fn as_str(self) -> &'static str {
        match self {
            MerchantSource::SelfRegistered => "self",
            MerchantSource::Staff => "staff",
            MerchantSource::Register => "register",
        }
    }
}
