//! Member and practice use cases: invitations, permissions, removal, branding.

use chrono::{Duration, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::{Permission, Role, repo};
use crate::{
    Actor, Error, FieldErrors, Result,
    auth::{self, SignedIn},
    email::{self, templates},
    fields::EmailAddress,
    settings::Settings,
    tokens,
};

pub const INVITATION_LIFETIME_DAYS: i64 = 7;
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;

pub fn parse_invited_role(raw: &str) -> Result<Role> {
    match raw {
        "provider" => Ok(Role::Provider),
        "staff" => Ok(Role::Staff),
        _ => Err(FieldErrors::single("role", "Choose provider or staff.")),
    }
}

/// Invites someone by email as provider or staff, with that role's default permissions.
pub async fn invite_member(pool: &PgPool, settings: &Settings, actor: &Actor, email: &str, role: &str) -> Result<()> {
    actor.require(Permission::ManageMembers)?;
    let mut errors = FieldErrors::new();
    let email = errors.check("email", EmailAddress::parse(email));
    let role = errors.check("role", parse_invited_role(role).map_err(|_| "Choose provider or staff.".to_owned()));
    let (Some(email), Some(role)) = (email, role) else { return Err(Error::Validation(errors)) };
    let mut tx = pool.begin().await?;
    if repo::is_member_email(&mut tx, actor.org_id, email.as_str()).await? {
        return Err(FieldErrors::single("email", "This person is already a member of the practice."));
    }
    send_invitation(&mut tx, settings, actor, email.as_str(), role).await?;
    tx.commit().await?;
    Ok(())
}

async fn send_invitation(
    conn: &mut sqlx::PgConnection,
    settings: &Settings,
    actor: &Actor,
    email: &str,
    role: Role,
) -> Result<()> {
    let token = tokens::generate();
    let expires_at = Utc::now() + Duration::days(INVITATION_LIFETIME_DAYS);
    let permissions = Permission::defaults_for(role);
    let digest = tokens::digest(&token);
    repo::insert_invitation(conn, actor.org_id, email, role, &permissions, &digest, actor.user_id, expires_at).await?;
    let link = settings.link(&format!("/join?token={token}"));
    let role_name = role.label().to_lowercase();
    let message =
        templates::member_invitation(actor.org_id, email, &actor.org_name, &actor.full_name, &role_name, &link);
    email::repo::enqueue(conn, &message).await?;
    Ok(())
}

/// Sends a fresh link; the old one stops working.
pub async fn resend_invitation(pool: &PgPool, settings: &Settings, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require(Permission::ManageMembers)?;
    let mut tx = pool.begin().await?;
    let (email, role) = repo::revoke_invitation(&mut tx, actor.org_id, id).await?;
    let role: Role = role.parse().map_err(anyhow::Error::msg)?;
    send_invitation(&mut tx, settings, actor, &email, role).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn revoke_invitation(pool: &PgPool, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require(Permission::ManageMembers)?;
    let mut conn = pool.acquire().await?;
    repo::revoke_invitation(&mut conn, actor.org_id, id).await?;
    Ok(())
}

/// The invitee joins: a new person chooses a name and password; someone who already has a
/// Tend account confirms it with their password.
pub async fn accept_invitation(pool: &PgPool, token: &str, full_name: &str, password_input: &str) -> Result<SignedIn> {
    let mut tx = pool.begin().await?;
    let Some(invitation) = repo::take_invitation(&mut tx, &tokens::digest(token)).await? else {
        return Err(FieldErrors::single(
            "token",
            "This invitation has expired, was revoked or was already used. Ask the practice for a new one.",
        ));
    };
    let (user_id, auth_version) =
        auth::service::login_for_invitation(&mut tx, &invitation.email, full_name, password_input).await?;
    let role: Role = invitation.role.parse().map_err(anyhow::Error::msg)?;
    let permissions: Vec<Permission> = invitation.permissions.iter().filter_map(|p| p.parse().ok()).collect();
    if repo::is_member_email(&mut tx, invitation.org_id, &invitation.email).await? {
        return Err(Error::Conflict("You are already a member of this practice. Log in instead.".into()));
    }
    repo::insert_membership(&mut tx, invitation.org_id, user_id, role, &permissions).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict("You are already a member of this practice. Log in instead.".into()),
        other => other,
    })?;
    repo::mark_invitation_accepted(&mut tx, invitation.id).await?;
    tx.commit().await?;
    Ok(SignedIn { user_id, org_id: invitation.org_id, auth_version })
}

