//! Member and practice use cases: invitations, permissions, removal, branding.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{Permission, Role, repo};
use crate::{
    Actor, Context, Error, FieldErrors, Result,
    actor::MemberCaller,
    auth::{self, SignedIn},
    clock::TimeZone,
    email::{self, templates},
    fields::{EmailAddress, PersonName},
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

/// Invites someone by email as provider or staff, with that role's default permissions, less
/// any the inviter lacks: managing members never lets anyone hand out more than they hold.
pub async fn invite_member(ctx: &Context, actor: &Actor, email: &str, role: &str) -> Result<()> {
    actor.require(Permission::ManageMembers)?;
    let mut errors = FieldErrors::new();
    let email = errors.check("email", EmailAddress::parse(email));
    let role = errors.check("role", parse_invited_role(role).map_err(|_| "Choose provider or staff.".to_owned()));
    let (Some(email), Some(role)) = (email, role) else { return Err(Error::Validation(errors)) };
    let mut tx = ctx.pool.begin().await?;
    if repo::is_member_email(&mut tx, actor.org_id, email.as_str()).await? {
        return Err(FieldErrors::single("email", "This person is already a member of the practice."));
    }
    send_invitation(&mut tx, ctx, actor, email.as_str(), role).await?;
    tx.commit().await?;
    Ok(())
}

async fn send_invitation(
    conn: &mut sqlx::PgConnection,
    ctx: &Context,
    actor: &Actor,
    email: &str,
    role: Role,
) -> Result<()> {
    email::limit::spend(conn, ctx, email::limit::Source::Member(actor.user_id), email).await?;
    let token = tokens::generate();
    let expires_at = ctx.now() + Duration::days(INVITATION_LIFETIME_DAYS);
    let permissions = invitable_permissions(actor, role);
    let digest = tokens::digest(&token);
    let invitation = repo::NewInvitation {
        org_id: actor.org_id,
        email,
        role,
        permissions: &permissions,
        token_digest: &digest,
        invited_by: actor.user_id,
        expires_at,
    };
    repo::insert_invitation(conn, &invitation).await?;
    let link = ctx.settings.link(&format!("/join?token={token}"));
    let role_name = role.label().to_lowercase();
    let invitation = templates::MemberInvitation {
        practice: &actor.org_name,
        inviter: &actor.full_name,
        role: &role_name,
        link: &link,
    };
    let message = templates::member_invitation(actor.org_id, email, &invitation)?;
    email::enqueue(conn, ctx.now(), &message).await?;
    Ok(())
}

/// The permissions an invitation from `actor` carries for `role`.
pub fn invitable_permissions(actor: &Actor, role: Role) -> Vec<Permission> {
    Permission::defaults_for(role).into_iter().filter(|p| actor.can(*p)).collect()
}

/// Sends a fresh link; the old one stops working.
pub async fn resend_invitation(ctx: &Context, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require(Permission::ManageMembers)?;
    let mut tx = ctx.pool.begin().await?;
    let (email, role) = repo::revoke_invitation(&mut tx, actor.org_id, id).await?;
    let role: Role = role.parse().map_err(anyhow::Error::msg)?;
    send_invitation(&mut tx, ctx, actor, &email, role).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn revoke_invitation(ctx: &Context, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require(Permission::ManageMembers)?;
    let mut conn = ctx.pool.acquire().await?;
    repo::revoke_invitation(&mut conn, actor.org_id, id).await?;
    Ok(())
}

/// What an invitee fills in on the join page.
#[derive(Debug, Clone, Default)]
pub struct JoinForm {
    pub token: String,
    pub full_name: String,
    pub password: String,
    /// Empty: the practice's zone.
    pub time_zone: String,
}

/// The invitee joins: a new person chooses a name, password and time zone; someone who already
/// has a Tend account confirms it with their password.
pub async fn accept_invitation(ctx: &Context, form: &JoinForm, client_address: &str) -> Result<SignedIn> {
    let time_zone = match form.time_zone.trim() {
        "" => None,
        raw => Some(TimeZone::parse(raw).map_err(|m| FieldErrors::single("time_zone", m))?),
    };
    let digest = tokens::digest(&form.token);
    let unusable = || {
        FieldErrors::single(
            "token",
            "This invitation has expired, was revoked or was already used. Ask the practice for a new one.",
        )
    };
    // The password is settled first, outside the transaction: argon2 must not hold a connection.
    let peeked = {
        let mut conn = ctx.pool.acquire().await?;
        repo::take_invitation(&mut conn, &digest, ctx.now()).await?
    };
    let Some(peeked) = peeked else { return Err(unusable()) };
    let login =
        auth::service::invitee_login(ctx, &peeked.email, &form.full_name, &form.password, client_address).await?;
    let mut tx = ctx.pool.begin().await?;
    let Some(invitation) = repo::take_invitation(&mut tx, &digest, ctx.now()).await? else { return Err(unusable()) };
    let time_zone = time_zone.unwrap_or(invitation.org_time_zone);
    let (user_id, auth_version) =
        auth::service::create_invitee_login(&mut tx, &invitation.email, login, Some(time_zone)).await?;
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
    Ok(SignedIn { user_id, org_id: invitation.org_id, auth_version, has_other_practices: false })
}

/// Turns one permission of another member on or off, in one statement (two toggles at once
/// both stick). The owner always has every permission; nobody changes their own; nobody
/// grants what they do not have.
pub async fn set_permission(
    ctx: &Context,
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
    let mut tx = ctx.pool.begin().await?;
    if repo::member_role(&mut tx, actor.org_id, membership_id).await? == Role::Owner {
        return Err(Error::Conflict("The owner always has every permission.".into()));
    }
    repo::set_permission(&mut tx, actor.org_id, membership_id, permission, enabled).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a member; their sessions end at once because every request reloads the membership.
pub async fn remove_member(ctx: &Context, actor: &Actor, membership_id: Uuid) -> Result<()> {
    actor.require(Permission::ManageMembers)?;
    if membership_id == actor.membership_id {
        return Err(Error::Conflict("You cannot remove yourself. Ask the owner.".into()));
    }
    let mut tx = ctx.pool.begin().await?;
    if repo::member_role(&mut tx, actor.org_id, membership_id).await? == Role::Owner {
        return Err(Error::Conflict("The owner cannot be removed.".into()));
    }
    repo::delete_membership(&mut tx, actor.org_id, membership_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Why a logo was refused. The upload is a plain form post that redirects back to the settings
/// page, which shows the message of the code in its address: never text from the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoProblem {
    Missing,
    TooLarge,
    NotAnImage,
    Damaged,
}

impl LogoProblem {
    pub const ALL: [LogoProblem; 4] =
        [LogoProblem::Missing, LogoProblem::TooLarge, LogoProblem::NotAnImage, LogoProblem::Damaged];

    pub fn code(self) -> &'static str {
        match self {
            LogoProblem::Missing => "missing",
            LogoProblem::TooLarge => "too_large",
            LogoProblem::NotAnImage => "not_an_image",
            LogoProblem::Damaged => "damaged",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            LogoProblem::Missing => "Choose an image file.",
            LogoProblem::TooLarge => "The logo must be smaller than 2 MB.",
            LogoProblem::NotAnImage => "The logo must be a PNG, JPEG or WebP image.",
            LogoProblem::Damaged => "This image file is damaged. Export it again and retry.",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn from_message(message: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.message() == message)
    }
}

impl From<LogoProblem> for Error {
    fn from(problem: LogoProblem) -> Self {
        FieldErrors::single("logo", problem.message())
    }
}

/// A logo must really be a PNG, JPEG or WebP image under 2 MB; returns its content type.
pub fn check_logo(bytes: &[u8]) -> Result<&'static str> {
    if bytes.is_empty() {
        return Err(LogoProblem::Missing.into());
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(LogoProblem::TooLarge.into());
    }
    let content_type = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => "image/png",
        Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
        Ok(imagesize::ImageType::Webp) => "image/webp",
        _ => return Err(LogoProblem::NotAnImage.into()),
    };
    match imagesize::blob_size(bytes) {
        Ok(size) if size.width > 0 && size.height > 0 => Ok(content_type),
        _ => Err(LogoProblem::Damaged.into()),
    }
}

pub async fn set_logo(ctx: &Context, actor: &Actor, bytes: &[u8]) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let content_type = check_logo(bytes)?;
    let mut conn = ctx.pool.acquire().await?;
    repo::set_logo(&mut conn, actor.org_id, bytes, content_type, ctx.now()).await
}

/// Accepts `#rrggbb` colours only: they go into the portal's stylesheet.
pub fn parse_accent_color(raw: &str) -> Result<String> {
    let color = raw.trim().to_lowercase();
    let valid = color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if valid { Ok(color) } else { Err(FieldErrors::single("accent_color", "Use a colour like #2f6f5e.")) }
}

pub async fn set_accent_color(ctx: &Context, actor: &Actor, raw: &str) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let color = parse_accent_color(raw)?;
    let mut conn = ctx.pool.acquire().await?;
    repo::set_accent_color(&mut conn, actor.org_id, &color).await
}

