//! Headers every response carries: a Content-Security-Policy, no sniffing, no framing, no
//! referrer beyond our own pages, HSTS behind https, and `no-store` for anything that may hold
//! client data.
//!
//! Each request gets a fresh nonce here, in its extensions; the router hands it to Leptos
//! (`CspNonce::provide_to_leptos`), which puts it on every script it writes, and an HTML
//! response gets a policy that allows our own scripts plus that nonce. Anything else gets a
//! policy that allows nothing. Setting the header here, not from the page, means no page can
//! go out without it.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{
        HeaderName, HeaderValue,
        header::{
            CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
            X_FRAME_OPTIONS,
        },
    },
    middleware::Next,
    response::Response,
};

const NOTHING_ALLOWED: &str = "default-src 'none'; frame-ancestors 'none'";

/// The nonce of one response's scripts.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// Makes the request's nonce the one Leptos writes on its scripts (run in the context of
    /// every page render, after Leptos provided its own).
    pub fn provide_to_leptos() {
        use leptos::prelude::{provide_context, use_context};
        if let Some(nonce) =
            use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
        {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0));
        }
    }
}

/// The policy of a page whose scripts carry `nonce`: scripts from our origin and that nonce
/// (the hydration script), wasm; styles from our stylesheet (the portal's accent colour is a
/// `style` attribute); the two video players in frames.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         frame-src https://www.youtube-nocookie.com https://player.vimeo.com; \
         form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
    )
}

#[derive(Clone, Copy)]
pub struct Policy {
    /// The app is reached over https (`PUBLIC_URL`): browsers should never use plain http.
    pub https: bool,
}

pub async fn add(State(policy): State<Policy>, mut request: Request<Body>, next: Next) -> Response {
    let cacheable = is_public_asset(request.uri().path());
    let nonce = tend_core::tokens::generate();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let is_page = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_page && let Ok(value) = HeaderValue::from_str(&page_policy(&nonce)) {
        headers.insert(CONTENT_SECURITY_POLICY, value);
    }
    let mut set_default = |name: HeaderName, value: &'static str| {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set_default(CONTENT_SECURITY_POLICY, NOTHING_ALLOWED);
    set_default(X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(X_FRAME_OPTIONS, "DENY");
    set_default(REFERRER_POLICY, "same-origin");
    if policy.https {
        set_default(STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    if !cacheable {
        set_default(CACHE_CONTROL, "no-store");
    }
    response
}

/// Files that are the same for everyone: the built assets and the public logo.
fn is_public_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path == "/favicon.svg"
        || (path.starts_with("/p/") && path.ends_with("/logo") && path.matches('/').count() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_built_assets_and_logos_may_be_cached() {
        assert!(is_public_asset("/pkg/tend.wasm"));
        assert!(is_public_asset("/p/green-leaf/logo"));
        assert!(!is_public_asset("/p/green-leaf/account"));
        assert!(!is_public_asset("/p/green-leaf/x/logo"));
        assert!(!is_public_asset("/app/clients"));
        assert!(!is_public_asset("/api/list_clients"));
    }
}
