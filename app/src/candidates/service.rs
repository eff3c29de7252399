//! The candidate record: the form checked, created and changed under the optimistic
//! version check, the derived columns matching reads at scale, and the list. The
//! rest of the concept sits beside it: `detail` (the audited reads), `mapping`,
//! `timeline`, `pools` and `shortlist`.

use crate::ssr::BeginWrite;
use std::collections::HashMap;

use crate::db::Db;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};

use super::{
    CandidateList, CandidateRow, CandidateStatus,
    entity::{activity, assessment, candidate, language, plan_step, pool_entry},
    model::{self, ActivityKind, CandidateForm, CandidateInput, Criterion},
};
use crate::{
    audit::service::{self as audit, Action, Event},
    auth::{Authed, Staff},
    error::AppError,
    i18n::{Locale, today},
    needs::OccupationView,
    rings::entity::ring,
    ssr::is_unique_violation,
};

/// An audit-log entry for candidate `id`, by the caller.
pub fn event<'a>(authed: &'a Authed, action: Action, id: i32, detail: String) -> Event<'a> {
    authed.event(action, "candidate", id, detail)
}

fn taken(e: sea_orm::DbErr) -> AppError {
    if is_unique_violation(&e) {
        AppError::field("personnummer", "field-pnr-taken")
    } else {
        e.into()
    }
}

