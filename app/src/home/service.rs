//! The homes' queries: an employer's news (the digest's content for the period since
//! their last visit, less the threads they have read), a coordinator's work queue
//! (one query per kind of row), an admin's counts, and the visits that say what
//! "new" means.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, Value};

use super::{
    AdminHome, EmployerHome, FirmNeed, MeetingAhead, MenuCounts, QUEUE_ROWS, QueueKind, QueueRow,
    ReportLine, WorkQueue,
};
use crate::{
    auth::{SessionUser, Staff, model::Role},
    error::AppError,
    needs::model::NeedStatus,
    ssr::{query_all as query, sql},
};

/// A visit lasts while the person comes back within this many minutes: reloading the
/// home during it keeps its news.
const VISIT_MINUTES: i64 = 30;
/// A first visit shows what happened in the fortnight before it.
const FIRST_VISIT_DAYS: i64 = 14;
/// Meetings this many days ahead are listed.
const MEETINGS_AHEAD_DAYS: i64 = 60;
/// A candidate assessed longer ago than this is due for a new assessment.
const ASSESSMENT_STALE_DAYS: i64 = 183;
/// Consents that expire within this many days are listed.
const CONSENT_HORIZON_DAYS: i64 = 30;
/// Firm follow-ups due within this many days are listed.
const FOLLOW_UP_DAYS: i64 = 7;

/// Since when things count as new for `user_id`, without recording a visit.
pub async fn since(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, AppError> {
    let rows = query(
        db,
        "SELECT seen_at, previous_at FROM home_visits WHERE user_id = ?",
        vec![user_id.into()],
    )
    .await?;
    let visit = match rows.first() {
        Some(row) => Some((row.try_get("", "seen_at")?, row.try_get("", "previous_at")?)),
        None => None,
    };
    Ok(visit_start(visit, now))
}

/// Since when things count as new at `now`, given the last visit (last seen, new
/// counting from), if any.
pub(super) fn visit_start(
    visit: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    match visit {
        None => now - Duration::days(FIRST_VISIT_DAYS),
        Some((seen, previous)) if now - seen < Duration::minutes(VISIT_MINUTES) => previous,
        Some((seen, _)) => seen,
    }
}

/// Records a visit to the home: a new visit starts when the last one ended more than
/// half an hour ago, and its news are what happened since the visit before.
pub async fn visit(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, AppError> {
    let start = since(db, user_id, now).await?;
    store(db, user_id, now, start).await?;
    Ok(start)
}

/// Everything on the home counts as seen from now on.
pub async fn mark_all_seen(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store(db, user_id, now, now).await
}

/// Keeps `user_id`'s visit: last seen at `seen`, new counting from `previous`.
async fn store(
    db: &impl ConnectionTrait,
    user_id: i32,
    seen: DateTime<Utc>,
    previous: DateTime<Utc>,
) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO home_visits (user_id, seen_at, previous_at) VALUES (?, ?, ?) \
             ON CONFLICT (user_id) DO UPDATE SET seen_at = excluded.seen_at, \
             previous_at = excluded.previous_at",
        ),
        [user_id.into(), seen.into(), previous.into()],
    ))
    .await?;
    Ok(())
}

