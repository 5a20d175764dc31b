//! Server functions for accounts. Each checks who asks before it does anything.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::session,
    crate::context::server_context,
    tend_core::auth::{SignUpForm, service, sign_up as sign_ups},
};

/// The signed-in member as the screens need them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub full_name: String,
    pub email: String,
    pub practice_name: String,
    pub practice_slug: String,
    pub role: String,
    pub is_owner: bool,
}

/// The sign-up form: mails the link that finishes it, and says so whatever the address.
#[server(endpoint = "sign_up")]
pub async fn sign_up(
    full_name: String,
    email: String,
    password: String,
    practice_name: String,
    time_zone: String,
) -> Result<(), AppError> {
    let context = server_context()?;
    let form = SignUpForm { full_name, email, password, practice_name, time_zone };
    let address = session::client_address().await;
    sign_ups::start(&context, form, &address).await?;
    leptos_axum::redirect("/signup/sent");
    Ok(())
}

/// The emailed sign-up link: creates the practice and signs its owner in.
#[server(endpoint = "confirm_sign_up")]
pub async fn confirm_sign_up(token: String) -> Result<(), AppError> {
    let context = server_context()?;
    let session = session::current_session().await?;
    let signed_in = sign_ups::finish(&context, &token).await?;
    session::begin(&session, signed_in).await?;
    leptos_axum::redirect("/app");
    Ok(())
}

#[server(endpoint = "log_in")]
pub async fn log_in(email: String, password: String) -> Result<(), AppError> {
    let context = server_context()?;
    let session = session::current_session().await?;
    let address = session::client_address().await;
    let signed_in = service::log_in(&context, &email, &password, &address).await?;
    session::begin(&session, signed_in).await?;
    // Someone in several practices chooses where to work first.
    leptos_axum::redirect(if signed_in.has_other_practices { "/app/practices" } else { "/app" });
    Ok(())
}

#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    let session = session::current_session().await?;
    session::end(&session).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let context = server_context()?;
    let address = session::client_address().await;
    tend_core::auth::reset::request_for_member(&context, &email, &address).await?;
    Ok(())
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let context = server_context()?;
    service::reset_password(&context, &token, &password).await?;
    leptos_axum::redirect("/login?reset=done");
    Ok(())
}

#[server(endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    let (context, actor) = session::require_member().await?;
    let address = session::client_address().await;
    let version = service::change_password(&context, actor.user_id, &current_password, &new_password, &address).await?;
    let session = session::current_session().await?;
    session::renew_after_password_change(&session, version).await?;
    Ok(())
}

/// The member behind this session, or `None` for a visitor.
#[server(endpoint = "current_member")]
pub async fn current_member() -> Result<Option<MemberView>, AppError> {
    let Some((_, actor)) = session::optional_member().await? else {
        return Ok(None);
    };
    let is_owner = actor.is_owner();
    Ok(Some(MemberView {
        is_owner,
        full_name: actor.full_name,
        email: actor.email,
        practice_name: actor.org_name,
        practice_slug: actor.org_slug,
        role: actor.role.label().to_owned(),
    }))
}
