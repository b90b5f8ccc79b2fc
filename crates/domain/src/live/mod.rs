//! 가치데이 live commerce: the program's season of broadcasts, from the call to the results.
//!
//! Operators keep studios, the show-host roster and a call (모집) with its quotas and weighted
//! criteria (`model.rs`). Merchants apply with 1–5 products of their own catalog and the weeks
//! they prefer. Reviewers are assigned automatically (`selection.rs`: at least two per
//! application, a load limit, never the shop's own designer) and score each criterion 1–5
//! without seeing the others' scores until they have submitted theirs. Selection fills the
//! quotas by weighted score; scheduling (`schedule.rs`) gives each selected application a slot —
//! day, time, studio, host — maximizing the score-weighted fit under the hard rules. Operators
//! may move a slot by hand; a move that breaks a rule is refused with the rule named.
//!
//! A slot is confirmed only through the readiness gate: every featured product ready for every
//! marketplace whose live platform simulcasts the broadcast, stock covering the expected units,
//! and the pre-consulting checklist done. The merchant sees one list of what is missing, each
//! item linked to where it is fixed. Confirmed broadcasts are announced on the public page and
//! its calendar; results per channel (typed or imported from the channel's export) mark a
//! broadcast held and feed the dashboard.
//!
//! Who sees what: staff everything; officers the broadcasts of shops in their region; a
//! merchant its own applications, broadcasts, cue sheets and results; a reviewer the
//! applications given to them; everybody the public 예고 page.

pub mod model;
pub mod schedule;
pub mod selection;
pub mod store;

use std::collections::{BTreeMap, BTreeSet};

use crate::accounts::{Role, User, UserId};
use crate::catalog::product::{Product, ProductId};
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::region::RegionCode;
use crate::kernel::text;
use crate::kernel::time::{Date, parse_date, seoul_date};
use crate::listing::publishing::{Listing, ListingError};
use crate::merchants::merchant::{Merchant, MerchantId};
use crate::ports::{Clock, Store, StoreError};

pub use model::*;
pub use store::{BroadcastFilter, LiveStore, NewApplication, Preparation, SelectionRecord};

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ListingError> for LiveError {
    fn from(e: ListingError) -> Self {
        match e {
            ListingError::NotFound => LiveError::NotFound,
            ListingError::Store(e) => LiveError::Store(e),
        }
    }
}

fn invalid(field: &str, code: &'static str) -> LiveError {
    LiveError::Invalid(FieldError::new(field, code).into())
}

/// A call with what the caller may see of it.
#[derive(Debug, Clone)]
pub struct CallView {
    pub call: Call,
    /// Staff: every application; a merchant: its own; a reviewer: those given to them.
    pub applications: Vec<Application>,
    /// Staff: every review; a reviewer: their own, and others' of an application only after
    /// submitting their own.
    pub reviews: Vec<Review>,
    /// Applications whose reviewers disagree by more than two points, with the criteria.
    pub disagreements: BTreeMap<i64, Vec<&'static str>>,
    pub broadcasts: Vec<Broadcast>,
    /// Hard-rule conflicts among the call's broadcasts (after hand moves), as readable lines.
    pub conflicts: Vec<Conflict>,
}

/// Two broadcasts (or one) breaking a scheduling rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Message key (`live-conflict-…`).
    pub code: &'static str,
    pub broadcasts: Vec<i64>,
}

/// One thing the readiness gate checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateItem {
    /// Message key (`live-gate-…`).
    pub code: &'static str,
    pub passed: bool,
    /// The product it is about, when it is about one.
    pub product: Option<ProductId>,
    pub product_name: String,
    pub channel: Option<Channel>,
    /// The first issue's message key, when readiness fails.
    pub issue: Option<&'static str>,
    /// How many things are left to fix.
    pub left: usize,
    /// Checklist item, when it is one.
    pub item: Option<&'static str>,
    /// The expected units and the stock, for the stock check.
    pub figures: Option<(i64, i64)>,
}

/// One line of the cue sheet (큐시트).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueLine {
    pub product: ProductId,
    pub name: String,
    pub price: i64,
    /// The price during the broadcast, after the discount.
    pub live_price: i64,
    pub stock: i64,
    pub expected_units: i64,
    pub selling_points: Vec<String>,
}

/// A broadcast with what the caller may see of it.
#[derive(Debug, Clone)]
pub struct BroadcastView {
    pub broadcast: Broadcast,
    pub cue: Vec<CueLine>,
    /// The readiness gate (merchant and staff; empty for officers).
    pub gate: Vec<GateItem>,
    pub results: Vec<ResultRow>,
    pub may_manage: bool,
    pub is_owner: bool,
}

/// A public 예고 line: what anybody may read of a confirmed or held broadcast.
#[derive(Debug, Clone)]
pub struct Announcement {
    pub broadcast: Broadcast,
    pub product_names: Vec<String>,
}

/// The season's figures for the dashboard and the report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeasonReport {
    pub held: i64,
    pub merchants: i64,
    pub viewers: i64,
    pub orders: i64,
    pub sales_krw: i64,
    /// Orders per 100 viewers.
    pub conversion_percent: f64,
    pub by_sido: Vec<(String, i64)>,
    pub by_industry: Vec<(String, i64)>,
    pub satisfaction: Option<f64>,
}

/// The use case. `listing` answers the readiness gate.
pub struct Live<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    pub listing: Listing<'a>,
}

