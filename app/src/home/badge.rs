//! The menu's count of an employer's news, on every page they open, without building
//! the news on every page. The count is kept per person with what it was counted
//! from, and it is counted again as soon as any of that moves:
//!
//! - the database's news counter, which triggers bump on every change to a table the
//!   news are read from (needs, their events, firms, threads, posts, releases,
//!   consents, meetings, rings, memberships: migration `news_state`);
//! - when the person's visit started (their home visits); before their first visit
//!   the news look a fortnight back from the clock, and a count is kept as if that
//!   did not slide (for at most [`KEEP_SECONDS`], below);
//! - the threads they have read (how many reads, and the newest);
//! - the day (a release is shown while its consent runs, by the day);
//! - time itself: the count is kept only until the first counted meeting starts (it
//!   leaves "ahead"), and at most [`KEEP_SECONDS`], so that a meeting planned further
//!   ahead than the news look counts once it comes within reach.
//!
//! All of it is read in one statement; a write by anyone, in any process, shows in
//! the next page's count. Several processes on one PostgreSQL each keep their own.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use crate::{auth::SessionUser, error::AppError, ssr::query_all as query};

/// How long a count is kept at most while nothing it was counted from moves.
pub const KEEP_SECONDS: i64 = 60;
/// How many people's counts a process keeps; past it, those that no longer hold
/// are dropped (all of them, if every one still holds).
const KEPT_AT_MOST: usize = 4096;

/// What a count was counted from; a page counts again when any of it differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Basis {
    version: i64,
    firm_id: i32,
    /// The visit's start; `None` before the first visit.
    start: Option<DateTime<Utc>>,
    reads: i64,
    last_read: Option<DateTime<Utc>>,
    today: NaiveDate,
}

#[derive(Debug, Clone, Copy)]
struct Kept {
    basis: Basis,
    /// When it was counted, and until when it holds.
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    count: usize,
}

/// This process's kept counts, by user id (one per server, shared by its requests).
#[derive(Debug, Clone, Default)]
pub struct NewsBadge(Arc<Mutex<HashMap<i32, Kept>>>);

impl NewsBadge {
    /// How many new things the employer `user` (with a firm) has at `now`: the same
    /// figure as the home's news (`home::news_count`).
    pub async fn count(
        &self,
        db: &impl ConnectionTrait,
        user: &SessionUser,
        firm_id: i32,
        now: DateTime<Utc>,
    ) -> Result<usize, AppError> {
        let (basis, start) = basis(db, user.id, firm_id, now).await?;
        let kept = self.lock().get(&user.id).copied();
        if let Some(kept) = kept.filter(|k| k.basis == basis && k.from <= now && now < k.until) {
            return Ok(kept.count);
        }
        let news = super::service::news(db, user, start, now).await?;
        let count = super::news_count(&news);
        // It holds until the first counted meeting starts (and leaves the news).
        let until = news
            .iter()
            .flat_map(|s| s.meetings.iter())
            .filter(|m| m.new)
            .map(|m| m.starts_at)
            .fold(now + Duration::seconds(KEEP_SECONDS), |a, b| a.min(b));
        let mut kept = self.lock();
        if kept.len() >= KEPT_AT_MOST {
            kept.retain(|_, k| now < k.until);
            if kept.len() >= KEPT_AT_MOST {
                kept.clear();
            }
        }
        kept.insert(
            user.id,
            Kept {
                basis,
                from: now,
                until,
                count,
            },
        );
        Ok(count)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i32, Kept>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What `user_id`'s count at `now` depends on, in one statement, and since when
/// things count as new.
async fn basis(
    db: &impl ConnectionTrait,
    user_id: i32,
    firm_id: i32,
    now: DateTime<Utc>,
) -> Result<(Basis, DateTime<Utc>), AppError> {
    let rows = query(
        db,
        "SELECT s.version, v.seen_at, v.previous_at, \
         (SELECT COUNT(*) FROM thread_reads r WHERE r.user_id = ?) AS reads, \
         (SELECT MAX(r.read_at) FROM thread_reads r WHERE r.user_id = ?) AS last_read \
         FROM news_state s LEFT JOIN home_visits v ON v.user_id = ? WHERE s.id = 1",
        vec![user_id.into(), user_id.into(), user_id.into()],
    )
    .await?;
    let row = rows
        .first()
        .ok_or_else(|| AppError::unexpected(anyhow::anyhow!("news_state has no row")))?;
    let seen: Option<DateTime<Utc>> = row.try_get("", "seen_at")?;
    let previous: Option<DateTime<Utc>> = row.try_get("", "previous_at")?;
    let visit = seen.zip(previous);
    let start = super::service::visit_start(visit, now);
    let basis = Basis {
        version: row.try_get("", "version")?,
        firm_id,
        start: visit.map(|_| start),
        reads: row.try_get("", "reads")?,
        last_read: row.try_get("", "last_read")?,
        today: crate::i18n::today(),
    };
    Ok((basis, start))
}
