//! Two wasm bundles: the provider app (`frontend`, `App`) and the client portal
//! (`frontend/portal`, `PortalApp`). A client on a phone downloads only the portal. Both are
//! built by cargo-leptos (the `tend` and `portal` projects in Cargo.toml) with the same output
//! name, so their files differ only by content hash and live side by side in `/pkg`; each
//! build writes its own hash file beside the server binary.

use leptos::prelude::*;

use crate::public::NotFoundPage;

/// The portal's hash file, beside the server binary (`hash-file-name` of the `portal` project).
pub const PORTAL_HASH_FILE: &str = "portal-hash.txt";

/// The options that point the page at the portal's wasm rather than the provider app's.
pub fn portal_options(options: &LeptosOptions) -> LeptosOptions {
    let mut portal = options.clone();
    portal.hash_file = PORTAL_HASH_FILE.into();
    portal.hash_files = options.hash_files && portal_hash_file_exists();
    portal
}

/// Whether the portal's hash file is there: without it (a build of the provider app alone)
/// leptos would panic reading it. Looked up once, not on every portal page.
fn portal_hash_file_exists() -> bool {
    static EXISTS: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| beside_binary(PORTAL_HASH_FILE).is_some_and(|path| path.is_file()));
    *EXISTS
}

/// Whether the page being rendered is the client portal's (`shell` picks its wasm by this).
#[cfg(feature = "ssr")]
pub fn is_portal_request() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| is_portal_path(parts.uri.path()))
}

/// The portal's pages live under `/p/{slug}`.
pub fn is_portal_path(path: &str) -> bool {
    path.starts_with("/p/")
}

fn beside_binary(name: &str) -> Option<std::path::PathBuf> {
    std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(name)))
}

/// Loads this bundle's wasm and hydrates the page, once the page has painted. Leptos's
/// `HydrationScripts` asks for the wasm from `<head>` (and for each lazy area's chunks: 40 files
/// on the sign-up page); on a slow line those downloads share it with the page's own stylesheet,
/// and Lighthouse counts every file that finished before the largest paint towards it (its
/// sign-up LCP moved between 1.1 and 3.0 s with how the race went). The page is drawn on the
/// server and its forms work without wasm, so its code can wait for the first paint. The area's
/// chunks are fetched when the route starts hydrating (`lazy_area!`'s preload), all at once.
#[cfg(feature = "ssr")]
#[component]
pub fn Hydration(options: LeptosOptions) -> impl IntoView {
    let (js, wasm) = files::of(&options);
    let pkg = format!("/{}", options.site_pkg_dir);
    let script = format!(
        "const start = () => import({js:?}).then((m) => m.default({{ module_or_path: {wasm:?} }}).then(() => m.hydrate()));\n\
         if (document.visibilityState === \"visible\") requestAnimationFrame(() => setTimeout(start, 0)); else start();",
        js = format!("{pkg}/{js}"),
        wasm = format!("{pkg}/{wasm}"),
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

/// The names of a bundle's JavaScript and wasm files.
#[cfg(feature = "ssr")]
mod files {
    use std::{
        collections::HashMap,
        sync::{LazyLock, Mutex},
    };

    use leptos::prelude::LeptosOptions;

    /// Each bundle's names, read once (by hash file name: one per bundle).
    static READ: LazyLock<Mutex<HashMap<String, (String, String)>>> = LazyLock::new(Default::default);

    pub fn of(options: &LeptosOptions) -> (String, String) {
        let mut read = READ.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        read.entry(options.hash_file.to_string()).or_insert_with(|| names(options)).clone()
    }

    /// `{output}.{hash}.js` and `.wasm` from the hash file beside the server binary when the
    /// names are hashed; else cargo-leptos's plain names (`_bg` when it did not set the output
    /// name, as `HydrationScripts` does).
    fn names(options: &LeptosOptions) -> (String, String) {
        let output = options.output_name.to_string();
        let hashes = options
            .hash_files
            .then(|| super::beside_binary(&options.hash_file).and_then(|path| std::fs::read_to_string(path).ok()))
            .flatten();
        let hash_of = |key: &str| {
            hashes.as_deref()?.lines().find_map(|line| {
                line.split_once(':').filter(|(k, _)| k.trim() == key).map(|(_, hash)| hash.trim().to_owned())
            })
        };
        match (hash_of("js"), hash_of("wasm")) {
            (Some(js), Some(wasm)) => (format!("{output}.{js}.js"), format!("{output}.{wasm}.wasm")),
            _ if option_env!("LEPTOS_OUTPUT_NAME").is_none() => (format!("{output}.js"), format!("{output}_bg.wasm")),
            _ => (format!("{output}.js"), format!("{output}.wasm")),
        }
    }
}

/// Drawn for an address the app in this page does not know. On the server, and while the page
/// hydrates, that is "page not found". After a client-side navigation (a link or redirect from
/// the provider app into the portal, or out of it) the other app may well draw it: the page is
/// loaded from the server, which knows both, and "Loading…" shows meanwhile.
#[component]
pub fn OtherAppOrNotFound() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if page_is_hydrated() {
        load_from_server(leptos_router::hooks::use_location());
        return view! { <crate::ui::Loading /> }.into_any();
    }
    view! { <NotFoundPage /> }.into_any()
}

#[cfg(feature = "hydrate")]
fn load_from_server(location: leptos_router::location::Location) {
    let search = location.search.get_untracked();
    let href = format!(
        "{}{}{}{}",
        location.pathname.get_untracked(),
        if search.is_empty() { "" } else { "?" },
        search,
        location.hash.get_untracked()
    );
    // After the router has put the address in the history, so it is replaced, not added.
    set_timeout(
        move || {
            let _ = window().location().replace(&href);
        },
        std::time::Duration::ZERO,
    );
}

/// Set on `<body>` by `hydrate_body` once the page has hydrated.
#[cfg(feature = "hydrate")]
const HYDRATED: &str = "data-hydrated";

#[cfg(feature = "hydrate")]
fn page_is_hydrated() -> bool {
    document().body().is_some_and(|body| body.has_attribute(HYDRATED))
}

/// What each wasm entry point (`frontend`, `frontend/portal`) runs: hydrates the
/// server-rendered `<body>` with `app`. Like `leptos::mount::hydrate_lazy`, then a mark on
/// `<body>`: hydration waits for the page's own wasm (its lazy route), so only after it does
/// every control answer. Browser tests (and people reading the DOM) wait for `data-hydrated`.
#[cfg(feature = "hydrate")]
pub fn hydrate_body<V: IntoView + 'static>(app: fn() -> V) {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async move {
        let body = document().body().expect("the page has a body");
        leptos::mount::hydrate_from_async(body.clone(), app).await.forget();
        let _ = body.set_attribute(HYDRATED, "true");
    });
}

#[cfg(test)]
mod tests {
    use super::is_portal_path;

    #[test]
    fn portal_pages_are_the_ones_under_p() {
        assert!(is_portal_path("/p/green-leaf"));
        assert!(is_portal_path("/p/green-leaf/book"));
        assert!(!is_portal_path("/p"));
        assert!(!is_portal_path("/app/clients"));
        assert!(!is_portal_path("/pricing/p/x"));
    }
}
