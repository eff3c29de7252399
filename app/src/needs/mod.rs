//! Recruitment needs: what a firm puts on its ring's table, with the occupation from
//! SSYK 2012, and their way from draft to open to filled or closed, with history.
//!
//! Employers post and edit needs for their own firm in the rings the firm is in;
//! coordinators for any member firm. Members of a ring see its open, filled and closed
//! needs and their own firm's drafts; coordinators see everything.

// The need form's server fns take the whole form as one `model::NeedForm`, flattened,
// so the form posts plain field names with or without JavaScript.

#[cfg(feature = "ssr")]
#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod kept;
pub mod model;
#[cfg(feature = "ssr")]
pub mod occupations;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use model::{BoardFilters, EmploymentForm, NeedForm, NeedStatus};

/// An SSYK 2012 group, named in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupationView {
    /// The code (1–4 digits).
    pub code: String,
    /// The name.
    pub name: String,
    /// The level (1 = major group … 4 = unit group).
    pub level: i16,
}

impl OccupationView {
    /// "5321 – Undersköterskor, hemtjänst, …", as pickers show it.
    pub fn label(&self) -> String {
        format!("{} – {}", self.code, self.name)
    }
}

/// A need in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedSummary {
    /// The id.
    pub id: i32,
    /// The ring.
    pub ring_id: i32,
    /// The ring's name.
    pub ring_name: String,
    /// The firm.
    pub firm_id: i32,
    /// The firm's name.
    pub firm_name: String,
    /// The occupation.
    pub occupation: OccupationView,
    /// The title.
    pub title: String,
    /// How many people.
    pub positions: i32,
    /// From when.
    pub start_date: NaiveDate,
    /// How the job is offered.
    pub employment_form: EmploymentForm,
    /// Where it stands.
    pub status: NeedStatus,
    /// Whether an internship can come first.
    pub internship_first: bool,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
}

/// A needs board: the needs matching the filters, and the choices for the filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedBoard {
    /// The ring, or `None` for the coordinators' view across rings.
    pub ring: Option<(i32, String)>,
    /// The needs, in the order asked for.
    pub needs: Vec<NeedSummary>,
    /// Positions in the needs shown.
    pub positions: i32,
    /// How many needs per status, among those matching the other filters.
    pub by_status: Vec<(NeedStatus, usize)>,
    /// Firms to filter by, (id, name).
    pub firms: Vec<(i32, String)>,
    /// Occupation groups to filter by (levels 1 and 2).
    pub groups: Vec<OccupationView>,
    /// Whether the caller may post a need here.
    pub can_post: bool,
    /// The filters it was read with, as the server understood them: each the value
    /// its choice in the filter form has (`BoardFilter::applied`).
    pub chosen: BoardFilters,
}

/// Names a needs board as one caller sees it, and the database's change counter when
/// it was named: two pages with the same stamp show the same board. The page keeps its
/// rendering per process under it (`needs::kept`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BoardStamp {
    /// The ring, the caller's view of it (staff, or which firm), the language and the
    /// filters.
    pub key: String,
    /// The counter that every change to needs, firms, rings and memberships moves
    /// (and nothing else).
    pub version: i64,
}

/// One step in a need's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedEventView {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What: created, edited, status.
    pub action: String,
    /// The detail (new status, or the fields that changed).
    pub detail: String,
}

/// Everything about a need, for its page and its edit form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedDetail {
    /// The list's fields.
    pub summary: NeedSummary,
    /// The description.
    pub description: String,
    /// Skills required.
    pub required_skills: String,
    /// Skills that count in one's favour.
    pub merit_skills: String,
    /// The lowest Swedish asked for, if any ("B1", "SFI-C").
    pub swedish_level: Option<String>,
    /// Other languages asked for.
    pub other_languages: String,
    /// The driving licence asked for, if any.
    pub driving_licence: Option<String>,
    /// A short vocational training that would close a small gap.
    pub suggested_training: String,
    /// The history, oldest first.
    pub history: Vec<NeedEventView>,
    /// Whether the caller may edit it and change its status.
    pub can_edit: bool,
    /// Whether the caller is municipal staff (may match candidates to it).
    pub staff: bool,
    /// The statuses it can move to.
    pub next: Vec<NeedStatus>,
    /// Today in Stockholm, by the server's clock (the edit form's earliest start).
    pub today: NaiveDate,
}

