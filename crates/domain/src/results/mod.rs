//! Results: monthly online sales per merchant and channel (entered by the merchant or imported
//! by staff, corrections kept with who, when, old → new), the hall of fame (명예의 전당) computed
//! from them — a merchant enters in the first month their trailing-12-month online sales reach the
//! threshold (a setting, 1억 KRW by default) — and the program's yearly targets against actuals.

mod store;
pub use store::ResultsStore;

use crate::accounts::{Role, User};
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::region::RegionCode;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;
use crate::ports::{Clock, Store, StoreError};

/// The online channels sales are reported for: the four marketplaces and the shop's own.
/// Where online sales were made, as reports name it: a marketplace, the shop's own mall, or
/// anywhere else online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SalesChannel {
    Market(Channel),
    /// 자사몰.
    OwnMall,
    Other,
}

impl SalesChannel {
    /// Every choice, in form order: the marketplaces first.
    pub fn all() -> impl Iterator<Item = SalesChannel> {
        Channel::ALL
            .into_iter()
            .map(SalesChannel::Market)
            .chain([SalesChannel::OwnMall, SalesChannel::Other])
    }

    /// The code reports and storage use (`naver`, …, `own_mall`, `other`).
    pub fn code(self) -> &'static str {
        match self {
            SalesChannel::Market(channel) => channel.code(),
            SalesChannel::OwnMall => "own_mall",
            SalesChannel::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<SalesChannel> {
        let code = code.trim();
        SalesChannel::all().find(|c| c.code() == code)
    }
}

impl std::fmt::Display for SalesChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The default hall-of-fame threshold: 100,000,000 KRW over the trailing 12 months.
pub const DEFAULT_THRESHOLD_KRW: i64 = 100_000_000;
/// The setting that holds the threshold when it is not the default.
pub const THRESHOLD_SETTING: &str = "hall_of_fame_threshold_krw";

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u8,
}

impl Month {
    pub fn parse(text: &str, field: &str) -> Result<Month, FieldError> {
        let bad = || FieldError::new(field, "error-month-invalid");
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(2000..=2100).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    /// The month of `at` in Seoul.
    pub fn of(at: Timestamp) -> Month {
        let t = at.in_seoul();
        Month {
            year: t.year(),
            month: u8::from(t.month()),
        }
    }

    /// Months since year 0, for arithmetic.
    pub fn index(self) -> i32 {
        self.year * 12 + i32::from(self.month) - 1
    }

    pub fn from_index(index: i32) -> Month {
        Month {
            year: index.div_euclid(12),
            month: (index.rem_euclid(12) + 1) as u8,
        }
    }

    /// The month `n` months earlier.
    pub fn minus(self, n: i32) -> Month {
        Month::from_index(self.index() - n)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// One merchant × channel × month of sales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesReport {
    pub merchant: MerchantId,
    pub channel: SalesChannel,
    pub month: Month,
    pub sales_krw: i64,
    pub orders: i64,
}

/// A report as typed (strings, so every fault is a field error).
#[derive(Debug, Clone, Default)]
pub struct SalesInput {
    pub channel: String,
    pub month: String,
    pub sales_krw: Option<i64>,
    pub orders: Option<i64>,
}

impl SalesInput {
    /// Checks the input against `now` (no month in the future).
    pub fn validate(
        &self,
        merchant: MerchantId,
        now: Timestamp,
    ) -> Result<SalesReport, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let channel = SalesChannel::parse(&self.channel);
        if channel.is_none() {
            errors.push("channel", "error-channel-unknown");
        }
        let month = errors.check(Month::parse(&self.month, "month"));
        if let Some(month) = month
            && month > Month::of(now)
        {
            errors.push("month", "error-month-future");
        }
        let amount = |value: Option<i64>, field: &str, errors: &mut ValidationErrors| match value {
            None => {
                errors.push(field, "error-required");
                0
            }
            Some(n) if n < 0 => {
                errors.push(field, "error-negative");
                0
            }
            Some(n) if n > 1_000_000_000_000 => {
                errors.push(field, "error-number-range");
                0
            }
            Some(n) => n,
        };
        let sales_krw = amount(self.sales_krw, "sales_krw", &mut errors);
        let orders = amount(self.orders, "orders", &mut errors);
        errors.into_result()?;
        Ok(SalesReport {
            merchant,
            channel: channel.expect("checked"),
            month: month.expect("checked"),
            sales_krw,
            orders,
        })
    }
}

/// One saved report value and what it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesChange {
    pub channel: SalesChannel,
    pub month: Month,
    /// `None` for the first report of that channel and month.
    pub old_sales_krw: Option<i64>,
    pub new_sales_krw: i64,
    pub by: Option<String>,
    pub at: Timestamp,
}

