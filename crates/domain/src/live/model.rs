//! What a 가치데이 season is made of: studios, show hosts, simulcast channels, the call (모집)
//! with its quotas and weighted criteria, applications, reviews, broadcasts with their
//! pre-consulting checklist, and results per channel. Inputs as people type them are checked
//! here into the kept types; every fault is reported by field at once.

use std::collections::BTreeSet;

use crate::accounts::UserId;
use crate::catalog::product::ProductId;
use crate::kernel::channel::Channel;
use crate::kernel::error::ValidationErrors;
use crate::kernel::region::RegionCode;
use crate::kernel::text;
use crate::kernel::time::{Date, Timestamp, end_of_day, parse_date};
use crate::merchants::merchant::MerchantId;

pub use crate::discovery::events::{Minute, clock, parse_clock};

/// How long one broadcast lasts (the programs' format: 60 minutes).
pub const BROADCAST_MINUTES: u16 = 60;
/// The most products one application features.
pub const MAX_PRODUCTS: usize = 5;
/// The longest a season runs.
pub const MAX_SEASON_DAYS: i64 = 366;

/// Where a broadcast is simulcast. The marketplaces' live platforms sell the marketplace's
/// listing, so a product shown there must be ready for that marketplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LiveChannel {
    /// The program's own site.
    Gachi,
    NaverShoppingLive,
    CoupangLive,
    KakaoShoppingLive,
    Live11,
    Grip,
}

impl LiveChannel {
    pub const ALL: [LiveChannel; 6] = [
        LiveChannel::Gachi,
        LiveChannel::NaverShoppingLive,
        LiveChannel::CoupangLive,
        LiveChannel::KakaoShoppingLive,
        LiveChannel::Live11,
        LiveChannel::Grip,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LiveChannel::Gachi => "gachi",
            LiveChannel::NaverShoppingLive => "naver_live",
            LiveChannel::CoupangLive => "coupang_live",
            LiveChannel::KakaoShoppingLive => "kakao_live",
            LiveChannel::Live11 => "live11",
            LiveChannel::Grip => "grip",
        }
    }

    /// A code, or the name a channel's export or a person writes (`네이버 쇼핑라이브`, `쿠팡라이브`).
    pub fn parse(text: &str) -> Option<Self> {
        let t: String = text
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        Some(match t.as_str() {
            "gachi" | "가치" | "가치데이" | "자사" => LiveChannel::Gachi,
            "naver_live" | "네이버쇼핑라이브" | "쇼핑라이브" | "네이버" => {
                LiveChannel::NaverShoppingLive
            }
            "coupang_live" | "쿠팡라이브" | "쿠팡" => LiveChannel::CoupangLive,
            "kakao_live" | "카카오쇼핑라이브" | "카카오" => {
                LiveChannel::KakaoShoppingLive
            }
            "live11" | "라이브11" | "11번가" => LiveChannel::Live11,
            "grip" | "그립" => LiveChannel::Grip,
            _ => return None,
        })
    }

    /// The marketplace whose listing this channel sells, when Gachi lists there.
    pub fn marketplace(self) -> Option<Channel> {
        match self {
            LiveChannel::NaverShoppingLive => Some(Channel::Naver),
            LiveChannel::CoupangLive => Some(Channel::Coupang),
            LiveChannel::Live11 => Some(Channel::ElevenSt),
            _ => None,
        }
    }
}

/// The criteria reviewers score, in this order everywhere (weights, scores).
pub const CRITERIA: [&str; 5] = ["appeal", "price", "stock", "readiness", "story"];

/// A studio: where it is and the start times of its broadcasts on every season day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Studio {
    pub id: i64,
    pub name: String,
    pub place: String,
    pub times: Vec<Minute>,
}

/// A show host (쇼호스트) of the program's roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub id: i64,
    pub name: String,
    /// 상권업종 대분류 names the host sells well (`음식점업`, `소매업`).
    pub categories: Vec<String>,
    /// Bit 0 Monday … bit 6 Sunday.
    pub weekdays: u8,
    /// Fee per broadcast.
    pub fee: i64,
}

