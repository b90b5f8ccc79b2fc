//! 원정대 events: an operator sets a day in a region (venue, hours, slot length, breaks,
//! tables), invites MDs (each confirms and says what they look for), and takes applications:
//! a merchant applies with up to three pooled products before the deadline. MDs mark each
//! applicant must meet / would meet / no; merchants rank the MDs they want. The operator then
//! computes the 1:1 timetable (`timetable.rs`) — each MD keeps one table all day — and may move
//! a meeting by hand. Everyone reads their agenda (page, print, .ics). On the day the MD records
//! each meeting's outcome (a pick, more information, not now) with a reason the merchant reads;
//! a pick made there is a real pick, followed like any other. The report counts meetings, picks
//! and where those picks came to.
//!
//! Who sees what: staff every event, officers the events in their region, an MD the events they
//! are invited to, a merchant the open events and its own application, meetings and feedback.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::accounts::{Role, User, UserId};
use crate::catalog::product::ProductId;
use crate::discovery::picks::{FollowedPick, PickInput};
use crate::discovery::search::PoolIndex;
use crate::discovery::timetable::{self, Attendee, Interest, MdMark, TimetableInput};
use crate::discovery::{Discovery, DiscoveryError};
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::region::RegionCode;
use crate::kernel::text;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;
use crate::ports::{Clock, Store, StoreError};

/// The most products one application carries.
pub const MAX_PRODUCTS: usize = 3;
/// The most MDs a merchant ranks.
pub const MAX_RANKED: usize = 3;
/// How far back a meeting with the same marketplace keeps a pair apart (unless asked).
pub const RECENT_DAYS: i64 = 365;

/// The first day whose meetings still keep a pair apart at an event on `date`.
pub fn recently_met_since(date: Date) -> Date {
    date.saturating_sub(::time::Duration::days(RECENT_DAYS))
}

/// Minutes after midnight (Seoul).
pub type Minute = u16;

/// An event as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub name: String,
    /// 시도 or 시군구.
    pub region: RegionCode,
    pub venue: String,
    /// The day, `YYYY-MM-DD`.
    pub date: ::time::Date,
    pub starts: Minute,
    pub ends: Minute,
    pub slot_minutes: u16,
    /// (start, end) of each break.
    pub breaks: Vec<(Minute, Minute)>,
    pub tables: u16,
    /// Merchants meet at most this many MDs.
    pub meetings_per_merchant: u16,
    pub applications_close: Timestamp,
    /// When the timetable was last computed.
    pub scheduled_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl Event {
    /// The meeting slots of the day, (start, end), breaks left out.
    pub fn slots(&self) -> Vec<(Minute, Minute)> {
        slots_of(self.starts, self.ends, self.slot_minutes, &self.breaks)
    }

    /// The instant a time of the event's day is (Seoul has no daylight saving).
    pub fn instant(&self, minute: Minute) -> Timestamp {
        crate::kernel::time::seoul_instant(self.date, minute)
    }
}

fn slots_of(
    starts: Minute,
    ends: Minute,
    length: u16,
    breaks: &[(Minute, Minute)],
) -> Vec<(Minute, Minute)> {
    let mut slots = Vec::new();
    let mut at = starts;
    while length > 0 && at + length <= ends {
        if let Some(&(_, end)) = breaks.iter().find(|(s, e)| at >= *s && at < *e) {
            at = end;
            continue;
        }
        let end = at + length;
        if let Some(&(start, _)) = breaks.iter().find(|(s, _)| *s > at && *s < end) {
            at = start;
            continue;
        }
        slots.push((at, end));
        at = end;
    }
    slots
}

/// `HH:MM` → minutes after midnight.
pub fn parse_clock(text: &str) -> Option<Minute> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes after midnight → `HH:MM`.
pub fn clock(minute: Minute) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// An event as typed in the operator's form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EventInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub venue: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub date: String,
    /// `HH:MM`.
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub slot_minutes: String,
    /// `12:00-13:00, 15:00-15:20`.
    #[serde(default)]
    pub breaks: String,
    #[serde(default)]
    pub tables: String,
    #[serde(default)]
    pub meetings_per_merchant: String,
    /// When applications close, `YYYY-MM-DD` (the end of that day, Seoul).
    #[serde(default)]
    pub applications_close: String,
}

/// A new event, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub name: String,
    pub region: RegionCode,
    pub venue: String,
    pub date: ::time::Date,
    pub starts: Minute,
    pub ends: Minute,
    pub slot_minutes: u16,
    pub breaks: Vec<(Minute, Minute)>,
    pub tables: u16,
    pub meetings_per_merchant: u16,
    pub applications_close: Timestamp,
}

/// A calendar day.
pub type Date = ::time::Date;

use crate::kernel::time::end_of_day;
pub use crate::kernel::time::parse_date;

