//! Recruitment rings: the rings themselves, their member firms (with history),
//! invitations into a ring by e-mail, the ring's home page for its members, and ring
//! meetings with answers, attendance and a calendar file.
//!
//! Coordinators and admins act in every ring; an employer sees only the rings its
//! firm is in now, and a ring it is not in does not exist for it (404, also when the
//! id is guessed).

#[cfg(feature = "ssr")]
#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod invitations;
#[cfg(feature = "ssr")]
pub mod meetings;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{error::AppError, firms::MembershipView, firms::model::SizeClass};
use model::{Answer, InvitationStatus, RingStatus};

/// A ring in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingSummary {
    /// The id.
    pub id: i32,
    /// The name.
    pub name: String,
    /// The SNI section it focuses on, if any.
    pub sector_focus: Option<String>,
    /// Active or closed.
    pub status: RingStatus,
    /// The host coordinator's name.
    pub host: String,
    /// How many firms are in it now.
    pub members: usize,
    /// When it meets next.
    pub next_meeting: Option<DateTime<Utc>>,
}

/// A member firm as the ring's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFirm {
    /// The firm's id.
    pub firm_id: i32,
    /// Its name.
    pub name: String,
    /// Its size class.
    pub size: SizeClass,
    /// Its SNI section.
    pub sni_section: String,
    /// Member since.
    pub joined_at: DateTime<Utc>,
}

/// A meeting in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingSummary {
    /// The id.
    pub id: i32,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Place or link.
    pub place: String,
    /// How many said they come.
    pub coming: usize,
}

/// An invitation as coordinators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    /// The id.
    pub id: i32,
    /// The invited person's name.
    pub name: String,
    /// Their address.
    pub email: String,
    /// The firm they were invited for.
    pub firm_name: String,
    /// Where it stands.
    pub status: InvitationStatus,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was last sent.
    pub last_sent_at: DateTime<Utc>,
    /// How many times it was sent.
    pub send_count: i32,
}

/// The ring's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingHome {
    /// The id.
    pub id: i32,
    /// The name.
    pub name: String,
    /// What the ring is about.
    pub description: String,
    /// The SNI section it focuses on.
    pub sector_focus: Option<String>,
    /// Active or closed.
    pub status: RingStatus,
    /// The host coordinator's id.
    pub host_id: i32,
    /// The host coordinator's name.
    pub host: String,
    /// The firms in it now, by name.
    pub members: Vec<MemberFirm>,
    /// The i18n key of a warning about its size.
    pub size_warning: Option<String>,
    /// Meetings from now on, soonest first.
    pub upcoming: Vec<MeetingSummary>,
    /// Earlier meetings, latest first (at most ten).
    pub past: Vec<MeetingSummary>,
    /// Whether the caller is municipal staff (sees the coordinator's tools).
    pub staff: bool,
    /// The caller's firm, if it is a member (can leave for the firm).
    pub own_firm_id: Option<i32>,
    /// Staff only: membership history, newest first.
    pub history: Vec<MembershipView>,
    /// Staff only: invitations, newest first.
    pub invitations: Vec<InvitationView>,
    /// Staff only: firms not in the ring now, (id, name), to invite or add.
    pub other_firms: Vec<(i32, String)>,
    /// Staff only: coordinators who can host, (id, name).
    pub coordinators: Vec<(i32, String)>,
}

/// A person's answer and attendance at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantView {
    /// The account.
    pub user_id: i32,
    /// The name.
    pub name: String,
    /// The firm's name (empty for staff).
    pub firm_name: String,
    /// Their answer, if any.
    pub answer: Option<Answer>,
    /// Whether they came, once recorded.
    pub attended: Option<bool>,
}

/// A meeting's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetail {
    /// The id.
    pub id: i32,
    /// The ring.
    pub ring_id: i32,
    /// The ring's name.
    pub ring_name: String,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Place or link.
    pub place: String,
    /// The agenda.
    pub agenda: String,
    /// Whether it has started.
    pub started: bool,
    /// The caller's own answer.
    pub my_answer: Option<Answer>,
    /// How many said they come.
    pub coming: usize,
    /// Staff only: the people of member firms and anyone who answered.
    pub participants: Vec<ParticipantView>,
    /// Whether the caller is municipal staff.
    pub staff: bool,
}