impl Host {
    pub fn available_on(&self, date: Date) -> bool {
        self.weekdays & (1 << date.weekday().number_days_from_monday()) != 0
    }
}

/// A studio as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StudioInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub place: String,
    /// `10:00, 14:00, 19:30`.
    #[serde(default)]
    pub times: String,
}

impl StudioInput {
    pub fn check(&self) -> Result<(String, String, Vec<Minute>), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = required(&mut errors, "name", &self.name, 100);
        let place = required(&mut errors, "place", &self.place, 200);
        let mut times = Vec::new();
        for part in self.times.split(',').filter(|p| !p.trim().is_empty()) {
            match parse_clock(part) {
                Some(t) if t + BROADCAST_MINUTES <= 24 * 60 => times.push(t),
                _ => {
                    errors.push("times", "error-live-times");
                    break;
                }
            }
        }
        times.sort_unstable();
        let overlapping = times.windows(2).any(|w| w[1] < w[0] + BROADCAST_MINUTES);
        if times.is_empty() || overlapping {
            errors.push("times", "error-live-times");
        }
        errors.into_result()?;
        Ok((name, place, times))
    }
}

/// A host as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct HostInput {
    #[serde(default)]
    pub name: String,
    /// `음식, 소매`.
    #[serde(default)]
    pub categories: String,
    /// `월,화,수` or `mon,tue` (empty: every weekday).
    #[serde(default)]
    pub weekdays: String,
    #[serde(default)]
    pub fee: String,
}

const WEEKDAY_NAMES: [[&str; 3]; 7] = [
    ["월", "mon", "monday"],
    ["화", "tue", "tuesday"],
    ["수", "wed", "wednesday"],
    ["목", "thu", "thursday"],
    ["금", "fri", "friday"],
    ["토", "sat", "saturday"],
    ["일", "sun", "sunday"],
];

/// `월,화` → the bitmask; None for an unknown day.
pub fn parse_weekdays(text: &str) -> Option<u8> {
    let mut mask = 0u8;
    for part in text.split([',', ' ', '/']).filter(|p| !p.trim().is_empty()) {
        let p = part.trim().to_lowercase();
        let p = p.trim_end_matches("요일");
        let day = WEEKDAY_NAMES.iter().position(|names| names.contains(&p))?;
        mask |= 1 << day;
    }
    Some(if mask == 0 { 0b0011111 } else { mask })
}

/// The bitmask → `월,화,수`.
pub fn weekdays_text(mask: u8) -> String {
    (0..7)
        .filter(|d| mask & (1 << d) != 0)
        .map(|d| WEEKDAY_NAMES[d][0])
        .collect::<Vec<_>>()
        .join(",")
}

impl HostInput {
    pub fn check(&self) -> Result<(String, Vec<String>, u8, i64), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = required(&mut errors, "name", &self.name, 100);
        let majors: BTreeSet<String> = crate::kernel::industry::all()
            .into_iter()
            .map(|i| i.major.clone())
            .collect();
        let mut categories = Vec::new();
        for part in self.categories.split(',').map(str::trim) {
            if part.is_empty() {
                continue;
            }
            // `음식` is read as `음식점업`: the name people say, when it names one group.
            let named: Vec<&String> = majors
                .iter()
                .filter(|m| m.as_str() == part || m.starts_with(part))
                .collect();
            match named.as_slice() {
                [one] if !categories.contains(*one) => categories.push((*one).clone()),
                [_] => {}
                _ => {
                    errors.push("categories", "error-live-category");
                    break;
                }
            }
        }
        if categories.is_empty() && errors.for_field("categories").is_none() {
            errors.push("categories", "error-required");
        }
        let weekdays = parse_weekdays(&self.weekdays).unwrap_or_else(|| {
            errors.push("weekdays", "error-live-weekdays");
            0
        });
        let fee = errors
            .check(crate::kernel::money::Krw::parse_optional(&self.fee, "fee"))
            .flatten()
            .map_or(0, |k| k.0);
        errors.into_result()?;
        Ok((name, categories, weekdays, fee))
    }
}