impl EventInput {
    pub fn check(&self) -> Result<NewEvent, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = text::clean(&self.name);
        if name.is_empty() {
            errors.push("name", "error-required");
        } else if text::longer_than(&name, 100) {
            errors.push("name", "error-too-long");
        }
        let region = errors.check(RegionCode::parse(&self.region_code, "region_code"));
        let venue = text::clean(&self.venue);
        if venue.is_empty() {
            errors.push("venue", "error-required");
        } else if text::longer_than(&venue, 200) {
            errors.push("venue", "error-too-long");
        }
        let date = parse_date(&self.date);
        if date.is_none() {
            errors.push("date", "error-date");
        }
        let starts = parse_clock(&self.starts);
        if starts.is_none() {
            errors.push("starts", "error-clock");
        }
        let ends = parse_clock(&self.ends);
        if ends.is_none() {
            errors.push("ends", "error-clock");
        }
        if let (Some(s), Some(e)) = (starts, ends)
            && e <= s
        {
            errors.push("ends", "error-event-ends-before");
        }
        let slot_minutes = match self.slot_minutes.trim().parse::<u16>() {
            Ok(m) if (5..=120).contains(&m) => Some(m),
            _ => {
                errors.push("slot_minutes", "error-event-slot");
                None
            }
        };
        let mut breaks = Vec::new();
        for part in self
            .breaks
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part
                .split_once('-')
                .and_then(|(a, b)| Some((parse_clock(a)?, parse_clock(b)?)))
            {
                Some((a, b)) if a < b => breaks.push((a, b)),
                _ => {
                    errors.push("breaks", "error-event-breaks");
                    break;
                }
            }
        }
        breaks.sort_unstable();
        if let (Some(s), Some(e), Some(length)) = (starts, ends, slot_minutes)
            && e > s
        {
            let outside = breaks.iter().any(|&(a, b)| a < s || b > e);
            let overlapping = breaks.windows(2).any(|w| w[1].0 < w[0].1);
            if outside || overlapping {
                errors.push("breaks", "error-event-breaks");
            } else {
                // The slots fill the open time exactly when the length divides each stretch
                // between breaks.
                let open = (e - s) - breaks.iter().map(|&(a, b)| b - a).sum::<u16>();
                if slots_of(s, e, length, &breaks).len() * usize::from(length) != usize::from(open)
                {
                    errors.push("slot_minutes", "error-event-slot-divides");
                }
            }
        }
        let tables = match self.tables.trim().parse::<u16>() {
            Ok(t) if (1..=500).contains(&t) => Some(t),
            _ => {
                errors.push("tables", "error-event-tables");
                None
            }
        };
        let meetings_per_merchant = match self.meetings_per_merchant.trim() {
            "" => Some(3),
            v => match v.parse::<u16>() {
                Ok(n) if (1..=20).contains(&n) => Some(n),
                _ => {
                    errors.push("meetings_per_merchant", "error-event-meetings");
                    None
                }
            },
        };
        let close = parse_date(&self.applications_close);
        match (close, date) {
            (None, _) => errors.push("applications_close", "error-date"),
            (Some(c), Some(d)) if c > d => {
                errors.push("applications_close", "error-event-close-after")
            }
            _ => {}
        }
        errors.into_result()?;
        Ok(NewEvent {
            name,
            region: region.expect("checked"),
            venue,
            date: date.expect("checked"),
            starts: starts.expect("checked"),
            ends: ends.expect("checked"),
            slot_minutes: slot_minutes.expect("checked"),
            breaks,
            tables: tables.expect("checked"),
            meetings_per_merchant: meetings_per_merchant.expect("checked"),
            applications_close: end_of_day(close.expect("checked")),
        })
    }
}

/// An MD's place at an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub event: i64,
    pub md: UserId,
    pub md_name: String,
    /// The marketplace the MD comes for.
    pub channel: Channel,
    /// What the MD looks for, in their words.
    pub looking_for: String,
    pub attendance: Attendance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    Invited,
    Confirmed,
    Declined,
}

impl Attendance {
    pub fn code(self) -> &'static str {
        match self {
            Attendance::Invited => "invited",
            Attendance::Confirmed => "confirmed",
            Attendance::Declined => "declined",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        [Self::Invited, Self::Confirmed, Self::Declined]
            .into_iter()
            .find(|a| a.code() == code)
    }
}

/// A merchant's application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub event: i64,
    pub merchant: MerchantId,
    pub merchant_name: String,
    pub products: Vec<ProductId>,
    /// The MDs the merchant wants, first choice first.
    pub ranking: Vec<UserId>,
    pub applied_at: Timestamp,
    /// When the merchant arrived on the day (checked in by staff at the door).
    pub checked_in_at: Option<Timestamp>,
}

/// An MD's mark on an applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub md: UserId,
    pub merchant: MerchantId,
    pub mark: MdMark,
}

pub fn mark_code(mark: MdMark) -> &'static str {
    match mark {
        MdMark::MustMeet => "must",
        MdMark::WouldMeet => "would",
        MdMark::No => "no",
    }
}

