//! Matching at scale: the database ranks the candidates with the same points as
//! [`model::score`] (the SQL is written from [`model::weights`]), nearest
//! occupations first, and only the best are read back and explained in Rust.

use std::collections::HashMap;

use chrono::Duration;
use sea_orm::{ConnectionTrait, Statement, Value};

use super::model::{
    self, CandidateFacts, NeedFacts, OccupationFact, Score, swedish_rank, weights as w,
};
use crate::{error::AppError, needs::entity::need, ssr::sql};

/// How many candidates are in the programme (all of them are ranked).
pub async fn active_count(db: &impl ConnectionTrait) -> Result<usize, AppError> {
    let backend = db.get_database_backend();
    let count = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT COUNT(*) AS n FROM candidates WHERE active = ?",
            ),
            [true.into()],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    Ok(usize::try_from(count).unwrap_or(0))
}

/// What matching needs to know about `need`.
pub fn need_facts(n: &need::Model) -> NeedFacts {
    NeedFacts {
        occupation: n.occupation_code.clone(),
        swedish: crate::needs::model::SwedishLevel::parse(&n.swedish_level),
        licence: n.driving_licence.clone(),
        start: n.start_date,
        training: n.suggested_training.clone(),
    }
}

/// A need's ranking.
#[derive(Debug, Clone)]
pub struct Ranking {
    /// The best, best first, explained.
    pub scores: Vec<Score>,
    /// How near the farthest candidates the database had to rank were: they shared
    /// at least this many digits of the need's SSYK code (4: only the need's own
    /// occupation; 0: everyone was ranked).
    pub reached: u8,
    /// When everyone was ranked (`reached` 0): the fewest job-ready criteria a
    /// candidate far from the occupation had to meet to be ranked (0: all were).
    pub floor: i16,
}

/// The four-digit codes sharing the first `digits` digits with `code`, as a range.
fn range(code: &str, digits: usize) -> (String, String) {
    let prefix = code.get(..digits).unwrap_or(code);
    (format!("{prefix:0<4}"), format!("{prefix:9<4}"))
}

/// One pass of the ranking: the candidates sharing at least some digits with the need's
/// occupation; or everyone — every active candidate, or (`floor` c) those near the
/// occupation and, of the rest, only those meeting at least c job-ready criteria (the
/// rest's score is nearly all criteria, so the best are there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Candidates sharing at least this many digits (1–4).
    Near(usize),
    /// Every active candidate; with `Some(c)`, outsiders only with ≥ c criteria met.
    Everyone(Option<i16>),
}

/// The ranking query over candidates with an occupation in the range of `digits`
/// shared digits (inner join), or over every active candidate (`digits` 0).
/// Parameters, in order: see [`ranking_values`].
fn ranking_sql(pass: Pass) -> String {
    let everyone = matches!(pass, Pass::Everyone(_));
    let floor = if matches!(pass, Pass::Everyone(Some(_))) {
        " AND (c.criteria_met >= ? OR occ.candidate_id IS NOT NULL)"
    } else {
        ""
    };
    let occupation = format!(
        "CASE COALESCE(occ.shared, 0) WHEN 4 THEN {} WHEN 3 THEN {} WHEN 2 THEN {} WHEN 1 THEN {} ELSE {} END",
        w::OCCUPATION[4],
        w::OCCUPATION[3],
        w::OCCUPATION[2],
        w::OCCUPATION[1],
        w::OCCUPATION[0]
    );
    let experience = format!(
        "CASE WHEN COALESCE(occ.years, 0) * {per} > {max} THEN {max} ELSE COALESCE(occ.years, 0) * {per} END",
        per = w::EXPERIENCE_PER_YEAR,
        max = w::EXPERIENCE_MAX
    );
    let swedish = format!(
        "CASE WHEN ? = 0 OR c.swedish_rank >= ? THEN {} WHEN c.swedish_rank > 0 AND c.swedish_rank + 2 >= ? THEN {} ELSE 0 END",
        w::SWEDISH_MET,
        w::SWEDISH_NEAR
    );
    let job_ready = format!("c.criteria_met * {}", w::JOB_READY_PER_CRITERION);
    let availability = format!(
        "CASE WHEN c.available_from IS NULL OR c.available_from <= ? THEN {} WHEN c.available_from <= ? THEN {} ELSE 0 END",
        w::AVAILABLE,
        w::AVAILABLE_SOON
    );
    let licence = format!(
        "CASE WHEN ? = '' OR (',' || c.driving_licence || ',') LIKE ? THEN {} ELSE 0 END",
        w::LICENCE
    );
    format!(
        "SELECT c.id FROM candidates c {join} ( \
           SELECT candidate_id, \
             MAX(CASE WHEN occupation_code = ? THEN 4 WHEN occupation_code BETWEEN ? AND ? THEN 3 \
                      WHEN occupation_code BETWEEN ? AND ? THEN 2 ELSE 1 END) AS shared, \
             SUM(CASE WHEN occupation_code BETWEEN ? AND ? THEN years ELSE 0 END) AS years \
           FROM (SELECT candidate_id, occupation_code, years FROM candidate_experiences \
                   WHERE occupation_code BETWEEN ? AND ? \
                 UNION ALL SELECT candidate_id, occupation_code, 0 FROM candidate_preferences \
                   WHERE occupation_code BETWEEN ? AND ?) o \
           GROUP BY candidate_id) occ ON occ.candidate_id = c.id \
         WHERE c.active = ?{floor} \
         ORDER BY ({occupation}) + ({experience}) + ({swedish}) + ({job_ready}) + ({availability}) + ({licence}) DESC, \
           c.enrolled_on ASC, c.id ASC \
         LIMIT ?",
        join = if everyone { "LEFT JOIN" } else { "JOIN" },
    )
}

