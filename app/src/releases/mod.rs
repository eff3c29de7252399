//! Releases: an anonymised profile of a candidate shared with one ring (optionally
//! pointed at one need) under an active consent whose scope covers the ring; the
//! re-identification guard before it; employers' interest, and the personal meeting
//! and outcome the coordinator records.
//!
//! What an employer receives about a candidate is an [`model::AnonymisedProfile`],
//! a [`ProfileCard`] built from one, or — once the candidate agreed to meet that
//! firm — the name on that firm's [`InterestView`]. No other type here carries
//! candidate data to an employer. A revoked release, or one whose consent has
//! expired, shows only "withdrawn" from the next request on.

#[cfg(feature = "ssr")]
pub mod access;
pub mod consent_page;
pub mod consents;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod interest;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod preview;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod views;

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use model::{
    AgeBand, AnonymisedProfile, Change, Field, Levels, ProfileAvailability, ProfileCriteria,
};

crate::candidates::model::choices! {
    /// How a meeting between a firm and a candidate ended.
    Outcome, "outcome-" {
        /// An internship was offered.
        Internship = "internship",
        /// The candidate was hired.
        Hired = "hired",
        /// Not a match.
        NoMatch = "no_match",
    }
}

/// The guard's answer on the release page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Guarded {
    /// The profile below may be released.
    Shown {
        /// How many candidates the exact profile could be.
        crowd_exact: usize,
        /// How many the profile as shown could be (at least k).
        crowd: usize,
        /// What the guard requires, field by field.
        floor: Levels,
        /// What is shown (the floor, or more hidden where the coordinator chose).
        levels: Levels,
    },
    /// Nothing can be released: the installation has fewer than k candidates.
    Refused {
        /// How many it has.
        population: usize,
    },
}

/// One field's ladder on the release page: the rungs the coordinator may choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    /// The field.
    pub field: Field,
    /// Its name.
    pub name: String,
    /// From what the guard requires up to "not shown": (rung, what it shows).
    pub rungs: Vec<(u8, String)>,
    /// The rung shown now.
    pub chosen: u8,
}

/// The release page: the profile that would be released to a ring, after the guard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasePreview {
    /// The candidate.
    pub candidate_id: i32,
    /// The name (the coordinator's page only).
    pub name: String,
    /// Rings an active consent covers.
    pub rings: Vec<(i32, String)>,
    /// The ring chosen.
    pub ring: Option<(i32, String)>,
    /// Open needs in that ring.
    pub needs: Vec<(i32, String)>,
    /// The need the release points at (the guard keeps what it asks for).
    pub need: Option<i32>,
    /// The profile as it would be released (pseudonym and texts still empty).
    pub profile: Option<AnonymisedProfile>,
    /// The guard's answer.
    pub guard: Option<Guarded>,
    /// Each field shown less exactly than recorded, in words.
    pub changes: Vec<Change>,
    /// The fields the coordinator may hide more of.
    pub ladders: Vec<Ladder>,
    /// The levels shown, as the release form posts them.
    pub levels: String,
    /// Sent back with the release, so it releases what the page showed.
    pub fingerprint: String,
    /// The guard's k.
    pub k: usize,
    /// Active releases of this candidate in the chosen ring.
    pub existing: Vec<String>,
}

/// A released profile in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileCard {
    /// The pseudonym.
    pub pseudonym: String,
    /// The headline ("" once withdrawn).
    pub headline: String,
    /// The age band, if shown.
    pub age: Option<AgeBand>,
    /// Occupation names of experience (empty once withdrawn or not shown).
    pub occupations: Vec<String>,
    /// The job-ready criteria, if shown.
    pub criteria: Option<ProfileCriteria>,
    /// When the candidate can start, if shown.
    pub available: Option<ProfileAvailability>,
    /// The need it points at.
    pub need: Option<(i32, String)>,
    /// Released on.
    pub released_at: DateTime<Utc>,
    /// Withdrawn or expired: nothing else is shown.
    pub withdrawn: bool,
}

/// A ring's released profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingProfiles {
    /// The ring.
    pub ring_id: i32,
    /// Its name.
    pub ring_name: String,
    /// Newest first; withdrawn ones last.
    pub profiles: Vec<ProfileCard>,
}

/// A firm's interest in a profile and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestView {
    /// The id.
    pub id: i32,
    /// The firm.
    pub firm_name: String,
    /// The person who asked.
    pub asked_by: String,
    /// The message.
    pub message: String,
    /// Asked at.
    pub created_at: DateTime<Utc>,
    /// The meeting, when arranged.
    pub meeting_at: Option<DateTime<Utc>>,
    /// Where.
    pub meeting_place: String,
    /// Whether the candidate agreed to meet.
    pub candidate_agreed: bool,
    /// The candidate's name: only once the candidate agreed to meet this firm.
    pub candidate_name: Option<String>,
    /// The outcome.
    pub outcome: Option<Outcome>,
    /// Recorded for.
    pub outcome_on: Option<NaiveDate>,
}

/// One released profile, for a member of its ring or staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    /// The pseudonym.
    pub pseudonym: String,
    /// The ring.
    pub ring: (i32, String),
    /// The need it points at.
    pub need: Option<(i32, String)>,
    /// The profile; None once withdrawn or expired.
    pub profile: Option<AnonymisedProfile>,
    /// Released at.
    pub released_at: DateTime<Utc>,
    /// The caller's firm's interest (employers), or every interest (staff).
    pub interests: Vec<InterestView>,
    /// Whether the caller is staff.
    pub staff: bool,
}

