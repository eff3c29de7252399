//! Job tracks' rules: creating and changing a track, moving it through its life,
//! the firms' commitments (a coordinator proposes, the firm answers for itself), and
//! enrolling candidates under an active consent that covers the track's ring. Beside
//! it: `views` (what staff and the committed firms see).

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set,
};

use super::{
    access::FirmCommitment,
    entity::{track, track_firm, track_participant},
    model::{
        CommitmentStatus, PLACES_MAX, ParticipantStatus, TrackForm, TrackInput, TrackStatus,
        parse_count,
    },
};
use crate::{
    audit::service::{self as audit, Action},
    auth::{Staff, entity::user, membership::is_member, model::Role},
    candidates::entity::candidate,
    error::{AppError, FieldErrors},
    firms::{entity::firm, model::parse_optional_text},
    i18n::today,
    ids::{FirmId, RingId},
    needs::occupations::resolve_occupation,
    rings::{entity::ring, model::RingStatus},
    ssr::{BeginWrite, raced},
};

/// The track, or 404.
pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<track::Model, AppError> {
    track::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The ring a track is run with (None: no such track).
pub async fn ring_of(db: &impl ConnectionTrait, id: i32) -> Result<Option<i32>, AppError> {
    Ok(track::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|t| t.ring_id))
}

/// Firm `firm_id`'s commitment to track `track_id`, if it has one.
pub async fn commitment_of(
    db: &impl ConnectionTrait,
    track_id: i32,
    firm_id: i32,
) -> Result<Option<track_firm::Model>, AppError> {
    Ok(track_firm::Entity::find()
        .filter(track_firm::Column::TrackId.eq(track_id))
        .filter(track_firm::Column::FirmId.eq(firm_id))
        .one(db)
        .await?)
}

fn status_of(t: &track::Model) -> TrackStatus {
    TrackStatus::parse(&t.status).unwrap_or(TrackStatus::Planned)
}

/// A track that may still change (planned or running), or 409.
fn open(t: &track::Model) -> Result<TrackStatus, AppError> {
    let status = status_of(t);
    if status.is_open() {
        Ok(status)
    } else {
        Err(AppError::Conflict("track-closed".into()))
    }
}

/// Reads the form: the occupation resolved against the taxonomy, the ring an active
/// one. A start may lie up to a year back (a track entered after it began), or as
/// far back as the track's own start when it is edited.
async fn input(
    db: &impl ConnectionTrait,
    form: &TrackForm,
    own_start: Option<NaiveDate>,
) -> Result<TrackInput, AppError> {
    let year_back = today() - Duration::days(365);
    let earliest = own_start.map_or(year_back, |s| s.min(year_back));
    let occupation = resolve_occupation(db, &form.occupation).await;
    let parsed = form.parse(occupation, earliest);
    // A ring that is not there, or no longer active, is named with the other fields.
    let ring_ok = match form.ring_id.trim().parse::<i32>() {
        Ok(id) => ring::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|r| RingStatus::parse(&r.status) == Some(RingStatus::Active)),
        Err(_) => true,
    };
    match (parsed, ring_ok) {
        (Ok(i), true) => Ok(i),
        (Ok(_), false) => Err(AppError::field("ring_id", "field-choice-invalid")),
        (Err(AppError::Validation(mut errors)), false) => {
            errors.add("ring_id", "field-choice-invalid");
            Err(AppError::Validation(errors))
        }
        (Err(e), _) => Err(e),
    }
}

/// Puts the form's details on a track's row, as changed at `now`.
fn set_details(row: &mut track::ActiveModel, i: TrackInput, now: chrono::DateTime<Utc>) {
    row.ring_id = Set(i.ring_id);
    row.occupation_code = Set(i.occupation);
    row.title = Set(i.title);
    row.training_name = Set(i.training_name);
    row.provider = Set(i.provider);
    row.starts_on = Set(i.starts_on);
    row.ends_on = Set(i.ends_on);
    row.seats = Set(i.seats);
    row.swedish_level = Set(i
        .swedish_level
        .map(|l| l.as_str().to_owned())
        .unwrap_or_default());
    row.swedish_for_trade = Set(i.swedish_for_trade);
    row.updated_at = Set(now);
}

