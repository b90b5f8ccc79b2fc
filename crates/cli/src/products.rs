//! `gachi products import FILE --merchant ID`, `gachi products export --merchant ID` and
//! `gachi products template`: products in bulk. Import takes a JSON array of product files v1, or
//! the product spreadsheet (.xlsx, or CSV in UTF-8 or CP949; one row per product, columns in
//! `gachi_domain::catalog::sheet`, the template written by `template`). Each item is checked on its
//! own, good items are saved (a sku the shop already has is updated), bad ones are reported by
//! item number or line and by field (the sheet's column) in FILE.rejected.csv, and the import
//! goes on. A sku repeated in the file is refused after its first item (which one was meant is
//! the seller's call). Export writes the shop's products as a JSON array that import reads back.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use gachi_domain::catalog::Catalog;
use gachi_domain::catalog::import::{ImportRefused, Imported};
use gachi_domain::catalog::product::ProductFile;
use gachi_domain::catalog::sheet;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::merchants::merchant::MerchantId;
use gachi_domain::ports::{Store, SystemClock};
use gachi_web::i18n::Tr;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub created: u64,
    pub updated: u64,
    pub rejected: u64,
}

/// One item of an import: a product file, or why the row could not even be read as one.
struct Entry {
    /// The item number (JSON) or the line in the file (sheets).
    number: usize,
    sku: String,
    item: Result<ProductFile, Vec<(String, String)>>,
}

pub async fn import(store: &dyn Store, file: &Path, merchant: i64, t: Tr) -> Result<Summary> {
    let merchant = MerchantId(merchant);
    let catalog = Catalog {
        store,
        clock: &SystemClock,
        pool: None,
    };
    let Some(mut import) = catalog.begin_import(merchant, Actor::system()).await? else {
        bail!("no merchant with id {}", merchant.0);
    };
    let is_sheet = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("xlsx"));
    let entries = if is_sheet {
        sheet_entries(file, t)?
    } else {
        json_entries(file, t)?
    };
    let mut rejects = csv::Writer::from_path(crate::sheet::rejected_path(file))?;
    rejects.write_record([
        if is_sheet { "line" } else { "item" },
        "sku",
        "field",
        "reason",
    ])?;
    let mut summary = Summary::default();
    for entry in entries {
        let number = entry.number.to_string();
        let mut refuse = |faults: Vec<(String, String)>| -> Result<()> {
            summary.rejected += 1;
            for (field, reason) in faults {
                rejects.write_record([number.as_str(), &entry.sku, &field, &reason])?;
            }
            Ok(())
        };
        let product = match entry.item {
            Ok(product) => product,
            Err(faults) => {
                refuse(faults)?;
                continue;
            }
        };
        match import.save(entry.number, &product).await {
            Ok(Imported::Created(_)) => summary.created += 1,
            Ok(Imported::Updated(_)) => summary.updated += 1,
            Err(ImportRefused::Invalid(errors)) => {
                let notice_type = product
                    .notice
                    .as_ref()
                    .map(|n| n.kind.clone())
                    .unwrap_or_default();
                refuse(
                    errors
                        .0
                        .into_iter()
                        .map(|e| (field_name(is_sheet, &e.field, &notice_type), t.get(e.code)))
                        .collect(),
                )?;
            }
            Err(ImportRefused::RepeatedSku { first }) => refuse(vec![(
                field_name(is_sheet, "sku", ""),
                t.args("error-sku-repeated", &[("first", first.to_string())]),
            )])?,
            Err(ImportRefused::Store(error)) => return Err(error.into()),
        }
    }
    rejects.flush()?;
    Ok(summary)
}

/// The field as the file names it: the sheet's column (with the product-file path), or the path.
fn field_name(is_sheet: bool, path: &str, notice_type: &str) -> String {
    if is_sheet {
        format!("{} ({path})", sheet::column_of(path, notice_type))
    } else {
        path.to_owned()
    }
}

fn json_entries(file: &Path, t: Tr) -> Result<Vec<Entry>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let items: Vec<serde_json::Value> =
        match serde_json::from_str(text.trim_start_matches('\u{feff}'))? {
            serde_json::Value::Array(items) => items,
            serde_json::Value::Object(one) => vec![serde_json::Value::Object(one)],
            _ => bail!(
                "{} is not a product file or an array of them",
                file.display()
            ),
        };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let sku = item
                .get("sku")
                .and_then(|s| s.as_str())
                .unwrap_or_default()
                .to_owned();
            Entry {
                number: i + 1,
                sku,
                item: serde_json::from_value(item).map_err(|e| {
                    vec![(
                        String::new(),
                        format!("{}: {e}", t.get("error-bad-request")),
                    )]
                }),
            }
        })
        .collect())
}

