//! What each designer's work achieved, computed from what Gachi already records — never typed
//! in: the shops they served under a delegation, how many of those reached their first listing
//! on a marketplace after the delegation began and how fast, how often the marketplaces refused
//! what the designer submitted, how many shops reported a first sale within 90 days, and how
//! many reached the hall of fame. Shown on the profile, used by matching (`rate`), and the
//! ground for a 1급 renewal by outcomes.

use std::collections::BTreeMap;

use crate::accounts::UserId;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;

/// A sale reported this soon after the delegation began counts as a first sale "within 90 days".
pub const FIRST_SALE_WINDOW_SECONDS: i64 = 90 * 24 * 3600;

/// One shop a designer served, with what happened after the designer's first delegation there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedShop {
    pub designer: UserId,
    pub merchant: MerchantId,
    /// When the designer's first delegation for the shop began.
    pub since: Timestamp,
    /// The shop's first move to 판매중 on any marketplace at or after `since`.
    pub first_selling_at: Option<Timestamp>,
    /// The first sales report with a sale above zero saved at or after `since`.
    pub first_sale_reported_at: Option<Timestamp>,
    pub hall_of_fame: bool,
}

/// What a designer submitted to the marketplaces for the shops they served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SubmissionCounts {
    /// Taken by the marketplace.
    pub created: u32,
    /// Refused by the marketplace (a failed call is neither).
    pub rejected: u32,
}

/// A designer's outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcomes {
    pub shops_served: u32,
    /// Shops whose first listing went live after the delegation began.
    pub first_listings: u32,
    /// The median days from the delegation's start to that first listing.
    pub median_days_to_first_listing: Option<u32>,
    pub submissions: SubmissionCounts,
    /// Shops with a first sale reported within 90 days of the delegation's start.
    pub first_sales_within_90_days: u32,
    pub hall_of_fame: u32,
}

impl Outcomes {
    /// Of the designer's submissions the marketplaces decided on, the share refused, in whole
    /// percent; `None` before any decision.
    pub fn refusal_percent(&self) -> Option<u32> {
        let decided = self.submissions.created + self.submissions.rejected;
        (decided > 0).then(|| (self.submissions.rejected * 100 + decided / 2) / decided)
    }

    /// The verified-outcome rate matching uses, 0 to 1: the share of the designer's shops that
    /// reached a first listing and a first sale, each counting half, smoothed towards one half
    /// by one imagined shop of each kind (a Beta(1, 1) prior), so one lucky shop does not rank
    /// a newcomer above a designer with forty good ones, and a designer without shops is 0.5.
    pub fn rate(&self) -> f64 {
        let successes = f64::from(self.first_listings + self.first_sales_within_90_days);
        let trials = 2.0 * f64::from(self.shops_served);
        (successes + 1.0) / (trials + 2.0)
    }
}

/// Whether a record earns the renewal of a certificate of `level` without CPD hours: for 1급,
/// at least three shops served, two of them with a first listing after the delegation began,
/// and at most 30 % of the marketplaces' decisions on the designer's submissions refusals; for
/// 2급, one shop with a first listing.
pub fn earns_renewal(level: crate::designers::Level, o: &Outcomes) -> bool {
    match level {
        crate::designers::Level::First => {
            o.shops_served >= 3
                && o.first_listings >= 2
                && o.refusal_percent().is_none_or(|p| p <= 30)
        }
        crate::designers::Level::Second => o.first_listings >= 1,
    }
}

/// The outcomes of every designer who served a shop (or of one designer), as recorded now.
pub async fn recorded(
    store: &dyn crate::ports::Store,
    designer: Option<UserId>,
) -> Result<BTreeMap<UserId, Outcomes>, crate::ports::StoreError> {
    let served = store.served_shops(designer).await?;
    let submissions = store.designer_submissions(designer).await?;
    Ok(compute(&served, &submissions))
}