impl Live<'_> {
    fn staff(user: &User) -> Result<(), LiveError> {
        if user.role.is_staff() {
            Ok(())
        } else {
            Err(LiveError::Forbidden)
        }
    }

    async fn own_shop(&self, user: &User) -> Result<Option<Merchant>, LiveError> {
        Ok(if user.role == Role::Merchant {
            self.store.merchant_of_owner(user.id).await?
        } else {
            None
        })
    }

    // ---- studios and hosts ----

    pub async fn studios(&self, user: &User) -> Result<Vec<Studio>, LiveError> {
        Self::staff(user)?;
        Ok(self.store.studios().await?)
    }

    pub async fn save_studio(
        &self,
        user: &User,
        actor: &Actor,
        id: Option<i64>,
        input: &StudioInput,
    ) -> Result<Studio, LiveError> {
        Self::staff(user)?;
        let (name, place, times) = input.check().map_err(LiveError::Invalid)?;
        let audit = actor.entry(self.clock.now(), "live.studio", "", name.clone());
        Ok(self
            .store
            .save_studio(id, &name, &place, &times, &audit)
            .await?)
    }

    pub async fn hosts(&self, user: &User) -> Result<Vec<Host>, LiveError> {
        Self::staff(user)?;
        Ok(self.store.hosts().await?)
    }

    pub async fn save_host(
        &self,
        user: &User,
        actor: &Actor,
        id: Option<i64>,
        input: &HostInput,
    ) -> Result<Host, LiveError> {
        Self::staff(user)?;
        let (name, categories, weekdays, fee) = input.check().map_err(LiveError::Invalid)?;
        let audit = actor.entry(self.clock.now(), "live.host", "", name.clone());
        let host = Host {
            id: 0,
            name,
            categories,
            weekdays,
            fee,
        };
        Ok(self.store.save_host(id, &host, &audit).await?)
    }

    // ---- calls and applications ----

    /// Opens a call (staff). Reviewers are named by their sign-in e-mails.
    pub async fn create_call(
        &self,
        user: &User,
        actor: &Actor,
        input: &CallInput,
    ) -> Result<Call, LiveError> {
        Self::staff(user)?;
        let mut new = input.check().map_err(LiveError::Invalid)?;
        for email in &new.reviewer_emails {
            match self.store.user_by_email(email).await? {
                Some(u)
                    if matches!(
                        u.role,
                        Role::Operator | Role::Admin | Role::Designer | Role::Md
                    ) =>
                {
                    new.reviewers.push(u.id)
                }
                _ => return Err(invalid("reviewer_emails", "error-live-reviewer-unknown")),
            }
        }
        let now = self.clock.now();
        let audit = actor.entry(now, "live.call.create", "", new.name.clone());
        Ok(self.store.create_call(&new, now, &audit).await?)
    }

    /// The calls `user` may see, newest season first: staff, officers and merchants every one;
    /// a reviewer those they review.
    pub async fn calls(&self, user: &User) -> Result<Vec<Call>, LiveError> {
        let calls = self.store.calls().await?;
        Ok(match user.role {
            Role::Operator | Role::Admin | Role::Merchant | Role::LocalGov => calls,
            Role::Designer | Role::Md => calls
                .into_iter()
                .filter(|c| c.reviewers.contains(&user.id))
                .collect(),
        })
    }

    async fn call_or_404(&self, id: i64) -> Result<Call, LiveError> {
        self.store.call(id).await?.ok_or(LiveError::NotFound)
    }

    /// The call as `user` may see it.
    pub async fn view_call(&self, user: &User, id: i64) -> Result<CallView, LiveError> {
        let call = self.call_or_404(id).await?;
        let mut view = CallView {
            applications: Vec::new(),
            reviews: Vec::new(),
            disagreements: BTreeMap::new(),
            broadcasts: Vec::new(),
            conflicts: Vec::new(),
            call,
        };
        let all_reviews = || async { self.store.reviews(id).await };
        match user.role {
            Role::Operator | Role::Admin => {
                view.applications = self.store.live_applications(id).await?;
                view.reviews = all_reviews().await?;
                // Staff see the running score before selection fixes it.
                for a in view.applications.iter_mut().filter(|a| a.score.is_none()) {
                    a.score = mean_score(&view.call.weights, &view.reviews, a.id);
                }
                view.broadcasts = self
                    .store
                    .broadcasts(&BroadcastFilter {
                        call: Some(id),
                        ..BroadcastFilter::default()
                    })
                    .await?;
                view.conflicts = self.conflicts(&view.call, &view.broadcasts).await?;
            }
            Role::LocalGov => {
                view.broadcasts = self
                    .store
                    .broadcasts(&BroadcastFilter {
                        call: Some(id),
                        ..BroadcastFilter::default()
                    })
                    .await?
                    .into_iter()
                    .filter(|b| user.may_see_region(&b.region))
                    .collect();
            }
            Role::Merchant => {
                if let Some(shop) = self.own_shop(user).await? {
                    view.applications = self
                        .store
                        .live_applications(id)
                        .await?
                        .into_iter()
                        .filter(|a| a.merchant == shop.id)
                        .collect();
                    view.broadcasts = self
                        .store
                        .broadcasts(&BroadcastFilter {
                            call: Some(id),
                            merchant: Some(shop.id),
                            ..BroadcastFilter::default()
                        })
                        .await?;
                }
            }
            Role::Designer | Role::Md => {
                if !view.call.reviewers.contains(&user.id) {
                    return Err(LiveError::NotFound);
                }
                let reviews = all_reviews().await?;
                let mine: BTreeMap<i64, bool> = reviews
                    .iter()
                    .filter(|r| r.reviewer == user.id)
                    .map(|r| (r.application, r.submitted_at.is_some()))
                    .collect();
                view.applications = self
                    .store
                    .live_applications(id)
                    .await?
                    .into_iter()
                    .filter(|a| mine.contains_key(&a.id))
                    .collect();
                // Others' scores only once one's own are in.
                view.reviews = reviews
                    .into_iter()
                    .filter(|r| r.reviewer == user.id || mine.get(&r.application) == Some(&true))
                    .collect();
            }
        }
        let mut by_application: BTreeMap<i64, Vec<&[u8; 5]>> = BTreeMap::new();
        for r in &view.reviews {
            if let Some(scores) = &r.scores {
                by_application
                    .entry(r.application)
                    .or_default()
                    .push(scores);
            }
        }
        for (application, scores) in by_application {
            let criteria = disagreements(&scores);
            if !criteria.is_empty() {
                view.disagreements.insert(application, criteria);
            }
        }
        Ok(view)
    }

    /// A merchant applies with 1–5 products of its catalog and the weeks it prefers.
    pub async fn apply(
        &self,
        user: &User,
        actor: &Actor,
        call_id: i64,
        input: &ApplyInput,
    ) -> Result<Application, LiveError> {
        if user.role != Role::Merchant {
            return Err(LiveError::Forbidden);
        }
        let call = self.call_or_404(call_id).await?;
        let shop = self
            .own_shop(user)
            .await?
            .ok_or_else(|| invalid("merchant_id", "error-round-no-shop"))?;
        let now = self.clock.now();
        if !call.open_at(now) {
            return Err(invalid("call", "error-live-call-closed"));
        }
        let mut errors = ValidationErrors::new();
        let products: BTreeSet<i64> = input.product_ids.iter().copied().collect();
        if products.is_empty() || products.len() > MAX_PRODUCTS {
            errors.push("product_ids", "error-live-products");
        }
        for id in &products {
            let product = self.store.product(ProductId(*id)).await?;
            if product.is_none_or(|p| p.merchant != shop.id) {
                errors.push("product_ids", "error-live-product-not-yours");
                break;
            }
        }
        let mut weeks = BTreeSet::new();
        for week in input
            .preferred_weeks
            .iter()
            .filter(|w| !w.trim().is_empty())
        {
            match parse_date(week) {
                Some(d) if d >= monday_of(call.starts) && d <= call.ends => {
                    weeks.insert(monday_of(d));
                }
                _ => {
                    errors.push("preferred_weeks", "error-live-week");
                    break;
                }
            }
        }
        let pitch = text::clean(&input.pitch);
        if text::longer_than(&pitch, 1000) {
            errors.push("pitch", "error-too-long");
        }
        errors.into_result().map_err(LiveError::Invalid)?;
        let first_time = !self.store.has_been_on_air(shop.id).await?;
        let audit = actor.entry(
            now,
            "live.apply",
            format!("call:{call_id}"),
            format!("merchant:{}", shop.id.0),
        );
        let new = NewApplication {
            call: call_id,
            merchant: shop.id,
            products: products.into_iter().map(ProductId).collect(),
            preferred_weeks: weeks.into_iter().collect(),
            pitch,
            first_time,
            applied_at: now,
        };
        match self.store.create_application(&new, &audit).await {
            Err(StoreError::Conflict(_)) => Err(invalid("call", "error-live-applied-already")),
            other => Ok(other?),
        }
    }

    /// A merchant's applications, newest first.
    pub async fn my_applications(&self, user: &User) -> Result<Vec<Application>, LiveError> {
        match self.own_shop(user).await? {
            Some(shop) => Ok(self.store.live_applications_of(shop.id).await?),
            None if user.role == Role::Merchant => Ok(Vec::new()),
            None => Err(LiveError::Forbidden),
        }
    }

    // ---- review ----

    /// Closes applications now, before the date the call announced (staff), so review and
    /// selection can start once enough shops applied. Refused when already closed.
    pub async fn close_applications(
        &self,
        user: &User,
        actor: &Actor,
        call_id: i64,
    ) -> Result<(), LiveError> {
        Self::staff(user)?;
        let call = self.call_or_404(call_id).await?;
        let now = self.clock.now();
        if !call.open_at(now) {
            return Err(invalid("call", "error-live-call-closed"));
        }
        let audit = actor.entry(now, "live.close", format!("call:{call_id}"), "");
        self.store
            .close_applications(call_id, now, &audit)
            .await
            .map_err(Into::into)
    }

    /// Gives every application of the call its reviewers (staff); returns how many
    /// assignments were added. Refused, with nothing saved, when the reviewers cannot cover it.
    pub async fn assign_reviewers(
        &self,
        user: &User,
        actor: &Actor,
        call_id: i64,
    ) -> Result<usize, LiveError> {
        Self::staff(user)?;
        let call = self.call_or_404(call_id).await?;
        if call.selected_at.is_some() {
            return Err(invalid("call", "error-live-selected-already"));
        }
        let applications = self.store.live_applications(call_id).await?;
        let reviews = self.store.reviews(call_id).await?;
        let mut load: BTreeMap<UserId, u32> = BTreeMap::new();
        for r in &reviews {
            *load.entry(r.reviewer).or_default() += 1;
        }
        let mut to_review = Vec::with_capacity(applications.len());
        for a in &applications {
            let excluded = self
                .store
                .delegations(Some(a.merchant), None)
                .await?
                .into_iter()
                .map(|d| d.designer)
                .collect();
            to_review.push(selection::ToReview {
                application: a.id,
                assigned: reviews
                    .iter()
                    .filter(|r| r.application == a.id)
                    .map(|r| r.reviewer)
                    .collect(),
                excluded,
            });
        }
        let pairs = selection::assign_reviewers(
            &to_review,
            &call.reviewers,
            &load,
            u32::from(call.reviews_per_application),
            u32::from(call.reviewer_load),
        )
        .map_err(|_| invalid("reviewer_load", "error-live-reviewers-short"))?;
        if !pairs.is_empty() {
            let audit = actor.entry(
                self.clock.now(),
                "live.reviewers",
                format!("call:{call_id}"),
                pairs.len().to_string(),
            );
            self.store.assign_reviews(&pairs, &audit).await?;
        }
        Ok(pairs.len())
    }

    /// A reviewer's queue, with each application.
    pub async fn my_reviews(&self, user: &User) -> Result<Vec<(Review, Application)>, LiveError> {
        let mut queue = Vec::new();
        for review in self.store.reviews_by(user.id).await? {
            if let Some(application) = self.store.application(review.application).await? {
                queue.push((review, application));
            }
        }
        Ok(queue)
    }

    /// A reviewer scores an application they were given (1–5 per criterion).
    pub async fn review(
        &self,
        user: &User,
        actor: &Actor,
        application: i64,
        scores: &[i64],
        comment: &str,
    ) -> Result<(), LiveError> {
        let app = self
            .store
            .application(application)
            .await?
            .ok_or(LiveError::NotFound)?;
        let call = self.call_or_404(app.call).await?;
        let assigned = self
            .store
            .reviews(app.call)
            .await?
            .into_iter()
            .any(|r| r.application == application && r.reviewer == user.id);
        if !assigned {
            return Err(LiveError::NotFound);
        }
        if call.selected_at.is_some() {
            return Err(invalid("application", "error-live-selected-already"));
        }
        let mut errors = ValidationErrors::new();
        if scores.len() != CRITERIA.len() {
            errors.push("scores", "error-live-scores");
        }
        for (i, s) in scores.iter().enumerate() {
            if !(1..=5).contains(s) {
                errors.push(
                    format!("scores.{}", CRITERIA.get(i).unwrap_or(&"?")),
                    "error-live-score-range",
                );
            }
        }
        let comment = text::clean(comment);
        if text::longer_than(&comment, 1000) {
            errors.push("comment", "error-too-long");
        }
        errors.into_result().map_err(LiveError::Invalid)?;
        let scores: [u8; 5] = std::array::from_fn(|i| scores[i] as u8);
        let now = self.clock.now();
        let audit = actor.entry(now, "live.review", format!("application:{application}"), "");
        self.store
            .submit_review(application, user.id, &scores, &comment, now, &audit)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => LiveError::NotFound,
                e => e.into(),
            })
    }

    // ---- selection and scheduling ----

    /// Selects within the quotas by weighted score (staff), after applications close.
    pub async fn select(
        &self,
        user: &User,
        actor: &Actor,
        call_id: i64,
    ) -> Result<Vec<selection::Decision>, LiveError> {
        Self::staff(user)?;
        let call = self.call_or_404(call_id).await?;
        let now = self.clock.now();
        if now <= call.applications_close {
            return Err(invalid("call", "error-live-still-open"));
        }
        if call.scheduled_at.is_some() {
            return Err(invalid("call", "error-live-scheduled-already"));
        }
        let applications = self.store.live_applications(call_id).await?;
        let reviews = self.store.reviews(call_id).await?;
        let mut candidates = Vec::with_capacity(applications.len());
        let mut scores = BTreeMap::new();
        for a in &applications {
            let score = mean_score(&call.weights, &reviews, a.id);
            scores.insert(a.id, score);
            candidates.push(selection::Candidate {
                application: a.id,
                score,
                first_time: a.first_time,
                sido: a.region.sido().as_str().to_owned(),
                industry: crate::kernel::industry::resolve(&a.industry_code, "industry")
                    .map(|i| i.major.clone())
                    .unwrap_or_default(),
                applied_at: a.applied_at,
            });
        }
        let decisions = selection::select(
            &candidates,
            selection::Quotas {
                total: call.quota_total,
                per_sido: call.quota_per_sido,
                per_industry: call.quota_per_industry,
                first_time_percent: call.first_time_percent,
            },
        );
        let records: Vec<SelectionRecord> = decisions
            .iter()
            .map(|d| SelectionRecord {
                application: d.application,
                status: if d.selected {
                    ApplicationStatus::Selected
                } else if d.waitlist.is_some() {
                    ApplicationStatus::Waitlisted
                } else {
                    ApplicationStatus::NotSelected
                },
                score: scores.get(&d.application).copied().flatten(),
                reason: d.reason.to_owned(),
            })
            .collect();
        let selected = records
            .iter()
            .filter(|r| r.status == ApplicationStatus::Selected)
            .count();
        let audit = actor.entry(
            now,
            "live.select",
            format!("call:{call_id}"),
            selected.to_string(),
        );
        self.store
            .record_selection(call_id, &records, now, &audit)
            .await?;
        Ok(decisions)
    }

    /// Gives every selected application a slot (staff): day, time, studio and host, the
    /// score-weighted fit maximized under the hard rules. Confirmed broadcasts keep their
    /// slots; the rest are laid out again. Returns the applications left without a slot.
    pub async fn schedule(
        &self,
        user: &User,
        actor: &Actor,
        call_id: i64,
    ) -> Result<Vec<i64>, LiveError> {
        Self::staff(user)?;
        let call = self.call_or_404(call_id).await?;
        if call.selected_at.is_none() {
            return Err(invalid("call", "error-live-not-selected"));
        }
        let studios = self.store.studios().await?;
        let hosts = self.store.hosts().await?;
        if studios.is_empty() || hosts.is_empty() {
            return Err(invalid("call", "error-live-no-studios"));
        }
        let kept = self
            .store
            .broadcasts(&BroadcastFilter {
                call: Some(call_id),
                statuses: [BroadcastStatus::Confirmed, BroadcastStatus::Held]
                    .into_iter()
                    .collect(),
                ..BroadcastFilter::default()
            })
            .await?;
        let kept_applications: BTreeSet<i64> = kept.iter().map(|b| b.application).collect();
        let applications: Vec<Application> = self
            .store
            .live_applications(call_id)
            .await?
            .into_iter()
            .filter(|a| a.status == ApplicationStatus::Selected)
            .filter(|a| !kept_applications.contains(&a.id))
            .collect();
        let days = call.days();
        let input = schedule::ScheduleInput {
            days: days.clone(),
            studios: studios
                .iter()
                .map(|s| schedule::Studio {
                    times: s.times.clone(),
                })
                .collect(),
            hosts: hosts
                .iter()
                .map(|h| schedule::Host {
                    categories: h.categories.clone(),
                    weekdays: h.weekdays,
                })
                .collect(),
            candidates: applications
                .iter()
                .map(|a| schedule::Candidate {
                    score: a.score.unwrap_or(1000),
                    industry: a.industry_code.clone(),
                    category: crate::kernel::industry::resolve(&a.industry_code, "industry")
                        .map(|i| i.major.clone())
                        .unwrap_or_default(),
                    preferred_weeks: a.preferred_weeks.clone(),
                })
                .collect(),
            min_days_between_same_industry: call.min_days_between_same_industry,
        };
        // Slots the kept broadcasts hold are taken out of the layout by pinning them as
        // already used: the optimiser never sees those (day, studio, time) pairs free.
        let taken: BTreeSet<(Date, i64, Minute)> =
            kept.iter().map(|b| (b.date, b.studio, b.starts)).collect();
        let result = schedule::schedule(&input);
        let mut slots = Vec::new();
        let mut unplaced: Vec<i64> = result
            .unplaced
            .iter()
            .map(|i| applications[*i].id)
            .collect();
        for p in &result.placements {
            let studio = &studios[p.studio];
            let date = days[p.day];
            let starts = studio.times[p.time];
            if taken.contains(&(date, studio.id, starts)) {
                unplaced.push(applications[p.candidate].id);
                continue;
            }
            slots.push(Slot {
                application: applications[p.candidate].id,
                channels: call.channels.clone(),
                date,
                starts,
                studio: studio.id,
                host: hosts[p.host].id,
            });
        }
        let now = self.clock.now();
        let audit = actor.entry(
            now,
            "live.schedule",
            format!("call:{call_id}"),
            slots.len().to_string(),
        );
        self.store
            .replace_schedule(call_id, &slots, now, &audit)
            .await?;
        Ok(unplaced)
    }

    /// Rule breaks among `broadcasts` of `call` (not cancelled).
    async fn conflicts(
        &self,
        call: &Call,
        broadcasts: &[Broadcast],
    ) -> Result<Vec<Conflict>, LiveError> {
        let hosts = self.store.hosts().await?;
        let mut found = Vec::new();
        let live: Vec<&Broadcast> = broadcasts
            .iter()
            .filter(|b| b.status != BroadcastStatus::Cancelled)
            .collect();
        for (i, a) in live.iter().enumerate() {
            if let Some(host) = hosts.iter().find(|h| h.id == a.host)
                && !host.available_on(a.date)
            {
                found.push(Conflict {
                    code: "live-conflict-host-unavailable",
                    broadcasts: vec![a.id],
                });
            }
            for b in &live[i + 1..] {
                let same_time = a.date == b.date && a.starts == b.starts;
                if same_time && a.studio == b.studio {
                    found.push(Conflict {
                        code: "live-conflict-studio",
                        broadcasts: vec![a.id, b.id],
                    });
                }
                if same_time && a.host == b.host {
                    found.push(Conflict {
                        code: "live-conflict-host",
                        broadcasts: vec![a.id, b.id],
                    });
                }
                let gap = (a.date - b.date).whole_days().abs();
                if a.industry_code == b.industry_code
                    && gap < i64::from(call.min_days_between_same_industry)
                {
                    found.push(Conflict {
                        code: "live-conflict-industry",
                        broadcasts: vec![a.id, b.id],
                    });
                }
            }
        }
        Ok(found)
    }

    /// Moves a broadcast to another slot by hand (staff). A move that breaks a rule — the
    /// studio or the host taken then, the host not working that day, the same 업종 too close,
    /// a day outside the season or a time the studio has no slot at — is refused by field.
    #[allow(clippy::too_many_arguments)]
    pub async fn move_broadcast(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        date: &str,
        starts: &str,
        studio: i64,
        host: i64,
    ) -> Result<(), LiveError> {
        Self::staff(user)?;
        let broadcast = self.broadcast_or_404(id).await?;
        if matches!(
            broadcast.status,
            BroadcastStatus::Held | BroadcastStatus::Cancelled
        ) {
            return Err(invalid("broadcast", "error-live-broadcast-done"));
        }
        let call = self.call_or_404(broadcast.call).await?;
        let mut errors = ValidationErrors::new();
        let date = parse_date(date);
        match date {
            None => errors.push("date", "error-date"),
            Some(d) if d < call.starts || d > call.ends => {
                errors.push("date", "error-live-date-outside")
            }
            _ => {}
        }
        let starts = parse_clock(starts);
        let studios = self.store.studios().await?;
        let hosts = self.store.hosts().await?;
        let studio_row = studios.iter().find(|s| s.id == studio);
        match (studio_row, starts) {
            (None, _) => errors.push("studio_id", "error-live-unknown-studio"),
            (_, None) => errors.push("starts", "error-live-times"),
            (Some(s), Some(t)) if !s.times.contains(&t) => {
                errors.push("starts", "error-live-no-slot-then")
            }
            _ => {}
        }
        let host_row = hosts.iter().find(|h| h.id == host);
        match (host_row, date) {
            (None, _) => errors.push("host_id", "error-live-unknown-host"),
            (Some(h), Some(d)) if !h.available_on(d) => {
                errors.push("host_id", "error-live-host-unavailable")
            }
            _ => {}
        }
        errors.into_result().map_err(LiveError::Invalid)?;
        let (date, starts) = (date.expect("checked"), starts.expect("checked"));
        let others = self
            .store
            .broadcasts(&BroadcastFilter {
                call: Some(call.id),
                ..BroadcastFilter::default()
            })
            .await?;
        let mut errors = ValidationErrors::new();
        for other in others
            .iter()
            .filter(|b| b.id != id && b.status != BroadcastStatus::Cancelled)
        {
            let same_time = other.date == date && other.starts == starts;
            if same_time && other.studio == studio {
                errors.push("studio_id", "error-live-studio-taken");
            }
            if same_time && other.host == host {
                errors.push("host_id", "error-live-host-taken");
            }
            if other.industry_code == broadcast.industry_code
                && (other.date - date).whole_days().abs()
                    < i64::from(call.min_days_between_same_industry)
            {
                errors.push("date", "error-live-industry-too-close");
            }
        }
        errors.0.dedup();
        errors.into_result().map_err(LiveError::Invalid)?;
        let audit = actor.entry(
            self.clock.now(),
            "live.move",
            format!("broadcast:{id}"),
            format!("{date} {}", clock(starts)),
        );
        let slot = Slot {
            application: broadcast.application,
            channels: broadcast.channels.clone(),
            date,
            starts,
            studio,
            host,
        };
        Ok(self.store.move_broadcast(id, &slot, &audit).await?)
    }

    // ---- broadcasts ----

    async fn broadcast_or_404(&self, id: i64) -> Result<Broadcast, LiveError> {
        self.store.broadcast(id).await?.ok_or(LiveError::NotFound)
    }

    /// Whether `user` may read broadcast `b` (and whether they own it).
    async fn may_read(&self, user: &User, b: &Broadcast) -> Result<(bool, bool), LiveError> {
        Ok(match user.role {
            r if r.is_staff() => (true, false),
            Role::LocalGov => (user.may_see_region(&b.region), false),
            Role::Merchant => {
                let own = self
                    .own_shop(user)
                    .await?
                    .is_some_and(|shop| shop.id == b.merchant);
                (own, own)
            }
            _ => (false, false),
        })
    }

    /// The broadcasts `user` may see: staff every one, officers their region's, a merchant its
    /// own; by day.
    pub async fn broadcasts(&self, user: &User) -> Result<Vec<Broadcast>, LiveError> {
        let mut filter = BroadcastFilter::default();
        match user.role {
            r if r.is_staff() => {}
            Role::LocalGov => {}
            Role::Merchant => match self.own_shop(user).await? {
                Some(shop) => filter.merchant = Some(shop.id),
                None => return Ok(Vec::new()),
            },
            _ => return Err(LiveError::Forbidden),
        }
        let all = self.store.broadcasts(&filter).await?;
        Ok(if user.role == Role::LocalGov {
            all.into_iter()
                .filter(|b| user.may_see_region(&b.region))
                .collect()
        } else {
            all
        })
    }

    async fn featured(&self, b: &Broadcast) -> Result<Vec<Product>, LiveError> {
        let mut products = Vec::with_capacity(b.products.len());
        for id in &b.products {
            if let Some(p) = self.store.product(*id).await? {
                products.push(p);
            }
        }
        Ok(products)
    }

    /// The broadcast with its cue sheet, gate and results, as `user` may see it.
    pub async fn view_broadcast(&self, user: &User, id: i64) -> Result<BroadcastView, LiveError> {
        let broadcast = self.broadcast_or_404(id).await?;
        let (may, is_owner) = self.may_read(user, &broadcast).await?;
        if !may {
            return Err(LiveError::NotFound);
        }
        let products = self.featured(&broadcast).await?;
        let cue = cue_sheet(&broadcast, &products);
        let may_manage = user.role.is_staff() || is_owner;
        let gate = if may_manage {
            self.gate(user, &broadcast, &products).await?
        } else {
            Vec::new()
        };
        let results = self.store.results(id).await?;
        Ok(BroadcastView {
            broadcast,
            cue,
            gate,
            results,
            may_manage,
            is_owner,
        })
    }

    /// The readiness gate of `b`: every item, passed or not.
    async fn gate(
        &self,
        user: &User,
        b: &Broadcast,
        products: &[Product],
    ) -> Result<Vec<GateItem>, LiveError> {
        let mut items = Vec::new();
        let files: Vec<_> = products.iter().map(|p| &p.file).collect();
        let readiness = self
            .listing
            .readiness_of_each(user, b.merchant, &files)
            .await?;
        let marketplaces: Vec<Channel> =
            b.channels.iter().filter_map(|c| c.marketplace()).collect();
        for (product, readiness) in products.iter().zip(&readiness) {
            for channel in &marketplaces {
                let Some(r) = readiness.iter().find(|r| r.channel == *channel) else {
                    continue;
                };
                items.push(GateItem {
                    code: "live-gate-readiness",
                    passed: r.ready(),
                    product: Some(product.id),
                    product_name: product.file.name.clone(),
                    channel: Some(*channel),
                    issue: r.issues.iter().find(|i| !i.warning).map(|i| i.code),
                    left: r.remaining(),
                    item: None,
                    figures: None,
                });
            }
            let stock = product.file.check().map(|c| c.stock).unwrap_or(0);
            let expected = b.expected(product.id);
            items.push(GateItem {
                code: "live-gate-stock",
                passed: expected > 0 && stock >= expected,
                product: Some(product.id),
                product_name: product.file.name.clone(),
                channel: None,
                issue: None,
                left: 0,
                item: None,
                figures: Some((expected, stock)),
            });
        }
        for item in CHECKLIST {
            items.push(GateItem {
                code: "live-gate-checklist",
                passed: b.checklist.contains(item),
                product: None,
                product_name: String::new(),
                channel: None,
                issue: None,
                left: 0,
                item: Some(item),
                figures: None,
            });
        }
        Ok(items)
    }

    /// Keeps the preparation: channels, checklist, expected units and discount (staff), the
    /// checklist alone (the merchant), the replay link (staff).
    pub async fn prepare(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        input: &PreparationInput,
    ) -> Result<(), LiveError> {
        let b = self.broadcast_or_404(id).await?;
        let (may, is_owner) = self.may_read(user, &b).await?;
        let staff = user.role.is_staff();
        if !may || !(staff || is_owner) {
            return Err(if may {
                LiveError::Forbidden
            } else {
                LiveError::NotFound
            });
        }
        if b.status == BroadcastStatus::Cancelled {
            return Err(invalid("broadcast", "error-live-broadcast-done"));
        }
        let mut errors = ValidationErrors::new();
        let mut checklist = BTreeSet::new();
        for item in &input.checklist {
            match CHECKLIST.iter().find(|c| **c == item.as_str()) {
                Some(c) => {
                    checklist.insert((*c).to_owned());
                }
                None => errors.push("checklist", "error-live-checklist"),
            }
        }
        let mut preparation = Preparation {
            channels: b.channels.clone(),
            checklist,
            expected_units: b.expected_units.clone(),
            discount_percent: b.discount_percent,
            replay_url: b.replay_url.clone(),
        };
        if staff {
            if let Some(channels) = &input.channels {
                let mut parsed = Vec::new();
                for c in channels {
                    match LiveChannel::parse(c) {
                        Some(c) if !parsed.contains(&c) => parsed.push(c),
                        Some(_) => {}
                        None => errors.push("channels", "error-live-channel"),
                    }
                }
                if parsed.is_empty() {
                    errors.push("channels", "error-required");
                }
                parsed.sort();
                preparation.channels = parsed;
            }
            if let Some(units) = &input.expected_units {
                let mut kept = Vec::new();
                for (product, value) in units {
                    let field = format!("expected_units.{product}");
                    if !b.products.contains(&ProductId(*product)) {
                        errors.push(field, "error-live-product-not-featured");
                        continue;
                    }
                    match crate::kernel::money::parse_count(value, &field) {
                        Ok(Some(n)) if n <= 1_000_000 => kept.push((ProductId(*product), n)),
                        Ok(None) => {}
                        Ok(Some(_)) => errors.push(field, "error-number-range"),
                        Err(e) => errors.0.push(e),
                    }
                }
                preparation.expected_units = kept;
            }
            if let Some(discount) = &input.discount_percent {
                match discount.trim().parse::<u8>() {
                    Ok(d) if d <= 90 => preparation.discount_percent = d,
                    _ => errors.push("discount_percent", "error-number-range"),
                }
            }
            if let Some(url) = &input.replay_url {
                let url = url.trim();
                let acceptable =
                    url.is_empty() || (url.starts_with("https://") && url.len() <= 500);
                if !acceptable {
                    errors.push("replay_url", "error-live-replay-url");
                }
                preparation.replay_url = url.to_owned();
            }
        }
        errors.into_result().map_err(LiveError::Invalid)?;
        let audit = actor.entry(
            self.clock.now(),
            "live.prepare",
            format!("broadcast:{id}"),
            preparation
                .checklist
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(","),
        );
        Ok(self
            .store
            .save_preparation(id, &preparation, &audit)
            .await?)
    }

    /// Confirms the slot when the gate passes (staff or the merchant); otherwise the failing
    /// items, by field, and the broadcast stays scheduled.
    pub async fn confirm(&self, user: &User, actor: &Actor, id: i64) -> Result<(), LiveError> {
        let view = self.view_broadcast(user, id).await?;
        if !view.may_manage {
            return Err(LiveError::Forbidden);
        }
        if view.broadcast.status != BroadcastStatus::Scheduled {
            return Err(invalid("broadcast", "error-live-not-scheduled"));
        }
        let mut errors = ValidationErrors::new();
        for item in view.gate.iter().filter(|i| !i.passed) {
            let field = match (item.product, item.channel, item.item) {
                (Some(p), Some(c), _) => format!("products.{}.{}", p.0, c.code()),
                (Some(p), None, _) => format!("expected_units.{}", p.0),
                (_, _, Some(i)) => format!("checklist.{i}"),
                _ => "broadcast".to_owned(),
            };
            errors.push(field, item.code);
        }
        errors.into_result().map_err(LiveError::Invalid)?;
        let now = self.clock.now();
        let audit = actor.entry(now, "live.confirm", format!("broadcast:{id}"), "");
        Ok(self
            .store
            .set_broadcast_status(id, BroadcastStatus::Confirmed, now, &audit)
            .await?)
    }

    /// Cancels a broadcast that has not gone on air (staff).
    pub async fn cancel(&self, user: &User, actor: &Actor, id: i64) -> Result<(), LiveError> {
        Self::staff(user)?;
        let b = self.broadcast_or_404(id).await?;
        if matches!(b.status, BroadcastStatus::Held | BroadcastStatus::Cancelled) {
            return Err(invalid("broadcast", "error-live-broadcast-done"));
        }
        let now = self.clock.now();
        let audit = actor.entry(now, "live.cancel", format!("broadcast:{id}"), "");
        Ok(self
            .store
            .set_broadcast_status(id, BroadcastStatus::Cancelled, now, &audit)
            .await?)
    }

    // ---- results ----

    /// Checks result rows against the kept broadcasts: the rows to keep, and each refused
    /// row's index with its field errors. A broadcast must be confirmed or held and on or
    /// before today; a product must be one it featured.
    async fn check_results(
        &self,
        rows: &[ResultInput],
    ) -> Result<(Vec<ResultRow>, Vec<(usize, ValidationErrors)>), LiveError> {
        let today = seoul_date(self.clock.now());
        let mut known: BTreeMap<i64, Option<Broadcast>> = BTreeMap::new();
        let (mut good, mut bad) = (Vec::new(), Vec::new());
        for (i, input) in rows.iter().enumerate() {
            let row = match input.check() {
                Ok(row) => row,
                Err(errors) => {
                    bad.push((i, errors));
                    continue;
                }
            };
            if let std::collections::btree_map::Entry::Vacant(slot) = known.entry(row.broadcast) {
                slot.insert(self.store.broadcast(row.broadcast).await?);
            }
            let broadcast = known.get(&row.broadcast).and_then(Option::as_ref);
            let error = match broadcast {
                None => Some(("broadcast_id", "error-live-unknown-broadcast")),
                Some(b)
                    if !matches!(b.status, BroadcastStatus::Confirmed | BroadcastStatus::Held) =>
                {
                    Some(("broadcast_id", "error-live-not-confirmed"))
                }
                Some(b) if b.date > today => Some(("broadcast_id", "error-live-not-yet-aired")),
                Some(b) if row.product.is_some_and(|p| !b.products.contains(&p)) => {
                    Some(("product_id", "error-live-product-not-featured"))
                }
                _ => None,
            };
            match error {
                Some((field, code)) => bad.push((i, FieldError::new(field, code).into())),
                None => good.push(row),
            }
        }
        Ok((good, bad))
    }

    /// Imports a channel's export (staff, or the server's operator at the command line when
    /// `by` is None): the good rows are kept in one transaction, their broadcasts held; the
    /// refused ones come back by index with their field errors.
    pub async fn import_results(
        &self,
        by: Option<&User>,
        actor: &Actor,
        rows: &[ResultInput],
    ) -> Result<(usize, Vec<(usize, ValidationErrors)>), LiveError> {
        if let Some(user) = by {
            Self::staff(user)?;
        }
        let (good, bad) = self.check_results(rows).await?;
        if !good.is_empty() {
            let now = self.clock.now();
            let audit = actor.entry(now, "live.results", "", good.len().to_string());
            self.store.record_results(&good, now, &audit).await?;
        }
        Ok((good.len(), bad))
    }

    /// Checks and keeps results typed for a broadcast (staff): all rows or none.
    pub async fn enter_results(
        &self,
        user: &User,
        actor: &Actor,
        rows: &[ResultInput],
    ) -> Result<usize, LiveError> {
        Self::staff(user)?;
        let (good, bad) = self.check_results(rows).await?;
        if let Some((i, errors)) = bad.into_iter().next() {
            let mut prefixed = ValidationErrors::new();
            for e in errors.0 {
                prefixed.push(format!("rows[{i}].{}", e.field), e.code);
            }
            return Err(LiveError::Invalid(prefixed));
        }
        let now = self.clock.now();
        let audit = actor.entry(now, "live.results", "", good.len().to_string());
        self.store.record_results(&good, now, &audit).await?;
        Ok(good.len())
    }

    /// The merchant's satisfaction survey after its broadcast (1–5 and words).
    pub async fn survey(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        score: i64,
        comment: &str,
    ) -> Result<(), LiveError> {
        let b = self.broadcast_or_404(id).await?;
        let (_, is_owner) = self.may_read(user, &b).await?;
        if !is_owner {
            return Err(LiveError::NotFound);
        }
        if b.status != BroadcastStatus::Held {
            return Err(invalid("broadcast", "error-live-not-held"));
        }
        let mut errors = ValidationErrors::new();
        if !(1..=5).contains(&score) {
            errors.push("score", "error-live-score-range");
        }
        let comment = text::clean(comment);
        if text::longer_than(&comment, 1000) {
            errors.push("comment", "error-too-long");
        }
        errors.into_result().map_err(LiveError::Invalid)?;
        let audit = actor.entry(
            self.clock.now(),
            "live.survey",
            format!("broadcast:{id}"),
            "",
        );
        Ok(self
            .store
            .save_survey(id, score as u8, &comment, &audit)
            .await?)
    }

    // ---- public ----

    /// Confirmed broadcasts from today on (the 예고 page and its calendar), and the latest held
    /// ones with their replays; no sign-in.
    pub async fn announcements(&self) -> Result<(Vec<Announcement>, Vec<Announcement>), LiveError> {
        let today = seoul_date(self.clock.now());
        let upcoming = self
            .store
            .broadcasts(&BroadcastFilter {
                statuses: [BroadcastStatus::Confirmed].into_iter().collect(),
                from: Some(today),
                ..BroadcastFilter::default()
            })
            .await?;
        let mut held = self
            .store
            .broadcasts(&BroadcastFilter {
                statuses: [BroadcastStatus::Held].into_iter().collect(),
                ..BroadcastFilter::default()
            })
            .await?;
        held.reverse();
        held.truncate(12);
        let lines = |list: Vec<Broadcast>| async {
            let mut out = Vec::with_capacity(list.len());
            for b in list {
                let names = self
                    .featured(&b)
                    .await?
                    .into_iter()
                    .map(|p| p.file.name)
                    .collect();
                out.push(Announcement {
                    broadcast: b,
                    product_names: names,
                });
            }
            Ok::<_, LiveError>(out)
        };
        let upcoming = lines(upcoming).await?;
        let held = lines(held).await?;
        Ok((upcoming, held))
    }

    /// The season's figures for `year` (staff everywhere, officers in their region).
    pub async fn report(
        &self,
        user: &User,
        year: i32,
        region: Option<RegionCode>,
    ) -> Result<SeasonReport, LiveError> {
        let region = match user.role {
            r if r.is_staff() => region,
            Role::LocalGov => Some(
                user.officer_scope(region.as_ref())
                    .ok_or(LiveError::Forbidden)?,
            ),
            _ => return Err(LiveError::Forbidden),
        };
        let first = Date::from_calendar_date(year, ::time::Month::January, 1)
            .map_err(|_| invalid("year", "error-number-range"))?;
        let last = Date::from_calendar_date(year, ::time::Month::December, 31)
            .map_err(|_| invalid("year", "error-number-range"))?;
        let held = self
            .store
            .broadcasts(&BroadcastFilter {
                statuses: [BroadcastStatus::Held].into_iter().collect(),
                from: Some(first),
                until: Some(last),
                ..BroadcastFilter::default()
            })
            .await?;
        let held: Vec<Broadcast> = held
            .into_iter()
            .filter(|b| region.as_ref().is_none_or(|r| r.contains(&b.region)))
            .collect();
        let mut report = SeasonReport {
            held: held.len() as i64,
            merchants: held
                .iter()
                .map(|b| b.merchant)
                .collect::<BTreeSet<MerchantId>>()
                .len() as i64,
            ..SeasonReport::default()
        };
        let mut by_sido: BTreeMap<String, i64> = BTreeMap::new();
        let mut by_industry: BTreeMap<String, i64> = BTreeMap::new();
        let mut surveys = Vec::new();
        for b in &held {
            *by_sido.entry(b.region.sido().region().name).or_default() += 1;
            let major = crate::kernel::industry::resolve(&b.industry_code, "industry")
                .map(|i| i.major.clone())
                .unwrap_or_default();
            *by_industry.entry(major).or_default() += 1;
            if let Some((score, _)) = &b.survey {
                surveys.push(f64::from(*score));
            }
            for row in self.store.results(b.id).await? {
                // Whole-broadcast rows carry viewers; product rows split orders and sales.
                if row.product.is_none() {
                    report.viewers += row.viewers;
                }
                report.orders += row.orders;
                report.sales_krw += row.sales_krw;
            }
        }
        if report.viewers > 0 {
            report.conversion_percent =
                (report.orders as f64 * 1000.0 / report.viewers as f64).round() / 10.0;
        }
        report.satisfaction = (!surveys.is_empty())
            .then(|| (surveys.iter().sum::<f64>() / surveys.len() as f64 * 10.0).round() / 10.0);
        report.by_sido = by_sido.into_iter().collect();
        report.by_industry = by_industry.into_iter().collect();
        Ok(report)
    }
}

/// The preparation as typed: `None` fields are left as they are.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PreparationInput {
    #[serde(default)]
    pub checklist: Vec<String>,
    #[serde(default)]
    pub channels: Option<Vec<String>>,
    /// Product id → units, as typed.
    #[serde(default)]
    pub expected_units: Option<BTreeMap<i64, String>>,
    #[serde(default)]
    pub discount_percent: Option<String>,
    #[serde(default)]
    pub replay_url: Option<String>,
}

/// The cue sheet: featured products in order, with the broadcast price.
pub fn cue_sheet(b: &Broadcast, products: &[Product]) -> Vec<CueLine> {
    products
        .iter()
        .map(|p| {
            let (price, stock) = p
                .file
                .check()
                .map(|c| (c.price, c.stock))
                .unwrap_or_default();
            let live_price = price * (100 - i64::from(b.discount_percent)) / 100 / 10 * 10;
            CueLine {
                product: p.id,
                name: p.file.name.clone(),
                price,
                live_price,
                stock,
                expected_units: b.expected(p.id),
                selling_points: p
                    .file
                    .detail_page
                    .as_ref()
                    .map(|d| d.selling_points.clone())
                    .unwrap_or_default(),
            }
        })
        .collect()
}
