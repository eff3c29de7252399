//! `/deltagare/:id/registerutdrag`: everything held about a candidate as a readable
//! document (printable), the link to the same as a JSON file, and erasure.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{CandidateExport, EraseCandidate, export_candidate};
use crate::{
    candidates::{candidate_version, model::language_name, pages::ReasonForm},
    error::AppError,
    i18n::{Locale, use_locale},
    ui::id_param,
    ui::{ErrorMessage, ErrorSummary, PostForm, TextField},
};

/// The register extract (Art. 15) and the erasure form (Art. 17).
#[component]
pub fn ExportPage() -> impl IntoView {
    let id = id_param();
    let erase = ServerAction::<EraseCandidate>::new();
    let query = use_query_map();
    let reason = move || query.read().get("skal").unwrap_or_default();
    let data = Resource::new(
        move || (id.get(), reason()),
        |(id, reason)| async move {
            // Without a reason nothing is read, but access is checked all the same.
            if reason.trim().is_empty() {
                candidate_version(id).await.map(|_| None)
            } else {
                export_candidate(id, reason).await.map(Some)
            }
        },
    );
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let typed = reason();
                let action = format!("/deltagare/{}/registerutdrag", id.get_untracked());
                match data.await {
                    Ok(Some(x)) => view! { <ExportView x erase reason=typed /> }.into_any(),
                    Ok(None) => view! {
                        <Title text=use_locale().t("export-heading") />
                        <h1>{use_locale().t("export-heading")}</h1>
                        <p>{use_locale().t("export-why")}</p>
                        <ReasonForm action button="export-show" error=None typed />
                    }.into_any(),
                    Err(e @ AppError::Validation(_)) => view! {
                        <Title text=use_locale().t("export-heading") />
                        <h1>{use_locale().t("export-heading")}</h1>
                        <ReasonForm action button="export-show" error=Some(e) typed />
                    }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "–".to_owned()
    } else {
        s.to_owned()
    }
}

