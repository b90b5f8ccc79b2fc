//! `gachi products import FILE --merchant ID` and `gachi products export --merchant ID`: product
//! files v1 in bulk. Import takes a JSON array; each item is checked on its own, good items are
//! saved (a sku the shop already has is updated), bad ones are reported by item number and field
//! in FILE.rejected.csv, and the import goes on. Export writes the shop's products as a JSON array
//! that import reads back.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use gachi_domain::audit::Actor;
use gachi_domain::merchant::MerchantId;
use gachi_domain::ports::Store;
use gachi_domain::product::ProductFile;
use gachi_domain::time::Timestamp;
use gachi_web::i18n::Tr;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub created: u64,
    pub updated: u64,
    pub rejected: u64,
}

pub async fn import(store: &dyn Store, file: &Path, merchant: i64, t: Tr) -> Result<Summary> {
    let merchant = MerchantId(merchant);
    if store.merchant(merchant).await?.is_none() {
        bail!("no merchant with id {}", merchant.0);
    }
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
    let existing = store.products_of(merchant, 100_000).await?;
    let mut rejects = csv::Writer::from_path(rejected_path(file))?;
    rejects.write_record(["item", "sku", "field", "reason"])?;
    let mut summary = Summary::default();
    for (i, item) in items.into_iter().enumerate() {
        let number = (i + 1).to_string();
        let sku = item
            .get("sku")
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_owned();
        let product: ProductFile = match serde_json::from_value(item) {
            Ok(product) => product,
            Err(e) => {
                summary.rejected += 1;
                rejects.write_record([
                    number.as_str(),
                    &sku,
                    "",
                    &format!("{}: {e}", t.get("error-bad-request")),
                ])?;
                continue;
            }
        };
        let checked = match product.check() {
            Ok(checked) => checked,
            Err(errors) => {
                summary.rejected += 1;
                for e in errors.0 {
                    rejects.write_record([number.as_str(), &sku, &e.field, &t.get(e.code)])?;
                }
                continue;
            }
        };
        let audit = Actor::system().entry(
            Timestamp::now(),
            "product.import",
            format!("merchant:{}", merchant.0),
            checked.sku.clone(),
        );
        match existing.iter().find(|p| p.file.sku.trim() == checked.sku) {
            Some(current) => {
                store
                    .update_product(current.id, &product, &checked, &audit)
                    .await?;
                summary.updated += 1;
            }
            None => {
                store
                    .create_product(merchant, &product, &checked, &audit)
                    .await?;
                summary.created += 1;
            }
        }
    }
    rejects.flush()?;
    Ok(summary)
}

pub async fn export(store: &dyn Store, merchant: i64, output: Option<&Path>) -> Result<usize> {
    let products = store.products_of(MerchantId(merchant), 100_000).await?;
    let files: Vec<&ProductFile> = products.iter().rev().map(|p| &p.file).collect();
    let json = serde_json::to_string_pretty(&files)?;
    match output {
        Some(path) => std::fs::write(path, json + "\n")
            .with_context(|| format!("writing {}", path.display()))?,
        None => println!("{json}"),
    }
    Ok(files.len())
}

fn rejected_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".rejected.csv");
    PathBuf::from(name)
}
