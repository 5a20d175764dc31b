//! Organizations and memberships in PostgreSQL.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    Actor, Result,
    actor::MemberCaller,
    clock::TimeZone,
    orgs::{Permission, Role},
};

pub async fn slug_is_taken(conn: &mut PgConnection, slug: &str) -> Result<bool> {
    let taken = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM organizations WHERE slug = $1) AS "taken!""#, slug)
        .fetch_one(conn)
        .await?;
    Ok(taken)
}

pub async fn insert_organization(conn: &mut PgConnection, name: &str, slug: &str, time_zone: TimeZone) -> Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO organizations (id, name, slug, time_zone) VALUES ($1, $2, $3, $4)",
        id,
        name,
        slug,
        time_zone as TimeZone
    )
    .execute(conn)
    .await
    .map_err(|e| match crate::error::violated_constraint(&e) {
        Some("organizations_slug_key") => crate::Error::Conflict("address taken".into()),
        _ => crate::Error::from(e),
    })?;
    Ok(id)
}

pub async fn insert_membership(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    role: Role,
    permissions: &[Permission],
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    let permissions: Vec<String> = permissions.iter().map(|p| p.as_str().to_owned()).collect();
    sqlx::query!(
        "INSERT INTO memberships (id, org_id, user_id, role, permissions) VALUES ($1, $2, $3, $4, $5)",
        id,
        org_id,
        user_id,
        role.as_str(),
        &permissions
    )
    .execute(conn)
    .await
    .map_err(|e| match crate::error::violated_constraint(&e) {
        Some("memberships_org_id_user_id_key") => crate::Error::Conflict("already a member".into()),
        _ => crate::Error::from(e),
    })?;
    Ok(id)
}

/// The member behind a session, or `None` when the membership is gone or the password
/// changed since the session began.
pub async fn load_actor(
    conn: &mut PgConnection,
    user_id: Uuid,
    org_id: Uuid,
    auth_version: i32,
) -> Result<Option<Actor>> {
    let caller = sqlx::query_scalar!(
        r#"SELECT to_jsonb(mc) AS "caller!" FROM member_callers mc
           WHERE mc.user_id = $1 AND mc.org_id = $2 AND mc.auth_version = $3"#,
        user_id,
        org_id,
        auth_version
    )
    .fetch_optional(conn)
    .await?;
    let caller: Option<MemberCaller> = caller.map(serde_json::from_value).transpose().map_err(anyhow::Error::from)?;
    caller.map(MemberCaller::into_actor).transpose()
}

/// The organization a person signs in to: their oldest membership.
pub async fn first_org_of_user(conn: &mut PgConnection, user_id: Uuid) -> Result<Option<Uuid>> {
    let org_id = sqlx::query_scalar!(
        "SELECT org_id FROM memberships WHERE user_id = $1 ORDER BY created_at, id LIMIT 1",
        user_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(org_id)
}

/// A practice a person belongs to, for choosing where to work.
pub struct PracticeOfUser {
    pub org_id: Uuid,
    pub name: String,
    pub role: String,
}

/// Every practice of a person, oldest membership first.
pub async fn practices_of_user(conn: &mut PgConnection, user_id: Uuid) -> Result<Vec<PracticeOfUser>> {
    let practices = sqlx::query_as!(
        PracticeOfUser,
        "SELECT o.id AS org_id, o.name, m.role FROM memberships m JOIN organizations o ON o.id = m.org_id
         WHERE m.user_id = $1 ORDER BY m.created_at, m.id",
        user_id
    )
    .fetch_all(conn)
    .await?;
    Ok(practices)
}

/// Is this membership an owner or provider of the practice (someone clients can be assigned to)?
pub async fn is_provider(conn: &mut PgConnection, org_id: Uuid, membership_id: Uuid) -> Result<bool> {
    let found = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM memberships WHERE org_id = $1 AND id = $2 AND role IN ('owner', 'provider')) AS "found!""#,
        org_id,
        membership_id
    )
    .fetch_one(conn)
    .await?;
    Ok(found)
}

pub struct MemberRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub role: String,
    pub permissions: Vec<String>,
}

