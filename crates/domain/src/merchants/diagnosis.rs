//! 진단: a short questionnaire that scores product competitiveness and online capability (each
//! 0–100) and recommends one of three tracks, with reasons a shop owner can read:
//! - `channel`: a good product and the skills and time to run it — onboard with help;
//! - `managed` (전담 셀러): a good product but weak online skills — a designer runs the shop;
//! - `education`: the product is not ready for online competition yet — learn first.
//!
//! Operators may override the track with a written reason; every change is kept. An operator's
//! decision stands until an operator changes it: a shop may retake the diagnosis (once a day),
//! and every diagnosis is kept, but a retake's recommendation is shown beside the standing
//! decision instead of replacing it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::text;

/// A product or online score at or above this counts as strong.
pub const STRONG: u32 = 50;
pub const OVERRIDE_REASON_MAX_CHARS: usize = 500;
/// A shop takes the diagnosis again at most once in this long.
pub const RETAKE_INTERVAL_SECONDS: i64 = 24 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    Channel,
    Managed,
    Education,
}

impl Track {
    pub const ALL: [Track; 3] = [Track::Channel, Track::Managed, Track::Education];
    pub fn as_str(self) -> &'static str {
        match self {
            Track::Channel => "channel",
            Track::Managed => "managed",
            Track::Education => "education",
        }
    }
    pub fn parse(input: &str, field: &str) -> Result<Track, FieldError> {
        Track::ALL
            .into_iter()
            .find(|t| t.as_str() == input.trim())
            .ok_or_else(|| FieldError::new(field, "error-track-invalid"))
    }
}

/// Which score a question feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Product,
    Online,
}

/// One question: its id (a form field and a message key `q-{id}`), its axis, and its answers
/// with their points (message keys `q-{id}-{answer}`), weakest first.
pub struct Question {
    pub id: &'static str,
    pub axis: Axis,
    pub answers: &'static [(&'static str, u32)],
}

/// The questionnaire. Each axis sums to 100 at most.
pub const QUESTIONS: [Question; 10] = [
    Question {
        id: "uniqueness",
        axis: Axis::Product,
        answers: &[
            ("common", 0),
            ("known_locally", 12),
            ("hard_to_find", 20),
            ("own_recipe", 25),
        ],
    },
    Question {
        id: "quality_evidence",
        axis: Axis::Product,
        answers: &[("none", 0), ("reviews", 10), ("certified", 20)],
    },
    Question {
        id: "price_position",
        axis: Axis::Product,
        answers: &[("higher", 5), ("similar", 10), ("lower", 15)],
    },
    Question {
        id: "supply_capacity",
        axis: Axis::Product,
        answers: &[("few_a_day", 0), ("can_grow", 12), ("volume", 20)],
    },
    Question {
        id: "photos",
        axis: Axis::Product,
        answers: &[("none", 0), ("phone", 12), ("professional", 20)],
    },
    Question {
        id: "smartphone",
        axis: Axis::Online,
        answers: &[("calls_only", 0), ("apps", 15), ("photos_sns", 25)],
    },
    Question {
        id: "pc",
        axis: Axis::Online,
        answers: &[("none", 0), ("basic", 10), ("comfortable", 20)],
    },
    Question {
        id: "channels",
        axis: Axis::Online,
        answers: &[("none", 0), ("sns", 12), ("marketplace", 25)],
    },
    Question {
        id: "weekly_hours",
        axis: Axis::Online,
        answers: &[("under_2", 0), ("2_to_5", 10), ("over_5", 15)],
    },
    Question {
        id: "operator",
        axis: Axis::Online,
        answers: &[("nobody", 0), ("family_or_staff", 10), ("myself", 15)],
    },
];

/// Answers by question id.
pub type Answers = BTreeMap<String, String>;

/// A scored diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub answers: Answers,
    pub product_score: u32,
    pub online_score: u32,
    pub track: Track,
    /// Message keys explaining the track, most important first.
    pub reasons: Vec<&'static str>,
}

