//! The session store: tower-sessions records in PostgreSQL, shared by every instance.
//!
//! Our own store (rather than tower-sessions-sqlx-store) keeps sqlx on chrono: that crate
//! turns on sqlx's `time` feature, which makes every `timestamptz` column a `time` type.

mod repo;

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tower_sessions::{
    SessionStore,
    session::{Id, Record},
    session_store::{Error as StoreError, Result as StoreResult},
};

#[derive(Debug, Clone)]
pub struct PgSessionStore {
    pool: PgPool,
}

impl PgSessionStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Removes sessions past their expiry; returns how many.
    pub async fn delete_expired(&self) -> crate::Result<u64> {
        let mut conn = self.pool.acquire().await?;
        repo::delete_expired(&mut conn).await
    }
}

fn backend(error: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(error.to_string())
}

fn expiry(record: &Record) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).ok_or_else(|| backend("expiry out of range"))
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> StoreResult<()> {
        let data = serde_json::to_value(&record.data).map_err(|e| StoreError::Encode(e.to_string()))?;
        let expires_at = expiry(record)?;
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        // A fresh id collides with an existing one about never; try again if it does.
        while !repo::insert(&mut conn, &record.id.to_string(), &data, expires_at).await.map_err(backend)? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> StoreResult<()> {
        let data = serde_json::to_value(&record.data).map_err(|e| StoreError::Encode(e.to_string()))?;
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        repo::upsert(&mut conn, &record.id.to_string(), &data, expiry(record)?).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> StoreResult<Option<Record>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        let Some((data, expires_at)) = repo::load_active(&mut conn, &id.to_string()).await.map_err(backend)? else {
            return Ok(None);
        };
        let data: HashMap<String, serde_json::Value> =
            serde_json::from_value(data).map_err(|e| StoreError::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(expires_at.timestamp())
            .map_err(|e| StoreError::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        repo::delete(&mut conn, &id.to_string()).await.map_err(backend)
    }
}
