//! Server-side plumbing shared by every concept: the application state that server
//! functions reach through context, the request id, and what a no-JavaScript form
//! post left behind (the typed values, so nothing a user wrote is lost).

use std::{collections::BTreeMap, sync::Arc};

use leptos::prelude::*;
use sea_orm::DatabaseConnection;

use crate::error::AppError;

/// Settings the application itself needs (the server owns the full list).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The public address of the portal, without a trailing slash.
    pub base_url: String,
    /// Whether that address is https (cookies then get `Secure` and `__Host-`).
    pub https: bool,
    /// The installation's signing secret.
    pub secret: Secret,
}

/// Key material that never shows up in `Debug` output or logs.
#[derive(Clone)]
pub struct Secret(Arc<[u8]>);

impl Secret {
    /// Wraps the secret's bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes.into())
    }

    /// The bytes, for signing.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Everything a server function may use, provided as context for every request.
#[derive(Clone)]
pub struct AppState {
    /// The database pool (SQLite or PostgreSQL).
    pub db: DatabaseConnection,
    /// Application settings.
    pub config: Arc<AppConfig>,
}

/// The context of one request: the database and settings (and, with accounts, the
/// caller). Reached only through the guards in `auth`.
pub struct Ctx {
    /// The database pool.
    pub db: DatabaseConnection,
    /// Application settings.
    pub config: Arc<AppConfig>,
}

/// The request's context. Guards in `auth` call this; server fns call the guards.
pub(crate) async fn ctx() -> Result<Ctx, AppError> {
    let state = use_context::<AppState>()
        .ok_or_else(|| AppError::unexpected(anyhow::anyhow!("AppState missing from context")))?;
    Ok(Ctx {
        db: state.db,
        config: state.config,
    })
}

/// The id of the current request (from the `x-request-id` header the server sets).
pub fn request_id() -> Option<String> {
    use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    })
}

/// What the user typed into a form posted without JavaScript whose server function
/// answered with an error. The server keeps it for one page view, keyed by a cookie;
/// form fields read it to show the typed text again.
#[derive(Debug, Clone, Default)]
pub struct FormFlash(pub BTreeMap<String, String>);

/// The value typed into `field` before a failed no-JavaScript post, if any.
pub fn flashed_value(field: &str) -> Option<String> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<FormFlash>().cloned())
        .and_then(|flash| flash.0.get(field).cloned())
}

/// True when the current request is a plain HTML form post (JavaScript off).
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// After a successful plain form post, send the browser to `location` instead of
/// back to the form. With JavaScript the component shows the result itself.
pub fn redirect_plain_form_post(location: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(location);
    }
}
