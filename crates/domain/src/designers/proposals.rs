//! Matching proposals: what a sent matching run offers each side. The optimal matching
//! (`matching_run`) pairs a `managed`-track shop with a certified designer; the shop's owner
//! and the designer each accept or decline, in either order, and only when both have accepted
//! does a delegation start — with the scopes and the days the owner chose on accepting. Either
//! side declining closes the proposal, and the shop waits for the next run.
//!
//! While a proposal is open (nobody declined, no delegation yet) the shop is not matched again
//! and the proposal takes one of the designer's places, as a running delegation does.

use std::collections::BTreeSet;

use crate::accounts::{Role, User, UserId};
use crate::designers::delegation::{NewDelegation, Scope, grant_terms};
use crate::designers::matching::Reasons;
use crate::kernel::audit::Actor;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;
use crate::ports::{Clock, Store, StoreError};

/// Accepted or declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accepted,
    Declined,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Accepted => "accepted",
            Answer::Declined => "declined",
        }
    }

    pub fn parse(stored: &str) -> Option<Answer> {
        match stored {
            "accepted" => Some(Answer::Accepted),
            "declined" => Some(Answer::Declined),
            _ => None,
        }
    }
}

/// Who answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The shop's owner.
    Merchant,
    Designer,
}

/// A proposal as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchProposal {
    pub id: i64,
    pub merchant: MerchantId,
    pub merchant_name: String,
    pub designer: UserId,
    pub designer_name: String,
    pub reasons: Reasons,
    pub proposed_at: Timestamp,
    pub merchant_answer: Option<(Answer, Timestamp)>,
    /// What the owner grants, chosen on accepting.
    pub scopes: BTreeSet<Scope>,
    pub days: Option<i64>,
    pub designer_answer: Option<(Answer, Timestamp)>,
    /// The delegation that started when both accepted.
    pub delegation: Option<i64>,
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalStatus {
    /// Neither side answered.
    Waiting,
    /// The owner accepted; the designer has not answered.
    WaitingForDesigner,
    /// The designer accepted; the owner has not answered.
    WaitingForMerchant,
    /// One side declined.
    Declined,
    /// Both accepted: the delegation runs.
    Started,
}

impl ProposalStatus {
    pub fn key(self) -> &'static str {
        match self {
            ProposalStatus::Waiting => "proposal-waiting",
            ProposalStatus::WaitingForDesigner => "proposal-waiting-designer",
            ProposalStatus::WaitingForMerchant => "proposal-waiting-merchant",
            ProposalStatus::Declined => "proposal-declined",
            ProposalStatus::Started => "proposal-started",
        }
    }
}

impl MatchProposal {
    pub fn status(&self) -> ProposalStatus {
        let declined = |a: &Option<(Answer, Timestamp)>| matches!(a, Some((Answer::Declined, _)));
        if self.delegation.is_some() {
            ProposalStatus::Started
        } else if declined(&self.merchant_answer) || declined(&self.designer_answer) {
            ProposalStatus::Declined
        } else {
            match (self.merchant_answer, self.designer_answer) {
                (Some(_), None) => ProposalStatus::WaitingForDesigner,
                (None, Some(_)) => ProposalStatus::WaitingForMerchant,
                _ => ProposalStatus::Waiting,
            }
        }
    }

    /// Nobody declined and no delegation started yet.
    pub fn open(&self) -> bool {
        matches!(
            self.status(),
            ProposalStatus::Waiting
                | ProposalStatus::WaitingForDesigner
                | ProposalStatus::WaitingForMerchant
        )
    }

    /// Whether `side` still has to answer an open proposal.
    pub fn awaits(&self, side: Side) -> bool {
        self.open()
            && match side {
                Side::Merchant => self.merchant_answer.is_none(),
                Side::Designer => self.designer_answer.is_none(),
            }
    }
}

/// A proposal to keep.
#[derive(Debug, Clone)]
pub struct NewProposal {
    pub merchant: MerchantId,
    pub designer: UserId,
    pub reasons: Reasons,
    pub proposed_at: Timestamp,
}

/// An answer to keep: the side, what it said, and for an owner's acceptance what is granted.
#[derive(Debug, Clone)]
pub struct RecordedAnswer {
    pub side: Side,
    pub answer: Answer,
    pub at: Timestamp,
    pub grant: Option<(BTreeSet<Scope>, i64)>,
}

/// An answer as typed: accept or decline, and for an owner accepting the scopes and days.
#[derive(Debug, Clone, Default)]
pub struct AnswerInput {
    pub accept: bool,
    pub scopes: Vec<String>,
    pub days: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ProposalError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The proposal use cases: listing and answering (sending is `Matchings::send`).
pub struct Proposals<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl Proposals<'_> {
    /// The proposals `user` sees, newest first: a merchant's shop's, a designer's own, every
    /// one (staff).
    pub async fn list(&self, user: &User) -> Result<Vec<MatchProposal>, ProposalError> {
        Ok(match user.role {
            Role::Merchant => match self.store.merchant_of_owner(user.id).await? {
                Some(shop) => self.store.match_proposals(Some(shop.id), None).await?,
                None => Vec::new(),
            },
            Role::Designer => self.store.match_proposals(None, Some(user.id)).await?,
            r if r.is_staff() => self.store.match_proposals(None, None).await?,
            _ => Vec::new(),
        })
    }

