//! Reads the analysis' facts from the database: every need with its history (the
//! days it was open, the day it was filled) in the chosen ring and municipality, and
//! the candidates in the programme with the occupations they know or wish for.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};

use super::{
    AnalysisView, GroupRow, Scope,
    model::{self, DEFAULT_DIGITS, NeedFact, SupplyFact},
};
use crate::{
    candidates::model::{Gender, age_on},
    error::{AppError, FieldErrors},
    i18n::Locale,
    needs::model::SwedishLevel,
    reports::{
        model::{Band, Period, Person, open_spells},
        service::{day_of, get, parse_period},
    },
    ssr::query_all as query,
};

/// What the analysis is asked for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisQuery {
    /// The period.
    pub period: Period,
    /// One ring, or all.
    pub ring: Option<i32>,
    /// Firms of one municipality, or all.
    pub municipality: Option<i32>,
    /// Digits of the SSYK code that make a group (1–4).
    pub digits: usize,
}

impl AnalysisQuery {
    /// The default period: the twelve months up to today.
    pub fn default_period(today: NaiveDate) -> Period {
        Period {
            from: today - chrono::Duration::days(364),
            to: today,
        }
    }

    /// Reads the form's fields; each bad one is named.
    pub fn parse(
        from: &str,
        to: &str,
        ring: &str,
        municipality: &str,
        level: &str,
        today: NaiveDate,
    ) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let period = parse_period(from, to, Self::default_period(today), &mut errors);
        let mut id = |field: &str, text: &str| match text.trim() {
            "" => None,
            text => match text.parse::<i32>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    errors.add(field, "field-choice-invalid");
                    None
                }
            },
        };
        let ring = id("ring", ring);
        let municipality = id("municipality", municipality);
        let digits = match level.trim() {
            "" => DEFAULT_DIGITS,
            text => match text.parse::<usize>() {
                Ok(d @ 1..=4) => d,
                _ => {
                    errors.add("level", "field-choice-invalid");
                    DEFAULT_DIGITS
                }
            },
        };
        let Some(period) = period else {
            return Err(AppError::Validation(errors));
        };
        errors.into_result(Self {
            period,
            ring,
            municipality,
            digits,
        })
    }
}

/// Every need in scope with the days it was open (from its history: open from the
/// day it became open to the day it stopped) and the day it was last marked filled.
async fn needs(db: &impl ConnectionTrait, q: &AnalysisQuery) -> Result<Vec<NeedFact>, AppError> {
    let mut scope = String::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(ring) = q.ring {
        scope.push_str(" AND n.ring_id = ?");
        values.push(ring.into());
    }
    if let Some(m) = q.municipality {
        scope.push_str(" AND f.municipality_id = ?");
        values.push(m.into());
    }
    let rows = query(
        db,
        &format!(
            "SELECT n.id, n.occupation_code, n.positions, n.swedish_level, n.driving_licence, \
             e.at, e.detail FROM needs n JOIN firms f ON f.id = n.firm_id \
             JOIN need_events e ON e.need_id = n.id AND e.action IN ('created', 'status') \
             WHERE 1 = 1{scope} ORDER BY n.id, e.at, e.id"
        ),
        values,
    )
    .await?;
    let mut facts: Vec<(i32, NeedFact)> = Vec::new();
    let mut history = Vec::new();
    for row in &rows {
        let id: i32 = get(row, "id")?;
        let day = day_of(get(row, "at")?);
        let status: String = get(row, "detail")?;
        if facts.last().is_none_or(|(last, _)| *last != id) {
            let licence: String = get(row, "driving_licence")?;
            facts.push((
                id,
                NeedFact {
                    code: get(row, "occupation_code")?,
                    positions: u32::try_from(get::<i32>(row, "positions")?).unwrap_or(0),
                    swedish: SwedishLevel::parse(&get::<String>(row, "swedish_level")?),
                    licence: !licence.trim().is_empty(),
                    open: Vec::new(),
                    filled_on: None,
                },
            ));
        }
        if let Some((_, fact)) = facts.last_mut()
            && status == "filled"
        {
            fact.filled_on = Some(day);
        }
        history.push((facts.len() - 1, day, status == "open"));
    }
    // The rows come ordered by need, so a need's spells follow its index.
    for (index, start, end) in open_spells(history) {
        if let Some((_, fact)) = facts.get_mut(index) {
            fact.open.push((start, end));
        }
    }
    Ok(facts.into_iter().map(|(_, f)| f).collect())
}