fn required(errors: &mut ValidationErrors, field: &str, value: &str, max: usize) -> String {
    let value = text::clean(value);
    if value.is_empty() {
        errors.push(field, "error-required");
    } else if text::longer_than(&value, max) {
        errors.push(field, "error-too-long");
    }
    value
}

/// A call (모집): a season of broadcasts, its quotas and how applications are scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub id: i64,
    pub name: String,
    /// First and last day broadcasts may be on.
    pub starts: Date,
    pub ends: Date,
    pub applications_close: Timestamp,
    /// Broadcasts in the season.
    pub quota_total: u32,
    /// At most this many per 시도 (None: no cap).
    pub quota_per_sido: Option<u32>,
    /// At most this many per 업종 대분류 (None: no cap).
    pub quota_per_industry: Option<u32>,
    /// At least this share of the selected are first-time merchants (when enough apply).
    pub first_time_percent: u8,
    /// Weights of `CRITERIA`, 0–10 each.
    pub weights: [u8; 5],
    /// Two broadcasts of the same 업종 at least this many days apart.
    pub min_days_between_same_industry: u16,
    pub channels: Vec<LiveChannel>,
    /// Who reviews (staff, designers, MDs).
    pub reviewers: Vec<UserId>,
    pub reviews_per_application: u8,
    /// The most applications one reviewer is given.
    pub reviewer_load: u16,
    pub selected_at: Option<Timestamp>,
    pub scheduled_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl Call {
    pub fn open_at(&self, now: Timestamp) -> bool {
        now <= self.applications_close && self.selected_at.is_none()
    }

    /// Every day of the season.
    pub fn days(&self) -> Vec<Date> {
        let mut days = Vec::new();
        let mut day = self.starts;
        while day <= self.ends {
            days.push(day);
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        days
    }

    /// The channels that sell a marketplace listing.
    pub fn marketplaces(&self) -> Vec<Channel> {
        self.channels
            .iter()
            .filter_map(|c| c.marketplace())
            .collect()
    }
}

/// A call as typed in the operator's form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CallInput {
    #[serde(default)]
    pub name: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub applications_close: String,
    #[serde(default)]
    pub quota_total: String,
    #[serde(default)]
    pub quota_per_sido: String,
    #[serde(default)]
    pub quota_per_industry: String,
    #[serde(default)]
    pub first_time_percent: String,
    /// Five weights, `3,2,2,2,1` (appeal, price, stock, readiness, story).
    #[serde(default)]
    pub weights: String,
    #[serde(default)]
    pub min_days_between_same_industry: String,
    /// Channel codes, `gachi, naver_live, coupang_live`.
    #[serde(default)]
    pub channels: String,
    /// Reviewers' sign-in e-mails, comma-separated.
    #[serde(default)]
    pub reviewer_emails: String,
    #[serde(default)]
    pub reviews_per_application: String,
    #[serde(default)]
    pub reviewer_load: String,
}

/// A call checked, reviewers still as e-mails (the use case finds the accounts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCall {
    pub name: String,
    pub starts: Date,
    pub ends: Date,
    pub applications_close: Timestamp,
    pub quota_total: u32,
    pub quota_per_sido: Option<u32>,
    pub quota_per_industry: Option<u32>,
    pub first_time_percent: u8,
    pub weights: [u8; 5],
    pub min_days_between_same_industry: u16,
    pub channels: Vec<LiveChannel>,
    pub reviewer_emails: Vec<String>,
    pub reviewers: Vec<UserId>,
    pub reviews_per_application: u8,
    pub reviewer_load: u16,
}

fn number<T: TryFrom<i64>>(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    range: std::ops::RangeInclusive<i64>,
    default: Option<i64>,
) -> Option<T> {
    let value = value.trim();
    let parsed = if value.is_empty() {
        default
    } else {
        value.replace(',', "").parse::<i64>().ok()
    };
    match parsed {
        Some(n) if range.contains(&n) => T::try_from(n).ok(),
        None if value.is_empty() => {
            errors.push(field, "error-required");
            None
        }
        _ => {
            errors.push(field, "error-number-range");
            None
        }
    }
}

