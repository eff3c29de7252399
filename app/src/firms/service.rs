//! Firms and contacts with them: validation of the forms, queries, and changes
//! (each written to the audit log in the same transaction).

use crate::ssr::BeginWrite;
use std::collections::HashMap;

use crate::db::Db;
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::{
    FirmDetail, FirmSummary, FirmsOverview, FollowUp, MembershipView, OutreachView,
    entity::{firm, outreach},
    model::{
        Channel, ContactOutcome, FirmInput, OrgNumber, OutreachInput, SizeClass, format_org_number,
    },
};
use crate::{
    audit::service::{self as audit, Action},
    auth::{SessionUser, Staff, entity::user, membership},
    error::AppError,
};

/// Follow-ups due within this many days are listed.
pub const FOLLOW_UP_HORIZON_DAYS: i64 = 7;

/// The municipalities a firm can be in, by name.
async fn municipalities(db: &impl ConnectionTrait) -> Result<Vec<(i32, String)>, AppError> {
    use crate::municipality::entity as m;
    Ok(m::Entity::find()
        .order_by_asc(m::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect())
}

/// Names of accounts by id, for "who" columns.
pub(crate) async fn user_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    let ids: Vec<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// Whether a firm with this id is in the registry.
pub async fn exists(db: &impl ConnectionTrait, firm_id: i32) -> Result<bool, AppError> {
    Ok(firm::Entity::find_by_id(firm_id).one(db).await?.is_some())
}

/// Every firm as (id, name), by name: the choices where an account is tied to a firm.
pub async fn names(db: &impl ConnectionTrait) -> Result<Vec<(i32, String)>, AppError> {
    Ok(firm::Entity::find()
        .order_by_asc(firm::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.name))
        .collect())
}

/// The registry's list and the caller's follow-ups.
pub async fn overview(db: &Db, me: &SessionUser, query: &str) -> Result<FirmsOverview, AppError> {
    let needle = query.trim().to_lowercase();
    let needle_digits: String = needle.chars().filter(char::is_ascii_digit).collect();
    let firms = firm::Entity::find()
        .order_by_asc(firm::Column::Name)
        .all(db)
        .await?;
    let municipalities = municipalities(db).await?;
    let municipality_names: HashMap<i32, String> = municipalities.iter().cloned().collect();
    let mut rings_of = membership::current_rings_by_firm(db).await?;
    let mut last_contact: HashMap<i32, NaiveDate> = HashMap::new();
    let contacts = outreach::Entity::find().all(db).await?;
    for c in &contacts {
        let entry = last_contact.entry(c.firm_id).or_insert(c.contacted_on);
        if c.contacted_on > *entry {
            *entry = c.contacted_on;
        }
    }
    let firm_names: HashMap<i32, String> = firms.iter().map(|f| (f.id, f.name.clone())).collect();
    let list = firms
        .into_iter()
        .filter(|f| {
            needle.is_empty()
                || f.name.to_lowercase().contains(&needle)
                || (!needle_digits.is_empty() && f.org_number.contains(&needle_digits))
        })
        .map(|f| FirmSummary {
            size: SizeClass::of(f.employees),
            org_number: format_org_number(&f.org_number),
            municipality: f
                .municipality_id
                .and_then(|id| municipality_names.get(&id).cloned()),
            rings: rings_of.remove(&f.id).unwrap_or_default(),
            last_contact: last_contact.get(&f.id).copied(),
            id: f.id,
            name: f.name,
            sni_section: f.sni_section,
        })
        .collect();
    let today = crate::i18n::today();
    let horizon = today + Duration::days(FOLLOW_UP_HORIZON_DAYS);
    let mut follow_ups: Vec<FollowUp> = contacts
        .into_iter()
        .filter(|c| c.coordinator_id == me.id && c.followed_up_at.is_none())
        .filter_map(|c| {
            let due_on = c.next_step_on.filter(|d| *d <= horizon)?;
            Some(FollowUp {
                firm_name: firm_names.get(&c.firm_id).cloned().unwrap_or_default(),
                firm_id: c.firm_id,
                next_step: c.next_step,
                due_on,
                overdue: due_on < today,
            })
        })
        .collect();
    follow_ups.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.firm_name.cmp(&b.firm_name)));
    Ok(FirmsOverview {
        firms: list,
        follow_ups,
        municipalities,
    })
}