/// Creates a track (planned); returns its id.
pub async fn create(authed: &Staff, form: &TrackForm) -> Result<i32, AppError> {
    let i = input(&authed.db, form, None).await?;
    let now = Utc::now();
    let txn = authed.db.begin_write().await?;
    let mut row = track::ActiveModel {
        status: Set(TrackStatus::Planned.as_str().to_owned()),
        created_by: Set(Some(authed.user.id)),
        created_at: Set(now),
        ..Default::default()
    };
    let (ring_id, occupation, seats) = (i.ring_id, i.occupation.clone(), i.seats);
    set_details(&mut row, i, now);
    let t = row.insert(&txn).await?;
    audit::record(
        &txn,
        authed.event(
            Action::TrackCreated,
            "track",
            t.id,
            format!("ring {ring_id}, occupation {occupation}, {seats} seats"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(t.id)
}

/// Changes a planned or running track. Its ring stays once a firm or a candidate is
/// in it (their commitments and consents are for that ring), and its seats never go
/// below those taking part.
pub async fn update(authed: &Staff, id: i32, form: &TrackForm) -> Result<(), AppError> {
    let txn = authed.db.begin_write().await?;
    let t = find(&txn, id).await?;
    open(&t)?;
    let i = input(&txn, form, Some(t.starts_on)).await?;
    let mut errors = FieldErrors::new();
    if i.ring_id != t.ring_id {
        let firms = track_firm::Entity::find()
            .filter(track_firm::Column::TrackId.eq(id))
            .count(&txn)
            .await?;
        let people = track_participant::Entity::find()
            .filter(track_participant::Column::TrackId.eq(id))
            .count(&txn)
            .await?;
        if firms + people > 0 {
            errors.add("ring_id", "track-ring-fixed");
        }
    }
    let taking_part = taking_part(&txn, id).await?;
    if u64::try_from(i.seats).unwrap_or(0) < taking_part {
        errors.add("seats", "track-seats-below-enrolled");
    }
    errors.into_result(())?;
    let mut row = t.into_active_model();
    set_details(&mut row, i, Utc::now());
    row.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(Action::TrackUpdated, "track", id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// How many are enrolled and taking part now (a seat each).
async fn taking_part(db: &impl ConnectionTrait, track_id: i32) -> Result<u64, AppError> {
    Ok(track_participant::Entity::find()
        .filter(track_participant::Column::TrackId.eq(track_id))
        .filter(track_participant::Column::Status.eq(ParticipantStatus::Enrolled.as_str()))
        .count(db)
        .await?)
}

/// Moves a track on (planned → running → completed; either → cancelled). On
/// completion those still taking part have completed it, on the track's last day (or
/// today, when it ends early); on cancellation they have left it today.
pub async fn set_status(authed: &Staff, id: i32, to: &str) -> Result<(), AppError> {
    let to =
        TrackStatus::parse(to).ok_or_else(|| AppError::field("status", "field-choice-invalid"))?;
    let txn = authed.db.begin_write().await?;
    let t = find(&txn, id).await?;
    let from = status_of(&t);
    if !from.next().contains(&to) {
        return Err(AppError::Conflict("track-status-invalid".into()));
    }
    let today = today();
    let ends = match to {
        TrackStatus::Completed => Some((ParticipantStatus::Completed, t.ends_on.min(today))),
        TrackStatus::Cancelled => Some((ParticipantStatus::Left, today)),
        _ => None,
    };
    let mut ended = 0;
    if let Some((status, on)) = ends {
        ended = track_participant::Entity::update_many()
            .col_expr(
                track_participant::Column::Status,
                sea_orm::sea_query::Expr::value(status.as_str()),
            )
            .col_expr(
                track_participant::Column::EndedOn,
                sea_orm::sea_query::Expr::value(on),
            )
            .filter(track_participant::Column::TrackId.eq(id))
            .filter(track_participant::Column::Status.eq(ParticipantStatus::Enrolled.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
    }
    let mut row = t.into_active_model();
    row.status = Set(to.as_str().to_owned());
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(
            Action::TrackStatus,
            "track",
            id,
            format!(
                "{} -> {}; {ended} participants ended",
                from.as_str(),
                to.as_str()
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Internship places and jobs, as a form posts them: each 0–[`PLACES_MAX`], not
/// both none.
fn places(internships: &str, jobs: &str) -> Result<(i32, i32), AppError> {
    let mut errors = FieldErrors::new();
    let i = parse_count(internships, 0, PLACES_MAX)
        .map_err(|k| errors.add("internships", k))
        .ok();
    let j = parse_count(jobs, 0, PLACES_MAX)
        .map_err(|k| errors.add("jobs", k))
        .ok();
    if i == Some(0) && j == Some(0) {
        errors.add("internships", "track-commitment-empty");
    }
    match (i, j) {
        (Some(i), Some(j)) if errors.is_empty() => Ok((i, j)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Proposes that firm `firm_id` (in the track's ring now) commits internship places
/// and jobs; the firm's employers get an e-mail asking them to answer in the portal.
/// Proposing again (other numbers, or after a "no") asks the firm anew.
pub async fn propose(
    authed: &Staff,
    id: i32,
    firm_id: &str,
    internships: &str,
    jobs: &str,
) -> Result<(), AppError> {
    let firm_text = firm_id.trim();
    let firm_id = firm_text.parse::<i32>().ok();
    let counted = places(internships, jobs);
    let txn = authed.db.begin_write().await?;
    let t = find(&txn, id).await?;
    open(&t)?;
    let in_ring = match firm_id {
        Some(f) => is_member(&txn, RingId(t.ring_id), FirmId(f)).await?,
        None => false,
    };
    let firm_error = match firm_id {
        _ if firm_text.is_empty() => "field-choice-required",
        None => "field-choice-invalid",
        Some(_) => "track-firm-not-in-ring",
    };
    let (internships, jobs) = match (counted, in_ring) {
        (Ok(p), true) => p,
        (Ok(_), false) => return Err(AppError::field("firm_id", firm_error)),
        (Err(AppError::Validation(mut errors)), false) => {
            errors.add("firm_id", firm_error);
            return Err(AppError::Validation(errors));
        }
        (Err(e), _) => return Err(e),
    };
    let Some(firm_id) = firm_id else {
        return Err(AppError::field("firm_id", "field-choice-required"));
    };
    let now = Utc::now();
    let proposed = CommitmentStatus::Proposed.as_str().to_owned();
    match commitment_of(&txn, id, firm_id).await? {
        Some(c) => {
            let mut row = c.into_active_model();
            row.internships = Set(internships);
            row.jobs = Set(jobs);
            row.status = Set(proposed);
            row.note = Set(String::new());
            row.proposed_by = Set(Some(authed.user.id));
            row.proposed_at = Set(now);
            row.answered_by = Set(None);
            row.answered_at = Set(None);
            row.update(&txn).await?;
        }
        None => {
            track_firm::ActiveModel {
                track_id: Set(id),
                firm_id: Set(firm_id),
                internships: Set(internships),
                jobs: Set(jobs),
                status: Set(proposed),
                note: Set(String::new()),
                proposed_by: Set(Some(authed.user.id)),
                proposed_at: Set(now),
                answered_by: Set(None),
                answered_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(raced)?;
        }
    }
    let firm_name = firm::Entity::find_by_id(firm_id)
        .one(&txn)
        .await?
        .map(|f| f.name)
        .unwrap_or_default();
    let employers = user::Entity::find()
        .filter(user::Column::FirmId.eq(firm_id))
        .filter(user::Column::Role.eq(Role::Employer.as_str()))
        .filter(user::Column::DisabledAt.is_null())
        .all(&txn)
        .await?;
    let base = &authed.config.base_url;
    let host = crate::auth::service::host_of(base);
    for to in &employers {
        let mail = crate::mail::templates::track_commitment_asked(
            &to.email,
            &to.locale,
            &t.title,
            &firm_name,
            internships,
            jobs,
            &format!("{base}/jobbspar/{id}"),
        );
        crate::mail::service::enqueue(&txn, &mail, &host).await?;
    }
    audit::record(
        &txn,
        authed.event(
            Action::TrackCommitment,
            "track",
            id,
            format!(
                "firm {firm_id} asked for {internships} internships, {jobs} jobs; {} e-mails",
                employers.len()
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The firm's own answer: confirm (with the places and jobs it commits, which it may
/// change) or decline, with an optional note to the coordinator.
pub async fn answer(
    who: &FirmCommitment,
    confirm: bool,
    internships: &str,
    jobs: &str,
    note: &str,
) -> Result<(), AppError> {
    let authed = who.authed();
    let counted = if confirm {
        Some(places(internships, jobs))
    } else {
        None
    };
    let note = parse_optional_text(note, 500).map_err(|k| AppError::field("note", k));
    let (counted, note) = match (counted, note) {
        (Some(Err(AppError::Validation(mut errors))), Err(AppError::Validation(more))) => {
            errors.0.extend(more.0);
            return Err(AppError::Validation(errors));
        }
        (Some(Err(e)), _) | (_, Err(e)) => return Err(e),
        (Some(Ok(p)), Ok(n)) => (Some(p), n),
        (None, Ok(n)) => (None, n),
    };
    let txn = authed.db.begin_write().await?;
    let t = find(&txn, who.track_id()).await?;
    open(&t)?;
    let c = commitment_of(&txn, who.track_id(), who.firm_id())
        .await?
        .ok_or(AppError::NotFound)?;
    let status = if confirm {
        CommitmentStatus::Confirmed
    } else {
        CommitmentStatus::Declined
    };
    let mut row = c.into_active_model();
    if let Some((internships, jobs)) = counted {
        row.internships = Set(internships);
        row.jobs = Set(jobs);
    }
    row.status = Set(status.as_str().to_owned());
    row.note = Set(note);
    row.answered_by = Set(Some(authed.user.id));
    row.answered_at = Set(Some(Utc::now()));
    let c = row.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(
            Action::TrackCommitment,
            "track",
            t.id,
            format!(
                "firm {} {}: {} internships, {} jobs",
                who.firm_id(),
                status.as_str(),
                c.internships,
                c.jobs
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Enrols candidate `candidate_id` (in the programme) in a planned or running track
/// with a free seat, under an active consent whose scope covers the track's ring (the
/// firms committed to the track see its participants' released profiles).
pub async fn enrol(authed: &Staff, id: i32, candidate_id: i32) -> Result<(), AppError> {
    let txn = authed.db.begin_write().await?;
    // On PostgreSQL two coordinators enrolling at once wait for each other here, so
    // the seat count below cannot be read by both before either writes.
    crate::ssr::lock_row(&txn, "tracks", id).await?;
    let t = find(&txn, id).await?;
    open(&t)?;
    let c = candidate::Entity::find_by_id(candidate_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::field("candidate_id", "field-choice-invalid"))?;
    if !c.active {
        return Err(AppError::field("candidate_id", "track-candidate-ended"));
    }
    let already = track_participant::Entity::find()
        .filter(track_participant::Column::TrackId.eq(id))
        .filter(track_participant::Column::CandidateId.eq(candidate_id))
        .one(&txn)
        .await?;
    if already.is_some() {
        return Err(AppError::Conflict("track-already-enrolled".into()));
    }
    if taking_part(&txn, id).await? >= u64::try_from(t.seats).unwrap_or(0) {
        return Err(AppError::Conflict("track-full".into()));
    }
    let today = today();
    let Some(consent) =
        crate::consent::service::covering(&txn, candidate_id, t.ring_id, today).await?
    else {
        return Err(AppError::ConsentRequired);
    };
    let p = track_participant::ActiveModel {
        track_id: Set(id),
        candidate_id: Set(candidate_id),
        enrolled_on: Set(today),
        status: Set(ParticipantStatus::Enrolled.as_str().to_owned()),
        ended_on: Set(None),
        consent_id: Set(Some(consent.id)),
        enrolled_by: Set(Some(authed.user.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(raced)?;
    audit::record(
        &txn,
        authed.event(
            Action::TrackEnrolled,
            "candidate",
            candidate_id,
            format!(
                "track {id} (participant {}) under consent {}",
                p.id, consent.id
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Ends a participant's place: completed the track, or left it, on `ended_on` (not
/// before enrolment, not in the future).
pub async fn end_participation(
    authed: &Staff,
    id: i32,
    participant_id: &str,
    outcome: &str,
    ended_on: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let participant_id = match participant_id.trim() {
        "" => {
            errors.add("participant_id", "field-choice-required");
            None
        }
        s => Some(s.parse::<i32>().map_err(|_| AppError::NotFound)?),
    };
    let status = match ParticipantStatus::parse(outcome) {
        Some(s @ (ParticipantStatus::Completed | ParticipantStatus::Left)) => Some(s),
        _ => {
            errors.add("outcome", "field-choice-required");
            None
        }
    };
    let on = crate::firms::model::parse_date(ended_on)
        .map_err(|k| errors.add("ended_on", k))
        .ok();
    let today = today();
    if on.is_some_and(|d| d > today) {
        errors.add("ended_on", "field-date-future");
    }
    let txn = authed.db.begin_write().await?;
    find(&txn, id).await?;
    let Some(participant_id) = participant_id else {
        return Err(AppError::Validation(errors));
    };
    let p = track_participant::Entity::find_by_id(participant_id)
        .filter(track_participant::Column::TrackId.eq(id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if on.is_some_and(|d| d < p.enrolled_on) {
        errors.add("ended_on", "field-date-too-early");
    }
    let (Some(status), Some(on)) = (status, on) else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    if p.status != ParticipantStatus::Enrolled.as_str() {
        return Err(AppError::Conflict("track-participant-ended".into()));
    }
    let candidate_id = p.candidate_id;
    let mut row = p.into_active_model();
    row.status = Set(status.as_str().to_owned());
    row.ended_on = Set(Some(on));
    row.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(
            Action::TrackLeft,
            "candidate",
            candidate_id,
            format!(
                "track {id} (participant {participant_id}) {} on {on}",
                status.as_str()
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
