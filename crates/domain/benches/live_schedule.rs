//! A season of 가치데이 live commerce: 600 broadcasts — 10 studios, one start time each (two
//! pairs share the prime-time minutes 19:00 and 20:00), on Mondays, Wednesdays and Fridays for
//! 20 weeks — for 2,000 candidates of 60 상권업종 codes (a Zipf skew: 음식점 and 소매 codes
//! first), 0–3 preferred weeks each, and 40 hosts of 1–3 대분류 working 3–6 weekdays, with the
//! same industry at least 7 days apart. Times the optimiser against the target of 5 s, reports
//! its total fit against the proven upper bound (target ≥ 98 %) and runs the first-come greedy
//! on the same data for comparison. Exits non-zero if either plan breaks a hard rule.
//!
//! `cargo bench -p gachi-domain --bench live_schedule` (`GACHI_BENCH_LIVE_SEED` and
//! `GACHI_BENCH_LIVE_SPACING` change the generated season and the spacing in days).

use std::time::Instant;

use gachi_domain::kernel::industry;
use gachi_domain::live::schedule::{
    self, Candidate, Host, ScheduleInput, Studio, check, upper_bound,
};
use time::{Date, Duration, Month};

const CANDIDATES: usize = 2_000;
const HOSTS: usize = 40;
const WEEKS: i64 = 20;
const INDUSTRIES: usize = 60;
const SPACING: u16 = 7;
const SEED: u64 = 0x5eed_0002;
const TARGET_SECONDS: f64 = 5.0;
const TARGET_SHARE: f64 = 98.0;

