//! Matching 디지털 유통설계사 (designers) to merchants, optimally.
//!
//! **Hard rules.** A designer may take a merchant only in the same 시도 (the first two digits of
//! the region code), at a level at least the one needed (1급 takes anyone, 2급 only merchants
//! needing 2급; [`level_needed_for`] says which a track needs), within the designer's free places,
//! and never when the merchant declared a conflict of interest with that designer.
//!
//! **Soft cost.** Among allowed pairs, [`pair_cost`] adds four parts, weighted by the constants
//! below: the distance between the two 시군구, the designer's experience in the merchant's
//! industry, whether the merchant chose this designer, and the designer's verified outcome rate.
//!
//! **Continuity.** A merchant under a running delegation is not moved: in merchant id order, each
//! is kept with its current designer while that designer has a place left and the pair still
//! keeps the hard rules. Kept merchants are not re-matched; a delegation that cannot continue
//! (the designer is gone, full, or the pair now breaks a rule) is matched afresh.
//!
//! **Objective.** [`optimal`] matches as many merchants as possible, then at the least total
//! cost: it minimises `unmatched × M + Σ cost`, with `M` ([`unmatched_penalty`]) larger than any
//! augmenting path can cost, so one more matched merchant always beats any saving in cost.
//! [`greedy`] is the obvious alternative, kept to measure what optimality buys.
//!
//! **Solver.** A minimum-cost flow, one network per 시도 (no arc crosses one), solved by
//! successive shortest paths: Dijkstra with a binary heap on costs reduced by node potentials,
//! stopping when the sink is settled, then every shortest path of that length pushed at once
//! (a blocking flow on the zero-reduced-cost arcs). Running until no augmenting path is left is
//! the `M` objective, since with that `M` every augmenting path lowers it.
//!
//! ```text
//! source ─size─> class ─┬───────── direct arc (experience, choice) ─────────┬─> designer ─places─> sink
//!                       └─> from-시군구 ──distance──> to-시군구 ──outcome──────┘
//! ```
//!
//! Merchants with the same (시군구, industry, needed level), no chosen designer and no conflicts
//! collapse into one class node whose supply is their number; the others are classes of one.
//! Designers stay individual nodes, each with its own places. The class-to-designer arcs of a
//! 시도 are factored without changing any cost: a pair whose designer has no experience in the
//! merchant's industry and was not chosen costs a class part, a 시군구-pair part and a designer
//! part, so it runs class → from-시군구 → to-시군구 → designer; experienced or chosen designers
//! (cheaper) keep direct arcs; a merchant with conflicts goes to the to-시군구 nodes holding no
//! designer it conflicts with, and directly to the allowed designers of the others. That keeps
//! the network at a few arcs per class instead of one per class and designer of the 시도.
//!
//! The flow is expanded back deterministically: through a shared node, inflows are paired with
//! outflows in order (in an optimal flow every pairing costs the same: one that routed an
//! experienced or chosen designer through the shared nodes would be improved by its cheaper
//! direct arc), then each class's members, by id, take its designers, by id.
//!
//! **Optimality certificate.** [`check_optimality`] rebuilds, from the inputs and the result
//! alone, the residual network of the unfactored problem (every class × designer arc of the
//! 시도, plus one arc per class to the sink costing `M` for its unmatched merchants) and searches
//! it for a negative-cost cycle by label-correcting shortest paths (Bellman–Ford with a queue).
//! No negative cycle is the standard proof that a flow has minimum cost. The solver's dual prices
//! travel with its result as the starting labels, so a true optimum is confirmed in one pass; the
//! labels only decide the speed, never the verdict.

use std::collections::{HashMap, VecDeque};

use crate::designers::Level;
use crate::kernel::flow::{Network, NetworkBuilder, min_cost_max_flow};
use crate::kernel::region::RegionCode;
use crate::merchants::diagnosis::Track;

/// Cost of a designer in another 시군구 of the same 시도 (same 시군구: 0). There is no table of
/// coordinates, so every other 시군구 is one step away.
pub const OTHER_SIGUNGU_COST: u64 = 100;
/// Tie-break between other 시군구: 법정동 codes run roughly along the map inside a 시도 (the 구 of
/// a 시 are consecutive), so the code difference divided by this adds a little…
pub const SIGUNGU_CODE_TIE_BREAK_DIVISOR: u32 = 100;
/// …never more than this, far below the step, so it only orders otherwise equal designers.
pub const SIGUNGU_CODE_TIE_BREAK_MAX: u64 = 9;
/// Cost of a designer with no experience in the merchant's industry (상권업종 code).
pub const NO_INDUSTRY_EXPERIENCE_COST: u64 = 60;
/// Cost of a designer with some experience in the merchant's industry…
pub const INDUSTRY_EXPERIENCE_COST: u64 = 30;
/// …less this for each case handled in that industry…
pub const INDUSTRY_EXPERIENCE_DISCOUNT_PER_CASE: u64 = 2;
/// …counting at most this many cases (from then on experience costs nothing).
pub const INDUSTRY_EXPERIENCE_CASES_COUNTED: u32 = 15;
/// Cost of every designer but the one the merchant chose (so the chosen one costs less).
pub const NOT_PREFERRED_COST: u64 = 40;
/// Cost of a designer whose verified outcome rate is 0; a rate `r` costs `(1 − r)` times this.
pub const OUTCOME_WEIGHT: u64 = 40;
/// The most any allowed pair can cost.
pub const MAX_PAIR_COST: u64 = OTHER_SIGUNGU_COST
    + SIGUNGU_CODE_TIE_BREAK_MAX
    + NO_INDUSTRY_EXPERIENCE_COST
    + NOT_PREFERRED_COST
    + OUTCOME_WEIGHT;

/// A merchant waiting for a designer.
#[derive(Debug, Clone, PartialEq)]
pub struct MerchantToMatch {
    /// Unique among the merchants matched together.
    pub id: i64,
    /// The shop's 5-digit 시군구.
    pub sigungu: RegionCode,
    /// The 상권업종 code, e.g. `I21001`.
    pub industry: String,
    /// 1급 for the managed track, 2급 otherwise ([`level_needed_for`]).
    pub needs_level: Level,
    /// The designer the merchant asked for, if any.
    pub preferred_designer: Option<i64>,
    /// The designer of a running delegation, if any (see continuity in the module docs).
    pub current_designer: Option<i64>,
    /// Designers the merchant may not get (conflict of interest).
    pub conflicts: Vec<i64>,
}

/// A designer with free places.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignerToMatch {
    /// Unique among the designers matched together.
    pub id: i64,
    pub level: Level,
    /// Where the designer works: a 5-digit 시군구.
    pub sigungu: RegionCode,
    /// Industries (상권업종 codes) the designer has served, with the number of cases in each.
    pub industries_served: Vec<(String, u32)>,
    /// Places free for this matching, kept delegations included.
    pub capacity: u32,
    /// Share of verified outcomes, 0 to 1; higher is better.
    pub outcome_rate: f64,
}

/// Why a pair was made, in facts the web can put in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reasons {
    /// The designer works in the merchant's own 시군구.
    pub same_sigungu: bool,
    /// The designer's 시군구 by name (`RegionCode::region().name`, e.g. `경기도 수원시 장안구`).
    pub designer_sigungu_name: String,
    /// Cases the designer handled in the merchant's industry.
    pub industry_experience: u32,
    /// The designer's places left once the whole matching is made.
    pub remaining_capacity: u32,
    /// The merchant chose this designer.
    pub preferred: bool,
    /// A running delegation kept, not a new match.
    pub continued: bool,
}

impl Reasons {
    /// The facts as kept with a proposal: `key=value` pairs joined by `;` (a 시군구 name holds
    /// neither character).
    pub fn encode(&self) -> String {
        format!(
            "same_sigungu={};sigungu={};experience={};remaining={};preferred={};continued={}",
            u8::from(self.same_sigungu),
            self.designer_sigungu_name.replace([';', '='], " "),
            self.industry_experience,
            self.remaining_capacity,
            u8::from(self.preferred),
            u8::from(self.continued),
        )
    }

