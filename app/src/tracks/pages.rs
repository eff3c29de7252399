//! `/jobbspar`: the job tracks — the list, a new track (from a row of the analysis),
//! editing one, and a track's page: for staff the firms' commitments, the
//! participants and a ranked list to enrol from; for a firm asked to commit its
//! answer and, once it confirmed, the participants' released profiles. And the
//! candidate page's list of their tracks (the router hands it to the timeline).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    AnswerCommitment, CandidateTrack, CommitmentView, CreateTrack, EndParticipation,
    EnrolCandidate, FirmTrack, ProposeCommitment, SetTrackStatus, StaffTrack, TrackFacts,
    TrackFormChoices, TrackPage as TrackData, UpdateTrack, candidate_tracks, get_track,
    list_tracks,
    model::{CommitmentStatus, ParticipantStatus, SEATS_MAX, TrackForm, TrackStatus},
    track_choices,
};
use crate::{
    candidates::{model::weights, pages::ScoreExplanation},
    field,
    i18n::{Locale, use_locale},
    needs::{model::SwedishLevel, pages::OccupationField},
    releases::pages::ProfileCards,
    ui::{
        ActionResult, ErrorMessage, ErrorSummary, PostForm, SelectField, TextField, button_form,
        id_param, or_dash, query_is, saved_notice,
    },
};

fn status_tag(l: Locale, s: TrackStatus) -> impl IntoView {
    let class = match s {
        TrackStatus::Planned => "tag",
        TrackStatus::Running => "tag tag--success",
        TrackStatus::Completed | TrackStatus::Cancelled => "tag tag--closed",
    };
    view! { <span class=class>{l.t(s.label_key())}</span> }
}

fn commitment_tag(l: Locale, s: CommitmentStatus) -> impl IntoView {
    let class = match s {
        CommitmentStatus::Proposed => "tag tag--warning",
        CommitmentStatus::Confirmed => "tag tag--success",
        CommitmentStatus::Declined => "tag tag--closed",
    };
    view! { <span class=class>{l.t(s.label_key())}</span> }
}

/// Where someone's place in a track stands: "Enrolled 2026-11-02", "Left 2026-12-01".
fn place_in_track(
    l: Locale,
    status: ParticipantStatus,
    enrolled_on: chrono::NaiveDate,
    ended_on: Option<chrono::NaiveDate>,
) -> String {
    match (status, ended_on) {
        (ParticipantStatus::Enrolled, _) => {
            l.t_args("track-enrolled-on", &[("date", l.date(enrolled_on))])
        }
        (s, Some(d)) => format!("{} {}", l.t(s.label_key()), l.date(d)),
        (s, None) => l.t(s.label_key()),
    }
}