/// A hall-of-fame member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub merchant: MerchantId,
    pub name: String,
    pub region: RegionCode,
    pub industry_code: String,
    /// The channels with sales in the trailing year.
    pub channels: Vec<String>,
    pub entry_month: Month,
    pub story: Option<String>,
}

/// The first month whose trailing 12 months (that month and the 11 before) reach `threshold`,
/// from monthly totals in any order.
pub fn entry_month(monthly: &[(Month, i64)], threshold: i64) -> Option<Month> {
    let mut months: Vec<(i32, i64)> = monthly.iter().map(|(m, s)| (m.index(), *s)).collect();
    months.sort_unstable();
    let (first, last) = (months.first()?.0, months.last()?.0);
    let mut totals = vec![0i64; (last - first + 1) as usize];
    for (index, sales) in months {
        totals[(index - first) as usize] += sales;
    }
    let mut window = 0i64;
    for (i, total) in totals.iter().enumerate() {
        window += total;
        if i >= 12 {
            window -= totals[i - 12];
        }
        if window >= threshold {
            return Some(Month::from_index(first + i as i32));
        }
    }
    None
}

/// How the dashboard breaks merchants down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    Track,
    /// The industry's major category (상권업종 대분류: the code's first two characters, e.g. I2 음식).
    Industry,
}

/// One line of the program's budget: planned, allocated and executed (KRW).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BudgetLine {
    pub name: String,
    pub program: i64,
    pub allocated: i64,
    pub executed: i64,
}

impl BudgetLine {
    /// Executed of allocated, in percent (one decimal), when anything was allocated.
    pub fn execution_rate(&self) -> Option<f64> {
        (self.allocated > 0)
            .then(|| (self.executed as f64 * 1000.0 / self.allocated as f64).round() / 10.0)
    }
}

/// Yearly targets and what was achieved (counts, by key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kpi {
    pub year: i32,
    /// The area the figures cover: the one asked for, or an officer's own when none was.
    /// Everything else shown beside the figures must be scoped to it too.
    pub region: Option<RegionCode>,
    pub targets: Vec<(&'static str, i64)>,
    pub actuals: Vec<(&'static str, i64)>,
    /// registered → diagnosed → selected → onboarding → selling → hall of fame.
    pub funnel: Vec<(&'static str, i64)>,
}

/// The measures with yearly targets, and their default targets.
pub const TARGETS: [(&str, i64); 6] = [
    ("registered_merchants", 100_000),
    ("onboarded_merchants", 100_000),
    ("live_broadcasts", 600),
    ("live_merchants", 1_000),
    ("certified_designers", 10_000),
    ("hall_of_fame", 156),
];

/// What the store counts for the dashboard, in one region (or the whole country).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub registered: i64,
    pub diagnosed: i64,
    pub selected: i64,
    pub onboarding: i64,
    /// With at least one marketplace 판매중 (entered in the year).
    pub onboarded_in_year: i64,
    pub selling: i64,
    pub hall_of_fame: i64,
    pub hall_of_fame_in_year: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A shop's own sales, as its sales page shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnSales {
    pub merchant: MerchantId,
    /// Newest month first.
    pub reports: Vec<SalesReport>,
    /// Online sales of the 12 months up to now.
    pub trailing_12_months_krw: i64,
    /// The month the shop entered the hall of fame, when it is a member.
    pub member_since: Option<Month>,
    /// Corrections of earlier reports, newest first.
    pub corrections: Vec<SalesChange>,
}

/// Everything the results dashboard shows, within the area the user may see.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub kpi: Kpi,
    /// Per 시도 the user may see (two-digit code): the counts.
    pub by_sido: Vec<(String, Counts)>,
    pub months: Vec<(Month, i64)>,
    pub by_track: Vec<(String, i64, i64)>,
    pub by_industry: Vec<(String, i64, i64)>,
    pub budget: Vec<BudgetLine>,
    /// Per 시군구 of the area, when it is a region: (code, registered, selling).
    pub by_sigungu: Vec<(String, i64, i64)>,
    /// Per 시도 the user may see: certified designers by level and shops under a delegation.
    pub designers_by_sido: Vec<DesignerFigures>,
}

