//! Threads and posts: validation (with the personal-data guard), queries, changes.
//! Changes are audit-logged in their transaction.

use crate::ssr::BeginWrite;
use std::collections::HashMap;

use crate::db::Db;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{
    POSTS_PER_PAGE, PostDraft, PostState, PostView, THREADS_PER_PAGE, ThreadList, ThreadSummary,
    ThreadView,
    entity::{post, read, revision, thread},
    render,
};
use crate::{
    audit::service::{self as audit, Action},
    auth::{Authed, RingAccess, SessionUser, entity::user, model::Role},
    error::{AppError, FieldErrors},
    firms::{entity::firm, model::parse_text},
    needs::entity::need,
    rings::entity::ring,
};

/// The longest post, in characters.
pub const MAX_BODY: usize = 10_000;

/// The ring of a thread.
pub async fn ring_of_thread(
    db: &impl ConnectionTrait,
    thread_id: i32,
) -> Result<Option<i32>, AppError> {
    Ok(thread::Entity::find_by_id(thread_id)
        .one(db)
        .await?
        .map(|t| t.ring_id))
}

/// The ring of a post's thread.
pub async fn ring_of_post(
    db: &impl ConnectionTrait,
    post_id: i32,
) -> Result<Option<i32>, AppError> {
    let Some(p) = post::Entity::find_by_id(post_id).one(db).await? else {
        return Ok(None);
    };
    ring_of_thread(db, p.thread_id).await
}

/// A post as typed, checked.
#[derive(Debug, Clone)]
pub struct PostInput {
    title: String,
    body: String,
}

impl PostInput {
    /// Checks a title (for a new thread) and a body. Text that looks like personal
    /// data of a candidate is refused unless the author confirmed it.
    pub fn parse(title: Option<&str>, body: &str, confirmed: bool) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let title = match title {
            Some(t) => parse_text(t, 150)
                .map_err(|k| errors.add("title", k))
                .unwrap_or_default(),
            None => String::new(),
        };
        let trimmed = body.trim();
        if trimmed.is_empty() {
            errors.add("body", "field-required");
        } else if trimmed.chars().count() > MAX_BODY {
            errors.add("body", "field-too-long");
        } else if trimmed.contains('\0') {
            errors.add("body", "field-control-chars");
        }
        if errors.is_empty()
            && !confirmed
            && !render::personal_data(&format!("{title}\n{trimmed}")).is_empty()
        {
            errors.add("body", "field-personal-data");
        }
        errors.into_result(Self {
            title,
            body: trimmed.to_owned(),
        })
    }
}

/// Names of accounts and their organisation (a firm's name, or empty for staff).
async fn people(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> Result<HashMap<i32, (String, String)>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let firms: HashMap<i32, String> = firm::Entity::find()
        .filter(firm::Column::Id.is_in(users.iter().filter_map(|u| u.firm_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.name))
        .collect();
    Ok(users
        .into_iter()
        .map(|u| {
            let org = u
                .firm_id
                .and_then(|f| firms.get(&f).cloned())
                .unwrap_or_default();
            (u.id, (u.name, org))
        })
        .collect())
}

fn pages(count: u64, per: u64) -> u64 {
    count.div_ceil(per).max(1)
}

async fn need_titles(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> Result<HashMap<i32, String>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(need::Entity::find()
        .filter(need::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.title))
        .collect())
}

