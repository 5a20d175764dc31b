//! Forgot-password requests, for members and for portal clients. The request only records a
//! job, the same work whether or not the address has an account, so neither the answer nor
//! its timing tells a visitor who has one; the job looks the address up and mails the link.

use async_trait::async_trait;
use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::{RESET_TOKEN_LIFETIME_MINUTES, repo};
use crate::{
    Context, FieldErrors, Result, clients,
    email::{self, limit, templates},
    fields::EmailAddress,
    jobs::{self, Job, JobError, JobHandler},
    orgs, tokens,
};

pub const KIND: &str = "send_password_reset";

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    email: String,
    /// The practice whose portal the client asked from; `None` for a member.
    org_slug: Option<String>,
}

/// A member's forgot-password form.
pub async fn request_for_member(ctx: &Context, raw_email: &str, client_address: &str) -> Result<()> {
    request(ctx, raw_email, None, client_address).await
}

/// A portal's forgot-password form: a link for a client of this practice who has a login.
pub async fn request_for_client(ctx: &Context, org_slug: &str, raw_email: &str, client_address: &str) -> Result<()> {
    // The practice's portal is public: an unknown address is a plain 404.
    orgs::repo::brand_by_slug(&mut *ctx.pool.acquire().await?, org_slug).await?;
    request(ctx, raw_email, Some(org_slug.to_owned()), client_address).await
}

async fn request(ctx: &Context, raw_email: &str, org_slug: Option<String>, client_address: &str) -> Result<()> {
    let email = EmailAddress::parse(raw_email).map_err(|m| FieldErrors::single("email", m))?;
    let mut tx = ctx.pool.begin().await?;
    limit::spend(&mut tx, ctx, limit::Source::Visitor(client_address), email.as_str()).await?;
    let payload = serde_json::json!(Payload { email: email.as_str().to_owned(), org_slug });
    jobs::repo::enqueue(&mut tx, &jobs::NewJob::new(KIND, payload, "Answer a forgot-password request", ctx.now()))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Mails a single-use link when the address has an account (or, from a portal, a client
/// login of that practice); does nothing otherwise. A new link voids the older ones.
pub struct SendPasswordReset {
    pub ctx: Context,
}

#[async_trait]
impl JobHandler for SendPasswordReset {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn run(&self, job: &Job) -> std::result::Result<(), JobError> {
        let payload: Payload = serde_json::from_value(job.payload.clone())
            .map_err(|_| JobError::Permanent("The job does not name an address.".into()))?;
        let sent = match &payload.org_slug {
            None => send_member_link(&self.ctx, &payload.email).await,
            Some(slug) => send_client_link(&self.ctx, slug, &payload.email).await,
        };
        sent.map_err(|error| {
            tracing::warn!(%error, "forgot-password request could not be answered");
            JobError::Retry("The database could not be reached.".into())
        })
    }
}

async fn send_member_link(ctx: &Context, email: &str) -> Result<()> {
    let mut tx = ctx.pool.begin().await?;
    let Some(user_id) = repo::find_user_id(&mut tx, email).await? else { return Ok(()) };
    let contact = repo::user_contact(&mut tx, user_id).await?;
    let org_id = orgs::repo::first_org_of_user(&mut tx, user_id).await?;
    let token = new_token(&mut tx, ctx, user_id).await?;
    let link = ctx.settings.link(&format!("/reset-password?token={token}"));
    let message = templates::password_reset(org_id, &contact.email, &contact.full_name, &link)?;
    email::enqueue(&mut tx, ctx.now(), &message).await?;
    tx.commit().await?;
    Ok(())
}

async fn send_client_link(ctx: &Context, org_slug: &str, email: &str) -> Result<()> {
    let mut tx = ctx.pool.begin().await?;
    let brand = orgs::repo::brand_by_slug(&mut tx, org_slug).await?;
    let Some((user_id, org_id)) = clients::repo::login_of_client_email(&mut tx, org_slug, email).await? else {
        return Ok(());
    };
    let token = new_token(&mut tx, ctx, user_id).await?;
    let link = ctx.settings.link(&format!("/p/{org_slug}/reset-password?token={token}"));
    let brand = templates::EmailBrand::of(&brand, &ctx.settings);
    let message = templates::client_password_reset(org_id, email, &brand, &link)?;
    email::enqueue(&mut tx, ctx.now(), &message).await?;
    tx.commit().await?;
    Ok(())
}

/// A fresh reset token for `user_id`; any older one stops working.
async fn new_token(conn: &mut sqlx::PgConnection, ctx: &Context, user_id: uuid::Uuid) -> Result<String> {
    repo::spend_reset_tokens(conn, user_id).await?;
    let token = tokens::generate();
    let expires_at = ctx.now() + Duration::minutes(RESET_TOKEN_LIFETIME_MINUTES);
    repo::insert_reset_token(conn, user_id, &tokens::digest(&token), expires_at).await?;
    Ok(token)
}
