//! The outbox worker: sends what the application queued in the `outbox` table.
//!
//! A message is claimed with a lease (an `UPDATE … RETURNING` that only one worker can
//! win; `FOR UPDATE SKIP LOCKED` on PostgreSQL so workers do not queue behind each
//! other), sent, then marked sent. A failure is retried with exponential back-off and
//! never dropped; after [`MAX_ATTEMPTS`] the message is marked failed for admins to
//! see.
//!
//! Leases are short ([`LEASE`]) and renewed just before each send, for the message and
//! the rest of its batch; a send is cut off after [`crate::mailer::SEND_TIMEOUT`], which
//! is shorter than a lease, so no other worker can take a message while it is being
//! sent. A worker that dies leaves leases that run out within [`LEASE`], and the
//! message is sent again with the same Message-ID: a restart empties the queue in
//! seconds, not minutes.
//!
//! A failure without an answer from the mail server (refused connection, network, TLS)
//! marks the message `unreachable`. While such messages wait out their back-off, the
//! worker asks the mail server every round whether it answers again and, once it does,
//! retries them at once: the retry they would get anyway, only sooner, so no more
//! likely to deliver twice.
//!
//! A digest is checked just before it is sent: anything in it hidden or revoked since
//! it was built is taken out (`app::digests::service::before_send`), and a digest with
//! nothing left is cancelled.
//!
//! A message that mentions a release (`outbox_releases`) is never claimed once the
//! release is revoked or its consent withdrawn or expired, even before the
//! withdrawal's own cancellation or the expiry round has marked it cancelled.

use std::time::Duration as StdDuration;

use app::db::Db;
use app::digests::service::{BeforeSend, DigestConfig};
use app::ssr::sql;
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use tokio::sync::watch;

use crate::mailer::{Envelope, Mailer};

/// Attempts before a message is marked failed (about a day and a half of back-off).
pub const MAX_ATTEMPTS: i32 = 12;
/// How long a claim holds before another worker may take the message; renewed before
/// each send, and longer than a send may take.
pub const LEASE: Duration = Duration::seconds(40);

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
pub async fn claim(db: &Db, worker: &str) -> anyhow::Result<Option<Claimed>> {
    Ok(claim_batch(db, worker, 1).await?.pop())
}

/// How many messages a sender claims at once: one claim (a write) for several sends.
pub const BATCH: usize = 10;

/// Claims up to `n` of the oldest due messages for `worker`, oldest first, for
/// [`LEASE`]; each send renews the lease of what is left of the batch ([`renew`]).
pub async fn claim_batch(db: &Db, worker: &str, n: usize) -> anyhow::Result<Vec<Claimed>> {
    let backend = db.get_database_backend();
    let now = Utc::now();
    let lease = LEASE;
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

/// Renews this worker's lease on `ids` for another [`LEASE`]; returns the ids it still
/// held (a lease that ran out may be another worker's now).
pub async fn renew(db: &Db, worker: &str, ids: &[i64]) -> anyhow::Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let now = Utc::now();
    let list = app::ssr::placeholders(ids.len());
    let mut values: Vec<sea_orm::Value> = vec![(now + LEASE).into(), worker.into(), now.into()];
    values.extend(ids.iter().map(|id| sea_orm::Value::from(*id)));
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!(
                    "UPDATE outbox SET lease_until = ? WHERE leased_by = ? AND status = 'pending' \
                     AND lease_until >= ? AND id IN ({list}) RETURNING id"
                ),
            ),
            values,
        ))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| r.try_get::<i64>("", "id").ok())
        .collect())
}

/// Records a successful send (only if this worker still holds the lease).
pub async fn mark_sent(db: &Db, claimed: &Claimed, worker: &str) -> anyhow::Result<()> {
    finish(
        db,
        claimed,
        worker,
        "status = 'sent', sent_at = ?, attempts = attempts + 1, unreachable = ?",
        vec![Utc::now().into(), false.into()],
    )
    .await
}

/// Ends this worker's hold on a claimed message with `set` (and its `values`), only if
/// the lease is still this worker's: a late worker cannot undo another's work.
async fn finish(
    db: &Db,
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

/// Records a failed send: retry later, or give up after [`MAX_ATTEMPTS`]. `unreachable`:
/// the mail server gave no answer (see the module's notes).
pub async fn mark_failed(
    db: &Db,
    claimed: &Claimed,
    worker: &str,
    error: &str,
    unreachable: bool,
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
        "status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, unreachable = ?",
        vec![
            status.into(),
            failures.into(),
            (Utc::now() + backoff(failures)).into(),
            error.chars().take(500).collect::<String>().into(),
            unreachable.into(),
        ],
    )
    .await
}

/// The messages not yet sent, by why they wait.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waiting {
    /// Claimed by a worker whose lease still runs: being sent now (perhaps by another
    /// process).
    pub in_hand: i64,
    /// Failed before, waiting out their back-off.
    pub retrying: i64,
    /// Due now, not yet claimed.
    pub due: i64,
    /// How long the longest-due unclaimed message has been due, in seconds: a queue that
    /// moves keeps this near the worker's interval.
    pub due_secs: i64,
    /// Given up after [`MAX_ATTEMPTS`] (no longer pending).
    pub failed: i64,
    /// The oldest unsent message's age in seconds (0 when none).
    pub oldest_secs: i64,
}

