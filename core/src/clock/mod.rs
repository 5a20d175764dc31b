//! Time: one clock every service reads, one time-zone type parsed at the boundary, and one way
//! to show a date, a time or a range to a viewer.
//!
//! Services never call `Utc::now()`: they ask the [`Clock`] in their [`crate::Context`]. The app
//! runs on [`SystemClock`]; tests hand in a [`ManualClock`] and move it, so timeouts, expiry,
//! releases and reminders are tested without sleeping.

mod format;
mod zone;

use std::{
    fmt,
    sync::{Arc, Mutex},
};

use chrono::{DateTime, Duration, Utc};

pub use format::{format_date, format_date_time, format_range, format_time};
pub use zone::TimeZone;

/// Where "now" comes from.
pub trait Clock: Send + Sync + fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The clock every service is handed.
pub type SharedClock = Arc<dyn Clock>;

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

impl SystemClock {
    pub fn shared() -> SharedClock {
        Arc::new(SystemClock)
    }
}

/// A clock that stands still until a test moves it.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    /// Starts at the real current time, so rows written with the database's `now()` (defaults)
    /// and rows written with this clock agree until the test moves it.
    pub fn starting_now() -> Arc<Self> {
        Self::starting_at(Utc::now())
    }

    pub fn starting_at(at: DateTime<Utc>) -> Arc<Self> {
        Arc::new(Self { now: Mutex::new(at) })
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2026-03-08T07:00:00Z").unwrap().with_timezone(&Utc);
        let clock = ManualClock::starting_at(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::minutes(31));
        assert_eq!(clock.now(), start + Duration::minutes(31));
    }
}
