//! Account use cases. Each owns its transaction.

use chrono::{Duration, Utc};
use sqlx::{PgConnection, PgPool, Postgres, pool::PoolConnection};
use uuid::Uuid;

use super::{
    BAD_CREDENTIALS, FAILURE_WINDOW_MINUTES, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_EMAIL,
    RESET_TOKEN_LIFETIME_MINUTES, SignUpForm, SignedIn, password, repo,
};
use crate::{
    Error, FieldErrors, Result,
    email::{self, templates},
    fields::{EmailAddress, NewPassword, PersonName, PracticeName, TimeZoneName},
    orgs::{self, Permission, Role},
    settings::Settings,
    tokens,
};

/// Creates a person, their practice and their owner membership, and welcomes them.
pub async fn sign_up(pool: &PgPool, settings: &Settings, form: SignUpForm) -> Result<SignedIn> {
    let mut errors = FieldErrors::new();
    let full_name = errors.check("full_name", PersonName::parse(&form.full_name));
    let email = errors.check("email", EmailAddress::parse(&form.email));
    let practice = errors.check("practice_name", PracticeName::parse(&form.practice_name));
    let time_zone = errors.check("time_zone", TimeZoneName::parse(&form.time_zone));
    let password = errors.check("password", NewPassword::parse(&form.password, &[&form.email, &form.full_name]));
    let (Some(full_name), Some(email), Some(practice), Some(time_zone), Some(password)) =
        (full_name, email, practice, time_zone, password)
    else {
        return Err(Error::Validation(errors));
    };
    let password_hash = password::hash(password).await?;
    // Two sign-ups for one practice name at once can pick the same address; the loser retries.
    for _ in 0..3 {
        match create_practice(pool, settings, &full_name, &email, &practice, time_zone, &password_hash).await {
            Err(Error::Conflict(_)) => continue,
            other => return other,
        }
    }
    Err(Error::Conflict("Please try again in a moment.".into()))
}

async fn create_practice(
    pool: &PgPool,
    settings: &Settings,
    full_name: &PersonName,
    email: &EmailAddress,
    practice: &PracticeName,
    time_zone: TimeZoneName,
    password_hash: &str,
) -> Result<SignedIn> {
    let mut tx = pool.begin().await?;
    let user_id = repo::insert_user(&mut tx, email.as_str(), full_name.as_str(), Some(password_hash)).await?;
    let slug = free_slug(&mut tx, &practice.slug()).await?;
    let org_id = orgs::repo::insert_organization(&mut tx, practice.as_str(), &slug, time_zone.name()).await?;
    orgs::repo::insert_membership(&mut tx, org_id, user_id, Role::Owner, &Permission::ALL).await?;
    let welcome =
        templates::welcome(org_id, email.as_str(), full_name.as_str(), practice.as_str(), &settings.link("/app"));
    email::repo::enqueue(&mut tx, &welcome).await?;
    tx.commit().await?;
    Ok(SignedIn { user_id, org_id, auth_version: 1 })
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
        match repo::record_failure(&mut self.conn, &self.email, &self.client_address).await {
            Ok(()) => FieldErrors::single("form", BAD_CREDENTIALS),
            Err(error) => error,
        }
    }
}

pub async fn check_password(
    pool: &PgPool,
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
    let mut conn = pool.acquire().await?;
    let since = Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let (by_email, by_address) = repo::count_failures(&mut conn, &email, client_address, since).await?;
    if by_email >= MAX_FAILURES_PER_EMAIL || by_address >= MAX_FAILURES_PER_ADDRESS {
        return Err(Error::RateLimited);
    }
    let record = repo::find_login(&mut conn, &email).await?;
    let stored = record.as_ref().and_then(|r| r.password_hash.clone());
    let matched = password::verify(stored, candidate.to_owned()).await?;
    let verified = record.filter(|_| matched).map(|r| (r.user_id, r.auth_version));
    Ok(LogInAttempt { conn, email, client_address: client_address.to_owned(), verified })
}

