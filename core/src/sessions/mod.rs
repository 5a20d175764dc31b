//! The session store: tower-sessions records in PostgreSQL, shared by every instance.
//!
//! Our own store (rather than tower-sessions-sqlx-store) keeps sqlx on chrono: that crate
//! turns on sqlx's `time` feature, which makes every `timestamptz` column a `time` type.

mod repo;

use std::{collections::HashMap, time::Duration};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::clock::SharedClock;
use tower_sessions::{
    SessionStore,
    session::{Id, Record},
    session_store::{Error as StoreError, Result as StoreResult},
};

/// What a session carries: ids only, named once for the app and for the store's statement
/// (which spells them in SQL: `repo::load_active`).
pub mod keys {
    pub const USER_ID: &str = "user_id";
    pub const ORG_ID: &str = "org_id";
    pub const AUTH_VERSION: &str = "auth_version";
    pub const SIGNED_IN_AT: &str = "signed_in_at";
    pub const PORTAL_CLIENT_ID: &str = "portal_client_id";
    pub const PORTAL_USER_ID: &str = "portal_user_id";
    pub const PORTAL_AUTH_VERSION: &str = "portal_auth_version";
    pub const PORTAL_SIGNED_IN_AT: &str = "portal_signed_in_at";
    /// The member ([`crate::actor::MemberCaller`]) and the portal client
    /// ([`crate::portal::ClientCaller`]) those ids named when the session was read: put in by
    /// the store on reading, never written back.
    pub const MEMBER_CALLER: &str = "__member_caller";
    pub const CLIENT_CALLER: &str = "__client_caller";
}

/// The session's data as stored: without the callers read with it.
fn stored_data(record: &Record) -> serde_json::Value {
    let kept =
        record.data.iter().filter(|(key, _)| ![keys::MEMBER_CALLER, keys::CLIENT_CALLER].contains(&key.as_str()));
    serde_json::Value::Object(kept.map(|(key, value)| (key.clone(), value.clone())).collect())
}

/// Expiry is kept by the store on the [`crate::clock::Clock`] (each save pushes it to now +
/// the idle timeout), so tests move time instead of sleeping through a timeout.
#[derive(Debug, Clone)]
pub struct PgSessionStore {
    pool: PgPool,
    clock: SharedClock,
    idle_timeout: chrono::Duration,
}

impl PgSessionStore {
    pub fn new(pool: PgPool, clock: SharedClock, idle_timeout: Duration) -> Self {
        let idle_timeout = chrono::Duration::from_std(idle_timeout).unwrap_or(chrono::Duration::days(1));
        Self { pool, clock, idle_timeout }
    }

    fn expiry(&self) -> DateTime<Utc> {
        self.clock.now() + self.idle_timeout
    }
}

/// Removes sessions past their expiry; returns how many. Run by the recurring sweep.
pub async fn delete_expired(ctx: &crate::Context) -> crate::Result<u64> {
    let mut conn = ctx.pool.acquire().await?;
    repo::delete_expired(&mut conn, ctx.now()).await
}

fn backend(error: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(error.to_string())
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> StoreResult<()> {
        let data = stored_data(record);
        let expires_at = self.expiry();
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        // A fresh id collides with an existing one about never; try again if it does.
        while !repo::insert(&mut conn, &record.id.to_string(), &data, expires_at).await.map_err(backend)? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> StoreResult<()> {
        let data = stored_data(record);
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        repo::upsert(&mut conn, &record.id.to_string(), &data, self.expiry()).await.map_err(backend)
    }

    /// One statement reads the session and whoever it names: most requests then ask PostgreSQL
    /// nothing more about who is asking.
    async fn load(&self, id: &Id) -> StoreResult<Option<Record>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        let Some(session) = repo::load_active(&mut conn, &id.to_string(), self.clock.now()).await.map_err(backend)?
        else {
            return Ok(None);
        };
        let mut data: HashMap<String, serde_json::Value> =
            serde_json::from_value(session.data).map_err(|e| StoreError::Decode(e.to_string()))?;
        for (key, caller) in [(keys::MEMBER_CALLER, session.member), (keys::CLIENT_CALLER, session.client)] {
            match caller {
                Some(caller) => data.insert(key.to_owned(), caller),
                None => data.remove(key),
            };
        }
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(session.expires_at.timestamp())
            .map_err(|e| StoreError::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        repo::delete(&mut conn, &id.to_string()).await.map_err(backend)
    }
}

/// The recurring job that deletes expired sessions.
pub struct SweepExpired {
    pub ctx: crate::Context,
}

pub const SWEEP: crate::jobs::Recurring = crate::jobs::Recurring {
    kind: "sweep_expired_sessions",
    every: Duration::from_secs(300),
    summary: "Delete expired sessions",
};

#[async_trait]
impl crate::jobs::JobHandler for SweepExpired {
    fn kind(&self) -> &'static str {
        SWEEP.kind
    }

    async fn run(&self, _job: &crate::jobs::Job) -> Result<(), crate::jobs::JobError> {
        delete_expired(&self.ctx).await.map(|_| ()).map_err(|error| {
            tracing::warn!(%error, "expired-session sweep failed");
            crate::jobs::JobError::Retry("The database could not be reached.".into())
        })
    }
}