    /// Facts kept by [`Reasons::encode`]; a fact missing or unreadable reads as none.
    pub fn decode(stored: &str) -> Reasons {
        let mut reasons = Reasons {
            same_sigungu: false,
            designer_sigungu_name: String::new(),
            industry_experience: 0,
            remaining_capacity: 0,
            preferred: false,
            continued: false,
        };
        for (key, value) in stored.split(';').filter_map(|pair| pair.split_once('=')) {
            match key {
                "same_sigungu" => reasons.same_sigungu = value == "1",
                "sigungu" => reasons.designer_sigungu_name = value.to_owned(),
                "experience" => reasons.industry_experience = value.parse().unwrap_or(0),
                "remaining" => reasons.remaining_capacity = value.parse().unwrap_or(0),
                "preferred" => reasons.preferred = value == "1",
                "continued" => reasons.continued = value == "1",
                _ => {}
            }
        }
        reasons
    }
}

/// One merchant given to one designer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub merchant: i64,
    pub designer: i64,
    /// [`pair_cost`] of the pair.
    pub cost: u64,
    pub reasons: Reasons,
}

/// Why a merchant got no designer. The first three: no designer of the 시도 was allowed at all,
/// full or not (checked in this order); the last: some were allowed, but every one was full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unassignable {
    /// No designer works in the merchant's 시도.
    NoDesignerInSido,
    /// Designers work there, but none of the level needed.
    NoDesignerOfLevel,
    /// Designers of the level work there, but the merchant conflicts with each.
    AllConflicted,
    /// Allowed designers exist, but their places all went to other merchants.
    NoCapacityLeft,
}

impl Unassignable {
    /// The message key the web translates.
    pub fn key(self) -> &'static str {
        match self {
            Unassignable::NoDesignerInSido => "reason-matching-no-designer-in-sido",
            Unassignable::NoDesignerOfLevel => "reason-matching-no-designer-of-level",
            Unassignable::AllConflicted => "reason-matching-all-conflicted",
            Unassignable::NoCapacityLeft => "reason-matching-no-capacity-left",
        }
    }
}

/// The result of a matching: pairs and unmatched merchants, each in merchant id order.
#[derive(Debug, Clone, PartialEq)]
pub struct Matching {
    pub assignments: Vec<Assignment>,
    pub unassigned: Vec<(i64, Unassignable)>,
    /// Σ cost of the assignments, kept delegations included.
    pub total_cost: u64,
    /// The solver's dual prices, the starting labels of [`check_optimality`].
    duals: Option<Duals>,
    stats: Option<SolverStats>,
}

impl Matching {
    /// How big the solver's networks were and how much work it did ([`optimal`] only).
    pub fn stats(&self) -> Option<&SolverStats> {
        self.stats.as_ref()
    }
}

/// Size of and work done on the flow networks, summed over the 시도.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SolverStats {
    /// Merchants that went through the solver (not kept delegations).
    pub merchants: usize,
    /// Class nodes, classes of one included.
    pub classes: usize,
    /// Classes of one: merchants with a chosen designer or conflicts (or all, uncollapsed).
    pub single_merchant_classes: usize,
    pub nodes: usize,
    /// Arcs, not counting their reverse arcs.
    pub arcs: usize,
    /// Dijkstra runs that reached the sink.
    pub shortest_path_rounds: u64,
    /// Augmenting paths pushed.
    pub augmenting_paths: u64,
}

/// Node prices of the solver's optimum, lifted to merchants and designers (the sink priced 0).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Duals {
    merchant: HashMap<i64, i64>,
    designer: HashMap<i64, i64>,
}

/// The level a track needs: 1급 runs managed shops, 2급 anything else.
pub fn level_needed_for(track: Track) -> Level {
    match track {
        Track::Managed => Level::First,
        Track::Channel | Track::Education => Level::Second,
    }
}

/// The cost of one merchant unmatched: more than any pair cost times the designers of a path,
/// which bounds what any augmenting path can cost.
pub fn unmatched_penalty(designer_count: usize) -> u64 {
    MAX_PAIR_COST * (designer_count as u64 + 1) + 1
}

/// The cost of giving `merchant` to `designer`, or None when a hard rule forbids it (other 시도,
/// level too low, conflict of interest). Places are not considered.
pub fn pair_cost(merchant: &MerchantToMatch, designer: &DesignerToMatch) -> Option<u64> {
    let (from, to) = (
        sigungu_number(&merchant.sigungu),
        sigungu_number(&designer.sigungu),
    );
    if sido_of(from) != sido_of(to)
        || designer.level < merchant.needs_level
        || merchant.conflicts.contains(&designer.id)
    {
        return None;
    }
    let experience = designer
        .industries_served
        .iter()
        .filter(|(code, _)| *code == merchant.industry)
        .fold(0u32, |sum, (_, cases)| sum.saturating_add(*cases));
    let preferred = merchant.preferred_designer == Some(designer.id);
    Some(
        distance_cost(from, to)
            + industry_fit_cost(experience)
            + outcome_cost(designer.outcome_rate)
            + preference_cost(preferred),
    )
}

/// A region code as a number comparable across codes: a 시군구 as is, a 시도 as its first 시군구.
fn sigungu_number(code: &RegionCode) -> u32 {
    let digits = code.as_str();
    let number: u32 = digits.parse().unwrap_or(0);
    if digits.len() == 2 {
        number * 1000
    } else {
        number
    }
}

fn sido_of(sigungu_number: u32) -> u32 {
    sigungu_number / 1000
}

fn distance_cost(from: u32, to: u32) -> u64 {
    if from == to {
        0
    } else {
        let tie_break = u64::from(from.abs_diff(to) / SIGUNGU_CODE_TIE_BREAK_DIVISOR);
        OTHER_SIGUNGU_COST + tie_break.min(SIGUNGU_CODE_TIE_BREAK_MAX)
    }
}

fn industry_fit_cost(experience: u32) -> u64 {
    if experience == 0 {
        NO_INDUSTRY_EXPERIENCE_COST
    } else {
        INDUSTRY_EXPERIENCE_COST
            - INDUSTRY_EXPERIENCE_DISCOUNT_PER_CASE
                * u64::from(experience.min(INDUSTRY_EXPERIENCE_CASES_COUNTED))
    }
}

fn outcome_cost(rate: f64) -> u64 {
    let rate = if rate.is_finite() {
        rate.clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((1.0 - rate) * OUTCOME_WEIGHT as f64).round() as u64
}

fn preference_cost(preferred: bool) -> u64 {
    if preferred { 0 } else { NOT_PREFERRED_COST }
}

fn level_index(level: Level) -> usize {
    match level {
        Level::Second => 0,
        Level::First => 1,
    }
}

struct MerchantFacts {
    sigungu: u32,
    industry: u32,
    /// Index of the chosen designer, when known.
    preferred: Option<usize>,
    /// Indexes of the conflicted designers, sorted.
    conflicts: Vec<usize>,
}

struct DesignerFacts {
    sigungu: u32,
    /// (industry, cases), by industry, cases of a repeated code summed.
    experience: Vec<(u32, u32)>,
    outcome_cost: u64,
}

/// The inputs indexed once: numbers for codes, indexes for ids.
struct Prepared<'a> {
    merchants: &'a [MerchantToMatch],
    designers: &'a [DesignerToMatch],
    merchant_facts: Vec<MerchantFacts>,
    designer_facts: Vec<DesignerFacts>,
    designer_index: HashMap<i64, usize>,
    /// Designer indexes of each 시도, by designer id.
    designers_by_sido: HashMap<u32, Vec<usize>>,
    /// Merchant indexes by merchant id.
    merchant_order: Vec<usize>,
}

