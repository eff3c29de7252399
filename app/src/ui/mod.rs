//! Shared components: the page frame (skip link, header, navigation, language
//! switch, footer), form fields with labels, hints and errors, and error views.

mod forms;
mod layout;

pub use forms::*;
pub use layout::*;

use leptos::prelude::*;

use crate::{error::AppError, i18n::use_locale};

/// The sentence shown for an error, in the reader's language. An unexpected error
/// shows its request id so support can find the cause in the log.
pub fn error_text(error: &AppError) -> String {
    let locale = use_locale();
    match error {
        AppError::Unexpected { request_id } => {
            locale.t_args("error-unexpected", &[("id", request_id.clone())])
        }
        other => locale.t(other.message_key()),
    }
}

/// A page-level error message (a failed load, a refused request).
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(error.status());
    }
    view! {
        <div class="notice notice--error" role="alert">
            <h2>{locale.t("error-title")}</h2>
            <p>{error_text(&error)}</p>
        </div>
    }
}

/// The page for an address that leads nowhere; answers 404.
#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <leptos_meta::Title text=locale.t("notfound-title") />
        <h1>{locale.t("notfound-title")}</h1>
        <p>{locale.t("notfound-text")}</p>
        <p>
            <a href="/">{locale.t("notfound-home")}</a>
        </p>
    }
}
