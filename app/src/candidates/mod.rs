//! The candidate pool: the coordinators' record of each newly arrived candidate, the
//! job-ready assessment, the action plan, the timeline of activities and outcomes,
//! ring pools and need shortlists, and matching that explains itself.
//!
//! Everything here is personal data under GDPR and for municipal staff only: every
//! server fn starts with `require_staff`, so an employer reaches none of it (403).
//! Obstacles and health (Art. 9 data) live in a table of their own and come out only
//! through [`read_health`], which writes who read them and why to the audit log.

// The candidate and activity forms' server fns take one argument per field, so the
// forms post plain field names with or without JavaScript; the server macro's browser
// stubs copy no attribute from the fn, so the allowance sits on the module.

#[cfg(feature = "ssr")]
pub mod detail;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod mapping;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod pools;
#[cfg(feature = "ssr")]
pub mod ranking;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod team;
pub mod team_page;
#[cfg(feature = "ssr")]
pub mod timeline;

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{error::AppError, needs::OccupationView, needs::model::EmploymentForm};
use model::{ActivityKind, Criterion, ExitReason, Gender, Hours, Score, TeamRole};

/// Where a candidate stands in the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CandidateStatus {
    /// In the programme.
    Active,
    /// Reached self-sufficiency.
    SelfSufficient,
    /// Left without self-sufficiency.
    Exited,
}

impl CandidateStatus {
    /// The i18n key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Active => "candidate-status-active",
            Self::SelfSufficient => "candidate-status-self-sufficient",
            Self::Exited => "candidate-status-exited",
        }
    }
}

/// A candidate in the coordinators' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateRow {
    /// The id.
    pub id: i32,
    /// The name.
    pub name: String,
    /// Enrolled on.
    pub enrolled_on: NaiveDate,
    /// Job-ready criteria that hold now (0–4).
    pub criteria_met: i16,
    /// The first day all four held.
    pub job_ready_since: Option<NaiveDate>,
    /// In the programme or not.
    pub status: CandidateStatus,
    /// The latest timeline entry's kind and start.
    pub latest: Option<(ActivityKind, NaiveDate)>,
    /// The next open step of the action plan.
    pub next_step: Option<(NaiveDate, String)>,
    /// The rings whose pool the candidate is in.
    pub pools: Vec<String>,
}

/// The coordinators' list of candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateList {
    /// The candidates matching the search, newest enrolment first.
    pub candidates: Vec<CandidateRow>,
    /// Today in Stockholm (the forms' defaults, overdue steps).
    pub today: NaiveDate,
}

/// A language the candidate knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageView {
    /// The row's id.
    pub id: i32,
    /// ISO 639 code.
    pub code: String,
    /// "L1" or CEFR A1–C2.
    pub level: String,
}

/// An education.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EducationView {
    /// The row's id.
    pub id: i32,
    /// ISCED 2011 level 0–8.
    pub isced: i16,
    /// The field.
    pub field: String,
    /// Where.
    pub country: String,
    /// How many years.
    pub years: i16,
    /// Whether it has been validated in Sweden.
    pub validated: bool,
}

/// Work experience, or a preferred occupation (`years` None).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupationEntry {
    /// The row's id.
    pub id: i32,
    /// The occupation.
    pub occupation: OccupationView,
    /// Years of experience.
    pub years: Option<i16>,
    /// Where (experience only).
    pub country: String,
}

/// One assessment of a job-ready criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentView {
    /// Which criterion.
    pub criterion: Criterion,
    /// Whether it holds.
    pub met: bool,
    /// When it was assessed.
    pub assessed_on: NaiveDate,
    /// By whom.
    pub assessor: String,
    /// The assessor's comment.
    pub comment: String,
}

/// A step of the action plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStepView {
    /// The id.
    pub id: i32,
    /// Due on.
    pub due_on: NaiveDate,
    /// What.
    pub description: String,
    /// Done on.
    pub done_on: Option<NaiveDate>,
    /// The team member who sees to it, (id, name); None: the coordinator.
    pub assignee: Option<(i32, String)>,
}

/// Someone outside the municipality's staff in the team around a participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMemberView {
    /// The id.
    pub id: i32,
    /// What they do for the participant.
    pub role: TeamRole,
    /// Their name.
    pub name: String,
    /// Where they work.
    pub organisation: String,
    /// Their phone ("" none).
    pub phone: String,
    /// Their e-mail ("" none).
    pub email: String,
    /// In the team since.
    pub started_on: NaiveDate,
    /// Left the team on (None: still in it).
    pub ended_on: Option<NaiveDate>,
}

