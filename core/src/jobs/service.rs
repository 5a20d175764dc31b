//! What an owner does with the queue: see the practice's failed jobs and retry them.

use uuid::Uuid;

use super::repo::{self, FailedJob};
use crate::{Actor, Context, Error, Result};

pub async fn failed_jobs(ctx: &Context, actor: &Actor) -> Result<Vec<FailedJob>> {
    actor.require_owner()?;
    let mut conn = ctx.pool.acquire().await?;
    repo::list_failed(&mut conn, actor.org_id, 100).await
}

pub async fn retry_failed_job(ctx: &Context, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require_owner()?;
    let mut conn = ctx.pool.acquire().await?;
    if repo::retry_failed(&mut conn, actor.org_id, id, ctx.now()).await? { Ok(()) } else { Err(Error::NotFound) }
}
