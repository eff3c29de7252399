//! `/` for each role: the front page for a visitor, the employer's home, the
//! coordinator's work queue, the admin's home.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    AdminHome, EmployerHome, MarkAllSeen, QueueKind, WorkQueue, front::FrontPage, load_admin_home,
    load_employer_home, load_work_queue,
};
use crate::{
    auth::model::Role,
    digests::model::RingSection,
    i18n::{Locale, use_locale},
    rings::RespondToMeeting,
    ui::{CurrentUser, ErrorMessage, PostForm, query_flag, saved_notice},
};

/// `/`: the page for whoever comes.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let role = match use_context::<CurrentUser>() {
                    Some(CurrentUser(r)) => r.await.ok().flatten().map(|u| u.role),
                    None => None,
                };
                match role {
                    None => view! { <FrontPage /> }.into_any(),
                    Some(Role::Employer) => view! { <EmployerHomePage /> }.into_any(),
                    Some(Role::Coordinator) => view! { <WorkQueuePage /> }.into_any(),
                    Some(Role::Admin) => view! { <AdminHomePage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EmployerHomePage() -> impl IntoView {
    let seen = ServerAction::<MarkAllSeen>::new();
    let respond = ServerAction::<RespondToMeeting>::new();
    let home = Resource::new(|| (), |_| load_employer_home());
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match home.await {
                    Ok(home) => view! { <EmployerHomeView home seen respond /> }.into_any(),
                    Err(e) => view! { <Title text=l.t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EmployerHomeView(
    home: EmployerHome,
    seen: ServerAction<MarkAllSeen>,
    respond: ServerAction<RespondToMeeting>,
) -> impl IntoView {
    let l = use_locale();
    let count = home.new_count();
    let marked = query_flag("sett");
    let title = l.t("home-employer-title");
    let actions = match home.rings.as_slice() {
        [] if home.firm.is_empty() => view! { <p class="notice">{l.t("home-no-firm")}</p> }.into_any(),
        [] => view! { <p class="notice">{l.t("home-no-ring")}</p> }.into_any(),
        // One ring: the two things people come for, as the page's main buttons.
        [(id, _)] => view! {
            <p class="button-row">
                <a class="button" href=format!("/ringar/{id}/behov/nytt")>{l.t("home-post-need")}</a>
                <a class="button button--secondary" href=format!("/ringar/{id}/diskussion")>{l.t("home-discuss")}</a>
            </p>
        }
        .into_any(),
        rings => view! {
            <ul class="cards">
                {rings.iter().map(|(id, name)| view! {
                    <li class="card">
                        <h2 class="card__title"><a href=format!("/ringar/{id}")>{name.clone()}</a></h2>
                        <p class="button-row">
                            <a class="button" href=format!("/ringar/{id}/behov/nytt")>{l.t("home-post-need")}</a>
                            <a class="button button--secondary" href=format!("/ringar/{id}/diskussion")>{l.t("home-discuss")}</a>
                        </p>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <Title text=title.clone() />
        <h1>{title} {(!home.firm.is_empty()).then(|| view! { <span class="muted">{format!(" – {}", home.firm)}</span> })}</h1>
        {actions}
        {(!home.tracks_asking.is_empty()).then(|| view! {
            <section class="notice notice--warning" aria-labelledby="tracks-asking-heading">
                <h2 id="tracks-asking-heading">{l.t("home-tracks-asking")}</h2>
                <ul class="plain-list">
                    {home.tracks_asking.iter().map(|(id, title)| view! {
                        <li><a href=format!("/jobbspar/{id}")>{title.clone()}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="news-heading">
            <h2 id="news-heading">{l.t_args("home-news", &[("count", count.to_string())])}</h2>
            <p class="muted">{l.t_args("home-news-since", &[("since", l.datetime(home.since))])}</p>
            {saved_notice("home-marked", marked)}
            {if home.news.is_empty() {
                view! { <p>{l.t("home-news-none")}</p> }.into_any()
            } else {
                view! {
                    {home.news.into_iter().map(|s| view! { <RingNews section=s /> }).collect_view()}
                    <PostForm action=seen>
                        <button type="submit" class="button button--secondary">{l.t("home-mark-seen")}</button>
                    </PostForm>
                }
                .into_any()
            }}
        </section>
        <section aria-labelledby="meetings-heading">
            <h2 id="meetings-heading">{l.t("home-meetings")}</h2>
            {saved_notice("meeting-answer-saved", query_flag("svarat"))}
            {move || respond.value().get().and_then(Result::err).map(|e| {
                view! { <p class="notice notice--error" role="alert">{crate::ui::error_text(&e)}</p> }
            })}
            {if home.meetings.is_empty() {
                view! { <p>{l.t("home-meetings-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards">
                        {home.meetings.into_iter().map(|m| view! { <MeetingCard meeting=m respond /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section aria-labelledby="needs-heading">
            <h2 id="needs-heading">{l.t("home-needs")}</h2>
            {if home.needs.is_empty() {
                view! { <p>{l.t("home-needs-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards">
                        {home.needs.into_iter().map(|n| view! {
                            <li class="card">
                                <h3 class="card__title"><a href=format!("/behov/{}", n.id)>{n.title.clone()}</a></h3>
                                <p>
                                    <span class=n.status.tag_class()>{l.t(n.status.label_key())}</span>
                                    {format!(" {} · {}", l.t_args("home-positions", &[("count", n.positions.to_string())]), n.ring)}
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// One ring's news on the employer's home.
#[component]
fn RingNews(section: RingSection) -> impl IntoView {
    let l = use_locale();
    let id = section.ring_id;
    view! {
        <article class="card">
            <h3 class="card__title"><a href=format!("/ringar/{id}")>{section.name.clone()}</a></h3>
            <ul class="news">
                {section.new_needs.into_iter().map(|n| view! {
                    <li><span class="tag tag--open">{l.t("home-new-need")}</span> " " <a href=format!("/behov/{}", n.id)>{n.title}</a> {format!(" – {}, {}", n.firm, n.occupation)}</li>
                }).collect_view()}
                {section.filled_needs.into_iter().map(|n| view! {
                    <li><span class="tag tag--filled">{l.t("home-filled-need")}</span> " " <a href=format!("/behov/{}", n.id)>{n.title}</a> {format!(" – {}", n.firm)}</li>
                }).collect_view()}
                {section.threads.into_iter().map(|t| {
                    let what = if t.new {
                        l.t("home-new-thread")
                    } else {
                        l.t_args("home-new-replies", &[("count", t.replies.to_string())])
                    };
                    view! {
                        <li>
                            <span class="tag">{what}</span> " " <a href=format!("/diskussion/{}", t.id)>{t.title}</a>
                            <br /><span class="muted">{format!("{}: {}", t.author, t.excerpt)}</span>
                        </li>
                    }
                }).collect_view()}
                {section.releases.into_iter().map(|r| view! {
                    <li>
                        <span class="tag tag--success">{l.t("home-new-profile")}</span> " " <a href=format!("/profiler/{}", r.code)>{format!("{} – {}", r.code, r.headline)}</a>
                        <br /><span class="muted">{l.t_args("home-profile-fits", &[("need", r.fits)])}</span>
                    </li>
                }).collect_view()}
                {section.meetings.into_iter().filter(|m| m.new).map(|m| view! {
                    <li><span class="tag">{l.t("home-new-meeting")}</span> " " <a href=format!("/moten/{}", m.id)>{format!("{}, {}", l.datetime(m.starts_at), m.place)}</a></li>
                }).collect_view()}
            </ul>
        </article>
    }
}

/// A meeting ahead, with the answer right there.
#[component]
fn MeetingCard(
    meeting: super::MeetingAhead,
    respond: ServerAction<RespondToMeeting>,
) -> impl IntoView {
    let l = use_locale();
    let id = meeting.id;
    let answer = meeting.answer.clone();
    let current = match answer.as_deref() {
        Some("yes") => l.t("home-answer-yes"),
        Some("no") => l.t("home-answer-no"),
        _ => l.t("home-answer-none"),
    };
    view! {
        <li class="card">
            <h3 class="card__title"><a href=format!("/moten/{id}")>{l.datetime(meeting.starts_at)}</a></h3>
            <p>{format!("{} · {}", meeting.ring, meeting.place)}</p>
            <p role="status">{current}</p>
            <PostForm action=respond attr:class="inline-form">
                <input type="hidden" name="meeting_id" value=id />
                <input type="hidden" name="from" value="hem" />
                <fieldset class="choices choices--inline">
                    <legend>{l.t("meeting-will-you-come")}</legend>
                    <div>
                        <input type="radio" id=format!("answer-yes-{id}") name="answer" value="yes" checked=answer.as_deref() != Some("no") />
                        <label for=format!("answer-yes-{id}")>{l.t("meeting-answer-yes")}</label>
                    </div>
                    <div>
                        <input type="radio" id=format!("answer-no-{id}") name="answer" value="no" checked=answer.as_deref() == Some("no") />
                        <label for=format!("answer-no-{id}")>{l.t("meeting-answer-no")}</label>
                    </div>
                </fieldset>
                <button type="submit" class="button button--small">{l.t("meeting-answer-submit")}</button>
            </PostForm>
        </li>
    }
}

/// `/att-gora`: the work queue on a page of its own (a coordinator's home shows it
/// at `/`; an admin reaches it from theirs).
#[component]
pub fn WorkQueuePage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| load_work_queue());
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match queue.await {
                    Ok(queue) => view! { <WorkQueueView queue /> }.into_any(),
                    Err(e) => view! { <Title text=l.t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The coordinator's work queue: a group per kind of work, each row a link to where
/// it is done.
#[component]
pub fn WorkQueueView(queue: WorkQueue) -> impl IntoView {
    let l = use_locale();
    let title = l.t("queue-title");
    let total: usize = queue.counts.iter().map(|(_, n)| n).sum();
    let groups = queue
        .counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| {
            let kind = *kind;
            let rows: Vec<_> = queue.rows.iter().filter(|r| r.kind == kind).cloned().collect();
            let more = n.saturating_sub(rows.len());
            view! {
                <section id=kind.anchor() aria-labelledby=format!("{}-heading", kind.anchor())>
                    <h2 id=format!("{}-heading", kind.anchor())>{format!("{} ({n})", l.t(kind.label_key()))}</h2>
                    <ul class="queue">
                        {rows.into_iter().map(|r| view! {
                            <li>
                                <a href=r.href.clone()>{r.title.clone()}</a>
                                {(!r.detail.is_empty()).then(|| view! { <span class="muted">{format!(" – {}", r.detail)}</span> })}
                                {r.date.map(|d| view! { " " <span class=if r.late { "tag tag--warning" } else { "tag" }>{date_text(kind, d, l)}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                    {(more > 0).then(|| view! { <p class="muted">{l.t_args("queue-more", &[("count", more.to_string())])}</p> })}
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p class="lead">{if total == 0 { l.t("queue-empty") } else { l.t_args("queue-intro", &[("count", total.to_string())]) }}</p>
        <nav aria-label=l.t("queue-jump") class="queue-jump">
            <ul>
                {queue.counts.iter().filter(|(_, n)| *n > 0).map(|(kind, n)| view! {
                    <li><a href=format!("#{}", kind.anchor()) rel="external">{format!("{} ({n})", l.t(kind.label_key()))}</a></li>
                }).collect_view()}
            </ul>
        </nav>
        {groups}
    }
}

fn date_text(kind: QueueKind, day: chrono::NaiveDate, l: Locale) -> String {
    let key = match kind {
        QueueKind::ConsentExpiring => "queue-expires",
        QueueKind::Assessment => "queue-assessed",
        QueueKind::NeedWithoutShortlist => "queue-starts",
        _ => "queue-due",
    };
    l.t_args(key, &[("date", l.date(day))])
}

#[component]
fn AdminHomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| load_admin_home());
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match home.await {
                    Ok(home) => view! { <AdminHomeView home /> }.into_any(),
                    Err(e) => view! { <Title text=l.t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminHomeView(home: AdminHome) -> impl IntoView {
    let l = use_locale();
    let title = l.t("admin-home-title");
    let alert_class = if home.failed_mail > 0 {
        "card card--alert"
    } else {
        "card"
    };
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <ul class="cards cards--grid">
            <li class=alert_class>
                <h2 class="card__title"><a href="/admin/utkorg">{l.t("admin-home-mail")}</a></h2>
                <p class="figure">{home.failed_mail}</p>
                <p>{l.t("admin-home-mail-text")}</p>
            </li>
            <li class="card">
                <h2 class="card__title"><a href="/admin/konton">{l.t("admin-home-accounts")}</a></h2>
                <p class="figure">{home.active_accounts}</p>
                <p>{l.t_args("admin-home-accounts-text", &[("disabled", home.disabled_accounts.to_string())])}</p>
                {(home.employers_without_firm > 0).then(|| view! {
                    <p><span class="tag tag--warning">{l.t_args("admin-home-no-firm", &[("count", home.employers_without_firm.to_string())])}</span></p>
                })}
            </li>
            <li class="card">
                <h2 class="card__title">{l.t("admin-home-reports")}</h2>
                <p class="figure">{home.reports_month}</p>
                <p>{l.t("admin-home-reports-text")}</p>
            </li>
        </ul>
        <section aria-labelledby="reports-heading">
            <h2 id="reports-heading">{l.t("admin-home-reports-latest")}</h2>
            {if home.reports.is_empty() {
                view! { <p>{l.t("admin-home-reports-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {home.reports.into_iter().map(|r| view! {
                            <li>
                                <strong>{l.datetime(r.at)}</strong>
                                {(!r.page.is_empty()).then(|| format!(" – {}", r.page))}
                                <br />{r.message}
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <p><a href="/att-gora">{l.t("admin-home-queue")}</a></p>
    }
}