/// A meeting of the team, with its notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMeetingView {
    /// The id.
    pub id: i32,
    /// When.
    pub held_on: NaiveDate,
    /// The team members who took part, by name.
    pub attendees: Vec<String>,
    /// What was said and agreed.
    pub notes: String,
    /// Who wrote the notes.
    pub written_by: String,
}

/// The team page: the members, the plan's open steps and the meetings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    /// The candidate.
    pub candidate_id: i32,
    /// The candidate's name.
    pub name: String,
    /// The members, those in the team first.
    pub members: Vec<TeamMemberView>,
    /// The action plan's open steps, by due date.
    pub open_steps: Vec<PlanStepView>,
    /// The meetings, newest first.
    pub meetings: Vec<TeamMeetingView>,
    /// Today in Stockholm.
    pub today: NaiveDate,
}

/// An entry in the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    /// The id.
    pub id: i32,
    /// What kind.
    pub kind: ActivityKind,
    /// The firm (internship, employment).
    pub firm: Option<(i32, String)>,
    /// The need (internship).
    pub need: Option<(i32, String)>,
    /// The training's or studies' name.
    pub title: String,
    /// The training's provider.
    pub provider: String,
    /// From.
    pub start_on: NaiveDate,
    /// To.
    pub end_on: Option<NaiveDate>,
    /// Whether a training was completed.
    pub completed: Option<bool>,
    /// The employment's form.
    pub employment_form: Option<EmploymentForm>,
    /// Why the candidate left.
    pub exit_reason: Option<ExitReason>,
    /// A note.
    pub note: String,
}

/// An open need that fits a candidate, with the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FittingNeed {
    /// The need.
    pub need_id: i32,
    /// Its title.
    pub title: String,
    /// The firm's name.
    pub firm_name: String,
    /// The ring's name.
    pub ring_name: String,
    /// The occupation.
    pub occupation: OccupationView,
    /// The start date.
    pub start_date: NaiveDate,
    /// The candidate's score for it.
    pub score: Score,
}

/// Everything about a candidate except obstacles and health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateDetail {
    /// The id.
    pub id: i32,
    /// The name.
    pub name: String,
    /// `YYYYMMDD-NNNN`.
    pub personnummer: String,
    /// Whether that is a coordination number.
    pub coordination_number: bool,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Gender.
    pub gender: Gender,
    /// Birth date (from the personnummer).
    pub birth_date: NaiveDate,
    /// Age today.
    pub age: i32,
    /// Residence permit granted on.
    pub permit_date: Option<NaiveDate>,
    /// Enrolled in the programme on.
    pub enrolled_on: NaiveDate,
    /// SFI course A–D ("" none).
    pub sfi_course: String,
    /// SFI study path 1–3.
    pub sfi_path: Option<i16>,
    /// Licence classes held, comma-separated.
    pub driving_licence: String,
    /// Available from (None: now).
    pub available_from: Option<NaiveDate>,
    /// Full or part time.
    pub hours: Hours,
    /// A note on availability.
    pub availability_note: String,
    /// The first day all four job-ready criteria held.
    pub job_ready_since: Option<NaiveDate>,
    /// The version the edit form must send back.
    pub version: i32,
    /// In the programme or not.
    pub status: CandidateStatus,
    /// Languages.
    pub languages: Vec<LanguageView>,
    /// Education.
    pub educations: Vec<EducationView>,
    /// Work experience.
    pub experiences: Vec<OccupationEntry>,
    /// Preferred occupations.
    pub preferences: Vec<OccupationEntry>,
    /// The current assessment of each criterion A–D (None: not assessed).
    pub criteria: Vec<(Criterion, Option<AssessmentView>)>,
    /// Every assessment, newest first.
    pub assessments: Vec<AssessmentView>,
    /// The action plan, by due date.
    pub plan: Vec<PlanStepView>,
    /// The team around the participant, those in it first.
    pub team: Vec<TeamMemberView>,
    /// The team's meetings, newest first.
    pub team_meetings: Vec<TeamMeetingView>,
    /// The timeline, oldest first.
    pub timeline: Vec<ActivityView>,
    /// The rings whose pool the candidate is in: (ring id, name, note).
    pub pools: Vec<(i32, String, String)>,
    /// Active rings (the pool form's choices).
    pub rings: Vec<(i32, String)>,
    /// Firms (the timeline form's choices).
    pub firms: Vec<(i32, String)>,
    /// Open needs, (id, "title – firm") (the timeline form's choices).
    pub needs: Vec<(i32, String)>,
    /// The open needs that fit best.
    pub fitting: Vec<FittingNeed>,
    /// Whether obstacles or health have been recorded (not what).
    pub has_health: bool,
    /// Today in Stockholm.
    pub today: NaiveDate,
}

