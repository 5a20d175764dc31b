//! Slides a signed-in session's idle timeout without writing it on every request: the session
//! is saved (and its expiry pushed back) at most once a minute, or every tenth of the idle
//! timeout when that is shorter, so the timeout holds to within a tenth.

use std::time::Duration;

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use tower_sessions::Session;

const TOUCHED_AT: &str = "touched_at";

/// How often a busy session is saved, for an idle timeout of `idle`.
pub fn touch_every(idle: Duration) -> i64 {
    (idle.as_secs() as i64 / 10).min(60)
}

/// How often to save a busy session, on the app's clock.
#[derive(Clone)]
pub struct KeepAlive {
    pub every: i64,
    pub clock: tend_core::clock::SharedClock,
}

pub async fn keep_alive(State(keep): State<KeepAlive>, session: Session, request: Request, next: Next) -> Response {
    // Static files neither need the session nor should load it.
    let is_asset = request.uri().path().starts_with("/pkg/");
    let response = next.run(request).await;
    if is_asset {
        return response;
    }
    // Only sessions that hold something are kept; a visitor's empty session is never stored.
    if session.is_empty().await {
        return response;
    }
    let now = keep.clock.now().timestamp();
    let touched = session.get::<i64>(TOUCHED_AT).await.ok().flatten();
    if touched.is_none_or(|at| now - at >= keep.every) {
        // Marks the session modified, so the session layer saves it with a fresh expiry.
        let _ = session.insert(TOUCHED_AT, now).await;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_idle_timeout_is_refreshed_once_a_minute_and_a_short_one_more_often() {
        assert_eq!(touch_every(Duration::from_secs(30 * 60)), 60);
        assert_eq!(touch_every(Duration::from_secs(300)), 30);
        assert_eq!(touch_every(Duration::from_secs(2)), 0);
    }
}
