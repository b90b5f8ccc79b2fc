//! The season plan of 가치데이 live commerce: which merchants go on air, on which day, in which
//! studio slot and with which host.
//!
//! **Model.** A season is a list of days; every studio broadcasts at the same start times (60
//! minutes each) on every day. A broadcast needs a host who works on that weekday and is not on
//! air in another studio at the same start minute. Candidates are merchants with a weighted
//! review score; two merchants of the same 소분류 industry go on air at least
//! `min_days_between_same_industry` calendar days apart, and nobody goes on air twice. A
//! broadcast is worth `score × (1 + [its week is one the merchant prefers] + [the host sells the
//! merchant's 대분류])`; the plan maximises the total.
//!
//! **Bounds.** Two relaxations, each solved exactly, each at least the best plan; the smaller
//! is the proven `upper_bound`. Both count a day's broadcasts per start minute as the studios
//! at that minute or the hosts working that day if fewer, and a broadcast as worth at most
//! `score × (1 + preferred week + some host of its 대분류 works that day)`.
//!
//! - *Blocks.* Cut the calendar into blocks of `d = min_days_between_same_industry` days (one
//!   day each when `d` is 0). Two days of a block are less than `d` apart, so an industry has
//!   at most one broadcast per block and at most as many as the largest set of season days
//!   pairwise `d` apart. A plan is then a flow source → industry (that many) → candidate →
//!   (industry, block) (1) → block (its days' capacity) → sink, each broadcast valued on the
//!   best day of its block; the best flow (`kernel::flow`) bounds every plan. Any alignment of
//!   the blocks is valid, so the smallest over a few is taken (blocks starting on Mondays among
//!   them: with `d` = 7 they are the preferred weeks).
//! - *Lagrangian.* Price each day's capacity and each candidate's "at most once" out of the
//!   problem; what is left splits by industry into a longest path on the line of days (every
//!   window of `d` days kept, not just blocks). Any non-negative prices give a bound; prices
//!   improve by subgradient steps, are rounded to integers and evaluated exactly.
//!
//! **Optimiser.** (1) The tightest block flow picks candidates and their blocks. (2) Block by
//! block in calendar order, a small flow gives each a day of its block at least `d` days after
//! its industry's broadcast in the previous block (earlier days at equal value, to leave room
//! in the next block); those that find none wait for step 4. (3) Day by day, a flow gives each
//! broadcast a start minute and a working host, preferring hosts of its 대분류. (4) Local search
//! until nothing improves: unplaced candidates fill free slots or replace a broadcast worth
//! less, broadcasts move to a better free slot or exchange days, each day's hosts are reassigned
//! by the flow of step 3. Unless that plan meets the bound, more are built the same way — from
//! the Lagrangian's last day patterns (each industry's days are pairwise `d` apart, so a flow
//! candidate → pattern day → day picks spaced broadcasts) and from the other block alignments —
//! and the best kept. Every move keeps every hard rule, so plans `check` clean by construction.
//! (5) A season of at most 20 candidates is finished by an exact depth-first search, pruned by
//! the best broadcasts still possible, within a fixed node budget. Everything is deterministic.
//!
//! With `d` = 7 and broadcasts on weekdays, the block bound is usually met exactly: the plan is
//! then proven optimal (`benches/live_schedule.rs`).

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use ::time::Date;

use crate::kernel::flow::{NetworkBuilder, min_cost_max_flow};

/// Minutes after midnight.
pub type Minute = u16;

/// A studio: the start times of its 60-minute broadcasts, the same on every season day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Studio {
    pub times: Vec<Minute>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// 대분류 names (e.g. 음식, 소매) the host sells well.
    pub categories: Vec<String>,
    /// The weekdays the host works: bit 0 is Monday … bit 6 Sunday.
    pub weekdays: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Weighted review score in milli-points, 1000..=5000.
    pub score: i64,
    /// 상권업종 소분류 code, e.g. `I21001`: the same-industry spacing is by this code.
    pub industry: String,
    /// 대분류 name, matched against `Host::categories`.
    pub category: String,
    /// Mondays of the weeks the merchant prefers (may be empty).
    pub preferred_weeks: Vec<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleInput {
    /// The season days broadcasts may be on, ascending.
    pub days: Vec<Date>,
    pub studios: Vec<Studio>,
    pub hosts: Vec<Host>,
    pub candidates: Vec<Candidate>,
    /// Two broadcasts of the same industry are at least this many calendar days apart (0: no
    /// rule).
    pub min_days_between_same_industry: u16,
}

/// One broadcast: indexes into the input (`time` into the studio's `times`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Placement {
    pub candidate: usize,
    pub day: usize,
    pub studio: usize,
    pub time: usize,
    pub host: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// By day, studio and time.
    pub placements: Vec<Placement>,
    /// Candidates not on air, ascending.
    pub unplaced: Vec<usize>,
    /// The total `fit` of the placements.
    pub fit: i64,
}

/// A hard rule a set of placements breaks; `a`, `b` and `placement` index the placements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Same studio, day and start minute.
    StudioDoubleBooked {
        a: usize,
        b: usize,
    },
    /// The same host on air twice at the same day and start minute.
    HostDoubleBooked {
        a: usize,
        b: usize,
    },
    /// The host does not work on that weekday.
    HostUnavailable {
        placement: usize,
    },
    /// Same industry, fewer than `min_days_between_same_industry` days apart.
    IndustryTooClose {
        a: usize,
        b: usize,
    },
    CandidateTwice {
        a: usize,
        b: usize,
    },
    /// An index outside the input; the placement is not checked further.
    OutOfRange {
        placement: usize,
    },
}

fn weekday_of(date: Date) -> usize {
    usize::from(date.weekday().number_days_from_monday())
}

fn works_on(host: &Host, date: Date) -> bool {
    host.weekdays >> weekday_of(date) & 1 == 1
}

/// What a broadcast of `candidate` on `day` with `host` is worth: its score, once more if the
/// day's week (its Monday) is one the merchant prefers, once more if the host sells its 대분류.
/// Panics on an index outside the input.
pub fn fit(input: &ScheduleInput, candidate: usize, day: usize, host: usize) -> i64 {
    let c = &input.candidates[candidate];
    let date = input.days[day];
    let monday = i64::from(date.to_julian_day()) - weekday_of(date) as i64;
    let week = c
        .preferred_weeks
        .iter()
        .any(|m| i64::from(m.to_julian_day()) == monday);
    let matched = input.hosts[host].categories.contains(&c.category);
    c.score * (1 + i64::from(week) + i64::from(matched))
}

/// A studio's distinct start time; `group` numbers its start minute among all studios'.
#[derive(Debug, Clone, Copy)]
struct Slot {
    studio: usize,
    time: usize,
    group: usize,
}

/// The input, indexed for the optimiser.
struct Season<'a> {
    input: &'a ScheduleInput,
    /// `min_days_between_same_industry`.
    spacing: i64,
    /// Julian day number of each day, and of its week's Monday.
    date: Vec<i64>,
    monday: Vec<i64>,
    weekday: Vec<usize>,
    /// Broadcasts the day can hold: per start minute, its studios or the hosts working that
    /// day if fewer. 0 for a date listed twice (only its first entry is used).
    capacity: Vec<usize>,
    /// Days of positive capacity, by date.
    open_days: Vec<usize>,
    slots: Vec<Slot>,
    /// Slots by start minute, ascending.
    groups: Vec<Vec<usize>>,
    hosts_on: [Vec<usize>; 7],
    industry: Vec<usize>,
    industries: usize,
    category: Vec<usize>,
    host_has: Vec<Vec<bool>>,
    /// By category and weekday: some host of that 대분류 works that day.
    hostable: Vec<[bool; 7]>,
    /// Julian day numbers of the preferred Mondays.
    prefers: Vec<Vec<i64>>,
    /// Candidates worth placing (positive score).
    people: Vec<usize>,
}

