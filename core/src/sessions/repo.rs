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

/// A live session with the member and the portal client its ids name (rows of the
/// `member_callers` and `client_callers` views, as JSON), `None` where they name nobody now.
pub struct ActiveSession {
    pub data: serde_json::Value,
    pub expires_at: DateTime<Utc>,
    pub member: Option<serde_json::Value>,
    pub client: Option<serde_json::Value>,
}

/// The SQL spells the ids' keys of `super::keys`; a session without them names no caller.
pub async fn load_active(conn: &mut PgConnection, id: &str, now: DateTime<Utc>) -> Result<Option<ActiveSession>> {
    let session = sqlx::query_as!(
        ActiveSession,
        r#"SELECT s.data, s.expires_at, to_jsonb(mc) AS member, to_jsonb(cc) AS client
           FROM sessions s
           LEFT JOIN member_callers mc
                  ON mc.user_id = (s.data ->> 'user_id')::uuid AND mc.org_id = (s.data ->> 'org_id')::uuid
                 AND mc.auth_version = (s.data ->> 'auth_version')::integer
           LEFT JOIN client_callers cc
                  ON cc.client_id = (s.data ->> 'portal_client_id')::uuid
                 AND cc.user_id = (s.data ->> 'portal_user_id')::uuid
                 AND cc.auth_version = (s.data ->> 'portal_auth_version')::integer
           WHERE s.id = $1 AND s.expires_at > $2"#,
        id,
        now
    )
    .fetch_optional(conn)
    .await?;
    Ok(session)
}

pub async fn delete(conn: &mut PgConnection, id: &str) -> Result<()> {
    sqlx::query!("DELETE FROM sessions WHERE id = $1", id).execute(conn).await?;
    Ok(())
}

pub async fn delete_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<u64> {
    let deleted = sqlx::query!("DELETE FROM sessions WHERE expires_at <= $1", now).execute(conn).await?;
    Ok(deleted.rows_affected())
}
