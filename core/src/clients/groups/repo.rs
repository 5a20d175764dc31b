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

/// Which of a group's active members to read (by last name, first name, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberPage {
    First,
    /// The members after this client.
    After(Uuid),
    /// The members before this client.
    Before(Uuid),
}

/// Up to `limit` active members of a group from `page`, in name order, limited to one
/// provider's clients when `provider_id` is set. Each direction is its own statement, so the
/// cursor is an index condition (`clients_group_name`).
pub async fn members(
    conn: &mut PgConnection,
    org_id: Uuid,
    group_id: Uuid,
    provider_id: Option<Uuid>,
    page: MemberPage,
    limit: i64,
) -> Result<Vec<GroupMember>> {
    let members = match page {
        MemberPage::First => {
            sqlx::query_as!(
                GroupMember,
                "SELECT id, first_name, last_name, email FROM clients
                 WHERE group_id = $2 AND archived_at IS NULL AND org_id = $1
                   AND ($3::uuid IS NULL OR primary_provider_id = $3)
                 ORDER BY last_name, first_name, id LIMIT $4",
                org_id,
                group_id,
                provider_id,
                limit
            )
            .fetch_all(conn)
            .await?
        }
        MemberPage::After(cursor) => {
            sqlx::query_as!(
                GroupMember,
                "SELECT id, first_name, last_name, email FROM clients
                 WHERE group_id = $2 AND archived_at IS NULL AND org_id = $1
                   AND ($3::uuid IS NULL OR primary_provider_id = $3)
                   AND (last_name, first_name, id) >
                       (SELECT last_name, first_name, id FROM clients WHERE org_id = $1 AND id = $4)
                 ORDER BY last_name, first_name, id LIMIT $5",
                org_id,
                group_id,
                provider_id,
                cursor,
                limit
            )
            .fetch_all(conn)
            .await?
        }
        MemberPage::Before(cursor) => {
            let mut members = sqlx::query_as!(
                GroupMember,
                "SELECT id, first_name, last_name, email FROM clients
                 WHERE group_id = $2 AND archived_at IS NULL AND org_id = $1
                   AND ($3::uuid IS NULL OR primary_provider_id = $3)
                   AND (last_name, first_name, id) <
                       (SELECT last_name, first_name, id FROM clients WHERE org_id = $1 AND id = $4)
                 ORDER BY last_name DESC, first_name DESC, id DESC LIMIT $5",
                org_id,
                group_id,
                provider_id,
                cursor,
                limit
            )
            .fetch_all(conn)
            .await?;
            members.reverse();
            members
        }
    };
    Ok(members)
}

/// How many active members of a group the actor may see.
pub async fn count_members(
    conn: &mut PgConnection,
    org_id: Uuid,
    group_id: Uuid,
    provider_id: Option<Uuid>,
) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM clients
           WHERE group_id = $2 AND archived_at IS NULL AND org_id = $1
             AND ($3::uuid IS NULL OR primary_provider_id = $3)"#,
        org_id,
        group_id,
        provider_id
    )
    .fetch_one(conn)
    .await?)
}
