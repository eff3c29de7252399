//! Ring discussions: the closed experience exchange of a ring's member firms.
//!
//! Threads and replies in Markdown, rendered on the server through an allow-list
//! sanitiser (`render.rs`); edits keep the earlier versions; a deleted post leaves a
//! marker; coordinators hide posts with a reason, lock and pin threads. Members of the
//! ring and staff only; to anyone else a thread does not exist.

#[cfg(feature = "ssr")]
#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod entity;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "ssr")]
pub mod service;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Threads per page.
pub const THREADS_PER_PAGE: u64 = 20;
/// Posts per page.
pub const POSTS_PER_PAGE: u64 = 30;

/// A thread in the ring's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadSummary {
    /// The id.
    pub id: i32,
    /// The title.
    pub title: String,
    /// Who started it.
    pub author: String,
    /// Replies after the first post.
    pub replies: u64,
    /// The latest post's time.
    pub last_activity: DateTime<Utc>,
    /// Shown first.
    pub pinned: bool,
    /// No new replies.
    pub locked: bool,
    /// Something new since the caller last read it.
    pub unread: bool,
    /// The need it is about, (id, title).
    pub need: Option<(i32, String)>,
}

/// A ring's discussion: one page of threads, newest activity first (pinned on top).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadList {
    /// The ring.
    pub ring_id: i32,
    /// Its name.
    pub ring_name: String,
    /// The threads on this page.
    pub threads: Vec<ThreadSummary>,
    /// This page (1-based).
    pub page: u64,
    /// How many pages.
    pub pages: u64,
    /// The ring's open needs a new thread can be about, (id, title).
    pub needs: Vec<(i32, String)>,
}

/// How a post is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PostState {
    /// As written.
    Visible,
    /// Deleted by its author: a marker only.
    Deleted,
    /// Hidden by a coordinator, with the reason.
    Hidden(String),
}

/// A post as the thread page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    /// The id.
    pub id: i32,
    /// The author's name.
    pub author: String,
    /// The author's firm, or the municipality.
    pub organisation: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it was last edited.
    pub edited_at: Option<DateTime<Utc>>,
    /// The sanitised HTML (none for a deleted post, nor for a hidden one to members).
    pub html: Option<String>,
    /// Visible, deleted or hidden.
    pub state: PostState,
    /// Whether the caller wrote it (may edit and delete).
    pub mine: bool,
}

/// One page of a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    /// The id.
    pub id: i32,
    /// The ring.
    pub ring_id: i32,
    /// Its name.
    pub ring_name: String,
    /// The title.
    pub title: String,
    /// The need it is about.
    pub need: Option<(i32, String)>,
    /// Pinned.
    pub pinned: bool,
    /// Locked.
    pub locked: bool,
    /// The posts on this page, oldest first.
    pub posts: Vec<PostView>,
    /// This page (1-based).
    pub page: u64,
    /// How many pages.
    pub pages: u64,
    /// Whether the caller is staff (moderates).
    pub staff: bool,
}

/// A post to edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostDraft {
    /// The post.
    pub id: i32,
    /// Its thread.
    pub thread_id: i32,
    /// The Markdown as written.
    pub body: String,
    /// Earlier versions, newest first: (replaced at, Markdown).
    pub revisions: Vec<(DateTime<Utc>, String)>,
}

/// One page of a ring's threads.
#[server(endpoint = "forum/threads")]
pub async fn list_threads(ring_id: i32, page: u64) -> Result<ThreadList, AppError> {
    let (ctx, _access) = crate::auth::require_ring_access(ring_id).await?;
    service::threads(&ctx.db, &ctx.user, ring_id, page).await
}

/// One page of a thread; reading it marks it read.
#[server(endpoint = "forum/thread")]
pub async fn get_thread(thread_id: i32, page: u64) -> Result<ThreadView, AppError> {
    let (ctx, access) = crate::forum::access::thread_reader(thread_id).await?;
    service::thread(&ctx.db, &ctx.user, &access, thread_id, page).await
}

/// Starts a thread in a ring. Text that looks like a candidate's personal data is
/// refused until `confirm_personal` is ticked.
#[server(endpoint = "forum/create")]
pub async fn create_thread(
    ring_id: i32,
    title: String,
    body: String,
    need_id: String,
    confirm_personal: Option<String>,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let (ctx, _access) = crate::auth::require_ring_access(ring_id).await?;
    let post = service::PostInput::parse(Some(&title), &body, confirm_personal.is_some())?;
    let id = service::create(&ctx, ring_id, post, &need_id).await?;
    crate::ssr::redirect_plain_form_post(&format!("/diskussion/{id}"));
    Ok(id)
}