/// The values for [`ranking_sql`]: occupations restricted to `digits` shared digits
/// (at least 1: farther ones score nothing).
fn ranking_values(facts: &NeedFacts, pass: Pass, limit: usize) -> Vec<Value> {
    let digits = match pass {
        Pass::Near(d) => d,
        Pass::Everyone(_) => 0,
    };
    let code = facts.occupation.clone();
    let (lo3, hi3) = range(&code, 3);
    let (lo2, hi2) = range(&code, 2);
    let (lo, hi) = range(&code, digits.max(1));
    let needs = swedish_rank_of(facts);
    let licence = facts.licence.trim().to_uppercase();
    let mut values: Vec<Value> = vec![
        code.into(),
        lo3.clone().into(),
        hi3.clone().into(),
        lo2.into(),
        hi2.into(),
        lo3.into(),
        hi3.into(),
        lo.clone().into(),
        hi.clone().into(),
        lo.into(),
        hi.into(),
        true.into(),
    ];
    if let Pass::Everyone(Some(floor)) = pass {
        values.push(floor.into());
    }
    values.extend([
        needs.into(),
        needs.into(),
        needs.into(),
        facts.start.into(),
        (facts.start + Duration::days(w::AVAILABLE_SOON_DAYS)).into(),
        licence.clone().into(),
        format!("%,{licence},%").into(),
        i64::try_from(limit).unwrap_or(i64::MAX).into(),
    ]);
    values
}

fn swedish_rank_of(facts: &NeedFacts) -> i32 {
    facts.swedish.map_or(0, |s| i32::from(swedish_rank(s)))
}

fn facts_from(row: &sea_orm::QueryResult) -> Result<CandidateFacts, sea_orm::DbErr> {
    Ok(CandidateFacts {
        id: row.try_get("", "id")?,
        occupations: Vec::new(),
        swedish_rank: row.try_get("", "swedish_rank")?,
        criteria_met: row.try_get("", "criteria_met")?,
        licences: row.try_get("", "driving_licence")?,
        available_from: row.try_get("", "available_from")?,
        enrolled_on: row.try_get("", "enrolled_on")?,
    })
}

/// Candidates' matching facts from rows of [`FACT_COLUMNS`], by id.
fn by_id(rows: &[sea_orm::QueryResult]) -> Result<HashMap<i32, CandidateFacts>, sea_orm::DbErr> {
    rows.iter()
        .map(|row| facts_from(row).map(|f| (f.id, f)))
        .collect()
}

/// Adds rows of (candidate_id, occupation_code, years) to the candidates they name.
fn add_occupations(
    facts: &mut HashMap<i32, CandidateFacts>,
    rows: &[sea_orm::QueryResult],
) -> Result<(), sea_orm::DbErr> {
    for row in rows {
        let id: i32 = row.try_get("", "candidate_id")?;
        if let Some(f) = facts.get_mut(&id) {
            f.occupations.push(OccupationFact {
                code: row.try_get("", "occupation_code")?,
                years: row.try_get("", "years")?,
            });
        }
    }
    Ok(())
}

const FACT_COLUMNS: &str =
    "c.id, c.swedish_rank, c.criteria_met, c.driving_licence, c.available_from, c.enrolled_on";

