//! The password-guessing throttle: failed checks per email and per client address within
//! [`FAILURE_WINDOW_MINUTES`], counted in PostgreSQL so it holds across instances.
//!
//! An attempt is recorded as a failure *before* the password is checked and forgiven when it
//! matches. Counting first and recording after let concurrent guesses all pass the count
//! (about 20 guesses instead of 5); recording first means the sixth attempt sees six rows,
//! whatever order the others finish in. No pooled connection is held while argon2 runs.

use chrono::Duration;

use super::{FAILURE_WINDOW_MINUTES, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_EMAIL, repo};
use crate::{Context, Error, Result};

/// A password check in progress, already counted as a failure.
#[must_use = "an attempt is forgiven when the password matched"]
pub struct Attempt {
    email: String,
}

/// Counts one attempt at `email`'s password from `client_address`; refuses (without counting
/// it) when either is over its limit.
pub async fn begin(ctx: &Context, email: &str, client_address: &str) -> Result<Attempt> {
    let mut conn = ctx.pool.acquire().await?;
    let id = repo::record_failure(&mut conn, email, client_address, ctx.now()).await?;
    let since = ctx.now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let (by_email, by_address) = repo::count_failures(&mut conn, email, client_address, since).await?;
    if by_email > MAX_FAILURES_PER_EMAIL || by_address > MAX_FAILURES_PER_ADDRESS {
        repo::forget_failure(&mut conn, id).await?;
        return Err(Error::RateLimited);
    }
    Ok(Attempt { email: email.to_owned() })
}

impl Attempt {
    /// The password matched and the person got in: their earlier failures are forgiven too.
    pub async fn forgive(self, ctx: &Context) -> Result<()> {
        let mut conn = ctx.pool.acquire().await?;
        repo::clear_failures(&mut conn, &self.email).await
    }
}
