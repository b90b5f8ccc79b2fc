//! The product spreadsheet: one row per product, for merchants and staff who keep products in
//! Excel. [`COLUMNS`] is the documented template (`gachi products template` writes it, the README
//! lists it); [`row_to_file`] turns a row into a product file v1, which is then checked like any
//! other; [`column_of`] names the column a product-file error belongs to, for the rejects report.
//!
//! Headers are matched by their Korean name or their English key, in any order; columns the
//! template does not know are ignored. Notice fields are columns `고시:<label>` (or
//! `notice:<fieldName>`) of the row's notice type. Options are up to two groups; the variants are
//! every combination, in order, with per-combination stock and surcharge lists when given.

use std::collections::BTreeMap;

use crate::ValidationErrors;
use crate::catalog::notice;
use crate::catalog::product::{
    AfterServiceFile, Certification, ImagesFile, Loose, NoticeFile, OptionGroup, OriginFile,
    ProductFile, ShippingFile, VariantFile,
};

/// One column of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The Korean header the template writes.
    pub header: &'static str,
    /// The English header also accepted.
    pub key: &'static str,
    /// The product-file path its value goes to (errors at this path are reported here).
    pub path: &'static str,
    pub required: bool,
    /// What to write, in Korean.
    pub help: &'static str,
    pub example: &'static str,
}

const fn col(
    header: &'static str,
    key: &'static str,
    path: &'static str,
    required: bool,
    help: &'static str,
    example: &'static str,
) -> Column {
    Column {
        header,
        key,
        path,
        required,
        help,
        example,
    }
}

/// Prefix of a notice-field column (`고시:식품의 유형`).
pub const NOTICE_PREFIX: &str = "고시:";
/// The English prefix (`notice:foodType`).
pub const NOTICE_PREFIX_EN: &str = "notice:";

