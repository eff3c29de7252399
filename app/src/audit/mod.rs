//! The audit log: who did what to which object, when, with what outcome. Append-only
//! (the database refuses UPDATE and DELETE); coordinators and admins search it.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One line of the audit log as the search page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When, in UTC.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who (a name and e-mail, or "anonymous").
    pub actor: String,
    /// What, e.g. `login.failure`.
    pub action: String,
    /// The kind of object, e.g. `user`.
    pub object_type: String,
    /// Which one, if any.
    pub object_id: Option<String>,
    /// `ok`, `refused` or `failed`.
    pub outcome: String,
    /// A short detail (never personal data of candidates).
    pub detail: String,
}

/// The newest entries matching `query` (in actor, action, object or detail), at most 200.
#[server(endpoint = "audit/search")]
pub async fn search_audit_log(query: String) -> Result<Vec<AuditEntry>, AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::search(&ctx.db, query.trim(), 200).await
}
