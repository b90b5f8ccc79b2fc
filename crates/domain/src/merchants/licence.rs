//! Business licence lists (인허가 데이터, e.g. a city's 휴게음식점 list) as prospects. They carry
//! no 상가업소번호, no region code and no 상권업종 code, so a row's key is a digest of its name,
//! address and licence date (stable across re-publications of the list), its region is read from
//! the start of its address, and its industry comes from its 업태구분 through a mapping: built-in
//! for the 휴게음식점 categories, extendable per import.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::kernel::industry;
use crate::kernel::region::{self, RegionCode};
use crate::kernel::text;
use crate::merchants::register::{
    MAX_ADDRESS_CHARS, MAX_COORDINATE_CHARS, MAX_DATE_CHARS, MAX_KIND_CHARS, MAX_NAME_CHARS,
    MAX_PHONE_CHARS, Rejection, RowSchema, StoreRecord, shortened, within,
};

/// The columns a licence list needs, by their header names (the LOCALDATA names by default).
#[derive(Debug, Clone)]
pub struct LicenceHeaders {
    pub name: String,
    pub kind: String,
    pub phone: String,
    pub road_address: String,
    pub lot_address: String,
    pub licensed_on: String,
    pub longitude: String,
    pub latitude: String,
}

impl Default for LicenceHeaders {
    fn default() -> Self {
        Self {
            name: "사업장명".into(),
            kind: "업태구분".into(),
            phone: "전화번호".into(),
            road_address: "도로명주소".into(),
            lot_address: "지번주소".into(),
            licensed_on: "인허가일자".into(),
            longitude: "경도".into(),
            latitude: "위도".into(),
        }
    }
}

impl LicenceHeaders {
    /// Applies `field=header` pairs (fields: name, kind, phone, road_address, lot_address,
    /// licensed_on, longitude, latitude).
    pub fn with_mapping(mut self, pairs: &[(String, String)]) -> Result<Self, String> {
        for (field, header) in pairs {
            let slot = match field.as_str() {
                "name" => &mut self.name,
                "kind" => &mut self.kind,
                "phone" => &mut self.phone,
                "road_address" => &mut self.road_address,
                "lot_address" => &mut self.lot_address,
                "licensed_on" => &mut self.licensed_on,
                "longitude" => &mut self.longitude,
                "latitude" => &mut self.latitude,
                other => return Err(format!("unknown field {other} in --map")),
            };
            *slot = header.clone();
        }
        Ok(self)
    }
}

/// 휴게음식점 업태구분 → 상권업종 (2023). Kinds without a fitting code are left out and
/// rejected unless mapped by the import.
pub const DEFAULT_KIND_MAP: [(&str, &str); 12] = [
    ("편의점", "G20405"),
    ("커피숍", "I21201"),
    ("다방", "I21201"),
    ("전통찻집", "I21201"),
    ("키즈카페", "I21201"),
    ("과자점", "I21001"),
    ("떡카페", "I21002"),
    ("아이스크림", "I21008"),
    ("패스트푸드", "I21004"),
    ("일반조리판매", "I21099"),
    ("기타 휴게음식점", "I21099"),
    ("푸드트럭", "I21099"),
];

/// A licence list's columns, found in its header.
pub struct LicenceSchema {
    width: usize,
    name: usize,
    kind: Option<usize>,
    phone: Option<usize>,
    road_address: Option<usize>,
    lot_address: Option<usize>,
    licensed_on: Option<usize>,
    longitude: Option<usize>,
    latitude: Option<usize>,
    kinds: HashMap<String, &'static industry::Industry>,
    default_industry: Option<&'static industry::Industry>,
}

impl LicenceSchema {
    /// `kind_map` adds to or overrides the built-in 업태구분 mapping; `default_industry` takes
    /// every unmapped kind.
    pub fn from_header(
        header: &[&str],
        headers: &LicenceHeaders,
        kind_map: &[(String, String)],
        default_industry: Option<&str>,
    ) -> Result<LicenceSchema, String> {
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
        };
        let name = find(&headers.name)
            .ok_or_else(|| format!("the header has no column {} (the shop name)", headers.name))?;
        let road_address = find(&headers.road_address);
        let lot_address = find(&headers.lot_address);
        if road_address.is_none() && lot_address.is_none() {
            return Err(format!(
                "the header has no address column ({} or {})",
                headers.road_address, headers.lot_address
            ));
        }
        let mut kinds = HashMap::new();
        let pairs = DEFAULT_KIND_MAP
            .iter()
            .map(|(k, c)| (k.to_string(), c.to_string()))
            .chain(kind_map.iter().cloned());
        for (kind, code) in pairs {
            let industry = industry::resolve(&code, "industry")
                .map_err(|_| format!("unknown industry code {code} for {kind}"))?;
            kinds.insert(kind, industry);
        }
        let default_industry = default_industry
            .map(|c| {
                industry::resolve(c, "industry").map_err(|_| format!("unknown industry code {c}"))
            })
            .transpose()?;
        Ok(LicenceSchema {
            width: header.len(),
            name,
            kind: find(&headers.kind),
            phone: find(&headers.phone),
            road_address,
            lot_address,
            licensed_on: find(&headers.licensed_on),
            longitude: find(&headers.longitude),
            latitude: find(&headers.latitude),
            kinds,
            default_industry,
        })
    }
}

