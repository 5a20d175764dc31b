//! Headers every response carries: no sniffing, no framing, no referrer beyond our own pages,
//! HSTS behind https, and `no-store` for anything that may hold client data. Pages set their
//! own Content-Security-Policy with the nonce of their one hydration script (`tend_app::shell`);
//! every other response gets a policy that allows nothing.

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

#[derive(Clone, Copy)]
pub struct Policy {
    /// The app is reached over https (`PUBLIC_URL`): browsers should never use plain http.
    pub https: bool,
}

pub async fn add(State(policy): State<Policy>, request: Request<Body>, next: Next) -> Response {
    let cacheable = is_public_asset(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
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
