//! Connection pool and migrations.

use std::time::Duration;

use sqlx::{PgPool, postgres::PgPoolOptions};

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

pub async fn connect(database_url: &str) -> anyhow::Result<PgPool> {
    let pool =
        PgPoolOptions::new().max_connections(20).acquire_timeout(Duration::from_secs(10)).connect(database_url).await?;
    Ok(pool)
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// Answers when the database does: used by `/healthz`.
pub async fn ping(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::query_scalar!("SELECT 1 AS one").fetch_one(pool).await?;
    Ok(())
}
