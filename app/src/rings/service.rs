//! Rings, memberships, invitations and meetings: validation, queries and changes.
//! Every change is audit-logged in its own transaction; every invitation e-mail is
//! queued in the outbox in that same transaction.

use crate::ssr::BeginWrite;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::{
    InvitationPreview, InvitationView, MeetingDetail, MeetingSummary, MemberFirm, ParticipantView,
    RingHome, RingSummary,
    entity::{invitation, meeting, membership, response, ring},
    model::{Answer, CalendarEvent, InvitationStatus, RingStatus, size_warning},
};
use crate::{
    audit::service::{self as audit, Event},
    auth::{
        RingAccess, SessionUser,
        entity::user,
        model::{Email, NewPassword, Role},
    },
    error::{AppError, FieldErrors},
    firms::{
        MembershipView,
        entity::firm,
        model::{SizeClass, parse_optional_text, parse_sni, parse_text},
        service::user_names,
    },
    i18n::Locale,
    ssr::{Ctx, random_token, sha256_hex},
};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 14;

/// Whether ring `ring_id` exists.
pub async fn exists(db: &impl ConnectionTrait, ring_id: i32) -> Result<bool, AppError> {
    Ok(ring::Entity::find_by_id(ring_id).one(db).await?.is_some())
}

/// Whether firm `firm_id` is in ring `ring_id` now.
pub async fn is_member(
    db: &impl ConnectionTrait,
    ring_id: i32,
    firm_id: i32,
) -> Result<bool, AppError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::RingId.eq(ring_id))
        .filter(membership::Column::FirmId.eq(firm_id))
        .filter(membership::Column::LeftAt.is_null())
        .one(db)
        .await?
        .is_some())
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
async fn current_members(
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
pub async fn list(
    db: &DatabaseConnection,
    user: &SessionUser,
) -> Result<Vec<RingSummary>, AppError> {
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
pub async fn home(
    db: &DatabaseConnection,
    access: &RingAccess,
    ring_id: i32,
) -> Result<RingHome, AppError> {
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
pub async fn hosts(db: &DatabaseConnection) -> Result<Vec<(i32, String)>, AppError> {
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
pub async fn create(ctx: &Ctx, actor: &SessionUser, input: RingInput) -> Result<i32, AppError> {
    let txn = ctx.db.begin_write().await?;
    let host = check_host(&txn, actor, input.host).await?;
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
        Event::ok(
            Some(actor),
            "ring.created",
            "ring",
            row.id,
            String::new(),
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Changes a ring's details or status.
pub async fn update(
    ctx: &Ctx,
    actor: &SessionUser,
    ring_id: i32,
    input: RingInput,
) -> Result<(), AppError> {
    let txn = ctx.db.begin_write().await?;
    let Some(existing) = ring::Entity::find_by_id(ring_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    let host = match input.host {
        Some(_) => check_host(&txn, actor, input.host).await?,
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
        Event::ok(
            Some(actor),
            "ring.updated",
            "ring",
            ring_id,
            detail,
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An active ring, or why not.
async fn active_ring(db: &impl ConnectionTrait, ring_id: i32) -> Result<ring::Model, AppError> {
    let Some(r) = ring::Entity::find_by_id(ring_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    if r.status != RingStatus::Active.as_str() {
        return Err(AppError::Conflict("error-ring-closed".into()));
    }
    Ok(r)
}

/// Puts the firm in the ring on `db`; `Ok(false)` when it already was.
async fn join_in(
    db: &impl ConnectionTrait,
    by: Option<i32>,
    ring_id: i32,
    firm_id: i32,
) -> Result<bool, AppError> {
    if is_member(db, ring_id, firm_id).await? {
        return Ok(false);
    }
    let inserted = membership::ActiveModel {
        ring_id: Set(ring_id),
        firm_id: Set(firm_id),
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
    db: &DatabaseConnection,
    actor: Option<&SessionUser>,
    ring_id: i32,
    firm_id: i32,
    ip: Option<String>,
) -> Result<(), AppError> {
    let txn = db.begin_write().await?;
    active_ring(&txn, ring_id).await?;
    if firm::Entity::find_by_id(firm_id).one(&txn).await?.is_none() {
        return Err(AppError::NotFound);
    }
    if !join_in(&txn, actor.map(|a| a.id), ring_id, firm_id).await? {
        return Err(AppError::Conflict("error-already-member".into()));
    }
    audit::record(
        &txn,
        Event::ok(
            actor,
            "ring.firm_added",
            "ring",
            ring_id,
            format!("firm {firm_id}"),
            ip,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Ends the firm's current spell in the ring.
pub async fn leave(
    ctx: &Ctx,
    actor: &SessionUser,
    ring_id: i32,
    firm_id: i32,
) -> Result<(), AppError> {
    let txn = ctx.db.begin_write().await?;
    let ended = membership::Entity::update_many()
        .col_expr(
            membership::Column::LeftAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            membership::Column::LeftBy,
            sea_orm::sea_query::Expr::value(actor.id),
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
        Event::ok(
            Some(actor),
            "ring.firm_left",
            "ring",
            ring_id,
            format!("firm {firm_id}"),
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An invitation form, checked.
#[derive(Debug, Clone)]
pub struct InvitationInput {
    firm_id: i32,
    name: String,
    email: Email,
}

impl InvitationInput {
    /// Checks the invitation form.
    pub fn parse(firm_id: &str, name: &str, email: &str) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let firm_id = firm_id
            .trim()
            .parse::<i32>()
            .map_err(|_| {
                errors.add(
                    "firm_id",
                    if firm_id.trim().is_empty() {
                        "field-required"
                    } else {
                        "field-choice-invalid"
                    },
                )
            })
            .ok();
        let name = parse_text(name, 120)
            .map_err(|k| errors.add("name", k))
            .unwrap_or_default();
        let email = Email::parse(email).map_err(|k| errors.add("email", k)).ok();
        match (firm_id, email) {
            (Some(firm_id), Some(email)) if errors.is_empty() => Ok(Self {
                firm_id,
                name,
                email,
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

/// Queues the invitation e-mail with a fresh link on `db`; returns the token's hash.
#[allow(clippy::too_many_arguments)]
async fn send_invitation(
    db: &impl ConnectionTrait,
    base_url: &str,
    locale: Locale,
    to: &str,
    name: &str,
    inviter: &str,
    ring_name: &str,
    firm_name: &str,
) -> Result<String, AppError> {
    let token = random_token(32);
    let link = format!("{base_url}/inbjudan?token={token}");
    let mail = crate::mail::templates::ring_invitation(
        locale,
        to,
        name,
        inviter,
        ring_name,
        firm_name,
        &link,
        INVITATION_DAYS,
    );
    crate::mail::service::enqueue(db, &mail, &crate::auth::service::host_of(base_url)).await?;
    Ok(sha256_hex(&token))
}

/// Invites a person at a firm into a ring; the e-mail goes through the outbox.
pub async fn invite(
    ctx: &Ctx,
    actor: &SessionUser,
    ring_id: i32,
    input: InvitationInput,
    locale: Locale,
) -> Result<i32, AppError> {
    let txn = ctx.db.begin_write().await?;
    let r = active_ring(&txn, ring_id).await?;
    let Some(f) = firm::Entity::find_by_id(input.firm_id).one(&txn).await? else {
        return Err(AppError::field("firm_id", "field-choice-invalid"));
    };
    if let Some(existing) = user::Entity::find()
        .filter(user::Column::Email.eq(input.email.as_str()))
        .one(&txn)
        .await?
    {
        if existing.role != Role::Employer.as_str() {
            return Err(AppError::field("email", "field-email-staff"));
        }
        if existing.firm_id.is_some_and(|id| id != f.id) {
            return Err(AppError::field("email", "field-email-other-firm"));
        }
    }
    let now = Utc::now();
    let pending = invitation::Entity::find()
        .filter(invitation::Column::RingId.eq(ring_id))
        .filter(invitation::Column::Email.eq(input.email.as_str()))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .one(&txn)
        .await?;
    if pending.is_some() {
        return Err(AppError::field("email", "field-invitation-pending"));
    }
    let token_hash = send_invitation(
        &txn,
        &ctx.config.base_url,
        locale,
        input.email.as_str(),
        &input.name,
        &actor.name,
        &r.name,
        &f.name,
    )
    .await?;
    let row = invitation::ActiveModel {
        ring_id: Set(ring_id),
        firm_id: Set(f.id),
        email: Set(input.email.as_str().to_owned()),
        name: Set(input.name),
        locale: Set(locale.code().to_owned()),
        token_hash: Set(token_hash),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        invited_by: Set(actor.id),
        send_count: Set(1),
        last_sent_at: Set(now),
        accepted_at: Set(None),
        accepted_user_id: Set(None),
        revoked_at: Set(None),
        revoked_by: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Event::ok(
            Some(actor),
            "invitation.sent",
            "invitation",
            row.id,
            format!("ring {ring_id}, firm {}, {}", f.id, input.email.masked()),
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Sends an unanswered invitation again with a new link and a new expiry; the old
/// link stops working. Returns the ring.
pub async fn resend(ctx: &Ctx, actor: &SessionUser, invitation_id: i32) -> Result<i32, AppError> {
    let txn = ctx.db.begin_write().await?;
    let Some(inv) = invitation::Entity::find_by_id(invitation_id)
        .one(&txn)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    if inv.accepted_at.is_some() || inv.revoked_at.is_some() {
        return Err(AppError::Conflict("error-invitation-closed".into()));
    }
    let r = active_ring(&txn, inv.ring_id).await?;
    let firm_name = firm::Entity::find_by_id(inv.firm_id)
        .one(&txn)
        .await?
        .map(|f| f.name)
        .unwrap_or_default();
    let locale = Locale::parse(&inv.locale).unwrap_or_default();
    let token_hash = send_invitation(
        &txn,
        &ctx.config.base_url,
        locale,
        &inv.email,
        &inv.name,
        &actor.name,
        &r.name,
        &firm_name,
    )
    .await?;
    let now = Utc::now();
    let ring_id = inv.ring_id;
    let count = inv.send_count + 1;
    let mut active = inv.into_active_model();
    active.token_hash = Set(token_hash);
    active.expires_at = Set(now + Duration::days(INVITATION_DAYS));
    active.last_sent_at = Set(now);
    active.send_count = Set(count);
    active.update(&txn).await?;
    audit::record(
        &txn,
        Event::ok(
            Some(actor),
            "invitation.resent",
            "invitation",
            invitation_id,
            String::new(),
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(ring_id)
}

/// Withdraws an unanswered invitation (again: nothing changes). Returns the ring.
pub async fn revoke(ctx: &Ctx, actor: &SessionUser, invitation_id: i32) -> Result<i32, AppError> {
    let txn = ctx.db.begin_write().await?;
    let Some(inv) = invitation::Entity::find_by_id(invitation_id)
        .one(&txn)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    if inv.accepted_at.is_some() {
        return Err(AppError::Conflict("error-invitation-closed".into()));
    }
    let ring_id = inv.ring_id;
    if inv.revoked_at.is_none() {
        let mut active = inv.into_active_model();
        active.revoked_at = Set(Some(Utc::now()));
        active.revoked_by = Set(Some(actor.id));
        active.update(&txn).await?;
        audit::record(
            &txn,
            Event::ok(
                Some(actor),
                "invitation.revoked",
                "invitation",
                invitation_id,
                String::new(),
                ctx.ip.clone(),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(ring_id)
}

async fn by_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<invitation::Model>, AppError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    Ok(invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?)
}

/// What an invitation link leads to; an unknown or forged link says nothing more.
pub async fn preview(db: &DatabaseConnection, token: &str) -> Result<InvitationPreview, AppError> {
    let Some(inv) = by_token(db, token).await? else {
        return Ok(InvitationPreview::Invalid(None));
    };
    let status = InvitationStatus::at(inv.accepted_at, inv.revoked_at, inv.expires_at, Utc::now());
    if status != InvitationStatus::Pending {
        return Ok(InvitationPreview::Invalid(Some(status)));
    }
    let ring_name = ring::Entity::find_by_id(inv.ring_id)
        .one(db)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let firm_name = firm::Entity::find_by_id(inv.firm_id)
        .one(db)
        .await?
        .map(|f| f.name)
        .unwrap_or_default();
    let has_account = user::Entity::find()
        .filter(user::Column::Email.eq(&inv.email))
        .one(db)
        .await?
        .is_some();
    Ok(InvitationPreview::Valid {
        ring_name,
        firm_name,
        name: inv.name,
        email: inv.email,
        has_account,
    })
}

fn invalid_invitation(status: Option<InvitationStatus>) -> AppError {
    AppError::Conflict(
        match status {
            Some(InvitationStatus::Accepted) => "error-invitation-used",
            Some(InvitationStatus::Expired) => "error-invitation-expired",
            Some(InvitationStatus::Revoked) => "error-invitation-revoked",
            _ => "error-invitation-unknown",
        }
        .into(),
    )
}

/// Who accepts an invitation.
enum Joiner {
    /// An employer account that exists (its password was checked).
    Existing(i32),
    /// A new account, with the name and the hashed password chosen.
    New { name: String, hash: String },
}

/// Accepts an invitation (see `accept_invitation`). Returns the ring.
pub async fn accept(
    ctx: &Ctx,
    token: &str,
    name: &str,
    password: &str,
    password_confirm: &str,
) -> Result<i32, AppError> {
    let Some(inv) = by_token(&ctx.db, token).await? else {
        return Err(invalid_invitation(None));
    };
    let status = InvitationStatus::at(inv.accepted_at, inv.revoked_at, inv.expires_at, Utc::now());
    if status != InvitationStatus::Pending {
        return Err(invalid_invitation(Some(status)));
    }
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(&inv.email))
        .one(&ctx.db)
        .await?;
    // Either an existing employer proves who they are, or a new account is made.
    let joiner = match &existing {
        Some(u) => {
            if u.role != Role::Employer.as_str() {
                return Err(AppError::Conflict("error-invitation-staff".into()));
            }
            if u.firm_id.is_some_and(|id| id != inv.firm_id) {
                return Err(AppError::Conflict("error-invitation-other-firm".into()));
            }
            let user = crate::auth::service::authenticate(ctx, &inv.email, password, None).await?;
            Joiner::Existing(user.id)
        }
        None => {
            let mut errors = FieldErrors::new();
            let name = parse_text(name, 120)
                .map_err(|k| errors.add("name", k))
                .unwrap_or_default();
            let password = NewPassword::parse(password)
                .map_err(|k| errors.add("password", k))
                .ok();
            if password
                .as_ref()
                .is_some_and(|p| p.expose() != password_confirm)
            {
                errors.add("password_confirm", "field-password-mismatch");
            }
            let (Some(password), true) = (password, errors.is_empty()) else {
                return Err(AppError::Validation(errors));
            };
            let hash = crate::auth::service::hash_password(password.expose()).await?;
            Joiner::New { name, hash }
        }
    };
    let txn = ctx.db.begin_write().await?;
    let now = Utc::now();
    // Single use: only one request can move the invitation from pending to accepted.
    let claimed = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::AcceptedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::TokenHash.eq(inv.token_hash.clone()))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid_invitation(Some(InvitationStatus::Accepted)));
    }
    let email = Email::parse(&inv.email).map_err(|_| invalid_invitation(None))?;
    let user_id = match joiner {
        Joiner::New { name, hash } => {
            let locale = Locale::parse(&inv.locale).unwrap_or_default();
            crate::auth::service::insert_user(
                &txn,
                &name,
                &email,
                Role::Employer,
                hash,
                locale,
                Some(inv.firm_id),
            )
            .await?
            .id
        }
        Joiner::Existing(user_id) => {
            user::Entity::update_many()
                .col_expr(
                    user::Column::FirmId,
                    sea_orm::sea_query::Expr::value(inv.firm_id),
                )
                .filter(user::Column::Id.eq(user_id))
                .filter(user::Column::FirmId.is_null())
                .exec(&txn)
                .await?;
            user_id
        }
    };
    invitation::Entity::update_many()
        .col_expr(
            invitation::Column::AcceptedUserId,
            sea_orm::sea_query::Expr::value(user_id),
        )
        .filter(invitation::Column::Id.eq(inv.id))
        .exec(&txn)
        .await?;
    join_in(&txn, Some(user_id), inv.ring_id, inv.firm_id).await?;
    audit::record(
        &txn,
        Event::ok(
            None,
            "invitation.accepted",
            "invitation",
            inv.id,
            format!("user {user_id}, ring {}, firm {}", inv.ring_id, inv.firm_id),
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    if let Some(old) = &ctx.session_token {
        crate::auth::service::end_session(&ctx.db, old).await?;
    }
    let session = crate::auth::service::start_session(&ctx.db, user_id).await?;
    crate::auth::set_session_cookie(ctx, &session);
    Ok(inv.ring_id)
}

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
    ctx: &Ctx,
    actor: &SessionUser,
    ring_id: i32,
    input: MeetingInput,
) -> Result<i32, AppError> {
    let txn = ctx.db.begin_write().await?;
    active_ring(&txn, ring_id).await?;
    let now = Utc::now();
    let row = meeting::ActiveModel {
        ring_id: Set(ring_id),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        place: Set(input.place),
        agenda: Set(input.agenda),
        created_by: Set(actor.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Event::ok(
            Some(actor),
            "meeting.created",
            "meeting",
            row.id,
            format!("ring {ring_id}"),
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// A meeting's page for `user`.
pub async fn meeting(
    db: &DatabaseConnection,
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
    db: &DatabaseConnection,
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
    ctx: &Ctx,
    actor: &SessionUser,
    meeting_id: i32,
    user_id: i32,
    attended: bool,
) -> Result<(), AppError> {
    let Some(m) = meeting::Entity::find_by_id(meeting_id).one(&ctx.db).await? else {
        return Err(AppError::NotFound);
    };
    if m.starts_at > Utc::now() {
        return Err(AppError::Conflict("error-meeting-not-started".into()));
    }
    let Some(person) = user::Entity::find_by_id(user_id).one(&ctx.db).await? else {
        return Err(AppError::NotFound);
    };
    let answered = response::Entity::find_by_id((meeting_id, user_id))
        .one(&ctx.db)
        .await?
        .is_some();
    let in_ring = match person.firm_id {
        Some(f) => is_member(&ctx.db, m.ring_id, f).await?,
        None => false,
    };
    if !answered && !in_ring {
        return Err(AppError::NotFound);
    }
    let txn = ctx.db.begin_write().await?;
    upsert_response(&txn, meeting_id, user_id, |r| {
        r.attended = Set(Some(attended))
    })
    .await?;
    audit::record(
        &txn,
        Event::ok(
            Some(actor),
            "meeting.attendance",
            "meeting",
            meeting_id,
            format!("user {user_id}: {attended}"),
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The meeting as an `.ics` file for `user`, or `NotFound` when they may not see it.
pub async fn calendar_file(
    db: &DatabaseConnection,
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
        (Role::Employer, Some(firm_id)) => is_member(db, m.ring_id, firm_id).await?,
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

    #[test]
    fn an_invitation_form_names_each_bad_field() {
        let err = InvitationInput::parse("", " ", "inte-en-adress").expect_err("bad");
        let f = err.field_errors().expect("fields");
        assert_eq!(f.get("firm_id"), Some("field-required"));
        assert_eq!(f.get("name"), Some("field-required"));
        assert_eq!(f.get("email"), Some("field-email-invalid"));
        let err = InvitationInput::parse("x", "Ann", "ann@firma.test").expect_err("bad");
        assert_eq!(
            err.field_errors().and_then(|f| f.get("firm_id")),
            Some("field-choice-invalid")
        );
    }

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
