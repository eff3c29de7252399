//! What staff and the committed firms see of job tracks: the list, the track page
//! (for staff with names, the firms' answers and a ranked list to enrol from; for a
//! firm its own commitment and, once it confirmed, the participants' released
//! profiles), the track form's choices, and a candidate's tracks for the timeline.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    CandidateTrack, CommitmentView, FirmTrack, ParticipantView, StaffTrack, TrackCandidate,
    TrackFacts, TrackFormChoices, TrackList, TrackPage, TrackSummary,
    access::TrackAccess,
    entity::{track, track_firm, track_participant},
    model::{CommitmentStatus, ParticipantStatus, TrackStatus},
    service::find,
};
use crate::{
    audit::service::{self as audit, Action},
    auth::{Authed, Staff, entity::user, membership::spells_of_firm},
    candidates::{
        entity::candidate,
        model::NeedFacts,
        service::{occupation_or_code, occupation_views},
    },
    error::AppError,
    firms::entity::firm,
    i18n::{Locale, today},
    needs::model::SwedishLevel,
    rings::{entity::ring, model::RingStatus},
    ssr::query_all,
};

/// How many ranked candidates the track page lists.
const RANKED: usize = 30;

async fn facts_of(
    db: &impl ConnectionTrait,
    rows: Vec<track::Model>,
    locale: Locale,
) -> Result<Vec<TrackFacts>, AppError> {
    let rings: HashMap<i32, String> = ring::Entity::find()
        .filter(ring::Column::Id.is_in(rows.iter().map(|t| t.ring_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let occupations =
        occupation_views(db, rows.iter().map(|t| t.occupation_code.clone()), locale).await?;
    Ok(rows
        .into_iter()
        .map(|t| TrackFacts {
            id: t.id,
            ring: (
                t.ring_id,
                rings.get(&t.ring_id).cloned().unwrap_or_default(),
            ),
            occupation: occupation_or_code(&occupations, &t.occupation_code),
            title: t.title,
            training_name: t.training_name,
            provider: t.provider,
            starts_on: t.starts_on,
            ends_on: t.ends_on,
            seats: t.seats,
            swedish_level: t.swedish_level,
            swedish_for_trade: t.swedish_for_trade,
            status: TrackStatus::parse(&t.status).unwrap_or(TrackStatus::Planned),
        })
        .collect())
}

/// The tracks the caller may see: every track for staff; for an employer, those
/// their firm was asked to commit to while it is in the track's ring.
pub async fn list(authed: &Authed, locale: Locale) -> Result<TrackList, AppError> {
    let db = &authed.db;
    let staff = authed.user.role.is_staff();
    let mut query = track::Entity::find();
    let mut own: HashMap<i32, CommitmentStatus> = HashMap::new();
    if !staff {
        let Some(firm_id) = authed.user.firm_id else {
            return Ok(TrackList {
                tracks: Vec::new(),
                staff,
            });
        };
        own = track_firm::Entity::find()
            .filter(track_firm::Column::FirmId.eq(firm_id))
            .all(db)
            .await?
            .into_iter()
            .map(|c| {
                let status =
                    CommitmentStatus::parse(&c.status).unwrap_or(CommitmentStatus::Proposed);
                (c.track_id, status)
            })
            .collect();
        let rings: Vec<i32> = spells_of_firm(db, firm_id)
            .await?
            .into_iter()
            .filter(|s| s.left_at.is_none())
            .map(|s| s.ring_id)
            .collect();
        query = query
            .filter(track::Column::Id.is_in(own.keys().copied()))
            .filter(track::Column::RingId.is_in(rings));
    }
    let rows = query.order_by_asc(track::Column::StartsOn).all(db).await?;
    let ids: Vec<i32> = rows.iter().map(|t| t.id).collect();
    let mut enrolled: HashMap<i32, u32> = HashMap::new();
    for p in track_participant::Entity::find()
        .filter(track_participant::Column::TrackId.is_in(ids.clone()))
        .filter(track_participant::Column::Status.eq(ParticipantStatus::Enrolled.as_str()))
        .all(db)
        .await?
    {
        *enrolled.entry(p.track_id).or_default() += 1;
    }
    let mut committed: HashMap<i32, (i32, i32, u32)> = HashMap::new();
    for c in track_firm::Entity::find()
        .filter(track_firm::Column::TrackId.is_in(ids))
        .all(db)
        .await?
    {
        let e = committed.entry(c.track_id).or_default();
        match CommitmentStatus::parse(&c.status) {
            Some(CommitmentStatus::Confirmed) => {
                e.0 += c.internships;
                e.1 += c.jobs;
            }
            Some(CommitmentStatus::Proposed) => e.2 += 1,
            _ => {}
        }
    }
    let mut tracks: Vec<TrackSummary> = facts_of(db, rows, locale)
        .await?
        .into_iter()
        .map(|facts| {
            let (internships, jobs, waiting) =
                committed.get(&facts.id).copied().unwrap_or_default();
            TrackSummary {
                enrolled: enrolled.get(&facts.id).copied().unwrap_or_default(),
                internships,
                jobs,
                waiting,
                own: own.get(&facts.id).copied(),
                facts,
            }
        })
        .collect();
    // Open ones by start; the finished after them, latest first.
    tracks.sort_by_key(|t| {
        let open = t.facts.status.is_open();
        (
            !open,
            if open {
                t.facts.starts_on.num_days_from_ce()
            } else {
                -t.facts.ends_on.num_days_from_ce()
            },
        )
    });
    Ok(TrackList { tracks, staff })
}

/// The open tracks that asked firm `firm_id` to commit and wait for its answer, while
/// the firm is in the track's ring (the employer's home lists them): (id, name).
pub async fn asking(
    db: &impl ConnectionTrait,
    firm_id: i32,
) -> Result<Vec<(i32, String)>, AppError> {
    query_all(
        db,
        "SELECT t.id, t.title FROM tracks t JOIN track_firms c ON c.track_id = t.id \
         JOIN ring_memberships m ON m.ring_id = t.ring_id AND m.firm_id = c.firm_id \
         WHERE c.firm_id = ? AND c.status = ? AND m.left_at IS NULL \
         AND t.status IN (?, ?) ORDER BY t.starts_on, t.id",
        vec![
            firm_id.into(),
            CommitmentStatus::Proposed.as_str().into(),
            TrackStatus::Planned.as_str().into(),
            TrackStatus::Running.as_str().into(),
        ],
    )
    .await?
    .iter()
    .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "title")?)))
    .collect::<Result<_, sea_orm::DbErr>>()
    .map_err(AppError::from)
}

