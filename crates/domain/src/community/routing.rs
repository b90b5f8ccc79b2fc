//! Who is asked to answer a question nobody answered: owners whose own record shows they got
//! past the same problem — an accepted answer to a question about the same error on the same
//! marketplace, a listing that marketplace took (their card reached 심사중 or 판매중), or a place
//! in the hall of fame in the asker's industry — and who opted in to being asked. Never the asker;
//! never a shop of the asker's own 시군구 and industry (a competitor next door) unless it said it
//! does not mind; at most a few invitations per person a day; the strongest reasons first.

use std::collections::{BTreeMap, BTreeSet};

use crate::accounts::UserId;

/// Why someone is asked, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InviteReason {
    /// Their answer to a question about the same error on the same marketplace was accepted.
    SolvedSame,
    /// The same marketplace took their listing (their card reached 심사중 or 판매중).
    Listed,
    /// A hall-of-fame member in the asker's industry.
    HallOfFame,
}

impl InviteReason {
    pub fn code(self) -> &'static str {
        match self {
            InviteReason::SolvedSame => "solved_same",
            InviteReason::Listed => "listed",
            InviteReason::HallOfFame => "hall_of_fame",
        }
    }

    pub fn parse(code: &str) -> Option<InviteReason> {
        [
            InviteReason::SolvedSame,
            InviteReason::Listed,
            InviteReason::HallOfFame,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }
}

/// A person who could be asked, with their shop's place and industry (empty when they have no
/// shop) and whether they accept questions from their own 시군구 and industry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub user: UserId,
    pub sigungu: String,
    pub industry: String,
    pub nearby_ok: bool,
    pub reason: InviteReason,
}

/// The asker: who they are and where their shop is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asker {
    pub user: UserId,
    pub sigungu: String,
    pub industry: String,
}

/// At most this many people are asked per question.
pub const INVITES_PER_QUESTION: usize = 3;
/// Nobody is asked more than this many times a day.
pub const INVITES_PER_PERSON_PER_DAY: u32 = 3;
/// A question waits this long for an answer before it is routed.
pub const ROUTE_AFTER_HOURS: i64 = 4;

/// The people to ask, best reason first (ties: the lower account id, so runs agree).
pub fn choose(
    asker: &Asker,
    candidates: &[Candidate],
    invited_today: &BTreeMap<UserId, u32>,
) -> Vec<(UserId, InviteReason)> {
    let mut best: BTreeMap<UserId, &Candidate> = BTreeMap::new();
    for c in candidates {
        let keep = match best.get(&c.user) {
            Some(held) => c.reason < held.reason,
            None => true,
        };
        if keep {
            best.insert(c.user, c);
        }
    }
    let mut ranked: Vec<&Candidate> = best
        .into_values()
        .filter(|c| c.user != asker.user)
        .filter(|c| {
            let next_door = !asker.sigungu.is_empty()
                && c.sigungu == asker.sigungu
                && !asker.industry.is_empty()
                && c.industry == asker.industry;
            !next_door || c.nearby_ok
        })
        .filter(|c| invited_today.get(&c.user).copied().unwrap_or(0) < INVITES_PER_PERSON_PER_DAY)
        .collect();
    ranked.sort_by(|a, b| a.reason.cmp(&b.reason).then(a.user.cmp(&b.user)));
    let mut seen = BTreeSet::new();
    ranked
        .into_iter()
        .filter(|c| seen.insert(c.user))
        .take(INVITES_PER_QUESTION)
        .map(|c| (c.user, c.reason))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(user: i64, sigungu: &str, industry: &str, reason: InviteReason) -> Candidate {
        Candidate {
            user: UserId(user),
            sigungu: sigungu.into(),
            industry: industry.into(),
            nearby_ok: false,
            reason,
        }
    }

    #[test]
    fn the_strongest_reasons_first_at_most_three() {
        let asker = Asker {
            user: UserId(1),
            sigungu: "52113".into(),
            industry: "I20101".into(),
        };
        let chosen = choose(
            &asker,
            &[
                candidate(5, "11110", "G20202", InviteReason::HallOfFame),
                candidate(4, "26110", "G20202", InviteReason::Listed),
                candidate(3, "27110", "I20101", InviteReason::SolvedSame),
                candidate(4, "26110", "G20202", InviteReason::SolvedSame),
                candidate(1, "52113", "I20101", InviteReason::SolvedSame),
                candidate(6, "11110", "G20202", InviteReason::Listed),
            ],
            &BTreeMap::new(),
        );
        assert_eq!(
            chosen,
            vec![
                (UserId(3), InviteReason::SolvedSame),
                (UserId(4), InviteReason::SolvedSame),
                (UserId(6), InviteReason::Listed),
            ]
        );
    }

    #[test]
    fn never_the_shop_next_door_unless_it_agreed_and_never_over_the_daily_cap() {
        let asker = Asker {
            user: UserId(1),
            sigungu: "52113".into(),
            industry: "I20101".into(),
        };
        let mut next_door = candidate(2, "52113", "I20101", InviteReason::SolvedSame);
        let busy = candidate(3, "11110", "I20101", InviteReason::SolvedSame);
        let other_trade = candidate(4, "52113", "G20202", InviteReason::Listed);
        let today = BTreeMap::from([(UserId(3), INVITES_PER_PERSON_PER_DAY)]);
        let chosen = choose(
            &asker,
            &[next_door.clone(), busy.clone(), other_trade.clone()],
            &today,
        );
        assert_eq!(chosen, vec![(UserId(4), InviteReason::Listed)]);
        next_door.nearby_ok = true;
        let chosen = choose(&asker, &[next_door, busy, other_trade], &today);
        assert_eq!(chosen[0], (UserId(2), InviteReason::SolvedSame));
    }
}
