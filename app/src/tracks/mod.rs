//! Job tracks (jobbspår, Norrköping's method): a short vocational training for one
//! occupation in demand, built from a row of the competence-needs analysis, with a
//! provider, dates, seats and Swedish for the trade; the ring's firms that commit
//! internship places and jobs (each confirms for itself in the portal); and the
//! candidates enrolled from a ranked list under a consent that covers the ring.
//!
//! What a committed firm sees of the participants is their released profiles in the
//! track's ring, [`crate::releases::ProfileCard`]s under the same consent and guard
//! as any release; no other type here carries candidate data to an employer.

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod entity;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod views;

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    candidates::model::Score, error::AppError, needs::OccupationView, releases::ProfileCard,
};
use model::{CommitmentStatus, ParticipantStatus, TrackStatus};

/// A track's own details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackFacts {
    /// The id.
    pub id: i32,
    /// Its name.
    pub title: String,
    /// The ring it is run with: id and name.
    pub ring: (i32, String),
    /// The occupation (a unit group).
    pub occupation: OccupationView,
    /// The training's name.
    pub training_name: String,
    /// Who gives it.
    pub provider: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Seats.
    pub seats: i32,
    /// The Swedish needed on entry ("" none).
    pub swedish_level: String,
    /// Swedish for the trade.
    pub swedish_for_trade: String,
    /// Where it is in its life.
    pub status: TrackStatus,
}

/// A track in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackSummary {
    /// The track.
    pub facts: TrackFacts,
    /// Taking part now.
    pub enrolled: u32,
    /// Internship places the firms confirmed.
    pub internships: i32,
    /// Jobs the firms confirmed.
    pub jobs: i32,
    /// Firms that have not answered yet.
    pub waiting: u32,
    /// The caller's own firm's commitment (employers).
    pub own: Option<CommitmentStatus>,
}

/// The tracks the caller may see: all for staff, their firm's for an employer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackList {
    /// Open ones first (by start), then the rest (latest first).
    pub tracks: Vec<TrackSummary>,
    /// Whether the caller is staff.
    pub staff: bool,
}

/// A firm's commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentView {
    /// The id.
    pub id: i32,
    /// The firm: id and name.
    pub firm: (i32, String),
    /// Internship places.
    pub internships: i32,
    /// Jobs at the end.
    pub jobs: i32,
    /// Where it stands.
    pub status: CommitmentStatus,
    /// The firm's note with its answer.
    pub note: String,
    /// Who answered for the firm, and when.
    pub answered: Option<(String, DateTime<Utc>)>,
}

/// A participant, as staff see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantView {
    /// The participation's id.
    pub id: i32,
    /// The candidate: id and name.
    pub candidate: (i32, String),
    /// Enrolled on.
    pub enrolled_on: NaiveDate,
    /// Taking part, completed or left.
    pub status: ParticipantStatus,
    /// Completed or left on.
    pub ended_on: Option<NaiveDate>,
    /// Whether an active consent covers the track's ring today.
    pub consent: bool,
    /// The live profile's pseudonym in the ring, if released there.
    pub pseudonym: Option<String>,
}

/// A candidate ranked for the track's occupation (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackCandidate {
    /// The name.
    pub name: String,
    /// Whether all four job-ready criteria hold.
    pub job_ready: bool,
    /// Whether an active consent covers the track's ring.
    pub consent: bool,
    /// The explained score.
    pub score: Score,
}

/// The track page for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTrack {
    /// The track.
    pub facts: TrackFacts,
    /// The firms asked to commit.
    pub firms: Vec<CommitmentView>,
    /// The ring's firms not yet asked: id and name.
    pub firm_choices: Vec<(i32, String)>,
    /// The participants, taking part first.
    pub participants: Vec<ParticipantView>,
    /// Candidates in the programme ranked for the occupation, not yet enrolled.
    pub ranked: Vec<TrackCandidate>,
    /// How many candidates were ranked.
    pub considered: usize,
    /// Today in Stockholm.
    pub today: NaiveDate,
}

/// The track page for an employer of a firm asked to commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmTrack {
    /// The track.
    pub facts: TrackFacts,
    /// The caller's firm's commitment.
    pub own: CommitmentView,
    /// Other firms that confirmed: name, internship places, jobs.
    pub others: Vec<(String, i32, i32)>,
    /// Taking part now.
    pub enrolled: u32,
    /// The participants' live profiles in the ring (once the firm confirmed).
    pub profiles: Vec<ProfileCard>,
}

/// The track page: what the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrackPage {
    /// Staff.
    Staff(StaffTrack),
    /// An employer of a firm asked to commit.
    Firm(FirmTrack),
}

/// What the track form offers (a new track, or one being edited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackFormChoices {
    /// Active rings: id and name.
    pub rings: Vec<(i32, String)>,
    /// The ring asked for.
    pub ring: Option<i32>,
    /// The occupation asked for, as the picker shows it.
    pub occupation: Option<String>,
    /// The track being edited.
    pub track: Option<TrackFacts>,
}