/// Turns one permission of another member on or off, in one statement (two toggles at once
/// both stick). The owner always has every permission; nobody changes their own; nobody
/// grants what they do not have.
pub async fn set_permission(
    pool: &PgPool,
    actor: &Actor,
    membership_id: Uuid,
    permission: Permission,
    enabled: bool,
) -> Result<()> {
    actor.require(Permission::ManageMembers)?;
    if membership_id == actor.membership_id {
        return Err(Error::Conflict("You cannot change your own permissions. Ask the owner.".into()));
    }
    if enabled {
        actor.require(permission)?;
    }
    let mut tx = pool.begin().await?;
    if repo::member_role(&mut tx, actor.org_id, membership_id).await? == Role::Owner {
        return Err(Error::Conflict("The owner always has every permission.".into()));
    }
    repo::set_permission(&mut tx, actor.org_id, membership_id, permission, enabled).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a member; their sessions end at once because every request reloads the membership.
pub async fn remove_member(pool: &PgPool, actor: &Actor, membership_id: Uuid) -> Result<()> {
    actor.require(Permission::ManageMembers)?;
    if membership_id == actor.membership_id {
        return Err(Error::Conflict("You cannot remove yourself. Ask the owner.".into()));
    }
    let mut tx = pool.begin().await?;
    if repo::member_role(&mut tx, actor.org_id, membership_id).await? == Role::Owner {
        return Err(Error::Conflict("The owner cannot be removed.".into()));
    }
    repo::delete_membership(&mut tx, actor.org_id, membership_id).await?;
    tx.commit().await?;
    Ok(())
}

/// A logo must really be a PNG, JPEG or WebP image under 2 MB; returns its content type.
pub fn check_logo(bytes: &[u8]) -> Result<&'static str> {
    if bytes.is_empty() {
        return Err(FieldErrors::single("logo", "Choose an image file."));
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(FieldErrors::single("logo", "The logo must be smaller than 2 MB."));
    }
    let content_type = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => "image/png",
        Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
        Ok(imagesize::ImageType::Webp) => "image/webp",
        _ => return Err(FieldErrors::single("logo", "The logo must be a PNG, JPEG or WebP image.")),
    };
    match imagesize::blob_size(bytes) {
        Ok(size) if size.width > 0 && size.height > 0 => Ok(content_type),
        _ => Err(FieldErrors::single("logo", "This image file is damaged. Export it again and retry.")),
    }
}

pub async fn set_logo(pool: &PgPool, actor: &Actor, bytes: &[u8]) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let content_type = check_logo(bytes)?;
    let mut conn = pool.acquire().await?;
    repo::set_logo(&mut conn, actor.org_id, bytes, content_type).await
}

/// Accepts `#rrggbb` colours only: they go into the portal's stylesheet.
pub fn parse_accent_color(raw: &str) -> Result<String> {
    let color = raw.trim().to_lowercase();
    let valid = color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if valid { Ok(color) } else { Err(FieldErrors::single("accent_color", "Use a colour like #2f6f5e.")) }
}

pub async fn set_accent_color(pool: &PgPool, actor: &Actor, raw: &str) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let color = parse_accent_color(raw)?;
    let mut conn = pool.acquire().await?;
    repo::set_accent_color(&mut conn, actor.org_id, &color).await
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_1X1: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
        8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
    ];

    #[test]
    fn a_real_png_is_accepted() {
        assert_eq!(check_logo(PNG_1X1).unwrap(), "image/png");
    }

    #[test]
    fn a_text_file_named_like_an_image_is_refused() {
        assert!(check_logo(b"<svg xmlns='http://www.w3.org/2000/svg'/>").is_err());
    }

    #[test]
    fn an_image_over_two_megabytes_is_refused() {
        let mut big = PNG_1X1.to_vec();
        big.resize(MAX_LOGO_BYTES + 1, 0);
        assert!(check_logo(&big).is_err());
    }

    #[test]
    fn accent_colours_must_be_hex() {
        assert_eq!(parse_accent_color(" #2F6F5E ").unwrap(), "#2f6f5e");
        assert!(parse_accent_color("red; background: url(x)").is_err());
    }

    #[test]
    fn only_provider_and_staff_can_be_invited() {
        assert!(parse_invited_role("owner").is_err());
        assert_eq!(parse_invited_role("staff").unwrap(), Role::Staff);
    }
}
