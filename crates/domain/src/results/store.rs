//! The storage port of this area: sales reports, the hall of fame, budgets, targets and the dashboard aggregates. `gachi-store` implements it for
//! SQLite and PostgreSQL and its conformance suite holds both to it.

use async_trait::async_trait;

use crate::accounts::UserId;
use crate::kernel::audit::AuditEntry;
use crate::merchants::merchant::MerchantId;

use crate::ports::StoreError;

/// Sales reports, the hall of fame and the program's settings.
#[async_trait]
pub trait ResultsStore: Send + Sync {
    /// Saves (or corrects, keeping the old values) a report, then recomputes the merchant's
    /// hall-of-fame entry against `threshold_krw`, in one transaction.
    async fn save_sales_report(
        &self,
        report: &crate::results::SalesReport,
        by: Option<UserId>,
        threshold_krw: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// A merchant's reports, newest month first.
    async fn sales_of(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<crate::results::SalesReport>, StoreError>;
    /// Members, newest entry first, in a region and/or an industry.
    async fn hall_of_fame(
        &self,
        region: Option<&crate::kernel::region::RegionCode>,
        industry_code: Option<&str>,
    ) -> Result<Vec<crate::results::Member>, StoreError>;
    async fn set_success_story(
        &self,
        merchant: MerchantId,
        story: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// The dashboard's counts for `year`, nationally or in a region.
    async fn result_counts(
        &self,
        year: i32,
        region: Option<&crate::kernel::region::RegionCode>,
    ) -> Result<crate::results::Counts, StoreError>;
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    async fn set_setting(
        &self,
        key: &str,
        value: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Saves `threshold_krw` as the hall-of-fame threshold setting
    /// (`results::THRESHOLD_SETTING`) and recomputes every merchant's entry against it, in one
    /// transaction; returns the number of members.
    async fn recompute_hall_of_fame(
        &self,
        threshold_krw: i64,
        audit: &AuditEntry,
    ) -> Result<u64, StoreError>;
    /// Per 시군구 of a 시도: (region code, registered, selling).
    async fn sigungu_counts(
        &self,
        sido: &crate::kernel::region::RegionCode,
    ) -> Result<Vec<(String, i64, i64)>, StoreError>;
    /// A merchant's report corrections, newest first: (channel, month, old sales, new sales,
    /// who, when).
    async fn sales_changes(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<crate::results::SalesChange>, StoreError>;
    /// Per 시도 (two-digit code): registered and selling merchants and hall-of-fame members.
    async fn sido_counts(&self) -> Result<Vec<(String, crate::results::Counts)>, StoreError>;
    /// Online sales per month of `year` (all channels), nationally or in a region.
    async fn monthly_sales(
        &self,
        year: i32,
        region: Option<&crate::kernel::region::RegionCode>,
    ) -> Result<Vec<(crate::results::Month, i64)>, StoreError>;
    /// Registered and selling merchants grouped by track or by industry major category:
    /// (group, registered, selling).
    async fn breakdown(
        &self,
        by: crate::results::Breakdown,
        region: Option<&crate::kernel::region::RegionCode>,
    ) -> Result<Vec<(String, i64, i64)>, StoreError>;
}
