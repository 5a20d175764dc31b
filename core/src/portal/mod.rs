//! The client portal: who the signed-in client is, their log-in (password resets are in
//! `auth::reset`) and the details they may change themselves.

pub mod repo;

use serde::Deserialize;
use uuid::Uuid;

use crate::{
    Context, Error, FieldErrors, Result, auth,
    clients::{self, service::SignedInClient},
    clock::TimeZone,
    orgs,
};

/// A signed-in client, loaded fresh on every request.
#[derive(Debug, Clone)]
pub struct ClientActor {
    pub client_id: Uuid,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub time_zone: TimeZone,
    pub provider_name: Option<String>,
    pub is_test: bool,
}

/// A row of the `client_callers` view as `to_jsonb` gives it: read with the session (see
/// [`crate::actor::MemberCaller`]), or alone by [`client_for_session`].
#[derive(Debug, Clone, Deserialize)]
pub struct ClientCaller {
    client_id: Uuid,
    user_id: Uuid,
    auth_version: i32,
    org_id: Uuid,
    org_slug: String,
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    time_zone: String,
    provider_name: Option<String>,
    is_test: bool,
}

impl ClientCaller {
    /// Whether this is the client a session's ids name now, in the practice of `org_slug`.
    pub fn is_for(&self, client_id: Uuid, user_id: Uuid, org_slug: &str, auth_version: i32) -> bool {
        (self.client_id, self.user_id, self.auth_version) == (client_id, user_id, auth_version)
            && self.org_slug == org_slug
    }

    pub fn into_actor(self) -> Result<ClientActor> {
        Ok(ClientActor {
            client_id: self.client_id,
            user_id: self.user_id,
            org_id: self.org_id,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            phone: self.phone,
            time_zone: self.time_zone.parse().map_err(anyhow::Error::msg)?,
            provider_name: self.provider_name,
            is_test: self.is_test,
        })
    }
}

/// Portal log-in: the email is the username; throttled like member log-in.
pub async fn log_in(
    ctx: &Context,
    org_slug: &str,
    raw_email: &str,
    candidate: &str,
    client_address: &str,
) -> Result<SignedInClient> {
    let attempt = auth::service::check_password(ctx, raw_email, candidate, client_address).await?;
    let Some((user_id, auth_version)) = attempt.verified else { return Err(attempt.fail()) };
    let client = {
        let mut conn = ctx.pool.acquire().await?;
        clients::repo::client_of_login(&mut conn, org_slug, user_id).await?
    };
    let Some((client_id, org_id)) = client else {
        return Err(attempt.fail());
    };
    attempt.succeed(ctx).await?;
    Ok(SignedInClient { user_id, client_id, org_id, auth_version })
}

/// The client edits their own phone and time zone.
pub async fn update_contact(ctx: &Context, actor: &ClientActor, phone: &str, time_zone: &str) -> Result<()> {
    let mut errors = FieldErrors::new();
    let phone =
        if phone.trim().is_empty() { Some(None) } else { errors.check("phone", clients::parse_phone(phone)).map(Some) };
    let time_zone = errors.check("time_zone", TimeZone::parse(time_zone));
    let (Some(phone), Some(time_zone)) = (phone, time_zone) else { return Err(Error::Validation(errors)) };
    let mut conn = ctx.pool.acquire().await?;
    clients::repo::update_contact(&mut conn, actor.org_id, actor.client_id, phone.as_deref(), time_zone.name()).await
}

/// The client behind a portal session, loaded fresh on every request: `preloaded` (read with
/// the session row) when it is for these ids, else read now.
pub async fn client_for_session(
    ctx: &Context,
    preloaded: Option<ClientCaller>,
    client_id: Uuid,
    user_id: Uuid,
    org_slug: &str,
    auth_version: i32,
) -> Result<Option<ClientActor>> {
    match preloaded.filter(|caller| caller.is_for(client_id, user_id, org_slug, auth_version)) {
        Some(caller) => caller.into_actor().map(Some),
        None => {
            repo::load_client_actor(&mut *ctx.pool.acquire().await?, client_id, user_id, org_slug, auth_version).await
        }
    }
}

/// The practice's name, colour and logo flag, shown on every portal page (public).
pub async fn brand(ctx: &Context, org_slug: &str) -> Result<orgs::repo::Brand> {
    let mut conn = ctx.pool.acquire().await?;
    orgs::repo::brand_by_slug(&mut conn, org_slug).await
}

/// The practice's logo and its content type, when it has one (public, like the portal).
pub async fn logo(ctx: &Context, org_slug: &str) -> Result<Option<(Vec<u8>, String)>> {
    let mut conn = ctx.pool.acquire().await?;
    orgs::repo::logo_by_slug(&mut conn, org_slug).await
}

/// A client changes their portal password; a member's test client cannot (it is the
/// member's own login). Returns the new auth version for the caller's session.
pub async fn change_password(
    ctx: &Context,
    actor: &ClientActor,
    current: &str,
    new_password: &str,
    client_address: &str,
) -> Result<i32> {
    if actor.is_test {
        return Err(Error::Conflict("This is a test client: change your own password in the provider app.".into()));
    }
    auth::service::change_password(ctx, actor.user_id, current, new_password, client_address).await
}