pub async fn list_members(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<MemberRow>> {
    let rows = sqlx::query_as!(
        MemberRow,
        "SELECT m.id, m.user_id, u.full_name, u.email, m.role, m.permissions
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.org_id = $1
         ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'provider' THEN 1 ELSE 2 END, u.full_name, m.id",
        org_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn member_role(conn: &mut PgConnection, org_id: Uuid, membership_id: Uuid) -> Result<Role> {
    let role = sqlx::query_scalar!("SELECT role FROM memberships WHERE org_id = $1 AND id = $2", org_id, membership_id)
        .fetch_one(conn)
        .await?;
    role.parse().map_err(|e: String| anyhow::Error::msg(e).into())
}

pub async fn set_permission(
    conn: &mut PgConnection,
    org_id: Uuid,
    membership_id: Uuid,
    permission: Permission,
    enabled: bool,
) -> Result<()> {
    sqlx::query!(
        "UPDATE memberships
         SET permissions = CASE WHEN $4 THEN array_append(array_remove(permissions, $3), $3)
                                ELSE array_remove(permissions, $3) END
         WHERE org_id = $1 AND id = $2",
        org_id,
        membership_id,
        permission.as_str(),
        enabled
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes a membership: the member's sessions fail their next check at once.
pub async fn delete_membership(conn: &mut PgConnection, org_id: Uuid, membership_id: Uuid) -> Result<()> {
    sqlx::query!("DELETE FROM memberships WHERE org_id = $1 AND id = $2", org_id, membership_id).execute(conn).await?;
    Ok(())
}

pub async fn is_member_email(conn: &mut PgConnection, org_id: Uuid, email: &str) -> Result<bool> {
    let found = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
                          WHERE m.org_id = $1 AND u.email = $2) AS "found!""#,
        org_id,
        email
    )
    .fetch_one(conn)
    .await?;
    Ok(found)
}

pub struct InvitationRow {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

pub async fn open_invitations(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<InvitationRow>> {
    let rows = sqlx::query_as!(
        InvitationRow,
        "SELECT id, email, role, expires_at FROM member_invitations
         WHERE org_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
         ORDER BY created_at DESC",
        org_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// A member invitation about to be written.
pub struct NewInvitation<'a> {
    pub org_id: Uuid,
    pub email: &'a str,
    pub role: Role,
    pub permissions: &'a [Permission],
    pub token_digest: &'a [u8],
    pub invited_by: Uuid,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert_invitation(conn: &mut PgConnection, invitation: &NewInvitation<'_>) -> Result<Uuid> {
    let id = Uuid::new_v4();
    let NewInvitation { org_id, email, role, permissions, token_digest, invited_by, expires_at } = *invitation;
    let permissions: Vec<String> = permissions.iter().map(|p| p.as_str().to_owned()).collect();
    sqlx::query!(
        "INSERT INTO member_invitations (id, org_id, email, role, permissions, token_hash, invited_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        id,
        org_id,
        email,
        role.as_str(),
        &permissions,
        token_digest,
        invited_by,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Revokes an open invitation; returns its email and role, or `NotFound`.
pub async fn revoke_invitation(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<(String, String)> {
    let row = sqlx::query!(
        "UPDATE member_invitations SET revoked_at = now()
         WHERE org_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL
         RETURNING email, role",
        org_id,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok((row.email, row.role))
}

pub struct AcceptableInvitation {
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub role: String,
    pub permissions: Vec<String>,
    pub org_time_zone: TimeZone,
}

pub async fn take_invitation(
    conn: &mut PgConnection,
    token_digest: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<AcceptableInvitation>> {
    let row = sqlx::query_as!(
        AcceptableInvitation,
        r#"SELECT i.id, i.org_id, i.email, i.role, i.permissions, o.time_zone AS "org_time_zone: TimeZone"
           FROM member_invitations i JOIN organizations o ON o.id = i.org_id
           WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2
           FOR UPDATE OF i"#,
        token_digest,
        now
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

pub async fn mark_invitation_accepted(conn: &mut PgConnection, id: Uuid) -> Result<()> {
    sqlx::query!("UPDATE member_invitations SET accepted_at = now() WHERE id = $1", id).execute(conn).await?;
    Ok(())
}

/// Name, slug, accent colour and whether a logo is set: what the portal shows.
pub struct Brand {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub accent_color: String,
    pub has_logo: bool,
    pub time_zone: TimeZone,
}

pub async fn brand_by_slug(conn: &mut PgConnection, slug: &str) -> Result<Brand> {
    let brand = sqlx::query_as!(
        Brand,
        r#"SELECT id, name, slug, accent_color, logo IS NOT NULL AS "has_logo!",
                  time_zone AS "time_zone: TimeZone"
           FROM organizations WHERE slug = $1"#,
        slug
    )
    .fetch_one(conn)
    .await?;
    Ok(brand)
}

pub async fn logo_by_slug(conn: &mut PgConnection, slug: &str) -> Result<Option<(Vec<u8>, String)>> {
    let row =
        sqlx::query!("SELECT logo, logo_content_type FROM organizations WHERE slug = $1", slug).fetch_one(conn).await?;
    Ok(row.logo.zip(row.logo_content_type))
}

pub async fn set_logo(
    conn: &mut PgConnection,
    org_id: Uuid,
    bytes: &[u8],
    content_type: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query!(
        "UPDATE organizations SET logo = $2, logo_content_type = $3, logo_updated_at = $4 WHERE id = $1",
        org_id,
        bytes,
        content_type,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_accent_color(conn: &mut PgConnection, org_id: Uuid, color: &str) -> Result<()> {
    sqlx::query!("UPDATE organizations SET accent_color = $2 WHERE id = $1", org_id, color).execute(conn).await?;
    Ok(())
}
