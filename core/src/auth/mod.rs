//! Accounts: sign-up, log-in with throttling, password reset by email, password change.

pub mod password;
pub mod repo;
pub mod reset;
pub mod service;
pub mod sign_up;
pub mod throttle;

use uuid::Uuid;

/// Enough to start a session: who, in which practice, and the password generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub auth_version: i32,
    /// The person belongs to more than one practice: they choose where to work.
    pub has_other_practices: bool,
}

/// Raw sign-up form, parsed by [`sign_up::start`].
#[derive(Debug, Clone, Default)]
pub struct SignUpForm {
    pub full_name: String,
    pub email: String,
    pub password: String,
    pub practice_name: String,
    pub time_zone: String,
}

/// How many failed logins are tolerated in [`FAILURE_WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_EMAIL: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
pub const RESET_TOKEN_LIFETIME_MINUTES: i64 = 60;

/// The one message for an unknown email and a wrong password, so neither is revealed.
pub const BAD_CREDENTIALS: &str = "That email and password don't match an account.";
