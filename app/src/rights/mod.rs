//! The data subject's rights: an export of everything Broar holds about a candidate
//! (Art. 15 — a readable page and a machine-readable JSON file), erasure (Art. 17)
//! that removes the person from every table and queue while keeping anonymous counts
//! for the reports, and retention: the worker erases candidates a set number of
//! months after they left the programme. Staff only, every step audited.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    candidates::{CandidateDetail, HealthView},
    error::AppError,
    releases::InterestView,
    releases::consents::ConsentView,
};

/// An entry of the audit log about the candidate (who read or changed what, when).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What, e.g. `candidate.read`.
    pub action: String,
}

/// Everything held about one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateExport {
    /// When the export was made.
    pub generated_at: DateTime<Utc>,
    /// The record, languages, education, occupations, assessments, plan, timeline
    /// and pools.
    pub candidate: CandidateDetail,
    /// Obstacles and health, if recorded.
    pub health: Option<HealthView>,
    /// Consents and the releases made under them.
    pub consents: Vec<ConsentView>,
    /// Employers' interest in the releases: (pseudonym, interest).
    pub interests: Vec<(String, InterestView)>,
    /// Need shortlists: (need title, note).
    pub shortlists: Vec<(String, String)>,
    /// The job tracks the candidate is or was in.
    pub tracks: Vec<crate::tracks::CandidateTrack>,
    /// Who read or changed the data, newest first.
    pub access: Vec<AccessEntry>,
}

/// Everything held about a candidate (staff), health included, so like the health
/// page it asks why: the reason goes into the audit entry of the export.
#[server(endpoint = "rights/export")]
pub async fn export_candidate(
    candidate_id: i32,
    reason: String,
) -> Result<CandidateExport, AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::export(&ctx, candidate_id, crate::i18n::use_locale(), &reason).await
}

/// Erases a candidate (staff), once `confirm_name` repeats the candidate's name.
#[server(endpoint = "rights/erase")]
pub async fn erase_candidate(candidate_id: i32, confirm_name: String) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::erase_on_request(&ctx, candidate_id, &confirm_name).await?;
    crate::ssr::redirect_plain_form_post("/deltagare?raderad=1");
    Ok(())
}