/// The region an address starts with: "전북특별자치도 전주시 완산구 …" → 52111.
pub fn region_of_address(address: &str) -> Option<RegionCode> {
    let words: Vec<&str> = address.split_whitespace().collect();
    (2..=3).rev().find_map(|n| {
        (words.len() >= n)
            .then(|| region::find_by_name(&words[..n].join(" ")))
            .flatten()
            .filter(|r| r.as_str().len() == 5)
    })
}

impl RowSchema for LicenceSchema {
    fn parse(&self, row: &[&str]) -> Result<StoreRecord, Rejection> {
        if row.len() != self.width {
            return Err(Rejection::new(
                "error-register-columns",
                format!("{} columns, expected {}", row.len(), self.width),
            ));
        }
        if row.iter().any(|f| f.contains('\u{fffd}')) {
            return Err(Rejection::new(
                "error-register-encoding",
                "undecodable bytes",
            ));
        }
        for (i, max, label) in [
            (Some(self.name), MAX_NAME_CHARS, "사업장명"),
            (self.kind, MAX_KIND_CHARS, "업태구분"),
            (self.phone, MAX_PHONE_CHARS, "전화번호"),
            (self.road_address, MAX_ADDRESS_CHARS, "도로명주소"),
            (self.lot_address, MAX_ADDRESS_CHARS, "지번주소"),
            (self.licensed_on, MAX_DATE_CHARS, "인허가일자"),
            (self.longitude, MAX_COORDINATE_CHARS, "경도"),
            (self.latitude, MAX_COORDINATE_CHARS, "위도"),
        ] {
            within(row, i, max, label)?;
        }
        // Text from a public list, which nobody can retype: invisible characters are stripped
        // silently (`text::stripped`); a name must still show a letter or digit.
        let get = |i: Option<usize>| {
            i.map(|i| text::stripped(row[i], false).into_owned())
                .filter(|v| !v.is_empty())
        };
        let name = get(Some(self.name))
            .filter(|name| text::has_visible_letter(name))
            .ok_or_else(|| Rejection::new("error-register-no-name", ""))?;
        let road = get(self.road_address);
        let lot = get(self.lot_address);
        let region = road
            .as_deref()
            .and_then(region_of_address)
            .or_else(|| lot.as_deref().and_then(region_of_address))
            .ok_or_else(|| {
                Rejection::new(
                    "error-region-unknown",
                    road.clone().or(lot.clone()).unwrap_or_default(),
                )
            })?;
        let kind = get(self.kind).unwrap_or_default();
        let industry = self
            .kinds
            .get(&kind)
            .copied()
            .or(self.default_industry)
            .ok_or_else(|| Rejection::new("error-licence-kind", kind.clone()))?;
        let location = match (
            get(self.longitude).and_then(|v| v.parse::<f64>().ok()),
            get(self.latitude).and_then(|v| v.parse::<f64>().ok()),
        ) {
            (Some(x), Some(y)) if (124.0..=132.0).contains(&x) && (33.0..=39.0).contains(&y) => {
                Some(((x * 1e6).round() as i64, (y * 1e6).round() as i64))
            }
            _ => None,
        };
        let licensed_on = get(self.licensed_on).unwrap_or_default();
        let digest = Sha256::digest(format!(
            "{name}|{}|{licensed_on}",
            road.as_deref().or(lot.as_deref()).unwrap_or_default()
        ));
        let key = crate::kernel::secret::hex(&digest[..10]);
        Ok(StoreRecord {
            store_record_id: format!("LIC-{key}"),
            name,
            branch: None,
            region,
            industry,
            road_address: road,
            lot_address: lot,
            floor: None,
            location,
            phone: get(self.phone),
        })
    }

