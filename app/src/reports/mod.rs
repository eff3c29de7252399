//! Follow-up (uppföljning): the measurable goals of the Linköping model for a period
//! and all rings or one, broken down by gender and age band, with charts, CSV export
//! and a print view for staff; and each ring's own statistics for its members, with
//! small cells suppressed.

pub mod charts;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod tables;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use model::{Figures, Period, Shown};

/// A ring as a report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingRef {
    /// Its id.
    pub id: i32,
    /// Its name.
    pub name: String,
}

/// A staff report: the figures and what they cover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    /// Every figure.
    pub figures: Figures,
    /// The ring it covers, or None for all rings.
    pub ring: Option<RingRef>,
    /// Every ring, for the choice of scope.
    pub rings: Vec<RingRef>,
    /// Erased candidates counted in the cohort figures (all rings only).
    pub erased: u32,
}

/// A ring's statistics as its members see them: suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingStatsView {
    /// The ring.
    pub ring: RingRef,
    /// The year shown.
    pub year: i32,
    /// The years one can choose (from the ring's first to the current one).
    pub years: Vec<i32>,
    /// What the year covers, or None when it has no complete quarter yet.
    pub period: Option<Period>,
    /// Needs that first opened in the period (hidden under 3 too: a need is a firm's).
    pub needs_posted: Shown,
    /// Needs marked filled in the period, hidden under 3.
    pub needs_filled: Shown,
    /// Candidates who began an internship at the ring's firms, suppressed.
    pub internships: [Shown; model::COLUMNS],
    /// Candidates who began a job at the ring's firms, suppressed.
    pub hires: [Shown; model::COLUMNS],
}

/// The report for `from`–`to` (ISO dates; empty: the default period) and `ring`
/// (an id, or empty for all rings). Staff only.
#[server(endpoint = "reports/report")]
pub async fn outcome_report(
    from: String,
    to: String,
    ring: String,
) -> Result<ReportView, AppError> {
    let authed = crate::auth::require_staff().await?;
    let query = service::ReportQuery::parse(&from, &to, &ring, crate::i18n::today())?;
    service::report(&authed.db, &query).await
}

/// Ring `ring`'s statistics for `year` (empty: the latest with figures). Staff and
/// the ring's members.
#[server(endpoint = "reports/ring-stats")]
pub async fn ring_statistics(ring: String, year: String) -> Result<RingStatsView, AppError> {
    // An id that is not a number is a ring that does not exist: not found, once the
    // caller is known (a stranger learns nothing either way).
    let Ok(ring_id) = ring.trim().parse::<i32>() else {
        crate::auth::require_user().await?;
        return Err(AppError::NotFound);
    };
    let (authed, _) = crate::auth::require_ring_access(ring_id).await?;
    service::ring_stats(&authed.db, ring_id, &year, crate::i18n::today()).await
}

/// Every ring, for the report's choice of scope. Staff only.
#[server(endpoint = "reports/rings")]
pub async fn report_rings() -> Result<Vec<RingRef>, AppError> {
    let authed = crate::auth::require_staff().await?;
    service::rings(&authed.db).await
}
