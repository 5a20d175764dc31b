//! Server functions for client groups.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::auth::session::require_member,
    tend_core::clients::{groups, policy},
    uuid::Uuid,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: String,
    pub name: String,
    pub client_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMemberView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDetailView {
    pub id: String,
    pub name: String,
    pub members: Vec<GroupMemberView>,
}

#[cfg(feature = "ssr")]
fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| tend_core::Error::NotFound.into())
}

#[server(endpoint = "list_groups")]
pub async fn list_groups() -> Result<Vec<GroupView>, AppError> {
    let (context, actor) = require_member().await?;
    let mut conn = context.pool.acquire().await?;
    let list = groups::repo::list(&mut conn, actor.org_id).await?;
    Ok(list
        .into_iter()
        .map(|g| GroupView { id: g.id.to_string(), name: g.name, client_count: g.client_count })
        .collect())
}

#[server(endpoint = "get_group")]
pub async fn get_group(id: String) -> Result<GroupDetailView, AppError> {
    let (context, actor) = require_member().await?;
    let group_id = parse_id(&id)?;
    let mut conn = context.pool.acquire().await?;
    let name = groups::repo::name_of(&mut conn, actor.org_id, group_id).await?;
    let members = groups::repo::members(&mut conn, actor.org_id, group_id, policy::visible_provider(&actor)).await?;
    Ok(GroupDetailView {
        id,
        name,
        members: members
            .into_iter()
            .map(|m| GroupMemberView {
                id: m.id.to_string(),
                name: format!("{} {}", m.first_name, m.last_name),
                email: m.email,
            })
            .collect(),
    })
}

#[server(endpoint = "create_group")]
pub async fn create_group(name: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let mut conn = context.pool.acquire().await?;
    let id = groups::create(&mut conn, &actor, &name).await?;
    leptos_axum::redirect(&format!("/app/groups/{id}"));
    Ok(())
}

#[server(endpoint = "rename_group")]
pub async fn rename_group(id: String, name: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let mut conn = context.pool.acquire().await?;
    groups::rename(&mut conn, &actor, parse_id(&id)?, &name).await?;
    Ok(())
}

#[server(endpoint = "delete_group")]
pub async fn delete_group(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let mut conn = context.pool.acquire().await?;
    groups::delete(&mut conn, &actor, parse_id(&id)?).await?;
    leptos_axum::redirect("/app/groups");
    Ok(())
}

#[server(endpoint = "add_client_to_group")]
pub async fn add_client_to_group(group_id: String, client_id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let mut conn = context.pool.acquire().await?;
    groups::place_client(&mut conn, &actor, parse_id(&client_id)?, Some(parse_id(&group_id)?)).await?;
    Ok(())
}

#[server(endpoint = "remove_client_from_group")]
pub async fn remove_client_from_group(group_id: String, client_id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let mut conn = context.pool.acquire().await?;
    groups::remove_client(&mut conn, &actor, parse_id(&group_id)?, parse_id(&client_id)?).await?;
    Ok(())
}
