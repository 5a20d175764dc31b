//! Client groups: a named set of clients (a client is in at most one), used to enroll many
//! clients at once in later features.

pub mod repo;

use uuid::Uuid;

use super::{policy, repo as clients, service};
use crate::{Actor, Context, Error, FieldErrors, Result, orgs::Permission};

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

/// Every group, with how many of its clients the actor may see.
pub async fn list(ctx: &Context, actor: &Actor) -> Result<Vec<repo::GroupSummary>> {
    let mut conn = ctx.pool.acquire().await?;
    repo::list(&mut conn, actor.org_id, policy::visible_provider(actor)).await
}

/// Members on one page of a group.
pub const MEMBERS_PER_PAGE: i64 = 50;

/// A group and one page of the members of it the actor may see.
pub struct GroupDetail {
    pub name: String,
    pub members: Vec<repo::GroupMember>,
    /// Every member the actor may see, on all pages.
    pub total: i64,
    /// The cursors of the neighbouring pages, when there are members there.
    pub previous: Option<Uuid>,
    pub next: Option<Uuid>,
}

pub async fn detail(ctx: &Context, actor: &Actor, id: Uuid, page: repo::MemberPage) -> Result<GroupDetail> {
    let mut conn = ctx.pool.acquire().await?;
    let name = repo::name_of(&mut conn, actor.org_id, id).await?;
    let provider = policy::visible_provider(actor);
    // One more than a page tells whether there is another page that way.
    let mut members = repo::members(&mut conn, actor.org_id, id, provider, page, MEMBERS_PER_PAGE + 1).await?;
    let more = members.len() as i64 > MEMBERS_PER_PAGE;
    let (previous, next) = match page {
        repo::MemberPage::Before(_) => {
            if more {
                members.remove(0);
            }
            (members.first().filter(|_| more).map(|m| m.id), members.last().map(|m| m.id))
        }
        repo::MemberPage::First | repo::MemberPage::After(_) => {
            members.truncate(MEMBERS_PER_PAGE as usize);
            let previous = members.first().filter(|_| page != repo::MemberPage::First).map(|m| m.id);
            (previous, members.last().filter(|_| more).map(|m| m.id))
        }
    };
    let total = repo::count_members(&mut conn, actor.org_id, id, provider).await?;
    Ok(GroupDetail { name, members, total, previous, next })
}

pub async fn create(ctx: &Context, actor: &Actor, name: &str) -> Result<Uuid> {
    actor.require(Permission::ManageGroups)?;
    let name = parse_name(name)?;
    let mut conn = ctx.pool.acquire().await?;
    repo::insert(&mut conn, actor.org_id, &name).await
}

pub async fn rename(ctx: &Context, actor: &Actor, id: Uuid, name: &str) -> Result<()> {
    actor.require(Permission::ManageGroups)?;
    let name = parse_name(name)?;
    let mut conn = ctx.pool.acquire().await?;
    repo::rename(&mut conn, actor.org_id, id, &name).await
}

pub async fn delete(ctx: &Context, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require(Permission::ManageGroups)?;
    let mut conn = ctx.pool.acquire().await?;
    repo::delete(&mut conn, actor.org_id, id).await
}

/// Puts a client in `group_id` (taking them out of any other), or in no group.
pub async fn place_client(ctx: &Context, actor: &Actor, client_id: Uuid, group_id: Option<Uuid>) -> Result<()> {
    actor.require(Permission::ManageGroups)?;
    let mut tx = ctx.pool.begin().await?;
    if let Some(group_id) = group_id {
        repo::name_of(&mut tx, actor.org_id, group_id).await?;
    }
    service::visible_client(&mut tx, actor, client_id).await?;
    clients::set_group(&mut tx, actor.org_id, client_id, group_id, ctx.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a client out of `group_id`; `NotFound` when they are not in it.
pub async fn remove_client(ctx: &Context, actor: &Actor, group_id: Uuid, client_id: Uuid) -> Result<()> {
    actor.require(Permission::ManageGroups)?;
    let mut tx = ctx.pool.begin().await?;
    let client = service::visible_client(&mut tx, actor, client_id).await?;
    if client.group_id != Some(group_id) {
        return Err(Error::NotFound);
    }
    clients::set_group(&mut tx, actor.org_id, client_id, None, ctx.now()).await?;
    tx.commit().await?;
    Ok(())
}
