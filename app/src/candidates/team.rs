//! The team around a participant: the people outside the municipality's staff who
//! work with a candidate, the plan steps they see to, and the team's meetings. All of
//! it is the candidate's personal data for staff only, written to the audit log, in
//! the register extract and gone with the candidate on erasure (the rows cascade).

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::{
    PlanStepView, TeamMeetingView, TeamMemberView, TeamView,
    entity::{plan_step, team_meeting, team_meeting_attendee, team_member},
    model::{TeamMemberForm, TeamRole},
    service::{event, find},
};
use crate::{
    audit::service::{self as audit, Action},
    auth::{Staff, entity::user},
    error::{AppError, FieldErrors},
    firms::model::{parse_date, parse_text},
    i18n::today,
    ssr::BeginWrite,
};

/// The longest meeting notes, in characters.
const NOTES_MAX: usize = 4000;

fn member_view(m: team_member::Model) -> TeamMemberView {
    TeamMemberView {
        id: m.id,
        role: TeamRole::parse(&m.role).unwrap_or(TeamRole::Other),
        name: m.name,
        organisation: m.organisation,
        phone: m.phone,
        email: m.email,
        started_on: m.started_on,
        ended_on: m.ended_on,
    }
}

/// The team around candidate `id`: those in it first (longest in the team first),
/// then those who left (last to leave first).
pub async fn members(db: &impl ConnectionTrait, id: i32) -> Result<Vec<TeamMemberView>, AppError> {
    let mut rows = team_member::Entity::find()
        .filter(team_member::Column::CandidateId.eq(id))
        .order_by_asc(team_member::Column::StartedOn)
        .order_by_asc(team_member::Column::Id)
        .all(db)
        .await?;
    rows.sort_by_key(|m| (m.ended_on.is_some(), std::cmp::Reverse(m.ended_on)));
    Ok(rows.into_iter().map(member_view).collect())
}

/// The team's meetings, newest first, with who took part and who wrote the notes.
pub async fn meetings(
    db: &impl ConnectionTrait,
    id: i32,
    members: &[TeamMemberView],
) -> Result<Vec<TeamMeetingView>, AppError> {
    let rows = team_meeting::Entity::find()
        .filter(team_meeting::Column::CandidateId.eq(id))
        .order_by_desc(team_meeting::Column::HeldOn)
        .order_by_desc(team_meeting::Column::Id)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let attendance = team_meeting_attendee::Entity::find()
        .filter(team_meeting_attendee::Column::MeetingId.is_in(rows.iter().map(|m| m.id)))
        .all(db)
        .await?;
    let writers: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|m| m.created_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let names: HashMap<i32, &str> = members.iter().map(|m| (m.id, m.name.as_str())).collect();
    Ok(rows
        .into_iter()
        .map(|m| TeamMeetingView {
            id: m.id,
            held_on: m.held_on,
            // In the order the team lists its members.
            attendees: members
                .iter()
                .filter(|t| {
                    attendance
                        .iter()
                        .any(|a| a.meeting_id == m.id && a.member_id == t.id)
                })
                .filter_map(|t| names.get(&t.id).map(|n| (*n).to_owned()))
                .collect(),
            notes: m.notes,
            written_by: m
                .created_by
                .and_then(|u| writers.get(&u).cloned())
                .unwrap_or_default(),
        })
        .collect())
}

/// A plan step as shown, with the name of the member who sees to it.
pub fn step_view(s: plan_step::Model, members: &[TeamMemberView]) -> PlanStepView {
    PlanStepView {
        id: s.id,
        due_on: s.due_on,
        description: s.description,
        done_on: s.done_on,
        assignee: s.assignee_id.and_then(|a| {
            members
                .iter()
                .find(|m| m.id == a)
                .map(|m| (m.id, m.name.clone()))
        }),
    }
}

/// The team page of candidate `id`; the read is audited.
pub async fn team(authed: &Staff, id: i32) -> Result<TeamView, AppError> {
    let db = &authed.db;
    let c = find(db, id).await?;
    let members = members(db, id).await?;
    let meetings = meetings(db, id, &members).await?;
    let open_steps = plan_step::Entity::find()
        .filter(plan_step::Column::CandidateId.eq(id))
        .filter(plan_step::Column::DoneOn.is_null())
        .order_by_asc(plan_step::Column::DueOn)
        .order_by_asc(plan_step::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| step_view(s, &members))
        .collect();
    audit::record(
        db,
        event(authed, Action::CandidateRead, id, "team".to_owned()),
    )
    .await?;
    Ok(TeamView {
        candidate_id: id,
        name: c.name,
        members,
        open_steps,
        meetings,
        today: today(),
    })
}

/// A posted `assignee_id`: empty is the coordinator, otherwise a member still in the
/// team of candidate `id`. The error names `field`.
pub async fn parse_assignee(
    db: &impl ConnectionTrait,
    id: i32,
    input: &str,
    field: &str,
) -> Result<Option<i32>, AppError> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let member = match input.parse::<i32>() {
        Ok(member_id) => {
            team_member::Entity::find_by_id(member_id)
                .filter(team_member::Column::CandidateId.eq(id))
                .one(db)
                .await?
        }
        Err(_) => None,
    };
    match member {
        Some(m) if m.ended_on.is_none() => Ok(Some(m.id)),
        Some(_) => Err(AppError::field(field, "team-member-left")),
        None => Err(AppError::field(field, "field-choice-invalid")),
    }
}