/// An interest in the coordinators' inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRow {
    /// The interest.
    pub interest: InterestView,
    /// The pseudonym.
    pub pseudonym: String,
    /// The ring's name.
    pub ring_name: String,
    /// The candidate: id and name.
    pub candidate: (i32, String),
    /// Whether the release still holds.
    pub release_active: bool,
}

/// The coordinators' inbox of interest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    /// Open first (no outcome yet), newest first.
    pub rows: Vec<InboxRow>,
    /// Today in Stockholm.
    pub today: NaiveDate,
}

/// The release page for a candidate and (optionally) a ring and a need: the
/// guarded profile, raised to `levels` where the coordinator chose to hide more.
#[server(endpoint = "releases/preview")]
pub async fn preview_release(
    candidate_id: i32,
    ring_id: Option<i32>,
    need_id: Option<i32>,
    levels: Option<String>,
) -> Result<ReleasePreview, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let asked = levels.as_deref().and_then(Levels::decode);
    preview::preview(
        &ctx,
        candidate_id,
        ring_id,
        need_id,
        asked,
        crate::i18n::use_locale(),
    )
    .await
}

/// Releases the candidate's anonymised profile to a ring (staff), under an active
/// consent covering it, exactly as the page showed it (`levels`, `fingerprint`);
/// returns the new pseudonym.
#[server(endpoint = "releases/release")]
pub async fn release_profile(
    candidate_id: i32,
    ring_id: i32,
    #[server(flatten)] form: model::ReleaseFields,
    #[server(default)] __once: String,
) -> Result<String, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let code = service::release(&ctx, candidate_id, ring_id, form).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}/samtycken?delad={code}"
    ));
    Ok(code)
}

/// Ends one release (staff); the consent stays.
#[server(endpoint = "releases/revoke")]
pub async fn revoke_release(pseudonym: String) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    let candidate_id = service::revoke_one(&ctx, &pseudonym).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}/samtycken"));
    Ok(())
}

/// The profiles released to a ring (its members and staff).
#[server(endpoint = "releases/ring")]
pub async fn list_ring_profiles(ring_id: i32) -> Result<RingProfiles, AppError> {
    let (ctx, _) = crate::auth::require_ring_access(ring_id).await?;
    views::ring_profiles(&ctx.db, ring_id, crate::i18n::use_locale()).await
}

/// The profiles released for a need (members of its ring and staff).
#[server(endpoint = "releases/need")]
pub async fn need_profiles(need_id: i32) -> Result<Vec<ProfileCard>, AppError> {
    let (ctx, _) = crate::needs::access::need_viewer(need_id).await?;
    views::need_profiles(&ctx.db, need_id, crate::i18n::use_locale()).await
}

/// One released profile (members of its ring and staff); "withdrawn" once revoked.
#[server(endpoint = "releases/profile")]
pub async fn profile(pseudonym: String) -> Result<ProfileView, AppError> {
    let (ctx, access) = crate::releases::access::release_viewer(&pseudonym).await?;
    views::profile_view(&ctx, access, &pseudonym, crate::i18n::use_locale()).await
}

/// Marks a released profile "interested", with a message (employers of its ring).
#[server(endpoint = "releases/interest")]
pub async fn express_interest(
    pseudonym: String,
    message: String,
    #[server(default)] __once: String,
) -> Result<(), AppError> {
    let member = crate::releases::access::release_member(&pseudonym).await?;
    interest::express_interest(&member, &message).await?;
    crate::ssr::redirect_plain_form_post(&format!("/profiler/{pseudonym}?intresse=1"));
    Ok(())
}

/// The coordinators' inbox of interest.
#[server(endpoint = "releases/inbox")]
pub async fn interest_inbox() -> Result<Inbox, AppError> {
    let ctx = crate::auth::require_staff().await?;
    interest::inbox(&ctx.db).await
}

/// Arranges the personal meeting for an interest (staff).
#[server(endpoint = "releases/meeting")]
pub async fn arrange_meeting(
    interest_id: i32,
    meeting_date: String,
    meeting_time: String,
    meeting_place: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    interest::arrange_meeting(
        &ctx,
        interest_id,
        &meeting_date,
        &meeting_time,
        &meeting_place,
    )
    .await?;
    crate::ssr::redirect_plain_form_post(&format!("/intresse?sparat=mote#intresse-{interest_id}"));
    Ok(())
}

/// Records that the candidate agreed to meet the firm (staff): from now on the firm
/// sees the candidate's name on its interest.
#[server(endpoint = "releases/agreed")]
pub async fn confirm_agreed(interest_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    interest::confirm_agreed(&ctx, interest_id).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/intresse?sparat=samtycke#intresse-{interest_id}"
    ));
    Ok(())
}

/// Records the meeting's outcome (staff); an internship or a hire goes into the
/// candidate's timeline.
#[server(endpoint = "releases/outcome")]
pub async fn record_outcome(
    interest_id: i32,
    outcome: String,
    outcome_on: String,
    employment_form: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    interest::record_outcome(&ctx, interest_id, &outcome, &outcome_on, &employment_form).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/intresse?sparat=utfall#intresse-{interest_id}"
    ));
    Ok(())
}
