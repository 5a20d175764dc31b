//! What the server gives every server function and page render (never reaches the browser).

use std::sync::Arc;

use leptos::prelude::use_context;
use sqlx::PgPool;
use tend_core::settings::Settings;

use crate::error::AppError;

#[derive(Clone)]
pub struct ServerContext {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
}

pub fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>()
        .ok_or_else(|| tend_core::Error::Unexpected(tend_core::error::AnyError::msg("server context missing")).into())
}
