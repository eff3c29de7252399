//! Digests on the server: members' preferences, the signed unsubscribe token, what is
//! new in a ring for a period, building and queueing each member's digest exactly
//! once, and the check before sending that nothing in it was hidden or revoked.

use crate::ssr::BeginWrite;
use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, Statement, Value};

use super::{
    DigestPreferencesView, DigestRingChoice,
    model::{
        self, DigestContent, EXCERPT_CHARS, Frequency, Items, MEETING_HORIZON_DAYS, MeetingItem,
        NeedItem, ReleaseItem, RingSection, ThreadItem,
    },
    render::{self, Links},
};
use crate::{
    error::{AppError, FieldErrors},
    i18n::Locale,
    mail::OutgoingEmail,
    ssr::{Secret, query_all as query, sql},
};

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
// Preferences.

/// A member's digest preferences (the defaults when none are stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefs {
    /// How often.
    pub frequency: Frequency,
    /// ISO weekday of a weekly digest.
    pub weekday: u8,
    /// The digest's language.
    pub locale: Locale,
    /// Rings left out.
    pub muted: HashSet<i32>,
}

fn prefs_from(
    frequency: Option<String>,
    weekday: Option<i16>,
    locale: Option<String>,
    user_locale: &str,
) -> Prefs {
    Prefs {
        frequency: frequency
            .as_deref()
            .and_then(Frequency::parse)
            .unwrap_or(Frequency::Weekly),
        weekday: weekday
            .and_then(|w| u8::try_from(w).ok())
            .filter(|w| (1..=7).contains(w))
            .unwrap_or(model::DEFAULT_WEEKDAY),
        locale: locale
            .as_deref()
            .or(Some(user_locale))
            .and_then(Locale::parse)
            .unwrap_or_default(),
        muted: HashSet::new(),
    }
}

