//! Server functions of the outbox.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEmailView {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub created: String,
}

/// The practice's newest 100 messages, owners only. The text of a message holding a private
/// link is shown only while it is kept here for want of a mail server (a laptop): once sent,
/// the link is for its recipient alone.
#[server(endpoint = "list_outbox")]
pub async fn list_outbox() -> Result<Vec<OutboxEmailView>, AppError> {
    use tend_core::email::{EmailStatus, repo};
    let (context, actor) = crate::auth::session::require_member().await?;
    actor.require_owner()?;
    let zone: chrono_tz::Tz = actor.org_time_zone.parse().unwrap_or(chrono_tz::UTC);
    let mut conn = context.pool.acquire().await?;
    let entries = repo::list_for_org(&mut conn, actor.org_id, 100).await?;
    Ok(entries
        .into_iter()
        .map(|e| OutboxEmailView {
            id: e.id.to_string(),
            to: e.to_address,
            subject: e.subject,
            body: if e.carries_secret && EmailStatus::from_db(&e.status) != EmailStatus::Kept {
                "This message holds a private link for its recipient, so its text is not shown here.".to_owned()
            } else {
                e.body_text
            },
            status: EmailStatus::from_db(&e.status).label().to_owned(),
            created: e.created_at.with_timezone(&zone).format("%b %-d, %Y %-I:%M %p %Z").to_string(),
        })
        .collect())
}
