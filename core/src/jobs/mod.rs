//! The job queue: every side effect (email today; releases, reminders, charges next) is a row
//! written in the transaction of the change that causes it, then run by a worker in any
//! instance.
//!
//! Delivery is **at least once**: a worker that dies after doing the work but before recording
//! it leaves the job to run again when its lease runs out. Handlers are therefore idempotent
//! (the email handler skips a message already marked sent). Under normal operation, with any
//! number of instances, each job runs once: claims use `FOR UPDATE SKIP LOCKED` and results
//! are recorded only by the worker still holding the lease.

pub mod repo;
pub mod service;
pub mod standard;
pub mod worker;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

/// Retries before a job is left failed for an owner to see and retry.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 12;

/// A job to write to the queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub payload: Value,
    /// The practice it belongs to: its owner sees it on the failed-jobs page.
    pub org_id: Option<Uuid>,
    /// Shown to an owner when the job fails; no secrets, no health data.
    pub summary: String,
    pub run_at: DateTime<Utc>,
    /// Lets the job be found again to replace or drop it; one job per key.
    pub unique_key: Option<String>,
    pub max_attempts: i32,
}

impl NewJob {
    /// A job due at `run_at`, with no key and the default retries.
    pub fn new(kind: &'static str, payload: Value, summary: impl Into<String>, run_at: DateTime<Utc>) -> Self {
        Self {
            kind,
            payload,
            org_id: None,
            summary: summary.into(),
            run_at,
            unique_key: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    pub fn for_org(mut self, org_id: Option<Uuid>) -> Self {
        self.org_id = org_id;
        self
    }

    pub fn keyed(mut self, key: impl Into<String>) -> Self {
        self.unique_key = Some(key.into());
        self
    }
}

/// A claimed job, handed to its handler.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub payload: Value,
    pub org_id: Option<Uuid>,
    /// Including this one.
    pub attempts: i32,
    pub max_attempts: i32,
    pub repeat_every_secs: Option<i32>,
}

/// Why a run did not succeed. The message is ours (never a library's text): an owner reads it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Worth trying again later (a server was down).
    #[error("{0}")]
    Retry(String),
    /// Will never work (the row it was about is gone): fail now.
    #[error("{0}")]
    Permanent(String),
}

/// Runs jobs of one kind. `run` must be idempotent: it may run again after a crash.
#[async_trait]
pub trait JobHandler: Send + Sync {
    fn kind(&self) -> &'static str;

    async fn run(&self, job: &Job) -> Result<(), JobError>;

    /// Called once when the job is given up on, to mark what it was about.
    async fn gave_up(&self, _job: &Job, _error: &str) -> crate::Result<()> {
        Ok(())
    }
}

/// Work that runs every `every`, once across all instances (one row, one lease).
#[derive(Debug, Clone, Copy)]
pub struct Recurring {
    pub kind: &'static str,
    pub every: Duration,
    pub summary: &'static str,
}

/// How long to wait before the next attempt after `attempts` failed ones; `None`: give up.
pub fn retry_delay(attempts: i32, max_attempts: i32) -> Option<Duration> {
    if attempts >= max_attempts {
        return None;
    }
    let exponent = (attempts - 1).clamp(0, 20) as u32;
    Some(Duration::from_secs(5u64.saturating_mul(1 << exponent).min(3600)))
}

/// The queue's wake-up channel: enqueueing a due job notifies it, so workers start at once.
pub const NOTIFY_CHANNEL: &str = "tend_jobs";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour_and_then_give_up() {
        assert_eq!(retry_delay(1, 12), Some(Duration::from_secs(5)));
        assert_eq!(retry_delay(2, 12), Some(Duration::from_secs(10)));
        assert_eq!(retry_delay(11, 12), Some(Duration::from_secs(3600)));
        assert_eq!(retry_delay(12, 12), None);
    }
}