/// One firm, or `NotFound`.
pub async fn detail(db: &Db, firm_id: i32) -> Result<FirmDetail, AppError> {
    let Some(f) = firm::Entity::find_by_id(firm_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    let contacts = outreach::Entity::find()
        .filter(outreach::Column::FirmId.eq(firm_id))
        .order_by_desc(outreach::Column::ContactedOn)
        .order_by_desc(outreach::Column::Id)
        .all(db)
        .await?;
    let spells = membership::spells_of_firm(db, firm_id).await?;
    let mut people: Vec<i32> = contacts.iter().map(|c| c.coordinator_id).collect();
    for s in &spells {
        people.extend(s.joined_by);
        people.extend(s.left_by);
    }
    let names = user_names(db, people).await?;
    let people = user::Entity::find()
        .filter(user::Column::FirmId.eq(firm_id))
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.name, u.email))
        .collect();
    Ok(FirmDetail {
        id: f.id,
        size: SizeClass::of(f.employees),
        org_number: format_org_number(&f.org_number),
        employees: f.employees,
        sni_section: f.sni_section,
        address: f.address,
        municipality_id: f.municipality_id,
        contact_name: f.contact_name,
        contact_email: f.contact_email,
        contact_phone: f.contact_phone,
        memberships: spells
            .into_iter()
            .map(|s| MembershipView {
                ring_name: s.ring_name,
                firm_name: f.name.clone(),
                ring_id: s.ring_id,
                joined_at: s.joined_at,
                joined_by: s.joined_by.and_then(|id| names.get(&id).cloned()),
                left_at: s.left_at,
                left_by: s.left_by.and_then(|id| names.get(&id).cloned()),
            })
            .collect(),
        name: f.name,
        people,
        outreach: contacts
            .into_iter()
            .filter_map(|c| {
                Some(OutreachView {
                    id: c.id,
                    contacted_on: c.contacted_on,
                    channel: Channel::parse(&c.channel)?,
                    coordinator: names.get(&c.coordinator_id).cloned().unwrap_or_default(),
                    outcome: ContactOutcome::parse(&c.outcome)?,
                    note: c.note,
                    next_step: c.next_step,
                    next_step_on: c.next_step_on,
                    followed_up: c.followed_up_at.is_some(),
                })
            })
            .collect(),
        municipalities: municipalities(db).await?,
        today: crate::i18n::today(),
    })
}

/// The organisation number is taken by another firm than `except`.
async fn org_number_taken(
    db: &impl ConnectionTrait,
    org: &OrgNumber,
    except: Option<i32>,
) -> Result<bool, AppError> {
    Ok(firm::Entity::find()
        .filter(firm::Column::OrgNumber.eq(org.as_str()))
        .one(db)
        .await?
        .is_some_and(|f| Some(f.id) != except))
}

async fn check_municipality(db: &impl ConnectionTrait, id: Option<i32>) -> Result<(), AppError> {
    if let Some(id) = id
        && crate::municipality::entity::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_none()
    {
        return Err(AppError::field("municipality_id", "field-choice-invalid"));
    }
    Ok(())
}

/// Adds a firm; a taken organisation number is a field error, also when two
/// coordinators add the same firm at the same moment (the unique index decides).
pub async fn create(authed: &Staff, input: FirmInput) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    if org_number_taken(&txn, &input.org_number, None).await? {
        return Err(AppError::field("org_number", "field-orgnr-taken"));
    }
    check_municipality(&txn, input.municipality_id).await?;
    let now = Utc::now();
    let inserted = firm::ActiveModel {
        name: Set(input.name),
        org_number: Set(input.org_number.as_str().to_owned()),
        employees: Set(input.employees),
        sni_section: Set(input.sni_section),
        address: Set(input.address),
        municipality_id: Set(input.municipality_id),
        contact_name: Set(input.contact_name),
        contact_email: Set(input.contact_email),
        contact_phone: Set(input.contact_phone),
        created_by: Set(Some(authed.user.id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(e) if crate::ssr::is_unique_violation(&e) => {
            return Err(AppError::field("org_number", "field-orgnr-taken"));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &txn,
        authed.event(Action::FirmCreated, "firm", row.id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Changes a firm's details.
pub async fn update(authed: &Staff, firm_id: i32, input: FirmInput) -> Result<(), AppError> {
    let txn = authed.db.begin_write().await?;
    let Some(existing) = firm::Entity::find_by_id(firm_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    if org_number_taken(&txn, &input.org_number, Some(firm_id)).await? {
        return Err(AppError::field("org_number", "field-orgnr-taken"));
    }
    check_municipality(&txn, input.municipality_id).await?;
    let mut active = existing.into_active_model();
    active.name = Set(input.name);
    active.org_number = Set(input.org_number.as_str().to_owned());
    active.employees = Set(input.employees);
    active.sni_section = Set(input.sni_section);
    active.address = Set(input.address);
    active.municipality_id = Set(input.municipality_id);
    active.contact_name = Set(input.contact_name);
    active.contact_email = Set(input.contact_email);
    active.contact_phone = Set(input.contact_phone);
    active.updated_at = Set(Utc::now());
    match active.update(&txn).await {
        Ok(_) => {}
        Err(e) if crate::ssr::is_unique_violation(&e) => {
            return Err(AppError::field("org_number", "field-orgnr-taken"));
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &txn,
        authed.event(Action::FirmUpdated, "firm", firm_id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Logs a contact; the firm's earlier open follow-ups count as taken by it.
pub async fn log_outreach(
    authed: &Staff,
    firm_id: i32,
    input: OutreachInput,
) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    if firm::Entity::find_by_id(firm_id).one(&txn).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    outreach::Entity::update_many()
        .col_expr(
            outreach::Column::FollowedUpAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(outreach::Column::FirmId.eq(firm_id))
        .filter(outreach::Column::FollowedUpAt.is_null())
        .filter(outreach::Column::ContactedOn.lte(input.contacted_on))
        .exec(&txn)
        .await?;
    let row = outreach::ActiveModel {
        firm_id: Set(firm_id),
        contacted_on: Set(input.contacted_on),
        channel: Set(input.channel.as_str().to_owned()),
        coordinator_id: Set(authed.user.id),
        outcome: Set(input.outcome.as_str().to_owned()),
        note: Set(input.note),
        next_step: Set(input.next_step),
        next_step_on: Set(input.next_step_on),
        followed_up_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        authed.event(Action::FirmContacted, "firm", firm_id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}
