//! `gachi live import-results FILE`: what a live platform's export says of 가치데이 broadcasts
//! (CSV in UTF-8 or CP949, or .xlsx), kept as results; each broadcast with results is held and
//! counts on the dashboard. The header names the columns (Korean or English, any order; more
//! columns are ignored):
//!
//! | meaning | accepted headers |
//! |---|---|
//! | the broadcast | `broadcast_id` / `방송번호` / `방송 번호` |
//! | channel | `channel` / `채널` / `플랫폼` (`naver_live`, `네이버 쇼핑라이브`, `쿠팡라이브`, …) |
//! | viewers | `viewers` / `시청자` / `시청자수` / `누적 시청자` |
//! | peak concurrent viewers | `peak_viewers` / `최고 동시 시청자` / `최대 동시접속` |
//! | likes | `likes` / `좋아요` |
//! | orders | `orders` / `주문수` / `주문 수` / `주문` |
//! | sales | `sales_krw` / `매출` / `매출액` / `판매금액` |
//! | product (optional) | `product_id` / `상품번호` |
//! | chats (optional) | `chats` / `채팅` / `채팅수` |
//!
//! A file without the required columns is refused whole. A bad row is reported with its line
//! and field (on stderr and in FILE.rejected.csv) and the others are imported; the command
//! fails only when nothing could be imported.

use std::path::Path;

use anyhow::{Result, bail};
use gachi_domain::accounts::User;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::live::ResultInput;
use gachi_web::i18n::Tr;

/// The largest export read: a season's broadcasts on every channel are a few thousand rows.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub imported: usize,
    pub rejected: usize,
}

pub async fn import_results(
    live: &gachi_domain::live::Live<'_>,
    by: Option<&User>,
    file: &Path,
    t: Tr,
) -> Result<Summary> {
    let size = std::fs::metadata(file)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        bail!(
            "{}: {size} bytes, more than a results export has (at most {MAX_FILE_BYTES}). Nothing was imported.",
            file.display()
        );
    }
    let rows = crate::sheet::read_rows(file)?;
    let Some((header, body)) = rows.split_first() else {
        bail!("{} is empty. Nothing was imported.", file.display());
    };
    let column = |names: &[&str]| {
        header.iter().position(|h| {
            let h = h.trim().to_lowercase();
            names.contains(&h.as_str())
        })
    };
    let required = [
        (
            "broadcast_id",
            column(&["broadcast_id", "방송번호", "방송 번호"]),
        ),
        ("channel", column(&["channel", "채널", "플랫폼"])),
        (
            "viewers",
            column(&["viewers", "시청자", "시청자수", "누적 시청자"]),
        ),
        (
            "peak_viewers",
            column(&["peak_viewers", "최고 동시 시청자", "최대 동시접속"]),
        ),
        ("likes", column(&["likes", "좋아요"])),
        ("orders", column(&["orders", "주문수", "주문 수", "주문"])),
        (
            "sales_krw",
            column(&["sales_krw", "매출", "매출액", "판매금액"]),
        ),
    ];
    let missing: Vec<&str> = required
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        bail!(
            "{}: the header lacks {}; found {:?}. Nothing was imported.",
            file.display(),
            missing.join(", "),
            header
        );
    }
    let at = |name: &str| {
        required
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, c)| *c)
    };
    let product = column(&["product_id", "상품번호", "상품 번호"]);
    let chats = column(&["chats", "채팅", "채팅수"]);
    let mut inputs = Vec::new();
    let mut lines = Vec::new();
    for (i, row) in body.iter().enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        inputs.push(ResultInput {
            broadcast_id: cell(at("broadcast_id")),
            channel: cell(at("channel")),
            product_id: cell(product),
            viewers: cell(at("viewers")),
            peak_viewers: cell(at("peak_viewers")),
            likes: cell(at("likes")),
            chats: cell(chats),
            orders: cell(at("orders")),
            sales_krw: cell(at("sales_krw")),
        });
        lines.push(i + 2);
    }
    let actor = by.map_or_else(Actor::system, |u| Actor::user(u.id, None));
    let (imported, bad) = live
        .import_results(by, &actor, &inputs)
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let mut rejects = csv::Writer::from_path(crate::sheet::rejected_path(file))?;
    rejects.write_record(["line", "field", "reason"])?;
    for (index, errors) in &bad {
        let line = lines[*index].to_string();
        for e in &errors.0 {
            let reason = t.get(e.code);
            eprintln!("line {line}: {}: {reason}", e.field);
            rejects.write_record([line.as_str(), &e.field, &reason])?;
        }
    }
    rejects.flush()?;
    Ok(Summary {
        imported,
        rejected: bad.len(),
    })
}
