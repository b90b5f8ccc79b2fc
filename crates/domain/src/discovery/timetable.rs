//! The 1:1 timetable of a 원정대 event: which MD meets which merchant, and in which slot.
//!
//! **Which meetings.** Every (MD, merchant) pair someone asked for gets a weight in tiers —
//! mutual interest, then the MD's request (must meet above would meet), then the merchant's
//! request (by the merchant's rank) — each tier worth more than everything a person's meetings
//! of the tiers below could add, so the choice is lexicographic. A pair the MD marked "no" is
//! never chosen, nor one whose shop met an MD of the same marketplace in the last 12 months
//! unless the merchant asked for it. Within each MD's and each merchant's cap, the chosen set
//! has the greatest total weight: a b-matching, solved as a minimum-cost flow
//! (`kernel::flow`), where each MD's unused places flow to the sink along a bypass at the
//! highest cost, so a meeting is taken exactly when it pays. Its size is the upper bound on
//! what any timetable can hold.
//!
//! **When.** Slots are colours of a bipartite multigraph's edges: no MD or merchant in two
//! meetings at once, and only in slots both are there. Meetings are placed heaviest first in
//! the free slot that keeps the merchant's day tightest; when the two have no common free slot,
//! an alternating (Kempe) chain of two slots is swapped to free one, as König's proof of
//! bipartite edge colouring does — with everyone there all day and caps within the slots, every
//! chosen meeting fits. Then meetings move to free slots while that shortens a merchant's idle
//! time between meetings (MDs keep their table all day; merchants should not wait).

use crate::kernel::flow::{NetworkBuilder, min_cost_max_flow};

/// What an MD marked for an applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MdMark {
    MustMeet,
    WouldMeet,
    No,
}

/// One pair someone asked for (indexes into `TimetableInput::mds` and `merchants`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interest {
    pub md: usize,
    pub merchant: usize,
    pub md_mark: Option<MdMark>,
    /// The merchant's rank of this MD: 1 is the first choice.
    pub merchant_rank: Option<u8>,
    /// The shop met an MD of this MD's marketplace in the last 12 months.
    pub met_marketplace_recently: bool,
}

/// Someone's day: how many meetings at most, and the slots they are there for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub cap: u16,
    /// One entry per slot of the day.
    pub present: Vec<bool>,
}

