//! `/deltagare` (the list and a new candidate), `/deltagare/:id` (the record: facts,
//! languages, education, occupations, job-ready, plan, timeline, pools, fitting
//! needs), `/deltagare/:id/redigera` (the record's form, with the version check),
//! `/deltagare/:id/halsa` (obstacles and health, on request, audited),
//! `/ringar/:id/pool` and `/behov/:id/matchning` (ranking and shortlist).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    AddActivity, AddEducation, AddExperience, AddLanguage, AddPlanStep, AddPreference, AddToPool,
    Assess, CandidateDetail, CandidateList, CandidateStatus, CreateCandidate, RemoveFromPool,
    RemoveRow, SaveHealth, TogglePlanStep, UpdateCandidate, candidate_version, get_candidate,
    list_candidates,
    model::{
        ActivityForm, ActivityKind, CandidateForm, Criterion, EducationForm, ExitReason, Factor,
        Gender, Hours, ISCED_LEVELS, LANGUAGE_LEVELS, LANGUAGES, SFI_COURSES, Score, language_name,
        swedish_rank_label, weights,
    },
    read_health, ring_pool,
};
use crate::{
    error::AppError,
    field,
    i18n::{Locale, use_locale},
    needs::{model::EmploymentForm, pages::OccupationField},
    ui::{
        ActionResult, CheckboxField, ErrorMessage, ErrorSummary, PostForm, SelectField, TextField,
        button_form, or_dash, saved_notice,
    },
    ui::{id_param, query_flag, query_is},
};

fn choice_options<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    key: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    let l = use_locale();
    all.iter()
        .map(|c| (value(*c).to_owned(), l.t(key(*c))))
        .collect()
}

fn date_value(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn candidate_fields() -> Vec<(&'static str, String)> {
    let l = use_locale();
    vec![
        ("version", l.t("candidate-version")),
        (field!(CandidateForm, name), l.t("candidate-name")),
        (
            field!(CandidateForm, personnummer),
            l.t("candidate-personnummer"),
        ),
        (field!(CandidateForm, email), l.t("candidate-email")),
        (field!(CandidateForm, phone), l.t("candidate-phone")),
        (field!(CandidateForm, gender), l.t("candidate-gender")),
        (
            field!(CandidateForm, permit_date),
            l.t("candidate-permit-date"),
        ),
        (
            field!(CandidateForm, enrolled_on),
            l.t("candidate-enrolled-on"),
        ),
        (
            field!(CandidateForm, sfi_course),
            l.t("candidate-sfi-course"),
        ),
        (field!(CandidateForm, sfi_path), l.t("candidate-sfi-path")),
        (
            field!(CandidateForm, driving_licence),
            l.t("candidate-licence"),
        ),
        (
            field!(CandidateForm, available_from),
            l.t("candidate-available-from"),
        ),
        (field!(CandidateForm, hours), l.t("candidate-hours")),
        (
            field!(CandidateForm, availability_note),
            l.t("candidate-availability-note"),
        ),
    ]
}

/// The fields of the candidate form, empty or with the stored values.
#[component]
fn CandidateFormFields<T: Clone + Send + Sync + 'static>(
    result: Signal<ActionResult<T>>,
    #[prop(optional)] candidate: Option<CandidateDetail>,
    today: String,
) -> impl IntoView {
    let l = use_locale();
    let v = |f: fn(&CandidateDetail) -> String| candidate.as_ref().map(f);
    let sfi_courses = SFI_COURSES
        .iter()
        .map(|c| {
            (
                c.to_string(),
                l.t_args("candidate-sfi-course-option", &[("course", c.to_string())]),
            )
        })
        .collect();
    let sfi_paths = (1..=3)
        .map(|p| {
            (
                p.to_string(),
                l.t_args("candidate-sfi-path-option", &[("path", p.to_string())]),
            )
        })
        .collect();
    view! {
        <TextField name=field!(CandidateForm, name) label=l.t("candidate-name") required=true maxlength=120 autocomplete="off" result value=v(|c| c.name.clone()) />
        <TextField name=field!(CandidateForm, personnummer) label=l.t("candidate-personnummer") hint=l.t("candidate-personnummer-hint") required=true maxlength=20 autocomplete="off" result value=v(|c| c.personnummer.clone()) />
        <TextField name=field!(CandidateForm, email) kind="email" label=l.t("candidate-email") maxlength=254 autocomplete="off" result value=v(|c| c.email.clone()) />
        <TextField name=field!(CandidateForm, phone) kind="tel" label=l.t("candidate-phone") maxlength=30 autocomplete="off" result value=v(|c| c.phone.clone()) />
        <SelectField name=field!(CandidateForm, gender) label=l.t("candidate-gender") hint=l.t("candidate-gender-hint") required=true options=choice_options(Gender::ALL, Gender::as_str, Gender::label_key) empty=l.t("form-choose") result value=v(|c| c.gender.as_str().to_owned()) />
        <TextField name=field!(CandidateForm, permit_date) kind="date" label=l.t("candidate-permit-date") result value=v(|c| date_value(c.permit_date)) />
        <TextField name=field!(CandidateForm, enrolled_on) kind="date" label=l.t("candidate-enrolled-on") required=true result value=v(|c| c.enrolled_on.to_string()).or(Some(today)) />
        <SelectField name=field!(CandidateForm, sfi_course) label=l.t("candidate-sfi-course") options=sfi_courses empty=l.t("form-none") result value=v(|c| c.sfi_course.clone()) />
        <SelectField name=field!(CandidateForm, sfi_path) label=l.t("candidate-sfi-path") options=sfi_paths empty=l.t("form-none") result value=v(|c| c.sfi_path.map(|p| p.to_string()).unwrap_or_default()) />
        <TextField name=field!(CandidateForm, driving_licence) label=l.t("candidate-licence") hint=l.t("candidate-licence-hint") maxlength=32 autocomplete="off" result value=v(|c| c.driving_licence.replace(',', ", ")) />
        <TextField name=field!(CandidateForm, available_from) kind="date" label=l.t("candidate-available-from") hint=l.t("candidate-available-from-hint") result value=v(|c| date_value(c.available_from)) />
        <SelectField name=field!(CandidateForm, hours) label=l.t("candidate-hours") required=true options=choice_options(Hours::ALL, Hours::as_str, Hours::label_key) result value=v(|c| c.hours.as_str().to_owned()).or(Some("full".to_owned())) />
        <TextField name=field!(CandidateForm, availability_note) label=l.t("candidate-availability-note") maxlength=300 result value=v(|c| c.availability_note.clone()) />
    }
}

