//! Broar's application: the page shell, the router and one module per concept.
//! Each concept keeps its DTOs and server functions in `mod.rs`, its pages in
//! `pages.rs`, and (server only) its rules in `service.rs` and tables in `entity.rs`.

#![recursion_limit = "256"]

pub mod accessibility;
pub mod auth;
pub mod error;
pub mod home;
pub mod i18n;
pub mod municipality;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = i18n::provide_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content=locale.t("app-description") />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: meta tags, the router and the page frame.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = i18n::provide_locale();
    let app_name = locale.t("app-name");
    view! {
        <Stylesheet id="leptos" href="/pkg/broar.css" />
        <Title formatter=move |text: String| {
            if text.is_empty() { app_name.clone() } else { format!("{text} – {app_name}") }
        } />
        <Router>
            <ui::Layout>
                <Routes fallback=ui::NotFound>
                    <Route path=path!("") view=home::HomePage />
                    <Route path=path!("tillganglighet") view=accessibility::pages::AccessibilityPage />
                </Routes>
            </ui::Layout>
        </Router>
    }
}
