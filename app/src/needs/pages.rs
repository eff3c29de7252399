//! `/ringar/:id/behov` (a ring's needs board), `/behov` (every ring, for staff),
//! `/behov/:id` (a need and its history), `/ringar/:id/behov/nytt` (post a need) and
//! `/behov/:id/redigera` (edit it).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use serde::{Deserialize, Serialize};

use super::{
    BoardStamp, NeedBoard, NeedDetail, NeedFormChoices, NeedSummary, PostNeed, SetNeedStatus,
    UpdateNeed, get_need,
    model::{BoardFilters, EmploymentForm, LICENCES, NeedForm, NeedStatus, SwedishLevel},
    need_form_options, needs_board, search_occupations,
};
use crate::{
    error::AppError,
    field,
    i18n::use_locale,
    ui::{
        ActionResult, CheckboxField, ErrorMessage, ErrorSummary, PostForm, SelectField, TextField,
        error_text,
    },
    ui::{id_param, query_flag, saved_notice},
};

/// A ring's needs board.
#[component]
pub fn RingNeedsPage() -> impl IntoView {
    let id = id_param();
    view! { <Board ring_id=id /> }
}

/// Every ring's needs, for coordinators.
#[component]
pub fn AllNeedsPage() -> impl IntoView {
    let id = Memo::new(|_| 0);
    view! { <Board ring_id=id /> }
}

/// What a board's page shows: the rendering this process kept under the board's stamp
/// (`needs::kept`), or the board read anew, with the stamp to keep it under (`None`
/// in the browser, which keeps nothing).
#[derive(Clone, Serialize, Deserialize)]
enum Shown {
    Kept {
        title: String,
        html: String,
    },
    Read {
        stamp: Option<BoardStamp>,
        board: Box<NeedBoard>,
    },
}

#[component]
fn Board(ring_id: Memo<i32>) -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &'static str| query.read().get(k).unwrap_or_default();
    let board = Resource::new(
        move || {
            let filters = BoardFilters {
                occupation: param("yrke"),
                form: param("form"),
                status: param("status"),
                firm: param("foretag"),
                sort: param("sortering"),
            };
            (ring_id.get(), filters)
        },
        |(ring, filters)| async move {
            #[cfg(feature = "ssr")]
            let stamp = {
                let stamp = super::needs_board_stamp(ring, filters.clone()).await?;
                let kept = super::kept::kept_boards().and_then(|k| k.get(&stamp));
                if let Some(kept) = kept {
                    return Ok(Shown::Kept {
                        title: kept.title,
                        html: kept.html.to_string(),
                    });
                }
                Some(stamp)
            };
            #[cfg(not(feature = "ssr"))]
            let stamp = None;
            needs_board(ring, filters).await.map(|board| Shown::Read {
                stamp,
                board: Box::new(board),
            })
        },
    );
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(Shown::Kept { title, html }) => view! {
                        <Title text=title />
                        <div inner_html=html></div>
                    }.into_any(),
                    Ok(Shown::Read { stamp, board }) => read_board(stamp, *board),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The board's page from the board read anew: on the server rendered once and kept
/// under its stamp for the pages after it.
fn read_board(stamp: Option<BoardStamp>, board: NeedBoard) -> AnyView {
    let l = use_locale();
    let title = board_title(l, &board);
    #[cfg(feature = "ssr")]
    {
        use leptos::tachys::view::RenderHtml;
        let html: std::sync::Arc<str> = view! { <BoardView board /> }.to_html().into();
        if let (Some(stamp), Some(kept)) = (stamp, super::kept::kept_boards()) {
            let board = super::kept::KeptBoard {
                title: title.clone(),
                html: html.clone(),
            };
            kept.keep(&stamp, board);
        }
        view! {
            <Title text=title />
            <div inner_html=html.to_string()></div>
        }
        .into_any()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = stamp;
        view! {
            <Title text=title />
            <div><BoardView board /></div>
        }
        .into_any()
    }
}

