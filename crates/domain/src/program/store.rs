//! The storage port of this area: rounds and applications. `gachi-store` implements it for
//! SQLite and PostgreSQL and its conformance suite holds both to it.

use async_trait::async_trait;

use crate::accounts::UserId;
use crate::kernel::audit::AuditEntry;
use crate::merchants::merchant::MerchantId;
use crate::program::rounds::{Applicant, Application, Decision, Quotas, Round, RoundId};

use crate::ports::StoreError;

/// Program rounds: quotas, applications, decisions.
#[async_trait]
pub trait RoundStore: Send + Sync {
    async fn create_round(
        &self,
        name: &str,
        quotas: &Quotas,
        by: UserId,
        audit: &AuditEntry,
    ) -> Result<Round, StoreError>;
    async fn round(&self, id: RoundId) -> Result<Option<Round>, StoreError>;
    /// Newest first.
    async fn rounds(&self) -> Result<Vec<Round>, StoreError>;
    /// `StoreError::Conflict("application")` when the merchant applied already.
    async fn apply(
        &self,
        round: RoundId,
        applicant: &Applicant,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn applications(&self, round: RoundId) -> Result<Vec<Application>, StoreError>;
    async fn applications_of(&self, merchant: MerchantId) -> Result<Vec<Application>, StoreError>;
    /// Stores every decision, marks the selected merchants `selected` (when they were
    /// `registered`) and the round decided, in one transaction.
    async fn record_decisions(
        &self,
        round: RoundId,
        decisions: &[Decision],
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
}
