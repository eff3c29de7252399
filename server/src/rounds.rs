//! The worker's periodic rounds beside the outbox: consents that expired have their
//! releases revoked, coordinators are reminded of consents about to expire, and
//! candidates who left the programme longer ago than the retention setting are
//! erased (with their anonymous counts kept).
//! Every step is idempotent or claimed with a conditional update, so several server
//! processes on one PostgreSQL may run the rounds at once.

use std::time::Duration;

use sea_orm::DatabaseConnection;

/// Runs the rounds every `interval` until the process ends; trouble is logged.
pub async fn run(
    db: DatabaseConnection,
    base_url: String,
    retention_months: u32,
    interval: Duration,
) {
    loop {
        match app::consent::service::expire_and_remind(&db, &base_url).await {
            Ok((revoked, reminded)) if revoked + reminded as u64 > 0 => {
                tracing::info!(revoked, reminded, "consent round");
            }
            Ok(_) => {}
            Err(err) => tracing::error!("consent round: {err:?}"),
        }
        match app::rights::service::retention_round(&db, retention_months).await {
            Ok(0) => {}
            Ok(erased) => tracing::info!(erased, "retention round"),
            Err(err) => tracing::error!("retention round: {err:?}"),
        }
        tokio::time::sleep(interval).await;
    }
}