    fn identify(&self, row: &[&str]) -> (String, String) {
        (
            String::new(),
            row.get(self.name)
                .map(|s| shortened(s, MAX_NAME_CHARS))
                .unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: [&str; 11] = [
        "번호",
        "업태구분",
        "사업장명",
        "인허가일자",
        "전화번호",
        "도로명주소",
        "지번주소",
        "위도",
        "경도",
        "소재지면적",
        "다중이용업소여부",
    ];

    fn schema() -> LicenceSchema {
        LicenceSchema::from_header(&HEADER, &LicenceHeaders::default(), &[], None).unwrap()
    }

    #[test]
    fn a_jeonju_licence_row_becomes_a_prospect() {
        let row = [
            "1",
            "과자점",
            "아카데미떡방",
            "1986-09-16",
            "063-288-5072",
            "전북특별자치도 전주시 완산구 동문길 67 (풍남동1가)",
            "전북특별자치도 전주시 완산구 풍남동1가 44 ",
            "",
            "",
            "88.6",
            "N",
        ];
        let record = schema().parse(&row).unwrap();
        assert_eq!(record.region.region().name, "전북특별자치도 전주시 완산구");
        assert_eq!(record.industry.name, "빵/도넛");
        assert_eq!(record.phone.as_deref(), Some("063-288-5072"));
        assert!(record.store_record_id.starts_with("LIC-"));
        assert_eq!(
            schema().parse(&row).unwrap().store_record_id,
            record.store_record_id,
            "the key is stable"
        );
    }

    #[test]
    fn overlong_fields_are_rejected_and_invisible_characters_stripped() {
        let long_name = "가".repeat(MAX_NAME_CHARS + 1);
        let mut row = [
            "1",
            "과자점",
            long_name.as_str(),
            "1986-09-16",
            "063-288-5072",
            "전북특별자치도 전주시 완산구 동문길 67 (풍남동1가)",
            "",
            "",
            "",
            "88.6",
            "N",
        ];
        let rejection = schema().parse(&row).unwrap_err();
        assert_eq!(rejection.code, "error-register-too-long");
        assert!(rejection.detail.starts_with("사업장명: 101 characters"));
        assert_eq!(schema().identify(&row).1.chars().count(), MAX_NAME_CHARS);
        let long_phone = "0".repeat(MAX_PHONE_CHARS + 1);
        row[2] = "아카데미떡방";
        row[4] = &long_phone;
        assert_eq!(
            schema().parse(&row).unwrap_err().code,
            "error-register-too-long"
        );
        row[4] = "";
        row[2] = "아카데미\u{200B}떡방\u{202E}";
        assert_eq!(schema().parse(&row).unwrap().name, "아카데미떡방");
        row[2] = "\u{200B}\u{2060}";
        assert_eq!(
            schema().parse(&row).unwrap_err().code,
            "error-register-no-name"
        );
    }

    #[test]
    fn unknown_kinds_and_addresses_are_rejected_unless_mapped() {
        let mut row = [
            "2",
            "극장",
            "전주시네마",
            "2001-01-01",
            "",
            "전북특별자치도 전주시 덕진구 기린대로 1",
            "",
            "",
            "",
            "",
            "N",
        ];
        assert_eq!(schema().parse(&row).unwrap_err().code, "error-licence-kind");
        let mapped = LicenceSchema::from_header(
            &HEADER,
            &LicenceHeaders::default(),
            &[("극장".into(), "R10402".into())],
            None,
        )
        .unwrap();
        assert_eq!(mapped.parse(&row).unwrap().industry.code, "R10402");
        let bad_map = LicenceSchema::from_header(
            &HEADER,
            &LicenceHeaders::default(),
            &[("극장".into(), "ZZ9999".into())],
            None,
        );
        assert!(bad_map.err().unwrap().contains("ZZ9999"));
        let defaulted =
            LicenceSchema::from_header(&HEADER, &LicenceHeaders::default(), &[], Some("I21099"))
                .unwrap();
        assert_eq!(defaulted.parse(&row).unwrap().industry.code, "I21099");
        row[5] = "어딘가 모르는 곳";
        assert_eq!(
            defaulted.parse(&row).unwrap_err().code,
            "error-region-unknown"
        );
    }

    #[test]
    fn other_column_names_are_mapped() {
        let header = ["상호", "주소", "구분"];
        let headers = LicenceHeaders::default()
            .with_mapping(&[
                ("name".into(), "상호".into()),
                ("road_address".into(), "주소".into()),
                ("kind".into(), "구분".into()),
            ])
            .unwrap();
        let schema = LicenceSchema::from_header(&header, &headers, &[], None).unwrap();
        let record = schema
            .parse(&["카페 가치", "서울특별시 종로구 세종대로 1", "커피숍"])
            .unwrap();
        assert_eq!(
            (record.region.as_str(), record.industry.code.as_str()),
            ("11110", "I21201")
        );
        assert!(
            LicenceHeaders::default()
                .with_mapping(&[("colour".into(), "x".into())])
                .is_err()
        );
    }
}