fn optional_cap(errors: &mut ValidationErrors, field: &str, value: &str) -> Option<u32> {
    if value.trim().is_empty() {
        None
    } else {
        number(errors, field, value, 1..=10_000, None)
    }
}

impl CallInput {
    pub fn check(&self) -> Result<NewCall, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = required(&mut errors, "name", &self.name, 100);
        let mut day = |field: &str, value: &str| {
            let d = parse_date(value);
            if d.is_none() {
                errors.push(
                    field,
                    if value.trim().is_empty() {
                        "error-required"
                    } else {
                        "error-date"
                    },
                );
            }
            d
        };
        let starts = day("starts", &self.starts);
        let ends = day("ends", &self.ends);
        let close = day("applications_close", &self.applications_close);
        if let (Some(s), Some(e)) = (starts, ends) {
            if e < s || (e - s).whole_days() > MAX_SEASON_DAYS {
                errors.push("ends", "error-live-season");
            }
            if close.is_some_and(|c| c >= s) {
                errors.push("applications_close", "error-live-close-before-season");
            }
        }
        let quota_total = number(
            &mut errors,
            "quota_total",
            &self.quota_total,
            1..=10_000,
            None,
        );
        let quota_per_sido = optional_cap(&mut errors, "quota_per_sido", &self.quota_per_sido);
        let quota_per_industry =
            optional_cap(&mut errors, "quota_per_industry", &self.quota_per_industry);
        let first_time_percent = number(
            &mut errors,
            "first_time_percent",
            &self.first_time_percent,
            0..=100,
            Some(0),
        );
        let weights: Vec<Option<u8>> = if self.weights.trim().is_empty() {
            vec![Some(1); 5]
        } else {
            self.weights
                .split(',')
                .map(|w| w.trim().parse::<u8>().ok().filter(|w| *w <= 10))
                .collect()
        };
        let weights: Option<[u8; 5]> = (weights.len() == 5 && weights.iter().all(Option::is_some))
            .then(|| std::array::from_fn(|i| weights[i].expect("checked")))
            .filter(|w| w.iter().any(|x| *x > 0));
        if weights.is_none() {
            errors.push("weights", "error-live-weights");
        }
        let min_days = number(
            &mut errors,
            "min_days_between_same_industry",
            &self.min_days_between_same_industry,
            0..=60,
            Some(7),
        );
        let mut channels = Vec::new();
        for part in self.channels.split(',').filter(|p| !p.trim().is_empty()) {
            match LiveChannel::parse(part) {
                Some(c) if !channels.contains(&c) => channels.push(c),
                Some(_) => {}
                None => {
                    errors.push("channels", "error-live-channel");
                    break;
                }
            }
        }
        if channels.is_empty() {
            channels.push(LiveChannel::Gachi);
        }
        channels.sort();
        let reviewer_emails: Vec<String> = self
            .reviewer_emails
            .split([',', ' ', '\n'])
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let reviews_per_application = number(
            &mut errors,
            "reviews_per_application",
            &self.reviews_per_application,
            2..=5,
            Some(2),
        );
        let reviewer_load = number(
            &mut errors,
            "reviewer_load",
            &self.reviewer_load,
            1..=10_000,
            Some(50),
        );
        if let Some(k) = reviews_per_application
            && reviewer_emails.len() < usize::from(k)
        {
            errors.push("reviewer_emails", "error-live-reviewers-too-few");
        }
        errors.into_result()?;
        Ok(NewCall {
            name,
            starts: starts.expect("checked"),
            ends: ends.expect("checked"),
            applications_close: end_of_day(close.expect("checked")),
            quota_total: quota_total.expect("checked"),
            quota_per_sido,
            quota_per_industry,
            first_time_percent: first_time_percent.expect("checked"),
            weights: weights.expect("checked"),
            min_days_between_same_industry: min_days.expect("checked"),
            channels,
            reviewer_emails,
            reviewers: Vec::new(),
            reviews_per_application: reviews_per_application.expect("checked"),
            reviewer_load: reviewer_load.expect("checked"),
        })
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApplicationStatus {
    Submitted,
    Selected,
    Waitlisted,
    NotSelected,
}

impl ApplicationStatus {
    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::Selected => "selected",
            ApplicationStatus::Waitlisted => "waitlisted",
            ApplicationStatus::NotSelected => "not_selected",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        [
            ApplicationStatus::Submitted,
            ApplicationStatus::Selected,
            ApplicationStatus::Waitlisted,
            ApplicationStatus::NotSelected,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A merchant's application to a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: i64,
    pub call: i64,
    pub merchant: MerchantId,
    pub merchant_name: String,
    pub region: RegionCode,
    pub industry_code: String,
    pub products: Vec<ProductId>,
    /// Mondays of the weeks the merchant prefers.
    pub preferred_weeks: Vec<Date>,
    pub pitch: String,
    /// No broadcast of this merchant was held or confirmed before it applied.
    pub first_time: bool,
    pub status: ApplicationStatus,
    /// Weighted review score in milli-points: fixed at selection (staff views show the running
    /// mean before).
    pub score: Option<i64>,
    /// Why it was (not) selected: a message key.
    pub reason: String,
    pub applied_at: Timestamp,
}

/// An application as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ApplyInput {
    #[serde(default)]
    pub product_ids: Vec<i64>,
    /// `YYYY-MM-DD` of any day in each preferred week.
    #[serde(default)]
    pub preferred_weeks: Vec<String>,
    #[serde(default)]
    pub pitch: String,
}

/// The Monday of `date`'s week.
pub fn monday_of(date: Date) -> Date {
    date.saturating_sub(::time::Duration::days(i64::from(
        date.weekday().number_days_from_monday(),
    )))
}

/// A reviewer's assignment and, once submitted, their scores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub application: i64,
    pub reviewer: UserId,
    pub reviewer_name: String,
    /// Scores of `CRITERIA`, 1–5, once submitted.
    pub scores: Option<[u8; 5]>,
    pub comment: String,
    pub submitted_at: Option<Timestamp>,
}

