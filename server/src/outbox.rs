//! The outbox worker: sends what the application queued in the `outbox` table.
//!
//! A message is claimed with a lease (an `UPDATE … RETURNING` that only one worker can
//! win; `FOR UPDATE SKIP LOCKED` on PostgreSQL so workers do not queue behind each
//! other), sent, then marked sent. A failure is retried with exponential back-off and
//! never dropped; after [`MAX_ATTEMPTS`] the message is marked failed for admins to
//! see. A worker that dies between claim and mark leaves a lease that expires, and the
//! message is sent again with the same Message-ID.
//!
//! A digest is checked just before it is sent: anything in it hidden or revoked since
//! it was built is taken out (`app::digests::service::before_send`), and a digest with
//! nothing left is cancelled.
//!
//! A message that mentions a release (`outbox_releases`) is never claimed once the
//! release is revoked or its consent withdrawn or expired, even before the
//! withdrawal's own cancellation or the expiry round has marked it cancelled.

use std::time::Duration as StdDuration;

use app::digests::service::{BeforeSend, DigestConfig};
use app::ssr::sql;
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::watch;

use crate::mailer::{Envelope, Mailer};

/// Attempts before a message is marked failed (about a day and a half of back-off).
pub const MAX_ATTEMPTS: i32 = 12;
/// How long a claim holds before another worker may take the message.
pub const LEASE: Duration = Duration::seconds(120);

/// A message claimed by this worker.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The row id.
    pub id: i64,
    /// The attempts made before this one.
    pub attempts: i32,
    /// What kind of message (`digest`, `password_reset`, …).
    pub kind: String,
    /// What to send.
    pub envelope: Envelope,
}

/// The delay before attempt `n + 1` after `n` failures: 30 s doubling, at most 6 h.
pub fn backoff(failures: i32) -> Duration {
    let exp = failures.clamp(1, 20) - 1;
    let seconds = 30i64.saturating_mul(1i64 << exp).min(6 * 3600);
    Duration::seconds(seconds)
}

/// Claims the oldest due message for `worker`, if any.
pub async fn claim(db: &DatabaseConnection, worker: &str) -> anyhow::Result<Option<Claimed>> {
    Ok(claim_batch(db, worker, 1).await?.pop())
}

/// How many messages a sender claims at once: one claim (a write) for several sends.
pub const BATCH: usize = 10;
/// How long one send may take before the SMTP client gives up (see `mailer.rs`), which
/// lengthens a batch's lease.
const SEND_TIMEOUT: Duration = Duration::seconds(25);

