//! Client use cases: add, edit, list, archive, portal invitations, and the test client.

use chrono::Duration;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{ClientDetails, ClientForm, like_pattern, policy, repo};
use crate::{
    Actor, Context, Error, FieldErrors, Result,
    auth::{self, repo as users},
    email::{self, templates},
    fields::PersonName,
    orgs::{self, Role},
    tokens,
};

pub const PAGE_SIZE: i64 = 25;
pub const INVITATION_LIFETIME_DAYS: i64 = 7;

/// Parses the form and checks the chosen provider belongs to the practice. A provider who
/// picks nobody becomes the client's provider.
async fn details_for(
    ctx: &Context,
    conn: &mut PgConnection,
    actor: &Actor,
    form: &ClientForm,
) -> Result<ClientDetails> {
    let mut details = form.parse(actor.org_time_zone.date_at(ctx.now()))?;
    match details.primary_provider_id {
        Some(id) if !orgs::repo::is_provider(conn, actor.org_id, id).await? => {
            return Err(FieldErrors::single("primary_provider_id", "Choose a provider from the list."));
        }
        None if actor.role != Role::Staff => details.primary_provider_id = Some(actor.membership_id),
        _ => {}
    }
    Ok(details)
}

pub async fn add_client(ctx: &Context, actor: &Actor, form: &ClientForm) -> Result<Uuid> {
    let mut tx = ctx.pool.begin().await?;
    let details = details_for(ctx, &mut tx, actor, form).await?;
    let id = repo::insert_client(&mut tx, actor.org_id, &details, false, None)
        .await
        .map_err(|error| hide_clients_out_of_sight(actor, error))?;
    tx.commit().await?;
    Ok(id)
}

/// "Another client uses this email" would tell a member who sees only their own clients that
/// someone else's client exists under that address: they get words that say nothing about it.
fn hide_clients_out_of_sight(actor: &Actor, error: Error) -> Error {
    match error {
        Error::Validation(fields)
            if !actor.can(orgs::Permission::SeeAllClients)
                && fields.0.iter().any(|(field, message)| field == "email" && message == repo::EMAIL_TAKEN) =>
        {
            FieldErrors::single(
                "email",
                "This email cannot be used here. Check it, or ask a colleague who can see all clients.",
            )
        }
        other => other,
    }
}

/// A client the actor may see, or `NotFound` (never "forbidden": that would confirm it exists).
pub async fn get_client(ctx: &Context, actor: &Actor, id: Uuid) -> Result<repo::ClientRecord> {
    let mut conn = ctx.pool.acquire().await?;
    visible_client(&mut conn, actor, id).await
}

/// [`get_client`] inside the caller's transaction.
pub async fn visible_client(conn: &mut PgConnection, actor: &Actor, id: Uuid) -> Result<repo::ClientRecord> {
    let client = repo::get_client(conn, actor.org_id, id).await?;
    if policy::can_see(actor, client.primary_provider_id) { Ok(client) } else { Err(Error::NotFound) }
}

