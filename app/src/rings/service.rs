//! Rings and memberships: validation, queries and changes. Every change is
//! audit-logged in its own transaction. Invitations and meetings sit beside it
//! (`invitations`, `meetings`).

use crate::ssr::BeginWrite;
use std::collections::{HashMap, HashSet};

use crate::db::Db;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::{
    InvitationView, MeetingSummary, MemberFirm, RingHome, RingSummary,
    entity::{invitation, meeting, membership, response, ring},
    model::{Answer, InvitationStatus, RingStatus, size_warning},
};
use crate::{
    audit::service::{self as audit, Action, Event},
    auth::membership::is_member,
    auth::{Authed, RingAccess, SessionUser, entity::user, model::Role},
    error::{AppError, FieldErrors},
    firms::{
        MembershipView,
        entity::firm,
        model::{SizeClass, parse_optional_text, parse_sni, parse_text},
        service::user_names,
    },
    ids::{FirmId, RingId},
};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 14;

/// Whether ring `ring_id` exists.
pub async fn exists(db: &impl ConnectionTrait, ring_id: i32) -> Result<bool, AppError> {
    Ok(ring::Entity::find_by_id(ring_id).one(db).await?.is_some())
}

/// The ring a meeting belongs to.
pub async fn ring_of_meeting(
    db: &impl ConnectionTrait,
    meeting_id: i32,
) -> Result<Option<i32>, AppError> {
    Ok(meeting::Entity::find_by_id(meeting_id)
        .one(db)
        .await?
        .map(|m| m.ring_id))
}

/// The firms in ring `ring_id` now: firm id → joined at.
pub(super) async fn current_members(
    db: &impl ConnectionTrait,
    ring_id: i32,
) -> Result<Vec<membership::Model>, AppError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::RingId.eq(ring_id))
        .filter(membership::Column::LeftAt.is_null())
        .all(db)
        .await?)
}

/// How many said yes, per meeting.
async fn coming_counts(
    db: &impl ConnectionTrait,
    meeting_ids: Vec<i32>,
) -> Result<HashMap<i32, usize>, AppError> {
    let mut counts = HashMap::new();
    if meeting_ids.is_empty() {
        return Ok(counts);
    }
    for r in response::Entity::find()
        .filter(response::Column::MeetingId.is_in(meeting_ids))
        .filter(response::Column::Answer.eq(Answer::Yes.as_str()))
        .all(db)
        .await?
    {
        *counts.entry(r.meeting_id).or_insert(0) += 1;
    }
    Ok(counts)
}