/// Obstacles and health, for the one page that shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthView {
    /// The candidate.
    pub candidate_id: i32,
    /// The candidate's name.
    pub name: String,
    /// Obstacles to work.
    pub obstacles: String,
    /// Health.
    pub health: String,
    /// When last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// A candidate in a ring's pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolRow {
    /// The candidate.
    pub candidate_id: i32,
    /// The name.
    pub name: String,
    /// Job-ready criteria that hold.
    pub criteria_met: i16,
    /// The coordinator's note.
    pub note: String,
    /// Added on.
    pub added_at: DateTime<Utc>,
}

/// A ring's pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolView {
    /// The ring.
    pub ring_id: i32,
    /// Its name.
    pub ring_name: String,
    /// The candidates, by name.
    pub entries: Vec<PoolRow>,
}

/// The coordinators' list of candidates; `q` searches names and personnummer,
/// `status` is `active` (default), `ended` or `all`.
#[server(endpoint = "candidates/list")]
pub async fn list_candidates(q: String, status: String) -> Result<CandidateList, AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::list(&ctx, &q, &status).await
}

/// Records a new candidate.
#[server(endpoint = "candidates/create")]
pub async fn create_candidate(
    #[server(flatten)] candidate: model::CandidateForm,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let id = service::create(&ctx, candidate).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{id}?sparat=1"));
    Ok(id)
}

/// One candidate, without obstacles and health. The read is audited.
#[server(endpoint = "candidates/get")]
pub async fn get_candidate(candidate_id: i32) -> Result<CandidateDetail, AppError> {
    let ctx = crate::auth::require_staff().await?;
    detail::detail(&ctx, candidate_id, crate::i18n::use_locale()).await
}

/// The candidate's current version (the edit form asks after a clash).
#[server(endpoint = "candidates/version")]
pub async fn candidate_version(candidate_id: i32) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::version(&ctx.db, candidate_id).await
}

/// Changes a candidate's record, if nobody else has since `version` was read.
#[server(endpoint = "candidates/update")]
pub async fn update_candidate(
    candidate_id: i32,
    version: String,
    #[server(flatten)] candidate: model::CandidateForm,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::update(&ctx, candidate_id, &version, candidate).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}?sparat=1"));
    Ok(())
}

/// Adds a language at a level (a language already recorded gets the new level).
#[server(endpoint = "candidates/language")]
pub async fn add_language(
    candidate_id: i32,
    language: String,
    level: String,
    #[server(default)] __once: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    mapping::add_language(&ctx, candidate_id, &language, &level).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}?sparat=sprak#sprak"));
    Ok(())
}

/// Adds an education.
#[server(endpoint = "candidates/education")]
pub async fn add_education(
    candidate_id: i32,
    #[server(flatten)] education: model::EducationForm,
    #[server(default)] __once: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    mapping::add_education(&ctx, candidate_id, education).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}?sparat=utbildning#utbildning"
    ));
    Ok(())
}

/// Adds work experience in an SSYK unit group.
#[server(endpoint = "candidates/experience")]
pub async fn add_experience(
    candidate_id: i32,
    occupation: String,
    years: String,
    country: String,
    #[server(default)] __once: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    mapping::add_occupation(
        &ctx,
        candidate_id,
        "occupation",
        &occupation,
        Some((&years, &country)),
    )
    .await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}?sparat=yrken#yrken"));
    Ok(())
}

/// Adds a preferred occupation.
#[server(endpoint = "candidates/preference")]
pub async fn add_preference(
    candidate_id: i32,
    preferred: String,
    #[server(default)] __once: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    mapping::add_occupation(&ctx, candidate_id, "preferred", &preferred, None).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}?sparat=yrken#yrken"));
    Ok(())
}

/// Removes a language, education, experience or preference row (`kind`).
#[server(endpoint = "candidates/remove-row")]
pub async fn remove_row(candidate_id: i32, kind: String, row_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    mapping::remove_row(&ctx, candidate_id, &kind, row_id).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}"));
    Ok(())
}

/// Obstacles and health, shown on an explicit request with a reason; the read is
/// written to the audit log with who and why.
#[server(endpoint = "candidates/health")]
pub async fn read_health(candidate_id: i32, reason: String) -> Result<HealthView, AppError> {
    let ctx = crate::auth::require_staff().await?;
    detail::read_health(&ctx, candidate_id, &reason).await
}

/// Records obstacles and health (audited, the text itself is not logged).
#[server(endpoint = "candidates/health-save")]
pub async fn save_health(
    candidate_id: i32,
    obstacles: String,
    health: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    mapping::save_health(&ctx, candidate_id, &obstacles, &health).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}/halsa?sparat=1"));
    Ok(())
}

