//! The candidate's timeline: each kind of entry asks for its own fields.

use super::{
    model::{optional_date, optional_id},
    service::{event, find, refresh},
};
use crate::ssr::BeginWrite;

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use super::{
    entity::activity,
    model::{ActivityForm, ActivityKind, ExitReason},
};
use crate::{
    audit::service::{self as audit, Action},
    auth::Staff,
    error::{AppError, FieldErrors},
    field,
    firms::{
        entity::firm,
        model::{parse_date, parse_optional_text, parse_text},
    },
    i18n::today,
    needs::{entity::need, model::EmploymentForm},
};

/// Adds an entry to the timeline; each kind asks for its own fields.
pub async fn add_activity(authed: &Staff, id: i32, f: ActivityForm) -> Result<(), AppError> {
    let c = find(&authed.db, id).await?;
    let db = &authed.db;
    let today = today();
    let mut errors = FieldErrors::new();
    let kind = ActivityKind::parse(&f.kind);
    if kind.is_none() {
        errors.add(field!(ActivityForm, kind), "field-choice-required");
    }
    let start = parse_date(&f.start_on)
        .map_err(|k| errors.add(field!(ActivityForm, start_on), k))
        .ok();
    let end = optional_date(&f.end_on)
        .map_err(|k| errors.add(field!(ActivityForm, end_on), k))
        .ok()
        .flatten();
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.add(field!(ActivityForm, end_on), "field-end-before-start");
    }
    if start.is_some_and(|s| s < c.birth_date) {
        errors.add(field!(ActivityForm, start_on), "field-date-too-early");
    }
    if start.is_some_and(|s| s > today + Duration::days(366)) {
        errors.add(field!(ActivityForm, start_on), "field-date-too-late");
    }
    let note = parse_optional_text(&f.note, 1000)
        .map_err(|k| errors.add(field!(ActivityForm, note), k))
        .unwrap_or_default();
    let mut firm_id = optional_id(&f.firm_id)
        .map_err(|k| errors.add(field!(ActivityForm, firm_id), k))
        .ok()
        .flatten();
    let mut need_id = optional_id(&f.need_id)
        .map_err(|k| errors.add(field!(ActivityForm, need_id), k))
        .ok()
        .flatten();
    let mut title = String::new();
    let mut provider = String::new();
    let mut completed = None;
    let mut employment_form = String::new();
    let mut exit_reason = String::new();
    let mut end_on = end;
    match kind {
        Some(ActivityKind::Internship) if firm_id.is_none() && need_id.is_none() => {
            errors.add(field!(ActivityForm, firm_id), "field-choice-required");
        }
        Some(ActivityKind::Internship) => {}
        Some(ActivityKind::Employment) => {
            if firm_id.is_none() && need_id.is_none() {
                errors.add(field!(ActivityForm, firm_id), "field-choice-required");
            }
            match EmploymentForm::parse(&f.employment_form) {
                Some(form) => employment_form = form.as_str().to_owned(),
                None => errors.add(
                    field!(ActivityForm, employment_form),
                    "field-choice-required",
                ),
            }
        }
        Some(ActivityKind::Training) => {
            title = parse_text(&f.title, 160)
                .map_err(|k| errors.add(field!(ActivityForm, title), k))
                .unwrap_or_default();
            provider = parse_optional_text(&f.provider, 160)
                .map_err(|k| errors.add(field!(ActivityForm, provider), k))
                .unwrap_or_default();
            completed = Some(f.completed.is_some());
            if f.completed.is_some() && end.is_none_or(|e| e > today) {
                errors.add(field!(ActivityForm, end_on), "field-completed-needs-end");
            }
        }
        Some(ActivityKind::Studies) => {
            title = parse_optional_text(&f.title, 160)
                .map_err(|k| errors.add(field!(ActivityForm, title), k))
                .unwrap_or_default();
        }
        Some(ActivityKind::SelfSufficiency | ActivityKind::Exit) => {
            if start.is_some_and(|s| s > today) {
                errors.add(field!(ActivityForm, start_on), "field-date-future");
            }
            if kind == Some(ActivityKind::Exit) {
                match ExitReason::parse(&f.exit_reason) {
                    Some(reason) => exit_reason = reason.as_str().to_owned(),
                    None => errors.add(field!(ActivityForm, exit_reason), "field-choice-required"),
                }
            }
            if !c.active {
                errors.add(field!(ActivityForm, kind), "field-candidate-already-ended");
            }
            end_on = None;
        }
        None => {}
    }
    if !matches!(
        kind,
        Some(ActivityKind::Internship | ActivityKind::Employment)
    ) {
        firm_id = None;
        need_id = None;
    }
    // A need decides the firm; a firm given with it must be the need's.
    if let Some(n) = need_id {
        match need::Entity::find_by_id(n).one(db).await? {
            Some(need) if firm_id.is_none_or(|f| f == need.firm_id) => {
                firm_id = Some(need.firm_id);
            }
            Some(_) => errors.add(field!(ActivityForm, need_id), "field-need-other-firm"),
            None => errors.add(field!(ActivityForm, need_id), "field-choice-invalid"),
        }
    } else if let Some(f) = firm_id
        && firm::Entity::find_by_id(f).one(db).await?.is_none()
    {
        errors.add(field!(ActivityForm, firm_id), "field-choice-invalid");
    }
    let (Some(kind), Some(start)) = (kind, start) else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    let txn = db.begin_write().await?;
    activity::ActiveModel {
        candidate_id: Set(id),
        kind: Set(kind.as_str().to_owned()),
        firm_id: Set(firm_id),
        need_id: Set(need_id),
        title: Set(title),
        provider: Set(provider),
        start_on: Set(start),
        end_on: Set(end_on),
        completed: Set(completed),
        employment_form: Set(employment_form),
        exit_reason: Set(exit_reason),
        note: Set(note),
        created_by: Set(Some(authed.user.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    refresh(&txn, id).await?;
    audit::record(
        &txn,
        event(
            authed,
            Action::CandidateActivity,
            id,
            kind.as_str().to_owned(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
