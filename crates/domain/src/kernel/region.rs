//! 시도 / 시군구 regions by their 법정동 code prefix: 2 digits for a 시도, 5 for a 시군구.
//!
//! The table is the code.go.kr 법정동 list (2025-11), reduced to those two levels and embedded.
//! Codes retired by the 2023–2024 renames resolve to the current region: 강원도 42 → 강원특별자치도 51
//! and 전라북도 45 → 전북특별자치도 52 (the 시군구 digits are unchanged by the renames).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::kernel::error::FieldError;

const TABLE: &str = include_str!("../../data/regions.tsv");

/// Provinces renamed with a new 시도 code and the same 시군구 digits.
const RENAMED_SIDO: [(&str, &str); 2] = [("42", "51"), ("45", "52")];

/// A current region code: a 2-digit 시도 or a 5-digit 시군구.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: RegionCode,
    /// Full name, e.g. `전북특별자치도 전주시`.
    pub name: String,
    /// The 시도 name, e.g. `전북특별자치도`.
    pub sido: String,
    /// The 시군구 part, e.g. `전주시` (None for a 시도).
    pub sigungu: Option<String>,
}

struct Table {
    /// Current (존재) regions by code.
    current: HashMap<String, (String, Option<String>)>,
    /// A 구 of a 시 → that 시 (e.g. 52111 전주시 완산구 → 52110 전주시), from the names.
    city_of: HashMap<String, String>,
}

fn table() -> &'static Table {
    static TABLE_CELL: OnceLock<Table> = OnceLock::new();
    TABLE_CELL.get_or_init(|| {
        let mut sido_names = HashMap::new();
        let mut rows = Vec::new();
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut cols = line.split('\t');
            let (Some(code), Some(name), Some(active)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            if active != "1" {
                continue;
            }
            if code.len() == 2 {
                sido_names.insert(code.to_owned(), name.to_owned());
            }
            rows.push((code.to_owned(), name.to_owned()));
        }
        // 세종특별자치시 has no 시도-level row of its own (only 36110); it is its own 시도.
        for (code, name) in &rows {
            let sido = &code[..2];
            if code.len() == 5 && !sido_names.contains_key(sido) && !name.contains(' ') {
                sido_names.insert(sido.to_owned(), name.clone());
            }
        }
        let mut current = HashMap::new();
        for (code, name) in rows {
            let sido = sido_names
                .get(&code[..2])
                .cloned()
                .unwrap_or_else(|| name.clone());
            let sigungu = if code.len() == 5 {
                Some(
                    name.strip_prefix(&sido)
                        .map(str::trim)
                        .unwrap_or(&name)
                        .to_owned(),
                )
                .filter(|s| !s.is_empty())
            } else {
                None
            };
            current.insert(code, (sido, sigungu));
        }
        for (code, sido) in sido_names {
            current.entry(code).or_insert((sido, None));
        }
        // Codes do not tell a 시's 구 from a neighbouring 군 (영동군 43740, 증평군 43745); the
        // register's names do: "충청북도 청주시 상당구" starts with "충청북도 청주시 ".
        let full_name = |code: &str, (sido, sigungu): &(String, Option<String>)| match sigungu {
            Some(s) if code.len() == 5 => format!("{sido} {s}"),
            _ => sido.clone(),
        };
        let names: Vec<(String, String)> = current
            .iter()
            .filter(|(code, _)| code.len() == 5)
            .map(|(code, v)| (code.clone(), full_name(code, v)))
            .collect();
        let mut city_of = HashMap::new();
        for (code, name) in &names {
            if let Some((city, _)) = names.iter().find(|(other, other_name)| {
                other != code
                    && other[..2] == code[..2]
                    && name.starts_with(&format!("{other_name} "))
            }) {
                city_of.insert(code.clone(), city.clone());
            }
        }
        Table { current, city_of }
    })
}