async fn execute(
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

/// The account behind a digest: an employer whose firm is in at least one active ring.
#[derive(Debug, Clone)]
pub struct Member {
    /// The user id.
    pub user_id: i32,
    /// Where the digest goes.
    pub email: String,
    /// The name, for the greeting.
    pub name: String,
    /// The firm.
    pub firm_id: i32,
    /// The preferences.
    pub prefs: Prefs,
}

/// Active employer accounts with their stored preferences.
const ACCOUNT_SQL: &str = "SELECT u.id, u.email, u.name, u.locale AS user_locale, u.firm_id, \
     p.frequency, p.weekday, p.locale FROM users u \
     LEFT JOIN digest_preferences p ON p.user_id = u.id \
     WHERE u.role = 'employer' AND u.disabled_at IS NULL AND u.firm_id IS NOT NULL";
/// … whose firm is in an active ring now.
const IN_A_RING: &str = " AND EXISTS (SELECT 1 FROM ring_memberships m JOIN rings r ON r.id = m.ring_id \
       WHERE m.firm_id = u.firm_id AND m.left_at IS NULL AND r.status = 'active')";

fn member_from(row: &QueryResult) -> Result<Member, AppError> {
    let user_locale: String = row.try_get("", "user_locale")?;
    Ok(Member {
        user_id: row.try_get("", "id")?,
        email: row.try_get("", "email")?,
        name: row.try_get("", "name")?,
        firm_id: row.try_get("", "firm_id")?,
        prefs: prefs_from(
            row.try_get("", "frequency")?,
            row.try_get("", "weekday")?,
            row.try_get("", "locale")?,
            &user_locale,
        ),
    })
}

async fn muted_of(db: &impl ConnectionTrait) -> Result<HashMap<i32, HashSet<i32>>, AppError> {
    let mut muted: HashMap<i32, HashSet<i32>> = HashMap::new();
    for row in query(
        db,
        "SELECT user_id, ring_id FROM digest_muted_rings",
        vec![],
    )
    .await?
    {
        muted
            .entry(row.try_get("", "user_id")?)
            .or_default()
            .insert(row.try_get("", "ring_id")?);
    }
    Ok(muted)
}

/// Every member who may get a digest, with their preferences.
pub async fn members(db: &impl ConnectionTrait) -> Result<Vec<Member>, AppError> {
    let mut muted = muted_of(db).await?;
    query(
        db,
        &format!("{ACCOUNT_SQL}{IN_A_RING} ORDER BY u.id"),
        vec![],
    )
    .await?
    .iter()
    .map(|row| {
        let mut m = member_from(row)?;
        m.prefs.muted = muted.remove(&m.user_id).unwrap_or_default();
        Ok(m)
    })
    .collect()
}

/// One member (`None`: not an active employer of a firm in an active ring).
pub async fn member(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<Member>, AppError> {
    one(db, user_id, IN_A_RING).await
}

/// An active employer's account, whether or not the firm is in a ring now (the
/// settings can be set before the first ring).
pub async fn account(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<Member>, AppError> {
    one(db, user_id, "").await
}

async fn one(
    db: &impl ConnectionTrait,
    user_id: i32,
    extra: &str,
) -> Result<Option<Member>, AppError> {
    let rows = query(
        db,
        &format!("{ACCOUNT_SQL}{extra} AND u.id = ?"),
        vec![user_id.into()],
    )
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let mut m = member_from(row)?;
    m.prefs.muted = query(
        db,
        "SELECT ring_id FROM digest_muted_rings WHERE user_id = ?",
        vec![user_id.into()],
    )
    .await?
    .iter()
    .map(|r| r.try_get("", "ring_id"))
    .collect::<Result<_, _>>()?;
    Ok(Some(m))
}

/// The active rings of every firm: firm → [(ring id, name)], by name.
async fn firm_rings(
    db: &impl ConnectionTrait,
) -> Result<HashMap<i32, Vec<(i32, String)>>, AppError> {
    let mut out: HashMap<i32, Vec<(i32, String)>> = HashMap::new();
    for row in query(
        db,
        "SELECT m.firm_id, r.id, r.name FROM ring_memberships m JOIN rings r ON r.id = m.ring_id \
         WHERE m.left_at IS NULL AND r.status = 'active' ORDER BY r.name, r.id",
        vec![],
    )
    .await?
    {
        out.entry(row.try_get("", "firm_id")?)
            .or_default()
            .push((row.try_get("", "id")?, row.try_get("", "name")?));
    }
    Ok(out)
}

async fn rings_of_firm(
    db: &impl ConnectionTrait,
    firm_id: i32,
) -> Result<Vec<(i32, String)>, AppError> {
    Ok(firm_rings(db).await?.remove(&firm_id).unwrap_or_default())
}

/// The settings page's view of `member`'s preferences.
pub async fn preferences_view(
    db: &impl ConnectionTrait,
    member: &Member,
) -> Result<DigestPreferencesView, AppError> {
    let rings = rings_of_firm(db, member.firm_id).await?;
    Ok(DigestPreferencesView {
        name: member.name.clone(),
        email: member.email.clone(),
        frequency: member.prefs.frequency,
        weekday: member.prefs.weekday,
        locale: member.prefs.locale.code().to_owned(),
        rings: rings
            .into_iter()
            .map(|(id, name)| DigestRingChoice {
                included: !member.prefs.muted.contains(&id),
                id,
                name,
            })
            .collect(),
    })
}

/// The fields of the settings form, as posted.
pub struct PreferenceFields {
    /// daily | weekly | never
    pub frequency: String,
    /// 1..=7
    pub weekday: String,
    /// sv | en
    pub locale: String,
    /// The rings ticked.
    pub rings: Vec<String>,
}

/// Stores `member`'s preferences; each field's problem is named.
pub async fn save_preferences(
    db: &DatabaseConnection,
    member: &Member,
    fields: &PreferenceFields,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    let frequency = Frequency::parse(&fields.frequency);
    if frequency.is_none() {
        errors.add("frequency", "field-choice-invalid");
    }
    let weekday = fields
        .weekday
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|w| (1..=7).contains(w));
    // The weekday matters only for a weekly digest; an empty one then means Monday.
    let weekday = match (weekday, fields.weekday.trim().is_empty()) {
        (Some(w), _) => Some(w),
        (None, true) => Some(i16::from(model::DEFAULT_WEEKDAY)),
        (None, false) => {
            errors.add("weekday", "field-choice-invalid");
            None
        }
    };
    let locale = Locale::parse(&fields.locale);
    if locale.is_none() {
        errors.add("locale", "field-choice-invalid");
    }
    let rings = rings_of_firm(db, member.firm_id).await?;
    let mut chosen = HashSet::new();
    for r in &fields.rings {
        match r.trim().parse::<i32>() {
            Ok(id) if rings.iter().any(|(rid, _)| *rid == id) => {
                chosen.insert(id);
            }
            _ => errors.add("rings", "field-choice-invalid"),
        }
    }
    if frequency.is_some_and(|f| f != Frequency::Never) && chosen.is_empty() && !rings.is_empty() {
        errors.add("rings", "digest-rings-none");
    }
    let (Some(frequency), Some(weekday), Some(locale)) = (frequency, weekday, locale) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = db.begin_write().await?;
    store_frequency(&txn, member.user_id, frequency, weekday, locale).await?;
    execute(
        &txn,
        "DELETE FROM digest_muted_rings WHERE user_id = ?",
        vec![member.user_id.into()],
    )
    .await?;
    for (id, _) in rings.iter().filter(|(id, _)| !chosen.contains(id)) {
        execute(
            &txn,
            "INSERT INTO digest_muted_rings (user_id, ring_id) VALUES (?, ?)",
            vec![member.user_id.into(), (*id).into()],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn store_frequency(
    db: &impl ConnectionTrait,
    user_id: i32,
    frequency: Frequency,
    weekday: i16,
    locale: Locale,
) -> Result<(), AppError> {
    execute(
        db,
        "INSERT INTO digest_preferences (user_id, frequency, weekday, locale, updated_at) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET frequency = excluded.frequency, \
         weekday = excluded.weekday, locale = excluded.locale, updated_at = excluded.updated_at",
        vec![
            user_id.into(),
            frequency.as_str().into(),
            weekday.into(),
            locale.code().into(),
            Utc::now().into(),
        ],
    )
    .await?;
    Ok(())
}

/// Turns `user_id`'s digests off (the one-click unsubscribe). Idempotent; the other
/// preferences stay, so turning them on again restores them. Any account may be
/// unsubscribed, also one that is no longer a member.
pub async fn unsubscribe(db: &impl ConnectionTrait, user_id: i32) -> Result<(), AppError> {
    let rows = query(
        db,
        "SELECT u.locale, p.weekday, p.locale AS plocale FROM users u \
         LEFT JOIN digest_preferences p ON p.user_id = u.id WHERE u.id = ?",
        vec![user_id.into()],
    )
    .await?;
    let Some(row) = rows.first() else {
        return Err(AppError::NotFound);
    };
    let user_locale: String = row.try_get("", "locale")?;
    let prefs = prefs_from(
        None,
        row.try_get("", "weekday")?,
        row.try_get("", "plocale")?,
        &user_locale,
    );
    store_frequency(
        db,
        user_id,
        Frequency::Never,
        i16::from(prefs.weekday),
        prefs.locale,
    )
    .await?;
    crate::audit::service::record(
        db,
        crate::audit::service::Event::ok(
            None,
            "digest.unsubscribe",
            "user",
            user_id,
            String::new(),
            None,
        ),
    )
    .await
}

// ---------------------------------------------------------------------------------
// What is new in a ring.

#[derive(Debug, Clone)]
struct RawPost {
    id: i32,
    /// Whether it is the thread's opening post.
    opening: bool,
    author_id: i32,
    author: String,
    body: String,
}

#[derive(Debug, Clone)]
struct RawThread {
    id: i32,
    title: String,
    new: bool,
    /// The posts of the period, oldest first.
    posts: Vec<RawPost>,
}

#[derive(Debug, Clone)]
struct RawNeed {
    item: NeedItem,
    created_by: i32,
}

#[derive(Debug, Clone)]
struct RawRelease {
    code: String,
    headline: String,
    need_id: Option<i32>,
    /// SSYK codes of experience and wishes (four digits, or two when widened).
    codes: Vec<String>,
}

/// Everything new in one ring for one period, before it is fitted to a member.
#[derive(Debug, Clone)]
struct RawRing {
    name: String,
    new_needs: Vec<RawNeed>,
    filled_needs: Vec<RawNeed>,
    threads: Vec<RawThread>,
    releases: Vec<RawRelease>,
    meetings: Vec<MeetingItem>,
}

fn period_values(start: DateTime<Utc>, end: DateTime<Utc>) -> [Value; 2] {
    [start.into(), end.into()]
}

async fn needs_changed(
    db: &impl ConnectionTrait,
    ring_id: i32,
    status: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    locale: Locale,
) -> Result<Vec<RawNeed>, AppError> {
    let [s, e] = period_values(start, end);
    let rows = query(
        db,
        "SELECT n.id, n.title, n.created_by, f.name AS firm, n.occupation_code, o.name_sv, o.name_en \
         FROM needs n JOIN firms f ON f.id = n.firm_id \
         LEFT JOIN occupations o ON o.code = n.occupation_code \
         WHERE n.ring_id = ? AND n.status = ? AND EXISTS (SELECT 1 FROM need_events ev \
           WHERE ev.need_id = n.id AND ev.at >= ? AND ev.at < ? \
           AND ev.action IN ('created', 'status') AND ev.detail = n.status) \
         ORDER BY n.id",
        vec![ring_id.into(), status.into(), s, e],
    )
    .await?;
    rows.iter()
        .map(|r| {
            let occupation: Option<String> = match locale {
                Locale::Sv => r.try_get("", "name_sv")?,
                Locale::En => r.try_get("", "name_en")?,
            };
            Ok(RawNeed {
                created_by: r.try_get("", "created_by")?,
                item: NeedItem {
                    id: r.try_get("", "id")?,
                    title: r.try_get("", "title")?,
                    firm: r.try_get("", "firm")?,
                    occupation: occupation
                        .unwrap_or_else(|| r.try_get("", "occupation_code").unwrap_or_default()),
                },
            })
        })
        .collect()
}

async fn threads_changed(
    db: &impl ConnectionTrait,
    ring_id: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<RawThread>, AppError> {
    let [s, e] = period_values(start, end);
    // Posts of the period that anyone may read, in threads whose opening post is
    // still shown (a thread whose opening post a moderator hid is not advertised).
    let rows = query(
        db,
        "SELECT p.id, p.thread_id, p.author_id, u.name AS author, p.body, t.title, \
         t.created_at AS thread_created, \
         CASE WHEN p.id = (SELECT MIN(g.id) FROM posts g WHERE g.thread_id = t.id) THEN 1 ELSE 0 END AS opening \
         FROM posts p JOIN threads t ON t.id = p.thread_id JOIN users u ON u.id = p.author_id \
         WHERE t.ring_id = ? AND p.created_at >= ? AND p.created_at < ? \
         AND p.hidden_at IS NULL AND p.deleted_at IS NULL \
         AND EXISTS (SELECT 1 FROM posts f WHERE f.thread_id = t.id AND f.hidden_at IS NULL \
           AND f.deleted_at IS NULL AND f.id = (SELECT MIN(g.id) FROM posts g WHERE g.thread_id = t.id)) \
         ORDER BY p.created_at, p.id",
        vec![ring_id.into(), s, e],
    )
    .await?;
    let mut threads: Vec<RawThread> = Vec::new();
    for r in &rows {
        let thread_id: i32 = r.try_get("", "thread_id")?;
        let post = RawPost {
            id: r.try_get("", "id")?,
            opening: r.try_get::<i32>("", "opening")? == 1,
            author_id: r.try_get("", "author_id")?,
            author: r.try_get("", "author")?,
            body: r.try_get("", "body")?,
        };
        match threads.iter_mut().find(|t| t.id == thread_id) {
            Some(t) => t.posts.push(post),
            None => {
                let created: DateTime<Utc> = r.try_get("", "thread_created")?;
                threads.push(RawThread {
                    id: thread_id,
                    title: r.try_get("", "title")?,
                    new: created >= start && created < end,
                    posts: vec![post],
                });
            }
        }
    }
    Ok(threads)
}

async fn releases_made(
    db: &impl ConnectionTrait,
    ring_id: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Vec<RawRelease>, AppError> {
    let [s, e] = period_values(start, end);
    let rows = query(
        db,
        &format!(
            "SELECT r.pseudonym, r.headline, r.need_id, r.profile FROM releases r \
             WHERE r.ring_id = ? AND r.released_at >= ? AND r.released_at < ? AND {LIVE} \
             ORDER BY r.released_at, r.id"
        ),
        vec![ring_id.into(), s, e, today.into(), today.into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            let profile: String = r.try_get("", "profile")?;
            let codes = serde_json::from_str::<crate::releases::model::AnonymisedProfile>(&profile)
                .map(|p| {
                    p.experience
                        .into_iter()
                        .map(|x| x.ssyk)
                        .chain(p.preferred.into_iter().map(|(code, _)| code))
                        .collect()
                })
                .unwrap_or_default();
            Ok(RawRelease {
                code: r.try_get("", "pseudonym")?,
                headline: r.try_get("", "headline")?,
                need_id: r.try_get("", "need_id")?,
                codes,
            })
        })
        .collect()
}

/// A release is shown while it is not revoked and its consent is given, not withdrawn
/// and not expired (the same rule as `releases::service`); two `today` values follow.
const LIVE: &str = "r.revoked_at IS NULL AND EXISTS (SELECT 1 FROM consents c \
     WHERE c.id = r.consent_id AND c.withdrawn_on IS NULL AND c.given_on <= ? AND c.expires_on > ?)";

async fn meetings_ahead(
    db: &impl ConnectionTrait,
    ring_id: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<MeetingItem>, AppError> {
    let rows = query(
        db,
        "SELECT id, starts_at, place, created_at FROM meetings \
         WHERE ring_id = ? AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id",
        vec![
            ring_id.into(),
            end.into(),
            (end + Duration::days(MEETING_HORIZON_DAYS)).into(),
        ],
    )
    .await?;
    rows.iter()
        .map(|r| {
            let created: DateTime<Utc> = r.try_get("", "created_at")?;
            Ok(MeetingItem {
                id: r.try_get("", "id")?,
                starts_at: r.try_get("", "starts_at")?,
                place: r.try_get("", "place")?,
                new: created >= start && created < end,
            })
        })
        .collect()
}

async fn raw_ring(
    db: &impl ConnectionTrait,
    ring: (i32, &str),
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    locale: Locale,
    today: NaiveDate,
) -> Result<RawRing, AppError> {
    let (id, name) = ring;
    Ok(RawRing {
        name: name.to_owned(),
        new_needs: needs_changed(db, id, "open", start, end, locale).await?,
        filled_needs: needs_changed(db, id, "filled", start, end, locale).await?,
        threads: threads_changed(db, id, start, end).await?,
        releases: releases_made(db, id, start, end, today).await?,
        meetings: meetings_ahead(db, id, start, end).await?,
    })
}

/// A firm's open needs: (id, ring, title, SSYK code).
type OpenNeed = (i32, i32, String, String);

async fn open_needs(db: &impl ConnectionTrait, firm_id: i32) -> Result<Vec<OpenNeed>, AppError> {
    query(
        db,
        "SELECT id, ring_id, title, occupation_code FROM needs WHERE firm_id = ? AND status = 'open' \
         ORDER BY id",
        vec![firm_id.into()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("", "id")?,
            r.try_get("", "ring_id")?,
            r.try_get("", "title")?,
            r.try_get("", "occupation_code")?,
        ))
    })
    .collect()
}

/// The need of `needs` (the firm's open needs in the ring) a release fits: the one it
/// was released for, or one whose occupation is among the profile's (a widened
/// two-digit code fits every occupation under it).
fn fitting<'a>(release: &RawRelease, needs: &'a [OpenNeed]) -> Option<&'a OpenNeed> {
    needs
        .iter()
        .find(|n| release.need_id == Some(n.0))
        .or_else(|| {
            needs.iter().find(|n| {
                release
                    .codes
                    .iter()
                    .any(|c| !c.is_empty() && n.3.starts_with(c.as_str()))
            })
        })
}

/// `raw` as `member` sees it: without what they did themselves, with only the
/// releases that fit their firm's open needs in the ring.
fn section_for(member: &Member, ring_id: i32, raw: &RawRing, needs: &[OpenNeed]) -> RingSection {
    let mine = |n: &&RawNeed| n.created_by != member.user_id;
    let ring_needs: Vec<OpenNeed> = needs.iter().filter(|n| n.1 == ring_id).cloned().collect();
    RingSection {
        ring_id,
        name: raw.name.clone(),
        new_needs: raw
            .new_needs
            .iter()
            .filter(mine)
            .map(|n| n.item.clone())
            .collect(),
        filled_needs: raw.filled_needs.iter().map(|n| n.item.clone()).collect(),
        threads: {
            let mut items: Vec<ThreadItem> = raw
                .threads
                .iter()
                .filter_map(|t| {
                    let others: Vec<&RawPost> = t
                        .posts
                        .iter()
                        .filter(|p| p.author_id != member.user_id)
                        .collect();
                    let latest = others.last()?;
                    // A thread is new to a member when it was opened in the period by
                    // someone else; its replies are the other posts.
                    let opened_by_other = others.iter().any(|p| p.opening);
                    Some(ThreadItem {
                        id: t.id,
                        title: t.title.clone(),
                        new: t.new && opened_by_other,
                        replies: others.iter().filter(|p| !p.opening).count(),
                        excerpt: model::excerpt(
                            &crate::forum::render::plain_text(&latest.body),
                            EXCERPT_CHARS,
                        ),
                        author: latest.author.clone(),
                        posts: others.iter().map(|p| p.id).collect(),
                    })
                })
                .collect();
            // New threads first, then the rest, each as they came.
            items.sort_by_key(|t| !t.new);
            items
        },
        releases: raw
            .releases
            .iter()
            .filter_map(|r| {
                fitting(r, &ring_needs).map(|n| ReleaseItem {
                    code: r.code.clone(),
                    headline: r.headline.clone(),
                    fits: n.2.clone(),
                })
            })
            .collect(),
        meetings: raw.meetings.clone(),
    }
}

/// A ring, a period and a language: what one read of a ring's news is for.
type RingPeriod = (i32, DateTime<Utc>, DateTime<Utc>, Locale);

/// Builds contents for many members at once: a ring's news for a period is read
/// once however many members share it, and a firm's open needs once per firm.
pub struct Builder {
    rings: HashMap<i32, Vec<(i32, String)>>,
    raw: HashMap<RingPeriod, Arc<RawRing>>,
    needs: HashMap<i32, Arc<Vec<OpenNeed>>>,
    today: NaiveDate,
}

impl Builder {
    /// A builder for the rings as they are now.
    pub async fn new(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        Ok(Self {
            rings: firm_rings(db).await?,
            raw: HashMap::new(),
            needs: HashMap::new(),
            today: crate::i18n::today(),
        })
    }

    /// What is new for `member` in `[start, end)`, in their language.
    pub async fn content(
        &mut self,
        db: &impl ConnectionTrait,
        member: &Member,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<DigestContent, AppError> {
        let locale = member.prefs.locale;
        let needs = match self.needs.get(&member.firm_id) {
            Some(n) => n.clone(),
            None => {
                let n = Arc::new(open_needs(db, member.firm_id).await?);
                self.needs.insert(member.firm_id, n.clone());
                n
            }
        };
        let rings: Vec<(i32, String)> = self
            .rings
            .get(&member.firm_id)
            .into_iter()
            .flatten()
            .filter(|(id, _)| !member.prefs.muted.contains(id))
            .cloned()
            .collect();
        let mut content = DigestContent::default();
        for (ring_id, name) in rings {
            let key = (ring_id, start, end, locale);
            let raw = match self.raw.get(&key) {
                Some(raw) => raw.clone(),
                None => {
                    let raw = Arc::new(
                        raw_ring(db, (ring_id, &name), start, end, locale, self.today).await?,
                    );
                    self.raw.insert(key, raw.clone());
                    raw
                }
            };
            let section = section_for(member, ring_id, &raw, &needs);
            if section.has_news() {
                content.rings.push(section);
            }
        }
        Ok(content)
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
    db: &DatabaseConnection,
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
    db: &DatabaseConnection,
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
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        query(
            &txn,
            "SELECT id FROM users WHERE id = ? FOR UPDATE",
            vec![member.user_id.into()],
        )
        .await?;
    }
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
    db: &DatabaseConnection,
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
    let content = Builder::new(db)
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
