//! Running the matching on the program's data: `managed`-track merchants without a running
//! delegation or an open proposal, against certified designers with a profile and places free
//! (running delegations and open proposals take places), per 시도 or nationally. Each designer's
//! verified-outcome rate comes from their record (`outcomes`). The assignment is computed by
//! `matching::optimal` and shown with its reasons; a dry run stops there, a sent run keeps one
//! proposal per pair for both sides to answer (`proposals`).

use crate::accounts::{User, UserId};
use crate::designers::matching::{self, DesignerToMatch, Matching, MerchantToMatch};
use crate::designers::outcomes::Outcomes;
use crate::designers::profile::DirectoryEntry;
use crate::designers::proposals::NewProposal;
use crate::kernel::audit::Actor;
use crate::kernel::region::RegionCode;
use crate::merchants::diagnosis::Track;
use crate::merchants::merchant::MerchantId;
use crate::ports::{Clock, Store, StoreError};

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

/// The designer as matching sees them, with the verified-outcome rate of their record.
fn designer_of(
    entry: &DirectoryEntry,
    outcome_rate: f64,
    open_proposals: u32,
) -> Option<DesignerToMatch> {
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
        capacity: entry
            .profile
            .capacity
            .saturating_sub(entry.active_shops)
            .saturating_sub(open_proposals),
        outcome_rate,
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

    /// Computes the matching as `propose` does and sends it: one proposal per new pair, for the
    /// shop's owner and the designer to answer (staff). The run, and how many were sent.
    pub async fn send(
        &self,
        user: &User,
        actor: &Actor,
        sido: Option<&RegionCode>,
    ) -> Result<(Proposal, usize), MatchingError> {
        if !user.role.is_staff() {
            return Err(MatchingError::Forbidden);
        }
        self.send_as(actor, sido).await
    }

    /// `send` for the command line and the staff's use case.
    pub async fn send_as(
        &self,
        actor: &Actor,
        sido: Option<&RegionCode>,
    ) -> Result<(Proposal, usize), MatchingError> {
        let run = self.propose_as_system(sido).await?;
        let now = self.clock.now();
        let proposals: Vec<NewProposal> = run
            .matching
            .assignments
            .iter()
            .filter(|a| !a.reasons.continued)
            .map(|a| NewProposal {
                merchant: MerchantId(a.merchant),
                designer: UserId(a.designer),
                reasons: a.reasons.clone(),
                proposed_at: now,
            })
            .collect();
        if !proposals.is_empty() {
            let audit = actor.entry(
                now,
                "matching.send",
                sido.map(|s| format!("sido:{}", s.as_str()))
                    .unwrap_or_default(),
                format!("proposals:{}", proposals.len()),
            );
            self.store
                .insert_match_proposals(&proposals, &audit)
                .await?;
        }
        Ok((run, proposals.len()))
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
        let outcomes = crate::designers::outcomes::recorded(self.store, None).await?;
        let mut open_proposals: std::collections::BTreeMap<crate::accounts::UserId, u32> =
            std::collections::BTreeMap::new();
        for proposal in self.store.match_proposals(None, None).await? {
            if proposal.open() {
                *open_proposals.entry(proposal.designer).or_default() += 1;
            }
        }
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
            .filter_map(|entry| {
                let rate = outcomes
                    .get(&entry.designer)
                    .map_or_else(|| Outcomes::default().rate(), Outcomes::rate);
                designer_of(
                    entry,
                    rate,
                    open_proposals.get(&entry.designer).copied().unwrap_or(0),
                )
            })
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
