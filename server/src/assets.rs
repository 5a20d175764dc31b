//! The wasm, JavaScript and CSS under `/pkg`. cargo-leptos builds them with content-hashed
//! names (`hash-files = true`) and writes the hashes to `hash.txt` beside the server binary:
//! a name never changes content, so browsers keep the files for a year and a new build is
//! fetched by its new names. Pages themselves are never cached (`security_headers`).
//!
//! The build writes a brotli copy of each file at the best quality beside it
//! (`scripts/precompress.mjs`); browsers that take brotli get that copy. The router's
//! compression of responses on the fly, at a fast quality, sent the main wasm 20% larger.

use std::path::{Path, PathBuf};

use axum::http::{
    HeaderValue, Response, StatusCode,
    header::{CACHE_CONTROL, VARY},
};
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

/// Serves `site_root/pkg`, each file's `.br` copy when there is one and the browser takes
/// brotli: for a year when the names are hashed, else revalidated each time; a missing file is
/// never cached.
pub fn service(options: &LeptosOptions) -> SetResponseHeader<SetResponseHeader<ServeDir, CacheHeader>, HeaderValue> {
    let dir = Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let header: CacheHeader = if options.hash_files { kept_for_a_year } else { revalidated };
    let files = SetResponseHeaderLayer::overriding(CACHE_CONTROL, header).layer(ServeDir::new(dir).precompressed_br());
    // One address, two bodies: a cache between must keep them apart.
    SetResponseHeaderLayer::if_not_present(VARY, HeaderValue::from_static("accept-encoding")).layer(files)
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

    /// A site whose pkg folder holds a stylesheet and a wasm file with its brotli copy.
    fn site(hashed: bool) -> (std::path::PathBuf, LeptosOptions) {
        let root = std::env::temp_dir().join(format!("tend-assets-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        std::fs::write(root.join("pkg/tend.Zm9vYmFyYmF6cXV4cXV1eA.css"), "body{}").unwrap();
        std::fs::write(root.join("pkg/tend.cXV4cXV1eGZvb2Jhcg.wasm"), "the wasm").unwrap();
        std::fs::write(root.join("pkg/tend.cXV4cXV1eGZvb2Jhcg.wasm.br"), "its brotli copy").unwrap();
        let options = LeptosOptions::builder()
            .output_name("tend")
            .site_root(root.to_string_lossy().into_owned())
            .hash_files(hashed)
            .build();
        (root, options)
    }

    async fn get(hashed: bool, path: &str, accept_encoding: &str) -> Response<Body> {
        let (root, options) = site(hashed);
        let request =
            axum::http::Request::get(path).header("accept-encoding", accept_encoding).body(Body::empty()).unwrap();
        let response = service(&options).oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(Body::new(body), usize::MAX).await.unwrap();
        std::fs::remove_dir_all(root).unwrap();
        Response::from_parts(parts, Body::from(bytes))
    }

    async fn cache_control(hashed: bool, path: &str) -> (StatusCode, String) {
        let response = get(hashed, path, "").await;
        let header = response.headers().get(CACHE_CONTROL).map(|v| v.to_str().unwrap().to_owned());
        (response.status(), header.unwrap_or_default())
    }

    async fn text(response: Response<Body>) -> String {
        String::from_utf8(axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap()
    }

    #[tokio::test]
    async fn hashed_files_are_kept_for_a_year_and_a_missing_one_never() {
        let css = "/tend.Zm9vYmFyYmF6cXV4cXV1eA.css";
        assert_eq!(cache_control(true, css).await, (StatusCode::OK, FOR_A_YEAR.to_owned()));
        assert_eq!(cache_control(true, "/tend.css").await, (StatusCode::NOT_FOUND, "no-store".to_owned()));
        assert_eq!(cache_control(false, css).await, (StatusCode::OK, "no-cache".to_owned()));
    }

    #[tokio::test]
    async fn a_browser_that_takes_brotli_gets_the_copy_compressed_at_build() {
        let wasm = "/tend.cXV4cXV1eGZvb2Jhcg.wasm";
        let response = get(true, wasm, "gzip, deflate, br, zstd").await;
        assert_eq!(response.headers()["content-encoding"], "br");
        assert_eq!(response.headers()["content-type"], "application/wasm");
        assert_eq!(response.headers()[CACHE_CONTROL], FOR_A_YEAR);
        assert_eq!(response.headers()[VARY], "accept-encoding");
        assert_eq!(text(response).await, "its brotli copy");

        let response = get(true, wasm, "gzip").await;
        assert!(response.headers().get("content-encoding").is_none());
        assert_eq!(text(response).await, "the wasm");
    }
}