/// Member log-in, into the person's first practice.
pub async fn log_in(pool: &PgPool, raw_email: &str, candidate: &str, client_address: &str) -> Result<SignedIn> {
    let mut attempt = check_password(pool, raw_email, candidate, client_address).await?;
    let Some((user_id, auth_version)) = attempt.verified else { return Err(attempt.fail().await) };
    let Some(org_id) = orgs::repo::first_org_of_user(attempt.conn(), user_id).await? else {
        return Err(attempt.fail().await);
    };
    attempt.succeed().await?;
    Ok(SignedIn { user_id, org_id, auth_version })
}

/// Emails a single-use reset link when the account exists; says nothing either way.
pub async fn request_password_reset(pool: &PgPool, settings: &Settings, raw_email: &str) -> Result<()> {
    let email = EmailAddress::parse(raw_email).map_err(|m| FieldErrors::single("email", m))?;
    let mut tx = pool.begin().await?;
    let Some(user_id) = repo::find_user_id(&mut tx, email.as_str()).await? else {
        return Ok(());
    };
    let contact = repo::user_contact(&mut tx, user_id).await?;
    let org_id = orgs::repo::first_org_of_user(&mut tx, user_id).await?;
    let token = tokens::generate();
    let expires_at = Utc::now() + Duration::minutes(RESET_TOKEN_LIFETIME_MINUTES);
    repo::insert_reset_token(&mut tx, user_id, &tokens::digest(&token), expires_at).await?;
    let link = settings.link(&format!("/reset-password?token={token}"));
    email::repo::enqueue(&mut tx, &templates::password_reset(org_id, &contact.email, &contact.full_name, &link))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password from an emailed token; the token and every session die with it.
pub async fn reset_password(pool: &PgPool, token: &str, new_password: &str) -> Result<()> {
    let mut tx = pool.begin().await?;
    let Some(user_id) = repo::take_reset_token(&mut tx, &tokens::digest(token)).await? else {
        return Err(FieldErrors::single(
            "token",
            "This reset link has expired or was already used. Ask for a new one.",
        ));
    };
    let contact = repo::user_contact(&mut tx, user_id).await?;
    let password = NewPassword::parse(new_password, &[&contact.email, &contact.full_name])
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
pub async fn change_password(pool: &PgPool, user_id: uuid::Uuid, current: &str, new_password: &str) -> Result<i32> {
    let mut conn = pool.acquire().await?;
    let contact = repo::user_contact(&mut conn, user_id).await?;
    // Guesses at the current password count like failed log-ins, so a stolen session cannot
    // try passwords without limit.
    let since = Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let (failures, _) = repo::count_failures(&mut conn, &contact.email, "", since).await?;
    if failures >= MAX_FAILURES_PER_EMAIL {
        return Err(Error::RateLimited);
    }
    if !password::verify(contact.password_hash.clone(), current.to_owned()).await? {
        repo::record_failure(&mut conn, &contact.email, "password change").await?;
        return Err(FieldErrors::single("current_password", "That is not your current password."));
    }
    let password = NewPassword::parse(new_password, &[&contact.email, &contact.full_name])
        .map_err(|m| FieldErrors::single("new_password", m))?;
    let password_hash = password::hash(password).await?;
    let mut tx = pool.begin().await?;
    let version = repo::set_password(&mut tx, user_id, &password_hash).await?;
    let org_id = orgs::repo::first_org_of_user(&mut tx, user_id).await?;
    email::repo::enqueue(&mut tx, &templates::password_changed(org_id, &contact.email, &contact.full_name)).await?;
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
    let password = errors.check("password", NewPassword::parse(password_input, &[email, full_name]));
    let (Some(name), Some(password)) = (name, password) else { return Err(Error::Validation(errors)) };
    let hash = password::hash(password).await?;
    Ok((repo::insert_user(conn, email, name.as_str(), Some(&hash)).await?, 1))
}
