//! `gachi sales import FILE`: a settlement file of monthly online sales (CSV in UTF-8 or CP949, or
//! .xlsx) imported as sales reports, the hall of fame following. The header names the columns
//! (Korean or English, any order; more columns are ignored):
//!
//! | meaning | accepted headers |
//! |---|---|
//! | the shop | `사업자등록번호` / `business_number`, or `merchant_id` |
//! | channel | `마켓` / `채널` / `channel` (네이버·스마트스토어, 쿠팡, 11번가, G마켓·옥션·ESM, 자사몰, 기타, or the codes) |
//! | month | `월` / `정산월` / `month` (`2026-03`, `202603`, `2026-03-01`) |
//! | sales | `매출` / `매출액` / `sales_krw` |
//! | orders | `주문수` / `주문 수` / `orders` |
//!
//! A file without those columns is refused whole (nothing imported). A bad row is reported with
//! its line number and field in FILE.rejected.csv, and the import goes on.
//!
//! Limits: a file over `MAX_FILE_BYTES` is refused whole before it is read (the spreadsheet
//! reader holds a file in memory); a cell over `MAX_CELL_CHARS` rejects its row by its field.

use std::path::Path;

use anyhow::{Result, bail};
use gachi_domain::accounts::User;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::money::{Krw, parse_count};
use gachi_domain::kernel::text;
use gachi_domain::merchants::merchant::{BusinessNumber, MerchantId};
use gachi_domain::ports::{Store, SystemClock};
use gachi_domain::results::{Results, ResultsError, SalesInput};
use gachi_web::i18n::Tr;

/// The largest settlement file read: a month of every shop of the program on every channel is a
/// few thousand rows, well under 1 MB.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// The longest cell of a used column: a 사업자등록번호 is 10 digits (12 with hyphens), a month 7 to
/// 10 characters, an amount 15 or so; `error-too-long` says 50.
pub const MAX_CELL_CHARS: usize = 50;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub imported: u64,
    pub rejected: u64,
}

/// A channel as settlement files write it.
fn channel_code(text: &str) -> String {
    let t = text.trim();
    let lower = t.to_lowercase();
    match lower.as_str() {
        "네이버" | "스마트스토어" | "네이버 스마트스토어" | "naver" => "naver",
        "쿠팡" | "coupang" => "coupang",
        "11번가" | "11st" => "11st",
        "g마켓" | "옥션" | "지마켓" | "g마켓·옥션" | "esm" | "gmarket" | "auction" => {
            "esm"
        }
        "자사몰" | "own_mall" => "own_mall",
        "기타" | "other" => "other",
        _ => t,
    }
    .to_owned()
}

/// `2026-03`, `202603` or `2026-03-01` → `2026-03` (anything else is left for the validator).
fn month_text(text: &str) -> String {
    let t = text.trim();
    if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        return format!("{}-{}", &t[..4], &t[4..]);
    }
    if t.len() >= 7 && t.as_bytes()[4] == b'-' {
        return t[..7].to_owned();
    }
    t.to_owned()
}