impl RegionCode {
    /// Parses a 2-, 5- or 10-digit 법정동 code (a 10-digit code is cut to its 시군구, or to its
    /// 시도 when it names one), mapping renamed provinces to their current code. The error names
    /// `field`.
    pub fn parse(input: &str, field: &str) -> Result<Self, FieldError> {
        let digits = input.trim();
        if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
            return Err(FieldError::new(field, "error-region-invalid"));
        }
        let mut code = match digits.len() {
            2 | 5 => digits.to_owned(),
            10 if &digits[2..] == "00000000" => digits[..2].to_owned(),
            10 => digits[..5].to_owned(),
            _ => return Err(FieldError::new(field, "error-region-invalid")),
        };
        for (old, new) in RENAMED_SIDO {
            if code.starts_with(old) {
                code.replace_range(..2, new);
            }
        }
        if table().current.contains_key(&code) {
            Ok(Self(code))
        } else {
            Err(FieldError::new(field, "error-region-unknown"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 시도 this code is in (itself for a 시도).
    pub fn sido(&self) -> RegionCode {
        RegionCode(self.0[..2].to_owned())
    }

    /// True when `other` is this region or lies inside it (a 시도 holds its 시군구, a 시 its 구,
    /// e.g. 전주시 52110 holds 완산구 52111 and 덕진구 52113).
    pub fn contains(&self, other: &RegionCode) -> bool {
        match self.0.len() {
            2 => other.0.starts_with(&self.0),
            _ => self == other || table().city_of.get(&other.0) == Some(&self.0),
        }
    }

    /// The region directly above: the 시 of a 구, else the 시도 (None for a 시도).
    pub fn parent(&self) -> Option<RegionCode> {
        if self.0.len() == 2 {
            return None;
        }
        match table().city_of.get(&self.0) {
            Some(city) => Some(RegionCode(city.clone())),
            None => Some(self.sido()),
        }
    }

    /// The regions directly below: the 시군구 of a 시도 (a 시's 구 are under the 시), the 구 of a 시.
    pub fn children(&self) -> Vec<Region> {
        let mut codes: Vec<RegionCode> = table()
            .current
            .keys()
            .filter(|c| c.len() == 5)
            .map(|c| RegionCode(c.clone()))
            .filter(|c| c.parent().as_ref() == Some(self))
            .collect();
        codes.sort();
        codes.into_iter().map(|c| c.region()).collect()
    }

    pub fn region(&self) -> Region {
        let (sido, sigungu) = table()
            .current
            .get(&self.0)
            .cloned()
            .unwrap_or_else(|| (self.0.clone(), None));
        let name = match &sigungu {
            Some(s) => format!("{sido} {s}"),
            None => sido.clone(),
        };
        Region {
            code: self.clone(),
            name,
            sido,
            sigungu,
        }
    }
}

/// The current region named `"{sido} {sigungu}"` (or just a 시도 name), accepting the names
/// retired by the renames (강원도, 전라북도) and the old 직할시 names.
pub fn find_by_name(name: &str) -> Option<RegionCode> {
    static BY_NAME: OnceLock<HashMap<String, String>> = OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| {
        let mut by_name = HashMap::new();
        // Retired rows first, so a current row with the same name wins.
        for want_active in ["0", "1"] {
            for line in TABLE
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
            {
                let cols: Vec<&str> = line.split('\t').collect();
                if cols.len() == 3 && cols[2] == want_active {
                    by_name.insert(cols[1].to_owned(), cols[0].to_owned());
                }
            }
        }
        by_name
    });
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    by_name
        .get(&name)
        .and_then(|code| RegionCode::parse(code, "region").ok())
}

/// Every current 시도, ordered by code.
pub fn all_sido() -> Vec<Region> {
    let mut codes: Vec<_> = table()
        .current
        .keys()
        .filter(|c| c.len() == 2)
        .cloned()
        .collect();
    codes.sort();
    codes.into_iter().map(|c| RegionCode(c).region()).collect()
}

/// Every current 시군구, ordered by code.
pub fn all_sigungu() -> Vec<Region> {
    let mut codes: Vec<_> = table()
        .current
        .keys()
        .filter(|c| c.len() == 5)
        .cloned()
        .collect();
    codes.sort();
    codes.into_iter().map(|c| RegionCode(c).region()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventeen_sido_and_264_sigungu_are_current() {
        assert_eq!(all_sido().len(), 17);
        assert_eq!(all_sigungu().len(), 264);
    }

    #[test]
    fn renamed_provinces_resolve_to_current_codes() {
        let gangwon = RegionCode::parse("42110", "region").unwrap();
        assert_eq!(gangwon.as_str(), "51110");
        assert_eq!(gangwon.region().name, "강원특별자치도 춘천시");
        let jeonbuk = RegionCode::parse("4500000000", "region").unwrap();
        assert_eq!(jeonbuk.as_str(), "52");
        assert_eq!(jeonbuk.region().sido, "전북특별자치도");
    }

    #[test]
    fn sejong_is_a_sido_of_its_own() {
        let sejong = RegionCode::parse("36", "region").unwrap();
        assert_eq!(sejong.region().name, "세종특별자치시");
    }

    #[test]
    fn ten_digit_codes_are_cut_to_their_sigungu() {
        let jongno = RegionCode::parse("1111010100", "region").unwrap();
        assert_eq!(jongno.as_str(), "11110");
        assert_eq!(jongno.region().sigungu.as_deref(), Some("종로구"));
        assert!(RegionCode::parse("11", "r").unwrap().contains(&jongno));
        assert!(!RegionCode::parse("26", "r").unwrap().contains(&jongno));
    }

    #[test]
    fn districts_belong_to_their_city() {
        let jeonju = RegionCode::parse("52110", "r").unwrap();
        let wansan = RegionCode::parse("52111", "r").unwrap();
        assert!(jeonju.contains(&wansan) && !wansan.contains(&jeonju));
        assert_eq!(wansan.parent(), Some(jeonju.clone()));
        assert_eq!(jeonju.parent().unwrap().as_str(), "52");
        let districts: Vec<String> = jeonju.children().into_iter().map(|r| r.name).collect();
        assert_eq!(
            districts,
            [
                "전북특별자치도 전주시 완산구",
                "전북특별자치도 전주시 덕진구"
            ]
        );
        // 종로구 (11110) and 중구 (11140) are neighbours, not parent and child.
        let jongno = RegionCode::parse("11110", "r").unwrap();
        assert!(!jongno.contains(&RegionCode::parse("11140", "r").unwrap()));
        assert_eq!(RegionCode::parse("11", "r").unwrap().children().len(), 25);
        let yeongdong = RegionCode::parse("43740", "r").unwrap();
        assert!(
            !yeongdong.contains(&RegionCode::parse("43745", "r").unwrap()),
            "증평군 is not in 영동군"
        );
    }

    /// Every 구 that the containment rule puts under a 시 is named after that 시 in the register.
    #[test]
    fn containment_agrees_with_the_names_in_the_register() {
        for region in all_sigungu() {
            let parent = region.code.parent().unwrap();
            assert!(parent.contains(&region.code));
            assert!(
                region.name.starts_with(&parent.region().name),
                "{} under {}",
                region.name,
                parent.region().name
            );
        }
    }

    #[test]
    fn regions_are_found_by_their_names_old_and_new() {
        assert_eq!(find_by_name("대구광역시 남구").unwrap().as_str(), "27200");
        assert_eq!(
            find_by_name("전라북도 전주시 완산구").unwrap().as_str(),
            "52111"
        );
        assert_eq!(
            find_by_name("경상남도  창원시 의창구").unwrap().as_str(),
            "48121"
        );
        assert!(find_by_name("아틀란티스시").is_none());
    }

    #[test]
    fn malformed_and_unknown_codes_are_field_errors() {
        assert_eq!(
            RegionCode::parse("abc", "region_code").unwrap_err().code,
            "error-region-invalid"
        );
        assert_eq!(
            RegionCode::parse("123", "region_code").unwrap_err().code,
            "error-region-invalid"
        );
        let unknown = RegionCode::parse("99", "region_code").unwrap_err();
        assert_eq!(
            (unknown.field.as_str(), unknown.code),
            ("region_code", "error-region-unknown")
        );
    }
}
