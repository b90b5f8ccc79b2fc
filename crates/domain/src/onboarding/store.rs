//! The storage port of this area: onboarding cards and bulk jobs. `gachi-store` implements it for
//! SQLite and PostgreSQL and its conformance suite holds both to it.

use crate::kernel::channel::Channel;
use async_trait::async_trait;

use crate::accounts::UserId;
use crate::kernel::audit::AuditEntry;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;

use crate::ports::StoreError;

/// The onboarding board: one card per merchant × marketplace, and its moves.
#[async_trait]
pub trait OnboardingStore: Send + Sync {
    /// Cards under `filter` (all but `min_age_days`, which the use case applies), oldest in
    /// their stage first.
    async fn onboarding_cards(
        &self,
        filter: &crate::onboarding::BoardFilter,
        limit: u32,
    ) -> Result<Vec<crate::onboarding::Card>, StoreError>;
    /// Moves (or puts on the board) a card and records the move, in one transaction.
    async fn move_onboarding(
        &self,
        merchant: MerchantId,
        channel: Channel,
        to: crate::onboarding::Stage,
        by: UserId,
        reason: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Every move of a merchant's cards, oldest first.
    async fn onboarding_moves(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<crate::onboarding::MoveRecord>, StoreError>;
    /// Starts a bulk job; `Conflict("channel")` while another runs for the same marketplace.
    async fn start_bulk_job(
        &self,
        job: &crate::onboarding::bulk_job::NewBulkJob,
        audit: &AuditEntry,
    ) -> Result<crate::onboarding::bulk_job::BulkJob, StoreError>;
    /// Records how far a running job is.
    async fn bulk_job_progress(
        &self,
        id: i64,
        done: i64,
        passed: i64,
        failed: i64,
    ) -> Result<(), StoreError>;
    async fn finish_bulk_job(
        &self,
        id: i64,
        state: crate::onboarding::bulk_job::JobState,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    async fn bulk_job(
        &self,
        id: i64,
    ) -> Result<Option<crate::onboarding::bulk_job::BulkJob>, StoreError>;
    /// The newest jobs first, of one marketplace or all.
    async fn bulk_jobs(
        &self,
        channel: Option<Channel>,
        limit: u32,
    ) -> Result<Vec<crate::onboarding::bulk_job::BulkJob>, StoreError>;
    /// Marks the jobs a stopped server left running as interrupted; how many there were.
    async fn interrupt_bulk_jobs(&self, at: Timestamp) -> Result<u64, StoreError>;
}
