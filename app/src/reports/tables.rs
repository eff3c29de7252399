//! The report's figures as tables (label, cells, one-line definition), shared by the
//! page and the CSV export so that both show the same.

use chrono::{Datelike, NaiveDate};

use super::{
    ReportView, RingStatsView,
    model::{COLUMN_KEYS, COLUMNS, Counts, Shown},
};
use crate::i18n::Locale;

/// A value of a table cell, as the page and the CSV file show it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A count.
    Count(u32),
    /// A share in per cent.
    Percent(Option<f64>),
    /// A mean number of days.
    Days(Option<f64>),
    /// Hidden to protect small counts.
    Hidden,
    /// Does not apply (needs have no gender).
    Empty,
    /// Words (the competence-needs analysis' Swedish levels).
    Text(String),
}

impl Cell {
    /// As text in `locale` (a decimal comma in Swedish).
    pub fn text(&self, locale: Locale) -> String {
        let decimal = |v: f64| {
            let s = format!("{v:.1}");
            match locale {
                Locale::Sv => s.replace('.', ","),
                Locale::En => s,
            }
        };
        match self {
            Self::Count(n) => n.to_string(),
            Self::Percent(Some(v)) => format!("{} %", decimal(*v)),
            Self::Days(Some(v)) => decimal(*v),
            Self::Percent(None) | Self::Days(None) | Self::Empty => "–".to_owned(),
            Self::Hidden => "..".to_owned(),
            Self::Text(text) => text.clone(),
        }
    }
}

fn counts(c: &Counts) -> Vec<Cell> {
    c.0.iter().map(|n| Cell::Count(*n)).collect()
}

/// A table of the report: its id (for the CSV address), caption key, the heading of
/// its first column, and rows of (label, definition, cells).
#[derive(Debug, Clone)]
pub struct Table {
    /// `figures`, `exits`, `jobs`, `trend`, `firms` or `ring`.
    pub id: &'static str,
    /// Column headings after the label column.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<Row>,
}

/// One row of a [`Table`].
#[derive(Debug, Clone)]
pub struct Row {
    /// What it counts.
    pub label: String,
    /// How (one line), if the table has definitions.
    pub definition: Option<String>,
    /// The values.
    pub cells: Vec<Cell>,
}

fn breakdown_columns(locale: Locale) -> Vec<String> {
    COLUMN_KEYS.iter().map(|k| locale.t(k)).collect()
}

/// The report's tables in `locale`, in page order.
pub fn tables(view: &ReportView, locale: Locale) -> Vec<Table> {
    let f = &view.figures;
    let row = |key: &str, cells: Vec<Cell>| Row {
        label: locale.t(key),
        definition: Some(locale.t(&format!("{key}-def"))),
        cells,
    };
    let share = f.share_18m().map(Cell::Percent).to_vec();
    let mean = f.mean_days().map(Cell::Days).to_vec();
    let figures = Table {
        id: "figures",
        columns: breakdown_columns(locale),
        rows: vec![
            row("report-cohort", counts(&f.cohort)),
            row("report-matured", counts(&f.matured)),
            row("report-self-sufficient-18m", counts(&f.self_sufficient_18m)),
            row("report-share-18m", share),
            row("report-job-ready-4m", counts(&f.job_ready_4m)),
            row("report-self-sufficient", counts(&f.self_sufficient)),
            row("report-mean-days", mean),
            row("report-in-internship", counts(&f.in_internship)),
            row(
                "report-job-after-internship",
                counts(&f.job_after_internship),
            ),
            row("report-in-training", counts(&f.in_training)),
            row("report-job-after-training", counts(&f.job_after_training)),
            row("report-in-track", counts(&f.in_track)),
            row("report-job-after-track", counts(&f.job_after_track)),
        ],
    };
    let exits = Table {
        id: "exits",
        columns: breakdown_columns(locale),
        rows: f
            .exits
            .iter()
            .map(|(reason, c)| Row {
                label: locale.t(reason.label_key()),
                definition: None,
                cells: counts(c),
            })
            .collect(),
    };
    let jobs = Table {
        id: "jobs",
        columns: breakdown_columns(locale),
        rows: f
            .jobs
            .iter()
            .map(|(form, c)| Row {
                label: form.map_or_else(
                    || locale.t("report-form-unknown"),
                    |x| locale.t(x.label_key()),
                ),
                definition: None,
                cells: counts(c),
            })
            .collect(),
    };
    let firms = Table {
        id: "firms",
        columns: vec![locale.t("report-col-firms")],
        rows: vec![
            row(
                "report-firms-contacted",
                vec![Cell::Count(f.firms_contacted)],
            ),
            row(
                "report-firms-with-needs",
                vec![Cell::Count(f.firms_with_needs)],
            ),
        ],
    };
    let trend = Table {
        id: "trend",
        columns: vec![
            locale.t("report-trend-enrolled"),
            locale.t("report-trend-job-ready"),
            locale.t("report-trend-self-sufficient"),
        ],
        rows: f
            .trend
            .iter()
            .map(|p| Row {
                label: bucket_label(p.start, p.end),
                definition: None,
                cells: vec![
                    Cell::Count(p.enrolled),
                    Cell::Count(p.job_ready),
                    Cell::Count(p.self_sufficient),
                ],
            })
            .collect(),
    };
    vec![figures, firms, exits, jobs, trend]
}

/// A trend bucket's name: the month ("2026-03"), or its first and last day.
pub fn bucket_label(start: NaiveDate, end: NaiveDate) -> String {
    let whole_month = start.day() == 1
        && end.month() == start.month()
        && end.year() == start.year()
        && end.succ_opt().is_none_or(|n| n.day() == 1);
    if whole_month {
        start.format("%Y-%m").to_string()
    } else {
        format!("{}–{}", start.format("%Y-%m-%d"), end.format("%Y-%m-%d"))
    }
}

/// The ring statistics as a table in `locale`.
pub fn ring_table(view: &RingStatsView, locale: Locale) -> Table {
    let one = |s: &Shown| match s {
        Shown::Count(n) => Cell::Count(*n),
        Shown::Hidden => Cell::Hidden,
    };
    let shown = |cells: &[Shown; COLUMNS]| cells.iter().map(one).collect();
    let needs = |n: Shown| {
        let mut cells = vec![one(&n)];
        cells.extend(std::iter::repeat_n(Cell::Empty, COLUMNS - 1));
        cells
    };
    let row = |key: &str, cells: Vec<Cell>| Row {
        label: locale.t(key),
        definition: Some(locale.t(&format!("{key}-def"))),
        cells,
    };
    Table {
        id: "ring",
        columns: breakdown_columns(locale),
        rows: vec![
            row("ring-stats-needs-posted", needs(view.needs_posted)),
            row("ring-stats-needs-filled", needs(view.needs_filled)),
            row("ring-stats-internships", shown(&view.internships)),
            row("ring-stats-hires", shown(&view.hires)),
        ],
    }
}

/// The i18n key of the heading of `table`'s first column.
pub fn first_column_key(table: &str) -> &'static str {
    match table {
        "exits" => "report-col-reason",
        "jobs" => "report-col-form",
        "trend" => "report-col-period",
        "demand" | "ready" | "not-ready" => "analysis-col-group",
        _ => "report-col-figure",
    }
}
