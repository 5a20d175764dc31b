//! Account use cases. Each owns its transaction.

use chrono::Duration;
use sqlx::{PgConnection, Postgres, pool::PoolConnection};
use uuid::Uuid;

use super::{
    BAD_CREDENTIALS, FAILURE_WINDOW_MINUTES, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_EMAIL,
    RESET_TOKEN_LIFETIME_MINUTES, SignUpForm, SignedIn, password, repo,
};
use crate::{
    Context, Error, FieldErrors, Result,
    clock::TimeZone,
    email::{self, templates},
    fields::{EmailAddress, NewPassword, PersonName, PracticeName},
    orgs::{self, Permission, Role},
    tokens,
};

/// Creates a person, their practice and their owner membership, and welcomes them.
pub async fn sign_up(ctx: &Context, form: SignUpForm) -> Result<SignedIn> {
    let mut errors = FieldErrors::new();
    let full_name = errors.check("full_name", PersonName::parse(&form.full_name));
    let email = errors.check("email", EmailAddress::parse(&form.email));
    let practice = errors.check("practice_name", PracticeName::parse(&form.practice_name));
    let time_zone = errors.check("time_zone", TimeZone::parse(&form.time_zone));
    let password =
        errors.check("password", NewPassword::parse_off_thread(&form.password, &[&form.email, &form.full_name]).await);
    let (Some(full_name), Some(email), Some(practice), Some(time_zone), Some(password)) =
        (full_name, email, practice, time_zone, password)
    else {
        return Err(Error::Validation(errors));
    };
    let password_hash = password::hash(password).await?;
    // Two sign-ups for one practice name at once can pick the same address; the loser retries.
    for _ in 0..3 {
        match create_practice(ctx, &full_name, &email, &practice, time_zone, &password_hash).await {
            Err(Error::Conflict(_)) => continue,
            other => return other,
        }
    }
    Err(Error::Conflict("Please try again in a moment.".into()))
}

async fn create_practice(
    ctx: &Context,
    full_name: &PersonName,
    email: &EmailAddress,
    practice: &PracticeName,
    time_zone: TimeZone,
    password_hash: &str,
) -> Result<SignedIn> {
    let mut tx = ctx.pool.begin().await?;
    let user_id =
        repo::insert_user(&mut tx, email.as_str(), full_name.as_str(), Some(password_hash), Some(time_zone)).await?;
    let slug = free_slug(&mut tx, &practice.slug()).await?;
    let org_id = orgs::repo::insert_organization(&mut tx, practice.as_str(), &slug, time_zone).await?;
    orgs::repo::insert_membership(&mut tx, org_id, user_id, Role::Owner, &Permission::ALL).await?;
    let welcome =
        templates::welcome(org_id, email.as_str(), full_name.as_str(), practice.as_str(), &ctx.settings.link("/app"))?;
    email::enqueue(&mut tx, ctx.now(), &welcome).await?;
    tx.commit().await?;
    Ok(SignedIn { user_id, org_id, auth_version: 1, has_other_practices: false })
}

