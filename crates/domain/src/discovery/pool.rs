//! The MD product pool (상품 풀): the products a shop chose to show the marketplaces'
//! merchandisers. Only a product whose common checks pass may go in (an MD should never open a
//! half-made product); a pooled product that later loses a required field stays in the pool but
//! drops out of search until it is complete again. What an MD sees of a shop's sales is the
//! shop's choice: monthly bands, or nothing.

use crate::catalog::completeness::{self, Gap};
use crate::catalog::product::{Product, ProductFile, ProductId};
use crate::discovery::search::PoolDocument;
use crate::kernel::channel::Channel;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::{Merchant, MerchantId};
use crate::results::SalesReport;

/// A product in the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolEntry {
    pub product: ProductId,
    pub merchant: MerchantId,
    pub pooled_at: Timestamp,
}

/// What MDs may see of a shop's reported online sales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SalesVisibility {
    /// Nothing (the default: a shop shares only when it chooses to).
    #[default]
    Hidden,
    /// Each month's online sales as a band (e.g. 100만–500만원), never the figure.
    Band,
}

impl SalesVisibility {
    pub fn code(self) -> &'static str {
        match self {
            SalesVisibility::Hidden => "hidden",
            SalesVisibility::Band => "band",
        }
    }

    pub fn parse(code: &str) -> Option<SalesVisibility> {
        match code.trim() {
            "hidden" => Some(SalesVisibility::Hidden),
            "band" => Some(SalesVisibility::Band),
            _ => None,
        }
    }
}

/// A month's online sales as MDs see them: a band, with its message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SalesBand {
    Under1m,
    From1mTo5m,
    From5mTo10m,
    From10mTo50m,
    Over50m,
}

impl SalesBand {
    pub fn of(krw: i64) -> SalesBand {
        match krw {
            ..1_000_000 => SalesBand::Under1m,
            1_000_000..5_000_000 => SalesBand::From1mTo5m,
            5_000_000..10_000_000 => SalesBand::From5mTo10m,
            10_000_000..50_000_000 => SalesBand::From10mTo50m,
            _ => SalesBand::Over50m,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            SalesBand::Under1m => "under-1m",
            SalesBand::From1mTo5m => "1m-5m",
            SalesBand::From5mTo10m => "5m-10m",
            SalesBand::From10mTo50m => "10m-50m",
            SalesBand::Over50m => "over-50m",
        }
    }

    /// The message key of the band's label.
    pub fn key(self) -> &'static str {
        match self {
            SalesBand::Under1m => "sales-band-under-1m",
            SalesBand::From1mTo5m => "sales-band-1m-5m",
            SalesBand::From5mTo10m => "sales-band-5m-10m",
            SalesBand::From10mTo50m => "sales-band-10m-50m",
            SalesBand::Over50m => "sales-band-over-50m",
        }
    }
}

/// How many recent months of bands an MD sees.
pub const BAND_MONTHS: usize = 6;

/// The shop's online sales per month (marketplaces only, all of them together), newest first,
/// as bands — at most `BAND_MONTHS`.
pub fn monthly_bands(reports: &[SalesReport]) -> Vec<(crate::results::Month, SalesBand)> {
    let mut by_month: std::collections::BTreeMap<crate::results::Month, i64> = Default::default();
    for report in reports {
        if matches!(report.channel, crate::results::SalesChannel::Market(_)) {
            *by_month.entry(report.month).or_default() += report.sales_krw;
        }
    }
    by_month
        .into_iter()
        .rev()
        .take(BAND_MONTHS)
        .map(|(month, krw)| (month, SalesBand::of(krw)))
        .collect()
}

/// What keeps a product out of the pool: the checks every marketplace makes, without the
/// category (which is chosen per marketplace and is the MD's marketplace's business).
pub fn common_gaps(file: &ProductFile) -> Vec<Gap> {
    completeness::common(file)
        .into_iter()
        .next()
        .map(|c| c.gaps)
        .unwrap_or_default()
        .into_iter()
        .filter(|gap| gap.code != "gap-category")
        .collect()
}

/// The product as the search index sees it, or `None` while its common checks fail.
pub fn document(
    product: &Product,
    shop: &Merchant,
    on_sale: &[Channel],
    pooled_at: Timestamp,
) -> Option<PoolDocument> {
    if !common_gaps(&product.file).is_empty() {
        return None;
    }
    let checked = product.file.check().ok()?;
    let region = shop.region.region();
    let brand = [&product.file.brand, &product.file.manufacturer]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut certifications: Vec<String> = product
        .file
        .certifications
        .iter()
        .map(|c| c.kind.trim().to_uppercase())
        .filter(|k| !k.is_empty())
        .collect();
    certifications.sort();
    certifications.dedup();
    Some(PoolDocument {
        product_id: product.id,
        merchant_id: shop.id,
        name: checked.name.to_string(),
        brand,
        shop_name: shop.name.clone(),
        // "강원특별자치도 강릉시": the 시도 and the 시군구.
        region_names: region.name,
        sido: shop.region.sido().as_str().to_owned(),
        sigungu: shop.region.as_str().to_owned(),
        industry_code: shop.industry.code.clone(),
        industry_names: format!(
            "{} {} {}",
            shop.industry.major, shop.industry.middle, shop.industry.name
        ),
        tags: product.file.tags.clone(),
        price: checked.price,
        listed_on: on_sale.to_vec(),
        tax_free: checked.tax == crate::catalog::product::Tax::TaxFree,
        certifications,
        ships_nationwide: ships_nationwide(&product.file),
        pooled_at,
    })
}

/// A product sent by parcel courier (택배) reaches the whole country; one with no courier (pick
/// up, own delivery) does not.
pub fn ships_nationwide(file: &ProductFile) -> bool {
    file.shipping
        .as_ref()
        .and_then(|s| s.courier.as_deref())
        .is_some_and(|c| !c.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Month, SalesChannel};

    #[test]
    fn bands_hide_the_figure_and_cover_every_amount() {
        assert_eq!(SalesBand::of(0), SalesBand::Under1m);
        assert_eq!(SalesBand::of(999_999), SalesBand::Under1m);
        assert_eq!(SalesBand::of(1_000_000), SalesBand::From1mTo5m);
        assert_eq!(SalesBand::of(49_999_999), SalesBand::From10mTo50m);
        assert_eq!(SalesBand::of(i64::MAX), SalesBand::Over50m);
    }

    #[test]
    fn monthly_bands_sum_the_marketplaces_and_leave_out_other_sales() {
        let report = |channel, month, krw| SalesReport {
            merchant: MerchantId(1),
            channel,
            month: Month { year: 2026, month },
            sales_krw: krw,
            orders: 1,
        };
        let reports = [
            report(SalesChannel::Market(Channel::Naver), 3, 600_000),
            report(SalesChannel::Market(Channel::Coupang), 3, 600_000),
            report(SalesChannel::OwnMall, 3, 90_000_000),
            report(SalesChannel::Market(Channel::Naver), 4, 10_000),
        ];
        let bands = monthly_bands(&reports);
        assert_eq!(
            bands,
            vec![
                (
                    Month {
                        year: 2026,
                        month: 4
                    },
                    SalesBand::Under1m
                ),
                (
                    Month {
                        year: 2026,
                        month: 3
                    },
                    SalesBand::From1mTo5m
                ),
            ]
        );
    }

    #[test]
    fn visibility_codes_round_trip() {
        for v in [SalesVisibility::Hidden, SalesVisibility::Band] {
            assert_eq!(SalesVisibility::parse(v.code()), Some(v));
        }
        assert_eq!(SalesVisibility::parse("exact"), None);
    }
}