impl<'a> Season<'a> {
    fn new(input: &'a ScheduleInput) -> Self {
        let date: Vec<i64> = input
            .days
            .iter()
            .map(|d| i64::from(d.to_julian_day()))
            .collect();
        let weekday: Vec<usize> = input.days.iter().map(|&d| weekday_of(d)).collect();
        let monday = date
            .iter()
            .zip(&weekday)
            .map(|(d, w)| d - *w as i64)
            .collect();
        let mut listed = Vec::new();
        for (studio, s) in input.studios.iter().enumerate() {
            for (time, &minute) in s.times.iter().enumerate() {
                if !s.times[..time].contains(&minute) {
                    listed.push((studio, time, minute));
                }
            }
        }
        let mut minutes: Vec<Minute> = listed.iter().map(|&(_, _, m)| m).collect();
        minutes.sort_unstable();
        minutes.dedup();
        let slots: Vec<Slot> = listed
            .into_iter()
            .map(|(studio, time, minute)| Slot {
                studio,
                time,
                group: minutes.binary_search(&minute).expect("a listed minute"),
            })
            .collect();
        let mut groups = vec![Vec::new(); minutes.len()];
        for (s, slot) in slots.iter().enumerate() {
            groups[slot.group].push(s);
        }
        let hosts_on: [Vec<usize>; 7] = std::array::from_fn(|wd| {
            (0..input.hosts.len())
                .filter(|&h| input.hosts[h].weekdays >> wd & 1 == 1)
                .collect()
        });
        let mut seen = HashSet::new();
        let capacity: Vec<usize> = (0..input.days.len())
            .map(|t| {
                if !seen.insert(date[t]) {
                    return 0;
                }
                let hosts = hosts_on[weekday[t]].len();
                groups.iter().map(|g| g.len().min(hosts)).sum()
            })
            .collect();
        let mut open_days: Vec<usize> =
            (0..input.days.len()).filter(|&t| capacity[t] > 0).collect();
        open_days.sort_by_key(|&t| (date[t], t));
        let mut industry_ids: HashMap<&str, usize> = HashMap::new();
        let industry = input
            .candidates
            .iter()
            .map(|c| {
                let next = industry_ids.len();
                *industry_ids.entry(c.industry.as_str()).or_insert(next)
            })
            .collect();
        let mut category_ids: HashMap<&str, usize> = HashMap::new();
        let category = input
            .candidates
            .iter()
            .map(|c| {
                let next = category_ids.len();
                *category_ids.entry(c.category.as_str()).or_insert(next)
            })
            .collect();
        let host_has: Vec<Vec<bool>> = input
            .hosts
            .iter()
            .map(|h| {
                let mut has = vec![false; category_ids.len()];
                for name in &h.categories {
                    if let Some(&k) = category_ids.get(name.as_str()) {
                        has[k] = true;
                    }
                }
                has
            })
            .collect();
        let hostable = (0..category_ids.len())
            .map(|k| std::array::from_fn(|wd| hosts_on[wd].iter().any(|&h| host_has[h][k])))
            .collect();
        Season {
            input,
            spacing: i64::from(input.min_days_between_same_industry),
            date,
            monday,
            weekday,
            capacity,
            open_days,
            slots,
            groups,
            hosts_on,
            industry,
            industries: industry_ids.len(),
            category,
            host_has,
            hostable,
            prefers: input
                .candidates
                .iter()
                .map(|c| {
                    c.preferred_weeks
                        .iter()
                        .map(|m| i64::from(m.to_julian_day()))
                        .collect()
                })
                .collect(),
            people: (0..input.candidates.len())
                .filter(|&c| input.candidates[c].score > 0)
                .collect(),
        }
    }

    fn score(&self, c: usize) -> i64 {
        self.input.candidates[c].score
    }

    fn prefers(&self, c: usize, t: usize) -> bool {
        self.prefers[c].contains(&self.monday[t])
    }

    fn matches(&self, c: usize, h: usize) -> bool {
        self.host_has[h][self.category[c]]
    }

    /// `fit`, on the indexed input.
    fn fit(&self, c: usize, t: usize, h: usize) -> i64 {
        self.score(c) * (1 + i64::from(self.prefers(c, t)) + i64::from(self.matches(c, h)))
    }

    /// The most a broadcast of `c` on day `t` can be worth, whoever hosts it.
    fn best(&self, c: usize, t: usize) -> i64 {
        let hostable = self.hostable[self.category[c]][self.weekday[t]];
        self.score(c) * (1 + i64::from(self.prefers(c, t)) + i64::from(hostable))
    }

    /// The most broadcasts one industry can have: the largest set of open days pairwise
    /// `spacing` apart (earliest first is optimal on a line). Unlimited without the rule.
    fn most_spaced(&self) -> i64 {
        if self.spacing == 0 {
            return i64::MAX;
        }
        let mut count = 0;
        let mut last: Option<i64> = None;
        for &t in &self.open_days {
            if last.is_none_or(|l| self.date[t] - l >= self.spacing) {
                count += 1;
                last = Some(self.date[t]);
            }
        }
        count
    }

    /// Block alignments to try: every one for blocks of up to a week, else seven spread ones;
    /// plus the one starting blocks on Mondays.
    fn alignments(&self) -> Vec<i64> {
        let length = self.spacing.max(1);
        let mut offsets: Vec<i64> = if length <= 7 {
            (0..length).collect()
        } else {
            (0..7).map(|k| k * length / 7).collect()
        };
        if let Some(&first) = self.open_days.first() {
            offsets.push(self.weekday[first] as i64 % length);
        }
        offsets.sort_unstable();
        offsets.dedup();
        offsets
    }
}

/// The best flow of the bound (see the module docs) for one alignment of the blocks.
struct Relaxation {
    value: i64,
    /// (candidate, block) chosen.
    chosen: Vec<(usize, usize)>,
    block_of: Vec<Option<usize>>,
    blocks: usize,
}

fn relax(season: &Season, offset: i64) -> Relaxation {
    let days = season.date.len();
    let mut relaxation = Relaxation {
        value: 0,
        chosen: Vec::new(),
        block_of: vec![None; days],
        blocks: 0,
    };
    let Some(&first_day) = season.open_days.first() else {
        return relaxation;
    };
    let length = season.spacing.max(1);
    let first = season.date[first_day];
    for &t in &season.open_days {
        let b = ((season.date[t] - first + offset) / length) as usize;
        relaxation.block_of[t] = Some(b);
        relaxation.blocks = relaxation.blocks.max(b + 1);
    }
    let blocks = relaxation.blocks;
    let mut block_capacity = vec![0i64; blocks];
    for &t in &season.open_days {
        block_capacity[relaxation.block_of[t].expect("open")] += season.capacity[t] as i64;
    }
    let people = &season.people;
    let mut values = vec![0i64; people.len() * blocks];
    for (k, &c) in people.iter().enumerate() {
        for &t in &season.open_days {
            let b = relaxation.block_of[t].expect("open");
            let v = &mut values[k * blocks + b];
            *v = (*v).max(season.best(c, t));
        }
    }
    let top = values.iter().copied().max().unwrap_or(0) + 1;
    let industries = season.industries;
    let mut members = vec![0i64; industries];
    for &c in people {
        members[season.industry[c]] += 1;
    }
    let cap = season.most_spaced();
    let (source, sink) = (0, 1);
    let industry_node = |i: usize| 2 + i;
    let person_node = |k: usize| 2 + industries + k;
    let pair_node = |i: usize, b: usize| 2 + industries + people.len() + i * blocks + b;
    let block_node = |b: usize| 2 + industries + people.len() + industries * blocks + b;
    let mut builder = NetworkBuilder::default();
    for (i, &n) in members.iter().enumerate() {
        let places = n.min(cap);
        if places == 0 {
            continue;
        }
        builder.arc(source, industry_node(i), places, 0);
        // Places an industry leaves unused cost the most, so every broadcast that pays is taken.
        builder.arc(industry_node(i), sink, places, top);
        let per_block = if season.spacing > 0 { 1 } else { n };
        for b in 0..blocks {
            builder.arc(pair_node(i, b), block_node(b), per_block, 0);
        }
    }
    // Only an industry's `places` best candidates of a block need an arc to it: a flow through
    // a lesser one leaves one of those unused (the industry has no more places), and rerouting
    // through it loses nothing. The pruned network has the same optimum.
    let mut of_industry: Vec<Vec<usize>> = vec![Vec::new(); industries];
    for (k, &c) in people.iter().enumerate() {
        builder.arc(industry_node(season.industry[c]), person_node(k), 1, 0);
        of_industry[season.industry[c]].push(k);
    }
    let total_capacity: i64 = block_capacity.iter().sum();
    let mut choices = Vec::new();
    for (i, ks) in of_industry.iter_mut().enumerate() {
        let places = members[i].min(cap).min(total_capacity).max(0) as usize;
        for b in 0..blocks {
            ks.sort_by_key(|&k| (Reverse(values[k * blocks + b]), k));
            for &k in ks.iter().take(places) {
                let v = values[k * blocks + b];
                if v > 0 {
                    let arc = builder.arc(person_node(k), pair_node(i, b), 1, top - v);
                    choices.push((arc, people[k], b, v));
                }
            }
        }
    }
    for (b, &capacity) in block_capacity.iter().enumerate() {
        builder.arc(block_node(b), sink, capacity, 0);
    }
    let mut network = builder.build(block_node(blocks));
    min_cost_max_flow(&mut network, source, sink);
    for &(arc, c, b, v) in &choices {
        if network.flow(arc) > 0 {
            relaxation.chosen.push((c, b));
            relaxation.value += v;
        }
    }
    relaxation
}