/// `base`, or `base-2`, `base-3`... whichever is free.
async fn free_slug(conn: &mut sqlx::PgConnection, base: &str) -> Result<String> {
    let mut candidate = base.to_owned();
    let mut n = 2;
    while orgs::repo::slug_is_taken(conn, &candidate).await? {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

/// A log-in in progress: the password has been checked (throttled per email and per client
/// address, across all instances); the caller looks for where the person may sign in, then
/// settles the attempt either way.
pub struct LogInAttempt {
    conn: PoolConnection<Postgres>,
    email: String,
    client_address: String,
    /// When the attempt was made, on the app's clock.
    now: chrono::DateTime<chrono::Utc>,
    /// `(user_id, auth_version)` when the password matched.
    pub verified: Option<(Uuid, i32)>,
}

impl LogInAttempt {
    pub fn conn(&mut self) -> &mut PgConnection {
        &mut self.conn
    }

    /// The person signed in: earlier failures for this email are forgiven.
    pub async fn succeed(mut self) -> Result<()> {
        repo::clear_failures(&mut self.conn, &self.email).await
    }

    /// A wrong password, an unknown email, or nowhere to sign in: one failure, one message.
    pub async fn fail(mut self) -> Error {
        match repo::record_failure(&mut self.conn, &self.email, &self.client_address, self.now).await {
            Ok(()) => FieldErrors::single("form", BAD_CREDENTIALS),
            Err(error) => error,
        }
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
    let mut conn = ctx.pool.acquire().await?;
    let since = ctx.now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let (by_email, by_address) = repo::count_failures(&mut conn, &email, client_address, since).await?;
    if by_email >= MAX_FAILURES_PER_EMAIL || by_address >= MAX_FAILURES_PER_ADDRESS {
        return Err(Error::RateLimited);
    }
    let record = repo::find_login(&mut conn, &email).await?;
    let stored = record.as_ref().and_then(|r| r.password_hash.clone());
    let matched = password::verify(stored, candidate.to_owned()).await?;
    let verified = record.filter(|_| matched).map(|r| (r.user_id, r.auth_version));
    Ok(LogInAttempt { conn, email, client_address: client_address.to_owned(), now: ctx.now(), verified })
}

/// Member log-in, into the person's first practice; someone in several practices then
/// chooses (`has_other_practices`).
pub async fn log_in(ctx: &Context, raw_email: &str, candidate: &str, client_address: &str) -> Result<SignedIn> {
    let mut attempt = check_password(ctx, raw_email, candidate, client_address).await?;
    let Some((user_id, auth_version)) = attempt.verified else { return Err(attempt.fail().await) };
    let practices = orgs::repo::practices_of_user(attempt.conn(), user_id).await?;
    let Some(first) = practices.first() else {
        return Err(attempt.fail().await);
    };
    let signed_in = SignedIn { user_id, org_id: first.org_id, auth_version, has_other_practices: practices.len() > 1 };
    attempt.succeed().await?;
    Ok(signed_in)
}

/// Emails a single-use reset link when the account exists; says nothing either way.
pub async fn request_password_reset(ctx: &Context, raw_email: &str) -> Result<()> {
    let email = EmailAddress::parse(raw_email).map_err(|m| FieldErrors::single("email", m))?;
    let mut tx = ctx.pool.begin().await?;
    let Some(user_id) = repo::find_user_id(&mut tx, email.as_str()).await? else {
        return Ok(());
    };
    let contact = repo::user_contact(&mut tx, user_id).await?;
    let org_id = orgs::repo::first_org_of_user(&mut tx, user_id).await?;
    let token = tokens::generate();
    let expires_at = ctx.now() + Duration::minutes(RESET_TOKEN_LIFETIME_MINUTES);
    repo::insert_reset_token(&mut tx, user_id, &tokens::digest(&token), expires_at).await?;
    let link = ctx.settings.link(&format!("/reset-password?token={token}"));
    let message = templates::password_reset(org_id, &contact.email, &contact.full_name, &link)?;
    email::enqueue(&mut tx, ctx.now(), &message).await?;
    tx.commit().await?;
    Ok(())
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
    repo::spend_reset_tokens(&mut tx, user_id).await?;
    repo::clear_failures(&mut tx, &contact.email).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the password of a signed-in person, ending their other sessions. Returns the new
/// auth version so the caller's own session can carry on.
pub async fn change_password(ctx: &Context, user_id: Uuid, current: &str, new_password: &str) -> Result<i32> {
    let mut conn = ctx.pool.acquire().await?;
    let contact = repo::user_contact(&mut conn, user_id).await?;
    // Guesses at the current password count like failed log-ins, so a stolen session cannot
    // try passwords without limit.
    let since = ctx.now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let (failures, _) = repo::count_failures(&mut conn, &contact.email, "", since).await?;
    if failures >= MAX_FAILURES_PER_EMAIL {
        return Err(Error::RateLimited);
    }
    if !password::verify(contact.password_hash.clone(), current.to_owned()).await? {
        repo::record_failure(&mut conn, &contact.email, "password change", ctx.now()).await?;
        return Err(FieldErrors::single("current_password", "That is not your current password."));
    }
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

/// The login of someone accepting an invitation sent to `email`. An existing account confirms
/// with its own password (an invitation never replaces one); a new person gets an account named
/// `full_name` with `password_input`, checked against the password rules. Returns
/// `(user_id, auth_version)`.
pub async fn login_for_invitation(
    conn: &mut PgConnection,
    email: &str,
    full_name: &str,
    password_input: &str,
    time_zone: Option<TimeZone>,
) -> Result<(Uuid, i32)> {
    if let Some(existing) = repo::find_login(conn, email).await? {
        if !password::verify(existing.password_hash, password_input.to_owned()).await? {
            return Err(FieldErrors::single(
                "password",
                "This email already has a Tend account: enter the password of that account.",
            ));
        }
        return Ok((existing.user_id, existing.auth_version));
    }
    let mut errors = FieldErrors::new();
    let name = errors.check("full_name", PersonName::parse(full_name));
    let password = errors.check("password", NewPassword::parse_off_thread(password_input, &[email, full_name]).await);
    let (Some(name), Some(password)) = (name, password) else { return Err(Error::Validation(errors)) };
    let hash = password::hash(password).await?;
    Ok((repo::insert_user(conn, email, name.as_str(), Some(&hash), time_zone).await?, 1))
}
