//! Provider accounts: sign up, log in and out, forgotten and changed passwords.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod session;
