//! `/deltagare/:id/dela` (the guarded profile and the release form), `/ringar/:id/profiler`
//! (a ring's released profiles), `/profiler/:code` (one profile, and interest),
//! `/intresse` (the coordinators' inbox: meeting, agreement, outcome) and the list of
//! profiles on a need's page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    ArrangeMeeting, ConfirmAgreed, ExpressInterest, Guarded, Inbox, InterestView, Outcome,
    ProfileCard, ProfileView, RecordOutcome, ReleasePreview, ReleaseProfile, interest_inbox,
    list_ring_profiles,
    model::{AnonymisedProfile, Field, Levels, ProfileCriteria, profile_lines},
    need_profiles, preview_release, profile,
};
use crate::{
    i18n::{Locale, use_locale},
    needs::model::EmploymentForm,
    ui::{ActionResult, ErrorMessage, ErrorSummary, PostForm, TextField},
    ui::{id_param, query_flag, query_is, saved_notice},
};

/// The anonymised profile as a list of facts. Renders only what the type holds; a
/// field that is not shown is left out.
#[component]
pub fn ProfileFacts(p: AnonymisedProfile) -> impl IntoView {
    let l = use_locale();
    let lines = profile_lines(&p, l);
    view! {
        <dl class="facts">
            {lines.into_iter().map(|line| view! {
                <dt>{line.label}</dt>
                <dd>{if line.list {
                    view! { <ul class="plain-list">{line.values.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}</ul> }.into_any()
                } else {
                    line.values.join(", ").into_any()
                }}</dd>
            }).collect_view()}
        </dl>
        {(!p.summary.is_empty()).then(|| view! { <p class="profile-summary">{p.summary.clone()}</p> })}
    }
}