/// `text` for a URL's query string (every byte but the unreserved ones escaped).
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
fn ExportView(
    x: CandidateExport,
    erase: ServerAction<EraseCandidate>,
    reason: String,
) -> impl IntoView {
    let l = use_locale();
    let c = x.candidate.clone();
    let id = c.id;
    let title = l.t_args("export-title", &[("name", c.name.clone())]);
    let english = l == Locale::En;
    let result = Signal::derive(move || erase.value().get());
    view! {
        <Title text=title.clone() />
        <article class="export">
            <h1>{title}</h1>
            <p>{l.t_args("export-intro", &[("date", l.datetime(x.generated_at))])}</p>
            <p class="no-print">
                <a href=format!("/deltagare/{id}/registerutdrag.json?skal={}", query_value(&reason)) download=format!("registerutdrag-{id}.json")>{l.t("export-json")}</a>
                " · "
                <a href=format!("/deltagare/{id}")>{l.t("consents-back")}</a>
            </p>
            <h2>{l.t("export-record")}</h2>
            <dl class="facts">
                <dt>{l.t("candidate-name")}</dt><dd>{c.name.clone()}</dd>
                <dt>{l.t("candidate-personnummer")}</dt><dd>{c.personnummer.clone()}</dd>
                <dt>{l.t("candidate-email")}</dt><dd>{or_dash(&c.email)}</dd>
                <dt>{l.t("candidate-phone")}</dt><dd>{or_dash(&c.phone)}</dd>
                <dt>{l.t("candidate-gender")}</dt><dd>{l.t(c.gender.label_key())}</dd>
                <dt>{l.t("candidate-enrolled-on")}</dt><dd>{l.date(c.enrolled_on)}</dd>
                <dt>{l.t("candidate-permit-date")}</dt><dd>{c.permit_date.map(|d| l.date(d)).unwrap_or_else(|| "–".into())}</dd>
                <dt>{l.t("candidate-sfi-course")}</dt><dd>{or_dash(&c.sfi_course)}</dd>
                <dt>{l.t("candidate-licence")}</dt><dd>{or_dash(&c.driving_licence)}</dd>
                <dt>{l.t("candidate-availability-note")}</dt><dd>{or_dash(&c.availability_note)}</dd>
            </dl>
            <h2>{l.t("export-languages-education")}</h2>
            <ul>
                {c.languages.iter().map(|x| view! { <li>{format!("{} – {}", language_name(&x.code, english), x.level)}</li> }).collect_view()}
                {c.educations.iter().map(|e| view! { <li>{format!("{} – {}, {} ({} år)", l.t(&format!("isced-{}", e.isced)), e.field, e.country, e.years)}</li> }).collect_view()}
                {c.experiences.iter().map(|e| view! { <li>{format!("{} – {} år, {}", e.occupation.label(), e.years.unwrap_or(0), e.country)}</li> }).collect_view()}
                {c.preferences.iter().map(|e| view! { <li>{format!("{}: {}", l.t("profile-preferred"), e.occupation.label())}</li> }).collect_view()}
            </ul>
            <h2>{l.t("export-health")}</h2>
            {match x.health.clone() {
                Some(h) => view! { <p class="pre-line">{h.obstacles}</p> <p class="pre-line">{h.health}</p> }.into_any(),
                None => view! { <p>"–"</p> }.into_any(),
            }}
            <h2>{l.t("export-assessments")}</h2>
            <ul>
                {c.assessments.iter().map(|a| view! { <li>{format!("{} {} – {} ({}) {}", l.date(a.assessed_on), a.criterion.as_str(), if a.met { l.t("criterion-met") } else { l.t("criterion-not-met") }, a.assessor, a.comment)}</li> }).collect_view()}
                {c.plan.iter().map(|p| view! { <li>{format!("{} – {}{}", l.date(p.due_on), p.description, p.assignee.as_ref().map(|(_, n)| format!(" ({})", l.t_args("plan-assigned-to", &[("name", n.clone())]))).unwrap_or_default())}</li> }).collect_view()}
            </ul>
            <h2>{l.t("candidate-team")}</h2>
            <ul>
                {c.team.iter().map(|m| view! { <li>{format!("{} – {}, {} {} {} ({}{})", m.name, l.t(m.role.label_key()), m.organisation, m.phone, m.email, l.date(m.started_on), m.ended_on.map(|d| format!(" – {}", l.date(d))).unwrap_or_default())}</li> }).collect_view()}
                {c.team_meetings.iter().map(|m| view! { <li>{format!("{} – {}: {}", l.t_args("team-meeting-heading", &[("date", l.date(m.held_on))]), m.attendees.join(", "), m.notes)}</li> }).collect_view()}
            </ul>
            <h2>{l.t("export-timeline")}</h2>
            <ul>
                {c.timeline.iter().map(|a| view! { <li>{format!("{} – {} {} {}", l.date(a.start_on), l.t(a.kind.label_key()), a.firm.as_ref().map(|f| f.1.clone()).unwrap_or_default(), a.note)}</li> }).collect_view()}
                {x.shortlists.iter().map(|(t, n)| view! { <li>{format!("{}: {t} {n}", l.t("export-shortlist"))}</li> }).collect_view()}
                {x.tracks.iter().map(|t| view! { <li>{format!("{}: {} ({}), {} – {}, {}", l.t("track-in-timeline"), t.title, t.training, l.date(t.enrolled_on), t.ended_on.map(|d| l.date(d)).unwrap_or_default(), l.t(t.status.label_key()))}</li> }).collect_view()}
                {c.pools.iter().map(|(_, r, n)| view! { <li>{format!("{}: {r} {n}", l.t("candidate-pools"))}</li> }).collect_view()}
            </ul>
            <h2>{l.t("export-consents")}</h2>
            <ul>
                {x.consents.iter().map(|k| view! { <li>{format!("{} – {} ({}), {}: {}", l.date(k.given_on), l.t(k.status.label_key()), k.rings.iter().map(|r| r.1.clone()).collect::<Vec<_>>().join(", "), l.t("consent-releases"), k.releases.iter().map(|r| format!("{} {}", r.pseudonym, r.ring_name)).collect::<Vec<_>>().join(", "))}</li> }).collect_view()}
                {x.interests.iter().map(|(code, i)| view! { <li>{format!("{code}: {} – {}", i.firm_name, i.message)}</li> }).collect_view()}
            </ul>
            <h2>{l.t("export-access")}</h2>
            <ul>
                {x.access.iter().map(|a| view! { <li>{format!("{} – {} – {}", l.datetime(a.at), a.actor, a.action)}</li> }).collect_view()}
            </ul>
        </article>
        <section class="card no-print" aria-labelledby="erase-heading">
            <h2 id="erase-heading">{l.t("erase-heading")}</h2>
            <p>{l.t("erase-intro")}</p>
            <PostForm action=erase attr:novalidate="novalidate">
                <input type="hidden" name="candidate_id" value=id.to_string() />
                <ErrorSummary result fields=vec![("confirm_name", l.t("erase-confirm"))] />
                <TextField name="confirm_name" label=l.t("erase-confirm") hint=l.t_args("erase-confirm-hint", &[("name", c.name.clone())]) required=true autocomplete="off" maxlength=120 result />
                <button type="submit" class="button button--danger">{l.t("erase-submit")}</button>
            </PostForm>
        </section>
    }
}
