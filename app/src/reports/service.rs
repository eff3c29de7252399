//! Reads the facts the reports count from the database (candidates, their timelines,
//! erased candidates' kept facts, contacts with firms, the needs' history) and turns
//! them into figures, tables and CSV files.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use super::{
    ReportView, RingRef, RingStatsView,
    model::{self, Band, FirmFacts, Period, Person, RingFacts, Spell, SpellKind},
    tables::Table,
};
use crate::{
    candidates::model::{ActivityKind, ExitReason, Gender, age_on},
    error::{AppError, FieldErrors},
    i18n::Locale,
    needs::model::EmploymentForm,
    ssr::query_all as query,
};

/// What a staff report is asked for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportQuery {
    /// The period.
    pub period: Period,
    /// One ring, or all.
    pub ring: Option<i32>,
    /// Outcomes are followed up to this day.
    pub as_of: NaiveDate,
}

impl ReportQuery {
    /// The default period: from 1 January two years back to today, so that the
    /// 18-month figure has a cohort to follow.
    pub fn default_period(today: NaiveDate) -> Period {
        Period {
            from: NaiveDate::from_ymd_opt(today.year() - 2, 1, 1).unwrap_or(today),
            to: today,
        }
    }

    /// Reads the form's `from`, `to` and `ring`; each bad field is named.
    pub fn parse(from: &str, to: &str, ring: &str, today: NaiveDate) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let period = parse_period(from, to, Self::default_period(today), &mut errors);
        let ring = match ring.trim() {
            "" => None,
            text => match text.parse::<i32>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    errors.add("ring", "field-choice-invalid");
                    None
                }
            },
        };
        let Some(period) = period else {
            return Err(AppError::Validation(errors));
        };
        errors.into_result(Self {
            period,
            ring,
            as_of: today,
        })
    }
}

/// Reads a period's `from` and `to` (ISO dates; empty: `default`'s): the period, or
/// None with each bad field named in `errors` (a date that is none, an end before the
/// start, a period longer than [`model::MAX_PERIOD_DAYS`]).
pub fn parse_period(
    from: &str,
    to: &str,
    default: Period,
    errors: &mut FieldErrors,
) -> Option<Period> {
    let mut date = |field: &str, text: &str, fallback: NaiveDate| {
        let text = text.trim();
        if text.is_empty() {
            return Some(fallback);
        }
        let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        if parsed.is_none() {
            errors.add(field, "field-date-invalid");
        }
        parsed
    };
    let (from, to) = (date("from", from, default.from), date("to", to, default.to));
    let (from, to) = (from?, to?);
    if to < from {
        errors.add("to", "report-error-to-before-from");
        return None;
    }
    if (to - from).num_days() > model::MAX_PERIOD_DAYS {
        errors.add("to", "report-error-too-long");
        return None;
    }
    Some(Period { from, to })
}

pub(crate) fn get<T: sea_orm::TryGetable>(row: &QueryResult, col: &str) -> Result<T, AppError> {
    Ok(row.try_get("", col)?)
}

/// The Stockholm day of a stored instant.
pub(crate) fn day_of(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Europe::Stockholm).date_naive()
}

/// A candidate row's gender, age band on enrolment and enrolment day.
fn person_of(row: &QueryResult) -> Result<Person, AppError> {
    let birth: NaiveDate = get(row, "birth_date")?;
    let enrolled: NaiveDate = get(row, "enrolled_on")?;
    Ok(Person::new(
        Gender::parse(&get::<String>(row, "gender")?).unwrap_or(Gender::Other),
        Band::of_age(age_on(birth, enrolled)),
        enrolled,
    ))
}

