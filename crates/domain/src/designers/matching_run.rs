//! Running the matching on the program's data: `managed`-track merchants without a running
//! delegation, against certified designers with a profile and places free, per 시도 or
//! nationally. The assignment is computed by `matching::optimal` and shown with its reasons;
//! sending the proposals to both sides for acceptance is not built yet, so a run only proposes
//! (a merchant acts on a proposal by granting the designer a delegation).

use crate::accounts::User;
use crate::designers::matching::{self, DesignerToMatch, Matching, MerchantToMatch};
use crate::designers::profile::DirectoryEntry;
use crate::kernel::region::RegionCode;
use crate::merchants::diagnosis::Track;
use crate::ports::{Clock, Store, StoreError};

/// Every designer's verified-outcome rate until outcomes are computed: equal for all, so the
/// outcome term does not tell designers apart.
const UNKNOWN_OUTCOME_RATE: f64 = 0.5;

#[derive(Debug, thiserror::Error)]
pub enum MatchingError {
    #[error("not allowed")]
    Forbidden,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A matching run's result with the names it needs to be read.
#[derive(Debug)]
pub struct Proposal {
    pub matching: Matching,
    /// Merchant id → name.
    pub merchant_names: std::collections::BTreeMap<i64, String>,
    /// Designer id → name.
    pub designer_names: std::collections::BTreeMap<i64, String>,
}

/// The matching use case.
pub struct Matchings<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

fn designer_of(entry: &DirectoryEntry) -> Option<DesignerToMatch> {
    // Where the designer works: their first 시군구, else the first 시도 they serve.
    let sigungu = entry
        .profile
        .regions
        .iter()
        .find(|r| r.as_str().len() == 5)
        .or_else(|| entry.profile.regions.first())?
        .clone();
    Some(DesignerToMatch {
        id: entry.designer.0,
        level: entry.level,
        sigungu,
        industries_served: entry
            .profile
            .industries
            .iter()
            .map(|i| (i.clone(), 1))
            .collect(),
        capacity: entry.profile.capacity.saturating_sub(entry.active_shops),
        outcome_rate: UNKNOWN_OUTCOME_RATE,
    })
}

impl Matchings<'_> {
    /// Computes the optimal assignment of `managed` merchants without a designer (in `sido`, or
    /// everywhere) to certified designers with places free (staff).
    pub async fn propose(
        &self,
        user: &User,
        sido: Option<&RegionCode>,
    ) -> Result<Proposal, MatchingError> {
        if !user.role.is_staff() {
            return Err(MatchingError::Forbidden);
        }
        self.propose_as_system(sido).await
    }

    /// `propose` for the command line.
    pub async fn propose_as_system(
        &self,
        sido: Option<&RegionCode>,
    ) -> Result<Proposal, MatchingError> {
        let now = self.clock.now();
        let waiting = self
            .store
            .merchants_awaiting_designer(Track::Managed, sido, now)
            .await?;
        let merchants: Vec<MerchantToMatch> = waiting
            .iter()
            .map(|(id, _, region, industry)| MerchantToMatch {
                id: id.0,
                sigungu: region.clone(),
                industry: industry.clone(),
                needs_level: matching::level_needed_for(Track::Managed),
                preferred_designer: None,
                current_designer: None,
                conflicts: Vec::new(),
            })
            .collect();
        let directory = self.store.certified_designers(now).await?;
        let designers: Vec<DesignerToMatch> = directory
            .iter()
            .filter(|e| {
                sido.is_none_or(|s| {
                    e.profile
                        .regions
                        .iter()
                        .any(|r| s.contains(r) || r.contains(s))
                })
            })
            .filter_map(designer_of)
            .collect();
        Ok(Proposal {
            matching: matching::optimal(&merchants, &designers),
            merchant_names: waiting
                .into_iter()
                .map(|(id, name, _, _)| (id.0, name))
                .collect(),
            designer_names: directory
                .into_iter()
                .map(|e| (e.designer.0, e.name))
                .collect(),
        })
    }
}
