//! The competence-needs analysis (kompetensbehovsanalys, Norrköping's first step
//! toward a job track) computed from plain facts: employers' needs aggregated by
//! occupation group against the candidate pool's supply for the same groups. Every
//! rule is here, testable without a database.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    needs::model::SwedishLevel,
    reports::model::{Counts, Period, Person},
};

/// How many digits of the SSYK code make a group, by default: the unit group, the
/// level an occupation (and a job track) is named at.
pub const DEFAULT_DIGITS: usize = 4;

/// A need as the analysis sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedFact {
    /// Its SSYK code.
    pub code: String,
    /// Positions asked for.
    pub positions: u32,
    /// The Swedish it asks for, if any.
    pub swedish: Option<SwedishLevel>,
    /// Whether it asks for a driving licence.
    pub licence: bool,
    /// The days it was open: (first day, the day it stopped being open, or None).
    pub open: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// The day it was marked filled, if it was.
    pub filled_on: Option<NaiveDate>,
}

/// A candidate in the pool as the analysis sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyFact {
    /// SSYK codes of their experience and preferred occupations.
    pub codes: Vec<String>,
    /// Whether all four job-ready criteria hold.
    pub job_ready: bool,
    /// Gender and age band (for the breakdown).
    pub person: Person,
}

/// One occupation group's demand and supply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    /// The group's SSYK code (as many digits as asked for).
    pub group: String,
    /// Needs open at some time in the period.
    pub needs: u32,
    /// Positions those needs ask for.
    pub positions: u32,
    /// Positions of needs marked filled in the period.
    pub filled: u32,
    /// Mean days from first open to filled, over needs filled in the period.
    pub lead_days: Option<f64>,
    /// The Swedish levels asked for, most asked first: (level, needs).
    pub swedish: Vec<(SwedishLevel, u32)>,
    /// Needs asking for a driving licence.
    pub licence: u32,
    /// Job-ready candidates with experience of or a wish for the group, by gender and age band.
    pub ready: Counts,
    /// The same, not yet job-ready.
    pub not_ready: Counts,
}

/// The group of `code` at `digits` digits (a shorter code is its own group).
pub fn group_of(code: &str, digits: usize) -> &str {
    code.get(..digits).unwrap_or(code)
}

fn open_in(open: &[(NaiveDate, Option<NaiveDate>)], period: Period) -> bool {
    open.iter()
        .any(|(start, end)| *start <= period.to && end.is_none_or(|e| e >= period.from))
}

