//! `/`: where each person starts. A visitor reads what Broar is (`front.rs`); an
//! employer sees what is new in their rings since their last visit, their firm's needs
//! and the meetings ahead; a coordinator sees the work queue (what waits for them,
//! each row linking to where it is done); an admin sees failed mail, accounts and
//! accessibility reports. The menu's counts come from here too ([`load_menu_counts`]).
//! `home` composes the other concepts, so it sits above all of them.

#[cfg(feature = "ssr")]
pub mod badge;
pub mod front;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{digests::model::RingSection, error::AppError, needs::model::NeedStatus};

pub use pages::HomePage;

/// One of the firm's needs, as its home lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmNeed {
    /// The id (for the link).
    pub id: i32,
    /// The title.
    pub title: String,
    /// The ring it is posted in.
    pub ring: String,
    /// Where it stands.
    pub status: NeedStatus,
    /// Positions asked for.
    pub positions: i32,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// A ring meeting ahead, with the caller's own answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingAhead {
    /// The id.
    pub id: i32,
    /// The ring's name.
    pub ring: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// Where.
    pub place: String,
    /// "yes", "no" or `None` when not answered yet.
    pub answer: Option<String>,
}

/// An employer's home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerHome {
    /// The firm's name.
    pub firm: String,
    /// The firm's rings now: (id, name), for the two main actions.
    pub rings: Vec<(i32, String)>,
    /// What is new since the last visit, per ring with news (threads already read
    /// are left out).
    pub news: Vec<RingSection>,
    /// Since when "new" counts.
    pub since: DateTime<Utc>,
    /// The meetings ahead in the firm's rings.
    pub meetings: Vec<MeetingAhead>,
    /// The firm's needs that are not closed, newest first.
    pub needs: Vec<FirmNeed>,
    /// Job tracks that ask the firm to commit and wait for its answer: (id, name).
    pub tracks_asking: Vec<(i32, String)>,
}

impl EmployerHome {
    /// How many new things the home shows (the menu's count).
    pub fn new_count(&self) -> usize {
        news_count(&self.news)
    }
}

/// How many new things `news` holds: needs posted and filled, threads, profiles and
/// meetings planned in the period.
pub fn news_count(news: &[RingSection]) -> usize {
    news.iter()
        .map(|s| {
            s.new_needs.len()
                + s.filled_needs.len()
                + s.threads.len()
                + s.releases.len()
                + s.meetings.iter().filter(|m| m.new).count()
        })
        .sum()
}

/// The kinds of rows in a coordinator's work queue, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QueueKind {
    /// A firm's interest waits for a personal meeting to be arranged.
    InterestMeeting,
    /// A meeting was held; its outcome is not recorded.
    InterestOutcome,
    /// A follow-up with a firm is due within a week (the caller's own).
    FollowUp,
    /// An action-plan step is past its date.
    PlanStep,
    /// A consent expires within 30 days.
    ConsentExpiring,
    /// A candidate was never assessed, or not for half a year.
    Assessment,
    /// An open need has no shortlist.
    NeedWithoutShortlist,
    /// A release was revoked since the caller's last visit.
    ReleaseRevoked,
}

impl QueueKind {
    /// Every kind, in the order shown.
    pub const ALL: [QueueKind; 8] = [
        QueueKind::InterestMeeting,
        QueueKind::InterestOutcome,
        QueueKind::FollowUp,
        QueueKind::PlanStep,
        QueueKind::ConsentExpiring,
        QueueKind::Assessment,
        QueueKind::NeedWithoutShortlist,
        QueueKind::ReleaseRevoked,
    ];

    /// The i18n key of the group's heading.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::InterestMeeting => "queue-interest-meeting",
            Self::InterestOutcome => "queue-interest-outcome",
            Self::FollowUp => "queue-follow-up",
            Self::PlanStep => "queue-plan-step",
            Self::ConsentExpiring => "queue-consent-expiring",
            Self::Assessment => "queue-assessment",
            Self::NeedWithoutShortlist => "queue-need-without-shortlist",
            Self::ReleaseRevoked => "queue-release-revoked",
        }
    }

    /// The id of its section on the page.
    pub fn anchor(self) -> &'static str {
        match self {
            Self::InterestMeeting => "intresse-mote",
            Self::InterestOutcome => "intresse-utfall",
            Self::FollowUp => "uppfoljning",
            Self::PlanStep => "planens-steg",
            Self::ConsentExpiring => "samtycken",
            Self::Assessment => "bedomning",
            Self::NeedWithoutShortlist => "behov-utan-kortlista",
            Self::ReleaseRevoked => "aterkallade",
        }
    }
}

