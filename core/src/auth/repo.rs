//! Users, reset tokens and login failures in PostgreSQL.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{Error, FieldErrors, Result, clock::TimeZone, error::violated_constraint};

pub async fn insert_user(
    conn: &mut PgConnection,
    email: &str,
    full_name: &str,
    password_hash: Option<&str>,
    time_zone: Option<TimeZone>,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO users (id, email, full_name, password_hash, time_zone) VALUES ($1, $2, $3, $4, $5)",
        id,
        email,
        full_name,
        password_hash,
        time_zone as Option<TimeZone>
    )
    .execute(conn)
    .await
    .map_err(|e| match violated_constraint(&e) {
        Some("users_email_key") => {
            FieldErrors::single("email", "An account with this email already exists. Log in, or reset your password.")
        }
        _ => Error::from(e),
    })?;
    Ok(id)
}

pub struct LoginRecord {
    pub user_id: Uuid,
    pub password_hash: Option<String>,
    pub auth_version: i32,
}

pub async fn find_login(conn: &mut PgConnection, email: &str) -> Result<Option<LoginRecord>> {
    let record = sqlx::query_as!(
        LoginRecord,
        "SELECT id AS user_id, password_hash, auth_version FROM users WHERE email = $1",
        email
    )
    .fetch_optional(conn)
    .await?;
    Ok(record)
}

pub async fn find_user_id(conn: &mut PgConnection, email: &str) -> Result<Option<Uuid>> {
    Ok(sqlx::query_scalar!("SELECT id FROM users WHERE email = $1", email).fetch_optional(conn).await?)
}

pub struct UserContact {
    pub email: String,
    pub full_name: String,
    pub password_hash: Option<String>,
}

pub async fn user_contact(conn: &mut PgConnection, user_id: Uuid) -> Result<UserContact> {
    let contact =
        sqlx::query_as!(UserContact, "SELECT email, full_name, password_hash FROM users WHERE id = $1", user_id)
            .fetch_one(conn)
            .await?;
    Ok(contact)
}

/// Replaces the password, ends every session made before (by bumping the version) and voids
/// every reset link still out.
pub async fn set_password(conn: &mut PgConnection, user_id: Uuid, password_hash: &str) -> Result<i32> {
    spend_reset_tokens(conn, user_id).await?;
    let version = sqlx::query_scalar!(
        "UPDATE users SET password_hash = $2, auth_version = auth_version + 1 WHERE id = $1 RETURNING auth_version",
        user_id,
        password_hash
    )
    .fetch_one(conn)
    .await?;
    Ok(version)
}

/// Failed logins since `since`: (for this email, from this address).
pub async fn count_failures(
    conn: &mut PgConnection,
    email: &str,
    client_address: &str,
    since: DateTime<Utc>,
) -> Result<(i64, i64)> {
    let row = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM login_failures WHERE email = $1 AND failed_at > $3) AS "by_email!",
             (SELECT count(*) FROM login_failures WHERE client_address = $2 AND failed_at > $3) AS "by_address!""#,
        email,
        client_address,
        since
    )
    .fetch_one(conn)
    .await?;
    Ok((row.by_email, row.by_address))
}

/// Records a failed log-in at `at` (the app's clock, the one the throttle's window is read on).
pub async fn record_failure(
    conn: &mut PgConnection,
    email: &str,
    client_address: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    let id = sqlx::query_scalar!(
        "INSERT INTO login_failures (email, client_address, failed_at) VALUES ($1, $2, $3) RETURNING id",
        email,
        client_address,
        at
    )
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Takes back one recorded attempt (one the throttle refused before checking anything).
pub async fn forget_failure(conn: &mut PgConnection, id: i64) -> Result<()> {
    sqlx::query!("DELETE FROM login_failures WHERE id = $1", id).execute(conn).await?;
    Ok(())
}

pub async fn clear_failures(conn: &mut PgConnection, email: &str) -> Result<()> {
    sqlx::query!("DELETE FROM login_failures WHERE email = $1", email).execute(conn).await?;
    Ok(())
}

pub async fn insert_reset_token(
    conn: &mut PgConnection,
    user_id: Uuid,
    token_digest: &[u8],
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO password_reset_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
        token_digest,
        user_id,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The user a reset token belongs to when it is unused and unexpired; locks the row.
pub async fn take_reset_token(
    conn: &mut PgConnection,
    token_digest: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<Uuid>> {
    let user_id = sqlx::query_scalar!(
        "SELECT user_id FROM password_reset_tokens
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         FOR UPDATE",
        token_digest,
        now
    )
    .fetch_optional(conn)
    .await?;
    Ok(user_id)
}

/// Spends every outstanding reset token of a user, so one reset voids the others.
pub async fn spend_reset_tokens(conn: &mut PgConnection, user_id: Uuid) -> Result<()> {
    sqlx::query!("UPDATE password_reset_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL", user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn auth_version(conn: &mut PgConnection, user_id: Uuid) -> Result<i32> {
    Ok(sqlx::query_scalar!("SELECT auth_version FROM users WHERE id = $1", user_id).fetch_one(conn).await?)
}

/// A member edits how they are named and the zone they see times in.
pub async fn set_profile(conn: &mut PgConnection, user_id: Uuid, full_name: &str, time_zone: TimeZone) -> Result<()> {
    sqlx::query!(
        "UPDATE users SET full_name = $2, time_zone = $3 WHERE id = $1",
        user_id,
        full_name,
        time_zone as TimeZone
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What a sign-up form gave, kept until its emailed link is opened.
pub struct PendingSignUp {
    pub email: String,
    pub full_name: String,
    pub practice_name: String,
    pub time_zone: String,
    pub password_hash: String,
}

pub async fn insert_sign_up(
    conn: &mut PgConnection,
    token_digest: &[u8],
    pending: &PendingSignUp,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO sign_ups (id, token_hash, email, full_name, practice_name, time_zone, password_hash, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        Uuid::new_v4(),
        token_digest,
        pending.email,
        pending.full_name,
        pending.practice_name,
        pending.time_zone,
        pending.password_hash,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A usable sign-up (unexpired, not yet completed), locked until the transaction ends.
pub async fn take_sign_up(
    conn: &mut PgConnection,
    token_digest: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, PendingSignUp)>> {
    let row = sqlx::query!(
        "SELECT id, email, full_name, practice_name, time_zone, password_hash FROM sign_ups
         WHERE token_hash = $1 AND completed_at IS NULL AND expires_at > $2
         FOR UPDATE",
        token_digest,
        now
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| {
        let pending = PendingSignUp {
            email: r.email,
            full_name: r.full_name,
            practice_name: r.practice_name,
            time_zone: r.time_zone,
            password_hash: r.password_hash,
        };
        (r.id, pending)
    }))
}

pub async fn complete_sign_up(conn: &mut PgConnection, id: Uuid, at: DateTime<Utc>) -> Result<()> {
    sqlx::query!("UPDATE sign_ups SET completed_at = $2 WHERE id = $1", id, at).execute(conn).await?;
    Ok(())
}

/// Forgets sign-ups whose links expired before `before`, with their password hashes.
pub async fn delete_stale_sign_ups(conn: &mut PgConnection, before: DateTime<Utc>) -> Result<()> {
    sqlx::query!("DELETE FROM sign_ups WHERE expires_at < $1", before).execute(conn).await?;
    Ok(())
}
