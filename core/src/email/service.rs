//! The outbox page: what the practice sent, for its owner.

use chrono::{DateTime, Utc};

use super::{EmailStatus, repo};
use crate::{Actor, Context, Result};

/// One message as the owner may see it.
pub struct OutboxMessage {
    pub id: uuid::Uuid,
    pub to: String,
    pub subject: String,
    /// The text, or a note saying why it is hidden.
    pub body: String,
    pub status: EmailStatus,
    pub created_at: DateTime<Utc>,
}

const HIDDEN_SECRET: &str = "This message holds a private link for its recipient, so its text is not shown here.";

/// The practice's newest 100 messages, owners only. The text of a message holding a private
/// link (a reset, an invitation) is shown only to the person it was sent to: an owner must not
/// be able to take over a member's account with the member's reset link.
pub async fn outbox(ctx: &Context, actor: &Actor) -> Result<Vec<OutboxMessage>> {
    actor.require_owner()?;
    let mut conn = ctx.pool.acquire().await?;
    let entries = repo::list_for_org(&mut conn, actor.org_id, 100).await?;
    Ok(entries
        .into_iter()
        .map(|e| {
            let status = EmailStatus::from_db(&e.status);
            let hide = e.carries_secret && !e.to_address.eq_ignore_ascii_case(&actor.email);
            OutboxMessage {
                id: e.id,
                to: e.to_address,
                subject: e.subject,
                body: if hide { HIDDEN_SECRET.to_owned() } else { e.body_text },
                status,
                created_at: e.created_at,
            }
        })
        .collect())
}
