//! The `sessions` table.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::Result;

/// Inserts a new session; `false` when the id is taken.
pub async fn insert(
    conn: &mut PgConnection,
    id: &str,
    data: &serde_json::Value,
    expires_at: DateTime<Utc>,
) -> Result<bool> {
    let inserted = sqlx::query!(
        "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
        id,
        data,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

pub async fn upsert(
    conn: &mut PgConnection,
    id: &str,
    data: &serde_json::Value,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at",
        id,
        data,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn load_active(
    conn: &mut PgConnection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Option<(serde_json::Value, DateTime<Utc>)>> {
    let row = sqlx::query!("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2", id, now)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| (r.data, r.expires_at)))
}

pub async fn delete(conn: &mut PgConnection, id: &str) -> Result<()> {
    sqlx::query!("DELETE FROM sessions WHERE id = $1", id).execute(conn).await?;
    Ok(())
}

pub async fn delete_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<u64> {
    let deleted = sqlx::query!("DELETE FROM sessions WHERE expires_at <= $1", now).execute(conn).await?;
    Ok(deleted.rows_affected())
}