/// The list of candidates, a search, and the form for a new one.
#[component]
pub fn CandidatesPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("status").unwrap_or_default(),
        )
    };
    let create = ServerAction::<CreateCandidate>::new();
    let erased = query_flag("raderad");
    let list = Resource::new(params, |(q, status)| list_candidates(q, status));
    view! {
        <Title text=l.t("candidates-title") />
        <h1>{l.t("candidates-title")}</h1>
        {saved_notice("erase-done", erased)}
        <p>{l.t("candidates-intro")}</p>
        // The page's main action; the form is below the list, where a long list would hide it.
        <p><a class="button" href="#new-candidate-heading">{l.t("candidates-new")}</a></p>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <CandidateListView list create /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CandidateListView(list: CandidateList, create: ServerAction<CreateCandidate>) -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let q = query.read_untracked().get("q").unwrap_or_default();
    let status = query.read_untracked().get("status").unwrap_or_default();
    let result = Signal::derive(move || create.value().get());
    let today = list.today;
    let statuses = [
        ("", "candidates-filter-active"),
        ("ended", "candidates-filter-ended"),
        ("all", "candidates-filter-all"),
    ];
    let table = if list.candidates.is_empty() {
        view! { <p>{l.t("candidates-none")}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap" role="region" aria-labelledby="candidates-caption" tabindex="0">
                <table class="table--sticky-first">
                    <caption id="candidates-caption">{l.t_args("candidates-caption", &[("count", list.candidates.len().to_string())])}</caption>
                    <thead><tr>
                        <th scope="col">{l.t("candidate-name")}</th>
                        <th scope="col">{l.t("candidate-enrolled-on")}</th>
                        <th scope="col">{l.t("candidate-job-ready")}</th>
                        <th scope="col">{l.t("candidate-status")}</th>
                        <th scope="col">{l.t("candidate-latest")}</th>
                        <th scope="col">{l.t("candidate-next-step")}</th>
                        <th scope="col">{l.t("candidate-pools")}</th>
                    </tr></thead>
                    <tbody>
                        {list.candidates.into_iter().map(|c| {
                            let ready = match c.job_ready_since {
                                Some(d) => view! { <span class="tag tag--success">{l.t_args("candidate-job-ready-since", &[("date", l.date(d))])}</span> }.into_any(),
                                None => l.t_args("candidate-criteria-met", &[("met", c.criteria_met.to_string())]).into_any(),
                            };
                            let next = c.next_step.map(|(due, what)| view! {
                                {format!("{} – {what}", l.date(due))}
                                {(due < today).then(|| view! { " " <span class="tag tag--warning">{l.t("plan-overdue")}</span> })}
                            });
                            view! {
                                <tr>
                                    <th scope="row"><a href=format!("/deltagare/{}", c.id)>{c.name}</a></th>
                                    <td>{l.date(c.enrolled_on)}</td>
                                    <td>{ready}</td>
                                    <td>{l.t(c.status.label_key())}</td>
                                    <td>{c.latest.map(|(k, d)| format!("{} ({})", l.t(k.label_key()), l.date(d))).unwrap_or_else(|| "–".to_owned())}</td>
                                    <td>{next}</td>
                                    <td>{if c.pools.is_empty() { "–".to_owned() } else { c.pools.join(", ") }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <form method="get" action="/deltagare" class="search-form" role="search" aria-label=l.t("candidates-search")>
            <div class="field">
                <label for="q">{l.t("candidates-search")}</label>
                <input id="q" name="q" type="search" value=q autocomplete="off" />
            </div>
            <div class="field">
                <label for="status">{l.t("candidate-status")}</label>
                <select id="status" name="status">
                    {statuses.into_iter().map(|(value, key)| view! {
                        <option value=value selected=status == value>{l.t(key)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{l.t("candidates-search-submit")}</button>
        </form>
        {table}
        <section class="card" aria-labelledby="new-candidate-heading">
            <h2 id="new-candidate-heading">{l.t("candidates-new")}</h2>
            <PostForm action=create once=true attr:novalidate="novalidate">
                <ErrorSummary result fields=candidate_fields() />
                <CandidateFormFields result today=today.to_string() />
                <button type="submit" class="button">{l.t("candidates-new-submit")}</button>
            </PostForm>
        </section>
    }
}

/// A candidate's record. `tracks` draws the job tracks the candidate is in, in the
/// timeline (the router passes `tracks::pages::candidate_tracks_section`: tracks sit
/// above candidates).
#[component]
pub fn CandidatePage(#[prop(optional)] tracks: Option<fn(i32) -> AnyView>) -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let actions = CandidateActions::new();
    let detail = Resource::new(move || id.get(), get_candidate);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(c) => view! { <CandidateView c actions tracks /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <p><a href="/deltagare">{l.t("candidates-back")}</a></p>
    }
}

/// The forms of the record page. Each posts and comes back to the page: a success with
/// its section's "saved" flag, a refusal with its error and what was typed.
#[derive(Clone, Copy)]
struct CandidateActions {
    language: ServerAction<AddLanguage>,
    education: ServerAction<AddEducation>,
    experience: ServerAction<AddExperience>,
    preference: ServerAction<AddPreference>,
    remove: ServerAction<RemoveRow>,
    assess: ServerAction<Assess>,
    plan: ServerAction<AddPlanStep>,
    toggle: ServerAction<TogglePlanStep>,
    activity: ServerAction<AddActivity>,
    pool_add: ServerAction<AddToPool>,
    pool_remove: ServerAction<RemoveFromPool>,
}

impl CandidateActions {
    fn new() -> Self {
        Self {
            language: ServerAction::new(),
            education: ServerAction::new(),
            experience: ServerAction::new(),
            preference: ServerAction::new(),
            remove: ServerAction::new(),
            assess: ServerAction::new(),
            plan: ServerAction::new(),
            toggle: ServerAction::new(),
            activity: ServerAction::new(),
            pool_add: ServerAction::new(),
            pool_remove: ServerAction::new(),
        }
    }
}

fn explain(l: Locale, part: &Factor) -> String {
    match part {
        Factor::Occupation {
            shared,
            via,
            experience,
        } => match via {
            Some(code) if *shared > 0 => l.t_args(
                &format!("match-occupation-{shared}"),
                &[
                    ("code", code.clone()),
                    (
                        "kind",
                        l.t(if *experience {
                            "match-via-experience"
                        } else {
                            "match-via-preference"
                        }),
                    ),
                ],
            ),
            _ => l.t("match-occupation-0"),
        },
        Factor::Swedish { has, needs } => {
            let has = swedish_rank_label(*has).map(|s| {
                if s == "L1" {
                    l.t("language-level-L1")
                } else {
                    s
                }
            });
            match (has, swedish_rank_label(*needs)) {
                (_, None) => l.t("match-swedish-no-minimum"),
                (None, Some(needs)) => l.t_args("match-swedish-unknown", &[("needs", needs)]),
                (Some(has), Some(needs)) => {
                    l.t_args("match-swedish", &[("has", has), ("needs", needs)])
                }
            }
        }
        Factor::Experience { years } => {
            l.t_args("match-experience", &[("years", years.to_string())])
        }
        Factor::JobReady { met } => l.t_args("match-job-ready", &[("met", met.to_string())]),
        Factor::Availability { from, days_late } => match from {
            None => l.t("match-available-now"),
            Some(d) if *days_late <= 0 => {
                l.t_args("match-available-in-time", &[("date", l.date(*d))])
            }
            Some(d) => l.t_args(
                "match-available-late",
                &[("date", l.date(*d)), ("days", days_late.to_string())],
            ),
        },
        Factor::Licence { needed, held } => {
            if needed.is_empty() {
                l.t("match-licence-none")
            } else if *held {
                l.t_args("match-licence-held", &[("class", needed.clone())])
            } else {
                l.t_args("match-licence-missing", &[("class", needed.clone())])
            }
        }
    }
}

fn factor_key(part: &Factor) -> &'static str {
    match part {
        Factor::Occupation { .. } => "match-factor-occupation",
        Factor::Swedish { .. } => "match-factor-swedish",
        Factor::Experience { .. } => "match-factor-experience",
        Factor::JobReady { .. } => "match-factor-job-ready",
        Factor::Availability { .. } => "match-factor-availability",
        Factor::Licence { .. } => "match-factor-licence",
    }
}

/// A score's parts in words and numbers, and the training that would close a gap.
#[component]
pub fn ScoreExplanation(score: Score) -> impl IntoView {
    let l = use_locale();
    view! {
        <ul class="score-parts">
            {score.parts.iter().map(|p| view! {
                <li>
                    <strong>{l.t(factor_key(&p.factor))} ": " {format!("{}/{}", p.points, p.max)}</strong>
                    " – " {explain(l, &p.factor)}
                </li>
            }).collect_view()}
            {score.training.clone().map(|t| view! { <li>{l.t_args("match-training", &[("training", t)])}</li> })}
        </ul>
    }
}

#[component]
fn CandidateView(
    c: CandidateDetail,
    actions: CandidateActions,
    tracks: Option<fn(i32) -> AnyView>,
) -> impl IntoView {
    let l = use_locale();
    let id = c.id;
    let saved = query_is("sparat", "1");
    let assessed = query_flag("bedomt");
    let logged = query_flag("tidslinje");
    let english = l == Locale::En;
    let today = c.today;
    let status_tag = (c.status != CandidateStatus::Active)
        .then(|| view! { <p><span class="tag">{l.t(c.status.label_key())}</span></p> });
    let hidden = move |extra: Vec<(&'static str, String)>| {
        let mut v = vec![("candidate_id", id.to_string())];
        v.extend(extra);
        v
    };

    // Languages.
    let language_result = Signal::derive(move || actions.language.value().get());
    let languages = c.languages.iter().map(|lang| view! {
        <li>
            {format!("{} – {}", language_name(&lang.code, english), if lang.level == "L1" { l.t("language-level-L1") } else { lang.level.clone() })}
            " " {button_form!(actions.remove, hidden(vec![("kind", "language".into()), ("row_id", lang.id.to_string())]), l.t_args("remove-named", &[("what", language_name(&lang.code, english))]))}
        </li>
    }).collect_view();
    let language_options = LANGUAGES
        .iter()
        .map(|(code, sv, en)| {
            (
                code.to_string(),
                if english {
                    en.to_string()
                } else {
                    sv.to_string()
                },
            )
        })
        .collect();
    let level_options = LANGUAGE_LEVELS
        .iter()
        .map(|lv| {
            (
                lv.to_string(),
                if *lv == "L1" {
                    l.t("language-level-L1")
                } else {
                    lv.to_string()
                },
            )
        })
        .collect();

    // Education.
    let education_result = Signal::derive(move || actions.education.value().get());
    let educations = c.educations.iter().map(|e| {
        let text = l.t_args("education-line", &[
            ("level", l.t(&format!("isced-{}", e.isced))),
            ("field", or_dash(&e.field)),
            ("country", or_dash(&e.country)),
            ("years", e.years.to_string()),
        ]);
        let validated = if e.validated { l.t("education-validated") } else { l.t("education-not-validated") };
        view! {
            <li>
                {text} " (" {validated} ") "
                {button_form!(actions.remove, hidden(vec![("kind", "education".into()), ("row_id", e.id.to_string())]), l.t_args("remove-named", &[("what", l.t(&format!("isced-{}", e.isced)))]))}
            </li>
        }
    }).collect_view();
    let isced_options = ISCED_LEVELS
        .map(|n| {
            (
                n.to_string(),
                format!("{n} – {}", l.t(&format!("isced-{n}"))),
            )
        })
        .collect();

    // Occupations.
    let experience_result = Signal::derive(move || actions.experience.value().get());
    let preference_result = Signal::derive(move || actions.preference.value().get());
    let experiences = c.experiences.iter().map(|e| view! {
        <li>
            {l.t_args("experience-line", &[("occupation", e.occupation.label()), ("years", e.years.unwrap_or(0).to_string()), ("country", or_dash(&e.country))])}
            " " {button_form!(actions.remove, hidden(vec![("kind", "experience".into()), ("row_id", e.id.to_string())]), l.t_args("remove-named", &[("what", e.occupation.code.clone())]))}
        </li>
    }).collect_view();
    let preferences = c.preferences.iter().map(|p| view! {
        <li>
            {p.occupation.label()}
            " " {button_form!(actions.remove, hidden(vec![("kind", "preference".into()), ("row_id", p.id.to_string())]), l.t_args("remove-named", &[("what", p.occupation.code.clone())]))}
        </li>
    }).collect_view();

    // Job-ready.
    let assess_result = Signal::derive(move || actions.assess.value().get());
    let criteria = c.criteria.iter().map(|(criterion, current)| {
        let state = match current {
            Some(a) => view! {
                <td>{if a.met { l.t("criterion-met") } else { l.t("criterion-not-met") }}</td>
                <td>{l.date(a.assessed_on)}</td>
                <td>{a.assessor.clone()}</td>
                <td class="pre-line">{or_dash(&a.comment)}</td>
            }.into_any(),
            None => view! { <td>{l.t("criterion-not-assessed")}</td><td>"–"</td><td>"–"</td><td>"–"</td> }.into_any(),
        };
        view! { <tr><th scope="row">{l.t(criterion.label_key())}</th>{state}</tr> }
    }).collect_view();
    let history = c.assessments.iter().map(|a| view! {
        <li>{format!("{} – {}: {} ({})", l.date(a.assessed_on), l.t(a.criterion.label_key()), if a.met { l.t("criterion-met") } else { l.t("criterion-not-met") }, a.assessor)}</li>
    }).collect_view();
    let met_options = vec![
        ("yes".to_owned(), l.t("criterion-met")),
        ("no".to_owned(), l.t("criterion-not-met")),
    ];
    let job_ready = match c.job_ready_since {
        Some(d) => l.t_args("candidate-job-ready-since", &[("date", l.date(d))]),
        None => l.t("candidate-not-job-ready"),
    };

    // Plan.
    let plan_result = Signal::derive(move || actions.plan.value().get());
    let plan = c.plan.iter().map(|s| {
        let state = match s.done_on {
            Some(d) => l.t_args("plan-done-on", &[("date", l.date(d))]),
            None if s.due_on < today => l.t("plan-overdue"),
            None => l.t("plan-open"),
        };
        let button = if s.done_on.is_some() { l.t("plan-reopen") } else { l.t("plan-mark-done") };
        let who = s.assignee.as_ref().map(|(_, n)| format!(", {}", l.t_args("plan-assigned-to", &[("name", n.clone())])));
        view! {
            <li>
                <strong>{l.date(s.due_on)}</strong> " – " {s.description.clone()} " (" {state} {who} ") "
                {button_form!(actions.toggle, hidden(vec![("step_id", s.id.to_string())]), button)}
            </li>
        }
    }).collect_view();

    // The team: who is in it now, and the plan's choice of who sees to a step.
    let assignees = super::team_page::member_choices(&c.team);
    let team_now = c.team.iter().filter(|m| m.ended_on.is_none()).map(|m| {
        view! { <li>{format!("{} – {}", m.name, l.t(m.role.label_key()))}{(!m.organisation.is_empty()).then(|| format!(", {}", m.organisation))}</li> }
    }).collect::<Vec<_>>();

    // Timeline.
    let activity_result = Signal::derive(move || actions.activity.value().get());
    let timeline = c.timeline.iter().map(|a| {
        let mut parts = vec![l.t(a.kind.label_key())];
        if let Some((_, firm)) = &a.firm { parts.push(firm.clone()); }
        if let Some((_, need)) = &a.need { parts.push(l.t_args("activity-for-need", &[("need", need.clone())])); }
        if !a.title.is_empty() { parts.push(a.title.clone()); }
        if !a.provider.is_empty() { parts.push(a.provider.clone()); }
        if let Some(form) = a.employment_form { parts.push(l.t(form.label_key())); }
        if let Some(reason) = a.exit_reason { parts.push(l.t(reason.label_key())); }
        if let Some(done) = a.completed { parts.push(l.t(if done { "activity-completed" } else { "activity-not-completed" })); }
        let when = match a.end_on {
            Some(end) => format!("{} – {}", l.date(a.start_on), l.date(end)),
            None => l.date(a.start_on),
        };
        view! {
            <li>
                <strong>{when}</strong> ": " {parts.join(", ")}
                {(!a.note.is_empty()).then(|| view! { <br /> <span class="pre-line">{a.note.clone()}</span> })}
            </li>
        }
    }).collect_view();
    let firm_options: Vec<(String, String)> = c
        .firms
        .iter()
        .map(|(i, n)| (i.to_string(), n.clone()))
        .collect();
    let need_options: Vec<(String, String)> = c
        .needs
        .iter()
        .map(|(i, n)| (i.to_string(), n.clone()))
        .collect();

    // Pools.
    let pool_result = Signal::derive(move || actions.pool_add.value().get());
    let pools = c.pools.iter().map(|(ring_id, name, note)| view! {
        <li>
            <a href=format!("/ringar/{ring_id}/pool")>{name.clone()}</a>
            {(!note.is_empty()).then(|| format!(" – {note}"))}
            " " {button_form!(actions.pool_remove, hidden(vec![("ring_id", ring_id.to_string())]), l.t_args("pool-remove", &[("ring", name.clone())]))}
        </li>
    }).collect_view();
    let ring_options = c
        .rings
        .iter()
        .map(|(i, n)| (i.to_string(), n.clone()))
        .collect();

    // Fitting needs.
    let fitting = if c.fitting.is_empty() {
        view! { <p>{l.t("fitting-none")}</p> }.into_any()
    } else {
        view! {
            <ol class="ranked">
                {c.fitting.iter().map(|f| view! {
                    <li>
                        <h3><a href=format!("/behov/{}/matchning", f.need_id)>{f.title.clone()}</a>
                            " – " {l.t_args("match-total", &[("total", f.score.total.to_string()), ("max", weights::MAX.to_string())])}</h3>
                        <p>{format!("{} · {} · {} · {}", f.firm_name, f.ring_name, f.occupation.label(), l.date(f.start_date))}</p>
                        <ScoreExplanation score=f.score.clone() />
                    </li>
                }).collect_view()}
            </ol>
        }
        .into_any()
    };

    let licence = if c.driving_licence.is_empty() {
        "–".to_owned()
    } else {
        c.driving_licence.replace(',', ", ")
    };
    let sfi = match (c.sfi_course.as_str(), c.sfi_path) {
        ("", _) => "–".to_owned(),
        (course, Some(path)) => l.t_args(
            "candidate-sfi-summary",
            &[("course", course.to_owned()), ("path", path.to_string())],
        ),
        (course, None) => l.t_args(
            "candidate-sfi-course-option",
            &[("course", course.to_owned())],
        ),
    };
    view! {
        <Title text=c.name.clone() />
        <h1>{c.name.clone()}</h1>
        {saved_notice("saved", saved)}
        {status_tag}
        <p class="notice">{l.t("candidate-personal-data-notice")}</p>
        <dl class="facts">
            <dt>{l.t("candidate-personnummer")}</dt>
            <dd>{c.personnummer.clone()} {c.coordination_number.then(|| format!(" ({})", l.t("candidate-coordination-number")))}</dd>
            <dt>{l.t("candidate-birth-date")}</dt><dd>{format!("{} ({} {})", l.date(c.birth_date), c.age, l.t("candidate-years-old"))}</dd>
            <dt>{l.t("candidate-gender")}</dt><dd>{l.t(c.gender.label_key())}</dd>
            <dt>{l.t("candidate-email")}</dt><dd>{or_dash(&c.email)}</dd>
            <dt>{l.t("candidate-phone")}</dt><dd>{or_dash(&c.phone)}</dd>
            <dt>{l.t("candidate-permit-date")}</dt><dd>{c.permit_date.map(|d| l.date(d)).unwrap_or_else(|| "–".to_owned())}</dd>
            <dt>{l.t("candidate-enrolled-on")}</dt><dd>{l.date(c.enrolled_on)}</dd>
            <dt>{l.t("candidate-sfi")}</dt><dd>{sfi}</dd>
            <dt>{l.t("candidate-licence")}</dt><dd>{licence}</dd>
            <dt>{l.t("candidate-availability")}</dt>
            <dd>{format!("{}, {}", c.available_from.map(|d| l.t_args("candidate-available-from-date", &[("date", l.date(d))])).unwrap_or_else(|| l.t("candidate-available-now")), l.t(c.hours.label_key()))}
                {(!c.availability_note.is_empty()).then(|| format!(" – {}", c.availability_note))}</dd>
            <dt>{l.t("candidate-job-ready")}</dt><dd>{job_ready.clone()}</dd>
        </dl>
        <p>
            <a class="button button--secondary" href=format!("/deltagare/{id}/redigera")>{l.t("candidate-edit")}</a>
            " "
            <a class="button button--secondary" href=format!("/deltagare/{id}/halsa")>{l.t(if c.has_health { "health-open-recorded" } else { "health-open" })}</a>
            " "
            <a class="button button--secondary" href=format!("/deltagare/{id}/samtycken")>{l.t("candidate-consents")}</a>
            " "
            <a class="button button--secondary" href=format!("/deltagare/{id}/registerutdrag")>{l.t("candidate-export")}</a>
        </p>

        <section id="sprak" aria-labelledby="languages-heading">
            <h2 id="languages-heading">{l.t("languages-title")}</h2>
            {saved_notice("language-saved", query_is("sparat", "sprak"))}
            {if c.languages.is_empty() { Some(view! { <p>{l.t("languages-none")}</p> }) } else { None }}
            <ul class="plain-list">{languages}</ul>
            <details class="card">
                <summary>{l.t("languages-add")}</summary>
                <PostForm action=actions.language once=true attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=id />
                    <ErrorSummary result=language_result fields=vec![("language", l.t("language")), ("level", l.t("language-level"))] />
                    <SelectField name="language" label=l.t("language") required=true options=language_options empty=l.t("form-choose") result=language_result />
                    <SelectField name="level" label=l.t("language-level") hint=l.t("language-level-hint") required=true options=level_options empty=l.t("form-choose") result=language_result />
                    <button type="submit" class="button">{l.t("languages-add-submit")}</button>
                </PostForm>
            </details>
        </section>

        <section id="utbildning" aria-labelledby="education-heading">
            <h2 id="education-heading">{l.t("education-title")}</h2>
            {saved_notice("education-saved", query_is("sparat", "utbildning"))}
            {if c.educations.is_empty() { Some(view! { <p>{l.t("education-none")}</p> }) } else { None }}
            <ul class="plain-list">{educations}</ul>
            <details class="card">
                <summary>{l.t("education-add")}</summary>
                <PostForm action=actions.education once=true attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=id />
                    <ErrorSummary result=education_result fields=vec![("isced", l.t("education-level")), ("edu_field", l.t("education-field")), ("edu_country", l.t("education-country")), ("edu_years", l.t("education-years"))] />
                    <SelectField name=field!(EducationForm, isced) label=l.t("education-level") required=true options=isced_options empty=l.t("form-choose") result=education_result />
                    <TextField name=field!(EducationForm, edu_field) label=l.t("education-field") maxlength=120 result=education_result />
                    <TextField name=field!(EducationForm, edu_country) label=l.t("education-country") maxlength=80 result=education_result />
                    <TextField name=field!(EducationForm, edu_years) kind="number" label=l.t("education-years") required=true result=education_result />
                    <CheckboxField name=field!(EducationForm, validated) label=l.t("education-validated-label") />
                    <button type="submit" class="button">{l.t("education-add-submit")}</button>
                </PostForm>
            </details>
        </section>

        <section id="yrken" aria-labelledby="occupations-heading">
            <h2 id="occupations-heading">{l.t("occupations-title")}</h2>
            {saved_notice("occupation-saved", query_is("sparat", "yrken"))}
            <h3>{l.t("experience-title")}</h3>
            {if c.experiences.is_empty() { Some(view! { <p>{l.t("experience-none")}</p> }) } else { None }}
            <ul class="plain-list">{experiences}</ul>
            <details class="card">
                <summary>{l.t("experience-add")}</summary>
                <PostForm action=actions.experience once=true attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=id />
                    <ErrorSummary result=experience_result fields=vec![("occupation", l.t("experience-occupation")), ("years", l.t("experience-years")), ("country", l.t("experience-country"))] />
                    <OccupationField name="occupation" label=l.t("experience-occupation") hint=l.t("occupation-code-hint") list="experience-options" result=experience_result />
                    <TextField name="years" kind="number" label=l.t("experience-years") required=true result=experience_result />
                    <TextField name="country" label=l.t("experience-country") maxlength=80 result=experience_result />
                    <button type="submit" class="button">{l.t("experience-add-submit")}</button>
                </PostForm>
            </details>
            <h3>{l.t("preferences-title")}</h3>
            {if c.preferences.is_empty() { Some(view! { <p>{l.t("preferences-none")}</p> }) } else { None }}
            <ul class="plain-list">{preferences}</ul>
            <details class="card">
                <summary>{l.t("preferences-add")}</summary>
                <PostForm action=actions.preference once=true attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=id />
                    <ErrorSummary result=preference_result fields=vec![("preferred", l.t("preferences-occupation"))] />
                    <OccupationField name="preferred" label=l.t("preferences-occupation") hint=l.t("occupation-code-hint") list="preference-options" result=preference_result />
                    <button type="submit" class="button">{l.t("preferences-add-submit")}</button>
                </PostForm>
            </details>
        </section>

        <section id="jobbredo" aria-labelledby="job-ready-heading">
            <h2 id="job-ready-heading">{l.t("job-ready-title")}</h2>
            {saved_notice("assessment-saved", assessed)}
            <p><strong>{job_ready}</strong></p>
            <div class="table-wrap" role="region" aria-labelledby="criteria-caption" tabindex="0">
                <table>
                    <caption id="criteria-caption">{l.t("criteria-caption")}</caption>
                    <thead><tr>
                        <th scope="col">{l.t("criterion")}</th>
                        <th scope="col">{l.t("criterion-state")}</th>
                        <th scope="col">{l.t("assessed-on")}</th>
                        <th scope="col">{l.t("assessed-by")}</th>
                        <th scope="col">{l.t("assessment-comment")}</th>
                    </tr></thead>
                    <tbody>{criteria}</tbody>
                </table>
            </div>
            <div class="card">
                <h3>{l.t("assess-title")}</h3>
                <PostForm action=actions.assess once=true attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=id />
                    <ErrorSummary result=assess_result fields=vec![("criterion", l.t("criterion")), ("met", l.t("criterion-state")), ("assessed_on", l.t("assessed-on")), ("comment", l.t("assessment-comment"))] />
                    <SelectField name="criterion" label=l.t("criterion") required=true options=choice_options(Criterion::ALL, Criterion::as_str, Criterion::label_key) empty=l.t("form-choose") result=assess_result />
                    <SelectField name="met" label=l.t("criterion-state") required=true options=met_options empty=l.t("form-choose") result=assess_result />
                    <TextField name="assessed_on" kind="date" label=l.t("assessed-on") required=true result=assess_result value=today.to_string() />
                    <TextField name="comment" label=l.t("assessment-comment") multiline=true maxlength=1000 result=assess_result />
                    <button type="submit" class="button">{l.t("assess-submit")}</button>
                </PostForm>
            </div>
            {(!c.assessments.is_empty()).then(|| view! {
                <details>
                    <summary>{l.t("assessment-history")}</summary>
                    <ul class="plain-list">{history}</ul>
                </details>
            })}
        </section>

        <section id="plan" aria-labelledby="plan-heading">
            <h2 id="plan-heading">{l.t("plan-title")}</h2>
            {saved_notice("plan-saved", query_is("sparat", "plan"))}
            {if c.plan.is_empty() { Some(view! { <p>{l.t("plan-none")}</p> }) } else { None }}
            <ul class="plain-list">{plan}</ul>
            <details class="card">
                <summary>{l.t("plan-add")}</summary>
                <PostForm action=actions.plan once=true attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=id />
                    <ErrorSummary result=plan_result fields=vec![("due_on", l.t("plan-due-on")), ("description", l.t("plan-description")), ("assignee_id", l.t("plan-assignee"))] />
                    <TextField name="due_on" kind="date" label=l.t("plan-due-on") required=true result=plan_result />
                    <TextField name="description" label=l.t("plan-description") required=true maxlength=300 result=plan_result />
                    <SelectField name="assignee_id" label=l.t("plan-assignee") options=assignees empty=l.t("plan-assignee-coordinator") result=plan_result />
                    <button type="submit" class="button">{l.t("plan-add-submit")}</button>
                </PostForm>
            </details>
        </section>

        <section id="team" aria-labelledby="team-heading">
            <h2 id="team-heading">{l.t("candidate-team")}</h2>
            {if team_now.is_empty() {
                view! { <p>{l.t("candidate-team-none")}</p> }.into_any()
            } else {
                view! { <ul class="plain-list">{team_now}</ul> }.into_any()
            }}
            <p><a href=format!("/deltagare/{id}/team")>{l.t("candidate-team-link")}</a></p>
        </section>

        <section id="tidslinje" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{l.t("timeline-title")}</h2>
            {saved_notice("timeline-saved", logged)}
            {if c.timeline.is_empty() { Some(view! { <p>{l.t("timeline-none")}</p> }) } else { None }}
            <ol class="timeline">{timeline}</ol>
            {tracks.map(|section| section(id))}
            <div class="card">
                <h3>{l.t("timeline-add")}</h3>
                <p>{l.t("timeline-add-intro")}</p>
                <PostForm action=actions.activity once=true attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=id />
                    <ErrorSummary result=activity_result fields=vec![
                        ("kind", l.t("activity-kind")), ("firm_id", l.t("activity-firm")), ("need_id", l.t("activity-need")),
                        ("title", l.t("activity-title")), ("provider", l.t("activity-provider")), ("start_on", l.t("activity-start")),
                        ("end_on", l.t("activity-end")), ("employment_form", l.t("activity-employment-form")),
                        ("exit_reason", l.t("activity-exit-reason")), ("note", l.t("activity-note")),
                    ] />
                    <SelectField name=field!(ActivityForm, kind) label=l.t("activity-kind") required=true options=choice_options(ActivityKind::ALL, ActivityKind::as_str, ActivityKind::label_key) empty=l.t("form-choose") result=activity_result />
                    <SelectField name=field!(ActivityForm, firm_id) label=l.t("activity-firm") hint=l.t("activity-firm-hint") options=firm_options empty=l.t("form-none") result=activity_result />
                    <SelectField name=field!(ActivityForm, need_id) label=l.t("activity-need") hint=l.t("activity-need-hint") options=need_options empty=l.t("form-none") result=activity_result />
                    <TextField name=field!(ActivityForm, title) label=l.t("activity-title") hint=l.t("activity-title-hint") maxlength=160 result=activity_result />
                    <TextField name=field!(ActivityForm, provider) label=l.t("activity-provider") maxlength=160 result=activity_result />
                    <TextField name=field!(ActivityForm, start_on) kind="date" label=l.t("activity-start") hint=l.t("activity-start-hint") required=true result=activity_result value=today.to_string() />
                    <TextField name=field!(ActivityForm, end_on) kind="date" label=l.t("activity-end") result=activity_result />
                    <CheckboxField name=field!(ActivityForm, completed) label=l.t("activity-completed-label") />
                    <SelectField name=field!(ActivityForm, employment_form) label=l.t("activity-employment-form") options=choice_options(&EmploymentForm::ALL[..], EmploymentForm::as_str, EmploymentForm::label_key) empty=l.t("form-none") result=activity_result />
                    <SelectField name=field!(ActivityForm, exit_reason) label=l.t("activity-exit-reason") options=choice_options(ExitReason::ALL, ExitReason::as_str, ExitReason::label_key) empty=l.t("form-none") result=activity_result />
                    <TextField name=field!(ActivityForm, note) label=l.t("activity-note") multiline=true maxlength=1000 result=activity_result />
                    <button type="submit" class="button">{l.t("timeline-add-submit")}</button>
                </PostForm>
            </div>
        </section>

        <section id="pooler" aria-labelledby="pools-heading">
            <h2 id="pools-heading">{l.t("pools-title")}</h2>
            {saved_notice("pools-saved", query_is("sparat", "pooler"))}
            {if c.pools.is_empty() { Some(view! { <p>{l.t("pools-none")}</p> }) } else { None }}
            <ul class="plain-list">{pools}</ul>
            <details class="card">
                <summary>{l.t("pools-add")}</summary>
                <PostForm action=actions.pool_add attr:novalidate="novalidate">
                    <input type="hidden" name="candidate_id" value=id />
                    <ErrorSummary result=pool_result fields=vec![("ring_id", l.t("pools-ring")), ("pool_note", l.t("pools-note"))] />
                    <SelectField name="ring_id" label=l.t("pools-ring") required=true options=ring_options empty=l.t("form-choose") result=pool_result />
                    <TextField name="pool_note" label=l.t("pools-note") maxlength=500 result=pool_result />
                    <button type="submit" class="button">{l.t("pools-add-submit")}</button>
                </PostForm>
            </details>
        </section>

        <section id="passande-behov" aria-labelledby="fitting-heading">
            <h2 id="fitting-heading">{l.t("fitting-title")}</h2>
            <p>{l.t("fitting-intro")}</p>
            {fitting}
        </section>
    }
}

/// The record's form, with the version it was read at: a save after someone else's
/// is refused with a clear message, keeps what was typed, and shows what is saved now.
#[component]
pub fn CandidateEditPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let update = ServerAction::<UpdateCandidate>::new();
    // A refused save comes back to a page drawn afresh (the form posts and follows the
    // server's redirect): the record read here is what is saved now, the form holds
    // what was typed, and after a clash the "saved now" panel is open and the form
    // sends the current version, so saving again replaces what the other one saved.
    let candidate = Resource::new(move || id.get(), get_candidate);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match candidate.await {
                    Ok(c) => view! { <CandidateEditView c update /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <p><a href=move || format!("/deltagare/{}", id.get())>{l.t("candidate-back")}</a></p>
    }
}

#[component]
fn CandidateEditView(c: CandidateDetail, update: ServerAction<UpdateCandidate>) -> impl IntoView {
    let l = use_locale();
    let result = Signal::derive(move || update.value().get());
    let clashed = update
        .value()
        .with_untracked(|v| matches!(v, Some(Err(AppError::Conflict(_)))));
    let id = c.id;
    let version = c.version;
    let today = c.today.to_string();
    view! {
        <Title text=l.t_args("candidate-edit-title", &[("name", c.name.clone())]) />
        <h1>{l.t_args("candidate-edit-title", &[("name", c.name.clone())])}</h1>
        <SavedValues c=c.clone() open=clashed />
        <PostForm action=update attr:novalidate="novalidate">
            <input type="hidden" name="candidate_id" value=id />
            <input type="hidden" name="version" value=version />
            <ErrorSummary result fields=candidate_fields() />
            <CandidateFormFields result candidate=c.clone() today />
            <button type="submit" class="button">{l.t("save")}</button>
        </PostForm>
    }
}

/// What is saved now, for comparing with the form after a clash.
#[component]
fn SavedValues(c: CandidateDetail, open: bool) -> impl IntoView {
    let l = use_locale();
    let date =
        move |d: Option<chrono::NaiveDate>| d.map(|d| l.date(d)).unwrap_or_else(|| "–".to_owned());
    view! {
        <details class="card" open=open>
            <summary>{l.t("candidate-saved-values")}</summary>
            <dl class="facts">
                <dt>{l.t("candidate-name")}</dt><dd>{c.name.clone()}</dd>
                <dt>{l.t("candidate-personnummer")}</dt><dd>{c.personnummer.clone()}</dd>
                <dt>{l.t("candidate-email")}</dt><dd>{or_dash(&c.email)}</dd>
                <dt>{l.t("candidate-phone")}</dt><dd>{or_dash(&c.phone)}</dd>
                <dt>{l.t("candidate-gender")}</dt><dd>{l.t(c.gender.label_key())}</dd>
                <dt>{l.t("candidate-permit-date")}</dt><dd>{date(c.permit_date)}</dd>
                <dt>{l.t("candidate-enrolled-on")}</dt><dd>{l.date(c.enrolled_on)}</dd>
                <dt>{l.t("candidate-sfi-course")}</dt><dd>{or_dash(&c.sfi_course)}</dd>
                <dt>{l.t("candidate-sfi-path")}</dt><dd>{c.sfi_path.map(|p| p.to_string()).unwrap_or_else(|| "–".to_owned())}</dd>
                <dt>{l.t("candidate-licence")}</dt><dd>{or_dash(&c.driving_licence)}</dd>
                <dt>{l.t("candidate-available-from")}</dt><dd>{date(c.available_from)}</dd>
                <dt>{l.t("candidate-hours")}</dt><dd>{l.t(c.hours.label_key())}</dd>
                <dt>{l.t("candidate-availability-note")}</dt><dd>{or_dash(&c.availability_note)}</dd>
            </dl>
        </details>
    }
}

/// Obstacles and health: first the reason, then (audited) the text and its form.
#[component]
pub fn HealthPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let query = use_query_map();
    let reason = move || query.read().get("skal").unwrap_or_default();
    let saved = query_flag("sparat");
    let save = ServerAction::<SaveHealth>::new();
    let health = Resource::new(
        move || (id.get(), reason()),
        |(id, reason)| async move {
            // Without a reason nothing is read, but the caller's access is checked all
            // the same (the version is staff-only and says nothing of health).
            if reason.trim().is_empty() {
                candidate_version(id).await.map(|_| None)
            } else {
                read_health(id, reason).await.map(Some)
            }
        },
    );
    let result = Signal::derive(move || save.value().get());
    view! {
        <Title text=l.t("health-title") />
        <h1>{l.t("health-title")}</h1>
        <p class="notice notice--warning">{l.t("health-intro")}</p>
        {saved_notice("health-saved", saved)}
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let typed = reason();
                match health.await {
                    Ok(Some(h)) => view! {
                        <h2>{h.name.clone()}</h2>
                        <p>{h.updated_at.map(|at| use_locale().t_args("health-updated", &[("at", use_locale().datetime(at))])).unwrap_or_else(|| use_locale().t("health-none"))}</p>
                        <PostForm action=save attr:novalidate="novalidate">
                            <input type="hidden" name="candidate_id" value=h.candidate_id />
                            <ErrorSummary result fields=vec![("obstacles", use_locale().t("health-obstacles")), ("health", use_locale().t("health-health"))] />
                            <TextField name="obstacles" label=use_locale().t("health-obstacles") multiline=true maxlength=4000 result value=h.obstacles.clone() />
                            <TextField name="health" label=use_locale().t("health-health") multiline=true maxlength=4000 result value=h.health.clone() />
                            <button type="submit" class="button">{use_locale().t("save")}</button>
                        </PostForm>
                    }.into_any(),
                    Ok(None) => view! { <ReasonForm action=format!("/deltagare/{}/halsa", id.get_untracked()) button="health-show" error=None typed /> }.into_any(),
                    Err(e @ AppError::Validation(_)) => view! { <ReasonForm action=format!("/deltagare/{}/halsa", id.get_untracked()) button="health-show" error=Some(e) typed /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <p><a href=move || format!("/deltagare/{}", id.get())>{l.t("candidate-back")}</a></p>
    }
}

/// The GET form that asks why before sensitive data is shown (health, the register
/// extract); `action` is the page, `button` the i18n key of its button.
#[component]
pub(crate) fn ReasonForm(
    action: String,
    button: &'static str,
    error: Option<AppError>,
    typed: String,
) -> impl IntoView {
    let l = use_locale();
    let message = error.as_ref().and_then(|e| {
        e.field_errors()
            .and_then(|f| f.get("reason").map(str::to_owned))
    });
    let invalid = message.is_some().then_some("true");
    let has_error = message.is_some();
    let described = if message.is_some() {
        "skal-hint skal-error"
    } else {
        "skal-hint"
    };
    view! {
        <form method="get" action=action class="card">
            {message.clone().map(|m| view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2>{l.t("form-error-summary")}</h2>
                    <ul><li><a href="#skal" rel="external">{format!("{}: {}", l.t("health-reason"), l.t(&m))}</a></li></ul>
                </div>
            })}
            <div class="field" class:field--error=has_error>
                <label for="skal">{l.t("health-reason")}</label>
                <p class="field__hint" id="skal-hint">{l.t("health-reason-hint")}</p>
                {message.map(|m| view! { <p class="field__error" id="skal-error">{l.t(&m)}</p> })}
                <input id="skal" name="skal" type="text" maxlength="200" required=true value=typed autocomplete="off" aria-invalid=invalid aria-describedby=described />
            </div>
            <button type="submit" class="button">{l.t(button)}</button>
        </form>
    }
}

/// A ring's pool of candidates.
#[component]
pub fn PoolPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let pool = Resource::new(move || id.get(), ring_pool);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match pool.await {
                    Ok(p) => view! {
                        <Title text=l.t_args("pool-title", &[("ring", p.ring_name.clone())]) />
                        <h1>{l.t_args("pool-title", &[("ring", p.ring_name.clone())])}</h1>
                        <p>{l.t("pool-intro")}</p>
                        {if p.entries.is_empty() {
                            view! { <p>{l.t("pool-none")}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap" role="region" aria-labelledby="pool-caption" tabindex="0">
                                    <table>
                                        <caption id="pool-caption">{l.t_args("pool-caption", &[("count", p.entries.len().to_string())])}</caption>
                                        <thead><tr>
                                            <th scope="col">{l.t("candidate-name")}</th>
                                            <th scope="col">{l.t("candidate-job-ready")}</th>
                                            <th scope="col">{l.t("pools-note")}</th>
                                            <th scope="col">{l.t("pool-added")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {p.entries.into_iter().map(|e| view! {
                                                <tr>
                                                    <th scope="row"><a href=format!("/deltagare/{}", e.candidate_id)>{e.name}</a></th>
                                                    <td>{l.t_args("candidate-criteria-met", &[("met", e.criteria_met.to_string())])}</td>
                                                    <td>{or_dash(&e.note)}</td>
                                                    <td>{l.datetime(e.added_at)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <p><a href=format!("/ringar/{}", p.ring_id)>{l.t_args("pool-back", &[("ring", p.ring_name)])}</a></p>
                    }.into_any(),
                    Err(e) => view! { <Title text=l.t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <p><a href="/deltagare">{l.t("candidates-back")}</a></p>
    }
}