/// One page of a ring's threads for `me`: pinned first, then newest activity.
pub async fn threads(
    db: &Db,
    me: &SessionUser,
    ring_id: i32,
    page: u64,
) -> Result<ThreadList, AppError> {
    let Some(r) = ring::Entity::find_by_id(ring_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    let query = thread::Entity::find().filter(thread::Column::RingId.eq(ring_id));
    let total = query.clone().count(db).await?;
    let pages = pages(total, THREADS_PER_PAGE);
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_desc(thread::Column::Pinned)
        .order_by_desc(thread::Column::LastActivityAt)
        .order_by_desc(thread::Column::Id)
        .offset((page - 1) * THREADS_PER_PAGE)
        .limit(THREADS_PER_PAGE)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|t| t.id).collect();
    let reads: HashMap<i32, chrono::DateTime<Utc>> = read::Entity::find()
        .filter(read::Column::UserId.eq(me.id))
        .filter(read::Column::ThreadId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.thread_id, r.read_at))
        .collect();
    let mut counts: HashMap<i32, u64> = HashMap::new();
    for p in post::Entity::find()
        .filter(post::Column::ThreadId.is_in(ids))
        .all(db)
        .await?
    {
        *counts.entry(p.thread_id).or_insert(0) += 1;
    }
    let authors = people(db, rows.iter().map(|t| t.author_id).collect()).await?;
    let needs = need_titles(db, rows.iter().filter_map(|t| t.need_id).collect()).await?;
    let threads = rows
        .into_iter()
        .map(|t| ThreadSummary {
            unread: match reads.get(&t.id) {
                Some(at) => *at < t.last_activity_at,
                None => t.author_id != me.id,
            },
            author: authors
                .get(&t.author_id)
                .map(|a| a.0.clone())
                .unwrap_or_default(),
            replies: counts.get(&t.id).copied().unwrap_or(1).saturating_sub(1),
            last_activity: t.last_activity_at,
            pinned: t.pinned,
            locked: t.locked_at.is_some(),
            need: t
                .need_id
                .and_then(|id| needs.get(&id).map(|title| (id, title.clone()))),
            id: t.id,
            title: t.title,
        })
        .collect();
    let open_needs = need::Entity::find()
        .filter(need::Column::RingId.eq(ring_id))
        .filter(need::Column::Status.eq("open"))
        .order_by_asc(need::Column::Title)
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.title))
        .collect();
    Ok(ThreadList {
        ring_id,
        ring_name: r.name,
        threads,
        page,
        pages,
        needs: open_needs,
    })
}

/// Marks the thread read by `user` now.
async fn mark_read(db: &Db, thread_id: i32, user_id: i32) -> Result<(), AppError> {
    let now = Utc::now();
    let existing = read::Entity::find_by_id((thread_id, user_id))
        .one(db)
        .await?;
    let result = match existing {
        Some(r) => {
            let mut active = r.into_active_model();
            active.read_at = Set(now);
            active.update(db).await.map(|_| ())
        }
        None => read::ActiveModel {
            thread_id: Set(thread_id),
            user_id: Set(user_id),
            read_at: Set(now),
        }
        .insert(db)
        .await
        .map(|_| ()),
    };
    match result {
        // Two tabs opened the thread at once: the other one wrote the marker.
        Err(e) if crate::ssr::is_unique_violation(&e) => Ok(()),
        other => other.map_err(AppError::from),
    }
}