/// xorshift64*: deterministic, no crate.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut x = self.below(weights.iter().sum());
        for (k, &w) in weights.iter().enumerate() {
            if x < w {
                return k;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// 60 current 상권업종 codes with their 대분류, most common first: 음식점 and 소매 codes
/// alternating, then six other 대분류.
fn industries() -> Vec<(String, String)> {
    let all = industry::all();
    let of = |major: &str, n: usize| -> Vec<(String, String)> {
        all.iter()
            .filter(|i| i.major == major)
            .take(n)
            .map(|i| (i.code.clone(), i.major.clone()))
            .collect()
    };
    let food = of("음식점업", 20);
    let retail = of("소매업", 20);
    let mut list: Vec<(String, String)> = food
        .into_iter()
        .zip(retail)
        .flat_map(|(a, b)| [a, b])
        .collect();
    for (major, n) in [
        ("수리 및 개인 서비스업", 5),
        ("교육 서비스업", 3),
        ("예술, 스포츠 및 여가관련 서비스업", 3),
        ("숙박업", 3),
        ("전문, 과학 및 기술 서비스업", 3),
        ("보건의료업", 3),
    ] {
        list.extend(of(major, n));
    }
    assert_eq!(list.len(), INDUSTRIES, "the industry table has the codes");
    list
}

fn from_env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn season(seed: u64, spacing: u16) -> ScheduleInput {
    let mut random = Random(seed);
    let first_monday = Date::from_calendar_date(2025, Month::March, 3).expect("a Monday");
    let mondays: Vec<Date> = (0..WEEKS)
        .map(|w| first_monday + Duration::weeks(w))
        .collect();
    let days: Vec<Date> = mondays
        .iter()
        .flat_map(|&m| [m, m + Duration::days(2), m + Duration::days(4)])
        .collect();
    let studios = [600, 660, 780, 840, 900, 960, 1140, 1140, 1200, 1200]
        .into_iter()
        .map(|minute| Studio {
            times: vec![minute],
        })
        .collect();
    let codes = industries();
    // Zipf: the k-th code is 1/k as common as the first.
    let industry_weights: Vec<usize> = (0..INDUSTRIES).map(|k| 1_000_000 / (k + 1)).collect();
    let mut majors: Vec<String> = codes.iter().map(|(_, major)| major.clone()).collect();
    majors.dedup();
    // Hosts specialise like the merchants: mostly 음식 and 소매.
    let major_weights: Vec<usize> = majors
        .iter()
        .map(|m| {
            industry_weights
                .iter()
                .zip(&codes)
                .filter(|(_, (_, major))| major == m)
                .map(|(w, _)| w)
                .sum()
        })
        .collect();
    let hosts = (0..HOSTS)
        .map(|_| {
            let mut categories: Vec<String> = Vec::new();
            for _ in 0..1 + random.below(3) {
                let major = &majors[random.weighted(&major_weights)];
                if !categories.contains(major) {
                    categories.push(major.clone());
                }
            }
            let mut weekdays = 0u8;
            let want = 3 + random.below(4);
            while weekdays.count_ones() < want as u32 {
                weekdays |= 1 << random.below(7);
            }
            Host {
                categories,
                weekdays,
            }
        })
        .collect();
    let candidates = (0..CANDIDATES)
        .map(|_| {
            let (code, major) = &codes[random.weighted(&industry_weights)];
            // Reviews lean high: the larger of two draws.
            let score = 1000 + random.below(4001).max(random.below(4001)) as i64;
            let mut preferred_weeks: Vec<Date> = Vec::new();
            for _ in 0..random.below(4) {
                let week = mondays[random.below(mondays.len())];
                if !preferred_weeks.contains(&week) {
                    preferred_weeks.push(week);
                }
            }
            Candidate {
                score,
                industry: code.clone(),
                category: major.clone(),
                preferred_weeks,
            }
        })
        .collect();
    ScheduleInput {
        days,
        studios,
        hosts,
        candidates,
        min_days_between_same_industry: spacing,
    }
}

fn main() {
    let spacing = from_env("GACHI_BENCH_LIVE_SPACING", SPACING);
    let input = season(from_env("GACHI_BENCH_LIVE_SEED", SEED), spacing);
    let capacity: usize =
        input.days.len() * input.studios.iter().map(|s| s.times.len()).sum::<usize>();
    println!(
        "live schedule: {CANDIDATES} candidates of {INDUSTRIES} industries, {HOSTS} hosts, {} studios × {} days = {capacity} broadcasts, same industry ≥ {spacing} days apart",
        input.studios.len(),
        input.days.len()
    );
    let started = Instant::now();
    let plan = schedule::schedule(&input);
    let seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let bound = upper_bound(&input);
    let bound_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let first_come = schedule::greedy(&input);
    let greedy_seconds = started.elapsed().as_secs_f64();
    let conflicts = check(&input, &plan.placements);
    let greedy_conflicts = check(&input, &first_come.placements);
    let share = plan.fit as f64 / bound.max(1) as f64 * 100.0;
    println!(
        "  schedule()          {seconds:>10.3} s   (target < {TARGET_SECONDS} s: {:.1}× under)",
        TARGET_SECONDS / seconds
    );
    println!(
        "  placed              {:>10}     of {capacity} slots; {} unplaced",
        plan.placements.len(),
        plan.unplaced.len()
    );
    println!("  total fit           {:>10}", plan.fit);
    println!("  upper bound         {bound:>10}     ({bound_seconds:.3} s)");
    println!(
        "  fit / bound         {share:>10.2} %   (target ≥ {TARGET_SHARE} %{})",
        if share >= TARGET_SHARE {
            ""
        } else {
            ": MISSED"
        }
    );
    println!(
        "  first-come greedy   {:>10}     fit, {} placed, {greedy_seconds:.3} s; ours / greedy = {:.3}",
        first_come.fit,
        first_come.placements.len(),
        plan.fit as f64 / first_come.fit.max(1) as f64
    );
    println!(
        "  conflicts           {:>10}     (greedy: {})",
        conflicts.len(),
        greedy_conflicts.len()
    );
    if !conflicts.is_empty() || !greedy_conflicts.is_empty() {
        eprintln!("a plan breaks a hard rule: {conflicts:?} {greedy_conflicts:?}");
        std::process::exit(1);
    }
}