/// Candidates linked to ring `?`: in its pool, released to it, with an activity for
/// one of its needs, or in one of its job tracks.
const RING_CANDIDATES: &str = "SELECT candidate_id FROM pool_entries WHERE ring_id = ? \
     UNION SELECT candidate_id FROM releases WHERE ring_id = ? \
     UNION SELECT a.candidate_id FROM activities a JOIN needs n ON n.id = a.need_id \
     WHERE n.ring_id = ? \
     UNION SELECT p.candidate_id FROM track_participants p JOIN tracks t ON t.id = p.track_id \
     WHERE t.ring_id = ?";

/// The live candidates a report can count, as the reports see them.
async fn people(
    db: &impl ConnectionTrait,
    ring: Option<i32>,
    to: NaiveDate,
) -> Result<Vec<Person>, AppError> {
    let (scope, mut values): (String, Vec<Value>) = match ring {
        Some(id) => (
            format!(" AND c.id IN ({RING_CANDIDATES})"),
            vec![id.into(), id.into(), id.into(), id.into()],
        ),
        None => (String::new(), Vec::new()),
    };
    let mut head = vec![Value::from(to)];
    head.append(&mut values);
    let candidates = query(
        db,
        &format!(
            "SELECT c.id, c.gender, c.birth_date, c.enrolled_on, c.job_ready_since \
             FROM candidates c WHERE c.enrolled_on <= ?{scope}"
        ),
        head.clone(),
    )
    .await?;
    let activities = query(
        db,
        &format!(
            "SELECT a.candidate_id, a.kind, a.start_on, a.end_on, a.employment_form, \
             a.exit_reason FROM activities a JOIN candidates c ON c.id = a.candidate_id \
             WHERE c.enrolled_on <= ?{scope} ORDER BY a.candidate_id, a.start_on, a.id"
        ),
        head.clone(),
    )
    .await?;
    let tracks = query(
        db,
        &format!(
            "SELECT p.candidate_id, p.enrolled_on, p.ended_on, t.starts_on, t.ends_on \
             FROM track_participants p JOIN tracks t ON t.id = p.track_id \
             JOIN candidates c ON c.id = p.candidate_id WHERE c.enrolled_on <= ?{scope} \
             ORDER BY p.candidate_id, t.starts_on, p.id"
        ),
        head,
    )
    .await?;
    let mut by_id: BTreeMap<i32, Person> = BTreeMap::new();
    for row in &candidates {
        let mut person = person_of(row)?;
        person.job_ready_on = get(row, "job_ready_since")?;
        by_id.insert(get(row, "id")?, person);
    }
    for row in &activities {
        let Some(p) = by_id.get_mut(&get::<i32>(row, "candidate_id")?) else {
            continue;
        };
        let start: NaiveDate = get(row, "start_on")?;
        let end: Option<NaiveDate> = get(row, "end_on")?;
        let form = EmploymentForm::parse(&get::<String>(row, "employment_form")?);
        let spell = |kind| Spell {
            kind,
            start,
            end,
            form,
        };
        // Rows come in date order: the first of a kind is the earliest.
        match ActivityKind::parse(&get::<String>(row, "kind")?) {
            Some(ActivityKind::Internship) => p.spells.push(spell(SpellKind::Internship)),
            Some(ActivityKind::Training) => p.spells.push(spell(SpellKind::Training)),
            Some(ActivityKind::Employment) => {
                p.first_job.get_or_insert((form, Some(start)));
                p.spells.push(spell(SpellKind::Employment));
            }
            Some(ActivityKind::SelfSufficiency) => {
                p.self_sufficient_on.get_or_insert(start);
            }
            Some(ActivityKind::Exit) => {
                let reason = ExitReason::parse(&get::<String>(row, "exit_reason")?)
                    .unwrap_or(ExitReason::Other);
                p.exit = Some((reason, Some(start)));
            }
            Some(ActivityKind::Studies) | None => {}
        }
    }
    for row in &tracks {
        let Some(p) = by_id.get_mut(&get::<i32>(row, "candidate_id")?) else {
            continue;
        };
        // In the track from enrolment or its first day, whichever is later, to the
        // day they completed or left it, or its last day.
        let start = get::<NaiveDate>(row, "enrolled_on")?.max(get(row, "starts_on")?);
        let end = get::<Option<NaiveDate>>(row, "ended_on")?.unwrap_or(get(row, "ends_on")?);
        if end >= start {
            p.spells.push(Spell {
                kind: SpellKind::Track,
                start,
                end: Some(end),
                form: None,
            });
        }
    }
    Ok(by_id.into_values().collect())
}

