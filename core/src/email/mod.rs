//! Email: messages are rows in the outbox, written in the transaction of the change that
//! causes them, and delivered by the worker.

pub mod repo;
pub mod templates;
pub mod worker;

use uuid::Uuid;

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
}

/// Delivery state of an outbox row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailStatus {
    /// Waiting for the worker (or for a retry).
    Pending,
    Sent,
    /// No SMTP server is configured: the message stays readable in the outbox page.
    Kept,
    /// Gave up after repeated failures.
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