impl<'a> Prepared<'a> {
    fn new(merchants: &'a [MerchantToMatch], designers: &'a [DesignerToMatch]) -> Self {
        let mut industries: HashMap<&str, u32> = HashMap::new();
        let mut industry_id = |code: &'a str| {
            let next = industries.len() as u32;
            *industries.entry(code).or_insert(next)
        };
        let mut designer_index = HashMap::with_capacity(designers.len());
        let mut designers_by_sido: HashMap<u32, Vec<usize>> = HashMap::new();
        let mut designer_facts = Vec::with_capacity(designers.len());
        for (index, designer) in designers.iter().enumerate() {
            designer_index.entry(designer.id).or_insert(index);
            let sigungu = sigungu_number(&designer.sigungu);
            designers_by_sido
                .entry(sido_of(sigungu))
                .or_default()
                .push(index);
            let mut experience: Vec<(u32, u32)> = Vec::new();
            for (code, cases) in &designer.industries_served {
                let industry = industry_id(code);
                match experience.iter_mut().find(|(i, _)| *i == industry) {
                    Some((_, sum)) => *sum = sum.saturating_add(*cases),
                    None => experience.push((industry, *cases)),
                }
            }
            experience.retain(|(_, cases)| *cases > 0);
            experience.sort_unstable();
            designer_facts.push(DesignerFacts {
                sigungu,
                experience,
                outcome_cost: outcome_cost(designer.outcome_rate),
            });
        }
        for list in designers_by_sido.values_mut() {
            list.sort_by_key(|&d| designers[d].id);
        }
        let merchant_facts = merchants
            .iter()
            .map(|merchant| {
                let mut conflicts: Vec<usize> = merchant
                    .conflicts
                    .iter()
                    .filter_map(|id| designer_index.get(id).copied())
                    .collect();
                conflicts.sort_unstable();
                conflicts.dedup();
                MerchantFacts {
                    sigungu: sigungu_number(&merchant.sigungu),
                    industry: industry_id(&merchant.industry),
                    preferred: merchant
                        .preferred_designer
                        .and_then(|id| designer_index.get(&id).copied()),
                    conflicts,
                }
            })
            .collect();
        let mut merchant_order: Vec<usize> = (0..merchants.len()).collect();
        merchant_order.sort_by_key(|&m| merchants[m].id);
        Prepared {
            merchants,
            designers,
            merchant_facts,
            designer_facts,
            designer_index,
            designers_by_sido,
            merchant_order,
        }
    }

    fn sido(&self, merchant: usize) -> u32 {
        sido_of(self.merchant_facts[merchant].sigungu)
    }

    fn designers_in_sido(&self, sido: u32) -> &[usize] {
        self.designers_by_sido
            .get(&sido)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn experience(&self, designer: usize, industry: u32) -> u32 {
        let experience = &self.designer_facts[designer].experience;
        match experience.binary_search_by_key(&industry, |(i, _)| *i) {
            Ok(at) => experience[at].1,
            Err(_) => 0,
        }
    }

    fn conflicted(&self, merchant: usize, designer: usize) -> bool {
        self.merchant_facts[merchant]
            .conflicts
            .binary_search(&designer)
            .is_ok()
    }

    /// The hard rules but places.
    fn allowed(&self, merchant: usize, designer: usize) -> bool {
        sido_of(self.designer_facts[designer].sigungu) == self.sido(merchant)
            && self.designers[designer].level >= self.merchants[merchant].needs_level
            && !self.conflicted(merchant, designer)
    }

    /// [`pair_cost`] of an allowed pair.
    fn cost(&self, merchant: usize, designer: usize) -> u64 {
        let m = &self.merchant_facts[merchant];
        let d = &self.designer_facts[designer];
        distance_cost(m.sigungu, d.sigungu)
            + industry_fit_cost(self.experience(designer, m.industry))
            + d.outcome_cost
            + preference_cost(m.preferred == Some(designer))
    }

    fn why_unassignable(&self, merchant: usize) -> Unassignable {
        let in_sido = self.designers_in_sido(self.sido(merchant));
        let needs = self.merchants[merchant].needs_level;
        if in_sido.is_empty() {
            Unassignable::NoDesignerInSido
        } else if !in_sido.iter().any(|&d| self.designers[d].level >= needs) {
            Unassignable::NoDesignerOfLevel
        } else if !in_sido.iter().any(|&d| self.allowed(merchant, d)) {
            Unassignable::AllConflicted
        } else {
            Unassignable::NoCapacityLeft
        }
    }

    /// The merchant's class key; None for a merchant that must stay a class of one.
    fn class_key(&self, merchant: usize) -> Option<(u32, u32, Level)> {
        let m = &self.merchants[merchant];
        (m.preferred_designer.is_none() && m.conflicts.is_empty()).then(|| {
            let facts = &self.merchant_facts[merchant];
            (facts.sigungu, facts.industry, m.needs_level)
        })
    }

    /// Running delegations kept (by merchant index) and the places left after them.
    fn continuity(&self) -> (Vec<Option<usize>>, Vec<u32>) {
        let mut kept = vec![None; self.merchants.len()];
        let mut places: Vec<u32> = self.designers.iter().map(|d| d.capacity).collect();
        for &merchant in &self.merchant_order {
            let Some(current) = self.merchants[merchant].current_designer else {
                continue;
            };
            if let Some(&designer) = self.designer_index.get(&current)
                && places[designer] > 0
                && self.allowed(merchant, designer)
            {
                places[designer] -= 1;
                kept[merchant] = Some(designer);
            }
        }
        (kept, places)
    }

    /// The matching of `designer_of` (by merchant index), with reasons.
    fn matching(
        &self,
        designer_of: &[Option<usize>],
        kept: &[Option<usize>],
        duals: Option<Duals>,
        stats: Option<SolverStats>,
    ) -> Matching {
        let mut places_left: Vec<u32> = self.designers.iter().map(|d| d.capacity).collect();
        for designer in designer_of.iter().flatten() {
            places_left[*designer] = places_left[*designer].saturating_sub(1);
        }
        let mut names: HashMap<&RegionCode, String> = HashMap::new();
        let mut assignments = Vec::new();
        let mut unassigned = Vec::new();
        let mut total_cost = 0;
        for &merchant in &self.merchant_order {
            let Some(designer) = designer_of[merchant] else {
                unassigned.push((self.merchants[merchant].id, self.why_unassignable(merchant)));
                continue;
            };
            let cost = self.cost(merchant, designer);
            total_cost += cost;
            let code = &self.designers[designer].sigungu;
            let name = names
                .entry(code)
                .or_insert_with(|| code.region().name)
                .clone();
            assignments.push(Assignment {
                merchant: self.merchants[merchant].id,
                designer: self.designers[designer].id,
                cost,
                reasons: Reasons {
                    same_sigungu: self.merchant_facts[merchant].sigungu
                        == self.designer_facts[designer].sigungu,
                    designer_sigungu_name: name,
                    industry_experience: self
                        .experience(designer, self.merchant_facts[merchant].industry),
                    remaining_capacity: places_left[designer],
                    preferred: self.merchant_facts[merchant].preferred == Some(designer),
                    continued: kept[merchant] == Some(designer),
                },
            });
        }
        Matching {
            assignments,
            unassigned,
            total_cost,
            duals,
            stats,
        }
    }
}

/// Gives merchants in id order, each to its cheapest allowed designer with a place left (ties to
/// the lower designer id), after keeping running delegations. Not optimal: it is the comparison.
pub fn greedy(merchants: &[MerchantToMatch], designers: &[DesignerToMatch]) -> Matching {
    let prepared = Prepared::new(merchants, designers);
    let (kept, mut places) = prepared.continuity();
    let mut designer_of = kept.clone();
    for &merchant in &prepared.merchant_order {
        if kept[merchant].is_some() {
            continue;
        }
        let best = prepared
            .designers_in_sido(prepared.sido(merchant))
            .iter()
            .filter(|&&d| places[d] > 0 && prepared.allowed(merchant, d))
            .min_by_key(|&&d| (prepared.cost(merchant, d), designers[d].id))
            .copied();
        if let Some(designer) = best {
            places[designer] -= 1;
            designer_of[merchant] = Some(designer);
        }
    }
    prepared.matching(&designer_of, &kept, None, None)
}

/// The optimal matching: the most merchants matched, then the least total cost (module docs).
pub fn optimal(merchants: &[MerchantToMatch], designers: &[DesignerToMatch]) -> Matching {
    solve(merchants, designers, true)
}

