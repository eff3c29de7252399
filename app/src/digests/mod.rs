//! E-mail digests: what is new in a member's rings since their last digest — needs,
//! threads and replies, released profiles that fit the firm's open needs (code and
//! headline only) and ring meetings coming up — daily, weekly or never, in Swedish or
//! English, for the rings the member chose.
//!
//! The server's worker builds each member's digest for a period exactly once (see
//! `service::round`) and sends it through the outbox; just before sending, anything
//! hidden or revoked since is taken out (`service::before_send`). Every digest has a
//! signed link to these settings and a one-click unsubscribe (RFC 8058), both working
//! without logging in.

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod content;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod prefs;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "ssr")]
pub mod service;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use model::Frequency;

/// A ring on the settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestRingChoice {
    /// The ring's id.
    pub id: i32,
    /// Its name.
    pub name: String,
    /// Whether the digest reports on it.
    pub included: bool,
}

/// A member's digest settings as the settings page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestPreferencesView {
    /// Whose they are.
    pub name: String,
    /// Where digests go.
    pub email: String,
    /// How often.
    pub frequency: Frequency,
    /// ISO weekday of a weekly digest.
    pub weekday: u8,
    /// sv | en
    pub locale: String,
    /// The firm's rings.
    pub rings: Vec<DigestRingChoice>,
}

/// The digest settings of the logged-in employer, or of the account a digest's
/// signed link `t` was made for.
#[server(endpoint = "digests/preferences")]
pub async fn digest_preferences(t: Option<String>) -> Result<DigestPreferencesView, AppError> {
    let (ctx, user_id) = crate::digests::access::digest_owner(t.as_deref()).await?;
    let member = prefs::account(&ctx.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    prefs::preferences_view(&ctx.db, &member).await
}

/// Stores digest settings: how often, the weekday of a weekly digest, the language,
/// and the rings (`rings` holds every ring ticked).
#[server(endpoint = "digests/preferences-save")]
pub async fn save_digest_preferences(
    t: Option<String>,
    frequency: String,
    #[server(default)] weekday: String,
    locale: String,
    #[server(default)] rings: Vec<String>,
) -> Result<(), AppError> {
    let (ctx, user_id) = crate::digests::access::digest_owner(t.as_deref()).await?;
    let member = prefs::account(&ctx.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = prefs::PreferenceFields {
        frequency,
        weekday,
        locale,
        rings,
    };
    prefs::save_preferences(&ctx.db, &member, &fields).await?;
    let token = t.filter(|t| !t.trim().is_empty());
    crate::ssr::redirect_plain_form_post(&match token {
        Some(token) => format!("/installningar?t={}&sparat=1", token_query(&token)),
        None => "/installningar?sparat=1".to_owned(),
    });
    Ok(())
}

/// Turns off the digests of the account the signed link `t` was made for (with an
/// empty `t`: of the logged-in employer). Works logged out: the token is the only
/// credential.
#[server(endpoint = "digests/unsubscribe")]
pub async fn unsubscribe_digest(t: String) -> Result<(), AppError> {
    let (ctx, user_id) = crate::digests::access::digest_owner(Some(&t)).await?;
    prefs::unsubscribe(&ctx.db, user_id).await?;
    crate::ssr::redirect_plain_form_post(&format!("/avregistrera?t={}&klart=1", token_query(&t)));
    Ok(())
}

/// A token as a query value (it holds only digits, a dot and hex, but a forged one
/// may hold anything).
pub fn token_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
