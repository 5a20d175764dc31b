//! The Tend server: router, security middleware, background work and start-up.

pub mod assets;
pub mod canonical;
pub mod csrf;
pub mod logo;
pub mod postgres;
pub mod program_files;
pub mod router;
pub mod scheduling_files;
pub mod security_headers;
pub mod session_clock;
pub mod startup;
pub mod telemetry;
