//! Matching at scale: every server process holds the active candidates' matching
//! facts in memory ([`MatchingIndex`]) and ranks a need with [`model::rank`] over all
//! of them — the very scoring the page explains, over everyone, so no candidate can be
//! missed. The database says when the facts changed: every change to a candidate's
//! matching facts calls [`touch`] in its own transaction, which bumps one counter row
//! (its row lock puts the changes in commit order) and stamps the candidate with it.
//! Before each ranking a process reads the counter (one row) and, if it moved, reads
//! only the candidates stamped since; erasure and bulk writes move `epoch` too
//! ([`invalidate`]), and the process loads everyone again. Several processes on one
//! PostgreSQL each keep their own copy, always as new as the counter they read.

use std::{
    collections::HashMap,
    sync::{Arc, PoisonError, RwLock},
};

use sea_orm::{ConnectionTrait, DatabaseTransaction, Statement, Value};

use super::model::{self, CandidateFacts, NeedFacts, OccupationFact, Score};
use crate::{error::AppError, needs::entity::need, ssr::sql};

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
    /// How many active candidates were ranked (all of them).
    pub considered: usize,
}

/// Where the counter stood when the facts were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    /// Bumped by every change ([`touch`]) and by [`invalidate`].
    version: i64,
    /// Bumped by [`invalidate`] only: everyone must be read again.
    epoch: i64,
}

/// What [`MatchingIndex::sync`] had to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synced {
    /// Nothing: the facts were as new as the counter.
    Fresh,
    /// Read again the candidates changed since (how many).
    Changed(usize),
    /// Loaded every active candidate (how many).
    Loaded(usize),
}

/// At most this many changed candidates are read one by one; more, and everyone is.
const CHANGED_AT_MOST: usize = 2_000;

/// The active candidates' matching facts in this process, as of `stamp`.
#[derive(Debug, Default)]
struct Facts {
    stamp: Option<Stamp>,
    all: Vec<CandidateFacts>,
    /// Where each candidate is in `all`.
    at: HashMap<i32, usize>,
}

impl Facts {
    fn load(&mut self, stamp: Stamp, all: Vec<CandidateFacts>) {
        self.at = all.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        self.all = all;
        self.stamp = Some(stamp);
    }

    /// Puts in each changed candidate's facts, or takes out one no longer active.
    fn apply(&mut self, stamp: Stamp, changed: Vec<(i32, Option<CandidateFacts>)>) {
        for (id, facts) in changed {
            match (self.at.get(&id).copied(), facts) {
                (Some(i), Some(f)) => self.all[i] = f,
                (None, Some(f)) => {
                    self.at.insert(id, self.all.len());
                    self.all.push(f);
                }
                (Some(i), None) => {
                    self.at.remove(&id);
                    self.all.swap_remove(i);
                    if let Some(moved) = self.all.get(i) {
                        self.at.insert(moved.id, i);
                    }
                }
                (None, None) => {}
            }
        }
        self.stamp = Some(stamp);
    }
}

/// The matching facts of every active candidate, held by one process (see the module).
/// Cheap to clone: clones share the facts.
#[derive(Debug, Clone, Default)]
pub struct MatchingIndex(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    facts: RwLock<Facts>,
    /// One refresh at a time; rankings go on reading meanwhile.
    refreshing: tokio::sync::Mutex<()>,
}

impl MatchingIndex {
    /// The `limit` best active candidates for a need, best first, explained; after
    /// bringing the facts up to the database's counter ([`Self::sync`]).
    pub async fn rank(
        &self,
        db: &impl ConnectionTrait,
        need: &NeedFacts,
        limit: usize,
    ) -> Result<Ranking, AppError> {
        self.sync(db).await?;
        let inner = Arc::clone(&self.0);
        let need = need.clone();
        // Scoring everyone is CPU work: off the request threads.
        tokio::task::spawn_blocking(move || {
            let facts = inner.facts.read().unwrap_or_else(PoisonError::into_inner);
            Ranking {
                scores: model::rank(&need, &facts.all, limit),
                considered: facts.all.len(),
            }
        })
        .await
        .map_err(AppError::unexpected)
    }