pub async fn import(store: &dyn Store, by: Option<&User>, file: &Path, t: Tr) -> Result<Summary> {
    let size = std::fs::metadata(file)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        bail!(
            "{}: {size} bytes, more than a settlement file has (at most {MAX_FILE_BYTES}). Nothing was imported.",
            file.display()
        );
    }
    let rows = crate::sheet::read_rows(file)?;
    let Some((header, body)) = rows.split_first() else {
        bail!("{} is empty", file.display());
    };
    let column = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
    };
    let shop = column(&["사업자등록번호", "business_number"]);
    let merchant_id = column(&["merchant_id"]);
    let (Some(channel), Some(month), Some(sales), Some(orders)) = (
        column(&["마켓", "채널", "channel"]),
        column(&["월", "정산월", "month"]),
        column(&["매출", "매출액", "sales_krw"]),
        column(&["주문수", "주문 수", "orders"]),
    ) else {
        bail!(
            "{}: the header must name channel (마켓), month (월), sales (매출) and orders (주문수) columns; found {:?}. Nothing was imported.",
            file.display(),
            header
        );
    };
    if shop.is_none() && merchant_id.is_none() {
        bail!(
            "{}: the header must name the shop (사업자등록번호 or merchant_id). Nothing was imported.",
            file.display()
        );
    }
    let results = Results {
        store,
        clock: &SystemClock,
    };
    let actor = by.map_or_else(Actor::system, |u| Actor::user(u.id, None));
    let mut rejects = csv::Writer::from_path(crate::sheet::rejected_path(file))?;
    rejects.write_record(["line", "field", "reason"])?;
    let mut summary = Summary::default();
    for (i, row) in body.iter().enumerate() {
        let line = (i + 2).to_string();
        let cell = |index: usize| row.get(index).map(String::as_str).unwrap_or_default();
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let overlong = [
            (shop, "business_number"),
            (merchant_id, "merchant_id"),
            (Some(channel), "channel"),
            (Some(month), "month"),
            (Some(sales), "sales_krw"),
            (Some(orders), "orders"),
        ]
        .into_iter()
        .find_map(|(column, field)| {
            column
                .filter(|&c| text::longer_than(cell(c).trim(), MAX_CELL_CHARS))
                .map(|_| field)
        });
        if let Some(field) = overlong {
            summary.rejected += 1;
            rejects.write_record([line.as_str(), field, &t.get("error-too-long")])?;
            continue;
        }
        let merchant = match (shop, merchant_id) {
            (Some(column), _) if !cell(column).trim().is_empty() => {
                match BusinessNumber::parse(cell(column), "business_number") {
                    Ok(number) => store
                        .merchant_by_business_number(number.digits())
                        .await?
                        .map(|m| m.id),
                    Err(e) => {
                        summary.rejected += 1;
                        rejects.write_record([line.as_str(), "business_number", &t.get(e.code)])?;
                        continue;
                    }
                }
            }
            (_, Some(column)) => cell(column).trim().parse().ok().map(MerchantId),
            _ => None,
        };
        let Some(merchant) = merchant else {
            summary.rejected += 1;
            rejects.write_record([line.as_str(), "business_number", &t.get("error-not-found")])?;
            continue;
        };
        // Amounts as settlement files and people write them (`15,900원`, `1.5만`); one that is
        // not an amount rejects the row by its column, before anything is saved.
        let (sales_krw, orders) = match (
            Krw::parse_optional(cell(sales), "sales_krw"),
            parse_count(cell(orders), "orders"),
        ) {
            (Ok(sales_krw), Ok(orders)) => (sales_krw.map(|k| k.0), orders),
            (Err(e), _) | (_, Err(e)) => {
                summary.rejected += 1;
                rejects.write_record([line.as_str(), &e.field, &t.get(e.code)])?;
                continue;
            }
        };
        let input = SalesInput {
            channel: channel_code(cell(channel)),
            month: month_text(cell(month)),
            sales_krw,
            orders,
        };
        let saved = match by {
            Some(user) => results.report(user, &actor, merchant, &input).await,
            None => results.report_as_system(&actor, merchant, &input).await,
        };
        match saved {
            Ok(_) => summary.imported += 1,
            Err(ResultsError::Invalid(errors)) => {
                summary.rejected += 1;
                for e in errors.0 {
                    rejects.write_record([line.as_str(), &e.field, &t.get(e.code)])?;
                }
            }
            Err(ResultsError::NotFound) => {
                summary.rejected += 1;
                rejects.write_record([line.as_str(), "merchant_id", &t.get("error-not-found")])?;
            }
            Err(other) => return Err(anyhow::anyhow!(other.to_string())),
        }
    }
    rejects.flush()?;
    Ok(summary)
}
