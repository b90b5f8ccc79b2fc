//! Who reviews what, and who is selected.
//!
//! Reviewers are assigned by minimum-cost flow: every application gets its number of
//! reviewers, nobody more than their load limit, nobody reviewing a shop whose designer they
//! are; the cost of a reviewer's n-th application grows with n, so the work is spread as evenly
//! as the exclusions allow. When no assignment exists the shortfall is reported, not papered
//! over.
//!
//! Selection fills the season's seats by score within every quota (per 시도, per 업종 대분류);
//! first-time merchants get the reserved share first when enough apply. Ties go to first-timers,
//! then to the earlier application. Every application gets a reason the operator can read.

use std::collections::{BTreeMap, BTreeSet};

use crate::accounts::UserId;
use crate::kernel::flow::{NetworkBuilder, min_cost_max_flow};
use crate::kernel::time::Timestamp;

/// An application awaiting reviewers.
#[derive(Debug, Clone)]
pub struct ToReview {
    pub application: i64,
    /// Reviewers it already has.
    pub assigned: BTreeSet<UserId>,
    /// Reviewers who may not review it (the shop's designers).
    pub excluded: BTreeSet<UserId>,
}

/// New (application, reviewer) pairs so that every application has `per_application`
/// reviewers and nobody more than `load` in all; `Err(missing)` with the number of reviews that
/// cannot be placed.
pub fn assign_reviewers(
    applications: &[ToReview],
    reviewers: &[UserId],
    current_load: &BTreeMap<UserId, u32>,
    per_application: u32,
    load: u32,
) -> Result<Vec<(i64, UserId)>, u32> {
    let needed: Vec<u32> = applications
        .iter()
        .map(|a| per_application.saturating_sub(a.assigned.len() as u32))
        .collect();
    let total: u32 = needed.iter().sum();
    if total == 0 {
        return Ok(Vec::new());
    }
    let source = 0;
    let sink = 1;
    let app_node = |i: usize| 2 + i;
    let reviewer_node = |j: usize| 2 + applications.len() + j;
    let mut net = NetworkBuilder::default();
    let mut pair_arcs = Vec::new();
    let mut source_arcs = Vec::new();
    for (i, app) in applications.iter().enumerate() {
        if needed[i] == 0 {
            continue;
        }
        source_arcs.push(net.arc(source, app_node(i), i64::from(needed[i]), 0));
        for (j, r) in reviewers.iter().enumerate() {
            if !app.assigned.contains(r) && !app.excluded.contains(r) {
                pair_arcs.push((net.arc(app_node(i), reviewer_node(j), 1, 0), i, j));
            }
        }
    }
    for (j, r) in reviewers.iter().enumerate() {
        let used = current_load.get(r).copied().unwrap_or(0);
        // One arc per further application, each dearer than the last: convex cost spreads load.
        for n in used..load {
            net.arc(reviewer_node(j), sink, 1, i64::from(n));
        }
    }
    let nodes = 2 + applications.len() + reviewers.len();
    let mut network = net.build(nodes);
    min_cost_max_flow(&mut network, source, sink);
    let placed: i64 = source_arcs.iter().map(|a| network.flow(*a)).sum();
    let placed = placed as u32;
    if placed < total {
        return Err(total - placed);
    }
    Ok(pair_arcs
        .into_iter()
        .filter(|(arc, _, _)| network.flow(*arc) > 0)
        .map(|(_, i, j)| (applications[i].application, reviewers[j]))
        .collect())
}

/// An application as selection sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub application: i64,
    /// Weighted mean of submitted reviews, milli-points; None when nobody reviewed it.
    pub score: Option<i64>,
    pub first_time: bool,
    /// 시도 code (two digits).
    pub sido: String,
    /// 업종 대분류.
    pub industry: String,
    pub applied_at: Timestamp,
}

/// The quotas of a call.
#[derive(Debug, Clone, Copy)]
pub struct Quotas {
    pub total: u32,
    pub per_sido: Option<u32>,
    pub per_industry: Option<u32>,
    pub first_time_percent: u8,
}

/// What selection decided for one application, with the message key saying why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub application: i64,
    pub selected: bool,
    /// Place on the waitlist (1 first), for those reviewed but not selected.
    pub waitlist: Option<u32>,
    pub reason: &'static str,
}