async fn commitments(
    db: &impl ConnectionTrait,
    track_id: i32,
) -> Result<Vec<CommitmentView>, AppError> {
    let rows = track_firm::Entity::find()
        .filter(track_firm::Column::TrackId.eq(track_id))
        .order_by_asc(track_firm::Column::ProposedAt)
        .order_by_asc(track_firm::Column::Id)
        .all(db)
        .await?;
    let firms: HashMap<i32, String> = firm::Entity::find()
        .filter(firm::Column::Id.is_in(rows.iter().map(|c| c.firm_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.name))
        .collect();
    let users: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|c| c.answered_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| CommitmentView {
            id: c.id,
            firm: (
                c.firm_id,
                firms.get(&c.firm_id).cloned().unwrap_or_default(),
            ),
            internships: c.internships,
            jobs: c.jobs,
            status: CommitmentStatus::parse(&c.status).unwrap_or(CommitmentStatus::Proposed),
            answered: c.answered_at.map(|at| {
                let who = c
                    .answered_by
                    .and_then(|u| users.get(&u).cloned())
                    .unwrap_or_default();
                (who, at)
            }),
            note: c.note,
        })
        .collect())
}

/// The track page as `access` may see it.
pub async fn page(
    authed: Authed,
    access: TrackAccess,
    id: i32,
    locale: Locale,
) -> Result<TrackPage, AppError> {
    let db = &authed.db;
    let t = find(db, id).await?;
    let facts = facts_of(db, vec![t.clone()], locale)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let firms = commitments(db, id).await?;
    let participants = track_participant::Entity::find()
        .filter(track_participant::Column::TrackId.eq(id))
        .order_by_asc(track_participant::Column::EnrolledOn)
        .order_by_asc(track_participant::Column::Id)
        .all(db)
        .await?;
    let taking_part: Vec<i32> = participants
        .iter()
        .filter(|p| p.status == ParticipantStatus::Enrolled.as_str())
        .map(|p| p.candidate_id)
        .collect();
    match access {
        TrackAccess::Firm { firm_id, status } => {
            let own = firms
                .iter()
                .find(|c| c.firm.0 == firm_id)
                .cloned()
                .ok_or(AppError::NotFound)?;
            // Only a firm that confirmed sees who takes part, and only as the
            // profiles released to the ring: the same consent and guard as any release.
            let profiles = if status == CommitmentStatus::Confirmed {
                crate::releases::views::live_in_ring(db, t.ring_id, &taking_part, locale)
                    .await?
                    .into_iter()
                    .map(|(_, card)| card)
                    .collect()
            } else {
                Vec::new()
            };
            let others = firms
                .iter()
                .filter(|c| c.firm.0 != firm_id && c.status == CommitmentStatus::Confirmed)
                .map(|c| (c.firm.1.clone(), c.internships, c.jobs))
                .collect();
            Ok(TrackPage::Firm(FirmTrack {
                facts,
                own,
                others,
                enrolled: u32::try_from(taking_part.len()).unwrap_or(u32::MAX),
                profiles,
            }))
        }
        TrackAccess::Staff => {
            let staff = Staff::check(authed)?;
            staff_page(&staff, t, facts, firms, participants, locale)
                .await
                .map(TrackPage::Staff)
        }
    }
}

