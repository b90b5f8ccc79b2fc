//! The onboarding pipeline: for each merchant and marketplace, where the merchant stands on the
//! way to selling there — 준비 → 계정 확인 → 상품 작성 → 검증 통과 → 제출 → 심사중 → 판매중, or
//! 반려 / 보류 — since when, who moved it, and what to do next. Operators see every card (a
//! local-government officer those of the region) and move them; a merchant sees their own.

mod store;
pub use store::OnboardingStore;

pub mod bulk_job;

use crate::accounts::{Role, User};
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::region::RegionCode;
use crate::kernel::time::Timestamp;
use crate::listing::marketplaces::{Outcome, ReviewStatus};
use crate::merchants::diagnosis::Track;
use crate::merchants::merchant::MerchantId;
use crate::onboarding::bulk_job::{BulkJob, JobKind, NewBulkJob};
use crate::ports::{Clock, Store, StoreError};

/// At most this many cards on a board (and so in one bulk job).
pub const BOARD_LIMIT: u32 = 2_000;

/// Where a merchant stands with one marketplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Preparing,
    AccountCheck,
    Drafting,
    Validated,
    Submitted,
    InReview,
    Selling,
    Rejected,
    OnHold,
}

impl Stage {
    /// Where a shop's card goes after one send: 심사중 when the marketplace holds the product,
    /// 반려 when it refused it; nowhere when nothing is known.
    pub fn after_submission(outcome: &Outcome) -> Option<Stage> {
        match outcome {
            Outcome::Created { .. } => Some(Stage::InReview),
            Outcome::Rejected { .. } => Some(Stage::Rejected),
            Outcome::Failed { .. } => None,
        }
    }

    /// Where the card goes once the marketplace's review has decided, and why in its words:
    /// on sale → 판매중, refused → 반려, stopped or deleted → 보류; nowhere while it reviews.
    pub fn after_review(status: &ReviewStatus) -> Option<(Stage, &str)> {
        match status {
            ReviewStatus::InReview => None,
            ReviewStatus::Selling => Some((Stage::Selling, "on sale")),
            ReviewStatus::Rejected { reason } => Some((Stage::Rejected, reason)),
            ReviewStatus::Stopped { reason } => Some((Stage::OnHold, reason)),
        }
    }

    /// Where a shop's card goes after the marketplace answered several of its products at once
    /// (each answer's stage; `None` for one that said nothing): 심사중 when it took any, else
    /// the other answers' stage (반려 for a refusal); nowhere when none said anything.
    pub fn after_answers(answers: impl IntoIterator<Item = Option<Stage>>) -> Option<Stage> {
        let mut after = None;
        for stage in answers.into_iter().flatten() {
            if stage == Stage::InReview {
                return Some(stage);
            }
            after = Some(stage);
        }
        after
    }

    /// In board order.
    pub const ALL: [Stage; 9] = [
        Stage::Preparing,
        Stage::AccountCheck,
        Stage::Drafting,
        Stage::Validated,
        Stage::Submitted,
        Stage::InReview,
        Stage::Selling,
        Stage::Rejected,
        Stage::OnHold,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Preparing => "preparing",
            Stage::AccountCheck => "account_check",
            Stage::Drafting => "drafting",
            Stage::Validated => "validated",
            Stage::Submitted => "submitted",
            Stage::InReview => "in_review",
            Stage::Selling => "selling",
            Stage::Rejected => "rejected",
            Stage::OnHold => "on_hold",
        }
    }

    /// Parses a stage code; the error names `field`.
    pub fn parse(code: &str, field: &str) -> Result<Stage, FieldError> {
        Stage::ALL
            .into_iter()
            .find(|s| s.as_str() == code.trim())
            .ok_or_else(|| FieldError::new(field, "error-stage-unknown"))
    }

    /// The message key of the stage's name (`stage-in_review` = 심사중).
    pub fn label_key(self) -> String {
        format!("stage-{}", self.as_str())
    }

    /// The message key of what to do next at this stage.
    pub fn next_action_key(self) -> String {
        format!("stage-next-{}", self.as_str())
    }

    /// Sent to the marketplace or on sale there: bulk validation and submission leave the card
    /// alone, so running them again never lists a product twice.
    pub const fn is_listed(self) -> bool {
        matches!(self, Stage::Submitted | Stage::InReview | Stage::Selling)
    }
}