/// The candidates in the programme, with the occupations they know or wish for.
async fn supply(db: &impl ConnectionTrait) -> Result<Vec<SupplyFact>, AppError> {
    let mut codes: HashMap<i32, Vec<String>> = HashMap::new();
    for row in query(
        db,
        "SELECT e.candidate_id, e.occupation_code FROM candidate_experiences e \
         JOIN candidates c ON c.id = e.candidate_id WHERE c.active = ? \
         UNION ALL SELECT p.candidate_id, p.occupation_code FROM candidate_preferences p \
         JOIN candidates c ON c.id = p.candidate_id WHERE c.active = ?",
        vec![true.into(), true.into()],
    )
    .await?
    {
        codes
            .entry(get(&row, "candidate_id")?)
            .or_default()
            .push(get(&row, "occupation_code")?);
    }
    query(
        db,
        "SELECT id, gender, birth_date, enrolled_on, job_ready_since FROM candidates \
         WHERE active = ?",
        vec![true.into()],
    )
    .await?
    .iter()
    .map(|row| {
        let id: i32 = get(row, "id")?;
        let birth: NaiveDate = get(row, "birth_date")?;
        let enrolled: NaiveDate = get(row, "enrolled_on")?;
        Ok(SupplyFact {
            codes: codes.remove(&id).unwrap_or_default(),
            job_ready: get::<Option<NaiveDate>>(row, "job_ready_since")?.is_some(),
            person: Person::new(
                Gender::parse(&get::<String>(row, "gender")?).unwrap_or(Gender::Other),
                Band::of_age(age_on(birth, enrolled)),
                enrolled,
            ),
        })
    })
    .collect()
}

/// Every ring and every municipality, (id, name), for the choice of scope.
pub async fn scope_choices(
    db: &impl ConnectionTrait,
) -> Result<(Vec<(i32, String)>, Vec<(i32, String)>), AppError> {
    let list = |table: &'static str| async move {
        query(
            db,
            &format!("SELECT id, name FROM {table} ORDER BY name, id"),
            Vec::new(),
        )
        .await?
        .iter()
        .map(|row| Ok((get(row, "id")?, get(row, "name")?)))
        .collect::<Result<Vec<(i32, String)>, AppError>>()
    };
    Ok((list("rings").await?, list("municipalities").await?))
}

/// The analysis `q` asks for, with the groups named in `locale`.
pub async fn analysis(
    db: &impl ConnectionTrait,
    q: &AnalysisQuery,
    locale: Locale,
) -> Result<AnalysisView, AppError> {
    let (rings, municipalities) = scope_choices(db).await?;
    if q.ring
        .is_some_and(|r| !rings.iter().any(|(id, _)| *id == r))
    {
        return Err(AppError::field("ring", "field-choice-invalid"));
    }
    if q.municipality
        .is_some_and(|m| !municipalities.iter().any(|(id, _)| *id == m))
    {
        return Err(AppError::field("municipality", "field-choice-invalid"));
    }
    let figures = model::analyse(&needs(db, q).await?, &supply(db).await?, q.period, q.digits);
    let names = crate::candidates::service::occupation_views(
        db,
        figures.iter().map(|f| f.group.clone()),
        locale,
    )
    .await?;
    Ok(AnalysisView {
        scope: Scope {
            period: q.period,
            ring: q.ring,
            municipality: q.municipality,
            digits: q.digits,
        },
        rows: figures
            .into_iter()
            .map(|f| GroupRow {
                name: names
                    .get(&f.group)
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                figures: f,
            })
            .collect(),
        rings,
        municipalities,
    })
}