/// A PROVEN upper bound on the total fit of any plan that breaks no hard rule: the smaller of
/// the two relaxations in the module docs. The block flow is an upper bound because every
/// feasible plan is a flow of its network worth at least the plan's fit (one broadcast per
/// industry and block of `d` days, at most the industry's spaced maximum, at most each block's
/// day capacities, each worth at most its best-day value) and min-cost flow finds that network's
/// exact optimum; the Lagrangian is one by weak duality (see `lagrangian`); the smaller of two
/// valid bounds is valid.
pub fn upper_bound(input: &ScheduleInput) -> i64 {
    let season = Season::new(input);
    let (blocks, _) = block_bound(&season);
    blocks.min(lagrangian_of(&season).map_or(i64::MAX, |l| l.bound))
}

/// The block relaxation of every alignment, tightest first, and the smallest value.
fn block_bound(season: &Season) -> (i64, Vec<Relaxation>) {
    let mut relaxations: Vec<Relaxation> = season
        .alignments()
        .into_iter()
        .map(|offset| relax(season, offset))
        .collect();
    relaxations.sort_by_key(|r| r.value);
    (relaxations.first().map_or(0, |r| r.value), relaxations)
}

/// The Lagrangian of the season, its steps aimed at the first-come greedy's total (a value
/// every bound exceeds).
fn lagrangian_of(season: &Season) -> Option<Lagrangian> {
    lagrangian(season, first_come(season).total(season), LAGRANGIAN_STEPS)
}

/// The Lagrangian bound and the day patterns it ends with (see `lagrangian`).
struct Lagrangian {
    bound: i64,
    /// The day patterns of the last few prices that lowered the bound, best last: by industry,
    /// its days (into `Season::open_days`).
    patterns: Vec<Vec<Vec<usize>>>,
}

/// The data the Lagrangian evaluates again and again.
struct Line<'s> {
    days: &'s [usize],
    /// `value[c * days + j]`: the most candidate `c` is worth on open day `j`.
    value: Vec<i64>,
    /// `previous[j]`: how many open days (a prefix) are at least `d` before day `j`.
    previous: Vec<usize>,
    capacity: Vec<i64>,
    of_industry: Vec<Vec<usize>>,
}

impl Line<'_> {
    /// The bound at integer prices, and each industry's best days with their candidates.
    fn evaluate(&self, lambda: &[i64], mu: &[i64], picks: &mut [Vec<(usize, usize)>]) -> i64 {
        let n_days = self.days.len();
        let mut total: i64 = lambda.iter().sum::<i64>()
            + mu.iter()
                .zip(&self.capacity)
                .map(|(m, k)| m * k)
                .sum::<i64>();
        let mut top = vec![(0i64, usize::MAX); n_days];
        let mut f = vec![0i64; n_days + 1];
        for (members, picked) in self.of_industry.iter().zip(picks.iter_mut()) {
            picked.clear();
            if members.is_empty() {
                continue;
            }
            for (j, best) in top.iter_mut().enumerate() {
                *best = (i64::MIN, usize::MAX);
                for &c in members {
                    let v = self.value[c * n_days + j] - lambda[c] - mu[j];
                    if v > best.0 {
                        *best = (v, c);
                    }
                }
            }
            for j in 0..n_days {
                f[j + 1] = f[j].max(top[j].0.max(0) + f[self.previous[j]]);
            }
            total += f[n_days];
            // Walk the path back, taking a day whenever that is as good (fuller patterns).
            let mut j = n_days;
            while j > 0 {
                let (v, c) = top[j - 1];
                if v >= 0 && f[j] == v + f[self.previous[j - 1]] {
                    picked.push((j - 1, c));
                    j = self.previous[j - 1];
                } else {
                    j -= 1;
                }
            }
        }
        total
    }
}

/// The Lagrangian bound: day capacities and "each candidate at most once" priced out (`μ_t`,
/// `λ_c` ≥ 0), every window of `d` days kept. For any prices, a feasible plan is worth at most
/// Σ λ + Σ μ·capacity + Σ over industries of the best set of days pairwise `d` apart, each day
/// worth its best candidate's value less both prices (a longest path on the line, exact): the
/// plan's value is what it pays in prices plus what is left, and the prices it leaves unused
/// are ≥ 0. Prices move by subgradient steps toward `target` and are rounded to integers before
/// each exact evaluation, so every evaluation is a proven bound; the smallest is kept. Needs
/// `d` ≥ 1.
fn lagrangian(season: &Season, target: i64, iterations: usize) -> Option<Lagrangian> {
    let days = &season.open_days;
    let n_days = days.len();
    if n_days == 0 || season.spacing == 0 || season.people.is_empty() {
        return None;
    }
    let n = season.input.candidates.len();
    let mut value = vec![0i64; n * n_days];
    for &c in &season.people {
        for (j, &t) in days.iter().enumerate() {
            value[c * n_days + j] = season.best(c, t);
        }
    }
    let mut of_industry: Vec<Vec<usize>> = vec![Vec::new(); season.industries];
    for &c in &season.people {
        of_industry[season.industry[c]].push(c);
    }
    let line = Line {
        days,
        value,
        previous: days
            .iter()
            .map(|&t| {
                let limit = season.date[t] - season.spacing;
                days.partition_point(|&u| season.date[u] <= limit)
            })
            .collect(),
        capacity: days.iter().map(|&t| season.capacity[t] as i64).collect(),
        of_industry,
    };
    let mut lambda = vec![0.0f64; n];
    let mut mu = vec![0.0f64; n_days];
    let (mut int_lambda, mut int_mu) = (vec![0i64; n], vec![0i64; n_days]);
    let mut picks: Vec<Vec<(usize, usize)>> = vec![Vec::new(); season.industries];
    let mut best = Lagrangian {
        bound: i64::MAX,
        patterns: Vec::new(),
    };
    let (mut step, mut stalled) = (1.0f64, 0);
    let (mut used_c, mut used_t) = (vec![0i64; n], vec![0i64; n_days]);
    for _ in 0..iterations {
        for (i, l) in int_lambda.iter_mut().zip(&lambda) {
            *i = l.round() as i64;
        }
        for (i, m) in int_mu.iter_mut().zip(&mu) {
            *i = m.round() as i64;
        }
        let total = line.evaluate(&int_lambda, &int_mu, &mut picks);
        if total < best.bound {
            best.bound = total;
            if best.patterns.len() == PATTERN_SETS {
                best.patterns.remove(0);
            }
            best.patterns.push(
                picks
                    .iter()
                    .map(|p| p.iter().map(|&(j, _)| j).collect())
                    .collect(),
            );
            stalled = 0;
        } else {
            stalled += 1;
            if stalled >= 20 {
                step /= 2.0;
                stalled = 0;
                if step < 1e-3 {
                    break;
                }
            }
        }
        // Subgradient: 1 − uses of each candidate, capacity − uses of each day.
        used_c.fill(0);
        used_t.fill(0);
        for &(j, c) in picks.iter().flatten() {
            used_c[c] += 1;
            used_t[j] += 1;
        }
        let gap_c = |c: usize| 1 - used_c[c];
        let gap_t = |j: usize| line.capacity[j] - used_t[j];
        let mut norm = 0i64;
        for &c in &season.people {
            if gap_c(c) < 0 || lambda[c] > 0.0 {
                norm += gap_c(c) * gap_c(c);
            }
        }
        for (j, m) in mu.iter().enumerate() {
            if gap_t(j) < 0 || *m > 0.0 {
                norm += gap_t(j) * gap_t(j);
            }
        }
        if norm == 0 {
            break;
        }
        let length = step * (total - target).max(1) as f64 / norm as f64;
        for &c in &season.people {
            lambda[c] = (lambda[c] - length * gap_c(c) as f64).max(0.0);
        }
        for (j, m) in mu.iter_mut().enumerate() {
            *m = (*m - length * gap_t(j) as f64).max(0.0);
        }
    }
    Some(best)
}