/// Selects within the quotas; decisions in rank order (selected first, then the waitlist,
/// then the unreviewed).
pub fn select(candidates: &[Candidate], quotas: Quotas) -> Vec<Decision> {
    let mut ranked: Vec<&Candidate> = candidates.iter().filter(|c| c.score.is_some()).collect();
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.first_time.cmp(&a.first_time))
            .then(a.applied_at.cmp(&b.applied_at))
            .then(a.application.cmp(&b.application))
    });
    let reserved = (u64::from(quotas.total) * u64::from(quotas.first_time_percent)).div_ceil(100);
    let mut chosen: BTreeSet<i64> = BTreeSet::new();
    let mut per_sido: BTreeMap<String, u32> = BTreeMap::new();
    let mut per_industry: BTreeMap<String, u32> = BTreeMap::new();
    let mut blocked: BTreeMap<i64, &'static str> = BTreeMap::new();
    let mut take = |c: &Candidate,
                    chosen: &mut BTreeSet<i64>,
                    blocked: &mut BTreeMap<i64, &'static str>|
     -> bool {
        let sido = per_sido.get(c.sido.as_str()).copied().unwrap_or(0);
        let industry = per_industry.get(c.industry.as_str()).copied().unwrap_or(0);
        if quotas.per_sido.is_some_and(|cap| sido >= cap) {
            blocked.insert(c.application, "live-reason-sido-quota");
            return false;
        }
        if quotas.per_industry.is_some_and(|cap| industry >= cap) {
            blocked.insert(c.application, "live-reason-industry-quota");
            return false;
        }
        *per_sido.entry(c.sido.clone()).or_default() += 1;
        *per_industry.entry(c.industry.clone()).or_default() += 1;
        chosen.insert(c.application);
        true
    };
    // The first-time share first, then every seat left by rank.
    let mut first_timers = 0u64;
    for c in ranked.iter().filter(|c| c.first_time) {
        if first_timers >= reserved || chosen.len() as u32 >= quotas.total {
            break;
        }
        if take(c, &mut chosen, &mut blocked) {
            first_timers += 1;
        }
    }
    for c in &ranked {
        if chosen.len() as u32 >= quotas.total {
            break;
        }
        if !chosen.contains(&c.application) {
            blocked.remove(&c.application);
            take(c, &mut chosen, &mut blocked);
        }
    }
    let mut decisions = Vec::with_capacity(candidates.len());
    for c in ranked.iter().filter(|c| chosen.contains(&c.application)) {
        decisions.push(Decision {
            application: c.application,
            selected: true,
            waitlist: None,
            reason: if c.first_time && quotas.first_time_percent > 0 {
                "live-reason-selected-first-time"
            } else {
                "live-reason-selected"
            },
        });
    }
    let mut place = 0;
    for c in ranked.iter().filter(|c| !chosen.contains(&c.application)) {
        place += 1;
        decisions.push(Decision {
            application: c.application,
            selected: false,
            waitlist: Some(place),
            reason: blocked
                .get(&c.application)
                .copied()
                .unwrap_or("live-reason-total-quota"),
        });
    }
    for c in candidates.iter().filter(|c| c.score.is_none()) {
        decisions.push(Decision {
            application: c.application,
            selected: false,
            waitlist: None,
            reason: "live-reason-not-reviewed",
        });
    }
    decisions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: i64, score: i64, first: bool, sido: &str, industry: &str) -> Candidate {
        Candidate {
            application: id,
            score: Some(score),
            first_time: first,
            sido: sido.into(),
            industry: industry.into(),
            applied_at: Timestamp::from_unix_ms(id),
        }
    }

    #[test]
    fn every_application_gets_two_reviewers_within_load_and_never_its_designer() {
        let reviewers: Vec<UserId> = (1..=3).map(UserId).collect();
        let apps: Vec<ToReview> = (0..6)
            .map(|i| ToReview {
                application: i,
                assigned: BTreeSet::new(),
                excluded: if i == 0 {
                    [UserId(1)].into()
                } else {
                    BTreeSet::new()
                },
            })
            .collect();
        let pairs = assign_reviewers(&apps, &reviewers, &BTreeMap::new(), 2, 4).unwrap();
        assert_eq!(pairs.len(), 12);
        assert!(!pairs.contains(&(0, UserId(1))));
        for r in &reviewers {
            assert_eq!(pairs.iter().filter(|(_, x)| x == r).count(), 4);
        }
        for a in 0..6 {
            assert_eq!(pairs.iter().filter(|(x, _)| *x == a).count(), 2);
        }
    }

    #[test]
    fn a_shortfall_is_reported() {
        let reviewers = [UserId(1), UserId(2)];
        let apps: Vec<ToReview> = (0..3)
            .map(|i| ToReview {
                application: i,
                assigned: BTreeSet::new(),
                excluded: BTreeSet::new(),
            })
            .collect();
        assert_eq!(
            assign_reviewers(&apps, &reviewers, &BTreeMap::new(), 2, 2),
            Err(2)
        );
    }

    #[test]
    fn selection_keeps_quotas_and_reserves_first_timers() {
        let cands = vec![
            candidate(1, 4900, false, "11", "음식"),
            candidate(2, 4800, false, "11", "음식"),
            candidate(3, 4700, false, "11", "소매"),
            candidate(4, 4000, true, "26", "소매"),
            candidate(5, 3000, false, "26", "음식"),
            Candidate {
                score: None,
                ..candidate(6, 0, false, "26", "음식")
            },
        ];
        let decisions = select(
            &cands,
            Quotas {
                total: 4,
                per_sido: Some(2),
                per_industry: None,
                first_time_percent: 30,
            },
        );
        let selected: Vec<i64> = decisions
            .iter()
            .filter(|d| d.selected)
            .map(|d| d.application)
            .collect();
        // 4 takes a first-time seat; then 1 and 2; 3 is over the 서울 cap, so 5 gets the last seat.
        assert_eq!(selected, vec![1, 2, 4, 5]);
        let three = decisions.iter().find(|d| d.application == 3).unwrap();
        assert_eq!(three.reason, "live-reason-sido-quota");
        assert_eq!(three.waitlist, Some(1));
        let six = decisions.iter().find(|d| d.application == 6).unwrap();
        assert_eq!(six.reason, "live-reason-not-reviewed");
    }

    #[test]
    fn ties_go_to_first_timers_then_the_earlier_application() {
        let cands = vec![
            candidate(1, 4000, false, "11", "음식"),
            candidate(2, 4000, true, "11", "음식"),
            candidate(3, 4000, true, "11", "음식"),
        ];
        let decisions = select(
            &cands,
            Quotas {
                total: 1,
                per_sido: None,
                per_industry: None,
                first_time_percent: 0,
            },
        );
        assert!(decisions[0].selected && decisions[0].application == 2);
    }
}
