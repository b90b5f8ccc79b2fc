//! Picks (MD 추천): a merchandiser picks a pooled product for a purpose on their marketplace;
//! the shop accepts or declines. An accepted pick puts the shop's onboarding card for that
//! marketplace on the board (or brings it back from 보류), and from then on the pick is followed
//! through the data Gachi already keeps: the product sent and taken by the marketplace
//! (listed), the card on sale (판매중), and the first month of sales the shop reports there.

use crate::accounts::UserId;
use crate::catalog::product::ProductId;
use crate::kernel::channel::Channel;
use crate::kernel::error::ValidationErrors;
use crate::kernel::text;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;
use crate::results::Month;

/// The longest note an MD may leave with a pick, in characters.
pub const NOTE_MAX_CHARS: usize = 500;

/// What the MD picked the product for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// 기획전.
    Promotion,
    /// 타임딜.
    TimeDeal,
    /// 라이브커머스.
    Live,
    /// 일반 입점.
    Regular,
}

impl Purpose {
    pub const ALL: [Purpose; 4] = [
        Purpose::Promotion,
        Purpose::TimeDeal,
        Purpose::Live,
        Purpose::Regular,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Purpose::Promotion => "promotion",
            Purpose::TimeDeal => "time_deal",
            Purpose::Live => "live",
            Purpose::Regular => "regular",
        }
    }

    pub fn parse(code: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.code() == code.trim())
    }
}

/// Where the shop stands on a pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    Proposed,
    Accepted,
    Declined,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Proposed => "proposed",
            Decision::Accepted => "accepted",
            Decision::Declined => "declined",
        }
    }

    pub fn parse(code: &str) -> Option<Decision> {
        [Decision::Proposed, Decision::Accepted, Decision::Declined]
            .into_iter()
            .find(|d| d.code() == code)
    }
}

/// A pick as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub id: i64,
    pub product: ProductId,
    pub product_name: String,
    pub merchant: MerchantId,
    pub merchant_name: String,
    pub md: UserId,
    pub md_name: String,
    pub channel: Channel,
    pub purpose: Purpose,
    pub note: String,
    pub decision: Decision,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
}

/// A pick to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPick {
    pub product: ProductId,
    pub merchant: MerchantId,
    pub md: UserId,
    pub channel: Channel,
    pub purpose: Purpose,
    pub note: String,
    pub created_at: Timestamp,
}

/// A pick as typed in the MD's form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct PickInput {
    pub product_id: i64,
    pub channel: String,
    pub purpose: String,
    pub note: String,
}

/// The checked parts of a pick's input.
pub fn check_input(input: &PickInput) -> Result<(Channel, Purpose, String), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let channel = errors.check(Channel::parse_field(&input.channel, "channel"));
    let purpose = Purpose::parse(&input.purpose);
    if purpose.is_none() {
        errors.push("purpose", "error-pick-purpose");
    }
    let note = text::clean(&input.note);
    if text::longer_than(&note, NOTE_MAX_CHARS) {
        errors.push("note", "error-too-long");
    }
    errors.into_result()?;
    Ok((
        channel.expect("checked above"),
        purpose.expect("checked above"),
        note,
    ))
}

/// How far an accepted pick has come, each step with when it happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub accepted_at: Option<Timestamp>,
    /// The marketplace took the product (a submission answered "created") after the pick.
    pub listed_at: Option<Timestamp>,
    /// The shop's card for the marketplace is 판매중.
    pub on_sale_since: Option<Timestamp>,
    /// The first month, from the pick's month on, with sales reported on the marketplace.
    pub first_sales: Option<Month>,
}

/// The furthest step of a pick's life, for funnels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Proposed,
    Declined,
    Accepted,
    Listed,
    OnSale,
    Selling,
}

