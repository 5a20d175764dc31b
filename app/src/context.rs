//! What the server gives every server function and page render (never reaches the browser):
//! core's [`tend_core::Context`] (database, settings, clock).

use leptos::prelude::use_context;

use crate::error::AppError;

pub type ServerContext = tend_core::Context;

pub fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>()
        .ok_or_else(|| tend_core::Error::Unexpected(tend_core::error::AnyError::msg("server context missing")).into())
}

/// An id from a request; one that does not parse is a record that does not exist.
pub fn parse_id(raw: &str) -> Result<uuid::Uuid, AppError> {
    tend_core::fields::parse_id(raw).map_err(AppError::from)
}