/// The weighted mean of one reviewer's scores, in milli-points.
pub fn weighted_score(weights: &[u8; 5], scores: &[u8; 5]) -> i64 {
    let total: i64 = weights.iter().map(|w| i64::from(*w)).sum();
    if total == 0 {
        return 0;
    }
    let sum: i64 = weights
        .iter()
        .zip(scores)
        .map(|(w, s)| i64::from(*w) * i64::from(*s))
        .sum();
    (sum * 1000 + total / 2) / total
}

/// An application's score: the mean of its submitted reviews' weighted scores, in milli-points
/// (`None` until one reviewer has scored it).
pub fn mean_score(weights: &[u8; 5], reviews: &[Review], application: i64) -> Option<i64> {
    let submitted: Vec<i64> = reviews
        .iter()
        .filter(|r| r.application == application)
        .filter_map(|r| r.scores.as_ref())
        .map(|s| weighted_score(weights, s))
        .collect();
    (!submitted.is_empty()).then(|| submitted.iter().sum::<i64>() / submitted.len() as i64)
}

/// Criteria on which submitted reviews differ by more than two points.
pub fn disagreements(reviews: &[&[u8; 5]]) -> Vec<&'static str> {
    (0..5)
        .filter(|&i| {
            let values = reviews.iter().map(|r| r[i]);
            let (lo, hi) = values.fold((u8::MAX, 0), |(lo, hi), v| (lo.min(v), hi.max(v)));
            reviews.len() > 1 && hi - lo > 2
        })
        .map(|i| CRITERIA[i])
        .collect()
}

/// Where a broadcast stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BroadcastStatus {
    /// Has a slot; waits for the readiness gate.
    Scheduled,
    /// Passed the gate: announced on the public page.
    Confirmed,
    /// Went on air; results recorded.
    Held,
    Cancelled,
}