/// The matching facts of candidates `ids`, with all their occupations.
async fn load(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Vec<CandidateFacts>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let marks = crate::ssr::placeholders(ids.len());
    let values: Vec<Value> = ids.iter().map(|i| (*i).into()).collect();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!("SELECT {FACT_COLUMNS} FROM candidates c WHERE c.id IN ({marks})"),
            ),
            values.clone(),
        ))
        .await?;
    let mut facts = by_id(&rows)?;
    let mut twice = values.clone();
    twice.extend(values);
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!(
                    "SELECT candidate_id, occupation_code, years FROM candidate_experiences \
                     WHERE candidate_id IN ({marks}) \
                     UNION ALL SELECT candidate_id, occupation_code, NULL FROM candidate_preferences \
                     WHERE candidate_id IN ({marks})"
                ),
            ),
            twice,
        ))
        .await?;
    add_occupations(&mut facts, &rows)?;
    Ok(facts.into_values().collect())
}

/// The `limit` best active candidates for a need.
///
/// The database ranks first the candidates with the need's very occupation, then
/// those sharing three digits with it, then two, then one, then everyone, and stops
/// as soon as the
/// `limit`-th best beats what anyone farther could reach ([`model::max_for_shared`]).
/// Everyone is ranked in steps too: those far from the occupation first only if they
/// meet all four job-ready criteria, then three, … ([`model::max_for_outsider`]).
/// Only the best are read back, scored again in Rust and explained; a test checks
/// that the result equals [`model::rank`] over every candidate.
pub async fn rank_for_need(
    db: &impl ConnectionTrait,
    facts: &NeedFacts,
    limit: usize,
) -> Result<Ranking, AppError> {
    if limit == 0 {
        return Ok(Ranking {
            scores: Vec::new(),
            reached: 0,
            floor: 0,
        });
    }
    for digits in [4_usize, 3, 2, 1] {
        let scores = ranked(db, facts, Pass::Near(digits), limit).await?;
        if beats(&scores, limit, model::max_for_shared(digits as u8 - 1)) {
            return Ok(Ranking {
                scores,
                reached: digits as u8,
                floor: 0,
            });
        }
    }
    // Everyone: those near the occupation and, of the rest (who score little but their
    // criteria, Swedish, availability and licence), first only those meeting all four
    // criteria, then three or more, … — a far need's ranking is found among the few
    // who meet most, without scoring every candidate of the programme.
    let mut floor = 4_i16;
    loop {
        let pass = Pass::Everyone((floor > 0).then_some(floor));
        let scores = ranked(db, facts, pass, limit).await?;
        if floor == 0 || beats(&scores, limit, model::max_for_outsider(floor - 1)) {
            return Ok(Ranking {
                scores,
                reached: 0,
                floor,
            });
        }
        floor -= 1;
    }
}

/// One pass of the ranking: the database orders, the best are read back and scored.
async fn ranked(
    db: &impl ConnectionTrait,
    facts: &NeedFacts,
    pass: Pass,
    limit: usize,
) -> Result<Vec<Score>, AppError> {
    let backend = db.get_database_backend();
    let ids: Vec<i32> = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, &ranking_sql(pass)),
            ranking_values(facts, pass, limit),
        ))
        .await?
        .iter()
        .map(|row| row.try_get("", "id"))
        .collect::<Result<_, _>>()?;
    let best = load(db, &ids).await?;
    Ok(model::rank(facts, &best, limit))
}

/// Whether `scores` hold `limit` candidates and the last of them scores more than
/// anyone left out could (`most`): then nobody left out could take a place.
fn beats(scores: &[Score], limit: usize, most: i32) -> bool {
    scores.len() >= limit && scores.last().is_some_and(|s| s.total > most)
}

/// Every active candidate's matching facts with all occupations: the plain
/// in-memory data the benchmark and the tests compare [`rank_for_need`] against.
pub async fn all_facts(db: &impl ConnectionTrait) -> Result<Vec<CandidateFacts>, AppError> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!("SELECT {FACT_COLUMNS} FROM candidates c WHERE c.active = ?"),
            ),
            [true.into()],
        ))
        .await?;
    let mut facts = by_id(&rows)?;
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT candidate_id, occupation_code, years FROM candidate_experiences \
             UNION ALL SELECT candidate_id, occupation_code, NULL FROM candidate_preferences",
        ))
        .await?;
    add_occupations(&mut facts, &rows)?;
    Ok(facts.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::range;

    #[test]
    fn a_prefix_becomes_a_range_of_unit_codes() {
        assert_eq!(range("5321", 3), ("5320".to_owned(), "5329".to_owned()));
        assert_eq!(range("5321", 1), ("5000".to_owned(), "5999".to_owned()));
        assert_eq!(range("5321", 4), ("5321".to_owned(), "5321".to_owned()));
    }
}
