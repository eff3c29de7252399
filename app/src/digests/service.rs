//! Digests on the server: the signed unsubscribe token, rounds that build and queue
//! each member's digest exactly once, and the check before sending that nothing in
//! it was hidden or revoked. Beside it: `prefs` (members and their preferences) and
//! `content` (what is new in a ring for a period).

use super::{
    content::{Builder, LIVE},
    prefs::{Member, member, members},
};
use crate::ssr::BeginWrite;
use std::collections::HashMap;

use crate::db::Db;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, Statement, Value};

use super::{
    model::{self, DigestContent, Frequency, Items},
    render::{self, Links},
};
use crate::{
    error::AppError,
    mail::OutgoingEmail,
    ssr::{Secret, query_all as query, sql},
};

pub(super) async fn execute(
    db: &impl ConnectionTrait,
    text: &str,
    values: Vec<Value>,
) -> Result<u64, AppError> {
    let backend = db.get_database_backend();
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, text),
            values,
        ))
        .await?
        .rows_affected())
}

/// What building and sending digests needs to know about the installation.
#[derive(Debug, Clone)]
pub struct DigestConfig {
    /// The portal's address (links), without a trailing slash.
    pub base_url: String,
    /// The signing secret (unsubscribe tokens).
    pub secret: Secret,
    /// The hour (Stockholm) digests are due on their day.
    pub hour: u32,
}

// ---------------------------------------------------------------------------------
// The signed token: the only credential of the unsubscribe and settings links.

/// The token for `user_id`'s digest links: the id and an HMAC of it under the
/// installation secret. It can unsubscribe and change digest settings, nothing else.
pub fn token(secret: &Secret, user_id: i32) -> String {
    format!(
        "{user_id}.{}",
        crate::ssr::sign(secret, &format!("digest:{user_id}"))
    )
}

/// The user a token was made for, if it is genuine.
pub fn verify(secret: &Secret, token: &str) -> Option<i32> {
    let (id, signature) = token.trim().split_once('.')?;
    let user_id: i32 = id.parse().ok()?;
    let expected = crate::ssr::sign(secret, &format!("digest:{user_id}"));
    crate::ssr::constant_time_eq(signature, &expected).then_some(user_id)
}

/// The links of `user_id`'s digests.
pub fn links(config: &DigestConfig, user_id: i32) -> Links {
    let token = token(&config.secret, user_id);
    Links {
        base: config.base_url.clone(),
        settings: format!("{}/installningar?t={token}", config.base_url),
        unsubscribe: format!("{}/avregistrera?t={token}", config.base_url),
    }
}

// ---------------------------------------------------------------------------------
// Building and queueing.

/// Which digests a round builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Those whose time has come by each member's frequency and weekday.
    Scheduled,
    /// One for every member who gets digests at all, up to now (`send-digests --now`).
    Now,
}

/// A digest a round built (or, in a dry run, would build).
#[derive(Debug, Clone)]
pub struct Built {
    /// The member.
    pub user_id: i32,
    /// The e-mail; `None` when nothing was new.
    pub mail: Option<OutgoingEmail>,
    /// The period.
    pub period: (DateTime<Utc>, DateTime<Utc>),
}

/// What a round did.
#[derive(Debug, Clone, Default)]
pub struct RoundReport {
    /// Digests queued for sending.
    pub queued: usize,
    /// Periods with nothing new (recorded, no e-mail).
    pub quiet: usize,
    /// Periods another process built first.
    pub taken: usize,
    /// In a dry run: what would have been queued.
    pub dry: Vec<Built>,
}

async fn last_ends(db: &impl ConnectionTrait) -> Result<HashMap<i32, DateTime<Utc>>, AppError> {
    query(
        db,
        "SELECT user_id, MAX(period_end) AS last_end FROM digests GROUP BY user_id",
        vec![],
    )
    .await?
    .iter()
    .map(|r| Ok((r.try_get("", "user_id")?, r.try_get("", "last_end")?)))
    .collect()
}