/// The template's columns, in order.
pub const COLUMNS: &[Column] = &[
    col(
        "상품코드",
        "sku",
        "sku",
        true,
        "가게에서 쓰는 상품 코드 (띄어쓰기 없이). 이미 있는 코드면 그 상품을 고칩니다.",
        "JJ-BIBIM-2",
    ),
    col(
        "상품명",
        "name",
        "name",
        true,
        "마켓에 보일 이름.",
        "전주 한옥마을 비빔밥 밀키트 2인분",
    ),
    col("판매가", "price", "price", true, "원, 숫자만.", "15900"),
    col(
        "정가",
        "list_price",
        "list_price",
        false,
        "할인 전 가격 (판매가 이상). 비우면 할인 없음.",
        "19900",
    ),
    col("재고", "stock", "stock", true, "수량, 숫자만.", "120"),
    col(
        "과세",
        "tax",
        "tax",
        false,
        "과세, 면세, 영세 중 하나. 비우면 과세.",
        "과세",
    ),
    col("브랜드", "brand", "brand", false, "", "한옥식당"),
    col(
        "제조사",
        "manufacturer",
        "manufacturer",
        false,
        "",
        "한옥식당",
    ),
    col("모델명", "model", "model", false, "", ""),
    col(
        "원산지",
        "origin",
        "origin.kind",
        false,
        "국산 또는 수입.",
        "국산",
    ),
    col(
        "원산지 지역",
        "origin_region",
        "origin.region",
        false,
        "국산일 때 시도와 시군구.",
        "전북특별자치도 전주시",
    ),
    col(
        "수입국",
        "origin_country",
        "origin.country",
        false,
        "수입일 때 나라 이름.",
        "",
    ),
    col(
        "수입자",
        "importer",
        "origin.importer",
        false,
        "수입일 때 수입한 회사.",
        "",
    ),
    col(
        "대표 이미지",
        "image_main",
        "images.main",
        false,
        "https:// 로 시작하는 사진 주소.",
        "https://img.example/bibimbap.jpg",
    ),
    col(
        "추가 이미지",
        "image_extra",
        "images.extra",
        false,
        "사진 주소를 | 로 나눠 20개까지.",
        "",
    ),
    col(
        "옵션1 이름",
        "option1_name",
        "options[0].name",
        false,
        "예: 맛",
        "맛",
    ),
    col(
        "옵션1 값",
        "option1_values",
        "options[0].values",
        false,
        "쉼표로 나눠서.",
        "순한맛, 매운맛",
    ),
    col(
        "옵션2 이름",
        "option2_name",
        "options[1].name",
        false,
        "",
        "",
    ),
    col(
        "옵션2 값",
        "option2_values",
        "options[1].values",
        false,
        "",
        "",
    ),
    col(
        "옵션별 재고",
        "variant_stock",
        "variants",
        false,
        "옵션 조합 순서대로 쉼표로. 비우면 조합마다 재고 수량.",
        "60, 60",
    ),
    col(
        "옵션별 추가금",
        "variant_price",
        "variants",
        false,
        "옵션 조합 순서대로 쉼표로 (원). 비우면 0.",
        "0, 1000",
    ),
    col(
        "고시 유형",
        "notice_type",
        "notice.type",
        false,
        "상품정보제공고시 유형: 가공식품, 의류 같은 이름이나 GENERAL_FOOD 같은 코드.",
        "가공식품",
    ),
    col(
        "배송비",
        "shipping_fee",
        "shipping.fee",
        false,
        "원. 무료면 0.",
        "3000",
    ),
    col(
        "무료배송 기준",
        "free_over",
        "shipping.free_over",
        false,
        "이 금액 이상 사면 무료 (원).",
        "30000",
    ),
    col(
        "출고 소요일",
        "dispatch_days",
        "shipping.dispatch_days",
        false,
        "주문 뒤 보내기까지 걸리는 날.",
        "2",
    ),
    col(
        "택배사",
        "courier",
        "shipping.courier",
        false,
        "택배사 코드 (CJGLS, HANJIN, EPOST, LOTTE, LOGEN …).",
        "CJGLS",
    ),
    col(
        "반품 배송비",
        "return_fee",
        "shipping.return_fee",
        false,
        "편도 (원).",
        "3000",
    ),
    col(
        "교환 배송비",
        "exchange_fee",
        "shipping.exchange_fee",
        false,
        "왕복 (원).",
        "6000",
    ),
    col(
        "출고지 주소",
        "ship_from",
        "shipping.ship_from",
        false,
        "",
        "전북특별자치도 전주시 완산구 동문길 67",
    ),
    col(
        "반품지 주소",
        "return_to",
        "shipping.return_to",
        false,
        "",
        "전북특별자치도 전주시 완산구 동문길 67",
    ),
    col(
        "A/S 전화번호",
        "as_phone",
        "after_service.phone",
        false,
        "",
        "063-123-4567",
    ),
    col(
        "A/S 안내",
        "as_guide",
        "after_service.guide",
        false,
        "",
        "평일 9시~18시",
    ),
    col(
        "미성년자 구매",
        "minor_purchasable",
        "minor_purchasable",
        false,
        "가능 또는 불가.",
        "가능",
    ),
    col(
        "검색어",
        "tags",
        "tags",
        false,
        "쉼표로 나눠 20개까지, 하나에 20자까지.",
        "밀키트, 비빔밥",
    ),
    col(
        "인증",
        "certifications",
        "certifications",
        false,
        "종류:번호 를 쉼표로 (예: HACCP:2023-1-1234).",
        "HACCP:2023-1-1234",
    ),
    col(
        "네이버 카테고리",
        "naver_category",
        "channel_categories.naver",
        false,
        "스마트스토어 카테고리 번호.",
        "50000803",
    ),
    col(
        "쿠팡 카테고리",
        "coupang_category",
        "channel_categories.coupang",
        false,
        "쿠팡 카테고리 코드.",
        "",
    ),
    col(
        "11번가 카테고리",
        "11st_category",
        "channel_categories.11st",
        false,
        "11번가 카테고리 번호.",
        "",
    ),
    col(
        "ESM 카테고리",
        "esm_category",
        "channel_categories.esm",
        false,
        "G마켓·옥션 카테고리 코드.",
        "",
    ),
    col(
        "상세설명 HTML",
        "detail_html",
        "detail_html",
        false,
        "직접 만든 상세페이지 HTML (비우면 가치에서 만든 상세페이지).",
        "",
    ),
];

/// The header row of the template for a notice type: the columns, then that type's notice
/// fields as `고시:<label>` (required ones first).
pub fn headers(notice_type: Option<&notice::NoticeType>) -> Vec<String> {
    let mut headers: Vec<String> = COLUMNS.iter().map(|c| c.header.to_owned()).collect();
    if let Some(kind) = notice_type {
        let mut fields: Vec<&notice::NoticeField> = kind.fields.iter().collect();
        fields.sort_by_key(|f| !f.required);
        headers.extend(fields.iter().map(|f| format!("{NOTICE_PREFIX}{}", f.label)));
    }
    headers
}

