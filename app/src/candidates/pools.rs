//! A ring's pool: the candidates a coordinator has put at the ring's disposal.

use super::{
    model::optional_id,
    service::{event, find},
};
use crate::ssr::BeginWrite;
use std::collections::HashMap;

use crate::db::Db;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::{
    PoolRow, PoolView,
    entity::{candidate, pool_entry},
};
use crate::{
    audit::service::{self as audit, Action},
    auth::Staff,
    error::{AppError, FieldErrors},
    firms::model::parse_optional_text,
    ids::{CandidateId, RingId},
    rings::{entity::ring, model::RingStatus},
    ssr::raced,
};

/// Puts a candidate in an active ring's pool (again: replaces the note).
pub async fn add_to_pool(
    authed: &Staff,
    id: i32,
    ring_id: &str,
    note: &str,
) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let ring_id = match optional_id(ring_id) {
        Ok(Some(r)) => Some(r),
        Ok(None) => {
            errors.add("ring_id", "field-choice-required");
            None
        }
        Err(k) => {
            errors.add("ring_id", k);
            None
        }
    };
    let note = parse_optional_text(note, 500)
        .map_err(|k| errors.add("pool_note", k))
        .unwrap_or_default();
    if let Some(r) = ring_id {
        match ring::Entity::find_by_id(r).one(&authed.db).await? {
            Some(ring) if ring.status == RingStatus::Active.as_str() => {}
            Some(_) => errors.add("ring_id", "field-ring-closed"),
            None => errors.add("ring_id", "field-choice-invalid"),
        }
    }
    let Some(ring_id) = ring_id else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    let txn = authed.db.begin_write().await?;
    let existing = pool_entry::Entity::find()
        .filter(pool_entry::Column::RingId.eq(ring_id))
        .filter(pool_entry::Column::CandidateId.eq(id))
        .one(&txn)
        .await?;
    match existing {
        Some(row) => {
            let mut row = row.into_active_model();
            row.note = Set(note);
            row.update(&txn).await?;
        }
        None => {
            pool_entry::ActiveModel {
                ring_id: Set(ring_id),
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
            Action::CandidatePoolAdd,
            id,
            format!("ring {ring_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Takes a candidate out of a ring's pool (idempotent).
pub async fn remove_from_pool(
    authed: &Staff,
    candidate: CandidateId,
    ring: RingId,
) -> Result<(), AppError> {
    let (id, ring_id) = (candidate.0, ring.0);
    find(&authed.db, id).await?;
    let txn = authed.db.begin_write().await?;
    pool_entry::Entity::delete_many()
        .filter(pool_entry::Column::RingId.eq(ring_id))
        .filter(pool_entry::Column::CandidateId.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        event(
            authed,
            Action::CandidatePoolRemove,
            id,
            format!("ring {ring_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A ring's pool, by name.
pub async fn pool(db: &Db, ring_id: i32) -> Result<PoolView, AppError> {
    let ring = ring::Entity::find_by_id(ring_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let entries = pool_entry::Entity::find()
        .filter(pool_entry::Column::RingId.eq(ring_id))
        .all(db)
        .await?;
    let candidates: HashMap<i32, candidate::Model> = candidate::Entity::find()
        .filter(
            candidate::Column::Id.is_in(entries.iter().map(|e| e.candidate_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut entries: Vec<PoolRow> = entries
        .into_iter()
        .filter_map(|e| {
            let c = candidates.get(&e.candidate_id)?;
            Some(PoolRow {
                candidate_id: c.id,
                name: c.name.clone(),
                criteria_met: c.criteria_met,
                note: e.note,
                added_at: e.added_at,
            })
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(PoolView {
        ring_id,
        ring_name: ring.name,
        entries,
    })
}
