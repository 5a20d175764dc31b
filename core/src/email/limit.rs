//! Hourly limits on mail that people's actions send: sign-up, both forgot-password forms and
//! invitations. Without them anyone could make Tend mail an address without end, or flood the
//! relay from one address. Counted in PostgreSQL, so every instance shares them.

use chrono::Duration;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{Context, Error, Result};

/// A signed-in member sends invitations one by one; this many an hour is far past any real
/// onboarding and still stops a script.
const MEMBER_MAIL_PER_HOUR: i64 = 200;

/// Who asked for a message.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// Someone not signed in, by client address.
    Visitor(&'a str),
    Member(Uuid),
}

/// Counts one message to `recipient` asked for by `source`, or refuses with
/// [`Error::MailLimited`] when either is over its hourly limit. Run it in the transaction that
/// writes the message: a refusal rolls the count back with it.
pub async fn spend(conn: &mut PgConnection, ctx: &Context, source: Source<'_>, recipient: &str) -> Result<()> {
    let (key, source_limit) = match source {
        Source::Visitor(address) => (format!("address:{address}"), ctx.settings.mail_per_address_per_hour),
        Source::Member(user_id) => (format!("member:{user_id}"), MEMBER_MAIL_PER_HOUR),
    };
    let now = ctx.now();
    // Recorded first, counted after: concurrent requests each see the others that committed.
    sqlx::query!("INSERT INTO mail_sends (source, recipient, sent_at) VALUES ($1, $2, $3)", key, recipient, now)
        .execute(&mut *conn)
        .await?;
    let since = now - Duration::hours(1);
    let counts = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM mail_sends WHERE source = $1 AND sent_at > $3) AS "by_source!",
             (SELECT count(*) FROM mail_sends WHERE recipient = $2 AND sent_at > $3) AS "by_recipient!""#,
        key,
        recipient,
        since
    )
    .fetch_one(&mut *conn)
    .await?;
    if counts.by_source > source_limit || counts.by_recipient > ctx.settings.mail_per_recipient_per_hour {
        return Err(Error::MailLimited);
    }
    Ok(())
}

/// Forgets counts (of mail and of failed log-ins) older than `before`.
pub async fn prune_before(conn: &mut PgConnection, before: chrono::DateTime<chrono::Utc>) -> Result<()> {
    sqlx::query!("DELETE FROM mail_sends WHERE sent_at < $1", before).execute(&mut *conn).await?;
    sqlx::query!("DELETE FROM login_failures WHERE failed_at < $1", before).execute(&mut *conn).await?;
    Ok(())
}
