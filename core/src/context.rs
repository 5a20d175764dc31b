//! What every service is handed: the database, the settings and the clock.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::{
    clock::{SharedClock, SystemClock},
    settings::Settings,
};

/// Cheap to clone: a pool handle and two `Arc`s.
#[derive(Clone)]
pub struct Context {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub clock: SharedClock,
}

impl Context {
    /// The context of the running app: the machine's clock.
    pub fn new(pool: PgPool, settings: Arc<Settings>) -> Self {
        Self { pool, settings, clock: SystemClock::shared() }
    }

    pub fn with_clock(pool: PgPool, settings: Arc<Settings>, clock: SharedClock) -> Self {
        Self { pool, settings, clock }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
