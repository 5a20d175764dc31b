//! The `stored_files` rows: what each stored file is. Scoped by `org_id`.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: i64,
}

pub async fn insert(conn: &mut PgConnection, org_id: Uuid, file: &StoredFile, now: DateTime<Utc>) -> Result<()> {
    sqlx::query!(
        "INSERT INTO stored_files (id, org_id, file_name, content_type, byte_size, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        file.id,
        org_id,
        file.file_name,
        file.content_type,
        file.byte_size,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<Option<StoredFile>> {
    let file = sqlx::query_as!(
        StoredFile,
        "SELECT id, file_name, content_type, byte_size FROM stored_files WHERE org_id = $1 AND id = $2",
        org_id,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(file)
}

pub async fn delete(conn: &mut PgConnection, org_id: Uuid, ids: &[Uuid]) -> Result<()> {
    sqlx::query!("DELETE FROM stored_files WHERE org_id = $1 AND id = ANY($2)", org_id, ids).execute(conn).await?;
    Ok(())
}
