//! Clients and their portal invitations in PostgreSQL. Every query is scoped by `org_id`.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::ClientDetails;
use crate::{Error, FieldErrors, Result, clock::TimeZone, error::violated_constraint};

pub const EMAIL_TAKEN: &str = "Another client of this practice already uses this email.";

fn email_taken(error: sqlx::Error) -> Error {
    match violated_constraint(&error) {
        Some("clients_org_email") => FieldErrors::single("email", EMAIL_TAKEN),
        Some("clients_one_test_client") => Error::Conflict("You already have a test client.".into()),
        _ => Error::from(error),
    }
}

pub async fn insert_client(
    conn: &mut PgConnection,
    org_id: Uuid,
    details: &ClientDetails,
    is_test: bool,
    user_id: Option<Uuid>,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO clients (id, org_id, first_name, last_name, email, phone, date_of_birth, time_zone,
                              primary_provider_id, is_test, user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        id,
        org_id,
        details.first_name.as_str(),
        details.last_name.as_str(),
        details.email.as_ref().map(|e| e.as_str()),
        details.phone,
        details.date_of_birth,
        details.time_zone.name(),
        details.primary_provider_id,
        is_test,
        user_id
    )
    .execute(conn)
    .await
    .map_err(email_taken)?;
    Ok(id)
}

pub async fn update_client(conn: &mut PgConnection, org_id: Uuid, id: Uuid, details: &ClientDetails) -> Result<()> {
    let updated = sqlx::query!(
        "UPDATE clients SET first_name = $3, last_name = $4, email = $5, phone = $6, date_of_birth = $7,
                time_zone = $8, primary_provider_id = $9
         WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        details.first_name.as_str(),
        details.last_name.as_str(),
        details.email.as_ref().map(|e| e.as_str()),
        details.phone,
        details.date_of_birth,
        details.time_zone.name(),
        details.primary_provider_id
    )
    .execute(conn)
    .await
    .map_err(email_taken)?;
    if updated.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

/// What a list needs: which page of whose clients matching what.
pub struct ClientQuery<'a> {
    pub org_id: Uuid,
    /// `Some` limits the list to one provider's clients.
    pub provider_id: Option<Uuid>,
    pub archived: bool,
    /// An `ILIKE` pattern over name and email; `None` matches everyone.
    pub pattern: Option<&'a str>,
    pub limit: i64,
    pub start: PageStart,
}

/// Where a page starts in name order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStart {
    /// Skip this many rows (the first page, and old links by page number).
    Offset(i64),
    /// Right after this client (the next page): the index is entered there, not counted to.
    After(Uuid),
    /// Right before this client (the previous page).
    Before(Uuid),
}

pub struct ClientRow {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub is_test: bool,
    pub has_login: bool,
    pub provider_name: Option<String>,
    pub group_name: Option<String>,
}

/// One page of ids in name order and the counts (all, for paging; real ones, for showing: test
/// clients are never counted).
pub async fn page_and_counts(conn: &mut PgConnection, query: &ClientQuery<'_>) -> Result<(Vec<Uuid>, i64, i64)> {
    match query.pattern {
        Some(pattern) => search_page(conn, query, pattern).await,
        None => {
            let ids = page_ids(conn, query).await?;
            let (all, real) = count_clients(conn, query).await?;
            Ok((ids, all, real))
        }
    }
}

