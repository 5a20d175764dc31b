//! Loading the signed-in client.

use sqlx::PgConnection;
use uuid::Uuid;

use super::{ClientActor, ClientCaller};
use crate::Result;

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
    let caller = sqlx::query_scalar!(
        r#"SELECT to_jsonb(cc) AS "caller!" FROM client_callers cc
           WHERE cc.client_id = $1 AND cc.user_id = $2 AND cc.org_slug = $3 AND cc.auth_version = $4"#,
        client_id,
        user_id,
        org_slug,
        auth_version
    )
    .fetch_optional(conn)
    .await?;
    let caller: Option<ClientCaller> = caller.map(serde_json::from_value).transpose().map_err(anyhow::Error::from)?;
    caller.map(ClientCaller::into_actor).transpose()
}