/// The pending messages, by why they wait.
pub async fn waiting(db: &Db) -> anyhow::Result<Waiting> {
    let backend = db.get_database_backend();
    let now = Utc::now();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT CASE WHEN lease_until IS NOT NULL AND lease_until >= ? THEN 'in_hand' \
                   WHEN next_attempt_at > ? THEN 'retrying' ELSE 'due' END AS why, \
                   COUNT(*) AS n, MIN(created_at) AS oldest, MIN(next_attempt_at) AS due_since \
                 FROM outbox WHERE status = 'pending' GROUP BY 1 \
                 UNION ALL SELECT 'failed', COUNT(*), NULL, NULL FROM outbox WHERE status = 'failed'",
            ),
            [now.into(), now.into()],
        ))
        .await?;
    let mut waiting = Waiting::default();
    let mut oldest: Option<chrono::DateTime<Utc>> = None;
    for row in rows {
        let why: String = row.try_get("", "why")?;
        let n: i64 = row.try_get("", "n")?;
        match why.as_str() {
            "in_hand" => waiting.in_hand = n,
            "retrying" => waiting.retrying = n,
            "failed" => {
                waiting.failed = n;
                continue;
            }
            _ => {
                waiting.due = n;
                let since: Option<chrono::DateTime<Utc>> = row.try_get("", "due_since")?;
                waiting.due_secs = since.map_or(0, |at| (now - at).num_seconds().max(0));
            }
        }
        let at: Option<chrono::DateTime<Utc>> = row.try_get("", "oldest")?;
        oldest = match (oldest, at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    waiting.oldest_secs = oldest.map_or(0, |at| (now - at).num_seconds().max(0));
    Ok(waiting)
}

/// Records that a claimed message is not to be sent (a digest with nothing left).
pub async fn mark_cancelled(db: &Db, claimed: &Claimed, worker: &str) -> anyhow::Result<()> {
    finish(db, claimed, worker, "status = 'cancelled'", vec![]).await
}

/// Sends every due message once; returns how many were sent.
pub async fn drain(
    db: &Db,
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
    db: &Db,
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
        let ids: Vec<i64> = batch.iter().map(|c| c.id).collect();
        for (at, claimed) in batch.into_iter().enumerate() {
            if stop.is_some_and(|s| *s.borrow()) {
                // Stopping: this message and the rest of the batch go back for any
                // worker.
                release(db, worker, &ids[at..]).await?;
                break 'claims;
            }
            sent += send_one(db, mailer, (from, worker), digests, claimed, &ids[at..]).await?;
        }
    }
    Ok(sent)
}

/// Gives claimed messages back (their lease ends now).
async fn release(db: &Db, worker: &str, ids: &[i64]) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let list = app::ssr::placeholders(ids.len());
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

/// Checks (a digest), sends and marks one claimed message; 1 when it was sent. `rest`
/// is the message's id and those after it in the batch: their leases are renewed just
/// before the send, and a message whose lease ran out is left to whoever has it.
async fn send_one(
    db: &Db,
    mailer: &Mailer,
    (from, worker): (&str, &str),
    digests: &DigestConfig,
    mut claimed: Claimed,
    rest: &[i64],
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
                let error = format!("checking the digest: {err}");
                mark_failed(db, &claimed, worker, &error, false).await?;
                return Ok(0);
            }
        }
    }
    if !renew(db, worker, rest).await?.contains(&claimed.id) {
        tracing::warn!(
            outbox = claimed.id,
            "a lease ran out before sending; left to its new holder"
        );
        return Ok(0);
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
            let unreachable = crate::mailer::unreachable(&err);
            mark_failed(db, &claimed, worker, &format!("{err:#}"), unreachable).await?;
            Ok(0)
        }
    }
}

/// [`drain_until`] with `senders` workers at once (named `worker-1` …), each on its own
/// SMTP connection: a digest run of thousands is not held up by one connection's
/// round trips. The claim keeps them from ever taking the same message.
pub async fn drain_parallel(
    db: &Db,
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
    db: Db,
    mailer: Mailer,
    from: String,
    digests: DigestConfig,
    (interval, senders): (StdDuration, usize),
    mut stop: watch::Receiver<bool>,
) {
    let worker = format!("{}-{}", std::process::id(), app::ssr::random_token(4));
    while !*stop.borrow() {
        match retry_when_reachable(&db, &mailer).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(messages = n, "the mail server answers again; retrying now"),
            Err(err) => tracing::error!("outbox worker: {err:#}"),
        }
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

/// When messages that found the mail server unreachable wait out their back-off and
/// the server answers now, makes them due at once; returns how many.
pub async fn retry_when_reachable(db: &Db, mailer: &Mailer) -> anyhow::Result<u64> {
    let backend = db.get_database_backend();
    let now = Utc::now();
    let waiting = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT id FROM outbox WHERE status = 'pending' AND unreachable = ? \
                 AND next_attempt_at > ? LIMIT 1",
            ),
            [true.into(), now.into()],
        ))
        .await?;
    if waiting.is_none() || !mailer.answers().await {
        return Ok(0);
    }
    let done = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending' AND unreachable = ? \
                 AND next_attempt_at > ?",
            ),
            [now.into(), true.into(), now.into()],
        ))
        .await?;
    Ok(done.rows_affected())
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
