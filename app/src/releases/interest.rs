//! Interest, meeting and outcome: a ring member marks interest in a live profile, the
//! coordinator sees the inbox, arranges the meeting, confirms what was agreed and
//! records the outcome on the candidate's timeline.

use super::{
    service::{consents_of, live},
    views::interest_views,
};
use crate::ssr::BeginWrite;
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime, Utc};

use crate::db::Db;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Statement,
};

use super::{
    Inbox, InboxRow, Outcome,
    access::ReleaseMember,
    entity::{interest, release},
};
use crate::{
    audit::service::{self as audit, Action},
    auth::{Staff, entity::user},
    candidates::entity::candidate,
    error::{AppError, FieldErrors},
    firms::{
        entity::firm,
        model::{parse_date, parse_text},
    },
    i18n::{stockholm_instant, today},
    needs::{entity::need, model::EmploymentForm},
    rings::entity::ring,
    ssr::{is_unique_violation, sql},
};

async fn live_release(
    db: &impl ConnectionTrait,
    release_id: i32,
) -> Result<release::Model, AppError> {
    let r = release::Entity::find_by_id(release_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let consents = consents_of(db, std::slice::from_ref(&r)).await?;
    if live(&r, &consents, today()) {
        Ok(r)
    } else {
        Err(AppError::Conflict("release-withdrawn".into()))
    }
}

/// Queues `mail` (in the event's transaction) linked to the release it mentions, so
/// revoking the release cancels it.
async fn queue_about(
    db: &impl ConnectionTrait,
    mail: &crate::mail::OutgoingEmail,
    base_url: &str,
    release_id: i32,
) -> Result<(), AppError> {
    let message_id =
        crate::mail::service::enqueue(db, mail, &crate::auth::service::host_of(base_url)).await?;
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO outbox_releases (outbox_id, release_id) \
             SELECT id, ? FROM outbox WHERE message_id = ?",
        ),
        [release_id.into(), message_id.into()],
    ))
    .await?;
    Ok(())
}

