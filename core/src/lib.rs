//! Tend's domain: business rules, data access (sqlx) and use cases.
//!
//! Server-only and free of Leptos. Every repo function takes the actor's organization id
//! and filters on it; every service function owns its transaction.

pub mod actor;
pub mod auth;
pub mod client_address;
pub mod clients;
pub mod clock;
pub mod context;
pub mod db;
pub mod email;
pub mod error;
pub mod fields;
pub mod files;
pub mod jobs;
pub mod orgs;
pub mod portal;
pub mod programs;
pub mod scheduling;
pub mod seed;
pub mod sessions;
pub mod settings;
pub mod tokens;

pub use actor::Actor;
pub use context::Context;
pub use error::{Error, FieldErrors, Result};