/// A plan from Lagrangian day patterns: each industry's days are pairwise `d` apart, so any
/// candidates on them keep the spacing; a flow candidate → (industry, pattern day) → day picks
/// them, then step 3 staffs each day.
fn construct_from_patterns(season: &Season, patterns: &[Vec<usize>]) -> Board {
    let days = &season.open_days;
    let mut of_industry: Vec<Vec<usize>> = vec![Vec::new(); season.industries];
    for &c in &season.people {
        of_industry[season.industry[c]].push(c);
    }
    let top = season
        .people
        .iter()
        .flat_map(|&c| days.iter().map(move |&t| season.best(c, t)))
        .max()
        .unwrap_or(0)
        + 1;
    let people = &season.people;
    let mut index_of = vec![usize::MAX; season.input.candidates.len()];
    for (k, &c) in people.iter().enumerate() {
        index_of[c] = k;
    }
    let (source, sink) = (0, 1);
    let person_node = |k: usize| 2 + k;
    let positions: usize = patterns.iter().map(Vec::len).sum();
    let day_node = |j: usize| 2 + people.len() + positions + j;
    let mut builder = NetworkBuilder::default();
    for k in 0..people.len() {
        builder.arc(source, person_node(k), 1, 0);
        builder.arc(person_node(k), sink, 1, top);
    }
    let mut choices = Vec::new();
    let mut position = 2 + people.len();
    for (members, pattern) in of_industry.iter_mut().zip(patterns) {
        for &j in pattern {
            let t = days[j];
            // As in `relax`: only the pattern's length of best candidates can matter.
            members.sort_by_key(|&c| (Reverse(season.best(c, t)), c));
            for &c in members.iter().take(pattern.len()) {
                let arc = builder.arc(
                    person_node(index_of[c]),
                    position,
                    1,
                    top - season.best(c, t),
                );
                choices.push((arc, c, t));
            }
            builder.arc(position, day_node(j), 1, 0);
            position += 1;
        }
    }
    for (j, &t) in days.iter().enumerate() {
        builder.arc(day_node(j), sink, season.capacity[t] as i64, 0);
    }
    let mut network = builder.build(day_node(days.len()));
    min_cost_max_flow(&mut network, source, sink);
    let mut by_day: Vec<Vec<usize>> = vec![Vec::new(); season.date.len()];
    for &(arc, c, t) in &choices {
        if network.flow(arc) > 0 {
            by_day[t].push(c);
        }
    }
    staff_days(season, &by_day)
}

/// Where a placed candidate is: day, slot (into `Season::slots`) and host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spot {
    day: usize,
    slot: usize,
    host: usize,
}

/// A plan under construction, with the indexes every move checks.
struct Board {
    slots: usize,
    groups: usize,
    hosts: usize,
    /// By day and slot.
    occupant: Vec<Option<usize>>,
    /// By day, start minute and host.
    on_air: Vec<Option<usize>>,
    spot: Vec<Option<Spot>>,
    /// By industry: (date, candidate) of its broadcasts.
    by_industry: Vec<Vec<(i64, usize)>>,
}

impl Board {
    fn new(season: &Season) -> Self {
        let days = season.date.len();
        let (slots, groups, hosts) = (
            season.slots.len(),
            season.groups.len(),
            season.input.hosts.len(),
        );
        Board {
            slots,
            groups,
            hosts,
            occupant: vec![None; days * slots],
            on_air: vec![None; days * groups * hosts],
            spot: vec![None; season.input.candidates.len()],
            by_industry: vec![Vec::new(); season.industries],
        }
    }

    fn host_index(&self, day: usize, group: usize, host: usize) -> usize {
        (day * self.groups + group) * self.hosts + host
    }

    fn occupant(&self, day: usize, slot: usize) -> Option<usize> {
        self.occupant[day * self.slots + slot]
    }

    fn host_free(&self, day: usize, group: usize, host: usize) -> bool {
        self.on_air[self.host_index(day, group, host)].is_none()
    }

    fn put(&mut self, season: &Season, c: usize, spot: Spot) {
        let group = season.slots[spot.slot].group;
        let at = self.host_index(spot.day, group, spot.host);
        debug_assert!(self.occupant(spot.day, spot.slot).is_none() && self.on_air[at].is_none());
        self.occupant[spot.day * self.slots + spot.slot] = Some(c);
        self.on_air[at] = Some(c);
        self.spot[c] = Some(spot);
        self.by_industry[season.industry[c]].push((season.date[spot.day], c));
    }

    fn lift(&mut self, season: &Season, c: usize) -> Spot {
        let spot = self.spot[c].take().expect("placed");
        let group = season.slots[spot.slot].group;
        self.occupant[spot.day * self.slots + spot.slot] = None;
        let at = self.host_index(spot.day, group, spot.host);
        self.on_air[at] = None;
        self.by_industry[season.industry[c]].retain(|&(_, other)| other != c);
        spot
    }

    /// Whether `c` on day `t` keeps its distance to its industry's other broadcasts (`c`'s own
    /// and `ignoring`'s not counted).
    fn spaced(&self, season: &Season, c: usize, t: usize, ignoring: Option<usize>) -> bool {
        if season.spacing == 0 {
            return true;
        }
        let at = season.date[t];
        self.by_industry[season.industry[c]]
            .iter()
            .all(|&(date, other)| {
                other == c || Some(other) == ignoring || (date - at).abs() >= season.spacing
            })
    }

    /// The best host for `c` free at (day, start minute) and working that day: one of its
    /// 대분류 if any, else the first; `vacated` counts as free.
    fn free_host(
        &self,
        season: &Season,
        c: usize,
        t: usize,
        group: usize,
        vacated: Option<usize>,
    ) -> Option<usize> {
        let mut first = None;
        for &h in &season.hosts_on[season.weekday[t]] {
            if !self.host_free(t, group, h) && Some(h) != vacated {
                continue;
            }
            if season.matches(c, h) {
                return Some(h);
            }
            first = first.or(Some(h));
        }
        first
    }

    fn value(&self, season: &Season, c: usize) -> i64 {
        self.spot[c].map_or(0, |s| season.fit(c, s.day, s.host))
    }

    fn total(&self, season: &Season) -> i64 {
        (0..self.spot.len()).map(|c| self.value(season, c)).sum()
    }

    fn placed(&self) -> Vec<(usize, Spot)> {
        self.spot
            .iter()
            .enumerate()
            .filter_map(|(c, s)| s.map(|s| (c, s)))
            .collect()
    }

    /// Free slots of open days, by date then slot.
    fn free_slots(&self, season: &Season) -> Vec<(usize, usize)> {
        season
            .open_days
            .iter()
            .flat_map(|&t| (0..self.slots).map(move |s| (t, s)))
            .filter(|&(t, s)| self.occupant(t, s).is_none())
            .collect()
    }

    fn into_schedule(self, season: &Season) -> Schedule {
        let mut placements: Vec<Placement> = self
            .placed()
            .into_iter()
            .map(|(c, s)| Placement {
                candidate: c,
                day: s.day,
                studio: season.slots[s.slot].studio,
                time: season.slots[s.slot].time,
                host: s.host,
            })
            .collect();
        placements.sort_by_key(|p| (season.date[p.day], p.day, p.studio, p.time));
        let fit = self.total(season);
        Schedule {
            placements,
            unplaced: (0..self.spot.len())
                .filter(|&c| self.spot[c].is_none())
                .collect(),
            fit,
        }
    }
}

/// Step 2: a day for each candidate the relaxation put in a block, block by block, at least
/// `d` days after its industry's broadcast in the previous block.
fn spread(season: &Season, relaxation: &Relaxation) -> Vec<(usize, usize)> {
    let blocks = relaxation.blocks;
    let mut items: Vec<Vec<usize>> = vec![Vec::new(); blocks];
    for &(c, b) in &relaxation.chosen {
        items[b].push(c);
    }
    let mut block_days: Vec<Vec<usize>> = vec![Vec::new(); blocks];
    for &t in &season.open_days {
        block_days[relaxation.block_of[t].expect("open")].push(t);
    }
    let mut last: Vec<Option<i64>> = vec![None; season.industries];
    let mut placed = Vec::new();
    for (people, days) in items.iter().zip(&block_days) {
        if people.is_empty() {
            continue;
        }
        // Costs in units of `w` so that the value decides and the earlier day breaks ties.
        let w = days.len() as i64 + 1;
        let top = people
            .iter()
            .flat_map(|&c| days.iter().map(move |&t| season.best(c, t)))
            .max()
            .unwrap_or(0)
            + 1;
        let (source, sink) = (0, 1);
        let day_node = |r: usize| 2 + people.len() + r;
        let mut builder = NetworkBuilder::default();
        let mut arcs = Vec::new();
        for (k, &c) in people.iter().enumerate() {
            builder.arc(source, 2 + k, 1, 0);
            builder.arc(2 + k, sink, 1, top * w + w);
            let earliest = last[season.industry[c]].map(|d| d + season.spacing);
            for (r, &t) in days.iter().enumerate() {
                if earliest.is_some_and(|e| season.date[t] < e) {
                    continue;
                }
                let cost = (top - season.best(c, t)) * w + r as i64;
                arcs.push((builder.arc(2 + k, day_node(r), 1, cost), c, t));
            }
        }
        for (r, &t) in days.iter().enumerate() {
            builder.arc(day_node(r), sink, season.capacity[t] as i64, 0);
        }
        let mut network = builder.build(day_node(days.len()));
        min_cost_max_flow(&mut network, source, sink);
        for &(arc, c, t) in &arcs {
            if network.flow(arc) > 0 {
                placed.push((c, t));
                last[season.industry[c]] = Some(season.date[t]);
            }
        }
    }
    placed
}

