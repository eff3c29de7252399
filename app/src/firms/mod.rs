//! The firm registry and the outreach log: the firms coordinators work with (ring
//! members and prospects), every contact with them, and the follow-ups that are due.
//! Coordinators and admins only; employers see firms through their rings.

// The firm form's server fns take one argument per field, so the form posts plain
// field names with or without JavaScript; the server macro's browser stubs copy no
// attribute from the fn, so the allowance has to sit on the module.

#[cfg(feature = "ssr")]
pub mod entity;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use model::{Channel, ContactOutcome, SizeClass};

/// A firm in the registry's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmSummary {
    /// The id.
    pub id: i32,
    /// The name.
    pub name: String,
    /// `NNNNNN-NNNN`.
    pub org_number: String,
    /// The size class.
    pub size: SizeClass,
    /// The SNI 2007 section letter.
    pub sni_section: String,
    /// The municipality's name, if known.
    pub municipality: Option<String>,
    /// The rings the firm is in now.
    pub rings: Vec<String>,
    /// The date of the latest contact.
    pub last_contact: Option<NaiveDate>,
}

/// A follow-up a coordinator promised: the next step of a logged contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The firm.
    pub firm_id: i32,
    /// The firm's name.
    pub firm_name: String,
    /// What is to be done.
    pub next_step: String,
    /// By when.
    pub due_on: NaiveDate,
    /// Whether that day has passed.
    pub overdue: bool,
}

/// The registry page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmsOverview {
    /// The firms matching the search, by name.
    pub firms: Vec<FirmSummary>,
    /// The caller's follow-ups due within a week (or overdue), soonest first.
    pub follow_ups: Vec<FollowUp>,
    /// The municipalities a firm can be in: (id, name).
    pub municipalities: Vec<(i32, String)>,
}

/// One logged contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachView {
    /// The id.
    pub id: i32,
    /// The day of the contact.
    pub contacted_on: NaiveDate,
    /// How.
    pub channel: Channel,
    /// Which coordinator.
    pub coordinator: String,
    /// What it came to.
    pub outcome: ContactOutcome,
    /// Notes.
    pub note: String,
    /// The next step agreed.
    pub next_step: String,
    /// The day of the next step.
    pub next_step_on: Option<NaiveDate>,
    /// Whether a later contact took the next step.
    pub followed_up: bool,
}

/// A spell of the firm in a ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipView {
    /// The ring.
    pub ring_id: i32,
    /// The ring's name.
    pub ring_name: String,
    /// The firm's name (in a ring's history).
    pub firm_name: String,
    /// Joined when.
    pub joined_at: DateTime<Utc>,
    /// Joined through whom (a coordinator, or the invited person).
    pub joined_by: Option<String>,
    /// Left when, if it has.
    pub left_at: Option<DateTime<Utc>>,
    /// Who ended it.
    pub left_by: Option<String>,
}

/// Everything about one firm, for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmDetail {
    /// The id.
    pub id: i32,
    /// The name.
    pub name: String,
    /// `NNNNNN-NNNN`.
    pub org_number: String,
    /// Headcount.
    pub employees: i32,
    /// The size class.
    pub size: SizeClass,
    /// The SNI 2007 section letter.
    pub sni_section: String,
    /// Street address and town.
    pub address: String,
    /// The municipality's id.
    pub municipality_id: Option<i32>,
    /// The contact person's name.
    pub contact_name: String,
    /// The contact person's e-mail.
    pub contact_email: String,
    /// The contact person's telephone.
    pub contact_phone: String,
    /// The firm's ring memberships, current and past, newest first.
    pub memberships: Vec<MembershipView>,
    /// The people with an employer account at the firm: (name, e-mail).
    pub people: Vec<(String, String)>,
    /// Every contact, newest first.
    pub outreach: Vec<OutreachView>,
    /// The municipalities a firm can be in: (id, name).
    pub municipalities: Vec<(i32, String)>,
    /// Today in Stockholm, by the server's clock (the contact form's default date).
    pub today: NaiveDate,
}

/// The firms matching `query` (name or organisation number), and the caller's
/// follow-ups that are due.
#[server(endpoint = "firms/list")]
pub async fn list_firms(query: String) -> Result<FirmsOverview, AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::overview(&ctx.db, &ctx.user, &query).await
}

/// One firm with its contacts and memberships.
#[server(endpoint = "firms/get")]
pub async fn get_firm(firm_id: i32) -> Result<FirmDetail, AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::detail(&ctx.db, firm_id).await
}

/// Adds a firm to the registry (a prospect until it joins a ring).
#[server(endpoint = "firms/create")]
pub async fn create_firm(
    #[server(flatten)] firm: model::FirmForm,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let id = service::create(&ctx, firm.parse()?).await?;
    crate::ssr::redirect_plain_form_post(&format!("/foretag/{id}?sparat=1"));
    Ok(id)
}

/// Changes a firm's details.
#[server(endpoint = "firms/update")]
pub async fn update_firm(
    firm_id: i32,
    #[server(flatten)] firm: model::FirmForm,
) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::update(&ctx, firm_id, firm.parse()?).await?;
    crate::ssr::redirect_plain_form_post(&format!("/foretag/{firm_id}?sparat=1"));
    Ok(())
}

/// Logs a contact with a firm. Earlier open follow-ups of the firm count as taken.
#[server(endpoint = "firms/outreach")]
pub async fn log_outreach(
    firm_id: i32,
    #[server(flatten)] contact: model::OutreachForm,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_staff().await?;
    let id = service::log_outreach(&ctx, firm_id, contact.parse(crate::i18n::today())?).await?;
    crate::ssr::redirect_plain_form_post(&format!("/foretag/{firm_id}?loggat=1#kontakter"));
    Ok(id)
}
