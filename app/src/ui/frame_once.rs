//! Builds a frame's page once per server render.
//!
//! Before rendering a `<Suspense>`, the server walks its children once to learn which
//! resources they read: it calls the children's closure, polls the `Suspend` it returns once,
//! and drops it; then it calls the closure again to render. A `Suspend` already ready on that
//! walk builds its whole view there, and again for the render: for a frame (the provider app's
//! shell, the portal's branded frame) that view holds `<Outlet />`, so the page was built twice
//! and read its data twice, on about half the requests (whenever the frame's own data arrived
//! before the walk). Awaiting [`after_the_walk`] first keeps a frame's `Suspend` pending on the
//! walk, so only the render builds the page.
//!
//! Server only: in the browser there is no walk, and awaiting even an empty future in the
//! portal frame's `Suspend` made the portal's main wasm 10 KB larger (brotli), so the frames
//! await it under `#[cfg(feature = "ssr")]`.

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

/// Pending on its first poll, ready on the next (the server's walk polls once).
pub async fn after_the_walk() {
    YieldOnce { yielded: false }.await;
}

struct YieldOnce {
    yielded: bool,
}

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use std::{pin::pin, task::Waker};

    use super::*;

    #[test]
    fn the_first_poll_is_pending_and_the_next_ready() {
        let mut context = Context::from_waker(Waker::noop());
        let mut future = pin!(after_the_walk());
        assert!(future.as_mut().poll(&mut context).is_pending());
        assert!(future.as_mut().poll(&mut context).is_ready());
    }
}
