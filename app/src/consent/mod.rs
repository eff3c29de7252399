//! Consent: the wordings admins keep (versioned, per language, each printable as a
//! form to sign), and the consents coordinators record for a candidate — scope of
//! rings, purpose, wording, how and when given, expiry, withdrawal.
//!
//! A consent is the only door through which anything about a candidate leaves the
//! coordinators' scope (see `releases`): withdrawing it, or its expiry, revokes every
//! release under it at once. Every server fn starts with an access check; only admins
//! write wordings, only staff read or record consents.

// The consent form's server fn takes one argument per field, so the form posts plain
// field names with or without JavaScript; the server macro's browser stubs copy no
// attribute from the fn, so the allowance sits on the module.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
pub mod entity;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use model::{ConsentMethod, ConsentStatus};

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

/// A release as the consent and candidate pages list it (staff only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRow {
    /// The pseudonym.
    pub pseudonym: String,
    /// The ring's name.
    pub ring_name: String,
    /// The need it points at, if any.
    pub need_title: Option<String>,
    /// Released at.
    pub released_at: DateTime<Utc>,
    /// Revoked at, and why.
    pub revoked: Option<(DateTime<Utc>, String)>,
}

/// A consent as the candidate's consent page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    /// The id.
    pub id: i32,
    /// The purpose.
    pub purpose: String,
    /// The wording: id, language, version, title.
    pub text: (i32, String, i32, String),
    /// How it was given.
    pub method: ConsentMethod,
    /// The witness of an oral consent.
    pub witness: String,
    /// Given on.
    pub given_on: NaiveDate,
    /// The first day it no longer holds.
    pub expires_on: NaiveDate,
    /// Recorded by whom and when.
    pub recorded: (String, DateTime<Utc>),
    /// Withdrawn: on, how, recorded by.
    pub withdrawn: Option<(NaiveDate, String, String)>,
    /// Where it stands today.
    pub status: ConsentStatus,
    /// The rings in its scope.
    pub rings: Vec<(i32, String)>,
    /// The releases made under it.
    pub releases: Vec<ReleaseRow>,
}

/// A candidate's consents, and the choices for a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateConsents {
    /// The candidate.
    pub candidate_id: i32,
    /// The name.
    pub name: String,
    /// Newest first.
    pub consents: Vec<ConsentView>,
    /// The newest wording in each language: (id, label).
    pub texts: Vec<(i32, String)>,
    /// Active rings.
    pub rings: Vec<(i32, String)>,
    /// Today in Stockholm.
    pub today: NaiveDate,
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
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_admin().await?;
    let id = service::add_text(&ctx, &language, &title, &body).await?;
    crate::ssr::redirect_plain_form_post(&format!("/samtyckestexter?sparat={id}"));
    Ok(id)
}

/// A candidate's consents (staff).
#[server(endpoint = "consent/list")]
pub async fn list_consents(candidate_id: i32) -> Result<CandidateConsents, AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::for_candidate(&ctx, candidate_id).await
}

/// Records a consent the candidate gave (staff); `rings` is every ring in its scope.
#[server(endpoint = "consent/record")]
pub async fn record_consent(
    candidate_id: i32,
    text_id: String,
    purpose: String,
    method: String,
    witness: String,
    given_on: String,
    months: String,
    #[server(default)] rings: Vec<String>,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let fields = service::ConsentFields {
        text_id,
        purpose,
        method,
        witness,
        given_on,
        months,
        rings,
    };
    let id = service::record(&ctx, candidate_id, fields).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}/samtycken?sparat=1"));
    Ok(id)
}

/// Records that the candidate withdrew a consent (staff): every release under it is
/// revoked at once and e-mails that mention them are not sent.
#[server(endpoint = "consent/withdraw")]
pub async fn withdraw_consent(
    consent_id: i32,
    withdrawn_on: String,
    how: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    let candidate_id = service::withdraw(&ctx, consent_id, &withdrawn_on, &how).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}/samtycken?aterkallat=1"
    ));
    Ok(())
}
