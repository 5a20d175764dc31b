//! The provider app's wasm entry point: hydrates the server-rendered page with `App`. The
//! client portal has an entry of its own (`frontend/portal`), so neither carries the other.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    tend_app::bundles::hydrate_body(tend_app::App);
}
