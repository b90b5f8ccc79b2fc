//! The storage port of this area: the pool, the shops' sales visibility, and picks. `gachi-store`
//! implements it for SQLite and PostgreSQL and its conformance suite holds both to it.

use async_trait::async_trait;

use crate::accounts::UserId;
use crate::catalog::product::ProductId;
use crate::discovery::picks::{Decision, NewPick, Pick};
use crate::discovery::pool::{PoolEntry, SalesVisibility};
use crate::kernel::audit::AuditEntry;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;
use crate::ports::StoreError;

/// Which picks to list; `None` means any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PickFilter {
    pub md: Option<UserId>,
    pub merchant: Option<MerchantId>,
    pub product: Option<ProductId>,
}

#[async_trait]
pub trait DiscoveryStore: Send + Sync {
    /// Puts a product in the pool (keeping the first `pooled_at` when it is in already);
    /// whether it was newly put.
    async fn put_in_pool(&self, entry: &PoolEntry, audit: &AuditEntry) -> Result<bool, StoreError>;
    /// Takes a product out; whether it was in.
    async fn take_out_of_pool(
        &self,
        product: ProductId,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError>;
    async fn pool_entry(&self, product: ProductId) -> Result<Option<PoolEntry>, StoreError>;
    /// Pooled products in product order, after `after`, at most `limit`.
    async fn pool_entries(
        &self,
        after: Option<ProductId>,
        limit: u32,
    ) -> Result<Vec<PoolEntry>, StoreError>;
    /// A shop's pooled products, newest first.
    async fn pool_entries_of(&self, merchant: MerchantId) -> Result<Vec<PoolEntry>, StoreError>;
    async fn pool_count(&self) -> Result<u64, StoreError>;
    async fn sales_visibility(&self, merchant: MerchantId) -> Result<SalesVisibility, StoreError>;
    async fn set_sales_visibility(
        &self,
        merchant: MerchantId,
        visibility: SalesVisibility,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Keeps a pick; `Conflict("product_id")` while the same MD has an open (proposed or
    /// accepted) pick of the product for the same marketplace.
    async fn create_pick(&self, pick: &NewPick, audit: &AuditEntry) -> Result<Pick, StoreError>;
    async fn pick(&self, id: i64) -> Result<Option<Pick>, StoreError>;
    /// Picks under `filter`, newest first, at most `limit`.
    async fn picks(&self, filter: &PickFilter, limit: u32) -> Result<Vec<Pick>, StoreError>;
    /// Records the shop's answer to a proposed pick; `Conflict("decision")` when it was
    /// answered already, `NotFound` when there is no such pick.
    async fn decide_pick(
        &self,
        id: i64,
        decision: Decision,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
}