/// The release page: choose a ring the consent covers (and the need the profile is
/// for), see the guarded profile and what it shows less exactly, hide more if
/// wanted, write the headline and text, release.
#[component]
pub fn ReleasePage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let ring = Memo::new(move |_| query.read().get("ring").and_then(|s| s.parse::<i32>().ok()));
    let need = Memo::new(move |_| {
        query
            .read()
            .get("behov")
            .and_then(|s| s.parse::<i32>().ok())
    });
    // Fields the coordinator chose to hide more of, by the ladders' names.
    let levels = Memo::new(move |_| {
        let q = query.read();
        let mut asked = Levels::EXACT;
        let mut any = false;
        for f in Field::ALL {
            if let Some(rung) = q.get(f.key()).and_then(|s| s.parse::<u8>().ok()) {
                asked.set(f, rung);
                any = true;
            }
        }
        any.then(|| asked.encode())
    });
    let release = ServerAction::<ReleaseProfile>::new();
    let data = Resource::new(
        move || (id.get(), ring.get(), need.get(), levels.get()),
        |(id, ring, need, levels)| preview_release(id, ring, need, levels),
    );
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <ReleaseView p release /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Choosing the ring (and the need) the profile is for: a plain GET form.
#[component]
fn RingChoice(p: ReleasePreview) -> impl IntoView {
    let l = use_locale();
    let cid = p.candidate_id;
    let chosen_ring = p.ring.as_ref().map(|(id, _)| *id);
    view! {
        <form method="get" action=format!("/deltagare/{cid}/dela") class="card">
            <div class="field">
                <label for="ring">{l.t("release-ring")}</label>
                <select id="ring" name="ring">
                    {p.rings.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=chosen_ring == Some(*id)>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            {(!p.needs.is_empty()).then(|| view! {
                <div class="field">
                    <label for="behov">{l.t("release-need")}</label>
                    <p class="hint" id="behov-hint">{l.t("release-need-hint")}</p>
                    <select id="behov" name="behov" aria-describedby="behov-hint">
                        <option value="">{l.t("release-need-none")}</option>
                        {p.needs.iter().map(|(id, t)| view! {
                            <option value=id.to_string() selected=p.need == Some(*id)>{t.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
            })}
            <button type="submit" class="button button--secondary">{l.t("release-ring-choose")}</button>
        </form>
    }
}

#[component]
fn ReleaseView(p: ReleasePreview, release: ServerAction<ReleaseProfile>) -> impl IntoView {
    let l = use_locale();
    let cid = p.candidate_id;
    let title = l.t_args("release-title", &[("name", p.name.clone())]);
    let result = Signal::derive(move || release.value().get());
    let Some((ring_id, ring_name)) = p.ring.clone() else {
        return view! {
            <Title text=title.clone() />
            <h1>{title}</h1>
            <p>{l.t("release-intro")}</p>
            {if p.rings.is_empty() {
                view! { <p>{l.t("release-no-consent")}</p> }.into_any()
            } else {
                view! { <RingChoice p=p.clone() /> }.into_any()
            }}
            <p><a href=format!("/deltagare/{cid}/samtycken")>{l.t("release-back")}</a></p>
        }
        .into_any();
    };
    let guard_text = match &p.guard {
        Some(Guarded::Shown {
            crowd_exact, crowd, ..
        }) if crowd_exact == crowd => l.t_args(
            "release-guard-ok",
            &[("crowd", crowd.to_string()), ("k", p.k.to_string())],
        ),
        Some(Guarded::Shown {
            crowd_exact, crowd, ..
        }) => l.t_args(
            "release-guard-generalised",
            &[
                ("before", crowd_exact.to_string()),
                ("crowd", crowd.to_string()),
                ("k", p.k.to_string()),
            ],
        ),
        Some(Guarded::Refused { population }) => l.t_args(
            "release-guard-refused",
            &[("crowd", population.to_string()), ("k", p.k.to_string())],
        ),
        None => String::new(),
    };
    let refused = matches!(p.guard, Some(Guarded::Refused { .. })) || !p.existing.is_empty();
    let changes = (!p.changes.is_empty()).then(|| {
        view! {
            <div class="notice" role="note">
                <p>{l.t("release-widened")}</p>
                <ul>
                    {p.changes.iter().map(|c| {
                        let text = match &c.to {
                            Some(to) => l.t_args("release-change-as", &[("what", c.what.clone()), ("to", to.clone())]),
                            None => l.t_args("release-change-hidden", &[("what", c.what.clone())]),
                        };
                        let why = if c.by_coordinator { l.t("release-change-yours") } else { l.t("release-change-guard") };
                        view! { <li>{text} " " <span class="hint">{why}</span></li> }
                    }).collect_view()}
                </ul>
            </div>
        }
    });
    // Hiding more: a GET form that shows the page again with the fields raised.
    let hide_more = (!refused && !p.ladders.is_empty()).then(|| {
        let ring = ring_id.to_string();
        let need = p.need.map(|n| n.to_string()).unwrap_or_default();
        view! {
            <details class="card">
                <summary>{l.t("release-hide-more")}</summary>
                <form method="get" action=format!("/deltagare/{cid}/dela")>
                    <p class="hint">{l.t("release-hide-more-hint")}</p>
                    <input type="hidden" name="ring" value=ring />
                    {(!need.is_empty()).then(|| view! { <input type="hidden" name="behov" value=need.clone() /> })}
                    {p.ladders.iter().map(|ladder| {
                        let id = format!("niva-{}", ladder.field.key());
                        view! {
                            <div class="field">
                                <label for=id.clone()>{ladder.name.clone()}</label>
                                <select id=id name=ladder.field.key()>
                                    {ladder.rungs.iter().map(|(rung, label)| view! {
                                        <option value=rung.to_string() selected=*rung == ladder.chosen>{label.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        }
                    }).collect_view()}
                    <button type="submit" class="button button--secondary">{l.t("release-hide-more-submit")}</button>
                </form>
            </details>
        }
    });
    let fields = vec![
        ("headline", l.t("release-headline")),
        ("summary", l.t("release-summary")),
        ("levels", l.t("release-preview")),
    ];
    let need_id = p.need.map(|n| n.to_string()).unwrap_or_default();
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p>{l.t_args("release-to-ring", &[("ring", ring_name)])}</p>
        <RingChoice p=p.clone() />
        {(!p.existing.is_empty()).then(|| view! { <p class="notice">{l.t_args("release-existing", &[("codes", p.existing.join(", "))])}</p> })}
        <p class=if refused { "error-summary" } else { "notice" } role="status">{guard_text}</p>
        {changes}
        <section class="card" aria-labelledby="profile-preview-heading">
            <h2 id="profile-preview-heading">{l.t("release-preview")}</h2>
            <p class="hint">{l.t("release-preview-hint")}</p>
            {p.profile.clone().map(|p| view! { <ProfileFacts p /> })}
        </section>
        {hide_more}
        {(!refused).then(|| view! {
            <section class="card" aria-labelledby="release-form-heading">
                <h2 id="release-form-heading">{l.t("release-form")}</h2>
                <PostForm action=release once=true attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=cid.to_string() />
                    <input type="hidden" name="ring_id" value=ring_id.to_string() />
                    <input type="hidden" name="need_id" value=need_id.clone() />
                    <input type="hidden" name="levels" value=p.levels.clone() />
                    <input type="hidden" name="fingerprint" value=p.fingerprint.clone() />
                    <ErrorSummary result fields />
                    <TextField name="headline" label=l.t("release-headline") hint=l.t("release-headline-hint") required=true maxlength=100 result />
                    <TextField name="summary" label=l.t("release-summary") hint=l.t("release-summary-hint") multiline=true maxlength=800 result />
                    <button type="submit" class="button">{l.t("release-submit")}</button>
                </PostForm>
            </section>
        })}
        <p><a href=format!("/deltagare/{cid}/samtycken")>{l.t("release-back")}</a></p>
    }
    .into_any()
}

/// A card's short line: the age band, job-readiness and start, as far as shown.
/// The facts a card shows at a glance, as tags: age band, job readiness (green when
/// ready), availability.
fn card_tags(l: Locale, c: &ProfileCard) -> Vec<(String, &'static str)> {
    let mut tags = Vec::new();
    if let Some(a) = c.age {
        tags.push((a.label(l), "tag"));
    }
    match &c.criteria {
        Some(ProfileCriteria::JobReady(true)) => {
            tags.push((l.t("profile-job-ready-yes"), "tag tag--success"))
        }
        Some(ProfileCriteria::JobReady(false)) => tags.push((l.t("profile-job-ready-no"), "tag")),
        Some(ProfileCriteria::Each(met)) => tags.push((
            l.t_args("profile-card-criteria", &[("met", met.len().to_string())]),
            if met.len() == 4 {
                "tag tag--success"
            } else {
                "tag"
            },
        )),
        None => {}
    }
    if let Some(a) = &c.available {
        tags.push((
            l.t_args("profile-card-available", &[("when", a.label(l))]),
            "tag",
        ));
    }
    tags
}

/// Profiles as a list of cards.
#[component]
pub fn ProfileCards(cards: Vec<ProfileCard>) -> impl IntoView {
    let l = use_locale();
    view! {
        <ul class="cards">
            {cards.into_iter().map(|c| {
                let href = format!("/profiler/{}", c.pseudonym);
                if c.withdrawn {
                    view! {
                        <li class="card card--muted">
                            <h3>{c.pseudonym.clone()}</h3>
                            <p><span class="tag tag--warning">{l.t("profile-withdrawn")}</span></p>
                        </li>
                    }.into_any()
                } else {
                    view! {
                        <li class="card">
                            <h3><a href=href>{format!("{} – {}", c.pseudonym, c.headline)}</a></h3>
                            {
                                let tags = card_tags(l, &c);
                                (!tags.is_empty()).then(|| view! {
                                    <p class="tags">{tags.into_iter().map(|(text, class)| view! { <span class=class>{text}</span> }).collect_view()}</p>
                                })
                            }
                            {(!c.occupations.is_empty()).then(|| view! { <p>{c.occupations.join("; ")}</p> })}
                            {c.need.clone().map(|(id, t)| view! { <p>{l.t("profile-for-need")} " " <a href=format!("/behov/{id}")>{t}</a></p> })}
                        </li>
                    }.into_any()
                }
            }).collect_view()}
        </ul>
    }
}

/// A ring's released profiles.
#[component]
pub fn RingProfilesPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(move || id.get(), list_ring_profiles);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match data.await {
                    Ok(r) => {
                        let title = l.t_args("profiles-title", &[("ring", r.ring_name.clone())]);
                        view! {
                            <Title text=title.clone() />
                            <h1>{title}</h1>
                            <p>{l.t("profiles-intro")}</p>
                            // The cards' headings are h3s: an h2 above them keeps the outline whole.
                            <h2>{l.t_args("profiles-count", &[("count", r.profiles.len().to_string())])}</h2>
                            {if r.profiles.is_empty() {
                                view! { <p>{l.t("profiles-none")}</p> }.into_any()
                            } else {
                                view! { <ProfileCards cards=r.profiles /> }.into_any()
                            }}
                            <p><a href=format!("/ringar/{}", r.ring_id)>{l.t_args("pool-back", &[("ring", r.ring_name)])}</a></p>
                        }.into_any()
                    }
                    Err(e) => view! { <Title text=l.t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The need page's section of released profiles (the router hands it to
/// `needs::pages::NeedPage`).
pub fn need_profiles_section(need_id: i32) -> AnyView {
    view! { <NeedProfiles need_id /> }.into_any()
}

/// The live profiles released for a need, on the need's page.
#[component]
pub fn NeedProfiles(need_id: i32) -> impl IntoView {
    let data = Resource::new(move || need_id, need_profiles);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let l = use_locale();
                match data.await {
                    Ok(cards) if !cards.is_empty() => Some(view! {
                        <section aria-labelledby="need-profiles-heading">
                            <h2 id="need-profiles-heading">{l.t("need-profiles")}</h2>
                            <ProfileCards cards />
                        </section>
                    }),
                    _ => None,
                }
            })}
        </Suspense>
    }
}

fn interest_status(l: Locale, i: &InterestView) -> String {
    let mut parts = vec![l.t_args(
        "interest-asked",
        &[
            ("firm", i.firm_name.clone()),
            ("when", l.datetime(i.created_at)),
        ],
    )];
    if let Some(at) = i.meeting_at {
        parts.push(l.t_args(
            "interest-meeting",
            &[("when", l.datetime(at)), ("place", i.meeting_place.clone())],
        ));
    }
    if let Some(name) = &i.candidate_name
        && i.candidate_agreed
    {
        parts.push(l.t_args("interest-agreed-name", &[("name", name.clone())]));
    }
    if let Some(o) = i.outcome {
        parts.push(format!(
            "{}: {}",
            l.t("interest-outcome"),
            l.t(o.label_key())
        ));
    }
    parts.join(" · ")
}

/// One released profile: the facts, and the firm's interest.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let interest = ServerAction::<ExpressInterest>::new();
    let data = Resource::new(move || code.get(), profile);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <ProfileViewPage v interest /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProfileViewPage(v: ProfileView, interest: ServerAction<ExpressInterest>) -> impl IntoView {
    let l = use_locale();
    let asked_flag = query_flag("intresse");
    let result = Signal::derive(move || interest.value().get());
    let title = l.t_args("profile-title", &[("code", v.pseudonym.clone())]);
    let back = view! { <p><a href=format!("/ringar/{}/profiler", v.ring.0)>{l.t_args("profiles-back", &[("ring", v.ring.1.clone())])}</a></p> };
    let Some(p) = v.profile.clone() else {
        return view! {
            <Title text=title.clone() />
            <h1>{title}</h1>
            <p class="notice" role="status">{l.t("profile-withdrawn-text")}</p>
            {back}
        }
        .into_any();
    };
    let can_ask = !v.staff && v.interests.is_empty();
    view! {
        <Title text=title.clone() />
        <h1>{format!("{} – {}", v.pseudonym, p.headline)}</h1>
        <p>{l.t_args("profile-released", &[("ring", v.ring.1.clone()), ("date", l.datetime(v.released_at))])}</p>
        {v.need.clone().map(|(id, t)| view! { <p>{l.t("profile-for-need")} " " <a href=format!("/behov/{id}")>{t}</a></p> })}
        {saved_notice("interest-sent", asked_flag)}
        // The page's main action, before the facts a phone scrolls through.
        {can_ask.then(|| view! { <p><a class="button" href="#interest-heading">{l.t("profile-ask")}</a></p> })}
        <ProfileFacts p />
        <section aria-labelledby="interest-heading">
            <h2 id="interest-heading">{l.t("interest-heading")}</h2>
            {if v.interests.is_empty() {
                view! { <p>{l.t("interest-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {v.interests.iter().map(|i| view! {
                            <li>
                                <p>{interest_status(l, i)}</p>
                                <blockquote>{i.message.clone()}</blockquote>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_ask.then(|| view! {
                <PostForm action=interest once=true attr:novalidate="novalidate">
                    <input type="hidden" name="pseudonym" value=v.pseudonym.clone() />
                    <ErrorSummary result fields=vec![("message", l.t("interest-message"))] />
                    <TextField name="message" label=l.t("interest-message") hint=l.t("interest-message-hint") required=true multiline=true maxlength=1000 result />
                    <button type="submit" class="button">{l.t("interest-submit")}</button>
                </PostForm>
            })}
        </section>
        {back}
    }
    .into_any()
}

/// The coordinators' inbox of interest.
#[component]
pub fn InboxPage() -> impl IntoView {
    let l = use_locale();
    let meeting = ServerAction::<ArrangeMeeting>::new();
    let agreed = ServerAction::<ConfirmAgreed>::new();
    let outcome = ServerAction::<RecordOutcome>::new();
    let data = Resource::new(|| (), |_| interest_inbox());
    view! {
        <Title text=l.t("inbox-title") />
        <h1>{l.t("inbox-title")}</h1>
        <p>{l.t("inbox-intro")}</p>
        {saved_notice("interest-meeting-saved", query_is("sparat", "mote"))}
        {saved_notice("interest-agreed-saved", query_is("sparat", "samtycke"))}
        {saved_notice("interest-outcome-saved", query_is("sparat", "utfall"))}
        <ActionErrors meeting agreed outcome />
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(inbox) => view! { <InboxList inbox meeting agreed outcome /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn first_error<T>(result: ActionResult<T>, fields: &[(&str, String)]) -> Option<String> {
    let l = use_locale();
    match result {
        Some(Err(e)) => Some(match e.field_errors() {
            Some(f) => fields
                .iter()
                .filter_map(|(name, label)| f.get(name).map(|k| format!("{label}: {}", l.t(k))))
                .collect::<Vec<_>>()
                .join(" "),
            None => crate::ui::error_text(&e),
        }),
        _ => None,
    }
}

#[component]
fn ActionErrors(
    meeting: ServerAction<ArrangeMeeting>,
    agreed: ServerAction<ConfirmAgreed>,
    outcome: ServerAction<RecordOutcome>,
) -> impl IntoView {
    move || {
        let l = use_locale();
        let fields = [
            ("meeting_date", l.t("interest-meeting-date")),
            ("meeting_time", l.t("interest-meeting-time")),
            ("meeting_place", l.t("interest-meeting-place")),
            ("outcome", l.t("interest-outcome")),
            ("outcome_on", l.t("interest-outcome-on")),
            ("employment_form", l.t("need-employment-form")),
        ];
        // A refused post comes back with its action's error; the page shows it once,
        // above the list (the inbox's rows share their fields' names).
        first_error(meeting.value().get(), &fields)
            .or_else(|| first_error(agreed.value().get(), &fields))
            .or_else(|| first_error(outcome.value().get(), &fields))
            .map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })
    }
}

#[component]
fn InboxList(
    inbox: Inbox,
    meeting: ServerAction<ArrangeMeeting>,
    agreed: ServerAction<ConfirmAgreed>,
    outcome: ServerAction<RecordOutcome>,
) -> impl IntoView {
    let l = use_locale();
    if inbox.rows.is_empty() {
        return view! { <p>{l.t("inbox-none")}</p> }.into_any();
    }
    let outcomes: Vec<(String, String)> = Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_owned(), l.t(o.label_key())))
        .collect();
    let forms: Vec<(String, String)> = EmploymentForm::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), l.t(f.label_key())))
        .collect();
    let today = inbox.today.to_string();
    view! {
        <ul class="cards">
            {inbox.rows.into_iter().map(|row| {
                let i = row.interest.clone();
                let iid = i.id;
                let ids = move |name: &str| format!("{name}-{iid}");
                let today = today.clone();
                let open = row.release_active && i.outcome.is_none();
                let outcome_options = outcomes.iter().map(|(v, t)| view! { <option value=v.clone()>{t.clone()}</option> }).collect_view();
                let form_options = forms.iter().map(|(v, t)| view! { <option value=v.clone()>{t.clone()}</option> }).collect_view();
                view! {
                    <li class="card" id=format!("intresse-{iid}")>
                        <h2>
                            <a href=format!("/profiler/{}", row.pseudonym)>{row.pseudonym.clone()}</a>
                            {format!(" – {} – ", row.ring_name)}
                            <a href=format!("/deltagare/{}", row.candidate.0)>{row.candidate.1.clone()}</a>
                        </h2>
                        <p>{interest_status(l, &i)}</p>
                        <p>{l.t_args("interest-asked-by", &[("name", i.asked_by.clone())])}</p>
                        <blockquote>{i.message.clone()}</blockquote>
                        {(!row.release_active).then(|| view! { <p><span class="tag tag--warning">{l.t("profile-withdrawn")}</span></p> })}
                        {open.then(|| view! {
                            <details open=i.meeting_at.is_none()>
                                <summary>{l.t("interest-arrange")}</summary>
                                <PostForm action=meeting attr:novalidate="novalidate">
                                    <input type="hidden" name="interest_id" value=iid.to_string() />
                                    <div class="field">
                                        <label for=ids("meeting_date")>{l.t("interest-meeting-date")}</label>
                                        <input id=ids("meeting_date") type="date" name="meeting_date" required min=today.clone() />
                                    </div>
                                    <div class="field">
                                        <label for=ids("meeting_time")>{l.t("interest-meeting-time")}</label>
                                        <input id=ids("meeting_time") type="time" name="meeting_time" required />
                                    </div>
                                    <div class="field">
                                        <label for=ids("meeting_place")>{l.t("interest-meeting-place")}</label>
                                        <input id=ids("meeting_place") type="text" name="meeting_place" required maxlength="300" value=i.meeting_place.clone() />
                                    </div>
                                    <button type="submit" class="button">{l.t("interest-arrange-submit")}</button>
                                </PostForm>
                            </details>
                            {(i.meeting_at.is_some() && !i.candidate_agreed).then(|| view! {
                                <PostForm action=agreed>
                                    <input type="hidden" name="interest_id" value=iid.to_string() />
                                    <p class="field__hint">{l.t("interest-agreed-hint")}</p>
                                    <button type="submit" class="button">{l.t("interest-agreed-submit")}</button>
                                </PostForm>
                            })}
                            {i.meeting_at.is_some().then(|| view! {
                                <details>
                                    <summary>{l.t("interest-outcome-record")}</summary>
                                    <PostForm action=outcome attr:novalidate="novalidate">
                                        <input type="hidden" name="interest_id" value=iid.to_string() />
                                        <div class="field">
                                            <label for=ids("outcome")>{l.t("interest-outcome")}</label>
                                            <select id=ids("outcome") name="outcome" required>
                                                <option value="">{l.t("form-choose")}</option>
                                                {outcome_options}
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for=ids("outcome_on")>{l.t("interest-outcome-on")}</label>
                                            <p class="field__hint" id=ids("outcome_on-hint")>{l.t("interest-outcome-on-hint")}</p>
                                            <input id=ids("outcome_on") type="date" name="outcome_on" required aria-describedby=ids("outcome_on-hint") />
                                        </div>
                                        <div class="field">
                                            <label for=ids("employment_form")>{l.t("need-employment-form")}</label>
                                            <p class="field__hint" id=ids("employment_form-hint")>{l.t("interest-form-hint")}</p>
                                            <select id=ids("employment_form") name="employment_form" aria-describedby=ids("employment_form-hint")>
                                                <option value="">{l.t("form-none")}</option>
                                                {form_options}
                                            </select>
                                        </div>
                                        <button type="submit" class="button">{l.t("interest-outcome-submit")}</button>
                                    </PostForm>
                                </details>
                            })}
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