pub async fn update_client(ctx: &Context, actor: &Actor, id: Uuid, form: &ClientForm) -> Result<()> {
    let mut tx = ctx.pool.begin().await?;
    let before = visible_client(&mut tx, actor, id).await?;
    let details = details_for(ctx, &mut tx, actor, form).await?;
    if before.is_test && details.email.is_some() {
        return Err(FieldErrors::single("email", "A test client has no email: it uses your own login."));
    }
    repo::update_client(&mut tx, actor.org_id, id, &details)
        .await
        .map_err(|error| hide_clients_out_of_sight(actor, error))?;
    if before.email.as_deref() != details.email.as_ref().map(|e| e.as_str()) {
        // An invitation is for the address it was sent to.
        repo::revoke_open_invitations(&mut tx, actor.org_id, id).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn set_archived(ctx: &Context, actor: &Actor, id: Uuid, archived: bool) -> Result<()> {
    let mut tx = ctx.pool.begin().await?;
    visible_client(&mut tx, actor, id).await?;
    repo::set_archived(&mut tx, actor.org_id, id, archived, ctx.now()).await?;
    if archived {
        repo::revoke_open_invitations(&mut tx, actor.org_id, id).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub struct ClientPage {
    pub rows: Vec<repo::ClientRow>,
    pub total: i64,
    pub page: i64,
    pub page_count: i64,
}

/// The longest search term used; the rest is ignored.
pub const MAX_SEARCH_CHARS: usize = 100;

/// Which page of the list to show: its number (shown on the page), and for the pages either
/// side of one already seen, the client next to it (keyset paging: a deep page costs what the
/// first one does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageAt {
    pub number: i64,
    pub start: Option<repo::PageStart>,
}

impl PageAt {
    pub fn number(number: i64) -> Self {
        Self { number, start: None }
    }
}

/// One page of the clients the actor may see, matching `search`. A page past the end (an old
/// link) gives the last page; a keyset page whose client is gone gives the page by number.
pub async fn list_clients(
    ctx: &Context,
    actor: &Actor,
    search: &str,
    archived: bool,
    at: PageAt,
) -> Result<ClientPage> {
    // Names and emails are shorter than this; a longer term only makes the search slower.
    let search: String = search.trim().chars().take(MAX_SEARCH_CHARS).collect();
    let pattern = (!search.is_empty()).then(|| like_pattern(&search));
    let mut page = at.number.clamp(1, 100_000);
    let by_number = |page: i64| repo::PageStart::Offset((page - 1) * PAGE_SIZE);
    let mut query = repo::ClientQuery {
        org_id: actor.org_id,
        provider_id: policy::visible_provider(actor),
        archived,
        pattern: pattern.as_deref(),
        limit: PAGE_SIZE,
        start: match at.start {
            Some(start) if pattern.is_none() && page > 1 => start,
            _ => by_number(page),
        },
    };
    let mut conn = ctx.pool.acquire().await?;
    let (mut ids, all, total) = repo::page_and_counts(&mut conn, &query).await?;
    let page_count = ((all + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    if ids.is_empty() && (page > page_count || !matches!(query.start, repo::PageStart::Offset(_))) {
        page = page.min(page_count);
        query.start = by_number(page);
        (ids, _, _) = repo::page_and_counts(&mut conn, &query).await?;
    }
    let rows = repo::rows_of(&mut conn, actor.org_id, &ids).await?;
    Ok(ClientPage { rows, total, page, page_count })
}

/// Emails the client a link to set a password for the portal; any earlier link stops working.
pub async fn invite_to_portal(ctx: &Context, actor: &Actor, id: Uuid) -> Result<()> {
    let mut tx = ctx.pool.begin().await?;
    let client = visible_client(&mut tx, actor, id).await?;
    let Some(email) = client.email.clone() else {
        return Err(Error::Conflict("Add an email address to this client before inviting them.".into()));
    };
    if client.archived_at.is_some() || client.is_test {
        return Err(Error::Conflict("Archived and test clients cannot be invited to the portal.".into()));
    }
    if client.user_id.is_some() {
        return Err(Error::Conflict("This client can already log in to the portal.".into()));
    }
    email::limit::spend(&mut tx, ctx, email::limit::Source::Member(actor.user_id), &email).await?;
    let invitation = Invitation {
        org_slug: &actor.org_slug,
        client_id: id,
        email: &email,
        first_name: &client.first_name,
        inviter: &actor.full_name,
        booked: None,
    };
    send_invitation(&mut tx, ctx, &invitation).await?;
    tx.commit().await?;
    Ok(())
}

/// A portal invitation about to be sent.
pub struct Invitation<'a> {
    pub org_slug: &'a str,
    pub client_id: Uuid,
    pub email: &'a str,
    pub first_name: &'a str,
    /// Who set the portal up, named in the email.
    pub inviter: &'a str,
    /// The appointment a new client just booked on the public page, when that is why.
    pub booked: Option<&'a str>,
}

/// Writes the invitation and its email in the caller's transaction; earlier links stop working.
/// The caller has spent `email::limit`.
pub async fn send_invitation(conn: &mut PgConnection, ctx: &Context, invitation: &Invitation<'_>) -> Result<()> {
    let brand = orgs::repo::brand_by_slug(conn, invitation.org_slug).await?;
    repo::revoke_open_invitations(conn, brand.id, invitation.client_id).await?;
    let token = tokens::generate();
    let expires_at = ctx.now() + Duration::days(INVITATION_LIFETIME_DAYS);
    repo::insert_invitation(
        conn,
        brand.id,
        invitation.client_id,
        invitation.email,
        &tokens::digest(&token),
        expires_at,
    )
    .await?;
    let link = ctx.settings.link(&format!("/p/{}/welcome?token={token}", invitation.org_slug));
    let message = templates::client_invitation(
        brand.id,
        invitation.email,
        invitation.first_name,
        &templates::EmailBrand::of(&brand, &ctx.settings),
        invitation.inviter,
        &link,
        invitation.booked,
    )?;
    email::enqueue(conn, ctx.now(), &message).await?;
    Ok(())
}

/// The client opens the emailed link and chooses a password: their portal login. Someone who
/// already has a Tend account under that address confirms it with its password instead: an
/// invitation never replaces an existing password.
pub async fn accept_portal_invitation(
    ctx: &Context,
    org_slug: &str,
    token: &str,
    password_input: &str,
    client_address: &str,
) -> Result<SignedInClient> {
    let digest = tokens::digest(token);
    let unusable = || {
        FieldErrors::single(
            "token",
            "This invitation has expired or was already used. Ask your provider to send a new one.",
        )
    };
    // The password is settled first, outside the transaction: argon2 must not hold a connection.
    let peeked = {
        let mut conn = ctx.pool.acquire().await?;
        match repo::take_invitation(&mut conn, org_slug, &digest, ctx.now()).await? {
            Some(invitation) => Some((
                invitation.email.clone(),
                repo::get_client(&mut conn, invitation.org_id, invitation.client_id).await?,
            )),
            None => None,
        }
    };
    let Some((email, client)) = peeked else { return Err(unusable()) };
    let full_name = format!("{} {}", client.first_name, client.last_name);
    let login = auth::service::invitee_login(ctx, &email, &full_name, password_input, client_address).await?;
    let mut tx = ctx.pool.begin().await?;
    let Some(invitation) = repo::take_invitation(&mut tx, org_slug, &digest, ctx.now()).await? else {
        return Err(unusable());
    };
    // The client's own zone lives on the client record; their login needs none.
    let (user_id, auth_version) = auth::service::create_invitee_login(&mut tx, &invitation.email, login, None).await?;
    repo::link_login(&mut tx, invitation.org_id, invitation.client_id, user_id).await?;
    repo::mark_invitation_accepted(&mut tx, invitation.id).await?;
    tx.commit().await?;
    Ok(SignedInClient { user_id, client_id: invitation.client_id, org_id: invitation.org_id, auth_version })
}

/// Enough to start a portal session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedInClient {
    pub user_id: Uuid,
    pub client_id: Uuid,
    pub org_id: Uuid,
    pub auth_version: i32,
}

/// The member's own test client (made on first use), tied to their login.
pub async fn test_client_of(ctx: &Context, actor: &Actor) -> Result<Uuid> {
    let mut tx = ctx.pool.begin().await?;
    if let Some(id) = repo::find_test_client(&mut tx, actor.org_id, actor.user_id).await? {
        return Ok(id);
    }
    let mut names = actor.full_name.split_whitespace();
    let first = names.next().unwrap_or("Test").to_owned();
    let last = names.collect::<Vec<_>>().join(" ");
    let details = ClientDetails {
        first_name: PersonName::parse(&first).map_err(anyhow::Error::msg)?,
        last_name: PersonName::parse(if last.is_empty() { "(test)" } else { &last }).map_err(anyhow::Error::msg)?,
        email: None,
        phone: None,
        date_of_birth: None,
        time_zone: actor.time_zone,
        primary_provider_id: Some(actor.membership_id),
    };
    match repo::insert_client(&mut tx, actor.org_id, &details, true, Some(actor.user_id)).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(id)
        }
        // A double click raced us to it: use the one that won.
        Err(Error::Conflict(_)) => {
            drop(tx);
            let mut conn = ctx.pool.acquire().await?;
            repo::find_test_client(&mut conn, actor.org_id, actor.user_id).await?.ok_or(Error::NotFound)
        }
        Err(other) => Err(other),
    }
}

/// Checks that `client_id` is the actor's own test client, for "open the portal as this client".
pub async fn own_test_client(ctx: &Context, actor: &Actor, client_id: Uuid) -> Result<SignedInClient> {
    let mut conn = ctx.pool.acquire().await?;
    let client = repo::get_client(&mut conn, actor.org_id, client_id).await?;
    if !client.is_test || client.user_id != Some(actor.user_id) || client.archived_at.is_some() {
        return Err(Error::NotFound);
    }
    let auth_version = users::auth_version(&mut conn, actor.user_id).await?;
    Ok(SignedInClient { user_id: actor.user_id, client_id, org_id: actor.org_id, auth_version })
}
