//! Ring meetings: the form checked, who is invited and answers, attendance recorded,
//! and the calendar file.

use super::service::{active_ring, current_members};
use crate::ssr::BeginWrite;
use std::collections::HashMap;

use crate::db::Db;
use chrono::{DateTime, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::{
    MeetingDetail, ParticipantView,
    entity::{meeting, response, ring},
    model::{Answer, CalendarEvent},
};
use crate::{
    audit::service::{self as audit, Action},
    auth::membership::is_member,
    auth::{Authed, RingAccess, SessionUser, entity::user, model::Role},
    error::{AppError, FieldErrors},
    firms::{
        entity::firm,
        model::{parse_optional_text, parse_text},
    },
    i18n::Locale,
    ids::{FirmId, RingId},
};

/// A meeting form, checked.
#[derive(Debug, Clone)]
pub struct MeetingInput {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: String,
    agenda: String,
}

impl MeetingInput {
    /// Checks the meeting form: a real day and times in Stockholm, the end after the
    /// start, a place or link.
    pub fn parse(
        date: &str,
        start: &str,
        end: &str,
        place: &str,
        agenda: &str,
    ) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let day = crate::firms::model::parse_date(date)
            .map_err(|k| errors.add("date", k))
            .ok();
        let mut time = |field: &str, s: &str| -> Option<NaiveTime> {
            let s = s.trim();
            if s.is_empty() {
                errors.add(field, "field-required");
                return None;
            }
            NaiveTime::parse_from_str(s, "%H:%M")
                .map_err(|_| errors.add(field, "field-time-invalid"))
                .ok()
        };
        let start = time("start_time", start);
        let end = time("end_time", end);
        let place = parse_text(place, 300)
            .map_err(|k| errors.add("place", k))
            .unwrap_or_default();
        let agenda = parse_optional_text(agenda, 4000)
            .map_err(|k| errors.add("agenda", k))
            .unwrap_or_default();
        let mut starts_at = None;
        let mut ends_at = None;
        if let (Some(day), Some(start), Some(end)) = (day, start, end) {
            starts_at = crate::i18n::stockholm_instant(day, start);
            ends_at = crate::i18n::stockholm_instant(day, end);
            if starts_at.is_none() {
                errors.add("start_time", "field-time-invalid");
            }
            if ends_at.is_none() {
                errors.add("end_time", "field-time-invalid");
            }
            if let (Some(s), Some(e)) = (starts_at, ends_at)
                && e <= s
            {
                errors.add("end_time", "field-end-before-start");
            }
        }
        match (starts_at, ends_at) {
            (Some(starts_at), Some(ends_at)) if errors.is_empty() => Ok(Self {
                starts_at,
                ends_at,
                place,
                agenda,
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

/// Plans a meeting in an active ring.
pub async fn create_meeting(
    authed: &Authed,
    ring_id: i32,
    input: MeetingInput,
) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    active_ring(&txn, ring_id).await?;
    let now = Utc::now();
    let row = meeting::ActiveModel {
        ring_id: Set(ring_id),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        place: Set(input.place),
        agenda: Set(input.agenda),
        created_by: Set(authed.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        authed.event(
            Action::MeetingCreated,
            "meeting",
            row.id,
            format!("ring {ring_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// A meeting's page for `user`.
pub async fn meeting(
    db: &Db,
    access: &RingAccess,
    user: &SessionUser,
    meeting_id: i32,
) -> Result<MeetingDetail, AppError> {
    let Some(m) = meeting::Entity::find_by_id(meeting_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    let ring_name = ring::Entity::find_by_id(m.ring_id)
        .one(db)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let responses = response::Entity::find()
        .filter(response::Column::MeetingId.eq(meeting_id))
        .all(db)
        .await?;
    let staff = matches!(access, RingAccess::Staff);
    let mut participants = Vec::new();
    if staff {
        let firm_ids: Vec<i32> = current_members(db, m.ring_id)
            .await?
            .into_iter()
            .map(|s| s.firm_id)
            .collect();
        let firm_names: HashMap<i32, String> = firm::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|f| (f.id, f.name))
            .collect();
        let responder_ids: Vec<i32> = responses.iter().map(|r| r.user_id).collect();
        let people = user::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(user::Column::FirmId.is_in(firm_ids))
                    .add(user::Column::Id.is_in(responder_ids)),
            )
            .filter(user::Column::DisabledAt.is_null())
            .order_by_asc(user::Column::Name)
            .all(db)
            .await?;
        let by_user: HashMap<i32, &response::Model> =
            responses.iter().map(|r| (r.user_id, r)).collect();
        participants = people
            .into_iter()
            .map(|p| {
                let r = by_user.get(&p.id);
                ParticipantView {
                    user_id: p.id,
                    firm_name: p
                        .firm_id
                        .and_then(|id| firm_names.get(&id).cloned())
                        .unwrap_or_default(),
                    name: p.name,
                    answer: r.and_then(|r| Answer::parse(&r.answer)),
                    attended: r.and_then(|r| r.attended),
                }
            })
            .collect();
    }
    Ok(MeetingDetail {
        id: m.id,
        ring_id: m.ring_id,
        ring_name,
        started: m.starts_at <= Utc::now(),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        place: m.place,
        agenda: m.agenda,
        my_answer: responses
            .iter()
            .find(|r| r.user_id == user.id)
            .and_then(|r| Answer::parse(&r.answer)),
        coming: responses
            .iter()
            .filter(|r| r.answer == Answer::Yes.as_str())
            .count(),
        participants,
        staff,
    })
}

/// Writes `user_id`'s row for a meeting: `change` edits the existing row or fills a new one.
async fn upsert_response(
    db: &impl ConnectionTrait,
    meeting_id: i32,
    user_id: i32,
    change: impl Fn(&mut response::ActiveModel),
) -> Result<(), AppError> {
    for _ in 0..2 {
        let existing = response::Entity::find_by_id((meeting_id, user_id))
            .one(db)
            .await?;
        let result = match existing {
            Some(row) => {
                let mut active = row.into_active_model();
                change(&mut active);
                active.updated_at = Set(Utc::now());
                active.update(db).await.map(|_| ())
            }
            None => {
                let mut active = response::ActiveModel {
                    meeting_id: Set(meeting_id),
                    user_id: Set(user_id),
                    answer: Set(String::new()),
                    attended: Set(None),
                    updated_at: Set(Utc::now()),
                };
                change(&mut active);
                active.insert(db).await.map(|_| ())
            }
        };
        match result {
            Ok(()) => return Ok(()),
            // Two requests created the row at once: the second one updates it.
            Err(e) if crate::ssr::is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Conflict("error-try-again".into()))
}

/// Records the caller's answer to a meeting that has not started.
pub async fn respond(
    db: &Db,
    user: &SessionUser,
    meeting_id: i32,
    answer: Answer,
) -> Result<(), AppError> {
    let Some(m) = meeting::Entity::find_by_id(meeting_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    if m.starts_at <= Utc::now() {
        return Err(AppError::Conflict("error-meeting-started".into()));
    }
    upsert_response(db, meeting_id, user.id, |r| {
        r.answer = Set(answer.as_str().to_owned());
    })
    .await
}

/// Records whether a person of a member firm (or anyone who answered) came.
pub async fn record_attendance(
    authed: &Authed,
    meeting_id: i32,
    user_id: i32,
    attended: bool,
) -> Result<(), AppError> {
    let Some(m) = meeting::Entity::find_by_id(meeting_id)
        .one(&authed.db)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    if m.starts_at > Utc::now() {
        return Err(AppError::Conflict("error-meeting-not-started".into()));
    }
    let Some(person) = user::Entity::find_by_id(user_id).one(&authed.db).await? else {
        return Err(AppError::NotFound);
    };
    let answered = response::Entity::find_by_id((meeting_id, user_id))
        .one(&authed.db)
        .await?
        .is_some();
    let in_ring = match person.firm_id {
        Some(f) => is_member(&authed.db, RingId(m.ring_id), FirmId(f)).await?,
        None => false,
    };
    if !answered && !in_ring {
        return Err(AppError::NotFound);
    }
    let txn = authed.db.begin_write().await?;
    upsert_response(&txn, meeting_id, user_id, |r| {
        r.attended = Set(Some(attended))
    })
    .await?;
    audit::record(
        &txn,
        authed.event(
            Action::MeetingAttendance,
            "meeting",
            meeting_id,
            format!("user {user_id}: {attended}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The meeting as an `.ics` file for `user`, or `NotFound` when they may not see it.
pub async fn calendar_file(
    db: &Db,
    user: &SessionUser,
    meeting_id: i32,
    base_url: &str,
    locale: Locale,
) -> Result<String, AppError> {
    let Some(m) = meeting::Entity::find_by_id(meeting_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    let allowed = match (user.role, user.firm_id) {
        (Role::Admin | Role::Coordinator, _) => true,
        (Role::Employer, Some(firm_id)) => {
            is_member(db, RingId(m.ring_id), FirmId(firm_id)).await?
        }
        (Role::Employer, None) => false,
    };
    if !allowed {
        return Err(AppError::NotFound);
    }
    let ring_name = ring::Entity::find_by_id(m.ring_id)
        .one(db)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let summary = locale.t_args("meeting-calendar-title", &[("ring", ring_name)]);
    let url = format!("{base_url}/moten/{meeting_id}");
    Ok(CalendarEvent {
        uid: format!(
            "meeting-{meeting_id}@{}",
            crate::auth::service::host_of(base_url)
        ),
        stamp: Utc::now(),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        summary: &summary,
        location: &m.place,
        description: &m.agenda,
        url: &url,
    }
    .to_ics())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_form_needs_a_real_time_span_and_a_place() {
        let err = MeetingInput::parse("2026-12-03", "10:00", "09:00", "", "").expect_err("bad");
        let f = err.field_errors().expect("fields");
        assert_eq!(f.get("end_time"), Some("field-end-before-start"));
        assert_eq!(f.get("place"), Some("field-required"));
        let err = MeetingInput::parse("2026-13-03", "25:00", "", "Rum 3", "").expect_err("bad");
        let f = err.field_errors().expect("fields");
        assert_eq!(f.get("date"), Some("field-date-invalid"));
        assert_eq!(f.get("start_time"), Some("field-time-invalid"));
        assert_eq!(f.get("end_time"), Some("field-required"));
        // 02:30 on the last Sunday of March does not exist in Stockholm.
        let err =
            MeetingInput::parse("2026-03-29", "02:30", "04:00", "Rum 3", "").expect_err("gap");
        assert_eq!(
            err.field_errors().and_then(|f| f.get("start_time")),
            Some("field-time-invalid")
        );
        let ok = MeetingInput::parse("2026-12-03", "08:30", "10:00", "Rum 3", "Runda").expect("ok");
        assert_eq!(ok.starts_at.to_rfc3339(), "2026-12-03T07:30:00+00:00");
    }
}
