//! Readiness per marketplace, in words: the catalog's common completeness (what every channel
//! needs) joined with each channel adapter's own rules (what that marketplace would reject), one
//! list per channel, each item naming the product field, with a fix hint for marketplace rules.
//! The product page, the product list, the API, publishing and the board's bulk validation all
//! read it from here (`issues`), so what one calls ready the others do too.
//!
//! The adapters run with the seller's stored marketplace settings (`markets::load`); what is
//! still missing there (`seller.*`), and the tables only operators can load (unpublished notice
//! codes, Coupang category metadata), are kept apart as "account" items, which the merchant does
//! not fix in the product form.

use gachi_channels::{Channel, Context, Issue};
use gachi_domain::catalog;
use gachi_domain::product::ProductFile;

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
    /// No error (warnings allowed).
    pub fn ready(&self) -> bool {
        self.gaps.iter().all(|g| g.warning)
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

/// The catalog's completeness for one channel.
fn common(file: &ProductFile, channel: Channel) -> catalog::Completeness {
    catalog::completeness(file)
        .into_iter()
        .find(|c| c.channel == channel.code())
        .expect("the catalog lists every channel")
}

/// The catalog's common gaps (as issues without a marketplace field) joined with the channel
/// adapter's own issues, each field named once.
fn joined(
    common: &catalog::Completeness,
    file: &ProductFile,
    channel: Channel,
    context: &Context,
) -> Vec<Issue> {
    let mut issues: Vec<Issue> = common
        .gaps
        .iter()
        .map(|g| Issue {
            channel,
            field: g.field.clone(),
            code: g.code,
            target: "",
            limit: None,
            detail: None,
            warning: false,
        })
        .collect();
    let named = issues.len();
    for issue in gachi_channels::validate(channel, file, context) {
        // The common checks already name these fields (and the product's own faults, the
        // issues without a marketplace field, are among them).
        if issue.target.is_empty() || issues[..named].iter().any(|g| g.field == issue.field) {
            continue;
        }
        issues.push(issue);
    }
    issues
}

/// What keeps `file` off `channel`, or only warns: the catalog's common gaps and the
/// marketplace's rules. The product is ready when none is blocking (`is_ready`).
pub fn issues(file: &ProductFile, channel: Channel, context: &Context) -> Vec<Issue> {
    joined(&common(file, channel), file, channel, context)
}

/// No issue stops the listing (warnings allowed).
pub fn is_ready(issues: &[Issue]) -> bool {
    issues.iter().all(|i| i.warning)
}

/// Readiness of `file` for one channel.
pub fn for_channel(t: Tr, file: &ProductFile, channel: Channel, context: &Context) -> Readiness {
    let common = common(file, channel);
    let issues = joined(&common, file, channel, context);
    Readiness {
        channel,
        percent: if is_ready(&issues) {
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