/// What is new for the employer `user` since `start`, in the reader's language:
/// the digest's sections (any ring, also one muted for e-mail), less the threads
/// they have read since their newest post.
pub(super) async fn news(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<crate::digests::model::RingSection>, AppError> {
    let Some(firm_id) = user.firm_id.filter(|_| user.role == Role::Employer) else {
        return Ok(Vec::new());
    };
    let member = crate::digests::prefs::Member::reader(user.id, firm_id, crate::i18n::use_locale());
    let mut builder = crate::digests::content::Builder::for_firm(db, member.firm_id).await?;
    let content = builder.content(db, &member, start, now).await?;
    let read: HashSet<i32> = query(
        db,
        "SELECT r.thread_id FROM thread_reads r WHERE r.user_id = ? \
         AND r.read_at >= (SELECT MAX(p.created_at) FROM posts p WHERE p.thread_id = r.thread_id)",
        vec![user.id.into()],
    )
    .await?
    .iter()
    .map(|r| r.try_get("", "thread_id"))
    .collect::<Result<_, _>>()?;
    Ok(content
        .rings
        .into_iter()
        .map(|mut section| {
            section.threads.retain(|t| !read.contains(&t.id));
            section
        })
        .filter(|s| s.has_news())
        .collect())
}

/// The employer's home.
pub async fn employer_home(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    now: DateTime<Utc>,
) -> Result<EmployerHome, AppError> {
    let Some(firm_id) = user.firm_id else {
        // An account not (yet) tied to a firm: the home says so instead of refusing.
        return Ok(EmployerHome {
            firm: String::new(),
            rings: Vec::new(),
            news: Vec::new(),
            since: now,
            meetings: Vec::new(),
            needs: Vec::new(),
            tracks_asking: Vec::new(),
        });
    };
    let start = visit(db, user.id, now).await?;
    let firm: String = query(
        db,
        "SELECT name FROM firms WHERE id = ?",
        vec![firm_id.into()],
    )
    .await?
    .first()
    .map(|r| r.try_get("", "name"))
    .transpose()?
    .unwrap_or_default();
    let rings = query(
        db,
        "SELECT r.id, r.name FROM rings r JOIN ring_memberships m ON m.ring_id = r.id \
         WHERE m.firm_id = ? AND m.left_at IS NULL AND r.status = 'active' ORDER BY r.name",
        vec![firm_id.into()],
    )
    .await?
    .iter()
    .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "name")?)))
    .collect::<Result<Vec<(i32, String)>, sea_orm::DbErr>>()?;
    let ring_names: HashMap<i32, String> = rings.iter().cloned().collect();
    let mut meetings = Vec::new();
    for row in query(
        db,
        "SELECT m.id, m.ring_id, m.starts_at, m.place, \
         (SELECT a.answer FROM meeting_responses a WHERE a.meeting_id = m.id AND a.user_id = ?) AS answer \
         FROM meetings m JOIN ring_memberships rm ON rm.ring_id = m.ring_id \
         WHERE rm.firm_id = ? AND rm.left_at IS NULL AND m.starts_at > ? AND m.starts_at < ? \
         ORDER BY m.starts_at, m.id",
        vec![
            user.id.into(),
            firm_id.into(),
            now.into(),
            (now + Duration::days(MEETINGS_AHEAD_DAYS)).into(),
        ],
    )
    .await?
    {
        let ring_id: i32 = row.try_get("", "ring_id")?;
        let Some(ring) = ring_names.get(&ring_id) else {
            continue;
        };
        meetings.push(MeetingAhead {
            id: row.try_get("", "id")?,
            ring: ring.clone(),
            starts_at: row.try_get("", "starts_at")?,
            place: row.try_get("", "place")?,
            answer: row.try_get("", "answer")?,
        });
    }
    let mut needs = Vec::new();
    for row in query(
        db,
        "SELECT n.id, n.title, n.status, n.positions, n.updated_at, r.name AS ring \
         FROM needs n JOIN rings r ON r.id = n.ring_id \
         WHERE n.firm_id = ? AND n.status <> 'closed' ORDER BY n.updated_at DESC, n.id DESC",
        vec![firm_id.into()],
    )
    .await?
    {
        let status: String = row.try_get("", "status")?;
        needs.push(FirmNeed {
            id: row.try_get("", "id")?,
            title: row.try_get("", "title")?,
            ring: row.try_get("", "ring")?,
            status: NeedStatus::parse(&status).unwrap_or(NeedStatus::Open),
            positions: row.try_get("", "positions")?,
            updated_at: row.try_get("", "updated_at")?,
        });
    }
    let tracks_asking = crate::tracks::views::asking(db, firm_id).await?;
    Ok(EmployerHome {
        firm,
        rings,
        news: news(db, user, start, now).await?,
        since: start,
        meetings,
        needs,
        tracks_asking,
    })
}