/// One thing waiting in the work queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    /// What kind of work.
    pub kind: QueueKind,
    /// What it is about (a candidate's name, a firm, a profile and firm …).
    pub title: String,
    /// A short detail (the step, the firm's next step, the reason).
    pub detail: String,
    /// The date that matters (due, expires, asked, last assessed), if any.
    pub date: Option<NaiveDate>,
    /// Where the work is done.
    pub href: String,
    /// Whether its date has passed (a step or follow-up that is late).
    pub late: bool,
}

/// A coordinator's work queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkQueue {
    /// How many rows of each kind there are (also those not listed).
    pub counts: Vec<(QueueKind, usize)>,
    /// The rows, at most [`QUEUE_ROWS`] per kind, most urgent first.
    pub rows: Vec<QueueRow>,
    /// Since when "revoked since your last visit" counts.
    pub since: DateTime<Utc>,
}

/// At most this many rows of each kind are listed.
pub const QUEUE_ROWS: usize = 25;

/// An accessibility report, as the admin's home lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    /// When.
    pub at: DateTime<Utc>,
    /// The page it is about.
    pub page: String,
    /// The start of the message.
    pub message: String,
}

/// An admin's home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminHome {
    /// E-mails that could not be delivered.
    pub failed_mail: usize,
    /// Accounts that can log in.
    pub active_accounts: usize,
    /// Disabled accounts.
    pub disabled_accounts: usize,
    /// Employer accounts without a firm (they see nothing).
    pub employers_without_firm: usize,
    /// Accessibility reports in the last 30 days.
    pub reports_month: usize,
    /// The newest accessibility reports.
    pub reports: Vec<ReportLine>,
}

/// The counts the menu shows beside its links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuCounts {
    /// New things on an employer's home.
    pub new_items: usize,
    /// Interests waiting for a coordinator (a meeting or an outcome).
    pub interests: usize,
}

/// The employer's home (employers only).
#[server(endpoint = "home/employer")]
pub async fn load_employer_home() -> Result<EmployerHome, AppError> {
    let authed = crate::auth::require_role(&[crate::auth::model::Role::Employer]).await?;
    service::employer_home(&authed.db, &authed.user, chrono::Utc::now()).await
}

/// Marks everything on the employer's home as seen.
#[server(endpoint = "home/seen")]
pub async fn mark_all_seen() -> Result<(), AppError> {
    let authed = crate::auth::require_role(&[crate::auth::model::Role::Employer]).await?;
    service::mark_all_seen(&authed.db, authed.user.id, chrono::Utc::now()).await?;
    crate::ssr::redirect_plain_form_post("/?sett=1");
    Ok(())
}

/// The coordinators' work queue (staff).
#[server(endpoint = "home/queue")]
pub async fn load_work_queue() -> Result<WorkQueue, AppError> {
    let staff = crate::auth::require_staff().await?;
    service::work_queue(&staff, chrono::Utc::now()).await
}

/// The admin's home (admins).
#[server(endpoint = "home/admin")]
pub async fn load_admin_home() -> Result<AdminHome, AppError> {
    let authed = crate::auth::require_admin().await?;
    service::admin_home(&authed.db, chrono::Utc::now()).await
}

/// The menu's counts for whoever is calling (zeros for a visitor).
#[server(endpoint = "home/counts")]
pub async fn load_menu_counts() -> Result<MenuCounts, AppError> {
    let ctx = crate::auth::public_endpoint().await?;
    let Some(user) = ctx.user.clone() else {
        return Ok(MenuCounts::default());
    };
    service::menu_counts(&ctx.db, &ctx.news, &user, chrono::Utc::now()).await
}
