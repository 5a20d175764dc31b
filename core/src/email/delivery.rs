//! Sends one message per `send_email` job, outside any transaction: SMTP may be slow or down
//! without holding a row lock. The handler is idempotent: a message already sent is skipped,
//! so a job run again after a crash sends it again only when the crash came between the SMTP
//! server's answer and the record of it (at least once, not exactly once).

use std::time::Duration;

use async_trait::async_trait;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::repo;
use crate::{
    Context,
    jobs::{Job, JobError, JobHandler},
    settings::Settings,
};

pub const KIND: &str = "send_email";

#[derive(Debug, Serialize, Deserialize)]
pub struct Payload {
    pub email_id: Uuid,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// No SMTP configured: messages stay in the outbox for people to read there.
    Keep,
}

pub struct SendEmail {
    ctx: Context,
    transport: Transport,
    from: Mailbox,
}

impl SendEmail {
    pub fn new(ctx: Context) -> anyhow::Result<Self> {
        let settings: &Settings = &ctx.settings;
        let from: Mailbox = settings.email_from.parse()?;
        let transport = match &settings.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())?
                    .timeout(Some(Duration::from_secs(15)))
                    .build(),
            ),
            None => Transport::Keep,
        };
        Ok(Self { ctx, transport, from })
    }

    /// Hands the message to the SMTP server; `kept` when there is none.
    async fn deliver(&self, email: &repo::StoredEmail) -> Result<&'static str, JobError> {
        let Transport::Smtp(smtp) = &self.transport else {
            return Ok("kept");
        };
        let to: Mailbox = email
            .to_address
            .parse()
            .map_err(|_| JobError::Permanent("The recipient's address is not a valid email address.".into()))?;
        let builder = Message::builder().from(self.from.clone()).to(to).subject(&email.subject);
        let message = message_of(builder, email)
            .map_err(|_| JobError::Permanent("The message could not be put together.".into()))?;
        smtp.send(message).await.map_err(|error| {
            // lettre's text can quote addresses and the server's reply: log only what kind of
            // failure it was, and store our own words.
            let code = error.status().map(|code| code.to_string());
            tracing::warn!(
                permanent = error.is_permanent(),
                transient = error.is_transient(),
                timeout = error.is_timeout(),
                code,
                "smtp send failed"
            );
            if error.is_permanent() {
                JobError::Permanent("The mail server refused the message.".into())
            } else {
                JobError::Retry("The mail server could not be reached or did not answer.".into())
            }
        })?;
        Ok("sent")
    }

    fn email_id(job: &Job) -> Result<Uuid, JobError> {
        serde_json::from_value::<Payload>(job.payload.clone())
            .map(|p| p.email_id)
            .map_err(|_| JobError::Permanent("The job does not name a message.".into()))
    }
}

/// The text (and HTML) of a message, with its calendar event attached as `invite.ics`.
fn message_of(
    builder: lettre::message::MessageBuilder,
    email: &repo::StoredEmail,
) -> Result<Message, lettre::error::Error> {
    let Some(calendar) = &email.calendar else {
        return match &email.body_html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(email.body_text.clone(), html.clone())),
            None => builder.body(email.body_text.clone()),
        };
    };
    let method = if calendar.contains("METHOD:CANCEL") { "CANCEL" } else { "REQUEST" };
    let content_type = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
        .unwrap_or(ContentType::TEXT_PLAIN);
    let text = match &email.body_html {
        Some(html) => MultiPart::alternative_plain_html(email.body_text.clone(), html.clone()),
        None => MultiPart::mixed().singlepart(SinglePart::plain(email.body_text.clone())),
    };
    builder.multipart(
        MultiPart::mixed()
            .multipart(text)
            .singlepart(Attachment::new("invite.ics".into()).body(calendar.clone(), content_type)),
    )
}

#[async_trait]
impl JobHandler for SendEmail {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let id = Self::email_id(job)?;
        let email = {
            let mut conn = self.ctx.pool.acquire().await.map_err(database_down)?;
            repo::find(&mut conn, id).await.map_err(database_down)?
        };
        let Some(email) = email else {
            return Err(JobError::Permanent("The message no longer exists.".into()));
        };
        if email.status == "sent" || email.status == "kept" {
            return Ok(());
        }
        let outcome = self.deliver(&email).await;
        let mut conn = self.ctx.pool.acquire().await.map_err(database_down)?;
        match &outcome {
            Ok(status) => repo::mark_delivered(&mut conn, id, status, self.ctx.now()).await.map_err(database_down)?,
            Err(error) => repo::note_failed_attempt(&mut conn, id, &error.to_string()).await.map_err(database_down)?,
        }
        outcome.map(|_| ())
    }

    async fn gave_up(&self, job: &Job, _error: &str) -> crate::Result<()> {
        let Ok(id) = Self::email_id(job) else { return Ok(()) };
        let mut conn = self.ctx.pool.acquire().await?;
        repo::mark_failed(&mut conn, id).await
    }
}

fn database_down(error: impl std::fmt::Display) -> JobError {
    tracing::warn!(%error, "email job could not reach the database");
    JobError::Retry("The database could not be reached.".into())
}