/// Every designer's outcomes from the shops they served and what they submitted.
pub fn compute(
    served: &[ServedShop],
    submissions: &BTreeMap<UserId, SubmissionCounts>,
) -> BTreeMap<UserId, Outcomes> {
    let mut outcomes: BTreeMap<UserId, Outcomes> = BTreeMap::new();
    let mut days_to_listing: BTreeMap<UserId, Vec<u32>> = BTreeMap::new();
    for shop in served {
        let o = outcomes.entry(shop.designer).or_default();
        o.shops_served += 1;
        if let Some(live) = shop.first_selling_at {
            o.first_listings += 1;
            let days = (live.unix_ms() - shop.since.unix_ms()).max(0) / (24 * 3600 * 1000);
            days_to_listing
                .entry(shop.designer)
                .or_default()
                .push(u32::try_from(days).unwrap_or(u32::MAX));
        }
        if shop.first_sale_reported_at.is_some_and(|at| {
            at.unix_ms() - shop.since.unix_ms() <= FIRST_SALE_WINDOW_SECONDS * 1000
        }) {
            o.first_sales_within_90_days += 1;
        }
        if shop.hall_of_fame {
            o.hall_of_fame += 1;
        }
    }
    for (designer, counts) in submissions {
        outcomes.entry(*designer).or_default().submissions = *counts;
    }
    for (designer, mut days) in days_to_listing {
        days.sort_unstable();
        let median = if days.len() % 2 == 1 {
            days[days.len() / 2]
        } else {
            let (a, b) = (days[days.len() / 2 - 1], days[days.len() / 2]);
            (a + b).div_ceil(2)
        };
        if let Some(o) = outcomes.get_mut(&designer) {
            o.median_days_to_first_listing = Some(median);
        }
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: i64 = 24 * 3600 * 1000;

    fn shop(designer: i64, merchant: i64, listed_after_days: Option<i64>) -> ServedShop {
        let since = Timestamp::from_unix_ms(1_000 * DAY_MS);
        ServedShop {
            designer: UserId(designer),
            merchant: MerchantId(merchant),
            since,
            first_selling_at: listed_after_days
                .map(|d| Timestamp::from_unix_ms(since.unix_ms() + d * DAY_MS)),
            first_sale_reported_at: None,
            hall_of_fame: false,
        }
    }

    #[test]
    fn outcomes_count_what_happened_after_the_delegation_began() {
        let mut sold_late = shop(1, 3, Some(10));
        sold_late.first_sale_reported_at = Some(Timestamp::from_unix_ms(
            sold_late.since.unix_ms() + 91 * DAY_MS,
        ));
        let mut famous = shop(1, 2, Some(4));
        famous.first_sale_reported_at = Some(Timestamp::from_unix_ms(
            famous.since.unix_ms() + 30 * DAY_MS,
        ));
        famous.hall_of_fame = true;
        let served = [shop(1, 1, None), famous, sold_late, shop(2, 4, Some(7))];
        let submissions = BTreeMap::from([(
            UserId(1),
            SubmissionCounts {
                created: 3,
                rejected: 1,
            },
        )]);
        let all = compute(&served, &submissions);
        let first = all[&UserId(1)];
        assert_eq!(first.shops_served, 3);
        assert_eq!(first.first_listings, 2);
        assert_eq!(first.median_days_to_first_listing, Some(7), "of 4 and 10");
        assert_eq!(first.first_sales_within_90_days, 1, "day 91 is too late");
        assert_eq!(first.hall_of_fame, 1);
        assert_eq!(first.refusal_percent(), Some(25));
        assert_eq!(all[&UserId(2)].median_days_to_first_listing, Some(7));
        assert_eq!(all[&UserId(2)].refusal_percent(), None);
    }

    #[test]
    fn a_renewal_by_outcomes_asks_more_of_1급() {
        use crate::designers::Level;
        let mut record = Outcomes {
            shops_served: 3,
            first_listings: 2,
            submissions: SubmissionCounts {
                created: 7,
                rejected: 3,
            },
            ..Outcomes::default()
        };
        assert!(
            earns_renewal(Level::First, &record),
            "30 % refused is the limit"
        );
        record.submissions.rejected = 4;
        assert!(!earns_renewal(Level::First, &record), "36 % refused");
        record.submissions.rejected = 0;
        record.first_listings = 1;
        assert!(!earns_renewal(Level::First, &record));
        assert!(earns_renewal(Level::Second, &record));
        assert!(!earns_renewal(Level::Second, &Outcomes::default()));
    }

    #[test]
    fn the_rate_trusts_a_long_record_over_one_lucky_shop() {
        let newcomer = Outcomes {
            shops_served: 1,
            first_listings: 1,
            first_sales_within_90_days: 1,
            ..Outcomes::default()
        };
        let veteran = Outcomes {
            shops_served: 40,
            first_listings: 38,
            first_sales_within_90_days: 36,
            ..Outcomes::default()
        };
        assert!(veteran.rate() > newcomer.rate());
        assert_eq!(Outcomes::default().rate(), 0.5, "no record: the middle");
        let failing = Outcomes {
            shops_served: 10,
            ..Outcomes::default()
        };
        assert!(failing.rate() < 0.1);
    }
}
