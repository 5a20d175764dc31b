//! The `emails` table: each message and its outcome, for the outbox page. Delivery is a job.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::OutgoingEmail;
use crate::Result;

pub async fn insert(conn: &mut PgConnection, id: Uuid, email: &OutgoingEmail) -> Result<()> {
    sqlx::query!(
        "INSERT INTO emails (id, org_id, to_address, subject, body_text, body_html, carries_secret, calendar)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        id,
        email.org_id,
        email.to,
        email.subject,
        email.body,
        email.html,
        email.carries_secret,
        email.calendar
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct StoredEmail {
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub calendar: Option<String>,
    pub status: String,
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<StoredEmail>> {
    let email = sqlx::query_as!(
        StoredEmail,
        "SELECT to_address, subject, body_text, body_html, calendar, status FROM emails WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(email)
}

/// `status` is `sent` or `kept`.
pub async fn mark_delivered(conn: &mut PgConnection, id: Uuid, status: &str, at: DateTime<Utc>) -> Result<()> {
    sqlx::query!(
        "UPDATE emails SET status = $2, sent_at = $3, attempts = attempts + 1, last_error = NULL WHERE id = $1",
        id,
        status,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn note_failed_attempt(conn: &mut PgConnection, id: Uuid, error: &str) -> Result<()> {
    sqlx::query!(
        "UPDATE emails SET attempts = attempts + 1, last_error = $2, status = 'pending' WHERE id = $1",
        id,
        error
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_failed(conn: &mut PgConnection, id: Uuid) -> Result<()> {
    sqlx::query!("UPDATE emails SET status = 'failed' WHERE id = $1", id).execute(conn).await?;
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
