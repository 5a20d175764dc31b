//! Server functions of the client portal. Each checks the client session for this practice.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::{
        auth::session::{self, require_client},
        context::server_context,
    },
    tend_core::{clients::service as clients, portal},
};

/// An address in the portal of `slug`, which comes from the request: encoded, so an odd slug
/// makes an odd (404) address rather than a header that cannot be sent.
#[cfg(feature = "ssr")]
pub fn portal_path(slug: &str, rest: &str) -> String {
    format!("/p/{}{rest}", crate::ui::url_encode(slug))
}

/// What every portal page shows of the practice. Public: it is on the login page too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandView {
    pub name: String,
    pub slug: String,
    pub accent_color: String,
    pub logo_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalClientView {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub time_zone: String,
    pub provider: Option<String>,
    pub is_test: bool,
    /// The practice offers booking in the portal.
    pub can_book: bool,
}

#[server(endpoint = "portal_brand")]
pub async fn portal_brand(slug: String) -> Result<BrandView, AppError> {
    let context = server_context()?;
    let brand = portal::brand(&context, &slug).await?;
    Ok(BrandView {
        logo_url: brand.has_logo.then(|| format!("/p/{}/logo", brand.slug)),
        name: brand.name,
        slug: brand.slug,
        accent_color: brand.accent_color,
    })
}

/// The signed-in client, or `None` for a visitor of the portal.
#[server(endpoint = "portal_client")]
pub async fn portal_client(slug: String) -> Result<Option<PortalClientView>, AppError> {
    // A visitor is no error: the page offers the login form.
    let (context, Some(client)) = session::client_or_visitor(&slug).await? else { return Ok(None) };
    let can_book = tend_core::scheduling::service::client_can_book(&context, &client).await?;
    Ok(Some(PortalClientView {
        can_book,
        first_name: client.first_name,
        last_name: client.last_name,
        email: client.email.unwrap_or_default(),
        phone: client.phone.unwrap_or_default(),
        time_zone: client.time_zone.name().to_owned(),
        provider: client.provider_name,
        is_test: client.is_test,
    }))
}

#[server(endpoint = "portal_log_in")]
pub async fn portal_log_in(slug: String, email: String, password: String) -> Result<(), AppError> {
    let context = server_context()?;
    let address = session::client_address().await;
    let signed_in = portal::log_in(&context, &slug, &email, &password, &address).await?;
    session::begin_portal(&session::current_session().await?, signed_in, session::MemberSession::End).await?;
    leptos_axum::redirect(&portal_path(&slug, ""));
    Ok(())
}

#[server(endpoint = "portal_log_out")]
pub async fn portal_log_out(slug: String) -> Result<(), AppError> {
    session::end_portal(&session::current_session().await?).await?;
    leptos_axum::redirect(&portal_path(&slug, "/login"));
    Ok(())
}

#[server(endpoint = "portal_request_reset")]
pub async fn portal_request_reset(slug: String, email: String) -> Result<(), AppError> {
    let context = server_context()?;
    let address = session::client_address().await;
    tend_core::auth::reset::request_for_client(&context, &slug, &email, &address).await?;
    Ok(())
}

#[server(endpoint = "portal_reset_password")]
pub async fn portal_reset_password(slug: String, token: String, password: String) -> Result<(), AppError> {
    let context = server_context()?;
    tend_core::auth::service::reset_password(&context, &token, &password).await?;
    leptos_axum::redirect(&portal_path(&slug, "/login?reset=done"));
    Ok(())
}

/// The invited client chooses a password and is signed in to the portal.
#[server(endpoint = "accept_client_invitation")]
pub async fn accept_client_invitation(slug: String, token: String, password: String) -> Result<(), AppError> {
    let context = server_context()?;
    let address = session::client_address().await;
    let signed_in = clients::accept_portal_invitation(&context, &slug, &token, &password, &address).await?;
    session::begin_portal(&session::current_session().await?, signed_in, session::MemberSession::End).await?;
    leptos_axum::redirect(&portal_path(&slug, ""));
    Ok(())
}

#[server(endpoint = "update_portal_contact")]
pub async fn update_portal_contact(slug: String, phone: String, time_zone: String) -> Result<(), AppError> {
    let (context, client) = require_client(&slug).await?;
    portal::update_contact(&context, &client, &phone, &time_zone).await?;
    Ok(())
}

#[server(endpoint = "change_portal_password")]
pub async fn change_portal_password(
    slug: String,
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let (context, client) = require_client(&slug).await?;
    let address = session::client_address().await;
    let version = portal::change_password(&context, &client, &current_password, &new_password, &address).await?;
    session::renew_portal_after_password_change(&session::current_session().await?, version).await?;
    Ok(())
}
