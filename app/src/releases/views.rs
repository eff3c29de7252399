//! What employers and coordinators see of releases: the live profiles of a ring or a
//! need, one profile, the states of a candidate's releases, and a candidate's
//! consents with the releases made under each.

use super::service::{consents_of, fill_names, live};
use std::collections::{HashMap, HashSet};

use chrono::Utc;

use crate::db::Db;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    InterestView, Outcome, ProfileCard, ProfileView, RingProfiles,
    consents::{CandidateConsents, ConsentView, ReleaseRow},
    entity::{interest, release},
    model::AnonymisedProfile,
};
use crate::{
    audit::service::{self as audit, Action},
    auth::{Authed, RingAccess, entity::user},
    candidates::entity::candidate,
    consent::{
        entity::{consent, consent_ring, consent_text},
        model::{ConsentMethod, ConsentStatus},
    },
    error::AppError,
    firms::entity::firm,
    i18n::{Locale, today},
    needs::entity::need,
    rings::{entity::ring, model::RingStatus},
};

/// What the matching page shows of `candidates` toward a need in `ring_id`: each
/// one's live pseudonym in the ring, those hired through a profile pointing at
/// `need_id`, and those hired anywhere (placed).
pub struct ReleaseStates {
    /// Candidate → live pseudonym in the ring.
    pub live: HashMap<i32, String>,
    /// Hired for this need.
    pub hired_for_need: HashSet<i32>,
    /// Hired through any release.
    pub placed: HashSet<i32>,
}

/// See [`ReleaseStates`].
pub async fn release_states(
    db: &impl ConnectionTrait,
    candidates: &[i32],
    ring_id: i32,
    need_id: i32,
) -> Result<ReleaseStates, AppError> {
    let mut out = ReleaseStates {
        live: HashMap::new(),
        hired_for_need: HashSet::new(),
        placed: HashSet::new(),
    };
    if candidates.is_empty() {
        return Ok(out);
    }
    let theirs = release::Entity::find()
        .filter(release::Column::CandidateId.is_in(candidates.iter().copied()))
        .all(db)
        .await?;
    let their_consents = consents_of(db, &theirs).await?;
    let today = today();
    for r in &theirs {
        if r.ring_id == ring_id && live(r, &their_consents, today) {
            out.live.insert(r.candidate_id, r.pseudonym.clone());
        }
    }
    let by_release: HashMap<i32, &release::Model> = theirs.iter().map(|r| (r.id, r)).collect();
    let hires = interest::Entity::find()
        .filter(interest::Column::ReleaseId.is_in(by_release.keys().copied()))
        .filter(interest::Column::Outcome.eq(Outcome::Hired.as_str()))
        .all(db)
        .await?;
    for i in hires {
        if let Some(r) = by_release.get(&i.release_id) {
            out.placed.insert(r.candidate_id);
            if r.need_id == Some(need_id) {
                out.hired_for_need.insert(r.candidate_id);
            }
        }
    }
    Ok(out)
}

fn stored_profile(r: &release::Model) -> Result<AnonymisedProfile, AppError> {
    AnonymisedProfile::from_stored(&r.profile)
        .map_err(|e| AppError::unexpected(anyhow::Error::from(e)))
}

