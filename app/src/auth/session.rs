//! Sessions on the server: what a session carries and how it becomes an actor.
//!
//! The session stores ids only. The actor is loaded fresh from PostgreSQL on every request so
//! a removed member or a changed password takes effect at once: the session store reads it in
//! the statement that reads the session (`tend_core::sessions`).

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use leptos::prelude::{provide_context, use_context};
use tend_core::{
    Actor,
    actor::{MemberCaller, RequestMemo},
    auth::SignedIn,
    orgs,
    portal::{self, ClientCaller},
    sessions::keys::{
        AUTH_VERSION, CLIENT_CALLER, MEMBER_CALLER, ORG_ID, PORTAL_AUTH_VERSION, PORTAL_CLIENT_ID, PORTAL_SIGNED_IN_AT,
        PORTAL_USER_ID, SIGNED_IN_AT, USER_ID,
    },
};
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    context::{ServerContext, server_context},
    error::AppError,
};

/// Who is asking, remembered for the rest of one request: a page's layout and each of its
/// parts check the caller, and PostgreSQL is read once. Provided afresh for every request.
#[derive(Clone, Default)]
pub struct CallerMemo {
    member: RequestMemo<(Uuid, Uuid, i32), Option<Actor>>,
    client: RequestMemo<(Uuid, Uuid, String, i32), Option<tend_core::portal::ClientActor>>,
}

impl CallerMemo {
    pub fn provide() {
        provide_context(Self::default());
    }
}

fn session_error(error: impl std::fmt::Display) -> AppError {
    tend_core::Error::Unexpected(tend_core::error::AnyError::msg(format!("session: {error}"))).into()
}

pub async fn current_session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(session_error)
}

/// The address of the caller, for throttling: behind a proxy named in `TRUSTED_PROXIES`, the
/// address that proxy saw (see `tend_core::client_address`).
pub async fn client_address() -> String {
    let Ok(ConnectInfo(peer)) = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await else {
        return "unknown".to_owned();
    };
    let Ok(context) = server_context() else { return peer.ip().to_string() };
    let headers = leptos_axum::extract::<axum::http::HeaderMap>().await.unwrap_or_default();
    let forwarded: Vec<&str> =
        headers.get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok()).collect();
    tend_core::client_address::client_address(peer.ip(), &forwarded, &context.settings.trusted_proxies).to_string()
}

/// Starts a fresh session for someone who just proved who they are (new id: no fixation). A
/// portal sign-in of someone else on this browser ends.
pub async fn begin(session: &Session, signed_in: SignedIn) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    end_portal(session).await?;
    session.insert(USER_ID, signed_in.user_id).await.map_err(session_error)?;
    session.insert(ORG_ID, signed_in.org_id).await.map_err(session_error)?;
    session.insert(AUTH_VERSION, signed_in.auth_version).await.map_err(session_error)?;
    session.insert(SIGNED_IN_AT, now()?).await.map_err(session_error)?;
    Ok(())
}

/// Seconds since the epoch on the app's clock.
fn now() -> Result<i64, AppError> {
    Ok(server_context()?.now().timestamp())
}

/// Moves this signed-in session to another practice of the same person (checked by core).
pub async fn switch_practice(session: &Session, org_id: Uuid) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.insert(ORG_ID, org_id).await.map_err(session_error)?;
    Ok(())
}

/// Keeps the current session alive across a password change of its own making.
pub async fn renew_after_password_change(session: &Session, auth_version: i32) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.insert(AUTH_VERSION, auth_version).await.map_err(session_error)?;
    Ok(())
}

pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The signed-in member, or `Unauthenticated`. Every member server function starts here.
pub async fn require_member() -> Result<(ServerContext, Actor), AppError> {
    let context = server_context()?;
    let session = current_session().await?;
    let actor = load_member(&context, &session).await?;
    match actor {
        Some(actor) => Ok((context, actor)),
        None => Err(tend_core::Error::Unauthenticated.into()),
    }
}

/// Like [`require_member`], but `None` for a visitor instead of an error.
pub async fn optional_member() -> Result<Option<(ServerContext, Actor)>, AppError> {
    let context = server_context()?;
    let session = current_session().await?;
    Ok(load_member(&context, &session).await?.map(|actor| (context, actor)))
}

