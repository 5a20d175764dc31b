//! Server functions for client groups.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::{auth::session::require_member, context::parse_id},
    tend_core::clients::groups,
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
    /// One page of members (fifty), in name order.
    pub members: Vec<GroupMemberView>,
    pub total: i64,
    /// Cursors for the Previous and Next links.
    pub previous: Option<String>,
    pub next: Option<String>,
}

#[server(endpoint = "list_groups")]
pub async fn list_groups() -> Result<Vec<GroupView>, AppError> {
    let (context, actor) = require_member().await?;
    let list = groups::list(&context, &actor).await?;
    Ok(list
        .into_iter()
        .map(|g| GroupView { id: g.id.to_string(), name: g.name, client_count: g.client_count })
        .collect())
}

/// A group with a page of its members: the first, or those `after` or `before` a client.
#[server(endpoint = "get_group")]
pub async fn get_group(
    id: String,
    #[server(default)] after: String,
    #[server(default)] before: String,
) -> Result<GroupDetailView, AppError> {
    let (context, actor) = require_member().await?;
    let page = match (after.as_str(), before.as_str()) {
        ("", "") => groups::repo::MemberPage::First,
        (after, "") => groups::repo::MemberPage::After(parse_id(after)?),
        (_, before) => groups::repo::MemberPage::Before(parse_id(before)?),
    };
    let group = groups::detail(&context, &actor, parse_id(&id)?, page).await?;
    Ok(GroupDetailView {
        id,
        total: group.total,
        previous: group.previous.map(|id| id.to_string()),
        next: group.next.map(|id| id.to_string()),
        name: group.name,
        members: group
            .members
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
    let id = groups::create(&context, &actor, &name).await?;
    leptos_axum::redirect(&format!("/app/groups/{id}"));
    Ok(())
}

#[server(endpoint = "rename_group")]
pub async fn rename_group(id: String, name: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    groups::rename(&context, &actor, parse_id(&id)?, &name).await?;
    Ok(())
}

#[server(endpoint = "delete_group")]
pub async fn delete_group(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    groups::delete(&context, &actor, parse_id(&id)?).await?;
    leptos_axum::redirect("/app/groups");
    Ok(())
}

#[server(endpoint = "add_client_to_group")]
pub async fn add_client_to_group(group_id: String, client_id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    groups::place_client(&context, &actor, parse_id(&client_id)?, Some(parse_id(&group_id)?)).await?;
    Ok(())
}

#[server(endpoint = "remove_client_from_group")]
pub async fn remove_client_from_group(group_id: String, client_id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    groups::remove_client(&context, &actor, parse_id(&group_id)?, parse_id(&client_id)?).await?;
    Ok(())
}