/// What the invitation page shows about a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationPreview {
    /// The link works.
    Valid {
        /// The ring's name.
        ring_name: String,
        /// The firm's name.
        firm_name: String,
        /// The invited person's name.
        name: String,
        /// Their address.
        email: String,
        /// Whether an account with that address exists (then: log in to accept).
        has_account: bool,
    },
    /// The link does not work; why, as an invitation status (unknown links are `None`).
    Invalid(Option<InvitationStatus>),
}

/// The rings page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingsOverview {
    /// The rings the caller can see, by name.
    pub rings: Vec<RingSummary>,
    /// Staff only: who can host a new ring, (id, name).
    pub hosts: Vec<(i32, String)>,
    /// Whether the caller is municipal staff.
    pub staff: bool,
}

/// The rings the caller can see: all for staff, the firm's current rings for employers.
#[server(endpoint = "rings/list")]
pub async fn list_rings() -> Result<RingsOverview, AppError> {
    let ctx = crate::auth::require_user().await?;
    let staff = ctx.user.role.is_staff();
    Ok(RingsOverview {
        rings: service::list(&ctx.db, &ctx.user).await?,
        hosts: if staff {
            service::hosts(&ctx.db).await?
        } else {
            Vec::new()
        },
        staff,
    })
}

/// A ring's home page.
#[server(endpoint = "rings/get")]
pub async fn get_ring(ring_id: i32) -> Result<RingHome, AppError> {
    let (ctx, access) = crate::auth::require_ring_access(ring_id).await?;
    service::home(&ctx.db, &access, ring_id).await
}

/// Creates a ring.
#[server(endpoint = "rings/create")]
pub async fn create_ring(
    name: String,
    description: String,
    sector_focus: String,
    host_coordinator_id: String,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let input = service::RingInput::parse(
        &name,
        &description,
        &sector_focus,
        &host_coordinator_id,
        "active",
    )?;
    let id = service::create(&ctx, input).await?;
    crate::ssr::redirect_plain_form_post(&format!("/ringar/{id}?sparat=1"));
    Ok(id)
}

/// Changes a ring's details or status.
#[server(endpoint = "rings/update")]
pub async fn update_ring(
    ring_id: i32,
    name: String,
    description: String,
    sector_focus: String,
    host_coordinator_id: String,
    status: String,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    let input = service::RingInput::parse(
        &name,
        &description,
        &sector_focus,
        &host_coordinator_id,
        &status,
    )?;
    service::update(&ctx, ring_id, input).await?;
    crate::ssr::redirect_plain_form_post(&format!("/ringar/{ring_id}?sparat=1"));
    Ok(())
}

/// Adds a firm to a ring directly (when it agreed without an invitation link).
#[server(endpoint = "rings/add-firm")]
pub async fn add_firm_to_ring(ring_id: i32, firm_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::join(
        &ctx.db,
        Some(&ctx.user),
        crate::ids::RingId(ring_id),
        crate::ids::FirmId(firm_id),
        ctx.ip.clone(),
    )
    .await?;
    crate::ssr::redirect_plain_form_post(&format!("/ringar/{ring_id}#medlemmar"));
    Ok(())
}

/// Takes a firm out of a ring; the history keeps the spell.
#[server(endpoint = "rings/remove-firm")]
pub async fn remove_firm_from_ring(ring_id: i32, firm_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::leave(
        &ctx,
        crate::ids::RingId(ring_id),
        crate::ids::FirmId(firm_id),
    )
    .await?;
    crate::ssr::redirect_plain_form_post(&format!("/ringar/{ring_id}#medlemmar"));
    Ok(())
}

/// An employer takes their firm out of a ring.
#[server(endpoint = "rings/leave")]
pub async fn leave_ring(ring_id: i32) -> Result<(), AppError> {
    let (ctx, firm_id) = crate::auth::require_ring_member(ring_id).await?;
    service::leave(
        &ctx,
        crate::ids::RingId(ring_id),
        crate::ids::FirmId(firm_id),
    )
    .await?;
    crate::ssr::redirect_plain_form_post("/ringar?lamnat=1");
    Ok(())
}

