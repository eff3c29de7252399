//! E-mail as the application writes it: rendered from templates in the recipient's
//! language, HTML and plain text, and put in the outbox in the same transaction as
//! the event that causes it. The server's worker sends it (`server/src/outbox.rs`).

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod service;
pub mod templates;

/// One e-mail, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
    /// What kind of message this is (for admins' overview), e.g. `password_reset`.
    pub kind: &'static str,
}

/// An e-mail the outbox gave up on, for the admin to look into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedMail {
    /// The recipient.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// How many times sending was tried.
    pub attempts: i32,
    /// The last error.
    pub last_error: String,
    /// When it was queued.
    pub created_at: chrono::DateTime<chrono::Utc>,
}
