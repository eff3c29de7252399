//! `/deltagare/:id/team`: the team around a participant — who is in it and how to
//! reach them, who sees to which open step of the action plan, and the team's meetings
//! with their notes.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    AddTeamMeeting, AddTeamMember, AssignPlanStep, EndTeamMember, TeamMemberView, TeamView,
    get_team,
    model::{TeamMemberForm, TeamRole},
};
use crate::{
    field,
    i18n::use_locale,
    ui::{
        ErrorMessage, ErrorSummary, PostForm, SelectField, TextField, button_form, id_param,
        query_is, saved_notice,
    },
};

/// The team around a participant.
#[component]
pub fn TeamPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(move || id.get(), get_team);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(t) => view! { <TeamBody t /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `members` still in the team, as (id, "name (role)") choices.
pub(super) fn member_choices(members: &[TeamMemberView]) -> Vec<(String, String)> {
    let l = use_locale();
    members
        .iter()
        .filter(|m| m.ended_on.is_none())
        .map(|m| {
            (
                m.id.to_string(),
                format!("{} ({})", m.name, l.t(m.role.label_key())),
            )
        })
        .collect()
}

#[component]
fn TeamBody(t: TeamView) -> impl IntoView {
    let l = use_locale();
    let add = ServerAction::<AddTeamMember>::new();
    let end = ServerAction::<EndTeamMember>::new();
    let assign = ServerAction::<AssignPlanStep>::new();
    let meet = ServerAction::<AddTeamMeeting>::new();
    let add_result = Signal::derive(move || add.value().get());
    let end_result = Signal::derive(move || end.value().get());
    let assign_result = Signal::derive(move || assign.value().get());
    let meet_result = Signal::derive(move || meet.value().get());
    let cid = t.candidate_id;
    let title = l.t_args("team-title", &[("name", t.name.clone())]);
    let today = t.today;
    let choices = member_choices(&t.members);
    let (current, former): (Vec<_>, Vec<_>) = t
        .members
        .iter()
        .cloned()
        .partition(|m| m.ended_on.is_none());
    let open_steps = t.open_steps.clone();
    let steps_of = move |member: i32| {
        open_steps
            .iter()
            .filter(|s| s.assignee.as_ref().is_some_and(|(a, _)| *a == member))
            .count()
    };

    let member_cards = current.iter().map(|m| {
        let heading = format!("member-{}", m.id);
        let steps = steps_of(m.id);
        view! {
            <li>
                <h3 id=heading class="card__title">{m.name.clone()}</h3>
                <dl class="facts">
                    <dt>{l.t("team-role")}</dt><dd>{l.t(m.role.label_key())}</dd>
                    <dt>{l.t("team-organisation")}</dt><dd>{crate::ui::or_dash(&m.organisation)}</dd>
                    <dt>{l.t("team-contact")}</dt>
                    <dd>
                        {(!m.phone.is_empty()).then(|| view! { <a href=format!("tel:{}", m.phone.replace(' ', ""))>{m.phone.clone()}</a> })}
                        {(!m.phone.is_empty() && !m.email.is_empty()).then_some(" · ")}
                        {(!m.email.is_empty()).then(|| view! { <a href=format!("mailto:{}", m.email)>{m.email.clone()}</a> })}
                    </dd>
                    <dt>{l.t("team-started-on")}</dt><dd>{l.date(m.started_on)}</dd>
                    <dt>{l.t("team-open-steps")}</dt><dd>{steps.to_string()}</dd>
                </dl>
                {button_form!(end, vec![("candidate_id", cid.to_string()), ("member_id", m.id.to_string())], l.t_args("team-end", &[("name", m.name.clone())]))}
            </li>
        }
    }).collect_view();

    let former_list = (!former.is_empty()).then(|| view! {
        <h3>{l.t("team-former")}</h3>
        <ul class="plain-list">
            {former.iter().map(|m| view! {
                <li>
                    {format!("{} – {}", m.name, l.t(m.role.label_key()))}
                    {m.ended_on.map(|d| format!(" ({})", l.t_args("team-ended-on", &[("date", l.date(d))])))}
                </li>
            }).collect_view()}
        </ul>
    });

    let roles: Vec<(String, String)> = TeamRole::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), l.t(r.label_key())))
        .collect();

    let steps_list = t.open_steps.iter().map(|s| {
        let who = s.assignee.as_ref().map_or_else(|| l.t("plan-assignee-coordinator"), |(_, n)| n.clone());
        let overdue = s.due_on < today;
        view! {
            <li>
                <strong>{l.date(s.due_on)}</strong> " – " {s.description.clone()} " (" {l.t_args("plan-assigned-to", &[("name", who)])} ")"
                {overdue.then(|| view! { " " <span class="tag tag--warning">{l.t("plan-overdue")}</span> })}
            </li>
        }
    }).collect_view();
    let step_choices: Vec<(String, String)> = t
        .open_steps
        .iter()
        .map(|s| {
            (
                s.id.to_string(),
                format!("{} – {}", l.date(s.due_on), s.description),
            )
        })
        .collect();
    let mut assignee_choices = vec![(String::new(), l.t("plan-assignee-coordinator"))];
    assignee_choices.extend(choices.iter().cloned());
    let has_steps = !t.open_steps.is_empty();

    let meetings = t.meetings.iter().map(|m| {
        let heading = format!("meeting-{}", m.id);
        let who = if m.attendees.is_empty() { l.t("team-meeting-nobody") } else { m.attendees.join(", ") };
        view! {
            <li>
                <h3 id=heading class="card__title">{l.t_args("team-meeting-heading", &[("date", l.date(m.held_on))])}</h3>
                <p><strong>{l.t("team-meeting-attendees")}</strong> ": " {who}</p>
                <p class="pre-line">{m.notes.clone()}</p>
                {(!m.written_by.is_empty()).then(|| view! { <p class="field__hint">{l.t_args("team-meeting-written-by", &[("name", m.written_by.clone())])}</p> })}
            </li>
        }
    }).collect_view();
    let attendee_error = crate::ui::group_error(meet_result, "attendees");

    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p><a href=format!("/deltagare/{cid}")>{l.t("team-back")}</a></p>
        <p>{l.t("team-intro")}</p>

        <section aria-labelledby="members-heading">
            <h2 id="members-heading">{l.t("team-members")}</h2>
            {saved_notice("team-saved", query_is("sparat", "medlem"))}
            {saved_notice("team-ended-notice", query_is("sparat", "avslutad"))}
            <ErrorSummary result=end_result fields=vec![] />
            {if current.is_empty() {
                view! { <p>{l.t("team-none")}</p> }.into_any()
            } else {
                view! { <ul class="card-list">{member_cards}</ul> }.into_any()
            }}
            {former_list}
            <details class="card" open=add_result.get_untracked().is_some_and(|r| r.is_err())>
                <summary>{l.t("team-add")}</summary>
                <PostForm action=add once=true attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=cid.to_string() />
                    <ErrorSummary result=add_result fields=vec![
                        (field!(TeamMemberForm, role), l.t("team-role")), (field!(TeamMemberForm, member_name), l.t("team-name")),
                        (field!(TeamMemberForm, organisation), l.t("team-organisation")), (field!(TeamMemberForm, member_phone), l.t("team-phone")),
                        (field!(TeamMemberForm, member_email), l.t("team-email")), (field!(TeamMemberForm, started_on), l.t("team-started-on")),
                    ] />
                    <SelectField name=field!(TeamMemberForm, role) label=l.t("team-role") required=true options=roles empty=l.t("form-choose") result=add_result />
                    <TextField name=field!(TeamMemberForm, member_name) label=l.t("team-name") required=true maxlength=120 autocomplete="off" result=add_result />
                    <TextField name=field!(TeamMemberForm, organisation) label=l.t("team-organisation") maxlength=160 autocomplete="off" result=add_result />
                    <TextField name=field!(TeamMemberForm, member_phone) kind="tel" label=l.t("team-phone") maxlength=30 autocomplete="off" result=add_result />
                    <TextField name=field!(TeamMemberForm, member_email) kind="email" label=l.t("team-email") maxlength=200 autocomplete="off" result=add_result />
                    <TextField name=field!(TeamMemberForm, started_on) kind="date" label=l.t("team-started-on") required=true result=add_result value=today.to_string() />
                    <button type="submit" class="button">{l.t("team-add-submit")}</button>
                </PostForm>
            </details>
        </section>

        <section aria-labelledby="steps-heading">
            <h2 id="steps-heading">{l.t("team-steps")}</h2>
            {saved_notice("team-assigned-notice", query_is("sparat", "plan"))}
            {if has_steps {
                view! {
                    <ul class="plain-list">{steps_list}</ul>
                    <div class="card">
                        <PostForm action=assign attr:novalidate="novalidate">
                            <input type="hidden" name="candidate_id" value=cid.to_string() />
                            <ErrorSummary result=assign_result fields=vec![("step_id", l.t("team-step")), ("assignee_id", l.t("plan-assignee"))] />
                            <SelectField name="step_id" label=l.t("team-step") options=step_choices result=assign_result />
                            <SelectField name="assignee_id" label=l.t("plan-assignee") options=assignee_choices result=assign_result />
                            <button type="submit" class="button">{l.t("team-assign-submit")}</button>
                        </PostForm>
                    </div>
                }.into_any()
            } else {
                view! { <p>{l.t("team-steps-none")}</p> }.into_any()
            }}
        </section>

        <section aria-labelledby="meetings-heading">
            <h2 id="meetings-heading">{l.t("team-meetings")}</h2>
            {saved_notice("team-meeting-saved", query_is("sparat", "mote"))}
            {if t.meetings.is_empty() {
                view! { <p>{l.t("team-meetings-none")}</p> }.into_any()
            } else {
                view! { <ul class="card-list">{meetings}</ul> }.into_any()
            }}
            <div class="card">
                <h3>{l.t("team-meeting-add")}</h3>
                <PostForm action=meet once=true attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=cid.to_string() />
                    <ErrorSummary result=meet_result fields=vec![("held_on", l.t("team-meeting-held-on")), ("attendees", l.t("team-meeting-attendees")), ("notes", l.t("team-meeting-notes"))] />
                    <TextField name="held_on" kind="date" label=l.t("team-meeting-held-on") required=true result=meet_result value=today.to_string() />
                    {(!choices.is_empty()).then(|| view! {
                        <fieldset class="field" id="attendees" aria-describedby=move || attendee_error().map(|_| "attendees-error")>
                            <legend>{l.t("team-meeting-attendees")}</legend>
                            {move || attendee_error().map(|m| view! { <p class="field__error" id="attendees-error">{m}</p> })}
                            {choices.iter().map(|(value, label)| {
                                let input_id = format!("attendee-{value}");
                                // After a failed post without JavaScript: as they were ticked.
                                #[cfg(feature = "ssr")]
                                let checked = crate::ssr::flashed_values("attendees[]").contains(value);
                                #[cfg(not(feature = "ssr"))]
                                let checked = false;
                                view! {
                                    <div class="field field--checkbox">
                                        <input type="checkbox" id=input_id.clone() name="attendees[]" value=value.clone() checked=checked />
                                        <label for=input_id>{label.clone()}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    })}
                    <TextField name="notes" label=l.t("team-meeting-notes") hint=l.t("team-meeting-notes-hint") required=true multiline=true maxlength=4000 result=meet_result />
                    <button type="submit" class="button">{l.t("team-meeting-submit")}</button>
                </PostForm>
            </div>
        </section>
    }
}
