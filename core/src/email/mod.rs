//! Email: each message is a row in `emails` (what the outbox page shows) and a `send_email`
//! job, both written in the transaction of the change that causes them.

pub mod delivery;
pub mod limit;
pub mod repo;
pub mod service;
pub mod templates;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{Result, jobs};

/// A message waiting to be written to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub org_id: Option<Uuid>,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The branded HTML version, for email a client reads.
    pub html: Option<String>,
    /// Holds a private link (reset, invitation): the outbox does not show its text once sent.
    pub carries_secret: bool,
    /// An iCalendar event sent as `invite.ics` (appointments).
    pub calendar: Option<String>,
}

/// Writes the message and its delivery job in the caller's transaction, due `now`.
pub async fn enqueue(conn: &mut PgConnection, now: DateTime<Utc>, email: &OutgoingEmail) -> Result<Uuid> {
    let id = Uuid::new_v4();
    repo::insert(conn, id, email).await?;
    let job = jobs::NewJob::new(
        delivery::KIND,
        serde_json::json!(delivery::Payload { email_id: id }),
        format!("Email “{}” to {}", email.subject, email.to),
        now,
    )
    .for_org(email.org_id)
    .keyed(format!("email:{id}"));
    jobs::repo::enqueue(conn, &job).await?;
    Ok(id)
}

/// Delivery state of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailStatus {
    /// Waiting for the worker (or for a retry).
    Pending,
    Sent,
    /// No SMTP server is configured: the message stays readable in the outbox page.
    Kept,
    /// Gave up after repeated failures; an owner can retry it from the failed-jobs page.
    Failed,
}

impl EmailStatus {
    pub fn from_db(value: &str) -> Self {
        match value {
            "sent" => EmailStatus::Sent,
            "kept" => EmailStatus::Kept,
            "failed" => EmailStatus::Failed,
            _ => EmailStatus::Pending,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EmailStatus::Pending => "Pending",
            EmailStatus::Sent => "Sent",
            EmailStatus::Kept => "Kept here (no mail server set)",
            EmailStatus::Failed => "Failed",
        }
    }
}
