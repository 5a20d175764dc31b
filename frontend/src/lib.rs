//! The wasm entry point: hydrates the server-rendered page and nothing else.

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // What `leptos::mount::hydrate_lazy` does, then a mark on `<body>`: hydration waits for the
    // page's own wasm (its lazy route), so only after it does every control answer. Browser tests
    // (and people reading the DOM) wait for `data-hydrated`.
    wasm_bindgen_futures::spawn_local(async {
        let body = document().body().expect("the page has a body");
        leptos::mount::hydrate_from_async(body.clone(), tend_app::App).await.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