/// Rows of the product template (CSV in UTF-8 or CP949, or .xlsx); a header without the
/// required columns refuses the whole file before anything is saved.
fn sheet_entries(file: &Path, t: Tr) -> Result<Vec<Entry>> {
    let rows = crate::sheet::read_rows(file)?;
    let Some((header, rows)) = rows.split_first() else {
        bail!("{} is empty", file.display());
    };
    let headers = match sheet::map_headers(header) {
        Ok(headers) => headers,
        Err(missing) => bail!(
            "{}: the header has no column {} (write the template with `gachi products template`)",
            file.display(),
            missing.join(", ")
        ),
    };
    let sku_column = headers
        .iter()
        .position(|h| *h == Some(sheet::HeaderKind::Column(0)));
    Ok(rows
        .iter()
        .enumerate()
        .filter(|(_, row)| row.iter().any(|cell| !cell.trim().is_empty()))
        .map(|(i, row)| Entry {
            // The header is line 1.
            number: i + 2,
            sku: sku_column
                .and_then(|c| row.get(c))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default(),
            item: sheet::row_to_file(&headers, row).map_err(|errors| {
                errors
                    .0
                    .into_iter()
                    .map(|e| (field_name(true, &e.field, ""), t.get(e.code)))
                    .collect()
            }),
        })
        .collect())
}

pub async fn export(store: &dyn Store, merchant: i64, output: Option<&Path>) -> Result<usize> {
    let products = store
        .products_of(MerchantId(merchant), None, 100_000)
        .await?;
    let files: Vec<&ProductFile> = products.iter().rev().map(|p| &p.file).collect();
    let json = serde_json::to_string_pretty(&files)?;
    match output {
        Some(path) => std::fs::write(path, json + "\n")
            .with_context(|| format!("writing {}", path.display()))?,
        None => println!("{json}"),
    }
    Ok(files.len())
}

/// Writes the product template: an .xlsx (a 상품 sheet with the header row, required columns
/// marked, and a 설명 sheet saying what goes in each column, with an example) or a CSV header
/// (UTF-8 with BOM so Excel opens Korean correctly). `notice_type` adds its notice columns.
pub fn template(output: &Path, notice_type: Option<&str>) -> Result<()> {
    let kind = match notice_type {
        None => None,
        Some(name) => Some(
            gachi_domain::catalog::notice::find_by_name_or_label(name).with_context(|| {
                format!("--notice {name}: not a notice type (e.g. GENERAL_FOOD or 가공식품)")
            })?,
        ),
    };
    let headers = sheet::headers(kind);
    let is_xlsx = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(&headers)?;
        writer.flush()?;
        drop(writer);
        return std::fs::write(output, out)
            .with_context(|| format!("writing {}", output.display()));
    }
    use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    let required = bold.clone().set_background_color(Color::RGB(0xFDECEA));
    let sheet = book.add_worksheet().set_name("상품")?;
    let required_notice: Vec<String> = kind
        .map(|k| {
            k.fields
                .iter()
                .filter(|f| f.required)
                .map(|f| format!("{}{}", sheet::NOTICE_PREFIX, f.label))
                .collect()
        })
        .unwrap_or_default();
    for (i, header) in headers.iter().enumerate() {
        let is_required = sheet::COLUMNS
            .iter()
            .any(|c| c.required && c.header == header)
            || required_notice.contains(header);
        let format = if is_required { &required } else { &bold };
        sheet.write_string_with_format(0, i as u16, header, format)?;
        sheet.set_column_width(i as u16, (header.chars().count() as f64 * 2.2).max(12.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;

    let help = book.add_worksheet().set_name("설명")?;
    for (i, title) in ["열", "필수", "쓰는 법", "예시"].iter().enumerate() {
        help.write_string_with_format(0, i as u16, *title, &bold)?;
    }
    let mut line = 1u32;
    for column in sheet::COLUMNS {
        help.write_string(line, 0, column.header)?;
        help.write_string(line, 1, if column.required { "필수" } else { "" })?;
        help.write_string(line, 2, column.help)?;
        help.write_string(line, 3, column.example)?;
        line += 1;
    }
    match kind {
        Some(kind) => {
            for field in &kind.fields {
                help.write_string(line, 0, format!("{}{}", sheet::NOTICE_PREFIX, field.label))?;
                help.write_string(line, 1, if field.required { "필수" } else { "" })?;
                let mut what = format!("{} 고시 항목 ({})", kind.label, field.name);
                if let Some(max) = field.max_chars {
                    what.push_str(&format!(", {max}자까지"));
                }
                help.write_string(line, 2, what)?;
                help.write_string(line, 3, gachi_domain::catalog::notice::SEE_DETAIL_PAGE)?;
                line += 1;
            }
        }
        None => {
            help.write_string(
                line,
                2,
                "고시 항목 열을 넣으려면 `gachi products template --notice 유형`으로 다시 만드세요. 유형:",
            )?;
            line += 1;
            for kind in gachi_domain::catalog::notice::all() {
                help.write_string(line, 0, &kind.upper)?;
                help.write_string(line, 2, &kind.label)?;
                line += 1;
            }
        }
    }
    help.set_column_width(0, 24)?;
    help.set_column_width(2, 70)?;
    help.set_column_width(3, 36)?;
    book.save(output)
        .with_context(|| format!("writing {}", output.display()))?;
    Ok(())
}