/// One merchant × marketplace on the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub merchant: MerchantId,
    pub merchant_name: String,
    pub region: RegionCode,
    pub track: Option<Track>,
    pub channel: Channel,
    pub stage: Stage,
    /// When the card entered its stage.
    pub entered_at: Timestamp,
    /// When the card was first put on the board.
    pub started_at: Timestamp,
    /// The name of whoever moved it last.
    pub moved_by: Option<String>,
    /// Why it was moved to where it is, when someone said (a refusal's or a hold's reason).
    pub reason: Option<String>,
}

impl Card {
    /// Whole days in the current stage.
    pub fn age_days(&self, now: Timestamp) -> i64 {
        self.entered_at.seconds_until(now) / 86_400
    }
}

/// One move of a card, for its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRecord {
    pub channel: Channel,
    pub from: Option<Stage>,
    pub to: Stage,
    pub by: Option<String>,
    pub at: Timestamp,
    /// Why, when someone said.
    pub reason: Option<String>,
}

/// What the board shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardFilter {
    /// A 시도, a 시군구, or a 시 with its 구.
    pub region: Option<RegionCode>,
    pub track: Option<Track>,
    pub channel: Option<Channel>,
    pub stage: Option<Stage>,
    /// Cards at least this many days in their stage.
    pub min_age_days: Option<u32>,
    /// One merchant's cards.
    pub merchant: Option<MerchantId>,
}

impl BoardFilter {
    /// Parses the board's filters as typed in a query string; empty values mean "any".
    pub fn parse(
        region_code: Option<&str>,
        track: Option<&str>,
        channel: Option<&str>,
        stage: Option<&str>,
        min_age_days: Option<&str>,
    ) -> Result<BoardFilter, ValidationErrors> {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let mut errors = ValidationErrors::new();
        let region =
            given(region_code).and_then(|c| errors.check(RegionCode::parse(c, "region_code")));
        let track = given(track).and_then(|t| errors.check(Track::parse(t, "track")));
        let channel = given(channel).and_then(|c| errors.check(Channel::parse_field(c, "channel")));
        let stage = given(stage).and_then(|s| errors.check(Stage::parse(s, "stage")));
        let min_age_days = given(min_age_days).and_then(|d| match d.parse::<u32>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push("min_age_days", "error-integer");
                None
            }
        });
        errors.into_result()?;
        Ok(BoardFilter {
            region,
            track,
            channel,
            stage,
            min_age_days,
            merchant: None,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OnboardingError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which cards of a marketplace a bulk job covers, as the board's filter fields are typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct BulkScope {
    pub region_code: Option<String>,
    pub track: Option<String>,
    pub min_age_days: Option<String>,
}

/// Moving cards and running bulk jobs are for staff.
fn staff_only(user: &User) -> Result<(), OnboardingError> {
    if user.role.is_staff() {
        Ok(())
    } else {
        Err(OnboardingError::Forbidden)
    }
}

/// What a move says about itself: where to and why for the audit trail, and the reason the
/// shop reads on its card, when someone gave one.
struct MoveNote<'a> {
    detail: String,
    reason: Option<&'a str>,
}