/// [`optimal`], with identical merchants collapsed into classes or each its own node.
fn solve(
    merchants: &[MerchantToMatch],
    designers: &[DesignerToMatch],
    collapse_classes: bool,
) -> Matching {
    let prepared = Prepared::new(merchants, designers);
    let (kept, places) = prepared.continuity();
    let penalty = unmatched_penalty(designers.len()) as i64;
    let mut by_sido: HashMap<u32, Vec<usize>> = HashMap::new();
    for &merchant in &prepared.merchant_order {
        if kept[merchant].is_none() {
            by_sido
                .entry(prepared.sido(merchant))
                .or_default()
                .push(merchant);
        }
    }
    let mut sidos: Vec<u32> = by_sido.keys().copied().collect();
    sidos.sort_unstable();
    let mut designer_of = kept.clone();
    let mut duals = Duals {
        merchant: HashMap::new(),
        designer: HashMap::new(),
    };
    let mut stats = SolverStats::default();
    for sido in sidos {
        let sido_merchants = &by_sido[&sido];
        stats.merchants += sido_merchants.len();
        let designers_here = prepared.designers_in_sido(sido);
        if designers_here.is_empty() {
            // Unmatched with no way out: priced exactly `penalty` below the sink.
            for &merchant in sido_merchants {
                duals.merchant.insert(merchants[merchant].id, -penalty);
            }
            continue;
        }
        let problem = SidoProblem::build(
            &prepared,
            sido_merchants,
            designers_here,
            &places,
            collapse_classes,
        );
        problem.solve(&mut designer_of, &mut duals, &mut stats, penalty);
    }
    prepared.matching(&designer_of, &kept, Some(duals), Some(stats))
}

/// A set of merchants that are interchangeable for every designer.
struct Class {
    /// Merchant indexes, by id.
    members: Vec<usize>,
}

impl Class {
    fn representative(&self) -> usize {
        self.members[0]
    }
}

/// Arcs of a 시도's network whose flow the expansion reads, by kind.
#[derive(Default)]
struct ArcsToRead {
    /// (class, from-시군구 node, arc)
    class_to_origin: Vec<(usize, usize, usize)>,
    /// (from-시군구 node, to-시군구 node, arc)
    origin_to_target: Vec<(usize, usize, usize)>,
    /// (class, to-시군구 node, arc): merchants with conflicts.
    class_to_target: Vec<(usize, usize, usize)>,
    /// (to-시군구 node, designer, arc)
    target_to_designer: Vec<(usize, usize, usize)>,
    /// (class, designer, arc)
    class_to_designer: Vec<(usize, usize, usize)>,
}

/// The flow network of one 시도.
struct SidoProblem<'p, 'a> {
    prepared: &'p Prepared<'a>,
    classes: Vec<Class>,
    /// Designer indexes, by id.
    designers: Vec<usize>,
    /// Whether each designer (local number) has a place left after kept delegations.
    has_place: Vec<bool>,
    network: Network,
    arcs: ArcsToRead,
    /// Node numbers: source 0, sink 1, then classes, designers, from-시군구, to-시군구.
    first_designer_node: usize,
    first_origin_node: usize,
    first_target_node: usize,
    arc_count: usize,
}

const SOURCE: usize = 0;
const SINK: usize = 1;
const UNBOUNDED: i64 = i64::MAX / 4;

impl<'p, 'a> SidoProblem<'p, 'a> {
    fn build(
        prepared: &'p Prepared<'a>,
        merchants: &[usize],
        designers: &[usize],
        places: &[u32],
        collapse_classes: bool,
    ) -> Self {
        // Classes, in merchant id order of their first member.
        let mut classes: Vec<Class> = Vec::new();
        let mut class_of_key: HashMap<(u32, u32, Level), usize> = HashMap::new();
        for &merchant in merchants {
            let key = prepared.class_key(merchant).filter(|_| collapse_classes);
            match key.and_then(|key| class_of_key.get(&key).copied()) {
                Some(class) => classes[class].members.push(merchant),
                None => {
                    if let Some(key) = key {
                        class_of_key.insert(key, classes.len());
                    }
                    classes.push(Class {
                        members: vec![merchant],
                    });
                }
            }
        }
        // The 시군구 of the 시도 that anyone works in.
        let mut sigungu: Vec<u32> = merchants
            .iter()
            .map(|&m| prepared.merchant_facts[m].sigungu)
            .chain(
                designers
                    .iter()
                    .map(|&d| prepared.designer_facts[d].sigungu),
            )
            .collect();
        sigungu.sort_unstable();
        sigungu.dedup();
        let sigungu_slot = |number: u32| sigungu.binary_search(&number).expect("listed");

        let first_designer_node = 2 + classes.len();
        let first_origin_node = first_designer_node + designers.len();
        let first_target_node = first_origin_node + 2 * sigungu.len();
        let node_count = first_target_node + 2 * sigungu.len();
        let origin_node =
            |slot: usize, level: Level| first_origin_node + 2 * slot + level_index(level);
        let target_node =
            |slot: usize, level: Level| first_target_node + 2 * slot + level_index(level);

        let mut builder = NetworkBuilder::default();
        let mut arcs = ArcsToRead::default();
        // Designers with a place: their sink arcs, and their to-시군구 nodes by level.
        let mut target_designers: Vec<Vec<usize>> = vec![Vec::new(); 2 * sigungu.len()];
        for (local, &designer) in designers.iter().enumerate() {
            if places[designer] == 0 {
                continue;
            }
            let node = first_designer_node + local;
            builder.arc(node, SINK, i64::from(places[designer]), 0);
            let slot = sigungu_slot(prepared.designer_facts[designer].sigungu);
            for level in Level::ALL {
                if prepared.designers[designer].level >= level {
                    let target = target_node(slot, level);
                    let arc = builder.arc(
                        target,
                        node,
                        UNBOUNDED,
                        prepared.designer_facts[designer].outcome_cost as i64,
                    );
                    arcs.target_to_designer.push((target, local, arc));
                    target_designers[target - first_target_node].push(local);
                }
            }
        }
        let staffed = |target: usize| !target_designers[target - first_target_node].is_empty();
        let class_part = (NO_INDUSTRY_EXPERIENCE_COST + NOT_PREFERRED_COST) as i64;
        let mut origin_used = vec![false; 2 * sigungu.len()];
        let mut classes_by_industry: HashMap<u32, Vec<usize>> = HashMap::new();
        for (class_index, class) in classes.iter().enumerate() {
            let node = 2 + class_index;
            let merchant = class.representative();
            let facts = &prepared.merchant_facts[merchant];
            let needs = prepared.merchants[merchant].needs_level;
            let slot = sigungu_slot(facts.sigungu);
            builder.arc(SOURCE, node, class.members.len() as i64, 0);
            classes_by_industry
                .entry(facts.industry)
                .or_default()
                .push(class_index);
            if facts.conflicts.is_empty() {
                let origin = origin_node(slot, needs);
                origin_used[origin - first_origin_node] = true;
                let arc = builder.arc(node, origin, UNBOUNDED, class_part);
                arcs.class_to_origin.push((class_index, origin, arc));
                continue;
            }
            // Conflicts: through a to-시군구 node only where no conflicted designer is behind it.
            for (target_slot, &number) in sigungu.iter().enumerate() {
                let target = target_node(target_slot, needs);
                let behind = &target_designers[target - first_target_node];
                if behind.is_empty() {
                    continue;
                }
                if behind
                    .iter()
                    .all(|&local| !prepared.conflicted(merchant, designers[local]))
                {
                    let cost = class_part + distance_cost(facts.sigungu, number) as i64;
                    let arc = builder.arc(node, target, UNBOUNDED, cost);
                    arcs.class_to_target.push((class_index, target, arc));
                    continue;
                }
                for &local in behind {
                    let designer = designers[local];
                    // Experienced and chosen designers get their direct arcs below.
                    if prepared.conflicted(merchant, designer)
                        || prepared.experience(designer, facts.industry) > 0
                        || facts.preferred == Some(designer)
                    {
                        continue;
                    }
                    let cost = prepared.cost(merchant, designer) as i64;
                    let arc = builder.arc(node, first_designer_node + local, UNBOUNDED, cost);
                    arcs.class_to_designer.push((class_index, local, arc));
                }
            }
        }
        // from-시군구 → to-시군구, wherever someone may leave from and someone works.
        for (from_slot, &from) in sigungu.iter().enumerate() {
            for level in Level::ALL {
                let origin = origin_node(from_slot, level);
                if !origin_used[origin - first_origin_node] {
                    continue;
                }
                for (to_slot, &to) in sigungu.iter().enumerate() {
                    let target = target_node(to_slot, level);
                    if staffed(target) {
                        let arc =
                            builder.arc(origin, target, UNBOUNDED, distance_cost(from, to) as i64);
                        arcs.origin_to_target.push((origin, target, arc));
                    }
                }
            }
        }
        // Direct arcs: experience in the class's industry, and the merchant's chosen designer.
        for (local, &designer) in designers.iter().enumerate() {
            if places[designer] == 0 {
                continue;
            }
            for &(industry, _) in &prepared.designer_facts[designer].experience {
                for &class_index in classes_by_industry.get(&industry).into_iter().flatten() {
                    let merchant = classes[class_index].representative();
                    if prepared.allowed(merchant, designer) {
                        let cost = prepared.cost(merchant, designer) as i64;
                        let arc = builder.arc(
                            2 + class_index,
                            first_designer_node + local,
                            UNBOUNDED,
                            cost,
                        );
                        arcs.class_to_designer.push((class_index, local, arc));
                    }
                }
            }
        }
        for (class_index, class) in classes.iter().enumerate() {
            let merchant = class.representative();
            let facts = &prepared.merchant_facts[merchant];
            let Some(chosen) = facts.preferred else {
                continue;
            };
            let Ok(local) = designers.binary_search_by_key(&prepared.designers[chosen].id, |&d| {
                prepared.designers[d].id
            }) else {
                continue;
            };
            if places[chosen] > 0
                && prepared.allowed(merchant, chosen)
                && prepared.experience(chosen, facts.industry) == 0
            {
                let cost = prepared.cost(merchant, chosen) as i64;
                let arc = builder.arc(
                    2 + class_index,
                    first_designer_node + local,
                    UNBOUNDED,
                    cost,
                );
                arcs.class_to_designer.push((class_index, local, arc));
            }
        }
        let arc_count = builder.len();
        let network = builder.build(node_count);
        SidoProblem {
            prepared,
            classes,
            designers: designers.to_vec(),
            has_place: designers.iter().map(|&d| places[d] > 0).collect(),
            network,
            arcs,
            first_designer_node,
            first_origin_node,
            first_target_node,
            arc_count,
        }
    }

