//! A program's cover image and its document modules' files: upload, replace, remove, and hand
//! them out to members of the practice and to clients who may open them.
//!
//! Bytes go to the file store first, then one transaction records the file and points the
//! program or module at it; whatever no row points at any more is removed from the store after
//! the commit.

use uuid::Uuid;

use super::{ModuleKind, repo, service};
use crate::{
    Actor, Context, Error, Result,
    files::{self, FileKind, kinds::clean_file_name, repo::StoredFile},
    orgs::Permission,
    portal::ClientActor,
};

/// A stored file with its bytes, ready to send.
pub struct Download {
    pub file: StoredFile,
    pub bytes: Vec<u8>,
}

fn store_error(error: std::io::Error) -> Error {
    Error::Unexpected(error.into())
}

/// Checks an upload and puts its bytes in the store; the caller records it.
async fn store(ctx: &Context, org_id: Uuid, kind: FileKind, file_name: &str, bytes: &[u8]) -> Result<StoredFile> {
    let content_type = kind.check(file_name, bytes).map_err(|problem| problem.error(kind))?;
    let file = StoredFile {
        id: Uuid::new_v4(),
        file_name: clean_file_name(file_name),
        content_type: content_type.to_owned(),
        byte_size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
    };
    ctx.files.put(&files::key_of(org_id, file.id), bytes).await.map_err(store_error)?;
    Ok(file)
}

/// What an upload is for.
#[derive(Clone, Copy)]
enum Target {
    Cover { program_id: Uuid },
    Document { module_id: Uuid },
}

/// Records `file` and points its program or module at it in one transaction; the file it
/// replaces is removed. If anything fails, the new bytes are removed instead.
async fn record_and_point(ctx: &Context, org_id: Uuid, file: &StoredFile, target: Target) -> Result<()> {
    let recorded = async {
        let mut tx = ctx.pool.begin().await?;
        files::repo::insert(&mut tx, org_id, file, ctx.now()).await?;
        let replaced = match target {
            Target::Cover { program_id } => repo::set_cover(&mut tx, org_id, program_id, Some(file.id)).await?,
            Target::Document { module_id } => repo::set_document(&mut tx, org_id, module_id, file.id).await?,
        };
        if let Some(old) = replaced {
            files::repo::delete(&mut tx, org_id, &[old]).await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(replaced)
    }
    .await;
    match recorded {
        Ok(replaced) => {
            files::discard(ctx.files.as_ref(), org_id, &replaced.into_iter().collect::<Vec<_>>()).await;
            Ok(())
        }
        Err(error) => {
            files::discard(ctx.files.as_ref(), org_id, &[file.id]).await;
            Err(error)
        }
    }
}

pub async fn set_cover(ctx: &Context, actor: &Actor, program_id: Uuid, file_name: &str, bytes: &[u8]) -> Result<()> {
    actor.require(Permission::ManagePrograms)?;
    {
        let mut conn = ctx.pool.acquire().await?;
        repo::get_program(&mut conn, actor.org_id, program_id).await?;
    }
    let file = store(ctx, actor.org_id, FileKind::Cover, file_name, bytes).await?;
    record_and_point(ctx, actor.org_id, &file, Target::Cover { program_id }).await
}

pub async fn remove_cover(ctx: &Context, actor: &Actor, program_id: Uuid) -> Result<()> {
    actor.require(Permission::ManagePrograms)?;
    let mut tx = ctx.pool.begin().await?;
    let old = repo::set_cover(&mut tx, actor.org_id, program_id, None).await?;
    if let Some(old) = old {
        files::repo::delete(&mut tx, actor.org_id, &[old]).await?;
    }
    tx.commit().await?;
    files::discard(ctx.files.as_ref(), actor.org_id, &old.into_iter().collect::<Vec<_>>()).await;
    Ok(())
}

/// Uploads (or replaces) the file of a document module.
pub async fn set_document(ctx: &Context, actor: &Actor, module_id: Uuid, file_name: &str, bytes: &[u8]) -> Result<()> {
    actor.require(Permission::ManagePrograms)?;
    let (kind, _) = {
        let mut conn = ctx.pool.acquire().await?;
        repo::document_of_module(&mut conn, actor.org_id, module_id).await?
    };
    if kind != ModuleKind::Document {
        return Err(Error::Conflict("Only a document module holds a file: change its kind first.".into()));
    }
    let file = store(ctx, actor.org_id, FileKind::Document, file_name, bytes).await?;
    record_and_point(ctx, actor.org_id, &file, Target::Document { module_id }).await
}

async fn download(ctx: &Context, org_id: Uuid, file_id: Option<Uuid>) -> Result<Download> {
    let file_id = file_id.ok_or(Error::NotFound)?;
    let file = {
        let mut conn = ctx.pool.acquire().await?;
        files::repo::find(&mut conn, org_id, file_id).await?.ok_or(Error::NotFound)?
    };
    let bytes = ctx.files.get(&files::key_of(org_id, file_id)).await.map_err(store_error)?;
    let bytes = bytes.ok_or_else(|| {
        tracing::error!(file.id = %file_id, "a recorded file is missing from the file store");
        Error::NotFound
    })?;
    Ok(Download { file, bytes })
}

/// Any member of the practice sees its programs, covers included.
pub async fn cover_for_member(ctx: &Context, actor: &Actor, program_id: Uuid) -> Result<Download> {
    let cover = {
        let mut conn = ctx.pool.acquire().await?;
        repo::get_program(&mut conn, actor.org_id, program_id).await?.cover_file_id
    };
    download(ctx, actor.org_id, cover).await
}

pub async fn document_for_member(ctx: &Context, actor: &Actor, module_id: Uuid) -> Result<Download> {
    let document = {
        let mut conn = ctx.pool.acquire().await?;
        repo::document_of_module(&mut conn, actor.org_id, module_id).await?.1
    };
    download(ctx, actor.org_id, document).await
}

/// The cover of a program the client has access to now.
pub async fn cover_for_client(ctx: &Context, client: &ClientActor, program_id: Uuid) -> Result<Download> {
    service::client_program(ctx, client, program_id).await?;
    let cover = {
        let mut conn = ctx.pool.acquire().await?;
        repo::get_program(&mut conn, client.org_id, program_id).await?.cover_file_id
    };
    download(ctx, client.org_id, cover).await
}

/// The file of a document module that is open for the client.
pub async fn document_for_client(ctx: &Context, client: &ClientActor, module_id: Uuid) -> Result<Download> {
    service::client_module(ctx, client, module_id).await?;
    let document = {
        let mut conn = ctx.pool.acquire().await?;
        repo::document_of_module(&mut conn, client.org_id, module_id).await?.1
    };
    download(ctx, client.org_id, document).await
}
