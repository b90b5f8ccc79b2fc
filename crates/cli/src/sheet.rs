//! Files people bring: rows of a CSV (UTF-8 or CP949) or of an .xlsx's first sheet, and where
//! an import writes the rows it refused.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// Rows of a CSV (UTF-8 or CP949) or the first sheet of an .xlsx, header first.
pub fn read_rows(file: &Path) -> Result<Vec<Vec<String>>> {
    let is_xlsx = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        use calamine::{Data, Reader, Xlsx, open_workbook};
        let mut workbook: Xlsx<_> =
            open_workbook(file).with_context(|| format!("opening {}", file.display()))?;
        let range = workbook
            .worksheet_range_at(0)
            .context("the workbook has no sheet")??;
        return Ok(range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                        // Excel's serial date: days since 1899-12-30.
                        Data::DateTime(d) => {
                            let base = time::macros::date!(1899 - 12 - 30);
                            base.checked_add(time::Duration::days(d.as_f64() as i64))
                                .map(|day| {
                                    format!("{:04}-{:02}", day.year(), u8::from(day.month()))
                                })
                                .unwrap_or_default()
                        }
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect());
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => encoding_rs::EUC_KR.decode(&bytes).0.into_owned(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        rows.push(record?.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

/// `FILE.rejected.csv`, beside the imported file.
pub fn rejected_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".rejected.csv");
    PathBuf::from(name)
}
