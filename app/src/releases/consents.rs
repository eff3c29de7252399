//! A candidate's consents as coordinators work with them: each with the releases made
//! under it, and withdrawal, which revokes those releases in the same transaction.
//! The consent records themselves are the `consent` concept's; this page and the
//! withdrawal sit here because they act on releases.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    consent::model::{ConsentMethod, ConsentStatus},
    error::AppError,
};

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

/// A candidate's consents (staff).
#[server(endpoint = "consent/list")]
pub async fn list_consents(candidate_id: i32) -> Result<CandidateConsents, AppError> {
    let ctx = crate::auth::require_staff().await?;
    super::views::consents_of_candidate(&ctx, candidate_id).await
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
    let candidate_id =
        super::service::withdraw_consent(&ctx, consent_id, &withdrawn_on, &how).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}/samtycken?aterkallat=1"
    ));
    Ok(())
}
