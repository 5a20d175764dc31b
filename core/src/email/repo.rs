//! The email outbox table.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{EmailStatus, OutgoingEmail};
use crate::Result;

/// The channel the worker listens on, so new mail goes out without waiting for a poll.
pub const NOTIFY_CHANNEL: &str = "tend_emails";

/// Writes a message to the outbox in the caller's transaction.
pub async fn enqueue(conn: &mut PgConnection, email: &OutgoingEmail) -> Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO emails (id, org_id, to_address, subject, body_text, body_html, carries_secret)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        id,
        email.org_id,
        email.to,
        email.subject,
        email.body,
        email.html,
        email.carries_secret
    )
    .execute(&mut *conn)
    .await?;
    // Delivered to listeners only when the transaction commits.
    sqlx::query!("SELECT pg_notify($1, '')", NOTIFY_CHANNEL).execute(conn).await?;
    Ok(id)
}

pub struct DueEmail {
    pub id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub attempts: i32,
}

/// Locks the next due message; other instances skip it while this transaction lives.
pub async fn claim_due(conn: &mut PgConnection) -> Result<Option<DueEmail>> {
    let due = sqlx::query_as!(
        DueEmail,
        "SELECT id, to_address, subject, body_text, body_html, attempts FROM emails
         WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT 1
         FOR UPDATE SKIP LOCKED"
    )
    .fetch_optional(conn)
    .await?;
    Ok(due)
}

pub async fn mark_delivered(conn: &mut PgConnection, id: Uuid, status: EmailStatus) -> Result<()> {
    let status = if status == EmailStatus::Sent { "sent" } else { "kept" };
    sqlx::query!(
        "UPDATE emails SET status = $2, sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1",
        id,
        status
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or given up when that is `None`.
pub async fn mark_attempt_failed(
    conn: &mut PgConnection,
    id: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<()> {
    sqlx::query!(
        "UPDATE emails SET attempts = attempts + 1, last_error = $2,
             status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
             next_attempt_at = COALESCE($3, next_attempt_at)
         WHERE id = $1",
        id,
        error,
        retry_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct OutboxEntry {
    pub id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub status: String,
    pub carries_secret: bool,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The newest messages of one organization.
pub async fn list_for_org(conn: &mut PgConnection, org_id: Uuid, limit: i64) -> Result<Vec<OutboxEntry>> {
    let entries = sqlx::query_as!(
        OutboxEntry,
        "SELECT id, to_address, subject, body_text, status, carries_secret, attempts, created_at, sent_at
         FROM emails WHERE org_id = $1 ORDER BY created_at DESC, id LIMIT $2",
        org_id,
        limit
    )
    .fetch_all(conn)
    .await?;
    Ok(entries)
}