    /// The open proposals still waiting for `user`'s answer (the shop's owner, or the proposed
    /// designer), newest first: what the bell counts until it is answered.
    pub async fn awaiting(&self, user: &User) -> Result<Vec<MatchProposal>, ProposalError> {
        let side = match user.role {
            Role::Merchant => Side::Merchant,
            Role::Designer => Side::Designer,
            _ => return Ok(Vec::new()),
        };
        let mut proposals = self.list(user).await?;
        proposals.retain(|p| p.awaits(side));
        Ok(proposals)
    }

    /// Which side `user` answers for on `proposal`, if any.
    async fn side_of(
        &self,
        user: &User,
        proposal: &MatchProposal,
    ) -> Result<Option<Side>, StoreError> {
        Ok(match user.role {
            Role::Designer if user.id == proposal.designer => Some(Side::Designer),
            Role::Merchant => self
                .store
                .merchant_of_owner(user.id)
                .await?
                .filter(|shop| shop.id == proposal.merchant)
                .map(|_| Side::Merchant),
            _ => None,
        })
    }

    /// `user` (the shop's owner or the proposed designer) accepts or declines. When this makes
    /// both accept, the delegation starts now; the proposal as it stands after is returned.
    pub async fn answer(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        input: &AnswerInput,
    ) -> Result<MatchProposal, ProposalError> {
        let proposal = self
            .store
            .match_proposal(id)
            .await?
            .ok_or(ProposalError::NotFound)?;
        let side = self
            .side_of(user, &proposal)
            .await?
            .ok_or(ProposalError::NotFound)?;
        let mut errors = ValidationErrors::new();
        if !proposal.open() {
            errors.push("proposal", "error-proposal-closed");
        } else if !proposal.awaits(side) {
            errors.push("proposal", "error-proposal-answered");
        }
        let grant = if input.accept && side == Side::Merchant {
            Some(grant_terms(&mut errors, &input.scopes, &input.days))
        } else {
            None
        };
        errors.into_result().map_err(ProposalError::Invalid)?;
        let now = self.clock.now();
        let answer = if input.accept {
            Answer::Accepted
        } else {
            Answer::Declined
        };
        let audit = actor.entry(
            now,
            "proposal.answer",
            format!("merchant:{}", proposal.merchant.0),
            format!(
                "proposal:{id} designer:{} {}",
                proposal.designer.0,
                answer.as_str()
            ),
        );
        let recorded = RecordedAnswer {
            side,
            answer,
            at: now,
            grant,
        };
        let after = self
            .store
            .answer_match_proposal(id, &recorded, &audit)
            .await
            .map_err(|e| match e {
                // The other side's answer or a second click won the race: say it is answered.
                StoreError::Conflict(_) => ProposalError::Invalid(
                    FieldError::new("proposal", "error-proposal-answered").into(),
                ),
                other => other.into(),
            })?;
        let both_accepted = matches!(after.merchant_answer, Some((Answer::Accepted, _)))
            && matches!(after.designer_answer, Some((Answer::Accepted, _)));
        if !both_accepted || after.delegation.is_some() {
            return Ok(after);
        }
        // The designer may have lost the certificate since the run: then nothing starts.
        if !self
            .store
            .holds_valid_certificate(after.designer, now)
            .await?
        {
            return Err(ProposalError::Invalid(
                FieldError::new("proposal", "error-designer-not-certified").into(),
            ));
        }
        let days = after.days.unwrap_or(180);
        let delegation = NewDelegation {
            merchant: after.merchant,
            designer: after.designer,
            scopes: after.scopes.clone(),
            starts_at: now,
            ends_at: now.plus_seconds(days * 24 * 3600),
        };
        let audit = actor.entry(
            now,
            "delegation.grant",
            format!("merchant:{}", after.merchant.0),
            format!(
                "designer:{} scopes:{} days:{days} proposal:{id}",
                after.designer.0,
                Scope::encode(&after.scopes)
            ),
        );
        self.store
            .start_proposed_delegation(id, &delegation, &audit)
            .await?;
        self.store
            .match_proposal(id)
            .await?
            .ok_or(ProposalError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal() -> MatchProposal {
        MatchProposal {
            id: 1,
            merchant: MerchantId(1),
            merchant_name: "한옥식당".into(),
            designer: UserId(2),
            designer_name: "김설계".into(),
            reasons: Reasons::decode("same_sigungu=1;sigungu=전북특별자치도 전주시 완산구"),
            proposed_at: Timestamp::from_unix_ms(0),
            merchant_answer: None,
            scopes: BTreeSet::new(),
            days: None,
            designer_answer: None,
            delegation: None,
        }
    }

    #[test]
    fn a_proposal_waits_for_both_and_closes_on_a_decline() {
        let at = Timestamp::from_unix_ms(1);
        let mut p = proposal();
        assert_eq!(p.status(), ProposalStatus::Waiting);
        assert!(p.awaits(Side::Merchant) && p.awaits(Side::Designer));
        p.merchant_answer = Some((Answer::Accepted, at));
        assert_eq!(p.status(), ProposalStatus::WaitingForDesigner);
        assert!(!p.awaits(Side::Merchant) && p.awaits(Side::Designer));
        p.designer_answer = Some((Answer::Declined, at));
        assert_eq!(p.status(), ProposalStatus::Declined);
        assert!(!p.open() && !p.awaits(Side::Designer));
        p.designer_answer = Some((Answer::Accepted, at));
        p.delegation = Some(9);
        assert_eq!(p.status(), ProposalStatus::Started);
        assert!(p.reasons.same_sigungu);
        assert_eq!(
            p.reasons.designer_sigungu_name,
            "전북특별자치도 전주시 완산구"
        );
    }
}
