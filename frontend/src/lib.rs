//! The browser half of Broar: the islands. Every page is rendered on the server and
//! works without JavaScript; only the few parts that gain from running in the browser
//! (`#[island]` components in `app`, such as the occupation picker's suggestions and a
//! post's preview) are hydrated. The page's loader (`app::assets`) calls `hydrate` and
//! then each island's exported function.

// The islands' exported functions live in `app`; this links them into the bundle.
extern crate app;

/// Sets up the browser's reactive runtime for the islands (called by the loader).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