async fn cards(
    db: &impl ConnectionTrait,
    rows: Vec<release::Model>,
    locale: Locale,
) -> Result<Vec<ProfileCard>, AppError> {
    let today = today();
    let consents = consents_of(db, &rows).await?;
    let need_ids: Vec<i32> = rows.iter().filter_map(|r| r.need_id).collect();
    let needs: HashMap<i32, String> = if need_ids.is_empty() {
        HashMap::new()
    } else {
        need::Entity::find()
            .filter(need::Column::Id.is_in(need_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|n| (n.id, n.title))
            .collect()
    };
    let mut live_profiles = Vec::new();
    let mut withdrawn = Vec::new();
    for r in rows {
        if live(&r, &consents, today) {
            let profile = stored_profile(&r)?;
            live_profiles.push((r, profile));
        } else {
            withdrawn.push(r);
        }
    }
    {
        let mut refs: Vec<&mut AnonymisedProfile> =
            live_profiles.iter_mut().map(|(_, p)| p).collect();
        fill_names(db, &mut refs, locale).await?;
    }
    let need_of = |r: &release::Model| {
        r.need_id
            .and_then(|n| needs.get(&n).map(|t| (n, t.clone())))
    };
    let mut out: Vec<ProfileCard> = live_profiles
        .into_iter()
        .map(|(r, p)| ProfileCard {
            pseudonym: r.pseudonym.clone(),
            headline: p.headline,
            age: p.age,
            occupations: p
                .experience
                .iter()
                .map(|e| {
                    if e.name.is_empty() {
                        e.ssyk.clone()
                    } else {
                        e.name.clone()
                    }
                })
                .collect(),
            criteria: p.criteria,
            available: p.available,
            need: need_of(&r),
            released_at: r.released_at,
            withdrawn: false,
        })
        .collect();
    out.extend(withdrawn.into_iter().map(|r| ProfileCard {
        pseudonym: r.pseudonym.clone(),
        headline: String::new(),
        age: None,
        occupations: Vec::new(),
        criteria: None,
        available: None,
        need: None,
        released_at: r.released_at,
        withdrawn: true,
    }));
    Ok(out)
}

/// How long a withdrawn release is still listed (as "withdrawn") in its ring.
const WITHDRAWN_LISTED_DAYS: i64 = 30;

/// A ring's released profiles: live ones newest first, then recently withdrawn ones.
pub async fn ring_profiles(
    db: &Db,
    ring_id: i32,
    locale: Locale,
) -> Result<RingProfiles, AppError> {
    let r = ring::Entity::find_by_id(ring_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let since = Utc::now() - chrono::Duration::days(WITHDRAWN_LISTED_DAYS);
    let rows = release::Entity::find()
        .filter(release::Column::RingId.eq(ring_id))
        .filter(
            sea_orm::Condition::any()
                .add(release::Column::RevokedAt.is_null())
                .add(release::Column::RevokedAt.gt(since)),
        )
        .order_by_desc(release::Column::ReleasedAt)
        .all(db)
        .await?;
    Ok(RingProfiles {
        ring_id,
        ring_name: r.name,
        profiles: cards(db, rows, locale).await?,
    })
}

/// The live profiles released for a need.
pub async fn need_profiles(
    db: &Db,
    need_id: i32,
    locale: Locale,
) -> Result<Vec<ProfileCard>, AppError> {
    let rows = release::Entity::find()
        .filter(release::Column::NeedId.eq(need_id))
        .filter(release::Column::RevokedAt.is_null())
        .order_by_desc(release::Column::ReleasedAt)
        .all(db)
        .await?;
    Ok(cards(db, rows, locale)
        .await?
        .into_iter()
        .filter(|c| !c.withdrawn)
        .collect())
}

/// The live profiles in ring `ring_id` of `candidates` (a job track's participants, as
/// the firms committed to the track see them): each card as any member of the ring
/// sees it, with whose it is for the caller to drop before it reaches an employer.
/// Withdrawn and expired releases are left out.
pub async fn live_in_ring(
    db: &impl ConnectionTrait,
    ring_id: i32,
    candidates: &[i32],
    locale: Locale,
) -> Result<Vec<(i32, ProfileCard)>, AppError> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let rows = release::Entity::find()
        .filter(release::Column::RingId.eq(ring_id))
        .filter(release::Column::CandidateId.is_in(candidates.iter().copied()))
        .filter(release::Column::RevokedAt.is_null())
        .order_by_desc(release::Column::ReleasedAt)
        .all(db)
        .await?;
    let owner: HashMap<String, i32> = rows
        .iter()
        .map(|r| (r.pseudonym.clone(), r.candidate_id))
        .collect();
    Ok(cards(db, rows, locale)
        .await?
        .into_iter()
        .filter(|c| !c.withdrawn)
        .filter_map(|c| owner.get(&c.pseudonym).map(|id| (*id, c)))
        .collect())
}

pub(super) async fn interest_views(
    db: &impl ConnectionTrait,
    rows: &[interest::Model],
    names_for: &(dyn Fn(&interest::Model) -> Option<String> + Sync),
) -> Result<Vec<InterestView>, AppError> {
    let firm_ids: Vec<i32> = rows.iter().map(|i| i.firm_id).collect();
    let user_ids: Vec<i32> = rows.iter().filter_map(|i| i.user_id).collect();
    let firms: HashMap<i32, String> = if firm_ids.is_empty() {
        HashMap::new()
    } else {
        firm::Entity::find()
            .filter(firm::Column::Id.is_in(firm_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|f| (f.id, f.name))
            .collect()
    };
    let users: HashMap<i32, String> = if user_ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(user_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    Ok(rows
        .iter()
        .map(|i| InterestView {
            id: i.id,
            firm_name: firms.get(&i.firm_id).cloned().unwrap_or_default(),
            asked_by: i
                .user_id
                .and_then(|u| users.get(&u).cloned())
                .unwrap_or_default(),
            message: i.message.clone(),
            created_at: i.created_at,
            meeting_at: i.meeting_at,
            meeting_place: i.meeting_place.clone(),
            candidate_agreed: i.candidate_agreed,
            candidate_name: names_for(i),
            outcome: Outcome::parse(&i.outcome),
            outcome_on: i.outcome_on,
        })
        .collect())
}

/// Interests as the candidate's own export shows them (with the name).
pub async fn interests_for_export(
    db: &impl ConnectionTrait,
    rows: &[interest::Model],
    name: &str,
) -> Result<Vec<InterestView>, AppError> {
    interest_views(db, rows, &|_| Some(name.to_owned())).await
}

/// One released profile for a member of its ring (their own firm's interest) or for
/// staff (every interest).
pub async fn profile_view(
    authed: &Authed,
    access: RingAccess,
    pseudonym: &str,
    locale: Locale,
) -> Result<ProfileView, AppError> {
    let db = &authed.db;
    let r = release::Entity::find()
        .filter(release::Column::Pseudonym.eq(pseudonym.trim()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = today();
    let consents = consents_of(db, std::slice::from_ref(&r)).await?;
    let is_live = live(&r, &consents, today);
    let ring_name = ring::Entity::find_by_id(r.ring_id)
        .one(db)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let need = match r.need_id {
        Some(id) => need::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|n| (n.id, n.title)),
        None => None,
    };
    let profile = if is_live {
        let mut p = stored_profile(&r)?;
        fill_names(db, &mut [&mut p], locale).await?;
        Some(p)
    } else {
        None
    };
    let mut q = interest::Entity::find().filter(interest::Column::ReleaseId.eq(r.id));
    if let RingAccess::Member { firm_id } = access {
        q = q.filter(interest::Column::FirmId.eq(firm_id));
    }
    let rows = q.order_by_asc(interest::Column::CreatedAt).all(db).await?;
    let staff = access == RingAccess::Staff;
    let candidate_name = if is_live && (staff || rows.iter().any(|i| i.candidate_agreed)) {
        candidate::Entity::find_by_id(r.candidate_id)
            .one(db)
            .await?
            .map(|c| c.name)
    } else {
        None
    };
    let name_for = |i: &interest::Model| {
        if staff || i.candidate_agreed {
            candidate_name.clone()
        } else {
            None
        }
    };
    let interests = if is_live || staff {
        interest_views(db, &rows, &name_for).await?
    } else {
        Vec::new()
    };
    // Who outside the municipality read a profile is part of the candidate's record
    // of access (a pseudonymised profile is still personal data).
    if let (RingAccess::Member { firm_id }, true) = (access, is_live) {
        audit::record(
            db,
            authed.event(
                Action::ReleaseRead,
                "release",
                r.id,
                format!("{} by firm {firm_id}", r.pseudonym),
            ),
        )
        .await?;
    }
    Ok(ProfileView {
        pseudonym: r.pseudonym,
        ring: (r.ring_id, ring_name),
        need: if is_live { need } else { None },
        profile,
        released_at: r.released_at,
        interests,
        staff,
    })
}

/// A candidate's consents with their releases, and the choices for a new one.
pub async fn consents_of_candidate(
    authed: &Authed,
    candidate_id: i32,
) -> Result<CandidateConsents, AppError> {
    let db = &authed.db;
    let c = crate::candidates::service::find(db, candidate_id).await?;
    let today = today();
    let consents = consent::Entity::find()
        .filter(consent::Column::CandidateId.eq(candidate_id))
        .order_by_desc(consent::Column::GivenOn)
        .order_by_desc(consent::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = consents.iter().map(|c| c.id).collect();
    let scope = consent_ring::Entity::find()
        .filter(consent_ring::Column::ConsentId.is_in(ids.clone()))
        .all(db)
        .await?;
    let release_rows = release::Entity::find()
        .filter(release::Column::ConsentId.is_in(ids))
        .order_by_desc(release::Column::ReleasedAt)
        .all(db)
        .await?;
    let all_rings = ring::Entity::find()
        .order_by_asc(ring::Column::Name)
        .all(db)
        .await?;
    let ring_names: HashMap<i32, String> =
        all_rings.iter().map(|r| (r.id, r.name.clone())).collect();
    let need_ids: Vec<i32> = release_rows.iter().filter_map(|r| r.need_id).collect();
    let need_titles: HashMap<i32, String> = if need_ids.is_empty() {
        HashMap::new()
    } else {
        need::Entity::find()
            .filter(need::Column::Id.is_in(need_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|n| (n.id, n.title))
            .collect()
    };
    let text_rows = consent_text::Entity::find()
        .order_by_asc(consent_text::Column::Language)
        .order_by_desc(consent_text::Column::Version)
        .all(db)
        .await?;
    let texts_by_id: HashMap<i32, &consent_text::Model> =
        text_rows.iter().map(|t| (t.id, t)).collect();
    let people = crate::firms::service::user_names(
        db,
        consents
            .iter()
            .flat_map(|c| c.recorded_by.into_iter().chain(c.withdrawn_by)),
    )
    .await?;
    let name_of = |id: Option<i32>| {
        id.and_then(|id| people.get(&id).cloned())
            .unwrap_or_else(|| "–".to_owned())
    };
    let views = consents
        .iter()
        .map(|k| {
            let text = texts_by_id
                .get(&k.text_id)
                .map_or((k.text_id, String::new(), 0, String::new()), |t| {
                    (t.id, t.language.clone(), t.version, t.title.clone())
                });
            ConsentView {
                id: k.id,
                purpose: k.purpose.clone(),
                text,
                method: ConsentMethod::parse(&k.method).unwrap_or(ConsentMethod::Signed),
                witness: k.witness.clone(),
                given_on: k.given_on,
                expires_on: k.expires_on,
                recorded: (name_of(k.recorded_by), k.recorded_at),
                withdrawn: k
                    .withdrawn_on
                    .map(|on| (on, k.withdrawn_how.clone(), name_of(k.withdrawn_by))),
                status: ConsentStatus::on(k.expires_on, k.withdrawn_on, today),
                rings: scope
                    .iter()
                    .filter(|s| s.consent_id == k.id)
                    .map(|s| {
                        (
                            s.ring_id,
                            ring_names.get(&s.ring_id).cloned().unwrap_or_default(),
                        )
                    })
                    .collect(),
                releases: release_rows
                    .iter()
                    .filter(|r| r.consent_id == k.id)
                    .map(|r| ReleaseRow {
                        pseudonym: r.pseudonym.clone(),
                        ring_name: ring_names.get(&r.ring_id).cloned().unwrap_or_default(),
                        need_title: r.need_id.and_then(|n| need_titles.get(&n).cloned()),
                        released_at: r.released_at,
                        revoked: r.revoked_at.map(|at| (at, r.revoked_reason.clone())),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut seen = HashSet::new();
    let texts = text_rows
        .iter()
        .filter(|t| seen.insert(t.language.clone()))
        .map(|t| {
            (
                t.id,
                format!("{} – v{} ({})", t.title, t.version, t.language),
            )
        })
        .collect();
    let rings = all_rings
        .into_iter()
        .filter(|r| RingStatus::parse(&r.status) == Some(RingStatus::Active))
        .map(|r| (r.id, r.name))
        .collect();
    Ok(CandidateConsents {
        candidate_id,
        name: c.name,
        consents: views,
        texts,
        rings,
        today,
    })
}
