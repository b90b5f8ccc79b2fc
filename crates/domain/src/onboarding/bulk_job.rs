//! Bulk actions on the onboarding board run as jobs: "validate every card of this marketplace",
//! "list every validated product" and "ask the marketplace how its review went" can take minutes
//! across thousands of shops, so they run in
//! the background while the board shows how far they are (done of total, how many passed and
//! failed). One job runs per marketplace at a time — two "submit all" runs over the same cards
//! could list a product twice. A job a stopped server left running is marked interrupted at the
//! next start; running it again is safe (listed products are in 심사중 and not sent again).

use crate::accounts::UserId;
use crate::kernel::channel::Channel;
use crate::kernel::time::Timestamp;
use crate::onboarding::Stage;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Validates every card's shop and moves the cards with an acceptable product to 검증 통과.
    Validate,
    /// Lists the ready products of the cards in 검증 통과.
    Submit,
    /// Asks the marketplace about the listed product of each card in 심사중 and moves the cards
    /// it has decided (판매중, 반려, 보류).
    Review,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Validate => "validate",
            JobKind::Submit => "submit",
            JobKind::Review => "review",
        }
    }

    /// The stage of the cards the job works through: validate takes every card, submit those
    /// in 검증 통과, review those in 심사중.
    pub fn stage(self) -> Option<Stage> {
        match self {
            JobKind::Validate => None,
            JobKind::Submit => Some(Stage::Validated),
            JobKind::Review => Some(Stage::InReview),
        }
    }

    /// Whether the job works on a card in `stage`: validate and submit leave listed cards alone
    /// (their product is with the marketplace); review is only about listed cards.
    pub fn covers(self, stage: Stage) -> bool {
        self == JobKind::Review || !stage.is_listed()
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim() {
            "validate" => Some(JobKind::Validate),
            "submit" => Some(JobKind::Submit),
            "review" => Some(JobKind::Review),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Running,
    Done,
    /// The server stopped while it ran.
    Interrupted,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Interrupted => "interrupted",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "running" => Some(JobState::Running),
            "done" => Some(JobState::Done),
            "interrupted" => Some(JobState::Interrupted),
            _ => None,
        }
    }
}

/// A job to start.
#[derive(Debug, Clone)]
pub struct NewBulkJob {
    pub kind: JobKind,
    /// The marketplace code (`naver`, …).
    pub channel: Channel,
    /// Cards to work through.
    pub total: i64,
    pub started_by: UserId,
    pub at: Timestamp,
}

/// A job and how far it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkJob {
    pub id: i64,
    pub kind: JobKind,
    pub channel: Channel,
    pub state: JobState,
    pub total: i64,
    /// Cards worked through so far.
    pub done: i64,
    /// Validate: cards moved to 검증 통과. Submit: products the marketplace took. Review: cards
    /// the marketplace has decided (moved to 판매중, 반려 or 보류).
    pub passed: i64,
    /// Validate: cards whose shop has nothing acceptable yet. Submit: products not taken.
    /// Review: cards that could not be asked (nothing listed, no keys, no answer).
    pub failed: i64,
    pub started_by: UserId,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl BulkJob {
    /// Review: cards the marketplace is still reviewing (asked, not decided).
    pub fn waiting(&self) -> i64 {
        (self.done - self.passed - self.failed).max(0)
    }

    /// Done of total, in whole percent (100 for a job with nothing to do).
    pub fn percent(&self) -> i64 {
        if self.total <= 0 {
            100
        } else {
            (self.done.clamp(0, self.total) * 100) / self.total
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_percent_stays_in_range() {
        for kind in [JobKind::Validate, JobKind::Submit, JobKind::Review] {
            assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
        }
        for state in [JobState::Running, JobState::Done, JobState::Interrupted] {
            assert_eq!(JobState::parse(state.as_str()), Some(state));
        }
        assert_eq!(JobKind::parse("delete"), None);
        let mut job = BulkJob {
            id: 1,
            kind: JobKind::Submit,
            channel: Channel::Naver,
            state: JobState::Running,
            total: 3,
            done: 1,
            passed: 1,
            failed: 0,
            started_by: UserId(1),
            started_at: Timestamp::from_unix_ms(0),
            finished_at: None,
        };
        assert_eq!(job.percent(), 33);
        job.done = 7;
        assert_eq!(job.percent(), 100);
        job.total = 0;
        assert_eq!(job.percent(), 100);
    }
}