/// Which template column each header of a file is (index by header position); None for
/// unknown headers. Fails when a required column is missing, naming it.
pub fn map_headers(header: &[String]) -> Result<Vec<Option<HeaderKind>>, Vec<&'static str>> {
    let mapped: Vec<Option<HeaderKind>> = header
        .iter()
        .map(|h| {
            let h = h.trim().trim_start_matches('\u{feff}');
            if let Some(label) = h
                .strip_prefix(NOTICE_PREFIX)
                .or_else(|| h.strip_prefix(NOTICE_PREFIX_EN))
            {
                return Some(HeaderKind::Notice(label.trim().to_owned()));
            }
            COLUMNS
                .iter()
                .position(|c| c.header == h || c.key.eq_ignore_ascii_case(h))
                .map(HeaderKind::Column)
        })
        .collect();
    let missing: Vec<&'static str> = COLUMNS
        .iter()
        .enumerate()
        .filter(|(i, c)| c.required && !mapped.contains(&Some(HeaderKind::Column(*i))))
        .map(|(_, c)| c.header)
        .collect();
    if missing.is_empty() {
        Ok(mapped)
    } else {
        Err(missing)
    }
}

/// What a header of a file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderKind {
    /// Index into [`COLUMNS`].
    Column(usize),
    /// A notice field, by Korean label or field name.
    Notice(String),
}

