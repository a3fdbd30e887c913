//! The per-person limit on connection checks (SPEC C1): a sliding window kept in memory.
//!
//! A check makes the server open sockets to a host the caller chose, so a person must not be able to
//! turn it into a port scanner. Each replica counts on its own; that bounds the rate per replica,
//! which is what protects the target.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `max` checks per person in any `window`.
#[derive(Debug)]
pub struct RateLimiter<K> {
    max: usize,
    window: Duration,
    recent: Mutex<HashMap<K, VecDeque<Instant>>>,
}

/// Refused: the person may check again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// The limit the API uses: 10 checks a minute for each person.
    pub fn for_checks() -> RateLimiter<K> {
        RateLimiter::new(10, Duration::from_secs(60))
    }

    pub fn new(max: usize, window: Duration) -> RateLimiter<K> {
        RateLimiter {
            max,
            window,
            recent: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one check for `key` now, or says how long to wait.
    pub fn try_acquire(&self, key: &K) -> Result<(), RetryAfter> {
        self.try_acquire_at(key, Instant::now())
    }

    /// [`RateLimiter::try_acquire`] at a given moment (tests pass their own clock).
    pub fn try_acquire_at(&self, key: &K, now: Instant) -> Result<(), RetryAfter> {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        // Forget people whose window has passed, so the map stays as small as the active set.
        recent.retain(|_, times| {
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window)
            {
                times.pop_front();
            }
            !times.is_empty()
        });
        let times = recent.entry(key.clone()).or_default();
        if times.len() >= self.max {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(RetryAfter(self.window - now.duration_since(oldest)));
        }
        times.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SPEC C1: checks are rate limited per person; others are not affected; the window slides.
    #[test]
    fn checks_are_limited_per_person_c1() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        let start = Instant::now();
        for i in 0..3 {
            assert_eq!(
                limiter.try_acquire_at(&"anna", start + Duration::from_secs(i)),
                Ok(())
            );
        }
        assert_eq!(
            limiter.try_acquire_at(&"anna", start + Duration::from_secs(10)),
            Err(RetryAfter(Duration::from_secs(50)))
        );
        assert_eq!(
            limiter.try_acquire_at(&"boris", start + Duration::from_secs(10)),
            Ok(())
        );
        // The first check leaves the window at 60 s, which frees one place.
        assert_eq!(
            limiter.try_acquire_at(&"anna", start + Duration::from_secs(60)),
            Ok(())
        );
        assert!(
            limiter
                .try_acquire_at(&"anna", start + Duration::from_secs(60))
                .is_err()
        );
    }

    #[test]
    fn idle_people_are_forgotten() {
        let limiter = RateLimiter::new(1, Duration::from_secs(1));
        let start = Instant::now();
        limiter.try_acquire_at(&1, start).unwrap();
        limiter.try_acquire_at(&2, start).unwrap();
        limiter
            .try_acquire_at(&3, start + Duration::from_secs(2))
            .unwrap();
        assert_eq!(limiter.recent.lock().unwrap().len(), 1);
    }
}
