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

/// The practice's newest 100 messages, owners only; private links hidden once sent.
#[server(endpoint = "list_outbox")]
pub async fn list_outbox() -> Result<Vec<OutboxEmailView>, AppError> {
    let (context, actor) = crate::auth::session::require_member().await?;
    let messages = tend_core::email::service::outbox(&context, &actor).await?;
    Ok(messages
        .into_iter()
        .map(|m| OutboxEmailView {
            id: m.id.to_string(),
            to: m.to,
            subject: m.subject,
            body: m.body,
            status: m.status.label().to_owned(),
            created: tend_core::clock::format_date_time(m.created_at, actor.time_zone),
        })
        .collect())
}