async fn staff_page(
    authed: &Staff,
    t: track::Model,
    facts: TrackFacts,
    firms: Vec<CommitmentView>,
    participants: Vec<track_participant::Model>,
    locale: Locale,
) -> Result<StaffTrack, AppError> {
    let db = &authed.db;
    let today = today();
    let enrolled: HashSet<i32> = participants.iter().map(|p| p.candidate_id).collect();
    let ranking = authed
        .matching
        .rank(
            db,
            &NeedFacts {
                occupation: t.occupation_code.clone(),
                swedish: SwedishLevel::parse(&t.swedish_level),
                licence: String::new(),
                start: t.starts_on,
                training: String::new(),
            },
            RANKED + enrolled.len(),
        )
        .await?;
    let scores: Vec<_> = ranking
        .scores
        .into_iter()
        .filter(|s| !enrolled.contains(&s.candidate_id))
        .take(RANKED)
        .collect();
    let ids: Vec<i32> = scores
        .iter()
        .map(|s| s.candidate_id)
        .chain(enrolled.iter().copied())
        .collect();
    let consenting = crate::consent::service::covering_ring(db, &ids, t.ring_id, today).await?;
    let people: HashMap<i32, candidate::Model> = candidate::Entity::find()
        .filter(candidate::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let pseudonyms: HashMap<i32, String> =
        crate::releases::views::live_in_ring(db, t.ring_id, &ids, locale)
            .await?
            .into_iter()
            .map(|(id, card)| (id, card.pseudonym))
            .collect();
    let name = |id: i32| people.get(&id).map(|c| c.name.clone()).unwrap_or_default();
    let mut participants: Vec<ParticipantView> = participants
        .into_iter()
        .map(|p| ParticipantView {
            id: p.id,
            candidate: (p.candidate_id, name(p.candidate_id)),
            enrolled_on: p.enrolled_on,
            status: ParticipantStatus::parse(&p.status).unwrap_or(ParticipantStatus::Enrolled),
            ended_on: p.ended_on,
            consent: consenting.contains(&p.candidate_id),
            pseudonym: pseudonyms.get(&p.candidate_id).cloned(),
        })
        .collect();
    participants.sort_by_key(|p| p.status != ParticipantStatus::Enrolled);
    let asked: HashSet<i32> = firms.iter().map(|c| c.firm.0).collect();
    let members = query_all(
        db,
        "SELECT f.id, f.name FROM ring_memberships m JOIN firms f ON f.id = m.firm_id \
         WHERE m.ring_id = ? AND m.left_at IS NULL ORDER BY f.name, f.id",
        vec![t.ring_id.into()],
    )
    .await?;
    let mut firm_choices = Vec::new();
    for row in &members {
        let id: i32 = row.try_get("", "id")?;
        if !asked.contains(&id) {
            firm_choices.push((id, row.try_get::<String>("", "name")?));
        }
    }
    let ranked = scores
        .into_iter()
        .map(|score| TrackCandidate {
            name: name(score.candidate_id),
            job_ready: people
                .get(&score.candidate_id)
                .is_some_and(|c| c.job_ready_since.is_some()),
            consent: consenting.contains(&score.candidate_id),
            score,
        })
        .collect::<Vec<_>>();
    audit::record(
        db,
        authed.event(
            Action::CandidateMatch,
            "track",
            t.id,
            format!(
                "{} participants, {} ranked",
                participants.len(),
                ranked.len()
            ),
        ),
    )
    .await?;
    Ok(StaffTrack {
        facts,
        firms,
        firm_choices,
        participants,
        ranked,
        considered: ranking.considered,
        today,
    })
}

/// The track form's choices: the active rings, and the ring and occupation asked for
/// (from the analysis) or the track being edited.
pub async fn choices(
    authed: &Staff,
    ring: &str,
    occupation: &str,
    track_id: Option<i32>,
    locale: Locale,
) -> Result<TrackFormChoices, AppError> {
    let db = &authed.db;
    let rings: Vec<(i32, String)> = ring::Entity::find()
        .filter(ring::Column::Status.eq(RingStatus::Active.as_str()))
        .order_by_asc(ring::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let track = match track_id {
        Some(id) => facts_of(db, vec![find(db, id).await?], locale).await?.pop(),
        None => None,
    };
    let code = occupation.trim();
    let occupation = if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) {
        occupation_views(db, [code.to_owned()], locale)
            .await?
            .get(code)
            .map(|o| o.label())
    } else {
        None
    };
    let ring = ring
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|r| rings.iter().any(|(id, _)| id == r));
    Ok(TrackFormChoices {
        rings,
        ring,
        occupation,
        track,
    })
}

/// Candidate `candidate_id`'s tracks, latest first, for their timeline.
pub async fn of_candidate(
    authed: &Staff,
    candidate_id: i32,
) -> Result<Vec<CandidateTrack>, AppError> {
    let db = &authed.db;
    let places = track_participant::Entity::find()
        .filter(track_participant::Column::CandidateId.eq(candidate_id))
        .all(db)
        .await?;
    let tracks: HashMap<i32, track::Model> = track::Entity::find()
        .filter(track::Column::Id.is_in(places.iter().map(|p| p.track_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut out: Vec<CandidateTrack> = places
        .into_iter()
        .filter_map(|p| {
            let t = tracks.get(&p.track_id)?;
            Some(CandidateTrack {
                track_id: t.id,
                title: t.title.clone(),
                training: format!("{}, {}", t.training_name, t.provider),
                starts_on: t.starts_on,
                ends_on: t.ends_on,
                enrolled_on: p.enrolled_on,
                status: ParticipantStatus::parse(&p.status).unwrap_or(ParticipantStatus::Enrolled),
                ended_on: p.ended_on,
            })
        })
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.starts_on));
    Ok(out)
}