/// Checks that every question has one of its answers, then scores.
pub fn assess(answers: &Answers) -> Result<Assessment, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let (mut product, mut online) = (0u32, 0u32);
    let mut weakest: Vec<(&'static str, u32, u32)> = Vec::new(); // (question, points, max)
    for question in &QUESTIONS {
        let field = format!("answers.{}", question.id);
        match answers.get(question.id).map(|a| a.trim()) {
            None | Some("") => errors.push(field, "error-required"),
            Some(answer) => match question.answers.iter().find(|(id, _)| *id == answer) {
                None => errors.push(field, "error-answer-invalid"),
                Some((_, points)) => {
                    match question.axis {
                        Axis::Product => product += points,
                        Axis::Online => online += points,
                    }
                    let max = question.answers.iter().map(|(_, p)| *p).max().unwrap_or(0);
                    weakest.push((question.id, *points, max));
                }
            },
        }
    }
    errors.into_result()?;
    let track = if product < STRONG {
        Track::Education
    } else if online < STRONG {
        Track::Managed
    } else {
        Track::Channel
    };
    let mut reasons = vec![match track {
        Track::Channel => "reason-channel",
        Track::Managed => "reason-managed",
        Track::Education => "reason-education",
    }];
    // Then the answers that cost the most points, for what to work on.
    weakest.sort_by_key(|(_, points, max)| std::cmp::Reverse(max - points));
    reasons.extend(
        weakest
            .iter()
            .filter(|(_, points, max)| max - points >= 10)
            .take(3)
            .filter_map(|(id, _, _)| {
                WEAKNESS_REASONS
                    .iter()
                    .find(|(q, _)| q == id)
                    .map(|(_, key)| *key)
            }),
    );
    let answers = answers
        .iter()
        .filter(|(k, _)| QUESTIONS.iter().any(|q| q.id == k.as_str()))
        .map(|(k, v)| (k.clone(), v.trim().to_owned()))
        .collect();
    Ok(Assessment {
        answers,
        product_score: product,
        online_score: online,
        track,
        reasons,
    })
}

/// What to work on, per question, when its answer scored low.
pub const WEAKNESS_REASONS: [(&str, &str); 10] = [
    ("uniqueness", "reason-weak-uniqueness"),
    ("quality_evidence", "reason-weak-quality"),
    ("price_position", "reason-weak-price"),
    ("supply_capacity", "reason-weak-supply"),
    ("photos", "reason-weak-photos"),
    ("smartphone", "reason-weak-smartphone"),
    ("pc", "reason-weak-pc"),
    ("channels", "reason-weak-channels"),
    ("weekly_hours", "reason-weak-time"),
    ("operator", "reason-weak-operator"),
];

/// A stored diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosisRecord {
    pub id: i64,
    pub assessment: Assessment,
    pub created_at: crate::kernel::time::Timestamp,
}

/// A diagnosis as taken: the record, and the shop's track after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosed {
    pub record: DiagnosisRecord,
    /// The shop's track now: the recommendation, or an operator's decision that stands.
    pub track: Track,
    /// Whether `track` is an operator's decision the recommendation did not replace.
    pub operator_decided: bool,
}

/// When a shop diagnosed at `previous` may take the diagnosis again.
pub fn next_retake_at(previous: crate::kernel::time::Timestamp) -> crate::kernel::time::Timestamp {
    previous.plus_seconds(RETAKE_INTERVAL_SECONDS)
}

/// Whether a new diagnosis's recommendation becomes the shop's track, given where its latest
/// change of track came from: yes, unless an operator's override stands. Only an operator
/// changes an operator's decision. The store applies this in the transaction that records the
/// diagnosis, so an override made meanwhile is not lost.
pub fn recommendation_sets_track(latest_change: Option<TrackSource>) -> bool {
    latest_change != Some(TrackSource::Override)
}

/// Where a track change came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackSource {
    Diagnosis,
    Override,
}

impl TrackSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackSource::Diagnosis => "diagnosis",
            TrackSource::Override => "override",
        }
    }
    /// The stored form; None for anything else.
    pub fn parse(stored: &str) -> Option<TrackSource> {
        [TrackSource::Diagnosis, TrackSource::Override]
            .into_iter()
            .find(|s| s.as_str() == stored)
    }
}

/// One entry of a merchant's track history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackChange {
    pub track: Track,
    pub source: TrackSource,
    pub reason: Option<String>,
    pub changed_by: Option<String>,
    pub changed_at: crate::kernel::time::Timestamp,
}

/// An operator's written reason for overriding a track: required, at most 500 characters.
pub fn override_reason(input: &str) -> Result<String, FieldError> {
    let reason = text::clean(input);
    if reason.is_empty() {
        Err(FieldError::new("reason", "error-required"))
    } else if text::longer_than(&reason, OVERRIDE_REASON_MAX_CHARS) {
        Err(FieldError::new("reason", "error-reason-too-long"))
    } else {
        Ok(reason)
    }
}

