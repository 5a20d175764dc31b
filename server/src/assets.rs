//! The wasm, JavaScript and CSS under `/pkg`. cargo-leptos builds them with content-hashed
//! names (`hash-files = true`) and writes the hashes to `hash.txt` beside the server binary:
//! a name never changes content, so browsers keep the files for a year and a new build is
//! fetched by its new names. Pages themselves are never cached (`security_headers`).

use std::path::{Path, PathBuf};

use axum::http::{HeaderValue, Response, StatusCode, header::CACHE_CONTROL};
use leptos::config::LeptosOptions;
use tower::Layer;
use tower_http::{
    services::{ServeDir, fs::ServeFileSystemResponseBody},
    set_header::{SetResponseHeader, SetResponseHeaderLayer},
};

const FOR_A_YEAR: &str = "public, max-age=31536000, immutable";

/// Turns hashed names on when the build left `hash.txt` beside the binary. cargo-leptos sets
/// `LEPTOS_HASH_FILES` only for a server it starts itself; `scripts/run` and the tests start
/// the binary directly.
pub fn detect_hashed_names(options: &mut LeptosOptions) {
    if !options.hash_files {
        options.hash_files = hash_file_beside_binary(&options.hash_file).is_some_and(|path| path.is_file());
    }
}

fn hash_file_beside_binary(name: &str) -> Option<PathBuf> {
    std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(name)))
}

type CacheHeader = fn(&Response<ServeFileSystemResponseBody>) -> Option<HeaderValue>;

/// Serves `site_root/pkg`: for a year when the names are hashed, else revalidated each time;
/// a missing file is never cached.
pub fn service(options: &LeptosOptions) -> SetResponseHeader<ServeDir, CacheHeader> {
    let dir = Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let header: CacheHeader = if options.hash_files { kept_for_a_year } else { revalidated };
    SetResponseHeaderLayer::overriding(CACHE_CONTROL, header).layer(ServeDir::new(dir))
}

fn kept_for_a_year(response: &Response<ServeFileSystemResponseBody>) -> Option<HeaderValue> {
    Some(HeaderValue::from_static(if found(response) { FOR_A_YEAR } else { "no-store" }))
}

fn revalidated(response: &Response<ServeFileSystemResponseBody>) -> Option<HeaderValue> {
    Some(HeaderValue::from_static(if found(response) { "no-cache" } else { "no-store" }))
}

fn found(response: &Response<ServeFileSystemResponseBody>) -> bool {
    response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use tower::ServiceExt;

    use super::*;

    async fn cache_control(hashed: bool, path: &str) -> (StatusCode, String) {
        let root = std::env::temp_dir().join(format!("tend-assets-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        std::fs::write(root.join("pkg/tend.Zm9vYmFyYmF6cXV4cXV1eA.css"), "body{}").unwrap();
        let options = LeptosOptions::builder()
            .output_name("tend")
            .site_root(root.to_string_lossy().into_owned())
            .hash_files(hashed)
            .build();
        let request = axum::http::Request::get(path).body(Body::empty()).unwrap();
        let response = service(&options).oneshot(request).await.unwrap();
        let header = response.headers().get(CACHE_CONTROL).map(|v| v.to_str().unwrap().to_owned());
        std::fs::remove_dir_all(root).unwrap();
        (response.status(), header.unwrap_or_default())
    }

    #[tokio::test]
    async fn hashed_files_are_kept_for_a_year_and_a_missing_one_never() {
        let css = "/tend.Zm9vYmFyYmF6cXV4cXV1eA.css";
        assert_eq!(cache_control(true, css).await, (StatusCode::OK, FOR_A_YEAR.to_owned()));
        assert_eq!(cache_control(true, "/tend.css").await, (StatusCode::NOT_FOUND, "no-store".to_owned()));
        assert_eq!(cache_control(false, css).await, (StatusCode::OK, "no-cache".to_owned()));
    }
}