/// The analysis for `period` at `digits` digits: one row per group with a need open
/// in the period, most positions first. Supply counts each candidate once per group.
pub fn analyse(
    needs: &[NeedFact],
    supply: &[SupplyFact],
    period: Period,
    digits: usize,
) -> Vec<GroupFigures> {
    #[derive(Default)]
    struct Acc {
        needs: u32,
        positions: u32,
        filled: u32,
        lead: Vec<i64>,
        swedish: BTreeMap<SwedishLevel, u32>,
        licence: u32,
    }
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    for n in needs.iter().filter(|n| open_in(&n.open, period)) {
        let acc = groups
            .entry(group_of(&n.code, digits).to_owned())
            .or_default();
        acc.needs += 1;
        acc.positions += n.positions;
        if let Some(level) = n.swedish {
            *acc.swedish.entry(level).or_default() += 1;
        }
        acc.licence += u32::from(n.licence);
        if let Some(day) = n.filled_on.filter(|d| period.contains(*d)) {
            acc.filled += n.positions;
            if let Some(first) = n.open.iter().map(|(s, _)| *s).min() {
                acc.lead.push((day - first).num_days().max(0));
            }
        }
    }
    let mut rows: Vec<GroupFigures> = groups
        .into_iter()
        .map(|(group, acc)| {
            let mut ready = Counts::default();
            let mut not_ready = Counts::default();
            for s in supply {
                let fits: BTreeSet<&str> = s.codes.iter().map(|c| group_of(c, digits)).collect();
                if fits.contains(group.as_str()) {
                    if s.job_ready {
                        ready.add(&s.person);
                    } else {
                        not_ready.add(&s.person);
                    }
                }
            }
            let mut swedish: Vec<(SwedishLevel, u32)> = acc.swedish.into_iter().collect();
            swedish.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            GroupFigures {
                group,
                needs: acc.needs,
                positions: acc.positions,
                filled: acc.filled,
                lead_days: (!acc.lead.is_empty())
                    .then(|| acc.lead.iter().sum::<i64>() as f64 / acc.lead.len() as f64),
                swedish,
                licence: acc.licence,
                ready,
                not_ready,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.positions.cmp(&a.positions).then(a.group.cmp(&b.group)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{candidates::model::Gender, reports::model::Band};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn need(
        code: &str,
        positions: u32,
        open: &[(&str, Option<&str>)],
        filled: Option<&str>,
    ) -> NeedFact {
        NeedFact {
            code: code.into(),
            positions,
            swedish: None,
            licence: false,
            open: open.iter().map(|(s, e)| (d(s), e.map(d))).collect(),
            filled_on: filled.map(d),
        }
    }

    fn person(gender: Gender, band: Band) -> Person {
        Person::new(gender, band, d("2026-01-01"))
    }

    #[test]
    fn demand_and_supply_by_group_as_counted_by_hand() {
        let period = Period {
            from: d("2026-01-01"),
            to: d("2026-06-30"),
        };
        let mut cook = need(
            "5120",
            2,
            &[("2026-02-01", Some("2026-03-03"))],
            Some("2026-03-03"),
        );
        cook.swedish = SwedishLevel::parse("B1");
        let mut cook2 = need("5120", 1, &[("2025-11-01", None)], None);
        cook2.swedish = SwedishLevel::parse("B1");
        cook2.licence = true;
        let mut cold = need(
            "5120",
            3,
            &[("2026-05-01", Some("2026-05-21"))],
            Some("2026-05-21"),
        );
        cold.swedish = SwedishLevel::parse("A2");
        let needs = vec![
            cook,
            cook2,
            cold,
            // Care: filled after the period (counts as open, not as filled).
            need(
                "5321",
                4,
                &[("2026-06-01", Some("2026-07-10"))],
                Some("2026-07-10"),
            ),
            // Closed before the period began: not counted at all.
            need("9111", 5, &[("2025-01-01", Some("2025-12-31"))], None),
            // A draft never opened: not counted.
            need("9111", 1, &[], None),
        ];
        let supply = vec![
            SupplyFact {
                codes: vec!["5120".into(), "5120".into()],
                job_ready: true,
                person: person(Gender::Woman, Band::Middle),
            },
            SupplyFact {
                codes: vec!["5120".into(), "5321".into()],
                job_ready: false,
                person: person(Gender::Man, Band::Young),
            },
            SupplyFact {
                codes: vec!["5321".into()],
                job_ready: true,
                person: person(Gender::Woman, Band::Older),
            },
            SupplyFact {
                codes: vec!["7111".into()],
                job_ready: true,
                person: person(Gender::Man, Band::Middle),
            },
        ];
        let rows = analyse(&needs, &supply, period, 4);
        assert_eq!(
            rows.iter().map(|r| r.group.as_str()).collect::<Vec<_>>(),
            ["5120", "5321"],
            "most positions first; 9111 not open in the period"
        );
        let cook = &rows[0];
        assert_eq!((cook.needs, cook.positions, cook.filled), (3, 6, 5));
        // Lead times 30 and 20 days.
        assert_eq!(cook.lead_days, Some(25.0));
        assert_eq!(cook.swedish, [(SwedishLevel::B1, 2), (SwedishLevel::A2, 1)]);
        assert_eq!(cook.licence, 1);
        // One job-ready woman 25–54 (counted once though she lists 5120 twice), one man 16–24 not ready.
        assert_eq!(cook.ready.0, [1, 1, 0, 0, 0, 1, 0, 0]);
        assert_eq!(cook.not_ready.0, [1, 0, 1, 0, 1, 0, 0, 0]);
        let care = &rows[1];
        assert_eq!(
            (care.needs, care.positions, care.filled, care.lead_days),
            (1, 4, 0, None)
        );
        assert_eq!((care.ready.total(), care.not_ready.total()), (1, 1));

        // At two digits cooks (51) and care (53) are their sub-major groups.
        let rows = analyse(&needs, &supply, period, 2);
        assert_eq!(
            rows.iter()
                .map(|r| (r.group.as_str(), r.positions))
                .collect::<Vec<_>>(),
            [("51", 6), ("53", 4)]
        );
    }
}