    /// Solves the network, writes each member's designer into `designer_of` and the dual prices
    /// into `duals`.
    fn solve(
        mut self,
        designer_of: &mut [Option<usize>],
        duals: &mut Duals,
        stats: &mut SolverStats,
        penalty: i64,
    ) {
        let outcome = min_cost_max_flow(&mut self.network, SOURCE, SINK);
        stats.classes += self.classes.len();
        stats.single_merchant_classes +=
            self.classes.iter().filter(|c| c.members.len() == 1).count();
        stats.nodes += self.network.node_count();
        stats.arcs += self.arc_count;
        stats.shortest_path_rounds += outcome.rounds;
        stats.augmenting_paths += outcome.augmenting_paths;

        let flow = |arc: usize| self.network.flow(arc);
        // Pair each shared node's inflows with its outflows, in order.
        let origin_count = self.first_target_node - self.first_origin_node;
        let mut origin_in: Vec<Vec<(usize, i64)>> = vec![Vec::new(); origin_count];
        let mut origin_out: Vec<Vec<(usize, i64)>> = vec![Vec::new(); origin_count];
        for &(class, origin, arc) in &self.arcs.class_to_origin {
            origin_in[origin - self.first_origin_node].push((class, flow(arc)));
        }
        for &(origin, target, arc) in &self.arcs.origin_to_target {
            origin_out[origin - self.first_origin_node].push((target, flow(arc)));
        }
        let target_count = origin_count;
        let mut target_in: Vec<Vec<(usize, i64)>> = vec![Vec::new(); target_count];
        let mut target_out: Vec<Vec<(usize, i64)>> = vec![Vec::new(); target_count];
        for (ins, outs) in origin_in.iter().zip(&origin_out) {
            for (class, target, amount) in pair_in_order(ins, outs) {
                target_in[target - self.first_target_node].push((class, amount));
            }
        }
        for &(class, target, arc) in &self.arcs.class_to_target {
            target_in[target - self.first_target_node].push((class, flow(arc)));
        }
        for &(target, local, arc) in &self.arcs.target_to_designer {
            target_out[target - self.first_target_node].push((local, flow(arc)));
        }
        let mut class_out: Vec<Vec<(usize, i64)>> = vec![Vec::new(); self.classes.len()];
        for (ins, outs) in target_in.iter_mut().zip(&target_out) {
            ins.sort_by_key(|&(class, _)| class);
            for (class, local, amount) in pair_in_order(ins, outs) {
                class_out[class].push((local, amount));
            }
        }
        for &(class, local, arc) in &self.arcs.class_to_designer {
            class_out[class].push((local, flow(arc)));
        }
        // Members by id take their class's designers by id (local order is id order).
        let mut flow_cost = 0i64;
        for (class, mut outs) in self.classes.iter().zip(class_out) {
            outs.retain(|&(_, amount)| amount > 0);
            outs.sort_by_key(|&(local, _)| local);
            let mut members = class.members.iter();
            for (local, amount) in outs {
                for _ in 0..amount {
                    let merchant = *members.next().expect("no more flow than members");
                    let designer = self.designers[local];
                    flow_cost += self.prepared.cost(merchant, designer) as i64;
                    designer_of[merchant] = Some(designer);
                }
            }
        }
        debug_assert_eq!(
            flow_cost,
            self.network.total_cost(),
            "pairing kept the cost"
        );

        // Dual prices for the certificate: lift the nodes the source cannot reach so that the sink
        // sits exactly `penalty` above the source (see `check_optimality`), then price the sink 0.
        let potential = &outcome.potential;
        let lift = (potential[SOURCE] + penalty - potential[SINK]).max(0);
        let price = |node: usize| {
            potential[node] + if outcome.reachable[node] { 0 } else { lift }
                - (potential[SINK] + lift)
        };
        for (class_index, class) in self.classes.iter().enumerate() {
            let value = price(2 + class_index);
            for &merchant in &class.members {
                duals
                    .merchant
                    .insert(self.prepared.merchants[merchant].id, value);
            }
        }
        for (local, &designer) in self.designers.iter().enumerate() {
            // A designer with no place is not in the network: it only has arcs coming in, from
            // classes priced at least −penalty with non-negative costs.
            let value = if self.has_place[local] {
                price(self.first_designer_node + local)
            } else {
                -penalty
            };
            duals
                .designer
                .insert(self.prepared.designers[designer].id, value);
        }
    }
}

/// Splits the flow entering a node among the flow leaving it, both in the given order.
fn pair_in_order<A: Copy, B: Copy>(ins: &[(A, i64)], outs: &[(B, i64)]) -> Vec<(A, B, i64)> {
    let mut pairs = Vec::new();
    let mut outs = outs.iter().copied().filter(|&(_, amount)| amount > 0);
    let mut current = outs.next();
    for &(from, mut amount) in ins {
        while amount > 0 {
            let Some((to, left)) = current.as_mut() else {
                debug_assert!(false, "flow is conserved");
                return pairs;
            };
            let moved = amount.min(*left);
            pairs.push((from, *to, moved));
            amount -= moved;
            *left -= moved;
            if *left == 0 {
                current = outs.next();
            }
        }
    }
    pairs
}

/// What [`check_optimality`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptimalityCheck {
    /// The first broken rule, if the matching is not even a valid one.
    pub violation: Option<Violation>,
    /// The residual network has a negative-cost cycle: a cheaper matching, or one matching more
    /// merchants, exists.
    pub negative_cycle: bool,
    /// Residual arcs examined.
    pub residual_arcs_examined: u64,
    /// Labels lowered while searching (0: the solver's prices were already a proof).
    pub label_corrections: u64,
    /// The cost `M` of one unmatched merchant in the objective checked.
    pub unmatched_penalty: u64,
}

impl OptimalityCheck {
    /// Valid, and no cheaper or larger matching exists: an optimality gap of 0.
    pub fn is_optimal(&self) -> bool {
        self.violation.is_none() && !self.negative_cycle
    }
}

/// A rule a matching breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    UnknownMerchant(i64),
    UnknownDesigner(i64),
    /// Listed twice, or both matched and unmatched.
    MerchantTwice(i64),
    /// Neither matched nor unmatched.
    MerchantMissing(i64),
    /// Other 시도, level too low or a conflict of interest.
    NotAllowed {
        merchant: i64,
        designer: i64,
    },
    OverCapacity(i64),
    /// A running delegation that could continue was moved.
    DelegationMoved(i64),
    /// An assignment's cost is not its pair's.
    WrongCost(i64),
    WrongTotalCost,
    /// An unmatched merchant's reason is not the one its situation gives.
    WrongReason(i64),
}

