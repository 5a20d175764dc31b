//! Sign-up in two steps. The form records a pending sign-up and mails a link; opening the link
//! creates the person, their practice and their owner membership. The form answers the same
//! whether or not the address already has an account (that person gets an email saying so),
//! so sign-up never tells a visitor who uses Tend; and nobody can sign up with an address they
//! cannot read.

use chrono::Duration;

use super::{SignUpForm, SignedIn, password, repo};
use crate::{
    Context, Error, FieldErrors, Result,
    clock::TimeZone,
    email::{self, limit, templates},
    fields::{EmailAddress, NewPassword, PersonName, PracticeName},
    orgs::{self, Permission, Role},
    tokens,
};

pub const LINK_LIFETIME_HOURS: i64 = 24;

/// Checks the form and mails the link that finishes the sign-up (or, to an address that has an
/// account, an email saying so). The same answer either way.
pub async fn start(ctx: &Context, form: SignUpForm, client_address: &str) -> Result<()> {
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
    // Hashed in both cases, so both answers take as long.
    let password_hash = password::hash(password).await?;
    let mut tx = ctx.pool.begin().await?;
    limit::spend(&mut tx, ctx, limit::Source::Visitor(client_address), email.as_str()).await?;
    let message = if repo::find_user_id(&mut tx, email.as_str()).await?.is_some() {
        templates::account_exists(email.as_str(), &ctx.settings.link("/login"), &ctx.settings.link("/forgot-password"))?
    } else {
        let token = tokens::generate();
        let pending = repo::PendingSignUp {
            email: email.as_str().to_owned(),
            full_name: full_name.as_str().to_owned(),
            practice_name: practice.as_str().to_owned(),
            time_zone: time_zone.name().to_owned(),
            password_hash,
        };
        let expires_at = ctx.now() + Duration::hours(LINK_LIFETIME_HOURS);
        repo::insert_sign_up(&mut tx, &tokens::digest(&token), &pending, expires_at).await?;
        let link = ctx.settings.link(&format!("/signup/confirm?token={token}"));
        templates::confirm_sign_up(email.as_str(), full_name.as_str(), practice.as_str(), &link)?
    };
    email::enqueue(&mut tx, ctx.now(), &message).await?;
    tx.commit().await?;
    Ok(())
}

const UNUSABLE_LINK: &str = "This link has expired or was already used. Sign up again to get a new one.";

/// The emailed link was opened: creates the person, their practice and their owner
/// membership, and welcomes them.
pub async fn finish(ctx: &Context, token: &str) -> Result<SignedIn> {
    // Two sign-ups for one practice name at once can pick the same address; the loser retries.
    for _ in 0..3 {
        match create_practice(ctx, token).await {
            Err(Error::Conflict(_)) => continue,
            other => return other,
        }
    }
    Err(Error::Conflict("Please try again in a moment.".into()))
}

async fn create_practice(ctx: &Context, token: &str) -> Result<SignedIn> {
    let mut tx = ctx.pool.begin().await?;
    let Some((id, pending)) = repo::take_sign_up(&mut tx, &tokens::digest(token), ctx.now()).await? else {
        return Err(FieldErrors::single("token", UNUSABLE_LINK));
    };
    let time_zone = TimeZone::parse(&pending.time_zone).map_err(anyhow::Error::msg)?;
    let practice = PracticeName::parse(&pending.practice_name).map_err(anyhow::Error::msg)?;
    if repo::find_user_id(&mut tx, &pending.email).await?.is_some() {
        return Err(FieldErrors::single("token", "This email already has a Tend account. Log in instead."));
    }
    let user_id =
        repo::insert_user(&mut tx, &pending.email, &pending.full_name, Some(&pending.password_hash), Some(time_zone))
            .await?;
    let slug = free_slug(&mut tx, &practice.slug()).await?;
    let org_id = orgs::repo::insert_organization(&mut tx, practice.as_str(), &slug, time_zone).await?;
    orgs::repo::insert_membership(&mut tx, org_id, user_id, Role::Owner, &Permission::ALL).await?;
    repo::complete_sign_up(&mut tx, id, ctx.now()).await?;
    let welcome =
        templates::welcome(org_id, &pending.email, &pending.full_name, practice.as_str(), &ctx.settings.link("/app"))?;
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
