//! Server functions for clients. Each checks the member and that the client is theirs to see.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::{
        auth::session::{self, require_member},
        context::parse_id,
    },
    tend_core::{
        clients::{ClientForm, groups, service},
        clock::format_date_time,
        orgs,
    },
};

/// What the add and edit forms send, as one struct: inputs are named `client[first_name]`...
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientFields {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub date_of_birth: String,
    pub time_zone: String,
    /// A member id, or empty for none.
    pub primary_provider_id: String,
}

#[cfg(feature = "ssr")]
impl From<ClientFields> for ClientForm {
    fn from(f: ClientFields) -> Self {
        ClientForm {
            first_name: f.first_name,
            last_name: f.last_name,
            email: f.email,
            phone: f.phone,
            date_of_birth: f.date_of_birth,
            time_zone: f.time_zone,
            primary_provider_id: f.primary_provider_id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRowView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub provider: Option<String>,
    pub group: Option<String>,
    pub is_test: bool,
    pub has_login: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientListView {
    pub rows: Vec<ClientRowView>,
    pub total: i64,
    pub page: i64,
    pub page_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientView {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub date_of_birth: String,
    pub time_zone: String,
    pub primary_provider_id: String,
    pub provider: Option<String>,
    pub group_id: String,
    pub group: Option<String>,
    pub is_test: bool,
    pub is_own_test_client: bool,
    pub archived: bool,
    pub has_login: bool,
    pub invitation_pending_until: Option<String>,
}

/// Someone a client can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderOption {
    pub id: String,
    pub name: String,
}

#[server(endpoint = "list_clients")]
pub async fn list_clients(
    search: String,
    archived: bool,
    page: i64,
    /// The page right after this client (a "Next" link), or right before it ("Previous").
    after: Option<String>,
    before: Option<String>,
) -> Result<ClientListView, AppError> {
    use tend_core::clients::repo::PageStart;
    let (context, actor) = require_member().await?;
    let start = match (after, before) {
        (Some(id), _) => Some(PageStart::After(parse_id(&id)?)),
        (None, Some(id)) => Some(PageStart::Before(parse_id(&id)?)),
        (None, None) => None,
    };
    let at = service::PageAt { number: page, start };
    let list = service::list_clients(&context, &actor, &search, archived, at).await?;
    Ok(ClientListView {
        rows: list
            .rows
            .into_iter()
            .map(|r| ClientRowView {
                id: r.id.to_string(),
                name: format!("{} {}", r.first_name, r.last_name),
                email: r.email,
                provider: r.provider_name,
                group: r.group_name,
                is_test: r.is_test,
                has_login: r.has_login,
            })
            .collect(),
        total: list.total,
        page: list.page,
        page_count: list.page_count,
    })
}

#[server(endpoint = "get_client")]
pub async fn get_client(id: String) -> Result<ClientView, AppError> {
    let (context, actor) = require_member().await?;
    let c = service::get_client(&context, &actor, parse_id(&id)?).await?;
    Ok(ClientView {
        id: c.id.to_string(),
        first_name: c.first_name,
        last_name: c.last_name,
        email: c.email.unwrap_or_default(),
        phone: c.phone.unwrap_or_default(),
        date_of_birth: c.date_of_birth.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        time_zone: c.time_zone.name().to_owned(),
        primary_provider_id: c.primary_provider_id.map(|id| id.to_string()).unwrap_or_default(),
        provider: c.provider_name,
        group_id: c.group_id.map(|id| id.to_string()).unwrap_or_default(),
        group: c.group_name,
        is_own_test_client: c.is_test && c.user_id == Some(actor.user_id),
        is_test: c.is_test,
        archived: c.archived_at.is_some(),
        has_login: c.user_id.is_some() && !c.is_test,
        invitation_pending_until: c.invitation_expires_at.map(|at| format_date_time(at, actor.time_zone)),
    })
}

#[server(endpoint = "list_providers")]
pub async fn list_providers() -> Result<Vec<ProviderOption>, AppError> {
    let (context, actor) = require_member().await?;
    let providers = orgs::service::providers(&context, &actor).await?;
    Ok(providers.into_iter().map(|(id, name)| ProviderOption { id: id.to_string(), name }).collect())
}

#[server(endpoint = "add_client")]
pub async fn add_client(client: ClientFields) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let id = service::add_client(&context, &actor, &client.into()).await?;
    leptos_axum::redirect(&format!("/app/clients/{id}"));
    Ok(())
}

#[server(endpoint = "update_client")]
pub async fn update_client(id: String, client: ClientFields) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::update_client(&context, &actor, parse_id(&id)?, &client.into()).await?;
    leptos_axum::redirect(&format!("/app/clients/{id}"));
    Ok(())
}

#[server(endpoint = "set_client_archived")]
pub async fn set_client_archived(id: String, archived: bool) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::set_archived(&context, &actor, parse_id(&id)?, archived).await?;
    Ok(())
}

#[server(endpoint = "invite_client")]
pub async fn invite_client(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::invite_to_portal(&context, &actor, parse_id(&id)?).await?;
    Ok(())
}

#[server(endpoint = "set_client_group")]
pub async fn set_client_group(id: String, group_id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let group_id = if group_id.is_empty() { None } else { Some(parse_id(&group_id)?) };
    groups::place_client(&context, &actor, parse_id(&id)?, group_id).await?;
    Ok(())
}

#[server(endpoint = "add_test_client")]
pub async fn add_test_client() -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let id = service::test_client_of(&context, &actor).await?;
    leptos_axum::redirect(&format!("/app/clients/{id}"));
    Ok(())
}

/// Opens the portal as the member's own test client, in this same browser session.
#[server(endpoint = "open_test_portal")]
pub async fn open_test_portal(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let signed_in = service::own_test_client(&context, &actor, parse_id(&id)?).await?;
    let session = session::current_session().await?;
    session::begin_portal(&session, signed_in, session::MemberSession::Keep).await?;
    leptos_axum::redirect(&format!("/p/{}", actor.org_slug));
    Ok(())
}
