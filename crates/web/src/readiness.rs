//! Readiness per marketplace, in words: the domain's `listing::publishing::Readiness` (the
//! catalog's common checks joined with each marketplace's own rules) with every issue
//! translated and given its fix hint. Issues fixed in the seller's setup rather than in the
//! product (`Issue::is_account_issue`) are marked, so pages send the merchant to the
//! marketplace settings instead of the product form.

use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::Issue;
use gachi_domain::listing::publishing;

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
    /// How many things are left to fix (see `publishing::Readiness::remaining`).
    pub remaining: usize,
    pub gaps: Vec<Gap>,
}

impl Readiness {
    /// No error (warnings allowed).
    pub fn ready(&self) -> bool {
        self.percent == 100
    }
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
        account: issue.is_account_issue(),
    }
}

/// One marketplace's readiness in the request's language.
pub fn translated(t: Tr, readiness: &publishing::Readiness) -> Readiness {
    Readiness {
        channel: readiness.channel,
        percent: readiness.percent,
        remaining: readiness.remaining(),
        gaps: readiness.issues.iter().map(|issue| gap(t, issue)).collect(),
    }
}

/// Every marketplace's readiness in the request's language.
pub fn all_translated(t: Tr, readiness: &[publishing::Readiness]) -> Vec<Readiness> {
    readiness.iter().map(|r| translated(t, r)).collect()
}