/// Builds and queues the digests due at `now` (or, with `dry_run`, only says what it
/// would queue). Each member's period is claimed by inserting its row: the unique
/// `(user_id, period_start)` lets exactly one process build it, whatever the number
/// of processes, and a crash before the commit leaves nothing behind.
pub async fn round(
    db: &Db,
    config: &DigestConfig,
    now: DateTime<Utc>,
    due: Due,
    dry_run: bool,
) -> Result<RoundReport, AppError> {
    let members = members(db).await?;
    let ends = last_ends(db).await?;
    let mut builder = Builder::new(db).await?;
    let mut report = RoundReport::default();
    for member in &members {
        let frequency = member.prefs.frequency;
        if frequency == Frequency::Never {
            continue;
        }
        let previous = ends.get(&member.user_id).copied();
        let (end, key) = match due {
            Due::Scheduled => {
                let Some(slot) =
                    model::latest_slot(now, frequency, member.prefs.weekday, config.hour)
                else {
                    continue;
                };
                (slot, model::period_key(frequency, slot))
            }
            Due::Now => (now, format!("now:{}", now.format("%Y-%m-%dT%H:%M:%S%.6fZ"))),
        };
        if previous.is_some_and(|p| p >= end) {
            continue;
        }
        let start =
            model::period_start(previous, end, frequency, member.prefs.weekday, config.hour);
        let content = builder.content(db, member, start, end).await?;
        let mail = content.has_news().then(|| {
            render::digest_email(
                member.prefs.locale,
                &member.email,
                &member.name,
                &content,
                (start, end),
                &links(config, member.user_id),
            )
        });
        if dry_run {
            report.dry.push(Built {
                user_id: member.user_id,
                mail,
                period: (start, end),
            });
            continue;
        }
        let queued = mail.is_some();
        let period = Period {
            key: &key,
            start,
            end,
        };
        if queue(db, config, member, &period, &content, mail).await? {
            if queued {
                report.queued += 1;
            } else {
                report.quiet += 1;
            }
        } else {
            report.taken += 1;
        }
    }
    Ok(report)
}

/// Forgets quiet periods (nothing was new, no e-mail) that ended more than `days` ago,
/// keeping each member's latest period, where the next one starts. Daily digests
/// would otherwise leave a row a day per member for ever. Returns how many went.
pub async fn forget_quiet(db: &impl ConnectionTrait, days: i64) -> Result<u64, AppError> {
    execute(
        db,
        "DELETE FROM digests WHERE outbox_id IS NULL AND period_end < ? \
         AND period_end < (SELECT MAX(l.period_end) FROM digests l WHERE l.user_id = digests.user_id)",
        vec![(Utc::now() - Duration::days(days)).into()],
    )
    .await
}

struct Period<'a> {
    key: &'a str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// Records the period and queues its e-mail in one transaction; `false` when another
