//! The matching page of a need and its shortlist: the ranking explained, the
//! candidates a coordinator has put forward, and the audited changes to the list.
//! A candidate's record is read through `candidates` (its facts, its ranking).

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{MatchFilters, MatchView, RankedCandidate, ShortlistRow};
use crate::{
    audit::service::{self as audit, Action},
    auth::Staff,
    candidates::{
        entity::{candidate, pool_entry, shortlist_entry},
        ranking::{Ranking, need_facts},
        service::{event, find, occupation_or_code, occupation_views},
    },
    error::AppError,
    firms::{entity::firm, model::parse_optional_text},
    i18n::{Locale, today},
    ids::{CandidateId, NeedId},
    needs::entity::need,
    rings::entity::ring,
    ssr::{BeginWrite, raced},
};

/// How many candidates the matching page lists.
pub const MATCH_LIMIT: usize = 50;
/// How many it ranks before dropping the hired and applying its filters.
pub const MATCH_RANKED: usize = MATCH_LIMIT * 4;

/// The matching page: the need, the ranking explained, the shortlist.
pub async fn match_view(
    authed: &Staff,
    need_id: i32,
    filters: MatchFilters,
    locale: Locale,
) -> Result<MatchView, AppError> {
    let db = &authed.db;
    let n = need::Entity::find_by_id(need_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = need_facts(&n);
    // Filters and the hired are applied to a longer ranking, then cut to the limit.
    let Ranking { scores, considered } = authed.matching.rank(db, &facts, MATCH_RANKED).await?;
    let ranked_ids: Vec<i32> = scores.iter().map(|s| s.candidate_id).collect();
    let states =
        crate::releases::views::release_states(db, &ranked_ids, n.ring_id, need_id).await?;
    let consenting =
        crate::consent::service::covering_ring(db, &ranked_ids, n.ring_id, today()).await?;
    let ready: HashSet<i32> = candidate::Entity::find()
        .filter(candidate::Column::Id.is_in(ranked_ids))
        .filter(candidate::Column::JobReadySince.is_not_null())
        .select_only()
        .column(candidate::Column::Id)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let scores: Vec<_> = scores
        .into_iter()
        .filter(|s| !states.hired_for_need.contains(&s.candidate_id))
        .filter(|s| !filters.job_ready || ready.contains(&s.candidate_id))
        .filter(|s| !filters.consent || consenting.contains(&s.candidate_id))
        .filter(|s| !filters.not_placed || !states.placed.contains(&s.candidate_id))
        .take(MATCH_LIMIT)
        .collect();
    let shortlist = shortlist_entry::Entity::find()
        .filter(shortlist_entry::Column::NeedId.eq(need_id))
        .order_by_asc(shortlist_entry::Column::AddedAt)
        .all(db)
        .await?;
    let pool: HashSet<i32> = pool_entry::Entity::find()
        .filter(pool_entry::Column::RingId.eq(n.ring_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.candidate_id)
        .collect();
    let ids: Vec<i32> = scores
        .iter()
        .map(|s| s.candidate_id)
        .chain(shortlist.iter().map(|s| s.candidate_id))
        .collect();
    let names: HashMap<i32, String> = candidate::Entity::find()
        .filter(candidate::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let shortlisted: HashSet<i32> = shortlist.iter().map(|s| s.candidate_id).collect();
    let views = occupation_views(db, [n.occupation_code.clone()], locale).await?;
    let firm_name = firm::Entity::find_by_id(n.firm_id)
        .one(db)
        .await?
        .map(|f| f.name)
        .unwrap_or_default();
    let ring_name = ring::Entity::find_by_id(n.ring_id)
        .one(db)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    audit::record(
        db,
        authed.event(
            Action::CandidateMatch,
            "need",
            need_id,
            format!("{} ranked", scores.len()),
        ),
    )
    .await?;
    Ok(MatchView {
        need_id,
        title: n.title.clone(),
        firm_name,
        ring: (n.ring_id, ring_name),
        occupation: occupation_or_code(&views, &n.occupation_code),
        swedish_level: n.swedish_level.clone(),
        driving_licence: n.driving_licence.clone(),
        start_date: n.start_date,
        suggested_training: n.suggested_training.clone(),
        considered,
        filters,
        ranked: scores
            .into_iter()
            .map(|score| RankedCandidate {
                name: names.get(&score.candidate_id).cloned().unwrap_or_default(),
                in_pool: pool.contains(&score.candidate_id),
                shortlisted: shortlisted.contains(&score.candidate_id),
                job_ready: ready.contains(&score.candidate_id),
                consent: consenting.contains(&score.candidate_id),
                released: states.live.get(&score.candidate_id).cloned(),
                placed: states.placed.contains(&score.candidate_id),
                score,
            })
            .collect(),
        shortlist: shortlist
            .into_iter()
            .map(|s| ShortlistRow {
                candidate_id: s.candidate_id,
                name: names.get(&s.candidate_id).cloned().unwrap_or_default(),
                note: s.note,
                added_at: s.added_at,
            })
            .collect(),
    })
}

/// Puts a candidate on a need's shortlist (again: replaces the note).
pub async fn add_to_shortlist(
    authed: &Staff,
    need: NeedId,
    candidate: CandidateId,
    note: &str,
) -> Result<(), AppError> {
    let (need_id, id) = (need.0, candidate.0);
    need::Entity::find_by_id(need_id)
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    find(&authed.db, id).await?;
    let note = parse_optional_text(note, 500).map_err(|k| AppError::field("note", k))?;
    let txn = authed.db.begin_write().await?;
    let existing = shortlist_entry::Entity::find()
        .filter(shortlist_entry::Column::NeedId.eq(need_id))
        .filter(shortlist_entry::Column::CandidateId.eq(id))
        .one(&txn)
        .await?;
    match existing {
        Some(row) => {
            let mut row = row.into_active_model();
            row.note = Set(note);
            row.update(&txn).await?;
        }
        None => {
            shortlist_entry::ActiveModel {
                need_id: Set(need_id),
                candidate_id: Set(id),
                note: Set(note),
                added_by: Set(Some(authed.user.id)),
                added_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(raced)?;
        }
    }
    audit::record(
        &txn,
        event(
            authed,
            Action::CandidateShortlistAdd,
            id,
            format!("need {need_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Takes a candidate off a need's shortlist (idempotent).
pub async fn remove_from_shortlist(
    authed: &Staff,
    need: NeedId,
    candidate: CandidateId,
) -> Result<(), AppError> {
    let (need_id, id) = (need.0, candidate.0);
    need::Entity::find_by_id(need_id)
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = authed.db.begin_write().await?;
    shortlist_entry::Entity::delete_many()
        .filter(shortlist_entry::Column::NeedId.eq(need_id))
        .filter(shortlist_entry::Column::CandidateId.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        event(
            authed,
            Action::CandidateShortlistRemove,
            id,
            format!("need {need_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
