//! Writing and searching the audit log. The only way the application writes it.

use chrono::Utc;
use sea_orm::{ConnectionTrait, Statement};

use super::AuditEntry;
use crate::{auth::SessionUser, error::AppError, ssr::sql};

/// The outcome of an audited action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It happened.
    Ok,
    /// It was not allowed or the input was wrong.
    Refused,
    /// It broke.
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Refused => "refused",
            Self::Failed => "failed",
        }
    }
}

/// One event for the log.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    /// Who did it, if logged in.
    pub actor: Option<&'a SessionUser>,
    /// What was done, e.g. `login.success`.
    pub action: &'a str,
    /// The kind of object, e.g. `user`.
    pub object_type: &'a str,
    /// Which one.
    pub object_id: Option<String>,
    /// How it went.
    pub outcome: Outcome,
    /// A short detail.
    pub detail: String,
    /// The caller's address.
    pub ip: Option<String>,
}

impl<'a> Event<'a> {
    /// A successful action on object `id` of kind `object_type` (`firm`, `ring`, …).
    pub fn ok(
        actor: Option<&'a SessionUser>,
        action: &'a str,
        object_type: &'a str,
        id: i32,
        detail: String,
        ip: Option<String>,
    ) -> Self {
        Self {
            actor,
            action,
            object_type,
            object_id: Some(id.to_string()),
            outcome: Outcome::Ok,
            detail,
            ip,
        }
    }

    /// A successful action on the account `user_id` (logins, resets, account changes).
    pub fn on_user(
        actor: Option<&'a SessionUser>,
        action: &'a str,
        user_id: i32,
        detail: String,
        ip: Option<String>,
    ) -> Self {
        Self::ok(actor, action, "user", user_id, detail, ip)
    }
}

/// Appends `event` to the log on `db` (pass the action's transaction when it has one).
pub async fn record(db: &impl ConnectionTrait, event: Event<'_>) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let (actor_id, actor) = match event.actor {
        Some(user) => (Some(user.id), format!("{} <{}>", user.name, user.email)),
        None => (None, "anonymous".to_owned()),
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO audit_log (at, actor_id, actor, action, object_type, object_id, outcome, detail, ip) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ),
        [
            Utc::now().into(),
            actor_id.into(),
            actor.into(),
            event.action.into(),
            event.object_type.into(),
            event.object_id.into(),
            event.outcome.as_str().into(),
            event.detail.into(),
            event.ip.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The newest `limit` entries whose actor, action, object or detail contains `query`.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &str,
    limit: u64,
) -> Result<Vec<AuditEntry>, AppError> {
    let backend = db.get_database_backend();
    let pattern = format!(
        "%{}%",
        query
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT at, actor, action, object_type, object_id, outcome, detail FROM audit_log \
                 WHERE LOWER(actor) LIKE ? ESCAPE '\\' OR LOWER(action) LIKE ? ESCAPE '\\' \
                 OR LOWER(object_type || ':' || COALESCE(object_id, '')) LIKE ? ESCAPE '\\' \
                 OR LOWER(detail) LIKE ? ESCAPE '\\' \
                 ORDER BY id DESC LIMIT ?",
            ),
            [
                pattern.clone().into(),
                pattern.clone().into(),
                pattern.clone().into(),
                pattern.into(),
                (limit as i64).into(),
            ],
        ))
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(AuditEntry {
                at: row.try_get("", "at")?,
                actor: row.try_get("", "actor")?,
                action: row.try_get("", "action")?,
                object_type: row.try_get("", "object_type")?,
                object_id: row.try_get("", "object_id")?,
                outcome: row.try_get("", "outcome")?,
                detail: row.try_get("", "detail")?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}
