//! The 1:1 timetable of a large 원정대 event: 1,000 merchants and 100 MDs over 16 slots, each
//! merchant ranking 3 MDs and each MD marking about 25 applicants (must / would / no), a tenth of
//! the shops having met an MD of the same marketplace lately; once with everyone there all day
//! and once with a third of the people leaving early. Times the timetable against the target of
//! 5 s, reports the meetings held against the flow's upper bound (target ≥ 98 %) and the
//! merchants' idle slots, and runs a first-come greedy on the same data for comparison.
//!
//! `cargo bench -p gachi-domain --bench timetable`

use std::time::Instant;

use gachi_domain::discovery::timetable::{
    self, Attendee, Interest, MdMark, TimetableInput, weight,
};

const MERCHANTS: usize = 1_000;
const MDS: usize = 100;
const SLOTS: u16 = 16;
const MERCHANT_CAP: u16 = 4;
const TARGET_SECONDS: f64 = 5.0;

/// xorshift64*: deterministic, no crate.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
    }
}

fn event(seed: u64, leave_early: bool) -> TimetableInput {
    let mut random = Random(seed);
    let attendee = |cap: u16, random: &mut Random| {
        let mut a = Attendee::all_day(cap, SLOTS);
        if leave_early && random.below(3) == 0 {
            let leave = 8 + random.below(usize::from(SLOTS) - 8);
            for present in a.present.iter_mut().skip(leave) {
                *present = false;
            }
        }
        a
    };
    let mds: Vec<Attendee> = (0..MDS).map(|_| attendee(SLOTS, &mut random)).collect();
    let merchants: Vec<Attendee> = (0..MERCHANTS)
        .map(|_| attendee(MERCHANT_CAP, &mut random))
        .collect();
    let mut interests = Vec::new();
    for merchant in 0..MERCHANTS {
        let recently = random.below(10) == 0;
        for rank in 1..=3u8 {
            interests.push(Interest {
                md: random.below(MDS),
                merchant,
                md_mark: None,
                merchant_rank: Some(rank),
                met_marketplace_recently: recently,
            });
        }
    }
    for md in 0..MDS {
        for _ in 0..25 {
            let mark = match random.below(10) {
                0..=2 => MdMark::MustMeet,
                3..=7 => MdMark::WouldMeet,
                _ => MdMark::No,
            };
            interests.push(Interest {
                md,
                merchant: random.below(MERCHANTS),
                md_mark: Some(mark),
                merchant_rank: None,
                met_marketplace_recently: random.below(10) == 0,
            });
        }
    }
    TimetableInput {
        slots: SLOTS,
        mds,
        merchants,
        interests,
    }
}

/// First come, first served: requests in the order they arrived, each placed in the earliest
/// slot both are there and free while both have places left.
fn greedy(input: &TimetableInput) -> (usize, i64) {
    let slots = usize::from(input.slots);
    let mut md_busy = vec![vec![false; slots]; input.mds.len()];
    let mut merchant_busy = vec![vec![false; slots]; input.merchants.len()];
    let mut md_count = vec![0u16; input.mds.len()];
    let mut merchant_count = vec![0u16; input.merchants.len()];
    let mut held = std::collections::HashSet::new();
    let (mut meetings, mut total) = (0, 0);
    for interest in &input.interests {
        let Some(w) = weight(interest) else { continue };
        let (i, j) = (interest.md, interest.merchant);
        if held.contains(&(i, j))
            || md_count[i] >= input.mds[i].cap
            || merchant_count[j] >= input.merchants[j].cap
        {
            continue;
        }
        if let Some(slot) = (0..slots).find(|&s| {
            input.mds[i].present[s]
                && input.merchants[j].present[s]
                && !md_busy[i][s]
                && !merchant_busy[j][s]
        }) {
            md_busy[i][slot] = true;
            merchant_busy[j][slot] = true;
            md_count[i] += 1;
            merchant_count[j] += 1;
            held.insert((i, j));
            meetings += 1;
            total += w;
        }
    }
    (meetings, total)
}

fn main() {
    println!(
        "timetable: {MERCHANTS} merchants × {MDS} MDs, {SLOTS} slots, merchants ≤ {MERCHANT_CAP} meetings"
    );
    for (label, leave_early) in [("everyone all day", false), ("a third leave early", true)] {
        let input = event(0x5eed_0001, leave_early);
        let started = Instant::now();
        let result = timetable::compute(&input);
        let seconds = started.elapsed().as_secs_f64();
        let faults = timetable::check(&input, &result);
        assert!(faults.is_empty(), "the timetable breaks a rule: {faults:?}");
        let held_weight: i64 = {
            let by_pair: std::collections::HashMap<(usize, usize), i64> = input
                .interests
                .iter()
                .filter_map(|i| weight(i).map(|w| ((i.md, i.merchant), w)))
                .fold(Default::default(), |mut map, (pair, w)| {
                    let e = map.entry(pair).or_insert(w);
                    *e = (*e).max(w);
                    map
                });
            result
                .meetings
                .iter()
                .map(|m| by_pair[&(m.md, m.merchant)])
                .sum()
        };
        let (greedy_meetings, greedy_weight) = greedy(&input);
        let share = result.meetings.len() as f64 / result.upper_bound.max(1) as f64 * 100.0;
        println!("\n{label}");
        println!(
            "  time                  {seconds:>8.3} s   (target < {TARGET_SECONDS} s: {:.1}× under)",
            TARGET_SECONDS / seconds
        );
        println!(
            "  meetings held         {:>8}     of the flow's upper bound {} = {share:.2} % (target ≥ 98 %)",
            result.meetings.len(),
            result.upper_bound
        );
        println!("  chosen, no slot       {:>8}", result.unscheduled.len());
        println!(
            "  merchants' idle slots {:>8}     merchants waiting > 1 slot: {}",
            result.merchant_idle_slots, result.merchants_waiting_long
        );
        println!(
            "  first-come greedy     {greedy_meetings:>8} meetings; weight {:.3} of ours ({} vs {})",
            greedy_weight as f64 / held_weight.max(1) as f64,
            greedy_weight,
            held_weight
        );
    }
}
