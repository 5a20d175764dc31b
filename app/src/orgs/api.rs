//! Server functions for members and practice settings.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::{
        auth::session::{self, require_member},
        context::{parse_id, server_context},
    },
    tend_core::{
        clock::format_date,
        orgs::{Permission, service},
    },
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

/// Every member can see who is in the practice; only some can change it.
#[server(endpoint = "list_members")]
pub async fn list_members() -> Result<MembersView, AppError> {
    let (context, actor) = require_member().await?;
    let overview = service::members_overview(&context, &actor).await?;
    Ok(MembersView {
        can_manage: overview.can_manage,
        members: overview
            .members
            .into_iter()
            .map(|m| MemberView {
                id: m.membership_id.to_string(),
                is_me: m.is_me,
                name: m.full_name,
                email: m.email,
                role: m.role.label().to_owned(),
                is_owner: m.is_owner,
                permissions: m
                    .permissions
                    .into_iter()
                    .map(|(p, on)| PermissionToggle { key: p.as_str().to_owned(), label: p.label().to_owned(), on })
                    .collect(),
            })
            .collect(),
        invitations: overview
            .invitations
            .into_iter()
            .map(|i| InvitationView {
                id: i.id.to_string(),
                email: i.email,
                role: i.role.as_str().to_owned(),
                expires: format_date(i.expires_at, actor.time_zone),
            })
            .collect(),
    })
}

#[server(endpoint = "invite_member")]
pub async fn invite_member(email: String, role: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::invite_member(&context, &actor, &email, &role).await?;
    Ok(())
}

#[server(endpoint = "resend_member_invitation")]
pub async fn resend_member_invitation(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::resend_invitation(&context, &actor, parse_id(&id)?).await?;
    Ok(())
}

#[server(endpoint = "revoke_member_invitation")]
pub async fn revoke_member_invitation(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::revoke_invitation(&context, &actor, parse_id(&id)?).await?;
    Ok(())
}

/// Turns one permission of one member on or off.
#[server(endpoint = "set_member_permission")]
pub async fn set_member_permission(id: String, permission: String, enabled: bool) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let permission: Permission = permission.parse().map_err(|_| AppError::from(tend_core::Error::NotFound))?;
    service::set_permission(&context, &actor, parse_id(&id)?, permission, enabled).await?;
    Ok(())
}

#[server(endpoint = "remove_member")]
pub async fn remove_member(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::remove_member(&context, &actor, parse_id(&id)?).await?;
    Ok(())
}

/// The invitee accepts from the emailed link and is signed in to the practice.
#[server(endpoint = "accept_member_invitation")]
pub async fn accept_member_invitation(
    token: String,
    full_name: String,
    password: String,
    #[server(default)] time_zone: String,
) -> Result<(), AppError> {
    let context = server_context()?;
    let form = service::JoinForm { token, full_name, password, time_zone };
    let address = session::client_address().await;
    let signed_in = service::accept_invitation(&context, &form, &address).await?;
    let session = session::current_session().await?;
    session::begin(&session, signed_in).await?;
    leptos_axum::redirect("/app");
    Ok(())
}

#[server(endpoint = "get_practice")]
pub async fn get_practice() -> Result<PracticeView, AppError> {
    let (context, actor) = require_member().await?;
    let practice = service::practice_settings(&context, &actor).await?;
    Ok(PracticeView {
        name: practice.brand.name,
        slug: practice.brand.slug,
        accent_color: practice.brand.accent_color,
        has_logo: practice.brand.has_logo,
        can_manage: practice.can_manage,
    })
}

#[server(endpoint = "set_accent_color")]
pub async fn set_accent_color(accent_color: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::set_accent_color(&context, &actor, &accent_color).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub full_name: String,
    pub time_zone: String,
}

/// The signed-in member's own name and time zone.
#[server(endpoint = "get_my_profile")]
pub async fn get_my_profile() -> Result<ProfileView, AppError> {
    let (_, actor) = require_member().await?;
    Ok(ProfileView { full_name: actor.full_name, time_zone: actor.time_zone.name().to_owned() })
}

#[server(endpoint = "update_my_profile")]
pub async fn update_my_profile(full_name: String, time_zone: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::update_my_profile(&context, &actor, &full_name, &time_zone).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeChoice {
    pub id: String,
    pub name: String,
    pub role: String,
    pub is_current: bool,
}

/// The practices the signed-in person belongs to, to choose where to work.
#[server(endpoint = "list_my_practices")]
pub async fn list_my_practices() -> Result<Vec<PracticeChoice>, AppError> {
    let (context, actor) = require_member().await?;
    let practices = service::my_practices(&context, &actor).await?;
    Ok(practices
        .into_iter()
        .map(|p| PracticeChoice {
            id: p.org_id.to_string(),
            name: p.name,
            role: p.role.label().to_owned(),
            is_current: p.is_current,
        })
        .collect())
}

/// Moves this session to another practice of the same person.
#[server(endpoint = "switch_practice")]
pub async fn switch_practice(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let signed_in = service::switch_practice(&context, &actor, parse_id(&id)?).await?;
    let session = session::current_session().await?;
    session::switch_practice(&session, signed_in.org_id).await?;
    leptos_axum::redirect("/app");
    Ok(())
}
