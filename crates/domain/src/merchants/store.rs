//! The storage port of this area: merchants, their diagnoses and track history, and register imports. `gachi-store` implements it for
//! SQLite and PostgreSQL and its conformance suite holds both to it.

use async_trait::async_trait;

use crate::accounts::UserId;
use crate::kernel::audit::AuditEntry;
use crate::merchants::diagnosis::{Assessment, Diagnosed, DiagnosisRecord, Track, TrackChange};
use crate::merchants::merchant::{
    ImportCounts, Merchant, MerchantFields, MerchantFilter, MerchantId, MerchantSource,
    MerchantStatus,
};
use crate::merchants::register::StoreRecord;

use crate::ports::StoreError;

/// The merchant registry.
#[async_trait]
pub trait MerchantStore: Send + Sync {
    /// Stores a new merchant; `StoreError::Conflict("business_number")` when that number is
    /// already registered.
    async fn create_merchant(
        &self,
        fields: &MerchantFields,
        status: MerchantStatus,
        source: MerchantSource,
        owner: Option<UserId>,
        audit: &AuditEntry,
    ) -> Result<Merchant, StoreError>;
    async fn merchant(&self, id: MerchantId) -> Result<Option<Merchant>, StoreError>;
    async fn merchant_by_business_number(
        &self,
        digits: &str,
    ) -> Result<Option<Merchant>, StoreError>;
    /// The merchant record a merchant account owns.
    async fn merchant_of_owner(&self, owner: UserId) -> Result<Option<Merchant>, StoreError>;
    async fn update_merchant(
        &self,
        id: MerchantId,
        fields: &MerchantFields,
        audit: &AuditEntry,
    ) -> Result<Merchant, StoreError>;
    /// Newest first; `before` continues a list after the last id of the previous page.
    async fn list_merchants(
        &self,
        filter: &MerchantFilter,
        before: Option<MerchantId>,
        limit: u32,
    ) -> Result<Vec<Merchant>, StoreError>;
    /// Inserts or updates prospects keyed by 상가업소번호, in one transaction; rows equal to what is
    /// stored are left alone. `batch` marks the rows this import run inserted.
    async fn upsert_store_records(
        &self,
        records: &[StoreRecord],
        batch: i64,
        audit: &AuditEntry,
    ) -> Result<ImportCounts, StoreError>;
    /// Before a bulk import: when the registry is empty, drops the secondary indexes so the load
    /// does not maintain them row by row. Returns whether it did.
    async fn begin_bulk_load(&self) -> Result<bool, StoreError>;
    /// After a bulk import, even a failed one: builds the missing indexes, settles the files.
    async fn finish_bulk_load(&self) -> Result<(), StoreError>;
    /// On start-up: builds any missing secondary index.
    async fn ensure_merchant_indexes(&self) -> Result<(), StoreError>;

    /// Stores a diagnosis and, as `diagnosis::recommendation_sets_track` says (not while an
    /// operator's override stands), makes its track the merchant's, in one transaction that an
    /// override made meanwhile cannot slip past.
    async fn record_diagnosis(
        &self,
        merchant: MerchantId,
        assessment: &Assessment,
        by: Option<UserId>,
        audit: &AuditEntry,
    ) -> Result<Diagnosed, StoreError>;
    async fn latest_diagnosis(
        &self,
        merchant: MerchantId,
    ) -> Result<Option<DiagnosisRecord>, StoreError>;
    /// Sets the track by hand, with the operator's reason.
    async fn override_track(
        &self,
        merchant: MerchantId,
        track: Track,
        reason: &str,
        by: UserId,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Every track change of a merchant, oldest first.
    async fn track_history(&self, merchant: MerchantId) -> Result<Vec<TrackChange>, StoreError>;
}