/// One page of a thread for `me`; marks it read.
pub async fn thread(
    db: &Db,
    me: &SessionUser,
    access: &RingAccess,
    thread_id: i32,
    page: u64,
) -> Result<ThreadView, AppError> {
    let Some(t) = thread::Entity::find_by_id(thread_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    let staff = matches!(access, RingAccess::Staff);
    let query = post::Entity::find().filter(post::Column::ThreadId.eq(thread_id));
    let total = query.clone().count(db).await?;
    let pages = pages(total, POSTS_PER_PAGE);
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_asc(post::Column::Id)
        .offset((page - 1) * POSTS_PER_PAGE)
        .limit(POSTS_PER_PAGE)
        .all(db)
        .await?;
    let authors = people(db, rows.iter().map(|p| p.author_id).collect()).await?;
    let posts = rows
        .into_iter()
        .map(|p| {
            let state = if p.deleted_at.is_some() {
                PostState::Deleted
            } else if p.hidden_at.is_some() {
                PostState::Hidden(p.hidden_reason.clone())
            } else {
                PostState::Visible
            };
            let html = match &state {
                PostState::Visible => Some(render::to_html(&p.body)),
                PostState::Hidden(_) if staff => Some(render::to_html(&p.body)),
                _ => None,
            };
            let (author, organisation) = authors.get(&p.author_id).cloned().unwrap_or_default();
            PostView {
                id: p.id,
                author,
                organisation,
                created_at: p.created_at,
                edited_at: p.edited_at,
                html,
                mine: p.author_id == me.id && state == PostState::Visible,
                state,
            }
        })
        .collect();
    let ring_name = ring::Entity::find_by_id(t.ring_id)
        .one(db)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let need = match t.need_id {
        Some(id) => need_titles(db, vec![id])
            .await?
            .remove(&id)
            .map(|title| (id, title)),
        None => None,
    };
    mark_read(db, thread_id, me.id).await?;
    Ok(ThreadView {
        id: t.id,
        ring_id: t.ring_id,
        ring_name,
        title: t.title,
        need,
        pinned: t.pinned,
        locked: t.locked_at.is_some(),
        posts,
        page,
        pages,
        staff,
    })
}

/// Starts a thread, optionally about one of the ring's needs.
pub async fn create(
    authed: &Authed,
    ring_id: i32,
    input: PostInput,
    need_field: &str,
) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    let need_id = match need_field.trim() {
        "" => None,
        s => {
            let id = s.parse::<i32>().ok();
            let ok = match id {
                Some(id) => need::Entity::find_by_id(id)
                    .one(&txn)
                    .await?
                    .is_some_and(|n| n.ring_id == ring_id && n.status != "draft"),
                None => false,
            };
            if !ok {
                return Err(AppError::field("need_id", "field-choice-invalid"));
            }
            id
        }
    };
    let now = Utc::now();
    let t = thread::ActiveModel {
        ring_id: Set(ring_id),
        need_id: Set(need_id),
        title: Set(input.title),
        author_id: Set(authed.user.id),
        pinned: Set(false),
        locked_at: Set(None),
        created_at: Set(now),
        last_activity_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_post(&txn, t.id, authed.user.id, input.body).await?;
    audit::record(
        &txn,
        authed.event(
            Action::ThreadCreated,
            "thread",
            t.id,
            format!("ring {ring_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    // The author has read their own thread.
    mark_read(&authed.db, t.id, authed.user.id).await?;
    Ok(t.id)
}

async fn insert_post(
    db: &impl ConnectionTrait,
    thread_id: i32,
    author_id: i32,
    body: String,
) -> Result<post::Model, AppError> {
    Ok(post::ActiveModel {
        thread_id: Set(thread_id),
        author_id: Set(author_id),
        body: Set(body),
        created_at: Set(Utc::now()),
        edited_at: Set(None),
        deleted_at: Set(None),
        hidden_at: Set(None),
        hidden_by: Set(None),
        hidden_reason: Set(String::new()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Replies in a thread; returns the post and the page it is on.
pub async fn reply(
    authed: &Authed,
    access: &RingAccess,
    thread_id: i32,
    input: PostInput,
) -> Result<(i32, u64), AppError> {
    let txn = authed.db.begin_write().await?;
    let Some(t) = thread::Entity::find_by_id(thread_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    if t.locked_at.is_some() && !matches!(access, RingAccess::Staff) {
        return Err(AppError::Conflict("error-thread-locked".into()));
    }
    let p = insert_post(&txn, thread_id, authed.user.id, input.body).await?;
    let mut active = t.into_active_model();
    active.last_activity_at = Set(p.created_at);
    active.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(
            Action::PostCreated,
            "post",
            p.id,
            format!("thread {thread_id}"),
        ),
    )
    .await?;
    let count = post::Entity::find()
        .filter(post::Column::ThreadId.eq(thread_id))
        .count(&txn)
        .await?;
    txn.commit().await?;
    mark_read(&authed.db, thread_id, authed.user.id).await?;
    Ok((p.id, pages(count, POSTS_PER_PAGE)))
}

/// The caller's own post that can still be changed, or why not.
async fn own_post(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    post_id: i32,
) -> Result<post::Model, AppError> {
    let Some(p) = post::Entity::find_by_id(post_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    if p.author_id != me.id {
        return Err(AppError::Forbidden);
    }
    if p.deleted_at.is_some() || p.hidden_at.is_some() {
        return Err(AppError::Conflict("error-post-closed".into()));
    }
    Ok(p)
}

/// A post of the caller's with its earlier versions.
pub async fn draft(db: &Db, me: &SessionUser, post_id: i32) -> Result<PostDraft, AppError> {
    let p = own_post(db, me, post_id).await?;
    let revisions = revision::Entity::find()
        .filter(revision::Column::PostId.eq(post_id))
        .order_by_desc(revision::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.replaced_at, r.body))
        .collect();
    Ok(PostDraft {
        id: p.id,
        thread_id: p.thread_id,
        body: p.body,
        revisions,
    })
}

/// Edits the caller's post (not in a locked thread); the old body is kept.
pub async fn edit(authed: &Authed, post_id: i32, input: PostInput) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    let p = own_post(&txn, &authed.user, post_id).await?;
    let locked = thread::Entity::find_by_id(p.thread_id)
        .one(&txn)
        .await?
        .is_some_and(|t| t.locked_at.is_some());
    if locked && authed.user.role == Role::Employer {
        return Err(AppError::Conflict("error-thread-locked".into()));
    }
    let thread_id = p.thread_id;
    if p.body == input.body {
        return Ok(thread_id);
    }
    let now = Utc::now();
    revision::ActiveModel {
        post_id: Set(post_id),
        body: Set(p.body.clone()),
        replaced_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut active = p.into_active_model();
    active.body = Set(input.body);
    active.edited_at = Set(Some(now));
    active.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(Action::PostEdited, "post", post_id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(thread_id)
}

/// Deletes the caller's post: the text and its earlier versions are removed, a marker
/// stays. Returns the thread.
pub async fn delete(authed: &Authed, post_id: i32) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    let p = own_post(&txn, &authed.user, post_id).await?;
    let thread_id = p.thread_id;
    revision::Entity::delete_many()
        .filter(revision::Column::PostId.eq(post_id))
        .exec(&txn)
        .await?;
    let mut active = p.into_active_model();
    active.body = Set(String::new());
    active.deleted_at = Set(Some(Utc::now()));
    active.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(Action::PostDeleted, "post", post_id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(thread_id)
}

/// Hides a post with a reason (staff). Returns the thread.
pub async fn hide(authed: &Authed, post_id: i32, reason: &str) -> Result<i32, AppError> {
    let reason = parse_text(reason, 300).map_err(|k| AppError::field("reason", k))?;
    let txn = authed.db.begin_write().await?;
    let Some(p) = post::Entity::find_by_id(post_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    let thread_id = p.thread_id;
    let mut active = p.into_active_model();
    active.hidden_at = Set(Some(Utc::now()));
    active.hidden_by = Set(Some(authed.user.id));
    active.hidden_reason = Set(reason.clone());
    active.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(Action::PostHidden, "post", post_id, reason),
    )
    .await?;
    txn.commit().await?;
    Ok(thread_id)
}

/// A thread setting coordinators change.
#[derive(Debug, Clone, Copy)]
pub enum Flag {
    /// Locked (true) or open.
    Locked(bool),
    /// Pinned (true) or not.
    Pinned(bool),
}

/// Locks/unlocks or pins/unpins a thread (staff).
pub async fn set_flag(authed: &Authed, thread_id: i32, flag: Flag) -> Result<(), AppError> {
    let txn = authed.db.begin_write().await?;
    let Some(t) = thread::Entity::find_by_id(thread_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    let mut active = t.into_active_model();
    let action = match flag {
        Flag::Locked(on) => {
            active.locked_at = Set(on.then(Utc::now));
            if on {
                Action::ThreadLocked
            } else {
                Action::ThreadUnlocked
            }
        }
        Flag::Pinned(on) => {
            active.pinned = Set(on);
            if on {
                Action::ThreadPinned
            } else {
                Action::ThreadUnpinned
            }
        }
    };
    active.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(action, "thread", thread_id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_needs_text_and_a_confirmation_for_personal_data() {
        let err = PostInput::parse(Some(" "), "  ", false).expect_err("empty");
        let f = err.field_errors().expect("fields");
        assert_eq!(f.get("title"), Some("field-required"));
        assert_eq!(f.get("body"), Some("field-required"));
        let err = PostInput::parse(None, "Ring Amir på 070-123 45 67", false).expect_err("phone");
        assert_eq!(
            err.field_errors().and_then(|f| f.get("body")),
            Some("field-personal-data")
        );
        assert!(PostInput::parse(None, "Ring Amir på 070-123 45 67", true).is_ok());
        let err = PostInput::parse(None, &"x".repeat(MAX_BODY + 1), true).expect_err("long");
        assert_eq!(
            err.field_errors().and_then(|f| f.get("body")),
            Some("field-too-long")
        );
    }

    #[test]
    fn page_counts_round_up_and_never_reach_zero() {
        assert_eq!(pages(0, 20), 1);
        assert_eq!(pages(20, 20), 1);
        assert_eq!(pages(21, 20), 2);
    }
}