impl Attendee {
    /// There all day.
    pub fn all_day(cap: u16, slots: u16) -> Self {
        Self {
            cap,
            present: vec![true; usize::from(slots)],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimetableInput {
    pub slots: u16,
    pub mds: Vec<Attendee>,
    pub merchants: Vec<Attendee>,
    pub interests: Vec<Interest>,
}

/// A meeting in the timetable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Meeting {
    pub slot: u16,
    pub md: usize,
    pub merchant: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timetable {
    /// By slot, then MD.
    pub meetings: Vec<Meeting>,
    /// Chosen but without a slot both are there and free: (md, merchant). Their places went to
    /// the next wanted pairs where those fit.
    pub unscheduled: Vec<(usize, usize)>,
    /// The most meetings any timetable could hold (the largest set of wanted pairs within
    /// everyone's cap and the slots they are there for): the bound it is measured against.
    pub upper_bound: usize,
    /// Free slots between a merchant's first and last meeting, summed over merchants.
    pub merchant_idle_slots: usize,
    /// Merchants waiting more than one slot between two of their meetings.
    pub merchants_waiting_long: usize,
}

/// The weight tiers (see the module docs): each exceeds a whole day of the tier below.
const MUTUAL: i64 = 1_000_000;
const MD_MUST: i64 = 13_000;
const MD_WOULD: i64 = 10_000;
const MERCHANT_ASKED: i64 = 100;

/// How much the timetable wants a pair; `None`: never.
pub fn weight(interest: &Interest) -> Option<i64> {
    if interest.md_mark == Some(MdMark::No) {
        return None;
    }
    if interest.met_marketplace_recently && interest.merchant_rank.is_none() {
        return None;
    }
    let rank_bonus = interest
        .merchant_rank
        .map(|rank| 10 - i64::from(rank.clamp(1, 9)));
    let md_part = match interest.md_mark {
        Some(MdMark::MustMeet) => Some(MD_MUST),
        Some(MdMark::WouldMeet) => Some(MD_WOULD),
        _ => None,
    };
    match (md_part, rank_bonus) {
        (Some(md), Some(rank)) => Some(MUTUAL + md + rank),
        (Some(md), None) => Some(md),
        (None, Some(rank)) => Some(MERCHANT_ASKED + rank),
        (None, None) => None,
    }
}

/// How many slots someone is there for: more meetings than that cannot be held.
fn present_slots(attendee: &Attendee) -> i64 {
    attendee.present.iter().filter(|p| **p).count() as i64
}

/// The meetings to hold: the heaviest set within everyone's cap (and the slots they are there
/// for), among pairs there at the same time, as (md, merchant, weight).
pub fn choose_meetings(input: &TimetableInput) -> Vec<(usize, usize, i64)> {
    solve_b_matching(input, false)
}

/// The most meetings any timetable could hold: the largest set of wanted pairs within
/// everyone's cap and presence, whatever their weights (the bound the timetable is measured
/// against).
pub fn most_meetings(input: &TimetableInput) -> usize {
    solve_b_matching(input, true).len()
}

/// The b-matching of wanted pairs with the greatest total weight (every weight 1 when
/// `count_only`, which makes it the largest).
fn solve_b_matching(input: &TimetableInput, count_only: bool) -> Vec<(usize, usize, i64)> {
    let mut best: std::collections::HashMap<(usize, usize), i64> = Default::default();
    for interest in &input.interests {
        if interest.md >= input.mds.len() || interest.merchant >= input.merchants.len() {
            continue;
        }
        let together = (0..usize::from(input.slots)).any(|s| {
            input.mds[interest.md].present.get(s) == Some(&true)
                && input.merchants[interest.merchant].present.get(s) == Some(&true)
        });
        if let Some(w) = weight(interest)
            .filter(|_| together)
            .map(|w| if count_only { 1 } else { w })
        {
            let entry = best.entry((interest.md, interest.merchant)).or_insert(w);
            *entry = (*entry).max(w);
        }
    }
    let mut pairs: Vec<((usize, usize), i64)> = best.into_iter().collect();
    pairs.sort_unstable();
    let Some(top) = pairs.iter().map(|(_, w)| *w).max() else {
        return Vec::new();
    };
    let (source, sink) = (0, 1);
    let md_node = |i: usize| 2 + i;
    let merchant_node = |j: usize| 2 + input.mds.len() + j;
    let mut builder = NetworkBuilder::default();
    for (i, md) in input.mds.iter().enumerate() {
        let cap = i64::from(md.cap).min(present_slots(md));
        builder.arc(source, md_node(i), cap, 0);
        // Places left unused cost the most, so every meeting that pays is taken.
        builder.arc(md_node(i), sink, cap, top);
    }
    for (j, merchant) in input.merchants.iter().enumerate() {
        builder.arc(
            merchant_node(j),
            sink,
            i64::from(merchant.cap).min(present_slots(merchant)),
            0,
        );
    }
    let first_pair_arc = builder.len();
    for &((i, j), w) in &pairs {
        builder.arc(md_node(i), merchant_node(j), 1, top - w);
    }
    let mut network = builder.build(2 + input.mds.len() + input.merchants.len());
    min_cost_max_flow(&mut network, source, sink);
    pairs
        .iter()
        .enumerate()
        .filter(|(k, _)| network.flow(first_pair_arc + k) > 0)
        .map(|(_, &((i, j), w))| (i, j, w))
        .collect()
}

/// Who holds each slot of one side: `busy[person][slot]` is the meeting's other side.
struct Board {
    md_busy: Vec<Vec<Option<usize>>>,
    merchant_busy: Vec<Vec<Option<usize>>>,
}

impl Board {
    fn free(&self, input: &TimetableInput, md: usize, merchant: usize, slot: usize) -> bool {
        input.mds[md].present.get(slot) == Some(&true)
            && input.merchants[merchant].present.get(slot) == Some(&true)
            && self.md_busy[md][slot].is_none()
            && self.merchant_busy[merchant][slot].is_none()
    }

    fn place(&mut self, md: usize, merchant: usize, slot: usize) {
        self.md_busy[md][slot] = Some(merchant);
        self.merchant_busy[merchant][slot] = Some(md);
    }

    fn clear(&mut self, md: usize, merchant: usize, slot: usize) {
        self.md_busy[md][slot] = None;
        self.merchant_busy[merchant][slot] = None;
    }

    /// Idle slots inside the merchant's day if it also met in `extra` (and not in `without`).
    fn idle_with(&self, merchant: usize, extra: Option<usize>, without: Option<usize>) -> usize {
        let row = &self.merchant_busy[merchant];
        let taken =
            |slot: usize| Some(slot) != without && (row[slot].is_some() || Some(slot) == extra);
        let slots: Vec<usize> = (0..row.len()).filter(|&s| taken(s)).collect();
        match (slots.first(), slots.last()) {
            (Some(first), Some(last)) => last - first + 1 - slots.len(),
            _ => 0,
        }
    }

    /// The alternating chain of slots `a` and `b` that starts at the merchant's meeting in `a`:
    /// merchant -a-> MD -b-> merchant -a-> …, as (md, merchant, slot) — or `None` when a meeting
    /// on it could not be held in the other slot.
    fn chain_of(
        &self,
        input: &TimetableInput,
        merchant: usize,
        a: usize,
        b: usize,
    ) -> Option<Vec<(usize, usize, usize)>> {
        let mut chain: Vec<(usize, usize, usize)> = Vec::new();
        let mut at_merchant = Some(merchant);
        let mut at_md: Option<usize> = None;
        let mut slot = a;
        loop {
            let next = match (at_merchant, at_md) {
                (Some(j), _) => self.merchant_busy[j][slot].map(|i| (i, j)),
                (_, Some(i)) => self.md_busy[i][slot].map(|j| (i, j)),
                _ => None,
            };
            let Some((i, j)) = next else { break };
            chain.push((i, j, slot));
            if at_merchant.is_some() {
                at_merchant = None;
                at_md = Some(i);
            } else {
                at_md = None;
                at_merchant = Some(j);
            }
            slot = if slot == a { b } else { a };
            if chain.len() > input.mds.len() + input.merchants.len() {
                return None;
            }
        }
        let swapped = |s: usize| if s == a { b } else { a };
        chain
            .iter()
            .all(|&(i, j, s)| {
                input.mds[i].present[swapped(s)] && input.merchants[j].present[swapped(s)]
            })
            .then_some(chain)
    }

    /// Exchanges slots `a` and `b` for every meeting of `chain`.
    fn swap(&mut self, chain: &[(usize, usize, usize)], a: usize, b: usize) {
        for &(i, j, s) in chain {
            self.clear(i, j, s);
        }
        for &(i, j, s) in chain {
            self.place(i, j, if s == a { b } else { a });
        }
    }

    /// Frees slot `a` at the merchant by swapping `a` and `b` (free at the merchant) along the
    /// chain from its meeting in `a`; in a bipartite graph the chain never reaches an MD free at
    /// `a`, so that MD and the merchant then share `a`. Refused when the chain cannot move.
    fn swap_chain(&mut self, input: &TimetableInput, merchant: usize, a: usize, b: usize) -> bool {
        match self.chain_of(input, merchant, a, b) {
            Some(chain) => {
                self.swap(&chain, a, b);
                true
            }
            None => false,
        }
    }
}

/// The timetable: the chosen meetings placed in slots.
pub fn compute(input: &TimetableInput) -> Timetable {
    let slots = usize::from(input.slots);
    let mut chosen = choose_meetings(input);
    let upper_bound = most_meetings(input);
    // Heaviest first; then the busiest MDs and merchants, whose days are hardest to fit.
    let mut md_load = vec![0usize; input.mds.len()];
    let mut merchant_load = vec![0usize; input.merchants.len()];
    for &(i, j, _) in &chosen {
        md_load[i] += 1;
        merchant_load[j] += 1;
    }
    chosen.sort_by_key(|&(i, j, w)| {
        (
            std::cmp::Reverse(w),
            std::cmp::Reverse(merchant_load[j] + md_load[i]),
            i,
            j,
        )
    });
    let mut board = Board {
        md_busy: vec![vec![None; slots]; input.mds.len()],
        merchant_busy: vec![vec![None; slots]; input.merchants.len()],
    };
    let mut unscheduled = Vec::new();
    let mut md_held = vec![0u16; input.mds.len()];
    let mut merchant_held = vec![0u16; input.merchants.len()];
    let mut held = std::collections::HashSet::new();
    for &(i, j, _) in &chosen {
        if place(input, &mut board, i, j) {
            md_held[i] += 1;
            merchant_held[j] += 1;
            held.insert((i, j));
        } else {
            unscheduled.push((i, j));
        }
    }
    // A chosen meeting without a slot leaves a place on both sides: offer it to the next
    // wanted pairs, heaviest first.
    if !unscheduled.is_empty() {
        let mut others: Vec<(i64, usize, usize)> = input
            .interests
            .iter()
            .filter_map(|interest| Some((weight(interest)?, interest.md, interest.merchant)))
            .filter(|&(_, i, j)| i < input.mds.len() && j < input.merchants.len())
            .collect();
        others.sort_unstable_by_key(|&(w, i, j)| (std::cmp::Reverse(w), i, j));
        others.dedup_by_key(|&mut (_, i, j)| (i, j));
        let failed: std::collections::HashSet<(usize, usize)> =
            unscheduled.iter().copied().collect();
        for (_, i, j) in others {
            if md_held[i] < input.mds[i].cap
                && merchant_held[j] < input.merchants[j].cap
                && !held.contains(&(i, j))
                && !failed.contains(&(i, j))
                && place(input, &mut board, i, j)
            {
                md_held[i] += 1;
                merchant_held[j] += 1;
                held.insert((i, j));
            }
        }
    }
    tighten_merchant_days(input, &mut board);
    let mut meetings: Vec<Meeting> = Vec::with_capacity(upper_bound);
    for (md, row) in board.md_busy.iter().enumerate() {
        for (slot, merchant) in row.iter().enumerate() {
            if let Some(merchant) = *merchant {
                meetings.push(Meeting {
                    slot: slot as u16,
                    md,
                    merchant,
                });
            }
        }
    }
    meetings.sort_unstable();
    let idle: Vec<usize> = (0..input.merchants.len())
        .map(|j| board.idle_with(j, None, None))
        .collect();
    let merchants_waiting_long = (0..input.merchants.len())
        .filter(|&j| longest_wait(&board.merchant_busy[j]) > 1)
        .count();
    Timetable {
        meetings,
        unscheduled,
        upper_bound,
        merchant_idle_slots: idle.iter().sum(),
        merchants_waiting_long,
    }
}

/// Places a meeting in the free slot both share that keeps the merchant's day tightest, or
/// frees one by swapping two slots along an alternating chain; false when neither works.
fn place(input: &TimetableInput, board: &mut Board, i: usize, j: usize) -> bool {
    let slots = usize::from(input.slots);
    let best = (0..slots)
        .filter(|&s| board.free(input, i, j, s))
        .min_by_key(|&s| (board.idle_with(j, Some(s), None), s));
    if let Some(slot) = best {
        board.place(i, j, slot);
        return true;
    }
    for a in 0..slots {
        if board.md_busy[i][a].is_some()
            || !input.mds[i].present[a]
            || !input.merchants[j].present[a]
        {
            continue;
        }
        for b in 0..slots {
            if b == a || board.merchant_busy[j][b].is_some() || !input.merchants[j].present[b] {
                continue;
            }
            if board.swap_chain(input, j, a, b) && board.free(input, i, j, a) {
                board.place(i, j, a);
                return true;
            }
        }
    }
    false
}

/// The longest run of free slots between two of a merchant's meetings.
fn longest_wait(row: &[Option<usize>]) -> usize {
    let taken: Vec<usize> = (0..row.len()).filter(|&s| row[s].is_some()).collect();
    taken.windows(2).map(|w| w[1] - w[0] - 1).max().unwrap_or(0)
}

/// Shortens merchants' waits between meetings (a few passes): a meeting moves to a slot free
/// for both when that shortens the merchant's idle time; otherwise two slots are exchanged along
/// an alternating chain when that lowers the idle time of the merchants on it.
fn tighten_merchant_days(input: &TimetableInput, board: &mut Board) {
    let slots = usize::from(input.slots);
    for _ in 0..4 {
        let mut improved = false;
        for j in 0..input.merchants.len() {
            let mut idle = board.idle_with(j, None, None);
            if idle == 0 {
                continue;
            }
            for from in 0..slots {
                let Some(i) = board.merchant_busy[j][from] else {
                    continue;
                };
                let better = (0..slots)
                    .filter(|&to| to != from && board.free(input, i, j, to))
                    .map(|to| (board.idle_with(j, Some(to), Some(from)), to))
                    .min();
                if let Some((after, to)) = better
                    && after < idle
                {
                    board.clear(i, j, from);
                    board.place(i, j, to);
                    idle = after;
                    improved = true;
                }
            }
            if idle == 0 {
                continue;
            }
            // Exchange the slot of one of its meetings with a free slot of its own, carrying the
            // chain of meetings that exchange needs, when the merchants on it wait less.
            'meetings: for from in 0..slots {
                if board.merchant_busy[j][from].is_none() {
                    continue;
                }
                for to in 0..slots {
                    if board.merchant_busy[j][to].is_some()
                        || !input.merchants[j].present[to]
                        || board.idle_with(j, Some(to), Some(from)) >= idle
                    {
                        continue;
                    }
                    let Some(chain) = board.chain_of(input, j, from, to) else {
                        continue;
                    };
                    let mut on_chain: Vec<usize> = chain.iter().map(|&(_, m, _)| m).collect();
                    on_chain.sort_unstable();
                    on_chain.dedup();
                    let waiting = |board: &Board| -> usize {
                        on_chain
                            .iter()
                            .map(|&m| board.idle_with(m, None, None))
                            .sum()
                    };
                    let before = waiting(board);
                    board.swap(&chain, from, to);
                    if waiting(board) < before {
                        idle = board.idle_with(j, None, None);
                        improved = true;
                        if idle == 0 {
                            break 'meetings;
                        }
                    } else {
                        let moved: Vec<(usize, usize, usize)> = chain
                            .iter()
                            .map(|&(i, m, s)| (i, m, if s == from { to } else { from }))
                            .collect();
                        board.swap(&moved, from, to);
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// A fault in a timetable against its input; `check` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    MdDoubleBooked {
        md: usize,
        slot: u16,
    },
    MerchantDoubleBooked {
        merchant: usize,
        slot: u16,
    },
    Absent {
        md: usize,
        merchant: usize,
        slot: u16,
    },
    OverCap {
        md: Option<usize>,
        merchant: Option<usize>,
    },
    NotWanted {
        md: usize,
        merchant: usize,
    },
}

/// Every hard rule the timetable breaks (none for a timetable `compute` made).
pub fn check(input: &TimetableInput, timetable: &Timetable) -> Vec<Fault> {
    let mut faults = Vec::new();
    let mut seen_md = std::collections::HashSet::new();
    let mut seen_merchant = std::collections::HashSet::new();
    let mut md_count = vec![0u16; input.mds.len()];
    let mut merchant_count = vec![0u16; input.merchants.len()];
    let wanted: std::collections::HashSet<(usize, usize)> = input
        .interests
        .iter()
        .filter(|i| weight(i).is_some())
        .map(|i| (i.md, i.merchant))
        .collect();
    for m in &timetable.meetings {
        if !seen_md.insert((m.md, m.slot)) {
            faults.push(Fault::MdDoubleBooked {
                md: m.md,
                slot: m.slot,
            });
        }
        if !seen_merchant.insert((m.merchant, m.slot)) {
            faults.push(Fault::MerchantDoubleBooked {
                merchant: m.merchant,
                slot: m.slot,
            });
        }
        let slot = usize::from(m.slot);
        if !input.mds[m.md].present[slot] || !input.merchants[m.merchant].present[slot] {
            faults.push(Fault::Absent {
                md: m.md,
                merchant: m.merchant,
                slot: m.slot,
            });
        }
        if !wanted.contains(&(m.md, m.merchant)) {
            faults.push(Fault::NotWanted {
                md: m.md,
                merchant: m.merchant,
            });
        }
        md_count[m.md] += 1;
        merchant_count[m.merchant] += 1;
    }
    for (md, count) in md_count.iter().enumerate() {
        if *count > input.mds[md].cap {
            faults.push(Fault::OverCap {
                md: Some(md),
                merchant: None,
            });
        }
    }
    for (merchant, count) in merchant_count.iter().enumerate() {
        if *count > input.merchants[merchant].cap {
            faults.push(Fault::OverCap {
                md: None,
                merchant: Some(merchant),
            });
        }
    }
    faults
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interest(md: usize, merchant: usize) -> Interest {
        Interest {
            md,
            merchant,
            md_mark: None,
            merchant_rank: None,
            met_marketplace_recently: false,
        }
    }

    #[test]
    fn mutual_interest_comes_first_then_the_mds_then_the_merchants() {
        // One MD with one place; three applicants asked in different ways.
        let input = TimetableInput {
            slots: 4,
            mds: vec![Attendee::all_day(1, 4)],
            merchants: vec![Attendee::all_day(1, 4); 3],
            interests: vec![
                Interest {
                    merchant_rank: Some(1),
                    ..interest(0, 0)
                },
                Interest {
                    md_mark: Some(MdMark::MustMeet),
                    ..interest(0, 1)
                },
                Interest {
                    md_mark: Some(MdMark::WouldMeet),
                    merchant_rank: Some(3),
                    ..interest(0, 2)
                },
            ],
        };
        let chosen = choose_meetings(&input);
        assert_eq!(chosen.len(), 1);
        assert_eq!((chosen[0].0, chosen[0].1), (0, 2), "mutual wins");
        let two_places = TimetableInput {
            mds: vec![Attendee::all_day(2, 4)],
            ..input
        };
        let mut chosen: Vec<usize> = choose_meetings(&two_places).iter().map(|c| c.1).collect();
        chosen.sort();
        assert_eq!(chosen, [1, 2], "then the MD's own request");
    }

    #[test]
    fn a_no_or_a_recent_meeting_keeps_a_pair_apart_unless_the_merchant_asks() {
        let no = Interest {
            md_mark: Some(MdMark::No),
            merchant_rank: Some(1),
            ..interest(0, 0)
        };
        assert_eq!(weight(&no), None);
        let recent = Interest {
            md_mark: Some(MdMark::MustMeet),
            met_marketplace_recently: true,
            ..interest(0, 0)
        };
        assert_eq!(weight(&recent), None);
        let asked = Interest {
            merchant_rank: Some(2),
            ..recent
        };
        assert!(weight(&asked).is_some());
    }

    #[test]
    fn a_tier_outweighs_a_full_day_of_the_tier_below() {
        let day = 16;
        assert!(MUTUAL > day * (MD_MUST + 10));
        assert!(MD_WOULD > day * (MERCHANT_ASKED + 10));
    }

    /// A tiny deterministic generator (xorshift), so the cases are the same on every run.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, below: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % below as u64) as usize
        }
    }

    fn random_event(
        rng: &mut Rng,
        mds: usize,
        merchants: usize,
        slots: u16,
        windows: bool,
    ) -> TimetableInput {
        let mut attendee = |cap: u16| {
            let mut a = Attendee::all_day(cap, slots);
            if windows && rng.next(3) == 0 {
                let leave = 4 + rng.next(usize::from(slots) - 4);
                for p in a.present.iter_mut().skip(leave) {
                    *p = false;
                }
            }
            a
        };
        let md_list: Vec<Attendee> = (0..mds).map(|_| attendee(slots)).collect();
        let merchant_list: Vec<Attendee> = (0..merchants).map(|_| attendee(3)).collect();
        let mut interests = Vec::new();
        for j in 0..merchants {
            for rank in 1..=3u8 {
                interests.push(Interest {
                    merchant_rank: Some(rank),
                    ..interest(rng.next(mds), j)
                });
            }
            for _ in 0..2 {
                let mark = [MdMark::MustMeet, MdMark::WouldMeet, MdMark::No][rng.next(3)];
                interests.push(Interest {
                    md_mark: Some(mark),
                    met_marketplace_recently: rng.next(10) == 0,
                    ..interest(rng.next(mds), j)
                });
            }
        }
        TimetableInput {
            slots,
            mds: md_list,
            merchants: merchant_list,
            interests,
        }
    }

    #[test]
    fn everyone_there_all_day_gets_every_chosen_meeting() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20 {
            let input = random_event(&mut rng, 12, 60, 8, false);
            let timetable = compute(&input);
            assert_eq!(check(&input, &timetable), []);
            assert!(
                timetable.unscheduled.is_empty(),
                "König: {:?}",
                timetable.unscheduled
            );
            assert_eq!(timetable.meetings.len(), timetable.upper_bound);
        }
    }

    #[test]
    fn with_people_leaving_early_no_rule_is_broken() {
        let mut rng = Rng(42);
        for _ in 0..20 {
            let input = random_event(&mut rng, 10, 50, 8, true);
            let timetable = compute(&input);
            assert_eq!(check(&input, &timetable), []);
            assert!(timetable.meetings.len() <= timetable.upper_bound);
            assert!(
                timetable.meetings.len() + timetable.unscheduled.len()
                    >= choose_meetings(&input).len(),
                "every chosen meeting is held or reported"
            );
        }
    }

    #[test]
    fn a_merchants_meetings_are_packed_together() {
        // Two MDs each already busy early; the merchant meets both without waiting between.
        let input = TimetableInput {
            slots: 6,
            mds: vec![Attendee::all_day(6, 6); 2],
            merchants: vec![Attendee::all_day(2, 6); 5],
            interests: (0..2)
                .flat_map(|md| {
                    (0..5).map(move |merchant| Interest {
                        md_mark: Some(MdMark::WouldMeet),
                        merchant_rank: Some(1),
                        ..interest(md, merchant)
                    })
                })
                .collect(),
        };
        let timetable = compute(&input);
        assert_eq!(check(&input, &timetable), []);
        assert_eq!(timetable.meetings.len(), 10);
        assert_eq!(timetable.merchants_waiting_long, 0, "{timetable:?}");
    }

    #[test]
    fn a_checked_timetable_names_what_it_breaks() {
        let input = TimetableInput {
            slots: 2,
            mds: vec![Attendee::all_day(1, 2)],
            merchants: vec![Attendee {
                cap: 1,
                present: vec![true, false],
            }],
            interests: vec![Interest {
                merchant_rank: Some(1),
                ..interest(0, 0)
            }],
        };
        let broken = Timetable {
            meetings: vec![
                Meeting {
                    slot: 1,
                    md: 0,
                    merchant: 0,
                },
                Meeting {
                    slot: 1,
                    md: 0,
                    merchant: 0,
                },
            ],
            unscheduled: vec![],
            upper_bound: 1,
            merchant_idle_slots: 0,
            merchants_waiting_long: 0,
        };
        let faults = check(&input, &broken);
        assert!(faults.contains(&Fault::MdDoubleBooked { md: 0, slot: 1 }));
        assert!(faults.contains(&Fault::Absent {
            md: 0,
            merchant: 0,
            slot: 1
        }));
        assert!(faults.contains(&Fault::OverCap {
            md: Some(0),
            merchant: None
        }));
        let good = compute(&input);
        assert_eq!(
            good.meetings,
            [Meeting {
                slot: 0,
                md: 0,
                merchant: 0
            }]
        );
    }
}