/// A saved reply: the post's id and the page of the thread it is on (the last), so
/// the page can show it even when the person replied from an earlier page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replied {
    /// The new post.
    pub id: i32,
    /// The page it is on.
    pub page: u64,
}

/// Replies in a thread (not in a locked one, unless staff).
#[server(endpoint = "forum/reply")]
pub async fn reply(
    thread_id: i32,
    body: String,
    confirm_personal: Option<String>,
    #[server(default)] __once: String,
) -> Result<Replied, AppError> {
    let (ctx, access) = crate::forum::access::thread_reader(thread_id).await?;
    let post = service::PostInput::parse(None, &body, confirm_personal.is_some())?;
    let (id, page) = service::reply(&ctx, &access, thread_id, post).await?;
    crate::ssr::redirect_plain_form_post(&format!(
        "/diskussion/{thread_id}?sida={page}#inlagg-{id}"
    ));
    Ok(Replied { id, page })
}

/// A post of the caller's, to edit, with its earlier versions.
#[server(endpoint = "forum/post")]
pub async fn get_post(post_id: i32) -> Result<PostDraft, AppError> {
    let (ctx, _access) = crate::forum::access::post_reader(post_id).await?;
    service::draft(&ctx.db, &ctx.user, post_id).await
}

/// Edits a post of the caller's; the earlier version is kept.
#[server(endpoint = "forum/edit")]
pub async fn edit_post(
    post_id: i32,
    body: String,
    confirm_personal: Option<String>,
) -> Result<i32, AppError> {
    let (ctx, _access) = crate::forum::access::post_reader(post_id).await?;
    let post = service::PostInput::parse(None, &body, confirm_personal.is_some())?;
    let thread_id = service::edit(&ctx, post_id, post).await?;
    crate::ssr::redirect_plain_form_post(&format!("/diskussion/{thread_id}#inlagg-{post_id}"));
    Ok(thread_id)
}

/// Deletes a post of the caller's; a marker stays in the thread.
#[server(endpoint = "forum/delete")]
pub async fn delete_post(post_id: i32) -> Result<(), AppError> {
    let (ctx, _access) = crate::forum::access::post_reader(post_id).await?;
    let thread_id = service::delete(&ctx, post_id).await?;
    crate::ssr::redirect_plain_form_post(&format!("/diskussion/{thread_id}#inlagg-{post_id}"));
    Ok(())
}

/// Hides a post, with a reason shown in its place (coordinators).
#[server(endpoint = "forum/hide")]
pub async fn hide_post(post_id: i32, reason: String) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    let thread_id = service::hide(&ctx, post_id, &reason).await?;
    crate::ssr::redirect_plain_form_post(&format!("/diskussion/{thread_id}#inlagg-{post_id}"));
    Ok(())
}

/// Locks or unlocks a thread (coordinators).
#[server(endpoint = "forum/lock")]
pub async fn lock_thread(thread_id: i32, locked: bool) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::set_flag(&ctx, thread_id, service::Flag::Locked(locked)).await?;
    crate::ssr::redirect_plain_form_post(&format!("/diskussion/{thread_id}"));
    Ok(())
}

/// Pins or unpins a thread (coordinators).
#[server(endpoint = "forum/pin")]
pub async fn pin_thread(thread_id: i32, pinned: bool) -> Result<(), AppError> {
    let ctx = crate::auth::require_staff().await?;
    service::set_flag(&ctx, thread_id, service::Flag::Pinned(pinned)).await?;
    crate::ssr::redirect_plain_form_post(&format!("/diskussion/{thread_id}"));
    Ok(())
}

/// The HTML a text would become, and a warning in the reader's language when something
/// in it looks like personal data (the preview island shows both as they come).
#[server(endpoint = "forum/preview")]
pub async fn preview_post(body: String) -> Result<(String, Option<String>), AppError> {
    let _ctx = crate::auth::require_user().await?;
    if body.chars().count() > service::MAX_BODY {
        return Err(AppError::field("body", "field-too-long"));
    }
    let found = render::personal_data(&body);
    let warning = (!found.is_empty()).then(|| {
        let l = crate::i18n::provide_locale();
        let kinds = found.iter().map(|k| l.t(k)).collect::<Vec<_>>().join(", ");
        l.t_args("forum-preview-personal", &[("kinds", kinds)])
    });
    Ok((render::to_html(&body), warning))
}
