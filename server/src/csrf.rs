//! Refuses cross-site requests that change things. Leptos does not do this for server
//! functions, and SameSite=Lax cookies alone still let a sibling site post forms.

use axum::{
    extract::Request,
    http::{Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if is_safe_method(request.method()) || is_same_origin(&request) {
        next.run(request).await
    } else {
        tracing::warn!("cross-site request refused");
        (StatusCode::FORBIDDEN, "Cross-site request refused. Open Tend directly and try again.").into_response()
    }
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Browsers say where a request comes from in `Sec-Fetch-Site` (modern) or `Origin`.
/// Requests with neither come from programs, not from a page on another site.
fn is_same_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin_authority(origin), host) {
        (Some(authority), Some(host)) => authority.eq_ignore_ascii_case(host),
        _ => false,
    }
}

/// `host[:port]` of an `Origin` value such as `https://tend.example.com:8443`.
fn origin_authority(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, rest)| rest.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method(Method::POST).uri("/api/log_in");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn same_origin_fetch_is_allowed() {
        assert!(is_same_origin(&post(&[("sec-fetch-site", "same-origin")])));
    }

    #[test]
    fn cross_site_and_same_site_fetches_are_refused() {
        assert!(!is_same_origin(&post(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_origin(&post(&[("sec-fetch-site", "same-site")])));
    }

    #[test]
    fn origin_must_match_the_host_when_fetch_metadata_is_missing() {
        assert!(is_same_origin(&post(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        assert!(!is_same_origin(&post(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")])));
        assert!(!is_same_origin(&post(&[("origin", "null"), ("host", "127.0.0.1:3000")])));
    }

    #[test]
    fn programs_without_browser_headers_are_allowed() {
        assert!(is_same_origin(&post(&[])));
    }
}
