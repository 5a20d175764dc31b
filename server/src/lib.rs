//! The Tend server: router, security middleware, background work and start-up.

pub mod csrf;
pub mod logo;
pub mod postgres;
pub mod router;
pub mod startup;
pub mod telemetry;