/// The board's title: its ring's, or every ring's.
fn board_title(l: crate::i18n::Locale, board: &NeedBoard) -> String {
    match &board.ring {
        Some((_, name)) => l.t_args("needs-title-ring", &[("ring", name.clone())]),
        None => l.t("needs-title-all"),
    }
}

/// The board under its title; what it shows depends only on `board` and the language.
#[component]
fn BoardView(board: NeedBoard) -> impl IntoView {
    let l = use_locale();
    let title = board_title(l, &board);
    let action = board
        .ring
        .as_ref()
        .map(|(id, _)| format!("/ringar/{id}/behov"))
        .unwrap_or_else(|| "/behov".to_owned());
    let option = move |value: String, label: String, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let chosen = board.chosen.clone();
    let yrke = chosen.occupation;
    let groups = board
        .groups
        .iter()
        .map(|g| {
            let label = if g.level == 1 {
                g.label()
            } else {
                format!("\u{a0}\u{a0}{}", g.label())
            };
            option(g.code.clone(), label, &yrke)
        })
        .collect_view();
    let form = chosen.form;
    let forms = EmploymentForm::ALL
        .iter()
        .map(|f| option(f.as_str().to_owned(), l.t(f.label_key()), &form))
        .collect_view();
    let status = chosen.status;
    let statuses = NeedStatus::ALL
        .iter()
        .map(|s| option(s.as_str().to_owned(), l.t(s.label_key()), &status))
        .collect_view();
    let firm = chosen.firm;
    let firms = board
        .firms
        .iter()
        .map(|(id, name)| option(id.to_string(), name.clone(), &firm))
        .collect_view();
    let by_start = chosen.sort == "start";
    let chosen_count = [&yrke, &form, &status, &firm]
        .into_iter()
        .filter(|v| !v.is_empty())
        .count()
        + usize::from(by_start);
    let filter_summary = if chosen_count == 0 {
        l.t("needs-filter")
    } else {
        l.t_args(
            "needs-filter-in-use",
            &[("count", chosen_count.to_string())],
        )
    };
    let counts = board
        .by_status
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{} {n}", l.t(s.label_key())))
        .collect::<Vec<_>>()
        .join(" · ");
    let show_ring = board.ring.is_none();
    let list = if board.needs.is_empty() {
        view! { <p>{l.t("needs-none")}</p> }.into_any()
    } else {
        view! {
            <ul class="card-list">
                {board.needs.clone().into_iter().map(move |n| view! { <NeedCard need=n show_ring /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h1>{title}</h1>
        {board.ring.as_ref().map(|(id, name)| view! {
            <p><a href=format!("/ringar/{id}")>{l.t_args("needs-back-to-ring", &[("ring", name.clone())])}</a></p>
        })}
        {(board.can_post).then(|| board.ring.as_ref().map(|(id, _)| view! {
            <p><a class="button" href=format!("/ringar/{id}/behov/nytt")>{l.t("needs-new")}</a></p>
        }))}
        // The filters fold away on a phone, so the needs come first; they stay open
        // while any is in use, and the summary says how many are.
        <details class="filter-panel" open={chosen_count > 0}>
        <summary>{filter_summary}</summary>
        <form method="get" action=action class="filter-form" role="search" aria-label=l.t("needs-filter")>
            <div class="field">
                <label for="yrke">{l.t("needs-filter-occupation")}</label>
                <select id="yrke" name="yrke">
                    <option value="">{l.t("needs-filter-any")}</option>
                    {groups}
                </select>
            </div>
            <div class="field">
                <label for="form">{l.t("need-employment-form")}</label>
                <select id="form" name="form">
                    <option value="">{l.t("needs-filter-any")}</option>
                    {forms}
                </select>
            </div>
            <div class="field">
                <label for="status">{l.t("need-status")}</label>
                <select id="status" name="status">
                    <option value="">{l.t("needs-filter-any")}</option>
                    {statuses}
                </select>
            </div>
            <div class="field">
                <label for="foretag">{l.t("need-firm")}</label>
                <select id="foretag" name="foretag">
                    <option value="">{l.t("needs-filter-any")}</option>
                    {firms}
                </select>
            </div>
            <div class="field">
                <label for="sortering">{l.t("needs-sort")}</label>
                <select id="sortering" name="sortering">
                    <option value="newest" selected=!by_start>{l.t("needs-sort-newest")}</option>
                    <option value="start" selected=by_start>{l.t("needs-sort-start")}</option>
                </select>
            </div>
            <button type="submit" class="button">{l.t("needs-filter-submit")}</button>
        </form>
        </details>
        <p role="status">
            {l.t_args("needs-count", &[("needs", board.needs.len().to_string()), ("positions", board.positions.to_string())])}
            {(!counts.is_empty()).then(|| format!(" ({counts})"))}
        </p>
        {list}
    }
}

#[component]
fn NeedCard(need: NeedSummary, show_ring: bool) -> impl IntoView {
    let l = use_locale();
    view! {
        <li class="card need-card">
            <div class="card__head">
                <h2 class="card__title"><a href=format!("/behov/{}", need.id)>{need.title.clone()}</a></h2>
                <span class=need.status.tag_class()>{l.t(need.status.label_key())}</span>
            </div>
            <p class="muted">{need.occupation.label()}</p>
            <dl class="keyfacts">
                <div><dt>{l.t("need-firm")}</dt><dd>{need.firm_name.clone()}</dd></div>
                <div><dt>{l.t("need-positions")}</dt><dd>{need.positions}</dd></div>
                <div><dt>{l.t("need-start-date")}</dt><dd>{l.date(need.start_date)}</dd></div>
                <div><dt>{l.t("need-employment-form")}</dt><dd>{l.t(need.employment_form.label_key())}</dd></div>
                {show_ring.then(|| view! { <div><dt>{l.t("need-ring")}</dt><dd>{need.ring_name.clone()}</dd></div> })}
            </dl>
        </li>
    }
}

/// A need's page: details, status changes, history. `profiles` renders what other
/// concepts show for the need (the router passes the released profiles), so that
/// needs imports none of them.
#[component]
pub fn NeedPage(#[prop(optional)] profiles: Option<fn(i32) -> AnyView>) -> impl IntoView {
    let id = id_param();
    let status = ServerAction::<SetNeedStatus>::new();
    let need = Resource::new(move || id.get(), get_need);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match need.await {
                    Ok(n) => view! { <NeedView need=n status profiles /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn status_button_key(to: NeedStatus) -> &'static str {
    match to {
        NeedStatus::Draft => "need-status-draft",
        NeedStatus::Open => "need-to-open",
        NeedStatus::Filled => "need-to-filled",
        NeedStatus::Closed => "need-to-closed",
    }
}

#[component]
fn NeedView(
    need: NeedDetail,
    status: ServerAction<SetNeedStatus>,
    profiles: Option<fn(i32) -> AnyView>,
) -> impl IntoView {
    let l = use_locale();
    let saved = query_flag("sparat");
    let moved = query_flag("status");
    let s = need.summary.clone();
    let id = s.id;
    let yes_no = |b: bool| if b { l.t("yes") } else { l.t("no") };
    let or_dash = |v: Option<String>| {
        v.filter(|s| !s.is_empty())
            .unwrap_or_else(|| "–".to_owned())
    };
    let status_error =
        move || {
            status.value().get().and_then(|r| r.err()).map(
                |e| view! { <p class="notice notice--error" role="alert">{error_text(&e)}</p> },
            )
        };
    let buttons = need
        .next
        .iter()
        .map(|to| {
            let to = *to;
            view! {
                <PostForm action=status attr:class="inline-form">
                    <input type="hidden" name="need_id" value=id />
                    <input type="hidden" name="status" value=to.as_str() />
                    <button type="submit" class="button button--small">{l.t(status_button_key(to))}</button>
                </PostForm>
            }
        })
        .collect_view();
    let history = need
        .history
        .iter()
        .map(|h| {
            let what = match h.action.as_str() {
                "created" => l.t_args(
                    "need-history-created",
                    &[(
                        "status",
                        l.t(NeedStatus::parse(&h.detail)
                            .unwrap_or(NeedStatus::Open)
                            .label_key()),
                    )],
                ),
                "status" => l.t_args(
                    "need-history-status",
                    &[(
                        "status",
                        l.t(NeedStatus::parse(&h.detail)
                            .unwrap_or(NeedStatus::Open)
                            .label_key()),
                    )],
                ),
                _ => l.t("need-history-edited"),
            };
            view! { <li>{format!("{} – {}: {what}", l.datetime(h.at), h.actor)}</li> }
        })
        .collect_view();
    view! {
        <Title text=s.title.clone() />
        <h1>{s.title.clone()}</h1>
        {saved_notice("saved", saved)}
        {saved_notice("need-status-saved", moved)}
        <p><span class=s.status.tag_class()>{l.t(s.status.label_key())}</span></p>
        <dl class="facts">
            <dt>{l.t("need-occupation")}</dt><dd>{s.occupation.label()}</dd>
            <dt>{l.t("need-firm")}</dt><dd>{s.firm_name.clone()}</dd>
            <dt>{l.t("need-ring")}</dt><dd><a href=format!("/ringar/{}/behov", s.ring_id)>{s.ring_name.clone()}</a></dd>
            <dt>{l.t("need-positions")}</dt><dd>{s.positions}</dd>
            <dt>{l.t("need-start-date")}</dt><dd>{l.date(s.start_date)}</dd>
            <dt>{l.t("need-employment-form")}</dt><dd>{l.t(s.employment_form.label_key())}</dd>
            <dt>{l.t("need-internship-first")}</dt><dd>{yes_no(s.internship_first)}</dd>
            <dt>{l.t("need-swedish-level")}</dt><dd>{or_dash(need.swedish_level.clone())}</dd>
            <dt>{l.t("need-other-languages")}</dt><dd>{or_dash(Some(need.other_languages.clone()))}</dd>
            <dt>{l.t("need-driving-licence")}</dt><dd>{or_dash(need.driving_licence.clone())}</dd>
            <dt>{l.t("need-suggested-training")}</dt><dd>{or_dash(Some(need.suggested_training.clone()))}</dd>
        </dl>
        {(!need.description.is_empty()).then(|| view! { <h2>{l.t("need-description")}</h2> <p class="pre-line">{need.description.clone()}</p> })}
        {(!need.required_skills.is_empty()).then(|| view! { <h2>{l.t("need-required-skills")}</h2> <p class="pre-line">{need.required_skills.clone()}</p> })}
        {(!need.merit_skills.is_empty()).then(|| view! { <h2>{l.t("need-merit-skills")}</h2> <p class="pre-line">{need.merit_skills.clone()}</p> })}
        {need.can_edit.then(|| view! {
            <section class="card" aria-labelledby="need-actions-heading">
                <h2 id="need-actions-heading">{l.t("need-actions")}</h2>
                {status_error}
                {buttons}
                <p><a href=format!("/behov/{id}/redigera")>{l.t("need-edit")}</a></p>
                {need.staff.then(|| view! { <p><a href=format!("/behov/{id}/matchning")>{l.t("need-match")}</a></p> })}
            </section>
        })}
        {profiles.map(|section| section(id))}
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">{l.t("need-history")}</h2>
            <ul class="plain-list">{history}</ul>
        </section>
    }
}

fn need_fields() -> Vec<(&'static str, String)> {
    let l = use_locale();
    vec![
        ("firm_id", l.t("need-firm")),
        (field!(NeedForm, occupation), l.t("need-occupation")),
        (field!(NeedForm, title), l.t("need-title")),
        (field!(NeedForm, description), l.t("need-description")),
        (field!(NeedForm, positions), l.t("need-positions")),
        (
            field!(NeedForm, required_skills),
            l.t("need-required-skills"),
        ),
        (field!(NeedForm, merit_skills), l.t("need-merit-skills")),
        (field!(NeedForm, swedish_level), l.t("need-swedish-level")),
        (
            field!(NeedForm, other_languages),
            l.t("need-other-languages"),
        ),
        (
            field!(NeedForm, driving_licence),
            l.t("need-driving-licence"),
        ),
        (field!(NeedForm, start_date), l.t("need-start-date")),
        (
            field!(NeedForm, employment_form),
            l.t("need-employment-form"),
        ),
        (
            field!(NeedForm, suggested_training),
            l.t("need-suggested-training"),
        ),
        ("status", l.t("need-status")),
    ]
}

/// An SSYK occupation field with its picker, for every form that asks for an
/// occupation (a need, a candidate's experience and wishes). While one types, the
/// [`OccupationSuggestions`] island fetches suggestions into the field's `<datalist>`.
/// When the server could not pick one occupation from the text (several fit, or none),
/// the closest ones are listed under the field with their codes, drawn on the server
/// from what was typed, so this works without JavaScript.
#[component]
pub fn OccupationField<T: Clone + Send + Sync + 'static>(
    /// The form field name.
    name: &'static str,
    /// The visible label.
    label: String,
    /// The hint under the label.
    hint: String,
    /// The id of the suggestions' `<datalist>`, unique on the page.
    list: &'static str,
    /// The action whose result carries the field's error.
    result: Signal<ActionResult<T>>,
    /// The stored value, for an edit form.
    #[prop(into, default = None)]
    value: Option<String>,
) -> impl IntoView {
    let l = use_locale();
    let typed = crate::ui::initial_value(name, value.clone());
    // What was sent, when the server found no single occupation for it.
    let unclear = result.with_untracked(|r| match r {
        Some(Err(e)) => e
            .field_errors()
            .and_then(|f| f.get(name))
            .is_some_and(|key| {
                matches!(
                    key,
                    "field-occupation-ambiguous" | "field-occupation-unknown"
                )
            }),
        _ => false,
    });
    let closest = Resource::new(
        move || (unclear && typed.trim().chars().count() >= 2).then(|| typed.clone()),
        |sent| async move {
            match sent {
                Some(q) => search_occupations(q).await.unwrap_or_default(),
                None => Vec::new(),
            }
        },
    );
    let closest_id = format!("{name}-closest");
    view! {
        <TextField name label hint required=true maxlength=200 autocomplete="off" list result value />
        <OccupationSuggestions input=name.to_owned() list=list.to_owned() />
        <Suspense fallback=|| ()>
            {move || {
                let closest_id = closest_id.clone();
                Suspend::new(async move {
                    let found = closest.await;
                    (!found.is_empty()).then(|| view! {
                        <div class="occupation-choices" id=closest_id>
                            <p>{l.t("occupation-closest")}</p>
                            <ul class="plain-list">
                                {found.into_iter().map(|o| view! { <li><code>{o.code.clone()}</code> " " {o.name}</li> }).collect_view()}
                            </ul>
                        </div>
                    })
                })
            }}
        </Suspense>
    }
}

/// The suggestions of an occupation field: an island holding the field's `<datalist>`
/// (id `list`). While one types two letters or more in the input with id `input`, it
/// asks the server for the closest occupations; an answer to an older query is dropped.
/// Without JavaScript the list stays empty and the server resolves what was typed.
#[island]
pub fn OccupationSuggestions(input: String, list: String) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let suggestions = RwSignal::new(Vec::<super::OccupationView>::new());
    let listener = window_event_listener(leptos::ev::input, move |ev| {
        use leptos::wasm_bindgen::JsCast;
        let is_ours = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
            .is_some_and(|field| field.id() == input);
        if !is_ours {
            return;
        }
        let q = event_target_value(&ev);
        typed.set(q.clone());
        if q.trim().chars().count() < 2 {
            suggestions.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(found) = search_occupations(q.clone()).await
                && typed.get_untracked() == q
            {
                suggestions.set(found);
            }
        });
    });
    on_cleanup(move || listener.remove());
    let options = move || {
        suggestions
            .get()
            .into_iter()
            .map(|o| view! { <option value=o.label()></option> })
            .collect_view()
    };
    view! { <datalist id=list>{options}</datalist> }
}

/// The fields of the need form, empty or with a need's stored values.
#[component]
fn NeedFormFields<T: Clone + Send + Sync + 'static>(
    result: Signal<ActionResult<T>>,
    #[prop(optional)] need: Option<NeedDetail>,
) -> impl IntoView {
    let l = use_locale();
    let v = |f: fn(&NeedDetail) -> String| need.as_ref().map(f);
    let level_options = SwedishLevel::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.as_str().to_owned()))
        .collect();
    let licence_options = LICENCES
        .iter()
        .map(|s| {
            (
                s.to_string(),
                l.t_args("need-licence", &[("class", s.to_string())]),
            )
        })
        .collect();
    let form_options = EmploymentForm::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), l.t(f.label_key())))
        .collect();
    view! {
        <OccupationField name={field!(NeedForm, occupation)} label=l.t("need-occupation") hint=l.t("need-occupation-hint")
            list="occupation-options" result value=v(|n| n.summary.occupation.label()) />
        <TextField name={field!(NeedForm, title)} label=l.t("need-title") hint=l.t("need-title-hint") required=true maxlength=120 autocomplete="off" result value=v(|n| n.summary.title.clone()) />
        <TextField name={field!(NeedForm, description)} label=l.t("need-description") multiline=true maxlength=4000 result value=v(|n| n.description.clone()) />
        <TextField name={field!(NeedForm, positions)} kind="number" label=l.t("need-positions") required=true result value=v(|n| n.summary.positions.to_string()).or(Some("1".to_owned())) />
        <TextField name={field!(NeedForm, start_date)} kind="date" label=l.t("need-start-date") hint=l.t("need-start-date-hint") required=true result value=v(|n| n.summary.start_date.to_string()) />
        <SelectField name={field!(NeedForm, employment_form)} label=l.t("need-employment-form") required=true options=form_options empty=l.t("form-choose") result value=v(|n| n.summary.employment_form.as_str().to_owned()) />
        <CheckboxField name={field!(NeedForm, internship_first)} label=l.t("need-internship-first") checked=need.as_ref().is_some_and(|n| n.summary.internship_first) />
        <TextField name={field!(NeedForm, required_skills)} label=l.t("need-required-skills") multiline=true maxlength=1000 result value=v(|n| n.required_skills.clone()) />
        <TextField name={field!(NeedForm, merit_skills)} label=l.t("need-merit-skills") multiline=true maxlength=1000 result value=v(|n| n.merit_skills.clone()) />
        <SelectField name={field!(NeedForm, swedish_level)} label=l.t("need-swedish-level") hint=l.t("need-swedish-level-hint") options=level_options empty=l.t("need-no-requirement") result value=v(|n| n.swedish_level.clone().unwrap_or_default()) />
        <TextField name={field!(NeedForm, other_languages)} label=l.t("need-other-languages") maxlength=300 result value=v(|n| n.other_languages.clone()) />
        <SelectField name={field!(NeedForm, driving_licence)} label=l.t("need-driving-licence") options=licence_options empty=l.t("need-no-requirement") result value=v(|n| n.driving_licence.clone().unwrap_or_default()) />
        <TextField name={field!(NeedForm, suggested_training)} label=l.t("need-suggested-training") hint=l.t("need-suggested-training-hint") maxlength=300 result value=v(|n| n.suggested_training.clone()) />
    }
}