/// Step 3: start minutes and hosts for the broadcasts of day `t`, most value from hosts of
/// the candidates' 대분류: a flow candidate → host → start minute (each host once per minute)
/// → sink (the minute's studios). Candidates beyond what the day can hold are left out.
fn staff(season: &Season, t: usize, people: &[usize]) -> Vec<(usize, Spot)> {
    let hosts = &season.hosts_on[season.weekday[t]];
    let groups = season.groups.len();
    let n = people.len();
    let host_node = |hi: usize| 2 + n + hi;
    let group_node = |g: usize| 2 + n + hosts.len() + g;
    // Leaving a candidate out costs more than every host mismatch together.
    let bypass = people.iter().map(|&c| season.score(c)).sum::<i64>() + 1;
    let (source, sink) = (0, 1);
    let mut builder = NetworkBuilder::default();
    let mut hosted = Vec::new();
    for (k, &c) in people.iter().enumerate() {
        builder.arc(source, 2 + k, 1, 0);
        builder.arc(2 + k, sink, 1, bypass);
        for (hi, &h) in hosts.iter().enumerate() {
            let cost = if season.matches(c, h) {
                0
            } else {
                season.score(c)
            };
            hosted.push((builder.arc(2 + k, host_node(hi), 1, cost), c, hi));
        }
    }
    let mut minutes = Vec::new();
    for hi in 0..hosts.len() {
        for g in 0..groups {
            minutes.push((builder.arc(host_node(hi), group_node(g), 1, 0), hi, g));
        }
    }
    for (g, slots) in season.groups.iter().enumerate() {
        builder.arc(group_node(g), sink, slots.len() as i64, 0);
    }
    let mut network = builder.build(group_node(groups));
    min_cost_max_flow(&mut network, source, sink);
    // A host's candidates take that host's minutes in any order.
    let mut by_host: Vec<Vec<usize>> = vec![Vec::new(); hosts.len()];
    for &(arc, c, hi) in &hosted {
        if network.flow(arc) > 0 {
            by_host[hi].push(c);
        }
    }
    let mut minutes_of: Vec<Vec<usize>> = vec![Vec::new(); hosts.len()];
    for &(arc, hi, g) in &minutes {
        if network.flow(arc) > 0 {
            minutes_of[hi].push(g);
        }
    }
    let mut next = vec![0usize; groups];
    let mut out = Vec::new();
    for (hi, &host) in hosts.iter().enumerate() {
        for (&c, &g) in by_host[hi].iter().zip(&minutes_of[hi]) {
            let slot = season.groups[g][next[g]];
            next[g] += 1;
            out.push((c, Spot { day: t, slot, host }));
        }
    }
    out
}

/// Unplaced candidates, best first.
fn waiting(season: &Season, board: &Board) -> Vec<usize> {
    let mut order: Vec<usize> = season
        .people
        .iter()
        .copied()
        .filter(|&c| board.spot[c].is_none())
        .collect();
    order.sort_by_key(|&c| (Reverse(season.score(c)), c));
    order
}

/// Unplaced candidates take the free slot where they are worth the most.
fn fill(season: &Season, board: &mut Board) -> bool {
    let mut free = board.free_slots(season);
    let mut changed = false;
    for c in waiting(season, board) {
        if free.is_empty() {
            break;
        }
        let mut best: Option<(i64, usize, usize)> = None;
        for (k, &(t, s)) in free.iter().enumerate() {
            if best.is_some_and(|(v, _, _)| season.best(c, t) <= v)
                || !board.spaced(season, c, t, None)
            {
                continue;
            }
            let Some(h) = board.free_host(season, c, t, season.slots[s].group, None) else {
                continue;
            };
            let v = season.fit(c, t, h);
            if best.is_none_or(|(b, _, _)| v > b) {
                best = Some((v, k, h));
            }
        }
        if let Some((_, k, host)) = best {
            let (day, slot) = free.remove(k);
            board.put(season, c, Spot { day, slot, host });
            changed = true;
        }
    }
    changed
}

/// Unplaced candidates take the slot of a broadcast worth less.
fn replace(season: &Season, board: &mut Board) -> bool {
    let mut changed = false;
    for u in waiting(season, board) {
        let mut best: Option<(i64, usize, usize)> = None;
        for &t in &season.open_days {
            let ceiling = season.best(u, t);
            let clear = board.spaced(season, u, t, None);
            for s in 0..board.slots {
                let Some(p) = board.occupant(t, s) else {
                    continue;
                };
                let spot = board.spot[p].expect("placed");
                let now = season.fit(p, t, spot.host);
                if ceiling - now <= best.map_or(0, |(g, _, _)| g) {
                    continue;
                }
                if !clear
                    && (season.industry[p] != season.industry[u]
                        || !board.spaced(season, u, t, Some(p)))
                {
                    continue;
                }
                let group = season.slots[s].group;
                let Some(h) = board.free_host(season, u, t, group, Some(spot.host)) else {
                    continue;
                };
                let gain = season.fit(u, t, h) - now;
                if gain > best.map_or(0, |(g, _, _)| g) {
                    best = Some((gain, p, h));
                }
            }
        }
        if let Some((_, p, host)) = best {
            let spot = board.lift(season, p);
            board.put(season, u, Spot { host, ..spot });
            changed = true;
        }
    }
    changed
}

/// Broadcasts move to a free slot where they are worth more.
fn relocate(season: &Season, board: &mut Board) -> bool {
    let mut free = board.free_slots(season);
    let mut changed = false;
    for (p, spot) in board.placed() {
        let now = season.fit(p, spot.day, spot.host);
        let mut best: Option<(i64, usize, usize)> = None;
        for (k, &(t, s)) in free.iter().enumerate() {
            if season.best(p, t) <= best.map_or(now, |(v, _, _)| v)
                || !board.spaced(season, p, t, None)
            {
                continue;
            }
            let group = season.slots[s].group;
            let own =
                (t == spot.day && group == season.slots[spot.slot].group).then_some(spot.host);
            let Some(h) = board.free_host(season, p, t, group, own) else {
                continue;
            };
            let v = season.fit(p, t, h);
            if v > best.map_or(now, |(b, _, _)| b) {
                best = Some((v, k, h));
            }
        }
        if let Some((_, k, host)) = best {
            let (day, slot) = free.remove(k);
            let old = board.lift(season, p);
            board.put(season, p, Spot { day, slot, host });
            free.push((old.day, old.slot));
            changed = true;
        }
    }
    changed
}

/// Two broadcasts on different days exchange slots when both together are worth more.
fn exchange(season: &Season, board: &mut Board) -> bool {
    let mut changed = false;
    let placed: Vec<usize> = board.placed().into_iter().map(|(c, _)| c).collect();
    for (i, &p) in placed.iter().enumerate() {
        for &q in &placed[i + 1..] {
            let (sp, sq) = (
                board.spot[p].expect("placed"),
                board.spot[q].expect("placed"),
            );
            if sp.day == sq.day {
                continue;
            }
            let now = season.fit(p, sp.day, sp.host) + season.fit(q, sq.day, sq.host);
            if season.best(p, sq.day) + season.best(q, sp.day) <= now
                || !board.spaced(season, p, sq.day, Some(q))
                || !board.spaced(season, q, sp.day, Some(p))
            {
                continue;
            }
            let (gp, gq) = (season.slots[sp.slot].group, season.slots[sq.slot].group);
            let (Some(hp), Some(hq)) = (
                board.free_host(season, p, sq.day, gq, Some(sq.host)),
                board.free_host(season, q, sp.day, gp, Some(sp.host)),
            ) else {
                continue;
            };
            if season.fit(p, sq.day, hp) + season.fit(q, sp.day, hq) <= now {
                continue;
            }
            board.lift(season, p);
            board.lift(season, q);
            board.put(season, p, Spot { host: hp, ..sq });
            board.put(season, q, Spot { host: hq, ..sp });
            changed = true;
        }
    }
    changed
}

/// Each day's start minutes and hosts reassigned by the flow of step 3 when that is worth more.
fn restaff(season: &Season, board: &mut Board) -> bool {
    let mut changed = false;
    for &t in &season.open_days {
        let people: Vec<usize> = (0..board.slots)
            .filter_map(|s| board.occupant(t, s))
            .collect();
        if people.is_empty() {
            continue;
        }
        let before: i64 = people.iter().map(|&c| board.value(season, c)).sum();
        let plan = staff(season, t, &people);
        let after: i64 = plan.iter().map(|&(c, s)| season.fit(c, t, s.host)).sum();
        if plan.len() < people.len() || after <= before {
            continue;
        }
        for &c in &people {
            board.lift(season, c);
        }
        for &(c, spot) in &plan {
            board.put(season, c, spot);
        }
        changed = true;
    }
    changed
}

/// Step 4: every move while one pays (each strictly raises the total, so this ends).
fn improve(season: &Season, board: &mut Board) {
    loop {
        let mut changed = fill(season, board);
        changed |= replace(season, board);
        changed |= relocate(season, board);
        changed |= exchange(season, board);
        changed |= restaff(season, board);
        if !changed {
            break;
        }
    }
}

