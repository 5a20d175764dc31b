//! Client groups: a named set of clients (a client is in at most one), used to enroll many
//! clients at once in later features.

pub mod repo;

use uuid::Uuid;

use super::{repo as clients, service};
use crate::{Actor, Error, FieldErrors, Result};

fn parse_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() {
        Err(FieldErrors::single("name", "Enter a name for the group."))
    } else if name.chars().count() > 80 {
        Err(FieldErrors::single("name", "Use at most 80 characters."))
    } else {
        Ok(name.to_owned())
    }
}

pub async fn create(conn: &mut sqlx::PgConnection, actor: &Actor, name: &str) -> Result<Uuid> {
    let name = parse_name(name)?;
    repo::insert(conn, actor.org_id, &name).await
}

pub async fn rename(conn: &mut sqlx::PgConnection, actor: &Actor, id: Uuid, name: &str) -> Result<()> {
    let name = parse_name(name)?;
    repo::rename(conn, actor.org_id, id, &name).await
}

pub async fn delete(conn: &mut sqlx::PgConnection, actor: &Actor, id: Uuid) -> Result<()> {
    repo::delete(conn, actor.org_id, id).await
}

/// Puts a client in `group_id` (taking them out of any other), or in no group.
pub async fn place_client(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    client_id: Uuid,
    group_id: Option<Uuid>,
) -> Result<()> {
    if let Some(group_id) = group_id {
        repo::name_of(conn, actor.org_id, group_id).await?;
    }
    service::visible_client(conn, actor, client_id).await?;
    clients::set_group(conn, actor.org_id, client_id, group_id).await
}

/// Takes a client out of `group_id`; `NotFound` when they are not in it.
pub async fn remove_client(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    group_id: Uuid,
    client_id: Uuid,
) -> Result<()> {
    let client = service::visible_client(conn, actor, client_id).await?;
    if client.group_id != Some(group_id) {
        return Err(Error::NotFound);
    }
    clients::set_group(conn, actor.org_id, client_id, None).await
}
