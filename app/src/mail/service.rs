//! Putting e-mail in the outbox.

use chrono::Utc;
use sea_orm::{ConnectionTrait, Statement};

use super::OutgoingEmail;
use crate::{error::AppError, ssr::sql};

/// Writes `mail` to the outbox on `db` (pass the event's transaction), with a stable
/// Message-ID under `host`. Returns the Message-ID.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    mail: &OutgoingEmail,
    host: &str,
) -> Result<String, AppError> {
    let message_id = format!("<{}@{host}>", crate::ssr::random_token(16));
    let now = Utc::now();
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO outbox (message_id, to_address, subject, body_text, body_html, kind, status, \
             attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
        ),
        [
            message_id.clone().into(),
            mail.to.clone().into(),
            mail.subject.clone().into(),
            mail.text.clone().into(),
            mail.html.clone().into(),
            mail.kind.into(),
            now.into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(message_id)
}

/// E-mails the outbox gave up on, newest first (at most 100).
pub async fn failed(db: &impl ConnectionTrait) -> Result<Vec<crate::admin::FailedMail>, AppError> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT to_address, subject, attempts, last_error, created_at FROM outbox \
             WHERE status = 'failed' ORDER BY id DESC LIMIT 100",
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(crate::admin::FailedMail {
                to: r.try_get("", "to_address")?,
                subject: r.try_get("", "subject")?,
                attempts: r.try_get("", "attempts")?,
                last_error: r
                    .try_get::<Option<String>>("", "last_error")?
                    .unwrap_or_default(),
                created_at: r.try_get("", "created_at")?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}
