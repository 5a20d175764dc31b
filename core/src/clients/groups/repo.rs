//! Client groups in PostgreSQL.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{Error, FieldErrors, Result, error::violated_constraint};

fn name_taken(error: sqlx::Error) -> Error {
    match violated_constraint(&error) {
        Some("client_groups_name") => FieldErrors::single("name", "Another group already has this name."),
        _ => Error::from(error),
    }
}

pub async fn insert(conn: &mut PgConnection, org_id: Uuid, name: &str) -> Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!("INSERT INTO client_groups (id, org_id, name) VALUES ($1, $2, $3)", id, org_id, name)
        .execute(conn)
        .await
        .map_err(name_taken)?;
    Ok(id)
}

pub async fn rename(conn: &mut PgConnection, org_id: Uuid, id: Uuid, name: &str) -> Result<()> {
    let updated = sqlx::query!("UPDATE client_groups SET name = $3 WHERE org_id = $1 AND id = $2", org_id, id, name)
        .execute(conn)
        .await
        .map_err(name_taken)?;
    if updated.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

/// Deletes a group; its clients simply leave it (the foreign key sets their group to none).
pub async fn delete(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<()> {
    let deleted =
        sqlx::query!("DELETE FROM client_groups WHERE org_id = $1 AND id = $2", org_id, id).execute(conn).await?;
    if deleted.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub struct GroupSummary {
    pub id: Uuid,
    pub name: String,
    pub client_count: i64,
}

/// Groups with how many active, real clients each holds, counting only one provider's
/// clients when `provider_id` is set.
pub async fn list(conn: &mut PgConnection, org_id: Uuid, provider_id: Option<Uuid>) -> Result<Vec<GroupSummary>> {
    let groups = sqlx::query_as!(
        GroupSummary,
        r#"SELECT g.id, g.name,
                  count(c.id) FILTER (
                      WHERE c.archived_at IS NULL AND NOT c.is_test
                        AND ($2::uuid IS NULL OR c.primary_provider_id = $2)
                  ) AS "client_count!"
           FROM client_groups g LEFT JOIN clients c ON c.group_id = g.id AND c.org_id = g.org_id
           WHERE g.org_id = $1
           GROUP BY g.id
           ORDER BY lower(g.name)"#,
        org_id,
        provider_id
    )
    .fetch_all(conn)
    .await?;
    Ok(groups)
}

pub async fn name_of(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<String> {
    let name = sqlx::query_scalar!("SELECT name FROM client_groups WHERE org_id = $1 AND id = $2", org_id, id)
        .fetch_one(conn)
        .await?;
    Ok(name)
}

pub struct GroupMember {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
}

/// Active clients in a group, limited to one provider's when `provider_id` is set.
pub async fn members(
    conn: &mut PgConnection,
    org_id: Uuid,
    group_id: Uuid,
    provider_id: Option<Uuid>,
) -> Result<Vec<GroupMember>> {
    let members = sqlx::query_as!(
        GroupMember,
        "SELECT id, first_name, last_name, email FROM clients
         WHERE org_id = $1 AND group_id = $2 AND archived_at IS NULL
           AND ($3::uuid IS NULL OR primary_provider_id = $3)
         ORDER BY last_name, first_name, id",
        org_id,
        group_id,
        provider_id
    )
    .fetch_all(conn)
    .await?;
    Ok(members)
}