impl BroadcastStatus {
    pub fn code(self) -> &'static str {
        match self {
            BroadcastStatus::Scheduled => "scheduled",
            BroadcastStatus::Confirmed => "confirmed",
            BroadcastStatus::Held => "held",
            BroadcastStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        [
            BroadcastStatus::Scheduled,
            BroadcastStatus::Confirmed,
            BroadcastStatus::Held,
            BroadcastStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// The pre-consulting checklist, done with the program's consultant before the broadcast.
pub const CHECKLIST: [&str; 5] = ["concept", "cue_sheet", "discount", "shipping", "rehearsal"];

/// A broadcast in a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broadcast {
    pub id: i64,
    pub call: i64,
    pub application: i64,
    pub merchant: MerchantId,
    pub merchant_name: String,
    pub region: RegionCode,
    pub industry_code: String,
    pub date: Date,
    pub starts: Minute,
    pub studio: i64,
    pub studio_name: String,
    pub host: i64,
    pub host_name: String,
    pub channels: Vec<LiveChannel>,
    pub products: Vec<ProductId>,
    pub status: BroadcastStatus,
    /// Done items of `CHECKLIST`.
    pub checklist: BTreeSet<String>,
    /// Units the operator expects to sell, per featured product.
    pub expected_units: Vec<(ProductId, i64)>,
    /// Discount in percent shown on the cue sheet.
    pub discount_percent: u8,
    pub replay_url: String,
    pub survey: Option<(u8, String)>,
    pub confirmed_at: Option<Timestamp>,
}

impl Broadcast {
    pub fn starts_at(&self) -> Timestamp {
        crate::kernel::time::seoul_instant(self.date, self.starts)
    }
    pub fn ends_at(&self) -> Timestamp {
        crate::kernel::time::seoul_instant(self.date, self.starts + BROADCAST_MINUTES)
    }
    pub fn expected(&self, product: ProductId) -> i64 {
        self.expected_units
            .iter()
            .find(|(p, _)| *p == product)
            .map_or(0, |(_, n)| *n)
    }
}

/// A broadcast's slot, to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub application: i64,
    /// Where it is simulcast (scheduling copies the call's channels).
    pub channels: Vec<LiveChannel>,
    pub date: Date,
    pub starts: Minute,
    pub studio: i64,
    pub host: i64,
}

/// What one channel reported of a broadcast (the whole broadcast, or one product of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    pub broadcast: i64,
    pub channel: LiveChannel,
    pub product: Option<ProductId>,
    pub viewers: i64,
    pub peak_viewers: i64,
    pub likes: i64,
    pub chats: i64,
    pub orders: i64,
    pub sales_krw: i64,
}

/// A results row as typed or read from a channel's export (every figure as text).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ResultInput {
    #[serde(default)]
    pub broadcast_id: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub product_id: String,
    #[serde(default)]
    pub viewers: String,
    #[serde(default)]
    pub peak_viewers: String,
    #[serde(default)]
    pub likes: String,
    #[serde(default)]
    pub chats: String,
    #[serde(default)]
    pub orders: String,
    #[serde(default)]
    pub sales_krw: String,
}