/// Posting a need in a ring.
#[component]
pub fn NewNeedPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let query = use_query_map();
    let yrke = move || query.read().get("yrke").unwrap_or_default();
    let options = Resource::new(
        move || (id.get(), yrke()),
        |(id, q)| need_form_options(id, q),
    );
    let post = ServerAction::<PostNeed>::new();
    view! {
        <Title text=l.t("needs-new") />
        <h1>{l.t("needs-new")}</h1>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(o) => view! { <NewNeedForm options=o post /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewNeedForm(options: NeedFormChoices, post: ServerAction<PostNeed>) -> impl IntoView {
    let l = use_locale();
    let result = Signal::derive(move || post.value().get());
    let query = use_query_map();
    let yrke = query.read_untracked().get("yrke").unwrap_or_default();
    let searched = !yrke.trim().is_empty();
    let firm_field = if options.firms.len() == 1 {
        let (id, name) = options.firms[0].clone();
        view! {
            <input type="hidden" name="firm_id" value=id />
            <p>{l.t_args("need-for-firm", &[("firm", name)])}</p>
        }
        .into_any()
    } else {
        let choices = options
            .firms
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone()))
            .collect();
        view! { <SelectField name="firm_id" label=l.t("need-firm") required=true options=choices empty=l.t("form-choose") result /> }.into_any()
    };
    let statuses = vec![
        ("open".to_owned(), l.t("need-post-open")),
        ("draft".to_owned(), l.t("need-post-draft")),
    ];
    let matches = options
        .matches
        .iter()
        .map(|o| view! { <li><code>{o.code.clone()}</code> " " {o.name.clone()}</li> })
        .collect_view();
    view! {
        <p><a href=format!("/ringar/{}/behov", options.ring_id)>{l.t_args("needs-back-to-board", &[("ring", options.ring_name.clone())])}</a></p>
        <section class="card" aria-labelledby="occupation-search-heading">
            <h2 id="occupation-search-heading">{l.t("occupation-search")}</h2>
            <p>{l.t("occupation-search-intro")}</p>
            <form method="get" action=format!("/ringar/{}/behov/nytt", options.ring_id) role="search" aria-label=l.t("occupation-search")>
                <div class="field">
                    <label for="yrke">{l.t("occupation-search-label")}</label>
                    <input id="yrke" name="yrke" type="search" value=yrke />
                </div>
                <button type="submit" class="button button--secondary">{l.t("occupation-search-submit")}</button>
            </form>
            {searched.then(|| if options.matches.is_empty() {
                view! { <p role="status">{l.t("occupation-search-none")}</p> }.into_any()
            } else {
                view! { <ul class="plain-list" aria-label=l.t("occupation-search-results")>{matches}</ul> }.into_any()
            })}
        </section>
        <PostForm action=post once=true attr:novalidate="novalidate">
            <input type="hidden" name="ring_id" value=options.ring_id />
            <ErrorSummary result fields=need_fields() />
            {firm_field}
            <NeedFormFields result />
            <SelectField name="status" label=l.t("need-post-as") options=statuses result value="open".to_owned() />
            <button type="submit" class="button">{l.t("need-post-submit")}</button>
        </PostForm>
    }
}

/// Editing a need.
#[component]
pub fn EditNeedPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let need = Resource::new(move || id.get(), get_need);
    let update = ServerAction::<UpdateNeed>::new();
    view! {
        <Title text=l.t("need-edit") />
        <h1>{l.t("need-edit")}</h1>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match need.await {
                    Ok(n) if n.can_edit => view! { <EditNeedForm need=n update /> }.into_any(),
                    Ok(_) => view! { <ErrorMessage error=AppError::Forbidden /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditNeedForm(need: NeedDetail, update: ServerAction<UpdateNeed>) -> impl IntoView {
    let l = use_locale();
    let result = Signal::derive(move || update.value().get());
    let id = need.summary.id;
    view! {
        <PostForm action=update attr:novalidate="novalidate">
            <input type="hidden" name="need_id" value=id />
            <ErrorSummary result fields=need_fields() />
            <NeedFormFields result need />
            <button type="submit" class="button">{l.t("save")}</button>
        </PostForm>
        <p><a href=format!("/behov/{id}")>{l.t("need-back")}</a></p>
    }
}
