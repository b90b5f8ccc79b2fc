//! 상권업종: the SEMAS business classification of the store register. Current codes are the
//! 2023 247-code table (e.g. `I21001` 빵/도넛); files from before 2023 carry the old 837 codes
//! (e.g. `Q12A01`), mapped through the official 837→247 table. Old codes the table drops (제외)
//! have no current code; a split old code (분리) maps to the first new code the table lists.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::kernel::error::FieldError;

const CODES_247: &str = include_str!("../../data/industry-codes-247.csv");
const MAP_837: &str = include_str!("../../data/industry-code-map-837-to-247.csv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Industry {
    /// The 6-character 소분류 code, e.g. `I21001`.
    pub code: String,
    /// 대분류 (e.g. 음식), 중분류, 소분류 names.
    pub major: String,
    pub middle: String,
    pub name: String,
}

struct Tables {
    current: HashMap<String, Industry>,
    old_to_new: HashMap<String, Option<String>>,
}

/// Splits one CSV line with quotes (the two embedded tables quote names that contain commas).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().expect("starts with one").push(c),
        }
    }
    fields
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut current = HashMap::new();
        for line in CODES_247.lines().skip(2) {
            let f = csv_fields(line.trim_start_matches('\u{feff}'));
            if f.len() >= 6 && !f[4].is_empty() {
                current.insert(
                    f[4].clone(),
                    Industry {
                        code: f[4].clone(),
                        major: f[1].clone(),
                        middle: f[3].clone(),
                        name: f[5].clone(),
                    },
                );
            }
        }
        let mut old_to_new: HashMap<String, Option<String>> = HashMap::new();
        for line in MAP_837.lines().skip(2) {
            let f = csv_fields(line);
            if f.len() >= 5 && !f[0].is_empty() {
                let new = Some(f[4].clone()).filter(|c| current.contains_key(c));
                old_to_new.entry(f[0].clone()).or_insert(new);
            }
        }
        Tables {
            current,
            old_to_new,
        }
    })
}

/// The current 247-code industry for a current or an old code.
pub fn resolve(code: &str, field: &str) -> Result<&'static Industry, FieldError> {
    let code = code.trim();
    let tables = tables();
    if let Some(industry) = tables.current.get(code) {
        return Ok(industry);
    }
    match tables.old_to_new.get(code) {
        Some(Some(new)) => Ok(&tables.current[new]),
        Some(None) => Err(FieldError::new(field, "error-industry-retired")),
        None => Err(FieldError::new(field, "error-industry-unknown")),
    }
}

/// Every current industry, ordered by code.
pub fn all() -> Vec<&'static Industry> {
    let mut all: Vec<_> = tables().current.values().collect();
    all.sort_by(|a, b| a.code.cmp(&b.code));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_247_current_codes() {
        assert_eq!(all().len(), 247);
        let bread = resolve("I21001", "industry_code").unwrap();
        assert_eq!(
            (bread.major.as_str(), bread.name.as_str()),
            ("음식점업", "빵/도넛")
        );
    }

    #[test]
    fn old_codes_map_to_current_ones() {
        // 타이어판매 (D23A04) became 타이어 소매업 (G20201).
        assert_eq!(resolve("D23A04", "industry_code").unwrap().code, "G20201");
        // 수입자동차판매 (D23A09) was dropped in 2023.
        assert_eq!(
            resolve("D23A09", "industry_code").unwrap_err().code,
            "error-industry-retired"
        );
        assert_eq!(
            resolve("ZZZZZZ", "industry_code").unwrap_err().code,
            "error-industry-unknown"
        );
    }

    #[test]
    fn every_old_code_resolves_as_the_official_map_says() {
        // The map's columns: old code and its three names; new code and its 대분류, 중분류 and
        // 소분류 names; 비고 (유지, 통합, 분리, 제외; 추가 for most new codes without an old one).
        let mut listed: Vec<(String, Vec<Vec<String>>)> = Vec::new();
        for (number, line) in MAP_837.lines().enumerate().skip(2) {
            let row = csv_fields(line);
            // Nine columns; some lines end in a stray comma.
            assert!(
                row.len() == 9 || (row.len() == 10 && row[9].is_empty()),
                "line {}: {line}",
                number + 1
            );
            if row[0].is_empty() {
                // A new code without an old one (mostly 추가): it must be a current code.
                assert!(
                    tables().current.contains_key(&row[4]),
                    "line {}: {line}",
                    number + 1
                );
                continue;
            }
            match listed.iter_mut().find(|(old, _)| *old == row[0]) {
                Some((_, rows)) => rows.push(row),
                None => listed.push((row[0].clone(), vec![row])),
            }
        }
        assert_eq!(listed.len(), 837, "the map names 837 old codes");

        let mut faults = Vec::new();
        let (mut mapped, mut retired) = (0, 0);
        for (old, rows) in &listed {
            // A split code goes to the first new code listed; the others must exist too.
            let first = &rows[0];
            let result = resolve(old, "industry_code");
            if first[8] == "제외" {
                retired += 1;
                if !first[4].is_empty() || rows.len() != 1 {
                    faults.push(format!("{old}: dropped yet listed with {rows:?}"));
                }
                match result {
                    Err(e) if e.code == "error-industry-retired" => {}
                    other => faults.push(format!("{old}: dropped, but resolves to {other:?}")),
                }
                continue;
            }
            mapped += 1;
            match result {
                Ok(industry)
                    if industry.code == first[4]
                        && industry.major == first[5]
                        && industry.middle == first[6]
                        && industry.name == first[7] => {}
                other => faults.push(format!("{old}: expected {first:?}, resolves to {other:?}")),
            }
            for row in rows {
                if !matches!(row[8].as_str(), "유지" | "통합" | "분리") {
                    faults.push(format!("{old}: unexpected 비고 in {row:?}"));
                }
                if tables().current.get(&row[4]).map(|i| &i.code) != Some(&row[4]) {
                    faults.push(format!("{old}: {} is not a current code", row[4]));
                }
            }
        }
        assert!(faults.is_empty(), "{}", faults.join("\n"));
        assert_eq!((mapped, retired), (681, 156));
    }
}