/// The list of tracks.
#[component]
pub fn TracksPage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(|| (), |_| list_tracks());
    view! {
        <Title text=l.t("tracks-title") />
        <h1>{l.t("tracks-title")}</h1>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match data.await {
                    Ok(list) => {
                        let intro = if list.staff { "tracks-intro-staff" } else { "tracks-intro-firm" };
                        let rows = list.tracks.iter().map(|t| {
                            let f = &t.facts;
                            let heading = format!("track-{}", f.id);
                            view! {
                                <li>
                                    <h2 id=heading class="card__title"><a href=format!("/jobbspar/{}", f.id)>{f.title.clone()}</a></h2>
                                    <p>{status_tag(l, f.status)} " " {t.own.map(|o| commitment_tag(l, o))}</p>
                                    <dl class="facts">
                                        <dt>{l.t("track-occupation")}</dt><dd>{f.occupation.label()}</dd>
                                        <dt>{l.t("track-ring")}</dt><dd>{f.ring.1.clone()}</dd>
                                        <dt>{l.t("track-dates")}</dt><dd>{format!("{} – {}", l.date(f.starts_on), l.date(f.ends_on))}</dd>
                                        <dt>{l.t("track-seats-taken")}</dt><dd>{l.t_args("track-seats-of", &[("taken", t.enrolled.to_string()), ("seats", f.seats.to_string())])}</dd>
                                        <dt>{l.t("track-places")}</dt><dd>{l.t_args("track-places-value", &[("internships", t.internships.to_string()), ("jobs", t.jobs.to_string())])}</dd>
                                    </dl>
                                    {(list.staff && t.waiting > 0).then(|| view! { <p>{l.t_args("track-waiting", &[("count", t.waiting.to_string())])}</p> })}
                                </li>
                            }
                        }).collect_view();
                        view! {
                            <p>{l.t(intro)}</p>
                            {list.staff.then(|| view! { <p><a class="button" href="/jobbspar/nytt">{l.t("tracks-new")}</a> " " <a href="/analys">{l.t("tracks-from-analysis")}</a></p> })}
                            {if list.tracks.is_empty() {
                                view! { <p>{l.t("tracks-none")}</p> }.into_any()
                            } else {
                                view! { <ul class="card-list">{rows}</ul> }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The track form's fields (new and edit).
#[component]
fn TrackFields<T: Clone + Send + Sync + 'static>(
    choices: TrackFormChoices,
    result: Signal<ActionResult<T>>,
) -> impl IntoView {
    let l = use_locale();
    let t = choices.track.clone();
    let v = move |get: fn(&TrackFacts) -> String| t.as_ref().map(get);
    let rings: Vec<(String, String)> = choices
        .rings
        .iter()
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect();
    let ring = choices
        .track
        .as_ref()
        .map(|t| t.ring.0)
        .or(choices.ring)
        .map(|r| r.to_string());
    let occupation = choices
        .track
        .as_ref()
        .map(|t| t.occupation.label())
        .or(choices.occupation.clone());
    let levels: Vec<(String, String)> = SwedishLevel::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.as_str().to_owned()))
        .collect();
    view! {
        <ErrorSummary result fields=vec![
            (field!(TrackForm, ring_id), l.t("track-ring")), (field!(TrackForm, occupation), l.t("track-occupation")),
            (field!(TrackForm, title), l.t("track-name")), (field!(TrackForm, training_name), l.t("track-training")),
            (field!(TrackForm, provider), l.t("track-provider")), (field!(TrackForm, starts_on), l.t("track-starts-on")),
            (field!(TrackForm, ends_on), l.t("track-ends-on")), (field!(TrackForm, seats), l.t("track-seats")),
            (field!(TrackForm, swedish_level), l.t("track-swedish-level")), (field!(TrackForm, swedish_for_trade), l.t("track-swedish-for-trade")),
        ] />
        <SelectField name=field!(TrackForm, ring_id) label=l.t("track-ring") hint=l.t("track-ring-hint") required=true options=rings empty=l.t("form-choose") value=ring result />
        <OccupationField name=field!(TrackForm, occupation) label=l.t("track-occupation") hint=l.t("track-occupation-hint") list="track-occupations" result value=occupation />
        <TextField name=field!(TrackForm, title) label=l.t("track-name") hint=l.t("track-name-hint") required=true maxlength=120 autocomplete="off" result value=v(|t| t.title.clone()) />
        <TextField name=field!(TrackForm, training_name) label=l.t("track-training") required=true maxlength=160 autocomplete="off" result value=v(|t| t.training_name.clone()) />
        <TextField name=field!(TrackForm, provider) label=l.t("track-provider") hint=l.t("track-provider-hint") required=true maxlength=160 autocomplete="off" result value=v(|t| t.provider.clone()) />
        <TextField name=field!(TrackForm, starts_on) kind="date" label=l.t("track-starts-on") required=true result value=v(|t| t.starts_on.to_string()) />
        <TextField name=field!(TrackForm, ends_on) kind="date" label=l.t("track-ends-on") required=true result value=v(|t| t.ends_on.to_string()) />
        <TextField name=field!(TrackForm, seats) kind="number" label=l.t("track-seats") hint=l.t_args("track-seats-hint", &[("max", SEATS_MAX.to_string())]) required=true result value=v(|t| t.seats.to_string()) />
        <SelectField name=field!(TrackForm, swedish_level) label=l.t("track-swedish-level") hint=l.t("track-swedish-level-hint") options=levels empty=l.t("track-swedish-none") value=v(|t| t.swedish_level.clone()) result />
        <TextField name=field!(TrackForm, swedish_for_trade) label=l.t("track-swedish-for-trade") hint=l.t("track-swedish-for-trade-hint") multiline=true maxlength=1000 result value=v(|t| t.swedish_for_trade.clone()) />
    }
}

/// A new track; `?yrke=` and `?ring=` (from a row of the analysis) fill in the
/// occupation and the ring.
#[component]
pub fn NewTrackPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        (
            q.get("ring").unwrap_or_default(),
            q.get("yrke").unwrap_or_default(),
        )
    };
    let data = Resource::new(asked, |(ring, yrke)| track_choices(ring, yrke, None));
    let create = ServerAction::<CreateTrack>::new();
    let result = Signal::derive(move || create.value().get());
    view! {
        <Title text=l.t("tracks-new") />
        <h1>{l.t("tracks-new")}</h1>
        <p><a href="/jobbspar">{l.t("tracks-back")}</a></p>
        <p>{l.t("tracks-new-intro")}</p>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match data.await {
                    Ok(choices) => view! {
                        <PostForm action=create once=true attr:novalidate="novalidate">
                            <TrackFields choices result />
                            <button type="submit" class="button">{l.t("tracks-create")}</button>
                        </PostForm>
                    }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Editing a planned or running track.
#[component]
pub fn EditTrackPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(
        move || id.get(),
        |id| track_choices(String::new(), String::new(), Some(id)),
    );
    let update = ServerAction::<UpdateTrack>::new();
    let result = Signal::derive(move || update.value().get());
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match data.await {
                    Ok(choices) => {
                        let Some(t) = choices.track.clone() else {
                            return view! { <ErrorMessage error=crate::error::AppError::NotFound /> }.into_any();
                        };
                        let title = l.t_args("track-edit-title", &[("track", t.title.clone())]);
                        view! {
                            <Title text=title.clone() />
                            <h1>{title}</h1>
                            <p><a href=format!("/jobbspar/{}", t.id)>{l.t("track-back")}</a></p>
                            <PostForm action=update attr:novalidate="novalidate">
                                <input type="hidden" name="track_id" value=t.id.to_string() />
                                <TrackFields choices result />
                                <button type="submit" class="button">{l.t("save")}</button>
                            </PostForm>
                        }.into_any()
                    }
                    Err(e) => view! { <Title text=l.t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One track, as the caller may see it.
#[component]
pub fn TrackPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(move || id.get(), get_track);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(TrackData::Staff(t)) => view! { <StaffTrackView t /> }.into_any(),
                    Ok(TrackData::Firm(t)) => view! { <FirmTrackView t /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The track's own details.
#[component]
fn TrackFactsList(f: TrackFacts) -> impl IntoView {
    let l = use_locale();
    view! {
        <dl class="facts">
            <dt>{l.t("track-status")}</dt><dd>{status_tag(l, f.status)}</dd>
            <dt>{l.t("track-occupation")}</dt><dd>{f.occupation.label()}</dd>
            <dt>{l.t("track-ring")}</dt><dd><a href=format!("/ringar/{}", f.ring.0)>{f.ring.1.clone()}</a></dd>
            <dt>{l.t("track-training")}</dt><dd>{f.training_name.clone()}</dd>
            <dt>{l.t("track-provider")}</dt><dd>{f.provider.clone()}</dd>
            <dt>{l.t("track-dates")}</dt><dd>{format!("{} – {}", l.date(f.starts_on), l.date(f.ends_on))}</dd>
            <dt>{l.t("track-seats")}</dt><dd>{f.seats.to_string()}</dd>
            <dt>{l.t("track-swedish-level")}</dt><dd>{if f.swedish_level.is_empty() { l.t("track-swedish-none") } else { f.swedish_level.clone() }}</dd>
            <dt>{l.t("track-swedish-for-trade")}</dt><dd class="pre-line">{or_dash(&f.swedish_for_trade)}</dd>
        </dl>
    }
}

fn answered_line(l: Locale, c: &CommitmentView) -> Option<String> {
    c.answered.as_ref().map(|(who, at)| {
        l.t_args(
            "track-answered",
            &[("name", who.clone()), ("when", l.datetime(*at))],
        )
    })
}

#[component]
fn StaffTrackView(t: StaffTrack) -> impl IntoView {
    let l = use_locale();
    let status = ServerAction::<SetTrackStatus>::new();
    let propose = ServerAction::<ProposeCommitment>::new();
    let enrol = ServerAction::<EnrolCandidate>::new();
    let end = ServerAction::<EndParticipation>::new();
    let status_result = Signal::derive(move || status.value().get());
    let propose_result = Signal::derive(move || propose.value().get());
    let enrol_result = Signal::derive(move || enrol.value().get());
    let end_result = Signal::derive(move || end.value().get());
    let f = t.facts.clone();
    let tid = f.id;
    let open = f.status.is_open();
    let taking_part = t
        .participants
        .iter()
        .filter(|p| p.status == ParticipantStatus::Enrolled)
        .count();
    let full = i32::try_from(taking_part).unwrap_or(i32::MAX) >= f.seats;
    // Starting is a step forward; completing and cancelling cannot be undone and end
    // everyone's place, so they ask once more, behind a disclosure (no script needed).
    let moves = f
        .status
        .next()
        .iter()
        .map(|s| {
            let label = l.t(&format!("track-move-{}", s.as_str()));
            let form = button_form!(
                status,
                vec![
                    ("track_id", tid.to_string()),
                    ("status", s.as_str().to_owned())
                ],
                label.clone()
            );
            if *s == TrackStatus::Running {
                form.into_any()
            } else {
                let warning = l.t(&format!("track-move-{}-warning", s.as_str()));
                view! {
                    <details class="card">
                        <summary>{label}</summary>
                        <p>{warning}</p>
                        {form}
                    </details>
                }
                .into_any()
            }
        })
        .collect_view();
    let (confirmed_internships, confirmed_jobs) = t
        .firms
        .iter()
        .filter(|c| c.status == CommitmentStatus::Confirmed)
        .fold((0, 0), |(i, j), c| (i + c.internships, j + c.jobs));
    let firm_rows = t.firms.iter().map(|c| view! {
        <tr>
            <th scope="row"><a href=format!("/foretag/{}", c.firm.0)>{c.firm.1.clone()}</a></th>
            <td>{c.internships.to_string()}</td>
            <td>{c.jobs.to_string()}</td>
            <td>{commitment_tag(l, c.status)} {answered_line(l, c).map(|a| view! { <br /> <span class="field__hint">{a}</span> })}</td>
            <td class="pre-line">{or_dash(&c.note)}</td>
        </tr>
    }).collect_view();
    let firm_choices: Vec<(String, String)> = t
        .firm_choices
        .iter()
        .chain(
            t.firms
                .iter()
                .filter(|c| c.status != CommitmentStatus::Confirmed)
                .map(|c| &c.firm),
        )
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect();
    let enrolled_choices: Vec<(String, String)> = t
        .participants
        .iter()
        .filter(|p| p.status == ParticipantStatus::Enrolled)
        .map(|p| (p.id.to_string(), p.candidate.1.clone()))
        .collect();
    let participant_rows = t.participants.iter().map(|p| {
        let cid = p.candidate.0;
        let state = place_in_track(l, p.status, p.enrolled_on, p.ended_on);
        let shared = match (&p.pseudonym, p.consent) {
            (Some(code), _) => view! { <a href=format!("/profiler/{code}")>{code.clone()}</a> }.into_any(),
            (None, true) => view! { <a href=format!("/deltagare/{cid}/dela?ring={}", f.ring.0)>{l.t("track-share")}</a> }.into_any(),
            (None, false) => view! { <span class="tag tag--warning">{l.t("track-no-consent")}</span> }.into_any(),
        };
        view! {
            <li>
                <h3 class="card__title"><a href=format!("/deltagare/{cid}")>{p.candidate.1.clone()}</a></h3>
                <p>{state}</p>
                <p>{l.t("track-profile")} ": " {shared}</p>
            </li>
        }
    }).collect_view();
    let ranked = t.ranked.iter().map(|r| {
        let cid = r.score.candidate_id;
        view! {
            <li>
                <h3 class="card__title"><a href=format!("/deltagare/{cid}")>{r.name.clone()}</a></h3>
                <p><strong>{l.t_args("match-total", &[("total", r.score.total.to_string()), ("max", weights::MAX.to_string())])}</strong></p>
                <p>
                    {r.job_ready.then(|| view! { <span class="tag tag--success">{l.t("match-state-job-ready")}</span> " " })}
                    {if r.consent {
                        view! { <span class="tag">{l.t("track-consent-covers")}</span> }.into_any()
                    } else {
                        view! { <a class="tag tag--warning" href=format!("/deltagare/{cid}/samtycken")>{l.t("track-no-consent")}</a> }.into_any()
                    }}
                </p>
                <details class="score-details">
                    <summary>{l.t_args("match-why", &[("name", r.name.clone())])}</summary>
                    <ScoreExplanation score=r.score.clone() />
                </details>
                {(open && r.consent && !full).then(|| button_form!(enrol, vec![("track_id", tid.to_string()), ("candidate_id", cid.to_string())], l.t_args("track-enrol", &[("name", r.name.clone())])))}
            </li>
        }
    }).collect_view();
    let title = f.title.clone();
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p><a href="/jobbspar">{l.t("tracks-back")}</a></p>
        {saved_notice("track-saved", query_is("sparat", "1"))}
        {saved_notice("track-status-saved", query_is("sparat", "status"))}
        <ErrorSummary result=status_result fields=vec![] />
        <TrackFactsList f=f.clone() />
        {open.then(|| view! {
            <p><a href=format!("/jobbspar/{tid}/redigera")>{l.t("track-edit")}</a></p>
            <div class="button-row">{moves}</div>
        })}

        <section aria-labelledby="firms-heading">
            <h2 id="firms-heading">{l.t("track-firms")}</h2>
            {saved_notice("track-proposed", query_is("sparat", "foretag"))}
            <p>{l.t_args("track-places-confirmed", &[("internships", confirmed_internships.to_string()), ("jobs", confirmed_jobs.to_string())])}</p>
            {if t.firms.is_empty() {
                view! { <p>{l.t("track-firms-none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">{l.t("track-firms")}</caption>
                            <thead><tr>
                                <th scope="col">{l.t("track-firm")}</th>
                                <th scope="col">{l.t("track-internships")}</th>
                                <th scope="col">{l.t("track-jobs")}</th>
                                <th scope="col">{l.t("track-answer")}</th>
                                <th scope="col">{l.t("track-note")}</th>
                            </tr></thead>
                            <tbody>{firm_rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(open && !firm_choices.is_empty()).then(|| view! {
                <div class="card">
                    <h3>{l.t("track-propose")}</h3>
                    <p>{l.t("track-propose-intro")}</p>
                    <PostForm action=propose attr:novalidate="novalidate">
                        <input type="hidden" name="track_id" value=tid.to_string() />
                        <ErrorSummary result=propose_result fields=vec![("firm_id", l.t("track-firm")), ("internships", l.t("track-internships")), ("jobs", l.t("track-jobs"))] />
                        <SelectField name="firm_id" label=l.t("track-firm") required=true options=firm_choices empty=l.t("form-choose") result=propose_result />
                        <TextField name="internships" kind="number" label=l.t("track-internships") required=true result=propose_result value="1".to_owned() />
                        <TextField name="jobs" kind="number" label=l.t("track-jobs") required=true result=propose_result value="0".to_owned() />
                        <button type="submit" class="button">{l.t("track-propose-submit")}</button>
                    </PostForm>
                </div>
            })}
        </section>

        <section aria-labelledby="participants-heading">
            <h2 id="participants-heading">{l.t("track-participants")}</h2>
            {saved_notice("track-enrolled", query_is("sparat", "deltagare"))}
            {saved_notice("track-ended", query_is("sparat", "avslutad"))}
            <ErrorSummary result=end_result fields=vec![("participant_id", l.t("track-candidate")), ("outcome", l.t("track-end-outcome")), ("ended_on", l.t("track-end-on"))] />
            <p>{l.t_args("track-seats-of", &[("taken", taking_part.to_string()), ("seats", f.seats.to_string())])}</p>
            {if t.participants.is_empty() {
                view! { <p>{l.t("track-participants-none")}</p> }.into_any()
            } else {
                view! { <ul class="card-list">{participant_rows}</ul> }.into_any()
            }}
            {(!enrolled_choices.is_empty()).then(|| view! {
                <details class="card" open=end_result.get_untracked().is_some_and(|r| r.is_err())>
                    <summary>{l.t("track-end")}</summary>
                    <PostForm action=end attr:novalidate="novalidate">
                        <input type="hidden" name="track_id" value=tid.to_string() />
                        <SelectField name="participant_id" label=l.t("track-candidate") required=true options=enrolled_choices empty=l.t("form-choose") result=end_result />
                        <SelectField name="outcome" label=l.t("track-end-outcome") required=true options=vec![
                            ("completed".to_owned(), l.t("track-participant-completed")),
                            ("left".to_owned(), l.t("track-participant-left")),
                        ] empty=l.t("form-choose") result=end_result />
                        <TextField name="ended_on" kind="date" label=l.t("track-end-on") required=true result=end_result value=t.today.to_string() />
                        <button type="submit" class="button">{l.t("track-end-submit")}</button>
                    </PostForm>
                </details>
            })}
        </section>

        {open.then(|| view! {
            <section aria-labelledby="ranked-heading">
                <h2 id="ranked-heading">{l.t("track-ranked")}</h2>
                <p>{l.t_args("track-ranked-intro", &[("count", t.considered.to_string())])}</p>
                {full.then(|| view! { <p class="notice">{l.t("track-full")}</p> })}
                <ErrorSummary result=enrol_result fields=vec![("candidate_id", l.t("track-candidate"))] />
                {if t.ranked.is_empty() {
                    view! { <p>{l.t("track-ranked-none")}</p> }.into_any()
                } else {
                    view! { <ol class="card-list">{ranked}</ol> }.into_any()
                }}
            </section>
        })}
    }
}

#[component]
fn FirmTrackView(t: FirmTrack) -> impl IntoView {
    let l = use_locale();
    let answer = ServerAction::<AnswerCommitment>::new();
    let result = Signal::derive(move || answer.value().get());
    let f = t.facts.clone();
    let tid = f.id;
    let own = t.own.clone();
    let title = f.title.clone();
    let others = t.others.iter().map(|(name, i, j)| view! {
        <li>{l.t_args("track-other-firm", &[("firm", name.clone()), ("internships", i.to_string()), ("jobs", j.to_string())])}</li>
    }).collect_view();
    let asked = l.t_args(
        "track-asked",
        &[
            ("firm", own.firm.1.clone()),
            ("internships", own.internships.to_string()),
            ("jobs", own.jobs.to_string()),
        ],
    );
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p><a href="/jobbspar">{l.t("tracks-back")}</a></p>
        {saved_notice("track-answer-saved", query_is("sparat", "svar"))}
        <p>{l.t("track-firm-intro")}</p>
        <TrackFactsList f=f.clone() />

        <section aria-labelledby="answer-heading">
            <h2 id="answer-heading">{l.t("track-your-answer")}</h2>
            <p>{commitment_tag(l, own.status)} " " {answered_line(l, &own)}</p>
            <p>{asked}</p>
            {f.status.is_open().then(|| view! {
                <div class="card">
                    <PostForm action=answer attr:novalidate="novalidate">
                        <input type="hidden" name="track_id" value=tid.to_string() />
                        <ErrorSummary result fields=vec![("answer", l.t("track-answer")), ("internships", l.t("track-internships")), ("jobs", l.t("track-jobs")), ("note", l.t("track-note"))] />
                        <TextField name="internships" kind="number" label=l.t("track-internships") hint=l.t("track-internships-hint") required=true result value=own.internships.to_string() />
                        <TextField name="jobs" kind="number" label=l.t("track-jobs") required=true result value=own.jobs.to_string() />
                        <TextField name="note" label=l.t("track-note") hint=l.t("track-note-hint") multiline=true maxlength=500 result value=own.note.clone() />
                        <div class="button-row">
                            <button type="submit" class="button" name="answer" value="confirm">{l.t("track-confirm")}</button>
                            " "
                            <button type="submit" class="button button--secondary" name="answer" value="decline">{l.t("track-decline")}</button>
                        </div>
                    </PostForm>
                </div>
            })}
        </section>

        {(!t.others.is_empty()).then(|| view! {
            <section aria-labelledby="others-heading">
                <h2 id="others-heading">{l.t("track-other-firms")}</h2>
                <ul class="plain-list">{others}</ul>
            </section>
        })}

        <section aria-labelledby="profiles-heading">
            <h2 id="profiles-heading">{l.t("track-participants")}</h2>
            <p>{l.t_args("track-seats-of", &[("taken", t.enrolled.to_string()), ("seats", f.seats.to_string())])}</p>
            {if own.status != CommitmentStatus::Confirmed {
                view! { <p>{l.t("track-profiles-after-confirm")}</p> }.into_any()
            } else if t.profiles.is_empty() {
                view! { <p>{l.t("track-profiles-none")}</p> }.into_any()
            } else {
                view! { <p>{l.t("track-profiles-intro")}</p> <ProfileCards cards=t.profiles.clone() /> }.into_any()
            }}
        </section>
    }
}

/// The candidate page's tracks (the router hands it to `candidates::pages::CandidatePage`).
pub fn candidate_tracks_section(candidate_id: i32) -> AnyView {
    view! { <CandidateTracks candidate_id /> }.into_any()
}

/// A candidate's tracks, in their timeline.
#[component]
pub fn CandidateTracks(candidate_id: i32) -> impl IntoView {
    let data = Resource::new(move || candidate_id, candidate_tracks);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let l = use_locale();
                match data.await {
                    Ok(tracks) if !tracks.is_empty() => Some(view! {
                        <h3>{l.t("track-in-timeline")}</h3>
                        <ul class="plain-list">
                            {tracks.into_iter().map(|c: CandidateTrack| {
                                let state = place_in_track(l, c.status, c.enrolled_on, c.ended_on);
                                view! {
                                    <li>
                                        <strong>{format!("{} – {}", l.date(c.starts_on), l.date(c.ends_on))}</strong> " "
                                        <a href=format!("/jobbspar/{}", c.track_id)>{c.title.clone()}</a>
                                        {format!(" ({}). {state}", c.training)}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }),
                    _ => None,
                }
            })}
        </Suspense>
    }
}
