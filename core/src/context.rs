//! What every service is handed: the database, the settings, the clock and the file store.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::{
    clock::{SharedClock, SystemClock},
    files::{LocalFolder, SharedFileStore},
    settings::Settings,
};

/// Cheap to clone: a pool handle and three `Arc`s.
#[derive(Clone)]
pub struct Context {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub clock: SharedClock,
    /// Uploaded files: the folder of `settings.files_dir`.
    pub files: SharedFileStore,
}

impl Context {
    /// The context of the running app: the machine's clock.
    pub fn new(pool: PgPool, settings: Arc<Settings>) -> Self {
        Self::with_clock(pool, settings, SystemClock::shared())
    }

    pub fn with_clock(pool: PgPool, settings: Arc<Settings>, clock: SharedClock) -> Self {
        let files = Arc::new(LocalFolder::new(settings.files_dir.clone()));
        Self { pool, settings, clock, files }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