/// Checks `matching` against the inputs: first that it keeps every rule, then that it is optimal
/// (module docs: no negative-cost cycle in the residual network of the unfactored problem).
pub fn check_optimality(
    merchants: &[MerchantToMatch],
    designers: &[DesignerToMatch],
    matching: &Matching,
) -> OptimalityCheck {
    let penalty = unmatched_penalty(designers.len());
    let mut check = OptimalityCheck {
        violation: None,
        negative_cycle: false,
        residual_arcs_examined: 0,
        label_corrections: 0,
        unmatched_penalty: penalty,
    };
    let prepared = Prepared::new(merchants, designers);
    match assigned_designers(&prepared, matching) {
        Ok(designer_of) => {
            let (negative_cycle, examined, corrections) = search_negative_cycle(
                &prepared,
                &designer_of,
                matching.duals.as_ref(),
                penalty as i64,
            );
            check.negative_cycle = negative_cycle;
            check.residual_arcs_examined = examined;
            check.label_corrections = corrections;
        }
        Err(violation) => check.violation = Some(violation),
    }
    check
}

/// The designer of each merchant (by index), once the matching is known to keep every rule.
fn assigned_designers(
    prepared: &Prepared,
    matching: &Matching,
) -> Result<Vec<Option<usize>>, Violation> {
    let merchant_index: HashMap<i64, usize> = prepared
        .merchants
        .iter()
        .enumerate()
        .map(|(index, m)| (m.id, index))
        .collect();
    let mut seen = vec![false; prepared.merchants.len()];
    let mut designer_of = vec![None; prepared.merchants.len()];
    let mut used = vec![0u32; prepared.designers.len()];
    let mut total = 0u64;
    for assignment in &matching.assignments {
        let &merchant = merchant_index
            .get(&assignment.merchant)
            .ok_or(Violation::UnknownMerchant(assignment.merchant))?;
        let &designer = prepared
            .designer_index
            .get(&assignment.designer)
            .ok_or(Violation::UnknownDesigner(assignment.designer))?;
        if std::mem::replace(&mut seen[merchant], true) {
            return Err(Violation::MerchantTwice(assignment.merchant));
        }
        if !prepared.allowed(merchant, designer) {
            return Err(Violation::NotAllowed {
                merchant: assignment.merchant,
                designer: assignment.designer,
            });
        }
        used[designer] += 1;
        if used[designer] > prepared.designers[designer].capacity {
            return Err(Violation::OverCapacity(assignment.designer));
        }
        if assignment.cost != prepared.cost(merchant, designer) {
            return Err(Violation::WrongCost(assignment.merchant));
        }
        total += assignment.cost;
        designer_of[merchant] = Some(designer);
    }
    if total != matching.total_cost {
        return Err(Violation::WrongTotalCost);
    }
    for &(id, reason) in &matching.unassigned {
        let &merchant = merchant_index
            .get(&id)
            .ok_or(Violation::UnknownMerchant(id))?;
        if std::mem::replace(&mut seen[merchant], true) {
            return Err(Violation::MerchantTwice(id));
        }
        if reason != prepared.why_unassignable(merchant) {
            return Err(Violation::WrongReason(id));
        }
    }
    if let Some(missing) = seen.iter().position(|seen| !seen) {
        return Err(Violation::MerchantMissing(prepared.merchants[missing].id));
    }
    let (kept, _) = prepared.continuity();
    for (merchant, kept) in kept.iter().enumerate() {
        if kept.is_some() && designer_of[merchant] != *kept {
            return Err(Violation::DelegationMoved(prepared.merchants[merchant].id));
        }
    }
    Ok(designer_of)
}

/// Label-correcting search for a negative-cost cycle in the residual network of the matching of
/// the merchants not kept: classes (as the solver forms them) with supply, designers with their
/// places after kept delegations, one sink; arcs class → designer (every allowed pair, cost),
/// designer → class (pairs made, −cost), class → sink (`M`), sink → class (unmatched, −`M`),
/// designer → sink (a place left, 0), sink → designer (pairs made, 0). Returns (found, arcs
/// examined, labels lowered).
fn search_negative_cycle(
    prepared: &Prepared,
    designer_of: &[Option<usize>],
    duals: Option<&Duals>,
    penalty: i64,
) -> (bool, u64, u64) {
    let (kept, places) = prepared.continuity();
    // Classes of the merchants re-matched.
    let mut classes: Vec<Class> = Vec::new();
    let mut class_of_key: HashMap<(u32, u32, Level), usize> = HashMap::new();
    for &merchant in &prepared.merchant_order {
        if kept[merchant].is_some() {
            continue;
        }
        let key = prepared.class_key(merchant);
        match key.and_then(|key| class_of_key.get(&key).copied()) {
            Some(class) => classes[class].members.push(merchant),
            None => {
                if let Some(key) = key {
                    class_of_key.insert(key, classes.len());
                }
                classes.push(Class {
                    members: vec![merchant],
                });
            }
        }
    }
    let class_count = classes.len();
    let designer_count = prepared.designers.len();
    let sink = class_count + designer_count;
    let nodes = sink + 1;
    // Pairs made per designer, unmatched per class, places used.
    let mut designer_pairs: Vec<Vec<(usize, i64)>> = vec![Vec::new(); designer_count];
    let mut unmatched = vec![0i64; class_count];
    let mut used = vec![0u32; designer_count];
    for (class_index, class) in classes.iter().enumerate() {
        let mut counts: HashMap<usize, i64> = HashMap::new();
        for &merchant in &class.members {
            match designer_of[merchant] {
                Some(designer) => *counts.entry(designer).or_default() += 1,
                None => unmatched[class_index] += 1,
            }
        }
        let mut counts: Vec<(usize, i64)> = counts.into_iter().collect();
        counts.sort_unstable();
        for (designer, count) in counts {
            designer_pairs[designer].push((class_index, count));
            used[designer] += count as u32;
        }
    }
    let mut search = LabelSearch::new(nodes);
    if let Some(duals) = duals {
        for (class_index, class) in classes.iter().enumerate() {
            let id = prepared.merchants[class.representative()].id;
            search.label[class_index] = duals.merchant.get(&id).copied().unwrap_or(0);
        }
        for (designer, d) in prepared.designers.iter().enumerate() {
            search.label[class_count + designer] = duals.designer.get(&d.id).copied().unwrap_or(0);
        }
    }
    while let Some(node) = search.next() {
        let found_cycle = if node < class_count {
            let merchant = classes[node].representative();
            prepared
                .designers_in_sido(prepared.sido(merchant))
                .iter()
                .filter(|&&d| prepared.allowed(merchant, d))
                .any(|&d| search.relax(node, class_count + d, prepared.cost(merchant, d) as i64))
                || search.relax(node, sink, penalty)
        } else if node < sink {
            let designer = node - class_count;
            designer_pairs[designer].iter().any(|&(class_index, _)| {
                let merchant = classes[class_index].representative();
                search.relax(
                    node,
                    class_index,
                    -(prepared.cost(merchant, designer) as i64),
                )
            }) || (used[designer] < places[designer] && search.relax(node, sink, 0))
        } else {
            (0..designer_count)
                .filter(|&d| used[d] > 0)
                .any(|d| search.relax(sink, class_count + d, 0))
                || (0..class_count)
                    .filter(|&c| unmatched[c] > 0)
                    .any(|c| search.relax(sink, c, -penalty))
        };
        if found_cycle {
            return (true, search.examined, search.corrections);
        }
    }
    (false, search.examined, search.corrections)
}

/// Bellman–Ford with a queue, from given labels (any labels: they only change the speed).
struct LabelSearch {
    label: Vec<i64>,
    queue: VecDeque<usize>,
    queued: Vec<bool>,
    /// Arcs on the path that gave each label; more than the node count means the path holds a
    /// cycle, and a negative one, since the label went down.
    path_arcs: Vec<usize>,
    examined: u64,
    corrections: u64,
}

impl LabelSearch {
    fn new(nodes: usize) -> Self {
        LabelSearch {
            label: vec![0; nodes],
            queue: (0..nodes).collect(),
            queued: vec![true; nodes],
            path_arcs: vec![0; nodes],
            examined: 0,
            corrections: 0,
        }
    }

    fn next(&mut self) -> Option<usize> {
        let node = self.queue.pop_front()?;
        self.queued[node] = false;
        Some(node)
    }

