//! Delivers the outbox: one message per transaction, locked with SKIP LOCKED so any number of
//! instances share the work and each message goes out once. Failures retry with backoff.

use std::time::Duration;

use chrono::Utc;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};
use sqlx::{PgPool, postgres::PgListener};
use tokio_util::sync::CancellationToken;

use super::{EmailStatus, repo};
use crate::{Result, settings::Settings};

const MAX_ATTEMPTS: i32 = 12;
const POLL_INTERVAL: Duration = Duration::from_secs(5);

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// No SMTP configured: messages stay in the outbox for people to read there.
    Keep,
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let from: Mailbox = settings.email_from.parse()?;
        let transport = match &settings.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())?
                    .timeout(Some(Duration::from_secs(15)))
                    .build(),
            ),
            None => Transport::Keep,
        };
        Ok(Self { transport, from })
    }

    async fn deliver(&self, email: &repo::DueEmail) -> std::result::Result<EmailStatus, String> {
        let Transport::Smtp(smtp) = &self.transport else {
            return Ok(EmailStatus::Kept);
        };
        let to: Mailbox = email.to_address.parse().map_err(|e| format!("bad recipient: {e}"))?;
        let builder = Message::builder().from(self.from.clone()).to(to).subject(&email.subject);
        let message = match &email.body_html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(email.body_text.clone(), html.clone())),
            None => builder.body(email.body_text.clone()),
        }
        .map_err(|e| format!("could not build message: {e}"))?;
        smtp.send(message).await.map_err(|e| format!("smtp: {e}"))?;
        Ok(EmailStatus::Sent)
    }
}

/// How long to wait before retry number `attempts + 1`; `None` means give up.
pub fn retry_delay(attempts: i32) -> Option<Duration> {
    if attempts + 1 >= MAX_ATTEMPTS {
        return None;
    }
    let seconds = 5u64.saturating_mul(1 << attempts.clamp(0, 20)).min(3600);
    Some(Duration::from_secs(seconds))
}

/// Delivers one due message; `false` when none was due.
pub async fn deliver_next(pool: &PgPool, mailer: &Mailer) -> Result<bool> {
    let mut tx = pool.begin().await?;
    let Some(due) = repo::claim_due(&mut tx).await? else {
        return Ok(false);
    };
    match mailer.deliver(&due).await {
        Ok(status) => repo::mark_delivered(&mut tx, due.id, status).await?,
        Err(error) => {
            tracing::warn!(email.id = %due.id, attempts = due.attempts + 1, %error, "email delivery failed");
            let retry_at = retry_delay(due.attempts)
                .map(|delay| Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default());
            repo::mark_attempt_failed(&mut tx, due.id, &error, retry_at).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Runs until `shutdown` fires: drains due mail, then waits for a notification or the poll.
pub async fn run(pool: PgPool, mailer: Mailer, shutdown: CancellationToken) {
    let mut listener = match PgListener::connect_with(&pool).await {
        Ok(mut listener) => match listener.listen(repo::NOTIFY_CHANNEL).await {
            Ok(()) => Some(listener),
            Err(error) => {
                tracing::warn!(%error, "email worker cannot listen; polling only");
                None
            }
        },
        Err(error) => {
            tracing::warn!(%error, "email worker cannot listen; polling only");
            None
        }
    };
    loop {
        loop {
            match deliver_next(&pool, &mailer).await {
                Ok(true) => continue,
                Ok(false) => break,
                Err(error) => {
                    tracing::error!(%error, "email worker failed to reach the database");
                    break;
                }
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(POLL_INTERVAL) => {}
            _ = async {
                match listener.as_mut() {
                    Some(l) => {
                        if l.recv().await.is_err() {
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                    None => std::future::pending::<()>().await,
                }
            } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_then_give_up() {
        assert_eq!(retry_delay(0), Some(Duration::from_secs(5)));
        assert_eq!(retry_delay(1), Some(Duration::from_secs(10)));
        assert_eq!(retry_delay(10), Some(Duration::from_secs(3600)));
        assert_eq!(retry_delay(MAX_ATTEMPTS - 1), None);
    }
}
