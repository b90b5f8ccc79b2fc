//! Designer ↔ merchant matching at national scale: 100,000 merchants of the managed and channel
//! tracks and 10,000 디지털 유통설계사 with 5–15 places each, spread over the real 시군구 and
//! 상권업종 tables, generated the same way every run. Times the optimal matching on one core
//! against the target of 10 s, reads the process's peak resident memory (VmHWM) against 1 GB,
//! proves the result optimal with the residual-network check, and compares the greedy matching.
//!
//! `cargo bench -p gachi-domain --bench matching`

use std::time::{Duration, Instant};

use gachi_domain::designers::Level;
use gachi_domain::designers::matching::{
    self, DesignerToMatch, Matching, MerchantToMatch, Unassignable,
};
use gachi_domain::kernel::industry;
use gachi_domain::kernel::region::{self, RegionCode};
use gachi_domain::merchants::diagnosis::Track;

const MERCHANTS: usize = 100_000;
const DESIGNERS: usize = 10_000;
const TARGET_SECONDS: f64 = 10.0;
const TARGET_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;

/// xorshift64*: deterministic, no crate.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Draws from a list by Zipf weights (rank r weighs 1/r), as shops crowd into few industries.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize) -> Self {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn draw(&self, random: &mut Random) -> usize {
        let target = random.unit() * self.cumulative.last().expect("not empty");
        self.cumulative
            .partition_point(|&c| c < target)
            .min(self.cumulative.len() - 1)
    }
}

/// A 시군구 where shops are: those not divided further (a 시's 구, not the 시 holding them).
fn sigungu_with_shops() -> Vec<RegionCode> {
    region::all_sigungu()
        .into_iter()
        .filter(|r| r.code.children().is_empty())
        .map(|r| r.code)
        .collect()
}

fn generate() -> (Vec<MerchantToMatch>, Vec<DesignerToMatch>, usize, usize) {
    let mut random = Random(0x005e_ed0f_9ac4_1e55);
    let places = sigungu_with_shops();
    // Industries in a shuffled order, so the popular ones are not the first codes of the table.
    let mut industries: Vec<String> = industry::all()
        .into_iter()
        .map(|i| i.code.clone())
        .collect();
    for i in (1..industries.len()).rev() {
        industries.swap(i, random.below(i + 1));
    }
    let popularity = Zipf::new(industries.len());
    let mut by_sido: std::collections::HashMap<RegionCode, Vec<usize>> = Default::default();
    let designers: Vec<DesignerToMatch> = (0..DESIGNERS)
        .map(|i| {
            let sigungu = places[random.below(places.len())].clone();
            by_sido.entry(sigungu.sido()).or_default().push(i);
            let mut served: Vec<(String, u32)> = Vec::new();
            for _ in 0..1 + random.below(4) {
                let code = &industries[popularity.draw(&mut random)];
                if !served.iter().any(|(c, _)| c == code) {
                    served.push((code.clone(), 1 + random.below(40) as u32));
                }
            }
            DesignerToMatch {
                id: 1 + i as i64,
                level: if random.chance(30) {
                    Level::First
                } else {
                    Level::Second
                },
                sigungu,
                industries_served: served,
                capacity: 5 + random.below(11) as u32,
                outcome_rate: 0.2 + 0.75 * random.unit(),
            }
        })
        .collect();
    let some_designer_of = |sido: &RegionCode, random: &mut Random| {
        by_sido
            .get(sido)
            .map(|list| designers[list[random.below(list.len())]].id)
    };
    let merchants: Vec<MerchantToMatch> = (0..MERCHANTS)
        .map(|i| {
            let sigungu = places[random.below(places.len())].clone();
            let sido = sigungu.sido();
            let track = if random.chance(20) {
                Track::Managed
            } else {
                Track::Channel
            };
            let preferred_designer = if random.chance(2) {
                some_designer_of(&sido, &mut random)
            } else {
                None
            };
            let current_designer = if random.chance(5) {
                some_designer_of(&sido, &mut random)
            } else {
                None
            };
            let conflicts = if random.chance(1) {
                (0..1 + random.below(2))
                    .filter_map(|_| some_designer_of(&sido, &mut random))
                    .collect()
            } else {
                Vec::new()
            };
            MerchantToMatch {
                id: 1 + i as i64,
                sigungu,
                industry: industries[popularity.draw(&mut random)].clone(),
                needs_level: matching::level_needed_for(track),
                preferred_designer,
                current_designer,
                conflicts,
            }
        })
        .collect();
    (merchants, designers, places.len(), industries.len())
}