/// A search's page (by number: it counts its matches anyway) and its counts, in one statement.
/// The page walks the name index and stops at its last match, fast for common terms; the count
/// reads the matches once. Each half keeps the plan it had as a statement of its own: folding
/// the count into the page's rows was measured slower on 10,000 clients (`count(*) OVER ()`
/// sorts every match, 20 ms for "chen"; a materialized CTE of the matches cannot stop at the
/// page's last match, 18 ms for "ann" against under 3 ms). As one statement, one round trip
/// less: 3.0-3.4 ms against 4.0-4.4 for "chen", 1.3 against 1.4-1.6 for "ann" (pgbench).
async fn search_page(conn: &mut PgConnection, query: &ClientQuery<'_>, pattern: &str) -> Result<(Vec<Uuid>, i64, i64)> {
    // A search pages by number only (the service never gives it a client to start from).
    let offset = match query.start {
        PageStart::Offset(offset) => offset,
        PageStart::After(_) | PageStart::Before(_) => 0,
    };
    let row = sqlx::query!(
        r#"SELECT ARRAY(SELECT id FROM clients
                        WHERE org_id = $1 AND ($2::uuid IS NULL OR primary_provider_id = $2)
                          AND (archived_at IS NOT NULL) = $3
                          AND (first_name || ' ' || last_name || ' ' || coalesce(email, '')) ILIKE $4
                        ORDER BY last_name, first_name, id
                        LIMIT $5 OFFSET $6) AS "ids!",
                  count(*) AS "all!", count(*) FILTER (WHERE NOT is_test) AS "real!"
           FROM clients
           WHERE org_id = $1 AND ($2::uuid IS NULL OR primary_provider_id = $2) AND (archived_at IS NOT NULL) = $3
             AND (first_name || ' ' || last_name || ' ' || coalesce(email, '')) ILIKE $4"#,
        query.org_id,
        query.provider_id,
        query.archived,
        pattern,
        query.limit,
        offset
    )
    .fetch_one(conn)
    .await?;
    Ok((row.ids, row.all, row.real))
}

/// The ids of one page of the whole list in name order: by number (OFFSET), or next to a client
/// seen (keyset, read from the `(org_id, last_name, first_name, id)` index there).
async fn page_ids(conn: &mut PgConnection, query: &ClientQuery<'_>) -> Result<Vec<Uuid>> {
    let offset = match query.start {
        PageStart::Offset(offset) => offset,
        PageStart::After(id) => return ids_after(conn, query, id).await,
        PageStart::Before(id) => return ids_before(conn, query, id).await,
    };
    let ids = sqlx::query_scalar!(
        "SELECT id FROM clients
         WHERE org_id = $1 AND ($2::uuid IS NULL OR primary_provider_id = $2) AND (archived_at IS NOT NULL) = $3
         ORDER BY last_name, first_name, id
         LIMIT $4 OFFSET $5",
        query.org_id,
        query.provider_id,
        query.archived,
        query.limit,
        offset
    )
    .fetch_all(conn)
    .await?;
    Ok(ids)
}

/// The page just after `client` in name order, read from it in the index.
async fn ids_after(conn: &mut PgConnection, query: &ClientQuery<'_>, client: Uuid) -> Result<Vec<Uuid>> {
    let ids = sqlx::query_scalar!(
        "SELECT id FROM clients
         WHERE org_id = $1 AND ($2::uuid IS NULL OR primary_provider_id = $2) AND (archived_at IS NOT NULL) = $3
           AND (last_name, first_name, id) > (SELECT last_name, first_name, id FROM clients WHERE org_id = $1 AND id = $5)
         ORDER BY last_name, first_name, id
         LIMIT $4",
        query.org_id,
        query.provider_id,
        query.archived,
        query.limit,
        client
    )
    .fetch_all(conn)
    .await?;
    Ok(ids)
}

/// The page just before `client` in name order, read backwards from it in the index.
async fn ids_before(conn: &mut PgConnection, query: &ClientQuery<'_>, client: Uuid) -> Result<Vec<Uuid>> {
    let mut ids = sqlx::query_scalar!(
        "SELECT id FROM clients
         WHERE org_id = $1 AND ($2::uuid IS NULL OR primary_provider_id = $2) AND (archived_at IS NOT NULL) = $3
           AND (last_name, first_name, id) < (SELECT last_name, first_name, id FROM clients WHERE org_id = $1 AND id = $5)
         ORDER BY last_name DESC, first_name DESC, id DESC
         LIMIT $4",
        query.org_id,
        query.provider_id,
        query.archived,
        query.limit,
        client
    )
    .fetch_all(conn)
    .await?;
    ids.reverse();
    Ok(ids)
}