impl ResultInput {
    /// The row checked on its own (whether the broadcast and product exist is the use case's).
    pub fn check(&self) -> Result<ResultRow, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let broadcast = self
            .broadcast_id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0);
        if broadcast.is_none() {
            errors.push("broadcast_id", "error-required");
        }
        let channel = LiveChannel::parse(&self.channel);
        if channel.is_none() {
            errors.push("channel", "error-live-channel");
        }
        let product = if self.product_id.trim().is_empty() {
            None
        } else {
            let p = self
                .product_id
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0);
            if p.is_none() {
                errors.push("product_id", "error-count-invalid");
            }
            p
        };
        let mut count = |field: &str, value: &str, required: bool| -> i64 {
            match errors.check(crate::kernel::money::parse_count(value, field)) {
                Some(Some(n)) => n,
                Some(None) if required => {
                    errors.push(field, "error-required");
                    0
                }
                _ => 0,
            }
        };
        let viewers = count("viewers", &self.viewers, true);
        let peak_viewers = count("peak_viewers", &self.peak_viewers, true);
        let likes = count("likes", &self.likes, true);
        let chats = count("chats", &self.chats, false);
        let orders = count("orders", &self.orders, true);
        let sales_krw = errors
            .check(crate::kernel::money::Krw::parse(
                &self.sales_krw,
                "sales_krw",
            ))
            .map_or(0, |k| k.0);
        if peak_viewers > viewers && viewers > 0 {
            errors.push("peak_viewers", "error-live-peak");
        }
        errors.into_result()?;
        Ok(ResultRow {
            broadcast: broadcast.expect("checked"),
            channel: channel.expect("checked"),
            product: product.map(ProductId),
            viewers,
            peak_viewers,
            likes,
            chats,
            orders,
            sales_krw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_read_codes_and_korean_names() {
        assert_eq!(
            LiveChannel::parse("네이버 쇼핑라이브"),
            Some(LiveChannel::NaverShoppingLive)
        );
        assert_eq!(
            LiveChannel::parse("쿠팡라이브"),
            Some(LiveChannel::CoupangLive)
        );
        assert_eq!(LiveChannel::parse("live11"), Some(LiveChannel::Live11));
        assert_eq!(LiveChannel::parse("유튜브"), None);
        for c in LiveChannel::ALL {
            assert_eq!(LiveChannel::parse(c.code()), Some(c));
        }
        assert_eq!(
            LiveChannel::CoupangLive.marketplace(),
            Some(Channel::Coupang)
        );
        assert_eq!(LiveChannel::Grip.marketplace(), None);
    }

    #[test]
    fn weighted_score_and_disagreement() {
        assert_eq!(weighted_score(&[3, 2, 2, 2, 1], &[5, 5, 5, 5, 5]), 5000);
        assert_eq!(weighted_score(&[1, 0, 0, 0, 1], &[5, 1, 1, 1, 2]), 3500);
        assert_eq!(
            disagreements(&[&[5, 3, 3, 3, 3], &[2, 3, 3, 3, 1]]),
            vec!["appeal"]
        );
        assert!(disagreements(&[&[5, 3, 3, 3, 3], &[3, 3, 3, 3, 3]]).is_empty());
    }

    #[test]
    fn a_call_reports_every_wrong_field() {
        let errors = CallInput {
            starts: "2027-03-01".into(),
            ends: "2027-02-01".into(),
            applications_close: "2027-03-05".into(),
            weights: "1,2".into(),
            channels: "youtube".into(),
            ..CallInput::default()
        }
        .check()
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "name",
            "ends",
            "applications_close",
            "quota_total",
            "weights",
            "channels",
            "reviewer_emails",
        ] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
    }

    #[test]
    fn results_rows_name_their_bad_fields() {
        let row = ResultInput {
            broadcast_id: "3".into(),
            channel: "쿠팡라이브".into(),
            viewers: "1,200".into(),
            peak_viewers: "300".into(),
            likes: "40".into(),
            orders: "12".into(),
            sales_krw: "35만".into(),
            ..ResultInput::default()
        }
        .check()
        .unwrap();
        assert_eq!((row.viewers, row.sales_krw), (1200, 350_000));
        let errors = ResultInput {
            broadcast_id: "x".into(),
            channel: "tv".into(),
            viewers: "-1".into(),
            ..ResultInput::default()
        }
        .check()
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"broadcast_id") && fields.contains(&"channel"));
        assert!(fields.contains(&"viewers") && fields.contains(&"sales_krw"));
    }

    #[test]
    fn weekdays_round_trip() {
        assert_eq!(parse_weekdays("월,수,금"), Some(0b10101));
        assert_eq!(weekdays_text(0b10101), "월,수,금");
        assert_eq!(parse_weekdays(""), Some(0b11111));
        assert_eq!(parse_weekdays("someday"), None);
    }
}
