//! The analysis as tables, shared by the page and the CSV files: demand per group,
//! and the pool's job-ready and not yet job-ready candidates per group by gender and
//! age band.

use super::AnalysisView;
use crate::{
    i18n::Locale,
    reports::{
        model::{COLUMN_KEYS, Counts},
        tables::{Cell, Row, Table},
    },
};

/// A group's label: its code and name.
pub fn group_label(code: &str, name: &str) -> String {
    if name.is_empty() {
        code.to_owned()
    } else {
        format!("{code} {name}")
    }
}

/// The tables' ids, in page order.
pub const TABLES: [&str; 3] = ["demand", "ready", "not-ready"];

/// The analysis' tables in `locale`: `demand`, `ready` and `not-ready`.
pub fn tables(view: &AnalysisView, locale: Locale) -> Vec<Table> {
    let demand = Table {
        id: "demand",
        columns: [
            "analysis-col-needs",
            "analysis-col-positions",
            "analysis-col-filled",
            "analysis-col-lead",
            "analysis-col-swedish",
            "analysis-col-licence",
            "analysis-col-ready",
            "analysis-col-not-ready",
        ]
        .iter()
        .map(|k| locale.t(k))
        .collect(),
        rows: view
            .rows
            .iter()
            .map(|r| {
                let f = &r.figures;
                let swedish = f
                    .swedish
                    .iter()
                    .map(|(level, n)| format!("{} ({n})", level.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ");
                Row {
                    label: group_label(&f.group, &r.name),
                    definition: None,
                    cells: vec![
                        Cell::Count(f.needs),
                        Cell::Count(f.positions),
                        Cell::Count(f.filled),
                        Cell::Days(f.lead_days),
                        if swedish.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(swedish)
                        },
                        Cell::Count(f.licence),
                        Cell::Count(f.ready.total()),
                        Cell::Count(f.not_ready.total()),
                    ],
                }
            })
            .collect(),
    };
    let breakdown = |id: &'static str, counts: fn(&super::model::GroupFigures) -> Counts| Table {
        id,
        columns: COLUMN_KEYS.iter().map(|k| locale.t(k)).collect(),
        rows: view
            .rows
            .iter()
            .map(|r| Row {
                label: group_label(&r.figures.group, &r.name),
                definition: None,
                cells: counts(&r.figures)
                    .0
                    .iter()
                    .map(|n| Cell::Count(*n))
                    .collect(),
            })
            .collect(),
    };
    vec![
        demand,
        breakdown("ready", |f| f.ready),
        breakdown("not-ready", |f| f.not_ready),
    ]
}
