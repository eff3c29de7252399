//! What a digest says: what is new in a ring for a period (needs, threads, releases
//! that fit the member's firm, meetings ahead), built for many members at once.

use super::prefs::{Member, firm_rings};
use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, Value};

use super::model::{
    self, DigestContent, EXCERPT_CHARS, MEETING_HORIZON_DAYS, MeetingItem, NeedItem, ReleaseItem,
    RingSection, ThreadItem,
};
use crate::{error::AppError, i18n::Locale, ssr::query_all as query};

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

/// The ring's needs opened and filled in the period: (open, filled), each by id.
async fn needs_changed(
    db: &impl ConnectionTrait,
    ring_id: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    locale: Locale,
) -> Result<(Vec<RawNeed>, Vec<RawNeed>), AppError> {
    let [s, e] = period_values(start, end);
    let rows = query(
        db,
        "SELECT n.id, n.title, n.status, n.created_by, f.name AS firm, n.occupation_code, \
         o.name_sv, o.name_en \
         FROM needs n JOIN firms f ON f.id = n.firm_id \
         LEFT JOIN occupations o ON o.code = n.occupation_code \
         WHERE n.ring_id = ? AND n.status IN ('open', 'filled') AND EXISTS (SELECT 1 FROM need_events ev \
           WHERE ev.need_id = n.id AND ev.at >= ? AND ev.at < ? \
           AND ev.action IN ('created', 'status') AND ev.detail = n.status) \
         ORDER BY n.id",
        vec![ring_id.into(), s, e],
    )
    .await?;
    let (mut open, mut filled) = (Vec::new(), Vec::new());
    for r in &rows {
        let occupation: Option<String> = match locale {
            Locale::Sv => r.try_get("", "name_sv")?,
            Locale::En => r.try_get("", "name_en")?,
        };
        let need = RawNeed {
            created_by: r.try_get("", "created_by")?,
            item: NeedItem {
                id: r.try_get("", "id")?,
                title: r.try_get("", "title")?,
                firm: r.try_get("", "firm")?,
                occupation: occupation
                    .unwrap_or_else(|| r.try_get("", "occupation_code").unwrap_or_default()),
            },
        };
        if r.try_get::<String>("", "status")? == "open" {
            open.push(need);
        } else {
            filled.push(need);
        }
    }
    Ok((open, filled))
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
pub(super) const LIVE: &str = "r.revoked_at IS NULL AND EXISTS (SELECT 1 FROM consents c \
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
    let (new_needs, filled_needs) = needs_changed(db, id, start, end, locale).await?;
    Ok(RawRing {
        name: name.to_owned(),
        new_needs,
        filled_needs,
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
    /// A builder for every firm's rings as they are now.
    pub async fn new(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        Ok(Self::with_rings(firm_rings(db, None).await?))
    }

    /// A builder for the members of one firm only (one member's digest, or their
    /// home's news on every page): reads only that firm's rings.
    pub async fn for_firm(db: &impl ConnectionTrait, firm_id: i32) -> Result<Self, AppError> {
        Ok(Self::with_rings(firm_rings(db, Some(firm_id)).await?))
    }

    fn with_rings(rings: HashMap<i32, Vec<(i32, String)>>) -> Self {
        Self {
            rings,
            raw: HashMap::new(),
            needs: HashMap::new(),
            today: crate::i18n::today(),
        }
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