/// The list's rows for `ids`, in name order, with provider and group names.
pub async fn rows_of(conn: &mut PgConnection, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<ClientRow>> {
    let rows = sqlx::query_as!(
        ClientRow,
        r#"SELECT c.id, c.first_name, c.last_name, c.email, c.is_test,
                  c.user_id IS NOT NULL AS "has_login!",
                  u.full_name AS "provider_name?", g.name AS "group_name?"
           FROM clients c
           LEFT JOIN memberships m ON m.id = c.primary_provider_id
           LEFT JOIN users u ON u.id = m.user_id
           LEFT JOIN client_groups g ON g.id = c.group_id
           WHERE c.org_id = $1 AND c.id = ANY($2)
           ORDER BY c.last_name, c.first_name, c.id"#,
        org_id,
        ids
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// How many clients the whole list has, all and real ones: kept up to date by the
/// `clients_count` trigger, so a handful of rows is read, not the whole list.
async fn count_clients(conn: &mut PgConnection, query: &ClientQuery<'_>) -> Result<(i64, i64)> {
    let row = sqlx::query!(
        r#"SELECT coalesce(sum(n), 0)::bigint AS "all!",
                  coalesce(sum(n) FILTER (WHERE NOT is_test), 0)::bigint AS "real!"
           FROM client_counts
           WHERE org_id = $1 AND ($2::uuid IS NULL OR provider_id = $2) AND archived = $3"#,
        query.org_id,
        query.provider_id,
        query.archived
    )
    .fetch_one(conn)
    .await?;
    Ok((row.all, row.real))
}

pub struct ClientRecord {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub time_zone: TimeZone,
    pub primary_provider_id: Option<Uuid>,
    pub provider_name: Option<String>,
    pub group_id: Option<Uuid>,
    pub group_name: Option<String>,
    pub user_id: Option<Uuid>,
    pub is_test: bool,
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// When the newest unaccepted, unrevoked portal invitation expires.
    pub invitation_expires_at: Option<DateTime<Utc>>,
}

pub async fn get_client(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<ClientRecord> {
    let record = sqlx::query_as!(
        ClientRecord,
        r#"SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.date_of_birth,
                  c.time_zone AS "time_zone: TimeZone", c.primary_provider_id, u.full_name AS "provider_name?", c.group_id, g.name AS "group_name?",
                  c.user_id, c.is_test, c.archived_at, c.created_at,
                  (SELECT max(i.expires_at) FROM client_invitations i
                    WHERE i.client_id = c.id AND i.accepted_at IS NULL AND i.revoked_at IS NULL) AS invitation_expires_at
           FROM clients c
           LEFT JOIN memberships m ON m.id = c.primary_provider_id
           LEFT JOIN users u ON u.id = m.user_id
           LEFT JOIN client_groups g ON g.id = c.group_id
           WHERE c.org_id = $1 AND c.id = $2"#,
        org_id,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(record)
}

pub async fn set_archived(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    archived: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let updated = sqlx::query!(
        "UPDATE clients SET archived_at = CASE WHEN $3 THEN coalesce(archived_at, $4) ELSE NULL END
         WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        archived,
        now
    )
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

/// Puts a client in a group (or none), noting when they joined it: a program enrolled through
/// the group may start newcomers on that day.
pub async fn set_group(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    group_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<()> {
    let updated = sqlx::query!(
        "UPDATE clients SET group_id = $3,
                group_joined_at = CASE WHEN group_id IS NOT DISTINCT FROM $3 THEN group_joined_at ELSE $4 END
         WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        group_id,
        now
    )
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub async fn find_test_client(conn: &mut PgConnection, org_id: Uuid, user_id: Uuid) -> Result<Option<Uuid>> {
    let id = sqlx::query_scalar!(
        "SELECT id FROM clients WHERE org_id = $1 AND user_id = $2 AND is_test ORDER BY created_at LIMIT 1",
        org_id,
        user_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(id)
}

pub async fn link_login(conn: &mut PgConnection, org_id: Uuid, id: Uuid, user_id: Uuid) -> Result<()> {
    sqlx::query!("UPDATE clients SET user_id = $3 WHERE org_id = $1 AND id = $2", org_id, id, user_id)
        .execute(conn)
        .await
        .map_err(|e| match violated_constraint(&e) {
            Some("clients_one_login") => {
                Error::Conflict("This login already belongs to another client of this practice.".into())
            }
            _ => Error::from(e),
        })?;
    Ok(())
}

pub async fn revoke_open_invitations(conn: &mut PgConnection, org_id: Uuid, client_id: Uuid) -> Result<()> {
    sqlx::query!(
        "UPDATE client_invitations SET revoked_at = now()
         WHERE org_id = $1 AND client_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
        org_id,
        client_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_invitation(
    conn: &mut PgConnection,
    org_id: Uuid,
    client_id: Uuid,
    email: &str,
    token_digest: &[u8],
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO client_invitations (id, org_id, client_id, email, token_hash, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        Uuid::new_v4(),
        org_id,
        client_id,
        email,
        token_digest,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct OpenInvitation {
    pub id: Uuid,
    pub org_id: Uuid,
    pub client_id: Uuid,
    /// The address the invitation went to, still the client's address.
    pub email: String,
}

/// A usable invitation for the practice `org_slug`, locked until the transaction ends. It is
/// usable only while the client's email is still the address it was sent to.
pub async fn take_invitation(
    conn: &mut PgConnection,
    org_slug: &str,
    token_digest: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<OpenInvitation>> {
    let invitation = sqlx::query_as!(
        OpenInvitation,
        r#"SELECT i.id, i.org_id, i.client_id, i.email AS "email!" FROM client_invitations i
           JOIN organizations o ON o.id = i.org_id
           JOIN clients c ON c.id = i.client_id
           WHERE o.slug = $1 AND i.token_hash = $2 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
             AND i.expires_at > $3 AND c.archived_at IS NULL AND NOT c.is_test AND c.email = i.email
           FOR UPDATE OF i"#,
        org_slug,
        token_digest,
        now
    )
    .fetch_optional(conn)
    .await?;
    Ok(invitation)
}

pub async fn mark_invitation_accepted(conn: &mut PgConnection, id: Uuid) -> Result<()> {
    sqlx::query!("UPDATE client_invitations SET accepted_at = now() WHERE id = $1", id).execute(conn).await?;
    Ok(())
}

/// The active client of a practice with this login, for portal log-in.
pub async fn client_of_login(conn: &mut PgConnection, org_slug: &str, user_id: Uuid) -> Result<Option<(Uuid, Uuid)>> {
    let row = sqlx::query!(
        "SELECT c.id, c.org_id FROM clients c JOIN organizations o ON o.id = c.org_id
         WHERE o.slug = $1 AND c.user_id = $2 AND c.archived_at IS NULL AND NOT c.is_test",
        org_slug,
        user_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.org_id)))
}

/// The portal login with this email (the login's own address, never the client record's,
/// which members can edit) of an active client of a practice.
pub async fn login_of_client_email(
    conn: &mut PgConnection,
    org_slug: &str,
    email: &str,
) -> Result<Option<(Uuid, Uuid)>> {
    let row = sqlx::query!(
        r#"SELECT u.id AS user_id, c.org_id FROM clients c
           JOIN organizations o ON o.id = c.org_id
           JOIN users u ON u.id = c.user_id
           WHERE o.slug = $1 AND u.email = $2 AND c.archived_at IS NULL AND NOT c.is_test"#,
        org_slug,
        email
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.user_id, r.org_id)))
}

pub async fn update_contact(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    phone: Option<&str>,
    time_zone: &str,
) -> Result<()> {
    sqlx::query!(
        "UPDATE clients SET phone = $3, time_zone = $4 WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        phone,
        time_zone
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The client of `org_id` with this (lower-case) address, if any.
pub struct ClientByEmail {
    pub id: Uuid,
    pub first_name: String,
    /// A portal login they can use: linked, and the client not archived.
    pub can_log_in: bool,
}

pub async fn client_by_email(conn: &mut PgConnection, org_id: Uuid, email: &str) -> Result<Option<ClientByEmail>> {
    Ok(sqlx::query_as!(
        ClientByEmail,
        r#"SELECT id, first_name, (user_id IS NOT NULL AND archived_at IS NULL) AS "can_log_in!"
           FROM clients WHERE org_id = $1 AND email = $2"#,
        org_id,
        email
    )
    .fetch_optional(conn)
    .await?)
}