/// Reads one kind of queue row: `sql` selects `title`, `detail`, `day` (a date or
/// NULL) and `link` (the id the `href` is made from), most urgent first.
async fn rows_of(
    db: &impl ConnectionTrait,
    kind: QueueKind,
    text: &str,
    values: Vec<Value>,
    href: impl Fn(i32) -> String,
) -> Result<Vec<QueueRow>, AppError> {
    query(db, text, values)
        .await?
        .iter()
        .map(|r| {
            let date = r.try_get::<Option<NaiveDate>>("", "day")?;
            let dated = matches!(kind, QueueKind::PlanStep | QueueKind::FollowUp);
            Ok(QueueRow {
                kind,
                title: r.try_get("", "title")?,
                detail: r
                    .try_get::<Option<String>>("", "detail")?
                    .unwrap_or_default(),
                late: dated && date.is_some_and(|d| d < crate::i18n::today()),
                date,
                href: href(r.try_get("", "link")?),
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

/// The work queue for the coordinator `staff`: what waits, municipality-wide (their
/// own firm follow-ups only), each row linking to where it is done.
pub async fn work_queue(staff: &Staff, now: DateTime<Utc>) -> Result<WorkQueue, AppError> {
    let db = &staff.db;
    let today = crate::i18n::today();
    let start = visit(db, staff.user.id, now).await?;
    let interest = "SELECT i.id AS link, r.pseudonym || ' – ' || f.name AS title, \
         c.name AS detail, CAST(NULL AS DATE) AS day \
         FROM interests i JOIN releases r ON r.id = i.release_id JOIN firms f ON f.id = i.firm_id \
         JOIN candidates c ON c.id = r.candidate_id \
         WHERE i.outcome = '' AND r.revoked_at IS NULL AND ";
    let mut rows = Vec::new();
    rows.extend(
        rows_of(
            db,
            QueueKind::InterestMeeting,
            &format!("{interest} i.meeting_at IS NULL ORDER BY i.created_at, i.id"),
            vec![],
            |id| format!("/intresse#intresse-{id}"),
        )
        .await?,
    );
    rows.extend(
        rows_of(
            db,
            QueueKind::InterestOutcome,
            &format!("{interest} i.meeting_at < ? ORDER BY i.meeting_at, i.id"),
            vec![now.into()],
            |id| format!("/intresse#intresse-{id}"),
        )
        .await?,
    );
    rows.extend(
        rows_of(
            db,
            QueueKind::FollowUp,
            "SELECT o.firm_id AS link, f.name AS title, o.next_step AS detail, o.next_step_on AS day \
             FROM outreach o JOIN firms f ON f.id = o.firm_id \
             WHERE o.coordinator_id = ? AND o.followed_up_at IS NULL AND o.next_step_on <= ? \
             ORDER BY o.next_step_on, o.id",
            vec![
                staff.user.id.into(),
                (today + Duration::days(FOLLOW_UP_DAYS)).into(),
            ],
            |id| format!("/foretag/{id}"),
        )
        .await?,
    );
    rows.extend(
        rows_of(
            db,
            QueueKind::PlanStep,
            "SELECT c.id AS link, c.name AS title, s.description AS detail, s.due_on AS day \
             FROM plan_steps s JOIN candidates c ON c.id = s.candidate_id \
             WHERE c.active = ? AND s.done_on IS NULL AND s.due_on < ? ORDER BY s.due_on, s.id",
            vec![true.into(), today.into()],
            |id| format!("/deltagare/{id}#plan"),
        )
        .await?,
    );
    rows.extend(
        rows_of(
            db,
            QueueKind::ConsentExpiring,
            "SELECT c.id AS link, c.name AS title, CAST(NULL AS TEXT) AS detail, k.expires_on AS day \
             FROM consents k JOIN candidates c ON c.id = k.candidate_id \
             WHERE c.active = ? AND k.withdrawn_on IS NULL AND k.given_on <= ? \
             AND k.expires_on >= ? AND k.expires_on <= ? ORDER BY k.expires_on, k.id",
            vec![
                true.into(),
                today.into(),
                today.into(),
                (today + Duration::days(CONSENT_HORIZON_DAYS)).into(),
            ],
            |id| format!("/deltagare/{id}/samtycken"),
        )
        .await?,
    );
    rows.extend(
        rows_of(
            db,
            QueueKind::Assessment,
            "SELECT c.id AS link, c.name AS title, CAST(NULL AS TEXT) AS detail, \
             MAX(a.assessed_on) AS day \
             FROM candidates c LEFT JOIN assessments a ON a.candidate_id = c.id \
             WHERE c.active = ? GROUP BY c.id, c.name \
             HAVING MAX(a.assessed_on) IS NULL OR MAX(a.assessed_on) < ? \
             ORDER BY MAX(a.assessed_on) IS NOT NULL, MAX(a.assessed_on), c.id",
            vec![
                true.into(),
                (today - Duration::days(ASSESSMENT_STALE_DAYS)).into(),
            ],
            |id| format!("/deltagare/{id}#jobbredo"),
        )
        .await?,
    );
    rows.extend(
        rows_of(
            db,
            QueueKind::NeedWithoutShortlist,
            "SELECT n.id AS link, n.title AS title, f.name AS detail, n.start_date AS day \
             FROM needs n JOIN firms f ON f.id = n.firm_id \
             WHERE n.status = 'open' \
             AND NOT EXISTS (SELECT 1 FROM shortlist_entries s WHERE s.need_id = n.id) \
             ORDER BY n.start_date, n.id",
            vec![],
            |id| format!("/behov/{id}/matchning"),
        )
        .await?,
    );
    rows.extend(
        rows_of(
            db,
            QueueKind::ReleaseRevoked,
            "SELECT c.id AS link, c.name AS title, r.pseudonym || ': ' || r.revoked_reason AS detail, \
             CAST(NULL AS DATE) AS day \
             FROM releases r JOIN candidates c ON c.id = r.candidate_id \
             WHERE r.revoked_at >= ? ORDER BY r.revoked_at DESC, r.id DESC",
            vec![start.into()],
            |id| format!("/deltagare/{id}/samtycken"),
        )
        .await?,
    );
    let counts: Vec<(QueueKind, usize)> = QueueKind::ALL
        .iter()
        .map(|k| (*k, rows.iter().filter(|r| r.kind == *k).count()))
        .collect();
    let mut listed: HashMap<QueueKind, usize> = HashMap::new();
    rows.retain(|r| {
        let n = listed.entry(r.kind).or_default();
        *n += 1;
        *n <= QUEUE_ROWS
    });
    Ok(WorkQueue {
        counts,
        rows,
        since: start,
    })
}

/// How many interests wait for a meeting or an outcome (the menu's "Intresse (3)").
async fn interests_waiting(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    count(
        db,
        "SELECT COUNT(*) AS n FROM interests i JOIN releases r ON r.id = i.release_id \
         WHERE i.outcome = '' AND r.revoked_at IS NULL \
         AND (i.meeting_at IS NULL OR i.meeting_at < ?)",
        vec![now.into()],
    )
    .await
}

/// The `n` of a `SELECT COUNT(*) AS n …`.
async fn count(
    db: &impl ConnectionTrait,
    text: &str,
    values: Vec<Value>,
) -> Result<usize, AppError> {
    let rows = query(db, text, values).await?;
    let n: i64 = rows
        .first()
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The menu's counts for `user`; an employer's news are counted through `badge`.
pub async fn menu_counts(
    db: &impl ConnectionTrait,
    badge: &super::badge::NewsBadge,
    user: &SessionUser,
    now: DateTime<Utc>,
) -> Result<MenuCounts, AppError> {
    match (user.role, user.firm_id) {
        (Role::Employer, Some(firm_id)) => Ok(MenuCounts {
            new_items: badge.count(db, user, firm_id, now).await?,
            interests: 0,
        }),
        (Role::Employer, None) => Ok(MenuCounts::default()),
        (Role::Coordinator | Role::Admin, _) => Ok(MenuCounts {
            new_items: 0,
            interests: interests_waiting(db, now).await?,
        }),
    }
}

/// The admin's home.
pub async fn admin_home(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<AdminHome, AppError> {
    let month_ago = now - Duration::days(30);
    let reports = query(
        db,
        "SELECT created_at, page, message FROM accessibility_reports ORDER BY id DESC LIMIT 5",
        vec![],
    )
    .await?
    .iter()
    .map(|r| {
        let message: String = r.try_get("", "message")?;
        Ok(ReportLine {
            at: r.try_get("", "created_at")?,
            page: r.try_get("", "page")?,
            message: message.chars().take(200).collect(),
        })
    })
    .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    Ok(AdminHome {
        failed_mail: count(
            db,
            "SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed'",
            vec![],
        )
        .await?,
        active_accounts: count(
            db,
            "SELECT COUNT(*) AS n FROM users WHERE disabled_at IS NULL",
            vec![],
        )
        .await?,
        disabled_accounts: count(
            db,
            "SELECT COUNT(*) AS n FROM users WHERE disabled_at IS NOT NULL",
            vec![],
        )
        .await?,
        employers_without_firm: count(
            db,
            "SELECT COUNT(*) AS n FROM users WHERE role = 'employer' AND firm_id IS NULL \
             AND disabled_at IS NULL",
            vec![],
        )
        .await?,
        reports_month: count(
            db,
            "SELECT COUNT(*) AS n FROM accessibility_reports WHERE created_at >= ?",
            vec![month_ago.into()],
        )
        .await?,
        reports,
    })
}
