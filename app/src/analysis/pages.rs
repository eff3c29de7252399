//! `/analys`: the competence-needs analysis for staff, chosen with a plain GET form
//! (period, ring, municipality, group level), so it works without JavaScript; two
//! charts, three tables and their CSV files.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{AnalysisView, analysis_choices, competence_analysis, tables};
use crate::{
    error::AppError,
    i18n::{Locale, use_locale},
    reports::{
        charts::{self, Bar},
        pages::{ReportTable, query_string},
    },
    ui::{ErrorMessage, ErrorSummary, SelectField, TextField},
};

/// How many groups the charts show (the tables show every one).
const CHART_GROUPS: usize = 10;

/// The competence-needs analysis.
#[component]
pub fn AnalysisPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let args = move || {
        (
            param("from"),
            param("to"),
            param("ring"),
            param("municipality"),
            param("level"),
        )
    };
    let analysis = Resource::new(args, |(from, to, ring, m, level)| {
        competence_analysis(from, to, ring, m, level)
    });
    view! {
        <Title text=l.t("analysis-title") />
        <h1>{l.t("analysis-title")}</h1>
        <p>{l.t("analysis-intro")}</p>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let outcome = analysis.await;
                let values = [param("from"), param("to"), param("ring"), param("municipality"), param("level")];
                match outcome {
                    Ok(v) => {
                        let form = filters(Signal::stored(None), &v, values, l);
                        let base = query_string(&[
                            ("from", v.scope.period.from.to_string()),
                            ("to", v.scope.period.to.to_string()),
                            ("ring", v.scope.ring.map(|r| r.to_string()).unwrap_or_default()),
                            ("municipality", v.scope.municipality.map(|m| m.to_string()).unwrap_or_default()),
                            ("level", v.scope.digits.to_string()),
                        ]);
                        view! { {form} {analysis_view(&v, l, &base)} }.into_any()
                    }
                    Err(e @ AppError::Validation(_)) => {
                        #[cfg(feature = "ssr")]
                        if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                            options.set_status(e.status());
                        }
                        // The form with its choices: each field's error is named, and
                        // what was typed and chosen is kept.
                        let (rings, municipalities) = analysis_choices().await.unwrap_or_default();
                        let form_only = AnalysisView {
                            scope: super::Scope {
                                period: crate::reports::model::Period { from: chrono::NaiveDate::MIN, to: chrono::NaiveDate::MIN },
                                ring: None,
                                municipality: None,
                                digits: super::model::DEFAULT_DIGITS,
                            },
                            rows: Vec::new(),
                            rings,
                            municipalities,
                        };
                        view! { {filters(Signal::stored(Some(Err(e))), &form_only, values, l)} }.into_any()
                    }
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The choice of period, ring, municipality and group level.
fn filters(
    result: Signal<Option<Result<AnalysisView, AppError>>>,
    v: &AnalysisView,
    values: [String; 5],
    l: Locale,
) -> impl IntoView + use<> {
    let [from, to, ring, municipality, level] = values;
    let options = |list: &[(i32, String)]| {
        list.iter()
            .map(|(id, name)| (id.to_string(), name.clone()))
            .collect::<Vec<_>>()
    };
    let levels: Vec<(String, String)> = (1..=4)
        .rev()
        .map(|d| (d.to_string(), l.t(&format!("analysis-level-{d}"))))
        .collect();
    let level = if level.is_empty() {
        super::model::DEFAULT_DIGITS.to_string()
    } else {
        level
    };
    view! {
        <form method="get" action="/analys" class="report-filters no-print" role="search" aria-label=l.t("report-filters")>
            <ErrorSummary result fields=vec![("from", l.t("report-from")), ("to", l.t("report-to")), ("ring", l.t("report-ring")), ("municipality", l.t("analysis-municipality")), ("level", l.t("analysis-level"))] />
            <div class="report-filters__fields">
                <TextField name="from" kind="date" label=l.t("report-from") result value=Some(from) hint=l.t("report-date-hint") />
                <TextField name="to" kind="date" label=l.t("report-to") result value=Some(to) hint=l.t("report-date-hint") />
                <SelectField name="ring" label=l.t("report-ring") result options=options(&v.rings) empty=l.t("report-all-rings") value=Some(ring) />
                <SelectField name="municipality" label=l.t("analysis-municipality") result options=options(&v.municipalities) empty=l.t("analysis-all-municipalities") value=Some(municipality) />
                <SelectField name="level" label=l.t("analysis-level") result options=levels value=Some(level) />
            </div>
            <button type="submit" class="button">{l.t("report-show")}</button>
        </form>
    }
}

fn analysis_view(v: &AnalysisView, l: Locale, base: &str) -> impl IntoView + use<> {
    let summary = l.t_args(
        "analysis-scope",
        &[
            ("from", l.date(v.scope.period.from)),
            ("to", l.date(v.scope.period.to)),
        ],
    );
    if v.rows.is_empty() {
        return view! { <p class="report-scope">{summary}</p> <p>{l.t("analysis-none")}</p> }
            .into_any();
    }
    let top = &v.rows[..v.rows.len().min(CHART_GROUPS)];
    let bar = |r: &super::GroupRow, n: u32| Bar {
        label: r.figures.group.clone(),
        value: Some(f64::from(n)),
        text: n.to_string(),
    };
    let positions: Vec<Bar> = top.iter().map(|r| bar(r, r.figures.positions)).collect();
    let ready: Vec<Bar> = top
        .iter()
        .map(|r| bar(r, r.figures.ready.total()))
        .collect();
    let first = &v.rows[0];
    let desc = l.t_args(
        "analysis-chart-desc",
        &[
            (
                "group",
                tables::group_label(&first.figures.group, &first.name),
            ),
            ("positions", first.figures.positions.to_string()),
            ("ready", first.figures.ready.total().to_string()),
        ],
    );
    // Both charts on the same scale, so the bars compare.
    let max = top
        .iter()
        .map(|r| f64::from(r.figures.positions.max(r.figures.ready.total())))
        .fold(0.0, f64::max);
    let positions_svg = charts::bars(
        "chart-positions",
        &l.t("analysis-chart-positions"),
        &desc,
        &positions,
        max,
        None,
    );
    let ready_svg = charts::bars(
        "chart-ready",
        &l.t("analysis-chart-ready"),
        &desc,
        &ready,
        max,
        None,
    );
    let csv = |table: &str| Some(format!("/analys/export.csv?{base}&tabell={table}"));
    let mut t = tables::tables(v, l).into_iter();
    let (demand, ready_table, not_ready) = (t.next(), t.next(), t.next());
    let (csv_demand, csv_ready, csv_not_ready) = (csv("demand"), csv("ready"), csv("not-ready"));
    view! {
        <p class="report-scope">{summary}</p>
        <section aria-labelledby="demand-heading">
            <h2 id="demand-heading">{l.t("analysis-demand-heading")}</h2>
            <div class="report-charts">
                <figure class="chart-figure">
                    <div inner_html=positions_svg></div>
                    <figcaption>{l.t("analysis-chart-positions-caption")}</figcaption>
                </figure>
                <figure class="chart-figure">
                    <div inner_html=ready_svg></div>
                    <figcaption>{l.t("analysis-chart-ready-caption")}</figcaption>
                </figure>
            </div>
            {demand.map(|table| view! { <ReportTable table caption=l.t("analysis-demand-caption") csv=csv_demand /> })}
            <dl class="definitions">
                <dt>{l.t("analysis-col-needs")}</dt><dd>{l.t("analysis-def-needs")}</dd>
                <dt>{l.t("analysis-col-filled")}</dt><dd>{l.t("analysis-def-filled")}</dd>
                <dt>{l.t("analysis-col-lead")}</dt><dd>{l.t("analysis-def-lead")}</dd>
                <dt>{l.t("analysis-col-ready")}</dt><dd>{l.t("analysis-def-supply")}</dd>
            </dl>
        </section>
        <section aria-labelledby="supply-heading">
            <h2 id="supply-heading">{l.t("analysis-supply-heading")}</h2>
            {ready_table.map(|table| view! { <ReportTable table caption=l.t("analysis-ready-caption") csv=csv_ready /> })}
            {not_ready.map(|table| view! { <ReportTable table caption=l.t("analysis-not-ready-caption") csv=csv_not_ready /> })}
        </section>
        {track_links(v, l)}
    }
    .into_any()
}

/// A job track is built for an occupation (a four-digit group) where demand is large:
/// a link from each of the groups with most positions asked for to a new track, with
/// the occupation and the ring chosen.
fn track_links(v: &AnalysisView, l: Locale) -> impl IntoView + use<> {
    let four_digits = v.scope.digits == 4;
    let ring = v
        .scope
        .ring
        .map(|r| format!("&ring={r}"))
        .unwrap_or_default();
    let links = v.rows[..v.rows.len().min(CHART_GROUPS)]
        .iter()
        .map(|r| {
            let code = r.figures.group.clone();
            let label = l.t_args(
                "analysis-track-create",
                &[("group", tables::group_label(&code, &r.name))],
            );
            view! { <li><a href=format!("/jobbspar/nytt?yrke={code}{ring}")>{label}</a></li> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="tracks-heading" class="no-print">
            <h2 id="tracks-heading">{l.t("analysis-tracks-heading")}</h2>
            {if four_digits {
                view! { <p>{l.t("analysis-tracks-intro")}</p> <ul class="plain-list">{links}</ul> }.into_any()
            } else {
                view! { <p>{l.t("analysis-tracks-level")}</p> }.into_any()
            }}
        </section>
    }
}