/// The rings `user` can see.
pub async fn list(db: &Db, user: &SessionUser) -> Result<Vec<RingSummary>, AppError> {
    let staff = user.role != Role::Employer;
    let all = membership::Entity::find()
        .filter(membership::Column::LeftAt.is_null())
        .all(db)
        .await?;
    let mut members: HashMap<i32, usize> = HashMap::new();
    for m in &all {
        *members.entry(m.ring_id).or_insert(0) += 1;
    }
    let mine: HashSet<i32> = all
        .iter()
        .filter(|m| Some(m.firm_id) == user.firm_id)
        .map(|m| m.ring_id)
        .collect();
    let rings: Vec<ring::Model> = ring::Entity::find()
        .order_by_asc(ring::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .filter(|r| staff || mine.contains(&r.id))
        .collect();
    let hosts = user_names(db, rings.iter().map(|r| r.host_coordinator_id)).await?;
    let mut next: HashMap<i32, DateTime<Utc>> = HashMap::new();
    for m in meeting::Entity::find()
        .filter(meeting::Column::StartsAt.gt(Utc::now()))
        .order_by_desc(meeting::Column::StartsAt)
        .all(db)
        .await?
    {
        next.insert(m.ring_id, m.starts_at);
    }
    Ok(rings
        .into_iter()
        .map(|r| RingSummary {
            status: RingStatus::parse(&r.status).unwrap_or(RingStatus::Active),
            host: hosts
                .get(&r.host_coordinator_id)
                .cloned()
                .unwrap_or_default(),
            members: members.get(&r.id).copied().unwrap_or(0),
            next_meeting: next.get(&r.id).copied(),
            id: r.id,
            name: r.name,
            sector_focus: r.sector_focus,
        })
        .collect())
}

fn summaries(list: Vec<meeting::Model>, coming: &HashMap<i32, usize>) -> Vec<MeetingSummary> {
    list.into_iter()
        .map(|m| MeetingSummary {
            coming: coming.get(&m.id).copied().unwrap_or(0),
            id: m.id,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            place: m.place,
        })
        .collect()
}

/// A ring's home page for `access`; staff also get history, invitations and choices.
pub async fn home(db: &Db, access: &RingAccess, ring_id: i32) -> Result<RingHome, AppError> {
    let Some(r) = ring::Entity::find_by_id(ring_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    let staff = matches!(access, RingAccess::Staff);
    let current = current_members(db, ring_id).await?;
    let firms: HashMap<i32, firm::Model> = firm::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let mut members: Vec<MemberFirm> = current
        .iter()
        .filter_map(|m| {
            let f = firms.get(&m.firm_id)?;
            Some(MemberFirm {
                firm_id: f.id,
                name: f.name.clone(),
                size: SizeClass::of(f.employees),
                sni_section: f.sni_section.clone(),
                joined_at: m.joined_at,
            })
        })
        .collect();
    members.sort_by_key(|a| a.name.to_lowercase());
    let now = Utc::now();
    let upcoming = meeting::Entity::find()
        .filter(meeting::Column::RingId.eq(ring_id))
        .filter(meeting::Column::EndsAt.gt(now))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    let mut past = meeting::Entity::find()
        .filter(meeting::Column::RingId.eq(ring_id))
        .filter(meeting::Column::EndsAt.lte(now))
        .order_by_desc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    past.truncate(10);
    let coming = coming_counts(
        db,
        upcoming.iter().chain(past.iter()).map(|m| m.id).collect(),
    )
    .await?;
    let mut home = RingHome {
        id: r.id,
        size_warning: size_warning(members.len()).map(str::to_owned),
        members,
        upcoming: summaries(upcoming, &coming),
        past: summaries(past, &coming),
        staff,
        own_firm_id: match access {
            RingAccess::Member { firm_id } => Some(*firm_id),
            RingAccess::Staff => None,
        },
        host: user_names(db, [r.host_coordinator_id])
            .await?
            .remove(&r.host_coordinator_id)
            .unwrap_or_default(),
        host_id: r.host_coordinator_id,
        status: RingStatus::parse(&r.status).unwrap_or(RingStatus::Active),
        name: r.name,
        description: r.description,
        sector_focus: r.sector_focus,
        history: Vec::new(),
        invitations: Vec::new(),
        other_firms: Vec::new(),
        coordinators: Vec::new(),
    };
    if !staff {
        return Ok(home);
    }
    let spells = membership::Entity::find()
        .filter(membership::Column::RingId.eq(ring_id))
        .order_by_desc(membership::Column::JoinedAt)
        .all(db)
        .await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::RingId.eq(ring_id))
        .order_by_desc(invitation::Column::Id)
        .all(db)
        .await?;
    let mut people = Vec::new();
    for s in &spells {
        people.extend(s.joined_by);
        people.extend(s.left_by);
    }
    let names = user_names(db, people).await?;
    let firm_name = |id: i32| firms.get(&id).map(|f| f.name.clone()).unwrap_or_default();
    home.history = spells
        .into_iter()
        .map(|s| MembershipView {
            ring_id,
            ring_name: home.name.clone(),
            firm_name: firm_name(s.firm_id),
            joined_at: s.joined_at,
            joined_by: s.joined_by.and_then(|id| names.get(&id).cloned()),
            left_at: s.left_at,
            left_by: s.left_by.and_then(|id| names.get(&id).cloned()),
        })
        .collect();
    home.invitations = invitations
        .into_iter()
        .map(|i| InvitationView {
            status: InvitationStatus::at(i.accepted_at, i.revoked_at, i.expires_at, now),
            firm_name: firm_name(i.firm_id),
            id: i.id,
            name: i.name,
            email: i.email,
            expires_at: i.expires_at,
            last_sent_at: i.last_sent_at,
            send_count: i.send_count,
        })
        .collect();
    let in_ring: HashSet<i32> = current.iter().map(|m| m.firm_id).collect();
    let mut others: Vec<(i32, String)> = firms
        .values()
        .filter(|f| !in_ring.contains(&f.id))
        .map(|f| (f.id, f.name.clone()))
        .collect();
    others.sort_by_key(|a| a.1.to_lowercase());
    home.other_firms = others;
    home.coordinators = staff_accounts(db).await?;
    Ok(home)
}

/// Enabled coordinators and admins, by name: who can host a ring.
async fn staff_accounts(db: &impl ConnectionTrait) -> Result<Vec<(i32, String)>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.is_in([Role::Coordinator.as_str(), Role::Admin.as_str()]))
        .filter(user::Column::DisabledAt.is_null())
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// The coordinators who can host a ring, for the create form.
pub async fn hosts(db: &Db) -> Result<Vec<(i32, String)>, AppError> {
    staff_accounts(db).await
}