/// The onboarding use cases.
pub struct Onboarding<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl Onboarding<'_> {
    /// The cards `user` may see under `filter`: staff all, an officer their region, a merchant
    /// their own shop's.
    pub async fn board(
        &self,
        user: &User,
        filter: BoardFilter,
    ) -> Result<Vec<Card>, OnboardingError> {
        let mut filter = filter;
        match user.role {
            r if r.is_staff() => {}
            Role::LocalGov => {
                let scope = user.officer_scope(filter.region.as_ref());
                filter.region = Some(scope.ok_or(OnboardingError::Forbidden)?);
            }
            Role::Merchant => {
                let shop = self
                    .store
                    .merchant_of_owner(user.id)
                    .await?
                    .ok_or(OnboardingError::NotFound)?;
                filter.merchant = Some(shop.id);
            }
            _ => return Err(OnboardingError::Forbidden),
        }
        let now = self.clock.now();
        let mut cards = self.store.onboarding_cards(&filter, BOARD_LIMIT).await?;
        if let Some(days) = filter.min_age_days {
            cards.retain(|c| c.age_days(now) >= i64::from(days));
        }
        Ok(cards)
    }

    /// Moves `merchant`'s card for `channel` to `to` (creating it at `to` when it is new).
    /// Staff only; every move is kept with who and when.
    pub async fn move_card(
        &self,
        user: &User,
        actor: &Actor,
        merchant: MerchantId,
        channel: &str,
        to: &str,
        reason: &str,
    ) -> Result<(), OnboardingError> {
        staff_only(user)?;
        let mut errors = ValidationErrors::new();
        let channel = errors.check(Channel::parse_field(channel, "channel"));
        let to = errors.check(Stage::parse(to, "stage"));
        let reason = crate::kernel::text::multi_line(reason).unwrap_or_else(|code| {
            errors.push("reason", code);
            Default::default()
        });
        let reason = reason.trim();
        // A refusal or a hold tells the shop why; the reason stays on the card.
        if matches!(to, Some(Stage::Rejected | Stage::OnHold)) && reason.is_empty() {
            errors.push("reason", "error-move-reason");
        }
        if crate::kernel::text::longer_than(reason, 500) {
            errors.push("reason", "error-too-long");
        }
        errors.into_result().map_err(OnboardingError::Invalid)?;
        let (channel, to) = (channel.expect("checked above"), to.expect("checked above"));
        let reason = (!reason.is_empty()).then_some(reason);
        self.move_to(user, actor, merchant, channel, to, reason)
            .await
    }

    /// `move_card` for a marketplace code and a stage already known (a bulk job's moves), with
    /// the reason the shop reads, if any.
    pub async fn move_to(
        &self,
        user: &User,
        actor: &Actor,
        merchant: MerchantId,
        channel: Channel,
        to: Stage,
        reason: Option<&str>,
    ) -> Result<(), OnboardingError> {
        staff_only(user)?;
        if self.store.merchant(merchant).await?.is_none() {
            return Err(OnboardingError::NotFound);
        }
        self.record_move(
            user,
            actor,
            merchant,
            channel,
            to,
            MoveNote {
                detail: to.as_str().to_owned(),
                reason,
            },
        )
        .await?;
        Ok(())
    }

    /// The cards a `kind` job on `channel` would cover now (staff): what a confirmation names
    /// before an irreversible job starts.
    pub async fn bulk_job_cards(
        &self,
        user: &User,
        kind: JobKind,
        channel: Channel,
        scope: &BulkScope,
    ) -> Result<Vec<Card>, OnboardingError> {
        staff_only(user)?;
        let filter = BoardFilter::parse(
            scope.region_code.as_deref(),
            scope.track.as_deref(),
            Some(channel.code()),
            kind.stage().map(Stage::as_str),
            scope.min_age_days.as_deref(),
        )
        .map_err(OnboardingError::Invalid)?;
        Ok(self
            .board(user, filter)
            .await?
            .into_iter()
            // The board holds at most `BOARD_LIMIT` cards, so a job does too.
            .filter(|c| kind.covers(c.stage))
            .collect())
    }

    /// Starts a `kind` job on `channel` over the cards `user` (staff) sees on the board in
    /// `region`, `track` and `min_age_days` (as typed in the board's filter): the job as
    /// recorded and the cards it covers, which the caller works through. `Ok(None)` when a job
    /// already runs for the marketplace.
    pub async fn start_bulk_job(
        &self,
        user: &User,
        actor: &Actor,
        kind: JobKind,
        channel: Channel,
        scope: &BulkScope,
    ) -> Result<Option<(BulkJob, Vec<Card>)>, OnboardingError> {
        let cards = self.bulk_job_cards(user, kind, channel, scope).await?;
        let now = self.clock.now();
        let new = NewBulkJob {
            kind,
            channel: channel.to_owned(),
            total: cards.len() as i64,
            started_by: user.id,
            at: now,
        };
        let audit = actor.entry(
            now,
            "onboarding.bulk",
            format!("channel:{channel}"),
            format!("{} of {} cards", kind.as_str(), cards.len()),
        );
        match self.store.start_bulk_job(&new, &audit).await {
            Ok(job) => Ok(Some((job, cards))),
            Err(StoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// A bulk job, for staff.
    /// The latest bulk job of `channel` (staff), to show its progress on the board.
    pub async fn latest_bulk_job(
        &self,
        user: &User,
        channel: Channel,
    ) -> Result<Option<BulkJob>, OnboardingError> {
        staff_only(user)?;
        Ok(self
            .store
            .bulk_jobs(Some(channel), 1)
            .await?
            .into_iter()
            .next())
    }

    pub async fn bulk_job(&self, user: &User, id: i64) -> Result<BulkJob, OnboardingError> {
        staff_only(user)?;
        self.store
            .bulk_job(id)
            .await?
            .ok_or(OnboardingError::NotFound)
    }

    /// Moves a card where a marketplace's answer put it: a listing taken → 심사중, refused →
    /// 반려, a review decided → 판매중 / 반려 / 보류. The marketplace decided, not a person, so
    /// there is no staff check (a merchant publishing their own product moves their own card);
    /// `why` is kept with the move in the audit trail.
    pub async fn follow_marketplace(
        &self,
        user: &User,
        actor: &Actor,
        merchant: MerchantId,
        channel: Channel,
        to: Stage,
        why: &str,
    ) -> Result<(), StoreError> {
        let detail = format!("{} ({why})", to.as_str());
        let note = MoveNote {
            detail,
            reason: None,
        };
        self.record_move(user, actor, merchant, channel, to, note)
            .await
    }

    /// Moves the card and keeps the move in the audit trail (`note.detail`: where to, and why)
    /// with the reason the shop reads.
    async fn record_move(
        &self,
        user: &User,
        actor: &Actor,
        merchant: MerchantId,
        channel: Channel,
        to: Stage,
        note: MoveNote<'_>,
    ) -> Result<(), StoreError> {
        let audit = actor.entry(
            self.clock.now(),
            "onboarding.move",
            format!("merchant:{}:{channel}", merchant.0),
            note.detail,
        );
        self.store
            .move_onboarding(merchant, channel, to, user.id, note.reason, &audit)
            .await
    }

    /// Every move of a merchant's cards, oldest first.
    pub async fn history(
        &self,
        user: &User,
        merchant: MerchantId,
    ) -> Result<Vec<MoveRecord>, OnboardingError> {
        let cards = self
            .board(
                user,
                BoardFilter {
                    merchant: Some(merchant),
                    ..BoardFilter::default()
                },
            )
            .await?;
        if cards.is_empty() && !user.role.is_staff() {
            return Ok(Vec::new());
        }
        Ok(self.store.onboarding_moves(merchant).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_follows_what_the_marketplace_said() {
        use crate::listing::marketplaces::{Outcome, ReviewStatus};
        let created = Outcome::Created {
            product_id: "1".into(),
        };
        let refused = Outcome::Rejected { errors: vec![] };
        let failed = Outcome::Failed {
            reason: "timeout".into(),
        };
        assert_eq!(Stage::after_submission(&created), Some(Stage::InReview));
        assert_eq!(Stage::after_submission(&refused), Some(Stage::Rejected));
        assert_eq!(Stage::after_submission(&failed), None);
        assert_eq!(Stage::after_review(&ReviewStatus::InReview), None);
        assert_eq!(
            Stage::after_review(&ReviewStatus::Selling).map(|(s, _)| s),
            Some(Stage::Selling)
        );
        let stopped = ReviewStatus::Stopped {
            reason: "deleted".into(),
        };
        assert_eq!(
            Stage::after_review(&stopped),
            Some((Stage::OnHold, "deleted"))
        );
        let refused = ReviewStatus::Rejected {
            reason: "이미지 불량".into(),
        };
        assert_eq!(
            Stage::after_review(&refused),
            Some((Stage::Rejected, "이미지 불량"))
        );
    }

    #[test]
    fn a_card_follows_the_best_of_several_answers() {
        use Stage::{InReview, Rejected};
        assert_eq!(
            Stage::after_answers([Some(InReview), Some(Rejected)]),
            Some(InReview)
        );
        assert_eq!(
            Stage::after_answers([Some(Rejected), None, Some(InReview)]),
            Some(InReview)
        );
        assert_eq!(Stage::after_answers([None, Some(Rejected)]), Some(Rejected));
        assert_eq!(Stage::after_answers([None, None]), None);
        assert_eq!(Stage::after_answers([]), None);
    }
}
