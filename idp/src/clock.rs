//! The clock every expiry is measured against. Tests move it forward instead
//! of sleeping; production never sets an offset.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Wall-clock time plus an offset that only tests change.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
    /// Non-zero: the reading of a stopped clock (tests that need two events
    /// in one second).
    frozen_ms: Arc<AtomicI64>,
}

impl Clock {
    /// Milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        let frozen = self.frozen_ms.load(Ordering::Relaxed);
        if frozen != 0 {
            return frozen;
        }
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        real.saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Seconds since the Unix epoch.
    pub fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
        // A stopped clock moves only by `advance`.
        let _ = self
            .frozen_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |f| {
                (f != 0).then(|| f.saturating_add(ms))
            });
    }

    /// Stops this clock (and every clone) at the start of its current
    /// second; from then on only [`Clock::advance`] moves it.
    pub fn freeze(&self) {
        let second = self.now_secs().saturating_mul(1000);
        self.frozen_ms.store(second.max(1), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_is_shared_by_clones() {
        let a = Clock::default();
        let b = a.clone();
        let before = b.now_ms();
        a.advance(Duration::from_secs(3600));
        assert!(b.now_ms() - before >= 3_600_000);
    }

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let clock = Clock::default();
        clock.freeze();
        let at = clock.now_ms();
        assert_eq!(at % 1000, 0);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.clone().now_ms(), at);
        clock.advance(Duration::from_secs(2));
        assert_eq!(clock.now_ms(), at + 2000);
    }
}