/// Erased candidates' kept facts, as persons dated from their enrolment month.
async fn erased(db: &impl ConnectionTrait, to: NaiveDate) -> Result<Vec<Person>, AppError> {
    let rows = query(
        db,
        "SELECT gender, age_band, enrolled_month, job_ready_days, self_sufficient_days, \
         exit_reason, employment_form FROM erased_candidates WHERE enrolled_month <= ?",
        vec![to.into()],
    )
    .await?;
    rows.iter()
        .map(|row| {
            let month: NaiveDate = get(row, "enrolled_month")?;
            let after = |days: Option<i32>| days.map(|d| month + chrono::Duration::days(d.into()));
            let exit: String = get(row, "exit_reason")?;
            let form: String = get(row, "employment_form")?;
            Ok(Person {
                job_ready_on: after(get(row, "job_ready_days")?),
                self_sufficient_on: after(get(row, "self_sufficient_days")?),
                exit: (!exit.is_empty())
                    .then(|| (ExitReason::parse(&exit).unwrap_or(ExitReason::Other), None)),
                first_job: (!form.is_empty()).then(|| (EmploymentForm::parse(&form), None)),
                ..Person::new(
                    Gender::parse(&get::<String>(row, "gender")?).unwrap_or(Gender::Other),
                    Band::parse(&get::<String>(row, "age_band")?),
                    month,
                )
            })
        })
        .collect()
}

