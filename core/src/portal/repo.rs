//! Loading the signed-in client.

use sqlx::PgConnection;
use uuid::Uuid;

use super::ClientActor;
use crate::{Result, clock::TimeZone};

/// The client behind a portal session, or `None` when the client is archived, belongs to
/// another practice, or the password changed since the session began. A test client holds
/// only while its member is still a member. The username shown is the login's own email.
pub async fn load_client_actor(
    conn: &mut PgConnection,
    client_id: Uuid,
    user_id: Uuid,
    org_slug: &str,
    auth_version: i32,
) -> Result<Option<ClientActor>> {
    let actor = sqlx::query_as!(
        ClientActor,
        r#"SELECT c.id AS client_id, u.id AS user_id, c.org_id, c.first_name, c.last_name, u.email AS "email?", c.phone,
                  c.time_zone AS "time_zone: TimeZone", pu.full_name AS "provider_name?", c.is_test
           FROM clients c
           JOIN organizations o ON o.id = c.org_id
           JOIN users u ON u.id = c.user_id
           LEFT JOIN memberships m ON m.id = c.primary_provider_id
           LEFT JOIN users pu ON pu.id = m.user_id
           WHERE c.id = $1 AND u.id = $2 AND o.slug = $3 AND u.auth_version = $4 AND c.archived_at IS NULL
             AND (NOT c.is_test OR EXISTS (SELECT 1 FROM memberships tm WHERE tm.org_id = c.org_id AND tm.user_id = u.id))"#,
        client_id,
        user_id,
        org_slug,
        auth_version
    )
    .fetch_optional(conn)
    .await?;
    Ok(actor)
}