/// A line of /proc/self/status in bytes (`VmHWM`, `VmRSS`), where there is one.
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// Restarts the peak count at the current size (Linux: `5` to clear_refs); false when refused.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mebibytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn summary(name: &str, matching: &Matching, elapsed: Duration) {
    let count = |reason| {
        matching
            .unassigned
            .iter()
            .filter(|(_, r)| *r == reason)
            .count()
    };
    println!(
        "{name:>8}: {:>7} matched, {:>6} unmatched (in 시도 without designers {}, of level {}, all conflicted {}, full {}), total cost {:>10}, mean {:.1}, {:.3} s",
        matching.assignments.len(),
        matching.unassigned.len(),
        count(Unassignable::NoDesignerInSido),
        count(Unassignable::NoDesignerOfLevel),
        count(Unassignable::AllConflicted),
        count(Unassignable::NoCapacityLeft),
        matching.total_cost,
        matching.total_cost as f64 / matching.assignments.len().max(1) as f64,
        elapsed.as_secs_f64(),
    );
}

fn main() {
    let started = Instant::now();
    let (merchants, designers, place_count, industry_count) = generate();
    let places: u64 = designers.iter().map(|d| u64::from(d.capacity)).sum();
    let first_places: u64 = designers
        .iter()
        .filter(|d| d.level == Level::First)
        .map(|d| u64::from(d.capacity))
        .sum();
    let managed = merchants
        .iter()
        .filter(|m| m.needs_level == Level::First)
        .count();
    println!(
        "input: {} merchants ({managed} managed, needing 1급) in {place_count} 시군구 × {industry_count} 업종; {} designers with {places} places ({first_places} at 1급); generated in {:.2} s",
        merchants.len(),
        designers.len(),
        started.elapsed().as_secs_f64()
    );
    let before = status_bytes("VmRSS:").unwrap_or(0);
    let peak_reset = reset_peak();

    let started = Instant::now();
    let optimal = matching::optimal(&merchants, &designers);
    let solve_time = started.elapsed();
    let peak = status_bytes("VmHWM:").unwrap_or(0);
    summary("optimal", &optimal, solve_time);
    if let Some(stats) = optimal.stats() {
        println!(
            "  network: {} merchants re-matched in {} classes ({} of one), {} nodes, {} arcs; {} shortest-path rounds, {} augmenting paths",
            stats.merchants,
            stats.classes,
            stats.single_merchant_classes,
            stats.nodes,
            stats.arcs,
            stats.shortest_path_rounds,
            stats.augmenting_paths
        );
    }
    let kept = optimal
        .assignments
        .iter()
        .filter(|a| a.reasons.continued)
        .count();
    let preferred = optimal
        .assignments
        .iter()
        .filter(|a| a.reasons.preferred)
        .count();
    let local = optimal
        .assignments
        .iter()
        .filter(|a| a.reasons.same_sigungu)
        .count();
    println!(
        "  {kept} running delegations kept, {preferred} merchants got the designer they chose, {local} a designer of their own 시군구"
    );

    let started = Instant::now();
    let greedy = matching::greedy(&merchants, &designers);
    let greedy_time = started.elapsed();
    summary("greedy", &greedy, greedy_time);

    let started = Instant::now();
    let check = matching::check_optimality(&merchants, &designers, &optimal);
    let check_time = started.elapsed();
    let penalty = check.unmatched_penalty;
    let objective = |m: &Matching| m.unassigned.len() as u64 * penalty + m.total_cost;
    println!();
    println!(
        "greedy / optimal: matched {} / {} ({:+} for optimal), total cost {} / {} = {:.4}, mean cost per match {:.4}",
        greedy.assignments.len(),
        optimal.assignments.len(),
        optimal.assignments.len() as i64 - greedy.assignments.len() as i64,
        greedy.total_cost,
        optimal.total_cost,
        greedy.total_cost as f64 / optimal.total_cost as f64,
        (greedy.total_cost as f64 / greedy.assignments.len() as f64)
            / (optimal.total_cost as f64 / optimal.assignments.len() as f64),
    );
    println!(
        "objective (M = {penalty} per unmatched merchant + cost): greedy {} / optimal {} = {:.6}",
        objective(&greedy),
        objective(&optimal),
        objective(&greedy) as f64 / objective(&optimal) as f64
    );
    if check.is_optimal() {
        println!(
            "optimality check: no negative-cost cycle in the residual network ({} arcs examined, {} labels lowered, {:.2} s): optimality gap 0",
            check.residual_arcs_examined,
            check.label_corrections,
            check_time.as_secs_f64()
        );
    } else {
        println!(
            "optimality check FAILED: violation {:?}, negative cycle {} ({} arcs examined, {:.2} s)",
            check.violation,
            check.negative_cycle,
            check.residual_arcs_examined,
            check_time.as_secs_f64()
        );
    }
    println!();
    let seconds = solve_time.as_secs_f64();
    println!(
        "time:   {seconds:.3} s on one core, target {TARGET_SECONDS} s: {:.1}% of the target",
        100.0 * seconds / TARGET_SECONDS
    );
    println!(
        "memory: peak resident {:.0} MiB during the solve (process-wide, input of {:.0} MiB included{}), target 1 GiB: {:.1}% of the target",
        mebibytes(peak),
        mebibytes(before),
        if peak_reset {
            ""
        } else {
            "; peak since process start"
        },
        100.0 * peak as f64 / TARGET_BYTES
    );
    if !check.is_optimal() {
        std::process::exit(1);
    }
}
