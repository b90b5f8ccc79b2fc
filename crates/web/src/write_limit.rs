//! A per-account limit on API writes: a token bucket per account that refills at
//! `per_second` and holds `per_second × BURST_SECONDS`, so a bulk tool can send a burst
//! and then keep a steady pace, while one token cannot flood the database (a script
//! without it created thousands of products a second). A write beyond the bucket is a
//! 429 with `Retry-After`. Buckets live in this process: behind several nodes each node
//! applies the limit on its own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use gachi_domain::accounts::UserId;

/// How many seconds of steady writing a full bucket holds.
pub const BURST_SECONDS: u32 = 20;
/// Above this many accounts tracked, full buckets (accounts idle long enough) are forgotten.
const TRACKED_ACCOUNTS: usize = 10_000;

/// The buckets of every account that wrote recently.
#[derive(Debug)]
pub struct WriteLimit {
    per_second: f64,
    capacity: f64,
    buckets: Mutex<HashMap<UserId, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl WriteLimit {
    /// A limit of `per_second` writes a second per account; None for 0 (no limit).
    pub fn new(per_second: u32) -> Option<Self> {
        (per_second > 0).then(|| WriteLimit {
            per_second: f64::from(per_second),
            capacity: f64::from(per_second) * f64::from(BURST_SECONDS),
            buckets: Mutex::new(HashMap::new()),
        })
    }

    /// Takes one write from `account`'s bucket at `now`: Ok, or Err with the whole seconds
    /// until one is back.
    pub fn take(&self, account: UserId, now: Instant) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= TRACKED_ACCOUNTS && !buckets.contains_key(&account) {
            let (per_second, capacity) = (self.per_second, self.capacity);
            buckets.retain(|_, bucket| bucket.refilled(now, per_second, capacity) < capacity);
        }
        let bucket = buckets.entry(account).or_insert(Bucket {
            tokens: self.capacity,
            at: now,
        });
        let tokens = bucket.refilled(now, self.per_second, self.capacity);
        if tokens >= 1.0 {
            *bucket = Bucket {
                tokens: tokens - 1.0,
                at: now,
            };
            Ok(())
        } else {
            *bucket = Bucket { tokens, at: now };
            Err(((1.0 - tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

impl Bucket {
    fn refilled(&self, now: Instant, per_second: f64, capacity: f64) -> f64 {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        (self.tokens + elapsed * per_second).min(capacity)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_is_allowed_then_writes_follow_the_rate_per_account() {
        let limit = WriteLimit::new(2).expect("a limit");
        let (one, other) = (UserId(1), UserId(2));
        let start = Instant::now();
        for _ in 0..2 * BURST_SECONDS {
            assert_eq!(limit.take(one, start), Ok(()));
        }
        assert_eq!(limit.take(one, start), Err(1), "the bucket is empty");
        assert_eq!(
            limit.take(other, start),
            Ok(()),
            "another account has its own"
        );
        let later = start + Duration::from_millis(500);
        assert_eq!(limit.take(one, later), Ok(()), "half a second refills one");
        assert_eq!(limit.take(one, later), Err(1));
    }

    #[test]
    fn zero_means_no_limit() {
        assert!(WriteLimit::new(0).is_none());
    }

    #[test]
    fn idle_accounts_are_forgotten_when_many_are_tracked() {
        let limit = WriteLimit::new(1).expect("a limit");
        let start = Instant::now();
        for id in 0..TRACKED_ACCOUNTS as i64 {
            limit.take(UserId(id), start).expect("a first write");
        }
        let much_later = start + Duration::from_secs(u64::from(BURST_SECONDS) + 1);
        limit.take(UserId(-1), much_later).expect("a first write");
        let tracked = limit.buckets.lock().expect("lock").len();
        assert_eq!(tracked, 1, "only the new account is left");
    }
}
