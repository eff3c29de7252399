//! The audit log: who did what to which object, when, with what outcome. Append-only
//! (the database refuses UPDATE and DELETE). Every concept records here, `auth`
//! included, so this module imports no concept; the page where coordinators and
//! admins search the log is `admin::audit_log`.

#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

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
