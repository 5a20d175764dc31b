//! The worker every instance runs: each kind of job Tend has, and the recurring sweeps.

use std::time::Duration;

use async_trait::async_trait;

use super::{Job, JobError, JobHandler, Recurring, repo, worker::Worker};
use crate::{Context, auth, email::delivery::SendEmail, programs, scheduling, sessions};

/// Finished jobs are kept a week for inspection, then deleted.
pub const PRUNE: Recurring = Recurring {
    kind: "prune_finished_jobs",
    every: Duration::from_secs(3600),
    summary: "Delete week-old finished jobs, day-old throttle counts and expired sign-ups",
};

pub fn worker(ctx: Context) -> anyhow::Result<Worker> {
    Ok(Worker::new(ctx.clone())
        .handle(SendEmail::new(ctx.clone())?)
        .handle(auth::reset::SendPasswordReset { ctx: ctx.clone() })
        .handle(programs::releases::SendReleaseEmail { ctx: ctx.clone() })
        .handle(programs::releases::ScanReleases { ctx: ctx.clone() })
        .handle(scheduling::notify::SendReminder { ctx: ctx.clone() })
        .every(programs::releases::SCAN)
        .handle(sessions::SweepExpired { ctx: ctx.clone() })
        .every(sessions::SWEEP)
        .handle(PruneFinished { ctx })
        .every(PRUNE))
}

pub struct PruneFinished {
    ctx: Context,
}

#[async_trait]
impl JobHandler for PruneFinished {
    fn kind(&self) -> &'static str {
        PRUNE.kind
    }

    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        let before = self.ctx.now() - chrono::Duration::days(7);
        let deleted = async {
            let mut conn = self.ctx.pool.acquire().await?;
            // The throttles' counts matter for an hour at most.
            let yesterday = self.ctx.now() - chrono::Duration::days(1);
            crate::email::limit::prune_before(&mut conn, yesterday).await?;
            auth::repo::delete_stale_sign_ups(&mut conn, yesterday).await?;
            repo::delete_done_before(&mut conn, before).await
        }
        .await
        .map_err(|error: crate::Error| {
            tracing::warn!(%error, "pruning finished jobs failed");
            JobError::Retry("The database could not be reached.".into())
        })?;
        tracing::debug!(deleted, "pruned finished jobs");
        Ok(())
    }
}