    /// Brings the facts up to the database's counter: nothing if it has not moved, the
    /// candidates stamped since if it has, everyone if `epoch` moved (or on first use).
    pub async fn sync(&self, db: &impl ConnectionTrait) -> Result<Synced, AppError> {
        let now = stamp(db).await?;
        let held = || self.read(|f| f.stamp);
        if held().is_some_and(|h| h.version >= now.version) {
            return Ok(Synced::Fresh);
        }
        let _one = self.0.refreshing.lock().await;
        // Another request may have refreshed while this one waited.
        let changed = match held() {
            Some(h) if h.version >= now.version => return Ok(Synced::Fresh),
            Some(h) if h.epoch == now.epoch => changed_since(db, h.version).await?,
            _ => None,
        };
        if let Some(changed) = changed {
            let n = changed.len();
            self.write(|f| f.apply(now, changed));
            return Ok(Synced::Changed(n));
        }
        let all = all_facts(db).await?;
        let n = all.len();
        self.write(|f| f.load(now, all));
        Ok(Synced::Loaded(n))
    }

    fn read<T>(&self, f: impl FnOnce(&Facts) -> T) -> T {
        f(&self.0.facts.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn write(&self, f: impl FnOnce(&mut Facts)) {
        f(&mut self.0.facts.write().unwrap_or_else(PoisonError::into_inner));
    }
}

/// Records, in the transaction `txn` (a transaction, so that the counter and the
/// candidate's stamp are seen together) that changes candidate `id`'s matching facts
/// (occupations, Swedish, criteria, licence, availability, enrolment, whether active),
/// that they changed: every process reads them again before its next ranking.
pub async fn touch(txn: &DatabaseTransaction, id: i32) -> Result<(), AppError> {
    let backend = txn.get_database_backend();
    // The counter row first: its lock orders the changes as they commit.
    txn.execute_raw(Statement::from_string(
        backend,
        "UPDATE matching_state SET version = version + 1 WHERE id = 1",
    ))
    .await?;
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "UPDATE candidates SET facts_version = (SELECT version FROM matching_state WHERE id = 1) \
             WHERE id = ?",
        ),
        [id.into()],
    ))
    .await?;
    Ok(())
}

/// Records that candidates were deleted or written in bulk: every process loads
/// everyone again before its next ranking.
pub async fn invalidate(db: &impl ConnectionTrait) -> Result<(), AppError> {
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE matching_state SET version = version + 1, epoch = epoch + 1 WHERE id = 1",
    ))
    .await?;
    Ok(())
}

async fn stamp(db: &impl ConnectionTrait) -> Result<Stamp, AppError> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version, epoch FROM matching_state WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| AppError::unexpected(anyhow::anyhow!("matching_state has no row")))?;
    Ok(Stamp {
        version: row.try_get("", "version")?,
        epoch: row.try_get("", "epoch")?,
    })
}

/// The candidates stamped after `version`: each with its facts if active, `None` if
/// not. `None` when more than [`CHANGED_AT_MOST`] changed (read everyone instead).
async fn changed_since(
    db: &impl ConnectionTrait,
    version: i64,
) -> Result<Option<Vec<(i32, Option<CandidateFacts>)>>, AppError> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT c.id, c.active FROM candidates c WHERE c.facts_version > ?",
            ),
            [version.into()],
        ))
        .await?;
    if rows.len() > CHANGED_AT_MOST {
        return Ok(None);
    }
    let mut changed = Vec::with_capacity(rows.len());
    let mut active = Vec::new();
    for row in &rows {
        let id: i32 = row.try_get("", "id")?;
        if row.try_get::<bool>("", "active")? {
            active.push(id);
        } else {
            changed.push((id, None));
        }
    }
    let mut facts = load(db, &active).await?;
    // One deactivated between the two reads counts as changed and is taken out.
    changed.extend(active.into_iter().map(|id| (id, facts.remove(&id))));
    Ok(Some(changed))
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

/// The matching facts of the active candidates among `ids`, with all their
/// occupations, by id.
async fn load(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<HashMap<i32, CandidateFacts>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let marks = crate::ssr::placeholders(ids.len());
    let values: Vec<Value> = ids.iter().map(|i| (*i).into()).collect();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!("SELECT {FACT_COLUMNS} FROM candidates c WHERE c.active = ? AND c.id IN ({marks})"),
            ),
            std::iter::once(true.into()).chain(values.iter().cloned()).collect::<Vec<Value>>(),
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
    Ok(facts)
}

/// Every active candidate's matching facts with all occupations: what the index loads,
/// and what the benchmark and the tests compare it with.
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