/// Adds someone to the team; returns the member's id.
pub async fn add_member(authed: &Staff, id: i32, form: &TeamMemberForm) -> Result<i32, AppError> {
    find(&authed.db, id).await?;
    let input = form.parse()?;
    let txn = authed.db.begin_write().await?;
    let member = team_member::ActiveModel {
        candidate_id: Set(id),
        role: Set(input.role.as_str().to_owned()),
        name: Set(input.name),
        organisation: Set(input.organisation),
        phone: Set(input.phone),
        email: Set(input.email),
        started_on: Set(input.started_on),
        ended_on: Set(None),
        created_by: Set(Some(authed.user.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        event(
            authed,
            Action::CandidateTeam,
            id,
            format!("member {} added ({})", member.id, input.role.as_str()),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(member.id)
}

/// Records that a member left the team today. Their open plan steps go back to the
/// coordinator, so no step waits on someone who is gone.
pub async fn end_member(authed: &Staff, id: i32, member_id: i32) -> Result<(), AppError> {
    let txn = authed.db.begin_write().await?;
    let member = team_member::Entity::find_by_id(member_id)
        .filter(team_member::Column::CandidateId.eq(id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if member.ended_on.is_some() {
        return Err(AppError::Conflict("team-member-left".to_owned()));
    }
    let mut row = member.into_active_model();
    row.ended_on = Set(Some(today()));
    row.update(&txn).await?;
    let handed_back = plan_step::Entity::update_many()
        .col_expr(
            plan_step::Column::AssigneeId,
            sea_orm::sea_query::Expr::value(Option::<i32>::None),
        )
        .filter(plan_step::Column::CandidateId.eq(id))
        .filter(plan_step::Column::AssigneeId.eq(member_id))
        .filter(plan_step::Column::DoneOn.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    audit::record(
        &txn,
        event(
            authed,
            Action::CandidateTeam,
            id,
            format!("member {member_id} left; {handed_back} open steps back to the coordinator"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Gives open step `step_id` of candidate `id` to a member of the team, or back to the
/// coordinator.
pub async fn assign_step(
    authed: &Staff,
    id: i32,
    step_id: i32,
    assignee: &str,
) -> Result<(), AppError> {
    let txn = authed.db.begin_write().await?;
    let step = plan_step::Entity::find_by_id(step_id)
        .filter(plan_step::Column::CandidateId.eq(id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if step.done_on.is_some() {
        return Err(AppError::field("step_id", "plan-step-done"));
    }
    let assignee = parse_assignee(&txn, id, assignee, "assignee_id").await?;
    let mut row = step.into_active_model();
    row.assignee_id = Set(assignee);
    row.update(&txn).await?;
    let to = assignee.map_or_else(|| "the coordinator".to_owned(), |m| format!("member {m}"));
    audit::record(
        &txn,
        event(
            authed,
            Action::CandidatePlan,
            id,
            format!("step {step_id} to {to}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Writes down a team meeting; returns its id. Every attendee must be a member of this
/// candidate's team who was in it on the day.
pub async fn add_meeting(
    authed: &Staff,
    id: i32,
    held_on: &str,
    notes: &str,
    attendees: &[String],
) -> Result<i32, AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let held_on: Option<NaiveDate> = parse_date(held_on)
        .map_err(|k| errors.add("held_on", k))
        .ok();
    if held_on.is_some_and(|d| d > today()) {
        errors.add("held_on", "team-meeting-future");
    }
    let notes = parse_text(notes, NOTES_MAX)
        .map_err(|k| errors.add("notes", k))
        .unwrap_or_default();
    let team = members(&authed.db, id).await?;
    let mut chosen: Vec<i32> = Vec::new();
    for a in attendees {
        let member = a
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|m| team.iter().find(|t| t.id == m));
        match (member, held_on) {
            (Some(m), Some(day))
                if m.started_on <= day && m.ended_on.is_none_or(|end| end >= day) =>
            {
                if !chosen.contains(&m.id) {
                    chosen.push(m.id);
                }
            }
            (Some(_), Some(_)) => errors.add("attendees", "team-meeting-not-in-team"),
            (Some(_), None) => {}
            (None, _) => errors.add("attendees", "field-choice-invalid"),
        }
    }
    let Some(held_on) = held_on else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    let txn = authed.db.begin_write().await?;
    let meeting = team_meeting::ActiveModel {
        candidate_id: Set(id),
        held_on: Set(held_on),
        notes: Set(notes),
        created_by: Set(Some(authed.user.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for member_id in &chosen {
        team_meeting_attendee::ActiveModel {
            meeting_id: Set(meeting.id),
            member_id: Set(*member_id),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        event(
            authed,
            Action::CandidateTeam,
            id,
            format!(
                "meeting {} on {held_on}, {} attending",
                meeting.id,
                chosen.len()
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(meeting.id)
}