/// A ring's details, checked.
#[derive(Debug, Clone)]
pub struct RingInput {
    name: String,
    description: String,
    sector_focus: Option<String>,
    host: Option<i32>,
    status: RingStatus,
}

impl RingInput {
    /// Checks the ring form. An empty host means the caller hosts it.
    pub fn parse(
        name: &str,
        description: &str,
        sector_focus: &str,
        host: &str,
        status: &str,
    ) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let name = parse_text(name, 120)
            .map_err(|k| errors.add("name", k))
            .unwrap_or_default();
        let description = parse_optional_text(description, 4000)
            .map_err(|k| errors.add("description", k))
            .unwrap_or_default();
        let sector_focus = if sector_focus.trim().is_empty() {
            None
        } else {
            parse_sni(sector_focus)
                .map_err(|k| errors.add("sector_focus", k))
                .ok()
        };
        let host = match host.trim() {
            "" => None,
            s => s
                .parse::<i32>()
                .map_err(|_| errors.add("host_coordinator_id", "field-choice-invalid"))
                .ok(),
        };
        let status = RingStatus::parse(status.trim()).unwrap_or_else(|| {
            errors.add("status", "field-choice-invalid");
            RingStatus::Active
        });
        errors.into_result(Self {
            name,
            description,
            sector_focus,
            host,
            status,
        })
    }
}

/// The host: the chosen staff account, or the caller.
async fn check_host(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    host: Option<i32>,
) -> Result<i32, AppError> {
    let Some(id) = host else {
        return Ok(actor.id);
    };
    let ok = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some_and(|u| u.disabled_at.is_none() && u.role != Role::Employer.as_str());
    if ok {
        Ok(id)
    } else {
        Err(AppError::field(
            "host_coordinator_id",
            "field-choice-invalid",
        ))
    }
}

