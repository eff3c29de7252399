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
    insert(db, mail, &message_id, None).await?;
    Ok(message_id)
}

/// Like [`enqueue`], for a message sent to a list (a digest): it carries
/// `List-Unsubscribe: <unsubscribe>` with one-click unsubscribe (RFC 8058). Returns
/// the outbox row's id.
pub async fn enqueue_with(
    db: &impl ConnectionTrait,
    mail: &OutgoingEmail,
    host: &str,
    unsubscribe: Option<&str>,
) -> Result<i64, AppError> {
    let message_id = format!("<{}@{host}>", crate::ssr::random_token(16));
    insert(db, mail, &message_id, unsubscribe).await
}

async fn insert(
    db: &impl ConnectionTrait,
    mail: &OutgoingEmail,
    message_id: &str,
    unsubscribe: Option<&str>,
) -> Result<i64, AppError> {
    let now = Utc::now();
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "INSERT INTO outbox (message_id, to_address, subject, body_text, body_html, kind, status, \
                 attempts, next_attempt_at, created_at, list_unsubscribe) \
                 VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) RETURNING id",
            ),
            [
                message_id.into(),
                mail.to.clone().into(),
                mail.subject.clone().into(),
                mail.text.clone().into(),
                mail.html.clone().into(),
                mail.kind.into(),
                now.into(),
                now.into(),
                unsubscribe.map(str::to_owned).into(),
            ],
        ))
        .await?;
    match row {
        Some(row) => Ok(row.try_get("", "id")?),
        None => Err(AppError::unexpected(anyhow::anyhow!(
            "the outbox insert returned no id"
        ))),
    }
}

/// E-mails the outbox gave up on, newest first (at most 100).
pub async fn failed(db: &impl ConnectionTrait) -> Result<Vec<super::FailedMail>, AppError> {
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
            Ok(super::FailedMail {
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
