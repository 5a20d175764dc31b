//! The `jobs` table.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Job, NOTIFY_CHANNEL, NewJob};
use crate::Result;

/// Adds a job; when a job with its key exists (in any state, until it is pruned or
/// cancelled), leaves that one and returns `None`. Use [`replace`] to reschedule by key.
pub async fn enqueue(conn: &mut PgConnection, job: &NewJob) -> Result<Option<Uuid>> {
    let id = sqlx::query_scalar!(
        "INSERT INTO jobs (id, org_id, kind, payload, summary, unique_key, run_at, max_attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (unique_key) DO NOTHING
         RETURNING id",
        Uuid::new_v4(),
        job.org_id,
        job.kind,
        job.payload,
        job.summary,
        job.unique_key,
        job.run_at,
        job.max_attempts
    )
    .fetch_optional(&mut *conn)
    .await?;
    notify(conn).await?;
    Ok(id)
}

/// Adds a keyed job or replaces the one with its key (new payload and time, attempts reset):
/// "the reminder of appointment X moves with the appointment".
pub async fn replace(conn: &mut PgConnection, job: &NewJob) -> Result<Uuid> {
    let id = sqlx::query_scalar!(
        "INSERT INTO jobs (id, org_id, kind, payload, summary, unique_key, run_at, max_attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (unique_key) DO UPDATE SET
             org_id = EXCLUDED.org_id, kind = EXCLUDED.kind, payload = EXCLUDED.payload,
             summary = EXCLUDED.summary, run_at = EXCLUDED.run_at, max_attempts = EXCLUDED.max_attempts,
             status = 'pending', attempts = 0, last_error = NULL, leased_by = NULL,
             lease_expires_at = NULL, finished_at = NULL
         RETURNING id",
        Uuid::new_v4(),
        job.org_id,
        job.kind,
        job.payload,
        job.summary,
        job.unique_key,
        job.run_at,
        job.max_attempts
    )
    .fetch_one(&mut *conn)
    .await?;
    notify(conn).await?;
    Ok(id)
}

/// Drops the job with this key, whatever its state; `false` when there was none.
pub async fn cancel(conn: &mut PgConnection, unique_key: &str) -> Result<bool> {
    let deleted = sqlx::query!("DELETE FROM jobs WHERE unique_key = $1", unique_key).execute(conn).await?;
    Ok(deleted.rows_affected() == 1)
}

/// Wakes listening workers when the transaction commits.
async fn notify(conn: &mut PgConnection) -> Result<()> {
    sqlx::query!("SELECT pg_notify($1, '')", NOTIFY_CHANNEL).execute(conn).await?;
    Ok(())
}

/// Makes sure the one row of a recurring job exists (first instance to start writes it).
pub async fn ensure_recurring(
    conn: &mut PgConnection,
    kind: &str,
    summary: &str,
    every_secs: i32,
    first_run_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO jobs (id, kind, summary, unique_key, run_at, repeat_every_secs)
         VALUES ($1, $2, $3, 'every:' || $2, $4, $5)
         ON CONFLICT (unique_key) DO UPDATE SET repeat_every_secs = EXCLUDED.repeat_every_secs,
             summary = EXCLUDED.summary",
        Uuid::new_v4(),
        kind,
        summary,
        first_run_at,
        every_secs
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims up to `limit` due jobs (and jobs whose worker's lease ran out) for `worker` until
/// `now + lease_secs`. Other workers skip the locked rows instead of waiting for them.
pub async fn claim(
    conn: &mut PgConnection,
    worker: Uuid,
    now: DateTime<Utc>,
    lease_secs: f64,
    limit: i64,
) -> Result<Vec<Job>> {
    let jobs = sqlx::query_as!(
        Job,
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, leased_by = $1,
             lease_expires_at = $2::timestamptz + make_interval(secs => $3::float8)
         WHERE id IN (
             SELECT id FROM jobs
             WHERE (status = 'pending' AND run_at <= $2) OR (status = 'running' AND lease_expires_at <= $2)
             ORDER BY run_at
             LIMIT $4
             FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, payload, org_id, attempts, max_attempts, repeat_every_secs",
        worker,
        now,
        lease_secs,
        limit
    )
    .fetch_all(conn)
    .await?;
    Ok(jobs)
}

/// Records a run that worked: done, or due again for recurring work. `false` when this worker
/// no longer holds the lease (it ran out and another worker took the job).
pub async fn record_success(conn: &mut PgConnection, id: Uuid, worker: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let updated = sqlx::query!(
        "UPDATE jobs SET
             status = CASE WHEN repeat_every_secs IS NULL THEN 'done' ELSE 'pending' END,
             run_at = CASE WHEN repeat_every_secs IS NULL THEN run_at
                           ELSE $3::timestamptz + make_interval(secs => repeat_every_secs) END,
             attempts = CASE WHEN repeat_every_secs IS NULL THEN attempts ELSE 0 END,
             finished_at = $3, last_error = NULL, leased_by = NULL, lease_expires_at = NULL
         WHERE id = $1 AND leased_by = $2 AND status = 'running'",
        id,
        worker,
        now
    )
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Records a failed run: due again at `retry_at`, or failed for good when that is `None`.
/// Recurring work starts its attempts afresh each turn, so it never reaches its limit.
pub async fn record_failure(
    conn: &mut PgConnection,
    id: Uuid,
    worker: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let updated = sqlx::query!(
        "UPDATE jobs SET
             status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
             run_at = COALESCE($4, run_at),
             finished_at = CASE WHEN $4::timestamptz IS NULL THEN $5::timestamptz ELSE NULL END,
             attempts = CASE WHEN repeat_every_secs IS NULL THEN attempts ELSE 0 END,
             last_error = $3, leased_by = NULL, lease_expires_at = NULL
         WHERE id = $1 AND leased_by = $2 AND status = 'running'",
        id,
        worker,
        error,
        retry_at,
        now
    )
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

pub struct FailedJob {
    pub id: Uuid,
    pub summary: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// The practice's failed jobs, newest first.
pub async fn list_failed(conn: &mut PgConnection, org_id: Uuid, limit: i64) -> Result<Vec<FailedJob>> {
    let jobs = sqlx::query_as!(
        FailedJob,
        "SELECT id, summary, attempts, last_error, created_at, finished_at FROM jobs
         WHERE org_id = $1 AND status = 'failed'
         ORDER BY finished_at DESC, id LIMIT $2",
        org_id,
        limit
    )
    .fetch_all(conn)
    .await?;
    Ok(jobs)
}

/// Puts a failed job of the practice back in the queue with fresh attempts; `false` when it
/// is not a failed job of this practice.
pub async fn retry_failed(conn: &mut PgConnection, org_id: Uuid, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let updated = sqlx::query!(
        "UPDATE jobs SET status = 'pending', attempts = 0, run_at = $3, finished_at = NULL
         WHERE org_id = $1 AND id = $2 AND status = 'failed'",
        org_id,
        id,
        now
    )
    .execute(&mut *conn)
    .await?;
    notify(conn).await?;
    Ok(updated.rows_affected() == 1)
}

/// Deletes jobs that finished before `before`; failed ones stay until retried or reviewed.
pub async fn delete_done_before(conn: &mut PgConnection, before: DateTime<Utc>) -> Result<u64> {
    let deleted =
        sqlx::query!("DELETE FROM jobs WHERE status = 'done' AND finished_at < $1", before).execute(conn).await?;
    Ok(deleted.rows_affected())
}