const EXACT_PEOPLE: usize = 20;
const EXACT_NODES: u64 = 2_000_000;

/// Step 5: the exact depth-first search of small seasons.
struct Exhaustive<'s, 'a> {
    season: &'s Season<'a>,
    /// Candidates by the most they can be worth, descending, and that most.
    order: Vec<usize>,
    ceiling: Vec<i64>,
    free: usize,
    nodes: u64,
    best_total: i64,
    best: Vec<(usize, Spot)>,
}

impl Exhaustive<'_, '_> {
    fn search(&mut self, board: &mut Board, k: usize, total: i64) {
        self.nodes += 1;
        if total > self.best_total {
            self.best_total = total;
            self.best = board.placed();
        }
        if k == self.order.len() || self.nodes > EXACT_NODES {
            return;
        }
        let room = self.free.min(self.order.len() - k);
        if total + self.ceiling[k..k + room].iter().sum::<i64>() <= self.best_total {
            return;
        }
        let season = self.season;
        let c = self.order[k];
        for &t in &season.open_days {
            if !board.spaced(season, c, t, None) {
                continue;
            }
            for (g, group) in season.groups.iter().enumerate() {
                let Some(&slot) = group.iter().find(|&&s| board.occupant(t, s).is_none()) else {
                    continue;
                };
                for &host in &season.hosts_on[season.weekday[t]] {
                    if !board.host_free(t, g, host) {
                        continue;
                    }
                    board.put(season, c, Spot { day: t, slot, host });
                    self.free -= 1;
                    self.search(board, k + 1, total + season.fit(c, t, host));
                    self.free += 1;
                    board.lift(season, c);
                }
            }
        }
        self.search(board, k + 1, total);
    }
}

fn finish_exactly(season: &Season, board: &mut Board, bound: i64) {
    let total = board.total(season);
    if total >= bound || season.people.len() > EXACT_PEOPLE {
        return;
    }
    let ceiling_of = |c: usize| {
        season
            .open_days
            .iter()
            .map(|&t| season.best(c, t))
            .max()
            .unwrap_or(0)
    };
    let mut order = season.people.clone();
    order.sort_by_key(|&c| (Reverse(ceiling_of(c)), c));
    let mut search = Exhaustive {
        season,
        ceiling: order.iter().map(|&c| ceiling_of(c)).collect(),
        order,
        free: season.open_days.iter().map(|&t| season.capacity[t]).sum(),
        nodes: 0,
        best_total: total,
        best: Vec::new(),
    };
    let mut work = Board::new(season);
    search.search(&mut work, 0, 0);
    if search.best_total > total {
        for (c, _) in board.placed() {
            board.lift(season, c);
        }
        for &(c, spot) in &search.best {
            board.put(season, c, spot);
        }
    }
}

/// The season plan: the most total fit the optimiser finds within every hard rule (see the
/// module docs). Deterministic.
pub fn schedule(input: &ScheduleInput) -> Schedule {
    let season = Season::new(input);
    let (mut bound, relaxations) = block_bound(&season);
    // Plans from the tightest block relaxation, then (unless one meets the bound) from the
    // Lagrangian's last day patterns and the other alignments; the best is kept.
    let mut best = Board::new(&season);
    let offer = |mut board: Board, best: &mut Board, bound: i64| {
        if best.total(&season) < bound {
            improve(&season, &mut board);
            if board.total(&season) > best.total(&season) {
                *best = board;
            }
        }
    };
    if let Some(tightest) = relaxations.first() {
        offer(construct(&season, tightest), &mut best, bound);
    }
    if best.total(&season) < bound
        && let Some(l) = lagrangian_of(&season)
    {
        bound = bound.min(l.bound);
        for patterns in l.patterns.iter().rev() {
            offer(construct_from_patterns(&season, patterns), &mut best, bound);
        }
    }
    for relaxation in relaxations.iter().skip(1) {
        offer(construct(&season, relaxation), &mut best, bound);
    }
    finish_exactly(&season, &mut best, bound);
    best.into_schedule(&season)
}

/// Subgradient steps of the Lagrangian bound (each one pass over candidates × days).
const LAGRANGIAN_STEPS: usize = 1000;
/// Day-pattern sets of the Lagrangian a plan is built from.
const PATTERN_SETS: usize = 4;

/// Step 3 for every day.
fn staff_days(season: &Season, by_day: &[Vec<usize>]) -> Board {
    let mut board = Board::new(season);
    for (t, people) in by_day.iter().enumerate() {
        if !people.is_empty() {
            for (c, spot) in staff(season, t, people) {
                board.put(season, c, spot);
            }
        }
    }
    board
}

/// Steps 2 and 3 from one relaxation.
fn construct(season: &Season, relaxation: &Relaxation) -> Board {
    let mut by_day: Vec<Vec<usize>> = vec![Vec::new(); season.date.len()];
    for (c, t) in spread(season, relaxation) {
        by_day[t].push(c);
    }
    staff_days(season, &by_day)
}

/// The first-come baseline: candidates in input order, each in the first free (day, studio,
/// time, host), in that order, that breaks no rule.
pub fn greedy(input: &ScheduleInput) -> Schedule {
    let season = Season::new(input);
    first_come(&season).into_schedule(&season)
}

fn first_come(season: &Season) -> Board {
    let input = season.input;
    let mut board = Board::new(season);
    for c in 0..input.candidates.len() {
        'days: for t in 0..input.days.len() {
            if season.capacity[t] == 0 || !board.spaced(season, c, t, None) {
                continue;
            }
            for (slot, s) in season.slots.iter().enumerate() {
                if board.occupant(t, slot).is_some() {
                    continue;
                }
                if let Some(&host) = season.hosts_on[season.weekday[t]]
                    .iter()
                    .find(|&&h| board.host_free(t, s.group, h))
                {
                    board.put(season, c, Spot { day: t, slot, host });
                    break 'days;
                }
            }
        }
    }
    board
}

/// The pairs (a < b) of `items` that share a key, ascending.
fn pairs_sharing<K: Ord>(items: &[usize], key: impl Fn(usize) -> K) -> Vec<(usize, usize)> {
    let mut sorted = items.to_vec();
    sorted.sort_by(|&x, &y| key(x).cmp(&key(y)).then(x.cmp(&y)));
    let mut pairs = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start + 1;
        while end < sorted.len() && key(sorted[end]) == key(sorted[start]) {
            end += 1;
        }
        for x in start..end {
            for y in x + 1..end {
                pairs.push((sorted[x], sorted[y]));
            }
        }
        start = end;
    }
    pairs.sort_unstable();
    pairs
}