/// Answers as stored: `question=answer` pairs joined by `;`.
pub fn encode_answers(answers: &Answers) -> String {
    answers
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(";")
}

pub fn decode_answers(stored: &str) -> Answers {
    stored
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn all_best() -> Answers {
        QUESTIONS
            .iter()
            .map(|q| (q.id.to_owned(), q.answers.last().unwrap().0.to_owned()))
            .collect()
    }

    #[test]
    fn each_axis_sums_to_one_hundred_at_best() {
        let best = assess(&all_best()).unwrap();
        assert_eq!(
            (best.product_score, best.online_score, best.track),
            (100, 100, Track::Channel)
        );
        assert_eq!(best.reasons, ["reason-channel"], "nothing to work on");
    }

    #[test]
    fn a_good_product_with_weak_skills_gets_a_managed_seller() {
        let mut a = all_best();
        for (q, v) in [
            ("smartphone", "calls_only"),
            ("pc", "none"),
            ("channels", "none"),
        ] {
            a.insert(q.into(), v.into());
        }
        let result = assess(&a).unwrap();
        assert_eq!(result.online_score, 30);
        assert_eq!(result.track, Track::Managed);
        assert_eq!(result.reasons[0], "reason-managed");
        assert!(
            result.reasons.contains(&"reason-weak-smartphone")
                && result.reasons.contains(&"reason-weak-channels")
        );
    }

    #[test]
    fn a_product_not_ready_means_learning_first_whatever_the_skills() {
        let mut a = all_best();
        for (q, v) in [
            ("uniqueness", "common"),
            ("quality_evidence", "none"),
            ("photos", "none"),
        ] {
            a.insert(q.into(), v.into());
        }
        let result = assess(&a).unwrap();
        assert_eq!((result.product_score, result.track), (35, Track::Education));
        assert_eq!(
            result.reasons[..2],
            ["reason-education", "reason-weak-uniqueness"]
        );
    }

    #[test]
    fn the_track_changes_exactly_at_the_threshold() {
        // Product 50 exactly: uniqueness 25 + quality 10 + price 15 + supply 0 + photos 0.
        let mut a = all_best();
        for (q, v) in [
            ("quality_evidence", "reviews"),
            ("supply_capacity", "few_a_day"),
            ("photos", "none"),
        ] {
            a.insert(q.into(), v.into());
        }
        assert_eq!(assess(&a).unwrap().product_score, 50);
        assert_eq!(assess(&a).unwrap().track, Track::Channel);
        a.insert("price_position".into(), "similar".into());
        assert_eq!(assess(&a).unwrap().track, Track::Education);
    }

    #[test]
    fn missing_and_unknown_answers_are_field_errors() {
        let errors = assess(&answers(&[("uniqueness", "magic")])).unwrap_err();
        assert_eq!(errors.0.len(), 10);
        assert_eq!(errors.0[0].field, "answers.uniqueness");
        assert_eq!(errors.0[0].code, "error-answer-invalid");
        assert_eq!(errors.0[1].code, "error-required");
    }

    #[test]
    fn answers_survive_storage() {
        let a = all_best();
        assert_eq!(decode_answers(&encode_answers(&a)), a);
    }

    #[test]
    fn an_operators_override_stands_against_a_new_recommendation() {
        assert!(recommendation_sets_track(None), "the first diagnosis");
        assert!(recommendation_sets_track(Some(TrackSource::Diagnosis)));
        assert!(!recommendation_sets_track(Some(TrackSource::Override)));
        for source in [TrackSource::Diagnosis, TrackSource::Override] {
            assert_eq!(TrackSource::parse(source.as_str()), Some(source));
        }
    }

    #[test]
    fn a_retake_waits_a_day() {
        let at = crate::kernel::time::Timestamp::from_unix_ms(1_000);
        assert_eq!(next_retake_at(at), at.plus_seconds(24 * 3600));
    }

    #[test]
    fn override_reasons_are_required_and_bounded() {
        assert_eq!(override_reason("  ").unwrap_err().code, "error-required");
        assert_eq!(
            override_reason(&"가".repeat(501)).unwrap_err().code,
            "error-reason-too-long"
        );
        assert_eq!(
            override_reason(" 사장님 요청: 직접 운영 희망 ").unwrap(),
            "사장님 요청: 직접 운영 희망"
        );
    }
}