/// A row as a product file (then checked by [`ProductFile::check`] like any other). The errors
/// here are what a product file cannot even hold: a notice column of no known type, option lists
/// that do not match the combinations, a yes/no that is neither.
pub fn row_to_file(
    headers: &[Option<HeaderKind>],
    row: &[String],
) -> Result<ProductFile, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut notice_cells: Vec<(String, String)> = Vec::new();
    for (header, cell) in headers.iter().zip(row) {
        let cell = cell.trim();
        match header {
            Some(HeaderKind::Column(i)) if !cell.is_empty() => {
                values.insert(COLUMNS[*i].key, cell.to_owned());
            }
            Some(HeaderKind::Notice(label)) if !cell.is_empty() => {
                notice_cells.push((label.clone(), cell.to_owned()))
            }
            _ => {}
        }
    }
    let text = |key: &str| values.get(key).cloned();
    let number = |key: &str| text(key).map(|cell| loose(&cell));
    let list = |key: &str, separator: char| -> Vec<String> {
        text(key)
            .map(|v| {
                v.split(separator)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };

    let mut file = ProductFile {
        sku: text("sku").unwrap_or_default(),
        name: text("name").unwrap_or_default(),
        brand: text("brand"),
        manufacturer: text("manufacturer"),
        model: text("model"),
        price: number("price"),
        list_price: number("list_price"),
        stock: number("stock"),
        detail_html: text("detail_html"),
        tags: list("tags", ','),
        ..ProductFile::default()
    };
    file.tax = text("tax").map(|t| {
        match t.as_str() {
            "과세" => "taxable",
            "면세" => "tax_free",
            "영세" | "영세율" => "zero_rated",
            other => return other.to_owned(),
        }
        .to_owned()
    });
    if let Some(kind) = text("origin") {
        file.origin = Some(OriginFile {
            kind: match kind.as_str() {
                "국산" | "국내" | "국내산" => "domestic".to_owned(),
                "수입" | "수입산" => "imported".to_owned(),
                other => other.to_owned(),
            },
            region: text("origin_region"),
            country: text("origin_country"),
            importer: text("importer"),
        });
    }
    let extra = list("image_extra", '|');
    if let Some(main) = text("image_main") {
        file.images = Some(ImagesFile { main, extra });
    } else if !extra.is_empty() {
        file.images = Some(ImagesFile {
            main: String::new(),
            extra,
        });
    }
    for (name_key, values_key) in [
        ("option1_name", "option1_values"),
        ("option2_name", "option2_values"),
    ] {
        let name = text(name_key).unwrap_or_default();
        let group_values = list(values_key, ',');
        if !name.is_empty() || !group_values.is_empty() {
            file.options.push(OptionGroup {
                name,
                values: group_values,
            });
        }
    }
    if !file.options.is_empty() {
        let combinations = crate::catalog::product::option_combinations(&file.options);
        let stocks = list("variant_stock", ',');
        let surcharges = list("variant_price", ',');
        let fits = |given: &[String]| given.is_empty() || given.len() == combinations.len();
        // Each column reports under its own name (`column_of`).
        if !fits(&stocks) {
            errors.push("variants.stock", "error-sheet-variant-count");
        }
        if !fits(&surcharges) {
            errors.push("variants.price_delta", "error-sheet-variant-count");
        }
        file.variants = combinations
            .into_iter()
            .enumerate()
            .map(|(i, values)| VariantFile {
                sku: String::new(),
                values,
                stock: stocks
                    .get(i)
                    .map(|cell| loose(cell))
                    .or_else(|| file.stock.clone()),
                price_delta: Some(
                    surcharges
                        .get(i)
                        .map(|cell| loose(cell))
                        .unwrap_or(Loose::Int(0)),
                ),
            })
            .collect();
    }
    let given = text("notice_type");
    let found = given.as_deref().and_then(notice::find_by_name_or_label);
    // An unknown type is kept as written, for the check to report.
    let kind = given.map(|t| found.map_or(t, |k| k.upper.clone()));
    if kind.is_some() || !notice_cells.is_empty() {
        let mut fields = BTreeMap::new();
        for (label, value) in notice_cells {
            match found.and_then(|k| {
                k.fields
                    .iter()
                    .find(|f| f.name == label || label_key(&f.label) == label_key(&label))
            }) {
                Some(field) => {
                    fields.insert(field.name.clone(), value);
                }
                None if found.is_some() => {
                    errors.push(format!("notice.fields.{label}"), "error-sheet-notice-field");
                }
                // Without a known type the type itself is the error (reported by the check).
                None => {}
            }
        }
        file.notice = Some(NoticeFile {
            kind: kind.unwrap_or_default(),
            fields,
        });
    }
    let shipping = ShippingFile {
        fee: number("shipping_fee"),
        free_over: number("free_over"),
        dispatch_days: number("dispatch_days"),
        courier: text("courier"),
        return_fee: number("return_fee"),
        exchange_fee: number("exchange_fee"),
        ship_from: text("ship_from"),
        return_to: text("return_to"),
    };
    if shipping != ShippingFile::default() {
        file.shipping = Some(shipping);
    }
    if text("as_phone").is_some() || text("as_guide").is_some() {
        file.after_service = Some(AfterServiceFile {
            phone: text("as_phone").unwrap_or_default(),
            guide: text("as_guide").unwrap_or_default(),
        });
    }
    file.minor_purchasable = match text("minor_purchasable").as_deref() {
        None => None,
        Some("가능" | "예" | "Y" | "y" | "yes" | "true" | "O") => Some(true),
        Some("불가" | "불가능" | "아니오" | "N" | "n" | "no" | "false" | "X") => {
            Some(false)
        }
        Some(_) => {
            errors.push("minor_purchasable", "error-sheet-yes-no");
            None
        }
    };
    file.certifications = list("certifications", ',')
        .into_iter()
        .map(|c| match c.split_once(':') {
            Some((kind, number)) => Certification {
                kind: kind.trim().to_owned(),
                number: number.trim().to_owned(),
            },
            None => Certification {
                kind: c,
                number: String::new(),
            },
        })
        .collect();
    for (channel, key) in [
        ("naver", "naver_category"),
        ("coupang", "coupang_category"),
        ("11st", "11st_category"),
        ("esm", "esm_category"),
    ] {
        if let Some(code) = text(key) {
            file.channel_categories
                .insert(channel.to_owned(), Some(code));
        }
    }
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// A cell meant as a number: a whole number (`15900`, `15,900`) as one, anything else kept as
/// written so the product check names it.
fn loose(cell: &str) -> Loose {
    Loose::typed(cell)
}

/// A notice label compared by its letters and digits only: spreadsheets saved in CP949 turn the
/// official labels' ｢ ｣ into `?`, and people retype brackets and spaces differently.
fn label_key(label: &str) -> String {
    label.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The column a product-file error path belongs to, for the rejects report: `notice.fields.X`
/// → `고시:<label>`, `variants[2].stock` → `옵션별 재고`, `shipping.fee` → `배송비`.
pub fn column_of(path: &str, notice_type: &str) -> String {
    if let Some(name) = path.strip_prefix("notice.fields.") {
        let label = notice::find(notice_type)
            .and_then(|k| k.field(name))
            .map(|f| f.label.as_str())
            .unwrap_or(name);
        return format!("{NOTICE_PREFIX}{label}");
    }
    if path.starts_with("variants") {
        return if path.ends_with("price_delta") {
            "옵션별 추가금"
        } else {
            "옵션별 재고"
        }
        .to_owned();
    }
    let base = |p: &str| {
        p.split('[')
            .next()
            .unwrap_or(p)
            .trim_end_matches('.')
            .to_owned()
    };
    COLUMNS
        .iter()
        .find(|c| c.path == path)
        .or_else(|| COLUMNS.iter().find(|c| base(c.path) == base(path)))
        .map(|c| c.header.to_owned())
        .unwrap_or_else(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, &str)]) -> (Vec<Option<HeaderKind>>, Vec<String>) {
        let header: Vec<String> = pairs.iter().map(|(h, _)| h.to_string()).collect();
        let mapped = map_headers(&header).unwrap();
        (mapped, pairs.iter().map(|(_, v)| v.to_string()).collect())
    }

    #[test]
    fn the_template_example_row_is_a_valid_product() {
        let mut header = headers(notice::find("GENERAL_FOOD"));
        let mut cells: Vec<String> = COLUMNS.iter().map(|c| c.example.to_owned()).collect();
        let kind = notice::find("GENERAL_FOOD").unwrap();
        let mut fields: Vec<&notice::NoticeField> = kind.fields.iter().collect();
        fields.sort_by_key(|f| !f.required);
        for field in fields {
            cells.push(match (field.required, field.name.as_str()) {
                (_, "geneticallyModified") => "false".into(),
                (true, _) => notice::SEE_DETAIL_PAGE.into(),
                (false, _) => String::new(),
            });
        }
        header.push("메모".into());
        cells.push("무시되는 칸".into());
        let mapped = map_headers(&header).unwrap();
        let file = row_to_file(&mapped, &cells).unwrap();
        assert_eq!(file.variants.len(), 2);
        assert_eq!(file.variants[1].values, ["매운맛"]);
        assert_eq!(file.variants[1].price_delta, Some(Loose::Int(1000)));
        assert_eq!(file.tax.as_deref(), Some("taxable"));
        assert_eq!(file.origin.as_ref().unwrap().kind, "domestic");
        assert_eq!(file.minor_purchasable, Some(true));
        assert_eq!(file.notice.as_ref().unwrap().kind, "GENERAL_FOOD");
        assert_eq!(file.certifications[0].number, "2023-1-1234");
        file.check()
            .expect("the example row passes every common check");
    }

    #[test]
    fn headers_in_english_any_order_and_required_columns_named() {
        let (mapped, cells) = row(&[
            ("price", "15900"),
            ("name", "비빔밥"),
            ("stock", "3"),
            ("sku", "A-1"),
            ("notice:foodType", "즉석조리식품"),
            ("notice_type", "GENERAL_FOOD"),
        ]);
        let file = row_to_file(&mapped, &cells).unwrap();
        assert_eq!(file.name, "비빔밥");
        assert_eq!(file.notice.unwrap().fields["foodType"], "즉석조리식품");
        assert_eq!(
            map_headers(&["상품명".to_owned(), "판매가".to_owned()]).unwrap_err(),
            ["상품코드", "재고"]
        );
    }

    #[test]
    fn what_a_row_cannot_hold_is_a_field_error() {
        let (mapped, cells) = row(&[
            ("상품코드", "A-1"),
            ("상품명", "비빔밥"),
            ("판매가", "15900"),
            ("재고", "3"),
            ("옵션1 이름", "맛"),
            ("옵션1 값", "순한맛, 매운맛"),
            ("옵션별 재고", "1, 2, 3"),
            ("옵션별 추가금", "0, 500"),
            ("미성년자 구매", "글쎄요"),
            ("고시 유형", "가공식품"),
            ("고시:없는 항목", "값"),
        ]);
        let errors = row_to_file(&mapped, &cells).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        // Three stocks for two combinations: the stock column, not the surcharge column.
        assert!(fields.contains(&"variants.stock"), "{fields:?}");
        assert!(!fields.contains(&"variants.price_delta"), "{fields:?}");
        assert_eq!(column_of("variants.stock", ""), "옵션별 재고");
        assert_eq!(column_of("variants.price_delta", ""), "옵션별 추가금");
        assert!(fields.contains(&"minor_purchasable"), "{fields:?}");
        assert!(fields.contains(&"notice.fields.없는 항목"), "{fields:?}");
    }

    #[test]
    fn errors_are_reported_at_their_column() {
        assert_eq!(column_of("price", ""), "판매가");
        assert_eq!(
            column_of("notice.fields.foodType", "GENERAL_FOOD"),
            "고시:식품의 유형"
        );
        assert_eq!(column_of("variants[1].price_delta", ""), "옵션별 추가금");
        assert_eq!(column_of("options[1].values", ""), "옵션2 값");
        assert_eq!(column_of("images.extra[3]", ""), "추가 이미지");
        assert_eq!(column_of("shipping.fee", ""), "배송비");
    }
}
