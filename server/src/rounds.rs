//! The worker's periodic rounds beside the outbox: consents that expired have their
//! releases revoked, coordinators are reminded of consents about to expire, and
//! candidates who left the programme longer ago than the retention setting are
//! erased (with their anonymous counts kept).
//! A second loop builds the e-mail digests that are due (`digests`).
//! Every step is idempotent or claimed with a conditional update, so several server
//! processes on one PostgreSQL may run the rounds at once.

use std::time::Duration;

use app::db::Db;
use app::digests::service::{DigestConfig, Due};
use tokio::sync::watch;

/// Runs the rounds every `interval` until `stop` turns true; trouble is logged.
pub async fn run(
    db: Db,
    base_url: String,
    retention_months: u32,
    interval: Duration,
    mut stop: watch::Receiver<bool>,
) {
    while !*stop.borrow() {
        match app::releases::service::expire_and_remind(&db, &base_url).await {
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
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stop.changed() => {}
        }
    }
}

/// Quiet digest periods (no e-mail) are kept this many days.
const QUIET_DAYS: i64 = 90;

/// Builds and queues the digests that are due, every `interval` until `stop` turns
/// true. Several processes may run it at once: each period is claimed by one.
pub async fn digests(
    db: Db,
    config: DigestConfig,
    interval: Duration,
    mut stop: watch::Receiver<bool>,
) {
    while !*stop.borrow() {
        let round =
            app::digests::service::round(&db, &config, chrono::Utc::now(), Due::Scheduled, false)
                .await;
        crate::digests::count_round(round.as_ref().ok());
        match round {
            Ok(r) if r.queued + r.quiet > 0 => {
                tracing::info!(
                    queued = r.queued,
                    quiet = r.quiet,
                    taken = r.taken,
                    "digest round"
                );
            }
            Ok(_) => {}
            Err(err) => tracing::error!("digest round: {err:?}"),
        }
        if let Err(err) = app::digests::service::forget_quiet(&db, QUIET_DAYS).await {
            tracing::error!("forgetting quiet digest periods: {err:?}");
        }
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stop.changed() => {}
        }
    }
}