/// process had the period already.
async fn queue(
    db: &Db,
    config: &DigestConfig,
    member: &Member,
    period: &Period<'_>,
    content: &DigestContent,
    mail: Option<OutgoingEmail>,
) -> Result<bool, AppError> {
    let items = serde_json::to_string(&Items::of(content))
        .map_err(|e| AppError::unexpected(anyhow::Error::from(e)))?;
    let txn = db.begin_write().await?;
    // The member's lock (SQLite's write transaction holds the whole database): no
    // other process stores a period for this member until this one commits, and a
    // period that would overlap one stored meanwhile is left to that one.
    crate::ssr::lock_row(&txn, "users", member.user_id).await?;
    let overlapping = query(
        &txn,
        "SELECT id FROM digests WHERE user_id = ? AND period_end > ? AND period_start < ?",
        vec![
            member.user_id.into(),
            period.start.into(),
            period.end.into(),
        ],
    )
    .await?;
    if !overlapping.is_empty() {
        txn.rollback().await?;
        return Ok(false);
    }
    let inserted = query(
        &txn,
        "INSERT INTO digests (user_id, period_key, period_start, period_end, locale, items, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
        vec![
            member.user_id.into(),
            period.key.into(),
            period.start.into(),
            period.end.into(),
            member.prefs.locale.code().into(),
            items.into(),
            Utc::now().into(),
        ],
    )
    .await?;
    let Some(row) = inserted.first() else {
        txn.rollback().await?;
        return Ok(false);
    };
    let digest_id: i64 = row.try_get("", "id")?;
    if let Some(mail) = mail {
        let unsubscribe = links(config, member.user_id).unsubscribe;
        let outbox_id = crate::mail::service::enqueue_with(
            &txn,
            &mail,
            &crate::auth::service::host_of(&config.base_url),
            Some(&unsubscribe),
        )
        .await?;
        execute(
            &txn,
            "UPDATE digests SET outbox_id = ? WHERE id = ?",
            vec![outbox_id.into(), digest_id.into()],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}

// ---------------------------------------------------------------------------------
// Just before sending.

/// What the outbox worker should do with a digest it claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BeforeSend {
    /// Send it as queued.
    AsQueued,
    /// Something in it was hidden, deleted or revoked: send this instead (already
    /// stored in the outbox row, so a retry sends the same).
    Rebuilt(OutgoingEmail),
    /// Nothing is left to tell, or the member is gone: do not send.
    Cancel,
}

fn ids_clause(column: &str, n: usize) -> String {
    if n == 0 {
        "0 = 1".to_owned()
    } else {
        format!("{column} IN ({})", crate::ssr::placeholders(n))
    }
}

/// Checks the digest in outbox row `outbox_id` against the database as it is now, and
/// rebuilds it when something it mentions may no longer be shown. Not a digest: sent
/// as queued.
pub async fn before_send(
    db: &Db,
    config: &DigestConfig,
    outbox_id: i64,
) -> Result<BeforeSend, AppError> {
    let rows = query(
        db,
        "SELECT id, user_id, period_start, period_end, items FROM digests WHERE outbox_id = ?",
        vec![outbox_id.into()],
    )
    .await?;
    let Some(row) = rows.first() else {
        return Ok(BeforeSend::AsQueued);
    };
    let digest_id: i64 = row.try_get("", "id")?;
    let user_id: i32 = row.try_get("", "user_id")?;
    let items: Items =
        serde_json::from_str(&row.try_get::<String>("", "items")?).unwrap_or_default();
    if still_true(db, user_id, &items).await? {
        return Ok(BeforeSend::AsQueued);
    }
    let Some(member) = member(db, user_id).await? else {
        return Ok(BeforeSend::Cancel);
    };
    if member.prefs.frequency == Frequency::Never {
        return Ok(BeforeSend::Cancel);
    }
    let (start, end): (DateTime<Utc>, DateTime<Utc>) = (
        row.try_get("", "period_start")?,
        row.try_get("", "period_end")?,
    );
    let content = Builder::for_firm(db, member.firm_id)
        .await?
        .content(db, &member, start, end)
        .await?;
    let txn = db.begin_write().await?;
    let outcome = if content.has_news() {
        let mail = render::digest_email(
            member.prefs.locale,
            &member.email,
            &member.name,
            &content,
            (start, end),
            &links(config, user_id),
        );
        execute(
            &txn,
            "UPDATE outbox SET subject = ?, body_text = ?, body_html = ? WHERE id = ?",
            vec![
                mail.subject.clone().into(),
                mail.text.clone().into(),
                mail.html.clone().into(),
                outbox_id.into(),
            ],
        )
        .await?;
        BeforeSend::Rebuilt(mail)
    } else {
        BeforeSend::Cancel
    };
    let items = serde_json::to_string(&Items::of(&content))
        .map_err(|e| AppError::unexpected(anyhow::Error::from(e)))?;
    execute(
        &txn,
        "UPDATE digests SET items = ? WHERE id = ?",
        vec![items.into(), digest_id.into()],
    )
    .await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Whether the digest may go out as it is: the member still an active employer who
/// wants digests, and everything `items` mentions still shown to them — each post
/// readable, each release live, each meeting there, each ring still their firm's.
/// One query: it runs before every digest sent.
async fn still_true(
    db: &impl ConnectionTrait,
    user_id: i32,
    items: &Items,
) -> Result<bool, AppError> {
    let today = crate::i18n::today();
    let text = format!(
        "SELECT \
         (SELECT COUNT(*) FROM users u LEFT JOIN digest_preferences p ON p.user_id = u.id \
           WHERE u.id = ? AND u.role = 'employer' AND u.disabled_at IS NULL \
           AND (p.frequency IS NULL OR p.frequency <> 'never')) AS subscribed, \
         (SELECT COUNT(*) FROM posts WHERE {posts} AND hidden_at IS NULL AND deleted_at IS NULL) AS posts, \
         (SELECT COUNT(*) FROM releases r WHERE {releases} AND {LIVE}) AS releases, \
         (SELECT COUNT(*) FROM meetings WHERE {meetings}) AS meetings, \
         (SELECT COUNT(*) FROM ring_memberships m JOIN rings g ON g.id = m.ring_id \
           WHERE m.firm_id = (SELECT firm_id FROM users WHERE id = ?) AND m.left_at IS NULL \
           AND g.status = 'active' AND {rings}) AS rings",
        posts = ids_clause("id", items.posts.len()),
        releases = ids_clause("r.pseudonym", items.releases.len()),
        meetings = ids_clause("id", items.meetings.len()),
        rings = ids_clause("m.ring_id", items.rings.len()),
    );
    let mut values: Vec<Value> = vec![user_id.into()];
    values.extend(items.posts.iter().map(|id| (*id).into()));
    values.extend(items.releases.iter().map(|c| c.clone().into()));
    values.push(today.into());
    values.push(today.into());
    values.extend(items.meetings.iter().map(|id| (*id).into()));
    values.push(user_id.into());
    values.extend(items.rings.iter().map(|id| (*id).into()));
    let rows = query(db, &text, values).await?;
    let Some(row) = rows.first() else {
        return Ok(false);
    };
    let count = |name: &str| -> Result<usize, AppError> {
        Ok(usize::try_from(row.try_get::<i64>("", name)?).unwrap_or(0))
    };
    Ok(count("subscribed")? == 1
        && count("posts")? == items.posts.len()
        && count("releases")? == items.releases.len()
        && count("meetings")? == items.meetings.len()
        && count("rings")? == items.rings.len())
}