/// Creates a ring.
pub async fn create(authed: &Authed, input: RingInput) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    let host = check_host(&txn, &authed.user, input.host).await?;
    let now = Utc::now();
    let row = ring::ActiveModel {
        name: Set(input.name),
        description: Set(input.description),
        sector_focus: Set(input.sector_focus),
        host_coordinator_id: Set(host),
        status: Set(RingStatus::Active.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        authed.event(Action::RingCreated, "ring", row.id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Changes a ring's details or status.
pub async fn update(authed: &Authed, ring_id: i32, input: RingInput) -> Result<(), AppError> {
    let txn = authed.db.begin_write().await?;
    let Some(existing) = ring::Entity::find_by_id(ring_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    let host = match input.host {
        Some(_) => check_host(&txn, &authed.user, input.host).await?,
        None => existing.host_coordinator_id,
    };
    let detail = if existing.status != input.status.as_str() {
        format!("status {} -> {}", existing.status, input.status.as_str())
    } else {
        String::new()
    };
    let mut active = existing.into_active_model();
    active.name = Set(input.name);
    active.description = Set(input.description);
    active.sector_focus = Set(input.sector_focus);
    active.host_coordinator_id = Set(host);
    active.status = Set(input.status.as_str().to_owned());
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(Action::RingUpdated, "ring", ring_id, detail),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An active ring, or why not.
pub(super) async fn active_ring(
    db: &impl ConnectionTrait,
    ring_id: i32,
) -> Result<ring::Model, AppError> {
    let Some(r) = ring::Entity::find_by_id(ring_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    if r.status != RingStatus::Active.as_str() {
        return Err(AppError::Conflict("error-ring-closed".into()));
    }
    Ok(r)
}

/// Puts the firm in the ring on `db`; `Ok(false)` when it already was.
pub(super) async fn join_in(
    db: &impl ConnectionTrait,
    by: Option<i32>,
    ring_id: RingId,
    firm_id: FirmId,
) -> Result<bool, AppError> {
    if is_member(db, ring_id, firm_id).await? {
        return Ok(false);
    }
    let inserted = membership::ActiveModel {
        ring_id: Set(ring_id.0),
        firm_id: Set(firm_id.0),
        joined_at: Set(Utc::now()),
        joined_by: Set(by),
        left_at: Set(None),
        left_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        // Someone else put it in at the same moment: the partial unique index decided.
        Err(e) if crate::ssr::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Puts a firm in a ring (a coordinator's direct add, or demo data).
pub async fn join(
    db: &Db,
    actor: Option<&SessionUser>,
    ring_id: RingId,
    firm_id: FirmId,
    ip: Option<String>,
) -> Result<(), AppError> {
    let txn = db.begin_write().await?;
    active_ring(&txn, ring_id.0).await?;
    if firm::Entity::find_by_id(firm_id.0)
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    if !join_in(&txn, actor.map(|a| a.id), ring_id, firm_id).await? {
        return Err(AppError::Conflict("error-already-member".into()));
    }
    audit::record(
        &txn,
        Event::ok(
            actor.map(|a| a as _),
            Action::RingFirmAdded,
            "ring",
            ring_id.0,
            format!("firm {firm_id}"),
            ip,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Ends the firm's current spell in the ring.
pub async fn leave(authed: &Authed, ring_id: RingId, firm_id: FirmId) -> Result<(), AppError> {
    let txn = authed.db.begin_write().await?;
    let ended = membership::Entity::update_many()
        .col_expr(
            membership::Column::LeftAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            membership::Column::LeftBy,
            sea_orm::sea_query::Expr::value(authed.user.id),
        )
        .filter(membership::Column::RingId.eq(ring_id))
        .filter(membership::Column::FirmId.eq(firm_id))
        .filter(membership::Column::LeftAt.is_null())
        .exec(&txn)
        .await?;
    if ended.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &txn,
        authed.event(
            Action::RingFirmLeft,
            "ring",
            ring_id.0,
            format!("firm {firm_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_form_checks_sector_host_and_status() {
        let err = RingInput::parse("", "", "Ö", "abc", "paused").expect_err("bad");
        let f = err.field_errors().expect("fields");
        assert_eq!(f.get("name"), Some("field-required"));
        assert_eq!(f.get("sector_focus"), Some("field-choice-invalid"));
        assert_eq!(f.get("host_coordinator_id"), Some("field-choice-invalid"));
        assert_eq!(f.get("status"), Some("field-choice-invalid"));
        assert!(RingInput::parse("Vård", "", "", "", "active").is_ok());
    }
}
