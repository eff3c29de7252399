//! `/behov/:id/matchning`: the candidates ranked for a need, explained, and its shortlist.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{AddToShortlist, MatchFilters, MatchView, RemoveFromShortlist, match_need};
use crate::{
    candidates::{model::weights, pages::ScoreExplanation},
    i18n::use_locale,
    ui::id_param,
    ui::{ErrorMessage, PostForm, button_form, or_dash},
};

/// Matching for a need: the ranked candidates, explained, and the shortlist.
#[component]
pub fn MatchPage() -> impl IntoView {
    let id = id_param();
    let add = ServerAction::<AddToShortlist>::new();
    let remove = ServerAction::<RemoveFromShortlist>::new();
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        let on = |k: &str| q.get(k).is_some_and(|v| v == "1");
        MatchFilters {
            job_ready: on("klar"),
            consent: on("samtycke"),
            not_placed: on("ej-placerad"),
        }
    });
    let view_data = Resource::new(
        move || (id.get(), filters.get()),
        |(id, filters)| match_need(id, Some(filters)),
    );
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(m) => view! { <MatchViewPage m add remove /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MatchViewPage(
    m: MatchView,
    add: ServerAction<AddToShortlist>,
    remove: ServerAction<RemoveFromShortlist>,
) -> impl IntoView {
    let l = use_locale();
    let need_id = m.need_id;
    let add_error = move || match add.value().get() {
        Some(Err(e)) => Some(view! { <div class="error-summary" role="alert"><p>{
            e.field_errors().and_then(|f| f.get("note").map(|k| format!("{}: {}", use_locale().t("shortlist-note"), use_locale().t(k))))
                .unwrap_or_else(|| crate::ui::error_text(&e))
        }</p></div> }),
        _ => None,
    };
    let ranked_items = m.ranked.clone();
    let ring_id = m.ring.0;
    let f = m.filters;
    let filter_form = view! {
        <form method="get" action=format!("/behov/{need_id}/matchning") class="filters">
            <fieldset>
                <legend>{l.t("match-filters")}</legend>
                <div class="field field--checkbox"><input type="checkbox" id="filter-klar" name="klar" value="1" checked=f.job_ready /><label for="filter-klar">{l.t("match-filter-job-ready")}</label></div>
                <div class="field field--checkbox"><input type="checkbox" id="filter-samtycke" name="samtycke" value="1" checked=f.consent /><label for="filter-samtycke">{l.t_args("match-filter-consent", &[("ring", m.ring.1.clone())])}</label></div>
                <div class="field field--checkbox"><input type="checkbox" id="filter-ej-placerad" name="ej-placerad" value="1" checked=f.not_placed /><label for="filter-ej-placerad">{l.t("match-filter-not-placed")}</label></div>
            </fieldset>
            <button type="submit" class="button button--secondary">{l.t("match-filter-submit")}</button>
        </form>
    };
    let shortlist = if m.shortlist.is_empty() {
        view! { <p>{l.t("shortlist-none")}</p> }.into_any()
    } else {
        view! {
            <ul class="plain-list">
                {m.shortlist.clone().into_iter().map(|s| view! {
                    <li>
                        <a href=format!("/deltagare/{}", s.candidate_id)>{s.name.clone()}</a>
                        {(!s.note.is_empty()).then(|| format!(" – {}", s.note))}
                        " (" {l.datetime(s.added_at)} ") "
                        {button_form!(remove, vec![("need_id", need_id.to_string()), ("candidate_id", s.candidate_id.to_string())], l.t_args("shortlist-remove", &[("name", s.name.clone())]))}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let ranked = if m.ranked.is_empty() {
        view! { <p>{l.t("match-none")}</p> }.into_any()
    } else {
        view! {
            <ol class="ranked">
                {ranked_items.into_iter().map(|r| {
                    let cid = r.score.candidate_id;
                    let note_id = format!("note-{cid}");
                    view! {
                        <li>
                            <h3>
                                <a href=format!("/deltagare/{cid}")>{r.name.clone()}</a>
                                {r.in_pool.then(|| view! { " " <span class="tag">{l.t("match-in-pool")}</span> })}
                                {r.shortlisted.then(|| view! { " " <span class="tag tag--success">{l.t("match-shortlisted")}</span> })}
                            </h3>
                            // The score as a bar that scans down the list; its parts on demand.
                            <p class="score">
                                <meter min="0" max=weights::MAX value=r.score.total aria-label=l.t_args("match-score-of", &[("name", r.name.clone())])></meter>
                                " " <strong>{l.t_args("match-total", &[("total", r.score.total.to_string()), ("max", weights::MAX.to_string())])}</strong>
                            </p>
                            <p class="match-state">
                                {if r.job_ready { view! { <span class="tag tag--success">{l.t("match-state-job-ready")}</span> }.into_any() } else { view! { <span class="tag">{l.t("match-state-not-job-ready")}</span> }.into_any() }}
                                " "
                                {match (&r.released, r.consent) {
                                    (Some(code), _) => view! { <span class="tag tag--success">{l.t_args("match-released", &[("code", code.clone())])}</span> }.into_any(),
                                    (None, true) => view! {
                                        <span class="tag">{l.t("match-consent")}</span> " "
                                        <a class="button button--secondary" href=format!("/deltagare/{cid}/dela?ring={ring_id}&behov={need_id}")>{l.t_args("match-share", &[("name", r.name.clone())])}</a>
                                    }.into_any(),
                                    (None, false) => view! { <a href=format!("/deltagare/{cid}/samtycken")>{l.t("match-no-consent")}</a> }.into_any(),
                                }}
                                {r.placed.then(|| view! { " " <span class="tag">{l.t("match-placed")}</span> })}
                            </p>
                            <details class="score-details">
                                <summary>{l.t_args("match-why", &[("name", r.name.clone())])}</summary>
                                <ScoreExplanation score=r.score.clone() />
                            </details>
                            {(!r.shortlisted).then(|| view! {
                                <PostForm action=add attr:class="inline-form">
                                    <input type="hidden" name="need_id" value=need_id />
                                    <input type="hidden" name="candidate_id" value=cid />
                                    <div class="field">
                                        <label for=note_id.clone()>{l.t_args("shortlist-note-for", &[("name", r.name.clone())])}</label>
                                        <input id=note_id.clone() name="note" type="text" maxlength="500" autocomplete="off" />
                                    </div>
                                    <button type="submit" class="button button--secondary">{l.t_args("shortlist-add", &[("name", r.name.clone())])}</button>
                                </PostForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <Title text=l.t_args("match-title", &[("need", m.title.clone())]) />
        <h1>{l.t_args("match-title", &[("need", m.title.clone())])}</h1>
        // The need in one line, its details on demand: the ranking is what the page is for.
        <p class="summary-line">
            {m.occupation.label()} " · " {m.firm_name.clone()} " · "
            <a href=format!("/ringar/{}/pool", m.ring.0)>{m.ring.1.clone()}</a> " · "
            {l.t_args("match-starts", &[("date", l.date(m.start_date))])}
        </p>
        <details>
            <summary>{l.t("match-need-details")}</summary>
            <dl class="facts">
                <dt>{l.t("need-swedish-level")}</dt><dd>{or_dash(&m.swedish_level)}</dd>
                <dt>{l.t("need-driving-licence")}</dt><dd>{or_dash(&m.driving_licence)}</dd>
                <dt>{l.t("need-suggested-training")}</dt><dd>{or_dash(&m.suggested_training)}</dd>
            </dl>
            <p><a href=format!("/behov/{need_id}")>{l.t("match-back-to-need")}</a></p>
        </details>
        <section id="kortlista" aria-labelledby="shortlist-heading">
            <h2 id="shortlist-heading">{l.t("shortlist-title")}</h2>
            {shortlist}
        </section>
        <section aria-labelledby="ranking-heading">
            <h2 id="ranking-heading">{l.t("match-ranking")}</h2>
            <p>{l.t_args("match-intro", &[("shown", m.ranked.len().to_string()), ("considered", m.considered.to_string())])}</p>
            <details>
                <summary>{l.t("match-weights-title")}</summary>
                <p>{l.t("match-weights")}</p>
            </details>
            {filter_form}
            {add_error}
            {ranked}
        </section>
    }
}
