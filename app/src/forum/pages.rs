//! `/ringar/:id/diskussion` (a ring's threads, a new thread), `/diskussion/:id` (a
//! thread: posts, reply, moderation) and `/inlagg/:id/redigera` (edit one's post).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    CreateThread, DeletePost, EditPost, HidePost, LockThread, PinThread, PostDraft, PostState,
    PostView, Reply, ThreadList, ThreadView, get_post, get_thread, list_threads, preview_post,
};
use crate::{
    i18n::use_locale,
    ui::id_param,
    ui::{
        ActionResult, CheckboxField, ErrorMessage, ErrorSummary, PostForm, SelectField, TextField,
        error_text,
    },
};

/// `?sida=N`, or 1.
fn page_param() -> Memo<u64> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .read()
            .get("sida")
            .and_then(|s| s.parse().ok())
            .unwrap_or(1)
    })
}

/// The confirmation box, shown once the text was found to look like personal data.
#[component]
fn PersonalDataConfirm<T: Clone + Send + Sync + 'static>(
    result: Signal<ActionResult<T>>,
) -> impl IntoView {
    let l = use_locale();
    let flagged = move || {
        result.with(|r| {
            matches!(r, Some(Err(e)) if e.field_errors().and_then(|f| f.get("body")) == Some("field-personal-data"))
        })
    };
    move || {
        flagged().then(|| {
            view! { <CheckboxField name="confirm_personal" label=l.t("forum-confirm-personal") /> }
        })
    }
}

/// "Preview": the text in the field with id `source` as it will look, and a warning when
/// something in it looks like personal data. An island: the only part of a forum page
/// that runs in the browser. Without JavaScript the button would do nothing, so it is
/// drawn only once the island is running. `label` is the button's words (the island
/// carries no message bundle; the server's warning comes translated).
#[island]
fn Preview(source: String, label: String) -> impl IntoView {
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let shown = RwSignal::new(None::<(String, Option<String>)>);
    let show = move |_| {
        let Some(body) = text_of(&source) else { return };
        leptos::task::spawn_local(async move {
            if let Ok(result) = preview_post(body).await {
                shown.set(Some(result));
            }
        });
    };
    move || {
        let label = label.clone();
        ready.get().then(|| {
            view! {
                <button type="button" class="button button--secondary" on:click=show.clone()>{label.clone()}</button>
                <div aria-live="polite">
                    {move || shown.get().map(|(html, warning)| view! {
                        <section class="card preview" aria-label=label.clone()>
                            {warning.map(|w| view! { <p class="notice notice--warning">{w}</p> })}
                            // Sanitised on the server (forum::render).
                            <div class="post__body" inner_html=html></div>
                        </section>
                    })}
                </div>
            }
        })
    }
}

/// The text in the form field with id `id`, in the browser.
#[cfg(feature = "hydrate")]
fn text_of(id: &str) -> Option<String> {
    use leptos::wasm_bindgen::JsCast;
    document()
        .get_element_by_id(id)?
        .dyn_into::<leptos::web_sys::HtmlTextAreaElement>()
        .ok()
        .map(|field| field.value())
}

#[cfg(not(feature = "hydrate"))]
fn text_of(_id: &str) -> Option<String> {
    None
}

/// Prev/next links for `page` of `pages` at `base`.
#[component]
fn Pager(base: String, page: u64, pages: u64) -> impl IntoView {
    let l = use_locale();
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=l.t("forum-pages")>
                {(page > 1).then(|| view! { <a href=format!("{base}?sida={}", page - 1)>{l.t("forum-previous")}</a> })}
                " " {l.t_args("forum-page-of", &[("page", page.to_string()), ("pages", pages.to_string())])} " "
                {(page < pages).then(|| view! { <a href=format!("{base}?sida={}", page + 1)>{l.t("forum-next")}</a> })}
            </nav>
        }
    })
}

