//! The competence-needs analysis (kompetensbehovsanalys, `/analys`, staff only): the
//! needs of the local employers, open at some time in a period, aggregated by SSYK
//! occupation group — positions asked for and filled, the lead time from posting to
//! filled, the Swedish level and licence asked for — against the candidate pool's
//! supply for the same groups, job-ready or not, by gender and age band. As tables,
//! a chart and CSV files. It is the first step of Norrköping's job tracks.
//!
//! Only staff see it, so nothing is suppressed: it holds counts of the municipality's
//! own candidates, never a person.

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod tables;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{error::AppError, reports::model::Period};
use model::GroupFigures;

/// What an analysis covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// The period.
    pub period: Period,
    /// One ring's needs, or all.
    pub ring: Option<i32>,
    /// The needs of one municipality's firms, or all.
    pub municipality: Option<i32>,
    /// Digits of the SSYK code that make a group.
    pub digits: usize,
}

/// One occupation group: its name and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    /// The group's name in the reader's language ("" if the code is unknown).
    pub name: String,
    /// Demand and supply.
    pub figures: GroupFigures,
}

/// The analysis page's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisView {
    /// What it covers.
    pub scope: Scope,
    /// One row per group with demand, most positions first.
    pub rows: Vec<GroupRow>,
    /// Every ring, (id, name), for the choice of scope.
    pub rings: Vec<(i32, String)>,
    /// Every municipality, (id, name).
    pub municipalities: Vec<(i32, String)>,
}

/// The analysis for `from`–`to` (ISO dates; empty: the last twelve months), `ring`
/// and `municipality` (ids, or empty for all) at `level` digits (1–4; empty: 4).
/// Staff only.
#[server(endpoint = "analysis")]
pub async fn competence_analysis(
    from: String,
    to: String,
    ring: String,
    municipality: String,
    level: String,
) -> Result<AnalysisView, AppError> {
    let authed = crate::auth::require_staff().await?;
    let today = crate::i18n::today();
    let query = service::AnalysisQuery::parse(&from, &to, &ring, &municipality, &level, today)?;
    // The groups' names in the reader's language (the cookie the page was asked with).
    let locale = use_context::<http::request::Parts>()
        .and_then(|parts| crate::i18n::locale_from_cookie_header(&parts.headers))
        .unwrap_or_default();
    service::analysis(&authed.db, &query, locale).await
}

/// Every ring and municipality, (id, name), for the choice of scope: the form keeps
/// its choices when the analysis itself is refused (a period that ends before it
/// starts, say). Staff only.
#[server(endpoint = "analysis/choices")]
pub async fn analysis_choices() -> Result<(Vec<(i32, String)>, Vec<(i32, String)>), AppError> {
    let authed = crate::auth::require_staff().await?;
    service::scope_choices(&authed.db).await
}
