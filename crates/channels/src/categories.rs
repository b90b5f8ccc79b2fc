//! Marketplace category trees as the marketplaces hand them out, read into one flat list of leaf
//! categories (code and `대>중>소>세` path). The trees are not all public (MARKETPLACES.md §7), so
//! an operator loads what the marketplace returns:
//!
//! - Naver `GET /v1/categories?last=true`: `[{"wholeCategoryName", "id", "name", "last"}]`;
//! - Coupang display categories: the API's tree `{"displayCategoryCode", "name", "child": […]}`
//!   (or its `data`), or a flat dump `[{"c": code, "p": "대>중>소"}]`;
//! - 11st `GET /rest/cateservice/category`: XML `<category>` elements with `dispNo`, `dispNm`,
//!   `parentDispNo`, `leafYn`;
//! - any of them as CSV with a header naming `code` and `path` columns.

use std::collections::HashMap;

use serde_json::Value;

use gachi_domain::kernel::channel::Channel;

/// One leaf category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRow {
    pub code: String,
    /// `패션의류>여성의류>니트>풀오버`.
    pub path: String,
}

/// Reads a category file for `channel`; the error says what was expected.
pub fn parse(channel: Channel, text: &str) -> Result<Vec<CategoryRow>, String> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let rows = if text.starts_with('[') || text.starts_with('{') {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
        from_json(channel, &value)?
    } else if text.starts_with('<') {
        from_xml(text)?
    } else {
        from_csv(text)?
    };
    if rows.is_empty() {
        return Err("no leaf categories found".to_owned());
    }
    Ok(rows)
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn from_json(channel: Channel, value: &Value) -> Result<Vec<CategoryRow>, String> {
    let value = value.get("data").unwrap_or(value);
    let mut rows = Vec::new();
    match value {
        Value::Array(items) => {
            for item in items {
                if let (Some(code), Some(path)) = (
                    text_of(&item["id"]).or_else(|| text_of(&item["c"])),
                    text_of(&item["wholeCategoryName"]).or_else(|| text_of(&item["p"])),
                ) {
                    // Naver marks leaves with `last`; dumps hold leaves only.
                    if item["last"] != Value::Bool(false) {
                        rows.push(CategoryRow { code, path });
                    }
                } else if item.get("child").is_some() || item.get("displayCategoryCode").is_some() {
                    walk_tree(item, "", &mut rows);
                }
            }
        }
        Value::Object(_) => walk_tree(value, "", &mut rows),
        _ => {}
    }
    if rows.is_empty() && channel == Channel::Naver {
        return Err(
            "expected Naver's category list: [{\"wholeCategoryName\", \"id\", \"last\"}]".into(),
        );
    }
    Ok(rows)
}

/// Coupang's display-category tree: leaves are the nodes without children; the root (code 0)
/// is not part of the path.
fn walk_tree(node: &Value, prefix: &str, rows: &mut Vec<CategoryRow>) {
    let name = text_of(&node["name"]).unwrap_or_default();
    let code = text_of(&node["displayCategoryCode"]);
    let is_root = code.as_deref() == Some("0") || name == "ROOT";
    let path = match (prefix.is_empty(), is_root) {
        (_, true) => String::new(),
        (true, false) => name,
        (false, false) => format!("{prefix}>{name}"),
    };
    if node["status"].as_str().is_some_and(|s| s != "ACTIVE") {
        return;
    }
    match node["child"].as_array().filter(|c| !c.is_empty()) {
        Some(children) => {
            for child in children {
                walk_tree(child, &path, rows);
            }
        }
        None => {
            if let Some(code) = code.filter(|_| !path.is_empty()) {
                rows.push(CategoryRow { code, path });
            }
        }
    }
}

/// The text of `<tag>` (optionally namespaced, `ns2:tag`) inside `element`.
fn tag<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    for open in [format!("<{name}>"), format!("<ns2:{name}>")] {
        if let Some(start) = element.find(&open) {
            let start = start + open.len();
            let end = element[start..].find("</")? + start;
            return Some(element[start..end].trim());
        }
    }
    None
}

