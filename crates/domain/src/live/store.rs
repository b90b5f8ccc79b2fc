//! The storage port of 가치데이 live commerce.

use std::collections::BTreeSet;

use async_trait::async_trait;

use crate::accounts::UserId;
use crate::catalog::product::ProductId;
use crate::kernel::audit::AuditEntry;
use crate::kernel::region::RegionCode;
use crate::kernel::time::{Date, Timestamp};
use crate::live::model::{
    Application, ApplicationStatus, Broadcast, BroadcastStatus, Call, Host, LiveChannel, Minute,
    NewCall, ResultRow, Review, Slot, Studio,
};
use crate::merchants::merchant::MerchantId;
use crate::ports::StoreError;

/// An application to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub call: i64,
    pub merchant: MerchantId,
    pub products: Vec<ProductId>,
    pub preferred_weeks: Vec<Date>,
    pub pitch: String,
    pub first_time: bool,
    pub applied_at: Timestamp,
}

/// Selection's word on one application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionRecord {
    pub application: i64,
    pub status: ApplicationStatus,
    pub score: Option<i64>,
    pub reason: String,
}

/// Which broadcasts to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BroadcastFilter {
    pub call: Option<i64>,
    pub merchant: Option<MerchantId>,
    /// Only these (empty: any).
    pub statuses: BTreeSet<BroadcastStatus>,
    /// On or after this day.
    pub from: Option<Date>,
    /// On or before this day.
    pub until: Option<Date>,
}

/// A broadcast's preparation, as the operator and the merchant keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preparation {
    pub channels: Vec<LiveChannel>,
    pub checklist: BTreeSet<String>,
    pub expected_units: Vec<(ProductId, i64)>,
    pub discount_percent: u8,
    pub replay_url: String,
}

#[async_trait]
pub trait LiveStore: Send + Sync {
    /// Adds a studio (`id` None) or changes one.
    async fn save_studio(
        &self,
        id: Option<i64>,
        name: &str,
        place: &str,
        times: &[Minute],
        audit: &AuditEntry,
    ) -> Result<Studio, StoreError>;
    async fn studios(&self) -> Result<Vec<Studio>, StoreError>;
    /// Adds a host (`id` None) or changes one.
    async fn save_host(
        &self,
        id: Option<i64>,
        host: &Host,
        audit: &AuditEntry,
    ) -> Result<Host, StoreError>;
    async fn hosts(&self) -> Result<Vec<Host>, StoreError>;

    async fn create_call(
        &self,
        call: &NewCall,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<Call, StoreError>;
    async fn call(&self, id: i64) -> Result<Option<Call>, StoreError>;
    /// Every call, newest season first.
    async fn calls(&self) -> Result<Vec<Call>, StoreError>;
    /// Moves a call's closing time to `at` (staff closing applications early).
    async fn close_applications(
        &self,
        call: i64,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Keeps an application; `Conflict("merchant_id")` when the shop applied to the call already.
    async fn create_application(
        &self,
        application: &NewApplication,
        audit: &AuditEntry,
    ) -> Result<Application, StoreError>;
    async fn application(&self, id: i64) -> Result<Option<Application>, StoreError>;
    /// A call's applications, in application order.
    async fn live_applications(&self, call: i64) -> Result<Vec<Application>, StoreError>;
    /// A shop's applications, newest first.
    async fn live_applications_of(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<Application>, StoreError>;
    /// Whether a broadcast of the shop was confirmed or held.
    async fn has_been_on_air(&self, merchant: MerchantId) -> Result<bool, StoreError>;

    /// Adds review assignments (already assigned pairs are left as they are).
    async fn assign_reviews(
        &self,
        pairs: &[(i64, UserId)],
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// The reviews of a call's applications.
    async fn reviews(&self, call: i64) -> Result<Vec<Review>, StoreError>;
    /// A reviewer's assignments, newest application first.
    async fn reviews_by(&self, reviewer: UserId) -> Result<Vec<Review>, StoreError>;
    /// Records a reviewer's scores; `NotFound` when they were not assigned.
    async fn submit_review(
        &self,
        application: i64,
        reviewer: UserId,
        scores: &[u8; 5],
        comment: &str,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Records selection for every application of the call at once.
    async fn record_selection(
        &self,
        call: i64,
        records: &[SelectionRecord],
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Replaces the call's scheduled (not yet confirmed) broadcasts by `slots`, in one
    /// transaction; applications whose broadcast is confirmed or held keep it.
    async fn replace_schedule(
        &self,
        call: i64,
        slots: &[Slot],
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn broadcast(&self, id: i64) -> Result<Option<Broadcast>, StoreError>;
    /// Broadcasts under `filter`, by day and start.
    async fn broadcasts(&self, filter: &BroadcastFilter) -> Result<Vec<Broadcast>, StoreError>;
    async fn move_broadcast(
        &self,
        id: i64,
        slot: &Slot,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn save_preparation(
        &self,
        id: i64,
        preparation: &Preparation,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn set_broadcast_status(
        &self,
        id: i64,
        status: BroadcastStatus,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Keeps result rows (a row for the same broadcast, channel and product replaces the
    /// earlier one) and marks their broadcasts held, in one transaction.
    async fn record_results(
        &self,
        rows: &[ResultRow],
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn results(&self, broadcast: i64) -> Result<Vec<ResultRow>, StoreError>;
    async fn save_survey(
        &self,
        id: i64,
        score: u8,
        comment: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Broadcasts held in `year` (Seoul days) and their distinct shops, of shops in `region`.
    async fn held_counts(
        &self,
        year: i32,
        region: Option<&RegionCode>,
    ) -> Result<(i64, i64), StoreError>;
}
