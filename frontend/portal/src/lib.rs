//! The client portal's wasm entry point: hydrates the server-rendered page with `PortalApp`,
//! so a client's phone downloads nothing of the provider app.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    tend_app::bundles::hydrate_body(tend_app::PortalApp);
}
