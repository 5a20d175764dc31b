//! Account use cases. Each owns its transaction.

use sqlx::PgConnection;
use uuid::Uuid;

use super::{BAD_CREDENTIALS, SignedIn, password, repo, throttle};
use crate::{
    Context, Error, FieldErrors, Result,
    clock::TimeZone,
    email::{self, templates},
    fields::{NewPassword, PersonName},
    orgs, tokens,
};

/// A log-in in progress: the password has been checked under the throttle; the caller looks
/// for where the person may sign in, then settles the attempt either way.
pub struct LogInAttempt {
    attempt: throttle::Attempt,
    /// `(user_id, auth_version)` when the password matched.
    pub verified: Option<(Uuid, i32)>,
}

impl LogInAttempt {
    /// The person signed in: earlier failures for this email are forgiven.
    pub async fn succeed(self, ctx: &Context) -> Result<()> {
        self.attempt.forgive(ctx).await
    }

    /// A wrong password, an unknown email, or nowhere to sign in: one failure (already
    /// counted), one message.
    pub fn fail(self) -> Error {
        FieldErrors::single("form", BAD_CREDENTIALS)
    }
}

pub async fn check_password(
    ctx: &Context,
    raw_email: &str,
    candidate: &str,
    client_address: &str,
) -> Result<LogInAttempt> {
    let email = raw_email.trim().to_lowercase();
    let mut errors = FieldErrors::new();
    if email.is_empty() {
        errors.add("email", "Enter your email address.");
    }
    if candidate.is_empty() {
        errors.add("password", "Enter your password.");
    }
    errors.into_result()?;
    let attempt = throttle::begin(ctx, &email, client_address).await?;
    let record = {
        let mut conn = ctx.pool.acquire().await?;
        repo::find_login(&mut conn, &email).await?
    };
    let stored = record.as_ref().and_then(|r| r.password_hash.clone());
    let matched = password::verify(stored, candidate.to_owned()).await?;
    let verified = record.filter(|_| matched).map(|r| (r.user_id, r.auth_version));
    Ok(LogInAttempt { attempt, verified })
}

/// Member log-in, into the person's first practice; someone in several practices then
/// chooses (`has_other_practices`).
pub async fn log_in(ctx: &Context, raw_email: &str, candidate: &str, client_address: &str) -> Result<SignedIn> {
    let attempt = check_password(ctx, raw_email, candidate, client_address).await?;
    let Some((user_id, auth_version)) = attempt.verified else { return Err(attempt.fail()) };
    let practices = {
        let mut conn = ctx.pool.acquire().await?;
        orgs::repo::practices_of_user(&mut conn, user_id).await?
    };
    let Some(first) = practices.first() else {
        return Err(attempt.fail());
    };
    let signed_in = SignedIn { user_id, org_id: first.org_id, auth_version, has_other_practices: practices.len() > 1 };
    attempt.succeed(ctx).await?;
    Ok(signed_in)
}

/// Sets a new password from an emailed token; the token and every session die with it.
pub async fn reset_password(ctx: &Context, token: &str, new_password: &str) -> Result<()> {
    let mut tx = ctx.pool.begin().await?;
    let Some(user_id) = repo::take_reset_token(&mut tx, &tokens::digest(token), ctx.now()).await? else {
        return Err(FieldErrors::single(
            "token",
            "This reset link has expired or was already used. Ask for a new one.",
        ));
    };
    let contact = repo::user_contact(&mut tx, user_id).await?;
    let password = NewPassword::parse_off_thread(new_password, &[&contact.email, &contact.full_name])
        .await
        .map_err(|m| FieldErrors::single("password", m))?;
    let password_hash = password::hash(password).await?;
    repo::set_password(&mut tx, user_id, &password_hash).await?;
    repo::clear_failures(&mut tx, &contact.email).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the password of a signed-in person, ending their other sessions. Returns the new
/// auth version so the caller's own session can carry on. Guesses at the current password
/// count like failed log-ins, so a stolen session cannot try passwords without limit.
pub async fn change_password(
    ctx: &Context,
    user_id: Uuid,
    current: &str,
    new_password: &str,
    client_address: &str,
) -> Result<i32> {
    let contact = {
        let mut conn = ctx.pool.acquire().await?;
        repo::user_contact(&mut conn, user_id).await?
    };
    let attempt = throttle::begin(ctx, &contact.email, client_address).await?;
    if !password::verify(contact.password_hash.clone(), current.to_owned()).await? {
        return Err(FieldErrors::single("current_password", "That is not your current password."));
    }
    attempt.forgive(ctx).await?;
    let password = NewPassword::parse_off_thread(new_password, &[&contact.email, &contact.full_name])
        .await
        .map_err(|m| FieldErrors::single("new_password", m))?;
    let password_hash = password::hash(password).await?;
    let mut tx = ctx.pool.begin().await?;
    let version = repo::set_password(&mut tx, user_id, &password_hash).await?;
    let org_id = orgs::repo::first_org_of_user(&mut tx, user_id).await?;
    let message = templates::password_changed(org_id, &contact.email, &contact.full_name)?;
    email::enqueue(&mut tx, ctx.now(), &message).await?;
    tx.commit().await?;
    Ok(version)
}

/// Who accepts an invitation sent to an address, settled before the invitation's transaction
/// so no connection waits on argon2.
pub enum InviteeLogin {
    /// The address already has a Tend account, and its password was given.
    Existing { user_id: Uuid, auth_version: i32 },
    /// A new person: their name and the hash of the password they chose.
    New { full_name: PersonName, password_hash: String },
}

/// Settles the login of someone accepting an invitation sent to `email`. An existing account
/// confirms with its own password, under the log-in throttle (an invitation never replaces a
/// password); a new person gets `full_name` and `password_input`, checked against the rules.
pub async fn invitee_login(
    ctx: &Context,
    email: &str,
    full_name: &str,
    password_input: &str,
    client_address: &str,
) -> Result<InviteeLogin> {
    let existing = {
        let mut conn = ctx.pool.acquire().await?;
        repo::find_login(&mut conn, email).await?
    };
    if let Some(existing) = existing {
        let attempt = throttle::begin(ctx, email, client_address).await?;
        if !password::verify(existing.password_hash, password_input.to_owned()).await? {
            return Err(FieldErrors::single(
                "password",
                "This email already has a Tend account: enter the password of that account.",
            ));
        }
        attempt.forgive(ctx).await?;
        return Ok(InviteeLogin::Existing { user_id: existing.user_id, auth_version: existing.auth_version });
    }
    let mut errors = FieldErrors::new();
    let name = errors.check("full_name", PersonName::parse(full_name));
    let password = errors.check("password", NewPassword::parse_off_thread(password_input, &[email, full_name]).await);
    let (Some(full_name), Some(password)) = (name, password) else { return Err(Error::Validation(errors)) };
    Ok(InviteeLogin::New { full_name, password_hash: password::hash(password).await? })
}

/// Writes the login [`invitee_login`] settled, in the invitation's transaction. Returns
/// `(user_id, auth_version)`.
pub async fn create_invitee_login(
    conn: &mut PgConnection,
    email: &str,
    login: InviteeLogin,
    time_zone: Option<TimeZone>,
) -> Result<(Uuid, i32)> {
    match login {
        InviteeLogin::Existing { user_id, auth_version } => Ok((user_id, auth_version)),
        InviteeLogin::New { full_name, password_hash } => {
            Ok((repo::insert_user(conn, email, full_name.as_str(), Some(&password_hash), time_zone).await?, 1))
        }
    }
}