/// Records a firm's interest in a live profile and tells the coordinator who
/// released it.
pub async fn express_interest(member: &ReleaseMember, message: &str) -> Result<(), AppError> {
    let (authed, firm_id, pseudonym) = (member.authed(), member.firm_id(), member.pseudonym());
    let message = parse_text(message, 1000).map_err(|k| AppError::field("message", k))?;
    let r = release::Entity::find()
        .filter(release::Column::Pseudonym.eq(pseudonym.trim()))
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = authed.db.begin_write().await?;
    let r = live_release(&txn, r.id).await?;
    let existing = interest::Entity::find()
        .filter(interest::Column::ReleaseId.eq(r.id))
        .filter(interest::Column::FirmId.eq(firm_id))
        .one(&txn)
        .await?;
    if existing.is_some() {
        return Err(AppError::Conflict("interest-already".into()));
    }
    let now = Utc::now();
    let row = interest::ActiveModel {
        release_id: Set(r.id),
        firm_id: Set(firm_id),
        user_id: Set(Some(authed.user.id)),
        message: Set(message),
        created_at: Set(now),
        meeting_at: Set(None),
        meeting_place: Set(String::new()),
        candidate_agreed: Set(false),
        outcome: Set(String::new()),
        outcome_on: Set(None),
        handled_by: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::Conflict("interest-already".into())
        } else {
            e.into()
        }
    })?;
    let releaser = match r.released_by {
        Some(id) => user::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .filter(|u| u.disabled_at.is_none()),
        None => None,
    };
    if let Some(to) = releaser {
        let firm_name = firm::Entity::find_by_id(firm_id)
            .one(&txn)
            .await?
            .map(|f| f.name)
            .unwrap_or_default();
        let base = &authed.config.base_url;
        let mail = crate::mail::templates::interest_received(
            &to.email,
            &to.locale,
            &r.pseudonym,
            &firm_name,
            &format!("{base}/intresse#intresse-{}", row.id),
        );
        queue_about(&txn, &mail, base, r.id).await?;
    }
    audit::record(
        &txn,
        authed.event(
            Action::InterestCreate,
            "release",
            r.id,
            format!("{} by firm {firm_id}", r.pseudonym),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The coordinators' inbox: open interests first, newest first (at most 300).
pub async fn inbox(db: &Db) -> Result<Inbox, AppError> {
    let today = today();
    let rows = interest::Entity::find()
        .order_by_desc(interest::Column::CreatedAt)
        .limit(300)
        .all(db)
        .await?;
    let release_ids: Vec<i32> = rows.iter().map(|i| i.release_id).collect();
    let releases: HashMap<i32, release::Model> = if release_ids.is_empty() {
        HashMap::new()
    } else {
        release::Entity::find()
            .filter(release::Column::Id.is_in(release_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect()
    };
    let release_list: Vec<release::Model> = releases.values().cloned().collect();
    let consents = consents_of(db, &release_list).await?;
    let candidate_ids: Vec<i32> = release_list.iter().map(|r| r.candidate_id).collect();
    let names: HashMap<i32, String> = if candidate_ids.is_empty() {
        HashMap::new()
    } else {
        candidate::Entity::find()
            .filter(candidate::Column::Id.is_in(candidate_ids))
            .select_only()
            .column(candidate::Column::Id)
            .column(candidate::Column::Name)
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let rings: HashMap<i32, String> = ring::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let name_of = |i: &interest::Model| {
        releases
            .get(&i.release_id)
            .and_then(|r| names.get(&r.candidate_id).cloned())
    };
    let views = interest_views(db, &rows, &name_of).await?;
    let mut out: Vec<InboxRow> = rows
        .iter()
        .zip(views)
        .filter_map(|(i, view)| {
            let r = releases.get(&i.release_id)?;
            Some(InboxRow {
                interest: view,
                pseudonym: r.pseudonym.clone(),
                ring_name: rings.get(&r.ring_id).cloned().unwrap_or_default(),
                candidate: (
                    r.candidate_id,
                    names.get(&r.candidate_id).cloned().unwrap_or_default(),
                ),
                release_active: live(r, &consents, today),
            })
        })
        .collect();
    out.sort_by_key(|row| row.interest.outcome.is_some());
    Ok(Inbox { rows: out, today })
}

async fn interest_or_404(
    db: &impl ConnectionTrait,
    interest_id: i32,
) -> Result<interest::Model, AppError> {
    interest::Entity::find_by_id(interest_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Arranges (or moves) the personal meeting, and tells the employer who asked.
pub async fn arrange_meeting(
    authed: &Staff,
    interest_id: i32,
    date: &str,
    time: &str,
    place: &str,
) -> Result<(), AppError> {
    let i = interest_or_404(&authed.db, interest_id).await?;
    let mut errors = FieldErrors::new();
    let day = parse_date(date)
        .map_err(|k| errors.add("meeting_date", k))
        .ok();
    if day.is_some_and(|d| d < today()) {
        errors.add("meeting_date", "field-meeting-date-past");
    }
    let at_time = match time.trim() {
        "" => {
            errors.add("meeting_time", "field-required");
            None
        }
        s => NaiveTime::parse_from_str(s, "%H:%M")
            .map_err(|_| errors.add("meeting_time", "field-time-invalid"))
            .ok(),
    };
    let place = parse_text(place, 300)
        .map_err(|k| errors.add("meeting_place", k))
        .unwrap_or_default();
    let at = match (day, at_time) {
        (Some(d), Some(t)) => {
            let at = stockholm_instant(d, t);
            if at.is_none() {
                errors.add("meeting_time", "field-time-invalid");
            }
            at
        }
        _ => None,
    };
    let at = errors.into_result(at)?.ok_or(AppError::BadRequest)?;
    let txn = authed.db.begin_write().await?;
    let r = live_release(&txn, i.release_id).await?;
    interest::Entity::update_many()
        .col_expr(interest::Column::MeetingAt, Some(at).into())
        .col_expr(interest::Column::MeetingPlace, place.clone().into())
        .col_expr(interest::Column::HandledBy, Some(authed.user.id).into())
        .col_expr(interest::Column::UpdatedAt, Utc::now().into())
        .filter(interest::Column::Id.eq(interest_id))
        .exec(&txn)
        .await?;
    let asker = match i.user_id {
        Some(id) => user::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .filter(|u| u.disabled_at.is_none() && u.firm_id == Some(i.firm_id)),
        None => None,
    };
    if let Some(to) = asker {
        let base = &authed.config.base_url;
        let mail = crate::mail::templates::meeting_arranged(
            &to.email,
            &to.locale,
            &r.pseudonym,
            at,
            &place,
            &format!("{base}/profiler/{}", r.pseudonym),
        );
        queue_about(&txn, &mail, base, r.id).await?;
    }
    audit::record(
        &txn,
        authed.event(
            Action::InterestMeeting,
            "candidate",
            r.candidate_id,
            format!("interest {interest_id} ({}) meeting {at}", r.pseudonym),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records that the candidate agreed to meet the firm: the firm now sees the name.
pub async fn confirm_agreed(authed: &Staff, interest_id: i32) -> Result<(), AppError> {
    let i = interest_or_404(&authed.db, interest_id).await?;
    let txn = authed.db.begin_write().await?;
    let r = live_release(&txn, i.release_id).await?;
    if i.meeting_at.is_none() {
        return Err(AppError::Conflict("interest-meeting-first".into()));
    }
    interest::Entity::update_many()
        .col_expr(interest::Column::CandidateAgreed, true.into())
        .col_expr(interest::Column::HandledBy, Some(authed.user.id).into())
        .col_expr(interest::Column::UpdatedAt, Utc::now().into())
        .filter(interest::Column::Id.eq(interest_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        authed.event(
            Action::InterestAgreed,
            "candidate",
            r.candidate_id,
            format!(
                "name disclosed to firm {} for interest {interest_id} ({})",
                i.firm_id, r.pseudonym
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records the outcome of the meeting; an internship or a hire goes into the
/// candidate's timeline (through the timeline's own rules).
pub async fn record_outcome(
    authed: &Staff,
    interest_id: i32,
    outcome: &str,
    outcome_on: &str,
    employment_form: &str,
) -> Result<(), AppError> {
    let i = interest_or_404(&authed.db, interest_id).await?;
    let mut errors = FieldErrors::new();
    let kind = Outcome::parse(outcome);
    if kind.is_none() {
        errors.add("outcome", "field-choice-required");
    }
    let on = parse_date(outcome_on)
        .map_err(|k| errors.add("outcome_on", k))
        .ok();
    let form = match employment_form.trim() {
        "" => None,
        s => {
            let f = EmploymentForm::parse(s);
            if f.is_none() {
                errors.add("employment_form", "field-choice-invalid");
            }
            f
        }
    };
    if kind == Some(Outcome::Hired) && form.is_none() && errors.get("employment_form").is_none() {
        errors.add("employment_form", "field-choice-required");
    }
    errors.into_result(())?;
    let (Some(kind), Some(on)) = (kind, on) else {
        return Err(AppError::BadRequest);
    };
    if !i.outcome.is_empty() {
        return Err(AppError::Conflict("interest-outcome-recorded".into()));
    }
    let r = release::Entity::find_by_id(i.release_id)
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    // The need goes into the timeline only when it is the interested firm's own.
    let need_id = match r.need_id {
        Some(id) => need::Entity::find_by_id(id)
            .one(&authed.db)
            .await?
            .filter(|n| n.firm_id == i.firm_id)
            .map(|n| n.id),
        None => None,
    };
    let activity = |kind: &str, form: &str| crate::candidates::model::ActivityForm {
        kind: kind.to_owned(),
        firm_id: i.firm_id.to_string(),
        need_id: need_id.map(|n| n.to_string()).unwrap_or_default(),
        start_on: on.to_string(),
        employment_form: form.to_owned(),
        note: r.pseudonym.clone(),
        ..Default::default()
    };
    let claimed = interest::Entity::update_many()
        .col_expr(interest::Column::Outcome, kind.as_str().into())
        .col_expr(interest::Column::OutcomeOn, Some(on).into())
        .col_expr(interest::Column::HandledBy, Some(authed.user.id).into())
        .col_expr(interest::Column::UpdatedAt, Utc::now().into())
        .filter(interest::Column::Id.eq(interest_id))
        .filter(interest::Column::Outcome.eq(""))
        .exec(&authed.db)
        .await?
        .rows_affected
        == 1;
    if !claimed {
        return Err(AppError::Conflict("interest-outcome-recorded".into()));
    }
    let timeline = match kind {
        Outcome::Internship => Some(activity("internship", "")),
        Outcome::Hired => Some(activity(
            "employment",
            form.map(EmploymentForm::as_str).unwrap_or_default(),
        )),
        Outcome::NoMatch => None,
    };
    if let Some(fields) = timeline
        && let Err(e) =
            crate::candidates::timeline::add_activity(authed, r.candidate_id, fields).await
    {
        // The timeline refused it (e.g. a start before enrolment): the outcome is
        // not recorded either, so the coordinator can correct the date.
        interest::Entity::update_many()
            .col_expr(interest::Column::Outcome, "".into())
            .col_expr(
                interest::Column::OutcomeOn,
                Option::<NaiveDate>::None.into(),
            )
            .filter(interest::Column::Id.eq(interest_id))
            .exec(&authed.db)
            .await?;
        return Err(match e {
            AppError::Validation(errs) => {
                let key = errs
                    .get("start_on")
                    .or_else(|| errs.get("employment_form"))
                    .unwrap_or("interest-outcome-refused")
                    .to_owned();
                AppError::field("outcome_on", &key)
            }
            other => other,
        });
    }
    audit::record(
        &authed.db,
        authed.event(
            Action::InterestOutcome,
            "candidate",
            r.candidate_id,
            format!(
                "interest {interest_id} ({}): {}",
                r.pseudonym,
                kind.as_str()
            ),
        ),
    )
    .await?;
    Ok(())
}
