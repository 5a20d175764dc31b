//! Runs the queue: claims due jobs with a lease, runs each outside any transaction, records the
//! result. One worker per instance; any number of instances share the queue.

use std::{collections::HashMap, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use sqlx::postgres::PgListener;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::{Job, JobError, JobHandler, NOTIFY_CHANNEL, Recurring, repo, retry_delay};
use crate::{Context, Result};

/// Jobs one worker runs at once.
const BATCH: i64 = 8;
/// How often an idle worker looks for jobs that came due (or whose lease ran out) without a
/// notification.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

pub struct Worker {
    ctx: Context,
    id: Uuid,
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    recurring: Vec<Recurring>,
}

impl Worker {
    pub fn new(ctx: Context) -> Self {
        Self { ctx, id: Uuid::new_v4(), handlers: HashMap::new(), recurring: Vec::new() }
    }

    pub fn handle(mut self, handler: impl JobHandler + 'static) -> Self {
        self.handlers.insert(handler.kind(), Arc::new(handler));
        self
    }

    /// Recurring work needs a handler of its kind too.
    pub fn every(mut self, recurring: Recurring) -> Self {
        self.recurring.push(recurring);
        self
    }

    /// Runs until `shutdown` fires; the jobs in hand are finished first.
    pub async fn run(self, shutdown: CancellationToken) {
        if let Err(error) = self.schedule_recurring().await {
            tracing::error!(%error, "could not schedule recurring jobs");
        }
        let mut listener = listen(&self.ctx).await;
        loop {
            loop {
                // Stop claiming as soon as asked: only the jobs in hand are finished.
                if shutdown.is_cancelled() {
                    return;
                }
                match self.run_due().await {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(error) => {
                        tracing::error!(%error, "job worker failed to reach the database");
                        break;
                    }
                }
            }
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(POLL_INTERVAL) => {}
                _ = wait_for_notification(&mut listener) => {}
            }
        }
    }

    /// Writes the one row of each recurring job, if no instance has yet.
    pub async fn schedule_recurring(&self) -> Result<()> {
        let mut conn = self.ctx.pool.acquire().await?;
        for recurring in &self.recurring {
            let every = i32::try_from(recurring.every.as_secs()).unwrap_or(i32::MAX).max(1);
            repo::ensure_recurring(&mut conn, recurring.kind, recurring.summary, every, self.ctx.now()).await?;
        }
        Ok(())
    }

    /// Claims one batch of due jobs and runs them; returns how many it claimed.
    pub async fn run_due(&self) -> Result<usize> {
        let lease = self.ctx.settings.job_lease;
        let jobs = {
            let mut conn = self.ctx.pool.acquire().await?;
            repo::claim(&mut conn, self.id, self.ctx.now(), lease.as_secs_f64(), BATCH).await?
        };
        let claimed = jobs.len();
        join_all(jobs.into_iter().map(|job| self.run_one(job, lease))).await;
        Ok(claimed)
    }

    async fn run_one(&self, job: Job, lease: Duration) {
        let outcome = if job.attempts > job.max_attempts {
            // Claimed again after its worker died each time: it may be what kills them.
            Err(JobError::Permanent(format!("Stopped after {} attempts.", job.max_attempts)))
        } else {
            self.dispatch(&job, lease).await
        };
        if let Err(error) = self.record(&job, outcome).await {
            tracing::error!(job.id = %job.id, job.kind = %job.kind, %error, "could not record a job's result");
        }
    }

    async fn dispatch(&self, job: &Job, lease: Duration) -> std::result::Result<(), JobError> {
        let Some(handler) = self.handlers.get(job.kind.as_str()) else {
            // A newer instance may know it (a rolling deploy): retry later rather than fail.
            return Err(JobError::Retry(format!("No worker knows jobs of kind {}.", job.kind)));
        };
        // Finish well inside the lease, so no other worker takes the job while it runs.
        let limit = lease.mul_f64(0.9);
        match tokio::time::timeout(limit, handler.run(job)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(JobError::Retry("It took too long and was stopped.".into())),
        }
    }

    async fn record(&self, job: &Job, outcome: std::result::Result<(), JobError>) -> Result<()> {
        let now = self.ctx.now();
        let mut conn = self.ctx.pool.acquire().await?;
        let error = match outcome {
            Ok(()) => {
                repo::record_success(&mut conn, job.id, self.id, now).await?;
                return Ok(());
            }
            Err(error) => error,
        };
        let retry_at = next_attempt_at(job, &error, now);
        tracing::warn!(job.id = %job.id, job.kind = %job.kind, attempts = job.attempts, %error, gave_up = retry_at.is_none(), "job failed");
        let recorded = repo::record_failure(&mut conn, job.id, self.id, &error.to_string(), retry_at, now).await?;
        // The handler takes its own connection: waiting for it while holding this one could
        // starve a small pool.
        drop(conn);
        if recorded
            && retry_at.is_none()
            && let Some(handler) = self.handlers.get(job.kind.as_str())
        {
            handler.gave_up(job, &error.to_string()).await?;
        }
        Ok(())
    }
}

/// When to try again; `None` gives up. Recurring work never gives up: it runs at its next turn.
fn next_attempt_at(job: &Job, error: &JobError, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if let Some(every) = job.repeat_every_secs {
        return Some(now + chrono::Duration::seconds(every.into()));
    }
    let delay = match error {
        JobError::Permanent(_) => None,
        JobError::Retry(_) => retry_delay(job.attempts, job.max_attempts),
    }?;
    Some(now + chrono::Duration::from_std(delay).unwrap_or_default())
}

async fn listen(ctx: &Context) -> Option<PgListener> {
    let mut listener = match PgListener::connect_with(&ctx.pool).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::warn!(%error, "job worker cannot listen; polling only");
            return None;
        }
    };
    match listener.listen(NOTIFY_CHANNEL).await {
        Ok(()) => Some(listener),
        Err(error) => {
            tracing::warn!(%error, "job worker cannot listen; polling only");
            None
        }
    }
}

async fn wait_for_notification(listener: &mut Option<PgListener>) {
    match listener.as_mut() {
        Some(listener) => {
            if listener.recv().await.is_err() {
                tokio::time::sleep(POLL_INTERVAL).await;
            }
        }
        None => std::future::pending::<()>().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(attempts: i32, repeat_every_secs: Option<i32>) -> Job {
        Job {
            id: Uuid::nil(),
            kind: "send_email".into(),
            payload: serde_json::Value::Null,
            org_id: None,
            attempts,
            max_attempts: 3,
            repeat_every_secs,
        }
    }

    #[test]
    fn a_passing_failure_is_retried_with_backoff() {
        let now = Utc::now();
        let at = next_attempt_at(&job(1, None), &JobError::Retry("down".into()), now);
        assert_eq!(at, Some(now + chrono::Duration::seconds(5)));
    }

    #[test]
    fn a_permanent_failure_or_the_last_attempt_gives_up() {
        let now = Utc::now();
        assert_eq!(next_attempt_at(&job(1, None), &JobError::Permanent("gone".into()), now), None);
        assert_eq!(next_attempt_at(&job(3, None), &JobError::Retry("down".into()), now), None);
    }

    #[test]
    fn recurring_work_runs_again_at_its_next_turn_even_after_failing() {
        let now = Utc::now();
        let at = next_attempt_at(&job(3, Some(60)), &JobError::Permanent("x".into()), now);
        assert_eq!(at, Some(now + chrono::Duration::seconds(60)));
    }
}
