//! Readiness per marketplace, in words: the catalog's common completeness (what every channel
//! needs) joined with each channel adapter's own rules (what that marketplace would reject), one
//! list per channel, each item naming the product field, with a fix hint for marketplace rules.
//! The product page, the product list and the API read it from here; the issues themselves, and
//! what "ready" means, are `gachi_channels::readiness`, which publishing and the board's bulk
//! validation use too.
//!
//! The adapters run with the seller's stored marketplace settings (`markets::load`); what is
//! still missing there (`seller.*`), and the tables only operators can load (unpublished notice
//! codes, Coupang category metadata), are kept apart as "account" items, which the merchant does
//! not fix in the product form.

use gachi_channels::{Context, Issue};
use gachi_domain::catalog::product::ProductFile;
use gachi_domain::kernel::channel::Channel;

use crate::i18n::Tr;

/// One thing to fix before a marketplace would accept the product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The product-file path (`notice.fields.foodType`) or `seller.{channel}.{setting}`.
    pub field: String,
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    /// The marketplace's own field, when the rule is the marketplace's.
    pub target: String,
    /// A warning: the marketplace would accept the product but change or cut something.
    pub warning: bool,
    /// Set up once per seller (account settings, code tables), not in the product.
    pub account: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    pub channel: Channel,
    /// 0–100; 100 only when the marketplace would accept the product.
    pub percent: u32,
    pub gaps: Vec<Gap>,
}

impl Readiness {
    /// No error (warnings allowed): `for_channel` gives 100 only then.
    pub fn ready(&self) -> bool {
        self.percent == 100
    }
}

/// Whether an issue is fixed in the seller's setup rather than in the product.
fn is_account_issue(issue: &Issue) -> bool {
    issue.field.starts_with("seller.")
        || matches!(
            issue.code,
            "listing-notice-codes-missing" | "listing-category-meta-missing"
        )
}

/// The issue in the request's language.
pub fn gap(t: Tr, issue: &Issue) -> Gap {
    let text = t.issue(issue);
    Gap {
        field: issue.field.clone(),
        code: issue.code.to_owned(),
        message: text.message,
        hint: text.hint,
        target: issue.target.to_owned(),
        warning: issue.warning,
        account: is_account_issue(issue),
    }
}

/// Readiness of `file` for one channel.
pub fn for_channel(t: Tr, file: &ProductFile, channel: Channel, context: &Context) -> Readiness {
    let common = gachi_channels::listing::common_checks(file, channel);
    let issues = gachi_channels::listing::joined_with(&common, channel, file, context);
    Readiness {
        channel,
        percent: if gachi_channels::is_ready(&issues) {
            100
        } else {
            common.percent.min(99)
        },
        gaps: issues.iter().map(|issue| gap(t, issue)).collect(),
    }
}

/// Readiness for every channel, with the seller's stored settings in `context`.
pub fn all(t: Tr, file: &ProductFile, context: &Context) -> Vec<Readiness> {
    Channel::ALL
        .into_iter()
        .map(|channel| for_channel(t, file, channel, context))
        .collect()
}
