//! `/rapporter` (staff: the follow-up report with charts, tables, definitions, CSV
//! files and a print view) and `/ringar/:id/statistik` (a ring's own statistics, for
//! its members too, small cells hidden). Both choose with a plain GET form, so they
//! work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    ReportView, RingRef, RingStatsView,
    charts::{self, Bar, Series},
    model::{COLUMN_KEYS, GOAL_PERCENT},
    outcome_report, report_rings, ring_statistics,
    tables::{self, Cell, Table},
};
use crate::{
    error::AppError,
    i18n::{Locale, use_locale},
    ui::{ErrorMessage, ErrorSummary, SelectField, TextField},
};

/// A query string of `pairs` (values encoded).
pub(crate) fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencoding(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One cell as HTML: a hidden count says so to screen readers.
fn cell_view(cell: Cell, l: Locale) -> AnyView {
    match cell {
        Cell::Hidden => view! {
            <td class="num">
                <span aria-hidden="true">".."</span>
                <span class="visually-hidden">{l.t("report-hidden")}</span>
            </td>
        }
        .into_any(),
        other => view! { <td class="num">{other.text(l)}</td> }.into_any(),
    }
}

/// A table with its caption, the definitions of its rows (one line each) and a
/// link to its CSV file.
#[component]
pub(crate) fn ReportTable(table: Table, caption: String, csv: Option<String>) -> impl IntoView {
    let l = use_locale();
    let heading = l.t(tables::first_column_key(table.id));
    let id = format!("table-{}", table.id);
    let caption_id = format!("{id}-caption");
    let labelled_by = caption_id.clone();
    let definitions: Vec<(String, String)> = table
        .rows
        .iter()
        .filter_map(|r| r.definition.clone().map(|d| (r.label.clone(), d)))
        .collect();
    view! {
        // A group, not a region: a report has many tables, and a landmark per table
        // would crowd the landmark list with near-identical names.
        <div class="table-wrap" role="group" aria-labelledby=labelled_by tabindex="0">
            <table id=id class="report-table">
                <caption id=caption_id>{caption}</caption>
                <thead><tr>
                    <th scope="col">{heading}</th>
                    {table.columns.iter().map(|c| view! { <th scope="col" class="num">{c.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {table.rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.label}</th>
                            {r.cells.into_iter().map(|c| cell_view(c, l)).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(!definitions.is_empty()).then(|| view! {
            <dl class="definitions">
                {definitions.into_iter().map(|(term, text)| view! { <dt>{term}</dt><dd>{text}</dd> }).collect_view()}
            </dl>
        })}
        {csv.map(|href| view! {
            <p class="no-print"><a href=href download="">{l.t("report-csv")}</a></p>
        })}
    }
}

fn percent_text(v: Option<f64>, l: Locale) -> String {
    Cell::Percent(v).text(l)
}

/// The charts of a report: the 18-month share against the goal and job-ready within
/// 4 months, by gender and age band, and the trend.
fn charts_view(view: &ReportView, l: Locale) -> impl IntoView + use<> {
    let f = &view.figures;
    let columns: Vec<String> = COLUMN_KEYS.iter().map(|k| l.t(k)).collect();
    let share = f.share_18m();
    let share_bars: Vec<Bar> = columns
        .iter()
        .zip(share)
        .map(|(label, v)| Bar {
            label: label.clone(),
            value: v,
            text: percent_text(v, l),
        })
        .collect();
    let goal_label = l.t_args("report-goal", &[("goal", GOAL_PERCENT.to_string())]);
    let share_svg = charts::bars(
        "chart-share",
        &l.t("report-chart-share"),
        &l.t_args(
            "report-chart-share-desc",
            &[
                ("total", percent_text(share[0], l)),
                ("goal", GOAL_PERCENT.to_string()),
            ],
        ),
        &share_bars,
        100.0,
        Some((f64::from(GOAL_PERCENT), &goal_label)),
    );
    let ready_bars: Vec<Bar> = columns
        .iter()
        .zip(f.job_ready_4m.0)
        .map(|(label, n)| Bar {
            label: label.clone(),
            value: Some(f64::from(n)),
            text: n.to_string(),
        })
        .collect();
    let ready_svg = charts::bars(
        "chart-ready",
        &l.t("report-chart-ready"),
        &l.t_args(
            "report-chart-ready-desc",
            &[
                ("count", f.job_ready_4m.0[0].to_string()),
                ("cohort", f.cohort.0[0].to_string()),
            ],
        ),
        &ready_bars,
        0.0,
        None,
    );
    let labels: Vec<String> = f
        .trend
        .iter()
        .map(|p| tables::bucket_label(p.start, p.end))
        .collect();
    let series = [
        Series {
            name: l.t("report-trend-enrolled"),
            values: f.trend.iter().map(|p| p.enrolled).collect(),
        },
        Series {
            name: l.t("report-trend-job-ready"),
            values: f.trend.iter().map(|p| p.job_ready).collect(),
        },
        Series {
            name: l.t("report-trend-self-sufficient"),
            values: f.trend.iter().map(|p| p.self_sufficient).collect(),
        },
    ];
    let trend_svg = charts::trend(
        "chart-trend",
        &l.t("report-chart-trend"),
        &l.t("report-chart-trend-desc"),
        &labels,
        &series,
    );
    view! {
        <div class="report-charts">
            <figure class="chart-figure">
                <div inner_html=share_svg></div>
                <figcaption>{l.t("report-chart-share-caption")}</figcaption>
            </figure>
            <figure class="chart-figure">
                <div inner_html=ready_svg></div>
                <figcaption>{l.t("report-chart-ready-caption")}</figcaption>
            </figure>
            <figure class="chart-figure chart-figure--wide">
                <div inner_html=trend_svg></div>
                <figcaption>{l.t("report-chart-trend-caption")}</figcaption>
            </figure>
        </div>
    }
}

/// The choice of period and ring, with each bad field named and what was typed kept.
fn filters(
    result: Signal<Option<Result<ReportView, AppError>>>,
    rings: Vec<RingRef>,
    values: [String; 3],
    l: Locale,
) -> impl IntoView {
    let [from, to, ring] = values;
    let options = rings
        .into_iter()
        .map(|r| (r.id.to_string(), r.name))
        .collect();
    view! {
        <form method="get" action="/rapporter" class="report-filters no-print" role="search" aria-label=l.t("report-filters")>
            <ErrorSummary result fields=vec![("from", l.t("report-from")), ("to", l.t("report-to")), ("ring", l.t("report-ring"))] />
            <div class="report-filters__fields">
                <TextField name="from" kind="date" label=l.t("report-from") result value=Some(from) hint=l.t("report-date-hint") />
                <TextField name="to" kind="date" label=l.t("report-to") result value=Some(to) hint=l.t("report-date-hint") />
                <SelectField name="ring" label=l.t("report-ring") result options empty=l.t("report-all-rings") value=Some(ring) />
            </div>
            <button type="submit" class="button">{l.t("report-show")}</button>
        </form>
    }
}

/// The follow-up report for staff.
#[component]
pub fn ReportPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let args = move || (param("from"), param("to"), param("ring"));
    let report = Resource::new(args, |(from, to, ring)| outcome_report(from, to, ring));
    let rings = Resource::new(|| (), |_| report_rings());
    let print = move || param("utskrift") == "1";
    let current = move |extra: &[(&str, String)]| {
        let mut pairs = vec![
            ("from", param("from")),
            ("to", param("to")),
            ("ring", param("ring")),
        ];
        pairs.extend(extra.iter().cloned());
        query_string(&pairs)
    };
    view! {
        <Title text=l.t("report-title") />
        <div class="report" class:report--print=print>
            <h1>{l.t("report-title")}</h1>
            <p class="no-print"><a href="/analys">{l.t("analysis-link")}</a></p>
            {move || print().then(|| view! {
                <p class="report-print-bar"><a href=format!("/rapporter?{}", current(&[]))>{l.t("report-print-back")}</a>" · "{l.t("report-print-hint")}</p>
            })}
            <Suspense fallback=crate::ui::loading>
                {move || Suspend::new(async move {
                    let outcome = report.await;
                    if let Err(e) = &outcome
                        && !matches!(e, AppError::Validation(_))
                    {
                        return view! { <ErrorMessage error=e.clone() /> }.into_any();
                    }
                    let ring_list = rings.await.unwrap_or_default();
                    let result = Signal::stored(Some(outcome.clone()));
                    let form = filters(result, ring_list, [param("from"), param("to"), param("ring")], l);
                    let body = match outcome {
                        Ok(v) => report_view(&v, l, &current(&[])).into_any(),
                        // Each field's error is named in the form.
                        Err(e) => {
                            #[cfg(feature = "ssr")]
                            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                                options.set_status(e.status());
                            }
                            let _ = e;
                            ().into_any()
                        }
                    };
                    view! { {form} {body} }.into_any()
                })}
            </Suspense>
        </div>
    }
}

/// The figures of a report: the goal, the charts, and every table.
fn report_view(v: &ReportView, l: Locale, base: &str) -> impl IntoView + use<> {
    let f = &v.figures;
    let scope = v
        .ring
        .as_ref()
        .map_or_else(|| l.t("report-all-rings"), |r| r.name.clone());
    let summary = l.t_args(
        "report-scope",
        &[
            ("scope", scope),
            ("from", l.date(f.period.from)),
            ("to", l.date(f.period.to)),
            ("asof", l.date(f.as_of)),
        ],
    );
    let csv = |table: &str| Some(format!("/rapporter/export.csv?{base}&tabell={table}"));
    let print_link = format!("/rapporter?{base}&utskrift=1");
    let share = f.share_18m()[0];
    let goal_met = share.is_some_and(|s| s >= f64::from(GOAL_PERCENT));
    let goal_text = match share {
        Some(s) => l.t_args(
            if goal_met {
                "report-goal-met"
            } else {
                "report-goal-not-met"
            },
            &[
                ("share", percent_text(Some(s), l)),
                ("goal", GOAL_PERCENT.to_string()),
                ("matured", f.matured.0[0].to_string()),
            ],
        ),
        None => l.t("report-goal-no-cohort"),
    };
    let erased =
        (v.erased > 0).then(|| l.t_args("report-erased", &[("count", v.erased.to_string())]));
    let ring_note = v.ring.is_some().then(|| l.t("report-ring-note"));
    let charts = charts_view(v, l);
    let mut t = tables::tables(v, l).into_iter();
    let (figures, firms, exits, jobs, trend) = (t.next(), t.next(), t.next(), t.next(), t.next());
    let (csv_figures, csv_firms, csv_exits, csv_jobs, csv_trend) = (
        csv("figures"),
        csv("firms"),
        csv("exits"),
        csv("jobs"),
        csv("trend"),
    );
    view! {
        <p class="report-scope">{summary}</p>
        {erased.map(|e| view! { <p>{e}</p> })}
        {ring_note.map(|e| view! { <p>{e}</p> })}
        <p class="no-print"><a href=print_link>{l.t("report-print")}</a></p>
        <section aria-labelledby="goal-heading">
            <h2 id="goal-heading">{l.t("report-goal-heading")}</h2>
            <p class="report-goal" class:report-goal--met=goal_met>{goal_text}</p>
            {charts}
        </section>
        <section aria-labelledby="figures-heading">
            <h2 id="figures-heading">{l.t("report-figures-heading")}</h2>
            {figures.map(|table| view! { <ReportTable table caption=l.t("report-figures-caption") csv=csv_figures /> })}
            {firms.map(|table| view! { <ReportTable table caption=l.t("report-firms-caption") csv=csv_firms /> })}
        </section>
        <section aria-labelledby="exits-heading">
            <h2 id="exits-heading">{l.t("report-exits-heading")}</h2>
            <p>{l.t("report-exits-def")}</p>
            {exits.map(|table| view! { <ReportTable table caption=l.t("report-exits-caption") csv=csv_exits /> })}
        </section>
        <section aria-labelledby="jobs-heading">
            <h2 id="jobs-heading">{l.t("report-jobs-heading")}</h2>
            <p>{l.t("report-jobs-def")}</p>
            {jobs.map(|table| view! { <ReportTable table caption=l.t("report-jobs-caption") csv=csv_jobs /> })}
        </section>
        <section aria-labelledby="trend-heading">
            <h2 id="trend-heading">{l.t("report-trend-heading")}</h2>
            <p>{l.t("report-trend-def")}</p>
            {trend.map(|table| view! { <ReportTable table caption=l.t("report-trend-caption") csv=csv_trend /> })}
        </section>
    }
}

/// A ring's statistics: needs posted and filled, internships and hires from the
/// ring, by gender and age band, with small counts hidden.
#[component]
pub fn RingStatsPage() -> impl IntoView {
    let l = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let ring = move || params.read().get("id").unwrap_or_default();
    let year = move || query.read().get("ar").unwrap_or_default();
    let stats = Resource::new(move || (ring(), year()), |(r, y)| ring_statistics(r, y));
    view! {
        <Title text=l.t("ring-stats-title") />
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(v) => ring_stats_view(v, l).into_any(),
                    Err(e) => view! { <h1>{l.t("ring-stats-title")}</h1><ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn ring_stats_view(v: RingStatsView, l: Locale) -> impl IntoView {
    let ring_id = v.ring.id;
    let year = v.year;
    let covers = match v.period {
        Some(p) => l.t_args(
            "ring-stats-covers",
            &[("from", l.date(p.from)), ("to", l.date(p.to))],
        ),
        None => l.t("ring-stats-no-quarter"),
    };
    let table = tables::ring_table(&v, l);
    let csv = Some(format!("/ringar/{ring_id}/statistik.csv?ar={year}"));
    let options = v
        .years
        .iter()
        .map(|y| {
            let chosen = *y == year;
            view! { <option value=y.to_string() selected=chosen>{y.to_string()}</option> }
        })
        .collect_view();
    view! {
        <p class="breadcrumb"><a href=format!("/ringar/{ring_id}")>{v.ring.name.clone()}</a></p>
        <h1>{l.t_args("ring-stats-heading", &[("ring", v.ring.name.clone())])}</h1>
        <form method="get" action=format!("/ringar/{ring_id}/statistik") class="inline-form no-print">
            <label for="ar">{l.t("ring-stats-year")}</label>
            <select id="ar" name="ar">{options}</select>
            <button type="submit" class="button button--small">{l.t("report-show")}</button>
        </form>
        <p>{covers}</p>
        <p>{l.t("ring-stats-suppression")}</p>
        <ReportTable table caption=l.t_args("ring-stats-caption", &[("year", year.to_string())]) csv />
    }
}
