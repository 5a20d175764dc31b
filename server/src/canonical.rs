//! One address per page: a trailing slash or a doubled slash redirects permanently to the
//! address without it, query string kept. People paste addresses like `/app/clients/`; so do
//! link checkers and mail clients.

use axum::{
    extract::Request,
    http::{Method, StatusCode, header::LOCATION},
    middleware::Next,
    response::{IntoResponse, Response},
};

pub async fn redirect_to_canonical(request: Request, next: Next) -> Response {
    let Some(path) = canonical(request.uri().path()) else {
        return next.run(request).await;
    };
    let location = match request.uri().query() {
        Some(query) => format!("{path}?{query}"),
        None => path,
    };
    // 308 keeps the method and body of a form post; 301 is what every client knows for pages.
    let status = if matches!(*request.method(), Method::GET | Method::HEAD) {
        StatusCode::MOVED_PERMANENTLY
    } else {
        StatusCode::PERMANENT_REDIRECT
    };
    (status, [(LOCATION, location)]).into_response()
}

/// The canonical form of `path` when it differs: runs of slashes collapsed, no trailing slash
/// (except the root). Never starts with `//`, so the redirect cannot leave the site.
pub fn canonical(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    let canonical = format!("/{}", segments.join("/"));
    (canonical != path).then_some(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_slash_goes() {
        assert_eq!(canonical("/app/clients/").as_deref(), Some("/app/clients"));
        assert_eq!(canonical("/p/green-leaf/login/").as_deref(), Some("/p/green-leaf/login"));
    }

    #[test]
    fn doubled_slashes_collapse_and_never_make_an_address_on_another_site() {
        assert_eq!(canonical("/app//clients").as_deref(), Some("/app/clients"));
        assert_eq!(canonical("//evil.example/x").as_deref(), Some("/evil.example/x"));
    }

    #[test]
    fn canonical_addresses_and_the_root_stay() {
        assert_eq!(canonical("/"), None);
        assert_eq!(canonical("/app/clients"), None);
    }
}
