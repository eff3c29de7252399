//! `/ringar` (the caller's rings; a new ring), `/ringar/:id` (a ring's home),
//! `/ringar/:id/redigera` (edit a ring), `/moten/:id` (a meeting) and `/inbjudan`
//! (accept an invitation).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    AcceptInvitation, AddFirmToRing, CreateMeeting, CreateRing, InvitationPreview, Invite,
    LeaveRing, MeetingDetail, MeetingSummary, RecordAttendance, RemoveFirmFromRing,
    ResendInvitation, RespondToMeeting, RevokeInvitation, RingHome, RingsOverview, UpdateRing,
    get_meeting, get_ring, list_rings,
    model::{Answer, InvitationStatus, RingStatus},
    preview_invitation,
};
use crate::{
    firms::model::{SNI_SECTIONS, sni_label_key},
    i18n::{Locale, use_locale},
    ui::{
        ErrorMessage, ErrorSummary, PostForm, SelectField, TextField, error_text, id_param,
        query_flag, saved_notice,
    },
};

fn sector_options(l: Locale) -> Vec<(String, String)> {
    SNI_SECTIONS
        .iter()
        .map(|s| (s.to_string(), format!("{s} – {}", l.t(&sni_label_key(s)))))
        .collect()
}

fn ids(list: &[(i32, String)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect()
}

/// A row-level error from any of `results` (buttons in lists have no fields).
fn first_error(results: Vec<Option<Result<(), crate::error::AppError>>>) -> Option<String> {
    results
        .into_iter()
        .flatten()
        .find_map(|r| r.err())
        .map(|e| error_text(&e))
}

/// The caller's rings, and for staff the form for a new ring.
#[component]
pub fn RingsPage() -> impl IntoView {
    let l = use_locale();
    let create = ServerAction::<CreateRing>::new();
    // Not refetched after a post: a failure must leave the form as typed, and a
    // success moves on to the new ring's page.
    let rings = Resource::new(|| (), |_| list_rings());
    let left = query_flag("lamnat");
    view! {
        <Title text=l.t("rings-title") />
        <h1>{l.t("rings-title")}</h1>
        {saved_notice("ring-left", left)}
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match rings.await {
                    Ok(o) => view! { <RingsList overview=o create /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RingsList(overview: RingsOverview, create: ServerAction<CreateRing>) -> impl IntoView {
    let l = use_locale();
    let result = Signal::derive(move || create.value().get());
    let RingsOverview {
        rings,
        hosts,
        staff,
    } = overview;
    let list = if rings.is_empty() {
        view! { <p>{if staff { l.t("rings-none-staff") } else { l.t("rings-none") }}</p> }
            .into_any()
    } else {
        view! {
            <ul class="card-list">
                {rings.into_iter().map(|r| view! {
                    <li class="card">
                        <h2><a href=format!("/ringar/{}", r.id)>{r.name}</a></h2>
                        <p>
                            {l.t_args("ring-summary", &[("members", r.members.to_string()), ("host", r.host)])}
                            {(r.status == RingStatus::Closed).then(|| view! { " " <span class="tag">{l.t(RingStatus::Closed.label_key())}</span> })}
                        </p>
                        <p>{match r.next_meeting {
                            Some(at) => l.t_args("ring-next-meeting", &[("at", l.datetime(at))]),
                            None => l.t("ring-no-meeting"),
                        }}</p>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let fields = vec![
        ("name", l.t("ring-name")),
        ("description", l.t("ring-description")),
        ("sector_focus", l.t("ring-sector")),
        ("host_coordinator_id", l.t("ring-host")),
    ];
    view! {
        {list}
        {staff.then(|| view! {
            <section class="card" aria-labelledby="new-ring-heading">
                <h2 id="new-ring-heading">{l.t("rings-new")}</h2>
                <PostForm action=create once=true attr:novalidate="novalidate">
                    <ErrorSummary result fields />
                    <TextField name="name" label=l.t("ring-name") required=true maxlength=120 autocomplete="off" result />
                    <TextField name="description" label=l.t("ring-description") multiline=true maxlength=4000 result />
                    <SelectField name="sector_focus" label=l.t("ring-sector") options=sector_options(l) empty=l.t("ring-sector-any") result />
                    <SelectField name="host_coordinator_id" label=l.t("ring-host") options=ids(&hosts) empty=l.t("ring-host-me") result />
                    <button type="submit" class="button">{l.t("rings-new-submit")}</button>
                </PostForm>
            </section>
        })}
    }
}

/// A ring's home page.
#[component]
pub fn RingPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let actions = RingActions::new();
    let ring = Resource::new(move || id.get(), get_ring);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match ring.await {
                    Ok(r) => view! { <RingView ring=r actions /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <p><a href="/ringar">{l.t("rings-back")}</a></p>
    }
}

/// `/ringar/:id/lamna`: an employer takes their firm out of the ring, after reading
/// what that means. Works without JavaScript (a plain form post).
#[component]
pub fn LeaveRingPage() -> impl IntoView {
    let id = id_param();
    let leave = ServerAction::<LeaveRing>::new();
    let ring = Resource::new(move || id.get(), get_ring);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                let ring = match ring.await {
                    Ok(ring) => ring,
                    Err(e) => return view! { <Title text=l.t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                };
                let own = ring.members.iter().find(|m| Some(m.firm_id) == ring.own_firm_id).cloned();
                let Some(firm) = own else {
                    // Staff take a firm out from the member list; only a member leaves.
                    let e = crate::error::AppError::Forbidden;
                    return view! { <Title text=l.t(e.title_key()) /> <ErrorMessage error=e /> }.into_any();
                };
                let title = l.t_args("ring-leave-title", &[("ring", ring.name.clone())]);
                let back = format!("/ringar/{}", ring.id);
                view! {
                    <Title text=title.clone() />
                    <h1>{title}</h1>
                    <p>{l.t_args("ring-leave-explain", &[("firm", firm.name.clone())])}</p>
                    <ul>
                        <li>{l.t("ring-leave-needs")}</li>
                        <li>{l.t("ring-leave-profiles")}</li>
                        <li>{l.t("ring-leave-back")}</li>
                    </ul>
                    {move || leave.value().get().and_then(|r| r.err()).map(|e| view! {
                        <p class="notice notice--error" role="alert">{error_text(&e)}</p>
                    })}
                    <PostForm action=leave attr:class="button-row">
                        <input type="hidden" name="ring_id" value=ring.id />
                        <button type="submit" class="button button--danger">{l.t_args("ring-leave", &[("firm", firm.name.clone())])}</button>
                        <a href=back>{l.t("ring-leave-cancel")}</a>
                    </PostForm>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The actions of the ring page; any of them changes what the page shows.
#[derive(Clone, Copy)]
struct RingActions {
    add: ServerAction<AddFirmToRing>,
    remove: ServerAction<RemoveFirmFromRing>,
    invite: ServerAction<Invite>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    meeting: ServerAction<CreateMeeting>,
}

impl RingActions {
    fn new() -> Self {
        Self {
            add: ServerAction::new(),
            remove: ServerAction::new(),
            invite: ServerAction::new(),
            resend: ServerAction::new(),
            revoke: ServerAction::new(),
            meeting: ServerAction::new(),
        }
    }
}

#[component]
fn RingView(ring: RingHome, actions: RingActions) -> impl IntoView {
    let l = use_locale();
    let welcome = query_flag("valkommen");
    let saved = query_flag("sparat");
    let ring_id = ring.id;
    let closed = ring.status == RingStatus::Closed;
    let sector = ring
        .sector_focus
        .as_ref()
        .map(|s| format!("{s} – {}", l.t(&sni_label_key(s))))
        .unwrap_or_else(|| l.t("ring-sector-any"));
    let member_error = move || {
        first_error(vec![
            actions.add.value().get(),
            actions.remove.value().get(),
        ])
    };
    let staff = ring.staff;
    let own_firm = ring.own_firm_id;
    let members = ring
        .members
        .clone()
        .into_iter()
        .map(move |m| {
            let remove_label = l.t_args("ring-remove-firm", &[("firm", m.name.clone())]);
            let leave_label = l.t_args("ring-leave", &[("firm", m.name.clone())]);
            let is_own = own_firm == Some(m.firm_id);
            view! {
                <li>
                    <strong>{m.name.clone()}</strong>
                    {format!(" – {}, {}", l.t(m.size.label_key()), l.t(&sni_label_key(&m.sni_section)))}
                    {staff.then(move || view! {
                        <PostForm action=actions.remove attr:class="inline-form">
                            <input type="hidden" name="ring_id" value=ring_id />
                            <input type="hidden" name="firm_id" value=m.firm_id />
                            <button type="submit" class="button button--small button--secondary">{remove_label}</button>
                        </PostForm>
                    })}
                    // Leaving is a deliberate step on a page of its own, not a button
                    // beside the ring's daily actions.
                    {is_own.then(move || view! {
                        " " <a href=format!("/ringar/{ring_id}/lamna")>{leave_label}</a>
                    })}
                </li>
            }
        })
        .collect_view();
    let members_empty = ring.members.is_empty();
    let other_firms = ring.other_firms.clone();
    let can_add = staff && !closed && !other_firms.is_empty();
    view! {
        <Title text=ring.name.clone() />
        <h1>{ring.name.clone()} {closed.then(|| view! { " " <span class="tag">{l.t(RingStatus::Closed.label_key())}</span> })}</h1>
        {saved_notice("ring-welcome", welcome)}
        {saved_notice("saved", saved)}
        {(!ring.description.is_empty()).then(|| view! { <p class="pre-line">{ring.description.clone()}</p> })}
        <dl class="facts">
            <dt>{l.t("ring-sector")}</dt><dd>{sector}</dd>
            <dt>{l.t("ring-host")}</dt><dd>{ring.host.clone()}</dd>
        </dl>
        {staff.then(|| view! {
            <p>
                <a href=format!("/ringar/{ring_id}/redigera")>{l.t("ring-edit")}</a>
                " · "
                <a href=format!("/ringar/{ring_id}/pool")>{l.t("ring-pool")}</a>
            </p>
        })}
        // The ring's daily actions, the first as the page's main button.
        <p class="button-row">
            {(!closed).then(|| view! { <a class="button" href=format!("/ringar/{ring_id}/behov/nytt")>{l.t("ring-post-need")}</a> })}
            <a class="button button--secondary" href=format!("/ringar/{ring_id}/profiler")>{l.t("ring-profiles")}</a>
            <a href=format!("/ringar/{ring_id}/statistik")>{l.t("ring-statistics")}</a>
        </p>
        <section id="medlemmar" aria-labelledby="members-heading">
            <h2 id="members-heading">{l.t("ring-members")}</h2>
            {move || member_error().map(|e| view! { <p class="notice notice--error" role="alert">{e}</p> })}
            {(staff && ring.size_warning.is_some()).then(|| view! {
                <p class="notice notice--warning">{l.t(ring.size_warning.as_deref().unwrap_or_default())}</p>
            })}
            {if members_empty { view! { <p>{l.t("ring-no-members")}</p> }.into_any() } else { view! { <ul class="plain-list">{members}</ul> }.into_any() }}
            {can_add.then(move || view! {
                <PostForm action=actions.add attr:class="inline-form">
                    <input type="hidden" name="ring_id" value=ring_id />
                    <label for="add_firm_id">{l.t("ring-add-firm")}</label>
                    <select id="add_firm_id" name="firm_id">
                        {other_firms.into_iter().map(|(id, n)| view! { <option value=id>{n}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button button--small">{l.t("ring-add-firm-submit")}</button>
                </PostForm>
            })}
        </section>
        <MeetingsSection ring_id upcoming=ring.upcoming.clone() past=ring.past.clone() staff=staff && !closed action=actions.meeting />
        <section aria-labelledby="needs-heading">
            <h2 id="needs-heading">{l.t("ring-needs")}</h2>
            <p>{l.t("ring-needs-intro")}</p>
            <p><a href=format!("/ringar/{ring_id}/behov")>{l.t("ring-needs-link")}</a></p>
        </section>
        <section aria-labelledby="forum-heading">
            <h2 id="forum-heading">{l.t("ring-forum")}</h2>
            <p>{l.t("ring-forum-intro")}</p>
            <p><a href=format!("/ringar/{ring_id}/diskussion")>{l.t("ring-forum-link")}</a></p>
        </section>
        {staff.then(|| view! { <InvitationsSection ring=ring.clone() actions closed /> })}
        {staff.then(|| view! { <HistorySection ring=ring.clone() /> })}
    }
}

#[component]
fn MeetingsSection(
    ring_id: i32,
    upcoming: Vec<MeetingSummary>,
    past: Vec<MeetingSummary>,
    staff: bool,
    action: ServerAction<CreateMeeting>,
) -> impl IntoView {
    let l = use_locale();
    let result = Signal::derive(move || action.value().get());
    let item = move |m: MeetingSummary| {
        view! {
            <li>
                <a href=format!("/moten/{}", m.id)>{l.datetime(m.starts_at)}</a>
                {format!(" – {} ({})", m.place, l.t_args("meeting-coming", &[("count", m.coming.to_string())]))}
            </li>
        }
    };
    let fields = vec![
        ("date", l.t("meeting-date")),
        ("start_time", l.t("meeting-start")),
        ("end_time", l.t("meeting-end")),
        ("place", l.t("meeting-place")),
        ("agenda", l.t("meeting-agenda")),
    ];
    view! {
        <section id="moten" aria-labelledby="meetings-heading">
            <h2 id="meetings-heading">{l.t("ring-meetings")}</h2>
            {if upcoming.is_empty() {
                view! { <p>{l.t("ring-no-meeting")}</p> }.into_any()
            } else {
                view! { <ul class="plain-list">{upcoming.into_iter().map(item).collect_view()}</ul> }.into_any()
            }}
            {(!past.is_empty()).then(|| view! {
                <h3>{l.t("ring-past-meetings")}</h3>
                <ul class="plain-list">{past.into_iter().map(item).collect_view()}</ul>
            })}
            {staff.then(|| view! {
                <div class="card">
                    <h3>{l.t("meeting-new")}</h3>
                    <PostForm action once=true attr:novalidate="novalidate">
                        <input type="hidden" name="ring_id" value=ring_id />
                        <ErrorSummary result fields />
                        <TextField name="date" kind="date" label=l.t("meeting-date") required=true result />
                        <TextField name="start_time" kind="time" label=l.t("meeting-start") hint=l.t("meeting-time-hint") required=true result />
                        <TextField name="end_time" kind="time" label=l.t("meeting-end") required=true result />
                        <TextField name="place" label=l.t("meeting-place") hint=l.t("meeting-place-hint") required=true maxlength=300 result />
                        <TextField name="agenda" label=l.t("meeting-agenda") multiline=true maxlength=4000 result />
                        <button type="submit" class="button">{l.t("meeting-new-submit")}</button>
                    </PostForm>
                </div>
            })}
        </section>
    }
}

#[component]
fn InvitationsSection(ring: RingHome, actions: RingActions, closed: bool) -> impl IntoView {
    let l = use_locale();
    let invited = query_flag("inbjuden");
    let result = Signal::derive(move || actions.invite.value().get());
    let row_error = move || {
        first_error(vec![
            actions.resend.value().get(),
            actions.revoke.value().get(),
        ])
    };
    let ring_id = ring.id;
    let mut firm_options: Vec<(String, String)> = ring
        .members
        .iter()
        .map(|m| (m.firm_id.to_string(), m.name.clone()))
        .chain(ids(&ring.other_firms))
        .collect();
    firm_options.sort_by_key(|a| a.1.to_lowercase());
    let fields = vec![
        ("firm_id", l.t("invitation-firm")),
        ("name", l.t("invitation-name")),
        ("email", l.t("invitation-email")),
    ];
    let rows = ring
        .invitations
        .clone()
        .into_iter()
        .map(move |i| {
            let open = matches!(
                i.status,
                InvitationStatus::Pending | InvitationStatus::Expired
            );
            let resend_label = l.t_args("invitation-resend", &[("name", i.name.clone())]);
            let revoke_label = l.t_args("invitation-revoke", &[("name", i.name.clone())]);
            view! {
                <tr>
                    <th scope="row">{i.name.clone()}<br /><span class="muted">{i.email.clone()}</span></th>
                    <td>{i.firm_name.clone()}</td>
                    <td>{l.t(i.status.label_key())}</td>
                    <td>{l.t_args(if i.send_count == 1 { "invitation-sent-once" } else { "invitation-sent-times" }, &[("at", l.datetime(i.last_sent_at)), ("count", i.send_count.to_string())])}</td>
                    <td>{l.datetime(i.expires_at)}</td>
                    <td>
                        {(open && !closed).then(move || view! {
                            <PostForm action=actions.resend attr:class="inline-form">
                                <input type="hidden" name="invitation_id" value=i.id />
                                <button type="submit" class="button button--small">{resend_label}</button>
                            </PostForm>
                        })}
                        {(i.status == InvitationStatus::Pending).then(move || view! {
                            <PostForm action=actions.revoke attr:class="inline-form">
                                <input type="hidden" name="invitation_id" value=i.id />
                                <button type="submit" class="button button--small button--secondary">{revoke_label}</button>
                            </PostForm>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let has_invitations = !ring.invitations.is_empty();
    view! {
        <section id="inbjudningar" aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">{l.t("invitations-title")}</h2>
            {move || row_error().map(|e| view! { <p class="notice notice--error" role="alert">{e}</p> })}
            {if has_invitations {
                view! {
                    <div class="table-wrap" role="region" aria-labelledby="invitations-caption" tabindex="0">
                        <table>
                            <caption id="invitations-caption">{l.t("invitations-caption")}</caption>
                            <thead><tr>
                                <th scope="col">{l.t("invitation-name")}</th>
                                <th scope="col">{l.t("invitation-firm")}</th>
                                <th scope="col">{l.t("invitation-status")}</th>
                                <th scope="col">{l.t("invitation-last-sent")}</th>
                                <th scope="col">{l.t("invitation-expires")}</th>
                                <th scope="col">{l.t("invitation-actions")}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            } else {
                view! { <p>{l.t("invitations-none")}</p> }.into_any()
            }}
            {(!closed).then(|| view! {
                <div class="card">
                    <h3>{l.t("invitation-new")}</h3>
                    <p>{l.t("invitation-new-intro")}</p>
                    {saved_notice("invitation-queued", invited)}
                    <PostForm action=actions.invite once=true attr:novalidate="novalidate">
                        <input type="hidden" name="ring_id" value=ring_id />
                        <ErrorSummary result fields />
                        <SelectField name="firm_id" label=l.t("invitation-firm") required=true options=firm_options empty=l.t("form-choose") result />
                        <TextField name="name" label=l.t("invitation-name") required=true maxlength=120 autocomplete="off" result />
                        <TextField name="email" kind="email" label=l.t("invitation-email") required=true maxlength=254 autocomplete="off" result />
                        <button type="submit" class="button">{l.t("invitation-submit")}</button>
                    </PostForm>
                </div>
            })}
        </section>
    }
}

#[component]
fn HistorySection(ring: RingHome) -> impl IntoView {
    let l = use_locale();
    view! {
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">{l.t("ring-history")}</h2>
            {if ring.history.is_empty() {
                view! { <p>{l.t("ring-no-members")}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {ring.history.into_iter().map(|h| {
                            let joined = l.t_args("membership-joined", &[("at", l.datetime(h.joined_at)), ("by", h.joined_by.unwrap_or_else(|| "–".into()))]);
                            let left = h.left_at.map(|at| l.t_args("membership-left", &[("at", l.datetime(at)), ("by", h.left_by.clone().unwrap_or_else(|| "–".into()))]));
                            view! { <li><strong>{h.firm_name}</strong> ": " {joined} {left.map(|s| format!("; {s}"))}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// A ring's details and status, for staff.
#[component]
pub fn RingEditPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let update = ServerAction::<UpdateRing>::new();
    let ring = Resource::new(move || id.get(), get_ring);
    view! {
        <Title text=l.t("ring-edit") />
        <h1>{l.t("ring-edit")}</h1>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match ring.await {
                    Ok(r) if r.staff => view! { <RingEditForm ring=r update /> }.into_any(),
                    Ok(_) => view! { <ErrorMessage error=crate::error::AppError::Forbidden /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RingEditForm(ring: RingHome, update: ServerAction<UpdateRing>) -> impl IntoView {
    let l = use_locale();
    let result = Signal::derive(move || update.value().get());
    let fields = vec![
        ("name", l.t("ring-name")),
        ("description", l.t("ring-description")),
        ("sector_focus", l.t("ring-sector")),
        ("host_coordinator_id", l.t("ring-host")),
        ("status", l.t("ring-status")),
    ];
    let statuses = [RingStatus::Active, RingStatus::Closed]
        .iter()
        .map(|s| (s.as_str().to_owned(), l.t(s.label_key())))
        .collect();
    view! {
        <PostForm action=update attr:novalidate="novalidate">
            <input type="hidden" name="ring_id" value=ring.id />
            <ErrorSummary result fields />
            <TextField name="name" label=l.t("ring-name") required=true maxlength=120 autocomplete="off" result value=ring.name.clone() />
            <TextField name="description" label=l.t("ring-description") multiline=true maxlength=4000 result value=ring.description.clone() />
            <SelectField name="sector_focus" label=l.t("ring-sector") options=sector_options(l) empty=l.t("ring-sector-any") result value=ring.sector_focus.clone().unwrap_or_default() />
            <SelectField name="host_coordinator_id" label=l.t("ring-host") options=ids(&ring.coordinators) result value=ring.host_id.to_string() />
            <SelectField name="status" label=l.t("ring-status") options=statuses hint=l.t("ring-status-hint") result value=ring.status.as_str().to_owned() />
            <button type="submit" class="button">{l.t("save")}</button>
        </PostForm>
        <p><a href=format!("/ringar/{}", ring.id)>{l.t("ring-back")}</a></p>
    }
}

/// A meeting: details, the caller's answer, a calendar file, and for staff attendance.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let id = id_param();
    let respond = ServerAction::<RespondToMeeting>::new();
    let attendance = ServerAction::<RecordAttendance>::new();
    let meeting = Resource::new(move || id.get(), get_meeting);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match meeting.await {
                    Ok(m) => view! { <MeetingView meeting=m respond attendance /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MeetingView(
    meeting: MeetingDetail,
    respond: ServerAction<RespondToMeeting>,
    attendance: ServerAction<RecordAttendance>,
) -> impl IntoView {
    let l = use_locale();
    let answered = query_flag("svarat");
    let saved = query_flag("sparat");
    let respond_result = Signal::derive(move || respond.value().get());
    let attendance_error = move || first_error(vec![attendance.value().get()]);
    let title = l.t_args("meeting-title", &[("at", l.datetime(meeting.starts_at))]);
    let id = meeting.id;
    let mine = meeting.my_answer;
    let answer_text = match mine {
        Some(Answer::Yes) => l.t("meeting-you-come"),
        Some(Answer::No) => l.t("meeting-you-do-not-come"),
        None => l.t("meeting-you-have-not-answered"),
    };
    let participants = meeting
        .participants
        .clone()
        .into_iter()
        .map(move |p| {
            let answer = match p.answer {
                Some(Answer::Yes) => l.t("meeting-answer-yes"),
                Some(Answer::No) => l.t("meeting-answer-no"),
                None => "–".to_owned(),
            };
            let state = match p.attended {
                Some(true) => l.t("meeting-attended"),
                Some(false) => l.t("meeting-absent"),
                None => "–".to_owned(),
            };
            let present_label = l.t_args("meeting-mark-present", &[("name", p.name.clone())]);
            let absent_label = l.t_args("meeting-mark-absent", &[("name", p.name.clone())]);
            view! {
                <tr>
                    <th scope="row">{p.name.clone()}</th>
                    <td>{p.firm_name.clone()}</td>
                    <td>{answer}</td>
                    <td>{state}</td>
                    <td>
                        <PostForm action=attendance attr:class="inline-form">
                            <input type="hidden" name="meeting_id" value=id />
                            <input type="hidden" name="user_id" value=p.user_id />
                            <input type="hidden" name="attended" value="true" />
                            <button type="submit" class="button button--small">{present_label}</button>
                        </PostForm>
                        <PostForm action=attendance attr:class="inline-form">
                            <input type="hidden" name="meeting_id" value=id />
                            <input type="hidden" name="user_id" value=p.user_id />
                            <input type="hidden" name="attended" value="false" />
                            <button type="submit" class="button button--small button--secondary">{absent_label}</button>
                        </PostForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        {saved_notice("saved", saved)}
        <p><a href=format!("/ringar/{}", meeting.ring_id)>{meeting.ring_name.clone()}</a></p>
        <dl class="facts">
            <dt>{l.t("meeting-when")}</dt>
            <dd>{format!("{} – {}", l.datetime(meeting.starts_at), crate::i18n::stockholm_parts(meeting.ends_at).1)}</dd>
            <dt>{l.t("meeting-place")}</dt><dd>{meeting.place.clone()}</dd>
            <dt>{l.t("meeting-coming-label")}</dt><dd>{meeting.coming}</dd>
        </dl>
        {(!meeting.agenda.is_empty()).then(|| view! {
            <h2>{l.t("meeting-agenda")}</h2>
            <p class="pre-line">{meeting.agenda.clone()}</p>
        })}
        <p>
            <a href=format!("/moten/{id}/kalender.ics") rel="external" download=format!("ringtraff-{id}.ics")>{l.t("meeting-calendar")}</a>
        </p>
        {(!meeting.started).then(|| view! {
            <section class="card" aria-labelledby="answer-heading">
                <h2 id="answer-heading">{l.t("meeting-answer")}</h2>
                <p role="status">{answer_text}</p>
                {saved_notice("meeting-answer-saved", answered)}
                <PostForm action=respond>
                    <input type="hidden" name="meeting_id" value=id />
                    <ErrorSummary result=respond_result fields=vec![("answer", l.t("meeting-answer"))] />
                    <fieldset class="choices">
                        <legend>{l.t("meeting-will-you-come")}</legend>
                        <div>
                            <input type="radio" id="answer-yes" name="answer" value="yes" checked=mine != Some(Answer::No) />
                            <label for="answer-yes">{l.t("meeting-answer-yes")}</label>
                        </div>
                        <div>
                            <input type="radio" id="answer-no" name="answer" value="no" checked=mine == Some(Answer::No) />
                            <label for="answer-no">{l.t("meeting-answer-no")}</label>
                        </div>
                    </fieldset>
                    <button type="submit" class="button">{l.t("meeting-answer-submit")}</button>
                </PostForm>
            </section>
        })}
        {meeting.staff.then(|| view! {
            <section id="narvaro" aria-labelledby="attendance-heading">
                <h2 id="attendance-heading">{l.t("meeting-attendance")}</h2>
                {move || attendance_error().map(|e| view! { <p class="notice notice--error" role="alert">{e}</p> })}
                {if !meeting.started {
                    view! { <p>{l.t("meeting-attendance-later")}</p> }.into_any()
                } else if meeting.participants.is_empty() {
                    view! { <p>{l.t("meeting-no-participants")}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap" role="region" aria-labelledby="attendance-caption" tabindex="0">
                            <table>
                                <caption id="attendance-caption">{l.t("meeting-attendance")}</caption>
                                <thead><tr>
                                    <th scope="col">{l.t("meeting-person")}</th>
                                    <th scope="col">{l.t("invitation-firm")}</th>
                                    <th scope="col">{l.t("meeting-answer")}</th>
                                    <th scope="col">{l.t("meeting-attendance-state")}</th>
                                    <th scope="col">{l.t("invitation-actions")}</th>
                                </tr></thead>
                                <tbody>{participants}</tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
        })}
    }
}

/// `/inbjudan?token=…`: what the invitation is, and the form to accept it. A link
/// that does not work says why, as a page (not an error).
#[component]
pub fn InvitationPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let preview = Resource::new(token, preview_invitation);
    view! {
        <Title text=l.t("invitation-title") />
        <h1>{l.t("invitation-title")}</h1>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(InvitationPreview::Valid { ring_name, firm_name, name, email, has_account }) => view! {
                        <AcceptForm token=token() ring_name firm_name name email has_account />
                    }.into_any(),
                    Ok(InvitationPreview::Invalid(status)) => {
                        let key = match status {
                            Some(InvitationStatus::Accepted) => "error-invitation-used",
                            Some(InvitationStatus::Expired) => "error-invitation-expired",
                            Some(InvitationStatus::Revoked) => "error-invitation-revoked",
                            _ => "error-invitation-unknown",
                        };
                        let l = use_locale();
                        view! {
                            <div class="notice notice--warning" role="status">
                                <p>{l.t(key)}</p>
                            </div>
                            <p><a href="/logga-in">{l.t("invitation-go-login")}</a></p>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AcceptForm(
    token: String,
    ring_name: String,
    firm_name: String,
    name: String,
    email: String,
    has_account: bool,
) -> impl IntoView {
    let l = use_locale();
    let accept = ServerAction::<AcceptInvitation>::new();
    let result = Signal::derive(move || accept.value().get());
    let mut fields = vec![("name", l.t("invitation-your-name"))];
    fields.push(("password", l.t("login-password")));
    if !has_account {
        fields.push(("password_confirm", l.t("reset-password-confirm")));
    }
    view! {
        <p>{l.t_args("invitation-intro", &[("ring", ring_name), ("firm", firm_name)])}</p>
        <p>{l.t_args("invitation-address", &[("email", email)])}</p>
        <PostForm action=accept attr:novalidate="novalidate">
            <input type="hidden" name="token" value=token />
            <ErrorSummary result fields />
            {if has_account {
                view! {
                    <p>{l.t("invitation-existing-account")}</p>
                    <input type="hidden" name="name" value="" />
                    <input type="hidden" name="password_confirm" value="" />
                    <TextField name="password" kind="password" label=l.t("login-password") autocomplete="current-password" required=true result />
                }.into_any()
            } else {
                view! {
                    <TextField name="name" label=l.t("invitation-your-name") autocomplete="name" required=true maxlength=120 result value=name />
                    <TextField name="password" kind="password" label=l.t("login-password") hint=l.t("reset-password-hint") autocomplete="new-password" required=true result />
                    <TextField name="password_confirm" kind="password" label=l.t("reset-password-confirm") autocomplete="new-password" required=true result />
                }.into_any()
            }}
            <button type="submit" class="button">{if has_account { l.t("invitation-accept-login") } else { l.t("invitation-accept") }}</button>
        </PostForm>
    }
}