/// The 디지털 유통설계사 figures of one 시도: people holding a valid certificate, at their highest
/// level, and shops under a running delegation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DesignerFigures {
    pub sido: String,
    pub first_level: i64,
    pub second_level: i64,
    pub delegated_shops: i64,
}

/// The results use cases.
pub struct Results<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl Results<'_> {
    /// Whether `user` may report for `merchant`: staff any, a merchant their own shop.
    async fn may_report(&self, user: &User, merchant: MerchantId) -> Result<(), ResultsError> {
        if crate::designers::delegation::may_act(
            self.store,
            user,
            merchant,
            crate::designers::delegation::Scope::Sales,
            self.clock.now(),
        )
        .await?
        {
            Ok(())
        } else {
            Err(ResultsError::NotFound)
        }
    }

    /// The hall-of-fame threshold in KRW (a setting).
    pub async fn threshold(&self) -> Result<i64, StoreError> {
        Ok(self
            .store
            .setting(THRESHOLD_SETTING)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_THRESHOLD_KRW))
    }

    /// Records (or corrects) a report and recomputes the merchant's hall-of-fame entry.
    pub async fn report(
        &self,
        user: &User,
        actor: &Actor,
        merchant: MerchantId,
        input: &SalesInput,
    ) -> Result<SalesReport, ResultsError> {
        self.may_report(user, merchant).await?;
        let actor =
            crate::designers::delegation::actor_for(self.store, user, actor, merchant).await?;
        self.save(Some(user.id), &actor, merchant, input).await
    }

    /// Records a report for the system itself (`gachi sales import` without `--by`).
    pub async fn report_as_system(
        &self,
        actor: &Actor,
        merchant: MerchantId,
        input: &SalesInput,
    ) -> Result<SalesReport, ResultsError> {
        if self.store.merchant(merchant).await?.is_none() {
            return Err(ResultsError::NotFound);
        }
        self.save(None, actor, merchant, input).await
    }

    async fn save(
        &self,
        by: Option<crate::accounts::UserId>,
        actor: &Actor,
        merchant: MerchantId,
        input: &SalesInput,
    ) -> Result<SalesReport, ResultsError> {
        let now = self.clock.now();
        let report = input
            .validate(merchant, now)
            .map_err(ResultsError::Invalid)?;
        let audit = actor.entry(
            now,
            "sales.report",
            format!(
                "merchant:{}:{}:{}",
                merchant.0, report.channel, report.month
            ),
            format!("{} KRW, {} orders", report.sales_krw, report.orders),
        );
        let threshold = self.threshold().await?;
        self.store
            .save_sales_report(&report, by, threshold, &audit)
            .await?;
        Ok(report)
    }

    /// Yearly targets (settings or defaults) against actuals, nationally or for one region.
    pub async fn kpi(
        &self,
        user: &User,
        year: i32,
        region: Option<RegionCode>,
    ) -> Result<Kpi, ResultsError> {
        let region = match user.role {
            r if r.is_staff() => region,
            Role::LocalGov => Some(
                user.officer_scope(region.as_ref())
                    .ok_or(ResultsError::Forbidden)?,
            ),
            _ => return Err(ResultsError::Forbidden),
        };
        let counts = self.store.result_counts(year, region.as_ref()).await?;
        // People holding a valid certificate now, not designer accounts.
        let certified_designers = self
            .store
            .valid_certificate_holders(self.clock.now(), region.as_ref())
            .await?;
        // 가치데이 broadcasts held in the year and the shops they featured.
        let (live_broadcasts, live_merchants) =
            self.store.held_counts(year, region.as_ref()).await?;
        let mut targets = Vec::new();
        for (key, default) in TARGETS {
            let set = self
                .store
                .setting(&format!("target:{year}:{key}"))
                .await?
                .and_then(|v| v.parse().ok());
            targets.push((key, set.unwrap_or(default)));
        }
        Ok(Kpi {
            year,
            region,
            targets,
            actuals: vec![
                ("registered_merchants", counts.registered),
                ("onboarded_merchants", counts.onboarded_in_year),
                ("live_broadcasts", live_broadcasts),
                ("live_merchants", live_merchants),
                ("certified_designers", certified_designers),
                ("hall_of_fame", counts.hall_of_fame_in_year),
            ],
            funnel: vec![
                ("registered", counts.registered),
                ("diagnosed", counts.diagnosed),
                ("selected", counts.selected),
                ("onboarding", counts.onboarding),
                ("selling", counts.selling),
                ("hall_of_fame", counts.hall_of_fame),
            ],
        })
    }

    /// Hall-of-fame members, newest entry first, in a region and/or an industry (public).
    pub async fn hall_of_fame(
        &self,
        region: Option<&RegionCode>,
        industry_code: Option<&str>,
    ) -> Result<Vec<Member>, StoreError> {
        self.store.hall_of_fame(region, industry_code).await
    }

    /// Sets a member's success story (staff): at most 1,000 characters, cleaned text.
    pub async fn set_success_story(
        &self,
        user: &User,
        actor: &Actor,
        merchant: MerchantId,
        story: &str,
    ) -> Result<(), ResultsError> {
        if !user.role.is_staff() {
            return Err(ResultsError::Forbidden);
        }
        let story = crate::kernel::text::clean(story);
        if crate::kernel::text::longer_than(&story, 1000) {
            return Err(ResultsError::Invalid(
                FieldError::new("story", "error-too-long").into(),
            ));
        }
        let audit = actor.entry(
            self.clock.now(),
            "hall_of_fame.story",
            format!("merchant:{}", merchant.0),
            "",
        );
        match self.store.set_success_story(merchant, &story, &audit).await {
            Err(StoreError::NotFound) => Err(ResultsError::NotFound),
            other => Ok(other?),
        }
    }

    /// `user`'s own shop's sales; `None` before the shop is registered (or for other roles).
    pub async fn own_sales(&self, user: &User) -> Result<Option<OwnSales>, StoreError> {
        if user.role != Role::Merchant {
            return Ok(None);
        }
        let Some(shop) = self.store.merchant_of_owner(user.id).await? else {
            return Ok(None);
        };
        let reports = self.store.sales_of(shop.id).await?;
        let now = Month::of(self.clock.now());
        let trailing_12_months_krw = reports
            .iter()
            .filter(|r| r.month.index() > now.index() - 12)
            .map(|r| r.sales_krw)
            .sum();
        let member_since = self
            .store
            .hall_of_fame(Some(&shop.region), None)
            .await?
            .into_iter()
            .find(|m| m.merchant == shop.id)
            .map(|m| m.entry_month);
        let corrections = self
            .store
            .sales_changes(shop.id)
            .await?
            .into_iter()
            .filter(|c| c.old_sales_krw.is_some())
            .collect();
        Ok(Some(OwnSales {
            merchant: shop.id,
            reports,
            trailing_12_months_krw,
            member_since,
            corrections,
        }))
    }

    /// The dashboard of `year` for the area `user` may see: the region asked for (staff),
    /// an officer's own region (or a part of it) — every table scoped to the same area.
    pub async fn dashboard(
        &self,
        user: &User,
        year: i32,
        asked_region: Option<RegionCode>,
    ) -> Result<Dashboard, ResultsError> {
        let kpi = self.kpi(user, year, asked_region).await?;
        let region = kpi.region.clone();
        // Every 시도 the user may see or works inside, with zero counts where nothing is
        // recorded yet.
        let counts = self.store.sido_counts().await?;
        let by_sido: Vec<(String, Counts)> = crate::kernel::region::all_sido()
            .into_iter()
            .filter(|sido| {
                user.may_see_region(&sido.code)
                    || user.region.as_ref().is_some_and(|r| sido.code.contains(r))
            })
            .map(|sido| {
                let code = sido.code.as_str().to_owned();
                let found = counts
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map(|(_, counts)| counts.clone())
                    .unwrap_or_default();
                (code, found)
            })
            .collect();
        let months = self.store.monthly_sales(year, region.as_ref()).await?;
        let by_track = self
            .store
            .breakdown(Breakdown::Track, region.as_ref())
            .await?;
        let by_industry = self
            .store
            .breakdown(Breakdown::Industry, region.as_ref())
            .await?;
        let budget = self.budget(year).await?;
        let by_sigungu = match &region {
            Some(r) => self
                .store
                .sigungu_counts(&r.sido())
                .await?
                .into_iter()
                .filter(|(code, _, _)| {
                    RegionCode::parse(code, "region_code").is_ok_and(|c| r.contains(&c))
                })
                .collect(),
            None => Vec::new(),
        };
        let now = self.clock.now();
        let holders = self.store.certificate_holders_by_sido(now).await?;
        let delegated = self.store.delegated_merchants_by_sido(now).await?;
        let designers_by_sido = by_sido
            .iter()
            .map(|(sido, _)| {
                let held = |grade: u8| {
                    holders
                        .iter()
                        .filter(|(s, g, _)| s == sido && *g == grade)
                        .map(|(_, _, n)| n)
                        .sum()
                };
                DesignerFigures {
                    sido: sido.clone(),
                    first_level: held(1),
                    second_level: held(2),
                    delegated_shops: delegated
                        .iter()
                        .filter(|(s, _)| s == sido)
                        .map(|(_, n)| n)
                        .sum(),
                }
            })
            .filter(|f| f.first_level + f.second_level + f.delegated_shops > 0)
            .collect();
        Ok(Dashboard {
            kpi,
            by_sido,
            months,
            by_track,
            by_industry,
            budget,
            by_sigungu,
            designers_by_sido,
        })
    }

    /// The year's budget lines (a setting).
    pub async fn budget(&self, year: i32) -> Result<Vec<BudgetLine>, StoreError> {
        Ok(self
            .store
            .setting(&format!("budget:{year}"))
            .await?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    /// Adds or replaces (by name) a budget line (staff).
    pub async fn set_budget_line(
        &self,
        user: &User,
        actor: &Actor,
        year: i32,
        line: BudgetLine,
    ) -> Result<(), ResultsError> {
        if !user.role.is_staff() {
            return Err(ResultsError::Forbidden);
        }
        let mut errors = ValidationErrors::new();
        let name = crate::kernel::text::clean(&line.name);
        if name.is_empty() {
            errors.push("name", "error-required");
        } else if crate::kernel::text::longer_than(&name, 60) {
            errors.push("name", "error-too-long");
        }
        for (field, value) in [
            ("program", line.program),
            ("allocated", line.allocated),
            ("executed", line.executed),
        ] {
            if value < 0 {
                errors.push(field, "error-negative");
            }
        }
        errors.into_result().map_err(ResultsError::Invalid)?;
        let mut lines = self.budget(year).await?;
        let line = BudgetLine { name, ..line };
        match lines.iter_mut().find(|l| l.name == line.name) {
            Some(existing) => *existing = line,
            None => lines.push(line),
        }
        let audit = actor.entry(
            self.clock.now(),
            "budget.set",
            format!("budget:{year}"),
            lines.len().to_string(),
        );
        let json = serde_json::to_string(&lines).expect("budget lines serialize");
        self.store
            .set_setting(&format!("budget:{year}"), &json, &audit)
            .await?;
        Ok(())
    }

    /// Changes the hall-of-fame threshold and recomputes every member (staff, or the system).
    pub async fn set_threshold(
        &self,
        actor: &Actor,
        threshold_krw: i64,
    ) -> Result<u64, ResultsError> {
        if threshold_krw < 1 {
            let mut errors = ValidationErrors::new();
            errors.push("threshold_krw", "error-number-range");
            return Err(ResultsError::Invalid(errors));
        }
        let audit = actor.entry(
            self.clock.now(),
            "hall_of_fame.threshold",
            format!("setting:{THRESHOLD_SETTING}"),
            threshold_krw.to_string(),
        );
        Ok(self
            .store
            .recompute_hall_of_fame(threshold_krw, &audit)
            .await?)
    }

    /// Sets a yearly target (staff).
    pub async fn set_target(
        &self,
        user: &User,
        actor: &Actor,
        year: i32,
        key: &str,
        value: i64,
    ) -> Result<(), ResultsError> {
        if !user.role.is_staff() {
            return Err(ResultsError::Forbidden);
        }
        let mut errors = ValidationErrors::new();
        if !TARGETS.iter().any(|(k, _)| *k == key) {
            errors.push("key", "error-target-unknown");
        }
        if value < 0 {
            errors.push("value", "error-negative");
        }
        errors.into_result().map_err(ResultsError::Invalid)?;
        let audit = actor.entry(
            self.clock.now(),
            "target.set",
            format!("target:{year}:{key}"),
            value.to_string(),
        );
        self.store
            .set_setting(&format!("target:{year}:{key}"), &value.to_string(), &audit)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Month {
        Month::parse(text, "month").unwrap()
    }

    #[test]
    fn months_parse_and_count() {
        assert_eq!(m("2026-01").minus(1), m("2025-12"));
        assert_eq!(m("2026-11").to_string(), "2026-11");
        for bad in ["2026-13", "2026-1", "26-01", "2026/01", ""] {
            assert!(Month::parse(bad, "month").is_err(), "{bad}");
        }
    }

    #[test]
    fn the_entry_month_is_the_first_whose_trailing_year_reaches_the_threshold() {
        // 9,000,000 a month: 12 months make 108,000,000 — the 12th month (2025-12) enters.
        let steady: Vec<(Month, i64)> = (0..14)
            .map(|i| (m("2025-01").minus(-i), 9_000_000))
            .collect();
        assert_eq!(entry_month(&steady, 100_000_000), Some(m("2025-12")));
        // Sales older than 12 months do not count: 60M, a gap of a year, then 50M.
        let gap = [(m("2024-01"), 60_000_000), (m("2025-02"), 50_000_000)];
        assert_eq!(entry_month(&gap, 100_000_000), None);
        let within = [(m("2024-01"), 60_000_000), (m("2024-12"), 40_000_000)];
        assert_eq!(entry_month(&within, 100_000_000), Some(m("2024-12")));
        assert_eq!(entry_month(&[], 1), None);
    }

    #[test]
    fn bad_reports_are_field_errors() {
        let now = Timestamp::from_unix_ms(1_795_000_000_000); // 2026-11
        let input = SalesInput {
            channel: "wemakeprice".into(),
            month: "2030-01".into(),
            sales_krw: Some(-1),
            orders: None,
        };
        let errors = input.validate(MerchantId(1), now).unwrap_err();
        for field in ["channel", "month", "sales_krw", "orders"] {
            assert!(errors.for_field(field).is_some(), "{field}");
        }
    }
}