/// What the new-need form needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedFormChoices {
    /// The ring.
    pub ring_id: i32,
    /// The ring's name.
    pub ring_name: String,
    /// The firms the caller may post for, (id, name): an employer's own, or the ring's
    /// member firms for staff.
    pub firms: Vec<(i32, String)>,
    /// Today in Stockholm (the earliest start date).
    pub today: NaiveDate,
    /// Occupations matching the no-JavaScript search (`?yrke=`).
    pub matches: Vec<OccupationView>,
}

/// Up to 20 SSYK unit groups matching `query`: a code's first digits, or words from
/// the Swedish or English names.
#[server(endpoint = "occupations/search")]
pub async fn search_occupations(query: String) -> Result<Vec<OccupationView>, AppError> {
    let ctx = crate::auth::require_user().await?;
    occupations::search(&ctx.db, &query, crate::i18n::use_locale(), 20).await
}

/// A ring's needs board (`ring_id` 0: every ring, for staff), with filters: an SSYK
/// group code at any level, an employment form, a status, a firm; sorted by start
/// date (`sort=start`) or newest first.
#[server(endpoint = "needs/board")]
pub async fn needs_board(
    ring_id: i32,
    #[server(flatten)] filters: BoardFilters,
) -> Result<NeedBoard, AppError> {
    let (ctx, ring, access) = access::board_reader(ring_id).await?;
    let filter = service::BoardFilter::parse(&filters)?;
    service::board(&ctx.db, ring, &access, &filter, crate::i18n::use_locale()).await
}

/// The stamp of the board `needs_board` would answer with the same arguments, in one
/// statement after the caller's access: its page shows a rendering this process kept
/// while the stamp is the same.
#[server(endpoint = "needs/board-stamp")]
pub async fn needs_board_stamp(
    ring_id: i32,
    #[server(flatten)] filters: BoardFilters,
) -> Result<BoardStamp, AppError> {
    let (ctx, ring, access) = access::board_reader(ring_id).await?;
    let filter = service::BoardFilter::parse(&filters)?;
    service::board_stamp(&ctx.db, ring, &access, &filter, crate::i18n::use_locale()).await
}

/// One need with its history.
#[server(endpoint = "needs/get")]
pub async fn get_need(need_id: i32) -> Result<NeedDetail, AppError> {
    let (ctx, access) = crate::needs::access::need_viewer(need_id).await?;
    service::detail(&ctx.db, &access, need_id, crate::i18n::use_locale()).await
}

/// The choices of the new-need form in a ring; `yrke` searches occupations for the
/// form without JavaScript.
#[server(endpoint = "needs/form-options")]
pub async fn need_form_options(ring_id: i32, yrke: String) -> Result<NeedFormChoices, AppError> {
    let (ctx, access) = crate::auth::require_ring_access(ring_id).await?;
    service::form_options(&ctx.db, &access, ring_id, &yrke, crate::i18n::use_locale()).await
}

/// Posts a need in a ring, for the caller's firm (staff: for a member firm).
#[server(endpoint = "needs/post")]
pub async fn post_need(
    ring_id: i32,
    firm_id: String,
    status: String,
    #[server(flatten)] need: NeedForm,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let (ctx, access) = crate::auth::require_ring_access(ring_id).await?;
    let id = service::post(&ctx, &access, ring_id, &firm_id, &need, &status).await?;
    crate::ssr::redirect_plain_form_post(&format!("/behov/{id}?sparat=1"));
    Ok(id)
}

/// Edits a need.
#[server(endpoint = "needs/update")]
pub async fn update_need(need_id: i32, #[server(flatten)] need: NeedForm) -> Result<(), AppError> {
    let editor = crate::needs::access::need_editor(need_id).await?;
    service::update(&editor, &need).await?;
    crate::ssr::redirect_plain_form_post(&format!("/behov/{need_id}?sparat=1"));
    Ok(())
}

/// Moves a need on: open, filled, closed (or open again).
#[server(endpoint = "needs/status")]
pub async fn set_need_status(need_id: i32, status: String) -> Result<(), AppError> {
    let editor = crate::needs::access::need_editor(need_id).await?;
    let status = NeedStatus::parse(&status)
        .ok_or_else(|| AppError::field("status", "field-choice-invalid"))?;
    service::set_status(&editor, status).await?;
    crate::ssr::redirect_plain_form_post(&format!("/behov/{need_id}?status=1"));
    Ok(())
}