/// 11st's flat XML: every category with its parent; leaves carry `leafYn` Y.
fn from_xml(xml: &str) -> Result<Vec<CategoryRow>, String> {
    let mut nodes: HashMap<String, (String, String, bool)> = HashMap::new();
    let mut order = Vec::new();
    for element in xml.split("category>").filter(|e| e.contains("dispNo")) {
        let (Some(code), Some(name)) = (tag(element, "dispNo"), tag(element, "dispNm")) else {
            continue;
        };
        let parent = tag(element, "parentDispNo").unwrap_or("0").to_owned();
        let leaf = tag(element, "leafYn") == Some("Y");
        nodes.insert(code.to_owned(), (name.to_owned(), parent, leaf));
        order.push(code.to_owned());
    }
    if nodes.is_empty() {
        return Err(
            "expected 11st's category XML with dispNo, dispNm, parentDispNo, leafYn".into(),
        );
    }
    let mut rows = Vec::new();
    for code in order {
        let (_, _, leaf) = &nodes[&code];
        if !leaf {
            continue;
        }
        let mut names = Vec::new();
        let mut at = Some(code.clone());
        while let Some(current) = at.take() {
            let Some((name, parent, _)) = nodes.get(&current) else {
                break;
            };
            names.push(name.clone());
            if names.len() < 10 {
                at = Some(parent.clone());
            }
        }
        names.reverse();
        rows.push(CategoryRow {
            code,
            path: names.join(">"),
        });
    }
    Ok(rows)
}

/// A CSV with `code` and `path` columns (any order, more columns ignored).
fn from_csv(text: &str) -> Result<Vec<CategoryRow>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let (Some(code), Some(path)) = (
        column(&["code", "id", "코드", "카테고리코드"]),
        column(&["path", "name", "경로", "카테고리"]),
    ) else {
        return Err("the CSV needs `code` and `path` columns".into());
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        if let (Some(c), Some(p)) = (record.get(code), record.get(path))
            && !c.trim().is_empty()
            && !p.trim().is_empty()
        {
            rows.push(CategoryRow {
                code: c.trim().to_owned(),
                path: p.trim().to_owned(),
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_reads_into_leaves_with_paths() {
        let naver = r#"[{"wholeCategoryName":"식품>가공식품>즉석식품>밀키트","id":"50002416","name":"밀키트","last":true},
                        {"wholeCategoryName":"식품>가공식품","id":"50000146","name":"가공식품","last":false}]"#;
        assert_eq!(
            parse(Channel::Naver, naver).unwrap(),
            [CategoryRow {
                code: "50002416".into(),
                path: "식품>가공식품>즉석식품>밀키트".into()
            }]
        );
        let coupang_tree = r#"{"code":"SUCCESS","data":{"displayCategoryCode":0,"name":"ROOT","status":"ACTIVE","child":[
            {"displayCategoryCode":59258,"name":"식품","status":"ACTIVE","child":[
              {"displayCategoryCode":58927,"name":"밀키트","status":"ACTIVE","child":[]},
              {"displayCategoryCode":58928,"name":"단종","status":"DISABLED","child":[]}]}]}}"#;
        assert_eq!(
            parse(Channel::Coupang, coupang_tree).unwrap(),
            [CategoryRow {
                code: "58927".into(),
                path: "식품>밀키트".into()
            }]
        );
        let dump = r#"[{"c":78877,"p":"자동차용품>차량용 거치대>스마트폰 거치대","r":[],"n":2}]"#;
        assert_eq!(parse(Channel::Coupang, dump).unwrap()[0].code, "78877");
        let elevenst = "<ns2:categorys><ns2:category><depth>1</depth><dispNm>식품</dispNm><dispNo>1001</dispNo><parentDispNo>0</parentDispNo><leafYn>N</leafYn></ns2:category>\
            <ns2:category><depth>2</depth><dispNm>간편식</dispNm><dispNo>1012380</dispNo><parentDispNo>1001</parentDispNo><leafYn>Y</leafYn></ns2:category></ns2:categorys>";
        assert_eq!(
            parse(Channel::ElevenSt, elevenst).unwrap(),
            [CategoryRow {
                code: "1012380".into(),
                path: "식품>간편식".into()
            }]
        );
        let csv = "code,path\n300026457,식품>간편식>밀키트\n";
        assert_eq!(
            parse(Channel::Esm, csv).unwrap()[0].path,
            "식품>간편식>밀키트"
        );
        assert!(parse(Channel::Naver, "[]").is_err());
        assert!(
            parse(Channel::Esm, "a,b\n1,2\n")
                .unwrap_err()
                .contains("code")
        );
    }
}
