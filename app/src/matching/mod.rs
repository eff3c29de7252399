//! Matching a need with candidates: the ranked list explained (the ranking itself is
//! `candidates::ranking`, over the candidate pool's facts), the filters, and the
//! need's shortlist. It sits above candidates, consent and releases: a row says
//! whether the candidate's consent covers the need's ring and where they are released.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use chrono::{DateTime, NaiveDate, Utc};

use crate::{candidates::model::Score, error::AppError, needs::OccupationView};

/// A ranked candidate for a need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedCandidate {
    /// The candidate's name.
    pub name: String,
    /// Whether the candidate is in the need's ring's pool.
    pub in_pool: bool,
    /// Whether the candidate is on the shortlist.
    pub shortlisted: bool,
    /// Whether all four job-ready criteria hold.
    pub job_ready: bool,
    /// Whether an active consent covers the need's ring.
    pub consent: bool,
    /// The live profile's pseudonym in the need's ring, if released there.
    pub released: Option<String>,
    /// Hired through some release already.
    pub placed: bool,
    /// The explained score.
    pub score: Score,
}

/// The matching page's filters (query `klar`, `samtycke`, `ej-placerad`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchFilters {
    /// Only job-ready candidates.
    pub job_ready: bool,
    /// Only those an active consent covers the ring for.
    pub consent: bool,
    /// Only those not yet placed.
    pub not_placed: bool,
}

/// A candidate on a need's shortlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortlistRow {
    /// The candidate.
    pub candidate_id: i32,
    /// The name.
    pub name: String,
    /// The coordinator's note.
    pub note: String,
    /// Added on.
    pub added_at: DateTime<Utc>,
}

/// Matching for one need: the ranking and the shortlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchView {
    /// The need.
    pub need_id: i32,
    /// Its title.
    pub title: String,
    /// The firm's name.
    pub firm_name: String,
    /// The ring.
    pub ring: (i32, String),
    /// The occupation.
    pub occupation: OccupationView,
    /// The minimum Swedish ("" none).
    pub swedish_level: String,
    /// The licence asked for ("" none).
    pub driving_licence: String,
    /// The start date.
    pub start_date: NaiveDate,
    /// The suggested training ("" none).
    pub suggested_training: String,
    /// How many active candidates were ranked.
    pub considered: usize,
    /// The filters applied.
    pub filters: MatchFilters,
    /// The best, best first.
    pub ranked: Vec<RankedCandidate>,
    /// The shortlist.
    pub shortlist: Vec<ShortlistRow>,
}

/// The candidates ranked for a need, explained, and the need's shortlist.
#[server(endpoint = "candidates/match")]
pub async fn match_need(
    need_id: i32,
    filters: Option<MatchFilters>,
) -> Result<MatchView, AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::match_view(
        &ctx,
        need_id,
        filters.unwrap_or_default(),
        crate::i18n::use_locale(),
    )
    .await
}

/// Puts a candidate on a need's shortlist with a note (again: the note is replaced).
#[server(endpoint = "candidates/shortlist-add")]
pub async fn add_to_shortlist(
    need_id: i32,
    candidate_id: i32,
    note: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::add_to_shortlist(
        &ctx,
        crate::ids::NeedId(need_id),
        crate::ids::CandidateId(candidate_id),
        &note,
    )
    .await?;
    crate::ssr::redirect_plain_form_post(&format!("/behov/{need_id}/matchning#kortlista"));
    Ok(())
}

/// Takes a candidate off a need's shortlist.
#[server(endpoint = "candidates/shortlist-remove")]
pub async fn remove_from_shortlist(need_id: i32, candidate_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::remove_from_shortlist(
        &ctx,
        crate::ids::NeedId(need_id),
        crate::ids::CandidateId(candidate_id),
    )
    .await?;
    crate::ssr::redirect_plain_form_post(&format!("/behov/{need_id}/matchning#kortlista"));
    Ok(())
}