/// One member as the members page shows them.
pub struct Member {
    pub membership_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub is_owner: bool,
    pub is_me: bool,
    /// Every permission, and whether this member has it (the owner has them all).
    pub permissions: Vec<(Permission, bool)>,
}

pub struct OpenInvitation {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
}

/// The members page: everyone sees who is in the practice; open invitations and the switches
/// only for those who manage members.
pub struct MembersOverview {
    pub can_manage: bool,
    pub members: Vec<Member>,
    pub invitations: Vec<OpenInvitation>,
}

pub async fn members_overview(ctx: &Context, actor: &Actor) -> Result<MembersOverview> {
    let can_manage = actor.can(Permission::ManageMembers);
    let mut conn = ctx.pool.acquire().await?;
    let rows = repo::list_members(&mut conn, actor.org_id).await?;
    let invitations = if can_manage { repo::open_invitations(&mut conn, actor.org_id).await? } else { Vec::new() };
    let members = rows
        .into_iter()
        .map(|m| {
            let role: Role = m.role.parse().map_err(anyhow::Error::msg)?;
            let permissions = Permission::ALL
                .into_iter()
                .map(|p| (p, role == Role::Owner || m.permissions.iter().any(|have| have == p.as_str())))
                .collect();
            Ok(Member {
                membership_id: m.id,
                is_me: m.user_id == actor.user_id,
                full_name: m.full_name,
                email: m.email,
                is_owner: role == Role::Owner,
                role,
                permissions,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let invitations = invitations
        .into_iter()
        .map(|i| {
            let role: Role = i.role.parse().map_err(anyhow::Error::msg)?;
            Ok(OpenInvitation { id: i.id, email: i.email, role, expires_at: i.expires_at })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(MembersOverview { can_manage, members, invitations })
}

/// Members clients can be assigned to: the owner and providers (not staff).
pub async fn providers(ctx: &Context, actor: &Actor) -> Result<Vec<(Uuid, String)>> {
    let mut conn = ctx.pool.acquire().await?;
    let rows = repo::list_members(&mut conn, actor.org_id).await?;
    Ok(rows.into_iter().filter(|m| m.role != Role::Staff.as_str()).map(|m| (m.id, m.full_name)).collect())
}

/// The practice's brand as its settings page shows it.
pub struct PracticeSettings {
    pub brand: repo::Brand,
    pub can_manage: bool,
}

pub async fn practice_settings(ctx: &Context, actor: &Actor) -> Result<PracticeSettings> {
    let mut conn = ctx.pool.acquire().await?;
    let brand = repo::brand_by_slug(&mut conn, &actor.org_slug).await?;
    Ok(PracticeSettings { brand, can_manage: actor.can(Permission::ManageSettings) })
}

/// The member behind a session, loaded fresh on every request; `None` when the membership is
/// gone or the password changed since the session began.
///
/// `preloaded` is the member the session store read with the session row: it is theirs when it
/// is for these ids, and PostgreSQL is not asked again. A session changed since (a sign-in, a
/// switch of practice, a new password) names someone else, who is read now.
pub async fn actor_for_session(
    ctx: &Context,
    preloaded: Option<MemberCaller>,
    user_id: Uuid,
    org_id: Uuid,
    auth_version: i32,
) -> Result<Option<Actor>> {
    match preloaded.filter(|caller| caller.is_for(user_id, org_id, auth_version)) {
        Some(caller) => caller.into_actor().map(Some),
        None => repo::load_actor(&mut *ctx.pool.acquire().await?, user_id, org_id, auth_version).await,
    }
}

/// A member edits their own name and the time zone they see times in.
pub async fn update_my_profile(ctx: &Context, actor: &Actor, full_name: &str, time_zone: &str) -> Result<()> {
    let mut errors = FieldErrors::new();
    let name = errors.check("full_name", PersonName::parse(full_name));
    let zone = errors.check("time_zone", TimeZone::parse(time_zone));
    let (Some(name), Some(zone)) = (name, zone) else { return Err(Error::Validation(errors)) };
    let mut conn = ctx.pool.acquire().await?;
    auth::repo::set_profile(&mut conn, actor.user_id, name.as_str(), zone).await
}

/// A practice the signed-in person may switch to.
pub struct MyPractice {
    pub org_id: Uuid,
    pub name: String,
    pub role: Role,
    pub is_current: bool,
}

pub async fn my_practices(ctx: &Context, actor: &Actor) -> Result<Vec<MyPractice>> {
    let mut conn = ctx.pool.acquire().await?;
    repo::practices_of_user(&mut conn, actor.user_id)
        .await?
        .into_iter()
        .map(|p| {
            let role: Role = p.role.parse().map_err(anyhow::Error::msg)?;
            Ok(MyPractice { is_current: p.org_id == actor.org_id, org_id: p.org_id, name: p.name, role })
        })
        .collect()
}

/// Moves the signed-in person to another of their practices; `NotFound` when they are not a
/// member of it (which also hides whether it exists).
pub async fn switch_practice(ctx: &Context, actor: &Actor, org_id: Uuid) -> Result<SignedIn> {
    let mut conn = ctx.pool.acquire().await?;
    let practices = repo::practices_of_user(&mut conn, actor.user_id).await?;
    if !practices.iter().any(|p| p.org_id == org_id) {
        return Err(Error::NotFound);
    }
    let auth_version = auth::repo::auth_version(&mut conn, actor.user_id).await?;
    Ok(SignedIn { user_id: actor.user_id, org_id, auth_version, has_other_practices: practices.len() > 1 })
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

    /// The message of a one-field validation error.
    fn message(error: Error) -> (String, String) {
        match error {
            Error::Validation(fields) if fields.0.len() == 1 => fields.0[0].clone(),
            other => panic!("not a one-field validation error: {other:?}"),
        }
    }

    #[test]
    fn a_text_file_named_like_an_image_is_refused() {
        let error = check_logo(b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap_err();
        assert_eq!(message(error), ("logo".into(), "The logo must be a PNG, JPEG or WebP image.".into()));
    }

    #[test]
    fn an_image_over_two_megabytes_is_refused() {
        let mut big = PNG_1X1.to_vec();
        big.resize(MAX_LOGO_BYTES + 1, 0);
        assert_eq!(message(check_logo(&big).unwrap_err()).1, "The logo must be smaller than 2 MB.");
    }

    #[test]
    fn accent_colours_must_be_hex() {
        assert_eq!(parse_accent_color(" #2F6F5E ").unwrap(), "#2f6f5e");
        let error = parse_accent_color("red; background: url(x)").unwrap_err();
        assert_eq!(message(error), ("accent_color".into(), "Use a colour like #2f6f5e.".into()));
    }

    #[test]
    fn only_provider_and_staff_can_be_invited() {
        assert_eq!(message(parse_invited_role("owner").unwrap_err()).1, "Choose provider or staff.");
        assert_eq!(parse_invited_role("staff").unwrap(), Role::Staff);
    }
}