/// Every hard rule `placements` break (none for a plan `schedule` or `greedy` made): studio and
/// host double bookings (by date and start minute), hosts off that weekday, same-industry
/// broadcasts too close, candidates on air twice, and indexes outside the input.
pub fn check(input: &ScheduleInput, placements: &[Placement]) -> Vec<Conflict> {
    let mut conflicts = Vec::new();
    let valid: Vec<usize> = (0..placements.len())
        .filter(|&i| {
            let p = placements[i];
            let ok = p.candidate < input.candidates.len()
                && p.day < input.days.len()
                && p.studio < input.studios.len()
                && p.time < input.studios[p.studio].times.len()
                && p.host < input.hosts.len();
            if !ok {
                conflicts.push(Conflict::OutOfRange { placement: i });
            }
            ok
        })
        .collect();
    let date = |i: usize| input.days[placements[i].day].to_julian_day();
    let minute = |i: usize| input.studios[placements[i].studio].times[placements[i].time];
    for (a, b) in pairs_sharing(&valid, |i| (date(i), placements[i].studio, minute(i))) {
        conflicts.push(Conflict::StudioDoubleBooked { a, b });
    }
    for (a, b) in pairs_sharing(&valid, |i| (date(i), placements[i].host, minute(i))) {
        conflicts.push(Conflict::HostDoubleBooked { a, b });
    }
    for &i in &valid {
        let p = placements[i];
        if !works_on(&input.hosts[p.host], input.days[p.day]) {
            conflicts.push(Conflict::HostUnavailable { placement: i });
        }
    }
    let spacing = i32::from(input.min_days_between_same_industry);
    if spacing > 0 {
        let industry = |i: usize| input.candidates[placements[i].candidate].industry.as_str();
        let mut sorted = valid.clone();
        sorted.sort_by(|&x, &y| (industry(x), date(x), x).cmp(&(industry(y), date(y), y)));
        let mut pairs = Vec::new();
        for (k, &x) in sorted.iter().enumerate() {
            for &y in &sorted[k + 1..] {
                if industry(y) != industry(x) || date(y) - date(x) >= spacing {
                    break;
                }
                pairs.push((x.min(y), x.max(y)));
            }
        }
        pairs.sort_unstable();
        for (a, b) in pairs {
            conflicts.push(Conflict::IndustryTooClose { a, b });
        }
    }
    for (a, b) in pairs_sharing(&valid, |i| placements[i].candidate) {
        conflicts.push(Conflict::CandidateTwice { a, b });
    }
    conflicts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(day_of_march: u8) -> Date {
        Date::from_calendar_date(2025, ::time::Month::March, day_of_march).expect("a date")
    }

    /// 2025-03-03 is a Monday.
    const MONDAY: u8 = 3;
    const EVERY_DAY: u8 = 0b111_1111;

    fn host(categories: &[&str], weekdays: u8) -> Host {
        Host {
            categories: categories.iter().map(|c| c.to_string()).collect(),
            weekdays,
        }
    }

    fn candidate(score: i64, industry: &str, category: &str, weeks: &[Date]) -> Candidate {
        Candidate {
            score,
            industry: industry.to_string(),
            category: category.to_string(),
            preferred_weeks: weeks.to_vec(),
        }
    }

    /// One studio at 10:00, two Mondays a week apart and a Wednesday, one host for everything.
    fn small_season() -> ScheduleInput {
        ScheduleInput {
            days: vec![date(MONDAY), date(MONDAY + 2), date(MONDAY + 7)],
            studios: vec![Studio { times: vec![600] }],
            hosts: vec![host(&["음식"], EVERY_DAY)],
            candidates: vec![
                candidate(4000, "I21001", "음식", &[]),
                candidate(3000, "I21001", "음식", &[]),
                candidate(2000, "G20405", "소매", &[]),
            ],
            min_days_between_same_industry: 7,
        }
    }

    fn placement(
        candidate: usize,
        day: usize,
        studio: usize,
        time: usize,
        host: usize,
    ) -> Placement {
        Placement {
            candidate,
            day,
            studio,
            time,
            host,
        }
    }

    /// xorshift: the same cases on every run.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// A tiny season: 3 days in the first two weeks of March 2025, 1–2 studios whose times may
    /// share a minute, 2 hosts, 4 candidates of 2 industries.
    fn tiny_season(rng: &mut Rng) -> ScheduleInput {
        let mut offsets: Vec<u8> = Vec::new();
        while offsets.len() < 3 {
            let o = rng.below(14) as u8;
            if !offsets.contains(&o) {
                offsets.push(o);
            }
        }
        offsets.sort_unstable();
        let days: Vec<Date> = offsets.iter().map(|o| date(MONDAY + o)).collect();
        let studios = (0..1 + rng.below(2))
            .map(|_| Studio {
                times: vec![[600, 660][rng.below(2)]],
            })
            .collect();
        let categories = ["음식", "소매"];
        let hosts = (0..2)
            .map(|_| {
                let mut names = vec![categories[rng.below(2)]];
                if rng.below(3) == 0 {
                    names = categories.to_vec();
                }
                host(&names, (rng.below(127) + 1) as u8)
            })
            .collect();
        let mondays = [date(MONDAY), date(MONDAY + 7)];
        let candidates = (0..4)
            .map(|_| {
                let weeks: Vec<Date> = match rng.below(3) {
                    0 => vec![],
                    1 => vec![mondays[0]],
                    _ => vec![mondays[1]],
                };
                candidate(
                    1000 + 100 * rng.below(41) as i64,
                    ["I21001", "G20405"][rng.below(2)],
                    categories[rng.below(2)],
                    &weeks,
                )
            })
            .collect();
        ScheduleInput {
            days,
            studios,
            hosts,
            candidates,
            min_days_between_same_industry: [0, 1, 3, 7][rng.below(4)],
        }
    }

    /// The best total fit by trying every assignment, using only `fit` and `check`.
    fn brute_force(input: &ScheduleInput) -> i64 {
        let mut options = Vec::new();
        for day in 0..input.days.len() {
            for (studio, s) in input.studios.iter().enumerate() {
                for time in 0..s.times.len() {
                    for host in 0..input.hosts.len() {
                        options.push(placement(0, day, studio, time, host));
                    }
                }
            }
        }
        fn go(
            input: &ScheduleInput,
            options: &[Placement],
            c: usize,
            chosen: &mut Vec<Placement>,
            best: &mut i64,
        ) {
            if c == input.candidates.len() {
                let total = chosen
                    .iter()
                    .map(|p| fit(input, p.candidate, p.day, p.host))
                    .sum();
                *best = (*best).max(total);
                return;
            }
            go(input, options, c + 1, chosen, best);
            for o in options {
                chosen.push(Placement { candidate: c, ..*o });
                if check(input, chosen).is_empty() {
                    go(input, options, c + 1, chosen, best);
                }
                chosen.pop();
            }
        }
        let mut best = 0;
        go(input, &options, 0, &mut Vec::new(), &mut best);
        best
    }

    /// The schedule is consistent: no conflicts, its fit adds up, every candidate accounted for.
    fn assert_sound(input: &ScheduleInput, schedule: &Schedule) {
        assert_eq!(check(input, &schedule.placements), [], "{schedule:?}");
        let total: i64 = schedule
            .placements
            .iter()
            .map(|p| fit(input, p.candidate, p.day, p.host))
            .sum();
        assert_eq!(schedule.fit, total);
        let mut everyone: Vec<usize> = schedule
            .placements
            .iter()
            .map(|p| p.candidate)
            .chain(schedule.unplaced.iter().copied())
            .collect();
        everyone.sort_unstable();
        assert_eq!(everyone, (0..input.candidates.len()).collect::<Vec<_>>());
    }

    #[test]
    fn fit_counts_the_preferred_week_and_a_host_of_the_category() {
        let mut input = small_season();
        input.hosts.push(host(&["소매"], EVERY_DAY));
        input.candidates[0].preferred_weeks = vec![date(MONDAY + 7)];
        assert_eq!(fit(&input, 0, 0, 1), 4000, "neither");
        assert_eq!(fit(&input, 0, 0, 0), 8000, "the host");
        assert_eq!(fit(&input, 0, 2, 1), 8000, "the week");
        assert_eq!(fit(&input, 0, 2, 0), 12000, "both");
    }

    #[test]
    fn the_small_season_keeps_the_industry_a_week_apart() {
        let input = small_season();
        let plan = schedule(&input);
        assert_sound(&input, &plan);
        // Both 음식 merchants on air, a week apart; the 소매 one takes the day left.
        assert_eq!(plan.fit, 8000 + 6000 + 2000);
        assert_eq!(plan.fit, brute_force(&input));
        let days_of = |c: usize| {
            plan.placements
                .iter()
                .find(|p| p.candidate == c)
                .map(|p| p.day)
        };
        let (a, b) = (days_of(0).unwrap(), days_of(1).unwrap());
        assert_eq!([a.min(b), a.max(b)], [0, 2]);
        assert_eq!(days_of(2), Some(1));
    }

    #[test]
    fn schedule_finds_the_brute_force_optimum_of_tiny_seasons() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..60 {
            let input = tiny_season(&mut rng);
            let plan = schedule(&input);
            assert_sound(&input, &plan);
            assert_eq!(plan.fit, brute_force(&input), "case {case}: {input:?}");
        }
    }

    #[test]
    fn both_bounds_are_never_below_the_optimum() {
        let mut rng = Rng(42);
        for case in 0..60 {
            let input = tiny_season(&mut rng);
            let best = brute_force(&input);
            let season = Season::new(&input);
            let (blocks, _) = block_bound(&season);
            assert!(blocks >= best, "case {case}: blocks {blocks} < {best}");
            if let Some(l) = lagrangian(&season, 0, LAGRANGIAN_STEPS) {
                assert!(
                    l.bound >= best,
                    "case {case}: Lagrangian {} < {best}",
                    l.bound
                );
            }
            let bound = upper_bound(&input);
            assert!(bound >= best, "case {case}: {bound} < {best}");
            assert!(bound >= schedule(&input).fit);
        }
    }

    #[test]
    fn the_lagrangian_is_tighter_when_blocks_do_not_fit_the_weeks() {
        // Ten days apart on Mondays, Wednesdays and Fridays: a block of 10 days lets an industry
        // go on air late in one block and early in the next; the Lagrangian keeps every window.
        let mut rng = Rng(11);
        let mut input = medium_season(&mut rng, 10);
        input.days = (0..42u8)
            .filter(|d| d % 7 % 2 == 0 && d % 7 < 5)
            .map(|d| date(MONDAY) + ::time::Duration::days(i64::from(d)))
            .collect();
        let season = Season::new(&input);
        let (blocks, _) = block_bound(&season);
        let bound = upper_bound(&input);
        let plan = schedule(&input);
        assert!(bound < blocks, "{bound} vs {blocks}");
        assert_sound(&input, &plan);
        assert!(plan.fit <= bound);
    }

    #[test]
    fn plans_from_lagrangian_patterns_keep_every_rule() {
        let mut rng = Rng(5);
        for spacing in [1, 3, 7, 10] {
            let input = medium_season(&mut rng, spacing);
            let season = Season::new(&input);
            let l = lagrangian(&season, 0, 200).expect("spacing > 0");
            for patterns in &l.patterns {
                let plan = construct_from_patterns(&season, patterns).into_schedule(&season);
                assert_sound(&input, &plan);
                assert!(plan.fit <= l.bound);
            }
        }
    }

    #[test]
    fn the_bound_counts_the_industry_spacing() {
        // Five 음식 merchants, one studio, five weekdays: a week apart, only one goes on air.
        let input = ScheduleInput {
            days: (0..5).map(|d| date(MONDAY + d)).collect(),
            studios: vec![Studio { times: vec![600] }],
            hosts: vec![host(&["소매"], EVERY_DAY)],
            candidates: (0..5)
                .map(|_| candidate(3000, "I21001", "음식", &[]))
                .collect(),
            min_days_between_same_industry: 7,
        };
        assert_eq!(upper_bound(&input), 3000);
        let plan = schedule(&input);
        assert_sound(&input, &plan);
        assert_eq!(plan.placements.len(), 1);
        let no_rule = ScheduleInput {
            min_days_between_same_industry: 0,
            ..input
        };
        assert_eq!(upper_bound(&no_rule), 15000);
        assert_eq!(schedule(&no_rule).fit, 15000);
    }

    /// A season of a few weeks with many candidates of few industries.
    fn medium_season(rng: &mut Rng, spacing: u16) -> ScheduleInput {
        let days: Vec<Date> = (0..21u8)
            .filter(|d| d % 7 < 5)
            .map(|d| date(MONDAY + d))
            .collect();
        let categories = ["음식", "소매", "교육"];
        let industries = ["I21001", "I21002", "G20405", "G20901", "P10101"];
        ScheduleInput {
            studios: vec![
                Studio {
                    times: vec![600, 840],
                },
                Studio { times: vec![840] },
            ],
            hosts: (0..4)
                .map(|_| host(&[categories[rng.below(3)]], (rng.below(127) + 1) as u8))
                .collect(),
            candidates: (0..60)
                .map(|_| {
                    let weeks = match rng.below(4) {
                        0 => vec![days[5 * rng.below(3)]],
                        _ => vec![],
                    };
                    let i = rng.below(industries.len()).min(rng.below(industries.len()));
                    candidate(
                        1000 + rng.below(4001) as i64,
                        industries[i],
                        categories[i.min(2)],
                        &weeks,
                    )
                })
                .collect(),
            days,
            min_days_between_same_industry: spacing,
        }
    }

    #[test]
    fn same_industry_broadcasts_stay_apart_and_the_plan_beats_first_come() {
        let mut rng = Rng(7);
        for spacing in [0, 3, 7, 10] {
            let input = medium_season(&mut rng, spacing);
            let plan = schedule(&input);
            assert_sound(&input, &plan);
            let spacing = i32::from(spacing);
            for a in &plan.placements {
                for b in &plan.placements {
                    let (ca, cb) = (
                        &input.candidates[a.candidate],
                        &input.candidates[b.candidate],
                    );
                    if a != b && spacing > 0 && ca.industry == cb.industry {
                        let gap =
                            input.days[a.day].to_julian_day() - input.days[b.day].to_julian_day();
                        assert!(gap.abs() >= spacing, "{a:?} {b:?}");
                    }
                }
            }
            let first_come = greedy(&input);
            assert_sound(&input, &first_come);
            assert!(plan.fit >= first_come.fit);
            assert!(plan.fit <= upper_bound(&input));
        }
    }

    #[test]
    fn greedy_takes_candidates_first_come_in_day_order() {
        let input = small_season();
        let first_come = greedy(&input);
        assert_sound(&input, &first_come);
        // The first candidate takes Monday; the second, same industry, the next Monday; the
        // third the Wednesday left between them.
        assert_eq!(
            first_come.placements,
            [
                placement(0, 0, 0, 0, 0),
                placement(2, 1, 0, 0, 0),
                placement(1, 2, 0, 0, 0)
            ]
        );
        let mut rng = Rng(99);
        for _ in 0..40 {
            let input = tiny_season(&mut rng);
            assert_sound(&input, &greedy(&input));
        }
    }

    /// Two studios at 10:00 on a Monday and a Tuesday; host 0 every day, host 1 Mondays only.
    fn two_studio_season() -> ScheduleInput {
        ScheduleInput {
            days: vec![date(MONDAY), date(MONDAY + 1)],
            studios: vec![
                Studio { times: vec![600] },
                Studio {
                    times: vec![600, 660],
                },
            ],
            hosts: vec![host(&["음식"], EVERY_DAY), host(&["소매"], 0b000_0001)],
            candidates: vec![
                candidate(4000, "I21001", "음식", &[]),
                candidate(3000, "G20405", "소매", &[]),
                candidate(2000, "I21001", "음식", &[]),
            ],
            min_days_between_same_industry: 2,
        }
    }

    #[test]
    fn check_finds_a_studio_double_booked() {
        let input = two_studio_season();
        let fine = [placement(0, 0, 0, 0, 0), placement(1, 0, 1, 0, 1)];
        assert_eq!(check(&input, &fine), []);
        let broken = [placement(0, 0, 1, 0, 0), placement(1, 0, 1, 0, 1)];
        assert_eq!(
            check(&input, &broken),
            [Conflict::StudioDoubleBooked { a: 0, b: 1 }]
        );
    }

    #[test]
    fn check_finds_a_host_in_two_studios_at_once() {
        let input = two_studio_season();
        // The same host at 10:00 and 11:00 is fine; twice at 10:00 is not.
        let fine = [placement(0, 0, 0, 0, 0), placement(1, 0, 1, 1, 0)];
        assert_eq!(check(&input, &fine), []);
        let broken = [placement(0, 0, 0, 0, 0), placement(1, 0, 1, 0, 0)];
        assert_eq!(
            check(&input, &broken),
            [Conflict::HostDoubleBooked { a: 0, b: 1 }]
        );
    }

    #[test]
    fn check_finds_a_host_off_that_weekday() {
        let input = two_studio_season();
        assert_eq!(check(&input, &[placement(1, 0, 0, 0, 1)]), []);
        assert_eq!(
            check(&input, &[placement(1, 1, 0, 0, 1)]),
            [Conflict::HostUnavailable { placement: 0 }]
        );
    }

    #[test]
    fn check_finds_the_same_industry_too_close() {
        let input = two_studio_season();
        // Industry I21001 on Monday and Tuesday: one day apart, two needed.
        let broken = [
            placement(1, 0, 0, 0, 1),
            placement(0, 0, 1, 0, 0),
            placement(2, 1, 0, 0, 0),
        ];
        assert_eq!(
            check(&input, &broken),
            [Conflict::IndustryTooClose { a: 1, b: 2 }]
        );
        let no_rule = ScheduleInput {
            min_days_between_same_industry: 1,
            ..input
        };
        assert_eq!(check(&no_rule, &broken), []);
    }

    #[test]
    fn check_finds_a_candidate_on_air_twice() {
        let input = ScheduleInput {
            min_days_between_same_industry: 0,
            ..two_studio_season()
        };
        let broken = [placement(1, 0, 0, 0, 1), placement(1, 1, 0, 0, 0)];
        assert_eq!(
            check(&input, &broken),
            [Conflict::CandidateTwice { a: 0, b: 1 }]
        );
        assert_eq!(check(&input, &broken[..1]), []);
    }

    #[test]
    fn check_finds_indexes_outside_the_input() {
        let input = two_studio_season();
        let broken = [
            placement(0, 0, 0, 0, 0),
            placement(3, 0, 1, 0, 1),
            placement(1, 2, 1, 0, 1),
            placement(1, 0, 2, 0, 1),
            placement(1, 0, 0, 1, 1),
            placement(1, 0, 1, 1, 2),
        ];
        assert_eq!(
            check(&input, &broken),
            (1..6)
                .map(|placement| Conflict::OutOfRange { placement })
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_host_short_day_holds_only_the_hosts_it_has() {
        // Two studios at the same minute but one host: one broadcast a day.
        let input = ScheduleInput {
            days: vec![date(MONDAY)],
            studios: vec![Studio { times: vec![600] }, Studio { times: vec![600] }],
            hosts: vec![host(&["음식"], EVERY_DAY)],
            candidates: vec![
                candidate(4000, "I21001", "음식", &[]),
                candidate(3000, "G20405", "음식", &[]),
            ],
            min_days_between_same_industry: 0,
        };
        assert_eq!(upper_bound(&input), 8000);
        let plan = schedule(&input);
        assert_sound(&input, &plan);
        assert_eq!(plan.fit, 8000);
        assert_eq!(plan.unplaced, [1]);
    }
}