/// Claims up to `n` of the oldest due messages for `worker`, oldest first. The lease
/// covers every send of the batch timing out in turn, so no other worker takes a
/// message this one is still working through.
pub async fn claim_batch(
    db: &DatabaseConnection,
    worker: &str,
    n: usize,
) -> anyhow::Result<Vec<Claimed>> {
    let backend = db.get_database_backend();
    let now = Utc::now();
    let lease = LEASE + SEND_TIMEOUT * i32::try_from(n).unwrap_or(i32::MAX);
    let lock = if backend == DbBackend::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let text = format!(
        "UPDATE outbox SET lease_until = ?, leased_by = ? \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? \
           AND (lease_until IS NULL OR lease_until < ?) \
           AND NOT EXISTS (SELECT 1 FROM outbox_releases m JOIN releases r ON r.id = m.release_id \
             JOIN consents c ON c.id = r.consent_id WHERE m.outbox_id = outbox.id \
             AND (r.revoked_at IS NOT NULL OR c.withdrawn_on IS NOT NULL OR c.expires_on <= ?)) \
           ORDER BY id LIMIT {n}{lock}) \
         AND status = 'pending' AND (lease_until IS NULL OR lease_until < ?) \
         RETURNING id, message_id, to_address, subject, body_text, body_html, attempts, kind, \
         list_unsubscribe"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, &text),
            [
                (now + lease).into(),
                worker.into(),
                now.into(),
                now.into(),
                app::i18n::today().into(),
                now.into(),
            ],
        ))
        .await?;
    let mut claimed = rows
        .iter()
        .map(|row| {
            Ok(Claimed {
                id: row.try_get("", "id")?,
                attempts: row.try_get("", "attempts")?,
                kind: row.try_get("", "kind")?,
                envelope: Envelope {
                    message_id: row.try_get("", "message_id")?,
                    to: row.try_get("", "to_address")?,
                    subject: row.try_get("", "subject")?,
                    text: row.try_get("", "body_text")?,
                    html: row.try_get("", "body_html")?,
                    list_unsubscribe: row.try_get("", "list_unsubscribe")?,
                },
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    // RETURNING gives no order; send the oldest first.
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// Records a successful send (only if this worker still holds the lease).
pub async fn mark_sent(
    db: &DatabaseConnection,
    claimed: &Claimed,
    worker: &str,
) -> anyhow::Result<()> {
    finish(
        db,
        claimed,
        worker,
        "status = 'sent', sent_at = ?, attempts = attempts + 1",
        vec![Utc::now().into()],
    )
    .await
}

/// Ends this worker's hold on a claimed message with `set` (and its `values`), only if
/// the lease is still this worker's: a late worker cannot undo another's work.
async fn finish(
    db: &DatabaseConnection,
    claimed: &Claimed,
    worker: &str,
    set: &str,
    mut values: Vec<sea_orm::Value>,
) -> anyhow::Result<()> {
    let backend = db.get_database_backend();
    values.push(claimed.id.into());
    values.push(worker.into());
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            &format!("UPDATE outbox SET {set}, lease_until = NULL WHERE id = ? AND leased_by = ?"),
        ),
        values,
    ))
    .await?;
    Ok(())
}

/// Records a failed send: retry later, or give up after [`MAX_ATTEMPTS`].
pub async fn mark_failed(
    db: &DatabaseConnection,
    claimed: &Claimed,
    worker: &str,
    error: &str,
) -> anyhow::Result<()> {
    let failures = claimed.attempts + 1;
    let status = if failures >= MAX_ATTEMPTS {
        "failed"
    } else {
        "pending"
    };
    finish(
        db,
        claimed,
        worker,
        "status = ?, attempts = ?, next_attempt_at = ?, last_error = ?",
        vec![
            status.into(),
            failures.into(),
            (Utc::now() + backoff(failures)).into(),
            error.chars().take(500).collect::<String>().into(),
        ],
    )
    .await
}

/// How many messages wait to be sent (now or after a back-off).
pub async fn pending(db: &DatabaseConnection) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'",
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    })
}

/// Records that a claimed message is not to be sent (a digest with nothing left).
pub async fn mark_cancelled(
    db: &DatabaseConnection,
    claimed: &Claimed,
    worker: &str,
) -> anyhow::Result<()> {
    finish(db, claimed, worker, "status = 'cancelled'", vec![]).await
}

/// Sends every due message once; returns how many were sent.
pub async fn drain(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &str,
    worker: &str,
    digests: &DigestConfig,
) -> anyhow::Result<usize> {
    drain_until(db, mailer, from, worker, digests, None).await
}

/// [`drain`], stopping between two messages once `stop` turns true (a shutdown never
/// cuts a message between the SMTP server's acceptance and its mark as sent).
pub async fn drain_until(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &str,
    worker: &str,
    digests: &DigestConfig,
    stop: Option<&watch::Receiver<bool>>,
) -> anyhow::Result<usize> {
    let mut sent = 0;
    'claims: while stop.is_none_or(|s| !*s.borrow()) {
        let batch = claim_batch(db, worker, BATCH).await?;
        if batch.is_empty() {
            break;
        }
        let mut batch = batch.into_iter();
        while let Some(claimed) = batch.next() {
            if stop.is_some_and(|s| *s.borrow()) {
                // Stopping: this message and the rest of the batch go back for any
                // worker.
                let rest: Vec<i64> = std::iter::once(claimed.id)
                    .chain(batch.map(|c| c.id))
                    .collect();
                release(db, worker, &rest).await?;
                break 'claims;
            }
            sent += send_one(db, mailer, from, worker, digests, claimed).await?;
        }
    }
    Ok(sent)
}

