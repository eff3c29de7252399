//! Consent: the wordings admins keep (versioned, per language, each printable as a
//! form to sign), and the consents coordinators record for a candidate — scope of
//! rings, purpose, wording, how and when given, expiry, withdrawal.
//!
//! A consent is the only door through which anything about a candidate leaves the
//! coordinators' scope: `releases` builds on it, and withdrawing a consent (on the
//! candidate's consent page, `releases::consents`) or its expiry revokes every release
//! under it at once. Every server fn starts with an access check; only admins write
//! wordings, only staff read or record consents.

#[cfg(feature = "ssr")]
pub mod entity;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One version of the consent wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentTextView {
    /// The id.
    pub id: i32,
    /// ISO 639 code.
    pub language: String,
    /// Version within the language (1, 2, …).
    pub version: i32,
    /// The title.
    pub title: String,
    /// The wording.
    pub body: String,
    /// Written on.
    pub created_at: DateTime<Utc>,
    /// Whether it is the newest version in its language.
    pub current: bool,
}

/// Every consent wording, by language, newest version first (staff).
#[server(endpoint = "consent/texts")]
pub async fn consent_texts() -> Result<Vec<ConsentTextView>, AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::texts(&ctx.db).await
}

/// One consent wording, for its printable form (staff).
#[server(endpoint = "consent/text")]
pub async fn consent_text(text_id: i32) -> Result<ConsentTextView, AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::text(&ctx.db, text_id).await
}

/// Adds a new version of the wording in a language (admins). Earlier versions stay
/// as they were: consents refer to the version the candidate saw.
#[server(endpoint = "consent/text-new")]
pub async fn new_consent_text(
    language: String,
    title: String,
    body: String,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_admin().await?;
    let id = service::add_text(&ctx, &language, &title, &body).await?;
    crate::ssr::redirect_plain_form_post(&format!("/samtyckestexter?sparat={id}"));
    Ok(id)
}

/// Records a consent the candidate gave (staff); `rings` is every ring in its scope.
#[server(endpoint = "consent/record")]
pub async fn record_consent(
    candidate_id: i32,
    #[server(flatten)] consent: model::ConsentForm,
    #[server(default)] rings: Vec<String>,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let id = service::record(&ctx, candidate_id, &consent, &rings).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}/samtycken?sparat=1"));
    Ok(id)
}