/// Open spells of needs (of one ring, or all), per firm, from the needs' history:
/// a need is open from the day it became open to the day it stopped being open.
async fn open_needs(
    db: &impl ConnectionTrait,
    ring: Option<i32>,
) -> Result<Vec<(i32, i32, NaiveDate, Option<NaiveDate>)>, AppError> {
    let (scope, values): (&str, Vec<Value>) = match ring {
        Some(id) => (" AND n.ring_id = ?", vec![id.into()]),
        None => ("", Vec::new()),
    };
    let rows = query(
        db,
        &format!(
            "SELECT n.id, n.firm_id, e.at, e.detail FROM need_events e \
             JOIN needs n ON n.id = e.need_id WHERE e.action IN ('created', 'status'){scope} \
             ORDER BY n.id, e.at, e.id"
        ),
        values,
    )
    .await?;
    let history = rows
        .iter()
        .map(|row| {
            Ok((
                (get::<i32>(row, "id")?, get::<i32>(row, "firm_id")?),
                day_of(get(row, "at")?),
                get::<String>(row, "detail")? == "open",
            ))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(model::open_spells(history)
        .into_iter()
        .map(|((need, firm), start, end)| (need, firm, start, end))
        .collect())
}

/// Contacts and open needs per firm (of one ring's firms, or all).
async fn firms(
    db: &impl ConnectionTrait,
    ring: Option<i32>,
    period: Period,
) -> Result<Vec<FirmFacts>, AppError> {
    let (scope, mut values): (&str, Vec<Value>) = match ring {
        Some(id) => (
            " AND firm_id IN (SELECT firm_id FROM ring_memberships WHERE ring_id = ?)",
            vec![id.into()],
        ),
        None => ("", Vec::new()),
    };
    let mut args = vec![Value::from(period.from), Value::from(period.to)];
    args.append(&mut values);
    let contacts = query(
        db,
        &format!(
            "SELECT firm_id, contacted_on FROM outreach \
             WHERE contacted_on >= ? AND contacted_on <= ?{scope}"
        ),
        args,
    )
    .await?;
    let mut by_firm: HashMap<i32, FirmFacts> = HashMap::new();
    for row in &contacts {
        by_firm
            .entry(get(row, "firm_id")?)
            .or_default()
            .contacts
            .push(get(row, "contacted_on")?);
    }
    for (_, firm, start, end) in open_needs(db, ring).await? {
        by_firm
            .entry(firm)
            .or_default()
            .open_needs
            .push((start, end));
    }
    Ok(by_firm.into_values().collect())
}

async fn ring_ref(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(RingRef, NaiveDate)>, AppError> {
    let rows = query(
        db,
        "SELECT id, name, created_at FROM rings WHERE id = ?",
        vec![id.into()],
    )
    .await?;
    rows.first()
        .map(|row| {
            Ok((
                RingRef {
                    id: get(row, "id")?,
                    name: get(row, "name")?,
                },
                day_of(get(row, "created_at")?),
            ))
        })
        .transpose()
}

/// Every ring, by name.
pub async fn rings(db: &impl ConnectionTrait) -> Result<Vec<RingRef>, AppError> {
    query(
        db,
        "SELECT id, name FROM rings ORDER BY name, id",
        Vec::new(),
    )
    .await?
    .iter()
    .map(|row| {
        Ok(RingRef {
            id: get(row, "id")?,
            name: get(row, "name")?,
        })
    })
    .collect()
}

/// The report `q` asks for.
pub async fn report(db: &impl ConnectionTrait, q: &ReportQuery) -> Result<ReportView, AppError> {
    let ring = match q.ring {
        Some(id) => match ring_ref(db, id).await? {
            Some((r, _)) => Some(r),
            None => return Err(AppError::field("ring", "field-choice-invalid")),
        },
        None => None,
    };
    let mut people = people(db, q.ring, q.period.to).await?;
    let mut erased_count = 0;
    if q.ring.is_none() {
        let gone = erased(db, q.period.to).await?;
        erased_count = gone
            .iter()
            .filter(|p| q.period.contains(p.enrolled_on))
            .count() as u32;
        people.extend(gone);
    }
    let firms = firms(db, q.ring, q.period).await?;
    let rings = rings(db).await?;
    Ok(ReportView {
        figures: model::compute(&people, &firms, q.period, q.as_of),
        ring,
        rings,
        erased: erased_count,
    })
}

/// The facts of ring `ring_id`'s statistics for `period`.
async fn ring_facts(
    db: &impl ConnectionTrait,
    ring_id: i32,
    period: Period,
) -> Result<RingFacts, AppError> {
    let mut facts = RingFacts::default();
    let spells = open_needs(db, Some(ring_id)).await?;
    let mut first_open: HashMap<i32, NaiveDate> = HashMap::new();
    for (need, _, start, _) in &spells {
        first_open.entry(*need).or_insert(*start);
    }
    facts.needs_posted = first_open.values().filter(|d| period.contains(**d)).count() as u32;
    let filled = query(
        db,
        "SELECT DISTINCT e.need_id, e.at FROM need_events e JOIN needs n ON n.id = e.need_id \
         WHERE n.ring_id = ? AND e.action = 'status' AND e.detail = 'filled'",
        vec![ring_id.into()],
    )
    .await?;
    let mut filled_needs = std::collections::HashSet::new();
    for row in &filled {
        if period.contains(day_of(get(row, "at")?)) {
            filled_needs.insert(get::<i32>(row, "need_id")?);
        }
    }
    facts.needs_filled = filled_needs.len() as u32;
    // Candidates who began an internship or a job in the period for one of the
    // ring's needs, or at a firm that was in the ring on the first day.
    let memberships = query(
        db,
        "SELECT firm_id, joined_at, left_at FROM ring_memberships WHERE ring_id = ?",
        vec![ring_id.into()],
    )
    .await?
    .iter()
    .map(|row| {
        let left: Option<DateTime<Utc>> = get(row, "left_at")?;
        Ok((
            get::<i32>(row, "firm_id")?,
            day_of(get(row, "joined_at")?),
            left.map(day_of),
        ))
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let member_on = |firm: Option<i32>, day: NaiveDate| {
        memberships.iter().any(|(f, joined, left)| {
            Some(*f) == firm && *joined <= day && left.is_none_or(|l| l >= day)
        })
    };
    let rows = query(
        db,
        "SELECT a.kind, a.firm_id, a.start_on, n.ring_id AS need_ring, c.id, c.gender, \
         c.birth_date, c.enrolled_on FROM activities a \
         JOIN candidates c ON c.id = a.candidate_id LEFT JOIN needs n ON n.id = a.need_id \
         WHERE a.kind IN ('internship', 'employment') AND a.start_on >= ? AND a.start_on <= ?",
        vec![period.from.into(), period.to.into()],
    )
    .await?;
    let mut counted = std::collections::HashSet::new();
    for row in &rows {
        let kind: String = get(row, "kind")?;
        let id: i32 = get(row, "id")?;
        let through_ring = get::<Option<i32>>(row, "need_ring")? == Some(ring_id)
            || member_on(get(row, "firm_id")?, get(row, "start_on")?);
        if !through_ring || !counted.insert((kind.clone(), id)) {
            continue;
        }
        let person = person_of(row)?;
        match kind.as_str() {
            "internship" => facts.internships.add(&person),
            _ => facts.hires.add(&person),
        }
    }
    Ok(facts)
}

/// Ring `ring_id`'s statistics for `year` (empty: the latest year with figures),
/// suppressed. The caller has checked access to the ring.
pub async fn ring_stats(
    db: &impl ConnectionTrait,
    ring_id: i32,
    year: &str,
    today: NaiveDate,
) -> Result<RingStatsView, AppError> {
    let (ring, created) = ring_ref(db, ring_id).await?.ok_or(AppError::NotFound)?;
    let first_year = created.year().min(today.year());
    let years: Vec<i32> = (first_year..=today.year()).rev().collect();
    let latest = if model::ring_stats_period(today.year(), today).is_some() {
        today.year()
    } else {
        today.year() - 1
    };
    let year = match year.trim() {
        "" => latest,
        text => match text.parse::<i32>() {
            Ok(y) if years.contains(&y) => y,
            _ => return Err(AppError::field("year", "field-choice-invalid")),
        },
    };
    let period = model::ring_stats_period(year, today);
    let facts = match period {
        Some(p) => ring_facts(db, ring_id, p).await?,
        None => RingFacts::default(),
    };
    Ok(RingStatsView {
        ring,
        year,
        years,
        period,
        needs_posted: model::suppress_one(facts.needs_posted),
        needs_filled: model::suppress_one(facts.needs_filled),
        internships: model::suppress(&facts.internships),
        hires: model::suppress(&facts.hires),
    })
}

/// `table` as a CSV file Excel opens as it is: UTF-8 with a byte-order mark,
/// semicolons (Swedish Excel's list separator, and the decimal comma stays inside
/// its field), CRLF line ends. The first column is the label, the last the definition.
pub fn csv(table: &Table, heading: &str, locale: Locale) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = ::csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(::csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(&mut out);
        let has_definitions = table.rows.iter().any(|r| r.definition.is_some());
        let mut header = vec![heading.to_owned()];
        header.extend(table.columns.iter().cloned());
        if has_definitions {
            header.push(locale.t("report-definition"));
        }
        w.write_record(&header).map_err(AppError::unexpected)?;
        for row in &table.rows {
            let mut record = vec![row.label.clone()];
            record.extend(row.cells.iter().map(|c| c.text(locale)));
            if has_definitions {
                record.push(row.definition.clone().unwrap_or_default());
            }
            w.write_record(&record).map_err(AppError::unexpected)?;
        }
        w.flush().map_err(AppError::unexpected)?;
    }
    Ok(out)
}
