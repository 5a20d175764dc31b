//! Organizations and memberships in PostgreSQL.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    Actor, Result,
    orgs::{Permission, Role},
};

pub async fn slug_is_taken(conn: &mut PgConnection, slug: &str) -> Result<bool> {
    let taken = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM organizations WHERE slug = $1) AS "taken!""#,
        slug
    )
    .fetch_one(conn)
    .await?;
    Ok(taken)
}

pub async fn insert_organization(
    conn: &mut PgConnection,
    name: &str,
    slug: &str,
    time_zone: &str,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO organizations (id, name, slug, time_zone) VALUES ($1, $2, $3, $4)",
        id,
        name,
        slug,
        time_zone
    )
    .execute(conn)
    .await?;
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
    .await?;
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
    let row = sqlx::query!(
        r#"SELECT u.full_name, u.email, o.name AS org_name, o.slug AS org_slug, o.time_zone AS org_time_zone, m.role, m.permissions
           FROM memberships m
           JOIN users u ON u.id = m.user_id
           JOIN organizations o ON o.id = m.org_id
           WHERE m.user_id = $1 AND m.org_id = $2 AND u.auth_version = $3"#,
        user_id,
        org_id,
        auth_version
    )
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let role = row.role.parse::<Role>().map_err(anyhow::Error::msg)?;
    let permissions = row
        .permissions
        .iter()
        .filter_map(|p| p.parse::<Permission>().ok())
        .collect();
    Ok(Some(Actor {
        user_id,
        full_name: row.full_name,
        email: row.email,
        org_id,
        org_name: row.org_name,
        org_slug: row.org_slug,
        org_time_zone: row.org_time_zone,
        role,
        permissions,
    }))
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