/// Invites a person at a firm into a ring by e-mail.
#[server(endpoint = "rings/invite")]
pub async fn invite(
    ring_id: i32,
    firm_id: String,
    name: String,
    email: String,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let input = invitations::InvitationInput::parse(&firm_id, &name, &email)?;
    let id = invitations::invite(&ctx, ring_id, input, crate::i18n::use_locale()).await?;
    crate::ssr::redirect_plain_form_post(&format!("/ringar/{ring_id}?inbjuden=1#inbjudningar"));
    Ok(id)
}

/// Sends an invitation again with a new link (the old one stops working).
#[server(endpoint = "invitations/resend")]
pub async fn resend_invitation(invitation_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    let ring_id = invitations::resend(&ctx, invitation_id).await?;
    crate::ssr::redirect_plain_form_post(&format!("/ringar/{ring_id}#inbjudningar"));
    Ok(())
}

/// Withdraws an invitation; its link stops working.
#[server(endpoint = "invitations/revoke")]
pub async fn revoke_invitation(invitation_id: i32) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    let ring_id = invitations::revoke(&ctx, invitation_id).await?;
    crate::ssr::redirect_plain_form_post(&format!("/ringar/{ring_id}#inbjudningar"));
    Ok(())
}

/// What an invitation link leads to.
#[server(endpoint = "invitations/preview")]
pub async fn preview_invitation(token: String) -> Result<InvitationPreview, AppError> {
    // public_endpoint: the token in the link is the credential.
    let ctx = crate::auth::public_endpoint().await?;
    invitations::preview(&ctx.db, &token).await
}

/// Accepts an invitation: creates the employer account (or checks the password of
/// the existing one), links it to the firm, joins the ring and logs in.
#[server(endpoint = "invitations/accept")]
pub async fn accept_invitation(
    token: String,
    name: String,
    password: String,
    password_confirm: String,
) -> Result<i32, AppError> {
    // public_endpoint: the single-use token in the link is the credential.
    let ctx = crate::auth::public_endpoint().await?;
    let ring_id = invitations::accept(&ctx, &token, &name, &password, &password_confirm).await?;
    crate::ssr::redirect_plain_form_post(&format!("/ringar/{ring_id}?valkommen=1"));
    Ok(ring_id)
}

/// Plans a ring meeting.
#[server(endpoint = "meetings/create")]
pub async fn create_meeting(
    ring_id: i32,
    date: String,
    start_time: String,
    end_time: String,
    place: String,
    agenda: String,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let input = meetings::MeetingInput::parse(&date, &start_time, &end_time, &place, &agenda)?;
    let id = meetings::create_meeting(&ctx, ring_id, input).await?;
    crate::ssr::redirect_plain_form_post(&format!("/moten/{id}?sparat=1"));
    Ok(id)
}

/// A meeting's page.
#[server(endpoint = "meetings/get")]
pub async fn get_meeting(meeting_id: i32) -> Result<MeetingDetail, AppError> {
    let (ctx, access) = crate::rings::access::meeting_viewer(meeting_id).await?;
    meetings::meeting(&ctx.db, &access, &ctx.user, meeting_id).await
}

/// Says whether the caller comes to a meeting. The form on an employer's home sends
/// `from=hem` and comes back there; the meeting's own page comes back to the meeting.
#[server(endpoint = "meetings/respond")]
pub async fn respond_to_meeting(
    meeting_id: i32,
    answer: String,
    #[server(default)] from: String,
) -> Result<(), AppError> {
    let (ctx, _access) = crate::rings::access::meeting_viewer(meeting_id).await?;
    let answer = Answer::parse(answer.trim())
        .ok_or_else(|| AppError::field("answer", "field-choice-invalid"))?;
    meetings::respond(&ctx.db, &ctx.user, meeting_id, answer).await?;
    crate::ssr::redirect_plain_form_post(&if from == "hem" {
        "/?svarat=1#meetings-heading".to_owned()
    } else {
        format!("/moten/{meeting_id}?svarat=1")
    });
    Ok(())
}

/// Records whether a person came to a meeting.
#[server(endpoint = "meetings/attendance")]
pub async fn record_attendance(
    meeting_id: i32,
    user_id: i32,
    attended: bool,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    meetings::record_attendance(&ctx, meeting_id, user_id, attended).await?;
    crate::ssr::redirect_plain_form_post(&format!("/moten/{meeting_id}#narvaro"));
    Ok(())
}