pub fn parse_mark(code: &str) -> Option<MdMark> {
    match code.trim() {
        "must" => Some(MdMark::MustMeet),
        "would" => Some(MdMark::WouldMeet),
        "no" => Some(MdMark::No),
        _ => None,
    }
}

/// What came of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The MD picked a product.
    Pick,
    /// The MD wants more information.
    MoreInformation,
    NotNow,
    /// The merchant did not come.
    NoShow,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Pick,
        Outcome::MoreInformation,
        Outcome::NotNow,
        Outcome::NoShow,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Pick => "pick",
            Outcome::MoreInformation => "more_information",
            Outcome::NotNow => "not_now",
            Outcome::NoShow => "no_show",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code.trim())
    }
}

/// A meeting of the timetable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub event: i64,
    pub md: UserId,
    pub md_name: String,
    pub merchant: MerchantId,
    pub merchant_name: String,
    /// Index into `Event::slots()`.
    pub slot: u16,
    pub table: u16,
    pub outcome: Option<Outcome>,
    /// The MD's words to the merchant.
    pub feedback: String,
    /// The pick made at the meeting.
    pub pick: Option<i64>,
}

/// A meeting to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewMeeting {
    pub md: UserId,
    pub merchant: MerchantId,
    pub slot: u16,
    pub table: u16,
}

/// Everything of an event a caller may see.
#[derive(Debug, Clone)]
pub struct EventView {
    pub event: Event,
    pub invitations: Vec<Invitation>,
    /// Every application (staff, officers, invited MDs); a merchant's own only.
    pub applications: Vec<Application>,
    /// The caller's marks (an MD), every mark (staff).
    pub marks: Vec<Mark>,
    /// Every meeting (staff, officers); the caller's own (an MD, a merchant).
    pub meetings: Vec<Meeting>,
    /// The caller's own part: an MD's invitation, a merchant's shop.
    pub own_invitation: Option<Invitation>,
    pub own_shop: Option<MerchantId>,
}

/// The event's report.
#[derive(Debug, Clone, Default)]
pub struct EventReport {
    pub meetings: usize,
    pub held: usize,
    pub no_shows: usize,
    /// (outcome, count).
    pub outcomes: Vec<(Outcome, usize)>,
    /// The picks made at the event, followed.
    pub picks: Vec<FollowedPick>,
    /// (MD name, marketplace, meetings held, picks, picks listed, picks selling).
    pub by_md: Vec<(String, Channel, usize, usize, usize, usize)>,
}

/// The events' storage port.
#[async_trait::async_trait]
pub trait ExpeditionStore: Send + Sync {
    async fn create_event(
        &self,
        event: &NewEvent,
        audit: &crate::kernel::audit::AuditEntry,
    ) -> Result<Event, StoreError>;
    async fn event(&self, id: i64) -> Result<Option<Event>, StoreError>;
    /// Newest day first.
    async fn events(&self) -> Result<Vec<Event>, StoreError>;
    /// Invites an MD (again: the marketplace is updated, the answer kept).
    async fn invite(
        &self,
        event: i64,
        md: UserId,
        channel: Channel,
        audit: &crate::kernel::audit::AuditEntry,
    ) -> Result<(), StoreError>;
    async fn answer_invitation(
        &self,
        event: i64,
        md: UserId,
        attendance: Attendance,
        looking_for: &str,
        audit: &crate::kernel::audit::AuditEntry,
    ) -> Result<(), StoreError>;
    async fn invitations(&self, event: i64) -> Result<Vec<Invitation>, StoreError>;
    /// Every invitation of an MD, any event.
    async fn invitations_of(&self, md: UserId) -> Result<Vec<Invitation>, StoreError>;
    /// Saves (or replaces, keeping the first time) a merchant's application.
    async fn apply_to_event(
        &self,
        event: i64,
        merchant: MerchantId,
        products: &[ProductId],
        at: Timestamp,
        audit: &crate::kernel::audit::AuditEntry,
    ) -> Result<(), StoreError>;
    async fn event_applications(&self, event: i64) -> Result<Vec<Application>, StoreError>;
    async fn set_ranking(
        &self,
        event: i64,
        merchant: MerchantId,
        ranking: &[UserId],
        audit: &crate::kernel::audit::AuditEntry,
    ) -> Result<(), StoreError>;
    async fn set_mark(
        &self,
        event: i64,
        mark: &Mark,
        audit: &crate::kernel::audit::AuditEntry,
    ) -> Result<(), StoreError>;
    async fn marks(&self, event: i64) -> Result<Vec<Mark>, StoreError>;
    /// Replaces the event's meetings with `meetings` and records when, in one transaction.
    async fn replace_meetings(
        &self,
        event: i64,
        meetings: &[NewMeeting],
        at: Timestamp,
        audit: &crate::kernel::audit::AuditEntry,
    ) -> Result<(), StoreError>;
    async fn meetings(&self, event: i64) -> Result<Vec<Meeting>, StoreError>;
    async fn meeting(&self, id: i64) -> Result<Option<Meeting>, StoreError>;
    /// Moves a meeting to another slot; `Conflict("slot")` when the MD or the merchant is busy.
    async fn move_meeting(
        &self,
        id: i64,
        slot: u16,
        audit: &crate::kernel::audit::AuditEntry,
    ) -> Result<(), StoreError>;
    async fn record_outcome(
        &self,
        id: i64,
        outcome: Outcome,
        feedback: &str,
        pick: Option<i64>,
        audit: &crate::kernel::audit::AuditEntry,
    ) -> Result<(), StoreError>;
    /// Records that the merchant arrived; `NotFound` when it did not apply.
    async fn check_in(
        &self,
        event: i64,
        merchant: MerchantId,
        at: Timestamp,
        audit: &crate::kernel::audit::AuditEntry,
    ) -> Result<(), StoreError>;
    /// Pairs (merchant, marketplace) that met at an event held on or after `since`.
    async fn met_since(
        &self,
        since: ::time::Date,
    ) -> Result<Vec<(MerchantId, Channel)>, StoreError>;
}

