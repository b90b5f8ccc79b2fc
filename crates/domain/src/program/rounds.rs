//! 사업/회차: a program round. An operator opens it with seats in total, per 시도 and per track;
//! diagnosed merchants apply; the operator decides. Applicants are ranked by their diagnosis
//! (product + online score, then product score, then who applied first) and taken in rank order
//! while the total, their 시도's seats and their track's seats all have room. Every decision
//! carries its explanation: the rank, and which quota admitted or stopped the applicant.

use std::collections::HashMap;

use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::region::RegionCode;
use crate::kernel::text;
use crate::kernel::time::Timestamp;
use crate::merchants::diagnosis::Track;
use crate::merchants::merchant::MerchantId;

pub const NAME_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoundId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundStatus {
    /// Taking applications.
    Open,
    /// Selection done; outcomes visible to merchants.
    Decided,
}

impl RoundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Open => "open",
            RoundStatus::Decided => "decided",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(RoundStatus::Open),
            "decided" => Some(RoundStatus::Decided),
            _ => None,
        }
    }
}

/// Seats of a round: in total, and optionally per 시도 and per track (a 시도 or track not named
/// has no seats of its own, only the total).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quotas {
    pub total: u32,
    pub by_sido: Vec<(RegionCode, u32)>,
    pub by_track: Vec<(Track, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: RoundId,
    pub name: String,
    pub status: RoundStatus,
    pub quotas: Quotas,
    pub created_at: Timestamp,
}

/// What staff type to open a round.
#[derive(Debug, Clone, Default)]
pub struct RoundInput {
    pub name: String,
    pub total: String,
    /// (시도 code, seats) as typed; empty seats are skipped.
    pub by_sido: Vec<(String, String)>,
    /// (track, seats) as typed; empty seats are skipped.
    pub by_track: Vec<(String, String)>,
}

fn seats(input: &str, field: &str) -> Result<Option<u32>, FieldError> {
    let input = input.trim().replace(',', "");
    if input.is_empty() {
        return Ok(None);
    }
    match input.parse::<u32>() {
        Ok(n) if n <= 1_000_000 => Ok(Some(n)),
        _ => Err(FieldError::new(field, "error-seats-invalid")),
    }
}

impl RoundInput {
    pub fn validate(&self) -> Result<(String, Quotas), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = text::clean(&self.name);
        if name.is_empty() {
            errors.push("name", "error-required");
        } else if text::longer_than(&name, NAME_MAX_CHARS) {
            errors.push("name", "error-too-long");
        }
        let total = match seats(&self.total, "total") {
            Ok(Some(n)) if n > 0 => n,
            Ok(_) => {
                errors.push("total", "error-required");
                0
            }
            Err(e) => {
                errors.0.push(e);
                0
            }
        };
        let mut quotas = Quotas {
            total,
            ..Quotas::default()
        };
        for (code, typed) in &self.by_sido {
            let field = format!("sido.{code}");
            if let Some(n) = errors.check(seats(typed, &field)).flatten() {
                match RegionCode::parse(code, &field) {
                    Ok(region) if region.as_str().len() == 2 => quotas.by_sido.push((region, n)),
                    _ => errors.push(field, "error-region-unknown"),
                }
            }
        }
        for (track, typed) in &self.by_track {
            let field = format!("track.{track}");
            if let Some(n) = errors.check(seats(typed, &field)).flatten() {
                match Track::parse(track, &field) {
                    Ok(track) => quotas.by_track.push((track, n)),
                    Err(e) => errors.0.push(e),
                }
            }
        }
        errors.into_result()?;
        Ok((name, quotas))
    }
}

/// One applicant as the selection sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub merchant: MerchantId,
    pub sido: RegionCode,
    pub track: Track,
    pub product_score: u32,
    pub online_score: u32,
    pub applied_at: Timestamp,
}

/// Why an applicant was or was not selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Selected within every quota.
    Selected,
    /// All seats of the round were taken by higher-ranked applicants.
    TotalFull,
    /// The seats of their 시도 were taken.
    SidoFull(RegionCode),
    /// The seats of their track were taken.
    TrackFull(Track),
}

impl Reason {
    /// The message key explaining it.
    pub fn key(&self) -> &'static str {
        match self {
            Reason::Selected => "decision-selected",
            Reason::TotalFull => "decision-total-full",
            Reason::SidoFull(_) => "decision-sido-full",
            Reason::TrackFull(_) => "decision-track-full",
        }
    }
    pub fn selected(&self) -> bool {
        matches!(self, Reason::Selected)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub merchant: MerchantId,
    /// 1 is the best.
    pub rank: u32,
    pub reason: Reason,
}

/// An application as stored, with its decision once made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub round: RoundId,
    pub applicant: Applicant,
    pub merchant_name: String,
    pub decision: Option<Decision>,
}