/// Gives claimed messages back (their lease ends now).
async fn release(db: &DatabaseConnection, worker: &str, ids: &[i64]) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let list = vec!["?"; ids.len()].join(", ");
    let mut values: Vec<sea_orm::Value> = ids.iter().map(|id| (*id).into()).collect();
    values.push(worker.into());
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            &format!("UPDATE outbox SET lease_until = NULL WHERE id IN ({list}) AND leased_by = ?"),
        ),
        values,
    ))
    .await?;
    Ok(())
}

/// Checks (a digest), sends and marks one claimed message; 1 when it was sent.
async fn send_one(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &str,
    worker: &str,
    digests: &DigestConfig,
    mut claimed: Claimed,
) -> anyhow::Result<usize> {
    if claimed.kind == "digest" {
        match app::digests::service::before_send(db, digests, claimed.id).await {
            Ok(BeforeSend::AsQueued) => {}
            Ok(BeforeSend::Rebuilt(mail)) => {
                claimed.envelope.subject = mail.subject;
                claimed.envelope.text = mail.text;
                claimed.envelope.html = mail.html;
            }
            Ok(BeforeSend::Cancel) => {
                mark_cancelled(db, &claimed, worker).await?;
                return Ok(0);
            }
            Err(err) => {
                tracing::warn!(outbox = claimed.id, "checking a digest failed: {err}");
                mark_failed(db, &claimed, worker, &format!("checking the digest: {err}")).await?;
                return Ok(0);
            }
        }
    }
    match mailer.send(from, &claimed.envelope).await {
        Ok(()) => {
            mark_sent(db, &claimed, worker).await?;
            Ok(1)
        }
        Err(err) => {
            tracing::warn!(
                outbox = claimed.id,
                attempt = claimed.attempts + 1,
                "sending failed: {err:#}"
            );
            mark_failed(db, &claimed, worker, &format!("{err:#}")).await?;
            Ok(0)
        }
    }
}

/// [`drain_until`] with `senders` workers at once (named `worker-1` …), each on its own
/// SMTP connection: a digest run of thousands is not held up by one connection's
/// round trips. The claim keeps them from ever taking the same message.
pub async fn drain_parallel(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &str,
    worker: &str,
    digests: &DigestConfig,
    stop: Option<&watch::Receiver<bool>>,
    senders: usize,
) -> anyhow::Result<usize> {
    let names: Vec<String> = (1..=senders.max(1))
        .map(|i| format!("{worker}-{i}"))
        .collect();
    let results = futures::future::join_all(
        names
            .iter()
            .map(|name| drain_until(db, mailer, from, name, digests, stop)),
    )
    .await;
    let mut sent = 0;
    for result in results {
        sent += result?;
    }
    Ok(sent)
}

/// The worker beside the web server: drains the outbox with `senders` parallel
/// senders every `interval` until `stop` turns true. Database trouble is logged and
/// retried, never fatal.
pub async fn run(
    db: DatabaseConnection,
    mailer: Mailer,
    from: String,
    digests: DigestConfig,
    (interval, senders): (StdDuration, usize),
    mut stop: watch::Receiver<bool>,
) {
    let worker = format!("{}-{}", std::process::id(), app::ssr::random_token(4));
    while !*stop.borrow() {
        let drained =
            drain_parallel(&db, &mailer, &from, &worker, &digests, Some(&stop), senders).await;
        if let Err(err) = drained {
            tracing::error!("outbox worker: {err:#}");
        }
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stop.changed() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_from_thirty_seconds_and_stops_at_six_hours() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(11), Duration::hours(6));
        assert_eq!(backoff(40), Duration::hours(6));
    }
}