/// The events' use cases.
pub struct Expeditions<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    pub index: &'a dyn PoolIndex,
}

fn invalid(field: &str, code: &'static str) -> DiscoveryError {
    DiscoveryError::Invalid(FieldError::new(field, code).into())
}

impl Expeditions<'_> {
    fn discovery(&self) -> Discovery<'_> {
        Discovery {
            store: self.store,
            clock: self.clock,
            index: self.index,
        }
    }

    fn staff(user: &User) -> Result<(), DiscoveryError> {
        if user.role.is_staff() {
            Ok(())
        } else {
            Err(DiscoveryError::Forbidden)
        }
    }

    /// Creates an event (staff).
    pub async fn create(
        &self,
        user: &User,
        actor: &Actor,
        input: &EventInput,
    ) -> Result<Event, DiscoveryError> {
        Self::staff(user)?;
        let new = input.check().map_err(DiscoveryError::Invalid)?;
        let audit = actor.entry(self.clock.now(), "event.create", "", new.name.clone());
        Ok(self.store.create_event(&new, &audit).await?)
    }

    /// The events `user` may see, newest day first.
    pub async fn list(&self, user: &User) -> Result<Vec<Event>, DiscoveryError> {
        let events = self.store.events().await?;
        Ok(match user.role {
            r if r.is_staff() => events,
            Role::LocalGov => events
                .into_iter()
                .filter(|e| user.may_see_region(&e.region))
                .collect(),
            Role::Md => {
                let mine: BTreeSet<i64> = self
                    .store
                    .invitations_of(user.id)
                    .await?
                    .into_iter()
                    .map(|i| i.event)
                    .collect();
                events
                    .into_iter()
                    .filter(|e| mine.contains(&e.id))
                    .collect()
            }
            Role::Merchant => events,
            _ => return Err(DiscoveryError::Forbidden),
        })
    }

    /// The event as `user` may see it (others: not found).
    pub async fn view(&self, user: &User, id: i64) -> Result<EventView, DiscoveryError> {
        let event = self
            .store
            .event(id)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        let invitations = self.store.invitations(id).await?;
        let mut view = EventView {
            applications: Vec::new(),
            marks: Vec::new(),
            meetings: Vec::new(),
            own_invitation: None,
            own_shop: None,
            event,
            invitations,
        };
        match user.role {
            r if r.is_staff() => {
                view.applications = self.store.event_applications(id).await?;
                view.marks = self.store.marks(id).await?;
                view.meetings = self.store.meetings(id).await?;
            }
            Role::LocalGov => {
                if !user.may_see_region(&view.event.region) {
                    return Err(DiscoveryError::NotFound);
                }
                view.applications = self.store.event_applications(id).await?;
                view.meetings = self.store.meetings(id).await?;
            }
            Role::Md => {
                let own = view.invitations.iter().find(|i| i.md == user.id).cloned();
                if own.is_none() {
                    return Err(DiscoveryError::NotFound);
                }
                view.own_invitation = own;
                view.applications = self.store.event_applications(id).await?;
                view.marks = self
                    .store
                    .marks(id)
                    .await?
                    .into_iter()
                    .filter(|m| m.md == user.id)
                    .collect();
                view.meetings = self
                    .store
                    .meetings(id)
                    .await?
                    .into_iter()
                    .filter(|m| m.md == user.id)
                    .collect();
            }
            Role::Merchant => {
                let shop = self.store.merchant_of_owner(user.id).await?.map(|m| m.id);
                view.own_shop = shop;
                view.applications = self
                    .store
                    .event_applications(id)
                    .await?
                    .into_iter()
                    .filter(|a| Some(a.merchant) == shop)
                    .collect();
                view.meetings = self
                    .store
                    .meetings(id)
                    .await?
                    .into_iter()
                    .filter(|m| Some(m.merchant) == shop)
                    .collect();
            }
            _ => return Err(DiscoveryError::Forbidden),
        }
        Ok(view)
    }

    /// Invites an MD account by e-mail, for a marketplace (staff).
    pub async fn invite(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        md_email: &str,
        channel: &str,
    ) -> Result<(), DiscoveryError> {
        Self::staff(user)?;
        self.store
            .event(id)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        let mut errors = ValidationErrors::new();
        let channel = errors.check(Channel::parse_field(channel, "channel"));
        let md = self
            .store
            .user_by_email(&md_email.trim().to_lowercase())
            .await?;
        let md = match md {
            Some(md) if md.role == Role::Md => Some(md),
            _ => {
                errors.push("md_email", "error-event-not-md");
                None
            }
        };
        errors.into_result().map_err(DiscoveryError::Invalid)?;
        let (md, channel) = (md.expect("checked"), channel.expect("checked"));
        let audit = actor.entry(
            self.clock.now(),
            "event.invite",
            format!("event:{id}"),
            format!("md:{} {channel}", md.id.0),
        );
        Ok(self.store.invite(id, md.id, channel, &audit).await?)
    }

    /// The MD answers their invitation, saying what they look for.
    pub async fn answer(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        attend: bool,
        looking_for: &str,
    ) -> Result<(), DiscoveryError> {
        if user.role != Role::Md {
            return Err(DiscoveryError::Forbidden);
        }
        let invited = self
            .store
            .invitations(id)
            .await?
            .into_iter()
            .any(|i| i.md == user.id);
        if !invited {
            return Err(DiscoveryError::NotFound);
        }
        let looking_for = text::clean(looking_for);
        if text::longer_than(&looking_for, 300) {
            return Err(invalid("looking_for", "error-too-long"));
        }
        let attendance = if attend {
            Attendance::Confirmed
        } else {
            Attendance::Declined
        };
        let audit = actor.entry(
            self.clock.now(),
            "event.attendance",
            format!("event:{id}"),
            attendance.code(),
        );
        Ok(self
            .store
            .answer_invitation(id, user.id, attendance, &looking_for, &audit)
            .await?)
    }

    /// A merchant applies with 1–3 of its pooled products, before applications close.
    pub async fn apply(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        products: &[i64],
    ) -> Result<(), DiscoveryError> {
        if user.role != Role::Merchant {
            return Err(DiscoveryError::Forbidden);
        }
        let event = self
            .store
            .event(id)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        let shop = self
            .store
            .merchant_of_owner(user.id)
            .await?
            .ok_or_else(|| invalid("merchant_id", "error-round-no-shop"))?;
        let now = self.clock.now();
        if now > event.applications_close || event.scheduled_at.is_some() {
            return Err(invalid("event", "error-event-closed"));
        }
        let unique: BTreeSet<i64> = products.iter().copied().collect();
        if unique.is_empty() || unique.len() > MAX_PRODUCTS {
            return Err(invalid("product_ids", "error-event-products"));
        }
        for product in &unique {
            let pooled = self.store.pool_entry(ProductId(*product)).await?;
            if pooled.is_none_or(|p| p.merchant != shop.id) {
                return Err(invalid("product_ids", "error-pick-not-pooled"));
            }
        }
        let products: Vec<ProductId> = unique.into_iter().map(ProductId).collect();
        let audit = actor.entry(
            now,
            "event.apply",
            format!("event:{id}"),
            format!("merchant:{}", shop.id.0),
        );
        Ok(self
            .store
            .apply_to_event(id, shop.id, &products, now, &audit)
            .await?)
    }

    /// The merchant ranks the MDs it wants to meet (up to three, first choice first).
    pub async fn rank(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        mds: &[i64],
    ) -> Result<(), DiscoveryError> {
        if user.role != Role::Merchant {
            return Err(DiscoveryError::Forbidden);
        }
        let shop = self
            .store
            .merchant_of_owner(user.id)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        let applied = self
            .store
            .event_applications(id)
            .await?
            .into_iter()
            .any(|a| a.merchant == shop.id);
        if !applied {
            return Err(invalid("event", "error-event-not-applied"));
        }
        let invited: BTreeSet<i64> = self
            .store
            .invitations(id)
            .await?
            .iter()
            .filter(|i| i.attendance != Attendance::Declined)
            .map(|i| i.md.0)
            .collect();
        let mut ranking: Vec<UserId> = Vec::new();
        for md in mds {
            if !invited.contains(md) {
                return Err(invalid("md_ids", "error-event-md-unknown"));
            }
            if !ranking.contains(&UserId(*md)) {
                ranking.push(UserId(*md));
            }
        }
        if ranking.len() > MAX_RANKED {
            return Err(invalid("md_ids", "error-event-ranking"));
        }
        let audit = actor.entry(
            self.clock.now(),
            "event.rank",
            format!("event:{id}"),
            format!("merchant:{}", shop.id.0),
        );
        Ok(self
            .store
            .set_ranking(id, shop.id, &ranking, &audit)
            .await?)
    }

    /// An invited MD marks an applicant (`must`, `would`, `no`) until the timetable is made.
    pub async fn mark(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        merchant: i64,
        mark: &str,
    ) -> Result<(), DiscoveryError> {
        if user.role != Role::Md {
            return Err(DiscoveryError::Forbidden);
        }
        let event = self
            .store
            .event(id)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        if !self
            .store
            .invitations(id)
            .await?
            .iter()
            .any(|i| i.md == user.id)
        {
            return Err(DiscoveryError::NotFound);
        }
        let mark = parse_mark(mark).ok_or_else(|| invalid("mark", "error-event-mark"))?;
        if event.scheduled_at.is_some() {
            return Err(invalid("event", "error-event-scheduled"));
        }
        let merchant = MerchantId(merchant);
        if !self
            .store
            .event_applications(id)
            .await?
            .iter()
            .any(|a| a.merchant == merchant)
        {
            return Err(invalid("merchant_id", "error-event-not-applicant"));
        }
        let audit = actor.entry(
            self.clock.now(),
            "event.mark",
            format!("event:{id}"),
            format!("merchant:{} {}", merchant.0, mark_code(mark)),
        );
        Ok(self
            .store
            .set_mark(
                id,
                &Mark {
                    md: user.id,
                    merchant,
                    mark,
                },
                &audit,
            )
            .await?)
    }

    /// Computes and keeps the 1:1 timetable (staff); the previous one is replaced. Each
    /// confirmed MD keeps one table all day, in invitation order.
    pub async fn schedule(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
    ) -> Result<timetable::Timetable, DiscoveryError> {
        Self::staff(user)?;
        let event = self
            .store
            .event(id)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        let mds: Vec<Invitation> = self
            .store
            .invitations(id)
            .await?
            .into_iter()
            .filter(|i| i.attendance == Attendance::Confirmed)
            .collect();
        let applications = self.store.event_applications(id).await?;
        let mut errors = ValidationErrors::new();
        if mds.is_empty() {
            errors.push("mds", "error-event-no-md");
        }
        if mds.len() > usize::from(event.tables) {
            errors.push("tables", "error-event-too-few-tables");
        }
        if applications.is_empty() {
            errors.push("applications", "error-event-no-applications");
        }
        errors.into_result().map_err(DiscoveryError::Invalid)?;
        let slots = event.slots();
        let since = event
            .date
            .saturating_sub(::time::Duration::days(RECENT_DAYS));
        let met: BTreeSet<(MerchantId, Channel)> =
            self.store.met_since(since).await?.into_iter().collect();
        let md_index: HashMap<UserId, usize> =
            mds.iter().enumerate().map(|(k, i)| (i.md, k)).collect();
        let merchant_index: HashMap<MerchantId, usize> = applications
            .iter()
            .enumerate()
            .map(|(k, a)| (a.merchant, k))
            .collect();
        let mut wanted: BTreeMap<(usize, usize), Interest> = BTreeMap::new();
        let entry =
            |i: usize, j: usize, wanted: &mut BTreeMap<(usize, usize), Interest>| -> Interest {
                *wanted.entry((i, j)).or_insert(Interest {
                    md: i,
                    merchant: j,
                    md_mark: None,
                    merchant_rank: None,
                    met_marketplace_recently: met
                        .contains(&(applications[j].merchant, mds[i].channel)),
                })
            };
        for mark in self.store.marks(id).await? {
            if let (Some(&i), Some(&j)) =
                (md_index.get(&mark.md), merchant_index.get(&mark.merchant))
            {
                let mut interest = entry(i, j, &mut wanted);
                interest.md_mark = Some(mark.mark);
                wanted.insert((i, j), interest);
            }
        }
        for (j, application) in applications.iter().enumerate() {
            for (rank, md) in application.ranking.iter().enumerate() {
                if let Some(&i) = md_index.get(md) {
                    let mut interest = entry(i, j, &mut wanted);
                    interest.merchant_rank = Some(rank as u8 + 1);
                    wanted.insert((i, j), interest);
                }
            }
        }
        let slot_count = slots.len() as u16;
        let input = TimetableInput {
            slots: slot_count,
            mds: mds
                .iter()
                .map(|_| Attendee::all_day(slot_count, slot_count))
                .collect(),
            merchants: applications
                .iter()
                .map(|_| Attendee::all_day(event.meetings_per_merchant, slot_count))
                .collect(),
            interests: wanted.into_values().collect(),
        };
        let computed = timetable::compute(&input);
        let meetings: Vec<NewMeeting> = computed
            .meetings
            .iter()
            .map(|m| NewMeeting {
                md: mds[m.md].md,
                merchant: applications[m.merchant].merchant,
                slot: m.slot,
                table: m.md as u16 + 1,
            })
            .collect();
        let now = self.clock.now();
        let audit = actor.entry(
            now,
            "event.schedule",
            format!("event:{id}"),
            format!("meetings:{}", meetings.len()),
        );
        self.store
            .replace_meetings(id, &meetings, now, &audit)
            .await?;
        Ok(computed)
    }

    /// Staff check a merchant in at the door on the day; MDs see who has arrived.
    pub async fn check_in(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        merchant: i64,
    ) -> Result<(), DiscoveryError> {
        Self::staff(user)?;
        self.store
            .event(id)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        let now = self.clock.now();
        let audit = actor.entry(
            now,
            "event.check_in",
            format!("event:{id}"),
            format!("merchant:{merchant}"),
        );
        match self
            .store
            .check_in(id, MerchantId(merchant), now, &audit)
            .await
        {
            Err(StoreError::NotFound) => Err(invalid("merchant_id", "error-event-not-applicant")),
            other => Ok(other?),
        }
    }

    /// Moves a meeting to another slot by hand (staff); refused, naming the clash, when the MD
    /// or the merchant is busy then.
    pub async fn move_meeting(
        &self,
        user: &User,
        actor: &Actor,
        meeting: i64,
        slot: &str,
    ) -> Result<(), DiscoveryError> {
        Self::staff(user)?;
        let found = self
            .store
            .meeting(meeting)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        let event = self
            .store
            .event(found.event)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        let slot = slot
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|s| usize::from(*s) < event.slots().len())
            .ok_or_else(|| invalid("slot", "error-event-slot-unknown"))?;
        let audit = actor.entry(
            self.clock.now(),
            "event.move",
            format!("meeting:{meeting}"),
            format!("slot:{slot}"),
        );
        match self.store.move_meeting(meeting, slot, &audit).await {
            Err(StoreError::Conflict(_)) => Err(invalid("slot", "error-event-slot-busy")),
            other => Ok(other?),
        }
    }

    /// The MD records what came of a meeting; a pick names one of the applied products and
    /// becomes a pick the shop answers like any other.
    pub async fn record_outcome(
        &self,
        user: &User,
        actor: &Actor,
        meeting: i64,
        outcome: &str,
        feedback: &str,
        product: Option<i64>,
    ) -> Result<(), DiscoveryError> {
        let found = self
            .store
            .meeting(meeting)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        if !(user.role.is_staff() || user.role == Role::Md && found.md == user.id) {
            return Err(DiscoveryError::NotFound);
        }
        let outcome =
            Outcome::parse(outcome).ok_or_else(|| invalid("outcome", "error-event-outcome"))?;
        let feedback = text::clean(feedback);
        if text::longer_than(&feedback, 500) {
            return Err(invalid("feedback", "error-too-long"));
        }
        let mut pick = None;
        if outcome == Outcome::Pick {
            if user.role != Role::Md {
                return Err(invalid("outcome", "error-event-outcome"));
            }
            let applied = self
                .store
                .event_applications(found.event)
                .await?
                .into_iter()
                .find(|a| a.merchant == found.merchant)
                .map(|a| a.products)
                .unwrap_or_default();
            let product = product
                .map(ProductId)
                .filter(|p| applied.contains(p))
                .ok_or_else(|| invalid("product_id", "error-event-pick-product"))?;
            let channel = self
                .store
                .invitations(found.event)
                .await?
                .into_iter()
                .find(|i| i.md == user.id)
                .map(|i| i.channel)
                .ok_or(DiscoveryError::NotFound)?;
            let made = self
                .discovery()
                .pick(
                    user,
                    actor,
                    &PickInput {
                        product_id: product.0,
                        channel: channel.code().into(),
                        purpose: "regular".into(),
                        note: feedback.clone(),
                    },
                )
                .await?;
            pick = Some(made.id);
        }
        let audit = actor.entry(
            self.clock.now(),
            "event.outcome",
            format!("meeting:{meeting}"),
            outcome.code(),
        );
        Ok(self
            .store
            .record_outcome(meeting, outcome, &feedback, pick, &audit)
            .await?)
    }

    /// The caller's own meetings of an event with their times: (meeting, start, end).
    pub async fn agenda(
        &self,
        user: &User,
        id: i64,
    ) -> Result<(Event, Vec<(Meeting, Timestamp, Timestamp)>), DiscoveryError> {
        let view = self.view(user, id).await?;
        let slots = view.event.slots();
        let mine = view
            .meetings
            .into_iter()
            .filter_map(|m| {
                let (start, end) = *slots.get(usize::from(m.slot))?;
                Some((m, view.event.instant(start), view.event.instant(end)))
            })
            .collect();
        Ok((view.event, mine))
    }

    /// The event's report (staff, and officers of its region).
    pub async fn report(&self, user: &User, id: i64) -> Result<EventReport, DiscoveryError> {
        let view = self.view(user, id).await?;
        if !(user.role.is_staff() || user.role == Role::LocalGov) {
            return Err(DiscoveryError::Forbidden);
        }
        let mut report = EventReport {
            meetings: view.meetings.len(),
            ..EventReport::default()
        };
        let mut counts: BTreeMap<&'static str, (Outcome, usize)> = BTreeMap::new();
        for m in &view.meetings {
            if let Some(o) = m.outcome {
                counts.entry(o.code()).or_insert((o, 0)).1 += 1;
                if o == Outcome::NoShow {
                    report.no_shows += 1;
                } else {
                    report.held += 1;
                }
            }
        }
        report.outcomes = counts.into_values().collect();
        let pick_ids: BTreeSet<i64> = view.meetings.iter().filter_map(|m| m.pick).collect();
        for id in pick_ids {
            if let Some(pick) = self.store.pick(id).await? {
                report.picks.push(self.discovery().follow(pick).await?);
            }
        }
        for invitation in view
            .invitations
            .iter()
            .filter(|i| i.attendance == Attendance::Confirmed)
        {
            let held = view
                .meetings
                .iter()
                .filter(|m| {
                    m.md == invitation.md && m.outcome.is_some_and(|o| o != Outcome::NoShow)
                })
                .count();
            let picks: Vec<&FollowedPick> = report
                .picks
                .iter()
                .filter(|p| p.pick.md == invitation.md)
                .collect();
            let listed = picks
                .iter()
                .filter(|p| p.progress.listed_at.is_some())
                .count();
            let selling = picks
                .iter()
                .filter(|p| p.progress.first_sales.is_some())
                .count();
            report.by_md.push((
                invitation.md_name.clone(),
                invitation.channel,
                held,
                picks.len(),
                listed,
                selling,
            ));
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EventInput {
        EventInput {
            name: "전주 원정대".into(),
            region_code: "52110".into(),
            venue: "전주 한옥마을 공예품전시관".into(),
            date: "2026-12-20".into(),
            starts: "10:00".into(),
            ends: "17:00".into(),
            slot_minutes: "20".into(),
            breaks: "12:00-13:00".into(),
            tables: "10".into(),
            meetings_per_merchant: "3".into(),
            applications_close: "2026-12-15".into(),
        }
    }

    #[test]
    fn the_day_is_cut_into_slots_around_the_breaks() {
        let event = input().check().unwrap();
        let slots = slots_of(event.starts, event.ends, event.slot_minutes, &event.breaks);
        assert_eq!(slots.len(), 18, "6 hours of 20 minutes");
        assert_eq!(slots[5], (11 * 60 + 40, 12 * 60));
        assert_eq!(slots[6], (13 * 60, 13 * 60 + 20));
    }

    #[test]
    fn a_bad_event_is_refused_field_by_field() {
        let bad = EventInput {
            slot_minutes: "25".into(),
            ..input()
        };
        let errors = bad.check().unwrap_err();
        assert_eq!(
            errors.0[0].field, "slot_minutes",
            "25 minutes do not divide 6 hours"
        );
        let bad = EventInput {
            name: " ".into(),
            date: "2026-13-01".into(),
            ends: "09:00".into(),
            breaks: "12:00".into(),
            tables: "0".into(),
            applications_close: "2027-01-01".into(),
            ..input()
        };
        let fields: Vec<String> = bad
            .check()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        for field in ["name", "date", "ends", "breaks", "tables"] {
            assert!(fields.contains(&field.to_owned()), "{field}: {fields:?}");
        }
        let late = EventInput {
            applications_close: "2027-01-01".into(),
            ..input()
        };
        assert_eq!(late.check().unwrap_err().0[0].field, "applications_close");
    }

    #[test]
    fn a_break_outside_the_hours_is_a_field_error() {
        let late = EventInput {
            breaks: "18:00-19:00".into(),
            ..input()
        };
        assert_eq!(late.check().unwrap_err().0[0].field, "breaks");
    }

    #[test]
    fn times_of_the_day_are_seoul_times() {
        let new = input().check().unwrap();
        let event = Event {
            id: 1,
            name: new.name,
            region: new.region,
            venue: new.venue,
            date: new.date,
            starts: new.starts,
            ends: new.ends,
            slot_minutes: new.slot_minutes,
            breaks: new.breaks,
            tables: new.tables,
            meetings_per_merchant: 3,
            applications_close: new.applications_close,
            scheduled_at: None,
            created_at: Timestamp::from_unix_ms(0),
        };
        assert_eq!(
            event.instant(10 * 60).rfc3339_seconds(),
            "2026-12-20T01:00:00Z"
        );
        assert_eq!(new.applications_close.display_seoul(), "2026-12-15 23:59");
        assert_eq!(clock(13 * 60 + 5), "13:05");
        assert_eq!(parse_clock("9:30"), Some(570));
        assert_eq!(parse_clock("24:00"), None);
    }
}