/// A candidate's place in a track, as their timeline shows it (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateTrack {
    /// The track.
    pub track_id: i32,
    /// Its name.
    pub title: String,
    /// The training and its provider.
    pub training: String,
    /// The track's first and last day.
    pub starts_on: NaiveDate,
    /// Its last day.
    pub ends_on: NaiveDate,
    /// Enrolled on.
    pub enrolled_on: NaiveDate,
    /// Taking part, completed or left.
    pub status: ParticipantStatus,
    /// Completed or left on.
    pub ended_on: Option<NaiveDate>,
}

/// The tracks the caller may see.
#[server(endpoint = "tracks/list")]
pub async fn list_tracks() -> Result<TrackList, AppError> {
    let ctx = crate::auth::require_user().await?;
    views::list(&ctx, crate::i18n::use_locale()).await
}

/// One track as the caller may see it: everything for staff; for an employer of a
/// firm asked to commit, the track, the firm's own commitment and — once it has
/// confirmed — the participants' released profiles.
#[server(endpoint = "tracks/get")]
pub async fn get_track(track_id: i32) -> Result<TrackPage, AppError> {
    let (ctx, access) = crate::tracks::access::track_viewer(track_id).await?;
    views::page(ctx, access, track_id, crate::i18n::use_locale()).await
}

/// The track form's choices (staff): the rings, and a ring and an occupation asked
/// for (from a row of the analysis), or the track being edited.
#[server(endpoint = "tracks/choices")]
pub async fn track_choices(
    ring: String,
    occupation: String,
    track_id: Option<i32>,
) -> Result<TrackFormChoices, AppError> {
    let ctx = crate::auth::require_staff().await?;
    views::choices(
        &ctx,
        &ring,
        &occupation,
        track_id,
        crate::i18n::use_locale(),
    )
    .await
}

/// Creates a track (staff).
#[server(endpoint = "tracks/create")]
pub async fn create_track(
    #[server(flatten)] form: model::TrackForm,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let id = service::create(&ctx, &form).await?;
    crate::ssr::redirect_plain_form_post(&format!("/jobbspar/{id}?sparat=1"));
    Ok(id)
}

/// Changes a planned or running track (staff).
#[server(endpoint = "tracks/update")]
pub async fn update_track(
    track_id: i32,
    #[server(flatten)] form: model::TrackForm,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::update(&ctx, track_id, &form).await?;
    crate::ssr::redirect_plain_form_post(&format!("/jobbspar/{track_id}?sparat=1"));
    Ok(())
}

/// Moves a track on: running, completed or cancelled (staff).
#[server(endpoint = "tracks/status")]
pub async fn set_track_status(track_id: i32, status: String) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::set_status(&ctx, track_id, &status).await?;
    crate::ssr::redirect_plain_form_post(&format!("/jobbspar/{track_id}?sparat=status"));
    Ok(())
}

/// Asks a firm of the track's ring to commit internship places and jobs (staff).
#[server(endpoint = "tracks/propose")]
pub async fn propose_commitment(
    track_id: i32,
    firm_id: String,
    internships: String,
    jobs: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::propose(&ctx, track_id, &firm_id, &internships, &jobs).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/jobbspar/{track_id}?sparat=foretag#firms-heading"
    ));
    Ok(())
}

/// The firm's own answer (its employers): `answer` "confirm" (with the places and
/// jobs it commits) or "decline", and a note.
#[server(endpoint = "tracks/answer")]
pub async fn answer_commitment(
    track_id: i32,
    answer: String,
    #[server(default)] internships: String,
    #[server(default)] jobs: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let who = crate::tracks::access::commitment_answerer(track_id).await?;
    let confirm = match answer.as_str() {
        "confirm" => true,
        "decline" => false,
        _ => return Err(AppError::field("answer", "field-choice-invalid")),
    };
    service::answer(&who, confirm, &internships, &jobs, &note).await?;
    crate::ssr::redirect_plain_form_post(&format!("/jobbspar/{track_id}?sparat=svar"));
    Ok(())
}

/// Enrols a candidate in the track (staff), under a consent that covers its ring.
#[server(endpoint = "tracks/enrol")]
pub async fn enrol_candidate(track_id: i32, candidate_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::enrol(&ctx, track_id, candidate_id).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/jobbspar/{track_id}?sparat=deltagare#participants-heading"
    ));
    Ok(())
}

/// Records that a participant completed or left the track (staff).
#[server(endpoint = "tracks/end")]
pub async fn end_participation(
    track_id: i32,
    participant_id: String,
    outcome: String,
    ended_on: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::end_participation(&ctx, track_id, &participant_id, &outcome, &ended_on).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/jobbspar/{track_id}?sparat=avslutad#participants-heading"
    ));
    Ok(())
}

/// A candidate's tracks, for their timeline (staff).
#[server(endpoint = "tracks/candidate")]
pub async fn candidate_tracks(candidate_id: i32) -> Result<Vec<CandidateTrack>, AppError> {
    let ctx = crate::auth::require_staff().await?;
    views::of_candidate(&ctx, candidate_id).await
}