/// Assesses one job-ready criterion.
#[server(endpoint = "candidates/assess")]
pub async fn assess(
    candidate_id: i32,
    criterion: String,
    met: String,
    assessed_on: String,
    comment: String,
    #[server(default)] __once: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    mapping::assess(&ctx, candidate_id, &criterion, &met, &assessed_on, &comment).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}?bedomt=1#jobbredo"));
    Ok(())
}

/// Adds a step to the action plan; `assignee_id` is a team member's id, or empty for
/// the coordinator.
#[server(endpoint = "candidates/plan")]
pub async fn add_plan_step(
    candidate_id: i32,
    due_on: String,
    description: String,
    #[server(default)] assignee_id: String,
    #[server(default)] __once: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    mapping::add_plan_step(&ctx, candidate_id, &due_on, &description, &assignee_id).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}?sparat=plan#plan"));
    Ok(())
}

/// Marks a step of the action plan done today (or open again).
#[server(endpoint = "candidates/plan-done")]
pub async fn toggle_plan_step(candidate_id: i32, step_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    mapping::toggle_plan_step(&ctx, candidate_id, step_id).await?;
    crate::ssr::redirect_plain_form_post(&format!("/deltagare/{candidate_id}?sparat=plan#plan"));
    Ok(())
}

/// Adds an activity or outcome to the timeline.
#[server(endpoint = "candidates/activity")]
pub async fn add_activity(
    candidate_id: i32,
    #[server(flatten)] activity: model::ActivityForm,
    #[server(default)] __once: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    timeline::add_activity(&ctx, candidate_id, activity).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}?tidslinje=1#tidslinje"
    ));
    Ok(())
}

/// Puts a candidate in a ring's pool, with a note (again: the note is replaced).
#[server(endpoint = "candidates/pool-add")]
pub async fn add_to_pool(
    candidate_id: i32,
    ring_id: String,
    pool_note: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    pools::add_to_pool(&ctx, candidate_id, &ring_id, &pool_note).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}?sparat=pooler#pooler"
    ));
    Ok(())
}

/// Takes a candidate out of a ring's pool.
#[server(endpoint = "candidates/pool-remove")]
pub async fn remove_from_pool(candidate_id: i32, ring_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    pools::remove_from_pool(
        &ctx,
        crate::ids::CandidateId(candidate_id),
        crate::ids::RingId(ring_id),
    )
    .await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}?sparat=pooler#pooler"
    ));
    Ok(())
}

/// A ring's pool.
#[server(endpoint = "candidates/pool")]
pub async fn ring_pool(ring_id: i32) -> Result<PoolView, AppError> {
    let ctx = crate::auth::require_staff().await?;
    pools::pool(&ctx.db, ring_id).await
}

/// The team around a candidate (staff); the read is audited.
#[server(endpoint = "candidates/team")]
pub async fn get_team(candidate_id: i32) -> Result<TeamView, AppError> {
    let ctx = crate::auth::require_staff().await?;
    team::team(&ctx, candidate_id).await
}

/// Adds someone to the team around a candidate.
#[server(endpoint = "candidates/team-add")]
pub async fn add_team_member(
    candidate_id: i32,
    #[server(flatten)] member: model::TeamMemberForm,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let id = team::add_member(&ctx, candidate_id, &member).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}/team?sparat=medlem#members-heading"
    ));
    Ok(id)
}

/// Records that a member left the team today; their open plan steps go back to the
/// coordinator.
#[server(endpoint = "candidates/team-end")]
pub async fn end_team_member(candidate_id: i32, member_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    team::end_member(&ctx, candidate_id, member_id).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}/team?sparat=avslutad#members-heading"
    ));
    Ok(())
}

/// Gives an open step of the action plan to a team member (or back to the
/// coordinator, with an empty `assignee_id`).
#[server(endpoint = "candidates/plan-assign")]
pub async fn assign_plan_step(
    candidate_id: i32,
    step_id: i32,
    assignee_id: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    team::assign_step(&ctx, candidate_id, step_id, &assignee_id).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}/team?sparat=plan#steps-heading"
    ));
    Ok(())
}

/// Writes down a team meeting: when, who of the team took part (`attendees`, member
/// ids), and the notes.
#[server(endpoint = "candidates/team-meeting")]
pub async fn add_team_meeting(
    candidate_id: i32,
    held_on: String,
    notes: String,
    #[server(default)] attendees: Vec<String>,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let id = team::add_meeting(&ctx, candidate_id, &held_on, &notes, &attendees).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/deltagare/{candidate_id}/team?sparat=mote#meetings-heading"
    ));
    Ok(id)
}