impl Reason {
    pub fn as_str(&self) -> &'static str {
        match self {
            Reason::Selected => "selected",
            Reason::TotalFull => "total_full",
            Reason::SidoFull(_) => "sido_full",
            Reason::TrackFull(_) => "track_full",
        }
    }
    /// From storage, with the applicant's own 시도 and track for the details.
    pub fn from_stored(s: &str, applicant: &Applicant) -> Option<Reason> {
        Some(match s {
            "selected" => Reason::Selected,
            "total_full" => Reason::TotalFull,
            "sido_full" => Reason::SidoFull(applicant.sido.clone()),
            "track_full" => Reason::TrackFull(applicant.track),
            _ => return None,
        })
    }
}

/// Ranks and selects. Deterministic: the same applicants always give the same decisions.
pub fn select(quotas: &Quotas, applicants: &[Applicant]) -> Vec<Decision> {
    let mut ranked: Vec<&Applicant> = applicants.iter().collect();
    ranked.sort_by(|a, b| {
        (b.product_score + b.online_score)
            .cmp(&(a.product_score + a.online_score))
            .then(b.product_score.cmp(&a.product_score))
            .then(a.applied_at.cmp(&b.applied_at))
            .then(a.merchant.cmp(&b.merchant))
    });
    let sido_seats: HashMap<&RegionCode, u32> =
        quotas.by_sido.iter().map(|(r, n)| (r, *n)).collect();
    let track_seats: HashMap<Track, u32> = quotas.by_track.iter().map(|(t, n)| (*t, *n)).collect();
    let mut taken_total = 0u32;
    let mut taken_sido: HashMap<&RegionCode, u32> = HashMap::new();
    let mut taken_track: HashMap<Track, u32> = HashMap::new();
    ranked
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let sido_full = sido_seats
                .get(&a.sido)
                .is_some_and(|n| taken_sido.get(&a.sido).copied().unwrap_or(0) >= *n);
            let track_full = track_seats
                .get(&a.track)
                .is_some_and(|n| taken_track.get(&a.track).copied().unwrap_or(0) >= *n);
            let reason = if taken_total >= quotas.total {
                Reason::TotalFull
            } else if sido_full {
                Reason::SidoFull(a.sido.clone())
            } else if track_full {
                Reason::TrackFull(a.track)
            } else {
                taken_total += 1;
                *taken_sido.entry(&a.sido).or_default() += 1;
                *taken_track.entry(a.track).or_default() += 1;
                Reason::Selected
            };
            Decision {
                merchant: a.merchant,
                rank: i as u32 + 1,
                reason,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applicant(
        id: i64,
        sido: &str,
        track: Track,
        product: u32,
        online: u32,
        at: i64,
    ) -> Applicant {
        Applicant {
            merchant: MerchantId(id),
            sido: RegionCode::parse(sido, "s").unwrap(),
            track,
            product_score: product,
            online_score: online,
            applied_at: Timestamp::from_unix_ms(at),
        }
    }

    fn outcome(decisions: &[Decision]) -> Vec<(i64, u32, &'static str)> {
        let mut out: Vec<_> = decisions
            .iter()
            .map(|d| (d.merchant.0, d.rank, d.reason.key()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn higher_scores_are_taken_first_within_the_total() {
        let quotas = Quotas {
            total: 2,
            ..Quotas::default()
        };
        let applicants = [
            applicant(1, "52", Track::Channel, 60, 60, 1),
            applicant(2, "52", Track::Channel, 90, 80, 2),
            applicant(3, "11", Track::Managed, 80, 30, 3),
        ];
        assert_eq!(
            outcome(&select(&quotas, &applicants)),
            [
                (1, 2, "decision-selected"),
                (2, 1, "decision-selected"),
                (3, 3, "decision-total-full")
            ]
        );
    }

    #[test]
    fn a_full_sido_or_track_stops_an_applicant_but_not_the_next() {
        let quotas = Quotas {
            total: 10,
            by_sido: vec![(RegionCode::parse("52", "s").unwrap(), 1)],
            by_track: vec![(Track::Managed, 1)],
        };
        let applicants = [
            applicant(1, "52", Track::Channel, 90, 90, 1),
            applicant(2, "52", Track::Channel, 80, 80, 1),
            applicant(3, "11", Track::Managed, 70, 40, 1),
            applicant(4, "11", Track::Managed, 60, 40, 1),
            applicant(5, "11", Track::Channel, 50, 50, 1),
        ];
        let decisions = select(&quotas, &applicants);
        assert_eq!(
            outcome(&decisions),
            [
                (1, 1, "decision-selected"),
                (2, 2, "decision-sido-full"),
                (3, 3, "decision-selected"),
                (4, 4, "decision-track-full"),
                (5, 5, "decision-selected"),
            ]
        );
    }

    #[test]
    fn ties_go_to_the_stronger_product_then_the_earlier_application() {
        let quotas = Quotas {
            total: 1,
            ..Quotas::default()
        };
        let applicants = [
            applicant(1, "11", Track::Channel, 50, 70, 1),
            applicant(2, "11", Track::Channel, 70, 50, 2),
        ];
        assert_eq!(select(&quotas, &applicants)[0].merchant, MerchantId(2));
        let applicants = [
            applicant(1, "11", Track::Channel, 60, 60, 5),
            applicant(2, "11", Track::Channel, 60, 60, 2),
        ];
        assert_eq!(select(&quotas, &applicants)[0].merchant, MerchantId(2));
    }

    #[test]
    fn never_more_selected_than_any_quota_allows() {
        // Many applicants, small quotas: no quota is ever exceeded.
        let quotas = Quotas {
            total: 7,
            by_sido: vec![(RegionCode::parse("11", "s").unwrap(), 3)],
            by_track: vec![(Track::Education, 2)],
        };
        let tracks = [Track::Channel, Track::Managed, Track::Education];
        let applicants: Vec<_> = (0..60)
            .map(|i| {
                applicant(
                    i,
                    if i % 2 == 0 { "11" } else { "26" },
                    tracks[i as usize % 3],
                    (i * 7 % 100) as u32,
                    (i * 13 % 100) as u32,
                    i,
                )
            })
            .collect();
        let chosen: Vec<_> = select(&quotas, &applicants)
            .into_iter()
            .filter(|d| d.reason.selected())
            .collect();
        let of = |pred: &dyn Fn(&Applicant) -> bool| {
            chosen
                .iter()
                .filter(|d| {
                    pred(
                        applicants
                            .iter()
                            .find(|a| a.merchant == d.merchant)
                            .unwrap(),
                    )
                })
                .count()
        };
        assert_eq!(chosen.len(), 7);
        assert!(of(&|a| a.sido.as_str() == "11") <= 3);
        assert!(of(&|a| a.track == Track::Education) <= 2);
    }

    #[test]
    fn round_forms_are_checked() {
        let input = RoundInput {
            name: "2027 온라인 판로지원 1차".into(),
            total: "1,000".into(),
            by_sido: vec![
                ("52".into(), "100".into()),
                ("11".into(), "".into()),
                ("99".into(), "5".into()),
            ],
            by_track: vec![("managed".into(), "-3".into())],
        };
        let errors = input.validate().unwrap_err();
        let fields: Vec<_> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("sido.99", "error-region-unknown"),
                ("track.managed", "error-seats-invalid")
            ]
        );
        let ok = RoundInput {
            by_sido: vec![("52".into(), "100".into())],
            by_track: vec![],
            ..input
        };
        let (name, quotas) = ok.validate().unwrap();
        assert_eq!(
            (name.as_str(), quotas.total, quotas.by_sido.len()),
            ("2027 온라인 판로지원 1차", 1000, 1)
        );
    }
}

use crate::accounts::{Role, User};
use crate::kernel::audit::Actor;
use crate::ports::{Clock, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum RoundError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The round no longer takes applications, or was decided already.
    #[error("round closed")]
    Closed,
    #[error("already applied")]
    AlreadyApplied,
    /// The merchant has not registered a shop.
    #[error("no shop")]
    NoShop,
    /// The merchant has not taken the diagnosis the ranking needs.
    #[error("not diagnosed")]
    NotDiagnosed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RoundError {
    /// The message key for people.
    pub fn key(&self) -> &'static str {
        match self {
            RoundError::Invalid(_) => "form-has-errors",
            RoundError::Forbidden => "error-forbidden",
            RoundError::NotFound => "error-not-found",
            RoundError::Closed => "error-round-closed",
            RoundError::AlreadyApplied => "error-round-applied",
            RoundError::NoShop => "error-round-no-shop",
            RoundError::NotDiagnosed => "error-round-not-diagnosed",
            RoundError::Store(_) => "error-internal",
        }
    }
}

/// The round use cases.
pub struct Program<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl Program<'_> {
    /// Every round, newest first (any signed-in user: merchants apply to the open ones).
    pub async fn rounds(&self) -> Result<Vec<Round>, StoreError> {
        self.store.rounds().await
    }

    /// The applications of `user`'s own shop (none for other roles or before registering).
    pub async fn own_applications(&self, user: &User) -> Result<Vec<Application>, StoreError> {
        if user.role != Role::Merchant {
            return Ok(Vec::new());
        }
        match self.store.merchant_of_owner(user.id).await? {
            Some(shop) => self.store.applications_of(shop.id).await,
            None => Ok(Vec::new()),
        }
    }

    /// A round with its applications (staff).
    pub async fn round_with_applications(
        &self,
        user: &User,
        id: RoundId,
    ) -> Result<(Round, Vec<Application>), RoundError> {
        if !user.role.is_staff() {
            return Err(RoundError::Forbidden);
        }
        let round = self.store.round(id).await?.ok_or(RoundError::NotFound)?;
        let applications = self.store.applications(id).await?;
        Ok((round, applications))
    }

    pub async fn open(
        &self,
        user: &User,
        input: &RoundInput,
        actor: &Actor,
    ) -> Result<Round, RoundError> {
        if !user.role.is_staff() {
            return Err(RoundError::Forbidden);
        }
        let (name, quotas) = input.validate().map_err(RoundError::Invalid)?;
        let audit = actor.entry(
            self.clock.now(),
            "round.open",
            "",
            format!("total={}", quotas.total),
        );
        Ok(self
            .store
            .create_round(&name, &quotas, user.id, &audit)
            .await?)
    }

    /// A merchant applies with their shop and its latest diagnosis.
    pub async fn apply(
        &self,
        user: &User,
        round: RoundId,
        actor: &Actor,
    ) -> Result<(), RoundError> {
        if user.role != Role::Merchant {
            return Err(RoundError::Forbidden);
        }
        let shop = self
            .store
            .merchant_of_owner(user.id)
            .await?
            .ok_or(RoundError::NoShop)?;
        self.enter(round, &shop, actor, "round.apply").await
    }

    /// A local-government officer nominates a merchant of their region into an open round; the
    /// application is the merchant's as if they had applied (their diagnosis decides the rank).
    pub async fn nominate(
        &self,
        user: &User,
        round: RoundId,
        merchant: MerchantId,
        actor: &Actor,
    ) -> Result<(), RoundError> {
        let Some(area) = user.region.as_ref().filter(|_| user.role == Role::LocalGov) else {
            return Err(RoundError::Forbidden);
        };
        let shop = self
            .store
            .merchant(merchant)
            .await?
            .ok_or(RoundError::NotFound)?;
        if !area.contains(&shop.region) {
            return Err(RoundError::NotFound);
        }
        self.enter(round, &shop, actor, "round.nominate").await
    }

    /// Puts `shop` into `round` with its diagnosis snapshotted.
    async fn enter(
        &self,
        round: RoundId,
        shop: &crate::merchants::merchant::Merchant,
        actor: &Actor,
        action: &str,
    ) -> Result<(), RoundError> {
        let round = self.store.round(round).await?.ok_or(RoundError::NotFound)?;
        if round.status != RoundStatus::Open {
            return Err(RoundError::Closed);
        }
        let diagnosis = self
            .store
            .latest_diagnosis(shop.id)
            .await?
            .ok_or(RoundError::NotDiagnosed)?;
        let applicant = Applicant {
            merchant: shop.id,
            sido: shop.region.sido(),
            // An operator's override counts: the track the merchant has now.
            track: shop.track.unwrap_or(diagnosis.assessment.track),
            product_score: diagnosis.assessment.product_score,
            online_score: diagnosis.assessment.online_score,
            applied_at: self.clock.now(),
        };
        let audit = actor.entry(
            applicant.applied_at,
            action,
            format!("round:{}", round.id.0),
            format!("merchant={}", shop.id.0),
        );
        match self.store.apply(round.id, &applicant, &audit).await {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict("application")) => Err(RoundError::AlreadyApplied),
            Err(other) => Err(other.into()),
        }
    }

    /// Ranks the applicants and selects within the quotas; the decisions are final.
    pub async fn decide(
        &self,
        user: &User,
        round: RoundId,
        actor: &Actor,
    ) -> Result<Vec<Decision>, RoundError> {
        if !user.role.is_staff() {
            return Err(RoundError::Forbidden);
        }
        let round = self.store.round(round).await?.ok_or(RoundError::NotFound)?;
        if round.status != RoundStatus::Open {
            return Err(RoundError::Closed);
        }
        let applicants: Vec<Applicant> = self
            .store
            .applications(round.id)
            .await?
            .into_iter()
            .map(|a| a.applicant)
            .collect();
        let decisions = select(&round.quotas, &applicants);
        let chosen = decisions.iter().filter(|d| d.reason.selected()).count();
        let audit = actor.entry(
            self.clock.now(),
            "round.decide",
            format!("round:{}", round.id.0),
            format!("applicants={} selected={chosen}", decisions.len()),
        );
        match self
            .store
            .record_decisions(round.id, &decisions, &audit)
            .await
        {
            Ok(()) => Ok(decisions),
            Err(StoreError::Conflict("round")) => Err(RoundError::Closed),
            Err(other) => Err(other.into()),
        }
    }
}