/// A ring's threads and the form to start one.
#[component]
pub fn ThreadsPage() -> impl IntoView {
    let id = id_param();
    let page = page_param();
    let create = ServerAction::<CreateThread>::new();
    let list = Resource::new(
        move || (id.get(), page.get()),
        |(id, page)| list_threads(id, page),
    );
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) => view! { <ThreadsView list=l create /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ThreadsView(list: ThreadList, create: ServerAction<CreateThread>) -> impl IntoView {
    let l = use_locale();
    let result = Signal::derive(move || create.value().get());
    let title = l.t_args("forum-title", &[("ring", list.ring_name.clone())]);
    let base = format!("/ringar/{}/diskussion", list.ring_id);
    let needs = list
        .needs
        .iter()
        .map(|(id, t)| (id.to_string(), t.clone()))
        .collect();
    let threads = if list.threads.is_empty() {
        view! { <p>{l.t("forum-none")}</p> }.into_any()
    } else {
        view! {
            <ul class="card-list">
                {list.threads.clone().into_iter().map(|t| view! {
                    <li class="card">
                        <h2>
                            <a href=format!("/diskussion/{}", t.id)>{t.title}</a>
                            {t.unread.then(|| view! { " " <span class="tag tag--new">{l.t("forum-unread")}</span> })}
                            {t.pinned.then(|| view! { " " <span class="tag">{l.t("forum-pinned")}</span> })}
                            {t.locked.then(|| view! { " " <span class="tag">{l.t("forum-locked")}</span> })}
                        </h2>
                        <p>{l.t_args("forum-thread-summary", &[
                            ("author", t.author),
                            ("replies", t.replies.to_string()),
                            ("at", l.datetime(t.last_activity)),
                        ])}</p>
                        {t.need.map(|(id, title)| view! { <p><a href=format!("/behov/{id}")>{l.t_args("forum-about-need", &[("need", title)])}</a></p> })}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let fields = vec![
        ("title", l.t("forum-thread-title")),
        ("body", l.t("forum-body")),
        ("need_id", l.t("forum-need")),
    ];
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p><a href=format!("/ringar/{}", list.ring_id)>{l.t_args("needs-back-to-ring", &[("ring", list.ring_name.clone())])}</a></p>
        {threads}
        <Pager base page=list.page pages=list.pages />
        <section class="card" aria-labelledby="new-thread-heading">
            <h2 id="new-thread-heading">{l.t("forum-new")}</h2>
            <p>{l.t("forum-new-intro")}</p>
            <PostForm action=create once=true attr:novalidate="novalidate">
                <input type="hidden" name="ring_id" value=list.ring_id />
                <ErrorSummary result fields />
                <TextField name="title" label=l.t("forum-thread-title") required=true maxlength=150 autocomplete="off" result />
                <TextField name="body" label=l.t("forum-body") hint=l.t("forum-body-hint") multiline=true required=true maxlength=10000 result />
                <Preview source="body".to_owned() label=l.t("forum-preview") />
                <SelectField name="need_id" label=l.t("forum-need") options=needs empty=l.t("forum-need-none") result />
                <PersonalDataConfirm result />
                <button type="submit" class="button">{l.t("forum-new-submit")}</button>
            </PostForm>
        </section>
    }
}

/// A thread: its posts, the reply form, and the coordinators' tools.
#[component]
pub fn ThreadPage() -> impl IntoView {
    let id = id_param();
    let page = page_param();
    let reply = ServerAction::<Reply>::new();
    let delete = ServerAction::<DeletePost>::new();
    let hide = ServerAction::<HidePost>::new();
    let lock = ServerAction::<LockThread>::new();
    let pin = ServerAction::<PinThread>::new();
    let thread = Resource::new(
        move || (id.get(), page.get()),
        |(id, page)| get_thread(id, page),
    );
    let actions = ThreadActions {
        reply,
        delete,
        hide,
        lock,
        pin,
    };
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(t) => view! { <ThreadBody thread=t actions /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct ThreadActions {
    reply: ServerAction<Reply>,
    delete: ServerAction<DeletePost>,
    hide: ServerAction<HidePost>,
    lock: ServerAction<LockThread>,
    pin: ServerAction<PinThread>,
}

#[component]
fn ThreadBody(thread: ThreadView, actions: ThreadActions) -> impl IntoView {
    let l = use_locale();
    let result = Signal::derive(move || actions.reply.value().get());
    let row_error = move || {
        [
            actions.delete.value().get(),
            actions.hide.value().get(),
            actions.lock.value().get(),
            actions.pin.value().get(),
        ]
        .into_iter()
        .flatten()
        .find_map(|r| r.err())
        .map(|e| view! { <p class="notice notice--error" role="alert">{error_text(&e)}</p> })
    };
    let id = thread.id;
    let staff = thread.staff;
    let can_reply = !thread.locked || staff;
    let posts = thread
        .posts
        .clone()
        .into_iter()
        .map(move |p| view! { <Post post=p staff actions /> })
        .collect_view();
    view! {
        <Title text=thread.title.clone() />
        <h1>{thread.title.clone()}</h1>
        <p>
            <a href=format!("/ringar/{}/diskussion", thread.ring_id)>{l.t_args("forum-back", &[("ring", thread.ring_name.clone())])}</a>
            {thread.need.clone().map(|(nid, title)| view! { " · " <a href=format!("/behov/{nid}")>{l.t_args("forum-about-need", &[("need", title)])}</a> })}
        </p>
        {thread.locked.then(|| view! { <p class="notice notice--warning">{l.t("forum-locked-notice")}</p> })}
        {row_error}
        {staff.then(|| view! {
            <div class="inline-actions">
                <PostForm action=actions.lock attr:class="inline-form">
                    <input type="hidden" name="thread_id" value=id />
                    <input type="hidden" name="locked" value=if thread.locked { "false" } else { "true" } />
                    <button type="submit" class="button button--small button--secondary">
                        {if thread.locked { l.t("forum-unlock") } else { l.t("forum-lock") }}
                    </button>
                </PostForm>
                <PostForm action=actions.pin attr:class="inline-form">
                    <input type="hidden" name="thread_id" value=id />
                    <input type="hidden" name="pinned" value=if thread.pinned { "false" } else { "true" } />
                    <button type="submit" class="button button--small button--secondary">
                        {if thread.pinned { l.t("forum-unpin") } else { l.t("forum-pin") }}
                    </button>
                </PostForm>
            </div>
        })}
        <ol class="posts">{posts}</ol>
        <Pager base=format!("/diskussion/{id}") page=thread.page pages=thread.pages />
        {can_reply.then(|| view! {
            <section class="card" aria-labelledby="reply-heading">
                <h2 id="reply-heading">{l.t("forum-reply")}</h2>
                <PostForm action=actions.reply once=true attr:novalidate="novalidate">
                    <input type="hidden" name="thread_id" value=id />
                    <ErrorSummary result fields=vec![("body", l.t("forum-body"))] />
                    <TextField name="body" label=l.t("forum-body") hint=l.t("forum-body-hint") multiline=true required=true maxlength=10000 result />
                    <Preview source="body".to_owned() label=l.t("forum-preview") />
                    <PersonalDataConfirm result />
                    <button type="submit" class="button">{l.t("forum-reply-submit")}</button>
                </PostForm>
            </section>
        })}
    }
}

#[component]
fn Post(post: PostView, staff: bool, actions: ThreadActions) -> impl IntoView {
    let l = use_locale();
    let org = if post.organisation.is_empty() {
        l.t("forum-municipality")
    } else {
        post.organisation.clone()
    };
    let id = post.id;
    let body = match (&post.state, post.html.clone()) {
        (PostState::Deleted, _) => view! { <p class="muted">{l.t("forum-deleted")}</p> }.into_any(),
        (PostState::Hidden(reason), html) => view! {
            <p class="muted">{l.t_args("forum-hidden", &[("reason", reason.clone())])}</p>
            // Sanitised on the server (forum::render); staff still see what was hidden.
            {html.map(|h| view! { <div class="post__body post__body--hidden" inner_html=h></div> })}
        }
        .into_any(),
        (PostState::Visible, html) => view! {
            <div class="post__body" inner_html=html.unwrap_or_default()></div>
        }
        .into_any(),
    };
    let visible = post.state == PostState::Visible;
    let reason_id = format!("reason-{id}");
    view! {
        <li class="post card" id=format!("inlagg-{id}")>
            <p class="post__meta">
                <strong>{post.author.clone()}</strong> ", " {org} " · " {l.datetime(post.created_at)}
                {post.edited_at.map(|at| view! { " · " <span>{l.t_args("forum-edited", &[("at", l.datetime(at))])}</span> })}
            </p>
            {body}
            {post.mine.then(|| view! {
                <div class="inline-actions">
                    <a href=format!("/inlagg/{id}/redigera")>{l.t("forum-edit")}</a>
                    <PostForm action=actions.delete attr:class="inline-form">
                        <input type="hidden" name="post_id" value=id />
                        <button type="submit" class="button button--small button--secondary">{l.t("forum-delete")}</button>
                    </PostForm>
                </div>
            })}
            {(staff && visible).then(|| view! {
                <PostForm action=actions.hide attr:class="inline-form">
                    <input type="hidden" name="post_id" value=id />
                    <label for=reason_id.clone()>{l.t("forum-hide-reason")}</label>
                    <input id=reason_id type="text" name="reason" maxlength="300" required />
                    <button type="submit" class="button button--small button--secondary">{l.t("forum-hide")}</button>
                </PostForm>
            })}
        </li>
    }
}

/// Editing one's own post.
#[component]
pub fn EditPostPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let post = Resource::new(move || id.get(), get_post);
    let edit = ServerAction::<EditPost>::new();
    view! {
        <Title text=l.t("forum-edit") />
        <h1>{l.t("forum-edit")}</h1>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match post.await {
                    Ok(p) => view! { <EditPostForm post=p edit /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditPostForm(post: PostDraft, edit: ServerAction<EditPost>) -> impl IntoView {
    let l = use_locale();
    let result = Signal::derive(move || edit.value().get());
    let revisions = post
        .revisions
        .iter()
        .map(|(at, body)| view! { <li><p class="muted">{l.datetime(*at)}</p><pre class="pre-line">{body.clone()}</pre></li> })
        .collect_view();
    view! {
        <PostForm action=edit attr:novalidate="novalidate">
            <input type="hidden" name="post_id" value=post.id />
            <ErrorSummary result fields=vec![("body", l.t("forum-body"))] />
            <TextField name="body" label=l.t("forum-body") hint=l.t("forum-body-hint") multiline=true required=true maxlength=10000 result value=post.body.clone() />
            <Preview source="body".to_owned() label=l.t("forum-preview") />
            <PersonalDataConfirm result />
            <button type="submit" class="button">{l.t("save")}</button>
        </PostForm>
        <p><a href=format!("/diskussion/{}", post.thread_id)>{l.t("forum-back-to-thread")}</a></p>
        {(!post.revisions.is_empty()).then(|| view! {
            <section aria-labelledby="revisions-heading">
                <h2 id="revisions-heading">{l.t("forum-revisions")}</h2>
                <ul class="plain-list">{revisions}</ul>
            </section>
        })}
    }
}
