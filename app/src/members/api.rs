//! Server functions for members and practice settings.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::{
        auth::session::{self, require_member},
        context::server_context,
    },
    tend_core::orgs::{Permission, Role, repo, service},
    uuid::Uuid,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionToggle {
    pub key: String,
    pub label: String,
    pub on: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub is_owner: bool,
    pub is_me: bool,
    pub permissions: Vec<PermissionToggle>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: String,
    pub email: String,
    pub role: String,
    pub expires: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersView {
    pub can_manage: bool,
    pub members: Vec<MemberView>,
    pub invitations: Vec<InvitationView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeView {
    pub name: String,
    pub slug: String,
    pub accent_color: String,
    pub has_logo: bool,
    pub can_manage: bool,
}

#[cfg(feature = "ssr")]
fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| tend_core::Error::NotFound.into())
}

/// Every member can see who is in the practice; only some can change it.
#[server(endpoint = "list_members")]
pub async fn list_members() -> Result<MembersView, AppError> {
    let (context, actor) = require_member().await?;
    let zone: chrono_tz::Tz = actor.org_time_zone.parse().unwrap_or(chrono_tz::UTC);
    let mut conn = context.pool.acquire().await?;
    let members = repo::list_members(&mut conn, actor.org_id).await?;
    let can_manage = actor.can(Permission::ManageMembers);
    let invitations = if can_manage { repo::open_invitations(&mut conn, actor.org_id).await? } else { Vec::new() };
    Ok(MembersView {
        can_manage,
        members: members
            .into_iter()
            .map(|m| {
                let is_owner = m.role == Role::Owner.as_str();
                MemberView {
                    id: m.id.to_string(),
                    is_me: m.user_id == actor.user_id,
                    name: m.full_name,
                    email: m.email,
                    role: m.role.parse::<Role>().map(|r| r.label()).unwrap_or("Member").to_owned(),
                    is_owner,
                    permissions: Permission::ALL
                        .iter()
                        .map(|p| PermissionToggle {
                            key: p.as_str().to_owned(),
                            label: p.label().to_owned(),
                            on: is_owner || m.permissions.iter().any(|have| have == p.as_str()),
                        })
                        .collect(),
                }
            })
            .collect(),
        invitations: invitations
            .into_iter()
            .map(|i| InvitationView {
                id: i.id.to_string(),
                email: i.email,
                role: i.role,
                expires: i.expires_at.with_timezone(&zone).format("%b %-d, %Y").to_string(),
            })
            .collect(),
    })
}

#[server(endpoint = "invite_member")]
pub async fn invite_member(email: String, role: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::invite_member(&context.pool, &context.settings, &actor, &email, &role).await?;
    Ok(())
}

#[server(endpoint = "resend_member_invitation")]
pub async fn resend_member_invitation(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::resend_invitation(&context.pool, &context.settings, &actor, parse_id(&id)?).await?;
    Ok(())
}

#[server(endpoint = "revoke_member_invitation")]
pub async fn revoke_member_invitation(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::revoke_invitation(&context.pool, &actor, parse_id(&id)?).await?;
    Ok(())
}

/// Turns one permission of one member on or off.
#[server(endpoint = "set_member_permission")]
pub async fn set_member_permission(id: String, permission: String, enabled: bool) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let permission: Permission = permission.parse().map_err(|_| AppError::from(tend_core::Error::NotFound))?;
    service::set_permission(&context.pool, &actor, parse_id(&id)?, permission, enabled).await?;
    Ok(())
}

#[server(endpoint = "remove_member")]
pub async fn remove_member(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::remove_member(&context.pool, &actor, parse_id(&id)?).await?;
    Ok(())
}

/// The invitee accepts from the emailed link and is signed in to the practice.
#[server(endpoint = "accept_member_invitation")]
pub async fn accept_member_invitation(token: String, full_name: String, password: String) -> Result<(), AppError> {
    let context = server_context()?;
    let signed_in = service::accept_invitation(&context.pool, &token, &full_name, &password).await?;
    let session = session::current_session().await?;
    session::begin(&session, signed_in).await?;
    leptos_axum::redirect("/app");
    Ok(())
}

#[server(endpoint = "get_practice")]
pub async fn get_practice() -> Result<PracticeView, AppError> {
    let (context, actor) = require_member().await?;
    let mut conn = context.pool.acquire().await?;
    let brand = repo::brand_by_slug(&mut conn, &actor.org_slug).await?;
    Ok(PracticeView {
        name: brand.name,
        slug: brand.slug,
        accent_color: brand.accent_color,
        has_logo: brand.has_logo,
        can_manage: actor.can(Permission::ManageSettings),
    })
}

#[server(endpoint = "set_accent_color")]
pub async fn set_accent_color(accent_color: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::set_accent_color(&context.pool, &actor, &accent_color).await?;
    Ok(())
}