/// Records a new candidate; returns the id.
pub async fn create(authed: &Staff, f: CandidateForm) -> Result<i32, AppError> {
    let today = today();
    let input = f.parse(today)?;
    let exists = candidate::Entity::find()
        .filter(candidate::Column::Personnummer.eq(input.personnummer.as_str()))
        .one(&authed.db)
        .await?;
    if exists.is_some() {
        return Err(AppError::field("personnummer", "field-pnr-taken"));
    }
    let now = Utc::now();
    let txn = authed.db.begin_write().await?;
    let row = candidate::ActiveModel {
        name: Set(input.name),
        personnummer: Set(input.personnummer.as_str().to_owned()),
        email: Set(input.email),
        phone: Set(input.phone),
        gender: Set(input.gender.as_str().to_owned()),
        birth_date: Set(input.personnummer.birth_date()),
        permit_date: Set(input.permit_date),
        enrolled_on: Set(input.enrolled_on),
        swedish_rank: Set(model::candidate_swedish_rank(None, &input.sfi_course)),
        sfi_course: Set(input.sfi_course),
        sfi_path: Set(input.sfi_path),
        driving_licence: Set(input.driving_licence),
        available_from: Set(input.available_from),
        hours: Set(input.hours.as_str().to_owned()),
        availability_note: Set(input.availability_note),
        job_ready_since: Set(None),
        criteria_met: Set(0),
        active: Set(true),
        version: Set(1),
        created_by: Set(Some(authed.user.id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(taken)?;
    super::ranking::touch(&txn, row.id).await?;
    audit::record(
        &txn,
        event(authed, Action::CandidateCreate, row.id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Candidate `id`, or `NotFound`.
pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<candidate::Model, AppError> {
    candidate::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The candidate's current version.
pub async fn version(db: &Db, id: i32) -> Result<i32, AppError> {
    Ok(find(db, id).await?.version)
}

/// The names of the fields whose stored values `input` changes (for the audit log).
fn changed_fields(old: &candidate::Model, new: &CandidateInput) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut check = |name, differs: bool| {
        if differs {
            changed.push(name);
        }
    };
    check("name", old.name != new.name);
    check(
        "personnummer",
        old.personnummer != new.personnummer.as_str(),
    );
    check("email", old.email != new.email);
    check("phone", old.phone != new.phone);
    check("gender", old.gender != new.gender.as_str());
    check("permit_date", old.permit_date != new.permit_date);
    check("enrolled_on", old.enrolled_on != new.enrolled_on);
    check("sfi_course", old.sfi_course != new.sfi_course);
    check("sfi_path", old.sfi_path != new.sfi_path);
    check(
        "driving_licence",
        old.driving_licence != new.driving_licence,
    );
    check("available_from", old.available_from != new.available_from);
    check("hours", old.hours != new.hours.as_str());
    check(
        "availability_note",
        old.availability_note != new.availability_note,
    );
    changed
}

/// Changes the record if its version is still `version`; otherwise the caller gets
/// "changed by someone else" and nothing is written.
pub async fn update(
    authed: &Staff,
    id: i32,
    version: &str,
    f: CandidateForm,
) -> Result<(), AppError> {
    let old = find(&authed.db, id).await?;
    let version: i32 = version.trim().parse().map_err(|_| AppError::BadRequest)?;
    let input = f.parse(today())?;
    let changed = changed_fields(&old, &input);
    let txn = authed.db.begin_write().await?;
    let result = candidate::Entity::update_many()
        .col_expr(candidate::Column::Name, Expr::value(input.name))
        .col_expr(
            candidate::Column::Personnummer,
            Expr::value(input.personnummer.as_str()),
        )
        .col_expr(candidate::Column::Email, Expr::value(input.email))
        .col_expr(candidate::Column::Phone, Expr::value(input.phone))
        .col_expr(
            candidate::Column::Gender,
            Expr::value(input.gender.as_str()),
        )
        .col_expr(
            candidate::Column::BirthDate,
            Expr::value(input.personnummer.birth_date()),
        )
        .col_expr(
            candidate::Column::PermitDate,
            Expr::value(input.permit_date),
        )
        .col_expr(
            candidate::Column::EnrolledOn,
            Expr::value(input.enrolled_on),
        )
        .col_expr(candidate::Column::SfiCourse, Expr::value(input.sfi_course))
        .col_expr(candidate::Column::SfiPath, Expr::value(input.sfi_path))
        .col_expr(
            candidate::Column::DrivingLicence,
            Expr::value(input.driving_licence),
        )
        .col_expr(
            candidate::Column::AvailableFrom,
            Expr::value(input.available_from),
        )
        .col_expr(candidate::Column::Hours, Expr::value(input.hours.as_str()))
        .col_expr(
            candidate::Column::AvailabilityNote,
            Expr::value(input.availability_note),
        )
        .col_expr(candidate::Column::Version, Expr::value(version + 1))
        .col_expr(candidate::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(candidate::Column::Id.eq(id))
        .filter(candidate::Column::Version.eq(version))
        .exec(&txn)
        .await
        .map_err(taken)?;
    if result.rows_affected == 0 {
        return Err(AppError::Conflict("candidate-changed-elsewhere".into()));
    }
    // The SFI course may have changed: the derived columns follow.
    refresh(&txn, id).await?;
    audit::record(
        &txn,
        event(authed, Action::CandidateUpdate, id, changed.join(",")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Recomputes what is derived from a candidate's rows: Swedish on one scale, the
/// criteria that hold now, the day they first all held, and whether the candidate
/// is still in the programme; and tells matching that the candidate changed
/// ([`super::ranking::touch`]). Called in the transaction of every change to them.
pub async fn refresh(db: &DatabaseTransaction, id: i32) -> Result<(), AppError> {
    let row = find(db, id).await?;
    let swedish = language::Entity::find()
        .filter(language::Column::CandidateId.eq(id))
        .filter(language::Column::Language.eq("sv"))
        .one(db)
        .await?;
    let current = current_assessments(db, id).await?;
    let met = current.values().filter(|a| a.met).count() as i16;
    let job_ready_since = match row.job_ready_since {
        Some(day) => Some(day),
        None if met == 4 => current.values().map(|a| a.assessed_on).max(),
        None => None,
    };
    let ended = activity::Entity::find()
        .filter(activity::Column::CandidateId.eq(id))
        .filter(activity::Column::Kind.is_in([
            ActivityKind::SelfSufficiency.as_str(),
            ActivityKind::Exit.as_str(),
        ]))
        .one(db)
        .await?
        .is_some();
    let mut active = row.into_active_model();
    active.swedish_rank = Set(model::candidate_swedish_rank(
        swedish.as_ref().map(|s| s.level.as_str()),
        active.sfi_course.as_ref(),
    ));
    active.criteria_met = Set(met);
    active.job_ready_since = Set(job_ready_since);
    active.active = Set(!ended);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    super::ranking::touch(db, id).await
}

/// The latest assessment of each criterion (by date, then entry).
pub(super) async fn current_assessments(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<HashMap<Criterion, assessment::Model>, AppError> {
    let rows = assessment::Entity::find()
        .filter(assessment::Column::CandidateId.eq(id))
        .order_by_asc(assessment::Column::AssessedOn)
        .order_by_asc(assessment::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|a| Criterion::parse(&a.criterion).map(|c| (c, a)))
        .collect())
}

pub(super) fn status_of(timeline: &[activity::Model]) -> CandidateStatus {
    let last_end = timeline
        .iter()
        .filter_map(|a| ActivityKind::parse(&a.kind).filter(|k| k.ends_programme()))
        .next_back();
    match last_end {
        Some(ActivityKind::SelfSufficiency) => CandidateStatus::SelfSufficient,
        Some(_) => CandidateStatus::Exited,
        None => CandidateStatus::Active,
    }
}

/// The condition "the name contains `literal`" (lower case, LIKE's wildcards escaped).
fn name_contains(literal: &str) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(
        candidate::Column::Name,
    )))
    .like(sea_orm::sea_query::LikeExpr::new(format!("%{literal}%")).escape('\\'))
}

/// Typed text as a literal LIKE fragment: lower case, wildcards escaped, at most 255
/// characters (no name is longer; SQLite refuses LIKE patterns over 50 000 bytes).
fn like_literal(q: &str) -> String {
    q.trim()
        .chars()
        .take(255)
        .collect::<String>()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// The ids of the candidates whose name contains `q` (at least two characters),
/// newest first, at most 200: the audit log's search by name.
pub async fn ids_named(authed: &Staff, q: &str) -> Result<Vec<i32>, AppError> {
    if q.trim().chars().count() < 2 {
        return Ok(Vec::new());
    }
    Ok(candidate::Entity::find()
        .select_only()
        .column(candidate::Column::Id)
        .filter(name_contains(&like_literal(q)))
        .order_by_desc(candidate::Column::Id)
        .limit(200)
        .into_tuple()
        .all(&authed.db)
        .await?)
}

/// The list, with search and status filter.
pub async fn list(authed: &Staff, q: &str, status: &str) -> Result<CandidateList, AppError> {
    let db = &authed.db;
    let mut query = candidate::Entity::find().order_by_desc(candidate::Column::EnrolledOn);
    match status {
        "ended" => query = query.filter(candidate::Column::Active.eq(false)),
        "all" => {}
        _ => query = query.filter(candidate::Column::Active.eq(true)),
    }
    // No name or number is longer; SQLite refuses LIKE patterns over 50 000 bytes.
    let q: String = q.trim().chars().take(255).collect();
    if !q.is_empty() {
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        // Typed text is matched literally: LIKE's wildcards are escaped.
        let mut cond = sea_orm::Condition::any().add(name_contains(&like_literal(&q)));
        if digits.len() >= 4 {
            cond = cond.add(candidate::Column::Personnummer.contains(&digits));
        }
        query = query.filter(cond);
    }
    let rows = query.all(db).await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut timelines: HashMap<i32, Vec<activity::Model>> = HashMap::new();
    let mut steps: HashMap<i32, (NaiveDate, String)> = HashMap::new();
    let mut pools: HashMap<i32, Vec<String>> = HashMap::new();
    let rings: HashMap<i32, String> = ring::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    for chunk in ids.chunks(500) {
        for a in activity::Entity::find()
            .filter(activity::Column::CandidateId.is_in(chunk.to_vec()))
            .order_by_asc(activity::Column::StartOn)
            .order_by_asc(activity::Column::Id)
            .all(db)
            .await?
        {
            timelines.entry(a.candidate_id).or_default().push(a);
        }
        for s in plan_step::Entity::find()
            .filter(plan_step::Column::CandidateId.is_in(chunk.to_vec()))
            .filter(plan_step::Column::DoneOn.is_null())
            .order_by_desc(plan_step::Column::DueOn)
            .all(db)
            .await?
        {
            steps.insert(s.candidate_id, (s.due_on, s.description));
        }
        for p in pool_entry::Entity::find()
            .filter(pool_entry::Column::CandidateId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            if let Some(name) = rings.get(&p.ring_id) {
                pools.entry(p.candidate_id).or_default().push(name.clone());
            }
        }
    }
    let candidates = rows
        .into_iter()
        .map(|c| {
            let timeline = timelines.remove(&c.id).unwrap_or_default();
            CandidateRow {
                id: c.id,
                name: c.name,
                enrolled_on: c.enrolled_on,
                criteria_met: c.criteria_met,
                job_ready_since: c.job_ready_since,
                status: status_of(&timeline),
                latest: timeline
                    .last()
                    .and_then(|a| ActivityKind::parse(&a.kind).map(|k| (k, a.start_on))),
                next_step: steps.remove(&c.id),
                pools: pools.remove(&c.id).unwrap_or_default(),
            }
        })
        .collect();
    Ok(CandidateList {
        candidates,
        today: today(),
    })
}

/// The names of the occupations `codes` (and their groups), in `locale`.
pub async fn occupation_views(
    db: &impl ConnectionTrait,
    codes: impl IntoIterator<Item = String>,
    locale: Locale,
) -> Result<HashMap<String, OccupationView>, AppError> {
    let codes: Vec<String> = codes.into_iter().collect();
    Ok(crate::needs::occupations::taxonomy(db)
        .await?
        .views(codes.iter().map(String::as_str), locale))
}

/// The occupation for `code`, or the bare code when the taxonomy has no such entry.
pub fn occupation_or_code(views: &HashMap<String, OccupationView>, code: &str) -> OccupationView {
    views.get(code).cloned().unwrap_or_else(|| OccupationView {
        code: code.to_owned(),
        name: String::new(),
        level: 4,
    })
}
