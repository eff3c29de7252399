//! The accessibility statement (tillgänglighetsredogörelse) and its feedback form,
//! which the Swedish act on accessible digital public services requires.

#[cfg(feature = "ssr")]
pub mod entity;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use leptos::prelude::*;

use crate::error::AppError;

/// Receives a report of an accessibility problem from anyone; returns its reference.
#[server(endpoint = "accessibility/feedback")]
pub async fn send_accessibility_feedback(
    email: String,
    page: String,
    message: String,
    #[server(default)] __once: String,
) -> Result<String, AppError> {
    let ctx = crate::auth::public_endpoint().await?;
    let report = model::NewFeedback::parse(&email, &page, &message)?;
    let locale = crate::i18n::use_locale();
    let reference = service::record(&ctx.db, &report, locale).await?;
    crate::ssr::redirect_plain_form_post(&format!("/tillganglighet?skickat={reference}#feedback"));
    Ok(reference)
}