/// The member behind `session`, for handlers outside server functions (uploads).
pub async fn load_member(context: &ServerContext, session: &Session) -> Result<Option<Actor>, AppError> {
    let user_id: Option<Uuid> = session.get(USER_ID).await.map_err(session_error)?;
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let org_id: Option<Uuid> = session.get(ORG_ID).await.map_err(session_error)?;
    let auth_version: Option<i32> = session.get(AUTH_VERSION).await.map_err(session_error)?;
    let signed_in_at: Option<i64> = session.get(SIGNED_IN_AT).await.map_err(session_error)?;
    let absolute_limit = context.settings.session_absolute_timeout.as_secs() as i64;
    let now = context.now().timestamp();
    let too_old = signed_in_at.is_none_or(|at| now - at > absolute_limit);
    let (Some(org_id), Some(auth_version)) = (org_id, auth_version) else {
        end(session).await?;
        return Ok(None);
    };
    if too_old {
        end(session).await?;
        return Ok(None);
    }
    let load = || async {
        // The member the session store read with the session (an unreadable one is read again).
        let preloaded: Option<MemberCaller> = session.get(MEMBER_CALLER).await.ok().flatten();
        orgs::service::actor_for_session(context, preloaded, user_id, org_id, auth_version).await
    };
    let actor = match use_context::<CallerMemo>() {
        Some(memo) => memo.member.get_or_load((user_id, org_id, auth_version), load).await?,
        None => load().await?,
    };
    if actor.is_none() {
        end(session).await?;
    }
    Ok(actor)
}

/// Whether a portal sign-in keeps the member signed in on this browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberSession {
    /// A member opening their own test client: they stay signed in to the app.
    Keep,
    /// A client logging in: any member's session on this browser ends (a shared front desk).
    End,
}

/// Starts a portal session for a client (or for a member opening their own test client).
pub async fn begin_portal(
    session: &Session,
    signed_in: tend_core::clients::service::SignedInClient,
    member: MemberSession,
) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    if member == MemberSession::End {
        for key in [USER_ID, ORG_ID, AUTH_VERSION, SIGNED_IN_AT] {
            session.remove_value(key).await.map_err(session_error)?;
        }
    }
    session.insert(PORTAL_CLIENT_ID, signed_in.client_id).await.map_err(session_error)?;
    session.insert(PORTAL_USER_ID, signed_in.user_id).await.map_err(session_error)?;
    session.insert(PORTAL_AUTH_VERSION, signed_in.auth_version).await.map_err(session_error)?;
    session.insert(PORTAL_SIGNED_IN_AT, now()?).await.map_err(session_error)?;
    Ok(())
}

/// Ends the portal side of a session, leaving a member's own session alone.
pub async fn end_portal(session: &Session) -> Result<(), AppError> {
    for key in [PORTAL_CLIENT_ID, PORTAL_USER_ID, PORTAL_AUTH_VERSION, PORTAL_SIGNED_IN_AT] {
        session.remove_value(key).await.map_err(session_error)?;
    }
    Ok(())
}

pub async fn renew_portal_after_password_change(session: &Session, auth_version: i32) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.insert(PORTAL_AUTH_VERSION, auth_version).await.map_err(session_error)?;
    Ok(())
}

/// The signed-in client of the practice `org_slug`. Every portal server function starts here.
pub async fn require_client(org_slug: &str) -> Result<(ServerContext, tend_core::portal::ClientActor), AppError> {
    let context = server_context()?;
    let session = current_session().await?;
    match load_client(&context, &session, org_slug).await? {
        Some(actor) => Ok((context, actor)),
        None => Err(tend_core::Error::Unauthenticated.into()),
    }
}

/// The signed-in client of `org_slug`, or `None` for a visitor: public pages serve both, and
/// a visitor is no error (which would set the response's status).
pub async fn client_or_visitor(
    org_slug: &str,
) -> Result<(ServerContext, Option<tend_core::portal::ClientActor>), AppError> {
    let context = server_context()?;
    let session = current_session().await?;
    let client = load_client(&context, &session, org_slug).await?;
    Ok((context, client))
}

/// The portal client behind `session` for the practice `org_slug`, for handlers outside server
/// functions (file downloads).
pub async fn load_client(
    context: &ServerContext,
    session: &Session,
    org_slug: &str,
) -> Result<Option<tend_core::portal::ClientActor>, AppError> {
    let client_id: Option<Uuid> = session.get(PORTAL_CLIENT_ID).await.map_err(session_error)?;
    let user_id: Option<Uuid> = session.get(PORTAL_USER_ID).await.map_err(session_error)?;
    let auth_version: Option<i32> = session.get(PORTAL_AUTH_VERSION).await.map_err(session_error)?;
    let signed_in_at: Option<i64> = session.get(PORTAL_SIGNED_IN_AT).await.map_err(session_error)?;
    let (Some(client_id), Some(user_id), Some(auth_version), Some(signed_in_at)) =
        (client_id, user_id, auth_version, signed_in_at)
    else {
        return Ok(None);
    };
    let absolute_limit = context.settings.session_absolute_timeout.as_secs() as i64;
    if context.now().timestamp() - signed_in_at > absolute_limit {
        end_portal(session).await?;
        return Ok(None);
    }
    let load = || async {
        let preloaded: Option<ClientCaller> = session.get(CLIENT_CALLER).await.ok().flatten();
        portal::client_for_session(context, preloaded, client_id, user_id, org_slug, auth_version).await
    };
    Ok(match use_context::<CallerMemo>() {
        Some(memo) => memo.client.get_or_load((client_id, user_id, org_slug.to_owned(), auth_version), load).await?,
        None => load().await?,
    })
}
