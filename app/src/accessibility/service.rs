//! Storing feedback reports.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::{entity, model::NewFeedback};
use crate::{error::AppError, i18n::Locale};

/// Stores the report and returns the reference the sender is given.
pub async fn record(
    db: &impl ConnectionTrait,
    report: &NewFeedback,
    locale: Locale,
) -> Result<String, AppError> {
    let row = entity::ActiveModel {
        email: Set(report.email.as_str().to_owned()),
        page: Set(report.page.clone()),
        message: Set(report.message.clone()),
        locale: Set(locale.code().to_owned()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    tracing::info!(report = row.id, from = %report.email.masked(), "accessibility report received");
    Ok(reference(row.id))
}

/// The reference shown to the sender: `TR-` and the report number.
pub fn reference(id: i32) -> String {
    format!("TR-{id:05}")
}