    /// Lowers the label of `to` through the arc `from → to`; true when that proves a negative
    /// cycle.
    fn relax(&mut self, from: usize, to: usize, cost: i64) -> bool {
        self.examined += 1;
        let candidate = self.label[from] + cost;
        if candidate >= self.label[to] {
            return false;
        }
        self.label[to] = candidate;
        self.corrections += 1;
        self.path_arcs[to] = self.path_arcs[from] + 1;
        if self.path_arcs[to] > self.label.len() {
            return true;
        }
        if !std::mem::replace(&mut self.queued[to], true) {
            self.queue.push_back(to);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(code: &str) -> RegionCode {
        RegionCode::parse(code, "sigungu").unwrap()
    }

    fn merchant(id: i64, sigungu: &str, industry: &str, needs: Level) -> MerchantToMatch {
        MerchantToMatch {
            id,
            sigungu: region(sigungu),
            industry: industry.into(),
            needs_level: needs,
            preferred_designer: None,
            current_designer: None,
            conflicts: Vec::new(),
        }
    }

    fn designer(id: i64, sigungu: &str, level: Level, capacity: u32) -> DesignerToMatch {
        DesignerToMatch {
            id,
            level,
            sigungu: region(sigungu),
            industries_served: Vec::new(),
            capacity,
            outcome_rate: 0.5,
        }
    }

    /// xorshift64: enough randomness for tests, the same every run.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    const SEOUL: [&str; 3] = ["11110", "11140", "11170"];
    const BUSAN: [&str; 2] = ["26110", "26140"];
    const INDUSTRIES: [&str; 3] = ["I21001", "I20101", "G20405"];

    fn random_instance(
        rng: &mut XorShift,
        merchant_count: usize,
        designer_count: usize,
        extras: bool,
    ) -> (Vec<MerchantToMatch>, Vec<DesignerToMatch>) {
        let place = |rng: &mut XorShift| {
            if rng.chance(80) {
                SEOUL[rng.below(3) as usize]
            } else {
                BUSAN[rng.below(2) as usize]
            }
        };
        let level = |rng: &mut XorShift, first: u64| {
            if rng.chance(first) {
                Level::First
            } else {
                Level::Second
            }
        };
        let designers: Vec<DesignerToMatch> = (0..designer_count)
            .map(|i| {
                let mut d = designer(
                    100 + i as i64,
                    place(rng),
                    level(rng, 50),
                    rng.below(4) as u32,
                );
                d.outcome_rate = rng.below(101) as f64 / 100.0;
                for industry in INDUSTRIES {
                    if rng.chance(40) {
                        d.industries_served
                            .push((industry.into(), rng.below(20) as u32));
                    }
                }
                d
            })
            .collect();
        let merchants = (0..merchant_count)
            .map(|i| {
                let mut m = merchant(
                    1 + i as i64,
                    place(rng),
                    INDUSTRIES[rng.below(3) as usize],
                    level(rng, 30),
                );
                if extras && designer_count > 0 {
                    if rng.chance(25) {
                        m.preferred_designer = Some(100 + rng.below(designer_count as u64) as i64);
                    }
                    if rng.chance(25) {
                        m.conflicts = vec![100 + rng.below(designer_count as u64) as i64];
                    }
                }
                m
            })
            .collect();
        (merchants, designers)
    }

    /// The best (unmatched, cost) over every assignment, by trying them all.
    fn brute_force(merchants: &[MerchantToMatch], designers: &[DesignerToMatch]) -> (usize, u64) {
        fn go(
            at: usize,
            merchants: &[MerchantToMatch],
            designers: &[DesignerToMatch],
            places: &mut [u32],
            so_far: (usize, u64),
            best: &mut (usize, u64),
        ) {
            if at == merchants.len() {
                *best = (*best).min(so_far);
                return;
            }
            go(
                at + 1,
                merchants,
                designers,
                places,
                (so_far.0 + 1, so_far.1),
                best,
            );
            for (d, designer) in designers.iter().enumerate() {
                if places[d] == 0 {
                    continue;
                }
                if let Some(cost) = pair_cost(&merchants[at], designer) {
                    places[d] -= 1;
                    go(
                        at + 1,
                        merchants,
                        designers,
                        places,
                        (so_far.0, so_far.1 + cost),
                        best,
                    );
                    places[d] += 1;
                }
            }
        }
        let mut places: Vec<u32> = designers.iter().map(|d| d.capacity).collect();
        let mut best = (usize::MAX, u64::MAX);
        go(0, merchants, designers, &mut places, (0, 0), &mut best);
        best
    }

    fn objective(matching: &Matching) -> (usize, u64) {
        (matching.unassigned.len(), matching.total_cost)
    }

    #[test]
    fn the_weights_order_the_parts() {
        assert_eq!(distance_cost(11110, 11110), 0);
        assert_eq!(distance_cost(11110, 11140), OTHER_SIGUNGU_COST);
        assert_eq!(distance_cost(41110, 41830), OTHER_SIGUNGU_COST + 7);
        assert_eq!(distance_cost(47110, 47940), OTHER_SIGUNGU_COST + 8);
        assert_eq!(
            distance_cost(41110, 49990),
            OTHER_SIGUNGU_COST + SIGUNGU_CODE_TIE_BREAK_MAX
        );
        assert!(industry_fit_cost(1) < industry_fit_cost(0));
        assert!(industry_fit_cost(10) < industry_fit_cost(1));
        assert_eq!(industry_fit_cost(100), 0);
        assert_eq!(outcome_cost(1.0), 0);
        assert_eq!(outcome_cost(0.0), OUTCOME_WEIGHT);
        assert_eq!(outcome_cost(f64::NAN), OUTCOME_WEIGHT);
        assert_eq!(level_needed_for(Track::Managed), Level::First);
        assert_eq!(level_needed_for(Track::Channel), Level::Second);
    }

    #[test]
    fn greedy_strands_a_merchant_the_solver_places() {
        // Greedy gives merchant 1 the only 1급 (nearest); merchant 2 needs 1급 and is left over.
        let merchants = [
            merchant(1, "11110", "I21001", Level::Second),
            merchant(2, "11110", "I21001", Level::First),
        ];
        let designers = [
            designer(10, "11110", Level::First, 1),
            designer(11, "11140", Level::Second, 1),
        ];
        let greedy = greedy(&merchants, &designers);
        assert_eq!(greedy.unassigned, [(2, Unassignable::NoCapacityLeft)]);
        let best = optimal(&merchants, &designers);
        assert!(best.unassigned.is_empty());
        let pairs: Vec<(i64, i64)> = best
            .assignments
            .iter()
            .map(|a| (a.merchant, a.designer))
            .collect();
        assert_eq!(pairs, [(1, 11), (2, 10)]);
        assert_eq!(objective(&best), brute_force(&merchants, &designers));
        assert!(check_optimality(&merchants, &designers, &best).is_optimal());
        let check = check_optimality(&merchants, &designers, &greedy);
        assert!(check.violation.is_none() && check.negative_cycle);
    }

    #[test]
    fn greedy_pays_more_where_the_solver_swaps() {
        // Both matched either way, but greedy gives merchant 1 the designer merchant 2 needed more.
        // Merchant 1 slightly prefers designer 10 (one case of its industry, 88 against 120);
        // merchant 2 much more (fifteen cases of its industry, 160 against 220).
        let merchants = [
            merchant(1, "11110", "I21001", Level::Second),
            merchant(2, "11140", "I20101", Level::Second),
        ];
        let mut wanted = designer(10, "11110", Level::Second, 1);
        wanted.industries_served = vec![("I21001".into(), 1), ("I20101".into(), 15)];
        let designers = [wanted, designer(11, "11110", Level::Second, 1)];
        let greedy = greedy(&merchants, &designers);
        let best = optimal(&merchants, &designers);
        assert_eq!(greedy.unassigned.len(), 0);
        assert_eq!(best.unassigned.len(), 0);
        assert_eq!((greedy.total_cost, best.total_cost), (308, 280));
        assert_eq!(objective(&best), brute_force(&merchants, &designers));
        assert!(!check_optimality(&merchants, &designers, &greedy).is_optimal());
    }

    #[test]
    fn the_solver_matches_brute_force_where_greedy_does_not() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let mut greedy_worse = 0;
        for round in 0..300 {
            let merchant_count = 1 + rng.below(7) as usize;
            let designer_count = 1 + rng.below(4) as usize;
            let (merchants, designers) =
                random_instance(&mut rng, merchant_count, designer_count, round % 2 == 0);
            let best = optimal(&merchants, &designers);
            let exact = brute_force(&merchants, &designers);
            assert_eq!(objective(&best), exact, "round {round}");
            let check = check_optimality(&merchants, &designers, &best);
            assert!(check.is_optimal(), "round {round}: {check:?}");
            assert_eq!(
                check.label_corrections, 0,
                "round {round}: the duals are a proof"
            );
            let greedy = greedy(&merchants, &designers);
            if objective(&greedy) != exact {
                greedy_worse += 1;
                assert!(objective(&greedy) > exact);
                assert!(!check_optimality(&merchants, &designers, &greedy).is_optimal());
            }
        }
        assert!(greedy_worse > 10, "greedy was worse {greedy_worse} times");
    }

    #[test]
    fn hard_rules_hold_in_every_pair() {
        let mut rng = XorShift(42);
        for _ in 0..50 {
            let (merchants, designers) = random_instance(&mut rng, 60, 12, true);
            let best = optimal(&merchants, &designers);
            let mut used: HashMap<i64, u32> = HashMap::new();
            for a in &best.assignments {
                let m = merchants.iter().find(|m| m.id == a.merchant).unwrap();
                let d = designers.iter().find(|d| d.id == a.designer).unwrap();
                assert_eq!(m.sigungu.sido(), d.sigungu.sido(), "never across 시도");
                assert!(
                    !(m.needs_level == Level::First && d.level == Level::Second),
                    "never a 2급 for a 1급 need"
                );
                assert!(!m.conflicts.contains(&d.id), "never a conflicted pair");
                assert_eq!(Some(a.cost), pair_cost(m, d));
                *used.entry(d.id).or_default() += 1;
            }
            for d in &designers {
                let used = used.get(&d.id).copied().unwrap_or(0);
                assert!(used <= d.capacity, "never over capacity");
                for a in best.assignments.iter().filter(|a| a.designer == d.id) {
                    assert_eq!(a.reasons.remaining_capacity, d.capacity - used);
                }
            }
            assert_eq!(
                best.assignments.len() + best.unassigned.len(),
                merchants.len()
            );
            assert!(check_optimality(&merchants, &designers, &best).is_optimal());
        }
    }

    #[test]
    fn running_delegations_stay_while_the_designer_has_room() {
        let mut staying = merchant(1, "11110", "I21001", Level::Second);
        staying.current_designer = Some(11);
        let mut moved = merchant(2, "11110", "I21001", Level::Second);
        moved.current_designer = Some(12);
        let mut experienced = designer(10, "11110", Level::Second, 2);
        experienced.industries_served = vec![("I21001".into(), 20)];
        experienced.outcome_rate = 1.0;
        let designers = [
            experienced,
            designer(11, "11170", Level::Second, 1),
            designer(12, "11170", Level::Second, 0),
        ];
        let merchants = [staying, moved];
        let best = optimal(&merchants, &designers);
        let first = &best.assignments[0];
        assert_eq!((first.merchant, first.designer), (1, 11));
        assert!(first.reasons.continued && !first.reasons.same_sigungu);
        assert_eq!(first.reasons.designer_sigungu_name, "서울특별시 용산구");
        let second = &best.assignments[1];
        assert_eq!((second.merchant, second.designer), (2, 10));
        assert!(!second.reasons.continued && second.reasons.same_sigungu);
        assert_eq!(second.reasons.industry_experience, 20);
        assert_eq!(second.reasons.remaining_capacity, 1);
        assert!(check_optimality(&merchants, &designers, &best).is_optimal());
        // Moving merchant 1 is caught.
        let mut moved_away = best.clone();
        moved_away.assignments[0].designer = 10;
        moved_away.assignments[0].cost = pair_cost(&merchants[0], &designers[0]).unwrap();
        moved_away.total_cost = moved_away.assignments.iter().map(|a| a.cost).sum();
        assert_eq!(
            check_optimality(&merchants, &designers, &moved_away).violation,
            Some(Violation::DelegationMoved(1))
        );
    }

    #[test]
    fn a_chosen_designer_is_preferred_and_said_so() {
        let mut choosing = merchant(1, "11110", "I21001", Level::Second);
        choosing.preferred_designer = Some(11);
        // Same 시군구: the choice (−40) outweighs designer 10's better record (−20) …
        let mut better_record = designer(10, "11110", Level::Second, 1);
        better_record.outcome_rate = 1.0;
        let designers = [better_record, designer(11, "11110", Level::Second, 1)];
        let merchants = [choosing.clone()];
        let best = optimal(&merchants, &designers);
        assert_eq!(best.assignments[0].designer, 11);
        assert!(best.assignments[0].reasons.preferred);
        assert_eq!(best.assignments[0].cost, 60 + 20);
        // … but not another 시군구 (the step is 100).
        let designers = [
            designers[0].clone(),
            designer(11, "11140", Level::Second, 1),
        ];
        let best = optimal(&merchants, &designers);
        assert_eq!(best.assignments[0].designer, 10);
        assert!(!best.assignments[0].reasons.preferred);
    }

    #[test]
    fn unmatched_merchants_are_told_why() {
        let mut conflicted = merchant(3, "11110", "I21001", Level::Second);
        conflicted.conflicts = vec![10, 11];
        let merchants = [
            merchant(1, "26110", "I21001", Level::Second),
            merchant(2, "11110", "I21001", Level::First),
            conflicted,
            merchant(4, "11110", "I21001", Level::Second),
            merchant(5, "11140", "I21001", Level::Second),
        ];
        let designers = [
            designer(10, "11110", Level::Second, 1),
            designer(11, "11140", Level::Second, 0),
        ];
        let best = optimal(&merchants, &designers);
        assert_eq!(best.assignments.len(), 1);
        assert_eq!(
            best.unassigned,
            [
                (1, Unassignable::NoDesignerInSido),
                (2, Unassignable::NoDesignerOfLevel),
                (3, Unassignable::AllConflicted),
                (5, Unassignable::NoCapacityLeft),
            ]
        );
        assert_eq!(best.assignments[0].merchant, 4);
        assert!(check_optimality(&merchants, &designers, &best).is_optimal());
        assert_eq!(
            Unassignable::NoCapacityLeft.key(),
            "reason-matching-no-capacity-left"
        );
    }

    #[test]
    fn classes_cost_the_same_as_single_merchants() {
        let mut rng = XorShift(7);
        for _ in 0..5 {
            let (merchants, designers) = random_instance(&mut rng, 400, 40, true);
            let collapsed = solve(&merchants, &designers, true);
            let single = solve(&merchants, &designers, false);
            let stats = collapsed.stats().unwrap();
            assert!(stats.classes < single.stats().unwrap().classes);
            assert_eq!(objective(&collapsed), objective(&single));
            assert!(check_optimality(&merchants, &designers, &collapsed).is_optimal());
            assert!(check_optimality(&merchants, &designers, &single).is_optimal());
            assert_eq!(
                collapsed,
                solve(&merchants, &designers, true),
                "deterministic"
            );
        }
    }

    #[test]
    fn the_check_refuses_a_matching_that_breaks_rules() {
        let merchants = [
            merchant(1, "11110", "I21001", Level::First),
            merchant(2, "11110", "I21001", Level::Second),
        ];
        let designers = [
            designer(10, "11110", Level::First, 1),
            designer(11, "11110", Level::Second, 1),
        ];
        let best = optimal(&merchants, &designers);
        let mut swapped = best.clone();
        swapped.assignments[0].designer = 11;
        assert_eq!(
            check_optimality(&merchants, &designers, &swapped).violation,
            Some(Violation::NotAllowed {
                merchant: 1,
                designer: 11
            })
        );
        let mut crowded = best.clone();
        crowded.assignments[1].designer = 10;
        assert_eq!(
            check_optimality(&merchants, &designers, &crowded).violation,
            Some(Violation::OverCapacity(10))
        );
        let mut dropped = best;
        dropped.assignments.pop();
        dropped.total_cost = dropped.assignments.iter().map(|a| a.cost).sum();
        assert_eq!(
            check_optimality(&merchants, &designers, &dropped).violation,
            Some(Violation::MerchantMissing(2))
        );
    }
}