impl Step {
    /// The funnel's steps in order (a declined pick leaves the funnel).
    pub const FUNNEL: [Step; 5] = [
        Step::Proposed,
        Step::Accepted,
        Step::Listed,
        Step::OnSale,
        Step::Selling,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Step::Proposed => "proposed",
            Step::Declined => "declined",
            Step::Accepted => "accepted",
            Step::Listed => "listed",
            Step::OnSale => "on_sale",
            Step::Selling => "first_sales",
        }
    }
}

impl Progress {
    pub fn step(&self, decision: Decision) -> Step {
        match decision {
            Decision::Proposed => Step::Proposed,
            Decision::Declined => Step::Declined,
            Decision::Accepted if self.first_sales.is_some() => Step::Selling,
            Decision::Accepted if self.on_sale_since.is_some() => Step::OnSale,
            Decision::Accepted if self.listed_at.is_some() => Step::Listed,
            Decision::Accepted => Step::Accepted,
        }
    }
}

/// A pick with how far it has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowedPick {
    pub pick: Pick,
    pub progress: Progress,
    pub step: Step,
}

/// How many picks reached each step of the funnel (a pick counts at its step and every step
/// before it), in `Step::FUNNEL` order; declined picks apart.
pub fn funnel(picks: &[FollowedPick]) -> (Vec<(Step, usize)>, usize) {
    let declined = picks.iter().filter(|p| p.step == Step::Declined).count();
    let counts = Step::FUNNEL
        .into_iter()
        .map(|step| {
            let reached = picks
                .iter()
                .filter(|p| p.step != Step::Declined && p.step >= step)
                .count();
            (step, reached)
        })
        .collect();
    (counts, declined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pick_needs_a_marketplace_and_a_purpose_and_a_short_note() {
        let ok = check_input(&PickInput {
            product_id: 1,
            channel: "coupang".into(),
            purpose: "time_deal".into(),
            note: "  추석 기획전에 좋겠습니다 ".into(),
        })
        .unwrap();
        assert_eq!(
            ok,
            (
                Channel::Coupang,
                Purpose::TimeDeal,
                "추석 기획전에 좋겠습니다".into()
            )
        );
        let errors = check_input(&PickInput {
            product_id: 1,
            channel: "amazon".into(),
            purpose: "free".into(),
            note: "가".repeat(NOTE_MAX_CHARS + 1),
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["channel", "purpose", "note"]);
    }

    #[test]
    fn progress_names_the_furthest_step_and_the_funnel_counts_each_step_reached() {
        let at = Timestamp::from_unix_ms(1);
        let listed = Progress {
            accepted_at: Some(at),
            listed_at: Some(at),
            ..Progress::default()
        };
        assert_eq!(listed.step(Decision::Accepted), Step::Listed);
        assert_eq!(listed.step(Decision::Declined), Step::Declined);
        let selling = Progress {
            first_sales: Some(Month {
                year: 2026,
                month: 5,
            }),
            ..listed.clone()
        };
        assert_eq!(selling.step(Decision::Accepted), Step::Selling);
        let followed = |step| FollowedPick {
            pick: Pick {
                id: 1,
                product: ProductId(1),
                product_name: String::new(),
                merchant: MerchantId(1),
                merchant_name: String::new(),
                md: UserId(1),
                md_name: String::new(),
                channel: Channel::Naver,
                purpose: Purpose::Regular,
                note: String::new(),
                decision: Decision::Accepted,
                created_at: at,
                decided_at: None,
            },
            progress: Progress::default(),
            step,
        };
        let picks = [
            followed(Step::Proposed),
            followed(Step::Declined),
            followed(Step::Listed),
            followed(Step::Selling),
        ];
        let (counts, declined) = funnel(&picks);
        assert_eq!(declined, 1);
        assert_eq!(
            counts,
            vec![
                (Step::Proposed, 3),
                (Step::Accepted, 2),
                (Step::Listed, 2),
                (Step::OnSale, 1),
                (Step::Selling, 1),
            ]
        );
    }
}
